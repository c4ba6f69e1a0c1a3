"""Temporal expressions in English news: TIMEX3 spans, types and ISO-TimeML values.

``find_dates`` finds every temporal expression (DATE, TIME, DURATION, SET) and resolves its value
against the article's publication date (DCT), the way news reads: a bare weekday in a past-tense
clause is the most recent one ("met on Tuesday"), a future clause or "next" moves it forward, a
year-less month or day takes the nearest sensible year, and anaphoric business phrases ("the
quarter", "a year earlier") follow the last quarter the article named. Without a DCT, explicit
dates still resolve and relative ones keep their unknown parts as X (``XXXX-06``), never an
invented year. ``infer_publication_date`` recovers the DCT from the text when it fixes it.

Why a grammar of our own: the reference normalisers (HeidelTime, SUTime) are Java programs that
need TreeTagger or CoreNLP jars, which this project cannot ship or reach, and their Python
wrappers only shell out to them. Date-string parsers (dateparser, dateutil) parse a string you
already found but neither find spans nor produce TIMEX3 types and values, so the extraction and
normalisation grammar lives here (compiled regexes in ``timex_rules_abs`` / ``timex_rules_rel``,
calendar arithmetic in ``timex_resolve``). It is pure Python and fast (thousands of articles per
second per core), so it adds little to the reading stage.
"""

from __future__ import annotations

import datetime as dt
import re

from storyline.models import DateMention
from storyline.read.timex_resolve import Context, fmt_day, parse_dct
from storyline.read.timex_rules_abs import RULES as _ABS_RULES
from storyline.read.timex_rules_abs import Rule
from storyline.read.timex_rules_named import RULES as _NAMED_RULES
from storyline.read.timex_rules_rel import RULES as _REL_RULES

__all__ = ["find_dates", "infer_publication_date"]

RULES: list[Rule] = _ABS_RULES + _REL_RULES + _NAMED_RULES
# Cheap gate: a text with none of these cannot hold a temporal expression.
_GATE = re.compile(
    r"\d|day|night|week|month|year|quarter|now|current|recent|previous|past|future|soon|"
    r"morning|noon|evening|season|spring|summer|fall|autumn|winter|decade|centur|period|"
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|hour|minute|second|formerly|lately|"
    r"ann|once|half|midday|millenni|fortnight|Christmas|Thanksgiving|Easter|Election|Labor|"
    r"Memorial|Halloween|Valentine|Independence|Fourth|teen|ties|thousand",
    re.I,
)

Candidate = tuple[int, int, int, Rule, re.Match[str]]  # start, end, order, rule, match


def _candidates(text: str) -> list[Candidate]:
    """Return every rule match as (start, end, order, rule, match)."""
    out: list[Candidate] = []
    for order, r in enumerate(RULES):
        for m in r.pattern.finditer(text):
            s, e = _strip(text, m.start(), m.end())
            if e > s:
                out.append((s, e, order, r, m))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace and a trailing comma from a span."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest non-overlapping candidates (rule priority breaks ties)."""
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[3].priority, c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Candidate] = []
    for c in cands:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        taken.append((c[0], c[1]))
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def find_dates(text: str, dct: str | None, article_id: str = "") -> list[DateMention]:
    """Return every temporal expression in ``text`` with its TIMEX3 type and resolved value."""
    if not text or not _GATE.search(text):
        return []
    ctx = Context(text=text, dct=parse_dct(dct))
    cands = _candidates(text)
    chosen = _select(list(cands))
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    queue = list(chosen)
    while queue:
        s, e, _, r, m = queue.pop(0)
        if any(s < te and ts < e for ts, te in taken):
            continue
        res = r.handler(m, ctx)
        if res is None:
            # A rejected long match may still hold a good shorter one ("May" -> none, but
            # "May 1998" inside it was not a candidate); retry the best ones inside it.
            inner = [c for c in cands if s <= c[0] and c[1] <= e and c[3] is not r]
            queue = _select(inner) + queue
            continue
        taken.append((s, e))
        out.append(DateMention(article_id, text[s:e], s, e, res[0], res[1]))  # type: ignore[arg-type]
    out.sort(key=lambda d: d.start)
    return out


# -- publication date from the text --------------------------------------------------------

_TODAY = re.compile(r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight)\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)


def infer_publication_date(text: str) -> tuple[str, str] | None:
    """Return (ISO date, evidence) when the text itself fixes its publication day, else None."""
    if not text:
        return None
    mentions = [d for d in find_dates(text, None) if re.fullmatch(r"\d{4}-\d\d-\d\d", d.value)]
    if not mentions:
        return None
    head = text[:300]
    for d in mentions:
        if d.start < 300 and _is_dateline(head, d.start, d.end):
            return d.value, f"dateline: {d.text!r}"
    votes: dict[str, str] = {}
    ctx = Context(text=text, dct=None)
    for d in mentions:
        day = dt.date.fromisoformat(d.value)
        if not _weekday_consistent(d.text, day):
            continue
        s, e = ctx.sentence(d.start, d.end)
        sentence = text[s:e]
        if _TODAY.search(sentence):
            votes.setdefault(fmt_day(day), f"{d.text!r} with 'today' in the same sentence")
        if _YESTERDAY.search(sentence):
            nxt = day + dt.timedelta(days=1)
            votes.setdefault(fmt_day(nxt), f"{d.text!r} with 'yesterday' in the same sentence")
    if len(votes) == 1:
        return next(iter(votes.items()))
    return None


def _is_dateline(head: str, start: int, end: int) -> bool:
    """Return True when a date stands as a dateline: alone on its line or before a dash."""
    line_start = head.rfind("\n", 0, start) + 1
    before = head[line_start:start]
    after = head[end : end + 4]
    alone_before = len(before) < 60 and not re.search(r"[a-z]{3,}\s+(?:on\s+)?$", before)
    return alone_before and (after == "" or after[:1] in "\n" or bool(re.match(r"\s*[-—–(/]", after)))


def _weekday_consistent(mention: str, day: dt.date) -> bool:
    """Return False when a mention names a weekday that the date does not fall on."""
    from storyline.read.timex_lexicon import WEEKDAY_RE, weekday_number

    m = re.search(WEEKDAY_RE, mention)
    return m is None or weekday_number(m.group(0)) == day.isoweekday()

