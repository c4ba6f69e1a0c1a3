"""Lookups made once per article use an index that narrows to a few rows, never a walk of all rows.

A planner choice like "search articles by status = 'ok'" is as slow as a full scan, since nearly
every article is ok; such plans once made ingest quadratic in the store size.
"""

from __future__ import annotations

from pathlib import Path

from storyline.store import ArticleStore, Store
from storyline.store.reads import load_story


def _plans(store: Store, statements: list[str]) -> list[str]:
    plans = []
    for sql in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        # The traced text has its parameters bound; the plan does not depend on their values.
        rows = store.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        plans.append(" / ".join(str(r[3]) for r in rows))
    return plans


def _traced(store: Store) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def test_per_article_lookups_use_narrow_indexes(db_path: Path) -> None:
    with Store(db_path) as store:
        store.execute(
            "INSERT INTO stories(id, level, title, first_seen, history) "
            "VALUES ('s1', 'storyline', 't', '2018-01-01', '[]')"
        )
        seen = _traced(store)
        ArticleStore(store).by_hash("0" * 64)
        load_story(store, "s1")
        store.conn.set_trace_callback(None)
        plans = _plans(store, seen)
    assert plans, "no SELECT was traced"
    for plan in plans:
        assert "articles_status" not in plan, plan
        assert "SCAN articles" not in plan, plan
