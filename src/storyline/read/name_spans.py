"""Where a name's mention begins and ends, and what stands right before it.

The tagger runs names across line breaks ("Donald Trump\nMANCHESTER") and over title-case
headlines ("Obama Speech Draws Fire"); an honorific before a surname ("Mrs. Clinton") says
which of two people of that surname is meant. The entity reader (``read.entities``) asks these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from spacy.lang.en.stop_words import STOP_WORDS

__all__ = ["honorific_sex", "trim_headline_names", "within_one_line"]


class NameSpan(Protocol):
    """A tagged mention as the entity reader holds it before clustering."""

    start: int
    end: int
    text: str
    type: str
    is_description: bool


def within_one_line(doc: Any, start: int, end: int) -> tuple[int, int]:
    """The longest part of a token span that a line break does not cut.

    The tagger runs a name across lines ("Donald Trump\nMANCHESTER", a headline then a
    dateline), and the surname rule would then make Manchester a name of Donald Trump.
    """
    parts: list[tuple[int, int]] = []
    begin = start
    for i in range(start, end):
        if "\n" in doc[i].text:
            parts.append((begin, i))
            begin = i + 1
    if begin == start:
        return start, end
    parts.append((begin, end))
    # the longest in characters; of two as long, the first
    return max(parts, key=lambda p: (len(doc[p[0] : p[1]].text) if p[1] > p[0] else -1, -p[0]))


# A line is a headline when most of its longer words are capitalised ("Obama Speech Draws Fire").
_HEADLINE_SHARE = 0.6
_HEADLINE_WORD = re.compile(r"[^\W\d_]{4,}")
_WORD_SPAN = re.compile(r"\S+")
_MAX_NAME_WORDS = 8
# Two words are a first name and a surname too often ("Bill Clinton" beside "the bill").
_MIN_HEADLINE_NAME_WORDS = 3


def _in_headline(text: str, start: int) -> bool:
    """Whether the line holding ``start`` is written in title case."""
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    words = _HEADLINE_WORD.findall(text[begin : end if end >= 0 else len(text)])
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) >= _HEADLINE_SHARE * len(words)


def trim_headline_names(raws: Sequence[NameSpan], text: str) -> None:
    """Cut a person the tagger ran over a title-case headline to the name the article uses.

    "Donald Trump Wins Nevada Caucuses", "Obama Speech Draws Fire" and "Telling Jeb Bush" are
    tagged as persons in headlines; the longest part of such a span that the article's other
    lines name on their own ("Donald Trump", "Obama", "Jeb Bush") is the name, with that
    mention's type ("Trump Tower Hosts" becomes the place "Trump Tower"). A span of three words
    or more is cut only when a word cut off is a stop word or one the article also writes in
    lower case ("speech", "caucuses"), so "Hillary Rodham Clinton" stays whole beside "Clinton".
    """
    heads = [
        r
        for r in raws
        if r.type == "PERSON"
        and len(r.text.split()) >= _MIN_HEADLINE_NAME_WORDS
        and _in_headline(text, r.start)
    ]
    if not heads:
        return
    elsewhere: dict[str, str] = {}
    for raw in raws:
        if not raw.is_description and not _in_headline(text, raw.start):
            elsewhere.setdefault(raw.text.casefold(), raw.type)
    lower = {w for w in _HEADLINE_WORD.findall(text) if w.islower()}
    for raw in heads:
        words = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(raw.text)]
        if len(words) > _MAX_NAME_WORDS:
            continue
        best: tuple[int, int, int] | None = None  # (words, start, end) of the longest part
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                part = raw.text[words[i][0] : words[j - 1][1]]
                longer = best is None or j - i > best[0]
                if j - i < len(words) and longer and part.casefold() in elsewhere:
                    best = (j - i, words[i][0], words[j - 1][1])
        if best is None:
            continue
        _, a, b = best
        cut = raw.text[:a] + " " + raw.text[b:]
        if not any(w.lower() in lower or w.lower() in STOP_WORDS for w in cut.split()):
            continue
        raw.type = elsewhere[raw.text[a:b].casefold()]
        raw.start, raw.end, raw.text = raw.start + a, raw.start + b, raw.text[a:b]


_HONORIFIC = re.compile(r"\b(?:(Mr)|(Mrs|Ms|Miss|Mme))\.?\s+$")


def honorific_sex(text: str, start: int) -> str | None:
    """'m' for a name right after "Mr.", 'f' after "Mrs.", "Ms." or "Miss", else None."""
    found = _HONORIFIC.search(text, max(0, start - 6), start)
    if found is None:
        return None
    return "m" if found.group(1) else "f"
