"""The event clusterer's fixed configuration and the records it takes, gives and keeps.

Kept apart from ``events`` so that the clusterer's parts (placing, the second look) share one
definition of each without importing one another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from heapq import nlargest

from storyline.link.cluster_core import Cluster, Idf
from storyline.link.features import FeatureWeights, weekday_factor
from storyline.models import Story

__all__ = [
    "Assignment",
    "Changes",
    "ClusterConfig",
    "ClusterItem",
    "Pending",
    "ReadArticle",
    "event_weekday_factor",
    "unit_pair",
]


@dataclass(frozen=True)
class ClusterConfig:
    """The one fixed configuration of the clusterer (thresholds, window and size limits)."""

    event_threshold: float = 0.25
    merge_threshold: float = 0.20
    storyline_threshold: float = 0.20
    event_window_days: int = 7
    storyline_window_days: int = 60
    article_terms: int = 150
    centroid_terms: int = 120
    index_terms: int = 25
    query_terms: int = 25
    max_candidates: int = 30
    posting_cap: int = 400
    storyline_name_scale: float = 0.1
    storyline_merge: float = 0.10
    storyline_merge_centroid: float = 0.15  # centroid cosine a bridge between storylines needs
    storyline_relink: bool = True  # re-link a storyline with its mutual nearest as it doubles
    exemplars: int = 6  # members remembered per cluster (bounds memory; used for merges)
    exemplar_terms: int = 30
    content_threshold: float = 0.2  # words-and-names cosine an article needs to join
    slim_terms: int = 30  # centroid features kept by events older than every window
    # Articles placed since an event last grew before it may be slimmed: a collection that comes
    # out of time order (an archive in several runs) keeps feeding old events, which need their
    # remembered members for re-checks and merges. Bounds the extra events kept whole.
    slim_idle: int = 5_000
    link: str = "centroid"  # article-to-event likeness: "mean" / "max" over members, or "centroid"
    merge_kinds: str | None = None  # feature kinds compared for merges ("wet": words, names)
    merge_probe: float = 0.5  # share of event_threshold a second event must reach to be checked
    weekday_penalty: float = 0.35  # similarity factor when the lead names another weekday
    weekday_slack: int = 1  # weekdays this many days apart still count as one day
    split_members: int = 30  # members an event keeps for re-checks (0: never re-check)
    split_terms: int = 40  # features kept per remembered member
    split_every: int = 5  # re-check an event each time it grows by this many members
    split_gain: float = 0.22  # within- minus cross-group pair cosine that splits an event
    split_min: int = 5  # members each side of a split needs
    # A second split test for welds of two happenings of one kind (0 turns it off): weighed by
    # how few members hold each feature, the groups are twice as alike inside as across, and
    # their figures (numbers, dates) four times as alike inside each group as across.
    split_contrast: float = 0.5
    split_figures: float = 0.25
    extract_text_dates: bool = True
    dateline_dates: bool = True  # without a publication date, trust a date on a short top line
    publication_day: bool = True  # the publication day is a date feature, not only a window
    lead_title: bool = True  # an article without a headline takes its first line as one
    # A second look at the end of each run (``settle``): up to this many passes over the run's
    # articles, each moving to another event it is now closer to than to its own (0: none).
    settle_passes: int = 3
    settle_limit: int = 5_000  # articles placed before add() settles them (and slims events)
    # At each second look, an event the run touched merges with a near live event when their
    # remembered members average at least this cosine (0: never). Lower than merge_threshold,
    # which any one article can trigger: whole events compared member by member are firmer
    # evidence, and reports of one happening placed apart (undated, in an unlucky order) reach
    # only 0.16-0.19 while sibling happenings stay under 0.15 (ECB+ dev, both halves). Events
    # of one story with the same actors are alike well past it: only events whose leads name
    # no clashing weekday and whose days overlap are compared (``_told_apart``).
    consolidate: float = 0.15
    consolidate_candidates: int = 5  # nearest live events an event is compared with
    # A batch whose publication times leave its order open is placed this many times, its
    # ties shuffled, and its events are what most passes agree on (see consensus; 1: one pass).
    consensus_passes: int = 5
    consensus_cut: float = 0.7  # mean share of passes two groups' articles must agree in
    consensus_floor: float = 0.3  # a pair agreeing in fewer passes counts as not agreeing
    use_background: bool = True
    weights: FeatureWeights = field(default_factory=FeatureWeights)


@dataclass
class ClusterItem:
    """What the clusterer needs to know about one article."""

    article_id: str
    text: str
    title: str | None = None
    entities: list[str] = field(default_factory=list)
    published: str | None = None
    dates: list[str] = field(default_factory=list)
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its event, that event's storyline, and how close it was."""

    event_id: str
    storyline_id: str
    similarity: float
    new_event: bool


@dataclass(frozen=True)
class Changes:
    """What placing articles changed since the state was last saved (see ``changes``)."""

    stories: list[Story]  # live events and storylines that were founded, grew, merged or split
    merged: list[str]  # events and storylines merged away (their ids resolve to the survivor)
    articles: list[str]  # articles whose event or storyline may differ: placed, moved or merged


@dataclass(frozen=True)
class ReadArticle:
    """One article as the clusterer reads it: its day and its feature vectors."""

    article_id: str
    day: int | None
    at: str  # when it was placed: its publication time, else now (for histories)
    raw: dict[str, float]  # pre-IDF feature strengths
    unit: dict[str, float]  # ``raw`` cut and scaled so its IDF-weighted form is unit length
    vec: dict[str, float]  # that IDF-weighted unit vector
    weekday: str | None  # the weekday feature of its lead, if any


@dataclass
class Pending:
    """An article placed since the last second look, with what it added where it went."""

    article_id: str
    day: int | None
    at: str
    weekday: str | None
    # What it added to its event's centroid: its strongest pre-IDF features, scaled. They stand
    # in for its whole vector on the second look (the full vector is not kept, to save memory).
    unit: dict[str, float]
    sunit: dict[str, float]  # what it added to its storyline's centroid
    exemplar: dict[str, float] | None  # its remembered copy in the event, if still held
    copies: list[str] = field(default_factory=list)  # copies placed with it since


def unit_pair(
    raw: dict[str, float], idf: Idf, keep: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Return (pre-IDF vector scaled so its weighted form is unit, that weighted form), both cut
    to the ``keep`` strongest features. Centroids sum the first and are weighted when compared,
    so early members are judged with today's statistics, not those of their day."""
    weighted = {k: v * idf(k) for k, v in raw.items()}
    if len(weighted) > keep:
        weighted = dict(nlargest(keep, weighted.items(), key=lambda kv: kv[1]))
    norm = math.sqrt(sum(v * v for v in weighted.values()))
    if not norm:
        return {}, {}
    return {k: raw[k] / norm for k in weighted}, {k: v / norm for k, v in weighted.items()}


def event_weekday_factor(weekday: str | None, event: Cluster, config: ClusterConfig) -> float:
    """The likeness factor for an article whose lead names ``weekday`` (see weekday_factor)."""
    return weekday_factor(weekday, event.centroid, config.weekday_penalty, config.weekday_slack)
