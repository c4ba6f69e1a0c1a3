"""TIMEX3 grammar, part 3: holidays, spelled-out years and other named times."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.easter import easter

from storyline.read.timex_resolve import Context, day_year, fmt_day
from storyline.read.timex_rules_abs import YEAR_RE, Result, Rule, rule


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """Return the n-th (n < 0: last) ISO ``weekday`` of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return nxt - dt.timedelta(days=(nxt.isoweekday() - weekday) % 7)


def _holiday_date(name: str, year: int) -> dt.date | None:
    """Return the date of a (US-centred, as in English wire copy) holiday in ``year``."""
    n = name.lower()
    if "christmas eve" in n:
        return dt.date(year, 12, 24)
    if "christmas" in n:
        return dt.date(year, 12, 25)
    if "new year's eve" in n:
        return dt.date(year, 12, 31)
    if "new year" in n:
        return dt.date(year, 1, 1)
    if "thanksgiving" in n:
        return _nth_weekday(year, 11, 4, 4)
    if "election" in n:
        return _nth_weekday(year, 11, 1, 1) + dt.timedelta(days=1)
    if "easter" in n:
        return easter(year)
    if "independence" in n or "fourth of july" in n:
        return dt.date(year, 7, 4)
    if "labor" in n:
        return _nth_weekday(year, 9, 1, 1)
    if "memorial" in n:
        return _nth_weekday(year, 5, 1, -1)
    if "halloween" in n:
        return dt.date(year, 10, 31)
    if "valentine" in n:
        return dt.date(year, 2, 14)
    return None


@rule(
    "holiday",
    r"(?:(?P<rel>last|next|this)\s+)?(?-i:(?P<h>Christmas(?:\s+Eve|\s+Day)?|New\s+Year's(?:\s+Eve|"
    r"\s+Day)?|Thanksgiving(?:\s+Day)?|Election\s+Day|Easter(?:\s+Sunday)?|Independence\s+Day|"
    r"Fourth\s+of\s+July|Labor\s+Day|Memorial\s+Day|Halloween|Valentine's\s+Day)\b)"
    r"(?:,?\s+(?P<y>" + YEAR_RE + r"))?",
    3,
    key=r"(?-i:Christmas|New\s+Year|Thanksgiving|Election|Easter|Independence|Fourth|Labor|"
    r"Memorial|Halloween|Valentine)",
)
def _holiday(m: re.Match[str], ctx: Context) -> Result:
    """Thanksgiving Day / last Christmas / Easter 1998."""
    name = m.group("h")
    if m.group("y"):
        d = _holiday_date(name, int(m.group("y")))
        return ("DATE", fmt_day(d)) if d else None
    if ctx.dct is None:
        d = _holiday_date(name, 2001)
        return ("DATE", f"XXXX-{d.month:02d}-{d.day:02d}") if d else None
    rel = (m.group("rel") or "").lower()
    this_year = _holiday_date(name, ctx.dct.year)
    if this_year is None:
        return None
    if rel == "last":
        year = ctx.dct.year if this_year < ctx.dct else ctx.dct.year - 1
    elif rel == "next":
        year = ctx.dct.year if this_year > ctx.dct else ctx.dct.year + 1
    else:
        year = day_year(ctx.dct, this_year.month, this_year.day, ctx.direction(m.start(), m.end()))
    d = _holiday_date(name, year)
    return ("DATE", fmt_day(d)) if d else None


_TENS = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9}  # fmt: skip
_TEENS = {"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip


@rule(
    "spelled_year",
    r"\b(?P<c>nineteen|eighteen|twenty)[\s-]+(?P<t>ten|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety)(?:[\s-]+(?P<o>one|two|three|four|five|six|seven|eight|nine))?\b"
    r"|\b(?:the\s+year\s+)?two\s+thousand(?:\s+and\s+(?P<o2>one|two|three|four|five|six|seven|"
    r"eight|nine))?\b",
    4,
    key=r"nineteen|eighteen|twenty|thousand",
)
def _spelled_year(m: re.Match[str], ctx: Context) -> Result:
    """Nineteen ninety-six -> 1996; the year two thousand -> 2000."""
    if m.group("c"):
        century = _TEENS.get(m.group("c").lower(), 20)
        return (
            "DATE",
            f"{century}{_TENS[m.group('t').lower()] + _ONES.get((m.group('o') or '').lower(), 0):02d}",
        )
    if not m.group(0).lower().startswith("the year"):
        return None
    return "DATE", f"{2000 + _ONES.get((m.group('o2') or '').lower(), 0)}"


@rule(
    "decade_word",
    r"\bthe\s+(?:early\s+|late\s+|mid-?)?(?P<d>twenties|thirties|forties|"
    r"fifties|sixties|seventies|eighties|nineties)\b",
    4,
)
def _decade_word(m: re.Match[str], ctx: Context) -> Result:
    """The nineties -> 199."""
    tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
            "seventies": 7, "eighties": 8, "nineties": 9}[m.group("d").lower()]  # fmt: skip
    return "DATE", f"19{tens}"


@rule(
    "part_of_day",
    r"\b(?:(?P<mid>mid[\s-]?)(?P<p>morning|afternoon|day)(?:\s+(?P<w>yesterday|today))?"
    r"|the\s+(?P<p2>morning|afternoon|evening)\b(?!\s+(?:of|paper|news|show|session)))",
    6,
)
def _part_of_day(m: re.Match[str], ctx: Context) -> Result:
    """Mid-afternoon yesterday / the morning (of the day in focus)."""
    part = (m.group("p") or m.group("p2")).lower()
    code = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "day": "T12:00"}[part]
    if ctx.dct is None:
        return "TIME", "XXXX-XX-XX" + code
    day = ctx.dct
    if (m.group("w") or "").lower() == "yesterday":
        day = ctx.dct - dt.timedelta(days=1)
    elif m.group("p2") and ctx.last_date is not None:
        day = ctx.last_date
    return "TIME", fmt_day(day) + code


@rule(
    "anaphoric_day",
    r"(?:(?:earlier|later)\s+)?(?:that|the\s+same|that\s+same)\s+(?P<p0>day|morning|afternoon|"
    r"evening|night)\b|the\s+(?P<rel>next|following|previous|preceding)\s+(?P<p>day|morning|"
    r"afternoon|evening|night)\b",
    3,
)
def _anaphoric_day(m: re.Match[str], ctx: Context) -> Result:
    """That day / the next morning: relative to the day the story last named."""
    if ctx.last_date is None:
        return None
    shift = {"next": 1, "following": 1, "previous": -1, "preceding": -1}.get(
        (m.group("rel") or "").lower(), 0
    )
    part = (m.group("p") or m.group("p0")).lower()
    code = {"day": "", "morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}[part]
    d = ctx.last_date + dt.timedelta(days=shift)
    return ("TIME" if code else "DATE"), fmt_day(d) + code


@rule(
    "anaphoric_period",
    r"(?:(?:earlier|later)\s+(?:in\s+)?)?(?:that|the\s+same)\s+(?P<u>year|quarter)\b"
    r"|the\s+(?P<u2>weeks|months|years|days)\s+ahead\b",
    3,
)
def _anaphoric_period(m: re.Match[str], ctx: Context) -> Result:
    """That year / that quarter: the period the story last named; the weeks ahead."""
    if m.group("u2"):
        return "DURATION", "PX" + m.group("u2")[0].upper()
    if m.group("u").lower() == "quarter":
        if ctx.last_quarter is None:
            return None
        return "DATE", f"{ctx.last_quarter[0]:04d}-Q{ctx.last_quarter[1]}"
    return ("DATE", f"{ctx.last_year:04d}") if ctx.last_year is not None else None


RULES: list[Rule] = [
    _holiday, _spelled_year, _decade_word, _part_of_day, _anaphoric_day, _anaphoric_period,
]  # fmt: skip
