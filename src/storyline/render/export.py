"""Exports: every record kind of DESIGN.md as JSON, JSON Lines or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

from storyline.errors import UsageError
from storyline.store import ArticleStore, Store
from storyline.store.reads import QUOTES_WITH_SPEAKER_NAMES, quote_data

__all__ = ["EXPORT_FORMATS", "EXPORT_KINDS", "iter_records", "write_records"]

EXPORT_FORMATS = ("json", "jsonl", "csv")


def _articles(store: Store) -> Iterator[dict[str, Any]]:
    for article in ArticleStore(store).iter():
        yield {
            "id": article.id,
            "source": article.source,
            "outlet": article.outlet,
            "title": article.title,
            "author": article.author,
            "language": article.language,
            "published": article.published,
            "published_source": article.published_source,
            "text": article.text,
            "credits": article.credits,
            "status": article.status,
            "detail": article.detail,
            "duplicate_of": article.duplicate_of,
            "similarity": article.similarity,
            "event_id": article.event_id,
            "storyline_id": article.storyline_id,
        }


def _entities(store: Store) -> Iterator[dict[str, Any]]:
    articles: dict[str, list[str]] = defaultdict(list)
    for row in store.query(
        "SELECT entity_id, article_id FROM entity_articles ORDER BY entity_id, article_id"
    ):
        articles[row[0]].append(row[1])
    for row in store.query("SELECT id, name, type, aliases FROM entities ORDER BY name, id"):
        yield {
            "id": row["id"],
            "name": row["name"],
            "type": row["type"],
            "aliases": json.loads(row["aliases"]),
            "article_ids": articles.get(row["id"], []),
        }


def _quotes(store: Store) -> Iterator[dict[str, Any]]:
    rows = store.query(
        f"{QUOTES_WITH_SPEAKER_NAMES} JOIN articles a ON a.id = q.article_id "
        "ORDER BY a.seq, q.rowid"
    )
    for row in rows:
        yield quote_data(row[0], row[1])


def _dates(store: Store) -> Iterator[dict[str, Any]]:
    rows = store.query(
        "SELECT d.article_id, d.text, d.start, d.end, d.type, d.value FROM dates d "
        "JOIN articles a ON a.id = d.article_id ORDER BY a.seq, d.start"
    )
    for row in rows:
        yield dict(row)


def _stories(store: Store) -> Iterator[dict[str, Any]]:
    members: dict[str, list[str]] = defaultdict(list)
    for row in store.query(
        "SELECT id, event_id, storyline_id FROM articles WHERE status = 'ok' ORDER BY seq"
    ):
        if row["event_id"]:
            members[row["event_id"]].append(row["id"])
        if row["storyline_id"]:
            members[row["storyline_id"]].append(row["id"])
    rows = store.query(
        "SELECT * FROM stories WHERE merged_into IS NULL ORDER BY level DESC, first_seen, id"
    )
    for row in rows:
        yield {
            "id": row["id"],
            "level": row["level"],
            "title": row["title"],
            "article_ids": members.get(row["id"], []),
            "parent_id": row["parent_id"],
            "first_seen": row["first_seen"],
            "last_seen": row["last_seen"],
            "history": json.loads(row["history"]),
        }


def _briefs(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.query("SELECT data FROM briefs ORDER BY story_id"):
        yield json.loads(row[0])


EXPORT_KINDS = {
    "articles": _articles,
    "entities": _entities,
    "quotes": _quotes,
    "dates": _dates,
    "stories": _stories,
    "briefs": _briefs,
}


def iter_records(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    """Every record of ``kind`` in a stable order."""
    try:
        reader = EXPORT_KINDS[kind]
    except KeyError:
        raise UsageError(
            f"unknown export kind {kind!r}; choose one of: {', '.join(EXPORT_KINDS)}"
        ) from None
    return reader(store)


def write_records(records: Iterable[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    """Write records as one JSON array, JSON Lines or CSV; return how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for record in records:
            out.write(("\n  " if count == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    else:
        writer: csv.DictWriter[str] | None = None
        for record in records:
            flat = {k: _cell(v) for k, v in record.items()}
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(flat), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(flat)
            count += 1
    return count


# A spreadsheet reads a cell that opens on one of these as a formula: an article's title such as
# '=HYPERLINK("http://…?"&A2)' would run when a user opens the export. OWASP's advice is to
# prefix such text with an apostrophe, which spreadsheets show as text and do not display.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """CSV cells: lists and objects as compact JSON, text that would start a formula defused."""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_string(store: Store, kind: str, fmt: str) -> str:
    """An export as a string (for small stores and tests)."""
    buffer = io.StringIO()
    write_records(iter_records(store, kind), fmt, buffer)
    return buffer.getvalue()
