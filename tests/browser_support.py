"""Headless Debian Chromium for the browser tests: where it is, how it starts, when to skip."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No background networking, sync or component updates: the machine is offline and a test must
# see only the requests the page itself makes.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEEDS_BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="needs the playwright package (pip install playwright)",
    ),
]


def needs_browser(test: Any) -> Any:
    """Mark one test as a browser test that skips, with the reason, where Chromium is missing."""
    for mark in NEEDS_BROWSER:
        test = mark(test)
    return test
