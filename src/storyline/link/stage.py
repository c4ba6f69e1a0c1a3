"""The link stage: entity identity across articles, then events and storylines, incrementally."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.link.events import ClusterItem, EventClusterer
from storyline.link.identity_store import link_entities
from storyline.pipeline import Progress, StageReport
from storyline.store import Store
from storyline.store.reads import chunks, load_dates

if TYPE_CHECKING:
    from storyline.app import App

__all__ = ["LinkStage"]

CLUSTER_STAGE = "link.events"


@dataclass
class LinkStage:
    """One identity per entity across articles; each article into an event and a storyline."""

    name: str = "link"
    version: str = "link.v1"
    requires: tuple[str, ...] = ("articles", "mentions", "dates")
    provides: tuple[str, ...] = ("entities", "events", "storylines")

    def run(self, app: App, progress: Progress) -> StageReport:
        """Link entities of newly read articles, then place new articles into stories."""
        report = StageReport(stage=self.name, version=self.version)
        report.counts["entities linked in articles"] = link_entities(app.store, self.version)
        self._cluster(app, report, progress)
        return report

    def _cluster(self, app: App, report: StageReport, progress: Progress) -> None:
        store = app.store
        done = store.done_keys(CLUSTER_STAGE, self.version)
        todo = [
            row
            for row in store.query(
                "SELECT id, title, text, published, duplicate_of FROM articles "
                "WHERE status = 'ok' ORDER BY seq"
            )
            if row["id"] not in done
        ]
        report.skipped += len(done)
        if not todo:
            return
        clusterer = _load_clusterer(store)
        names = _entity_names(store, [r["id"] for r in todo])
        dates = _date_values(store, [r["id"] for r in todo])
        with store.transaction():
            for i, row in enumerate(todo):
                item = ClusterItem(
                    article_id=row["id"],
                    text=row["text"] or "",
                    title=row["title"],
                    entities=names.get(row["id"], []),
                    published=row["published"],
                    dates=dates.get(row["id"], []),
                    duplicate_of=row["duplicate_of"],
                )
                assignment = clusterer.add(item)
                report.counts["new events" if assignment.new_event else "joined events"] += 1
                store.mark_done(CLUSTER_STAGE, row["id"], self.version)
                report.processed += 1
                if i % 200 == 0:
                    progress(self.name, i, len(todo))
            _save_clusterer(store, clusterer)
            _write_stories(store, clusterer)
        progress(self.name, len(todo), len(todo))


def _load_clusterer(store: Store) -> EventClusterer:
    clusterer = EventClusterer()
    rows = store.query("SELECT kind, key, data FROM cluster_state")
    if rows:
        order = {"meta": 0, "df": 1, "event": 2, "storyline": 3, "article": 4}
        clusterer.load_state(
            sorted(((r[0], r[1], r[2]) for r in rows), key=lambda r: order.get(r[0], 9))
        )
    return clusterer


def _save_clusterer(store: Store, clusterer: EventClusterer) -> None:
    for kind, key, data in clusterer.state_rows(dirty_only=True):
        store.execute(
            "INSERT INTO cluster_state(kind, key, data) VALUES (?, ?, ?) "
            "ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data",
            (kind, key, data),
        )


def _write_stories(store: Store, clusterer: EventClusterer) -> None:
    """Upsert every story and point each article at its current event and storyline."""
    stories = clusterer.stories()
    for story in stories:
        store.execute(
            "INSERT INTO stories(id, level, title, parent_id, first_seen, last_seen, history) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "parent_id = excluded.parent_id, first_seen = excluded.first_seen, "
            "last_seen = excluded.last_seen, history = excluded.history, merged_into = NULL",
            (
                story.id,
                story.level,
                story.title,
                story.parent_id,
                story.first_seen,
                story.last_seen,
                json.dumps(story.history),
            ),
        )
    live = {s.id for s in stories}
    for row in store.query("SELECT id FROM stories WHERE merged_into IS NULL"):
        if row[0] not in live:
            store.execute(
                "UPDATE stories SET merged_into = ? WHERE id = ?",
                (clusterer.resolve(row[0]), row[0]),
            )
    for row in store.query("SELECT id, event_id, storyline_id FROM articles WHERE status = 'ok'"):
        event = clusterer.event_of(row[0])
        storyline = clusterer.storyline_of(row[0])
        if (event, storyline) != (row[1], row[2]):
            store.execute(
                "UPDATE articles SET event_id = ?, storyline_id = ? WHERE id = ?",
                (event, storyline, row[0]),
            )


def _entity_names(store: Store, article_ids: list[str]) -> dict[str, list[str]]:
    """Canonical names of the entities each article mentions (its key actors)."""
    names: dict[str, list[str]] = defaultdict(list)
    for chunk in chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        rows = store.query(
            "SELECT m.article_id, COALESCE(e.name, m.text) FROM mentions m "
            f"LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({marks}) "
            "ORDER BY m.article_id, m.start",
            chunk,
        )
        for row in rows:
            names[row[0]].append(row[1])
    return names


def _date_values(store: Store, article_ids: list[str]) -> dict[str, list[str]]:
    """Resolved calendar dates each article reports (values with unknown parts left out)."""
    values: dict[str, list[str]] = defaultdict(list)
    for mention in load_dates(store, article_ids):
        value = mention.value
        if mention.type == "DATE" and len(value) == 10 and value[:4].isdigit() and "X" not in value:
            values[mention.article_id].append(value)
    return values
