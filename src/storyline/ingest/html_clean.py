"""Line-level cleanup of an extracted article body: repeated headline, prompts, credits.

trafilatura keeps a handful of lines that sit inside the article container but are not part of
the story: the headline and standfirst repeated above the body, date stamps, "Related:" teasers,
newsletter and social-media prompts, tag and comment footers and "X contributed to this report"
credits. Every rule here is a general pattern about how news pages are built, never about one
site; each was kept only if it raised the extraction benchmark score as a whole (measured with
``python -m eval.extraction``, one rule switched off at a time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["CleanedBody", "clean_body"]

_WORD_RE = re.compile(r"\w+")

# A line that announces links to other articles; the short lines after it are teasers too.
_RELATED_RE = re.compile(
    r"^\W*(related( (stories|articles|posts?|content|coverage|reading))?|read (more|also|next)"
    r"|see also|also on [\w.]+|you (may|might) also (like|be interested in)|recommended( for you)?"
    r"|more (stories|from [\w .]+|on this)|more|most (popular|read)|trending( now)?"
    r"|don['’]t miss|further reading)\s*(:|\.\.\.|…|$)",
    re.IGNORECASE,
)
# Invitations to follow, share, comment or subscribe.
_PROMPT_RE = re.compile(
    r"\b(follow (us|\w+( \w+){0,5}) on (twitter|facebook|instagram|youtube|linkedin)"
    r"|(like|share) this (story|article|post)|share (it|this) with (a|your) friends?"
    r"|tell us what you think|leave a (comment|reply)|join the (conversation|discussion)"
    r"|(sign up|subscribe) (for|to) (our|the)\b.{0,60}\b(newsletters?|inbox|alerts?)"
    r"|delivered (to|right in|straight to) your inbox|right in your inbox"
    r"|click here for more information)",
    re.IGNORECASE,
)
# Wire and colleague credits: kept apart from the body as ``credits``.
_CREDIT_RE = re.compile(
    r"(contributed (to )?(this )?(report|story|article)(ing)?\b"
    r"|contributed reporting|^\W*(additional )?reporting by\b|^\W*(additional reporting|"
    r"writing|editing) (by|from)\b)",
    re.IGNORECASE,
)
_FOOTER_RE = re.compile(
    r"^\W*((\d+ )?comments?|tags?|filed under|categor(y|ies)|source|photo|image( source)?"
    r"|credit|advertisement|sponsored)\s*[:|]?\s*($|(?<=[:|])\s*.{0,200}$)",
    re.IGNORECASE,
)
_READING_TIME_RE = re.compile(
    r"^\W*(\d+\s*min(ute)?s?\s*read|(estimated )?reading time\b|tempo de leitura\b)",
    re.IGNORECASE,
)
# E-mail addresses and profile links; bare URLs and @handles are left alone because bodies cite
# them (shop links, embedded posts).
_CONTACT_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\btwitter\.com/\S+")
# Sixty words of boilerplate fit in well under this many characters.
_MAX_BOILERPLATE_CHARS = 1_000
_SENTENCE_END_RE = re.compile(r"[.!?…:;\"”’)»。]\s*$")
_CONTACT_VERB_RE = re.compile(
    r"\b(e-?mail|follow|reach(ed)?|contact|tips?|twitter|facebook|instagram)\b", re.IGNORECASE
)

# Words of date and time stamps ("Posted 5:45 AM PST Nov. 19, 2019"), in lower case.
_DATE_WORDS_TEXT = (
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
    "august september october november december mon tue wed thu fri sat sun monday tuesday "
    "wednesday thursday friday saturday sunday am pm gmt utc est edt pst pdt cet updated "
    "published posted"
)
_DATE_WORDS = frozenset(_DATE_WORDS_TEXT.split())


@dataclass
class CleanedBody:
    """An article body after cleanup, with the credit lines taken out of it."""

    text: str
    credits: list[str] = field(default_factory=list)


def _normalize(text: str) -> str:
    """Lower-case word characters only, for loose comparison of headlines."""
    return " ".join(_WORD_RE.findall(text.lower()))


def _words(line: str) -> int:
    """Count the words of a line."""
    return len(_WORD_RE.findall(line))


def _is_headline(line: str, title: str) -> bool:
    """Whether a line repeats the page title (or the title is the headline plus a site suffix)."""
    norm_line, norm_title = _normalize(line), _normalize(title)
    if not norm_line or not norm_title:
        return False
    if norm_line == norm_title:
        return True
    # "Headline - Site Name" titles and "Site | Headline" headlines: containment either way,
    # but only when the shorter side is most of the longer one, so a lede is never taken.
    short, long_ = sorted((norm_line, norm_title), key=len)
    return short in long_ and len(short) >= 0.6 * len(long_) and _words(short) >= 3


def _is_contact_line(line: str) -> bool:
    """A short line that only gives an e-mail address, a handle or a link to follow."""
    if _words(line) > 45 or not _CONTACT_RE.search(line):
        return False
    stripped = _CONTACT_RE.sub(" ", line)
    return _words(stripped) <= 3 or bool(_CONTACT_VERB_RE.search(stripped))


def _is_boilerplate(line: str, words: int) -> bool:
    """A line that is a prompt, a footer or a contact line rather than article text."""
    # Long lines are prose. The character bound matters as much as the word bound: a line of
    # few but huge "words" (a 100,000-character token) would make the unanchored contact pattern
    # try every start position to the line's end, which takes time growing with its square.
    if words > 60 or len(line) > _MAX_BOILERPLATE_CHARS:
        return False
    return bool(
        _PROMPT_RE.search(line)
        or _FOOTER_RE.match(line)
        or _READING_TIME_RE.match(line)
        or _is_contact_line(line)
    )


def _is_dateline_stamp(line: str) -> bool:
    """A short line that is mostly a date or time stamp (with perhaps a byline), not prose."""
    tokens = _WORD_RE.findall(line)
    if not tokens or len(tokens) > 15:
        return False
    datey = sum(1 for token in tokens if token.isdigit() or token.lower() in _DATE_WORDS)
    return datey >= 3 and datey >= 0.4 * len(tokens)


def _strip_head(lines: list[str], title: str | None) -> list[str]:
    """Drop the repeated headline, a date stamp and a standfirst from the top of the body."""
    # The meta description is not dropped: it is as often the lede itself as a standfirst.
    head, rest = lines[:3], lines[3:]
    kept = []
    for line in head:
        if title and _is_headline(line, title):
            title = None  # only the first repeat goes
            continue
        if _is_dateline_stamp(line):
            continue
        kept.append(line)
    lines = kept + rest
    # A standfirst (deck) is a headline-like line above the lede: no closing punctuation.
    if len(lines) > 1 and 5 <= _words(lines[0]) <= 25 and not _SENTENCE_END_RE.search(lines[0]):
        return lines[1:]
    return lines


def clean_body(text: str, title: str | None = None) -> CleanedBody:
    """Remove headline repeats, link teasers, prompts and footers; move credit lines aside."""
    lines = [line for line in text.split("\n") if line.strip()]
    lines = _strip_head(lines, title)
    kept: list[str] = []
    credits: list[str] = []
    for line in lines:
        words = _words(line)
        if words <= 40 and _CREDIT_RE.search(line):
            credits.append(line.strip())
        elif (words <= 25 and _RELATED_RE.match(line)) or _is_boilerplate(line, words):
            continue
        else:
            kept.append(line)
    return CleanedBody("\n".join(kept), credits)
