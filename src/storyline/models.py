"""The records passed between stages and written to exports (see DESIGN.md, "Records")."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "Article",
    "Brief",
    "BriefSentence",
    "Citation",
    "DateMention",
    "Entity",
    "EntityMention",
    "Quote",
    "Story",
    "TimelineEntry",
    "to_dict",
]

PublishedSource = Literal["metadata", "text", "inferred", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Span = tuple[int, int]


@dataclass
class Article:
    """One document: a clean article (``status == "ok"``) or a rejected one with its reason."""

    id: str
    source: str
    status: str = "ok"
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    language: str | None = None
    published: str | None = None
    published_source: PublishedSource = "unknown"
    text: str | None = None
    credits: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    similarity: float | None = None
    event_id: str | None = None
    storyline_id: str | None = None
    detail: str | None = None  # human-readable detail for a rejection


@dataclass
class EntityMention:
    """A named entity as written in one article; ``entity_id`` links it to its identity."""

    article_id: str
    start: int
    end: int
    text: str
    type: str
    entity_id: str | None = None


@dataclass
class Entity:
    """One real-world person, organisation or place across all articles."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


@dataclass
class Quote:
    """A direct, indirect or mixed quotation with its speaker, cue and relay chain."""

    id: str
    article_id: str
    text: str
    kind: QuoteKind
    spans: list[Span]
    speaker: dict[str, str] | None = None  # {"id", "name"} of the resolved entity
    speaker_text: str | None = None
    speaker_span: Span | None = None
    cue: str | None = None
    cue_span: Span | None = None
    chain: list[str] = field(default_factory=list)


@dataclass
class DateMention:
    """A temporal expression with its TIMEX3 type and value resolved against publication time."""

    article_id: str
    text: str
    start: int
    end: int
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str


@dataclass
class Story:
    """An event (one happening) or a storyline (a chain of events)."""

    id: str
    level: Literal["event", "storyline"]
    title: str
    article_ids: list[str] = field(default_factory=list)
    parent_id: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Citation:
    """A character span of an article's text that a brief sentence rests on."""

    article_id: str
    start: int
    end: int


@dataclass
class BriefSentence:
    """One sentence of a brief and the source spans it rests on."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True


@dataclass
class TimelineEntry:
    """One dated happening of a story."""

    date: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    status: Literal["past", "planned", "uncertain"] = "past"


@dataclass
class Brief:
    """The cited account of one story."""

    story_id: str
    title: str
    sentences: list[BriefSentence] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    differences: list[dict[str, Any]] = field(default_factory=list)
    unique: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


def to_dict(record: Any) -> dict[str, Any]:
    """Return a record as plain JSON-ready data (tuples become lists)."""
    return asdict(record)
