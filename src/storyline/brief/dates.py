"""Reading TIMEX3 values for a timeline: what is known of a date, how to show it, where to sort it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateValue", "date_span", "format_date", "parse_date_value", "parse_iso_date"]

_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_SEASONS = {"SP": ("Spring", 4), "SU": ("Summer", 7), "FA": ("Autumn", 10), "WI": ("Winter", 1)}
_ORDINALS = ["First", "Second", "Third", "Fourth"]
_PART_NAMES = {"Q": "quarter", "H": "half"}
_CALENDAR = re.compile(
    r"^(?P<y>\d{4}|XXXX)(?:-(?P<m>\d{2}|XX)(?:-(?P<d>\d{2}|XX))?)?(?:T(?P<t>[\dX:]+|MO|AF|EV|NI))?"
)
_WEEK = re.compile(r"^(?P<y>\d{4}|XXXX)-W(?P<w>\d{2}|XX)(?:-(?P<wd>\d|WE))?")
_PART = re.compile(r"^(?P<y>\d{4})-(?P<p>SP|SU|FA|WI|Q[1-4]|H[12])$")


@dataclass(frozen=True)
class DateValue:
    """What a TIMEX3 value says: known parts, a human label, and whether anything is unknown."""

    value: str
    year: int | None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 1 = Monday, when only a weekday is known
    time: str | None = None

    @property
    def uncertain(self) -> bool:
        """Whether the year or a part finer than the year is unknown."""
        return self.year is None

    @property
    def label(self) -> str:
        """Return the date as a reader would write it, saying what is not stated."""
        return format_date(self)

    def sort_key(self, assumed_year: int | None = None) -> tuple[int, int, int, str]:
        """Sort by year (or the story's likely year), month, day; wholly unknown dates go last."""
        year = self.year if self.year is not None else assumed_year
        if year is None or (self.month is None and self.year is None):
            return (9999, 13, 32, self.value)
        if self.day is None and _WEEK.match(self.value):
            # a week or a weekend among the days it covers, not at the start of its month
            span = date_span(self.value)
            if span is not None:
                return (span[0].year, span[0].month, span[0].day, self.time or "")
        return (year, self.month or 0, self.day or 0, self.time or "")

    def as_date(self) -> date | None:
        """Return the calendar day when year, month and day are all known."""
        if self.year and self.month and self.day:
            try:
                return date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


def _known(part: str | None) -> int | None:
    """Return a numeric part or None for absent/unknown ('XX') parts."""
    return int(part) if part and part.isdigit() else None


def parse_date_value(value: str) -> DateValue | None:
    """Parse a TIMEX3 DATE/TIME value; None for references (PRESENT_REF) and durations."""
    value = value.strip()
    week = _WEEK.match(value)
    if week:
        return _from_week(value, week)
    part = _PART.match(value)
    if part:
        code = part.group("p")
        month: int | None
        if code in _SEASONS:
            month = _SEASONS[code][1]
        elif code.startswith("Q"):
            month = 1 + 3 * (int(code[1]) - 1)
        else:
            month = 1 if code == "H1" else 7
        return DateValue(value, int(part.group("y")), month)
    cal = _CALENDAR.match(value)
    if not cal:
        return None
    year, month, day = _known(cal.group("y")), _known(cal.group("m")), _known(cal.group("d"))
    if year is None and month is None:
        return None  # nothing placeable: 'XXXX-XX-XX' says only that some day was meant
    time = cal.group("t") if cal.group("t") and ":" in (cal.group("t") or "") else None
    return DateValue(value, year, month, day if month else None, None, time)


def _from_week(value: str, week: re.Match[str]) -> DateValue | None:
    """Read an ISO-week value (2018-W19, 2018-W19-2, XXXX-WXX-2)."""
    year, number, weekday = _known(week.group("y")), _known(week.group("w")), week.group("wd")
    wd = int(weekday) if weekday and weekday.isdigit() else None
    if year is not None and number is not None:
        try:
            day = date.fromisocalendar(year, number, wd or 1)
        except ValueError:
            return None
        return DateValue(value, day.year, day.month, day.day if wd else None, wd)
    if wd is not None:
        return DateValue(value, None, None, None, wd)
    return None


def format_date(d: DateValue) -> str:
    """Return a label such as '8 May 2018', 'May 2018' or '12 June (year not stated)'."""
    part = _PART.match(d.value)
    if part:
        code = part.group("p")
        if code in _SEASONS:
            return f"{_SEASONS[code][0]} {d.year}"
        return f"{_ORDINALS[int(code[1]) - 1]} {_PART_NAMES[code[0]]} of {d.year}"
    if d.year is None and d.month is None:
        if d.weekday:
            return f"A {_WEEKDAYS[d.weekday - 1]} (date not stated)"
        return "Date not stated"
    parts = []
    if d.day and d.month:
        parts.append(str(d.day))
    if d.month:
        parts.append(_MONTHS[d.month - 1])
    if d.year is not None:
        parts.append(str(d.year))
    label = " ".join(parts)
    if d.year is None:
        label += " (year not stated)"
    span = date_span(d.value) if d.month and not d.day and _WEEK.match(d.value) else None
    if span is not None:
        # ISO week numbers mean little to a reader: the days they cover do
        first, last = span
        label = f"Week of {_day_label(first)}"
        if d.value.endswith("-WE"):
            start = str(first.day) if first.month == last.month else _day_label(first, False)
            label = f"Weekend of {start}–{_day_label(last)}"
    if d.time:
        label += f", {d.time}"
    return label


def _day_label(day: date, with_year: bool = True) -> str:
    """'1 February 2016', or '1 February' without the year."""
    label = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{label} {day.year}" if with_year else label


def parse_iso_date(text: str | None) -> date | None:
    """Return the calendar day of an ISO 8601 timestamp such as an article's ``published``."""
    if not text:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# winter is read as the one that opens the year, as the timeline sorts it (January)
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (0, 2)}


def date_span(value: str) -> tuple[date, date] | None:
    """The first and last day a TIMEX value covers, when its year is known; else None.

    '2018-05-08T10:00' and '2018-05-08' cover one day, '2018-W19-WE' its Saturday and Sunday,
    '2018-W19' its seven days, '2018-05' the month, '2018-Q2' three months, '2018' the year: a
    day and the week around it are then seen to agree.
    """
    value = value.strip()
    week = _WEEK.match(value)
    if week:
        year, number, tail = _known(week.group("y")), _known(week.group("w")), week.group("wd")
        if year is None or number is None:
            return None
        try:
            monday = date.fromisocalendar(year, number, 1)
        except ValueError:
            return None
        if tail == "WE":
            return monday + timedelta(days=5), monday + timedelta(days=6)
        if tail:
            day = monday + timedelta(days=int(tail) - 1)
            return day, day
        return monday, monday + timedelta(days=6)
    part = _PART.match(value)
    if part:
        year, code = int(part.group("y")), part.group("p")
        if code in _SEASON_MONTHS:
            first, last = _SEASON_MONTHS[code]
        elif code.startswith("Q"):
            first = 1 + 3 * (int(code[1]) - 1)
            last = first + 2
        else:
            first = 1 if code == "H1" else 7
            last = first + 5
        return _month_start(year, first), _month_end(year, last)
    calendar = _CALENDAR.match(value)
    if calendar is None or not calendar.group("y").isdigit():
        return None
    year = int(calendar.group("y"))
    month, dom = _known(calendar.group("m")), _known(calendar.group("d"))
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if dom is None:
            return _month_start(year, month), _month_end(year, month)
        return date(year, month, dom), date(year, month, dom)
    except ValueError:
        return None


def _month_start(year: int, month: int) -> date:
    """The first day of a month counted on from January of ``year`` (13 is next January)."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _month_end(year: int, month: int) -> date:
    """The last day of a month counted on from January of ``year``."""
    return _month_start(year, month + 1) - timedelta(days=1)
