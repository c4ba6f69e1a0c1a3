"""The extraction scorer and the pinned accuracy floors on the Zyte benchmark pages."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from eval.common import eval_dir, shared_dir
from eval.extraction import extract_pages, load_gold, load_urls, score_extraction, shingles
from hypothesis import given, settings
from hypothesis import strategies as st

# Measured with ``python -m eval.extraction``: F1 0.9739 on all 121 pages and 0.9774 on the
# first 15 (sorted ids); the floors sit about 0.003 below.
FULL_F1_FLOOR = 0.971
SUBSET_SIZE = 15
SUBSET_F1_FLOOR = 0.974

GOLD = eval_dir("extraction")
needs_gold = pytest.mark.skipif(
    GOLD is None, reason="gold data shared/eval/extraction not found (set $STORYLINE_SHARED)"
)


def _shared_scorer() -> ModuleType | None:
    """The benchmark's reference scorer from shared/eval/score, when present."""
    root = shared_dir()
    path = root / "eval" / "score" / "score_extraction.py" if root else None
    if path is None or not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("shared_score_extraction", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shingles_short_and_empty_texts() -> None:
    assert shingles("") == {}
    assert shingles("one two") == {("one", "two"): 1}
    assert sum(shingles("a b c d e").values()) == 2


def test_perfect_and_empty_predictions() -> None:
    gold = {"a": "the quick brown fox jumps over", "b": "lorem ipsum dolor sit amet"}
    assert score_extraction(gold, gold)["f1"] == 1.0
    empty = score_extraction(gold, {})
    assert empty["recall"] == 0.0 and empty["f1"] == 0.0


def test_partial_prediction() -> None:
    gold = {"a": "w1 w2 w3 w4 w5 w6"}  # 3 shingles
    scores = score_extraction(gold, {"a": "w1 w2 w3 w4 w5 x"})  # 3 shingles, 2 right
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)


WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "news", "Ümit", "42"]), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(WORDS, WORDS), min_size=1, max_size=5))
def test_agrees_with_shared_scorer(pairs: list[tuple[list[str], list[str]]]) -> None:
    reference = _shared_scorer()
    if reference is None:
        pytest.skip("shared/eval/score/score_extraction.py not found")
    gold = {f"d{i}": " ".join(g) for i, (g, _) in enumerate(pairs)}
    pred = {f"d{i}": " ".join(p) for i, (_, p) in enumerate(pairs)}
    ours = score_extraction(gold, pred)
    theirs = reference.evaluate(gold, pred, sorted(gold), n_bootstrap=2)
    for key in ("precision", "recall", "f1"):
        assert ours[key] == pytest.approx(theirs[key], abs=1e-12)


@needs_gold
def test_subset_f1_floor() -> None:
    assert GOLD is not None
    gold = load_gold(GOLD)
    ids = sorted(gold)[:SUBSET_SIZE]
    pred = extract_pages(GOLD, ids, load_urls(GOLD))
    scores = score_extraction({key: gold[key] for key in ids}, pred)
    assert scores["f1"] >= SUBSET_F1_FLOOR, scores


@needs_gold
def test_full_f1_floor() -> None:
    assert GOLD is not None
    gold = load_gold(GOLD)
    pred = extract_pages(GOLD, sorted(gold), load_urls(GOLD))
    scores = score_extraction(gold, pred)
    assert scores["f1"] >= FULL_F1_FLOOR, scores
