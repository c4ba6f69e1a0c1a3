"""Storylines: events chained by a looser likeness (shared subject and actors, close in time)."""

from __future__ import annotations

import hashlib

from storyline.link.cluster_core import Cluster, ClusterIndex, cosine, normalise

__all__ = ["StorylineIndex", "storyline_id", "storyline_vector"]


def storyline_id(founding_article_id: str) -> str:
    """Return the stable id of a storyline founded by ``founding_article_id``."""
    return "sl_" + hashlib.sha1(("storyline:" + founding_article_id).encode()).hexdigest()[:12]


def storyline_vector(event_vec: dict[str, float], name_scale: float, keep: int) -> dict[str, float]:
    """Return the storyline view of an article vector: the subject counts more than the particulars."""
    out: dict[str, float] = {}
    for k, v in event_vec.items():
        # Dates and numbers tell happenings apart but not storylines; names and words link them.
        kind = k[0]
        if kind in "dmn":
            continue
        out[k] = v * name_scale if kind in "et" else v
    return normalise(out, keep)


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
        neighbour_threshold: float = 1.0,
        exemplars: int = 10,
        exemplar_terms: int = 60,
    ) -> None:
        self.exemplars = exemplars
        self.exemplar_terms = exemplar_terms
        self.threshold = threshold
        self.neighbour_threshold = neighbour_threshold
        self.window = window
        self.keep = keep
        self.max_candidates = max_candidates
        self.index = ClusterIndex(index_terms, posting_cap)

    @property
    def clusters(self) -> dict[str, Cluster]:
        """All storylines by id, merged ones included."""
        return self.index.clusters

    def best(
        self, vec: dict[str, float], query: list[tuple[str, float]], day: int | None
    ) -> tuple[Cluster | None, float]:
        """Return the most similar live storyline near ``day`` and its similarity."""
        best: Cluster | None = None
        best_sim = 0.0
        for c in self.index.candidates(query, day, self.window, self.max_candidates):
            sim = cosine(vec, c.centroid, c.norm)
            if sim > best_sim:
                best, best_sim = c, sim
        return best, best_sim

    def bridges(
        self,
        storyline: Cluster,
        vec: dict[str, float],
        query: list[tuple[str, float]],
        day: int | None,
        threshold: float,
    ) -> list[Cluster]:
        """Return other storylines close to ``vec`` whose members are, on average, as close to
        ``storyline``'s members as ``threshold`` asks (candidates for a merge)."""
        out = []
        for c in self.index.candidates(query, day, self.window, 4):
            if c.id == storyline.id or c.merged_into is not None:
                continue
            if cosine(vec, c.centroid, c.norm) >= self.threshold * 0.5 and (
                storyline.linkage(c) >= threshold
            ):
                out.append(c)
        return out

    def assign_new_event(
        self,
        event: Cluster,
        vec: dict[str, float],
        query: list[tuple[str, float]],
        day: int | None,
        founding_article_id: str,
        created: str,
        neighbour: tuple[Cluster | None, float] = (None, 0.0),
    ) -> tuple[Cluster, float]:
        """Put a new event in the closest storyline, or found one; return it and the similarity.

        ``neighbour`` is the storyline of the nearest article in other events and its cosine: a
        close article ties the new event to its storyline even when the centroid is still vague.
        """
        best, sim = self.best(vec, query, day)
        if neighbour[0] is not None and neighbour[1] >= self.neighbour_threshold and (
            best is None or sim < self.threshold or neighbour[0] is not best
        ):
            best, sim = neighbour
        if best is None or sim < self.threshold:
            best = Cluster(id=storyline_id(founding_article_id), level="storyline", created=created)
            self.index.clusters[best.id] = best
            sim = 1.0
        best.children.append(event.id)
        event.parent_id = best.id
        return best, sim

    def add_article(
        self, storyline: Cluster, article_id: str, vec: dict[str, float], day: int | None
    ) -> None:
        """Record an article in ``storyline`` and move its centroid."""
        storyline.article_ids.append(article_id)
        if vec:
            storyline.absorb(vec, day, self.keep)
            storyline.remember(vec, self.exemplars, self.exemplar_terms)
            self.index.index(storyline)
        else:
            storyline.widen(day)
