"""The store: the only door to the database (schema, migrations, SQLite backend)."""

from storyline.store.articles import ArticleStore
from storyline.store.db import Store

__all__ = ["ArticleStore", "Store"]
