"""Stages, what they require and provide, the order check, and the incremental run loop.

A stage reads what the store holds, writes its results with its own ``version``, and skips what it
already did at that version, so a run can be interrupted and resumed and a second run adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from storyline.errors import PipelineError

if TYPE_CHECKING:
    from storyline.app import App

__all__ = ["Progress", "Stage", "StageReport", "check_order", "run_stages"]

Progress = Callable[[str, int, int | None], None]
"""``progress(stage_name, done, total)``; total is None when unknown."""


@dataclass
class StageReport:
    """What one stage did in one run."""

    stage: str
    version: str
    processed: int = 0
    skipped: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    # Items (an article's reading, a story's brief) that failed with an internal error: the
    # stage went on without them, stored nothing for them, and a later run tries them again.
    failures: list[str] = field(default_factory=list)


@runtime_checkable
class Stage(Protocol):
    """One step of the flow: declares what it needs and provides, and records its version."""

    name: str
    version: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def run(self, app: App, progress: Progress) -> StageReport:
        """Do the work not yet done at this version."""
        ...


def check_order(stages: Sequence[Stage], available: Sequence[str] = ()) -> None:
    """Raise :class:`PipelineError` unless every requirement is provided by an earlier stage."""
    have = set(available)
    for stage in stages:
        missing = [r for r in stage.requires if r not in have]
        if missing:
            raise PipelineError(
                f"stage {stage.name!r} requires {missing} but no earlier stage provides it; "
                f"order the stages so that providers come first"
            )
        have.update(stage.provides)


def run_stages(app: App, stages: Sequence[Stage], progress: Progress) -> list[StageReport]:
    """Run stages in order after checking it; each one skips what it already did."""
    import time

    # Data already in the store counts as provided: `storyline run` after `storyline ingest`.
    check_order(stages, available=("articles",) if stages and stages[0].name != "ingest" else ())
    reports = []
    for stage in stages:
        started = time.perf_counter()
        report = stage.run(app, progress)
        report.seconds = time.perf_counter() - started
        reports.append(report)
    return reports
