"""The sentences of a story's articles, indexed once and shared by every part of the brief."""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from scipy import sparse

from storyline.brief.bundle import StoryBundle
from storyline.brief.text import Sentence, TfidfIndex, content_tokens, cosine, split_sentences
from storyline.models import Article, Citation, DateMention, EntityMention

__all__ = [
    "MAX_ARTICLE_SENTENCES",
    "MAX_SENTENCES",
    "StoryCorpus",
    "StorySentence",
    "reading_order",
]

T = TypeVar("T", EntityMention, DateMention)

# Every part of a brief compares sentences pairwise (one dense matrix of their cosines), so a
# story of thousands of reports would need gigabytes and minutes for each brief. A brief reads
# at most this many sentences of its story's independent reports, chosen by ``reading_order``
# (about 0.2 s and 40 MB for the matrix), and at most the first ``MAX_ARTICLE_SENTENCES`` of one
# report: the news is at the top, and a very long text (a book, a transcript) must not crowd out
# the other sources. Stories under both limits, nearly all of them, are read whole.
MAX_SENTENCES = 2000
MAX_ARTICLE_SENTENCES = 150


@dataclass
class StorySentence:
    """A sentence of an original article with what the brief needs to weigh it."""

    sentence: Sentence
    tokens: list[str]
    vector: dict[str, float] = field(default_factory=dict)
    entity_ids: set[str] = field(default_factory=set)  # canonical names, lower-cased
    places: set[str] = field(default_factory=set)
    # each place mention: its canonical name as written and where the article writes it
    place_mentions: list[tuple[str, int, int]] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    position: float = 0.0  # 0 for the first sentence of its article, towards 1 for the last
    k: int = 0  # row in the corpus similarity matrix

    @property
    def article_id(self) -> str:
        """The article the sentence comes from."""
        return self.sentence.article_id

    @property
    def text(self) -> str:
        """The sentence as written."""
        return self.sentence.text

    def citation(self) -> Citation:
        """Return the citation of this exact sentence."""
        return Citation(self.sentence.article_id, self.sentence.start, self.sentence.end)


class StoryCorpus:
    """Sentences of the independent (original) articles of a bundle, with TF-IDF vectors."""

    def __init__(
        self,
        bundle: StoryBundle,
        max_sentences: int = MAX_SENTENCES,
        per_article: int = MAX_ARTICLE_SENTENCES,
    ) -> None:
        """Split the originals into sentences and attach their mentions and dates; a story past
        ``max_sentences`` is read in ``reading_order`` until they are reached (``originals``
        holds the reports read, ``unread`` counts the others)."""
        self.bundle = bundle
        everything = bundle.originals()
        self.articles: dict[str, Article] = {a.id: a for a in bundle.articles}
        self.sentences: list[StorySentence] = []
        self.by_article: dict[str, list[StorySentence]] = {}
        # each lower-cased canonical name as a reader sees it ("nasa" -> "NASA")
        self.names: dict[str, str] = {}
        split: dict[str, list[Sentence]] = {}
        take: dict[str, int] = {}  # how many of each report's sentences are read
        room = max_sentences
        for article in reading_order(everything, [set(c.article_ids) for c in bundle.children]):
            if room <= 0:
                break
            split[article.id] = split_sentences(article.text or "", article.id)
            take[article.id] = min(len(split[article.id]), per_article, room)
            room -= take[article.id]
        # In the bundle's order, as when every report is read.
        self.originals: list[Article] = [a for a in everything if a.id in split]
        self.unread = len(everything) - len(self.originals)
        mentions = _group(bundle.mentions, set(split))
        dates = _group(bundle.dates, set(split))
        for article in self.originals:
            whole = split[article.id]
            rows = [StorySentence(s, content_tokens(s.text)) for s in whole[: take[article.id]]]
            n = max(len(whole) - 1, 1)  # where a sentence stands in the whole report
            for row in rows:
                row.position = row.sentence.index / n
            _attach(
                rows, mentions.get(article.id, []), dates.get(article.id, []), bundle, self.names
            )
            self.by_article[article.id] = rows
            self.sentences.extend(rows)
        self.index = TfidfIndex([s.tokens for s in self.sentences])
        for k, (row, vec) in enumerate(zip(self.sentences, self.index.vectors, strict=True)):
            row.vector = vec
            row.k = k
        self.matrix = _similarity_matrix(self.index.vectors)

    def similarity(self, a: StorySentence, b: StorySentence) -> float:
        """Cosine similarity of two sentences' TF-IDF vectors."""
        return float(self.matrix[a.k, b.k])

    def similarity_to(self, text_vector: dict[str, float], row: StorySentence) -> float:
        """Cosine similarity of an outside vector (built with ``self.index``) and a sentence."""
        return cosine(text_vector, row.vector)

    def others(self, row: StorySentence) -> list[StorySentence]:
        """Return the sentences of every other independent article."""
        return [s for s in self.sentences if s.article_id != row.article_id]

    def sentence_at(self, article_id: str, offset: int) -> StorySentence | None:
        """Return the sentence of an original article that contains character ``offset``."""
        rows = self.by_article.get(article_id, [])
        starts = [r.sentence.start for r in rows]
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < rows[i].sentence.end:
            return rows[i]
        return None


def reading_order(originals: list[Article], events: list[set[str]]) -> list[Article]:
    """The order a brief reads a story's reports in when it cannot read them all.

    A report of each event in turn (``events``: a storyline's events as sets of article ids; an
    event's brief has none and is one group), and within an event its first and last reports by
    publication, then the ones halfway between, and so on: wherever the reading stops, it has
    every event and each event's whole span of time, not the first days of the first event.
    """
    where: dict[str, int] = {}
    for n, ids in enumerate(events):
        for aid in ids:
            where.setdefault(aid, n)
    groups: list[list[Article]] = [[] for _ in range(len(events) + 1)]
    for article in originals:
        groups[where.get(article.id, len(events))].append(article)
    spread = []
    for group in groups:
        # Undated reports after the dated ones; equals keep the bundle's order (a stable sort).
        timed = sorted(group, key=lambda a: (a.published is None, a.published or ""))
        spread.append([timed[i] for i in _spread(len(timed))])
    return [s[k] for k in range(max(map(len, spread))) for s in spread if k < len(s)]


def _spread(n: int) -> list[int]:
    """Positions ``0 .. n-1``: both ends first, then the middles of the gaps, breadth first."""
    if n <= 0:
        return []
    order = [0] if n == 1 else [0, n - 1]
    gaps = deque([(0, n - 1)])
    while gaps:
        lo, hi = gaps.popleft()
        if hi - lo < 2:
            continue
        mid = (lo + hi) // 2
        order.append(mid)
        gaps.extend(((lo, mid), (mid, hi)))
    return order


def _similarity_matrix(vectors: list[dict[str, float]]) -> np.ndarray:
    """Return all pairwise cosines at once (sparse product) instead of n² Python loops."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for term, weight in vec.items():
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(weight)
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(vectors), max(len(vocab), 1)))
    return np.asarray((matrix @ matrix.T).todense())


def _group(items: list[T], keep: set[str]) -> dict[str, list[T]]:
    """Group mentions by article, keeping only the given articles."""
    out: dict[str, list[T]] = {}
    for item in items:
        if item.article_id in keep:
            out.setdefault(item.article_id, []).append(item)
    return out


def _attach(
    rows: list[StorySentence],
    mentions: list[EntityMention],
    dates: list[DateMention],
    bundle: StoryBundle,
    names: dict[str, str],
) -> None:
    """Attach entities (by canonical name) and date mentions to the sentences holding them;
    ``names`` gets each lower-cased name's written form."""
    starts = [r.sentence.start for r in rows]

    def row_for(start: int) -> StorySentence | None:
        i = bisect_right(starts, start) - 1
        return rows[i] if i >= 0 and start < rows[i].sentence.end else None

    for mention in mentions:
        row = row_for(mention.start)
        if row is None:
            continue
        # names, not ids: ids may be local to an article when entities are not linked yet
        entity = bundle.entities.get(mention.entity_id or "")
        written = entity.name if entity is not None else mention.text
        name = written.lower()
        names.setdefault(name, written)
        row.entity_ids.add(name)
        if mention.type in {"GPE", "LOC", "FAC"}:
            row.places.add(name)
            row.place_mentions.append((written, mention.start, mention.end))
    for date in dates:
        row = row_for(date.start)
        if row is not None:
            row.dates.append(date)
