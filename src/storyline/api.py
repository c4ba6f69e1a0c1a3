"""The library's front door: what the CLI does, callable from Python."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from storyline.app import App
from storyline.pipeline import Progress, Stage, StageReport, run_stages
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["default_stages", "ingest", "report", "run"]


def _quiet(stage: str, done: int, total: int | None) -> None:
    """A progress callback that reports nothing."""


def default_stages(inputs: Sequence[str], stdin: IO[bytes] | None = None) -> list[Stage]:
    """The full flow: ingest (when there are inputs), read, link, brief."""
    from storyline.brief.stage import BriefStage
    from storyline.ingest.stage import IngestStage
    from storyline.link.stage import LinkStage
    from storyline.read.stage import ReadStage

    stages: list[Stage] = []
    if inputs:
        stages.append(IngestStage(list(inputs), stdin=stdin))
    stages += [ReadStage(), LinkStage(), BriefStage()]
    return stages


def ingest(
    inputs: Sequence[str],
    settings: Settings | None = None,
    stdin: IO[bytes] | None = None,
    progress: Progress = _quiet,
) -> list[StageReport]:
    """Ingest inputs into the store: clean articles, metadata, duplicates, rejections."""
    from storyline.ingest.stage import IngestStage

    settings = settings or Settings.resolve()
    with App(settings=settings, store=Store(settings.db)) as app:
        return run_stages(app, [IngestStage(list(inputs), stdin=stdin)], progress)


def run(
    inputs: Sequence[str],
    settings: Settings | None = None,
    stdin: IO[bytes] | None = None,
    progress: Progress = _quiet,
) -> list[StageReport]:
    """Ingest inputs and process everything not yet done."""
    settings = settings or Settings.resolve()
    with App(settings=settings, store=Store(settings.db)) as app:
        return run_stages(app, default_stages(inputs, stdin), progress)


def report(out_dir: str | Path, settings: Settings | None = None) -> Path:
    """Write the static HTML report (and Markdown) of every story; return the index page."""
    from storyline.render.report import write_store_report

    settings = settings or Settings.resolve()
    with Store(settings.db, readonly=True) as store:
        return write_store_report(store, Path(out_dir))
