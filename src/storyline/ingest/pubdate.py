"""An article's publication date: given metadata, else a dateline in the text, else inference.

Never a file's modification time, never today's date, never a year that the evidence lacks: a
dateline "Sept. 26 (UPI)" has no year, so it gives no date here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

__all__ = [
    "find_dateline_date",
    "find_publication_date",
    "is_timestamp_line",
    "normalise_date",
    "parse_date_in",
    "timestamp_line_date",
]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|2[01])\d\d)"

# Each pattern names the groups it found; the earliest match in a string wins.
_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # May 16, 2018
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 16 May 2018
    re.compile(rf"\b{_YEAR}-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),  # 2018-05-16
    re.compile(rf"\b{_YEAR}/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)\b"),  # 2018/05/16
    re.compile(rf"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.{_YEAR}\b"),  # 16.05.2018
    re.compile(rf"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/{_YEAR}\b"),  # 05/16/2018 (unambiguous only)
]
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_TIME = r"\b\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[ap]\.?\s?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?"
_ZONE = r"\(?\b(?:GMT|UTC|BST|CES?T|EES?T|[ECMP][SD]?T|IST|JST|KST|AES?[DS]T|HKT|SGT|WIB)\b\)?"
_OFFSET = r"[+-]\d{1,2}(?::?\d{2})?\)?"
_LABEL = (
    r"(?:(?:article|story|page)\s+)?(?:last\s+)?(?:published|posted|updated|modified|first\s+published|date|dateline|released)"
    r"(?:\s+(?:on|at))?\s*:?"
)
_LABELLED = re.compile(rf"^\s*(?P<label>{_LABEL})", re.IGNORECASE)
# What may stand beside a date on a line that is only a timestamp ("14:25 Sun Sep 15 2013").
_TIMESTAMP_NOISE = re.compile(
    rf"\b{_LABEL}|\b{_WEEKDAY}(?!\w)|{_TIME}|{_ZONE}|{_OFFSET}|\b(?:on|at|by|local|time)\b"
    r"|[\s,|•·/()@—–-]+",
    re.IGNORECASE,
)
# Dates a timestamp line may hold that give no day here: "8/2/13", "9/10/2010" (month or day
# first?), "APR 28" (no year). They still mark the line as a timestamp, not a headline.
_M, _D, _Y = (re.sub(r"\(\?P<\w+>", "(?:", part) for part in (_MONTH, _DAY, _YEAR))
_LOOSE_DATES = re.compile(
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})\b"
    rf"|\b{_M}\s+{_D}(?:,?\s+{_Y})?(?!\w)|\b{_D}\s+(?:of\s+)?{_M}(?:,?\s+{_Y})?(?!\w)",
    re.IGNORECASE,
)
# The dash after a dateline: "WASHINGTON (Reuters) - ", "NAIROBI, Kenya (AP) _", "May 16, 2018 —".
_DATELINE_DASH = re.compile(r"\s(?:—|–|--|-|_)\s|\)\s*(?:—|–|--|-|_)")
_DATELINE_HEAD = re.compile(r"^[A-Z0-9][^.!?\"“]{0,100}$")
_HEADER_LINES = 6
_HEADER_CHARS = 800
_EARLIEST_YEAR = 1800
# Longer than nearly every news story; a sentence of dates this long is inferred in about 1.5 s.
_INFER_CHARS = 20_000


def parse_date_in(text: str) -> tuple[date, int, int] | None:
    """Return the earliest full date (with year) written in ``text`` and its span, or None."""
    found: list[tuple[int, int, date]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _date_from_match(match)
            if value is not None:
                found.append((match.start(), match.end(), value))
                break
    if not found:
        return None
    start, end, value = min(found, key=lambda item: item[0])
    return value, start, end


def find_dateline_date(text: str) -> str | None:
    """Return the ISO date of a dateline or timestamp line at the start of ``text``, or None."""
    header = text[:_HEADER_CHARS]
    lines = [line.strip() for line in header.split("\n") if line.strip()][:_HEADER_LINES]
    published: str | None = None
    updated: str | None = None
    for index, line in enumerate(lines):
        value = timestamp_line_date(line) or (_dateline_date(line) if index < 3 else None)
        if value is None:
            continue
        label = _LABELLED.match(line)
        if label and re.search(r"updated|modified", label.group("label"), re.IGNORECASE):
            updated = updated or value
        else:
            published = published or value
    return published or updated


def normalise_date(value: str, today: date | None = None) -> str | None:
    """Normalise a metadata date to ISO 8601 (keeping its time when given); None if unusable."""
    raw = value.strip()
    if not raw:
        return None
    parsed = _parse_metadata(raw)
    if parsed is None:
        return None
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    if not _plausible(day, today):
        return None
    return parsed.isoformat()


def find_publication_date(
    text: str,
    title: str | None = None,
    given: str | None = None,
    metadata: str | None = None,
    *,
    dateline: str | None = None,
    today: date | None = None,
) -> tuple[str | None, str]:
    """Return (ISO date or None, source) with source "metadata", "text", "inferred" or "unknown".

    ``given`` (a record's own field) wins over ``metadata`` (from HTML); ``dateline`` is a date
    already read from a header line that cleaning removed (``TextExtract.dateline_date``).
    """
    for candidate in (given, metadata):
        if candidate:
            iso = normalise_date(candidate, today)
            if iso is not None:
                return iso, "metadata"
    if title and text.lstrip().startswith(title.strip()):
        text = text.lstrip()[len(title.strip()) :]  # a headline is never the dateline
    for candidate in (dateline, find_dateline_date(text)):
        if candidate and _plausible(date.fromisoformat(candidate[:10]), today):
            return candidate, "text"
    inferred = _infer(text)
    if inferred is not None:
        iso = normalise_date(inferred, today)
        if iso is not None:
            return iso, "inferred"
    return None, "unknown"


def _infer(text: str) -> str | None:
    """Ask the reader's TIMEX inference, when that module is available, for a date.

    Only the first ``_INFER_CHARS`` characters are asked about: the evidence a story gives for its
    own day sits in its lead, captions and first paragraphs, and the inference looks at the whole
    sentence around each full date, which takes time growing with the square of a long sentence
    full of dates (a 220,000-character line of them took over 200 s).
    """
    try:
        from storyline.read.timex import infer_publication_date
    except (ImportError, AttributeError):
        return None
    if len(text) > _INFER_CHARS:
        cut = text.rfind("\n", 0, _INFER_CHARS)
        text = text[: cut if cut > 0 else _INFER_CHARS]
    result = infer_publication_date(text)
    return result[0] if result else None


def _date_from_match(match: re.Match[str]) -> date | None:
    """Build a date from a pattern match; None when invalid or ambiguous (4/5/2018)."""
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("mon"):
        month = _MONTHS[groups["mon"].lower()]
        day = int(groups["day"])
    elif groups.get("month"):
        month, day = int(groups["month"]), int(groups["day"])
    else:
        first, second = int(groups["a"]), int(groups["b"])
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
        else:
            return None  # 05/06/2018 is May 6 in the US and June 5 elsewhere: do not guess
    try:
        return date(year, month, day)
    except ValueError:
        return None


def timestamp_line_date(line: str) -> str | None:
    """Date of a line that is only a timestamp, optionally labelled ("Published: 17 May 2018")."""
    if len(line) > 120:
        return None
    found = parse_date_in(line)
    if found is None:
        return None
    value, start, end = found
    rest = _TIMESTAMP_NOISE.sub(" ", line[:start] + " " + line[end:]).split()
    labelled = _LABELLED.match(line) is not None
    if rest and not (labelled and len(rest) <= 8):
        return None
    return value.isoformat()


def is_timestamp_line(line: str) -> bool:
    """Whether a line is only a timestamp, even one whose day cannot be read ("8/2/13 at 1:30 PM").

    Such a line near the top is page furniture: never the headline, never body text.
    """
    if len(line) > 120:
        return False
    if timestamp_line_date(line) is not None:
        return True
    bare, dates = _LOOSE_DATES.subn(" ", line)
    if not dates:
        return False
    rest = _TIMESTAMP_NOISE.sub(" ", bare).split()
    return not rest or (_LABELLED.match(line) is not None and len(rest) <= 8)


def _dateline_date(line: str) -> str | None:
    """Date in a paragraph's dateline before its dash: "WASHINGTON, May 16, 2018 (Reuters) -"."""
    dash = _DATELINE_DASH.search(line[:140])
    if dash is None:
        return None
    head = line[: dash.start() + 1]
    if not _DATELINE_HEAD.match(head.strip()):
        return None
    found = parse_date_in(head)
    return found[0].isoformat() if found else None


def _parse_metadata(raw: str) -> datetime | date | None:
    """Parse ISO 8601, RFC 2822, compact "20180517" or a written date; None when none fits."""
    iso = raw.replace("Z", "+00:00") if raw.endswith("Z") else raw
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        pass
    else:
        if len(raw) <= 10 and parsed.hour == parsed.minute == parsed.second == 0:
            return parsed.date()
        return parsed
    if re.fullmatch(r"(?:1[89]|2[01])\d{6}", raw):
        try:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            return None
    if re.search(r"\d{1,2}:\d{2}", raw) and re.search(r"[A-Za-z]{3}", raw):
        try:
            return parsedate_to_datetime(raw)  # "Thu, 17 May 2018 10:00:00 GMT" (RSS, e-mail)
        except (TypeError, ValueError, IndexError):
            pass
    found = parse_date_in(raw)
    if found is not None and len(raw) - (found[2] - found[1]) <= 40:
        return found[0]
    return None


def _plausible(day: date, today: date | None) -> bool:
    """A publication date is not in the future (a day's slack for time zones) nor absurdly old."""
    now = today or datetime.now(UTC).date()
    return date(_EARLIEST_YEAR, 1, 1) <= day <= now + timedelta(days=1)
