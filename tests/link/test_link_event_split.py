"""Bisecting a young event's members: two subjects part cleanly, one subject shows no gain."""

from __future__ import annotations

from storyline.link.event_split import bisect, weigh


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
