"""The brief stage: a cited brief for every live event and storyline, rebuilt only when it changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from storyline.brief.bundle import StoryBundle
from storyline.models import Story
from storyline.pipeline import Progress, StageReport
from storyline.store import ArticleStore, Store
from storyline.store.reads import (
    chunks,
    load_dates,
    load_entities,
    load_mentions,
    load_quotes,
    load_story,
)

if TYPE_CHECKING:
    from storyline.app import App

__all__ = ["BriefStage", "load_bundle"]


@dataclass
class BriefStage:
    """Build the brief of each story whose articles or reading changed since its last brief."""

    name: str = "brief"
    # v7: a full timeline shows the story's own dates before background, a range once, and a
    # happening as planned only while no report tells it as done; a story of one report opens on
    # its lede; v8: an agreement on a slot and a place that differs name the entity as written
    # ("NASA", not "Nasa"), a summary sentence leaves out the dateline its lede opens on, and a
    # source names its author
    version: str = "brief.v8"
    requires: tuple[str, ...] = ("events", "storylines", "quotes", "dates", "entities")
    provides: tuple[str, ...] = ("briefs",)

    def run(self, app: App, progress: Progress) -> StageReport:
        """Brief every live story not yet briefed at this version and content."""
        from storyline.brief.build import build_brief

        report = StageReport(stage=self.name, version=self.version)
        store = app.store
        story_ids = [
            r[0]
            for r in store.query("SELECT id FROM stories WHERE merged_into IS NULL ORDER BY id")
        ]
        known = {
            r[0]: (r[1], r[2])
            for r in store.query("SELECT story_id, version, fingerprint FROM briefs")
        }
        for i, story_id in enumerate(story_ids):
            story = load_story(store, story_id)
            if story is None or not story.article_ids:
                continue
            # The fingerprint reads ids and values only, so an unchanged story costs a few
            # indexed queries, not loading its articles.
            fingerprint = _fingerprint(store, story)
            if known.get(story_id) == (self.version, fingerprint):
                report.skipped += 1
                continue
            bundle = load_bundle(store, story_id)
            if bundle is None or not bundle.articles:
                continue
            try:
                brief = build_brief(bundle)
            except Exception as exc:
                if app.settings.debug:
                    raise
                # One story's brief must not stop the others; its old brief, if any, stays
                # until a run builds this one, as its fingerprint no longer matches.
                report.failures.append(f"brief of {story_id}: {type(exc).__name__}: {exc}")
                report.counts[f"{bundle.story.level} briefs not built (internal error)"] += 1
                continue
            with store.transaction():
                store.execute(
                    "INSERT INTO briefs(story_id, version, fingerprint, data) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(story_id) DO UPDATE SET version = excluded.version, "
                    "fingerprint = excluded.fingerprint, data = excluded.data",
                    (
                        story_id,
                        self.version,
                        fingerprint,
                        json.dumps(asdict(brief), ensure_ascii=False),
                    ),
                )
                if brief.title and brief.title != bundle.story.title:
                    store.execute(
                        "UPDATE stories SET title = ? WHERE id = ?", (brief.title, story_id)
                    )
            report.processed += 1
            report.counts[f"{bundle.story.level} briefs"] += 1
            progress(self.name, i + 1, len(story_ids))
        # Briefs of stories merged away are dropped; their ids resolve through `stories.merged_into`.
        with store.transaction():
            store.execute(
                "DELETE FROM briefs WHERE story_id IN "
                "(SELECT id FROM stories WHERE merged_into IS NOT NULL)"
            )
        return report


def load_bundle(store: Store, story_id: str) -> StoryBundle | None:
    """Everything a brief needs about one story, from the store."""
    story = load_story(store, story_id)
    if story is None:
        return None
    articles_store = ArticleStore(store)
    articles = [a for a in (articles_store.get(i) for i in story.article_ids) if a is not None]
    ids = [a.id for a in articles]
    mentions = load_mentions(store, ids)
    entities = load_entities(store, [m.entity_id for m in mentions if m.entity_id])
    children = []
    if story.level == "storyline":
        for row in store.query(
            "SELECT id FROM stories WHERE parent_id = ? AND merged_into IS NULL ORDER BY first_seen, id",
            (story.id,),
        ):
            child = load_story(store, row[0])
            if child is not None and child.article_ids:
                children.append(child)
    return StoryBundle(
        story=story,
        articles=articles,
        quotes=load_quotes(store, ids),
        dates=load_dates(store, ids),
        mentions=mentions,
        entities=entities,
        children=children,
    )


def _fingerprint(store: Store, story: Story) -> str:
    """Changes when the story's articles, their reading, their entities or its events change."""
    digest = hashlib.sha256()

    def feed(rows: list[Any]) -> None:
        for row in rows:
            digest.update("\x1f".join(str(v) for v in row).encode())
            digest.update(b"\x1e")

    ids = sorted(story.article_ids)
    feed([(i,) for i in ids])
    for table, sql in (
        ("quotes", "SELECT id FROM quotes WHERE article_id IN ({}) ORDER BY id"),
        (
            "dates",
            "SELECT article_id, start, end, type, value FROM dates WHERE article_id IN ({}) "
            "ORDER BY article_id, start, end",
        ),
        (
            "entities",
            "SELECT DISTINCT e.id, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.article_id IN ({}) ORDER BY e.id",
        ),
    ):
        digest.update(table.encode())
        for chunk in chunks(ids):
            feed(store.query(sql.format(",".join("?" * len(chunk))), chunk))
    children = store.query(
        "SELECT s.id FROM stories s WHERE s.parent_id = ? AND s.merged_into IS NULL "
        "AND EXISTS (SELECT 1 FROM articles a WHERE a.event_id = s.id) ORDER BY s.first_seen, s.id",
        (story.id,),
    )
    digest.update(b"children")
    feed(children)
    return digest.hexdigest()[:16]
