"""The link stage writes only what a run changed, and the tables end as a full rewrite leaves them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from bench.link_stage import store_mentions
from bench.stories_scale import Stream

from storyline.app import App
from storyline.link import stage as link_stage
from storyline.link.events import Changes, ClusterConfig, EventClusterer
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import ArticleStore, Store

# Batch ends over the 307 articles of the synthetic stream (seed 7). With each article timed
# (one pass per batch), an event stored by the first run splits in the second (members stored
# earlier move to a new event), an article founds an event that merges at once into an older one
# in the third, and a storyline founded in the third run merges into an older one in the fourth
# (its articles move); with the articles of a day tied, a stored storyline merges as well.
BATCHES = (50, 80, 300, 307)


def _articles(timed: bool = False) -> list[tuple[Article, list[str]]]:
    """The stream's articles with the names each mentions (what the read stage would find);
    ``timed`` gives each its own time of day, so no two tie in publication order."""
    out = []
    for n, (fields, _) in enumerate(Stream(300).articles()):
        published = str(fields["published"])
        if timed:
            published += f"T{n // 60 % 24:02d}:{n % 60:02d}:00+00:00"
        out.append(
            (
                Article(
                    id=str(fields["article_id"]),
                    source="synthetic:" + str(fields["article_id"]),
                    title=str(fields["title"]),
                    published=published,
                    text=str(fields["text"]),
                    duplicate_of=fields["duplicate_of"],  # type: ignore[arg-type]
                ),
                list(fields["entities"]),  # type: ignore[call-overload]
            )
        )
    return out


def _app(path: Path, **settings: Any) -> App:
    # These stores are small enough to be placed again whole at each run: what is checked here
    # is the incremental run, which a larger collection gets (the whole placement has its own
    # tests in test_link_rebuild.py).
    values = {"db": str(path), "rebuild_limit": 0, **settings}
    return App(settings=Settings.resolve(values, environ={}), store=Store(path))


def _insert(app: App, articles: Sequence[tuple[Article, list[str]]]) -> None:
    with app.store.transaction():
        for article, names in articles:
            ArticleStore(app.store).insert(article, None)
            store_mentions(app, article.id, article.text or "", names)


def _full_rewrite(store: Store, clusterer: EventClusterer) -> None:
    """Upsert every story and re-point every article (the stage's former write, the reference)."""
    stories = clusterer.stories()
    for story in stories:
        store.execute(link_stage.UPSERT_STORY, link_stage.story_row(story))
    live = {s.id for s in stories}
    for row in store.query("SELECT id FROM stories WHERE merged_into IS NULL"):
        if row[0] not in live:
            store.execute(
                "UPDATE stories SET merged_into = ? WHERE id = ? AND merged_into IS NULL",
                (clusterer.resolve(row[0]), row[0]),
            )
    for row in store.query("SELECT id FROM articles WHERE status = 'ok'"):
        store.execute(
            "UPDATE articles SET event_id = ?, storyline_id = ? WHERE id = ?",
            (clusterer.event_of(row[0]), clusterer.storyline_of(row[0]), row[0]),
        )


def _table(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.query(sql)]


STORIES = "SELECT * FROM stories ORDER BY id"
ARTICLES = "SELECT id, event_id, storyline_id FROM articles ORDER BY id"


Rows = list[tuple[Any, ...]]
Snapshot = tuple[tuple[Rows, Rows], tuple[Rows, Rows]]  # (stories, reference), (articles, ...)


@pytest.fixture(scope="module", params=["timed", "dated", "loose"])
def batched(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[dict[str, int]], list[Snapshot]]:
    """Run the stage batch by batch; after each run, the tables beside a full rewrite's.

    "timed" articles each have their own time, so each batch is placed in one pass; "dated"
    ones share their days, so each batch is placed more than once, and its first two passes
    agree. "loose" is "dated" with a low joining bar (0.15), at which they do not: the first
    run's agreed events are placed in a pass of their own, the second run's last pass is kept."""
    root = tmp_path_factory.mktemp("incremental")
    articles = _articles(timed=request.param == "timed")
    mp = pytest.MonkeyPatch()
    if request.param == "loose":
        config = ClusterConfig(event_threshold=0.15)
        mp.setattr(link_stage, "EventClusterer", lambda: EventClusterer(config))
    app, reference = _app(root / "a.db"), _app(root / "b.db")
    real_write = link_stage._write_stories
    new_ids: list[str] = []
    leaked: list[str] = []

    def write_both(store: Store, clusterer: EventClusterer, changes: Changes) -> tuple[int, int]:
        # The same clusterer, at the same moment, written in full into the reference store.
        with reference.store.transaction():
            _full_rewrite(reference.store, clusterer)
        return real_write(store, clusterer, changes)

    def watched_query(sql: str, params: Any = ()) -> list[sqlite3.Row]:
        rows = Store.query(app.store, sql, params)
        # ``in`` on a row looks at its values, so ask its keys whether it holds a text.
        texts = [r for r in rows if "text" in r.keys()]  # noqa: SIM118
        leaked.extend(r["id"] for r in texts if r["id"] not in new_ids)
        return rows

    app.store.query = watched_query  # type: ignore[method-assign]
    mp.setattr(link_stage, "_write_stories", write_both)
    counts: list[dict[str, int]] = []
    snapshots: list[Snapshot] = []
    start = 0
    try:
        for end in BATCHES:
            batch = articles[start:end]
            new_ids[:] = [a.id for a, _ in batch]
            _insert(app, batch)
            _insert(reference, batch)
            report = link_stage.LinkStage().run(app, lambda *_: None)
            assert report.processed == len(batch)
            counts.append(dict(report.counts))
            snapshots.append(
                (
                    (_table(app.store, STORIES), _table(reference.store, STORIES)),
                    (_table(app.store, ARTICLES), _table(reference.store, ARTICLES)),
                )
            )
            start = end
    finally:
        mp.undo()
        app.close()
        reference.close()
    assert not leaked, f"texts of already placed articles were read: {leaked[:5]}"
    return counts, snapshots


def test_each_run_leaves_the_tables_a_full_rewrite_leaves(batched: Any) -> None:
    _, snapshots = batched
    for i, ((stories, ref_stories), (articles, ref_articles)) in enumerate(snapshots):
        assert stories == ref_stories, f"stories differ after run {i + 1}"
        assert articles == ref_articles, f"article assignments differ after run {i + 1}"
        assert all(a[1] and a[2] for a in articles)


def test_every_event_stands_under_the_live_storyline_its_articles_are_in(batched: Any) -> None:
    # A storyline merge left its events naming the merged-away storyline (or one never
    # written), so the report listed none of them under the storyline their articles are in.
    _, snapshots = batched
    for i, ((stories, _), (articles, _)) in enumerate(snapshots):
        live = {row[0]: row for row in stories if row[7] is None}
        lines = {sid for sid, row in live.items() if row[1] == "storyline"}
        parent = {sid: row[3] for sid, row in live.items() if row[1] == "event"}
        assert set(parent.values()) <= lines, f"an event names a storyline gone after run {i + 1}"
        for _, event, line in articles:
            assert parent[event] == line, f"{event} stands apart from its articles (run {i + 1})"


def test_the_batches_split_and_merge_stories_stored_earlier(batched: Any) -> None:
    counts, snapshots = batched
    merged_away: set[str] = set()
    actions: set[tuple[str, str]] = set()
    for ((prev, _), _), ((now, _), _) in itertools.pairwise(snapshots):
        earlier = {row[0]: row for row in prev}
        for row in now:
            old = earlier.get(row[0])
            if old is None:
                continue
            if row[7] is not None and old[7] is None:
                merged_away.add(row[1])  # stored by an earlier run, merged away in this one
            grew = json.loads(row[6])[len(json.loads(old[6])) :]
            actions.update((row[1], h["action"]) for h in grew)
    assert "storyline" in merged_away, "set-up: a stored storyline merges into another"
    assert ("storyline", "merge") in actions, "on stories stored earlier"
    if any("placement passes" in c for c in counts):
        return  # batches placed by agreement found their events whole: nothing to split
    assert ("event", "split") in actions, "set-up: an event stored earlier splits"
    (final, _), _ = snapshots[-1]
    merges = [h for row in final if row[1] == "event" for h in json.loads(row[6])]
    assert any(h["action"] == "merge" for h in merges), "set-up: two events merge"


def test_a_run_whose_articles_tie_is_placed_by_agreement(
    batched: Any, request: pytest.FixtureRequest
) -> None:
    counts, _ = batched
    passes = [c.get("placement passes", 1) for c in counts]
    kept = [c.get("last pass kept", 0) for c in counts]
    # Timed articles never tie; those of one day do, and each run is placed twice, or five
    # times when its first two passes disagree.
    assert (
        passes
        == {
            "timed": [1, 1, 1, 1],
            "dated": [2, 2, 2, 2],
            "loose": [5, 5, 2, 2],
        }[request.node.callspec.params["batched"]]
    )
    assert kept == ([0, 1, 0, 0] if passes[0] == 5 else [0, 0, 0, 0])


def test_one_placement_pass_is_a_setting(tmp_path: Path) -> None:
    app = _app(tmp_path / "s.db", placement_passes=1)
    _insert(app, _articles()[:60])
    report = link_stage.LinkStage().run(app, lambda *_: None)
    assert report.processed == 60 and "placement passes" not in report.counts
    app.close()


def test_runs_write_far_fewer_rows_than_are_stored(batched: Any) -> None:
    counts, snapshots = batched
    (stories, _), (articles, _) = snapshots[-1]
    last = counts[-1]
    new = BATCHES[-1] - BATCHES[-2]
    assert 0 < last["stories written"] < len(stories)
    # New articles plus the members of what merged or split: fewer than all stored.
    assert new <= last["article assignments written"] < len(articles)


def test_a_later_run_slims_the_events_an_earlier_run_left_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A run a day: the first run's events are live when it ends and stay whole; a run half a
    # year later, about other happenings, finds them in the saved queue and slims them.
    config = ClusterConfig(slim_idle=1)
    monkeypatch.setattr(link_stage, "EventClusterer", lambda: EventClusterer(config))
    articles = _articles()
    later = [
        (dataclasses.replace(a, published=f"2022-{a.published[5:]}"), names)
        for a, names in articles[100:140]
    ]
    app = _app(tmp_path / "s.db")

    def saved_events() -> dict[str, dict[str, Any]]:
        rows = app.store.query("SELECT key, data FROM cluster_state WHERE kind = 'event'")
        return {r["key"]: json.loads(r["data"]) for r in rows}

    _insert(app, articles[:60])
    link_stage.LinkStage().run(app, lambda *_: None)
    first = {k for k, e in saved_events().items() if e["merged_into"] is None}
    assert all(saved_events()[k]["exemplars"] for k in first)
    _insert(app, later)
    link_stage.LinkStage().run(app, lambda *_: None)
    after = saved_events()
    new_year = dt.date(2022, 1, 1).toordinal()
    untouched = {
        k for k in first if after[k]["last_day"] < new_year and not after[k]["merged_into"]
    }
    assert len(untouched) > 5
    assert all(after[k]["exemplars"] == [] and after[k]["members"] == [] for k in untouched)
    app.close()


def test_a_run_with_nothing_new_writes_nothing(tmp_path: Path) -> None:
    app = _app(tmp_path / "s.db")
    _insert(app, _articles()[:20])
    link_stage.LinkStage().run(app, lambda *_: None)
    again = link_stage.LinkStage().run(app, lambda *_: None)
    assert again.processed == 0 and again.skipped == 20
    assert not again.counts["stories written"]
    app.close()


def test_a_move_on_the_second_look_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.link.test_link_events import QUAKE, QUAKE_2, QUAKE_3, QUAKE_LATER, VOTE

    # The second-look scenario of test_link_events, with its bar: the first report founds an
    # event of its own, and the run's second look moves it (and its copy) to the event that grew
    # after it, an event founded in the same run; a storyline stored by the run before stays.
    config = ClusterConfig(event_threshold=0.5, merge_threshold=0.9)
    monkeypatch.setattr(link_stage, "EventClusterer", lambda: EventClusterer(config))
    runs = [
        [("v1", VOTE, None)],
        [
            ("later", QUAKE_LATER, None),
            ("later-copy", QUAKE_LATER, "later"),
            ("q1", QUAKE, None),
            ("q2", QUAKE_2, None),
            ("q3", QUAKE_3, None),
        ],
    ]
    # One pass: a batch placed by the agreement of several passes (the default for a batch
    # whose publication times tie, as here) gets its second looks in those passes instead.
    app, reference = _app(tmp_path / "a.db", placement_passes=1), _app(tmp_path / "b.db")
    for run in runs:
        batch = [
            (
                Article(
                    id=aid,
                    source="test:" + aid,
                    published="2024-03-05T08:00:00+00:00",
                    text=text,
                    duplicate_of=dup,
                ),
                [],
            )
            for aid, text, dup in run
        ]
        _insert(app, batch)
        _insert(reference, batch)
        report = link_stage.LinkStage().run(app, lambda *_: None)
    assert report.counts["moved on a second look"] == 1
    with reference.store.transaction():
        _full_rewrite(
            reference.store, link_stage._load_clusterer(link_stage._state_rows(app.store))
        )
    assert _table(app.store, STORIES) == _table(reference.store, STORIES)
    assert _table(app.store, ARTICLES) == _table(reference.store, ARTICLES)
    rows = {r[0]: r for r in _table(app.store, ARTICLES)}
    assert rows["later"][1] == rows["later-copy"][1] == rows["q1"][1] != rows["v1"][1]
    app.close()
    reference.close()


def test_a_batch_gives_the_same_stories_whatever_order_it_was_stored_in(tmp_path: Path) -> None:
    # Every article with its own publication time: stored in the stream's order, reversed and
    # shuffled, one run places them oldest first, so the stories (ids included) are the same.
    articles = _articles(timed=True)[:150]
    shuffled = list(articles)
    random.Random(3).shuffle(shuffled)
    tables = []
    for k, batch in enumerate((articles, articles[::-1], shuffled)):
        app = _app(tmp_path / f"{k}.db")
        _insert(app, batch)
        link_stage.LinkStage().run(app, lambda *_: None)
        tables.append((_table(app.store, STORIES), _table(app.store, ARTICLES)))
        app.close()
    assert tables[0] == tables[1] == tables[2]
    assert len({row[1] for row in tables[0][1]}) > 10  # many events, not one


def test_a_run_mends_events_stored_under_a_storyline_merged_away(tmp_path: Path) -> None:
    # What stores written before merges carried events along hold: an event naming a
    # storyline that is merged away, or was never written.
    articles = _articles()
    app = _app(tmp_path / "s.db")
    _insert(app, articles[:60])
    link_stage.LinkStage().run(app, lambda *_: None)
    with app.store.transaction():
        events = [r[0] for r in app.store.query("SELECT id FROM stories WHERE level = 'event'")]
        app.store.execute("UPDATE stories SET parent_id = 'sl_gone' WHERE id = ?", (events[0],))
        app.store.execute("DELETE FROM stage_done WHERE stage = 'link.mend'")  # an old store
    _insert(app, articles[60:70])
    link_stage.LinkStage().run(app, lambda *_: None)
    rows = app.store.query(
        "SELECT e.parent_id, a.storyline_id FROM stories e JOIN articles a ON a.event_id = e.id "
        "WHERE e.id = ?",
        (events[0],),
    )
    app.close()
    assert rows and all(parent == line for parent, line in rows)
