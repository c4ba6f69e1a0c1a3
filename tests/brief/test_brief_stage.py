"""The brief stage rebuilds a brief exactly when what it rests on changed."""

from __future__ import annotations

from pathlib import Path

from storyline.api import run
from storyline.settings import Settings
from storyline.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _brief_report(settings: Settings) -> tuple[int, int]:
    reports = run([str(EXAMPLES)], settings=settings)
    brief = next(r for r in reports if r.stage == "brief")
    return brief.processed, brief.skipped


def test_briefs_rebuild_when_a_reading_changes(tmp_path: Path) -> None:
    settings = Settings.resolve({"db": str(tmp_path / "s.db"), "workers": 1}, environ={})
    first, _ = _brief_report(settings)
    assert first >= 2  # at least one event and its storyline
    assert _brief_report(settings) == (0, first)
    with Store(tmp_path / "s.db") as store, store.transaction():
        # What a re-read at a new version would do: one resolved date gets another value.
        row = store.query("SELECT article_id, start, end FROM dates LIMIT 1")[0]
        store.execute(
            "UPDATE dates SET value = '1999-01-01' WHERE article_id = ? AND start = ? AND end = ?",
            tuple(row),
        )
    again, skipped = _brief_report(settings)
    assert again >= 2 and again + skipped == first  # the stories holding that article, only
