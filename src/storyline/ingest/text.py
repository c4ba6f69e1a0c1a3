"""Plain-text news articles: find the title, drop boilerplate lines, move credits out of the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.datelines import opens_with_dateline
from storyline.ingest.bylines import tidy_author
from storyline.ingest.credits import credit_tail, is_credit_line
from storyline.ingest.pubdate import find_dateline_date, is_timestamp_line, timestamp_line_date
from storyline.read.timex_lexicon import MONTH_NAMES, WEEKDAY_NAMES

__all__ = ["TextExtract", "clean_text", "is_boilerplate_line", "looks_like_headline"]


@dataclass
class TextExtract:
    """A cleaned article: body paragraphs joined by "\\n", plus what was taken out of it."""

    text: str
    title: str | None = None
    credits: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # boilerplate lines, kept for debugging
    dateline_date: str | None = None  # ISO date of a timestamp or dateline at the top
    author: str | None = None  # from a "By Jane Doe" line at the top


_HEADER_LINES = 8  # bylines, timestamps and a repeated title only count near the top
_MAX_TITLE_WORDS = 25
_MAX_CAPTION_WORDS = 70
_CAPTION_TAIL_CHARS = 240  # a caption is a sentence or two; a long paragraph with a credit is body

# Lines made only of sharing and navigation words: "Share this on", "Tweet", "Email this",
# "Share on Facebook Share on Twitter", "Print | Email".
_SOCIAL_WORDS = frozenset(
    [
        "share",
        "shares",
        "shared",
        "this",
        "on",
        "via",
        "with",
        "tweet",
        "email",
        "e-mail",
        "mail",
        "print",
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "linkedin",
        "pinterest",
        "reddit",
        "telegram",
        "messenger",
        "sms",
        "copy",
        "link",
        "url",
        "the",
        "article",
        "story",
        "page",
        "post",
        "save",
        "bookmark",
        "google+",
        "flipboard",
        "tumblr",
        "pocket",
        "friend",
        "friends",
        "a",
        "to",
        "send",
        "comment",
        "comments",
        "and",
        "or",
        "your",
    ]
)
_SOCIAL_CORE = frozenset(
    [
        "share",
        "tweet",
        "email",
        "e-mail",
        "print",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "pinterest",
        "reddit",
        "telegram",
        "messenger",
        "flipboard",
        "bookmark",
        "save",
    ]
)
_TOKEN = re.compile(r"[a-z+\-]+|\d+")

_EXACT_LINES = frozenset(
    (
        "advertisement", "advertising", "ad", "sponsored", "sponsored content", "recommended",
        "recommended for you", "related", "related articles", "related stories", "related content",
        "related coverage", "related topics", "related posts", "related news", "more stories",
        "most read", "most popular", "most viewed", "trending", "trending now", "you may also like",
        "you might also like", "read more", "read next", "see also", "also read",
        "more on this story", "more from this section", "comments", "comment", "show comments",
        "view comments", "hide comments", "comments are closed", "comments have been closed",
        "comments are now closed", "commenting is closed", "commenting has been disabled",
        "leave a comment", "leave a reply", "post a comment", "add a comment",
        "join the conversation", "join the discussion", "skip advertisement",
        "story continues below", "story continues below advertisement",
        "article continues below", "continue reading", "continue reading below",
        "listen to this article", "listen to article", "play video", "watch video", "watch live",
        "loading", "close", "menu", "back to top", "top of page", "image", "photo", "video",
        "gallery", "photo gallery", "view gallery", "getty images", "newsletter", "sign up",
        "subscribe", "register", "log in", "sign in", "follow us", "topics", "tags", "filed under",
    )
)  # fmt: skip

# Teasers and prompts recognised by how they begin: "SEE ALSO: ...", "Click here to ...".
_PREFIX = re.compile(
    r"^(?:see also|read more|read also|also read|also see|related|more|recommended|read next|"
    r"watch|video|listen|more on this|more from|further reading|trending|most read|"
    r"editor'?s picks?|top stories|don'?t miss|must read|opinion|sponsored)\s*[:|>»›]",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    r"^(?:click (?:here|to|for)|tap here|sign up (?:for|to|here|now|today)|subscribe (?:to|now|for|"
    r"today|here)|follow us\b|follow (?:\S+ ){1,4}on (?:twitter|facebook|instagram|x|linkedin|"
    r"google news|threads|tiktok)|like us on|find us on|download (?:the|our) .{0,40}\bapp\b|"
    r"get (?:the|our) .{0,40}(?:newsletter|app|alerts)|we use cookies|this (?:web)?site uses "
    r"cookies|by (?:continuing|using|clicking)\b.{0,40}\b(?:site|website|cookies|agree)|"
    r"accept (?:all )?cookies|manage (?:cookies|consent)|cookie (?:policy|settings|preferences)|"
    r"image copyright|image caption|media caption|media playback is (?:unsupported|not supported)|"
    r"read the (?:rest|full (?:story|article|report))|our standards:|"
    r"(?:copyright|©)\s*(?:©\s*)?(?:\d{4}|\(c\))|you must be logged in|"
    r"(?:this (?:article|story|report) (?:is|was) (?:available|sponsored|part of))|"
    r"have your say|what do you think\?|tell us what you think|send us your)",
    re.IGNORECASE,
)
# Searched in a line's opening only, so a long embedded post that ends "SIGN UP FOR OUR
# NEWSLETTER" keeps its text.
_NEWSLETTER = re.compile(
    r"\bnewsletter\b.{0,60}\b(?:sign up|subscribe|inbox)|(?:sign up|subscribe)\b.{0,60}\bnewsletter\b",
    re.IGNORECASE,
)
_NEWSLETTER_WINDOW = 100
_COMMENT_COUNT = re.compile(r"^\d+\s+(?:comments?|replies|shares?)$", re.IGNORECASE)

# Photo captions end with a credit: "... May 16, 2018. Source: Reuters /Kevin Lamarque",
# "(Photo by Mandel Ngan / AFP)", "(AP Photo/Evan Vucci)", "Jane Doe | AP", "AFP/Getty Images".
_PHOTO_AGENCY = (
    r"(?:Getty Images|AFP|Reuters|AP|EPA(?:-EFE)?|Shutterstock|Alamy|PA(?: Images| Wire)?|AAP|"
    r"Bloomberg|Xinhua|Anadolu|NurPhoto|SOPA Images|ZUMA(?: Wire| Press)?|Sipa|Corbis|iStock|"
    r"LightRocket|Pool|Handout|Supplied|File)"
)
# Each pattern with a substring that any match must contain, tested first because captions are
# rare and these patterns, anchored at the end, would otherwise be tried at every position.
_CAPTION_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (
        (":",),
        re.compile(
            r"(?:^|[.!?”\"’)]\s+|\s[|/–—-]\s*)(?:Source|Photo|Photos|Image|Picture|Pic|Credit|"
            r"Photograph|File photo|Image source|Photo credit|Image credit|SOURCE|PHOTO|IMAGE|"
            r"CREDIT)\s*:\s*[A-Z][^.:!?]{0,80}$"
        ),
    ),
    (
        (")", "]"),
        re.compile(
            r"[(\[]\s*(?:(?:AP|AFP|Reuters|EPA|Getty|Xinhua|PA|Bloomberg)\s+)?(?:Photos?|Image|"
            r"Picture|Pictured|File photo|Photo credit|Credit)\b[^()\[\]]{0,150}[)\]]\.?$"
        ),
    ),
    (("/", "|"), re.compile(rf"[/|]\s*{_PHOTO_AGENCY}(?:\s+via\s+Getty Images)?\s*[)\]]?\.?$")),
    (("Getty Images",), re.compile(r"\bGetty Images\s*[)\]]?\.?$")),
)

# "By Jane Doe", "BY JANE DOE AND JOHN ROE | Staff Writers", "By Jane Doe, Reuters"
_BYLINE = re.compile(
    r"^(?:By|BY)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
    r"(?:\s*(?:,|and|AND|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}){0,3})"
    r"(?:\s*(?:,|\||–|—|-)\s*(?P<rest>.{0,60}))?$"
)
# "By Monday, officials said ..." is a sentence: its name is a day, month or ordinary word,
# or what follows the comma has lower-case words that are not linking words.
_NOT_NAMES = (
    frozenset(["the", "this", "that", "then", "noon", "midnight", "early", "late", "now"])
    | WEEKDAY_NAMES
    | MONTH_NAMES
)
_LINKING = frozenset(["of", "and", "the", "for", "at", "in", "de", "staff", "writer", "reporter"])
_CLOSING_QUOTES = "\"'”’»"
_SENTENCE_BREAK = re.compile(r"\b[a-z]{2,}[.!?][\"”’]?\s+[A-Z]")  # "rose. The", not "U.S. Court"
_REPORTING_VERB = re.compile(r"\b(?:said|told|reported|announced|added)\b")  # ledes, not heads
_MAX_STOPPED_TITLE_WORDS = 22
_HEADLINE_CAPITALS = 0.8  # share of capitalised longer words in "Headline Style Capitals"
_SENTENCE_END = ".!?。！？"


def clean_text(raw: str, known_title: str | None = None) -> TextExtract:
    """Split a plain-text article into title, clean body, credits and removed boilerplate.

    ``known_title`` (from a record or metadata) replaces title detection: the text keeps its
    first line unless that line repeats the known title.
    """
    lines = [line.strip() for line in raw.splitlines()]
    extract = TextExtract(text="", dateline_date=find_dateline_date("\n".join(lines[:12])))
    if known_title and known_title.strip():
        extract.title = known_title.strip()
        title_index = None
    else:
        title_index = _find_title(lines, extract)
    title_key = _key(extract.title) if extract.title else None
    kept: list[str] = []
    seen_nonempty = 0
    for index, line in enumerate(lines):
        if not line or index == title_index:
            continue
        seen_nonempty += 1
        near_top = seen_nonempty <= _HEADER_LINES and not kept
        if near_top and title_key and _key(line) == title_key:
            extract.removed.append(line)  # the title repeated as the first body line
        elif is_credit_line(line):
            extract.credits.append(line)
        elif is_boilerplate_line(line) or (near_top and _is_header_line(line, extract)):
            extract.removed.append(line)
        else:
            tail = credit_tail(line)
            if tail is not None:
                line = tail[0]
                extract.credits.append(tail[1])
            kept.append(line)
    extract.text = "\n".join(kept)
    return extract


def is_boilerplate_line(line: str) -> bool:
    """Return True for a share prompt, teaser, cookie or comment notice, or a photo caption."""
    stripped = line.strip()
    if not stripped:
        return False
    low = " ".join(stripped.lower().strip(" .:!…>»›|-–—*•·").split())
    if low in _EXACT_LINES or _COMMENT_COUNT.match(low):
        return True
    if len(stripped) <= 120 and _is_social_line(low):
        return True
    if len(stripped) <= 300 and (_PREFIX.match(stripped) or _PROMPT.match(stripped)):
        return True
    if len(stripped) <= 300 and low.endswith("all rights reserved"):
        return True
    if "newsletter" in low[:_NEWSLETTER_WINDOW] and _NEWSLETTER.search(
        stripped[:_NEWSLETTER_WINDOW]
    ):
        return True
    return _is_caption(stripped)


def looks_like_headline(line: str, next_is_dateline: bool = False) -> bool:
    """Return True when a first line reads as a headline rather than a body sentence."""
    words = line.split()
    if len(words) < 2 or len(words) > _MAX_TITLE_WORDS or len(line) > 200:
        return False  # one word is a section label or a place ("Pittsburgh"), not a headline
    if opens_with_dateline(line) or is_boilerplate_line(line) or is_credit_line(line):
        return False
    if line.isupper() and (len(words) <= 4 and "," in line):
        return False  # "BAAR, SWITZERLAND": a dateline set on its own line
    bare = line.rstrip(_CLOSING_QUOTES)
    if not bare or (line.startswith("(") and line.endswith(")")):
        return False  # "(Undated)", "(AP)": a wire slug, not a headline
    last = bare[-1]
    if last in ",;:-–—(_/|":
        return False
    if last not in _SENTENCE_END:
        return True
    # A final stop makes a line read as the lede's first sentence ("Time is not on Adam Schiff's
    # side."), which must stay in the body. Some archives still end headlines with one; take it
    # when a dateline paragraph follows or the line is in headline capitals.
    if _SENTENCE_BREAK.search(bare[:-1]) or _REPORTING_VERB.search(line):
        return False
    return next_is_dateline or (
        len(words) <= _MAX_STOPPED_TITLE_WORDS and _title_case_share(words) >= _HEADLINE_CAPITALS
    )


def _find_title(lines: list[str], extract: TextExtract) -> int | None:
    """Set ``extract.title`` from the first line that is not a header line; return its index."""
    for index, line in enumerate(lines[:20]):
        if not line:
            continue
        # "8/2/13 at 1:30 PM" is no headline; its line stays in the body (below) for the reader's
        # date inference, which can tell from the story's weekdays which day it is
        if is_boilerplate_line(line) or _is_header_line(line, extract) or is_timestamp_line(line):
            continue
        following = [i for i in range(index + 1, len(lines)) if lines[i]]
        if not following:
            return None  # a lone line is the body, not a title
        next_is_dateline = opens_with_dateline(lines[following[0]])
        if looks_like_headline(line, next_is_dateline):
            extract.title = line
            return index
        return None
    return None


def _is_header_line(line: str, extract: TextExtract) -> bool:
    """A byline or a bare timestamp near the top; records the author it finds."""
    name = _byline_name(line)
    if name is not None:
        if extract.author is None:
            extract.author = name
        return True
    # a line that holds a date and nothing a reader needs ("Updated 3:04 PM ET, Thu May 17, 2018")
    return timestamp_line_date(line) is not None


def _byline_name(line: str) -> str | None:
    """The author's name in a byline line, or None when the line is a sentence."""
    match = _BYLINE.match(line)
    if match is None or len(line.split()) > 15:
        return None
    name = match.group("name").strip()
    if name.split()[0].lower().strip(".,") in _NOT_NAMES:
        return None
    rest = (match.group("rest") or "").split()
    if any(word[:1].islower() and word.lower() not in _LINKING for word in rest):
        return None
    # "By Jane Doe, Reuters": the agency is a credit, not part of the author's name
    parts = [part.strip() for part in name.split(",")]
    return tidy_author(", ".join(part for part in parts if not is_credit_line(part)))


def _is_social_line(low: str) -> bool:
    """A line made only of sharing words, with at least one network or share verb."""
    tokens = _TOKEN.findall(low)
    return (
        bool(tokens)
        and all(t in _SOCIAL_WORDS for t in tokens)
        and any(t in _SOCIAL_CORE for t in tokens)
    )


def _is_caption(line: str) -> bool:
    """A photo caption or credit line: short, and ending with a picture credit."""
    if len(line.split()) > _MAX_CAPTION_WORDS:
        return False
    tail = line[-_CAPTION_TAIL_CHARS:]  # every pattern is anchored at the end of the line
    return any(
        any(needle in tail for needle in needles) and pattern.search(tail) is not None
        for needles, pattern in _CAPTION_PATTERNS
    )


def _title_case_share(words: list[str]) -> float:
    """Share of the longer words that start with a capital letter (headline style)."""
    significant = [w for w in words if len(w.strip("‘’“”\"'(")) > 3]
    if len(significant) < 3:
        return 0.0
    return sum(w.strip("‘’“”\"'(")[:1].isupper() for w in significant) / len(significant)


def _key(line: str) -> str:
    """Compare titles ignoring case, spacing and edge punctuation."""
    return " ".join(line.casefold().strip(" .:!?\"'“”‘’").split())
