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

from storyline.link.cluster_core import Idf, cosine, weigh

__all__ = [
    "Bisection",
    "bisect",
    "bisect_apart",
    "contrast",
    "figures_apart",
    "has_figures",
]


def contrast(raws: Sequence[dict[str, float]], idf: Idf) -> list[dict[str, float]]:
    """Return unit vectors of an event's members weighed, on top of ``idf``, by how few of the
    members hold each feature (an IDF within the event).

    Words every member uses say what kind of happening it is, and a weld of two happenings of one
    kind shares them all; what tells the two apart is held by one group only (its names, figures
    and dates), and this weighting lets it decide the cut.
    """
    n = len(raws)
    held: dict[str, int] = {}
    for raw in raws:
        for k in raw:
            held[k] = held.get(k, 0) + 1
    out = []
    for raw in raws:
        w = {k: v * idf(k) * (math.log((n + 1) / (held[k] + 1)) + 1.0) for k, v in raw.items()}
        norm = math.sqrt(sum(x * x for x in w.values()))
        out.append({k: x / norm for k, x in w.items()} if norm else {})
    return out


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


def _two_means(vecs: Sequence[dict[str, float]], a: int, b: int, iters: int) -> Bisection | None:
    """Run a two-means over unit ``vecs`` seeded from members ``a`` and ``b``."""
    n = len(vecs)
    ca, cb = vecs[a], vecs[b]
    first: list[int] = []
    second: list[int] = []
    for _ in range(iters):
        nearer_a = [_dot(v, ca) >= _dot(v, cb) for v in vecs]
        new_first = [i for i in range(n) if nearer_a[i]]
        new_second = [i for i in range(n) if not nearer_a[i]]
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
    return _two_means(vecs, a, b, iters)


def bisect_apart(
    vecs: Sequence[dict[str, float]], min_side: int, seeds: int = 8, iters: int = 8
) -> Bisection | None:
    """Return the cut of unit ``vecs`` whose groups are least alike relative to themselves.

    One two-means seeded from the two least alike members often cuts off a few odd reports
    instead of the second happening; this restarts from each of the ``seeds`` least central
    members (paired with the member least like it) and keeps, among cuts leaving at least
    ``min_side`` members each side, the one with the lowest cross- to within-group likeness.
    Deterministic, so replays split the same way.
    """
    n = len(vecs)
    if n < 2 * min_side or n < 4:
        return None
    whole = _unit(_sum(vecs, range(n)))
    outer = sorted(range(n), key=lambda i: (_dot(vecs[i], whole), i))[:seeds]
    best: Bisection | None = None
    for a in outer:
        b = min(range(n), key=lambda i: (_dot(vecs[i], vecs[a]), i))
        if a == b:
            continue
        cut = _two_means(vecs, a, b, iters)
        if cut is None or cut.smaller() < min_side or cut.within <= 0:
            continue
        if best is None or cut.cross * best.within < best.cross * cut.within:
            best = cut
    return best


def has_figures(raw: dict[str, float]) -> bool:
    """Return whether a pre-IDF member vector gives any figure (number or date)."""
    return any(k[0] in "nd" for k in raw)


def figures_apart(raws: Sequence[dict[str, float]], cut: Bisection, idf: Idf, ratio: float) -> bool:
    """Return whether the figures (numbers ``n:`` and dates ``d:``) of pre-IDF member vectors
    ``raws`` tell the two groups of ``cut`` apart: most members of each group give some, and the
    mean cross-group pair likeness is below ``ratio`` times each group's within-group one. Reports of one
    happening repeat its date, toll or score; two happenings of one kind have their own."""
    vecs = [weigh({k: v for k, v in raw.items() if k[0] in "nd"}, idf) for raw in raws]
    for group in (cut.first, cut.second):
        if 2 * sum(1 for i in group if vecs[i]) < len(group):
            return False
    sa, sb = _sum(vecs, cut.first), _sum(vecs, cut.second)
    na, nb = len(cut.first), len(cut.second)
    # Each group must repeat its own figures: the cross likeness is held against the lesser of
    # the two within-group likenesses, not their mean.
    within = min(_mean_pair(s, s, m, m, True) for s, m in ((sa, na), (sb, nb)))
    return within > 0 and _mean_pair(sa, sb, na, nb, False) < ratio * within
