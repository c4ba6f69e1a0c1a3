"""Streaming, incremental clustering of articles into events and of events into storylines.

Each article is placed in one pass as it arrives: its sparse vector (words, names, numbers and
dates, weighted by an IDF learned as the stream goes, on top of a small background corpus) is
compared with the centroids of the few live events that share its strongest features (an inverted
index with a time window), so the cost per article does not grow with the number stored. Ids never
change: a merged event keeps resolving to the survivor, whose ``history`` names what it absorbed.

The configuration and the records the clusterer takes and gives are in ``event_records``, its
second look at the end of each run in ``second_look``, and the split test in ``event_split``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime
from heapq import nlargest
from typing import Any

from storyline.errors import StoreError, UsageError
from storyline.link.cluster_core import Cluster, ClusterIndex, weigh
from storyline.link.cluster_merge import fold_into_older, split_apart
from storyline.link.event_records import (
    Assignment,
    Changes,
    ClusterConfig,
    ClusterItem,
    Pending,
    ReadArticle,
    event_weekday_factor,
    unit_pair,
)
from storyline.link.event_split import (
    bisect,
    bisect_apart,
    contrast,
    figures_apart,
    has_figures,
)
from storyline.link.features import (
    DocFreq,
    article_features,
    dateline_day,
    extract_dates,
    lead_line,
    load_background,
    parse_day,
)
from storyline.link.second_look import SecondLook
from storyline.link.storylines import StorylineIndex, storyline_id, storyline_view
from storyline.models import Story

__all__ = [
    "Assignment",
    "Changes",
    "ClusterConfig",
    "ClusterItem",
    "EventClusterer",
    "StateRow",
    "event_id",
]

STATE_VERSION = 1
StateRow = tuple[str, str, str]  # (kind, key, JSON text): meta, df, event, storyline, index,
# article and ageing (the events still whole, for slimming in a later run)


def event_id(founding_article_id: str) -> str:
    """Return the stable id of an event founded by ``founding_article_id``."""
    return "ev_" + hashlib.sha1(("event:" + founding_article_id).encode()).hexdigest()[:12]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class EventClusterer(SecondLook):
    """Places articles into events and storylines one at a time; state is plain, serialisable data.

    Its second look at the end of each run (``settle``) is in ``second_look``."""

    def __init__(
        self,
        config: ClusterConfig | None = None,
        background: tuple[int, dict[str, int]] | None = None,
    ) -> None:
        self.config = config or ClusterConfig()
        c = self.config
        if c.link not in ("centroid", "mean", "max"):
            raise UsageError(f"unknown link {c.link!r}: use centroid, mean or max")
        if background is None:
            background = load_background() if c.use_background else (0, {})
        self.df = DocFreq(background_n=background[0], background=background[1])
        self.events = ClusterIndex(c.index_terms, c.posting_cap)
        self.storylines = StorylineIndex(
            c.storyline_threshold,
            c.storyline_window_days,
            c.centroid_terms,
            c.index_terms,
            c.posting_cap,
            c.max_candidates,
            c.exemplars,
            c.exemplar_terms,
            c.storyline_merge_centroid,
            c.storyline_relink,
            c.query_terms,
        )
        self.article_event: dict[str, str] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._slimmed: set[str] = set()  # events slimmed since the last save
        self._dirty_articles: list[str] = []
        self.seq = 0
        self._latest_day: int | None = None
        self._ageing: deque[tuple[int, str]] = deque()
        # A state saved before the ageing queue was: its whole events are found at the next settle.
        self._ageing_unknown = False
        self._pending: dict[str, Pending] = {}
        self._copy_of: dict[str, str] = {}  # copies of held articles -> the held original
        self._unsettled = 0  # articles placed since the last settle
        self.settle_merges = 0  # events merged by the latest settle (see _consolidate)
        self._recheck_due: dict[str, str] = {}  # events guided articles grew -> when
        # Article -> (event, storyline) it had before its collection was placed again whole:
        # an event or storyline it founds takes that id when still free (see ``prefer_ids``).
        self._hints: dict[str, tuple[str, str]] = {}

    def _age(self, event: Cluster, day: int) -> None:
        """Note the event's last day, and the newest day seen, for slimming at the next settle."""
        if event.last_day is not None:
            self._ageing.append((event.last_day, event.id))
        if self._latest_day is None or day > self._latest_day:
            self._latest_day = day

    def _slim_dormant(self) -> None:
        """Slim events that fell out of every time window, so memory follows the live ones.

        A slim event keeps its ids, members and a short centroid (late articles can still find
        it) but drops its remembered members. This waits for the end of a run (``settle``): a
        run's articles can span years (a backfilled folder), and an event forgotten because a
        newer article of the same run moved the clock on could no longer be compared member by
        member with the run's own older or undated articles, nor split or merged. For the same
        reason an event that grew within the last ``slim_idle`` articles stays whole, however old
        its days: a collection stored in several runs, out of time order, keeps feeding it.
        """
        if self._latest_day is None:
            return
        if self._ageing_unknown:
            self._ageing = deque(_whole_events(self.events))
            self._ageing_unknown = False
        horizon = self._latest_day - max(
            self.config.event_window_days, self.config.storyline_window_days
        )
        idle_since = self.df.n_docs - self.config.slim_idle
        busy: dict[str, tuple[int, str]] = {}
        while self._ageing and self._ageing[0][0] < horizon:
            entry = self._ageing.popleft()
            old = self.events.clusters.get(entry[1])
            if old is None or old.merged_into is not None:
                continue  # merged away: the survivor has its own entry
            if old.last_day is None or old.last_day >= horizon:
                continue  # it moved on since; a later entry covers it
            if old.touched > idle_since:
                busy[old.id] = entry  # still being fed: first in line at the next settle
                continue
            old.slim(self.config.slim_terms, self.df.idf)
            # Saved again, though as a story it has not changed (it may be an earlier run's).
            self._slimmed.add(old.id)
        self._ageing.extendleft(reversed(busy.values()))

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    # -- placing articles ---------------------------------------------------------------------

    def add(self, item: ClusterItem, into: str | None = None, found: bool = False) -> Assignment:
        """Place one article (idempotent: an article seen before keeps its place).

        ``into`` (an event id) or ``found`` decide its event instead of its likeness, for a
        placement already agreed on (see ``consensus.place_batch``): the article joins that
        event or founds one, its storyline is found as usual, nothing is merged for it and it
        gets no second look; the event's split re-check, when due, waits for ``settle``. A copy
        of a placed article goes with its original regardless.
        """
        if not item.article_id:
            raise UsageError("cluster item has no article_id")
        known = self.article_event.get(item.article_id)
        if known is not None:
            return self._assignment(known, 1.0, False)
        if item.duplicate_of and item.duplicate_of in self.article_event:
            return self._add_duplicate(item)
        if into is not None:
            into = self.resolve(into)
            if into not in self.events.clusters:
                raise UsageError(f"{into} is a storyline, not an event")
        article = self._read(item)
        if into is not None or found:
            return self._add_guided(article, into)
        scored = self._score_events(article)
        event, sim, new_event = self._join_or_found(article, scored)
        sunit = self._place_in_storyline(article, event, new_event)
        c = self.config
        if c.settle_passes or c.consolidate:  # both look at the run's articles when it ends
            held = event.exemplars[-1] if event.exemplars else None
            self._pending[article.article_id] = Pending(
                article.article_id,
                article.day,
                article.at,
                article.weekday,
                article.unit,
                sunit,
                held,
            )
        event = self._merge_near(article, event, scored, new_event)
        if not new_event and c.split_members and event.size % c.split_every == 0:
            self._recheck(event, article.at)
        return self._placed(article.article_id, sim, new_event)

    def _add_guided(self, article: ReadArticle, into: str | None) -> Assignment:
        """Put an article into the event ``into`` (or a new one when None) and its storyline."""
        target = None if into is None else self.events.clusters[into]
        event, sim, new_event = self._join_or_found(article, [], target)
        self._place_in_storyline(article, event, new_event)
        c = self.config
        if not new_event and c.split_members and event.size % c.split_every == 0:
            # Re-checked once its batch is all in (at ``settle``), not while it is being filled.
            self._recheck_due[event.id] = article.at
        return self._placed(article.article_id, sim, new_event)

    def _placed(self, article_id: str, sim: float, new_event: bool) -> Assignment:
        """Count a newly placed article towards the next settle; return where it went."""
        self._unsettled += 1
        if self._unsettled >= self.config.settle_limit:
            self.settle()
        return self._assignment(self.article_event[article_id], sim, new_event)

    def _read(self, item: ClusterItem) -> ReadArticle:
        """Return the article's day and feature vectors, counting its features in the IDF."""
        c = self.config
        published = parse_day(item.published)
        day = published
        if day is None and c.dateline_dates:
            day = dateline_day(item.text)
        dates = list(item.dates)
        if not dates and c.extract_text_dates:
            dates = extract_dates(item.text[:2000])
        if c.publication_day and published is not None:
            # The day it came out is a date it shares with the other reports of a happening;
            # busy days, which many events share, weigh little by their document frequency.
            dates = [date.fromordinal(published).isoformat(), *dates]
        title = item.title
        if not title and c.lead_title:
            # A headline weighs its words twice because it says what kind of happening it is;
            # without one, the lead paragraph is the writer's own summary and does that job.
            title = lead_line(item.text)
        raw = article_features(item.text, title, item.entities, dates, c.weights)
        self.df.add(raw)
        unit, vec = unit_pair(raw, self.df.idf, c.article_terms)
        return ReadArticle(
            article_id=item.article_id,
            day=day,
            at=item.published or _now(),
            raw=raw,
            unit=unit,
            vec=vec,
            weekday=next((k for k in raw if k[0] == "k"), None),
        )

    def _score_events(self, article: ReadArticle) -> list[tuple[float, Cluster]]:
        """Return the live events near the article's day that share its strongest features,
        best first, with their likeness to it (lowered when the lead names another weekday)."""
        c = self.config
        idf, n_docs = self.df.idf, self.df.n_docs
        query = nlargest(c.query_terms, article.vec.items(), key=lambda kv: kv[1])
        candidates = self.events.candidates(
            query, article.day, c.event_window_days, c.max_candidates
        )
        scored = [
            (
                ev.likeness(article.vec, c.link, idf, n_docs)
                * event_weekday_factor(article.weekday, ev, c),
                ev,
            )
            for ev in candidates
        ]
        scored.sort(key=lambda t: -t[0])
        return scored

    def _join_or_found(
        self, article: ReadArticle, scored: list[tuple[float, Cluster]], into: Cluster | None = None
    ) -> tuple[Cluster, float, bool]:
        """Add the article to the best event it may join (``into`` when given), or found one;
        return (event, likeness, whether it is new)."""
        c = self.config
        idf = self.df.idf
        # Shared numbers and dates corroborate but cannot make one happening on their own: busy
        # days bring many events with the same date and colliding figures.
        joinable = [
            (sim, ev)
            for sim, ev in scored[:3]
            if sim >= c.event_threshold
            and ev.content_likeness(article.vec, idf) >= c.content_threshold
        ]
        if into is not None:
            joinable = [(into.likeness(article.vec, c.link, idf, self.df.n_docs), into)]
        if joinable:
            sim, event = joinable[0]
            new_event = False
        else:
            event = Cluster(
                id=self._fresh_id(
                    self._hinted(article.article_id, 0) or event_id(article.article_id)
                ),
                level="event",
                created=article.at,
                seq=self._next(),
            )
            self.events.clusters[event.id] = event
            sim, new_event = 1.0, True
        event.article_ids.append(article.article_id)
        event.absorb(article.unit, article.day, c.centroid_terms, idf)
        event.touched = self.df.n_docs
        event.remember(article.unit, c.exemplars, c.exemplar_terms, idf)
        if c.split_members:
            event.keep_member(
                article.article_id, article.day, article.unit, c.split_members, c.split_terms, idf
            )
        self.events.index(event, idf)
        self.article_event[article.article_id] = event.id
        if article.day is not None:
            self._age(event, article.day)
        return event, sim, new_event

    def _place_in_storyline(
        self, article: ReadArticle, event: Cluster, new_event: bool
    ) -> dict[str, float]:
        """Put a new event in a storyline, record the article there, and merge storylines the
        article shows to be one; return what the article added to the storyline's centroid."""
        c = self.config
        idf, n_docs = self.df.idf, self.df.n_docs
        sunit, svec = unit_pair(
            storyline_view(article.raw, c.storyline_name_scale), idf, c.article_terms
        )
        squery = nlargest(c.query_terms, svec.items(), key=lambda kv: kv[1])
        sscored = self.storylines.scored(svec, squery, article.day, idf, n_docs)
        if new_event:
            storyline = self.storylines.assign_new_event(
                event,
                sscored,
                article.article_id,
                article.at,
                self._next(),
                # Never an id a cluster holds: an earlier placement's storyline may bear the
                # id this article's own would get (one it founded then, given to another now).
                self._fresh_id(
                    self._hinted(article.article_id, 1) or storyline_id(article.article_id)
                ),
            )
        else:
            storyline = self.storylines.clusters[self._resolve_storyline(event)]
        self.storylines.add_article(storyline, article.article_id, sunit, article.day, idf)
        self._touch(event, storyline, article.article_id)
        # Storylines found apart can turn out to be one: bridge them the way events are bridged.
        for other in self.storylines.bridges(storyline, sscored, c.storyline_merge, idf):
            if storyline.merged_into is None and other.merged_into is None:
                storyline = self._merge_storylines(storyline, other, article.at)
        partner = self.storylines.relink_partner(storyline, idf, n_docs)
        if partner is not None:
            self._merge_storylines(storyline, partner, article.at)
        return sunit

    def _merge_near(
        self,
        article: ReadArticle,
        event: Cluster,
        scored: list[tuple[float, Cluster]],
        new_event: bool,
    ) -> Cluster:
        """Merge the article's event with the events it also sits close to, when the two,
        compared member by member, are as alike as an article and its event must be (a later
        article can show two events to be one); return the surviving event."""
        c = self.config
        probe = c.event_threshold * c.merge_probe
        for other_sim, other in scored[:4]:
            if other is event or other.merged_into is not None or other_sim < probe:
                continue
            if split_apart(event, other) or not self._storylines_agree(event, other):
                continue
            # An article that founded an event because its lead names another day than the
            # other event's must not be merged back at once; a later article may bridge them.
            if new_event and event_weekday_factor(article.weekday, other, c) < 1.0:
                continue
            if event.linkage(other, self.df.idf, c.merge_kinds) >= c.merge_threshold:
                event = self._merge_events(event, other, article.at)
        return event

    def _storylines_agree(self, a: Cluster, b: Cluster) -> bool:
        """Return whether two events' storylines may become one (merging events merges them)."""
        sa = self.storylines.clusters[self._resolve_storyline(a)]
        sb = self.storylines.clusters[self._resolve_storyline(b)]
        if sa is sb:
            return True
        return sa.centroid_cosine(sb, self.df.idf) >= self.config.storyline_merge_centroid

    def _recheck(self, event: Cluster, at: str) -> None:
        """Split a young event whose members form two clearly apart groups (see event_split).

        The side holding the founding member keeps the id; the other side becomes a new event
        in the same storyline, and both note the split in their history.
        """
        c = self.config
        members = event.members
        if len(members) != event.size or len(members) < 2 * c.split_min:
            return
        idf = self.df.idf
        raws = [raw for _, _, raw in members]
        found = bisect([weigh(raw, idf) for raw in raws])
        if found is None or found.gain < c.split_gain or found.smaller() < c.split_min:
            # A second test for welds of two happenings of one kind, which share their kind's
            # words: weighed by how few members use them (see event_split.contrast), the members
            # fall in two groups, and the figures (numbers, dates) confirm it, each group
            # repeating its own and hardly any crossing the cut.
            # Unless most members give figures no cut can pass; skip the costlier search then.
            figured = sum(1 for raw in raws if has_figures(raw))
            if not c.split_contrast or 2 * figured < len(raws):
                return
            found = bisect_apart(contrast(raws, idf), c.split_min)
            if (
                found is None
                or found.cross >= c.split_contrast * found.within
                or not figures_apart(raws, found, idf, c.split_figures)
            ):
                return
        stay, move = (
            (found.first, found.second) if 0 in found.first else (found.second, found.first)
        )
        moved = [members[i] for i in move]
        new = Cluster(
            id=self._fresh_id(self._hinted(moved[0][0], 0) or event_id(moved[0][0])),
            level="event",
            created=at,
            seq=self._next(),
            parent_id=event.parent_id,
            touched=event.touched,
        )
        self.events.clusters[new.id] = new
        moved_ids = {aid for aid, _, _ in moved}
        kept = [members[i] for i in stay]
        # Copies placed by duplicate_of were never members: they stay with the founder's side.
        event.article_ids = [a for a in event.article_ids if a not in moved_ids]
        for cluster, group in ((event, kept), (new, moved)):
            cluster.centroid, cluster.size, cluster.exemplars, cluster.members = {}, 0, [], []
            cluster.first_day = cluster.last_day = None
            for aid, day, raw in group:
                if cluster is new:
                    cluster.article_ids.append(aid)
                cluster.absorb(raw, day, c.centroid_terms, idf)
                cluster.remember(raw, c.exemplars, c.exemplar_terms, idf)
                cluster.members.append((aid, day, raw))
            self.events.index(cluster, idf)
        for aid in moved_ids:
            self.article_event[aid] = new.id
        self._dirty_articles.extend(sorted(moved_ids))
        storyline = self.storylines.clusters[self._resolve_storyline(event)]
        storyline.children.append(new.id)
        new.parent_id = storyline.id
        event.history.append({"action": "split", "ids": [new.id], "at": at})
        new.history.append({"action": "split_from", "ids": [event.id], "at": at})
        self._dirty.update({("event", event.id), ("event", new.id), ("storyline", storyline.id)})
        if new.last_day is not None:
            self._age(new, new.last_day)

    def _add_duplicate(self, item: ClusterItem) -> Assignment:
        """Put a copy with its original's event without moving any centroid or statistic."""
        assert item.duplicate_of is not None
        event = self.events.clusters[self.resolve(self.article_event[item.duplicate_of])]
        storyline = self.storylines.clusters[self._resolve_storyline(event)]
        day = parse_day(item.published)
        event.article_ids.append(item.article_id)
        event.widen(day)
        storyline.article_ids.append(item.article_id)
        storyline.widen(day)
        self.article_event[item.article_id] = event.id
        # A copy follows its original on a second look (a copy of a copy, the first original).
        root = self._copy_of.get(item.duplicate_of, item.duplicate_of)
        original = self._pending.get(root)
        if original is not None:
            original.copies.append(item.article_id)
            self._copy_of[item.article_id] = root
        self._touch(event, storyline, item.article_id)
        return self._assignment(event.id, 1.0, False)

    def prefer_ids(self, hints: Mapping[str, tuple[str, str]]) -> None:
        """Give events and storylines the ids their articles had in an earlier placement.

        ``hints`` maps an article to the (event, storyline) it was in. An event or storyline the
        article founds takes that id when no cluster holds it yet, so placing a collection again
        whole keeps the ids of the stories it finds again.
        """
        self._hints = dict(hints)

    def _hinted(self, article_id: str, level: int) -> str | None:
        """The earlier id (0: event, 1: storyline) of the article's cluster, when still free."""
        hint = self._hints.get(article_id)
        if hint is None:
            return None
        cid = hint[level]
        taken = cid in self.events.clusters or cid in self.storylines.clusters
        return None if taken else cid

    def mark_all_changed(self) -> None:
        """Mark every cluster and placed article changed, so the next save writes them all."""
        self._dirty.update(("event", cid) for cid in self.events.clusters)
        self._dirty.update(("storyline", cid) for cid in self.storylines.clusters)
        self._dirty_articles = list(self.article_event)

    def _fresh_id(self, base: str) -> str:
        """Return ``base`` or, in the unlikely case it is taken, a suffixed variant."""
        cid, n = base, 1
        while cid in self.events.clusters or cid in self.storylines.clusters:
            n += 1
            cid = f"{base}_{n}"
        return cid

    def _merge_events(self, a: Cluster, b: Cluster, at: str) -> Cluster:
        """Merge two events into the older one (the first created); return the survivor."""
        c = self.config
        keep, gone = fold_into_older(a, b, at, c.exemplars, c.centroid_terms, self.df.idf)
        self.events.index(keep, self.df.idf)
        self.events.drop(gone.id)
        sa = self.storylines.clusters[self._resolve_storyline(keep)]
        sb = self.storylines.clusters[self._resolve_storyline(gone)]
        if sa.id != sb.id:
            self._merge_storylines(sa, sb, at)
        storyline = self.storylines.clusters[self._resolve_storyline(keep)]
        if gone.id in storyline.children:
            storyline.children.remove(gone.id)
        keep.parent_id = storyline.id
        self._dirty.update({("event", keep.id), ("event", gone.id), ("storyline", storyline.id)})
        if keep.last_day is not None:
            self._age(keep, keep.last_day)  # it may now end on the day the other one did
        return keep

    def merge_events(self, a: str, b: str, at: str | None = None) -> str:
        """Merge two events, and their storylines, into the older; return the survivor's id."""
        ids = [self.resolve(x) for x in (a, b)]
        if any(i not in self.events.clusters for i in ids):
            raise UsageError(f"{a} and {b} must both be events")
        ea, eb = (self.events.clusters[i] for i in ids)
        return ea.id if ea is eb else self._merge_events(ea, eb, at or _now()).id

    def _merge_storylines(self, a: Cluster, b: Cluster, at: str) -> Cluster:
        """Merge two storylines into the older one; return the survivor."""
        c = self.config
        keep, gone = fold_into_older(a, b, at, c.exemplars, c.centroid_terms, self.df.idf)
        self.storylines.index.index(keep, self.df.idf)
        self.storylines.index.drop(gone.id)
        self._dirty.update({("storyline", keep.id), ("storyline", gone.id)})
        # The merged-away storyline's events now belong to the survivor: left pointing at it,
        # their stored rows named a storyline that no longer stands (or was never written),
        # and the report listed none of them under the storyline their articles are in.
        for cid in gone.children:
            if cid in self.events.clusters:
                child = self.events.clusters[cid]
                if child.merged_into is None and child.parent_id != keep.id:
                    child.parent_id = keep.id
                    self._dirty.add(("event", cid))
        return keep

    # -- looking things up --------------------------------------------------------------------

    def resolve(self, cluster_id: str) -> str:
        """Return the current id of an event or storyline, following merges."""
        for table in (self.events.clusters, self.storylines.clusters):
            if cluster_id in table:
                seen = 0
                while table[cluster_id].merged_into is not None:
                    cluster_id = table[cluster_id].merged_into  # type: ignore[assignment]
                    seen += 1
                    if seen > len(table):
                        raise StoreError(f"merge history of {cluster_id} loops")
                return cluster_id
        raise UsageError(f"unknown event or storyline id: {cluster_id}")

    def _resolve_storyline(self, event: Cluster) -> str:
        if event.parent_id is None:
            raise StoreError(f"event {event.id} has no storyline")
        return self.resolve(event.parent_id)

    def event_of(self, article_id: str) -> str | None:
        """Return the current event id of an article, or None when it was never added."""
        eid = self.article_event.get(article_id)
        return self.resolve(eid) if eid else None

    def storyline_of(self, article_id: str) -> str | None:
        """Return the current storyline id of an article, or None when it was never added."""
        eid = self.event_of(article_id)
        return self._resolve_storyline(self.events.clusters[eid]) if eid else None

    def _assignment(self, eid: str, sim: float, new_event: bool) -> Assignment:
        eid = self.resolve(eid)
        sid = self._resolve_storyline(self.events.clusters[eid])
        return Assignment(
            event_id=eid, storyline_id=sid, similarity=round(sim, 6), new_event=new_event
        )

    def stories(self) -> list[Story]:
        """Return every live event and storyline as :class:`~storyline.models.Story` records."""
        out: list[Story] = []
        for table in (self.events.clusters, self.storylines.clusters):
            for c in table.values():
                if c.merged_into is None:
                    out.append(_story(c, self._live_parent(c)))
        return out

    def _live_parent(self, c: Cluster) -> str | None:
        """The live storyline an event belongs to (its parent, followed through merges)."""
        if c.level != "event" or c.parent_id is None:
            return c.parent_id
        try:
            return self.resolve(c.parent_id)
        except UsageError:
            return c.parent_id

    # -- state --------------------------------------------------------------------------------

    def _touch(self, event: Cluster, storyline: Cluster, article_id: str) -> None:
        self._dirty.add(("event", event.id))
        self._dirty.add(("storyline", storyline.id))
        self._dirty_articles.append(article_id)

    def _index_of(self, level: str) -> ClusterIndex:
        """The clusters and index of one level ("event" or "storyline")."""
        return self.events if level == "event" else self.storylines.index

    def changes(self) -> Changes:
        """Return what changed since the state was last saved, without clearing it.

        Every cluster an article joined, founded, merged or split is marked dirty, and an
        article changes its event or storyline only when it was placed, moved by a split, or its
        event or storyline was merged away, so writers need look at no other story or article.
        ``state_rows(dirty_only=True)`` clears the marks: call this first.
        """
        dirty = [self._index_of(kind).clusters[cid] for kind, cid in sorted(self._dirty)]
        merged = [c for c in dirty if c.merged_into is not None]
        articles = dict.fromkeys(self._dirty_articles)
        for c in merged:
            # A survivor's list holds what it absorbed, so a merged-away cluster's list names
            # every article that resolved through it, those of earlier merges included.
            articles.update(dict.fromkeys(c.article_ids))
        return Changes(
            stories=[_story(c, self._live_parent(c)) for c in dirty if c.merged_into is None],
            merged=[c.id for c in merged],
            articles=list(articles),
        )

    def state_rows(self, dirty_only: bool = False) -> list[StateRow]:
        """Return the state as ``(kind, key, json)`` rows; ``dirty_only`` gives what changed since."""
        meta = {
            "version": STATE_VERSION,
            "seq": self.seq,
            "config": _config_dict(self.config),
            "latest_day": self._latest_day,
        }
        rows: list[StateRow] = [
            ("meta", "state", json.dumps(meta, sort_keys=True)),
            ("df", "df", json.dumps({"n_docs": self.df.n_docs, "df": self.df.df})),
        ]
        if not self._ageing_unknown:
            # Whole events wait here to be slimmed once out of every window, in whatever later
            # run that happens; a run that never fed them again would not otherwise know them.
            rows.append(("ageing", "events", json.dumps(_queue(self._ageing))))
        if dirty_only:
            saved = self._dirty | {("event", cid) for cid in self._slimmed}
            clusters = [self._index_of(kind).clusters[cid] for kind, cid in sorted(saved)]
            articles: Iterable[str] = self._dirty_articles
        else:
            clusters = [*self.events.clusters.values(), *self.storylines.clusters.values()]
            articles = self.article_event
        rows.extend((c.level, c.id, json.dumps(c.to_dict())) for c in clusters)
        rows.extend(("index", f"{c.level}:{c.id}", self._index_state(c)) for c in clusters)
        rows.extend(("article", a, self.article_event[a]) for a in articles)
        self._dirty.clear()
        self._slimmed.clear()
        self._dirty_articles = []
        return rows

    def _index_state(self, cluster: Cluster) -> str:
        """The features a cluster is indexed under (JSON ``null`` when it is not indexed).

        A later run posts them as they are, without reading the cluster itself: clusters are
        decoded only when a new article's lookup or a merge reaches them (``ClusterTable``),
        and the index keeps what a run that never stopped would have kept.
        """
        terms = self._index_of(cluster.level).indexed_terms(cluster.id)
        return json.dumps(None if terms is None else list(terms))

    def load_state(self, rows: Iterable[StateRow]) -> None:
        """Replace the state with rows from :meth:`state_rows` (later rows win over earlier ones)."""
        self.__init__(self.config, (self.df.background_n, dict(self.df.background)))  # type: ignore[misc]
        tables = {level: self._index_of(level) for level in ("event", "storyline")}
        indexed: dict[tuple[str, str], list[str] | None] = {}
        queued = False
        for kind, key, text in rows:
            if kind == "meta":
                meta = json.loads(text)
                version = meta.get("version")
                if version != STATE_VERSION:
                    raise StoreError(f"cluster state version {version} is not {STATE_VERSION}")
                self.seq = int(meta.get("seq", 0))
                self._latest_day = meta.get("latest_day")
            elif kind == "df":
                data = json.loads(text)
                self.df.n_docs = int(data["n_docs"])
                self.df.df = {str(k): int(v) for k, v in data["df"].items()}
            elif kind in tables:
                tables[kind].clusters.put_saved(key, text)
            elif kind == "index":
                level, _, cid = key.partition(":")
                terms = json.loads(text)
                indexed[level, cid] = None if terms is None else [sys.intern(t) for t in terms]
            elif kind == "article":
                self.article_event[key] = text
            elif kind == "ageing":
                self._ageing = deque((int(day), str(cid)) for day, cid in json.loads(text))
                queued = True
            else:
                raise StoreError(f"unknown cluster state row kind: {kind!r}")
        for level, index in tables.items():
            for cid in list(index.clusters):
                if (level, cid) in indexed:
                    terms = indexed[level, cid]
                    if terms is not None:
                        index.post(cid, terms)
                    continue
                # saved before index terms were kept: read the cluster and choose them again,
                # and mark it so the next save writes its terms (once; later loads skip this)
                c = index.clusters[cid]
                if c.merged_into is None:
                    index.index(c, self.df.idf)
                self._dirty.add((level, cid))
        self._ageing_unknown = not queued and len(self.events.clusters) > 0


def _queue(ageing: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """The ageing queue as saved: one entry per event (its latest day), oldest first."""
    latest: dict[str, int] = {}
    for day, cid in ageing:
        latest[cid] = max(day, latest.get(cid, day))
    return sorted(((day, cid) for cid, day in latest.items()), key=lambda e: e[0])


def _whole_events(index: ClusterIndex) -> list[tuple[int, str]]:
    """The ageing queue of a state saved without one: every live, dated event that still holds
    remembered members, read once without keeping the decoded clusters."""
    found = []
    for cid in list(index.clusters):
        c = index.clusters.peek(cid)
        if c.merged_into is None and c.last_day is not None and (c.exemplars or c.members):
            found.append((c.last_day, cid))
    return _queue(found)


def _story(c: Cluster, parent_id: str | None) -> Story:
    """Return a cluster as the shared Story record (title is left for the brief stage)."""

    def iso(day: int | None) -> str | None:
        return date.fromordinal(day).isoformat() if day else None

    return Story(
        id=c.id,
        level="event" if c.level == "event" else "storyline",
        title="",
        article_ids=list(c.article_ids),
        parent_id=parent_id,
        first_seen=iso(c.first_day),
        last_seen=iso(c.last_day),
        history=list(c.history),
    )


def _config_dict(config: ClusterConfig) -> dict[str, Any]:
    return asdict(config)
