"""Articles in the store: insert once, look up by id, content hash or source, and export."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from storyline.models import Article
from storyline.store.db import Store
from storyline.store.reads import chunks

__all__ = ["ARTICLE_COLUMNS", "ArticleStore", "SqliteBandStorage"]

ARTICLE_COLUMNS = (
    "id",
    "source",
    "status",
    "detail",
    "outlet",
    "title",
    "author",
    "language",
    "published",
    "published_source",
    "text",
    "credits",
    "content_hash",
    "duplicate_of",
    "similarity",
    "event_id",
    "storyline_id",
)


class ArticleStore:
    """Article records over a :class:`Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def insert(self, article: Article, content_hash: str | None) -> bool:
        """Insert an article unless its id exists; return whether it was new."""
        values: dict[str, Any] = {
            "id": article.id,
            "source": article.source,
            "status": article.status,
            "detail": article.detail,
            "outlet": article.outlet,
            "title": article.title,
            "author": article.author,
            "language": article.language,
            "published": article.published,
            "published_source": article.published_source,
            "text": article.text,
            "credits": json.dumps(article.credits, ensure_ascii=False),
            "content_hash": content_hash,
            "duplicate_of": article.duplicate_of,
            "similarity": article.similarity,
            "event_id": article.event_id,
            "storyline_id": article.storyline_id,
        }
        columns = ", ".join(ARTICLE_COLUMNS)
        placeholders = ", ".join(f":{c}" for c in ARTICLE_COLUMNS)
        cursor = self.store.execute(
            f"INSERT OR IGNORE INTO articles ({columns}) VALUES ({placeholders})", values
        )
        return cursor.rowcount == 1

    def record_source(self, source: str, article_id: str) -> None:
        """Remember that ``source`` was ingested as ``article_id`` (for resuming and lineage)."""
        self.store.execute(
            "INSERT OR IGNORE INTO article_sources(source, article_id) VALUES (?, ?)",
            (source, article_id),
        )

    def source_done(self, source: str) -> bool:
        """Whether ``source`` was already ingested (ok or rejected)."""
        row = self.store.execute(
            "SELECT 1 FROM article_sources WHERE source = ?", (source,)
        ).fetchone()
        return row is not None

    def by_hash(self, content_hash: str) -> str | None:
        """The id of the first ok article with this exact content, if any."""
        # "+status" keeps SQLite on the content_hash index: left to itself it walks the status
        # index (nearly every row is 'ok'), which made each lookup O(stored articles).
        row = self.store.execute(
            "SELECT id FROM articles WHERE content_hash = ? AND +status = 'ok' ORDER BY seq LIMIT 1",
            (content_hash,),
        ).fetchone()
        return None if row is None else str(row[0])

    def holder(self, article_id: str) -> tuple[str | None, str] | None:
        """(content hash, source) of the article stored under an id (no hash for a rejected
        document), or None when the id is free: one lookup, without loading the text."""
        row = self.store.execute(
            "SELECT content_hash, source FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else (None if row[0] is None else str(row[0]), str(row[1]))

    def get(self, article_id: str) -> Article | None:
        """One article by id."""
        row = self.store.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else row_to_article(row)

    def exists(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        row = self.store.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def iter(self, status: str | None = None) -> Iterator[Article]:
        """Articles in ingest order, optionally only those with ``status``."""
        if status is None:
            rows = self.store.execute("SELECT * FROM articles ORDER BY seq")
        else:
            rows = self.store.execute(
                "SELECT * FROM articles WHERE status = ? ORDER BY seq", (status,)
            )
        for row in rows:
            yield row_to_article(row)

    def count_by_status(self) -> dict[str, int]:
        """How many articles have each status."""
        rows = self.store.execute("SELECT status, COUNT(*) FROM articles GROUP BY status")
        return {str(r[0]): int(r[1]) for r in rows}

    def set_story(self, article_id: str, event_id: str | None, storyline_id: str | None) -> None:
        """Set the event and storyline of an article."""
        self.store.execute(
            "UPDATE articles SET event_id = ?, storyline_id = ? WHERE id = ?",
            (event_id, storyline_id, article_id),
        )


def row_to_article(row: sqlite3.Row) -> Article:
    """Build an :class:`Article` from a row of ``articles``."""
    return Article(
        id=row["id"],
        source=row["source"],
        status=row["status"],
        detail=row["detail"],
        outlet=row["outlet"],
        title=row["title"],
        author=row["author"],
        language=row["language"],
        published=row["published"],
        published_source=row["published_source"],
        text=row["text"],
        credits=json.loads(row["credits"] or "[]"),
        duplicate_of=row["duplicate_of"],
        similarity=row["similarity"],
        event_id=row["event_id"],
        storyline_id=row["storyline_id"],
    )


class SqliteBandStorage:
    """LSH band buckets in an indexed table, so a lookup costs a few index probes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, band_key: bytes) -> list[str]:
        """Article ids that share this band."""
        rows = self.store.execute("SELECT article_id FROM dedup_bands WHERE band = ?", (band_key,))
        return [str(r[0]) for r in rows]

    def add(self, band_key: bytes, article_id: str) -> None:
        """Put an article into a band bucket."""
        self.store.execute(
            "INSERT OR IGNORE INTO dedup_bands(band, article_id) VALUES (?, ?)",
            (band_key, article_id),
        )

    def get_capped(self, band_keys: list[bytes], cap: int) -> list[str]:
        """Up to ``cap`` ids under each key (see ``dedup.MAX_BUCKET``), once per band shared."""
        ids: list[str] = []
        for key in band_keys:  # a LIMIT per bucket; one IN query would read every bucket whole
            rows = self.store.execute(
                "SELECT article_id FROM dedup_bands WHERE band = ? LIMIT ?", (key, cap)
            )
            ids.extend(str(r[0]) for r in rows)
        return ids

    def add_many(self, band_keys: list[bytes], article_id: str) -> None:
        """File an article under several bands at once."""
        self.store.conn.executemany(
            "INSERT OR IGNORE INTO dedup_bands(band, article_id) VALUES (?, ?)",
            [(key, article_id) for key in band_keys],
        )

    def get_signatures(self, article_ids: list[str]) -> dict[str, bytes]:
        """Stored MinHash signatures of these articles."""
        out: dict[str, bytes] = {}
        for chunk in chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            rows = self.store.execute(
                f"SELECT article_id, signature FROM dedup_signatures WHERE article_id IN ({marks})",
                chunk,
            )
            out.update((str(r[0]), bytes(r[1])) for r in rows)
        return out

    def put_signature(self, article_id: str, signature: bytes) -> None:
        """Keep an article's signature."""
        self.store.execute(
            "INSERT OR REPLACE INTO dedup_signatures(article_id, signature) VALUES (?, ?)",
            (article_id, signature),
        )
