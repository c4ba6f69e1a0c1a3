"""Bisecting a young event's members: two subjects part cleanly, one subject shows no gain."""

from __future__ import annotations

from storyline.link.cluster_core import weigh
from storyline.link.event_split import (
    Bisection,
    bisect,
    bisect_apart,
    contrast,
    figures_apart,
)


def _vec(*terms: str) -> dict[str, float]:
    return weigh({t: 1.0 for t in terms}, lambda _: 1.0)


def test_two_subjects_split_with_a_clear_gain() -> None:
    quake = [_vec("w:quake", "w:rubble", "e:kermadia", f"n:{i}") for i in range(5)]
    vote = [_vec("w:vote", "w:budget", "e:ostravia", f"n:{i}") for i in range(5)]
    found = bisect(quake + vote)
    assert found is not None
    assert sorted((sorted(found.first), sorted(found.second))) == [
        [0, 1, 2, 3, 4],
        [5, 6, 7, 8, 9],
    ]
    assert found.gain > 0.5 and found.smaller() == 5


def test_one_subject_shows_little_gain() -> None:
    same = [_vec("w:quake", "w:rubble", "e:kermadia", f"w:extra{i}") for i in range(8)]
    found = bisect(same)
    assert found is None or found.gain < 0.1


def test_too_few_members_are_not_split() -> None:
    assert bisect([_vec("w:a"), _vec("w:b"), _vec("w:c")]) is None


def _raw(*terms: str) -> dict[str, float]:
    return {t: 1.0 for t in terms}


# Two happenings of one kind: the same words throughout, told apart by their own names and figures.
_WELD = [
    _raw(
        "w:arrested",
        "w:drunk",
        "w:driving",
        "w:chargers",
        "t:jackson",
        "d:01-06",
        "n:25",
        f"w:a{i}",
    )
    for i in range(5)
] + [
    _raw(
        "w:arrested",
        "w:drunk",
        "w:driving",
        "w:chargers",
        "t:williams",
        "d:02-01",
        "n:32",
        f"w:b{i}",
    )
    for i in range(5)
]


def test_contrast_lets_what_one_group_holds_decide_the_cut() -> None:
    plain = bisect([weigh(r, lambda _: 1.0) for r in _WELD])
    found = bisect_apart(contrast(_WELD, lambda _: 1.0), min_side=5)
    assert found is not None
    assert sorted((sorted(found.first), sorted(found.second))) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    # Weighed by how few members hold each feature, the groups stand further apart.
    assert plain is not None and found.cross / found.within < plain.cross / plain.within
    assert figures_apart(_WELD, found, lambda _: 1.0, 0.25)


def test_shared_figures_keep_one_happening_whole() -> None:
    # Two wordings of one happening: the same date and toll in every report.
    one = [
        _raw("w:quake", "d:05-03", "n:42", f"w:{'ab'[i % 2]}{i}", f"w:side{i % 2}")
        for i in range(10)
    ]
    found = bisect_apart(contrast(one, lambda _: 1.0), min_side=5)
    assert found is None or not figures_apart(one, found, lambda _: 1.0, 0.25)


def test_figures_need_most_members_to_give_some() -> None:
    # The second group differs in figures, but only two of its five members give any.
    few = [_raw("w:x", "n:7") for _ in range(5)] + [_raw("w:x", "n:9") for _ in range(2)]
    few += [_raw("w:x") for _ in range(3)]
    cut = Bisection(list(range(5)), list(range(5, 10)), within=0.5, cross=0.1)
    assert not figures_apart(few, cut, lambda _: 1.0, 0.25)
    few[7] = few[8] = _raw("w:x", "n:9")
    assert figures_apart(few, cut, lambda _: 1.0, 0.25)


def test_bisect_apart_respects_the_smallest_side() -> None:
    assert bisect_apart(contrast(_WELD[:6], lambda _: 1.0), min_side=5) is None
