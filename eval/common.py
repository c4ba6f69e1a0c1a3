"""Locating the gold data: $STORYLINE_SHARED, else the shared/ folder beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """Return the shared folder holding eval/ and seeds/, or None when this machine has none."""
    candidates = [os.environ.get("STORYLINE_SHARED"), str(REPO_ROOT.parent / "shared")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "eval").is_dir():
            return Path(candidate)
    return None


def eval_dir(name: str) -> Path | None:
    """Return ``shared/eval/<name>`` when present."""
    root = shared_dir()
    if root is None:
        return None
    path = root / "eval" / name
    return path if path.exists() else None
