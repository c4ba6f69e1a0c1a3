"""Quote and attribution extraction: cues, speakers, content fragments and relay chains.

Design (and why): the reading stage may only add a little to spaCy's NER pass, so nothing here
needs a tagger or parser. A logistic model learned from PolNeAR train (``eval/train_quotes.py``)
marks cue words from lexical context; a second one picks the source among the spans next to the
cue; content follows the sentence layout around the cue (after it, before it, or split around
it) and quotation marks. Relays ("according to Xinhua", "as quoted by Yonhap") attached to
another attribution become that quote's ``chain`` instead of quotes of their own.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import ModelNotFoundError
from storyline.models import Quote, QuoteKind
from storyline.read.quote_content import content_fragments
from storyline.read.quote_features import (
    BRIDGE,
    TokenView,
    cue_features,
    relation_features,
    source_end_features,
    source_span_features,
    source_start_features,
)
from storyline.read.quote_relays import attach_relays, is_relay, relay_cue_tokens

__all__ = ["DEFAULT_MODEL_PATH", "QuoteExtractor", "cue_token_spans", "source_candidates"]

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "quote_model.json.gz"
MAX_SOURCE_LEN = 14
MAX_LEFT_REACH = 15  # how far before a cue a source may end (relative clauses: "X, who ..., said")
CUE_THRESHOLD = 0.5
RECALL_CUE_THRESHOLD = 0.3
REL_THRESHOLD = 0.25
SOURCE_THRESHOLD = 0.3
_BLOCKING = {".", "!", "?", ";", "“", "”", '"', "‘", "—", "–", ":"}


@dataclass
class Relation:
    """An attribution found in one article, in token offsets, before it becomes a Quote."""

    cue: tuple[int, int]
    source: tuple[int, int] | None = None
    content: list[tuple[int, int]] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    relay_of: int | None = None  # index of the relation this one relays, if any
    cue_p: float = 1.0
    src_p: float = 0.0


def cue_token_spans(tokens: Iterable[int]) -> list[tuple[int, int]]:
    """Group sorted token indices into runs of consecutive tokens, as [start, end) pairs."""
    spans: list[tuple[int, int]] = []
    for i in sorted(tokens):
        if spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def _blocked(v: TokenView, i: int) -> bool:
    """Whether token i can never be part of a source span."""
    return v.words[i] in _BLOCKING or v.quote_open[i] or v.quote_close[i] or v.newline[i]


def source_candidates(v: TokenView, c0: int, c1: int) -> list[tuple[int, int, list[str]]]:
    """Spans that could be the source of cue [c0, c1), each with its features."""
    sa, sb = v.sents[v.sent_of[c0]]
    ends: list[int] = []
    e = c0
    # the source ends right before the cue or before words that bridge subject and verb
    while e > sa:
        ends.append(e)
        if v.lower[e - 1] not in BRIDGE:
            break
        e -= 1
    for j in range(max(sa, c0 - MAX_LEFT_REACH), c0):
        if v.words[j] == "," and j not in ends:
            ends.append(j)  # "Trump, who spoke Monday, said": the subject ends before a comma
    out: list[tuple[int, int, list[str]]] = []
    for e in ends:
        for s in range(e - 1, max(sa, e - MAX_SOURCE_LEN) - 1, -1):
            if _blocked(v, s):
                break
            feats = source_start_features(v, s) + source_end_features(v, e)
            out.append((s, e, feats + source_span_features(v, s, e, c0, c1)))
    starts = [c1]
    if c1 < sb and v.lower[c1] in {"by", "to", ","}:
        starts.append(c1 + 1)
    for s in starts:
        for e in range(s + 1, min(sb, s + MAX_SOURCE_LEN) + 1):
            if s >= sb or _blocked(v, e - 1):
                break
            feats = source_start_features(v, s) + source_end_features(v, e)
            out.append((s, e, feats + source_span_features(v, s, e, c0, c1)))
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 30.0), -30.0)))


class QuoteModel:
    """The learned weights: cue vocabulary and two logistic scorers."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.cue_vocab: frozenset[str] = frozenset(data["cue_vocab"])
        self.cue_w: dict[str, float] = data["cue_w"]
        self.cue_b: float = data["cue_b"]
        self.src_w: dict[str, float] = data["src_w"]
        self.src_b: float = data["src_b"]
        self.rel_w: dict[str, float] | None = data.get("rel_w")
        self.rel_b: float = data.get("rel_b", 0.0)

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL_PATH) -> QuoteModel:
        """Load a model file written by eval/train_quotes.py."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                return cls(json.load(handle))
        except FileNotFoundError as exc:
            raise ModelNotFoundError(
                f"quote model {path} is missing; rebuild it with: python -m eval.train_quotes"
            ) from exc

    def cue_prob(self, feats: list[str]) -> float:
        """Probability that a token is part of a cue."""
        w = self.cue_w
        return _sigmoid(self.cue_b + sum(w.get(f, 0.0) for f in feats))

    def rel_prob(self, feats: list[str]) -> float:
        """Probability that a candidate attribution is right (1.0 without a relation model)."""
        if self.rel_w is None:
            return 1.0
        w = self.rel_w
        return _sigmoid(self.rel_b + sum(w.get(f, 0.0) for f in feats))

    def src_score(self, feats: list[str]) -> float:
        """Probability that a candidate span is the source."""
        w = self.src_w
        return _sigmoid(self.src_b + sum(w.get(f, 0.0) for f in feats))


class QuoteExtractor:
    """Find quotes and attributions in article text with a loaded spaCy pipeline."""

    def __init__(
        self, nlp: Any, model: QuoteModel | Path | str | None = DEFAULT_MODEL_PATH
    ) -> None:
        """Keep the pipeline; ``model`` is a QuoteModel, a model path, or None (no extraction)."""
        self.nlp = nlp
        if isinstance(model, str | Path):
            model = QuoteModel.load(Path(model))
        self.model = model
        self._sentencizer: Any = None
        # with a relation filter, more cue candidates are let through to it
        self.cue_threshold = (
            CUE_THRESHOLD if model is None or model.rel_w is None else RECALL_CUE_THRESHOLD
        )
        self.rel_threshold = REL_THRESHOLD

    # -- reading --------------------------------------------------------------------------------
    def _ner_only(self) -> list[str]:
        """Components to switch off so only NER (with its own embedding layer) runs."""
        return [name for name in self.nlp.pipe_names if name != "ner"]

    def _sentences(self, doc: Any) -> Any:
        """Give a Doc sentence boundaries with a rule sentencizer when it has none."""
        if doc.has_annotation("SENT_START"):
            return doc
        if self._sentencizer is None:
            from spacy.pipeline import Sentencizer

            self._sentencizer = Sentencizer()
        return self._sentencizer(doc)

    def read_pipe(self, texts: Iterable[str], n_process: int = 1) -> Iterator[Any]:
        """Run the NER-only pipeline (plus rule sentences) over texts."""
        for doc in self.nlp.pipe(
            texts, disable=self._ner_only(), n_process=n_process, batch_size=32
        ):
            yield self._sentences(doc)

    # -- extraction -----------------------------------------------------------------------------
    def extract(self, text: str, article_id: str, doc: Any = None) -> list[Quote]:
        """Quotes of one article; ``doc`` may be a Doc of ``text`` from the NER-only pipeline."""
        doc = next(self.read_pipe([text])) if doc is None else self._sentences(doc)
        return self.extract_doc(doc, article_id)

    def extract_many(
        self, items: Iterable[tuple[str, str]], n_process: int = 1
    ) -> Iterator[list[Quote]]:
        """Quotes for each ``(text, article_id)`` pair, in order, batching through ``nlp.pipe``."""
        pairs = list(items)
        docs = self.read_pipe((t for t, _ in pairs), n_process=n_process)
        for (_, article_id), doc in zip(pairs, docs, strict=True):
            yield self.extract_doc(doc, article_id)

    def extract_doc(self, doc: Any, article_id: str) -> list[Quote]:
        """Quotes of one processed Doc."""
        if self.model is None or len(doc) == 0:
            return []
        view = TokenView.from_doc(doc)
        relations = self.find_relations(view)
        return [self._to_quote(view, r, article_id) for r in relations if r.relay_of is None]

    def find_relations(self, v: TokenView, filtered: bool = True) -> list[Relation]:
        """Cues, their sources and contents, relays attached (token offsets)."""
        assert self.model is not None
        model = self.model
        probs: dict[int, float] = {}
        for i, w in enumerate(v.lower):
            if w in model.cue_vocab:
                p = model.cue_prob(cue_features(v, i))
                if p >= self.cue_threshold:
                    probs[i] = p
        for i in relay_cue_tokens(v):
            probs[i] = 1.0  # relay phrases are fixed patterns; the chain depends on them
        relations: list[Relation] = []
        taken: set[int] = set()
        for c0, c1 in cue_token_spans(probs):
            if not any(ch.isalpha() for i in range(c0, c1) for ch in v.words[i]):
                continue
            best: tuple[float, int, int] | None = None
            for s, e, feats in source_candidates(v, c0, c1):
                p = model.src_score(feats)
                if best is None or p > best[0]:
                    best = (p, s, e)
            source = (best[1], best[2]) if best and best[0] >= SOURCE_THRESHOLD else None
            if source and any(i in taken for i in range(*source)):
                source = None
            relation = Relation((c0, c1), source, cue_p=max(probs[i] for i in range(c0, c1)))
            relation.src_p = best[0] if best and source else 0.0
            relations.append(relation)
            taken.update(range(c0, c1))
            if source:
                taken.update(range(*source))
        # only attributions with a source bound others' content: a stray cue must not cut it
        cores = [_core(r) for r in relations if r.source is not None]
        for r in relations:
            r.content = content_fragments(v, r.cue, r.source, cores, _core(r))
        # a relay may have no content of its own: it passes on the attribution beside it
        relations = [r for r in relations if r.content or (r.source and is_relay(v, r))]
        attach_relays(v, relations)
        if filtered and model.rel_w is not None:
            relations = [
                r
                for r in relations
                if r.relay_of is not None
                or (
                    r.content and model.rel_prob(self.relation_features(v, r)) >= self.rel_threshold
                )
            ]
        return [r for r in relations if r.content or r.relay_of is not None]
        return relations

    @staticmethod
    def relation_features(v: TokenView, r: Relation) -> list[str]:
        """Features of a candidate attribution for the relation filter."""
        return relation_features(v, r.cue, r.source, r.content, r.cue_p, r.src_p)

    def _to_quote(self, v: TokenView, r: Relation, article_id: str) -> Quote:
        """Turn token offsets into a Quote record with character offsets."""
        spans = [(v.starts[a], v.ends[b - 1]) for a, b in r.content]
        text = " … ".join(v.text[a:b] for a, b in spans)
        quoted = [
            v.in_quote[i] or v.quote_open[i] or v.quote_close[i]
            for a, b in r.content
            for i in range(a, b)
        ]
        kind: QuoteKind = "direct" if all(quoted) else ("mixed" if any(quoted) else "indirect")
        cue_span = (v.starts[r.cue[0]], v.ends[r.cue[1] - 1])
        speaker_span = (v.starts[r.source[0]], v.ends[r.source[1] - 1]) if r.source else None
        key = json.dumps([article_id, spans]).encode()
        return Quote(
            id=hashlib.sha1(key).hexdigest()[:16],
            article_id=article_id,
            text=text,
            kind=kind,
            spans=spans,
            speaker_text=v.text[speaker_span[0] : speaker_span[1]] if speaker_span else None,
            speaker_span=speaker_span,
            cue=v.text[cue_span[0] : cue_span[1]],
            cue_span=cue_span,
            chain=list(r.chain),
        )


def _core(r: Relation) -> tuple[int, int]:
    """Token range covering a relation's cue and source."""
    if r.source is None:
        return r.cue
    return min(r.cue[0], r.source[0]), max(r.cue[1], r.source[1])
