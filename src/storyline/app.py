"""The one application object: settings, store and lazily loaded models, passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storyline.settings import Settings
from storyline.store import ArticleStore, Store

__all__ = ["App", "open_app"]


@dataclass
class App:
    """Settings, the store and the models a run needs."""

    settings: Settings
    store: Store
    _models: dict[str, Any] = field(default_factory=dict)

    @property
    def articles(self) -> ArticleStore:
        """Article records in the store."""
        return ArticleStore(self.store)

    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use."""
        if "nlp" not in self._models:
            from storyline.read.nlp import load_pipeline

            self._models["nlp"] = load_pipeline(self.settings.model)
        return self._models["nlp"]

    def reader(self) -> Any:
        """The read stage's models (spaCy pipeline, quote model, alias table), loaded on first use."""
        if "reader" not in self._models:
            from storyline.read.stage import Reader

            self._models["reader"] = Reader(self.settings.model, strict=self.settings.debug)
        return self._models["reader"]

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_app(settings: Settings | None = None, **overrides: Any) -> App:
    """Open the store named by the settings (``db``) and return the app."""
    resolved = settings or Settings.resolve(overrides)
    return App(settings=resolved, store=Store(resolved.db))
