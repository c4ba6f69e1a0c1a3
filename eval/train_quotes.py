"""Train the quote model (cue tagger + source chooser) on PolNeAR train; writes the shipped file.

Usage: ``python -m eval.train_quotes [--out src/storyline/read/data/quote_model.json.gz]``

Documents are read with the same NER-only pipeline the extractor uses; their Docs are cached
under /tmp/quotes/ so a second run only refits the models.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import json
import random
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.common import REPO_ROOT, eval_dir
from eval.polnear import GoldDoc, load_split
from storyline.read.quote_features import TokenView, cue_features
from storyline.read.quotes import QuoteExtractor, cue_token_spans, source_candidates

CACHE = Path("/tmp/quotes")
DEFAULT_OUT = REPO_ROOT / "src" / "storyline" / "read" / "data" / "quote_model.json.gz"
MIN_CUE_COUNT = 2
NEGATIVE_KEEP = 0.3  # share of negative source candidates kept for training  # a word must head or join a gold cue this often to be a cue candidate


def load_docs(split: str, docs: Sequence[GoldDoc]) -> list[Any]:
    """NER-only Docs for the split, from the cache when its texts match."""
    from spacy.tokens import DocBin

    from storyline.read.nlp import load_pipeline

    nlp = load_pipeline()
    path = CACHE / f"{split}_quotes_ner.spacy"
    if path.exists():
        cached = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in cached] == [d.text for d in docs]:
            return cached
    extractor = QuoteExtractor(nlp, model=None)
    out = list(extractor.read_pipe([d.text for d in docs]))
    CACHE.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(store_user_data=False)
    for d in out:
        bin_.add(d)
    bin_.to_disk(path)
    return out


def token_sets(view: TokenView, frags: list[tuple[int, int]] | None) -> list[int]:
    """Tokens whose midpoint falls inside the fragments (the scorer's rule)."""
    if not frags:
        return []
    mids = [view.starts[i] + view.ends[i] for i in range(len(view))]  # twice the midpoints
    out: list[int] = []
    for a, b in frags:
        out.extend(range(bisect.bisect_left(mids, 2 * a), bisect.bisect_left(mids, 2 * b)))
    return sorted(set(out))


class Rows:
    """Binary feature rows stored compactly as a CSR matrix under construction."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.indices = array("i")
        self.indptr = array("i", [0])
        self.labels = array("b")

    def add(self, feats: list[str], label: int) -> None:
        """Append one row."""
        for f in set(feats):
            self.indices.append(self.index.setdefault(f, len(self.index)))
        self.indptr.append(len(self.indices))
        self.labels.append(label)

    def fit(self, c: float) -> tuple[dict[str, float], float]:
        """Fit an L2 logistic regression; return pruned weights and bias."""
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        ind = np.frombuffer(self.indices, dtype=np.int32)
        x = csr_matrix(
            (np.ones(len(ind), dtype=np.float32), ind, np.frombuffer(self.indptr, dtype=np.int32)),
            shape=(len(self.labels), len(self.index)),
        )
        model = LogisticRegression(C=c, max_iter=300, solver="liblinear")
        model.fit(x, np.frombuffer(self.labels, dtype=np.int8))
        names = sorted(self.index, key=self.index.__getitem__)
        weights = {
            name: round(float(w), 4)
            for name, w in zip(names, model.coef_[0], strict=True)
            if abs(w) >= 0.01
        }
        return weights, round(float(model.intercept_[0]), 4)


def main(argv: list[str] | None = None) -> int:
    """Build training rows from PolNeAR train and write the model file."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    root = eval_dir("polnear")
    if root is None:
        print("PolNeAR gold data not found (set STORYLINE_SHARED)", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    gold = load_split(root / "train")
    docs = load_docs("train", gold)
    views = [TokenView.from_doc(d) for d in docs]

    # cue vocabulary: words that are part of gold cues often enough
    counts: Counter[str] = Counter()
    cue_tokens: list[set[int]] = []
    for g, v in zip(gold, views, strict=True):
        marked: set[int] = set()
        for rel in g.relations:
            marked.update(token_sets(v, rel["cue"]))
        cue_tokens.append(marked)
        counts.update(v.lower[i] for i in marked)
    vocab = sorted(w for w, n in counts.items() if n >= MIN_CUE_COUNT and any(ch.isalpha() for ch in w))

    vocab_set = set(vocab)
    cue_rows = Rows()
    for v, marked in zip(views, cue_tokens, strict=True):
        for i, w in enumerate(v.lower):
            if w in vocab_set:
                cue_rows.add(cue_features(v, i), int(i in marked))
    print(f"cue rows {len(cue_rows.labels)} positives {sum(cue_rows.labels)} vocab {len(vocab)}",
          file=sys.stderr)
    cue_w, cue_b = cue_rows.fit(c=0.5)
    del cue_rows

    src_rows = Rows()
    for g, v in zip(gold, views, strict=True):
        for rel in g.relations:
            cue = sorted(token_sets(v, rel["cue"]))
            if not cue:
                continue
            spans = cue_token_spans(cue)
            c0, c1 = spans[0]
            gold_src = set(token_sets(v, rel["source"]))
            for s, e, feats in source_candidates(v, c0, c1):
                cand = set(range(s, e))
                jac = len(cand & gold_src) / len(cand | gold_src) if gold_src else 0.0
                positive = jac >= 0.75
                if not positive and rng.random() > NEGATIVE_KEEP:
                    continue  # negatives vastly outnumber positives
                src_rows.add(feats, int(positive))
    print(f"source rows {len(src_rows.labels)} positives {sum(src_rows.labels)}", file=sys.stderr)
    src_w, src_b = src_rows.fit(c=0.5)

    model = {"version": 1, "cue_vocab": vocab, "cue_w": cue_w, "cue_b": cue_b,
             "src_w": src_w, "src_b": src_b}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(payload)  # mtime=0 keeps the file byte-for-byte reproducible
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
