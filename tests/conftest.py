"""Shared fixtures: paths to the bundled examples and the gold data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval.common import shared_dir

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@pytest.fixture
def examples_dir() -> Path:
    """The two bundled seed articles."""
    return EXAMPLES


@pytest.fixture
def shared() -> Path:
    """The shared folder with gold data; tests using it skip on a user's machine."""
    root = shared_dir()
    if root is None:
        pytest.skip("gold data not present: ../shared/eval is absent (set STORYLINE_SHARED)")
    return root


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database path."""
    return tmp_path / "storyline.db"
