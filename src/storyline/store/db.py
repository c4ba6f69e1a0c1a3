"""The SQLite store: one file, WAL, migrations recorded in the database, stage markers and state."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.errors import StoreError
from storyline.store.schema import MIGRATIONS

__all__ = ["Store"]


class Store:
    """The only door to the database. Every write goes through a transaction."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        if readonly and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"database {self.path} does not exist; run `storyline run` first")
        try:
            self.conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable storyline database: {exc}") from exc
        self._depth = 0

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied = {r[0] for r in self.conn.execute("SELECT name FROM migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = applied - known
        if unknown:
            raise StoreError(
                f"{self.path} was written by a newer storyline (migrations {sorted(unknown)}); "
                "upgrade storyline"
            )
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, stamp)
                )
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this database, in order."""
        return [r[0] for r in self.conn.execute("SELECT name FROM migrations ORDER BY name")]

    # -- transactions --------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        """Run one parameterised statement."""
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a parameterised query and return all rows."""
        return self.conn.execute(sql, params).fetchall()

    # -- stage markers -------------------------------------------------------------------------
    def is_done(self, stage: str, key: str, version: str) -> bool:
        """Whether ``stage`` already processed ``key`` at ``version``."""
        row = self.conn.execute(
            "SELECT version FROM stage_done WHERE stage = ? AND key = ?", (stage, key)
        ).fetchone()
        return row is not None and row[0] == version

    def done_keys(self, stage: str, version: str) -> set[str]:
        """Every key ``stage`` processed at ``version``."""
        rows = self.conn.execute(
            "SELECT key FROM stage_done WHERE stage = ? AND version = ?", (stage, version)
        )
        return {r[0] for r in rows}

    def count_done(self, stage: str, version: str) -> int:
        """How many keys ``stage`` processed at ``version``."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM stage_done WHERE stage = ? AND version = ?", (stage, version)
        ).fetchone()
        return int(row[0])

    def mark_done(self, stage: str, key: str, version: str) -> None:
        """Record that ``stage`` processed ``key`` at ``version``."""
        self.conn.execute(
            "INSERT INTO stage_done(stage, key, version) VALUES (?, ?, ?) "
            "ON CONFLICT(stage, key) DO UPDATE SET version = excluded.version",
            (stage, key, version),
        )

    def clear_stage(self, stage: str) -> None:
        """Forget every marker of ``stage`` (its outputs are rebuilt on the next run)."""
        self.conn.execute("DELETE FROM stage_done WHERE stage = ?", (stage,))

    # -- opaque state (clusterer, entity registry) ----------------------------------------------
    def load_state(self, name: str, version: str) -> bytes | None:
        """Return the saved state blob ``name`` when it was saved at ``version``."""
        row = self.conn.execute(
            "SELECT version, data FROM state WHERE name = ?", (name,)
        ).fetchone()
        if row is None or row[0] != version:
            return None
        return bytes(row[1])

    def save_state(self, name: str, version: str, data: bytes) -> None:
        """Save a state blob."""
        self.conn.execute(
            "INSERT INTO state(name, version, data) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET version = excluded.version, data = excluded.data",
            (name, version, data),
        )


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into complete statements (trigger bodies hold semicolons)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
