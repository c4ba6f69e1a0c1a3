"""Datelines: the place (and agency) a wire story opens on, "WASHINGTON (Reuters) - ".

One recogniser for every stage that has to step over one: ingest (a line opening on a dateline
is a lede, never a headline), reading (the subject of the first sentence stands after it) and
briefs (a summary sentence or lead title is shown without it).
"""

from __future__ import annotations

import re

__all__ = ["dateline_length", "opens_with_dateline"]

# "WASHINGTON (Reuters) - ", "HANOI, Vietnam (AP) — ", "MADRID — ", "NAIROBI, Kenya (AP) _ ",
# "Dekalb, Ill. — ", "CAMBRIDGE, Mass., Dec. 11 (UPI) — ", "Hong Kong (CNN Business)" glued to
# the first word. A place in capitals takes a dash; a place in title case needs an agency in
# brackets or a state after a comma, so that "Buckley — who landed a role" keeps its subject.
_DASH = r"(?:—|–|--|-|_)"
_REGION = (
    r"(?:,\s*[A-Z][\w.]*(?:\s+(?:[A-Z][\w.]*|\d{1,2}\b)){0,2}){0,2}"  # ", Vietnam", ", Dec. 11"
)
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}" + _REGION + r"(?:\s*\([^()\n]{1,40}\))?"
    r"\s*" + _DASH + r"(?:\s+|$)"
    r"|[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}"
    + _REGION
    + r"\s*\([A-Z][\w .]{0,30}\)\s*(?:"
    + _DASH
    + r"\s*)?(?=[A-Z\"“]|$)"
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2},\s*[A-Z][a-z]{1,4}\.\s*" + _DASH + r"(?:\s+|$))"
)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def _match(text: str) -> re.Match[str] | None:
    """A dateline at the start of ``text`` whose place reads as one: its first word has three
    letters or more ("U.S. - China talks" opens on no dateline)."""
    found = _DATELINE.match(text)
    if found is None:
        return None
    first = _FIRST_WORD.match(text)
    return found if first is not None and len(first.group()) >= 3 else None


def dateline_length(text: str) -> int:
    """How many characters of a dateline open ``text`` (0 when none, or when nothing follows)."""
    found = _match(text)
    return found.end() if found is not None and found.end() < len(text) else 0


def opens_with_dateline(line: str) -> bool:
    """Whether ``line`` opens on a dateline, or is one set on a line of its own."""
    return _match(line) is not None
