"""Reading throughput: storyline's read stage vs spaCy's NER-only pipe, same articles, same workers.

    python -m bench.read_throughput [--articles 300] [--workers 2]

The read stage is NER + entities + quotes + dates + writing to the store. The peer is
``nlp.pipe(texts, disable=<everything but ner>, n_process=workers)``. Each side's models load
before its clock starts (the peer's pipeline; the read stage's pipeline, quote model and alias
table), so the ratio compares reading, not loading; the load is printed beside it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import resource
import tempfile
import time
from pathlib import Path

from bench._pages import article_bodies


def _texts(count: int) -> list[str]:
    bodies = article_bodies()
    return [bodies[i % len(bodies)] + ("\n" * (i // len(bodies))) for i in range(count)]


def run_ner(texts: list[str], workers: int) -> float:
    """Seconds for spaCy's NER pipe alone."""
    from storyline.read.nlp import load_pipeline

    nlp = load_pipeline()
    disable = [n for n in nlp.pipe_names if n != "ner"]
    started = time.perf_counter()
    for _ in nlp.pipe(texts, disable=disable, n_process=workers, batch_size=16):
        pass
    return time.perf_counter() - started


def run_read_stage(texts: list[str], workers: int, db: Path) -> tuple[float, float]:
    """Seconds for storyline's read stage over the same texts, stored in a fresh database, and
    seconds its models took to load (before the clock starts, as the peer's pipeline does)."""
    from storyline.app import App
    from storyline.models import Article
    from storyline.pipeline import run_stages
    from storyline.read.stage import ReadStage
    from storyline.settings import Settings
    from storyline.store import Store

    settings = Settings.resolve({"db": str(db), "workers": workers}, environ={})
    with App(settings=settings, store=Store(db)) as app, app.store.transaction():
        for i, text in enumerate(texts):
            app.articles.insert(Article(id=f"a{i}", source=f"bench:{i}", text=text), None)
    with App(settings=settings, store=Store(db)) as app:
        started = time.perf_counter()
        app.reader()
        loaded = time.perf_counter()
        run_stages(app, [ReadStage()], lambda *a: None)
        return time.perf_counter() - loaded, loaded - started


def main() -> None:
    """Run both and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    texts = _texts(args.articles)
    chars = sum(len(t) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        ner = run_ner(texts, args.workers)
        ours, load = run_read_stage(texts, args.workers, Path(tmp) / "read.db")
    print(
        f"machine: {platform.machine()}, {multiprocessing.cpu_count()} cores, python "
        f"{platform.python_version()}; {len(texts)} articles, {chars / len(texts):.0f} chars each, "
        f"{args.workers} worker processes"
    )
    print(f"{'':28}{'articles/s':>12}{'seconds':>10}")
    print(f"{'spaCy NER pipe alone':28}{len(texts) / ner:>12.1f}{ner:>10.1f}")
    print(f"{'storyline read stage':28}{len(texts) / ours:>12.1f}{ours:>10.1f}")
    print(f"ratio read stage / NER alone: {ner / ours:.2f}x")
    print(
        f"models load before either clock starts (read stage: {load:.1f} s; counted on our side "
        f"only, the ratio would be {ner / (ours + load):.2f}x)"
    )
    print(
        f"peak RSS: main {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
        f"largest worker {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
