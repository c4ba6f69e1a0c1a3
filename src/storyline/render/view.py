"""What a rendered brief shows, computed once for Markdown and HTML: numbered citations, labels."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from storyline.brief.dates import parse_date_value, parse_iso_date
from storyline.brief.timeline import is_planned
from storyline.ingest.sitenames import outlet_from_url
from storyline.models import Article, Brief, Citation, Story

__all__ = [
    "CitationNote",
    "StoryView",
    "article_map",
    "build_view",
    "date_range",
    "day_label",
    "outlet_label",
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
    quote_groups: list[dict[str, Any]] = field(default_factory=list)  # the quotes by speaker
    sources: list[dict[str, Any]] = field(default_factory=list)
    independent: int = 0
    read: int = 0  # independent sources the brief's text parts rest on (all but in huge stories)
    article_count: int = 0
    dates: str = ""


def outlet_label(outlet: str | None, source: str | None = None) -> str:
    """Name a source for a reader: its outlet, else the host of its URL, else its file's name.

    Briefs fall back to the source path where no outlet is known; a full local path
    ('examples/000_72653ee6601929e8.txt') is long and tells a reader nothing the file name does not.
    """
    name = (outlet or "").strip()
    where = (source or "").strip()
    if name and name != where:
        return name
    where = where or name
    if not where:
        return "Unknown source"
    if "://" in where:
        return outlet_from_url(where) or where
    return re.split(r"[/\\]", where.rstrip("/\\"))[-1] or where


def _outlet_of(articles: Mapping[str, Article], item: Mapping[str, Any]) -> str:
    """The display name of the article an item (quote, cited sentence) comes from."""
    article = articles.get(str(item.get("article_id", "")))
    if article is not None:
        return outlet_label(article.outlet, article.source)
    return outlet_label(item.get("outlet"))


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
            outlet=outlet_label(article.outlet, article.source) if article else article_id,
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
    """Copy source dicts, adding the citation number and the outlet's display name of each."""
    return [
        {
            **item,
            "outlet": _outlet_of(numberer.articles, item),
            "number": numberer.number(item["article_id"], item["start"], item["end"]),
        }
        for item in items
    ]


# How each kind of quote is named where it is shown: only direct words are the speaker's own.
QUOTE_KINDS = {"direct": "direct quote", "mixed": "partial quote", "indirect": "paraphrase"}


def _quote(numberer: _Numberer, quote: dict[str, Any]) -> dict[str, Any]:
    """A quote as shown: its outlet's name, its kind in words, whether its words carry marks."""
    words = str(quote.get("words") or "")
    has_span = quote.get("end", 0) > quote.get("start", 0)
    return {
        **quote,
        "outlet": _outlet_of(numberer.articles, quote),
        "kind_label": QUOTE_KINDS.get(str(quote.get("kind")), "quote"),
        # direct words without their own marks get them; reported speech never does
        "add_marks": quote.get("kind") == "direct" and words[:1] not in "\"“‘'«",
        "relays": [str(r) for r in quote.get("chain") or []],
        "number": numberer.number(quote["article_id"], quote["start"], quote["end"])
        if has_span
        else None,
    }


# Quotes of one speaker shown before the rest fold away: who said what stays scannable.
QUOTES_SHOWN_PER_SPEAKER = 2


_KIND_ORDER = {"direct": 0, "mixed": 1, "indirect": 2}


def by_speaker(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes ordered by speaker: the most quoted first, unknown speakers last; own words first."""
    count: dict[str | None, int] = {}
    first: dict[str | None, int] = {}
    for n, q in enumerate(quotes):
        key = q.get("speaker")
        count[key] = count.get(key, 0) + 1
        first.setdefault(key, n)

    def rank(item: tuple[int, dict[str, Any]]) -> tuple[bool, int, int, int, int]:
        n, q = item
        key = q.get("speaker")
        # a speaker's own words first, then partial quotes, then paraphrases
        kind = _KIND_ORDER.get(str(q.get("kind")), len(_KIND_ORDER))
        return (key is None, -count[key], first[key], kind, n)

    return [q for _, q in sorted(enumerate(quotes), key=rank)]


def quote_groups(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive quotes of one speaker as a group: the first few shown, the rest folded."""
    groups: list[dict[str, Any]] = []
    for q in quotes:
        if not groups or groups[-1]["speaker"] != q.get("speaker"):
            groups.append({"speaker": q.get("speaker"), "quotes": []})
        groups[-1]["quotes"].append(q)
    for g in groups:
        g["shown"] = g["quotes"][:QUOTES_SHOWN_PER_SPEAKER]
        g["more"] = g["quotes"][QUOTES_SHOWN_PER_SPEAKER:]
    return groups


def _source(articles: Mapping[str, Article], source: dict[str, Any]) -> dict[str, Any]:
    """A source entry as shown: display names for it and its copies, and what is not stated."""
    article = articles.get(str(source.get("article_id", "")))
    known = (
        bool(article.outlet)
        if article is not None
        else source.get("outlet") != source.get("source")
    )
    return {
        **source,
        "outlet": _outlet_of(articles, source),
        "outlet_known": known,
        "copies": [{**c, "outlet": _outlet_of(articles, c)} for c in source.get("copies", [])],
    }


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
        label = label if first == last else f"{label} – {last.day} {last:%B %Y}"
        # a span drawn from some sources only must say so: the undated ones may lie outside it
        undated = sum(not parse_iso_date(s.get("published")) for s in brief.sources)
        return label + (f" · {undated} source{'s' * (undated != 1)} undated" if undated else "")
    # timeline dates are not used: background dates ('in power since 2011') would mislead
    seen = [day_label(story.first_seen), day_label(story.last_seen)]
    seen = [s for s in seen if s]
    if not seen:
        return ""
    return seen[0] if len(set(seen)) == 1 else f"{seen[0]} – {seen[-1]}"


def _label(value: str) -> str:
    """A timeline date as a reader writes it; the raw value where it cannot be read."""
    parsed = parse_date_value(value)
    return parsed.label if parsed else value


def _when(brief: Brief, citation: Citation) -> list[str]:
    """The dates a summary sentence states, as its timeline entries resolved them.

    Extracted sentences say 'on Tuesday' relative to their own article; beside sentences of other
    articles a reader cannot tell which Tuesday without this. Only entries the sentence itself
    leads are used, so an inference drawn from another source is not pinned on it.
    """
    out = []
    for entry in brief.timeline:
        if entry.citations and entry.citations[0] == citation:
            label = _label(entry.date)
            if entry.status == "planned":
                label += ", planned"
            out.append(label)
    return list(dict.fromkeys(out))


def build_view(story: Story, brief: Brief, articles: Mapping[str, Article]) -> StoryView:
    """Lay a brief out for rendering; citations are numbered in reading order."""
    numberer = _Numberer(dict(articles))
    view = StoryView(story=story, brief=brief)
    view.sentences = [
        {
            "text": s.text,
            "refs": numberer.cite(s.citations),
            "supported": s.supported,
            "when": _when(brief, s.citations[0]) if s.citations else [],
        }
        for s in brief.sentences
    ]
    for entry in brief.timeline:
        value = parse_date_value(entry.date)
        view.timeline.append(
            {
                "label": _label(entry.date),
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
    view.quotes = [_quote(numberer, q) for q in by_speaker(brief.quotes)]
    view.quote_groups = quote_groups(view.quotes)
    view.sources = [_source(numberer.articles, s) for s in brief.sources]
    view.notes = numberer.notes
    view.independent = len(brief.sources)
    view.read = sum(1 for s in brief.sources if s.get("read", True))  # briefs before the flag
    view.article_count = len(brief.sources) + sum(len(s.get("copies", [])) for s in brief.sources)
    view.dates = date_range(story, brief)
    return view
