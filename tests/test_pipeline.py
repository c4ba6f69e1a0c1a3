"""Stages declare what they require and provide; the order is checked before running."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from storyline.errors import PipelineError
from storyline.pipeline import StageReport, check_order


@dataclass
class FakeStage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    version: str = "v1"

    def run(self, app: object, progress: object) -> StageReport:
        return StageReport(self.name, self.version)


def test_order_is_checked() -> None:
    ingest = FakeStage("ingest", (), ("articles",))
    read = FakeStage("read", ("articles",), ("mentions",))
    check_order([ingest, read])
    with pytest.raises(PipelineError, match="'read' requires \\['articles'\\]"):
        check_order([read, ingest])


def test_real_stages_are_in_a_valid_order() -> None:
    from storyline.api import default_stages

    check_order(default_stages(["examples"]))
