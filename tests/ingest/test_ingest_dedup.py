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
    MAX_COMPARED,
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


# --- bounded lookups among templated stories ----------------------------------------------------

_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _templated(count: int, copies_at: dict[int, int], seed: int = 3) -> list[str]:
    """Robot-written market stories, alike (Jaccard about 0.4) but no copies; at each position of
    ``copies_at`` a true copy (credit line added) of the story at the position it names."""
    rng = random.Random(seed)
    texts: list[str] = []
    for position in range(count):
        if position in copies_at:
            texts.append(
                texts[copies_at[position]] + " Reporting by Dana Whitfield; editing by Lee."
            )
            continue
        texts.append(
            f"Shares of Company{position} Corp {rng.choice(['rose', 'fell', 'slipped'])} "
            f"{rng.randrange(1, 20)}.{rng.randrange(10)} percent to close at "
            f"{rng.randrange(5, 400)}.{rng.randrange(100):02d} dollars on {rng.choice(_DAYS)} in "
            f"{rng.choice(['light', 'heavy', 'brisk'])} trading after the company reported "
            "quarterly results that came in above the average analyst estimate compiled by the "
            "data provider, the automated markets desk said."
        )
    return texts


class _CountingStorage(MemoryBandStorage):
    """Band storage that remembers how many signatures each lookup compared."""

    def __init__(self) -> None:
        super().__init__()
        self.compared: list[int] = []

    def get_signatures(self, article_ids: list[str]) -> dict[str, bytes]:
        self.compared.append(len(article_ids))
        return super().get_signatures(article_ids)


def test_templated_stories_are_compared_a_bounded_number_of_times_and_copies_still_found() -> None:
    copies_at = {300: 12, 420: 299, 555: 410, 599: 0}
    texts = _templated(600, copies_at)
    storage = _CountingStorage()
    index = DuplicateIndex(threshold=0.7, storage=storage)  # the default duplicate_threshold
    unbounded = DuplicateIndex(threshold=0.7, storage=storage, max_compared=10**9, max_bucket=10**9)
    links: dict[int, str] = {}
    widest = 0
    for position, text in enumerate(texts):
        signature = index.signature(text)
        hits = index.query(signature)
        if position in copies_at:  # what comparing every candidate finds, for the copies
            before = len(storage.compared)
            assert unbounded.query(signature)[:1] == hits[:1]
            widest = max(widest, storage.compared[before])
            del storage.compared[before:]
        if hits:
            links[position] = hits[0][0]
        else:
            index.add(str(position), signature)
    assert max(storage.compared) == MAX_COMPARED  # the limit was reached, never passed
    assert widest > 3 * MAX_COMPARED  # most stored stories share a band with each new one
    assert links == {p: str(origin) for p, origin in copies_at.items()}


def test_below_the_limits_every_candidate_is_compared() -> None:
    rng = random.Random(5)
    base = [" ".join(f"w{rng.randrange(3000)}" for _ in range(120)) for _ in range(40)]
    texts = base + [t.replace(t.split()[5], "changed", 1) for t in base]
    storage = _CountingStorage()
    bounded = DuplicateIndex(storage=storage, max_compared=64, max_bucket=256)
    unbounded = DuplicateIndex(storage=storage, max_compared=10**9, max_bucket=10**9)
    for i, text in enumerate(texts):
        assert bounded.query(text) == unbounded.query(text)
        bounded.add(str(i), bounded.signature(text))


def test_a_full_bucket_is_read_only_up_to_its_cap() -> None:
    storage = _CountingStorage()
    index = DuplicateIndex(storage=storage, max_compared=1000, max_bucket=5)
    text = "the same short line about the weather in town"
    for i in range(20):
        index.add(f"a{i:02d}", index.signature(text))
    hits = index.query(text)
    assert storage.compared == [5] and [h[0] for h in hits] == [f"a{i:02d}" for i in range(5)]


def test_ingest_links_templated_copies_to_their_originals(tmp_path: Path) -> None:
    from storyline.api import ingest
    from storyline.settings import Settings
    from storyline.store import Store

    copies_at = {150: 3, 260: 149, 299: 200}
    folder = tmp_path / "stories"
    folder.mkdir()
    for position, text in enumerate(_templated(300, copies_at)):
        (folder / f"{position:04d}.txt").write_text(text + "\n", encoding="utf-8")
    settings = Settings.resolve({"db": str(tmp_path / "s.db"), "workers": 1}, environ={})
    report = ingest([str(folder)], settings=settings)[0]
    assert report.counts["stored"] == 300
    with Store(tmp_path / "s.db") as store:
        rows = store.query(
            "SELECT a.source, b.source FROM articles a JOIN articles b ON a.duplicate_of = b.id"
        )
        links = {Path(str(r[0])).stem: Path(str(r[1])).stem for r in rows}
    assert links == {f"{p:04d}": f"{origin:04d}" for p, origin in copies_at.items()}


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
