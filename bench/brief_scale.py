"""Cost of one brief as a story grows: seconds and peak memory of ``build_brief``.

Run ``python bench/brief_scale.py [--sizes 50,200,600,1500] [--whole]``. A story of N reports is
made of real article texts (ECB+ dev from the shared folder, else the two bundled examples),
each report another article, published a day apart, in one event. Each size runs in a fresh
child process, so its peak RSS is its own, and prints one row: the reports and sentences the
brief read, seconds and peak MB. ``--whole`` also runs each size with the reading limit lifted
(every sentence read, as before ``brief.corpus.MAX_SENTENCES``), beside the default, one after
the other; sizes whose whole reading would not fit in memory are better left out of it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.common import REPO_ROOT, eval_dir


def _texts() -> tuple[list[str], str]:
    """Real article texts and where they come from."""
    ecb = eval_dir("ecbplus")
    if ecb is not None and (ecb / "dev.jsonl").exists():
        with (ecb / "dev.jsonl").open(encoding="utf-8") as fh:
            return [json.loads(line)["text"] for line in fh], "ECB+ dev texts"
    examples = sorted((REPO_ROOT / "examples").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in examples], "the bundled examples"


def _child(size: int, whole: bool) -> None:
    from datetime import date, timedelta

    from storyline.brief import build as build_module
    from storyline.brief.bundle import StoryBundle
    from storyline.brief.corpus import StoryCorpus
    from storyline.models import Article, Story

    texts, _ = _texts()
    first = date(2018, 1, 1)
    articles = [
        Article(
            id=f"a{i:05d}",
            source=f"report{i}.txt",
            outlet=f"Outlet {i % 40}",
            text=texts[i % len(texts)],
            published=(first + timedelta(days=i)).isoformat(),
        )
        for i in range(size)
    ]
    story = Story(id="ev_bench", level="event", title="", article_ids=[a.id for a in articles])
    bundle = StoryBundle(story=story, articles=articles)
    if whole:
        limit = 10**9

        class Whole(StoryCorpus):
            def __init__(self, bundle: StoryBundle) -> None:
                super().__init__(bundle, max_sentences=limit, per_article=limit)

        build_module.StoryCorpus = Whole  # type: ignore[misc]
    corpus_class = build_module.StoryCorpus
    start = time.perf_counter()
    brief = build_module.build_brief(bundle)
    seconds = time.perf_counter() - start
    corpus = corpus_class(bundle)  # what it read (rebuilt after the timing)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    read = sum(1 for s in brief.sources if s["read"])
    print(
        json.dumps(
            {
                "size": size,
                "whole": whole,
                "read": read,
                "sentences": len(corpus.sentences),
                "seconds": round(seconds, 2),
                "peak_mb": round(peak),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,200,600,1500", help="reports per story")
    ap.add_argument("--whole", action="store_true", help="also read every sentence (no limit)")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        size, whole = args.child.split(":")
        _child(int(size), whole == "1")
        return
    _, source = _texts()
    print(f"one event of N reports ({source}), build_brief in a fresh process per row")
    print(
        f"{'reports':>8} {'reading':>8} {'read':>6} {'sentences':>10} {'seconds':>8} {'peak MB':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        for whole in (False, True) if args.whole else (False,):
            out = subprocess.run(
                [sys.executable, __file__, "--child", f"{size}:{int(whole)}"],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            label = "whole" if whole else "limited"
            print(
                f"{row['size']:>8} {label:>8} {row['read']:>6} {row['sentences']:>10} "
                f"{row['seconds']:>8} {row['peak_mb']:>8}"
            )


if __name__ == "__main__":
    main()
