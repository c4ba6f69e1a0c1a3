"""Near-duplicate detection over robot-written templated stories, which are alike but not copies.

    python -m bench.dedup_scale [--sizes 2000,5000,20000] [--workers 2]

Each size writes N one-line ``.txt`` stories from one template ("Shares of X rose 2.1 percent on
Tuesday ...", each with its own company, move, price, day and volume: pairwise Jaccard about
0.41, at most 0.65, below the 0.7 duplicate threshold, yet a new story shares LSH bands with a
large share of those stored before it) and, one per hundred, a true copy of an earlier story with
a credit line added (Jaccard about 0.9), then times ``storyline ingest`` into a fresh store.
Prints seconds, documents per second, and how many true copies were linked to their original
and how many other links were made.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sqlite3
import tempfile
import time
from pathlib import Path

_SYLLABLES = [
    "ka", "lo", "mi", "ter", "von", "bri", "sa", "del", "qua", "ri", "zen", "mo", "tal", "pe",
    "gor", "nu", "vex", "li", "dro", "ha",
]  # fmt: skip
_SUFFIXES = ["Holdings", "Corp", "Group", "Industries", "Systems", "Partners", "Labs", "Energy"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_TEMPLATE = (
    "Shares of {company} {move} {pct} percent to close at {price} dollars on {day} in {volume} "
    "trading after the company reported quarterly results that came in above the average "
    "analyst estimate compiled by the data provider, the automated markets desk said in a "
    "statement."
)


def _company(index: int) -> str:
    """A company name of its own for every index (three syllables in base 20, then a suffix)."""
    parts = []
    for _ in range(3):
        index, digit = divmod(index, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    name = "".join(parts).capitalize()
    return f"{name}{index or ''} {_SUFFIXES[index % len(_SUFFIXES)]}"


def write_stories(folder: Path, count: int, seed: int = 7) -> dict[str, str]:
    """Write ``count`` stories; return {copy file name: original file name} for the true copies."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    copies_at = set(rng.sample(range(count // 10, count), count // 100))
    texts: list[str] = []
    copies: dict[str, str] = {}
    for position in range(count):
        name = f"{position:06d}.txt"
        if position in copies_at:
            origin = rng.randrange(position)
            while origin in copies_at:
                origin = rng.randrange(position)
            text = texts[origin] + " Reporting by Dana Whitfield; editing by Lee Oduya."
            copies[name] = f"{origin:06d}.txt"
        else:
            text = _TEMPLATE.format(
                company=_company(position),
                move=rng.choice(["rose", "fell", "climbed", "slipped", "jumped", "dropped"]),
                pct=f"{rng.randrange(1, 20)}.{rng.randrange(10)}",
                price=f"{rng.randrange(5, 400)}.{rng.randrange(100):02d}",
                day=rng.choice(_DAYS),
                volume=rng.choice(["light", "heavy", "brisk", "thin", "moderate", "busy"]),
            )
        texts.append(text)
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return copies


def run(count: int, workers: int) -> dict[str, float | int]:
    """Ingest ``count`` templated stories into a fresh store; figures of the run."""
    from storyline.api import ingest
    from storyline.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "stories"
        copies = write_stories(folder, count)
        db = Path(tmp) / "bench.db"
        settings = Settings.resolve({"db": str(db), "workers": workers}, environ={})
        started = time.perf_counter()
        ingest([str(folder)], settings=settings)
        seconds = time.perf_counter() - started
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT a.source, b.source FROM articles a JOIN articles b "
                "ON a.duplicate_of = b.id WHERE a.duplicate_of IS NOT NULL"
            ).fetchall()
    links = {Path(copy).name: Path(origin).name for copy, origin in rows}
    found = sum(1 for copy, origin in copies.items() if links.get(copy) == origin)
    return {
        "stories": count,
        "seconds": round(seconds, 1),
        "docs/s": round(count / seconds, 1),
        "true copies": len(copies),
        "copies linked": found,
        "other links": len(links) - found,
    }


def main() -> None:
    """Run each size and print one JSON line of figures per size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,5000,20000")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"# {platform.machine()}, Python {platform.python_version()}, workers {args.workers}")
    for size in (int(s) for s in args.sizes.split(",")):
        print(json.dumps(run(size, args.workers)), flush=True)


if __name__ == "__main__":
    main()
