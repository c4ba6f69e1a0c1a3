"""Near-duplicate detection: signatures, the banded index, and quality on realistic rewrites."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import pytest

from storyline.errors import UsageError
from storyline.ingest.dedup import (
    DuplicateIndex,
    MemoryBandStorage,
    choose_bands,
    estimate_containment,
    estimate_jaccard,
    shingles,
)


def _shared_dir() -> Path:
    """The shared folder: $STORYLINE_SHARED or <repo root>/../shared."""
    env = os.environ.get("STORYLINE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"


def _load_articles() -> list[str]:
    path = _shared_dir() / "eval" / "extraction" / "ground-truth.json"
    if not path.exists():
        pytest.skip(f"gold extraction set absent ({path}); needed for realistic rewrites")
    gold = json.loads(path.read_text(encoding="utf-8"))
    return [gold[key]["articleBody"] for key in sorted(gold)]


def _load_same_event_pairs(limit: int) -> list[tuple[str, str]]:
    """Different articles reporting the same event (ECB+ subtopics): the hard non-duplicates."""
    path = _shared_dir() / "eval" / "ecbplus" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"ECB+ dev set absent ({path}); needed for same-event non-duplicates")
    by_event: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_event.setdefault(record["subtopic"], []).append(record["text"])
    pairs = [p for texts in by_event.values() for p in itertools.combinations(texts, 2)]
    random.Random(7).shuffle(pairs)
    return pairs[:limit]


# --- realistic edits a syndicated wire story goes through -------------------------------------

_SYNONYMS = {
    "said": "told reporters",
    "says": "stated",
    "also": "additionally",
    "but": "however",
    "about": "around",
    "big": "large",
    "more": "further",
    "show": "indicate",
    "help": "assist",
    "people": "residents",
    "because": "since",
    "new": "fresh",
    "after": "following",
    "before": "ahead of",
    "many": "numerous",
    "very": "highly",
    "get": "obtain",
    "use": "employ",
    "make": "create",
    "however": "but",
}
_FOOTERS = [
    "This story was originally published by {o}. Copyright 2019 {o}. All rights reserved. "
    "This material may not be published, broadcast, rewritten or redistributed.",
    "Reporting by {a}; additional reporting by {b}; editing by {c}. Our standards: the Thomson "
    "Reuters Trust Principles.",
    "Sign up for our daily newsletter to get the latest headlines delivered to your inbox. "
    "Follow {o} on Twitter and Facebook for more updates.",
    "{a} contributed to this report. Read more stories like this at {o}.",
]
_NAMES = ["Jane Smith", "Ali Hassan", "Maria Lopez", "Chen Wei", "Tom Brown", "Priya Nair"]
_OUTLETS = ["the Associated Press", "Reuters", "The Local Ledger", "Daily Courier", "AFP"]


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n+", text) if p.strip()]


def _reword(paragraph: str, rng: random.Random) -> str:
    """An editor's rewrite of one paragraph: synonyms, a dropped clause word, sentences reordered."""
    sentences = re.split(r"(?<=[.!?])\s+", paragraph)
    if len(sentences) > 1:
        rng.shuffle(sentences)
    words = " ".join(sentences).split(" ")
    out = []
    for i, word in enumerate(words):
        core = word.strip(".,;:!?\"'").lower()
        if core in _SYNONYMS:
            out.append(word.lower().replace(core, _SYNONYMS[core]))
        elif i % 9 == 4 and len(core) > 3:
            continue  # trims a word here and there, as copy editors do
        else:
            out.append(word)
    return " ".join(out)


def _rewrite(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """A syndicated copy of ``text`` with one to three edits; returns it and the edits made."""
    paras = _paragraphs(text)
    ops = rng.sample(["reword", "footer", "headline", "cut_last"], k=rng.choice([1, 2, 2, 3]))
    if "reword" in ops:
        i = rng.randrange(1, len(paras)) if len(paras) > 1 else 0
        paras[i] = _reword(paras[i], rng)
    if "cut_last" in ops and len(paras) > 2:
        paras = paras[:-1]
    if "headline" in ops:
        words = paras[0].split()[:8]
        paras.insert(0, "Breaking: " + " ".join(reversed(words)).title())
    if "footer" in ops:
        footer = rng.choice(_FOOTERS).format(
            o=rng.choice(_OUTLETS), a=rng.choice(_NAMES), b=rng.choice(_NAMES), c=rng.choice(_NAMES)
        )
        paras.append(footer)
    return "\n\n".join(paras), ops


def _rewrite_pairs(articles: list[str], per_article: int = 2) -> list[tuple[str, str, list[str]]]:
    rng = random.Random(2024)
    pairs = []
    for text in articles:
        if len(text.split()) < 150 or len(_paragraphs(text)) < 3:
            continue  # too short to be a wire story with paragraphs to edit
        for _ in range(per_article):
            copy, ops = _rewrite(text, rng)
            pairs.append((text, copy, ops))
    return pairs


# --- unit tests ----------------------------------------------------------------------------------


def test_shingles_normalise_case_punctuation_and_width() -> None:
    assert shingles("The Cat, sat on the MAT!") == shingles("the cat sat on the mat")
    assert shingles("ｆｕｌｌ width words are here now") == shingles(
        "full width words are here now"
    )
    assert shingles("") == set()
    assert shingles("two words") == {b"two words"}


def test_choose_bands_uses_the_signature_and_favours_recall() -> None:
    bands, rows = choose_bands(0.8, 128)
    assert bands * rows <= 128
    # a pair a little under the threshold (the estimate is noisy) must almost surely share a band
    assert 1 - (1 - 0.72**rows) ** bands >= 0.95
    # unrelated texts (Jaccard 0.2) almost never do
    assert 1 - (1 - 0.2**rows) ** bands < 0.01


def test_signature_layout_and_identity() -> None:
    index = DuplicateIndex()
    sig = index.signature("one two three four five six seven")
    assert len(sig) == 6 + 4 * 128
    assert sig == index.signature("One two three, four five six seven.")
    assert estimate_jaccard(sig, sig) == 1.0
    with pytest.raises(UsageError):
        estimate_jaccard(b"junk", sig)


def test_query_finds_near_duplicate_and_ignores_other_text() -> None:
    base = " ".join(f"word{i}" for i in range(400))
    edited = base.replace("word100 word101", "changed text") + " footer added here"
    other = " ".join(f"token{i}" for i in range(400))
    index = DuplicateIndex(threshold=0.8)
    index.add("a", index.signature(base))
    index.add("b", index.signature(other))
    hits = index.query(edited)
    assert [h[0] for h in hits] == ["a"]
    assert hits[0][1] >= 0.8
    assert index.query(" ".join(f"fresh{i}" for i in range(300))) == []


def test_empty_text_matches_nothing() -> None:
    index = DuplicateIndex()
    index.add("empty", index.signature(""))
    assert index.query("") == []
    assert index.query("...  !!") == []


def test_storage_sees_band_keys_and_signatures() -> None:
    storage = MemoryBandStorage()
    index = DuplicateIndex(storage=storage)
    text = " ".join(f"w{i}" for i in range(50))
    index.add("x", index.signature(text))
    assert len(storage.bands) == index.bands
    assert all(ids == ["x"] for ids in storage.bands.values())
    assert storage.get_signatures(["x", "missing"]) == {"x": index.signature(text)}
    # a second index over the same storage (a reopened database) finds it
    assert DuplicateIndex(storage=storage).query(text)[0][0] == "x"


def test_signature_of_another_size_is_refused() -> None:
    small = DuplicateIndex(num_perm=64)
    with pytest.raises(UsageError):
        DuplicateIndex().add("a", small.signature("some words to hash here"))


def test_bad_threshold_is_refused() -> None:
    with pytest.raises(UsageError):
        DuplicateIndex(threshold=0.0)


# --- quality on realistic rewrites (gold articles, read at test time) -----------------------------


def test_containment_sees_a_shortened_copy() -> None:
    index = DuplicateIndex()
    long_text = " ".join(f"w{i}" for i in range(600))
    half = " ".join(f"w{i}" for i in range(300))
    full, short = index.signature(long_text), index.signature(half)
    assert estimate_jaccard(full, short) < 0.7
    assert estimate_containment(full, short) > 0.85


def test_rewrites_are_linked_and_same_event_articles_are_not() -> None:
    """Query the banded index: each rewrite must find its original, no same-event article its pair.

    Rewrites: 1-3 of reworded paragraph, added footer, new headline line, cut last paragraph, on
    gold extraction articles. Non-duplicates: different articles on the same ECB+ event.
    """
    articles = _load_articles()
    dup_pairs = _rewrite_pairs(articles)
    non_pairs = _load_same_event_pairs(limit=len(dup_pairs))
    index = DuplicateIndex(threshold=0.8)

    started = time.perf_counter()
    for i, (original, _copy, _ops) in enumerate(dup_pairs):
        index.add(f"orig{i}", index.signature(original))
    for j, (first, _second) in enumerate(non_pairs):
        index.add(f"ecb{j}", index.signature(first))
    per_sig_ms = (time.perf_counter() - started) * 1000 / (len(dup_pairs) + len(non_pairs))

    true_pos = false_pos = 0
    for i, (_original, copy, _ops) in enumerate(dup_pairs):
        hits = {hit for hit, _score in index.query(copy)}
        true_pos += f"orig{i}" in hits
        false_pos += len(hits - {f"orig{i}"} - {f"orig{k}" for k in _same_source(dup_pairs, i)})
    for j, (_first, second) in enumerate(non_pairs):
        false_pos += f"ecb{j}" in {hit for hit, _score in index.query(second)}
    recall = true_pos / len(dup_pairs)
    precision = true_pos / max(1, true_pos + false_pos)
    print(
        f"\ndedup: {len(dup_pairs)} rewrite pairs, {len(non_pairs)} same-event pairs, "
        f"precision {precision:.3f} recall {recall:.3f}, signature {per_sig_ms:.2f} ms/article"
    )
    assert len(dup_pairs) >= 150
    assert precision >= 0.98
    assert recall >= 0.85


def _same_source(pairs: list[tuple[str, str, list[str]]], i: int) -> list[int]:
    """Indexes of the other rewrites made from the same original (each original is indexed twice)."""
    return [k for k, pair in enumerate(pairs) if pair[0] == pairs[i][0] and k != i]
