"""A small collection is placed again whole at each run, and the ids it had still resolve."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from tests.link.test_link_stage_incremental import _articles, _insert

from storyline.app import App
from storyline.link import events
from storyline.link.events import ClusterConfig, ClusterItem, EventClusterer
from storyline.link.rebuild import carry_ids, earlier_ids
from storyline.link.stage import LinkStage
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.reads import load_story


def _app(path: Path, limit: int) -> App:
    values = {"db": str(path), "rebuild_limit": limit, "placement_passes": 1}
    return App(settings=Settings.resolve(values, environ={}), store=Store(path))


def _places(app: App) -> dict[str, tuple[str, str]]:
    rows = app.store.query("SELECT id, event_id, storyline_id FROM articles WHERE status = 'ok'")
    return {r[0]: (r[1], r[2]) for r in rows}


def _partition(places: dict[str, tuple[str, str]], level: int) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for aid, ids in places.items():
        groups[ids[level]].add(aid)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def archive() -> list[tuple[object, list[str]]]:
    """The synthetic stream's 307 articles, each at its own time, in a shuffled order (an
    archive stored as it comes, not as it happened)."""
    articles = _articles(timed=True)
    random.Random(3).shuffle(articles)
    return articles  # type: ignore[return-value]


def test_runs_of_a_small_collection_end_as_one_run_over_all_of_it(
    tmp_path: Path, archive: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "_now", lambda: "2026-01-01T00:00:00+00:00")
    whole = _app(tmp_path / "one.db", 2000)
    _insert(whole, archive)
    LinkStage().run(whole, lambda *_: None)
    runs = _app(tmp_path / "runs.db", 2000)
    given: list[dict[str, tuple[str, str]]] = []
    for start, end in itertools.pairwise((0, 60, 140, 220, len(archive))):
        _insert(runs, archive[start:end])
        before = {r[0] for r in runs.store.query("SELECT id FROM stories WHERE level = 'event'")}
        report = LinkStage().run(runs, lambda *_: None)
        assert report.counts["collection placed again whole"] == (start > 0)
        if start:
            # Placed again, every event is founded anew: only those not stored before count.
            live = "SELECT id FROM stories WHERE level = 'event' AND merged_into IS NULL"
            now = {r[0] for r in runs.store.query(live)}
            assert report.counts["new events"] == len(now - before)
        given.append(_places(runs))
    final = given[-1]
    # The stories depend on what is stored, not on the runs it came in.
    for level in (0, 1):
        assert _partition(final, level) == _partition(_places(whole), level)
    # Every id an earlier run gave still leads to a live story holding some of its articles.
    kept = total = 0
    for places in given[:-1]:
        held: dict[str, set[str]] = defaultdict(set)
        for aid, ids in places.items():
            for cid in ids:
                held[cid].add(aid)
        for cid, aids in held.items():
            story = load_story(runs.store, cid)
            assert story is not None, f"{cid} resolves to nothing"
            assert set(story.article_ids) & aids, f"{cid} resolves to none of its articles"
            total += 1
            kept += story.id == cid
    # Most stories are found again under their own id (the others resolve, with history).
    assert kept / total > 0.8, (kept, total)
    whole.close()
    runs.close()


def _item(n: int) -> ClusterItem:
    return ClusterItem(article_id=f"a{n}", text=f"report {n} on the harbour fire", published=None)


def _placed(
    groups: list[list[int]], hints: dict[str, tuple[str, str]], **config: Any
) -> EventClusterer:
    """A clusterer holding ``groups`` of articles as events, placed in that order."""
    c = EventClusterer(ClusterConfig(use_background=False, **config))
    c.prefer_ids(hints)
    for group in groups:
        first = c.add(_item(group[0]), found=True)
        for n in group[1:]:
            c.add(_item(n), into=first.event_id)
    return c


def test_an_earlier_id_goes_to_the_story_holding_most_of_its_articles() -> None:
    old = _placed([[1, 2, 3, 4, 5, 6], [7, 8]], {})
    x, y = old.event_of("a1"), old.event_of("a7")
    # Placed again, 1 2 7 8 make one event (founded by 1, so first given x) and 3-6 another:
    # x goes where four of its six articles are, y where both of its are.
    new, retired = carry_ids(_placed([[1, 2, 7, 8], [3, 4, 5, 6]], earlier_ids(old)), old, "t")
    assert retired == 0
    assert new.event_of("a3") == x and new.event_of("a1") == y
    assert len({new.event_of(f"a{n}") for n in range(1, 9)}) == 2


def test_an_id_split_in_equal_halves_stays_with_the_article_it_was_made_from() -> None:
    # Article 5 founded x, which then took in 1-4 and carried x on (as a rebuild does when an
    # older article founds the story 5's singleton grew into).
    first = _placed([[5]], {})
    x = first.event_of("a5")
    old, _ = carry_ids(_placed([[1, 2, 5, 6]], earlier_ids(first)), first, "t0")
    assert old.event_of("a1") == x
    # Placed again in two halves, founded by 1 and by 2: x stays with 5, whichever comes first.
    for halves in ([[1, 6], [2, 5]], [[2, 5], [1, 6]]):
        new, _ = carry_ids(_placed(halves, earlier_ids(old)), old, "t")
        assert new.event_of("a5") == x
        assert new.event_of("a1") not in (None, x)


def test_a_story_not_found_again_is_merged_into_where_its_articles_went() -> None:
    old = _placed([[1, 2, 3], [4, 5]], {})
    x, y = old.event_of("a1"), old.event_of("a4")
    new, retired = carry_ids(_placed([[1, 2, 3, 4, 5]], earlier_ids(old)), old, "t")
    assert retired == 1
    assert new.event_of("a4") == x and new.resolve(y) == x
    assert {"action": "merge", "ids": [y], "at": "t"} in new.events.clusters[x].history
    assert new.events.clusters[y].history[-1] == {"action": "merged_into", "ids": [x], "at": "t"}


def test_a_story_founded_by_a_new_article_takes_the_id_of_the_story_it_holds() -> None:
    old = _placed([[1, 2, 3], [4, 5]], {})
    x, y = old.event_of("a1"), old.event_of("a4")
    storyline = old.storyline_of("a1")
    # Article 0 is new and older than the rest: it founds the events placed again.
    new, retired = carry_ids(_placed([[0, 1, 2, 3], [9, 4, 5]], earlier_ids(old)), old, "t")
    assert retired == 0
    assert new.event_of("a0") == x and new.event_of("a9") == y
    assert new.storyline_of("a0") == storyline
    assert new.resolve(x) == x and new.resolve(y) == y


def test_a_storyline_founded_again_never_takes_an_id_another_holds() -> None:
    # Before, 1 and 2 shared the storyline 1 founded. Placed again, 2 comes first and takes
    # that storyline's id; 1, alone now, founds another, which must not take the same id.
    old = _placed([[1], [2]], {}, storyline_threshold=0.0)
    assert old.storyline_of("a1") == old.storyline_of("a2")
    apart = {"storyline_threshold": 1.1, "storyline_relink": False, "storyline_merge": 2.0}
    new = _placed([[2], [1]], earlier_ids(old), **apart)
    assert new.storyline_of("a2") == old.storyline_of("a1")
    assert new.storyline_of("a1") not in (None, new.storyline_of("a2"))
    assert len([s for s in new.stories() if s.level == "storyline"]) == 2


def test_an_id_merged_away_earlier_leads_where_its_own_articles_are() -> None:
    old = _placed([[1, 2, 3], [4, 5, 6]], {})
    x, y = old.event_of("a1"), old.event_of("a4")
    old.merge_events(x, y, "t0")
    assert old.resolve(y) == x
    # Placed again, 4-6 are an event of their own, founded by 9, which no id was given to.
    new, _ = carry_ids(_placed([[1, 2, 3], [9, 4, 5, 6]], earlier_ids(old)), old, "t")
    assert new.resolve(y) == new.event_of("a4") != x


def test_past_the_limit_a_run_places_only_its_new_articles(tmp_path: Path, archive: list) -> None:
    app = _app(tmp_path / "s.db", 100)
    counts = []
    for start, end in ((0, 60), (60, 90), (90, 150)):
        _insert(app, archive[start:end])
        report = LinkStage().run(app, lambda *_: None)
        counts.append(report.counts["collection placed again whole"])
        assert report.processed == end - start
    # The first run has nothing stored to place again; the last finds 150 articles stored.
    assert counts == [0, 1, 0]
    app.close()
