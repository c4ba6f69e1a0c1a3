"""Merging clusters: the survivor holds both sides, the merged one resolves to it, splits stay apart."""

from __future__ import annotations

from storyline.link.cluster_core import Cluster
from storyline.link.cluster_merge import fold, older, split_apart
from storyline.link.features import weekday_factor


def _idf(_: str) -> float:
    return 1.0


def _event(cid: str, seq: int, members: int, first_day: int) -> Cluster:
    c = Cluster(id=cid, level="event", created="2024-01-01T00:00:00", seq=seq)
    for i in range(members):
        raw = {f"w:{cid}{i}": 1.0, "w:shared": 1.0}
        c.article_ids.append(f"{cid}-{i}")
        c.absorb(raw, first_day + i, 120, _idf)
        c.remember(raw, 6, 30, _idf)
        c.keep_member(f"{cid}-{i}", first_day + i, raw, 30, 40, _idf)
    return c


def test_fold_moves_everything_into_the_survivor_and_notes_it_on_both() -> None:
    keep, gone = _event("a", 1, 4, 100), _event("b", 2, 5, 90)
    fold(keep, gone, "2024-02-01T00:00:00", exemplars=6, centroid_terms=120, idf=_idf)
    assert keep.size == 9 and len(keep.article_ids) == 9
    assert (keep.first_day, keep.last_day) == (90, 103)
    assert keep.centroid["w:shared"] == 9.0
    assert keep.history[-1] == {"action": "merge", "ids": ["b"], "at": "2024-02-01T00:00:00"}
    assert gone.merged_into == "a"
    assert gone.history[-1]["action"] == "merged_into"
    # Every member of both sides is still known, so the merged event can be re-checked.
    assert [m[0] for m in keep.members] == keep.article_ids
    assert gone.members == [] and gone.exemplars == []


def test_fold_keeps_an_even_sample_of_both_sides_remembered_members() -> None:
    keep, gone = _event("a", 1, 6, 100), _event("b", 2, 6, 100)
    fold(keep, gone, "t", exemplars=6, centroid_terms=120, idf=_idf)
    sides = {next(k for k in ex if k != "w:shared")[2] for ex in keep.exemplars}
    assert len(keep.exemplars) == 6 and sides == {"a", "b"}


def test_fold_cuts_the_centroid_to_its_strongest_features() -> None:
    keep, gone = _event("a", 1, 3, 100), _event("b", 2, 3, 100)
    fold(keep, gone, "t", exemplars=6, centroid_terms=2, idf=_idf)
    assert len(keep.centroid) == 2 and "w:shared" in keep.centroid


def test_the_older_cluster_is_the_one_created_first() -> None:
    a, b = _event("z", 1, 1, 100), _event("a", 2, 1, 100)
    assert older(a, b) and not older(b, a)
    twin = _event("y", 1, 1, 100)  # same sequence: the id decides, so replays agree
    assert older(twin, a) and not older(a, twin)


def test_split_siblings_are_told_apart_in_either_order() -> None:
    a, b, c = _event("a", 1, 1, 100), _event("b", 2, 1, 100), _event("c", 3, 1, 100)
    a.history.append({"action": "split", "ids": ["b"], "at": "t"})
    b.history.append({"action": "split_from", "ids": ["a"], "at": "t"})
    assert split_apart(a, b) and split_apart(b, a)
    assert not split_apart(a, c) and not split_apart(c, b)


def test_weekday_factor_penalises_only_days_further_apart_than_the_slack() -> None:
    centroid = {"w:talks": 1.0, "k:tuesday": 0.5}
    assert weekday_factor("k:tuesday", centroid, 0.35, 1) == 1.0
    assert weekday_factor("k:wednesday", centroid, 0.35, 1) == 1.0  # told the day after
    assert weekday_factor("k:monday", centroid, 0.35, 1) == 1.0
    assert weekday_factor("k:thursday", centroid, 0.35, 1) == 0.35
    assert weekday_factor("k:wednesday", centroid, 0.35, 0) == 0.35
    assert weekday_factor("k:sunday", {"k:monday": 1.0}, 0.35, 1) == 1.0  # the week wraps
    assert weekday_factor(None, centroid, 0.35, 1) == 1.0
    assert weekday_factor("k:friday", {"w:talks": 1.0}, 0.35, 1) == 1.0  # no day named there
