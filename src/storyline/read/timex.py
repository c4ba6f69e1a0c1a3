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
calendar arithmetic in ``timex_resolve``). It is pure Python: each rule's full pattern runs only
around its trigger words, which keeps it near 900k characters (about 400 wire articles) per
CPU second, so it adds little to the reading stage. ``dateutil`` (already required by
htmldate) supplies Easter; explicit dates are parsed by the grammar itself because it must
also return their spans.
"""

from __future__ import annotations

import bisect
import re
from collections import deque

from storyline.models import DateMention
from storyline.read.timex_pubdate import infer_publication_date
from storyline.read.timex_resolve import Context, parse_dct
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
_LEFT, _RIGHT = 70, 50  # how far a match may reach before and after its trigger word


def _candidates(text: str) -> list[Candidate]:
    """Return every rule match as (start, end, order, rule, match)."""
    out: list[Candidate] = []
    n = len(text)
    cache: dict[re.Pattern[str], list[tuple[int, int]]] = {}
    for order, r in enumerate(RULES):
        if r.key is None:
            windows = [(0, n)]
        elif r.key in cache:
            windows = cache[r.key]
        else:
            windows = cache[r.key] = _windows(text, r.key)
        seen: set[tuple[int, int]] = set()
        for a, b in windows:
            for m in r.pattern.finditer(text, a, b):
                s, e = _strip(text, m.start(), m.end())
                if e > s and (s, e) not in seen:
                    seen.add((s, e))
                    out.append((s, e, order, r, m))
    return out


def _windows(text: str, key: re.Pattern[str]) -> list[tuple[int, int]]:
    """Return merged spans around a rule's trigger words, where its full pattern is run.

    Most of a text holds no temporal word, and patterns that open with optional modifiers
    are slow to scan everywhere; a window starts at a word start so no match is cut.
    """
    n = len(text)
    windows: list[tuple[int, int]] = []
    for h in key.finditer(text):
        a, b = max(0, h.start() - _LEFT), min(n, h.end() + _RIGHT)
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace and a trailing comma from a span."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


def _select(cands: list[Candidate], size: int) -> list[Candidate]:
    """Keep the longest non-overlapping candidates (rule priority breaks ties), by start."""
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[3].priority, c[0]))
    used = bytearray(size)  # a mask of taken characters keeps this linear in the text
    chosen: list[Candidate] = []
    for c in cands:
        if used.find(1, c[0], c[1]) != -1:
            continue
        used[c[0] : c[1]] = b"\x01" * (c[1] - c[0])
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def find_dates(text: str, dct: str | None, article_id: str = "") -> list[DateMention]:
    """Return every temporal expression in ``text`` with its TIMEX3 type and resolved value."""
    if not text or not _GATE.search(text):
        return []
    ctx = Context(text=text, dct=parse_dct(dct))
    cands = sorted(_candidates(text), key=lambda c: c[0])
    starts = [c[0] for c in cands]
    out: list[DateMention] = []
    used = bytearray(len(text))
    queue = deque(_select(list(cands), len(text)))
    while queue:
        s, e, _, r, m = queue.popleft()
        if used.find(1, s, e) != -1:
            continue
        res = r.handler(m, ctx)
        if res is None:
            # A rejected long match may still hold a good shorter one ("May" alone is not a
            # date, "May 7" inside a rejected span may be): retry the best ones inside it.
            lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
            inner = [c for c in cands[lo:hi] if c[1] <= e and c[3] is not r]
            queue.extendleft(reversed(_select(inner, len(text))))
            continue
        used[s:e] = b"\x01" * (e - s)
        if res[1][:4].isdigit():
            ctx.last_year = int(res[1][:4])
        out.append(DateMention(article_id, text[s:e], s, e, res[0], res[1]))  # type: ignore[arg-type]
    out.sort(key=lambda d: d.start)
    return out
