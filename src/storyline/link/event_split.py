"""Re-checking a young event: does it hold two happenings that a greedy stream welded together?

One pass places each article for good, so an early article that sits between two happenings of the
same kind (two title fights of one boxer, two deaths in one scandal) can weld them into one event,
and every later article then joins the blend. While an event is small, its members' vectors are kept;
this module splits them in two (a deterministic two-means) and says how much better two events
describe them than one, so the clusterer can undo the weld.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from storyline.link.cluster_core import Idf, cosine

__all__ = ["Bisection", "bisect", "weigh"]


def weigh(raw: dict[str, float], idf: Idf) -> dict[str, float]:
    """Return the IDF-weighted, unit-length form of a pre-IDF vector (empty when it is empty)."""
    w = {k: v * idf(k) for k, v in raw.items()}
    n = math.sqrt(sum(v * v for v in w.values()))
    return {k: v / n for k, v in w.items()} if n else {}


def _sum(vecs: Sequence[dict[str, float]], picks: Sequence[int]) -> dict[str, float]:
    out: dict[str, float] = {}
    for i in picks:
        for k, v in vecs[i].items():
            out[k] = out.get(k, 0.0) + v
    return out


def _unit(v: dict[str, float]) -> dict[str, float]:
    n = math.sqrt(sum(x * x for x in v.values()))
    return {k: x / n for k, x in v.items()} if n else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return cosine(a, b, 1.0)


class Bisection:
    """Two groups of member positions and the gain of keeping them apart."""

    def __init__(self, first: list[int], second: list[int], within: float, cross: float) -> None:
        self.first = first
        self.second = second
        self.within = within  # mean pair cosine inside the groups
        self.cross = cross  # mean pair cosine across them

    @property
    def gain(self) -> float:
        """Within- minus cross-group mean pair cosine."""
        return self.within - self.cross

    def smaller(self) -> int:
        """Return the size of the smaller group."""
        return min(len(self.first), len(self.second))


def _mean_pair(sa: dict[str, float], sb: dict[str, float], na: int, nb: int, same: bool) -> float:
    """Mean cosine over member pairs from the sums of unit vectors (a pair never with itself)."""
    if same:
        pairs = na * (na - 1)
        return (_dot(sa, sa) - na) / pairs if pairs else 0.0
    return _dot(sa, sb) / (na * nb) if na and nb else 0.0


def bisect(vecs: Sequence[dict[str, float]], iters: int = 8) -> Bisection | None:
    """Split unit ``vecs`` in two by a two-means seeded from the two least alike members.

    The gain is the mean within-group pair cosine minus the mean cross-group pair cosine: near
    zero when the members are one happening told in different words, clearly positive when they
    are two. Deterministic (no random seeds), so replays split the same way.
    """
    n = len(vecs)
    if n < 4:
        return None
    whole = _unit(_sum(vecs, range(n)))
    a = min(range(n), key=lambda i: (_dot(vecs[i], whole), i))
    b = min(range(n), key=lambda i: (_dot(vecs[i], vecs[a]), i))
    if a == b:
        return None
    ca, cb = vecs[a], vecs[b]
    first: list[int] = []
    second: list[int] = []
    for _ in range(iters):
        new_first = [i for i in range(n) if _dot(vecs[i], ca) >= _dot(vecs[i], cb)]
        new_second = [i for i in range(n) if _dot(vecs[i], ca) < _dot(vecs[i], cb)]
        if not new_first or not new_second:
            return None
        if new_first == first:
            break
        first, second = new_first, new_second
        ca, cb = _unit(_sum(vecs, first)), _unit(_sum(vecs, second))
    sa, sb = _sum(vecs, first), _sum(vecs, second)
    na, nb = len(first), len(second)
    within = [_mean_pair(s, s, m, m, True) for s, m in ((sa, na), (sb, nb)) if m > 1]
    if not within:
        return None
    return Bisection(first, second, sum(within) / len(within), _mean_pair(sa, sb, na, nb, False))
