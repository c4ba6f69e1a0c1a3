"""Scale benchmark of streaming event clustering on synthetic article streams with known events.

Run ``python bench/stories_scale.py [--sizes 10000,100000] [--max 1000000]``. Each size runs in a
fresh child process (so peak memory is that size's own) and prints one table row: per-article
latency p50/p99 over the whole stream and over its last 10% (the steady state at that size),
the second look's cost per article (``settle``, called at each change of day, as one link run a
day would) and how many articles it moved, throughput (placing and settling), peak RSS
(``resource.getrusage``) and B-cubed F1 of events against the true events.

The stream is generated lazily, day by day: storylines with their own topical words and recurring
actors, events within them with their own names, numbers and dates, spanning 1-5 days; words follow
a Zipf law over a syllable-built vocabulary; 5% of articles are wire copies (``duplicate_of``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ar", "el", "in", "or", "us"]
MONTH_NAMES = (
    "January February March April May June July August September October November December"
)


@dataclass
class _Event:
    """A true event of the synthetic stream."""

    idx: int
    storyline: int
    start: int
    size: int
    names: list[str]
    words: list[str]
    numbers: list[str]


def _word(rng: random.Random, parts: tuple[int, int]) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*parts)))


class Stream:
    """A lazily generated article stream with known events (deterministic for a seed)."""

    def __init__(self, n: int, seed: int = 7, days: int | None = None) -> None:
        rng = random.Random(seed)
        self.rng = rng
        self.n = n
        # The head of the Zipf curve is real English (the commonest words of the bundled background
        # counts, as in any English stream); the long tail is made-up words, names are made up.
        from storyline.link.features import load_background

        _, bg = load_background()
        common = [k[2:] for k, _ in sorted(bg.items(), key=lambda kv: -kv[1]) if k.startswith("w:")]
        vocab = list(dict.fromkeys(common[:3000] + [_word(rng, (2, 4)) for _ in range(60000)]))
        self.vocab = vocab
        # Zipf: the k-th word is drawn with weight 1/k.
        self.cum = list(accumulate(1.0 / (k + 1) for k in range(len(vocab))))
        self.days = days or max(30, n // 2000)
        n_events = max(1, n // 8)
        sizes = [min(200, 1 + int(rng.paretovariate(1.3))) for _ in range(n_events)]
        scale = n / sum(sizes)
        sizes = [max(1, round(s * scale)) for s in sizes]
        self.events: list[_Event] = []
        n_story = max(1, n_events // 3)
        story_start = [rng.randrange(self.days) for _ in range(n_story)]
        story_words = [rng.sample(vocab[1500:], 40) for _ in range(n_story)]
        story_actors = [[self._name() for _ in range(2)] for _ in range(n_story)]
        self.story_words = story_words
        for i, size in enumerate(sizes):
            s = rng.randrange(n_story)
            self.events.append(
                _Event(
                    idx=i,
                    storyline=s,
                    start=story_start[s] + rng.randrange(20),
                    size=size,
                    names=story_actors[s] + [self._name() for _ in range(rng.randint(1, 3))],
                    words=rng.sample(vocab[1000:], 10),
                    numbers=[str(rng.randint(2, 5000)) for _ in range(3)],
                )
            )
        self.popular = [self._name() for _ in range(300)]

    def _name(self) -> str:
        rng = self.rng
        return " ".join(_word(rng, (2, 3)).capitalize() for _ in range(rng.randint(1, 2))) + (
            " " + _word(rng, (2, 4)).capitalize()
        )

    def articles(self) -> Iterator[tuple[dict[str, object], int]]:
        """Yield (ClusterItem fields, true event index) in publication order."""
        rng = self.rng
        by_day: dict[int, list[int]] = {}
        for ev in self.events:
            for _ in range(ev.size):
                day = ev.start + min(4, int(rng.expovariate(1.0)))
                by_day.setdefault(day, []).append(ev.idx)
        seen: dict[int, list[str]] = {}
        serial = 0
        for day in sorted(by_day):
            todays = by_day.pop(day)
            rng.shuffle(todays)
            for idx in todays:
                ev = self.events[idx]
                serial += 1
                aid = f"a{serial}"
                dup = None
                if seen.get(idx) and rng.random() < 0.05:
                    dup = rng.choice(seen[idx])
                seen.setdefault(idx, []).append(aid)
                yield self._article(aid, ev, day, dup), idx

    def _article(self, aid: str, ev: _Event, day: int, dup: str | None) -> dict[str, object]:
        rng = self.rng
        words = rng.choices(self.vocab, cum_weights=self.cum, k=70)
        words += rng.choices(self.story_words[ev.storyline], k=25)
        words += rng.choices(ev.words, k=12)
        names = rng.sample(ev.names, k=min(len(ev.names), rng.randint(2, 4)))
        names.append(rng.choice(self.popular))
        words += names + rng.sample(ev.numbers, 2) + [str(rng.randint(1, 999))]
        rng.shuffle(words)
        sentences = [" ".join(words[i : i + 15]) for i in range(0, len(words), 15)]
        date = 738000 + day  # an ordinal in 2021
        from datetime import date as _date

        iso = _date.fromordinal(date).isoformat()
        reported = _date.fromordinal(738000 + ev.start)
        text = ". ".join(s[:1].upper() + s[1:] for s in sentences) + (
            f". It happened on {MONTH_NAMES.split()[reported.month - 1]} {reported.day}, {reported.year}."
        )
        title = " ".join(rng.choices(self.story_words[ev.storyline] + ev.words, k=6) + names[:1])
        return {
            "article_id": aid,
            "text": text,
            "title": title,
            "entities": names,
            "published": iso,
            "dates": [],
            "duplicate_of": dup,
        }


def bcubed_f1(gold: list[int], pred: list[str]) -> float:
    """Return B-cubed F1 from parallel label lists (contingency-table form, linear time)."""
    cont = Counter(zip(gold, pred, strict=True))
    gsize = Counter(gold)
    psize = Counter(pred)
    n = len(gold)
    p = sum(c * c / psize[pl] for (_, pl), c in cont.items()) / n
    r = sum(c * c / gsize[gl] for (gl, _), c in cont.items()) / n
    return 2 * p * r / (p + r) if p + r else 0.0


def run_size(n: int) -> dict[str, float]:
    """Stream ``n`` articles through a fresh clusterer and measure it."""
    from storyline.link.events import ClusterItem, EventClusterer

    stream = Stream(n)
    clusterer = EventClusterer()
    lat: list[float] = []
    gold: list[int] = []
    ids: list[str] = []
    settling = 0.0  # seconds spent in the second look
    moved = 0  # articles it moved

    def settle() -> None:
        nonlocal settling, moved
        t0 = time.perf_counter()
        moved += clusterer.settle()
        settling += time.perf_counter() - t0

    day = None
    start = time.perf_counter()
    for fields, true_event in stream.articles():
        item = ClusterItem(**fields)  # type: ignore[arg-type]
        if item.published and item.published[:10] != day:
            settle()  # one link run per day of news: each run ends with its second look
            day = item.published[:10]
        t0 = time.perf_counter()
        clusterer.add(item)
        lat.append(time.perf_counter() - t0)
        gold.append(true_event)
        ids.append(item.article_id)
    settle()
    wall = time.perf_counter() - start
    busy = sum(lat) + settling
    pred = [clusterer.event_of(a) or "" for a in ids]
    tail = sorted(lat[-max(1, len(lat) // 10) :])
    lat.sort()

    def q(xs: list[float], p: float) -> float:
        return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000

    return {
        "n": len(ids),
        "events_true": len(set(gold)),
        "events_found": len(set(pred)),
        "p50_ms": q(lat, 0.50),
        "p99_ms": q(lat, 0.99),
        "tail_p50_ms": q(tail, 0.50),
        "tail_p99_ms": q(tail, 0.99),
        "mean_ms": statistics.mean(lat) * 1000,
        "articles_per_s": len(ids) / busy,
        "settle_ms": settling / len(ids) * 1000,
        "moved": moved,
        "wall_s": wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "b3_f1": bcubed_f1(gold, pred),
    }


def main(argv: list[str] | None = None) -> int:
    """Run each size in a child process and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated stream sizes")
    ap.add_argument("--max", type=int, default=None, help="also run this size (e.g. 1000000)")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_size(args.child)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.max and args.max not in sizes:
        sizes.append(args.max)
    head = (
        f"{'articles':>9} {'events':>7} {'found':>7} {'p50 ms':>7} {'p99 ms':>7} {'tail p50':>8} "
        f"{'tail p99':>8} {'settle':>7} {'moved':>6} {'art/s':>7} {'peak MB':>8} {'B3 F1':>6}"
    )
    print(head)
    root = Path(__file__).resolve().parent.parent
    for n in sizes:
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['n']:>9} {r['events_true']:>7} {r['events_found']:>7} {r['p50_ms']:>7.2f} "
            f"{r['p99_ms']:>7.2f} {r['tail_p50_ms']:>8.2f} {r['tail_p99_ms']:>8.2f} "
            f"{r['settle_ms']:>7.2f} {r['moved']:>6} "
            f"{r['articles_per_s']:>7.0f} {r['peak_rss_mb']:>8.0f} {r['b3_f1']:>6.3f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
