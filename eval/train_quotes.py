"""Train the quote model on PolNeAR train; writes the shipped file.

Five logistic models: the cue tagger, the source ranker (a softmax over each cue's candidate
spans and "no source"), the content-start ranker (a softmax over where content after its cue
opens: right after it, or at a clause opener soon after, "told reporters that ..."), the
content-end ranker (a softmax over the clause boundaries where content after its cue may stop,
and the clause end) and the relation filter (cross-fitted on four folds of train).

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
from storyline.read.quote_content import end_candidates, side_frame, start_candidates, trim_edges
from storyline.read.quote_features import (
    TokenView,
    content_end_features,
    content_start_features,
    cue_features,
    cue_stems,
    is_cue_candidate,
)
from storyline.read.quotes import (
    RECALL_CUE_THRESHOLD,
    QuoteExtractor,
    QuoteModel,
    Relation,
    cue_token_spans,
    no_source_features,
    relation_core,
    source_candidates,
)

CACHE = Path("/tmp/quotes")
DEFAULT_OUT = REPO_ROOT / "src" / "storyline" / "read" / "data" / "quote_model.json.gz"
MIN_CUE_COUNT = 2  # a word must head or join a gold cue this often to be a cue candidate
MIN_CUE_RATE = 0.05  # ... and be part of a cue in at least this share of its occurrences
SOURCE_C = 1.0  # inverse L2 strength of the source ranker (over 0.5: +0.1 relation, held-out)
CUE_C = 0.2  # inverse L2 strength of the cue tagger
END_C = 0.5  # inverse L2 strength of the content-end ranker
SIDE_C = 0.3  # inverse L2 strength of the content-side classifier
REL_C = 0.3  # inverse L2 strength of the relation filter
RELATION_FOLDS = 4  # cross-fitting folds for the relation filter's training candidates


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
        for f in dict.fromkeys(feats):  # insertion order: a set would vary with the hash seed
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
        model = LogisticRegression(C=c, max_iter=300, solver="liblinear", random_state=0)
        model.fit(x, np.frombuffer(self.labels, dtype=np.int8))
        names = sorted(self.index, key=self.index.__getitem__)
        weights = {
            name: round(float(w), 4)
            for name, w in zip(names, model.coef_[0], strict=True)
            if abs(w) >= 0.01
        }
        return weights, round(float(model.intercept_[0]), 4)


class GroupRows(Rows):
    """Rows in groups (one per gold cue) of which some are right: a softmax over each group."""

    def __init__(self) -> None:
        super().__init__()
        self.group_starts = array("i", [0])

    def close_group(self) -> None:
        """End the current group (empty groups are dropped)."""
        if len(self.labels) > self.group_starts[-1]:
            self.group_starts.append(len(self.labels))

    def drop_group(self) -> None:
        """Forget the rows added since the last closed group."""
        n = self.group_starts[-1]
        del self.labels[n:]
        del self.indices[self.indptr[n] :]
        del self.indptr[n + 1 :]

    def fit(self, c: float) -> tuple[dict[str, float], float]:
        """Fit an L2 conditional logit: maximise the log of the summed probability of the right
        rows of each group; the bias is meaningless in a softmax and comes back as 0."""
        from scipy.optimize import minimize
        from scipy.sparse import csr_matrix

        ind = np.frombuffer(self.indices, dtype=np.int32)
        n_rows = len(self.labels)
        x = csr_matrix(
            (np.ones(len(ind), dtype=np.float64), ind, np.frombuffer(self.indptr, dtype=np.int32)),
            shape=(n_rows, len(self.index)),
        )
        xt = x.T.tocsr()
        y = np.frombuffer(self.labels, dtype=np.int8).astype(np.float64)
        starts = np.frombuffer(self.group_starts, dtype=np.int32)[:-1]
        group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n_rows)))
        lam = 1.0 / c

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            z = x @ w
            zmax = np.maximum.reduceat(z, starts)
            ez = np.exp(z - zmax[group])
            total = np.add.reduceat(ez, starts)
            pos = np.add.reduceat(ez * y, starts)
            nll = float(np.sum(np.log(total) - np.log(pos)))
            # d/dz: softmax minus the softmax restricted to the right rows
            grad_z = ez / total[group] - ez * y / pos[group]
            return nll + 0.5 * lam * float(w @ w), xt @ grad_z + lam * w

        res = minimize(
            loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 300}
        )
        names = sorted(self.index, key=self.index.__getitem__)
        weights = {
            name: round(float(w), 4) for name, w in zip(names, res.x, strict=True) if abs(w) >= 0.01
        }
        return weights, 0.0


def _relation_ok(v: TokenView, rel: Relation, gold: list[dict[str, set[int]]]) -> bool:
    """Whether a predicted relation matches a gold one (content and source, Jaccard >= 0.5)."""
    content = {i for a, b in rel.content for i in range(a, b) if v.words[i][:1].isalnum()}
    source = {i for i in range(*rel.source) if v.words[i][:1].isalnum()} if rel.source else set()

    def jac(x: set[int], y: set[int]) -> float:
        return len(x & y) / len(x | y) if x | y else 1.0

    return any(jac(content, g["content"]) >= 0.5 and jac(source, g["source"]) >= 0.5 for g in gold)


def relation_rows(
    rows: Rows, data: dict[str, Any], gold: Sequence[GoldDoc], views: Sequence[TokenView]
) -> None:
    """Add candidate attributions (from a low cue threshold) labelled by gold to rows."""
    extractor = QuoteExtractor(None, model=QuoteModel(data))
    extractor.cue_threshold = RECALL_CUE_THRESHOLD
    for g, v in zip(gold, views, strict=True):
        wordset = {i for i in range(len(v)) if v.words[i][:1].isalnum()}
        golds = [
            {k: set(token_sets(v, rel[k])) & wordset for k in ("content", "source")}
            for rel in g.relations
        ]
        for rel in extractor.find_relations(v, filtered=False):
            if rel.relay_of is not None or not rel.content:
                continue  # relays become chains, not quotes: the filter never sees them
            rows.add(extractor.relation_features(v, rel), int(_relation_ok(v, rel, golds)))


def fit_stage_one(
    vocab: list[str],
    gold: Sequence[GoldDoc],
    views: Sequence[TokenView],
    cue_tokens: Sequence[set[int]],
    rng: random.Random,
) -> dict[str, Any]:
    """Fit the cue tagger and the source chooser on the given documents."""
    vocab_set = frozenset(vocab)
    stems = cue_stems(vocab_set)
    cue_rows = Rows()
    for v, marked in zip(views, cue_tokens, strict=True):
        for i, w in enumerate(v.lower):
            if is_cue_candidate(w, vocab_set, stems):
                cue_rows.add(cue_features(v, i), int(i in marked))
    print(f"cue rows {len(cue_rows.labels)} positives {sum(cue_rows.labels)}", file=sys.stderr)
    cue_w, cue_b = cue_rows.fit(c=CUE_C)
    del cue_rows
    # the source chooser ranks the candidates of one cue against each other and against
    # naming no source: it learns which span is best, not whether each span is a source alone
    src_rows = GroupRows()
    for g, v in zip(gold, views, strict=True):
        for rel in g.relations:
            cue = sorted(token_sets(v, rel["cue"]))
            if not cue:
                continue
            c0, c1 = cue_token_spans(cue)[0]
            gold_src = set(token_sets(v, rel["source"]))
            any_pos = not gold_src
            for s, e, feats in source_candidates(v, c0, c1):
                cand = set(range(s, e))
                jac = len(cand & gold_src) / len(cand | gold_src) if gold_src else 0.0
                any_pos |= jac >= 0.75
                src_rows.add(feats, int(jac >= 0.75))
            src_rows.add(no_source_features(v, c0, c1), int(not gold_src))
            if any_pos:
                src_rows.close_group()
            else:
                src_rows.drop_group()  # no candidate is right: nothing to rank
    print(f"source rows {len(src_rows.labels)} positives {sum(src_rows.labels)}", file=sys.stderr)
    src_w, src_b = src_rows.fit(c=SOURCE_C)
    end_w, end_b = end_rows(gold, views).fit(c=END_C)
    start_w, _ = start_rows(gold, views).fit(c=END_C)
    side_w, side_b = side_rows(gold, views, vocab_set, stems).fit(c=SIDE_C)
    return {
        "version": 1,
        "cue_vocab": vocab,
        "cue_w": cue_w,
        "cue_b": cue_b,
        "src_w": src_w,
        "src_b": src_b,
        "src_rank": True,
        "end_w": end_w,
        "end_b": end_b,
        "end_rank": True,
        "start_w": start_w,
        "side_w": side_w,
        "side_b": side_b,
    }


def end_rows(gold: Sequence[GoldDoc], views: Sequence[TokenView]) -> GroupRows:
    """Content-end groups: for gold content after its cue, every clause boundary and the clause
    end compete; the one where gold content ends is right."""
    rows = GroupRows()
    for g, v in zip(gold, views, strict=True):
        for rel in g.relations:
            cue = token_sets(v, rel["cue"])
            content = token_sets(v, rel["content"])
            if not cue or not content or min(content) < max(cue):
                continue
            a = min(content)
            sb = v.sents[v.sent_of[cue[0]]][1]
            if v.sent_of[a] != v.sent_of[cue[0]] or max(content) >= sb:
                continue
            a, b = trim_edges(v, a, sb)
            if a >= b or (v.quote_open[a] and v.quote_close[b - 1]):
                continue
            gold_end = trim_edges(v, a, max(content) + 1)[1]
            cands = end_candidates(v, a, b)
            labels = [int(trim_edges(v, a, j)[1] == gold_end) for j in cands]
            if len(cands) < 2 or sum(labels) != 1:
                continue
            for j, label in zip(cands, labels, strict=True):
                rows.add(content_end_features(v, a, j, b, v.lower[cue[0]]), label)
            rows.close_group()
    print(f"end rows {len(rows.labels)} positives {sum(rows.labels)}", file=sys.stderr)
    return rows


def side_rows(
    gold: Sequence[GoldDoc],
    views: Sequence[TokenView],
    vocab: frozenset[str],
    stems: frozenset[str],
) -> Rows:
    """Content before the cue (1) or after it (0), where the layout leaves both open: the cue
    as the tagger would mark it (the first run of its scored words), its source, and the other
    gold attributions of the sentence bounding it, as at reading time."""
    rows = Rows()
    for g, v in zip(gold, views, strict=True):
        cores: list[tuple[int, int]] = []
        frames = []
        for rel in g.relations:
            cue = sorted(token_sets(v, rel["cue"]))
            scored = [i for i in cue if is_cue_candidate(v.lower[i], vocab, stems)]
            if not scored:
                continue
            c0, c1 = cue_token_spans(scored)[0]
            src = token_sets(v, rel["source"])
            if src and v.sent_of[min(src)] == v.sent_of[c0] == v.sent_of[max(src)]:
                core = relation_core(v, Relation((c0, c1), source=(min(src), max(src) + 1)))
            else:
                core = (c0, c1)
            if src:
                cores.append(core)
            frames.append(((c0, c1), core, token_sets(v, rel["content"])))
        for cue_span, core, content in frames:
            inside = [i for i in content if v.sent_of[i] == v.sent_of[cue_span[0]]]
            if not inside:
                continue
            n_before = sum(1 for i in inside if i < core[0])
            n_after = sum(1 for i in inside if i >= core[1])
            if (n_before > 0) == (n_after > 0):
                continue  # split around the cue, or inside it: not a side
            feats = side_frame(v, cue_span, cores, core)
            if feats is not None:
                rows.add(feats, int(n_before > 0))
    print(f"side rows {len(rows.labels)} positives {sum(rows.labels)}", file=sys.stderr)
    return rows


def start_rows(gold: Sequence[GoldDoc], views: Sequence[TokenView]) -> GroupRows:
    """Content-start groups: for gold content after its cue (and a source there), the token
    right after them and the clause openers soon after compete; gold content's start is right."""
    rows = GroupRows()
    for g, v in zip(gold, views, strict=True):
        for rel in g.relations:
            cue = token_sets(v, rel["cue"])
            content = token_sets(v, rel["content"])
            if not cue or not content or min(content) <= max(cue):
                continue
            src = [i for i in token_sets(v, rel["source"]) if max(cue) < i < min(content)]
            hi = max([*cue, *src]) + 1
            sb = v.sents[v.sent_of[cue[0]]][1]
            if v.sent_of[min(content)] != v.sent_of[cue[0]]:
                continue
            a, b = trim_edges(v, hi, sb)
            if a >= b or v.quote_open[a]:
                continue
            gold_start = trim_edges(v, min(content), b)[0]
            cands = start_candidates(v, a, b)
            labels = [int(trim_edges(v, j, b)[0] == gold_start) for j in cands]
            if len(cands) < 2 or sum(labels) != 1:
                continue
            for j, label in zip(cands, labels, strict=True):
                rows.add(content_start_features(v, a, j, v.lower[cue[0]]), label)
            rows.close_group()
    print(f"start rows {len(rows.labels)} positives {sum(rows.labels)}", file=sys.stderr)
    return rows


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
    gold = load_split(root / "train")
    docs = load_docs("train", gold)
    views = [TokenView.from_doc(d) for d in docs]
    model = build_model(gold, views, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
    with (
        open(args.out, "wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle,
    ):
        handle.write(payload)  # mtime=0 keeps the file byte-for-byte reproducible
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


def build_model(gold: Sequence[GoldDoc], views: Sequence[TokenView], seed: int) -> dict[str, Any]:
    """Fit every part of the quote model on the given documents."""
    # cue vocabulary: words that are part of gold cues often enough
    counts: Counter[str] = Counter()
    cue_tokens: list[set[int]] = []
    for g, v in zip(gold, views, strict=True):
        marked: set[int] = set()
        for rel in g.relations:
            marked.update(token_sets(v, rel["cue"]))
        cue_tokens.append(marked)
        counts.update(v.lower[i] for i in marked)
    seen: Counter[str] = Counter(w for v in views for w in v.lower)
    # words rarely part of a cue ("the", "in") cost time at every occurrence and add little
    vocab = sorted(
        w
        for w, n in counts.items()
        if n >= MIN_CUE_COUNT and n >= MIN_CUE_RATE * seen[w] and any(ch.isalpha() for ch in w)
    )

    model = fit_stage_one(vocab, gold, views, cue_tokens, random.Random(seed))
    # the relation filter learns from candidates of models that did not see those documents,
    # so that it meets the stage-one scores it will meet on new text; with more folds each
    # part model is nearer the shipped one (four folds beat two on a held-out fifth of train)
    rows = Rows()
    for fold in range(RELATION_FOLDS):
        fit_on = [i for i in range(len(gold)) if i % RELATION_FOLDS != fold]
        apply_to = [i for i in range(len(gold)) if i % RELATION_FOLDS == fold]
        part = fit_stage_one(
            vocab,
            [gold[i] for i in fit_on],
            [views[i] for i in fit_on],
            [cue_tokens[i] for i in fit_on],
            random.Random(seed),
        )
        relation_rows(rows, part, [gold[i] for i in apply_to], [views[i] for i in apply_to])
    print(f"relation rows {len(rows.labels)} positives {sum(rows.labels)}", file=sys.stderr)
    model["rel_w"], model["rel_b"] = rows.fit(c=REL_C)
    return model


if __name__ == "__main__":
    raise SystemExit(main())
