"""Tests for eval.tempeval: the scorer, and a quality floor on TempEval-3 (TimeBank + AQUAINT)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from eval.common import eval_dir
from eval.tempeval import evaluate, load_gold, load_inputs, predict, score

# Measured (python -m eval.tempeval): relaxed F1 0.947, value F1 0.8205; floors sit just below.
RELAXED_F1_FLOOR = 0.94
VALUE_F1_FLOOR = 0.815


def test_score_on_a_tiny_example() -> None:
    """Strict, relaxed, type and value figures follow the TempEval-3 definitions."""
    texts = {"d": "On Friday and in June, a week."}
    gold = {"d": [
        {"start": 3, "end": 9, "type": "DATE", "value": "2018-05-18"},
        {"start": 17, "end": 21, "type": "DATE", "value": "2018-06"},
    ]}  # fmt: skip
    preds = {"d": [
        {"start": 3, "end": 9, "type": "DATE", "value": "2018-05-18"},
        {"start": 14, "end": 21, "type": "DATE", "value": "2017-06"},
        {"start": 23, "end": 29, "type": "DURATION", "value": "P1W"},
    ]}  # fmt: skip
    res = score(texts, gold, preds)
    assert res["strict_p"] == pytest.approx(1 / 3) and res["strict_r"] == pytest.approx(1 / 2)
    assert res["relax_p"] == pytest.approx(2 / 3) and res["relax_r"] == pytest.approx(1.0)
    assert res["type_acc"] == 1.0 and res["value_acc"] == pytest.approx(0.5)
    assert res["value_f1"] == pytest.approx(res["relax_f1"] * 0.5)


needs_gold = pytest.mark.skipif(
    eval_dir("tempeval3") is None, reason="shared/eval/tempeval3 gold data not available"
)


@needs_gold
def test_quality_floor_on_the_full_set() -> None:
    """find_dates keeps its measured quality on all 256 documents (about a second)."""
    res = evaluate()
    assert res["n_gold"] == 1822
    assert res["relax_f1"] >= RELAXED_F1_FLOOR, res
    assert res["value_f1"] >= VALUE_F1_FLOOR, res


@needs_gold
def test_own_scorer_equals_the_shared_scorer() -> None:
    """The project's scorer gives exactly the shared scorer's figures on the same predictions."""
    root = eval_dir("tempeval3")
    assert root is not None
    path = Path(root).parent / "score" / "score_timex.py"
    spec = importlib.util.spec_from_file_location("score_timex", path)
    assert spec is not None and spec.loader is not None
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    docs = load_inputs(60)
    preds = predict(docs)
    ours = score({d["doc"]: d["text"] for d in docs}, load_gold(docs), preds)
    gold = shared.load_gold(str(Path(root) / "tbaq_gold.jsonl"))
    gold = {k: v for k, v in gold.items() if k in preds}
    theirs = shared.evaluate(gold, json.loads(json.dumps(preds)))
    for key in ("strict_f1", "relax_f1", "type_acc", "value_acc", "value_f1"):
        assert ours[key] == pytest.approx(theirs[key]), key
