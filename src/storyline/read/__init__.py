"""Per-article understanding: entities, quotes, dates."""
