"""Article-body extraction accuracy on the Zyte benchmark pages in shared/eval/extraction.

The metric is the benchmark's own: the text is split into ``\\w+`` tokens, every run of 4 tokens
is a shingle, and per page the predicted and gold shingles are compared as multisets. Each page's
true/false positive and false negative counts are scaled to sum to 1 so pages weigh the same;
precision and recall are averaged over pages and F1 is taken of the two averages.

Run ``python -m eval.extraction`` to extract all pages with ``extract_html`` and print the scores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from eval.common import eval_dir
from storyline.errors import DocumentRejected
from storyline.ingest.html import extract_html

__all__ = [
    "extract_pages",
    "load_gold",
    "load_page",
    "load_urls",
    "page_counts",
    "score_extraction",
    "shingles",
]

SHINGLE_SIZE = 4
# Same token pattern as the benchmark (Unicode word characters, case kept).
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Count the runs of ``size`` tokens; a shorter non-empty text is one shorter shingle."""
    tokens = _TOKEN_RE.findall(text or "")
    if len(tokens) < size:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """True positive, false positive and false negative shingle shares of one page."""
    true, found = shingles(gold), shingles(pred)
    tp = float(sum((true & found).values()))
    fp = float(sum((found - true).values()))
    fn = float(sum((true - found).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    """Page precision; a page with nothing expected and nothing found is perfect."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    """Page recall; a page with nothing expected and nothing found is perfect."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def _macro(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Macro precision (pages with a prediction), recall (pages with gold text) and their F1."""
    precision = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def score_extraction(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Score predicted bodies against gold bodies by page id; a missing page counts as empty."""
    counts = [page_counts(gold[key] or "", pred.get(key) or "") for key in sorted(gold)]
    result = _macro(counts)
    result["n_docs"] = float(len(counts))
    return result


def load_gold(root: Path) -> dict[str, str]:
    """Gold article bodies by page id from ``ground-truth.json``."""
    with (root / "ground-truth.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: value.get("articleBody") or "" for key, value in data.items()}


def load_urls(root: Path) -> dict[str, str]:
    """Page URLs by page id from ``ground-truth.json``."""
    with (root / "ground-truth.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: value.get("url") or "" for key, value in data.items()}


def load_page(root: Path, page_id: str) -> str:
    """One benchmark page as text (the pages are UTF-8; stray bytes are replaced)."""
    with gzip.open(root / "html" / f"{page_id}.html.gz") as handle:
        return handle.read().decode("utf-8", errors="replace")


def extract_pages(
    root: Path, page_ids: Iterable[str], urls: dict[str, str] | None = None
) -> dict[str, str]:
    """Extract the body of each page; a rejected page predicts an empty body."""
    pred: dict[str, str] = {}
    for page_id in page_ids:
        html = load_page(root, page_id)
        try:
            pred[page_id] = extract_html(html, (urls or {}).get(page_id)).text
        except DocumentRejected:
            pred[page_id] = ""
    return pred


def main(argv: list[str] | None = None) -> int:
    """Extract every benchmark page, print precision, recall, F1 and the speed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="score only the first N pages (sorted ids)")
    parser.add_argument("--write", type=Path, help="write the predictions to this JSON file")
    args = parser.parse_args(argv)
    root = eval_dir("extraction")
    if root is None:
        print("no gold data: shared/eval/extraction not found", file=sys.stderr)
        return 1
    gold = load_gold(root)
    ids = sorted(gold)[: args.limit] if args.limit else sorted(gold)
    started = time.perf_counter()
    pred = extract_pages(root, ids, load_urls(root))
    elapsed = time.perf_counter() - started
    scores = score_extraction({key: gold[key] for key in ids}, pred)
    print(
        f"extraction: n={len(ids)} precision={scores['precision']:.4f} "
        f"recall={scores['recall']:.4f} F1={scores['f1']:.4f} "
        f"({len(ids) / elapsed:.1f} pages/s)"
    )
    if args.write:
        args.write.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
