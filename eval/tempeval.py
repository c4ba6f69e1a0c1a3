"""TempEval-3 task A (TimeBank + AQUAINT): run find_dates and score spans, types and values.

Usage: ``python -m eval.tempeval [--out PRED.jsonl] [--errors] [--limit N]``

The scorer below re-implements ``shared/eval/score/score_timex.py`` (TempEval-3 definitions on
characters): strict span = identical whitespace-trimmed span; relaxed = at least one shared
non-space character; for each relaxed-matched gold timex the overlapping system timex of largest
overlap (an exact one first) is compared on type and upper-cased value; value F1 = relaxed F1 x
value accuracy. Its figures equal the shared scorer's on the same predictions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eval.common import eval_dir
from storyline.read.timex import find_dates

Span = tuple[int, int]


def load_inputs(limit: int | None = None) -> list[dict[str, Any]]:
    """Return the input documents ``{doc, dct, text}``; raise FileNotFoundError when absent."""
    root = eval_dir("tempeval3")
    if root is None:
        raise FileNotFoundError("shared/eval/tempeval3 not found (set STORYLINE_SHARED)")
    with open(root / "tbaq_input.jsonl", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    return docs[:limit] if limit else docs


def load_gold(docs: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Return gold timexes per document for the given documents."""
    root = eval_dir("tempeval3")
    assert root is not None
    names = {d["doc"] for d in docs}
    gold: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    with open(root / "tbaq_gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                if r["doc"] in gold:
                    gold[r["doc"]].append(r)
    return gold


def predict(docs: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Return predictions per document in the scorer's record shape."""
    out: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        out[d["doc"]] = [
            {"doc": d["doc"], "start": m.start, "end": m.end, "type": m.type, "value": m.value}
            for m in find_dates(d["text"], d.get("dct"), d["doc"])
        ]
    return out


def _trim(text: str, s: int, e: int) -> Span:
    """Drop leading and trailing whitespace from a span."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _overlap(text: str, a: Span, b: Span) -> int:
    """Count shared characters that are not spaces or newlines."""
    s, e = max(a[0], b[0]), min(a[1], b[1])
    if s >= e:
        return 0
    return len(text[s:e].replace(" ", "").replace("\n", ""))


def score(
    texts: dict[str, str],
    gold: dict[str, list[dict[str, Any]]],
    preds: dict[str, list[dict[str, Any]]],
    errors: list[str] | None = None,
) -> dict[str, float]:
    """Return TempEval-3 task A figures (strict/relaxed P/R/F1, type/value accuracy and F1)."""
    c = dict.fromkeys(("n_gold", "n_sys", "strict_g", "strict_s", "relax_g", "relax_s",
                       "type_ok", "value_ok"), 0)  # fmt: skip
    for name, gold_tx in gold.items():
        text = texts[name]
        gs_list = [(_trim(text, g["start"], g["end"]), g) for g in gold_tx]
        ss_list = [(_trim(text, p["start"], p["end"]), p) for p in preds.get(name, [])]
        ss_list = [x for x in ss_list if x[0][1] > x[0][0]]
        c["n_gold"] += len(gs_list)
        c["n_sys"] += len(ss_list)
        for gs, g in gs_list:
            ov = [(_overlap(text, gs, ss), ss, p) for ss, p in ss_list]
            ov = [x for x in ov if x[0] > 0]
            c["strict_g"] += any(ss == gs for _, ss, _ in ov)
            if not ov:
                if errors is not None:
                    errors.append(f"FN {name} {g['type']}:{g['value']} {text[gs[0] : gs[1]]!r}")
                continue
            c["relax_g"] += 1
            _, bs, p = max(ov, key=lambda x: (x[1] == gs, x[0]))
            c["type_ok"] += (p.get("type") or "").upper() == (g["type"] or "").upper()
            v_ok = (p.get("value") or "").strip().upper() == (g["value"] or "").strip().upper()
            c["value_ok"] += v_ok
            if errors is not None and not v_ok:
                errors.append(f"VALUE {name} gold={g['type']}:{g['value']} "
                              f"{text[gs[0]:gs[1]]!r} | sys={p['type']}:{p['value']} "
                              f"{text[bs[0]:bs[1]]!r}")  # fmt: skip
        for ss, p in ss_list:
            hits = [gs for gs, _ in gs_list if _overlap(text, gs, ss) > 0]
            c["strict_s"] += ss in hits
            c["relax_s"] += bool(hits)
            if not hits and errors is not None:
                errors.append(f"FP {name} {p['type']}:{p['value']} {text[ss[0] : ss[1]]!r}")
    res: dict[str, float] = {k: float(v) for k, v in c.items()}
    for k in ("strict", "relax"):
        p_ = c[f"{k}_s"] / c["n_sys"] if c["n_sys"] else 0.0
        r_ = c[f"{k}_g"] / c["n_gold"] if c["n_gold"] else 0.0
        res[f"{k}_p"], res[f"{k}_r"] = p_, r_
        res[f"{k}_f1"] = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
    matched = c["relax_g"]
    res["type_acc"] = c["type_ok"] / matched if matched else 0.0
    res["value_acc"] = c["value_ok"] / matched if matched else 0.0
    res["type_f1"] = res["relax_f1"] * res["type_acc"]
    res["value_f1"] = res["relax_f1"] * res["value_acc"]
    return res


def evaluate(limit: int | None = None, errors: list[str] | None = None) -> dict[str, float]:
    """Run find_dates over the inputs and score it; adds ``docs_per_s`` (per CPU second)."""
    docs = load_inputs(limit)
    t0 = time.process_time()  # CPU time: stable on a shared machine
    preds = predict(docs)
    elapsed = time.process_time() - t0
    res = score({d["doc"]: d["text"] for d in docs}, load_gold(docs), preds, errors)
    res["docs_per_s"] = len(docs) / elapsed if elapsed else 0.0
    res["chars_per_s"] = sum(len(d["text"]) for d in docs) / elapsed if elapsed else 0.0
    return res


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="TempEval-3 (TBAQ) evaluation of find_dates")
    ap.add_argument("--out", type=Path, help="write predictions as JSON Lines")
    ap.add_argument("--errors", action="store_true", help="print FN/FP/value errors to stderr")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    a = ap.parse_args(argv)
    errs: list[str] | None = [] if a.errors else None
    res = evaluate(a.limit, errs)
    if a.out:
        docs = load_inputs(a.limit)
        with open(a.out, "w", encoding="utf-8") as fh:
            for recs in predict(docs).values():
                for r in recs:
                    fh.write(json.dumps(r) + "\n")
    if errs:
        print("\n".join(errs), file=sys.stderr)
    print(
        f"gold={int(res['n_gold'])} sys={int(res['n_sys'])} "
        f"({res['docs_per_s']:.0f} docs/s, {res['chars_per_s'] / 1000:.0f}k chars/s per CPU second)"
    )
    print(
        "strict  P/R/F1 = {:.1f} / {:.1f} / {:.1f}".format(
            *(100 * res[k] for k in ("strict_p", "strict_r", "strict_f1"))
        )
    )
    print(
        "relaxed P/R/F1 = {:.1f} / {:.1f} / {:.1f}".format(
            *(100 * res[k] for k in ("relax_p", "relax_r", "relax_f1"))
        )
    )
    print(
        "type  acc {:.1f}  F1 {:.1f} | value acc {:.1f}  F1 {:.1f}".format(
            *(100 * res[k] for k in ("type_acc", "type_f1", "value_acc", "value_f1"))
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
