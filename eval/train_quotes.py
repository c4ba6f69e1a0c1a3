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
MIN_CUE_COUNT = 2  # a word must head or join a gold cue this often to be a cue candidate


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


def fit(rows: list[list[str]], labels: list[int], c: float) -> tuple[dict[str, float], float]:
    """Fit an L2 logistic regression on binary features; return pruned weights and bias."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(r, 1) for r in rows]).tocsr()
    x.indices = x.indices.astype(np.int32)  # liblinear wants 32-bit sparse indices
    x.indptr = x.indptr.astype(np.int32)
    model = LogisticRegression(C=c, max_iter=300, solver="liblinear")
    model.fit(x, labels)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= 0.01
    }
    return weights, float(model.intercept_[0])


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
    cue_rows, cue_y = [], []
    for v, marked in zip(views, cue_tokens, strict=True):
        for i, w in enumerate(v.lower):
            if w in vocab_set:
                cue_rows.append(cue_features(v, i))
                cue_y.append(int(i in marked))
    print(f"cue rows {len(cue_rows)} positives {sum(cue_y)} vocab {len(vocab)}", file=sys.stderr)
    cue_w, cue_b = fit(cue_rows, cue_y, c=0.5)

    src_rows, src_y = [], []
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
                if not positive and rng.random() > 0.5:
                    continue  # negatives vastly outnumber positives; halve them
                src_rows.append(feats)
                src_y.append(int(positive))
    print(f"source rows {len(src_rows)} positives {sum(src_y)}", file=sys.stderr)
    src_w, src_b = fit(src_rows, src_y, c=0.5)

    model = {"version": 1, "cue_vocab": vocab, "cue_w": cue_w, "cue_b": cue_b,
             "src_w": src_w, "src_b": src_b}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as handle:
        json.dump(model, handle, sort_keys=True, separators=(",", ":"))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
