"""The order a batch is placed in: oldest first, the undated last, copies after originals."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.link.batch_order import has_ties, publication_order
from storyline.link.events import ClusterItem


def item(aid: str, published: str | None, duplicate_of: str | None = None) -> ClusterItem:
    return ClusterItem(article_id=aid, text="x", published=published, duplicate_of=duplicate_of)


def test_a_batch_is_placed_oldest_first_undated_last_copies_after_originals() -> None:
    batch = [
        item("undated-a", None),
        item("late", "2024-03-06"),
        item("copy", "2024-03-01T00:00:00Z", duplicate_of="late"),
        item("early-offset", "2024-03-05T09:00:00+02:00"),  # 07:00 UTC
        item("early-utc", "2024-03-05T08:00:00Z"),
        item("naive", "2024-03-05T07:30:00"),  # read as UTC
        item("undated-b", None),
        item("outside-copy", "2024-03-02", duplicate_of="stored-earlier"),
        item("garbled", "sometime"),
    ]
    order = [i.article_id for i in publication_order(batch)]
    assert order == [
        "outside-copy",  # its original was placed by an earlier run
        "early-offset",
        "naive",
        "early-utc",
        "late",
        "copy",  # dated before its original, placed right after it
        "undated-a",
        "undated-b",
        "garbled",  # a date nobody can read counts as none, after the undated given before it
    ]


def test_ties_are_articles_of_one_moment_or_undated_and_copies_never_tie() -> None:
    timed = [item("a", "2024-03-05T08:00:00Z"), item("b", "2024-03-05T09:00:00+01:00")]
    assert has_ties(timed)  # the same moment, told in two zones
    assert not has_ties([timed[0], item("c", "2024-03-05T08:00:01Z"), item("d", None)])
    assert has_ties([item("d", None), item("e", "sometime")])  # two undated
    assert has_ties([item("f", "2024-03-05"), item("g", "2024-03-05T00:00:00Z")])
    assert not has_ties([timed[0], item("copy", "2024-03-05T08:00:00Z", duplicate_of="a")])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.dates().map(str)),
            st.one_of(st.none(), st.integers(0, 11)),
        ),
        max_size=12,
    )
)
def test_publication_order_keeps_every_article_once(rows: list[tuple[Any, Any]]) -> None:
    batch = [
        item(f"a{i}", day, duplicate_of=None if dup is None else f"a{dup}")
        for i, (day, dup) in enumerate(rows)
    ]
    order = publication_order(batch)
    ids = [i.article_id for i in order]
    assert sorted(ids) == sorted(i.article_id for i in batch)
    at = {aid: n for n, aid in enumerate(ids)}
    of = {b.article_id: b.duplicate_of for b in batch}
    for it in order:
        # A copy comes after its original, unless its chain of originals runs in a cycle.
        chain, seen = it.duplicate_of, {it.article_id}
        while chain in of and chain not in seen:
            seen.add(chain)
            chain = of[chain]
        if it.duplicate_of in at and chain not in seen:
            assert at[it.duplicate_of] < at[it.article_id]
