"""Placing a small collection again whole, keeping the ids its stories had.

A run places only its new articles, against the events earlier runs made. While a collection
is small, those events rest on a few reports each, and a mistake made then stays: two
happenings of one kind that a first run of 200 articles welded are fed by every later run, and
nothing re-decides them. On ECB+, the same 193 articles cluster at B-cubed F1 0.90 when they are
the whole collection and at 0.96 when they are placed among all 772. So while the stored
collection is small enough to place again in seconds (``Settings.rebuild_limit``), each run
places all of it, oldest first, as one batch would. Ids persist: an event or storyline takes
the id its founding article's story had when that id is still free, and every earlier id the
new placement did not keep is recorded as merged into the story that holds most of its
articles, so it still resolves, with history.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from storyline.link import events
from storyline.link.cluster_core import ClusterTable
from storyline.link.cluster_merge import retire
from storyline.link.events import EventClusterer, event_id
from storyline.link.storylines import storyline_id

__all__ = ["carry_ids", "earlier_ids"]


def earlier_ids(old: EventClusterer) -> dict[str, tuple[str, str]]:
    """Each placed article's current (event, storyline) in ``old``: the ids to prefer."""
    out: dict[str, tuple[str, str]] = {}
    for aid in old.article_event:
        event, storyline = old.event_of(aid), old.storyline_of(aid)
        if event is not None and storyline is not None:
            out[aid] = (event, storyline)
    return out


def carry_ids(
    new: EventClusterer, old: EventClusterer, at: str | None = None
) -> tuple[EventClusterer, int]:
    """Make every id of ``old`` resolve in ``new`` (placed again from the same articles);
    return the clusterer that does, and how many of ``old``'s live events and storylines it
    did not keep.

    Each earlier live id first goes to the story now holding most of its articles (see
    ``_renames``: a story founded by a new article, now the oldest of its story, took a fresh
    id, and a story founded by an article of a split one took that one's id). An id kept keeps
    its earlier history in front of its own. A live story not kept becomes merged into the one
    of its level holding most of its articles (history on both sides, as for any merge), and so
    does one merged away earlier, so an old id leads to where its own articles are. Everything
    is marked changed, since articles may have moved anywhere.
    """
    new = _renamed(new, _renames(new, old))
    # The clusterer's own clock, so merges and these records read alike (and tests can fix it).
    at = at or events._now()
    retired = 0
    for before, now, where in _levels(new, old):
        for cid in list(before):
            was = before[cid]
            if cid in now:
                kept = now[cid]
                kept.history[:0] = was.history
                continue
            # Where most of its articles are now: for a story merged away earlier too, so an old
            # id leads to its own articles, not to where its survivor's went.
            target = _plurality(where(aid) for aid in was.article_ids)
            if target is not None and target != was.merged_into:
                retired += was.merged_into is None
                retire(was, now[target], at)
            now[cid] = was
    new.mark_all_changed()
    return new, retired


Level = tuple[ClusterTable, ClusterTable, Callable[[str], str | None]]


def _levels(new: EventClusterer, old: EventClusterer) -> tuple[Level, Level]:
    """Per level (events, then storylines): ``old``'s clusters, ``new``'s, and how an article's
    current story of that level is found in ``new``."""
    return (
        (old.events.clusters, new.events.clusters, new.event_of),
        (old.storylines.clusters, new.storylines.clusters, new.storyline_of),
    )


def _renames(new: EventClusterer, old: EventClusterer) -> dict[str, str]:
    """Ids of ``new`` to change so that each earlier live id goes to the story now holding most
    of its articles: pairs of (story now, earlier story) are matched one to one, largest
    shared article count first; of equal counts, first the story holding the article the
    earlier id was made from (see ``_founder``), then in the order met. A
    cluster of ``new`` holding an earlier id that went to another story takes a suffixed id
    instead.

    Without the founder's claim, an event split in two equal halves gave its id to either,
    and a singleton's id, carried by a story that grew around its article and then split,
    could end on a story holding none of what it was given for."""
    out: dict[str, str] = {}
    known = {*new.events.clusters, *new.storylines.clusters}
    known |= {*old.events.clusters, *old.storylines.clusters}
    for before, now, where in _levels(new, old):
        shared: Counter[tuple[str, str]] = Counter()
        founders: set[tuple[str | None, str]] = set()
        for cid in list(before):
            was = before[cid]
            if was.merged_into is None:
                shared.update((i, cid) for i in map(where, was.article_ids) if i is not None)
                founder = _founder(cid, was.article_ids)
                if founder is not None:
                    founders.add((where(founder), cid))
        given: dict[str, str] = {}  # story now -> the earlier id it takes
        claimed: set[str] = set()
        for (story, cid), _ in sorted(
            shared.items(), key=lambda kv: (-kv[1], kv[0] not in founders)
        ):
            if story not in given and cid not in claimed:
                given[story] = cid
                claimed.add(cid)
        for cid in list(now):
            if cid in given:
                if given[cid] != cid:
                    out[cid] = given[cid]
            elif cid in claimed:
                out[cid] = _suffixed(cid, known)
    return out


def _base(cid: str) -> str:
    """An id without the suffix a rename gave it: "ev_1a2b" of "ev_1a2b_2"."""
    return "_".join(cid.split("_")[:2])


def _founder(cid: str, article_ids: Iterable[str]) -> str | None:
    """The article an id was made from (``ev_`` or ``sl_`` and a hash of it), if it is one of
    ``article_ids``: the story it founded may since have taken in others and been renamed."""
    base = _base(cid)
    make = event_id if base.startswith("ev_") else storyline_id
    return next((aid for aid in article_ids if make(aid) == base), None)


def _suffixed(cid: str, known: set[str]) -> str:
    """A variant of ``cid`` (its base, then ``_2``, ``_3`` ...) that no cluster holds."""
    base = _base(cid)
    n = 2
    while f"{base}_{n}" in known:
        n += 1
    known.add(f"{base}_{n}")
    return f"{base}_{n}"


_ID = re.compile(r'"((?:ev|sl)_[0-9a-f]+(?:_[0-9]+)?)"')


def _renamed(c: EventClusterer, renames: dict[str, str]) -> EventClusterer:
    """``c`` with its clusters renamed, through its saved state (every reference to an id, in
    clusters, index, article places and the ageing queue, is in those rows)."""
    if not renames:
        return c

    def swap(text: str) -> str:
        return _ID.sub(lambda m: '"' + renames.get(m.group(1), m.group(1)) + '"', text)

    rows = []
    for kind, key, text in c.state_rows():
        if kind in ("event", "storyline"):
            key, text = renames.get(key, key), swap(text)
        elif kind == "index":
            level, _, cid = key.partition(":")
            key = f"{level}:{renames.get(cid, cid)}"
        elif kind == "article":
            text = renames.get(text, text)
        elif kind == "ageing":
            text = swap(text)
        rows.append((kind, key, text))
    out = EventClusterer(c.config, (c.df.background_n, dict(c.df.background)))
    out.load_state(rows)
    return out


def _plurality(ids: Iterable[str | None]) -> str | None:
    """The most frequent id (the first met among equals), or None when there is none."""
    counts = Counter(i for i in ids if i is not None)
    return counts.most_common(1)[0][0] if counts else None
