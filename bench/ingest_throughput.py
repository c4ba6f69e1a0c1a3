"""Ingest throughput: storyline's whole ingest stage vs trafilatura alone, same pages, same workers.

    python -m bench.ingest_throughput [--pages 2000] [--workers 2]

Prints docs/s, MB/s and peak memory for both, and the ratio storyline / trafilatura.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import resource
import tempfile
import time
from pathlib import Path

import trafilatura

from bench._pages import write_pages


def _trafilatura_one(path: str) -> int:
    text = trafilatura.extract(Path(path).read_bytes())
    return len(text or "")


def run_trafilatura(paths: list[Path], workers: int) -> float:
    """Seconds for trafilatura.extract with defaults over all pages, in ``workers`` processes."""
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        list(pool.imap(_trafilatura_one, [str(p) for p in paths], chunksize=4))
    return time.perf_counter() - started


def run_storyline(folder: Path, db: Path, workers: int) -> tuple[float, dict[str, int]]:
    """Seconds for storyline's ingest stage (extract, clean, date, dedup, store)."""
    from storyline.api import ingest
    from storyline.settings import Settings

    settings = Settings.resolve({"db": str(db), "workers": workers}, environ={})
    started = time.perf_counter()
    reports = ingest([str(folder)], settings=settings)
    return time.perf_counter() - started, dict(reports[0].counts)


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    """Generate pages, run both, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        paths = write_pages(folder, args.pages)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        # Alternate the sides so neither always runs on a warm page cache, and take each side's
        # best of two runs (each storyline run into a fresh store).
        traf = run_trafilatura(paths, args.workers)
        ours, counts = run_storyline(folder, Path(tmp) / "bench.db", args.workers)
        traf = min(traf, run_trafilatura(paths, args.workers))
        ours = min(ours, run_storyline(folder, Path(tmp) / "bench2.db", args.workers)[0])
        print(
            f"machine: {platform.machine()}, {multiprocessing.cpu_count()} cores, "
            f"python {platform.python_version()}; {args.pages} pages, {megabytes:.1f} MB, "
            f"{args.workers} worker processes"
        )
        print(f"{'':24}{'docs/s':>10}{'MB/s':>10}{'seconds':>10}")
        print(
            f"{'trafilatura alone':24}{args.pages / traf:>10.1f}{megabytes / traf:>10.2f}{traf:>10.1f}"
        )
        print(
            f"{'storyline ingest':24}{args.pages / ours:>10.1f}{megabytes / ours:>10.2f}{ours:>10.1f}"
        )
        print(f"ratio storyline / trafilatura: {traf / ours:.2f}x")
        print(
            f"peak RSS: main process {_peak_mb(resource.RUSAGE_SELF):.0f} MB, "
            f"largest worker {_peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
        )
        print(f"ingest counts: {counts}")


if __name__ == "__main__":
    main()
