"""Cost of one link run that adds a few articles to a store of many already linked ones.

Run ``python bench/link_stage.py [--sizes 2000,20000] [--new 100] [--stage-file PATH]``. For each
size N it builds (once, kept under ``--cache``) a store of N synthetic articles from the
stories_scale stream, with the names they mention as mentions rows, linked by one link run; then
it copies that store, adds the next ``--new`` articles of the stream and times one link run over
it in a fresh child process, printing one row: seconds of the run, story and article rows it
wrote (counted by temporary triggers, so any stage version is measured alike) and peak RSS.

``--stage-file`` times the ``LinkStage`` of another copy of ``storyline/link/stage.py`` (say the
last commit's: ``git show HEAD:src/storyline/link/stage.py > /tmp/old_stage.py``) against the
same stores, for a before / after comparison.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stories_scale import Stream

# Temporary triggers count every row a run inserts or updates in stories and articles.
COUNTERS = """
CREATE TEMP TABLE written (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO written VALUES ('stories', 0), ('articles', 0);
CREATE TEMP TRIGGER count_story_insert AFTER INSERT ON main.stories
BEGIN UPDATE written SET n = n + 1 WHERE name = 'stories'; END;
CREATE TEMP TRIGGER count_story_update AFTER UPDATE ON main.stories
BEGIN UPDATE written SET n = n + 1 WHERE name = 'stories'; END;
CREATE TEMP TRIGGER count_article_update AFTER UPDATE ON main.articles
BEGIN UPDATE written SET n = n + 1 WHERE name = 'articles'; END;
"""


def _open(db: Path, **overrides: Any) -> Any:
    from storyline.app import App
    from storyline.settings import Settings
    from storyline.store import Store

    settings = Settings.resolve({"db": str(db), **overrides}, environ={})
    return App(settings=settings, store=Store(db))


def _insert(app: Any, items: list[dict[str, Any]]) -> None:
    """Store stream items as clean articles, with the names each mentions as mentions rows."""
    from storyline.models import Article
    from storyline.store import ArticleStore

    articles = ArticleStore(app.store)
    with app.store.transaction():
        for f in items:
            aid = str(f["article_id"])
            text = str(f["text"])
            articles.insert(
                Article(
                    id=aid,
                    source="synthetic:" + aid,
                    title=str(f["title"]),
                    published=str(f["published"]),
                    text=text,
                    duplicate_of=f["duplicate_of"],
                ),
                None,
            )
            store_mentions(app, aid, text, f["entities"])


def store_mentions(app: Any, article_id: str, text: str, names: list[str]) -> None:
    """Store each name as a PERSON mention at its next place in ``text`` (what reading finds)."""
    at = 0
    for name in names:
        start = text.find(name, at)
        if start < 0:
            continue
        at = start + len(name)
        app.store.execute(
            "INSERT INTO mentions(article_id, start, end, text, type) "
            "VALUES (?, ?, ?, ?, 'PERSON')",
            (article_id, start, at, name),
        )


def _stream(n: int, new: int) -> list[dict[str, Any]]:
    return [fields for fields, _ in Stream(n + new).articles()]


def build(n: int, new: int, cache: Path) -> Path:
    """Return a store of the first ``n`` stream articles, linked; built once per size."""
    base = cache / f"link_base_{n}_{new}.db"
    if base.exists():
        return base
    from storyline.link.stage import LinkStage

    tmp = base.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    items = _stream(n, new)[:n]
    t0 = time.perf_counter()
    with _open(tmp) as app:
        _insert(app, items)
        LinkStage().run(app, lambda *_: None)
    print(f"built N={n} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    tmp.rename(base)
    return base


def _load_stage(stage_file: str | None) -> Any:
    if not stage_file:
        from storyline.link.stage import LinkStage

        return LinkStage
    spec = importlib.util.spec_from_file_location("storyline.link._bench_stage", stage_file)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module.LinkStage


def _peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    Linux's ``ru_maxrss`` keeps the parent's peak across fork and exec, so a child would report
    the builder's memory; the process's own high-water mark (VmHWM) starts afresh at exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _time_phases(module: Any) -> dict[str, float]:
    """Wrap the stage module's state load and story write so their seconds are told apart."""
    # _state_rows (the saved rows, read once and decoded by each pass) exists since a run may
    # place its batch more than once; an older stage file has only _load_clusterer.
    names = ("_state_rows", "_load_clusterer", "_write_stories")
    spent = {name: 0.0 for name in names if hasattr(module, name)}

    def timed(name: str) -> Any:
        inner = getattr(module, name)

        def wrapper(*args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return inner(*args)
            finally:
                spent[name] += time.perf_counter() - t0

        return wrapper

    for name in spent:
        setattr(module, name, timed(name))
    return spent


def child(db: Path, stage_file: str | None) -> dict[str, Any]:
    """Time one link run over ``db`` (in this process, so its peak RSS is the run's own)."""
    stage_class = _load_stage(stage_file)
    stage = stage_class()
    phases = _time_phases(sys.modules[stage_class.__module__])
    with _open(db) as app:
        app.store.conn.executescript(COUNTERS)
        rss_before = _peak_rss_mb()
        t0 = time.perf_counter()
        report = stage.run(app, lambda *_: None)
        seconds = time.perf_counter() - t0
        written = dict(app.store.conn.execute("SELECT name, n FROM temp.written").fetchall())
        stored = app.store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    return {
        "seconds": round(seconds, 3),
        "load_state_s": round(phases["_load_clusterer"] + phases.get("_state_rows", 0.0), 3),
        "passes": report.counts.get("placement passes", 1),
        "write_stories_s": round(phases["_write_stories"], 3),
        "processed": report.processed,
        "stories_written": written["stories"],
        "stories_stored": stored,
        "articles_written": written["articles"],
        "rss_before_mb": rss_before,
        "peak_rss_mb": _peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--stage-file", default=None, help="time this copy of link/stage.py")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "storyline_bench"))
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args.stage_file)))
        return
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    stage = args.stage_file or "storyline.link.stage"
    print(f"stage: {stage}")
    print(
        "N\tnew\tpasses\tseconds (load state, write stories)\tstories written/stored\t"
        "articles written\tpeak RSS MB (before run)"
    )
    for n in (int(s) for s in args.sizes.split(",")):
        base = build(n, args.new, cache)
        with tempfile.TemporaryDirectory() as scratch:
            db = Path(scratch) / "run.db"
            shutil.copy(base, db)
            with _open(db) as app:
                _insert(app, _stream(n, args.new)[n : n + args.new])
            cmd = [sys.executable, __file__, "--child", str(db)]
            if args.stage_file:
                cmd += ["--stage-file", args.stage_file]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{n}\t{r['processed']}\t{r['passes']}\t"
            f"{r['seconds']:.3f} ({r['load_state_s']:.3f}, {r['write_stories_s']:.3f})\t"
            f"{r['stories_written']}/{r['stories_stored']}\t{r['articles_written']}\t"
            f"{r['peak_rss_mb']} ({r['rss_before_mb']})",
            flush=True,
        )


if __name__ == "__main__":
    main()
