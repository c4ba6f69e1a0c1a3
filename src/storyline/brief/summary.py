"""The extractive summary: informative sentences of the originals, chosen against redundancy (MMR)."""

from __future__ import annotations

import re

import numpy as np

from storyline.brief.corpus import StoryCorpus, StorySentence
from storyline.brief.text import capitalised_names, is_informative, numbers
from storyline.models import BriefSentence, Citation

__all__ = ["SUPPORT_SIMILARITY", "score_sentences", "select_summary"]

# Two sentences from different sources this similar (TF-IDF cosine) state the same thing.
SUPPORT_SIMILARITY = 0.45
_SOURCE_DECAY = 0.8
_WEIGHTS = {"centrality": 0.35, "entities": 0.2, "dates": 0.1, "earliness": 0.35}
# Sentences that open on a pronoun or a connective lean on what came before them.
_DEPENDENT_OPENER = re.compile(
    r"^[\"“‘']?(he|she|it|they|this|that|these|those|but|and|however|also|his|her|their)\b",
    re.IGNORECASE,
)


def score_sentences(corpus: StoryCorpus) -> dict[int, float]:
    """Score each informative original sentence (by position in ``corpus.sentences``) in [0, 1]."""
    rows = corpus.sentences
    owner = np.array([r.article_id for r in rows], dtype=object)
    features: dict[int, dict[str, float]] = {}
    masks: dict[str, np.ndarray] = {}
    for i, row in enumerate(rows):
        if not is_informative(row.sentence):
            continue
        line = corpus.matrix[row.k]
        mean = (line.sum() - line[row.k]) / (len(rows) - 1) if len(rows) > 1 else 0.0
        if row.article_id not in masks:
            masks[row.article_id] = owner != row.article_id
        cross_mask = masks[row.article_id]
        cross = float(line[cross_mask].max()) if cross_mask.any() else 0.0
        words = max(len(row.text.split()), 1)
        entities = len(row.entity_ids) or len(capitalised_names(row.text))
        features[i] = {
            "centrality": float(mean) + cross,
            "entities": min(entities / words * 5, 1.0),
            "dates": min(len(row.dates), 2) / 2,
            "earliness": 1.0 - row.position,
        }
    for name in ("centrality", "entities"):
        top = max((f[name] for f in features.values()), default=0.0) or 1.0
        for f in features.values():
            f[name] /= top
    scores = {}
    for i, f in features.items():
        score = sum(_WEIGHTS[k] * f[k] for k in _WEIGHTS)
        text = rows[i].text
        if _DEPENDENT_OPENER.match(text):
            score *= 0.85
        if text[:1] in "\"“‘'":
            score *= 0.8  # a quotation belongs in the quotes section more than in the summary
        scores[i] = score
    return scores


def select_summary(
    corpus: StoryCorpus, max_sentences: int = 5, redundancy_weight: float = 0.3
) -> list[BriefSentence]:
    """Pick up to ``max_sentences`` sentences by maximal marginal relevance and cite their sources."""
    scores = score_sentences(corpus)
    rows = corpus.sentences
    chosen: list[int] = []
    pool = set(scores)
    while pool and len(chosen) < max_sentences:

        def mmr(i: int) -> float:
            redundancy = max((corpus.similarity(rows[i], rows[j]) for j in chosen), default=0.0)
            # each sentence already taken from the same source lowers the next: many voices
            taken = sum(rows[j].article_id == rows[i].article_id for j in chosen)
            relevance = scores[i] * _SOURCE_DECAY**taken
            return (1 - redundancy_weight) * relevance - redundancy_weight * redundancy

        best = max(sorted(pool), key=mmr)
        pool.discard(best)
        if any(corpus.similarity(rows[best], rows[j]) >= 0.6 for j in chosen):
            continue  # says again what a chosen sentence says
        chosen.append(best)
    order = {a.id: n for n, a in enumerate(corpus.originals)}
    lead, rest = (
        chosen[:1],
        sorted(chosen[1:], key=lambda i: (order[rows[i].article_id], rows[i].sentence.index)),
    )
    return [BriefSentence(rows[i].text, supporting_citations(corpus, rows[i])) for i in lead + rest]


def supporting_citations(corpus: StoryCorpus, row: StorySentence) -> list[Citation]:
    """Cite the sentence itself and, per other independent source, its closest restatement."""
    citations = [row.citation()]
    for article in corpus.originals:
        if article.id == row.article_id:
            continue
        best = max(
            corpus.by_article.get(article.id, []),
            key=lambda o: corpus.similarity(row, o),
            default=None,
        )
        if best is None or corpus.similarity(row, best) < SUPPORT_SIMILARITY:
            continue
        if not numbers(row.text) <= numbers(best.text):
            continue  # a restatement with other numbers is a difference, not support
        citations.append(best.citation())
    return citations
