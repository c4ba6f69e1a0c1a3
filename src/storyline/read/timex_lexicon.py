"""Word lists and regex fragments for the TIMEX3 grammar (months, weekdays, numbers, units)."""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thu": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
    "sunday": 7, "sun": 7,
}  # fmt: skip

# Full names only (no abbreviations), for word lists elsewhere that must know a date word.
WEEKDAY_NAMES = frozenset(w for w in WEEKDAYS if w.endswith("day"))
MONTH_NAMES = frozenset(max((m for m in MONTHS if MONTHS[m] == n), key=len) for n in range(1, 13))

SMALL_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "one hundred": 100, "dozen": 12, "a dozen": 12,
    "a couple": 2, "a couple of": 2, "couple of": 2,
}  # fmt: skip

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}  # fmt: skip

# Duration unit -> (ISO letter, needs the "T" time designator).
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "decade": ("E", False),
    "century": ("C", False), "centurie": ("C", False), "millennium": ("L", False),
    "millennia": ("L", False), "weekend": ("WE", False),
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "fall": "FA",
    "autumn": "FA",
    "winter": "WI",
}
SEASON_MONTH: dict[str, int] = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}

# Month names: capitalised (a lower-case "may" or "march" is a verb), abbreviations with an
# optional period. "May" alone is handled by context in the grammar.
MONTH_RE = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|"
    r"DECEMBER)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
)
WEEKDAY_RE = (
    r"(?-i:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|WEDNESDAY|"
    r"THURSDAY|FRIDAY|SATURDAY|SUNDAY)(?:s\b|\b)|(?:Mon|Tues|Tue|Wed|Thurs|Thu|Fri)\.)"
)
DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)\b"
ORD_RE = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_WORDNUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten)"
)
NUM_RE = (
    r"(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?|(?:a|one)\s+hundred|" + _WORDNUM + r"(?:\s+hundred)?"
    r"|a\s+dozen|dozen|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|several|few|many|"
    r"a|an)"
)
VAGUE_NUMS = {"a few", "few", "several", "many"}
UNIT_RE = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|"
    r"century|centuries|millennium|millennia)\b"
)
SEASON_RE = r"(?:spring|summer|fall|autumn|winter)\b"
TIMEZONE_RE = r"(?-i:(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST)\b)"


def parse_number(text: str) -> int | None:
    """Return the integer a number phrase denotes; None for vague amounts ("several")."""
    t = re.sub(r"\s+", " ", text.lower().strip()).replace(",", "")
    if t in VAGUE_NUMS:
        return None
    if re.fullmatch(r"\d+", t):
        return int(t)
    if re.fullmatch(r"\d+\.\d+", t):
        return None
    if t in SMALL_NUMBERS:
        return SMALL_NUMBERS[t]
    parts = re.split(r"[- ]", t)
    total = 0
    for part in parts:
        if part == "hundred":
            total = max(total, 1) * 100
        elif part in SMALL_NUMBERS:
            total += SMALL_NUMBERS[part]
        else:
            return None
    return total or None


def month_number(text: str) -> int:
    """Return 1-12 for a month name or abbreviation."""
    return MONTHS[text.lower().rstrip(".")]


def weekday_number(text: str) -> int:
    """Return ISO weekday 1-7 for a weekday name, plural or abbreviation."""
    t = text.lower().rstrip(".")
    return WEEKDAYS.get(t, WEEKDAYS.get(t.rstrip("s"), 0))


def unit_key(text: str) -> str:
    """Return the singular unit name of a unit word ("centuries" -> "century")."""
    t = text.lower()
    if t == "centuries":
        return "century"
    if t == "millennia":
        return "millennium"
    return t[:-1] if t.endswith("s") and t[:-1] in UNITS else t
