"""Cost of a backfill: one link run over many fresh articles, its passes in turn or side by side.

Run ``python bench/link_backfill.py [--size 20000] [--workers 2,1]``. It stores the first
``--size`` articles of the stories_scale stream, with their names as mentions, as
``bench/link_stage.py`` does, in a store that no link run has touched. For each ``workers``
value it copies that store and times one link run in a fresh child process. A run over this
stream places the batch several times, since its publication days tie. Each row prints the
seconds, the placement passes, the peak RSS of the run's process and of its largest worker, and
a digest of every article's event and storyline. Equal digests mean the same result.
"""

from __future__ import annotations

import argparse
import hashlib
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

from bench.link_stage import _insert, _open, _peak_rss_mb, _stream


def child(db: Path, workers: int) -> dict[str, Any]:
    """Time one link run over ``db`` in this process."""
    from storyline.link.stage import LinkStage

    with _open(db, workers=workers) as app:
        t0 = time.perf_counter()
        report = LinkStage().run(app, lambda *_: None)
        seconds = time.perf_counter() - t0
        rows = app.store.query("SELECT id, event_id, storyline_id FROM articles ORDER BY id")
    digest = hashlib.sha1(json.dumps([list(r) for r in rows]).encode()).hexdigest()[:12]
    return {
        "seconds": round(seconds, 1),
        "passes": report.counts.get("placement passes", 1),
        "peak_rss_mb": _peak_rss_mb(),
        # Forked workers count the pages they share with this process.
        "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "digest": digest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--workers", default="2,1")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), int(args.workers))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        with _open(base) as app:
            _insert(app, _stream(args.size, 100)[: args.size])
        print(f"{args.size} articles, one link run each")
        print("workers\tpasses\tseconds\tpeak RSS MB\tlargest worker MB\tdigest")
        for workers in (int(w) for w in args.workers.split(",")):
            db = Path(tmp) / f"run_{workers}.db"
            shutil.copy(base, db)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(db), "--workers", str(workers)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(
                f"{workers}\t{r['passes']}\t{r['seconds']}\t{r['peak_rss_mb']}\t"
                f"{r['worker_peak_rss_mb']}\t{r['digest']}",
                flush=True,
            )
            db.unlink()


if __name__ == "__main__":
    main()
