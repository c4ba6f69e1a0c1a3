"""The second look at the end of a run: articles move to the events that formed after them, and
events that turn out to be one happening merge.

Each article is placed against the events that exist when it comes, so a run's early articles
are judged on less than its late ones. ``SecondLook.settle`` (called at the end of each link
run) compares them again with what the whole run built. It is a part of ``EventClusterer``,
kept in its own module because it owns a step of its own; it works on the clusterer's tables
through the methods listed under ``TYPE_CHECKING`` below.
"""

from __future__ import annotations

from collections.abc import Mapping
from heapq import nlargest
from typing import TYPE_CHECKING

from storyline.link.cluster_core import Cluster, ClusterIndex
from storyline.link.cluster_merge import retire, split_apart
from storyline.link.event_records import (
    ClusterConfig,
    Pending,
    ReadArticle,
    event_weekday_factor,
    unit_pair,
)
from storyline.link.features import DocFreq
from storyline.link.storylines import StorylineIndex, storyline_view

__all__ = ["SecondLook"]


class SecondLook:
    """A base class of :class:`~storyline.link.events.EventClusterer`: its second look."""

    # The clusterer's state this part reads and changes (set up by EventClusterer.__init__).
    config: ClusterConfig
    df: DocFreq
    events: ClusterIndex
    storylines: StorylineIndex
    article_event: dict[str, str]
    settle_merges: int
    _pending: dict[str, Pending]
    _copy_of: dict[str, str]
    _unsettled: int
    _recheck_due: dict[str, str]
    _dirty: set[tuple[str, str]]
    _dirty_articles: list[str]

    if TYPE_CHECKING:  # the clusterer's own steps, defined in events.EventClusterer

        def resolve(self, cluster_id: str) -> str: ...
        def _resolve_storyline(self, event: Cluster) -> str: ...
        def _recheck(self, event: Cluster, at: str) -> None: ...
        def _score_events(self, article: ReadArticle) -> list[tuple[float, Cluster]]: ...
        def _merge_events(self, a: Cluster, b: Cluster, at: str) -> Cluster: ...
        def _storylines_agree(self, a: Cluster, b: Cluster) -> bool: ...
        def _slim_dormant(self) -> None: ...
        def _age(self, event: Cluster, day: int) -> None: ...

    def settle(self) -> int:
        """Give the articles placed since the last call a second look; return how many moved.

        Each article was placed against the events that existed when it came. By the end of a
        run the events that formed after it are known: an article that founded an event of its
        own may now sit close to one that grew later, and one that joined an event while a closer
        one was still a single report may fit that one better. So each is compared with its own
        event without itself (leave one out) and with the events near it, as a new article would
        be (same candidates, window, weekday and content checks), and moves when another event
        is closer and one it could have joined. Passes repeat, as in k-means, until nothing moves.
        Ids stay: an event left empty is merged into the one its last member went to. Then each
        event the run touched is compared, member by member, with the events near it, and
        merged with those as alike as one happening's reports (``_consolidate``); how many
        merges that made is in ``settle_merges``.

        The link stage calls this at the end of each run, before saving the state (articles
        still held are not saved, and get no second look after a reload); ``add`` calls it
        itself once ``settle_limit`` articles are placed. Events that guided articles grew to a
        re-check are re-checked first. Events out of every window are slimmed after the second
        look.
        """
        due, self._recheck_due = self._recheck_due, {}
        for eid, at in due.items():
            event = self.events.clusters[self.resolve(eid)]
            self._recheck(event, at)
        pending = placed = list(self._pending.values())
        self._pending, self._copy_of, self._unsettled = {}, {}, 0
        before = {p.article_id: self.resolve(self.article_event[p.article_id]) for p in pending}
        for _ in range(self.config.settle_passes):
            changed: set[str] = set()  # events an article left or joined in this pass
            near: dict[str, set[str]] = {}  # the events each article was compared with
            for p in pending:
                went, near[p.article_id] = self._second_look(p)
                if went:
                    changed.update(went)
            # The next pass looks again only at articles compared with an event that changed.
            pending = [p for p in pending if near[p.article_id] & changed]
            if not pending:
                break
        if self.config.consolidate:
            # The latest report placed in each event dates a merge it brings about.
            latest = {self.resolve(self.article_event[p.article_id]): p.at for p in placed}
            self.settle_merges = self._consolidate(latest)
        self._slim_dormant()
        # An article that moved away and back again has not moved.
        return sum(1 for aid, eid in before.items() if self.resolve(self.article_event[aid]) != eid)

    def _consolidate(self, touched: Mapping[str, str]) -> int:
        """Merge each event in ``touched`` (id: when its latest report came, which dates the
        merge) with the near live events whose remembered members are alike enough; return how
        many merges were made.

        Articles are placed one by one, so reports of one happening can found two events when
        the first of each kind came before anything tied them; ``_merge_near`` joins such events
        only when one article sits close to both. Here whole events are compared, member by
        member, once the run is in. Events split apart stay apart, so do events whose leads or
        days tell them apart (``_told_apart``), and two events in storylines that could not be
        one are not merged (merging events merges their storylines).
        """
        c = self.config
        idf = self.df.idf
        merged = 0
        live = [self.events.clusters[e] for e in touched if e in self.events.clusters]
        for event in sorted(live, key=lambda e: (e.seq, e.id)):  # the replay order
            if event.merged_into is not None or not event.exemplars:
                continue
            at = touched[event.id]
            query = nlargest(
                c.query_terms, event.centroid.items(), key=lambda kv: kv[1] * idf(kv[0])
            )
            near = self.events.candidates(
                query, event.last_day, c.event_window_days, c.consolidate_candidates + 1
            )
            for other in near:
                if other is event or other.merged_into is not None:
                    continue
                # Cheapest first: the storyline check and the linkage compare whole vectors.
                if split_apart(event, other) or self._told_apart(event, other):
                    continue
                if not self._storylines_agree(event, other):
                    continue
                if event.linkage(other, idf, c.merge_kinds) >= c.consolidate:
                    event = self._merge_events(event, other, max(at, touched.get(other.id, at)))
                    merged += 1
        return merged

    def _told_apart(self, a: Cluster, b: Cluster) -> bool:
        """Return whether two events say they are different happenings of one story: their
        leads name only weekdays too far apart ("met on Tuesday", "met on Thursday"), or their
        reports span days too far apart, however alike their words."""
        c = self.config
        days = [k for k in a.centroid if k[0] == "k"]
        if days and all(event_weekday_factor(k, b, c) < 1.0 for k in days):
            return True
        if a.first_day is None or a.last_day is None or b.first_day is None or b.last_day is None:
            return False
        # Reports of one happening placed apart overlap in time (ECB+ gains nothing from
        # merging events further apart); distinct happenings of one story follow each other.
        return max(a.first_day, b.first_day) - min(a.last_day, b.last_day) > c.weekday_slack

    def _second_look(self, p: Pending) -> tuple[tuple[str, str] | None, set[str]]:
        """Move a pending article to a closer event it could join; return the two events it
        moved between (None when it stayed) and the events it was compared with."""
        c = self.config
        idf = self.df.idf
        home = self.events.clusters[self.resolve(self.article_event[p.article_id])]
        unit, vec = unit_pair(p.unit, idf, c.article_terms)  # weighed with today's statistics
        own = 0.0
        if home.size > 1:
            own = home.likeness_without(vec, p.unit, idf) * event_weekday_factor(p.weekday, home, c)
        probe = ReadArticle(p.article_id, p.day, p.at, p.unit, unit, vec, p.weekday)
        scored = self._score_events(probe)[:3]
        seen = {home.id, *(ev.id for _, ev in scored)}
        for sim, other in scored:
            if other is home:
                continue
            if sim < c.event_threshold or sim <= own:
                break
            if other.content_likeness(vec, idf) >= c.content_threshold:
                self._move(p, home, other, unit)
                return (home.id, other.id), seen
        return None, seen

    def _move(self, p: Pending, home: Cluster, dest: Cluster, unit: dict[str, float]) -> None:
        """Move a pending article (and the copies placed with it) from ``home`` to ``dest``."""
        c = self.config
        idf = self.df.idf
        aid, at = p.article_id, p.at
        group = [aid, *p.copies]
        gone = set(group)
        home.article_ids = [a for a in home.article_ids if a not in gone]
        home.drop_member(p.unit)
        home.members = [m for m in home.members if m[0] != aid]
        home.exemplars = [ex for ex in home.exemplars if ex is not p.exemplar]
        dest.article_ids.extend(group)
        dest.absorb(unit, p.day, c.centroid_terms, idf)
        dest.touched = self.df.n_docs
        dest.remember(unit, c.exemplars, c.exemplar_terms, idf)
        p.unit, p.exemplar = unit, dest.exemplars[-1]
        if c.split_members:
            dest.keep_member(aid, p.day, unit, c.split_members, c.split_terms, idf)
        self.events.index(dest, idf)
        if p.day is not None:
            self._age(dest, p.day)
        for a in group:
            self.article_event[a] = dest.id
        self._dirty_articles.extend(group)
        self._dirty.update({("event", home.id), ("event", dest.id)})
        old_line = self.storylines.clusters[self._resolve_storyline(home)]
        new_line = self.storylines.clusters[self._resolve_storyline(dest)]
        if home.size == 0:
            # Nothing of it is left: its id resolves to where its last member went.
            rest = home.article_ids  # copies of earlier members, placed without a member
            home.article_ids = []
            dest.article_ids.extend(rest)
            self._dirty_articles.extend(rest)
            dest.widen(home.first_day)
            dest.widen(home.last_day)
            retire(home, dest, at)
            self.events.drop(home.id)
            if home.id in old_line.children:
                old_line.children.remove(home.id)
            gone.update(rest)
            group.extend(rest)
            self._dirty.add(("storyline", old_line.id))
        else:
            self.events.index(home, idf)
        if old_line is new_line:
            return
        old_line.article_ids = [a for a in old_line.article_ids if a not in gone]
        old_line.drop_member(p.sunit)
        sunit, _ = unit_pair(storyline_view(p.unit, c.storyline_name_scale), idf, c.article_terms)
        self.storylines.add_article(new_line, aid, sunit, p.day, idf)
        new_line.article_ids.extend(a for a in group if a != aid)
        p.sunit = sunit
        self._dirty.update({("storyline", old_line.id), ("storyline", new_line.id)})
        if not old_line.children:
            retire(old_line, new_line, at)
            self.storylines.index.drop(old_line.id)
        else:
            self.storylines.index.index(old_line, idf)
