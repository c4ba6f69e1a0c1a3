"""What a rendered brief shows, computed once for Markdown and HTML: numbered citations, labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from storyline.brief.dates import parse_date_value, parse_iso_date
from storyline.brief.timeline import is_planned
from storyline.models import Article, Brief, Citation, Story

__all__ = [
    "CitationNote",
    "StoryView",
    "article_map",
    "build_view",
    "date_range",
    "day_label",
    "segments",
]

_CONTEXT = 160  # characters of surrounding text shown around a cited span


@dataclass
class CitationNote:
    """One numbered citation: the cited span with a little context either side."""

    number: int
    article_id: str
    start: int
    end: int
    outlet: str
    title: str
    published: str
    before: str
    text: str
    after: str
    valid: bool = True


@dataclass
class StoryView:
    """A brief laid out for rendering; every cited span has a number."""

    story: Story
    brief: Brief
    notes: list[CitationNote] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    differences: list[dict[str, Any]] = field(default_factory=list)
    unique: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    independent: int = 0
    article_count: int = 0
    dates: str = ""


def article_map(articles: Mapping[str, Article] | Iterable[Article]) -> dict[str, Article]:
    """Accept articles as a mapping or a sequence; return them by id."""
    if isinstance(articles, Mapping):
        return dict(articles)
    return {a.id: a for a in articles}


class _Numberer:
    """Give each distinct cited span a number, in order of first use."""

    def __init__(self, articles: dict[str, Article]) -> None:
        """Start with no citations."""
        self.articles = articles
        self.numbers: dict[tuple[str, int, int], int] = {}
        self.notes: list[CitationNote] = []

    def number(self, article_id: str, start: int, end: int) -> int:
        """Return the number of a span, creating its note on first use."""
        key = (article_id, start, end)
        if key not in self.numbers:
            self.numbers[key] = len(self.notes) + 1
            self.notes.append(self._note(len(self.notes) + 1, article_id, start, end))
        return self.numbers[key]

    def cite(self, citations: Iterable[Citation]) -> list[int]:
        """Return the numbers of a list of citations."""
        return [self.number(c.article_id, c.start, c.end) for c in citations]

    def _note(self, number: int, article_id: str, start: int, end: int) -> CitationNote:
        """Cut the span and its context out of the article text."""
        article = self.articles.get(article_id)
        text = (article.text if article else None) or ""
        valid = 0 <= start < end <= len(text)
        before = text[max(0, start - _CONTEXT) : start] if valid else ""
        after = text[end : end + _CONTEXT] if valid else ""
        if before and start > _CONTEXT:
            before = "…" + before.split(" ", 1)[-1]
        if after and end + _CONTEXT < len(text):
            after = after.rsplit(" ", 1)[0] + "…"
        return CitationNote(
            number=number,
            article_id=article_id,
            start=start,
            end=end,
            outlet=(article.outlet or article.source) if article else article_id,
            title=(article.title or "") if article else "",
            published=day_label(article.published) if article else "",
            before=before,
            text=text[start:end] if valid else "(cited text unavailable)",
            after=after,
            valid=valid,
        )


def segments(text: str, marks: Iterable[Iterable[int]]) -> list[tuple[str, bool]]:
    """Cut text into (piece, highlighted) runs for the given [start, end) marks."""
    out: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted((int(m[0]), int(m[1])) for m in (list(x) for x in marks)):
        if start < cursor or not 0 <= start < end <= len(text):
            continue  # overlapping or out-of-range marks are ignored, never fatal
        out += [(text[cursor:start], False), (text[start:end], True)]
        cursor = end
    out.append((text[cursor:], False))
    return [piece for piece in out if piece[0]]


def day_label(published: str | None) -> str:
    """Return a publication date as '8 May 2018', or '' when unknown."""
    day = parse_iso_date(published)
    return f"{day.day} {day:%B %Y}" if day else ""


def _refs(numberer: _Numberer, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy source dicts, adding the citation number of each."""
    return [
        {**item, "number": numberer.number(item["article_id"], item["start"], item["end"])}
        for item in items
    ]


def date_range(story: Story, brief: Brief) -> str:
    """Return when a story was reported: publication dates, else first and last seen."""
    published = [
        day
        for source in brief.sources
        for item in [source, *source.get("copies", [])]
        if (day := parse_iso_date(item.get("published")))
    ]
    if published:
        first, last = min(published), max(published)
        label = f"{first.day} {first:%B %Y}"
        return label if first == last else f"{label} – {last.day} {last:%B %Y}"
    # timeline dates are not used: background dates ('in power since 2011') would mislead
    seen = [day_label(story.first_seen), day_label(story.last_seen)]
    seen = [s for s in seen if s]
    if not seen:
        return ""
    return seen[0] if len(set(seen)) == 1 else f"{seen[0]} – {seen[-1]}"


def build_view(story: Story, brief: Brief, articles: Mapping[str, Article]) -> StoryView:
    """Lay a brief out for rendering; citations are numbered in reading order."""
    numberer = _Numberer(dict(articles))
    view = StoryView(story=story, brief=brief)
    view.sentences = [
        {"text": s.text, "refs": numberer.cite(s.citations), "supported": s.supported}
        for s in brief.sentences
    ]
    for entry in brief.timeline:
        value = parse_date_value(entry.date)
        view.timeline.append(
            {
                "label": value.label if value else entry.date,
                # only a weekday is known: such entries cannot be put in order
                "undated": value is None or (value.year is None and value.month is None),
                "date": entry.date,
                "status": entry.status,
                # an undated-year entry can still be announced for later: say both
                "planned": entry.status == "planned"
                or (entry.status == "uncertain" and is_planned(entry.text)),
                "text": entry.text,
                "refs": numberer.cite(entry.citations),
            }
        )
    view.agreements = [{**a, "sources": _refs(numberer, a["sources"])} for a in brief.agreements]
    view.differences = [
        {
            **d,
            "sides": [
                {**s, "segments": segments(s["text"], s.get("highlight", []))}
                for s in _refs(numberer, d["sides"])
            ],
        }
        for d in brief.differences
    ]
    view.unique = _refs(numberer, brief.unique)
    view.quotes = [
        {**q, "number": numberer.number(q["article_id"], q["start"], q["end"])}
        if q.get("end", 0) > q.get("start", 0)
        else {**q, "number": None}
        for q in brief.quotes
    ]
    view.notes = numberer.notes
    view.independent = len(brief.sources)
    view.article_count = len(brief.sources) + sum(len(s.get("copies", [])) for s in brief.sources)
    view.dates = date_range(story, brief)
    return view
