"""The timeline: dated sentences of the originals, grouped by date, past and planned, sorted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from storyline.brief.corpus import StoryCorpus, StorySentence
from storyline.brief.dates import DateValue, date_span, parse_date_value, parse_iso_date
from storyline.brief.text import is_informative
from storyline.models import Citation, DateMention, TimelineEntry

__all__ = ["FUTURE_CUE", "build_timeline", "is_planned", "story_year"]

# Words that put a happening after the time of writing.
FUTURE_CUE = re.compile(
    r"\b(will|shall|scheduled|expected|planned|plans? to|set to|due to|upcoming|"
    r"(?:is|are) to (?:be|meet|hold|visit)|to be held|later this)\b",
    re.IGNORECASE,
)
_SAME_HAPPENING = 0.3  # TF-IDF cosine above which two sentences on one date tell one happening
# A vaguer date that contains an exact one ('earlier this week' and 'Tuesday' of that week) is
# itself evidence of one happening, so less shared wording is asked for.
_SAME_HAPPENING_NESTED = 0.2


@dataclass
class _Group:
    """Sentences that tell one happening on one date."""

    value: DateValue
    rows: list[StorySentence] = field(default_factory=list)
    planned: bool = False
    # sentences that tell the same happening under a vaguer date: cited, never shown as the text
    vaguer: list[StorySentence] = field(default_factory=list)
    # sentences that tell it as done: one of them is shown once any report does
    done: list[StorySentence] = field(default_factory=list)


def is_planned(text: str) -> bool:
    """Whether a sentence speaks of something still to happen."""
    return FUTURE_CUE.search(text) is not None


def story_year(corpus: StoryCorpus) -> int | None:
    """Return the year a story most likely happens in: publication years, then stated years."""
    years: Counter[int] = Counter()
    for article in corpus.originals:
        day = parse_iso_date(article.published)
        if day:
            years[day.year] += 2
    for row in corpus.sentences:
        for mention in row.dates:
            value = parse_date_value(mention.value)
            if value is not None and value.year is not None:
                years[value.year] += 1
    # ties go to the later year: background years ("since 2011") are older than the news
    return max(years, key=lambda y: (years[y], y)) if years else None


def _status(value: DateValue, row: StorySentence, corpus: StoryCorpus) -> bool:
    """Whether the happening is planned: after publication when both are known, else by wording."""
    published = parse_iso_date(corpus.articles[row.article_id].published)
    span = date_span(value.value) if value.year is not None else None
    if published is not None and span is not None:
        if span[0] > published:
            return True
        if span[1] < published:
            return False
    # Undated, or a period the report was written in ('this year', 'in May'): the wording says.
    return is_planned(row.text)


def build_timeline(corpus: StoryCorpus, max_entries: int = 40) -> list[TimelineEntry]:
    """Build sorted timeline entries from the resolved date mentions of the originals."""
    groups: dict[str, list[_Group]] = {}
    weekday_only: set[int] = (
        set()
    )  # a sentence enters once under a bare weekday ('Monday and Tuesday')
    for row in corpus.sentences:
        if not is_informative(row.sentence):
            continue
        for mention in row.dates:
            if mention.type not in {"DATE", "TIME"} or _period_start(mention, corpus):
                continue
            if _range_end(mention, row, corpus):
                continue  # 'from 1985 to 1991': the sentence is shown once, at the start
            value = parse_date_value(mention.value.split("T")[0])
            if value is None:
                continue
            if value.year is None and value.month is None:
                if row.k in weekday_only:
                    continue
                weekday_only.add(row.k)
            _add(groups.setdefault(value.value, []), value, row, corpus)
    year = story_year(corpus)
    flat = _fold_vaguer([g for gs in groups.values() for g in gs], corpus, year)
    flat = _select(flat, corpus, year, max_entries)
    flat.sort(key=lambda g: (g.value.sort_key(year), min(r.position for r in g.rows)))
    return [_entry(g) for g in flat]


# Days before a story's first report within which a dated happening is still part of the story
# rather than background ('the talks broke down a week earlier').
_LEAD_IN_DAYS = 31
_PER_DATE = 3  # entries of one date kept before any entry of a less crowded date is left out


def _select(
    groups: list[_Group], corpus: StoryCorpus, year: int | None, limit: int
) -> list[_Group]:
    """The entries a timeline of at most ``limit`` shows, when there are more.

    The story's own happenings come before background: a long storyline's reports cite many
    years gone by ('when she defeated Obama in 2008'), and kept by date alone, those filled the
    whole timeline of a 2016 primary race. Then the more exactly dated, the more reports telling
    it, and the nearer the top of a report.
    """
    if len(groups) <= limit:
        return groups
    days = sorted(d for d in (parse_iso_date(a.published) for a in corpus.originals) if d)
    start = date.fromordinal(days[0].toordinal() - _LEAD_IN_DAYS) if days else None

    def priority(group: _Group) -> tuple[bool, int, int, float]:
        value = group.value
        span = date_span(value.value) if value.year is not None else None
        if start is not None:
            current = span is None or span[1] >= start
        else:
            current = value.year is None or year is None or value.year >= year
        exact = 2 if value.day is not None else 1 if value.month is not None else 0
        reports = len({r.article_id for r in group.rows + group.vaguer})
        return (current, exact, reports, -min(r.position for r in group.rows))

    ranked = sorted(((priority(g), g) for g in groups), key=lambda pg: pg[0], reverse=True)
    kept: list[_Group] = []
    per_date: Counter[str] = Counter()
    for (current, *_), group in ranked:  # the story's own dates, a crowded one giving way
        if current and per_date[group.value.value] < _PER_DATE:
            kept.append(group)
            per_date[group.value.value] += 1
    taken = {id(g) for g in kept}  # by identity: groups compare by value, slowly
    kept += [g for _, g in ranked if id(g) not in taken]
    return kept[:limit]


# "since March", "since coming to power in 2011": the date opens a period the sentence measures
# from; the sentence's own happening is later, so the date would misplace it on the timeline.
_SINCE = re.compile(r"\bsince\b[^,;:()–—-]*$", re.IGNORECASE)
_SINCE_REACH = 40  # characters before a date searched for "since" in the same clause


# 'from 1985 to 1991', 'between March and May': the second date closes the first one's period.
_RANGE_OPEN = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:to|until|till|through|and|-|–|—)\s*(?:the\s+)?$", re.IGNORECASE)


def _range_end(mention: DateMention, row: StorySentence, corpus: StoryCorpus) -> bool:
    """Whether a date mention ends a range that another date of its sentence opens."""
    text = corpus.articles[mention.article_id].text or ""
    earlier = [m for m in row.dates if m.end <= mention.start]
    if not earlier:
        return False
    opening = max(earlier, key=lambda m: m.end)
    if not _RANGE_JOIN.match(text[opening.end : mention.start]):
        return False
    return bool(_RANGE_OPEN.search(text[max(0, opening.start - 20) : opening.start]))


def _period_start(mention: DateMention, corpus: StoryCorpus) -> bool:
    """Whether a date mention is the start of a period ("since March") rather than a happening."""
    text = corpus.articles[mention.article_id].text or ""
    before = text[max(0, mention.start - _SINCE_REACH) : mention.start]
    return bool(_SINCE.search(before) or _SINCE.match(mention.text))


def _add(groups: list[_Group], value: DateValue, row: StorySentence, corpus: StoryCorpus) -> None:
    """Put a dated sentence into the group of its happening, or open a new group."""
    planned = _status(value, row, corpus)
    for group in groups:
        if row in group.rows:
            return
        if max(corpus.similarity(row, other) for other in group.rows) >= _SAME_HAPPENING:
            group.rows.append(row)
            # still to come only while no report tells it as done ('is poised to win on
            # Tuesday' in one report, 'won on Tuesday' in the next)
            group.planned = group.planned and planned
            if not planned:
                group.done.append(row)
            return
    groups.append(_Group(value, [row], planned, done=[] if planned else [row]))


def _contains(outer: DateValue, inner: DateValue, year: int | None) -> bool:
    """Whether ``outer`` is a vaguer date (a week, a month, a year) that ``inner``'s day lies in.

    A missing year is read as the story's year, as sorting does; a bare weekday contains nothing.
    """
    if outer.day is not None or (outer.year is None and outer.month is None):
        return False
    if outer.year is not None and inner.year is None:
        return False  # the vaguer date knows the year: folded away, that knowledge would be lost
    day = inner.as_date()
    if day is None and inner.year is None and inner.month and inner.day and year:
        day = _safe_day(year, inner.month, inner.day)
    if day is None:
        return False
    if outer.year is not None:
        # The span a week, a season ('2016-WI', December to February), a quarter or a month
        # covers; a season's or a quarter's first month alone would leave out most of its days.
        span = date_span(outer.value)
        return span is not None and span[0] <= day <= span[1]
    return year == day.year and (outer.month is None or outer.month == day.month)


def _safe_day(year: int, month: int, day: int) -> date | None:
    """The calendar day, or None where it does not exist (30 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _fold_vaguer(groups: list[_Group], corpus: StoryCorpus, year: int | None) -> list[_Group]:
    """Fold a vaguely dated group into an exactly dated one of the same happening.

    'Earlier this week, the North warned ...' and 'Pyongyang threatened to pull out Tuesday' are
    one happening; shown twice, a reader would count two. The exact date and its sentence stay in
    front; the vaguer sentence is kept as a further citation.
    """
    kept: list[_Group] = []
    for group in sorted(groups, key=lambda g: g.value.day is None):
        home = max(
            (
                g
                for g in kept
                if _contains(group.value, g.value, year)
                and _closeness(group, g, corpus) >= _SAME_HAPPENING_NESTED
            ),
            key=lambda g: _closeness(group, g, corpus),
            default=None,
        )
        if home is None:
            kept.append(group)
            continue
        home.vaguer += [r for r in group.rows + group.vaguer if r not in home.rows]
        home.planned = home.planned and group.planned
    return kept


def _closeness(a: _Group, b: _Group, corpus: StoryCorpus) -> float:
    """The highest similarity between a sentence of one group and a sentence of the other."""
    return max(corpus.similarity(x, y) for x in a.rows for y in b.rows)


def _entry(group: _Group) -> TimelineEntry:
    """Turn a group into an entry: its earliest-placed sentence, citing every sentence of it."""
    shown = group.done if group.done and not group.planned else group.rows
    lead = min(shown, key=lambda r: (r.position, r.article_id))
    citations: list[Citation] = [lead.citation()]
    citations += [r.citation() for r in group.rows if r is not lead]
    citations += [r.citation() for r in group.vaguer if r not in group.rows]
    status: Literal["past", "planned", "uncertain"]
    if group.value.uncertain:
        status = "uncertain"
    elif group.planned:
        status = "planned"
    else:
        status = "past"
    return TimelineEntry(group.value.value, lead.text, citations, status)
