"""The link stage: entity identity across articles, then events and storylines, incrementally."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from storyline.link.consensus import place_batch
from storyline.link.events import Changes, ClusterItem, EventClusterer, StateRow
from storyline.link.identity_store import link_entities
from storyline.link.rebuild import carry_ids, earlier_ids
from storyline.models import Story
from storyline.pipeline import Progress, StageReport
from storyline.store import Store
from storyline.store.reads import chunks, load_dates

if TYPE_CHECKING:
    from storyline.app import App

__all__ = ["UPSERT_STORY", "LinkStage", "story_row"]

CLUSTER_STAGE = "link.events"
# What the clusterer reads of a stored article (a constant: no value is ever spliced in).
_ARTICLES = (
    "SELECT a.id, a.title, a.text, a.published, a.duplicate_of FROM articles a "
    "WHERE a.status = 'ok'"
)


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
        # Only articles without a marker are read: the texts of those already placed are never
        # loaded again, so a run reads what is new, not everything stored.
        todo = store.query(
            _ARTICLES + " AND NOT EXISTS (SELECT 1 FROM stage_done d "
            "WHERE d.stage = ? AND d.key = a.id AND d.version = ?) ORDER BY a.seq",
            (CLUSTER_STAGE, self.version),
        )
        report.skipped += store.count_done(CLUSTER_STAGE, self.version)
        if not todo:
            return
        todo_ids = [r["id"] for r in todo]
        rows = _state_rows(store)
        whole = bool(rows) and _stored(store) <= app.settings.rebuild_limit
        if whole:
            # A small collection is placed again whole: what earlier runs decided on a few
            # reports is re-decided with what this run brings (see ``link.rebuild``).
            todo = store.query(_ARTICLES + " ORDER BY a.seq", ())
        items = _items(store, todo)
        with store.transaction():
            old = _load_clusterer(rows) if whole else None
            old_ids = set(old.events.clusters) if old is not None else set()
            fresh: Callable[[], EventClusterer] = (
                partial(_hinted_clusterer, earlier_ids(old))
                if old is not None
                else partial(_load_clusterer, rows)
            )
            # Oldest first, as the news happened, whatever order the batch was stored in; where
            # publication times leave the order open, what several orders agree on.
            placed = place_batch(
                fresh,
                items,
                lambda done, total: progress(self.name, done, total),
                app.settings.placement_passes,
                app.settings.workers,
            )
            clusterer = placed.clusterer
            if old is not None:
                clusterer, retired = carry_ids(clusterer, old)
                report.counts["collection placed again whole"] += 1
                report.counts["stories retired by placing again"] += retired
                # Every event was founded again: count those the collection did not hold.
                placed.counts.pop("joined events", None)
                placed.counts["new events"] = sum(
                    1 for s in clusterer.stories() if s.level == "event" and s.id not in old_ids
                )
                store.execute("DELETE FROM cluster_state")  # all of it is written again below
            for aid in todo_ids:
                store.mark_done(CLUSTER_STAGE, aid, self.version)
            report.processed += len(todo_ids)
            report.counts.update(placed.counts)
            if placed.passes > 1:
                report.counts["placement passes"] = placed.passes
            changes = clusterer.changes()  # saving the state clears what changed: read it first
            _save_clusterer(store, clusterer)
            stories, articles = _write_stories(store, clusterer, changes)
            if old is not None:
                # Placed again, a story merged away earlier may now lead elsewhere.
                store.conn.executemany(
                    "UPDATE stories SET merged_into = ? WHERE id = ?",
                    [(clusterer.resolve(sid), sid) for sid in changes.merged],
                )
            report.counts["stories written"] += stories
            report.counts["article assignments written"] += articles
        progress(self.name, len(todo), len(todo))


def _items(store: Store, rows: list[Any]) -> list[ClusterItem]:
    """The articles of ``rows`` as the clusterer reads them: text, title, key actors, dates."""
    names = _entity_names(store, [r["id"] for r in rows])
    dates = _date_values(store, [r["id"] for r in rows])
    return [
        ClusterItem(
            article_id=row["id"],
            text=row["text"] or "",
            title=row["title"],
            entities=names.get(row["id"], []),
            published=row["published"],
            dates=dates.get(row["id"], []),
            duplicate_of=row["duplicate_of"],
        )
        for row in rows
    ]


def _stored(store: Store) -> int:
    """How many articles the collection holds (placed or about to be)."""
    return int(store.query("SELECT COUNT(*) FROM articles WHERE status = 'ok'", ())[0][0])


def _hinted_clusterer(hints: dict[str, tuple[str, str]]) -> EventClusterer:
    """A fresh clusterer that gives found stories the ids their articles had."""
    clusterer = EventClusterer()
    clusterer.prefer_ids(hints)
    return clusterer


def _state_rows(store: Store) -> list[StateRow]:
    """The saved cluster state, in the order ``load_state`` reads it."""
    rows = store.query("SELECT kind, key, data FROM cluster_state")
    order = {"meta": 0, "df": 1, "event": 2, "storyline": 3, "index": 4, "article": 5, "ageing": 6}
    return sorted(((r[0], r[1], r[2]) for r in rows), key=lambda r: order.get(r[0], 9))


def _load_clusterer(rows: list[StateRow]) -> EventClusterer:
    clusterer = EventClusterer()
    if rows:
        clusterer.load_state(rows)
    return clusterer


def _save_clusterer(store: Store, clusterer: EventClusterer) -> None:
    for kind, key, data in clusterer.state_rows(dirty_only=True):
        store.execute(
            "INSERT INTO cluster_state(kind, key, data) VALUES (?, ?, ?) "
            "ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data",
            (kind, key, data),
        )


UPSERT_STORY = (
    "INSERT INTO stories(id, level, title, parent_id, first_seen, last_seen, history) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
    "parent_id = excluded.parent_id, first_seen = excluded.first_seen, "
    "last_seen = excluded.last_seen, history = excluded.history, merged_into = NULL"
)


def story_row(story: Story) -> tuple[str | None, ...]:
    """The parameters of ``UPSERT_STORY`` for ``story``."""
    return (
        story.id,
        story.level,
        story.title,
        story.parent_id,
        story.first_seen,
        story.last_seen,
        json.dumps(story.history),
    )


def _write_stories(store: Store, clusterer: EventClusterer, changes: Changes) -> tuple[int, int]:
    """Write what this run changed: its stories, the merged-away ones, and moved articles.

    Stories and articles the run did not touch already hold what a full rewrite would write
    (each earlier run wrote its own changes), so the tables end as if every story and article
    had been rewritten. Return the numbers of story and article rows written.
    """
    store.conn.executemany(UPSERT_STORY, [story_row(story) for story in changes.stories])
    written = len(changes.stories)
    # A story keeps the survivor it was first merged into, as the full rewrite recorded it.
    written += store.conn.executemany(
        "UPDATE stories SET merged_into = ? WHERE id = ? AND merged_into IS NULL",
        [(clusterer.resolve(sid), sid) for sid in changes.merged],
    ).rowcount
    placed = []
    for aid in changes.articles:
        event, storyline = clusterer.event_of(aid), clusterer.storyline_of(aid)
        placed.append((event, storyline, aid, event, storyline))
    moved = store.conn.executemany(
        "UPDATE articles SET event_id = ?, storyline_id = ? WHERE id = ? AND status = 'ok' "
        "AND (event_id IS NOT ? OR storyline_id IS NOT ?)",
        placed,
    ).rowcount
    written += _mend_event_parents(store)
    return written, moved


# Stores written before storyline merges carried their events along hold events under a
# storyline merged away or never written; their articles know the live one. Once per store:
# the check reads every event row (76 ms at a million articles), and merges now keep them right.
_MEND = ("link.mend", "event parents", "1")


def _mend_event_parents(store: Store) -> int:
    """Point events stored under a storyline that no longer stands at their articles' one."""
    stage, key, version = _MEND
    if store.is_done(stage, key, version):
        return 0
    mended = store.execute(
        "UPDATE stories SET parent_id = (SELECT a.storyline_id FROM articles a "
        "WHERE a.event_id = stories.id AND a.storyline_id IS NOT NULL LIMIT 1) "
        "WHERE level = 'event' AND merged_into IS NULL AND parent_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = stories.parent_id "
        "AND s.merged_into IS NULL) "
        "AND EXISTS (SELECT 1 FROM articles a WHERE a.event_id = stories.id "
        "AND a.storyline_id IS NOT NULL)"
    ).rowcount
    store.mark_done(stage, key, version)
    return mended


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
