"""An article's author as a reader should see it: the names, without what pages wrap them in.

Pages declare their authors in many ways, and the markup copies the wrapping along:
"Tom Krisher, AP Auto Writer", "Meg JamesStaff Writer" (a name and a job title in two elements,
joined with no space), "Analysis by Chris Cillizza; CNN Editor-at-large", "Keris Lahiff@kerisalison",
"Ilana Muhlstein; MS; RDN", "JANIE HAR". ``tidy_author`` keeps the names, in their order, and drops
job titles, the outlet's own name, handles and degrees, as long as a name is left to show; a value
that is nothing but a credit ("Associated Press", "Staff Reports") stays as it is, unless it is
the outlet's own name.
``is_byline_name`` tells the name of a byline element from other text pages mark up the same way
(a comment form's "Name (required)" label, the claimant of a fact check).
"""

from __future__ import annotations

import re

__all__ = ["is_byline_name", "tidy_author"]

# Words of a job title: a part of an author list holding one is a role, not a person.
_ROLE_WORDS = frozenset(
    (
        "writer", "writers", "editor", "editors", "correspondent", "correspondents", "reporter",
        "reporters", "contributor", "contributors", "contributing", "columnist", "columnists",
        "producer", "producers", "journalist", "journalists", "author", "analyst", "critic",
        "bureau", "chief", "desk", "staff", "senior", "freelance",
        "photographer", "articles", "view",
    )
)  # fmt: skip
# Words of an organisation's name: "NJ Advance Media" beside "Amy Kuperinsky" is her employer.
_ORGANISATION_WORDS = frozenset(
    ("media", "news", "press", "agency", "service", "services", "network", "group", "inc",
     "ltd", "llc", "newspapers", "magazine", "com", "online", "digital", "tv", "radio")
)  # fmt: skip
# Placeholders content systems put where a name belongs.
_PLACEHOLDERS = frozenset(
    ("admin", "administrator", "webmaster", "editor", "staff", "guest", "anonymous", "unknown",
     "user", "author", "redaksi", "redaktion", "rédaction", "redacción", "redação")
)  # fmt: skip
# Lower-case words a name may hold ("Danica Kirka and Jill Lawless", "Ludwig van Beethoven").
_NAME_PARTICLES = frozenset(
    ("and", "&", "de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "la",
     "le", "van", "von", "bin", "binti", "al", "el", "y", "e", "ibn", "ter", "zu", "st.")
)  # fmt: skip
# "Analysis by", "Story by", "Text:", "BY:" before the names.
_LEAD_LABEL = re.compile(
    r"^(?:(?:an\s+)?(?:analysis|opinion|commentary|story|words|text|report|reporting|interview|"
    r"review|column|posted|written|photos?)\s+by\b|by\b|\w+\s*:)\s*:?\s*",
    re.I,
)
# A job title or outlet glued to the end of a name by markup: "JamesStaff Writer",
# "GarberFOXBusiness", "LAWLESSAssociated Press". Only after four letters of a word, so that
# "McCoy", "LaMotte", "DeArdo" and "MacDonald" stay whole.
_GLUED = re.compile(r"(?<=[a-z]{4})(?=[A-Z])|(?<=[A-Z]{4})(?=[A-Z][a-z]{2})")
_HANDLE = re.compile(r"@\w+")
_PART_SPLIT = re.compile(r"\s*(?:;|,|\|| [-–—] )\s*")
_DEGREE = re.compile(r"^(?:[A-Z]{2,4}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|I{2,3})$")
# An initialism of three letters or more opening a part: a desk of an outlet ("CNN Business").
_DESK = re.compile(r"^[A-Z]{3,6}\s")
_KEY = re.compile(r"[^\w]+")


def _key(text: str) -> str:
    """Letters and digits only, case-folded: "Cleveland com" and "cleveland.com" meet."""
    return _KEY.sub("", text.casefold())


def _is_role(part: str) -> bool:
    """A job title or an organisation, not a person: "AP Auto Writer", "CNN Business"."""
    if _DESK.match(part):
        return True
    words = part.casefold().replace("-", " ").replace(".", " ").split()
    return any(word in _ROLE_WORDS or word in _ORGANISATION_WORDS for word in words)


def _is_outlet(part: str, outlet: str | None) -> bool:
    """The outlet's own name, or one of its desks ("CNN Business" at CNN)."""
    if not outlet:
        return False
    part_key, outlet_key = _key(part), _key(outlet)
    if len(part_key) < 3 or not outlet_key:
        return False
    return part_key.startswith(outlet_key) or outlet_key.startswith(part_key)


def _fix_capitals(part: str) -> str:
    """A name set in capitals, as a reader would write it: "JANIE HAR" -> "Janie Har".

    Initialisms of one word ("PTI", "AFP", "NASA") stay as they are.
    """
    words = part.split()
    letters = [w for w in words if any(ch.isalpha() for ch in w)]
    if not letters or not all(w.isupper() for w in letters if w.lower() not in _NAME_PARTICLES):
        return part
    if len(letters) == 1 and len(letters[0]) <= 4:
        return part
    return " ".join(w.lower() if w.lower() in _NAME_PARTICLES else w.capitalize() for w in words)


def _first_and_last(part: str) -> tuple[str, str]:
    words = part.casefold().split()
    return words[0], words[-1]


def tidy_author(value: str | None, outlet: str | None = None) -> str | None:
    """The author names of ``value``, joined by "; ", or None when nothing readable is left.

    A part that is a job title, the outlet's own name, a degree or a handle is dropped when a
    name stays beside it; the same person given twice ("Troy Smith; Troy L Smith") is kept once.
    """
    if value is None:
        return None
    text = " ".join(value.split())
    text = _HANDLE.sub(" ; ", text)
    # a glued title follows a name, so a brand in one word ("AppleInsider") stays whole
    first, _, rest = text.partition(" ")
    text = f"{first} {_GLUED.sub(' ; ', rest)}" if rest else first
    parts: list[str] = []
    for raw in _PART_SPLIT.split(text):
        part = raw.strip(" ;,|-–—:·()[]")
        while (stripped := _LEAD_LABEL.sub("", part, count=1)) != part:
            part = stripped.strip(" ;,|-–—:·")
        if part:
            parts.append(_fix_capitals(part))
    if not parts:
        return None
    names = [
        p
        for p in parts
        if not (_is_role(p) or _is_outlet(p, outlet) or _DEGREE.match(p) or len(p) < 2)
    ]
    if not names:
        # nothing but a credit ("Associated Press", "Telegraph Sport"): that is the byline
        names = parts[:1]
    kept: list[str] = []
    seen: set[tuple[str, str]] = set()
    for name in names:
        if (ends := _first_and_last(name)) not in seen:
            seen.add(ends)
            kept.append(name)
    result = "; ".join(kept)
    if result.casefold() in _PLACEHOLDERS or (outlet and _key(result) == _key(outlet)):
        return None  # the outlet credited as its own author says nothing the outlet does not
    return result


def is_byline_name(value: str) -> bool:
    """Whether a tidied byline element reads as names: capitalised words, nothing in brackets.

    Pages mark up more than bylines with "author" classes: a comment form's "Nama (wajib)"
    ("Name (required)"), or the claimant of a fact check ("The Russian and Syrian defense
    ministries").
    """
    if any(ch in value for ch in "()[]{}?!") or value.casefold() in _PLACEHOLDERS:
        return False
    words = value.replace(";", " ").split()
    if not words or words[0].casefold() in {"the", "a", "an"}:
        return False
    return all(w[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in words)
