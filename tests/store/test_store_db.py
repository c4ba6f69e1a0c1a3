"""The store: migrations recorded, WAL, transactions atomic, stage markers and state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.models import Article
from storyline.store import ArticleStore, Store
from storyline.store.schema import MIGRATIONS


def test_migrations_are_recorded_once(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.migrations() == [name for name, _ in MIGRATIONS]
    with Store(db_path) as store:  # reopening applies nothing twice
        rows = store.query("SELECT COUNT(*) FROM migrations")
        assert rows[0][0] == len(MIGRATIONS)


def test_wal_mode(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.query("PRAGMA journal_mode")[0][0] == "wal"


def test_newer_database_is_refused(db_path: Path) -> None:
    with Store(db_path) as store:
        store.execute("INSERT INTO migrations(name, applied_at) VALUES ('9999_future', 'x')")
    with pytest.raises(StoreError, match="newer storyline"):
        Store(db_path)


def test_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable storyline database"):
        Store(bogus)


def test_readonly_missing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing.db", readonly=True)


def test_transaction_rolls_back(db_path: Path) -> None:
    with Store(db_path) as store:
        articles = ArticleStore(store)
        with pytest.raises(RuntimeError), store.transaction():
            articles.insert(Article(id="a1", source="x", text="t"), "h1")
            raise RuntimeError("boom")
        assert not articles.exists("a1")
        with store.transaction():
            assert articles.insert(Article(id="a1", source="x", text="t"), "h1")
            assert not articles.insert(Article(id="a1", source="y", text="t"), "h1")
        assert articles.get("a1") == Article(id="a1", source="x", text="t")


def test_stage_markers_and_state(db_path: Path) -> None:
    with Store(db_path) as store:
        store.mark_done("read", "a1", "v1")
        assert store.is_done("read", "a1", "v1")
        assert not store.is_done("read", "a1", "v2")
        assert store.done_keys("read", "v1") == {"a1"}
        store.mark_done("read", "a1", "v2")
        assert store.done_keys("read", "v1") == set()
        assert store.load_state("clusters", "v1") is None
        store.save_state("clusters", "v1", b"\x00\x01")
        assert store.load_state("clusters", "v1") == b"\x00\x01"
        assert store.load_state("clusters", "v2") is None


def test_full_text_search_index(db_path: Path) -> None:
    with Store(db_path) as store:
        ArticleStore(store).insert(
            Article(id="a1", source="x", title="Summit", text="Kim met Xi in Dalian"), "h"
        )
        rows = store.query("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ("Dalian",))
        assert len(rows) == 1


def test_values_are_bound_not_interpolated(db_path: Path) -> None:
    hostile = "x'); DROP TABLE articles; --"
    with Store(db_path) as store:
        ArticleStore(store).insert(Article(id=hostile, source=hostile, text=hostile), hostile)
        assert ArticleStore(store).get(hostile) is not None
        assert sqlite3.complete_statement("SELECT 1;")
