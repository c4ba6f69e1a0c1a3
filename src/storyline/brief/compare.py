"""Across sources: what independent sources agree on and what one alone adds.

Where they differ is ``differences.py``, which reads pairs of sentences found here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from storyline.brief.corpus import StoryCorpus, StorySentence
from storyline.brief.dates import parse_date_value
from storyline.brief.text import is_informative

__all__ = ["candidate_rows", "find_agreements", "find_unique", "similar_pairs", "source_ref"]

AGREE_SIMILARITY = 0.5  # restatements of one fact across sources
UNIQUE_SIMILARITY = 0.25  # below this against every other source, a sentence is one source's own


def source_ref(corpus: StoryCorpus, row: StorySentence, **extra: Any) -> dict[str, Any]:
    """Describe one cited sentence: article, outlet, span and text."""
    article = corpus.articles[row.article_id]
    ref = {
        "article_id": row.article_id,
        "outlet": article.outlet or article.source,
        "start": row.sentence.start,
        "end": row.sentence.end,
        "text": row.text,
    }
    ref.update(extra)
    return ref


def candidate_rows(corpus: StoryCorpus) -> list[StorySentence]:
    """Sentences worth comparing: informative ones of the originals."""
    return [r for r in corpus.sentences if is_informative(r.sentence)]


def find_agreements(corpus: StoryCorpus, limit: int = 10) -> list[dict[str, Any]]:
    """Facts carried by at least two independent sources: restatements, or one entity-date slot."""
    rows = candidate_rows(corpus)
    parent = {r.k: r.k for r in rows}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in similar_pairs(corpus, rows, AGREE_SIMILARITY):
        if _shared_words(a, b) >= 3:  # cosine alone is fooled by short, number-heavy lines
            parent[root(b.k)] = root(a.k)
    clusters: dict[int, list[StorySentence]] = {}
    for r in rows:
        clusters.setdefault(root(r.k), []).append(r)
    out: list[dict[str, Any]] = []
    for members in clusters.values():
        if len({m.article_id for m in members}) < 2:
            continue
        lead = min(members, key=lambda m: (m.position, m.article_id))
        score = max(corpus.similarity(lead, m) for m in members if m is not lead)
        refs = [source_ref(corpus, m) for m in _one_per_article(members, lead, corpus)]
        out.append(
            {"basis": "overlap", "text": lead.text, "score": round(score, 3), "sources": refs}
        )
    covered = {(s["article_id"], s["start"]) for a in out for s in a["sources"]}
    out.extend(_slot_agreements(corpus, rows, covered))
    out.sort(key=lambda a: (-len(a["sources"]), -a.get("score", 0.0)))
    return out[:limit]


def similar_pairs(
    corpus: StoryCorpus, rows: list[StorySentence], threshold: float
) -> list[tuple[StorySentence, StorySentence]]:
    """Pairs of sentences from different articles at or above a similarity, found at once."""
    if not rows:
        return []
    ks = np.array([r.k for r in rows])
    sims = corpus.matrix[np.ix_(ks, ks)]
    owner = np.array([r.article_id for r in rows], dtype=object)
    mask = np.triu(sims >= threshold, k=1) & (owner[:, None] != owner[None, :])
    return [(rows[i], rows[j]) for i, j in zip(*np.nonzero(mask), strict=True)]


def _shared_words(a: StorySentence, b: StorySentence) -> int:
    """How many content words (not numbers) two sentences share."""
    return sum(1 for t in set(a.tokens) & set(b.tokens) if not t[:1].isdigit())


def _one_per_article(
    members: list[StorySentence], lead: StorySentence, corpus: StoryCorpus
) -> list[StorySentence]:
    """Keep, per article, the member closest to the lead (the lead itself for its own article)."""
    best: dict[str, StorySentence] = {lead.article_id: lead}
    for m in members:
        if m.article_id == lead.article_id:
            continue
        held = best.get(m.article_id)
        if held is None or corpus.similarity(lead, m) > corpus.similarity(lead, held):
            best[m.article_id] = m
    return list(best.values())


def _slot_agreements(
    corpus: StoryCorpus, rows: list[StorySentence], covered: set[tuple[str, int]]
) -> list[dict[str, Any]]:
    """Agreements on an (entity, exact date) slot that the wording alone did not reveal."""
    slots: dict[tuple[str, str], list[StorySentence]] = {}
    for r in rows:
        for mention in r.dates:
            value = parse_date_value(mention.value)
            if value is None or value.as_date() is None:
                continue  # only an exact day pins a slot
            for entity in r.entity_ids - r.places:
                slots.setdefault((entity, value.value), []).append(r)
    out: list[dict[str, Any]] = []
    seen: set[frozenset[int]] = set()
    for (entity, date_value), members in sorted(slots.items()):
        firsts = {m.article_id: m for m in reversed(members)}
        key = frozenset(m.k for m in firsts.values())
        if len(firsts) < 2 or key in seen:
            continue
        if all((m.article_id, m.sentence.start) in covered for m in firsts.values()):
            continue
        seen.add(key)
        name = corpus.names.get(entity, entity)
        refs = [source_ref(corpus, m) for m in firsts.values()]
        out.append(
            {
                "basis": "slot",
                "slot": {"entity": name, "date": date_value},
                "text": refs[0]["text"],
                "score": 0.0,
                "sources": refs,
            }
        )
    return out


def find_unique(
    corpus: StoryCorpus, scores: dict[int, float], per_source: int = 3
) -> list[dict[str, Any]]:
    """Each independent source's most informative sentences that no other source supports."""
    if len(corpus.originals) < 2:
        return []  # with one source, everything is 'unique' and saying so adds nothing
    out: list[dict[str, Any]] = []
    owner = np.array([r.article_id for r in corpus.sentences], dtype=object)
    for article in corpus.originals:
        own = []
        for row in corpus.by_article.get(article.id, []):
            if row.k not in scores:
                continue
            line = corpus.matrix[row.k]
            others = line[owner != row.article_id]
            if others.size == 0 or float(others.max()) < UNIQUE_SIMILARITY:
                own.append(row)
        own.sort(key=lambda r: -scores[r.k])
        out.extend(source_ref(corpus, r) for r in sorted(own[:per_source], key=lambda r: r.k))
    return out
