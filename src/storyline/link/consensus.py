"""Placing a batch of articles so its events do not hang on the order it happened to come in.

One-pass clustering is order-dependent: when two reports of sibling happenings (two quakes, two
rehab stays) arrive undated, whichever comes first decides whether the other founds its own
event or joins the first. Publication times fix most of a batch's order; what they leave open
(ties, and the undated) is arbitrary, and on ECB+ it moved event F1 by up to 2 points between
input orders. So a batch whose order is not fixed by its dates is placed several times, each
time from the same saved state with its ties in another order, and the events are what the
passes agree on: articles (and the stored events they joined) that share an event in most
passes, grouped by average linkage over how often they do. One last pass then places the batch
into those groups, so later articles find ordinary events with centroids, ids and storylines.
The passes only counted, never kept, can run in forked workers beside the caller's own.
"""

from __future__ import annotations

import heapq
import multiprocessing
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult

from storyline.link.batch_order import has_ties, publication_order
from storyline.link.events import ClusterItem, EventClusterer

__all__ = ["ANCHOR", "BatchResult", "agreed_groups", "place_batch", "place_groups"]

ANCHOR = "\x00event:"  # prefix of the node standing for a stored event in the agreement


@dataclass
class BatchResult:
    """The clusterer holding the placed batch, and what placing it did."""

    clusterer: EventClusterer
    passes: int
    counts: Counter[str] = field(default_factory=Counter)


def place_batch(
    fresh: Callable[[], EventClusterer],
    items: Sequence[ClusterItem],
    progress: Callable[[int, int], None] | None = None,
    passes: int | None = None,
    workers: int = 1,
) -> BatchResult:
    """Place ``items`` into a clusterer made by ``fresh`` (the saved state, loaded anew on
    each call) and return it, settled.

    The batch goes oldest first (``publication_order``). When that order leaves ties, it is
    placed ``passes`` times (default: the config's ``consensus_passes``), the ties shuffled by
    fixed seeds after the first pass (which keeps the order given), and the agreed groups are
    placed in one last pass, unless the last pass already made them. When the first two passes
    give the same events, the second is kept and no more are made. With ``workers`` above 1,
    the passes whose clusterer is never kept run in that many forked processes less one, beside
    this one; the result is the same as with one.
    """
    first = fresh()
    c = first.config
    order = publication_order(items)
    wanted = c.consensus_passes if passes is None else passes
    passes = wanted if wanted > 1 and has_ties(order) else 1
    total = len(order) * (passes + (passes > 1))
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % 200 == 0:
            progress(done, total)

    if passes == 1:
        return BatchResult(first, 1, _place(first, order, tick))

    stored = set(first.events.clusters)  # events saved before this batch
    spare: EventClusterer | None = first
    del first

    def here(k: int) -> tuple[EventClusterer, dict[str, str], Counter[str]]:
        nonlocal spare
        shadow, spare = spare or fresh(), None
        return shadow, *_run_pass(shadow, items, k, order, stored, tick)

    # Pass 1 may be kept (when it agrees with pass 0), and so may the last; the others only
    # give their labels, so they can run elsewhere.
    theirs = [k for k in range(passes) if k not in (1, passes - 1)]
    labelings: list[dict[str, str]] = [{} for _ in range(passes)]
    with _forked_passes(workers, (fresh, items, order, stored), theirs) as forked:

        def kept_with(k: int, counted: Sequence[int]) -> tuple[EventClusterer, Counter[str]]:
            """Run pass ``k`` here and gather the labels of the ``counted`` passes: alone, in
            turn before it (one clusterer in memory at a time); with workers, after it, since
            they run meanwhile."""
            if not forked:
                for j in counted:
                    labelings[j] = here(j)[1]
            shadow, labelings[k], counts = here(k)
            if forked:
                for j in counted:
                    labelings[j] = forked[j].get()
                    for _ in order:
                        tick()
            return shadow, counts

        held, counts = kept_with(1, [0])
        if _partition(_groups_of(labelings[0])) == _partition(_groups_of(labelings[1])):
            # Two orders gave the same events: the order of this batch does not decide them
            # (a day's few reports, each of its own happening). Keep the second as placed.
            return BatchResult(held, 2, counts)
        if passes > 2:
            del held
            held, counts = kept_with(passes - 1, theirs[1:])
    groups = agreed_groups(labelings, c.consensus_cut, c.consensus_floor)
    if _partition(groups) == _partition(_groups_of(labelings[-1], groups)):
        # The last pass made the agreed events itself (with its own merges, splits and
        # second looks): keep it.
        result = BatchResult(held, passes, counts)
        result.counts["last pass kept"] += 1
        return result
    del held
    final = fresh()
    return BatchResult(final, passes, place_groups(final, order, groups, tick))


def place_groups(
    clusterer: EventClusterer,
    order: Sequence[ClusterItem],
    groups: Sequence[Sequence[str]],
    tick: Callable[[], None] = lambda: None,
) -> Counter[str]:
    """Place ``order`` into ``clusterer`` as ``groups`` say (article ids, and ``ANCHOR`` plus
    the id of a stored event), settle, and return what happened to the articles.

    A group's first article joins its stored event, or founds an event the rest of the group
    joins. Stored events in one group were merged (or bridged by the batch) in most passes, so
    they are merged here, into the older, with history, so their ids still resolve.
    """
    group_of = {node: g for g, members in enumerate(groups) for node in members}
    anchors = {
        g: [node[len(ANCHOR) :] for node in members if node.startswith(ANCHOR)]
        for g, members in enumerate(groups)
    }
    target: dict[int, str] = {}

    def join_anchors(g: int, at: str | None) -> None:
        survivor, *others = anchors[g]
        for other in others:
            survivor = clusterer.merge_events(survivor, other, at)
        target[g] = survivor

    counts: Counter[str] = Counter()
    for item in order:
        g = group_of[item.article_id]
        if g not in target and anchors[g]:
            join_anchors(g, item.published)
        placed = clusterer.add(item, into=target.get(g), found=g not in target)
        target.setdefault(g, placed.event_id)
        counts[_kind(placed.new_event)] += 1
        tick()
    # Stored events whose bridging articles went elsewhere in the end are still one event in
    # most passes: merge them as of the batch's newest article (``order`` is oldest first).
    newest = next((item.published for item in reversed(order) if item.published), None)
    for g, ids in anchors.items():
        if g not in target and len(ids) > 1:
            join_anchors(g, newest)
    counts["moved on a second look"] += clusterer.settle()
    counts["events merged on a second look"] += clusterer.settle_merges
    return counts


def _place(
    clusterer: EventClusterer, order: Sequence[ClusterItem], tick: Callable[[], None]
) -> Counter[str]:
    """Add ``order`` to ``clusterer`` one by one and settle; return what happened to them."""
    counts: Counter[str] = Counter()
    for item in order:
        counts[_kind(clusterer.add(item).new_event)] += 1
        tick()
    counts["moved on a second look"] += clusterer.settle()
    counts["events merged on a second look"] += clusterer.settle_merges
    return counts


def _pass_order(items: Sequence[ClusterItem], k: int) -> list[ClusterItem]:
    """The order of pass ``k``: the batch as given (k = 0) or shuffled by seed k, then sorted by
    publication time, a stable sort, so only the ties move."""
    shuffled = list(items)
    if k:
        random.Random(k).shuffle(shuffled)
    return publication_order(shuffled)


_Job = tuple[Callable[[], EventClusterer], Sequence[ClusterItem], Sequence[ClusterItem], set[str]]
_FORKED_JOB: _Job | None = None  # what forked workers place (inherited, never pickled)


def _run_pass(
    clusterer: EventClusterer,
    items: Sequence[ClusterItem],
    k: int,
    order: Sequence[ClusterItem],
    stored: set[str],
    tick: Callable[[], None],
) -> tuple[dict[str, str], Counter[str]]:
    """Place pass ``k`` into ``clusterer``; return its labels and what happened."""
    counts = _place(clusterer, _pass_order(items, k), tick)
    return _labels(clusterer, order, stored), counts


def _labels_in_worker(k: int) -> dict[str, str]:
    assert _FORKED_JOB is not None
    fresh, items, order, stored = _FORKED_JOB
    return _run_pass(fresh(), items, k, order, stored, lambda: None)[0]


@contextmanager
def _forked_passes(
    workers: int, job: _Job, passes: Sequence[int]
) -> Iterator[dict[int, AsyncResult[dict[str, str]]]]:
    """Start ``passes`` in ``workers`` - 1 forked processes (this one is the last worker) and
    yield their pending labels by pass; none when there is one worker or no fork. Passes not
    fetched by the end (the first two passes agreed) are stopped."""
    if (
        workers < 2
        or not passes
        or "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon  # a pool's worker may not start another
    ):
        yield {}
        return
    global _FORKED_JOB
    # Forked workers inherit the saved state and the batch instead of receiving copies.
    _FORKED_JOB = job
    try:
        with multiprocessing.get_context("fork").Pool(min(workers - 1, len(passes))) as pool:
            yield {k: pool.apply_async(_labels_in_worker, (k,)) for k in passes}
    finally:
        _FORKED_JOB = None


def _groups_of(labels: Mapping[str, str], groups: list[list[str]] | None = None) -> list[list[str]]:
    """The nodes of ``groups`` (default: those of ``labels``) grouped by ``labels``; a node
    ``labels`` lacks stands alone."""
    nodes = labels if groups is None else (node for group in groups for node in group)
    out: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        out[labels.get(node, "\x00alone:" + node)].append(node)
    return list(out.values())


def _partition(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(group) for group in groups}


def _kind(new_event: bool) -> str:
    return "new events" if new_event else "joined events"


def _labels(
    clusterer: EventClusterer, order: Sequence[ClusterItem], stored: set[str]
) -> dict[str, str]:
    """Each batch article's event after a pass, and each stored event's, under one node name."""
    labels = {}
    for item in order:
        eid = clusterer.event_of(item.article_id)
        assert eid is not None  # every item was added
        labels[item.article_id] = eid
    # The stored events this pass reached or merged away, each under the event it is now.
    merged = {cid for cid in clusterer.changes().merged if cid in stored}
    for eid in sorted((set(labels.values()) & stored) | merged):
        labels[ANCHOR + eid] = clusterer.resolve(eid)
    return labels


def agreed_groups(
    labelings: Sequence[Mapping[str, str]], cut: float, floor: float
) -> list[list[str]]:
    """Group the nodes of several labelings by what they agree on.

    Two nodes agree as often as the share of labelings that give them one label (shares below
    ``floor`` count as none). Groups are merged by average linkage, best first, while the mean
    agreement between all their members reaches ``cut``. A node missing from a labeling (a
    stored event no article of that pass joined) agrees with nothing there. Nodes that always
    share their labels are taken together first, so the cost follows the number of groups,
    not of articles. Returns the groups in the order their first node appears.
    """
    nodes: dict[str, None] = {}
    for labels in labelings:
        nodes.update(dict.fromkeys(labels))
    n = len(labelings)
    # Atoms: nodes with the same label in every labeling.
    atom_of: dict[tuple[str | None, ...], int] = {}
    atoms: list[list[str]] = []
    for node in nodes:
        key = tuple(labels.get(node) for labels in labelings)
        a = atom_of.setdefault(key, len(atoms))
        if a == len(atoms):
            atoms.append([])
        atoms[a].append(node)
    keys = list(atom_of)
    shared: Counter[tuple[int, int]] = Counter()
    for k in range(n):
        by_label: dict[str, list[int]] = defaultdict(list)
        for a, key in enumerate(keys):
            label = key[k]
            if label is not None:
                by_label[label].append(a)
        for members in by_label.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    shared[a, b] += 1
    # Average linkage over the sparse agreement, with a heap of candidate merges.
    size = [len(nodes_) for nodes_ in atoms]
    links: list[dict[int, float]] = [{} for _ in atoms]  # summed agreement between groups
    for (a, b), count in shared.items():
        share = count / n
        if share >= floor:
            weight = share * size[a] * size[b]
            links[a][b] = links[b][a] = weight
    parent = list(range(len(atoms)))
    heap = [
        (-w / (size[a] * size[b]), a, b) for a in range(len(atoms)) for b, w in links[a].items()
    ]
    heap = [entry for entry in heap if entry[1] < entry[2]]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b or b not in links[a]:
            continue
        mean = links[a][b] / (size[a] * size[b])
        if abs(mean + neg) > 1e-12:
            continue  # a stale entry: the pair was re-scored after a merge
        if mean < cut:
            break
        # Fold b into a: the summed agreements add up, so the means stay exact.
        parent[b] = a
        size[a] += size[b]
        atoms[a].extend(atoms[b])
        for other, w in links[b].items():
            if other == a:
                continue
            links[other].pop(b)
            links[a][other] = links[other][a] = links[a].get(other, 0.0) + w
        links[a].pop(b)
        links[b] = {}
        for other, w in links[a].items():
            heapq.heappush(heap, (-w / (size[a] * size[other]), min(a, other), max(a, other)))
    groups = [atoms[a] for a in range(len(atoms)) if parent[a] == a]
    rank = {node: i for i, node in enumerate(nodes)}
    for group in groups:
        group.sort(key=rank.__getitem__)
    groups.sort(key=lambda group: rank[group[0]])
    return groups
