"""Wire and agency credit lines ("Reporting by X; Editing by Y", "With AFP"): find and move them out."""

from __future__ import annotations

import re

__all__ = ["credit_tail", "is_credit_line", "split_credits"]

# Agencies and the generic words outlets use for them. Upper-case acronyms are matched as written so
# that "ap" or "pa" inside ordinary words never count; names are matched case-insensitively.
_AGENCY = (
    r"(?:AFP|AP|UPI|AAP|ANI|PTI|IANS|EFE|ANSA|DPA|dpa|TASS|CNA|KCNA|PA|RIA|"
    r"(?i:reuters|thomson reuters|the associated press|associated press|agence france[- ]presse|"
    r"bloomberg(?: news)?|xinhua(?: news agency)?|kyodo(?: news)?|yonhap(?: news agency)?|bernama|"
    r"press association|interfax|anadolu(?: agency)?|ap news|cnn wire|tribune news service|"
    r"(?:news |wire )?agencies|wire services?|wire reports|news services|staff and agencies|"
    r"(?:from )?staff reports?|staff and wire reports))"
)
_AGENCIES = rf"{_AGENCY}(?:\s*(?:,|/|&|\band\b)\s*{_AGENCY})*"

# "Reporting by X; Editing by Y", "Additional reporting from AFP and Reuters", "Writing by X"
_BY_LINE = re.compile(
    r"^(?:additional|further|contributing|and)?\s*(?:reporting|writing|editing|compiled|"
    r"compilation|research|reported|written|edited|translated|translation|fact[- ]?checking)"
    r"(?:\s+and\s+\w+)?\s+(?:by|from)\b",
    re.IGNORECASE,
)
_CREDIT_SIGNS = re.compile(r";|\b(?:editing|writing|additional reporting) by\b|^additional\b", re.I)

# "The Associated Press contributed to this report." "AP writer X contributed."
_CONTRIBUTED = re.compile(
    r"^.{0,200}\bcontributed(?: reporting)? to (?:this|the) (?:report|story|article)$|"
    r"^.{0,200}\b(?:writers?|correspondents?|reporters?|staff)\b.{0,150}\bcontributed$",
    re.IGNORECASE,
)

# Patterns for a whole line (after stripping brackets, dashes and a final period).
_LINE_PATTERNS = [
    # "With AFP", "Source: AFP", "Agencies", "— Reuters", "(Reuters)", "AFP/Reuters"
    re.compile(rf"^(?:(?i:with|via|by|source|sources|credit|from|wire)\s*:?\s*)?{_AGENCIES}$"),
    # "© 2018 Reuters", "Copyright 2016 The Associated Press. All rights reserved. ..."
    re.compile(rf"^(?:©|\(c\)|(?i:copyright))\s*(?:\d{{4}}\s*,?\s*)?{_AGENCY}\b"),
    # "This story has been published from a wire agency feed without modifications to the text."
    re.compile(
        r"^this (?:story|article|report) (?:has been|was|is) (?:auto-generated|generated|published|"
        r"sourced) (?:from|via) (?:an? )?(?:wire|agency|syndicated|news agency)\b",
        re.IGNORECASE,
    ),
    # "h/t: The Hill" (a hat tip is how blogs credit the outlet they rewrote)
    re.compile(r"^(?:h/t|hat tip)\s*:?\s+\S", re.IGNORECASE),
]

# A credit in brackets at the end of a paragraph: "... said. (Reporting by X; Editing by Y)".
_TAIL = re.compile(
    r"\s*[(\[]\s*(?:(?:additional|further)\s+)?(?:reporting|writing|editing|compiled|"
    r"research|translated)(?:\s+and\s+\w+)?\s+(?:by|from)\b[^()\[\]]{1,300}[)\]]\.?\s*$",
    re.IGNORECASE,
)

_LEAD_CHARS = " \t([—–_-"
_TRAIL_CHARS = " \t)]."
_MAX_CREDIT_CHARS = 400  # a credit line is short; a long paragraph that matches is body text


def is_credit_line(line: str) -> bool:
    """Return True when the whole line is a wire or agency credit."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_CREDIT_CHARS:
        return False
    core = stripped.lstrip(_LEAD_CHARS).rstrip(_TRAIL_CHARS)
    if not core:
        return False
    if _BY_LINE.search(core):
        # "Reporting by the Times found ..." is a sentence; a credit is short or lists roles
        return len(core.split()) <= 12 or bool(_CREDIT_SIGNS.search(core))
    if "contributed" in core and _CONTRIBUTED.match(core):
        return True
    # every pattern is anchored at the start, so match() fails fast on ordinary body lines
    return any(pattern.match(core) for pattern in _LINE_PATTERNS)


def credit_tail(line: str) -> tuple[str, str] | None:
    """Split "body. (Reporting by X)" into (body, credit); None when the line has no such tail."""
    if not line.rstrip().rstrip(".").endswith((")", "]")):
        return None  # cheap test first: this runs on every paragraph
    match = _TAIL.search(line)
    if match is None or match.start() == 0:
        return None
    return line[: match.start()].rstrip(), match.group().strip()


def split_credits(text: str) -> tuple[str, list[str]]:
    """Move whole-line credits and bracketed credit tails out of the text; return (text, credits)."""
    kept: list[str] = []
    credits: list[str] = []
    for line in text.split("\n"):
        if is_credit_line(line):
            credits.append(line.strip())
            continue
        tail = credit_tail(line)
        if tail is not None:
            kept.append(tail[0])
            credits.append(tail[1])
            continue
        kept.append(line)
    return "\n".join(kept), credits
