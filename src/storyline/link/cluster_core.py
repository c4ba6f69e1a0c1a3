"""Clusters with truncated sparse centroids and an inverted index for sub-linear candidate lookup."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from heapq import nlargest
from typing import Any

__all__ = ["Cluster", "ClusterIndex", "cosine", "normalise", "top_terms"]


def normalise(vec: dict[str, float], keep: int) -> dict[str, float]:
    """Return ``vec`` cut to its ``keep`` strongest features and scaled to unit length."""
    if len(vec) > keep:
        vec = dict(nlargest(keep, vec.items(), key=lambda kv: kv[1]))
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def top_terms(vec: dict[str, float], n: int) -> list[str]:
    """Return the ``n`` strongest features of ``vec``."""
    if len(vec) <= n:
        return list(vec)
    return [k for k, _ in nlargest(n, vec.items(), key=lambda kv: kv[1])]


def cosine(a: dict[str, float], b: dict[str, float], b_norm: float) -> float:
    """Return the cosine of unit vector ``a`` with ``b`` whose length is ``b_norm``."""
    if not b_norm:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b) / b_norm


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
    exemplars: list[dict[str, float]] = field(default_factory=list)

    def remember(self, vec: dict[str, float], keep: int, terms: int) -> None:
        """Keep a short copy of a member vector: the first half of the slots hold the founders,
        the rest the latest members, so memory per cluster stays bounded."""
        ex = normalise(vec, terms)
        if len(self.exemplars) < keep:
            self.exemplars.append(ex)
        else:
            del self.exemplars[keep // 2]
            self.exemplars.append(ex)

    def best_member(self, vec: dict[str, float]) -> float:
        """Return the highest cosine of unit ``vec`` with a remembered member."""
        return max((cosine(vec, ex, 1.0) for ex in self.exemplars), default=0.0)

    def likeness(self, vec: dict[str, float], link: str) -> float:
        """Return how close unit ``vec`` is to this cluster under ``link`` (mean, max, centroid)."""
        if link == "centroid" or not self.exemplars:
            return cosine(vec, self.centroid, self.norm)
        sims = [cosine(vec, ex, 1.0) for ex in self.exemplars]
        return max(sims) if link == "max" else sum(sims) / len(sims)

    def linkage(self, other: Cluster) -> float:
        """Return the average cosine between the remembered members of two clusters."""
        if not self.exemplars or not other.exemplars:
            return 0.0
        total = sum(cosine(a, b, 1.0) for a in self.exemplars for b in other.exemplars)
        return total / (len(self.exemplars) * len(other.exemplars))

    def absorb(self, vec: dict[str, float], day: int | None, keep: int) -> None:
        """Add a unit article vector to the centroid (cut to ``keep`` features) and widen the span."""
        c = self.centroid
        for k, v in vec.items():
            c[k] = c.get(k, 0.0) + v
        if len(c) > keep:
            c = dict(nlargest(keep, c.items(), key=lambda kv: kv[1]))
        self.centroid = c
        self.norm = math.sqrt(sum(v * v for v in c.values()))
        self.size += 1
        self.widen(day)

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
            "exemplars": self.exemplars,
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
            norm=math.sqrt(sum(v * v for v in centroid.values())),
            size=int(data["size"]),
            article_ids=list(data["article_ids"]),
            first_day=data.get("first_day"),
            last_day=data.get("last_day"),
            parent_id=data.get("parent_id"),
            children=list(data.get("children", [])),
            history=list(data.get("history", [])),
            merged_into=data.get("merged_into"),
            exemplars=[
                {sys.intern(k): float(v) for k, v in ex.items()} for ex in data.get("exemplars", [])
            ],
        )


class ClusterIndex:
    """Live clusters of one level with an inverted index from strong features to clusters."""

    def __init__(self, index_terms: int, posting_cap: int) -> None:
        self.clusters: dict[str, Cluster] = {}
        self.postings: dict[str, list[str]] = {}
        self.index_terms = index_terms
        self.posting_cap = posting_cap
        self._indexed: dict[str, tuple[str, ...]] = {}

    def index(self, cluster: Cluster) -> None:
        """(Re)index ``cluster`` under its strongest centroid features."""
        terms = top_terms(cluster.centroid, self.index_terms)
        old = self._indexed.get(cluster.id, ())
        new = set(terms)
        for term in old:
            if term not in new:
                plist = self.postings.get(term)
                if plist and cluster.id in plist:
                    plist.remove(cluster.id)
        old_set = set(old)
        for term in terms:
            if term in old_set:
                continue
            plist = self.postings.setdefault(term, [])
            plist.append(cluster.id)
            if len(plist) > self.posting_cap:
                # Oldest clusters go first: streams move on, and this bounds lookup cost.
                del plist[: len(plist) - self.posting_cap // 2]
        self._indexed[cluster.id] = tuple(terms)

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
