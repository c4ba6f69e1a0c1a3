"""TIMEX3 grammar, part 1: calendar expressions (explicit dates, months, years, quarters, times)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from storyline.read.timex_lexicon import (
    DAY_RE,
    MONTH_RE,
    MONTHS,
    ORD_RE,
    ORDINALS,
    SEASON_MONTH,
    SEASON_RE,
    SEASONS,
    TIMEZONE_RE,
    WEEKDAY_RE,
    YEAR_RE,
    month_number,
    weekday_number,
)
from storyline.read.timex_resolve import (
    Context,
    add_months,
    day_year,
    fmt_day,
    month_year,
    quarter_of,
    safe_date,
    weekday_date,
)

Result = tuple[str, str] | None
Handler = Callable[[re.Match[str], Context], Result]


@dataclass(frozen=True)
class Rule:
    """One grammar rule: a compiled pattern, the resolver of its matches, a tie-break priority."""

    name: str
    pattern: re.Pattern[str]
    handler: Handler
    priority: int = 5
    key: re.Pattern[str] | None = None  # a word every match contains: only its surroundings are run


def rule(
    name: str, regex: str, priority: int = 5, key: str | None = None
) -> Callable[[Handler], Rule]:
    """Decorate a resolver into a Rule with its case-insensitive pattern and trigger ``key``."""

    def wrap(fn: Handler) -> Rule:
        # Keys spelled with their case ("(?-i:...)") or without letters skip case folding: faster.
        plain = key is not None and (key.startswith("(?-i:") or not re.search(r"[a-z]{3}", key))
        trigger = re.compile(key, 0 if plain else re.I) if key else None
        # Matches start at a word start: the guard lets the engine skip other positions fast.
        pattern = re.compile(r"(?<!\w)(?=[\w'])(?:" + regex + ")", re.I)
        return Rule(name, pattern, fn, priority, trigger)

    return wrap


MOD = r"(?:(?P<mod>early|late|mid|the\s+(?:end|middle|beginning|start)\s+of|end\s+of)[\s-]+)?"
_DAYNUM = re.compile(r"\d+")
_ABBR_MAY_OK = re.compile(
    r"(?:\b(?:in|since|until|till|by|during|through|from|of|to|before|after|last|next|this|a|an|for|"
    r"early|late|mid|and|or|between|throughout|on)\s+|mid-)$",
    re.I,
)


def _day(s: str) -> int:
    """Return the day number of "7th"."""
    m = _DAYNUM.search(s)
    return int(m.group(0)) if m else 0


def _anchor_date(text: str, ctx: Context, start: int, end: int) -> dt.date | None:
    """Return the date a time-of-day hangs on: a weekday, today/yesterday, or the DCT."""
    t = text.lower()
    if ctx.dct is None:
        return None
    if not re.search(r"today|tonight|yesterday|tomorrow|night|" + WEEKDAY_RE, text, re.I) and (
        ctx.last_date is not None and (ctx.dct - ctx.last_date).days >= 0
    ):
        return ctx.last_date  # a bare clock time belongs to the day the story just named
    if "yesterday" in t or "last night" in t:
        return ctx.dct - dt.timedelta(days=1)
    if "tomorrow" in t:
        return ctx.dct + dt.timedelta(days=1)
    wd = re.search(WEEKDAY_RE, text)
    if wd:
        return weekday_date(ctx.dct, weekday_number(wd.group(0)), ctx.direction(start, end))
    return ctx.dct


# -- explicit full dates -------------------------------------------------------------------


@rule(
    "mdy",
    rf"(?:{WEEKDAY_RE},?\s+)?(?P<m>{MONTH_RE})\s*(?P<d>{DAY_RE}),?\s+(?P<y>{YEAR_RE})"
    rf"|(?:{WEEKDAY_RE},?\s+)?(?:the\s+)?(?P<d2>{DAY_RE})(?:\s+of)?\s+(?P<m2>{MONTH_RE}),?\s+"
    rf"(?P<y2>{YEAR_RE})",
    1,
    key=MONTH_RE,
)
def _mdy(m: re.Match[str], ctx: Context) -> Result:
    """Aug. 7, 1998 / Friday, 7 August 1998."""
    mon = month_number(m.group("m") or m.group("m2"))
    d = safe_date(int(m.group("y") or m.group("y2")), mon, _day(m.group("d") or m.group("d2")))
    if d is None:
        return None
    ctx.last_date = d
    return "DATE", fmt_day(d)


@rule(
    "iso",
    r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])",
    1,
    key=r"\d{4}-\d\d-\d\d",
)
def _iso(m: re.Match[str], ctx: Context) -> Result:
    """1998-08-07."""
    d = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return ("DATE", fmt_day(d)) if d else None


@rule(
    "slash",
    r"(?<![\d/.])(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)?\d\d)(?![\d/])",
    1,
    key=r"\d/\d",
)
def _slash(m: re.Match[str], ctx: Context) -> Result:
    """8/7/1998 (US month/day order, as in English-language wire copy)."""
    y = int(m.group("y"))
    if y < 100:
        y += 1900 if y > 30 else 2000
    d = safe_date(y, int(m.group("m")), int(m.group("d")))
    return ("DATE", fmt_day(d)) if d else None


@rule(
    "md",
    rf"(?:(?P<rel>last|next|this\s+coming|this\s+past)\s+)?"
    rf"(?:{WEEKDAY_RE},?\s+)?{MOD}(?P<m>{MONTH_RE})\s*(?P<d>{DAY_RE})(?!\s*[,/]?\s*\d)"
    rf"|(?:{WEEKDAY_RE},?\s+)?(?:the\s+)?(?P<d2>{DAY_RE})(?:\s+of)?\s+(?P<m2>{MONTH_RE})"
    rf"(?!,?\s*\d)",
    2,
    key=MONTH_RE,
)
def _md(m: re.Match[str], ctx: Context) -> Result:
    """Aug. 7 / Friday, Aug. 7 / 7 August: the year from the DCT and tense."""
    mon = month_number(m.group("m") or m.group("m2"))
    day = _day(m.group("d") or m.group("d2"))
    if not 1 <= day <= 31:
        return None
    if ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}-{day:02d}"
    rel = (m.group("rel") or "").lower()
    direction = (
        -1 if rel in {"last", "this past"} else 1 if rel else ctx.direction(m.start(), m.end())
    )
    year = day_year(ctx.dct, mon, day, direction)
    d = safe_date(year, mon, day)
    if d is None:
        return None
    ctx.last_date = d
    return "DATE", fmt_day(d)


@rule(
    "month_year",
    rf"{MOD}(?P<m>{MONTH_RE}),?\s+(?:of\s+)?(?:(?P<y>{YEAR_RE})|(?P<rel>this|last|next)\s+year\b)",
    2,
    key=MONTH_RE,
)
def _month_year(m: re.Match[str], ctx: Context) -> Result:
    """July 1997 / late November 1999 / June last year."""
    mon = month_number(m.group("m"))
    if m.group("y"):
        return "DATE", f"{int(m.group('y')):04d}-{mon:02d}"
    if ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}"
    year = ctx.dct.year + {"last": -1, "next": 1}.get(m.group("rel").lower(), 0)
    return "DATE", f"{year:04d}-{mon:02d}"


@rule(
    "month",
    rf"(?:(?P<rel>last|next|this|this\s+past|this\s+coming|coming|past)\s+)?{MOD}(?P<m>{MONTH_RE})",
    4,
    key=MONTH_RE,
)
def _month(m: re.Match[str], ctx: Context) -> Result:
    """June / last April / early December: the year from the DCT and tense."""
    name = m.group("m")
    mon = month_number(name)
    if len(name) <= 4 and not name.endswith(".") and name.lower() not in {"may", "june", "july"}:
        return None  # "Jan Kavan": a bare abbreviation without its period is a name
    # "May" is a modal verb and "Mar."/"Dec." alone are rare as dates: ask for a cue.
    needs_cue = name.rstrip(".").lower() in {"may", "mar"} or len(name.rstrip(".")) <= 4
    cue = _ABBR_MAY_OK.search(ctx.text[max(0, m.start() - 30) : m.start()])
    if needs_cue and not (m.group("rel") or m.group("mod") or cue):
        return None
    if ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}"
    rel = (m.group("rel") or "").lower()
    if rel.startswith("last") or rel.endswith("past"):
        year = ctx.dct.year if mon < ctx.dct.month else ctx.dct.year - 1
    elif rel in {"next", "coming", "this coming"}:
        year = ctx.dct.year if mon > ctx.dct.month else ctx.dct.year + 1
    elif rel == "this":
        year = ctx.dct.year
    else:
        year = month_year(ctx.dct, mon, ctx.direction(m.start(), m.end()))
    return "DATE", f"{year:04d}-{mon:02d}"


# '1630 GMT' and '0300 hours' are a 24-hour clock, not years (TempEval leaves such times
# unmarked, so they are not marked as times either); '2088 Philip Street' is an address.
_STREET_AFTER = (
    r"(?-i:\s+(?:[A-Z][\w'.-]*\s+){1,3}(?:Street|St\b|Avenue|Ave\b|Road|Rd\b|Boulevard|"
    r"Blvd\b|Lane|Drive|Place|Way|Court|Highway|Parkway)\b)"
)


@rule(
    "year",
    rf"(?<![\d$£€#.,/])(?<!\d-){MOD}(?:(?:fiscal|calendar|FY)[\s-]*)?(?P<y>{YEAR_RE})"
    r"(?!\s*(?:%|percent|-\d|\.\d|,\d|million|billion|hours\b|hrs\b|" + TIMEZONE_RE + r")"
    r"|" + _STREET_AFTER + r")",
    6,
    key=r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)",
)
def _year(m: re.Match[str], ctx: Context) -> Result:
    """1990 / fiscal 1989 / mid-1996 / the end of 1990."""
    y = int(m.group("y"))
    if ctx.dct is not None and y > ctx.dct.year + 30:
        return None
    if not m.group("mod") and _names_a_title(ctx.text, m.start()):
        return None
    return "DATE", f"{y:04d}"


# A capitalised word right before a bare year makes the year part of a name: "Tomb Raider 2013",
# "Football Manager 2020", "Euro 2020". Not when the word opens a phrase of time ("In 1988",
# "Since 1985", "A 1996 law"), names a time ("Christmas 2019", "Spring 2020"), or owns the year
# ("Navigation Mixte's 1989 results").
_WORD_BEFORE = re.compile(r"([A-Z][\w.&-]*)[ \t]+$")
_TIME_WORDS = frozenset(
    (
        "in", "since", "for", "by", "from", "until", "till", "through", "after", "before",
        "during", "of", "on", "at", "to", "that", "this", "these", "those", "a", "an", "the",
        "and", "but", "or", "its", "their", "his", "her", "our", "my", "your", "early", "late",
        "mid", "around", "about", "circa", "between", "last", "next", "fiscal", "calendar", "fy",
        "spring", "summer", "fall", "autumn", "winter", "christmas", "easter", "thanksgiving",
        "halloween", "ramadan", "hanukkah", "passover", "diwali", "eid", "year", "years", "then",
        "when", "as", "if", "while", "unlike", "like", "than", "also", "only", "even", "not",
        "nearly", "almost", "over", "under", "within", "into", "throughout", "ahead", "beyond",
        "vs", "versus", "against", "with", "without", "per", "every", "each", "all", "some",
        "most", "class", "season", "election", "elections", "census",
    )
)  # fmt: skip


def _names_a_title(text: str, start: int) -> bool:
    """Whether the bare year at ``start`` follows a capitalised word that makes it a name."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group(1).rstrip(".")
    low = word.lower()
    if low in _TIME_WORDS or low in MONTHS or any(c.isdigit() for c in word):
        return False
    # The first word of a sentence or a line is capitalised whatever it is.
    head = text[max(0, before.start() - 3) : before.start()].rstrip(" \t")
    return not (head == "" or head[-1] in ".!?:;\n\"'“‘(")


@rule(
    "decade",
    r"(?:the\s+)?" + MOD + r"(?:(?P<c>1[6-9]|20)(?P<d>\d)0|'(?P<d2>\d)0)'?s\b",
    3,
    key=r"\d0'?s\b",
)
def _decade(m: re.Match[str], ctx: Context) -> Result:
    """The 1980s / the '90s / the late 1970s -> 198 / 199 / 197."""
    if m.group("c"):
        return "DATE", m.group("c") + m.group("d")
    d = int(m.group("d2"))
    century = 19 if ctx.dct is None or d > (ctx.dct.year % 100) // 10 else ctx.dct.year // 100
    return "DATE", f"{century}{d}"


@rule("century", r"(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b", 3, key=r"centur")
def _century(m: re.Match[str], ctx: Context) -> Result:
    """The 20th century -> 19."""
    return "DATE", f"{int(m.group('n')) - 1:02d}"


# -- quarters, halves, seasons -------------------------------------------------------------

_QMOD = r"(?:(?:current|latest|last|past|previous|same|fiscal|calendar|year-earlier|year-ago|"
_QMOD += r"corresponding|(?:this|last|next)\s+year's)[\s-]+)*"


@rule(
    "quarter",
    rf"(?:the\s+)?(?:(?P<y0>{YEAR_RE})\s+)?(?P<qm>{_QMOD})(?P<o>{ORD_RE})[\s-]+(?:fiscal[\s-]+)?"
    r"(?:quarter|period)"
    rf"(?:\s+of\s+(?:fiscal\s+)?(?P<y>{YEAR_RE})|,?\s+(?P<y2>{YEAR_RE}))?"
    r"|(?-i:\b(?P<q>Q[1-4]))\b",
    2,
    key=r"(?-i:[Qq]uarter|[Pp]eriod|QUARTER|Q[1-4])",
)
def _quarter(m: re.Match[str], ctx: Context) -> Result:
    """The third quarter / third-quarter / next year's first quarter / Q3."""
    if m.group("q"):
        q = int(m.group("q")[1])
        mods = ""
    else:
        q = ORDINALS[m.group("o").lower()]
        mods = (m.group("qm") or "").lower()
    y_text = m.group("y") or m.group("y2") or m.group("y0")
    if y_text:
        year: int | None = int(y_text)
    elif ctx.dct is None:
        year = None
    else:
        year = ctx.dct.year
        if q > quarter_of(ctx.dct) and ctx.direction(m.start(), m.end()) <= 0:
            year -= 1
        if "next year" in mods:
            year = ctx.dct.year + 1
        elif "last year" in mods or "year-earlier" in mods or "year-ago" in mods:
            year = ctx.dct.year - 1 if not ctx.last_quarter else ctx.last_quarter[0] - 1
    if year is None:
        return "DATE", f"XXXX-Q{q}"
    future = ctx.dct is not None and (year, q) > (ctx.dct.year, quarter_of(ctx.dct))
    if "year-" not in mods and "last year" not in mods and not future:
        # Only reported (current or past) quarters become the period later phrases refer to.
        ctx.last_quarter = (year, q)
        ctx.last_quarter_at = m.end()
    return "DATE", f"{year:04d}-Q{q}"


@rule(
    "period",
    r"(?:the\s+)?(?:(?P<ago>year-earlier|year-ago|year\s+earlier|corresponding|comparable)|"
    r"(?P<yr>" + YEAR_RE + r")|"
    r"(?P<cur>current|latest|recent|most\s+recent|same|last|previous|past))?[\s-]*"
    r"(?:fiscal\s+)?(?:quarter|period)\b(?P<ly>\s+(?:a\s+year\s+(?:earlier|ago)|last\s+year))?",
    4,
    key=r"(?-i:[Qq]uarter|[Pp]eriod|QUARTER)",
)
def _period(m: re.Match[str], ctx: Context) -> Result:
    """The quarter / the latest quarter / the year-ago period: anaphora to the last quarter."""
    word = m.group(0).lower()
    if m.group("yr"):
        q_known = ctx.last_quarter[1] if ctx.last_quarter else None
        return "DATE", f"{m.group('yr')}-Q{q_known}" if q_known else f"{m.group('yr')}-QX"
    if "period" in word and not (m.group("ago") or m.group("cur") or m.group("ly")):
        return None
    if not word.startswith("the") and not (m.group("ago") or m.group("ly")):
        return None
    latest = (m.group("cur") or "").lower() in {"latest", "recent", "most recent"}
    if ctx.last_quarter is not None and not (latest and ctx.dct is not None):
        year, q = ctx.last_quarter
    elif ctx.dct is not None:
        year, mon = add_months(ctx.dct.year, ctx.dct.month, -3)
        q = (mon - 1) // 3 + 1
        if (m.group("cur") or "").lower() == "current":
            year, q = ctx.dct.year, quarter_of(ctx.dct)
    else:
        return "DATE", "XXXX-QX"
    if m.group("ago") or m.group("ly"):
        return "DATE", f"{year - 1:04d}-Q{q}"
    if (m.group("cur") or "").lower() in {"last", "previous", "past"}:
        year, mon = add_months(year, q * 3, -3)
        q = (mon - 1) // 3 + 1
    return "DATE", f"{year:04d}-Q{q}"


@rule(
    "half",
    r"(?:the\s+)?(?P<o>first|second|last|latter)\s+half(?:\s+of\s+(?:(?P<y>" + YEAR_RE + r")|"
    r"(?P<rel>this|next|last|the)\s+year))?",
    3,
    key=r"\bhalf\b",
)
def _half(m: re.Match[str], ctx: Context) -> Result:
    """The first half of 1990 -> 1990-H1."""
    h = 1 if m.group("o").lower() == "first" else 2
    if m.group("y"):
        return "DATE", f"{m.group('y')}-H{h}"
    if ctx.dct is None:
        return "DATE", f"XXXX-H{h}"
    rel = (m.group("rel") or "").lower()
    year = ctx.dct.year + {"next": 1, "last": -1}.get(rel, 0)
    return "DATE", f"{year:04d}-H{h}"


@rule(
    "season",
    r"(?:(?P<rel>last|this|next|this\s+past|the\s+past|the|early|late|the\s+early|the\s+late|"
    r"mid)[\s-]+)?(?P<s>" + SEASON_RE + r")(?:\s+(?:of\s+)?(?P<y>" + YEAR_RE + r"))?",
    4,
    key=SEASON_RE,
)
def _season(m: re.Match[str], ctx: Context) -> Result:
    """Last fall / this summer / spring 1998."""
    if not (m.group("rel") or m.group("y")):
        return None
    code = SEASONS[m.group("s").lower()]
    if m.group("y"):
        return "DATE", f"{m.group('y')}-{code}"
    if ctx.dct is None:
        return "DATE", f"XXXX-{code}"
    rel = (m.group("rel") or "").lower()
    smonth = SEASON_MONTH[code]
    cur = ctx.dct.month
    if rel == "last" or rel.endswith("past"):
        year = ctx.dct.year if smonth + 2 < cur else ctx.dct.year - 1
    elif rel == "next":
        year = ctx.dct.year if smonth > cur else ctx.dct.year + 1
    else:
        year = ctx.dct.year
    return "DATE", f"{year:04d}-{code}"


# -- times of day --------------------------------------------------------------------------

_AMPM = r"(?:a\.m\.|p\.m\.|a\.m|p\.m|am\b|pm\b)"
_TIME_TAIL = (
    rf"(?:\s+{TIMEZONE_RE})?(?:,?\s+(?:(?:on\s+)?{WEEKDAY_RE}|today|yesterday|tomorrow|tonight|"
    rf"(?P<tm>{MONTH_RE})\s*(?P<td>{DAY_RE})))?"
)


@rule(
    "clock",
    r"(?:(?:about|around|approximately)\s+)?"
    r"(?<![\d:.$])(?:(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>" + _AMPM + r")"
    r"|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?=\s+" + TIMEZONE_RE + r"))" + _TIME_TAIL,
    1,
    key=r"\d\s*[apAP]\.?[mM]\b|\d:\d\d",
)
def _clock(m: re.Match[str], ctx: Context) -> Result:
    """3 p.m. / 10:35 a.m. EST Tuesday / 14:30 GMT."""
    h = int(m.group("h") or m.group("h2"))
    mi = int(m.group("mi") or m.group("mi2") or 0)
    ap = (m.group("ap") or "").lower()
    if ap.startswith("p") and h < 12:
        h += 12
    if ap.startswith("a") and h == 12:
        h = 0
    if h > 24:
        return None
    day = _explicit_or_anchor(m, ctx)
    prefix = fmt_day(day) if day else "XXXX-XX-XX"
    return "TIME", f"{prefix}T{h:02d}:{mi:02d}"


def _explicit_or_anchor(m: re.Match[str], ctx: Context) -> dt.date | None:
    """Return the date a clock time is attached to (an explicit month/day wins)."""
    if m.group("tm") and ctx.dct is not None:
        mon, day = month_number(m.group("tm")), _day(m.group("td"))
        return safe_date(day_year(ctx.dct, mon, day, ctx.direction(m.start(), m.end())), mon, day)
    return _anchor_date(m.group(0), ctx, m.start(), m.end())


@rule(
    "noon",
    r"(?:(?P<pre>yesterday|today|tomorrow|" + WEEKDAY_RE + r")\s+(?:at\s+)?)?"
    r"\b(?P<w>noon|midday|midnight)\b(?:,?\s+(?:" + WEEKDAY_RE + r"|today|yesterday|tomorrow))?",
    2,
    key=r"noon|midday|midnight",
)
def _noon(m: re.Match[str], ctx: Context) -> Result:
    """Noon / midnight Friday."""
    day = _anchor_date(m.group(0), ctx, m.start(), m.end())
    prefix = fmt_day(day) if day else "XXXX-XX-XX"
    hour = "12:00" if m.group("w").lower() in {"noon", "midday"} else "24:00"
    return "TIME", f"{prefix}T{hour}"


RULES: list[Rule] = [
    _mdy, _iso, _slash, _md, _month_year, _month, _year, _decade, _century, _quarter, _period,
    _half, _season, _clock, _noon,
]  # fmt: skip
