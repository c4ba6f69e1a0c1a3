"""Clusters with truncated sparse centroids and an inverted index for sub-linear candidate lookup."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from heapq import nlargest
from typing import Any

Idf = Callable[[str], float]

__all__ = ["Cluster", "ClusterIndex", "ClusterTable", "Idf", "cosine"]


def cosine(a: dict[str, float], b: dict[str, float], b_norm: float) -> float:
    """Return the cosine of unit vector ``a`` with ``b`` whose length is ``b_norm``."""
    if not b_norm:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b) / b_norm


def _wlen(raw: dict[str, float], idf: Idf) -> float:
    return math.sqrt(sum((v * idf(k)) ** 2 for k, v in raw.items()))


def _wcos(vec: dict[str, float], raw: dict[str, float], raw_norm: float, idf: Idf) -> float:
    """Cosine of unit weighted ``vec`` with pre-IDF ``raw`` whose weighted length is given."""
    if not raw_norm:
        return 0.0
    if len(vec) <= len(raw):
        dot = sum(v * raw[k] * idf(k) for k, v in vec.items() if k in raw)
    else:
        dot = sum(v * vec[k] * idf(k) for k, v in raw.items() if k in vec)
    return dot / raw_norm


def take_out(centroid: dict[str, float], member: dict[str, float]) -> None:
    """Subtract ``member`` from ``centroid`` in place, dropping features it leaves at zero."""
    for k, v in member.items():
        if k in centroid:
            left = centroid[k] - v
            if left > 1e-9:
                centroid[k] = left
            else:
                del centroid[k]


def weigh(raw: dict[str, float], idf: Idf) -> dict[str, float]:
    """Return the IDF-weighted, unit-length form of a pre-IDF vector (empty when it is empty)."""
    w = {k: v * idf(k) for k, v in raw.items()}
    n = math.sqrt(sum(v * v for v in w.values()))
    return {k: v / n for k, v in w.items()} if n else {}


@dataclass
class Cluster:
    """An event or storyline: its members, a truncated centroid, time span and merge history."""

    id: str
    level: str
    created: str
    centroid: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    size: int = 0  # members that shaped the centroid (duplicates excluded)
    article_ids: list[str] = field(default_factory=list)
    first_day: int | None = None
    last_day: int | None = None
    parent_id: str | None = None
    children: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    merged_into: str | None = None
    seq: int = 0  # creation order within the clusterer: the older of two merged clusters survives
    norm_at: int = 0
    # The clusterer's article count when a member last joined: an event still being fed is not
    # slimmed, however old its days (an archive can come in any order, in several runs).
    touched: int = 0
    exemplars: list[dict[str, float]] = field(default_factory=list)
    # Every member of a young event as (article id, day, short pre-IDF vector), kept so a later
    # re-check can split it; emptied for good once the event outgrows the limit.
    members: list[tuple[str, int | None, dict[str, float]]] = field(default_factory=list)

    def keep_member(
        self,
        article_id: str,
        day: int | None,
        raw: dict[str, float],
        limit: int,
        terms: int,
        idf: Idf,
    ) -> None:
        """Remember a member for re-checks while the event has at most ``limit`` members."""
        if self.size > limit or len(self.members) != self.size - 1:
            self.members = []
            return
        if len(raw) > terms:
            raw = dict(nlargest(terms, raw.items(), key=lambda kv: kv[1] * idf(kv[0])))
        self.members.append((article_id, day, raw))

    def remember(self, raw: dict[str, float], keep: int, terms: int, idf: Idf) -> None:
        """Keep a short copy of a member (pre-IDF) vector: the first half of the slots hold the
        founders, the rest the latest members, so memory per cluster stays bounded."""
        if len(raw) > terms:
            raw = dict(nlargest(terms, raw.items(), key=lambda kv: kv[1] * idf(kv[0])))
        if len(self.exemplars) < keep:
            self.exemplars.append(raw)
        else:
            del self.exemplars[keep // 2]
            self.exemplars.append(raw)

    def weighted_norm(self, idf: Idf, n_docs: int) -> float:
        """Return the length of the IDF-weighted centroid, recomputed when statistics moved."""
        if not self.norm or n_docs > self.norm_at * 1.05 + 5:
            self.norm = math.sqrt(sum((v * idf(k)) ** 2 for k, v in self.centroid.items()))
            self.norm_at = n_docs
        return self.norm

    def likeness(self, vec: dict[str, float], link: str, idf: Idf, n_docs: int) -> float:
        """Return how close unit ``vec`` (IDF-weighted) is to this cluster: mean, max or centroid."""
        if link == "centroid" or not self.exemplars:
            return _wcos(vec, self.centroid, self.weighted_norm(idf, n_docs), idf)
        sims = [_wcos(vec, ex, _wlen(ex, idf), idf) for ex in self.exemplars]
        return max(sims) if link == "max" else sum(sims) / len(sims)

    def likeness_without(self, vec: dict[str, float], member: dict[str, float], idf: Idf) -> float:
        """Return the centroid likeness of unit ``vec`` once ``member`` (what a member added to
        the centroid) is taken out: how close a member is to the rest of its cluster."""
        rest = dict(self.centroid)
        take_out(rest, member)
        return _wcos(vec, rest, _wlen(rest, idf), idf)

    def drop_member(self, member: dict[str, float]) -> None:
        """Take a member's contribution (as far as the truncated centroid kept it) back out."""
        take_out(self.centroid, member)
        self.norm = 0.0
        if member:
            self.size -= 1

    def content_likeness(self, vec: dict[str, float], idf: Idf, kinds: str = "wet") -> float:
        """Return the cosine with the centroid over words and names only (no numbers or dates)."""
        a = {k: v for k, v in vec.items() if k[0] in kinds}
        na = math.sqrt(sum(v * v for v in a.values()))
        b = {k: v * idf(k) for k, v in self.centroid.items() if k[0] in kinds}
        nb = math.sqrt(sum(v * v for v in b.values()))
        if not na or not nb:
            return 0.0
        return cosine(a, b, nb) / na

    def linkage(self, other: Cluster, idf: Idf, kinds: str | None = None) -> float:
        """Return the average cosine between the remembered members of two clusters (over the
        feature ``kinds`` given, or all)."""
        if not self.exemplars or not other.exemplars:
            return 0.0

        def pick(ex: dict[str, float]) -> dict[str, float]:
            return ex if kinds is None else {k: v for k, v in ex.items() if k[0] in kinds}

        mine = [weigh(pick(ex), idf) for ex in self.exemplars]
        theirs = [weigh(pick(ex), idf) for ex in other.exemplars]
        total = sum(cosine(a, b, 1.0) for a in mine for b in theirs)
        return total / (len(mine) * len(theirs))

    def centroid_cosine(self, other: Cluster, idf: Idf) -> float:
        """Return the cosine between the IDF-weighted centroids of two clusters."""
        a, b = weigh(self.centroid, idf), weigh(other.centroid, idf)
        return cosine(a, b, 1.0) if a and b else 0.0

    def absorb(self, raw: dict[str, float], day: int | None, keep: int, idf: Idf) -> None:
        """Add a member's pre-IDF vector to the centroid (cut to ``keep`` features by weight)."""
        c = self.centroid
        for k, v in raw.items():
            c[k] = c.get(k, 0.0) + v
        if len(c) > keep:
            c = dict(nlargest(keep, c.items(), key=lambda kv: kv[1] * idf(kv[0])))
        self.centroid = c
        self.norm = 0.0
        if raw:
            self.size += 1
        self.widen(day)

    def slim(self, keep: int, idf: Idf) -> None:
        """Shrink a dormant cluster to ``keep`` centroid features and forget remembered members."""
        if len(self.centroid) > keep:
            items = nlargest(keep, self.centroid.items(), key=lambda kv: kv[1] * idf(kv[0]))
            self.centroid = dict(items)
            self.norm = 0.0
        self.exemplars = []
        self.members = []

    def widen(self, day: int | None) -> None:
        """Extend the known time span to include ``day``."""
        if day is None:
            return
        self.first_day = day if self.first_day is None else min(self.first_day, day)
        self.last_day = day if self.last_day is None else max(self.last_day, day)

    def to_dict(self) -> dict[str, Any]:
        """Return the cluster as JSON-ready data."""
        return {
            "id": self.id,
            "level": self.level,
            "created": self.created,
            "centroid": self.centroid,
            "size": self.size,
            "article_ids": self.article_ids,
            "first_day": self.first_day,
            "last_day": self.last_day,
            "parent_id": self.parent_id,
            "children": self.children,
            "history": self.history,
            "merged_into": self.merged_into,
            "seq": self.seq,
            # The cached weighted length, so a resumed stream compares as an unbroken one would
            # (it is recomputed only once the statistics have moved on by 5%).
            "norm": self.norm,
            "norm_at": self.norm_at,
            "touched": self.touched,
            "exemplars": self.exemplars,
            "members": [list(m) for m in self.members],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cluster:
        """Rebuild a cluster from :meth:`to_dict` output."""
        centroid = {sys.intern(k): float(v) for k, v in data["centroid"].items()}
        return cls(
            id=data["id"],
            level=data["level"],
            created=data["created"],
            centroid=centroid,
            size=int(data["size"]),
            article_ids=list(data["article_ids"]),
            first_day=data.get("first_day"),
            last_day=data.get("last_day"),
            parent_id=data.get("parent_id"),
            children=list(data.get("children", [])),
            history=list(data.get("history", [])),
            merged_into=data.get("merged_into"),
            seq=int(data.get("seq", 0)),
            norm=float(data.get("norm", 0.0)),
            norm_at=int(data.get("norm_at", 0)),
            touched=int(data.get("touched", 0)),
            exemplars=[
                {sys.intern(k): float(v) for k, v in ex.items()} for ex in data.get("exemplars", [])
            ],
            members=[
                (
                    str(a),
                    None if d is None else int(d),
                    {sys.intern(k): float(v) for k, v in r.items()},
                )
                for a, d, r in data.get("members", [])
            ],
        )


class ClusterTable(MutableMapping[str, Cluster]):
    """Clusters by id, each read from its saved JSON only when first asked for.

    A run over a large store touches the few clusters near its new articles; decoding every
    saved cluster (centroid, exemplars, members) on load cost more than the run's own work.
    Iteration order is insertion order, as for a dict.
    """

    def __init__(self) -> None:
        self._data: dict[str, Cluster | str] = {}

    def put_saved(self, cluster_id: str, text: str) -> None:
        """Hold a saved cluster, decoded on first access."""
        self._data[cluster_id] = text

    def __getitem__(self, cluster_id: str) -> Cluster:
        value = self._data[cluster_id]
        if isinstance(value, str):
            value = Cluster.from_dict(json.loads(value))
            self._data[cluster_id] = value
        return value

    def peek(self, cluster_id: str) -> Cluster:
        """Return a cluster without keeping it decoded (a one-off scan of every saved one)."""
        value = self._data[cluster_id]
        return Cluster.from_dict(json.loads(value)) if isinstance(value, str) else value

    def __setitem__(self, cluster_id: str, cluster: Cluster) -> None:
        self._data[cluster_id] = cluster

    def __delitem__(self, cluster_id: str) -> None:
        del self._data[cluster_id]

    def __contains__(self, cluster_id: object) -> bool:
        return cluster_id in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def decoded(self) -> int:
        """How many clusters have been read from their saved form (or made in this run)."""
        return sum(1 for v in self._data.values() if not isinstance(v, str))


class ClusterIndex:
    """Live clusters of one level with an inverted index from strong features to clusters."""

    def __init__(self, index_terms: int, posting_cap: int) -> None:
        self.clusters: ClusterTable = ClusterTable()
        self.postings: dict[str, list[str]] = {}
        self.index_terms = index_terms
        self.posting_cap = posting_cap
        self._indexed: dict[str, tuple[str, ...]] = {}

    def index(self, cluster: Cluster, idf: Idf) -> None:
        """(Re)index ``cluster`` under its strongest (IDF-weighted) centroid features."""
        c = cluster.centroid
        terms = (
            list(c)
            if len(c) <= self.index_terms
            else [
                k
                for k, _ in nlargest(self.index_terms, c.items(), key=lambda kv: kv[1] * idf(kv[0]))
            ]
        )
        self.post(cluster.id, terms)

    def indexed_terms(self, cluster_id: str) -> tuple[str, ...] | None:
        """The features ``cluster_id`` is indexed under, or None when it is not indexed."""
        return self._indexed.get(cluster_id)

    def post(self, cluster_id: str, terms: list[str]) -> None:
        """Index a cluster under ``terms`` (those :meth:`index` chose, now or when saved)."""
        old = self._indexed.get(cluster_id, ())
        new = set(terms)
        for term in old:
            if term not in new:
                plist = self.postings.get(term)
                if plist and cluster_id in plist:
                    plist.remove(cluster_id)
        old_set = set(old)
        for term in terms:
            if term in old_set:
                continue
            plist = self.postings.setdefault(term, [])
            plist.append(cluster_id)
            if len(plist) > self.posting_cap:
                # Oldest clusters go first: streams move on, and this bounds lookup cost.
                del plist[: len(plist) - self.posting_cap // 2]
        self._indexed[cluster_id] = tuple(terms)

    def candidates(
        self,
        query: list[tuple[str, float]],
        day: int | None,
        window: int,
        limit: int,
    ) -> list[Cluster]:
        """Return up to ``limit`` live clusters sharing strong features with ``query`` near ``day``."""
        score: dict[str, float] = {}
        postings = self.postings
        for term, weight in query:
            plist = postings.get(term)
            if plist:
                for cid in plist:
                    score[cid] = score.get(cid, 0.0) + weight
        if not score:
            return []
        out: list[Cluster] = []
        ranked = (
            nlargest(limit * 2, score.items(), key=lambda kv: kv[1])
            if len(score) > limit
            else sorted(score.items(), key=lambda kv: -kv[1])
        )
        for cid, _ in ranked:
            c = self.clusters.get(cid)
            if c is None or c.merged_into is not None:
                continue
            if (
                day is not None
                and c.last_day is not None
                and c.first_day is not None
                and (day - c.last_day > window or c.first_day - day > window)
            ):
                continue
            out.append(c)
            if len(out) >= limit:
                break
        return out

    def drop(self, cluster_id: str) -> None:
        """Stop offering ``cluster_id`` as a candidate (its postings are left to age out)."""
        self._indexed.pop(cluster_id, None)
