"""The timeline: dated sentences of the originals, grouped by date, past and planned, sorted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from storyline.brief.corpus import StoryCorpus, StorySentence
from storyline.brief.dates import DateValue, parse_date_value, parse_iso_date
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
    day = value.as_date()
    if published is not None and value.year is not None:
        if day is not None:
            return day > published
        return (value.year, value.month or 12) > (published.year, published.month)
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
    flat.sort(key=lambda g: (g.value.sort_key(year), min(r.position for r in g.rows)))
    return [_entry(g) for g in flat[:max_entries]]


# "since March", "since coming to power in 2011": the date opens a period the sentence measures
# from; the sentence's own happening is later, so the date would misplace it on the timeline.
_SINCE = re.compile(r"\bsince\b[^,;:()–—-]*$", re.IGNORECASE)
_SINCE_REACH = 40  # characters before a date searched for "since" in the same clause


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
            group.planned = group.planned or planned
            return
    groups.append(_Group(value, [row], planned))


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
    outer_year = outer.year if outer.year is not None else year
    if day is None or outer_year != day.year:
        return False
    if "-W" in outer.value:  # a whole ISO week: 2018-W20
        return day.isocalendar()[:2] == (outer_year, int(outer.value.split("-W")[1][:2]))
    return outer.month is None or outer.month == day.month


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
        home.planned = home.planned or group.planned
    return kept


def _closeness(a: _Group, b: _Group, corpus: StoryCorpus) -> float:
    """The highest similarity between a sentence of one group and a sentence of the other."""
    return max(corpus.similarity(x, y) for x in a.rows for y in b.rows)


def _entry(group: _Group) -> TimelineEntry:
    """Turn a group into an entry: its earliest-placed sentence, citing every sentence of it."""
    lead = min(group.rows, key=lambda r: (r.position, r.article_id))
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
