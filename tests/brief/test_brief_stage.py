"""The brief stage rebuilds a brief exactly when what it rests on changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.api import run
from storyline.brief.bundle import StoryBundle
from storyline.cli import main
from storyline.models import Brief
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


def test_an_internal_error_in_one_brief_leaves_the_others_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import storyline.brief.build as build

    real = build.build_brief

    def failing(bundle: StoryBundle) -> Brief:
        if bundle.story.level == "storyline":  # a fault injected where a rule could trip
            raise ValueError("invalid literal for int() with base 10: 'I'")
        return real(bundle)

    monkeypatch.setattr(build, "build_brief", failing)
    db = tmp_path / "s.db"
    # through the command line: the run finishes, names what failed and exits 2
    code = main(["run", str(EXAMPLES), "--db", str(db), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "internal error in brief of sl_" in err and "base 10: 'I'" in err
    assert "everything else was done, and the next run tries them again" in err
    with Store(db) as store:
        levels = [
            r[0]
            for r in store.query("SELECT s.level FROM briefs b JOIN stories s ON s.id = b.story_id")
        ]
    assert levels and set(levels) == {"event"}
    # once the fault is gone, the next run builds the storyline's brief, and only it
    monkeypatch.setattr(build, "build_brief", real)
    settings = Settings.resolve({"db": str(db), "workers": 1}, environ={})
    processed, skipped = _brief_report(settings)
    assert processed == 1 and skipped == len(levels)
