"""What the read and link stages stored, loaded back as records for a set of articles."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from storyline.models import DateMention, Entity, EntityMention, Quote, Story
from storyline.store.db import Store

__all__ = [
    "QUOTES_WITH_SPEAKER_NAMES",
    "chunks",
    "load_dates",
    "load_entities",
    "load_mentions",
    "load_quotes",
    "load_story",
    "quote_data",
    "quote_from_dict",
]


def chunks(ids: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    """Ids in slices small enough for one ``IN (...)`` query."""
    for i in range(0, len(ids), size):
        yield list(ids[i : i + size])


def quote_from_dict(data: dict[str, Any]) -> Quote:
    """Rebuild a :class:`Quote` from its stored JSON."""
    return Quote(
        id=data["id"],
        article_id=data["article_id"],
        text=data["text"],
        kind=data["kind"],
        spans=[(int(s), int(e)) for s, e in data["spans"]],
        speaker=data.get("speaker"),
        speaker_text=data.get("speaker_text"),
        speaker_span=_span(data.get("speaker_span")),
        cue=data.get("cue"),
        cue_span=_span(data.get("cue_span")),
        chain=list(data.get("chain") or []),
    )


def _span(value: Any) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


# A quote's speaker as stored names the entity as it was called when its article was linked;
# later reports can settle another name ("OBAMA" became "Obama"), which the entity row holds.
QUOTES_WITH_SPEAKER_NAMES = (
    "SELECT q.data, e.name FROM quotes q "
    "LEFT JOIN entities e ON e.id = json_extract(q.data, '$.speaker.id')"
)


def quote_data(data: str, speaker_name: str | None) -> dict[str, Any]:
    """A stored quote's record with its speaker's current entity name."""
    record: dict[str, Any] = json.loads(data)
    if speaker_name and isinstance(record.get("speaker"), dict):
        record["speaker"]["name"] = speaker_name
    return record


def load_quotes(store: Store, article_ids: Sequence[str]) -> list[Quote]:
    """Quotes of these articles, their speakers under their entities' current names."""
    out: list[Quote] = []
    for chunk in chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        rows = store.query(f"{QUOTES_WITH_SPEAKER_NAMES} WHERE q.article_id IN ({marks})", chunk)
        out.extend(quote_from_dict(quote_data(row[0], row[1])) for row in rows)
    return out


def load_dates(store: Store, article_ids: Sequence[str]) -> list[DateMention]:
    """Date mentions of these articles, in text order."""
    out: list[DateMention] = []
    for chunk in chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        rows = store.query(
            "SELECT article_id, text, start, end, type, value FROM dates "
            f"WHERE article_id IN ({marks}) ORDER BY article_id, start",
            chunk,
        )
        out.extend(DateMention(**dict(row)) for row in rows)
    return out


def load_mentions(store: Store, article_ids: Sequence[str]) -> list[EntityMention]:
    """Entity mentions of these articles, in text order."""
    out: list[EntityMention] = []
    for chunk in chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        rows = store.query(
            "SELECT article_id, start, end, text, type, entity_id FROM mentions "
            f"WHERE article_id IN ({marks}) ORDER BY article_id, start",
            chunk,
        )
        out.extend(EntityMention(**dict(row)) for row in rows)
    return out


def load_entities(store: Store, entity_ids: Sequence[str]) -> dict[str, Entity]:
    """Entities by id, with their aliases and articles."""
    out: dict[str, Entity] = {}
    for chunk in chunks(sorted(set(entity_ids))):
        marks = ",".join("?" * len(chunk))
        for row in store.query(
            f"SELECT id, name, type, aliases FROM entities WHERE id IN ({marks})", chunk
        ):
            out[row[0]] = Entity(
                id=row[0], name=row[1], type=row[2], aliases=json.loads(row[3]), article_ids=[]
            )
        for row in store.query(
            f"SELECT entity_id, article_id FROM entity_articles WHERE entity_id IN ({marks})",
            chunk,
        ):
            out[row[0]].article_ids.append(row[1])
    return out


def load_story(store: Store, story_id: str) -> Story | None:
    """One story with its member articles (old merged ids resolve to the surviving story)."""
    seen = set()
    row = store.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    while row is not None and row["merged_into"] and row["id"] not in seen:
        seen.add(row["id"])
        row = store.execute("SELECT * FROM stories WHERE id = ?", (row["merged_into"],)).fetchone()
    if row is None:
        return None
    column = "event_id" if row["level"] == "event" else "storyline_id"
    members = [
        r[0]
        for r in store.query(
            # "+status": stay on the story-id index, not the status one (nearly every row is ok).
            f"SELECT id FROM articles WHERE {column} = ? AND +status = 'ok' ORDER BY seq",
            (row["id"],),
        )
    ]
    return Story(
        id=row["id"],
        level=row["level"],
        title=row["title"],
        article_ids=members,
        parent_id=row["parent_id"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        history=json.loads(row["history"]),
    )
