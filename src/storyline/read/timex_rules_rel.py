"""TIMEX3 grammar, part 2: relative and vague expressions, durations and sets."""

from __future__ import annotations

import datetime as dt
import re

from storyline.read.timex_lexicon import (
    MONTH_RE,
    NUM_RE,
    PARTS_OF_DAY,
    UNIT_RE,
    UNITS,
    WEEKDAY_NAMES,
    WEEKDAY_RE,
    month_number,
    parse_number,
    unit_key,
    weekday_number,
)
from storyline.read.timex_resolve import (
    Context,
    add_months,
    fmt_day,
    fmt_week,
    quarter_of,
    weekday_date,
)
from storyline.read.timex_rules_abs import Result, Rule, rule

_POD = r"(?P<pod>morning|afternoon|evening|night|overnight)"


def _pod_suffix(m: re.Match[str]) -> str:
    """Return TMO/TAF/TEV/TNI for a part-of-day group, or ""."""
    groups = m.groupdict()
    pod = groups.get("pod") or groups.get("pod2")
    return "T" + PARTS_OF_DAY[pod.lower()] if pod else ""


# -- weekdays and days relative to today ---------------------------------------------------


@rule(
    "weekday",
    r"(?:(?P<rel>last|next|this|this\s+coming|this\s+past|coming|past|early|late|earlier|later)"
    r"\s+)?(?P<wd>" + WEEKDAY_RE + r")(?:\s+" + _POD + r"s?\b)?",
    3,
    key=r"(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tues?|Wed|Thurs?|Fri)\.|"
    r"(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY)",
)
def _weekday(m: re.Match[str], ctx: Context) -> Result:
    """Friday / last Tuesday / next Friday / Friday morning / Tuesdays (a SET)."""
    name = m.group("wd")
    wd = weekday_number(name)
    suffix = _pod_suffix(m)
    if (
        name.lower().endswith("s")
        and name.lower().rstrip("s") + "s" == name.lower()
        and name.lower()[:-1] in WEEKDAY_NAMES
    ):
        return "SET", f"XXXX-WXX-{wd}{suffix}"
    if m.group(0).lower().endswith("nights") and m.group("pod"):
        return "SET", f"XXXX-WXX-{wd}{suffix}"
    if ctx.dct is None:
        return ("TIME" if suffix else "DATE"), f"XXXX-WXX-{wd}{suffix}"
    rel = (m.group("rel") or "").lower()
    if rel in {"next", "coming", "this coming"}:
        d = weekday_date(ctx.dct, wd, 1, strict=True)
    elif rel in {"last", "past", "this past"}:
        d = weekday_date(ctx.dct, wd, -1, strict=True)
    elif rel == "this":
        d = weekday_date(ctx.dct, wd, ctx.direction(m.start(), m.end()))
    elif ctx.text.startswith("'s", m.end()):
        d = weekday_date(ctx.dct, wd, -1)  # "Wednesday's ruling": a reported, past event
    else:
        d = weekday_date(ctx.dct, wd, ctx.direction(m.start(), m.end()))
    ctx.last_date = d
    return ("TIME" if suffix else "DATE"), fmt_day(d) + suffix


_RELDAY = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


@rule(
    "relday",
    r"(?:(?:early|late|earlier|later)\s+)?(?P<w>today|tonight|yesterday|tomorrow|"
    r"(?:the\s+)?day\s+(?:before\s+yesterday|after\s+tomorrow))(?:\s+" + _POD + r")?\b"
    r"|(?P<w2>this|last|tomorrow|yesterday)\s+"
    r"(?P<pod2>morning|afternoon|evening|night|overnight)\b",
    3,
    key=r"today|tonight|yesterday|tomorrow|morning|afternoon|evening|night",
)
def _relday(m: re.Match[str], ctx: Context) -> Result:
    """Today / yesterday morning / tonight / this morning / last night."""
    w = (m.group("w") or m.group("w2")).lower()
    if "before" in w:
        shift = -2
    elif "after" in w:
        shift = 2
    elif w == "last" and (m.group("pod2") or "").lower() == "night":
        shift = -1
    elif w in {"last", "that"}:
        return None if w == "that" else ("TIME", "XXXX-XX-XXT" + PARTS_OF_DAY["evening"])
    elif "next" in w:
        shift = 1
    else:
        shift = _RELDAY.get(w, 0)
    suffix = _pod_suffix(m)
    if w == "tonight":
        suffix = "TNI"
    if ctx.dct is None:
        return ("TIME" if suffix else "DATE"), "XXXX-XX-XX" + suffix
    d = ctx.dct + dt.timedelta(days=shift)
    ctx.last_date = d
    return ("TIME" if suffix else "DATE"), fmt_day(d) + suffix


# -- this/last/next + calendar unit --------------------------------------------------------


@rule(
    "relunit",
    r"(?:(?P<mod>early|late|earlier|later|mid|the\s+end\s+of|the\s+middle\s+of|"
    r"the\s+beginning\s+of|the\s+start\s+of|sometime|some\s+time)[\s-]+)?"
    r"(?P<rel>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+last|the\s+next|"
    r"the\s+coming|the\s+previous|the\s+current|the\s+following|the\s+full|past|coming|"
    r"previous|current|"
    r"the)\s+(?:fiscal\s+)?(?P<u>week|month|year|decade|century|weekend|week-end)\b"
    r"(?!-)(?P<orso>\s+or\s+so)?",
    4,
    key=r"\b(?:week|month|year|decade|centur)",
)
def _relunit(m: re.Match[str], ctx: Context) -> Result:
    """This week / last month / next year / earlier this year / the past decade."""
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit = m.group("u").lower().replace("week-end", "weekend")
    if m.group(0).startswith("This Week"):
        return None  # a programme title, not a time
    if rel == "the":
        return _the_unit(m, ctx, unit)
    step = 0
    if rel in {"last", "the last", "past", "the past", "previous", "the previous", "this past"}:
        step = -1
    elif rel in {"next", "the next", "coming", "the coming", "this coming", "the following"}:
        step = 1
    if unit == "decade" and step != 0 and rel.startswith("the"):
        return "DURATION", "P10Y"
    if unit == "century" and step == 0:
        return "DURATION", "P100Y"
    if ctx.dct is None:
        return "DATE", {
            "week": "XXXX-WXX",
            "month": "XXXX-XX",
            "year": "XXXX",
            "decade": "XXX",
            "century": "XX",
            "weekend": "XXXX-WXX-WE",
        }[unit]
    d = ctx.dct
    if unit == "week":
        return "DATE", fmt_week(d + dt.timedelta(weeks=step))
    if unit == "weekend":  # ISO weeks end on Sunday: "this weekend" is the DCT's week
        return "DATE", fmt_week(d + dt.timedelta(weeks=step)) + "-WE"
    if unit == "month":
        y, mo = add_months(d.year, d.month, step)
        return "DATE", f"{y:04d}-{mo:02d}"
    if unit == "year":
        return "DATE", f"{d.year + step:04d}"
    if unit == "decade":
        return "DATE", f"{d.year // 10 + step:03d}"
    return "DATE", f"{d.year // 100 + step:02d}"


def _weekend(d: dt.date, step: int, ctx: Context, m: re.Match[str]) -> str:
    """Return the ISO week of the weekend meant (past by default in news)."""
    if step == 0:
        direction = ctx.direction(m.start(), m.end())
        if d.isoweekday() >= 6:
            step = 0
        elif direction <= 0:
            step = -1
    return fmt_week(d + dt.timedelta(weeks=step))


def _the_unit(m: re.Match[str], ctx: Context, unit: str) -> Result:
    """The week / the year / the weekend: TimeBank's conventions for bare definite units."""
    if m.group("mod") is None and unit in {"month", "decade", "century"}:
        return None
    if ctx.dct is None:
        return "DATE", {
            "week": "XXXX-WXX",
            "year": "XXXX",
            "weekend": "XXXX-WXX-WE",
            "month": "XXXX-XX",
            "decade": "XXX",
            "century": "XX",
        }[unit]
    y = ctx.dct.year
    if unit == "week":
        return "DATE", f"{y:04d}-WXX"
    if unit == "weekend":
        return "DATE", _weekend(ctx.dct, 0, ctx, m) + "-WE"
    if unit == "month":
        return "DATE", f"{y:04d}-{ctx.dct.month:02d}"
    if unit == "year":
        if m.group("mod"):
            return "DATE", f"{y:04d}"
        if re.match(
            r"\s+(?:ended|ending|that\s+ended|that\s+ends)\b", ctx.text[m.end() : m.end() + 20]
        ):
            return "DURATION", "P1Y"  # a reporting year ("the year ended March 31")
        return "DATE", f"{y:04d}"
    return None


# -- durations and "N units ago" -----------------------------------------------------------

_APPROX = (
    r"(?:(?:about|around|approximately|roughly|nearly|almost|more\s+than|less\s+than|"
    r"fewer\s+than|no\s+more\s+than|at\s+least|at\s+most|some|up\s+to|only|just)\s+)?"
)
_DET = (
    r"(?:(?:each\s+of\s+)?(?:the|these|those|its|their|his|her|our|all|a)\s+)?"
    r"(?:(?P<pre>past|last|next|first|previous|coming|following|final|latest|recent|initial|"
    r"remaining|other|ensuing|preceding|early|late)\s+)?"
)


@rule(
    "ago",
    _APPROX + r"(?P<n>" + NUM_RE + r")[\s-]+(?:(?:more|additional|full|long)\s+)?"
    r"(?P<u>" + UNIT_RE + r")(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|before|after|"
    r"from\s+now|hence|back)\b",
    2,
    key=r"\b(?:ago|earlier|later|before|after|from\s+now|hence|back)\b",
)
def _ago(m: re.Match[str], ctx: Context) -> Result:
    """Two years ago / a year earlier / six weeks ago."""
    unit = unit_key(m.group("u"))
    n = parse_number(m.group("n"))
    direction = m.group("dir").lower()
    if direction in {"later", "after", "before", "hence"} or (
        direction == "earlier" and unit not in {"year", "month"}
    ):
        return "DURATION", _duration_value(n, unit)
    step = -1 if direction in {"ago", "earlier", "back"} else 1
    near = ctx.quarter_near(m.start())
    if unit == "year" and n == 1 and near is not None and step < 0:
        return "DATE", f"{near[0] - 1:04d}-Q{near[1]}"
    if n is None:
        return "DATE", "PAST_REF" if step < 0 else "FUTURE_REF"
    if ctx.dct is None:
        return "DATE", {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX"}.get(
            unit, "XXXX-XX-XX"
        )
    d = ctx.dct
    if unit == "year":
        return "DATE", f"{d.year + step * n:04d}"
    if unit == "decade":
        return "DATE", f"{d.year + step * 10 * n:04d}"
    if unit == "month":
        y, mo = add_months(d.year, d.month, step * n)
        return "DATE", f"{y:04d}-{mo:02d}"
    if unit == "quarter":
        y, mo = add_months(d.year, d.month, step * 3 * n)
        return "DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}"
    if unit in {"week", "fortnight"}:
        return "DATE", fmt_week(
            d + dt.timedelta(weeks=step * n * (2 if unit == "fortnight" else 1))
        )
    if unit == "day":
        return "DATE", fmt_day(d + dt.timedelta(days=step * n))
    return "DURATION", _duration_value(n, unit)


def _duration_value(n: int | None, unit: str) -> str:
    """Return P3Y / PT4H / PXD."""
    letter, timed = UNITS[unit]
    if unit == "decade" and n is not None:
        letter, n = "Y", n * 10
    if unit == "fortnight" and n is not None:
        n *= 2
    if letter == "WE":
        letter = "WE" if n is None else "D"
        n = None if n is None else n * 2
    num = "X" if n is None else str(n)
    return f"P{'T' if timed else ''}{num}{letter}"


@rule(
    "duration",
    _APPROX + _DET + r"(?P<n>" + NUM_RE + r")(?:\s+(?:to|or|and)\s+(?P<n2>" + NUM_RE + r"))?"
    r"(?P<frac>\s+1/2|\s*½)?"
    r"[\s-]+(?:(?:more|additional|straight|consecutive|full|long|extra)\s+)?"
    r"(?P<u>" + UNIT_RE + r")(?!-old|\s+old\b)(?P<half>\s+and\s+a\s+half)?"
    r"(?P<per>\s+(?:period|span|stretch|term))?"
    r"(?:\s+or\s+so)?",
    5,
    key=r"\b" + UNIT_RE,
)
def _duration(m: re.Match[str], ctx: Context) -> Result:
    """Six weeks / the past three years / a two-year period / the first nine months."""
    raw_n = re.sub(r"\s+", " ", m.group("n").lower())
    unit = unit_key(m.group("u"))
    plural = m.group("u").lower().endswith("s") and unit != m.group("u").lower()
    if unit == "quarter" and plural and "-" in m.group(0):
        return None  # "three-quarters of": a fraction
    if unit == "second" and ctx.text[max(0, m.start() - 4) : m.start()].lower() == "per ":
        return None
    if raw_n in {"a", "an"} and unit in {"second", "quarter"}:
        return None  # "a second term", "a quarter of the vote"
    if raw_n in {"a", "an", "one"} and plural:
        return None
    if (
        raw_n not in {"a", "an"}
        and raw_n.isdigit()
        and int(raw_n) > 1
        and not plural
        and not ("-" in m.group(0) or m.group("per"))
    ):
        return None  # "3 day" as in "a 3 day rise" is fine only hyphenated
    n = None if m.group("n2") else parse_number(raw_n)
    if raw_n in {"a", "an"} and unit in {"year", "month", "week", "day"}:
        before = ctx.text[max(0, m.start() - 30) : m.start()]
        if re.search(r"(?:\d|million|billion|cents?|dollars?|%|percent)\s*$", before, re.I):
            return "SET", f"P1{UNITS[unit][0]}"
    pre = (m.group("pre") or "").lower()
    if pre == "recent" and n is None:
        return "DATE", "PAST_REF"
    if pre in {"past", "last", "previous", "preceding"} and raw_n in {"several", "many"}:
        return "DATE", "PAST_REF"
    if unit == "quarter" and n is not None and pre in {"first", "next", "past", "last"} and n > 1:
        return "DURATION", f"P{n * 3}M" if pre == "next" else f"P{n}Q"
    value = _duration_value(n, unit)
    if (m.group("frac") or m.group("half")) and n is not None:
        half = {"year": "6M", "hour": "30M", "minute": "30S", "day": "T12H"}.get(unit)
        if half:
            value += half
    return "DURATION", value


@rule(
    "bare_units",
    r"(?:(?P<rec>recent|past|coming|the\s+coming|the\s+early|the\s+past|the\s+last)\s+)?"
    r"(?P<u>years|months|weeks|days|decades|hours|minutes)\b(?!-old)",
    7,
    key=r"\b(?:years|months|weeks|days|decades|hours|minutes)\b",
)
def _bare_units(m: re.Match[str], ctx: Context) -> Result:
    """For years / recent months / in the coming weeks."""
    rec = (m.group("rec") or "").lower()
    unit = unit_key(m.group("u"))
    if rec in {"recent", "past"} and unit == "year":
        return "DATE", "PAST_REF"
    if rec in {"the past", "the last"}:
        return "DATE", "PAST_REF"
    before = ctx.text[max(0, m.start() - 10) : m.start()].lower()
    if rec or re.search(r"\b(?:for|in|within|over)\s+$", before):
        return "DURATION", _duration_value(None, unit)
    return None


# -- vague references and sets -------------------------------------------------------------

_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "at present": "PRESENT_REF", "presently": "PRESENT_REF", "the present": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "the past": "PAST_REF", "lately": "PAST_REF", "once": "PAST_REF",
    "the future": "FUTURE_REF", "future": "FUTURE_REF", "soon": "FUTURE_REF",
    "shortly": "FUTURE_REF", "a later date": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
    "coming quarters": "FUTURE_REF", "future quarters": "FUTURE_REF",
}  # fmt: skip


@rule(
    "ref",
    r"\b(?P<w>right\s+now|now|currently|current|nowadays|these\s+days|at\s+present|"
    r"the\s+present|recently|the\s+past|lately|the\s+near\s+future|the\s+future|"
    r"the\s+(?:near|short)\s+term|(?:coming|future)\s+quarters|"
    r"a\s+later\s+date)\b(?!-)",
    8,
)
def _ref(m: re.Match[str], ctx: Context) -> Result:
    """Now / recently / the future."""
    w = re.sub(r"\s+", " ", m.group("w").lower())
    after = ctx.text[m.end() : m.end() + 12].lower()
    if w == "now" and re.match(r"\s*(?:defunct|-)", after):
        return None
    if w in {"current", "recent", "future"} and re.match(
        r"\s*(?:account|contracts?|and|or)\b", after
    ):
        return None
    return "DATE", _REFS[w]


_SET_ADV = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "quarterly": "P1Q",
    "hourly": "PT1H",
    "nightly": "P1D",
}


@rule(
    "set",
    r"\b(?P<adv>daily|weekly|monthly|yearly|hourly|nightly)\b"
    r"|\b(?:each|every|per)\s+(?:(?P<n>" + NUM_RE + r")\s+)?(?P<u>" + UNIT_RE + r"|morning|night|"
    r"evening|afternoon|weekend|summer|winter|spring|fall|autumn)"
    r"|\b(?:each|every)\s+(?P<wd>" + WEEKDAY_RE + r")|\b(?:each|every)\s+(?P<mo>" + MONTH_RE + r")",
    3,
)
def _set(m: re.Match[str], ctx: Context) -> Result:
    """Daily / every year / each morning."""
    if m.group("adv"):
        return "SET", _SET_ADV[m.group("adv").lower()]
    if m.group("wd"):
        return "SET", f"XXXX-WXX-{weekday_number(m.group('wd'))}"
    if m.group("mo"):
        return "SET", f"XXXX-{month_number(m.group('mo')):02d}"
    word = m.group("u").lower()
    if word in PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[word]}"
    if word in {"summer", "winter", "spring", "fall", "autumn"}:
        from storyline.read.timex_lexicon import SEASONS

        return "SET", f"XXXX-{SEASONS[word]}"
    unit = unit_key(word)
    if unit not in UNITS:
        return None
    n = parse_number(m.group("n")) if m.group("n") else 1
    return "SET", _duration_value(n, unit)


@rule(
    "year_adj",
    r"\b(?P<w>year-earlier|year-ago|year-end|year\s+end|year's\s+end|yearend)\b",
    6,
)
def _year_adj(m: re.Match[str], ctx: Context) -> Result:
    """Year-earlier (the same period a year before) / year-end."""
    w = m.group("w").lower()
    if "end" in w:
        return "DATE", ctx.year_or_x(ctx.dct.year if ctx.dct else None)
    near = ctx.quarter_near(m.start())
    if near is not None:
        return "DATE", f"{near[0] - 1:04d}-Q{near[1]}"
    return "DATE", ctx.year_or_x(ctx.dct.year - 1 if ctx.dct else None)


@rule("current_quarter", r"\bthis\s+(?:fiscal\s+)?quarter\b", 4)
def _this_quarter(m: re.Match[str], ctx: Context) -> Result:
    """This quarter."""
    if ctx.dct is None:
        return "DATE", "XXXX-QX"
    return "DATE", f"{ctx.dct.year:04d}-Q{quarter_of(ctx.dct)}"


RULES: list[Rule] = [
    _weekday, _relday, _relunit, _ago, _duration, _bare_units, _ref, _set, _year_adj,
    _this_quarter,
]  # fmt: skip
