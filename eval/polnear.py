"""PolNeAR attribution evaluation: run QuoteExtractor on a split and score it.

Usage: ``python -m eval.polnear [--split dev] [--limit N] [--out PRED.jsonl] [--json]``

The scoring follows the shared PolNeAR scorer's definitions (and gives the same figures):
spans are compared as sets of word tokens (``\\w+``, a token belongs to a span when its midpoint
lies inside a fragment); per role, and for relations, gold and predicted items of a document are
aligned one to one (maximum number of matches, ties broken by Jaccard) under three criteria:
exact token sets, token Jaccard >= 0.5, any shared token; counts are micro-averaged over documents.
A relation matches when its content matches and its source matches (both absent, or both present
and matching); ``rel+cue`` also needs the cue to match.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from eval.common import eval_dir

ROLES = ("source", "cue", "content")
CRITERIA = ("exact", "jac50", "overlap")
UNITS = (*ROLES, "relation", "rel+cue")
_WORD = re.compile(r"\w+")
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")
_ANN_NAME = re.compile(r"_[0-9a-f]{4}\.ann$")

Frags = list[tuple[int, int]]
Relation = dict[str, Frags | None]


@dataclass
class GoldDoc:
    """One PolNeAR document: its text and its gold attribution relations."""

    name: str
    text: str
    relations: list[Relation] = field(default_factory=list)


def read_text(path: Path) -> str:
    """Read a text file as UTF-8 without newline translation (offsets depend on it)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def parse_ann(path: Path) -> list[Relation]:
    """Parse brat standoff into relations; a role's fragments are unioned, Content2 joins Content."""
    bounds: dict[str, Frags] = {}
    events: list[list[tuple[str, str]]] = []
    for line in read_text(path).splitlines():
        m = _TEXT_BOUND.match(line)
        if m:
            bounds[m.group(1)] = [
                (int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))
            ]
            continue
        m = _EVENT.match(line)
        if m:
            events.append(
                [(a.split(":", 1)[0], a.split(":", 1)[1]) for a in m.group(2).split() if ":" in a]
            )
    relations: list[Relation] = []
    for args in events:
        rel: Relation = {"source": None, "cue": None, "content": None}
        for role, tid in args:
            key = role.lower().rstrip("0123456789")
            if key in rel and tid in bounds:
                rel[key] = (rel[key] or []) + bounds[tid]
        if any(rel[k] for k in ROLES):
            relations.append(rel)
    return relations


def load_split(split_dir: Path, limit: int | None = None) -> list[GoldDoc]:
    """Load every document of a split (sorted by name); multi-annotator docs use the first .ann."""
    docs: list[GoldDoc] = []
    for text_path in sorted((split_dir / "text").glob("*.txt")):
        name = text_path.stem
        anns = sorted(
            p
            for p in (split_dir / "attributions").glob(f"{name}_*.ann")
            if _ANN_NAME.search(p.name) and p.name[: -len("_xxxx.ann")] == name
        )
        rels = parse_ann(anns[0]) if anns else []
        docs.append(GoldDoc(name, read_text(text_path), rels))
        if limit is not None and len(docs) >= limit:
            break
    return docs


def as_frags(value: Any) -> Frags | None:
    """Normalise a predicted role: ``[s, e]``, a list of fragments, or null."""
    if not value:
        return None
    if len(value) == 2 and all(isinstance(v, int) for v in value):
        return [(value[0], value[1])]
    return [(int(a), int(b)) for a, b in value]


class WordIndex:
    """Word tokens of a text, to turn character fragments into sets of token ids."""

    def __init__(self, text: str) -> None:
        self.spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.mids2 = [a + b for a, b in self.spans]  # twice the midpoint keeps integers

    def ids(self, frags: Frags | None) -> frozenset[Any]:
        """Token ids whose midpoint lies in a fragment; chars when a span holds no word."""
        if not frags:
            return frozenset()
        out: set[Any] = set()
        for start, end in frags:
            lo = bisect.bisect_left(self.mids2, 2 * start)
            hi = bisect.bisect_left(self.mids2, 2 * end)
            out.update(range(lo, hi))
        if not out:
            out = {("char", i) for start, end in frags for i in range(start, end)}
        return frozenset(out)


def span_match(gold: frozenset[Any], pred: frozenset[Any], criterion: str) -> tuple[bool, float]:
    """Whether two token sets match under a criterion, and their Jaccard."""
    if not gold or not pred:
        return False, 0.0
    shared = len(gold & pred)
    jaccard = shared / len(gold | pred)
    if criterion == "exact":
        return gold == pred, jaccard
    if criterion == "jac50":
        return jaccard >= 0.5, jaccard
    return shared > 0, jaccard


def count_aligned(n_gold: int, n_pred: int, match: Callable[[int, int], tuple[bool, float]]) -> int:
    """Size of a maximum one-to-one matching (ties broken toward higher Jaccard)."""
    if not n_gold or not n_pred:
        return 0
    weights = np.zeros((n_gold, n_pred))
    for i in range(n_gold):
        for j in range(n_pred):
            ok, jaccard = match(i, j)
            if ok:
                weights[i, j] = 1.0 + 1e-3 * jaccard
    if not weights.any():
        return 0
    rows, cols = linear_sum_assignment(-weights)
    return int(sum(weights[i, j] > 0 for i, j in zip(rows, cols, strict=True)))


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def score(docs: Sequence[GoldDoc], preds: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Score predicted relations against gold documents; keys are ``unit/criterion``."""
    counts: dict[str, list[int]] = {}

    def add(key: str, tp: int, n_pred: int, n_gold: int) -> None:
        c = counts.setdefault(key, [0, 0, 0])
        c[0] += tp
        c[1] += n_pred
        c[2] += n_gold

    for doc in docs:
        index = WordIndex(doc.text)
        gold = [{k: index.ids(r[k]) for k in ROLES} for r in doc.relations]
        pred = [{k: index.ids(as_frags(r.get(k))) for k in ROLES} for r in preds.get(doc.name, [])]
        for role in ROLES:
            gs = [g[role] for g in gold if g[role]]
            ps = [p[role] for p in pred if p[role]]
            for crit in CRITERIA:

                def role_match(
                    i: int, j: int, c: str = crit, gs: list[Any] = gs, ps: list[Any] = ps
                ) -> tuple[bool, float]:
                    return span_match(gs[i], ps[j], c)

                add(f"{role}/{crit}", count_aligned(len(gs), len(ps), role_match), len(ps), len(gs))
            g_tokens = frozenset().union(*gs) if gs else frozenset()
            p_tokens = frozenset().union(*ps) if ps else frozenset()
            add(f"{role}/tokF1", len(g_tokens & p_tokens), len(p_tokens), len(g_tokens))
        for crit in CRITERIA:
            for unit, with_cue in (("relation", False), ("rel+cue", True)):

                def rel_match(
                    i: int,
                    j: int,
                    c: str = crit,
                    w: bool = with_cue,
                    gold: list[dict[str, Any]] = gold,
                    pred: list[dict[str, Any]] = pred,
                ) -> tuple[bool, float]:
                    g, p = gold[i], pred[j]
                    ok, jaccard = span_match(g["content"], p["content"], c)
                    if g["source"] or p["source"]:
                        ok = ok and span_match(g["source"], p["source"], c)[0]
                    if w:
                        ok = ok and span_match(g["cue"], p["cue"], c)[0]
                    return ok, jaccard

                add(
                    f"{unit}/{crit}",
                    count_aligned(len(gold), len(pred), rel_match),
                    len(pred),
                    len(gold),
                )
    return {key: _prf(*c) for key, c in sorted(counts.items())}


def format_table(result: dict[str, Any]) -> str:
    """Markdown table in the shared scorer's layout (percentages, F1 in bold)."""
    lines = [
        "| unit | exact P/R/F1 | jac>=0.5 P/R/F1 | any-overlap P/R/F1 | token P/R/F1 |",
        "|---|---|---|---|---|",
    ]
    for unit in UNITS:
        cells = []
        for crit in (*CRITERIA, "tokF1"):
            r = result.get(f"{unit}/{crit}")
            cells.append(
                "-"
                if r is None
                else "{:.1f}/{:.1f}/**{:.1f}**".format(100 * r["p"], 100 * r["r"], 100 * r["f1"])
            )
        lines.append(f"| {unit} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def quote_to_pred(doc_name: str, quote: Any) -> dict[str, Any]:
    """One Quote record as a PRED line of the PolNeAR scorer."""
    return {
        "doc": doc_name,
        "source": list(quote.speaker_span) if quote.speaker_span else None,
        "cue": list(quote.cue_span) if quote.cue_span else None,
        "content": [list(s) for s in quote.spans],
    }


def predict(docs: Sequence[GoldDoc], n_process: int = 1) -> tuple[list[dict[str, Any]], float]:
    """Run QuoteExtractor on the documents; return PRED lines and the seconds it took."""
    from storyline.read.nlp import load_pipeline
    from storyline.read.quotes import QuoteExtractor

    extractor = QuoteExtractor(load_pipeline())
    start = time.perf_counter()
    results = extractor.extract_many(((d.text, d.name) for d in docs), n_process=n_process)
    lines = [quote_to_pred(q.article_id, q) for quotes in results for q in quotes]
    return lines, time.perf_counter() - start


def measure_speed(docs: Sequence[GoldDoc], rounds: int = 2) -> dict[str, float]:
    """Articles per second: spaCy's NER-only pipe alone, and NER + quote extraction (1 process)."""
    from storyline.read.nlp import load_pipeline
    from storyline.read.quotes import QuoteExtractor

    nlp = load_pipeline()
    extractor = QuoteExtractor(nlp)
    texts = [d.text for d in docs]
    ner_only = [name for name in nlp.pipe_names if name != "ner"]
    best = {"ner": math.inf, "ner+quotes": math.inf}
    for _ in range(rounds):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, disable=ner_only, batch_size=32):
            pass
        best["ner"] = min(best["ner"], time.perf_counter() - start)
        start = time.perf_counter()
        for _quotes in extractor.extract_many((d.text, d.name) for d in docs):
            pass
        best["ner+quotes"] = min(best["ner+quotes"], time.perf_counter() - start)
    rates = {f"{k} articles/s": len(docs) / v for k, v in best.items()}
    rates["ratio"] = best["ner"] / best["ner+quotes"]
    return rates


def load_pred_file(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read PRED lines grouped by document name."""
    return group_preds(json.loads(line) for line in read_text(path).splitlines() if line.strip())


def group_preds(lines: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group PRED lines by document name (a trailing .txt is dropped)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        name = line["doc"][:-4] if line["doc"].endswith(".txt") else line["doc"]
        out.setdefault(name, []).append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="Score QuoteExtractor on PolNeAR.")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None, help="write PRED.jsonl here")
    ap.add_argument("--pred", type=Path, default=None, help="score this PRED.jsonl instead")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--speed", action="store_true", help="measure throughput instead of scoring")
    args = ap.parse_args(argv)
    root = eval_dir("polnear")
    if root is None:
        print("PolNeAR gold data not found (set STORYLINE_SHARED)", file=sys.stderr)
        return 1
    docs = load_split(root / args.split, args.limit)
    if args.speed:
        for key, value in measure_speed(docs).items():
            print(f"{key}: {value:.2f}")
        return 0
    if args.pred is not None:
        preds = load_pred_file(args.pred)
    else:
        lines, seconds = predict(docs)
        print(
            f"extracted {len(lines)} quotes from {len(docs)} docs in {seconds:.1f}s",
            file=sys.stderr,
        )
        if args.out is not None:
            with open(args.out, "w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(line) + "\n" for line in lines)
        preds = group_preds(lines)
    result = score(docs, preds)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"docs={len(docs)} gold relations={sum(len(d.relations) for d in docs)}")
        print(format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
