"""Every setting storyline has: name, default, help. Resolved once: defaults < config file < env < flags.

Environment variables are ``STORYLINE_<NAME>`` in upper case (``STORYLINE_DB``,
``STORYLINE_ALLOW_PRIVATE_ADDRESSES``). The table below drives the CLI's help and the docs.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from storyline.errors import UsageError

__all__ = ["SETTINGS_HELP", "Settings"]


@dataclass(frozen=True)
class Settings:
    """Resolved settings, passed explicitly to whatever needs them (no global state)."""

    db: str = "storyline.db"
    max_document_bytes: int = 20_000_000
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 10_000_000
    allow_private_addresses: bool = False
    user_agent: str = "storyline/0.1 (+https://example.invalid/storyline)"
    workers: int = 2
    duplicate_threshold: float = 0.7
    model: str = "en_core_web_sm"
    read_languages: str = "en"
    placement_passes: int = 5
    rebuild_limit: int = 2000
    # An internal error in one article's reading or one story's brief stops the run (with its
    # traceback) instead of being reported while the run goes on without that item.
    debug: bool = False

    @classmethod
    def resolve(
        cls,
        overrides: dict[str, Any] | None = None,
        environ: dict[str, str] | None = None,
        config_file: str | Path | None = None,
    ) -> Settings:
        """Build settings from a JSON config file, then ``STORYLINE_*`` variables, then overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        config_path = config_file or env.get("STORYLINE_CONFIG")
        if config_path:
            try:
                values.update(json.loads(Path(config_path).read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise UsageError(f"cannot read config file {config_path}: {exc}") from exc
        for f in fields(cls):
            raw = env.get(f"STORYLINE_{f.name.upper()}")
            if raw is not None:
                values[f.name] = raw
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key] = value
        return cls(**{k: _coerce(k, v) for k, v in values.items() if _known(k)})


SETTINGS_HELP: dict[str, str] = {
    "db": "SQLite database file (also $STORYLINE_DB)",
    "max_document_bytes": "documents larger than this are rejected as too_large",
    "fetch_timeout": "seconds before a URL fetch gives up",
    "fetch_max_bytes": "largest response body a fetch will read",
    "allow_private_addresses": "let the fetcher reach private, loopback and link-local addresses",
    "user_agent": "User-Agent header sent when fetching",
    "workers": "worker processes for extraction, reading and placement passes",
    "duplicate_threshold": "estimated Jaccard similarity above which an article is a near-duplicate",
    "model": "spaCy pipeline name (the PyPI mirror of en_core_web_sm is used when absent)",
    "read_languages": "comma-separated languages (ISO 639-1) the read stage reads for entities, "
    "quotes and dates; others are stored, grouped and briefed but not read (*: read every text)",
    "placement_passes": "times a link run places a batch whose publication times tie, keeping "
    "the events most passes agree on (1: once, faster for large backfills)",
    "rebuild_limit": "while the stored articles number at most this, each link run places them "
    "all again, so early mistakes are re-decided with what later runs brought (0: never)",
    "debug": "stop at an internal error in one article's reading or one story's brief, with its "
    "traceback, instead of naming it and going on without that item",
}

_MINIMUM = {"placement_passes": 1, "rebuild_limit": 0}


def _known(name: str) -> bool:
    if name not in {f.name for f in fields(Settings)}:
        raise UsageError(f"unknown setting {name!r}; known: {', '.join(SETTINGS_HELP)}")
    return True


def _coerce(name: str, value: Any) -> Any:
    if name == "read_languages":
        return _languages(value)
    default = getattr(Settings, name)
    if isinstance(default, bool) and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    try:
        coerced = type(default)(value)
    except (TypeError, ValueError) as exc:
        raise UsageError(
            f"setting {name}={value!r} is not a valid {type(default).__name__}"
        ) from exc
    if name in _MINIMUM and coerced < _MINIMUM[name]:
        raise UsageError(f"setting {name}={value!r} must be at least {_MINIMUM[name]}")
    return coerced


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _languages(value: Any) -> str:
    """``read_languages`` as sorted, lower-case, comma-joined codes, or ``*`` for every one."""
    codes = value if isinstance(value, list) else str(value).split(",")
    cleaned = sorted({str(c).strip().lower() for c in codes if str(c).strip()})
    if cleaned == ["*"]:
        return "*"
    bad = [c for c in cleaned if not _LANGUAGE_CODE.fullmatch(c)]
    if bad or not cleaned:
        raise UsageError(
            f"setting read_languages={value!r} must be language codes such as 'en' or 'en,de' "
            "(ISO 639-1), or '*' for every language"
        )
    return ",".join(cleaned)
