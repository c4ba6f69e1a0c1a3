"""Placing a batch by what several orders agree on: the agreement, guided adds, the batch."""

from __future__ import annotations

import multiprocessing
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.link.test_link_events import NAMES, QUAKE, QUAKE_2, VOTE, WORDS

from storyline.errors import UsageError
from storyline.link import events
from storyline.link.batch_order import has_ties
from storyline.link.consensus import ANCHOR, agreed_groups, place_batch, place_groups
from storyline.link.events import ClusterConfig, ClusterItem, EventClusterer


def test_agreement_groups_what_most_labelings_share() -> None:
    labelings = [
        {"a": "1", "b": "1", "c": "1", "d": "2"},
        {"a": "1", "b": "1", "c": "2", "d": "2"},
        {"a": "x", "b": "x", "c": "x", "d": "y"},
        {"a": "1", "b": "1", "c": "1", "d": "3"},
        {"a": "1", "b": "1", "c": "1", "d": "2"},
    ]
    # a and b always agree; c joins them in 4 of 5; d is with c once (below the floor).
    assert agreed_groups(labelings, cut=0.7, floor=0.3) == [["a", "b", "c"], ["d"]]
    # Asking for more agreement than c has with a and b leaves it alone.
    assert agreed_groups(labelings, cut=0.9, floor=0.3) == [["a", "b"], ["c"], ["d"]]


def test_agreement_is_average_linkage_not_single_linkage() -> None:
    # a-b agree always, b-c always, but a and c never: a chain a single linkage would join.
    # As groups, {a, b} and {c} agree on average in (1 + 0) / 2 of the cases.
    labelings = [{"a": "1", "b": "1", "c": "2"}, {"a": "1", "b": "2", "c": "2"}] * 2
    groups = agreed_groups(labelings, cut=0.7, floor=0.3)
    assert sorted(map(sorted, groups)) == [["a"], ["b"], ["c"]]
    assert agreed_groups(labelings, cut=0.5, floor=0.3) in (
        [["a", "b"], ["c"]],
        [["a"], ["b", "c"]],
    )


def test_a_node_missing_from_a_labeling_agrees_with_nothing_there() -> None:
    labelings = [{"a": "1", "E": "1"}, {"a": "2"}, {"a": "1", "E": "1"}]
    assert agreed_groups(labelings, cut=0.5, floor=0.3) == [["a", "E"]]
    assert agreed_groups(labelings, cut=0.7, floor=0.3) == [["a"], ["E"]]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 3), min_size=6, max_size=6),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([0.3, 0.5, 0.7, 1.0]),
)
def test_agreement_puts_every_node_in_one_group(labels: list[list[int]], cut: float) -> None:
    labelings = [{f"n{i}": str(v) for i, v in enumerate(row)} for row in labels]
    groups = agreed_groups(labelings, cut=cut, floor=0.3)
    nodes = [n for g in groups for n in g]
    assert sorted(nodes) == sorted(f"n{i}" for i in range(6))
    for g in groups:  # nodes with identical labels everywhere are never apart
        for n in g:
            same = [m for m in labelings[0] if all(lab[m] == lab[n] for lab in labelings)]
            assert set(same) <= set(g)


def test_a_guided_article_joins_the_event_it_is_told_or_founds_one() -> None:
    c = EventClusterer()
    quake = c.add(ClusterItem("q1", QUAKE, published="2024-03-05"))
    # Unlike its text, the vote report goes where it is told, and nothing is merged for it.
    told = c.add(ClusterItem("v1", VOTE, published="2024-03-05"), into=quake.event_id)
    assert told.event_id == quake.event_id and not told.new_event
    assert c.events.clusters[quake.event_id].size == 2
    # Like its text, the second quake report still founds an event when told to.
    own = c.add(ClusterItem("q2", QUAKE_2, published="2024-03-05"), found=True)
    assert own.new_event and own.event_id != quake.event_id
    assert c.storyline_of("q2") is not None
    with pytest.raises(UsageError, match="storyline"):
        c.add(ClusterItem("v2", VOTE), into=quake.storyline_id)


def test_two_events_merge_on_request_and_the_old_id_resolves() -> None:
    c = EventClusterer()
    quake = c.add(ClusterItem("q1", QUAKE, published="2024-03-05"))
    vote = c.add(ClusterItem("v1", VOTE, published="2024-03-05"))
    survivor = c.merge_events(vote.event_id, quake.event_id, "2024-03-06T00:00:00+00:00")
    assert survivor == quake.event_id  # the older one
    assert c.event_of("v1") == c.event_of("q1") == survivor
    assert c.resolve(vote.event_id) == survivor
    assert c.storyline_of("v1") == c.storyline_of("q1")
    assert c.merge_events(vote.event_id, survivor) == survivor  # already one
    with pytest.raises(UsageError, match="must both be events"):
        c.merge_events(survivor, quake.storyline_id)


def _batch(seed: int, n: int = 40, dated: bool = False) -> list[ClusterItem]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = rng.choices(WORDS[:6] if i % 2 else WORDS[6:], k=12) + rng.choices(NAMES, k=3)
        rng.shuffle(words)
        published = f"2024-03-05T{i // 60:02d}:{i % 60:02d}:00Z" if dated else None
        out.append(
            ClusterItem(f"a{i}", "The " + " and the ".join(words) + ".", published=published)
        )
    return out


def test_a_batch_without_ties_is_placed_once_as_a_stream_would() -> None:
    batch = _batch(1, dated=True)
    assert not has_ties(batch)
    placed = place_batch(EventClusterer, batch)
    assert placed.passes == 1
    stream = EventClusterer()
    for it in batch:
        stream.add(it)
    stream.settle()
    assert [placed.clusterer.event_of(i.article_id) for i in batch] == [
        stream.event_of(i.article_id) for i in batch
    ]


@pytest.mark.parametrize(
    ("seed", "passes", "path"),
    [(2, 5, "placed again"), (3, 2, "two passes agree"), (6, 5, "last pass kept")],
)
def test_an_undated_batch_is_placed_by_what_its_passes_agree_on(
    seed: int, passes: int, path: str
) -> None:
    # Three batches, one down each path: the agreed events placed in a pass of their own, the
    # second pass kept because it agreed with the first, the last pass kept because it made
    # the agreed events itself.
    batch = _batch(seed)
    # Merging held back (no consolidation either) so that the passes disagree.
    config = ClusterConfig(event_threshold=0.45, merge_threshold=0.9, consolidate=0.0)
    placed = place_batch(lambda: EventClusterer(config), batch)
    assert placed.passes == passes
    assert ("last pass kept" in placed.counts) == (path == "last pass kept")
    c = placed.clusterer
    assert sum(placed.counts[k] for k in ("new events", "joined events")) == len(batch)
    live = [e for e in c.events.clusters.values() if e.merged_into is None]
    assert sorted(a for e in live for a in e.article_ids) == sorted(i.article_id for i in batch)
    for e in live:
        assert e.size == len(e.article_ids)
        assert e.id in c.storylines.clusters[c.resolve(e.parent_id or "")].children
    # The state saves and loads like any other: later runs find ordinary events.
    again = EventClusterer(config)
    again.load_state(c.state_rows())
    assert [again.event_of(i.article_id) for i in batch] == [
        c.event_of(i.article_id) for i in batch
    ]


def test_a_stored_event_keeps_its_id_when_the_batch_joins_it() -> None:
    base = EventClusterer()
    first = base.add(ClusterItem("q1", QUAKE, published="2024-03-05"))
    base.settle()
    rows = base.state_rows()

    def fresh() -> EventClusterer:
        c = EventClusterer()
        c.load_state(rows)
        return c

    batch = [
        ClusterItem("q2", QUAKE_2),
        ClusterItem("v1", VOTE),
        ClusterItem("q3", QUAKE.replace("Tuesday", "Tuesday night")),
    ]
    placed = place_batch(fresh, batch)
    assert placed.passes > 1
    c = placed.clusterer
    assert c.event_of("q2") == c.event_of("q3") == first.event_id
    assert c.event_of("v1") != first.event_id


def _stored_quake_and_vote() -> tuple[EventClusterer, str, str]:
    base = EventClusterer()
    quake = base.add(ClusterItem("q1", QUAKE, published="2024-03-05T08:00:00Z")).event_id
    vote = base.add(ClusterItem("v1", VOTE, published="2024-03-05T09:00:00Z")).event_id
    base.settle()
    c = EventClusterer()
    c.load_state(base.state_rows())
    return c, quake, vote


def test_stored_events_agreed_into_one_group_are_merged_and_the_batch_joins_them() -> None:
    c, quake, vote = _stored_quake_and_vote()
    order = [
        ClusterItem("q2", QUAKE_2, published="2024-03-06T08:00:00Z"),
        ClusterItem("x1", VOTE.replace("vote", "ballot"), published="2024-03-06T09:00:00Z"),
    ]
    groups = [[ANCHOR + vote, "q2", ANCHOR + quake], ["x1"]]
    counts = place_groups(c, order, groups)
    assert counts["joined events"] == 1 and counts["new events"] == 1
    survivor = c.event_of("q1")
    assert survivor == c.resolve(vote) == c.resolve(quake) == c.event_of("v1") == c.event_of("q2")
    # Told to found its own event, the second vote report does, however close its text.
    assert c.event_of("x1") not in (survivor, None)
    gone = vote if survivor == quake else quake
    assert {"action": "merged_into", "ids": [survivor], "at": "2024-03-06T08:00:00Z"} in (
        c.events.clusters[gone].history
    )
    assert c.storyline_of("v1") == c.storyline_of("q1")


def test_stored_events_agreed_together_merge_even_when_no_article_stays_with_them() -> None:
    c, quake, vote = _stored_quake_and_vote()
    order = [ClusterItem("q2", QUAKE_2, published="2024-03-06T08:00:00Z")]
    counts = place_groups(c, order, [[ANCHOR + quake, ANCHOR + vote], ["q2"]])
    assert counts["new events"] == 1
    assert c.event_of("q1") == c.event_of("v1") != c.event_of("q2")
    survivor = c.event_of("q1")
    assert survivor is not None
    merges = [h for h in c.events.clusters[survivor].history if h["action"] == "merge"]
    assert [h["at"] for h in merges] == ["2024-03-06T08:00:00Z"]


@pytest.mark.parametrize("seed", [2, 3, 6])
def test_passes_in_forked_workers_give_what_passes_in_turn_give(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An undated article is placed as of the clock; one clock for both runs (forked workers
    # inherit it) so the saved states can be compared whole.
    monkeypatch.setattr(events, "_now", lambda: "2024-03-05T12:00:00+00:00")
    batch = _batch(seed)
    config = ClusterConfig(event_threshold=0.45, merge_threshold=0.9)
    alone, beside = (
        place_batch(lambda: EventClusterer(config), batch, workers=workers) for workers in (1, 2)
    )
    assert (beside.passes, beside.counts) == (alone.passes, alone.counts)
    for item in batch:
        aid = item.article_id
        assert beside.clusterer.event_of(aid) == alone.clusterer.event_of(aid)
        assert beside.clusterer.storyline_of(aid) == alone.clusterer.storyline_of(aid)
    assert beside.clusterer.state_rows() == alone.clusterer.state_rows()


def _events_placed_with_two_workers(seed: int) -> list[str | None]:
    batch = _batch(seed)
    config = ClusterConfig(event_threshold=0.45, merge_threshold=0.9)
    placed = place_batch(lambda: EventClusterer(config), batch, workers=2)
    return [placed.clusterer.event_of(i.article_id) for i in batch]


def test_a_batch_placed_inside_a_pool_worker_runs_its_passes_in_turn() -> None:
    # A pool's (daemonic) worker may not start processes of its own: asking for two workers
    # there places the passes in turn, with the same events.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        inside = pool.apply(_events_placed_with_two_workers, (2,))
    assert inside == _events_placed_with_two_workers(2)
