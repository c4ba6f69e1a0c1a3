"""Merging two clusters (events or storylines) into one, and the rules on which survives."""

from __future__ import annotations

from storyline.link.cluster_core import Cluster, Idf

__all__ = ["fold", "fold_into_older", "older", "retire", "split_apart"]


def split_apart(a: Cluster, b: Cluster) -> bool:
    """Return whether one of two events was split off the other (a re-check must not undo it)."""
    for x, y in ((a, b), (b, a)):
        for h in x.history:
            if h.get("action") in ("split", "split_from") and y.id in h.get("ids", ()):
                return True
    return False


def older(a: Cluster, b: Cluster) -> bool:
    """Return whether ``a`` was created before ``b`` (by sequence, so replays give the same ids)."""
    return (a.seq, a.id) <= (b.seq, b.id)


def fold(
    keep: Cluster, gone: Cluster, at: str, exemplars: int, centroid_terms: int, idf: Idf
) -> None:
    """Move everything of ``gone`` into ``keep`` and note the merge on both.

    ``keep`` holds at most ``exemplars`` remembered members and ``centroid_terms`` centroid
    features afterwards; ``gone`` resolves to ``keep`` from then on.
    """
    pool = keep.exemplars + gone.exemplars
    if len(pool) > exemplars:
        # An even sample of both, so the survivor's members still speak for each side.
        step = len(pool) / exemplars
        pool = [pool[int(i * step)] for i in range(exemplars)]
    keep.exemplars = pool
    gone.exemplars = []
    # A merged event can still be re-checked while every member of both sides is remembered.
    keep.members = keep.members + gone.members
    if len(keep.members) != keep.size + gone.size:
        keep.members = []
    gone.members = []
    c = dict(keep.centroid)
    for k, v in gone.centroid.items():
        c[k] = c.get(k, 0.0) + v
    keep.centroid = c
    keep.absorb({}, None, centroid_terms, idf)  # re-truncate without adding a member
    keep.size += gone.size
    keep.touched = max(keep.touched, gone.touched)
    keep.article_ids.extend(gone.article_ids)
    keep.children.extend(x for x in gone.children if x not in keep.children)
    keep.widen(gone.first_day)
    keep.widen(gone.last_day)
    keep.history.append({"action": "merge", "ids": [gone.id], "at": at})
    keep.history.extend(gone.history)
    gone.merged_into = keep.id
    gone.history.append({"action": "merged_into", "ids": [keep.id], "at": at})


def fold_into_older(
    a: Cluster, b: Cluster, at: str, exemplars: int, centroid_terms: int, idf: Idf
) -> tuple[Cluster, Cluster]:
    """Fold the younger of two clusters into the older (see :func:`fold`); return (kept, gone)."""
    keep, gone = (a, b) if older(a, b) else (b, a)
    fold(keep, gone, at, exemplars, centroid_terms, idf)
    return keep, gone


def retire(gone: Cluster, keep: Cluster, at: str) -> None:
    """Mark a cluster its members all left as resolving to ``keep`` (nothing is left to fold),
    and note it on both."""
    gone.merged_into = keep.id
    gone.exemplars, gone.members = [], []
    gone.history.append({"action": "merged_into", "ids": [keep.id], "at": at})
    keep.history.append({"action": "merge", "ids": [gone.id], "at": at})
