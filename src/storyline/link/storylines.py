"""Storylines: events chained by a looser likeness (shared subject and actors, close in time)."""

from __future__ import annotations

import hashlib
from heapq import nlargest

from storyline.link.cluster_core import Cluster, ClusterIndex, ClusterTable, Idf, weigh

__all__ = ["StorylineIndex", "storyline_id", "storyline_view"]


def storyline_id(founding_article_id: str) -> str:
    """Return the stable id of a storyline founded by ``founding_article_id``."""
    return "sl_" + hashlib.sha1(("storyline:" + founding_article_id).encode()).hexdigest()[:12]


def storyline_view(raw: dict[str, float], name_scale: float) -> dict[str, float]:
    """Return the storyline view of a pre-IDF article vector: the subject counts, not particulars."""
    out: dict[str, float] = {}
    for k, v in raw.items():
        # Dates, numbers and weekdays tell happenings apart but not storylines; words and names
        # link them.
        kind = k[0]
        if kind in "dmnk":
            continue
        out[k] = v * name_scale if kind in "et" else v
    return out


class StorylineIndex:
    """Assigns events to storylines and keeps the storyline centroids current."""

    def __init__(
        self,
        threshold: float,
        window: int,
        keep: int,
        index_terms: int,
        posting_cap: int,
        max_candidates: int,
        exemplars: int,
        exemplar_terms: int,
        bridge_centroid: float = 0.0,
        relink: bool = False,
        query_terms: int = 25,
    ) -> None:
        self.threshold = threshold
        # Re-link a storyline with its mutual nearest neighbour each time it doubles in size.
        self.relink = relink
        self.query_terms = query_terms
        # Share of the threshold an article needs to reach a storyline it may bridge to.
        self.bridge_probe = 0.5
        # Centroid cosine two storylines need, besides their members' likeness, to be bridged.
        self.bridge_centroid = bridge_centroid
        self.window = window
        self.keep = keep
        self.max_candidates = max_candidates
        self.exemplars = exemplars
        self.exemplar_terms = exemplar_terms
        self.index = ClusterIndex(index_terms, posting_cap)

    @property
    def clusters(self) -> ClusterTable:
        """All storylines by id, merged ones included."""
        return self.index.clusters

    def scored(
        self,
        vec: dict[str, float],
        query: list[tuple[str, float]],
        day: int | None,
        idf: Idf,
        n_docs: int,
    ) -> list[tuple[float, Cluster]]:
        """Return live storylines near ``day`` sharing strong features, best first, with cosines."""
        found = self.index.candidates(query, day, self.window, self.max_candidates)
        out = [(c.likeness(vec, "centroid", idf, n_docs), c) for c in found]
        out.sort(key=lambda t: -t[0])
        return out

    def assign_new_event(
        self,
        event: Cluster,
        scored: list[tuple[float, Cluster]],
        founding_article_id: str,
        created: str,
        seq: int,
        cluster_id: str | None = None,
    ) -> Cluster:
        """Put a new event in the closest storyline, or found a storyline for it (with the id
        ``cluster_id`` when given, else one made from the founding article's; the caller makes
        sure no cluster holds it)."""
        if scored and scored[0][0] >= self.threshold:
            best = scored[0][1]
        else:
            best = Cluster(
                id=cluster_id or storyline_id(founding_article_id),
                level="storyline",
                created=created,
                seq=seq,
            )
            self.index.clusters[best.id] = best
        best.children.append(event.id)
        event.parent_id = best.id
        return best

    def bridges(
        self,
        storyline: Cluster,
        scored: list[tuple[float, Cluster]],
        threshold: float,
        idf: Idf,
    ) -> list[Cluster]:
        """Return other storylines near the article whose members are, on average, as close to
        ``storyline``'s members as ``threshold`` asks (candidates for a merge)."""
        out = []
        for sim, c in scored[:4]:
            if (
                c.id == storyline.id
                or c.merged_into is not None
                or sim < self.threshold * self.bridge_probe
            ):
                continue
            # Members alike on average can still be two subjects sharing a few busy words; the
            # centroids must agree as well, or chains of bridges weld unrelated storylines.
            if (
                storyline.linkage(c, idf) >= threshold
                and storyline.centroid_cosine(c, idf) >= self.bridge_centroid
            ):
                out.append(c)
        return out

    def add_article(
        self,
        storyline: Cluster,
        article_id: str,
        unit_raw: dict[str, float],
        day: int | None,
        idf: Idf,
    ) -> None:
        """Record an article in ``storyline`` and move its centroid."""
        storyline.article_ids.append(article_id)
        storyline.absorb(unit_raw, day, self.keep, idf)
        if unit_raw:
            storyline.remember(unit_raw, self.exemplars, self.exemplar_terms, idf)
        self.index.index(storyline, idf)

    def relink_partner(self, storyline: Cluster, idf: Idf, n_docs: int) -> Cluster | None:
        """Return the storyline ``storyline`` should merge with now that it has grown, or None.

        A new event is placed on the words of its first article alone: two events of one subject
        whose first articles told it in different words found two storylines, and a bridge (which
        needs an article close to both) may never come. So each time a storyline that holds a
        single event doubles in size (a logarithmic number of checks, each two bounded index
        lookups), its centroid, now backed by more reports, is compared with the storylines near
        it. It merges with its nearest neighbour when that neighbour's nearest is it in turn
        (mutual nearest neighbours do not chain one busy subject into the next) and their
        centroids are as close as an article must be to join a storyline: no article vouches for
        this bridge, so it asks for the joining bar, not the looser bridge bar. A storyline that
        gathered several events had its placement checked by each one's first article; merging
        it is left to bridges.
        """
        size = storyline.size
        if not self.relink or size < 2 or size & (size - 1):  # not at a doubling
            return None
        if storyline.merged_into is not None or len(storyline.children) != 1:
            return None
        sim, partner = self._nearest(storyline, idf, n_docs)
        if partner is None or sim < self.threshold:
            return None
        _, back = self._nearest(partner, idf, n_docs)
        return partner if back is storyline else None

    def _nearest(self, storyline: Cluster, idf: Idf, n_docs: int) -> tuple[float, Cluster | None]:
        """Return the live storyline (within the window) whose centroid is closest, with the cosine."""
        unit = weigh(storyline.centroid, idf)
        if not unit:
            return 0.0, None
        query = nlargest(self.query_terms, unit.items(), key=lambda kv: kv[1])
        found = self.index.candidates(query, storyline.last_day, self.window, self.max_candidates)
        best: tuple[float, Cluster | None] = (0.0, None)
        for other in found:
            if other is storyline:
                continue
            sim = other.likeness(unit, "centroid", idf, n_docs)
            if sim > best[0]:
                best = (sim, other)
        return best
