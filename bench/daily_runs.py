"""A synthetic stream stored one link run a day, against the same stream in one unbroken run.

Run ``python -m bench.daily_runs [--articles 20000] [--days 200]``. Daily use is one run a day:
each run loads the saved clusterer state, places the day's articles, settles and saves what
changed, as the link stage does. Events out of every time window are slimmed (members forgotten,
centroid cut), and that must happen in whatever later run they fall out, not only in the run
that last fed them, or the saved state of a daily collection grows with every event it ever
held. The stream is ``bench/stories_scale.py``'s, spread over ``--days`` days so that events age
out of the 60-day windows. Prints, per mode: events found, events still whole (holding
remembered members), saved state size, B-cubed F1 against the true events, and wall time.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from bench.stories_scale import Stream, bcubed_f1


def run(n: int, days: int, daily: bool) -> dict[str, Any]:
    """Stream ``n`` articles over ``days`` days, reloading the saved state each day if ``daily``."""
    from storyline.link.events import ClusterItem, EventClusterer

    saved: dict[tuple[str, str], str] = {}

    def save(c: EventClusterer) -> None:
        saved.update({(k, key): text for k, key, text in c.state_rows(dirty_only=daily)})

    clusterer = EventClusterer()
    gold: list[int] = []
    ids: list[str] = []
    day = None
    start = time.perf_counter()
    for fields, true_event in Stream(n, days=days).articles():
        item = ClusterItem(**fields)  # type: ignore[arg-type]
        if item.published and item.published[:10] != day:
            if day is not None:
                clusterer.settle()
                if daily:  # the run ends: save, and the next day's run starts from the store
                    save(clusterer)
                    clusterer = EventClusterer()
                    clusterer.load_state([(k, key, text) for (k, key), text in saved.items()])
            day = item.published[:10]
        clusterer.add(item)
        gold.append(true_event)
        ids.append(item.article_id)
    clusterer.settle()
    save(clusterer)
    wall = time.perf_counter() - start
    events = [json.loads(text) for (kind, _), text in saved.items() if kind == "event"]
    live = [e for e in events if e["merged_into"] is None]
    return {
        "events": len(live),
        "whole": sum(1 for e in live if e["exemplars"] or e["members"]),
        "state_mb": sum(len(t) for t in saved.values()) / 1e6,
        "b3": bcubed_f1(gold, [clusterer.event_of(a) or "" for a in ids]),
        "wall_s": wall,
    }


def main(argv: list[str] | None = None) -> int:
    """Run both modes and print a row each."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--days", type=int, default=200)
    args = ap.parse_args(argv)
    print(f"{'mode':<14} {'events':>7} {'whole':>6} {'state MB':>9} {'B3 F1':>6} {'wall s':>7}")
    rows = {}
    for mode, daily in (("one run", False), ("a run a day", True)):
        r = rows[mode] = run(args.articles, args.days, daily)
        print(
            f"{mode:<14} {r['events']:>7} {r['whole']:>6} {r['state_mb']:>9.1f} {r['b3']:>6.4f} "
            f"{r['wall_s']:>7.0f}",
            flush=True,
        )
    ratio = rows["a run a day"]["state_mb"] / rows["one run"]["state_mb"]
    print(f"saved state, a run a day / one run: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
