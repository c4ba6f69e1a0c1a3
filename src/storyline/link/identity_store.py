"""Entity identity across articles, kept in the store: registry rows, entities, mention links."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from storyline.link.identity import EntityResolver, is_lone_name
from storyline.store import Store

__all__ = ["STAGE", "link_entities"]

STAGE = "link.entities"
# Articles whose full names are registered before any of their lone names is resolved.
_CHUNK = 2_000


@dataclass
class _Local:
    """An article-local entity as the read stage stored it (what the resolver needs)."""

    key: str
    name: str
    type: str
    names: list[str] = field(default_factory=list)
    roles: set[tuple[str | None, str]] = field(default_factory=set)
    description: tuple[str | None, str] | None = None
    sex: str | None = None
    fallback: str | None = None


def _load_resolver(store: Store) -> EntityResolver:
    rows = [
        json.loads(r[0]) for r in store.query("SELECT data FROM entity_registry ORDER BY rowid")
    ]
    return EntityResolver.from_rows(rows)


def link_entities(store: Store, version: str) -> int:
    """Resolve the local entities of every newly read article to global ids; return the count."""
    done = store.done_keys(STAGE, version)
    read = [
        r[0]
        for r in store.query(
            "SELECT a.id FROM articles a JOIN stage_done d ON d.stage = 'read' AND d.key = a.id "
            "ORDER BY a.seq"
        )
    ]
    todo = [aid for aid in read if aid not in done]
    if not todo:
        return 0
    resolver = _load_resolver(store)
    touched: set[str] = set()
    with store.transaction():
        for start in range(0, len(todo), _CHUNK):
            touched |= _link_chunk(store, resolver, todo[start : start + _CHUNK], version)
        _store_entities(store, resolver, touched)
    return len(todo)


def _link_chunk(
    store: Store, resolver: EntityResolver, article_ids: list[str], version: str
) -> set[str]:
    """Resolve a chunk of articles: every full name first, then lone names and descriptions.

    In two passes, a lone "Obama" meets the chunk's "Barack Obama" whichever article came first,
    so the entities do not depend on the order the articles were stored in.
    """
    locals_of = {
        aid: [
            _local(json.loads(r[0]))
            for r in store.query(
                "SELECT data FROM local_entities WHERE article_id = ? ORDER BY key", (aid,)
            )
        ]
        for aid in article_ids
    }
    lone_of: dict[str, list[_Local]] = {}
    mappings: dict[str, dict[str, str]] = {}
    for aid, locals_ in locals_of.items():
        full: list[_Local] = []
        for local in locals_:
            (lone_of.setdefault(aid, []) if is_lone_name(local) else full).append(local)
        mappings[aid] = resolver.add_article(aid, full)
    touched: set[str] = set()
    for aid, mapping in mappings.items():
        mapping.update(resolver.add_article(aid, lone_of.get(aid, []), earlier=mapping))
        touched.update(mapping.values())
        store.conn.executemany(
            "UPDATE mentions SET entity_id = ? WHERE article_id = ? AND local_key = ?",
            [(eid, aid, key) for key, eid in mapping.items()],
        )
        store.execute(
            "UPDATE mentions SET entity_id = NULL WHERE article_id = ? AND local_key NOT IN "
            "(SELECT value FROM json_each(?))",
            (aid, json.dumps(list(mapping))),
        )
        _set_speakers(store, aid, mapping, resolver)
        store.mark_done(STAGE, aid, version)
    return touched


def _store_entities(store: Store, resolver: EntityResolver, touched: set[str]) -> None:
    """Write the entities a run touched, their articles and their registry rows."""
    for eid in sorted(touched):
        entity = resolver.get(eid)
        if entity is None:
            continue
        store.execute(
            "INSERT INTO entities(id, name, type, aliases) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type, "
            "aliases = excluded.aliases",
            (entity.id, entity.name, entity.type, json.dumps(entity.aliases, ensure_ascii=False)),
        )
        store.conn.executemany(
            "INSERT OR IGNORE INTO entity_articles(entity_id, article_id) VALUES (?, ?)",
            [(eid, a) for a in entity.article_ids],
        )
    rows = {row["id"]: row for row in resolver.to_rows() if row["id"] in touched}
    store.conn.executemany(
        "INSERT INTO entity_registry(key, data) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET data = excluded.data",
        [(eid, json.dumps(row, ensure_ascii=False)) for eid, row in rows.items()],
    )


def _set_speakers(
    store: Store, aid: str, mapping: dict[str, str], resolver: EntityResolver
) -> None:
    """Point each quote's speaker at the entity its speaker mention resolved to (or null)."""
    for row in store.query("SELECT id, data FROM quotes WHERE article_id = ?", (aid,)):
        data = json.loads(row[1])
        eid = mapping.get(data.get("speaker_key") or "")
        entity = resolver.get(eid) if eid else None
        data["speaker"] = None if entity is None else {"id": entity.id, "name": entity.name}
        store.execute(
            "UPDATE quotes SET data = ? WHERE id = ?",
            (json.dumps(data, ensure_ascii=False), row[0]),
        )


def _local(data: dict[str, Any]) -> _Local:
    roles = {(r[0], r[1]) for r in data.get("roles") or []}
    description = data.get("description")
    return _Local(
        key=str(data["key"]),
        name=str(data["name"]),
        type=str(data["type"]),
        names=[str(n) for n in data.get("names") or []],
        roles=roles,
        description=(description[0], description[1]) if description else None,
        sex=data.get("sex"),
        fallback=data.get("fallback"),
    )
