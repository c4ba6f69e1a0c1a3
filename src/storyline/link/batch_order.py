"""The order a batch of new articles is placed in: as the news happened, whatever the order stored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from storyline.link.events import ClusterItem
from storyline.link.features import parse_day

__all__ = ["has_ties", "publication_order"]


def publication_order(items: Iterable[ClusterItem]) -> list[ClusterItem]:
    """Return a batch of articles in the order to place them: oldest publication first, the
    undated after the dated, ties and undated in the order given, copies after their originals.

    A live stream brings the news in the order it happened: the first reports found an event and
    the follow-ups join it. A batch (a folder of saved pages, an export, a crawl) comes in any
    order; placing it oldest first makes it the stream it was, and the stories it gives no longer
    depend on how its files happened to be listed. Undated articles come last, when the events
    of the dated ones have formed and they can join the one they fit, whatever its time.
    """
    given = list(items)
    ordered = sorted(given, key=_when)  # stable: ties keep the order given
    batch = {item.article_id for item in given}
    placed: set[str] = set()
    waiting: dict[str, list[ClusterItem]] = {}  # copies whose original comes later
    out: list[ClusterItem] = []

    def emit(item: ClusterItem) -> None:
        out.append(item)
        placed.add(item.article_id)
        for copy in waiting.pop(item.article_id, []):
            emit(copy)

    for item in ordered:
        original = item.duplicate_of
        if original and original in batch and original not in placed:
            waiting.setdefault(original, []).append(item)
        else:
            emit(item)
    for copies in waiting.values():  # a cycle of copies: keep them, in date order
        out.extend(copies)
    return out


def has_ties(items: Iterable[ClusterItem]) -> bool:
    """Return whether publication times leave the order of some articles open: two that came
    out at the same moment, or two undated. Copies do not count (they go with their original)."""
    seen: set[tuple[int, float]] = set()
    for item in items:
        if item.duplicate_of:
            continue
        key = _when(item)
        if key in seen:
            return True
        seen.add(key)
    return False


def _when(item: ClusterItem) -> tuple[int, float]:
    """The sort key of publication order: dated first, by time; then the undated."""
    moment = _moment(item.published)
    return (0, moment) if moment is not None else (1, 0.0)


def _moment(value: str | None) -> float | None:
    """Return a publication time as UTC seconds (a bare date counts as its midnight), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        day = parse_day(value)  # "2013", "2013-05": what the clusterer reads as its day
        if day is None:
            return None
        moment = datetime.combine(date.fromordinal(day), time(), UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
