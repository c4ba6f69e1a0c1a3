"""Calendar arithmetic and the resolution context (publication date, tense cues, document state)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# Words that put a clause in the future relative to publication ("will meet Friday").
_FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|'ll|going\s+to|plans?\s+to|planned\s+to|planning|scheduled|"
    r"planned\s+(?:an?|the)\s+|expects?\s+to|expected\s+to|due\s+to\s+(?!the\b|a\b)|set\s+to|is\s+to|are\s+to|"
    r"to\s+be\s+held|upcoming|next(?!\s+to)|intends?\s+to|hopes?\s+to|slated|could|might|would|"
    r"(?-i:may)|as\s+(?:early|soon)\s+as|postponed|delayed|"
    r"to\s+(?:be|begin|start|leave|visit|meet|hold|vote|decide|travel|arrive|return|announce)|"
    r"(?-i:meets?|visits|begins|starts|opens|arrives|leaves|travels|holds|resumes|convenes|"
    r"reconvenes|continues|launches|premieres|debuts|airs|kicks\s+off|picks\s+up))\b",
    re.I,
)
# Words that put it in the past ("met Friday", "was killed on Tuesday").
_PAST_CUE = re.compile(
    r"\b(?:was|were|had|did|said|told|ago|last|earlier|announced|reported|"
    r"(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)[a-z]{2,}ed)\b",
    re.I,
)
# Words right before a date that make it a deadline or schedule ("payable Dec. 15").
_FUTURE_LEAD = re.compile(
    r"\b(?:payable|effective|record|through|by|until|till|expires?|expiring|between\s+now\s+and|"
    r"as\s+(?:early|soon)\s+as|starting|beginning|from\s+now|in\s+time\s+for|ahead\s+of|"
    r"(?-i:(?:^|[.;:!?]\s+)Come))"
    r"\s+(?:on\s+|the\s+)?$",
    re.I,
)
# A date given as what something is ("the launch is Tuesday", "the vote is on Friday"): a
# schedule, which news gives for days to come.
_SCHEDULED = re.compile(r"\b(?:is|are)\s+(?:(?:set|slated|scheduled)\s+for\s+|on\s+)?$", re.I)
# A future seen from the past ("had been due to expire Friday") is past now.
_PLUPERFECT = re.compile(
    r"\bhad\s+(?:been\s+)?(?:due|scheduled|set|expected|planned|supposed|slated)\b", re.I
)
_LONG_PERIOD = re.compile(
    r"\b(?:nine|six|\d+)\s+months\b|\bfull\s+year\b|\bfor\s+the\s+year\b|\bfiscal\s+year\b", re.I
)
_SENT_BOUNDARY = re.compile(r"[.!?;]\s+(?=[A-Z\"'`])|\n\s*\n|\n")


def parse_dct(dct: str | None) -> dt.date | None:
    """Return the publication date of an ISO date or datetime string; None when not parseable."""
    if not dct:
        return None
    m = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})", dct)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def fmt_day(d: dt.date) -> str:
    """Return YYYY-MM-DD."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def fmt_week(d: dt.date) -> str:
    """Return the ISO week YYYY-Www that holds ``d``."""
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """Return (year, month) shifted by ``n`` months."""
    idx = year * 12 + (month - 1) + n
    return idx // 12, idx % 12 + 1


def quarter_of(d: dt.date) -> int:
    """Return the calendar quarter 1-4 of a date."""
    return (d.month - 1) // 3 + 1


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """Return a date, or None when the day does not exist in that month."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass
class Context:
    """What resolution needs: the text, the publication date and what the document said so far."""

    text: str
    dct: dt.date | None
    last_quarter: tuple[int, int] | None = None  # (year, quarter) of the latest quarter mention
    last_date: dt.date | None = None  # latest fully specified day mentioned
    last_quarter_at: int = -1  # where that quarter was mentioned
    last_year: int | None = None  # year of the latest mention whose value names one
    _bounds: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Index sentence boundaries once so tense lookups stay cheap."""
        self._bounds = [m.end() for m in _SENT_BOUNDARY.finditer(self.text)]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the sentence around [start, end)."""
        import bisect

        i = bisect.bisect_right(self._bounds, start)
        s = self._bounds[i - 1] if i > 0 else 0
        e = self._bounds[i] if i < len(self._bounds) else len(self.text)
        return s, max(e, end)

    def direction(self, start: int, end: int) -> int:
        """Return +1 when the clause around a mention is future, -1 when past, 0 when unclear."""
        s, _ = self.sentence(start, end)
        before = self.text[max(s, start - 90) : start]
        if _PLUPERFECT.search(before):
            return -1
        if _FUTURE_LEAD.search(before) or _SCHEDULED.search(before):
            return 1
        fut = list(_FUTURE_CUE.finditer(before))
        spans = [(f.start(), f.end()) for f in fut]
        past = [
            m
            for m in _PAST_CUE.finditer(before)
            if not _is_noun_ed(m.group(0)) and not any(a <= m.start() < b for a, b in spans)
        ]
        # The cue nearest the mention wins: "said it will meet Friday" is future,
        # "will be decided, officials said Friday" is past.
        f_pos = fut[-1].end() if fut else -1
        p_pos = past[-1].end() if past else -1
        if f_pos > p_pos:
            return 1
        if p_pos >= 0:
            return -1
        return 0

    def quarter_near(self, pos: int, reach: int = 5000) -> tuple[int, int] | None:
        """Return the last quarter named before ``pos`` ("a year earlier" follows it).

        None when the sentence itself reports a longer period ("for the nine months ... a year
        earlier" compares years, not quarters).
        """
        if self.last_quarter is None or not 0 <= pos - self.last_quarter_at <= reach:
            return None
        s, _ = self.sentence(pos, pos)
        if _LONG_PERIOD.search(self.text, s, pos):
            return None
        return self.last_quarter

    def year_or_x(self, year: int | None) -> str:
        """Return a four-digit year, or XXXX when unknown."""
        return f"{year:04d}" if year is not None else "XXXX"


def _is_noun_ed(word: str) -> bool:
    """Return True for -ed words that are not past-tense verbs in news ("need", "bed", "red")."""
    return word.lower() in {
        "need",
        "speed",
        "feed",
        "seed",
        "hundred",
        "red",
        "bed",
        "shed",
        "united",
        "limited",
        "based",
        "related",
        "schedule",
        "proceed",
        "indeed",
        "deed",
        "weed",
        "breed",
        "creed",
        "greed",
        "embed",
    }


def weekday_date(anchor: dt.date, weekday: int, direction: int, strict: bool = False) -> dt.date:
    """Return the date of ``weekday`` nearest ``anchor`` in ``direction`` (same day counts)."""
    diff = weekday - anchor.isoweekday()
    if direction <= 0:
        if diff > 0 or (strict and diff == 0):
            diff -= 7
    else:
        if diff < 0 or (strict and diff == 0):
            diff += 7
    return anchor + dt.timedelta(days=diff)


def _pick(anchor: dt.date, past: dt.date | None, future: dt.date | None, direction: int) -> int:
    """Return the year of the nearer candidate, distances against the tense counting double."""
    if past is None or future is None:
        return (past or future or anchor).year
    dp = (anchor - past).days * (2 if direction > 0 else 1)
    df = (future - anchor).days * (2 if direction < 0 else 1)
    if direction < 0 and dp < 300:
        return past.year  # a past-tense clause speaks of the past unless that is a year off
    if direction > 0 and df < 300:
        return future.year
    if direction == 0 and (anchor - past).days < 300:
        return past.year  # news reports the past unless the text says otherwise
    return past.year if dp <= df else future.year


def month_year(anchor: dt.date, month: int, direction: int) -> int:
    """Return the year that puts ``month`` nearest ``anchor``, favouring the tense's side."""
    if month == anchor.month:
        return anchor.year
    py = anchor.year if month < anchor.month else anchor.year - 1
    fy = anchor.year if month > anchor.month else anchor.year + 1
    return _pick(anchor, dt.date(py, month, 15), dt.date(fy, month, 15), direction)


def day_year(anchor: dt.date, month: int, day: int, direction: int) -> int:
    """Return the year that puts month/day nearest ``anchor``, favouring the tense's side."""
    if (month, day) == (anchor.month, anchor.day):
        return anchor.year
    before = (month, day) < (anchor.month, anchor.day)
    py = anchor.year if before else anchor.year - 1
    fy = anchor.year if not before else anchor.year + 1
    return _pick(anchor, safe_date(py, month, day), safe_date(fy, month, day), direction)
