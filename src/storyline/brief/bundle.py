"""The input of a brief: one story and everything the read and link stages found in its articles."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.models import Article, DateMention, Entity, EntityMention, Quote, Story

__all__ = ["StoryBundle"]


@dataclass
class StoryBundle:
    """A story with its articles (copies marked by ``duplicate_of``), quotes, dates and entities."""

    story: Story
    articles: list[Article]
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    children: list[Story] = field(default_factory=list)  # a storyline's events

    def usable_articles(self) -> list[Article]:
        """Return the articles that have text and were accepted, in bundle order."""
        return [a for a in self.articles if a.status == "ok" and a.text]

    def article_map(self) -> dict[str, Article]:
        """Return the bundle's articles by id."""
        return {a.id: a for a in self.articles}

    def root_of(self, article_id: str) -> str:
        """Follow ``duplicate_of`` links to the original within this bundle (cycle-safe)."""
        return _root(article_id, self._usable_by_id())

    def roots(self) -> dict[str, str]:
        """Each usable article's original (see ``root_of``), for all of them at once."""
        by_id = self._usable_by_id()
        return {aid: _root(aid, by_id) for aid in by_id}

    def originals(self) -> list[Article]:
        """Return one representative per independent source: articles that copy nothing here."""
        by_id = self._usable_by_id()
        return [a for a in by_id.values() if _root(a.id, by_id) == a.id]

    def _usable_by_id(self) -> dict[str, Article]:
        # Built once per call, not per article: a story of thousands of articles would otherwise
        # cost a map of all of them for each one.
        return {a.id: a for a in self.usable_articles()}  # a rejected original cannot represent


def _root(article_id: str, by_id: dict[str, Article]) -> str:
    """Follow ``duplicate_of`` links among ``by_id`` from ``article_id`` (cycle-safe)."""
    seen = {article_id}
    current = article_id
    while True:
        parent = by_id[current].duplicate_of if current in by_id else None
        if parent is None or parent not in by_id or parent in seen:
            return current
        seen.add(parent)
        current = parent
