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
# Sentences that open on a pronoun lean on what came before them for who or what they are about.
# (A sentence opening on "But" or "However" only marks a turn: "But Pyongyang threatened to pull
# out on Tuesday" stands on its own, and turns are often the news.)
_DEPENDENT_OPENER = re.compile(
    r"^[\"“‘']?(he|she|it|they|this|that|these|those|also|his|her|their)\b",
    re.IGNORECASE,
)
# A day-level TIMEX value (known or unknown year, or a weekday): the sentence dates a happening.
_DAY_VALUE = re.compile(r"^(\d{4}|XXXX)-(\d{2}-\d{2}|W(\d{2}|XX)-\d)")


def _quote_tail(text: str) -> bool:
    """Whether a sentence is the tail of a quotation the sentence splitter cut in two.

    ('I feel happy about it," Xi said'): a curly closing mark before any opening one, or an odd
    number of straight marks with words before the first. Such a piece is no sentence a reader
    can take alone.
    """
    curly = re.search(r"[“”]", text)
    if curly and curly.group() == "”":
        return True
    straight = text.count('"')
    return straight % 2 == 1 and not text.lstrip().startswith('"')


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
        dated = any(d.type == "DATE" and _DAY_VALUE.match(d.value) for d in row.dates)
        features[i] = {
            "centrality": float(mean) + cross,
            "entities": min(entities / words * 5, 1.0),
            "dates": 1.0 if dated else (0.5 if row.dates else 0.0),
            "earliness": 1.0 - row.position,
        }
    for name in ("centrality", "entities"):
        top = max((f[name] for f in features.values()), default=0.0) or 1.0
        for f in features.values():
            f[name] /= top
    quoted = _quoted_share(corpus)
    ledes = _ledes(corpus, features)
    scores = {}
    for i, f in features.items():
        text = rows[i].text
        if _quote_tail(text):
            continue
        score = sum(_WEIGHTS[k] * f[k] for k in _WEIGHTS)
        if _DEPENDENT_OPENER.match(text):
            score *= 0.85
        # What someone said belongs in the quotes section more than here; but a report's lede
        # that attributes what it reports ("Xi met Kim ..., state media reported") is still the
        # report's own summary of the news, so only a lede that opens on a quotation pays.
        if text[:1] in "\"“‘'" or (quoted.get(i, 0.0) >= 0.5 and i not in ledes):
            score *= 0.8
        scores[i] = score
    return scores


def _ledes(corpus: StoryCorpus, features: dict[int, dict[str, float]]) -> set[int]:
    """The first informative sentence of each report (by position in ``corpus.sentences``)."""
    first: dict[str, int] = {}
    for i in sorted(features):
        row = corpus.sentences[i]
        known = first.get(row.article_id)
        if known is None or row.sentence.index < corpus.sentences[known].sentence.index:
            first[row.article_id] = i
    return set(first.values())


def _quoted_share(corpus: StoryCorpus) -> dict[int, float]:
    """The share of each sentence's characters that quote content covers (reported speech)."""
    by_article: dict[str, list[tuple[int, int]]] = {}
    for quote in corpus.bundle.quotes:
        by_article.setdefault(quote.article_id, []).extend(quote.spans)
    # One map of quoted characters per article, not every quote against every sentence: a
    # report of thousands of quotes made that a few million comparisons.
    covered: dict[str, bytearray] = {}
    out: dict[int, float] = {}
    for i, row in enumerate(corpus.sentences):
        a, b = row.sentence.start, row.sentence.end
        if b <= a:
            continue
        marks = covered.get(row.article_id)
        if marks is None:
            spans = [(s, e) for s, e in by_article.get(row.article_id, []) if s < e]
            marks = covered[row.article_id] = bytearray(max((e for _, e in spans), default=0))
            for s, e in spans:
                marks[s:e] = b"\x01" * (e - s)
        out[i] = marks[a:b].count(1) / (b - a)
    return out


def _pick(
    corpus: StoryCorpus,
    scores: dict[int, float],
    chosen: list[int],
    pool: set[int],
    limit: int,
    redundancy_weight: float,
) -> None:
    """Add to ``chosen`` up to ``limit`` sentences of ``pool`` by maximal marginal relevance."""
    rows = corpus.sentences
    added = 0
    pool = set(pool) - set(chosen)
    while pool and added < limit:

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
        added += 1


def select_summary(
    corpus: StoryCorpus,
    max_sentences: int = 5,
    redundancy_weight: float = 0.3,
    events: list[set[str]] | None = None,
) -> list[BriefSentence]:
    """Pick up to ``max_sentences`` sentences by maximal marginal relevance and cite their sources.

    ``events`` (a storyline's events, as sets of article ids) gives each event its share of the
    summary, so a storyline's brief tells every happening in it rather than only its most
    reported one; the sentences are then grouped by event, the event of the best sentence first.
    """
    scores = score_sentences(corpus)
    rows = corpus.sentences
    chosen: list[int] = []
    groups = [g for g in (events or []) if any(rows[i].article_id in g for i in scores)]
    if len(groups) >= 2:
        share = max(1, max_sentences // len(groups))
        # events in order of their best sentence: the budget goes to the most central first
        groups.sort(key=lambda g: -max(scores[i] for i in scores if rows[i].article_id in g))
        for g in groups:
            room = min(share, max_sentences - len(chosen))
            _pick(
                corpus,
                scores,
                chosen,
                {i for i in scores if rows[i].article_id in g},
                room,
                redundancy_weight,
            )
    _pick(corpus, scores, chosen, set(scores), max_sentences - len(chosen), redundancy_weight)
    order = {a.id: n for n, a in enumerate(corpus.originals)}
    if len(corpus.originals) == 1 and len(groups) < 2 and chosen:
        return _one_report(corpus, scores, chosen)
    if len(groups) >= 2:
        # grouped by event (in the order above), in reading order within each
        def group_of(i: int) -> int:
            return next((n for n, g in enumerate(groups) if rows[i].article_id in g), len(groups))

        chosen.sort(key=lambda i: (group_of(i), order[rows[i].article_id], rows[i].sentence.index))
        return [BriefSentence(rows[i].text, supporting_citations(corpus, rows[i])) for i in chosen]
    lead, rest = (
        chosen[:1],
        sorted(chosen[1:], key=lambda i: (order[rows[i].article_id], rows[i].sentence.index)),
    )
    return [BriefSentence(rows[i].text, supporting_citations(corpus, rows[i])) for i in lead + rest]


def _one_report(
    corpus: StoryCorpus, scores: dict[int, float], chosen: list[int]
) -> list[BriefSentence]:
    """The summary of a story of one report: its lede first, then the rest in its own order.

    Its writer already put the news first; the sentence most like the others is often
    background that names everyone again ("Jerome married Jeanne Siegel in 1940" above "Jerome
    Siegel, 98, died on Friday").
    """
    rows = corpus.sentences
    lede = min(scores, key=lambda i: rows[i].sentence.index)
    if lede not in chosen:
        chosen = [lede, *chosen[:-1]]
    chosen = sorted(chosen, key=lambda i: rows[i].sentence.index)
    return [BriefSentence(rows[i].text, supporting_citations(corpus, rows[i])) for i in chosen]


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
