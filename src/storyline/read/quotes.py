"""Quote and attribution extraction: cues, speakers, content fragments and relay chains.

Design (and why): the reading stage may only add a little to spaCy's NER pass, so nothing here
needs a tagger or parser. A logistic model learned from PolNeAR train (``eval/train_quotes.py``)
marks cue words from lexical context; a second one ranks the spans next to the cue (and naming
no source) against each other and picks the source; content follows the sentence layout around
the cue (after it, before it, or split around it) and quotation marks, a third one picks the
clause boundary where content after a cue ends, and a fourth decides between a clause before the
cue and the words after it where neither layout nor quotation marks settle it. Speaker labels
("WALLACE: ...") and signed quotations ("“...” ― Name") come from fixed layout patterns
(quote_patterns.py). Relays ("according to Xinhua", "as quoted by Yonhap") attached to another
attribution become that quote's ``chain`` instead of quotes of their own.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path
from typing import Any

from storyline.datelines import dateline_length
from storyline.errors import ModelNotFoundError
from storyline.models import Quote, QuoteKind
from storyline.read.nlp import TEXT_KEY
from storyline.read.quote_content import COORDINATORS, content_fragments
from storyline.read.quote_features import (
    ADJECTIVE_ENDINGS,
    AUXILIARIES,
    BRIDGE,
    PRONOUNS,
    TokenView,
    cue_features,
    cue_stems,
    is_cue_candidate,
    no_source_features,
    relation_features,
    source_end_features,
    source_gap_features,
    source_shape_features,
    source_span_features,
    source_start_features,
)
from storyline.read.quote_nesting import resolve_layers
from storyline.read.quote_patterns import layout_attributions
from storyline.read.quote_relays import attach_relays, build_chains, is_relay, relay_cue_tokens

__all__ = [
    "DEFAULT_MODEL_PATH",
    "QuoteExtractor",
    "Relation",
    "bounding_cores",
    "candidate_spans",
    "cue_token_spans",
    "one_per_content",
    "relation_core",
    "source_candidates",
    "split_runs",
]

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "quote_model.json.gz"
MAX_SOURCE_LEN = 14  # "Senate Minority Leader Harry M. Reid (D-Nev.)" is 11 tokens
MAX_FAR_STARTS = 1  # clause starts after commas tried as far sources
MAX_APPOSITION = 30  # a source with its apposition or relative clause
MAX_FAR_LEN = 8  # far subjects are short noun phrases
MAX_LEFT_REACH = 15  # how far before a cue a source may end (relative clauses: "X, who ..., said")
CUE_THRESHOLD = 0.5
RECALL_CUE_THRESHOLD = 0.3
REL_THRESHOLD = 0.2  # chosen on a held-out fifth of train for relation and content F1
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
    fixed: bool = False  # found by a layout pattern: kept without the relation filter
    nested: bool = False  # the cue lies inside another attribution's content


def cue_token_spans(tokens: Iterable[int]) -> list[tuple[int, int]]:
    """Group sorted token indices into runs of consecutive tokens, as [start, end) pairs."""
    spans: list[tuple[int, int]] = []
    for i in sorted(tokens):
        if spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


_SPEECH_FORMS = frozenset({"said", "says", "told", "tells"})


def split_runs(v: TokenView, spans: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Start a cue run at its verb when a noun runs into it: in "the leader later in a phone
    call urged Trump" the cue is "urged", and "call" only names the occasion. Each run comes
    with whether it was cut so (the noun cut off is then no source either)."""
    out = []
    for c0, c1 in spans:
        cut = False
        for k in range(c0 + 1, c1):
            w, prev = v.lower[k], v.lower[k - 1]
            verb = w in _SPEECH_FORMS or (w.endswith("ed") and w.isalpha())
            if verb and prev.isalpha() and prev not in BRIDGE and not prev.endswith(("ly", "ed")):
                c0, cut = k, True
                break
        out.append((c0, c1, cut))
    return out


def _blocked(v: TokenView, i: int) -> bool:
    """Whether token i can never be part of a source span."""
    return v.words[i] in _BLOCKING or v.quote_open[i] or v.quote_close[i] or v.newline[i]


def _first_word(v: TokenView, i: int, limit: int) -> int:
    """Skip whitespace tokens and opening quotation marks from i."""
    while i < limit and (v.words[i].isspace() or v.quote_open[i]):
        i += 1
    return i


def _dateline_end(v: TokenView, sa: int, limit: int) -> int | None:
    """Where the text after a dateline opening the sentence starts ("WASHINGTON —",
    "PHILADELPHIA, July 25 (UPI) —"): the subject stands there, not at the sentence start."""
    sa = _first_word(v, sa, limit)
    if sa >= limit:
        return None
    start = v.starts[sa]
    length = dateline_length(v.text[start : v.ends[limit - 1]])
    if not length:
        return None
    return next((k for k in range(sa + 1, limit) if v.starts[k] >= start + length), None)


def _clear(v: TokenView, s: int, e: int) -> bool:
    """Whether no token of [s, e) rules out a source."""
    return not any(_blocked(v, i) for i in range(s, e))


def candidate_spans(v: TokenView, c0: int, c1: int) -> list[tuple[int, int]]:
    """Spans [s, e) that could be the source of cue [c0, c1), without repeats."""
    sa, sb = v.sents[v.sent_of[c0]]
    ends: list[int] = []
    e = c0
    # the source ends right before the cue or before words that bridge subject and verb
    while e > sa:
        ends.append(e)
        if v.lower[e - 1] not in BRIDGE and not v.words[e - 1].isspace():
            break
        e -= 1
    for j in range(max(sa, c0 - MAX_LEFT_REACH), c0):
        if v.words[j] == "," and j not in ends:
            ends.append(j)  # "Trump, who spoke Monday, said": the subject ends before a comma
    out: dict[tuple[int, int], None] = {}
    for e in ends:
        for s in range(e - 1, max(sa, e - MAX_SOURCE_LEN) - 1, -1):
            if _blocked(v, s):
                break
            out[s, e] = None
    # the subject of the clause may stand far before the cue ("Trump spoke ..., promising"):
    # spans that open the sentence or follow a comma, however far the cue is
    after_commas = [j + 1 for j in range(sa, c0 - 1) if v.words[j] == ","]
    dateline = _dateline_end(v, sa, c0)
    for s0 in [sa, *after_commas[-MAX_FAR_STARTS:], *([dateline] if dateline else [])]:
        s0 = _first_word(v, s0, c0)
        for e in range(s0 + 1, min(c0, s0 + MAX_FAR_LEN) + 1):
            if _blocked(v, e - 1) or (e - 1 > s0 and v.lower[e - 1] in AUXILIARIES):
                break
            out[s0, e] = None
    # a name with a long apposition ("Scott Pruitt, the attorney general of Oklahoma, said")
    first = _first_word(v, sa, c0)
    for e in ends:
        if first < e - MAX_SOURCE_LEN and e - first <= MAX_APPOSITION and _clear(v, first, e):
            out[first, e] = None
    starts = [c1]
    if c1 < sb and v.lower[c1] in {"by", "to", ","}:
        starts.append(c1 + 1)
    end = sb
    while end > c1 and (v.words[end - 1] in {".", "!", "?"} or v.words[end - 1].isspace()):
        end -= 1
    # "According to Xinhua, Kim told ...": a comma ends a source named by an opening cue
    opening = c0 <= sa + 1
    for s in starts:
        # "said Douglas Holtz-Eakin, an economist who ...": the rest of the sentence
        long_ok = s < end - MAX_SOURCE_LEN and end - s <= MAX_APPOSITION
        if long_ok and not opening and _clear(v, s, end):
            out[s, end] = None
    for s in starts:
        for e in range(s + 1, min(sb, s + MAX_SOURCE_LEN) + 1):
            if s >= sb or _blocked(v, e - 1) or (opening and v.words[e - 1] == ","):
                break
            out[s, e] = None
    for s, e in _opening_subject_spans(v, c0, c1, first, sb):
        out[s, e] = None
    # a span of punctuation names no one ("''" split off a closing "'''")
    return [(s, e) for s, e in out if any(v.words[i][:1].isalnum() for i in range(s, e))]


def _opening_subject_spans(
    v: TokenView, c0: int, c1: int, first: int, sb: int
) -> list[tuple[int, int]]:
    """Spans for the subject after the clause a participle cue opens, when the cue opens the
    sentence ("Noting that ..., Tester added", "By offering ..., Trump would"); ``first`` is the
    sentence's first word and ``sb`` its end."""
    opens = c0 == first or (c0 == first + 1 and v.lower[c0 - 1] in _OPENING_WORDS)
    if not opens or not v.lower[c1 - 1].endswith("ing"):
        return []
    k = next((j for j in range(c1, sb) if v.words[j] == ","), sb)
    s0 = k + 1
    while s0 < sb and (v.quote_close[s0] or v.words[s0].isspace()):
        s0 += 1
    spans = []
    for e in range(s0 + 1, min(sb, s0 + MAX_FAR_LEN) + 1):
        if _blocked(v, e - 1) or v.words[e - 1] == "," or v.lower[e - 1] in AUXILIARIES:
            break
        spans.append((s0, e))
    return spans


def source_candidates(v: TokenView, c0: int, c1: int) -> list[tuple[int, int, list[str]]]:
    """Spans that could be the source of cue [c0, c1), each with its features."""
    return [
        (
            s,
            e,
            source_start_features(v, s)
            + source_end_features(v, e)
            + source_span_features(v, s, e, c0, c1),
        )
        for s, e in candidate_spans(v, c0, c1)
    ]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 30.0), -30.0)))


class QuoteModel:
    """The learned weights: cue vocabulary and two logistic scorers."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.cue_vocab: frozenset[str] = frozenset(data["cue_vocab"])
        self.cue_stems = cue_stems(self.cue_vocab)
        self.cue_w: dict[str, float] = data["cue_w"]
        self.cue_b: float = data["cue_b"]
        self.src_w: dict[str, float] = data["src_w"]
        self.src_b: float = data["src_b"]
        # a ranker scores a cue's candidates against each other and against no source at all
        self.src_rank: bool = bool(data.get("src_rank", False))
        self.rel_w: dict[str, float] | None = data.get("rel_w")
        self.rel_b: float = data.get("rel_b", 0.0)
        self.end_w: dict[str, float] | None = data.get("end_w")
        self.end_b: float = data.get("end_b", 0.0)
        self.start_w: dict[str, float] | None = data.get("start_w")
        # content before or after the cue where the layout leaves both open
        self.side_w: dict[str, float] | None = data.get("side_w")
        self.side_b: float = data.get("side_b", 0.0)
        # content ends at the best-ranked boundary, not at the first scored positive
        self.end_rank: bool = bool(data.get("end_rank", False))

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
        return _sigmoid(self.cue_b + sum(map(w.get, feats, repeat(0.0, len(feats)))))

    def rel_prob(self, feats: list[str]) -> float:
        """Probability that a candidate attribution is right (1.0 without a relation model)."""
        if self.rel_w is None:
            return 1.0
        w = self.rel_w
        return _sigmoid(self.rel_b + sum(map(w.get, feats, repeat(0.0, len(feats)))))

    def end_score(self, feats: list[str]) -> float:
        """Log-odds that content ends at a boundary (it stops at the first positive one)."""
        w = self.end_w or {}
        return self.end_b + sum(map(w.get, feats, repeat(0.0, len(feats))))

    def start_score(self, feats: list[str]) -> float:
        """Log-odds rank score of a content start after a cue (the best one wins)."""
        return self.weight_sum(self.start_w or {}, feats)

    def side_score(self, feats: list[str]) -> float:
        """Log-odds that content lies before the cue rather than after it."""
        return self.side_b + self.weight_sum(self.side_w or {}, feats)

    @staticmethod
    def weight_sum(weights: dict[str, float], feats: list[str]) -> float:
        """Sum of the weights of the features present."""
        return sum(map(weights.get, feats, repeat(0.0, len(feats))))  # runs in C

    def src_score(self, feats: list[str]) -> float:
        """Probability that a candidate span is the source."""
        w = self.src_w
        return _sigmoid(self.src_b + sum(map(w.get, feats, repeat(0.0, len(feats)))))


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
        """Run the NER-only pipeline (plus rule sentences) over texts.

        spaCy refuses a text longer than ``nlp.max_length`` (one report in a run would stop it,
        and every later run at the same report), and its memory grows with the text: a text
        longer than ``READ_PIECE`` characters is read in pieces cut at line breaks, joined back
        into one Doc of exactly that text, so every offset holds.
        """
        from spacy.tokens import Doc

        held: list[Any] = []
        groups: list[int] = []
        for doc, (count, text, group) in self._pipe(_pieces(texts), n_process):
            held.append(doc)
            groups.append(group)
            if len(held) < count:
                continue
            if count == 1:
                whole = held[0]
            else:
                whole = Doc.from_docs(held, ensure_whitespace=False)
                # Joining marks each piece's first token as a sentence start, which would stand
                # for sentences found: unmark them so the text is cut into sentences as a whole.
                first = 0
                bounds: list[tuple[int, int]] = []
                for n, doc in enumerate(held):
                    if len(doc):
                        whole[first].is_sent_start = None
                    if n and groups[n] == groups[n - 1]:
                        bounds[-1] = (bounds[-1][0], first + len(doc))  # a long run's cut
                    else:
                        bounds.append((first, first + len(doc)))
                    first += len(doc)
                if len(bounds) > 1:
                    whole.user_data[PIECES_KEY] = bounds  # quotes are found piece by piece
            groups = []
            held = []
            whole.user_data[TEXT_KEY] = text  # the tokenizer keeps the text exactly
            yield self._sentences(whole)

    def _pipe(self, items: Iterator[tuple[str, Any]], n_process: int) -> Iterator[Any]:
        """``nlp.pipe`` over ``(text, context)`` pairs, batched by characters in one process.

        spaCy batches by count, and its working memory grows with the characters in a batch
        (about 3 KB each): 32 pieces of a long text in one batch peaked past 10 GB. In one
        process, each batch holds at most ``READ_PIECE`` characters (or one longer text).
        """
        disable = self._ner_only()
        if n_process != 1:
            yield from self.nlp.pipe(
                items, as_tuples=True, disable=disable, n_process=n_process, batch_size=32
            )
            return
        for group in _char_batches(items, READ_PIECE, 32):
            yield from self.nlp.pipe(group, as_tuples=True, disable=disable, batch_size=len(group))

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
        pieces = doc.user_data.get(PIECES_KEY)
        if pieces:
            # A text read in pieces (see read_pipe) is searched one piece at a time: finding
            # quotes compares the attributions of a text with one another, which for a text
            # of 20,000 sentences would take hours; pieces end at line breaks, which an
            # attribution seldom crosses.
            quotes: list[Quote] = []
            for first, end in pieces:
                if first == end:
                    continue
                part = self._sentences(doc[first:end].as_doc())
                part.user_data[TEXT_KEY] = part.text
                shift = doc[first].idx
                quotes.extend(_shifted(q, shift) for q in self.extract_doc(part, article_id))
            return quotes
        view = TokenView.from_doc(doc)
        relations = self.find_relations(view)
        # who said it through whom: quotes inside a quoted report, "the report added"
        nested = {id(relations[k]) for k in resolve_layers(view, relations)}
        quotes = []
        for r in relations:
            if r.relay_of is not None:
                continue
            quote = self._to_quote(view, r, article_id)
            quotes.append(replace(quote, kind="indirect") if id(r) in nested else quote)
        return quotes

    def find_relations(self, v: TokenView, filtered: bool = True) -> list[Relation]:
        """Cues, their sources and contents, relays attached (token offsets)."""
        relations = self.candidate_relations(v)
        if filtered:
            return self.filter_relations(v, relations)
        return [r for r in relations if r.content or r.relay_of is not None]

    def candidate_relations(self, v: TokenView) -> list[Relation]:
        """Every candidate attribution, before the relation filter."""
        assert self.model is not None
        model = self.model
        probs: dict[int, float] = {}
        vocab, stems = model.cue_vocab, model.cue_stems
        for i, w in enumerate(v.lower):
            if w in vocab or is_cue_candidate(w, vocab, stems):
                p = model.cue_prob(cue_features(v, i))
                if p >= self.cue_threshold:
                    probs[i] = p
        relay_tokens = relay_cue_tokens(v)
        for i in relay_tokens:
            probs[i] = 1.0  # relay phrases are fixed patterns; the chain depends on them
        relay_starts = set(relay_tokens)
        relations: list[Relation] = []
        taken: set[int] = set()
        marks = bytearray(len(v))  # taken, as flags: slices of it are checked per candidate
        start_w: dict[int, float] = {}
        end_w: dict[int, float] = {}
        shape_w: dict[tuple[int, int], float] = {}
        for c0, c1, cut in split_runs(v, cue_token_spans(probs)):
            if not any(ch.isalpha() for i in range(c0, c1) for ch in v.words[i]):
                continue
            best: tuple[float, int, int] | None = None
            gap_w: dict[int, float] = {}
            totals: list[float] = []
            for s, e in candidate_spans(v, c0, c1):
                if any(marks[s:e]) or (cut and e == c0):
                    # a source never takes in another attribution's cue, nor the noun cut off
                    # this one's ("a phone call urged")
                    continue
                # most feature groups are shared between spans and cues: their weights are cached
                if s not in start_w:
                    start_w[s] = model.weight_sum(model.src_w, source_start_features(v, s))
                if e not in end_w:
                    end_w[e] = model.weight_sum(model.src_w, source_end_features(v, e))
                side = "L" if e <= c0 else "R"
                edge = e if side == "L" else s
                if edge not in gap_w:
                    gap_w[edge] = model.weight_sum(
                        model.src_w, source_gap_features(v, edge, c0, c1)
                    )
                if (s, e) not in shape_w:
                    feats = source_shape_features(v, s, e, side)
                    shape_w[s, e] = model.weight_sum(model.src_w, feats)
                total = start_w[s] + end_w[e] + gap_w[edge] + shape_w[s, e]
                totals.append(total)
                if best is None or total > best[0]:
                    best = (total, s, e)
            if best is None:
                source = None
            elif model.src_rank:
                # softmax over the candidates and "no source"; the best wins if it beats none
                none = model.weight_sum(model.src_w, no_source_features(v, c0, c1))
                top = max(best[0], none)
                norm = math.exp(none - top) + sum(math.exp(t - top) for t in totals)
                source = (best[1], best[2]) if best[0] > none else None
                best = (math.exp(best[0] - top) / norm, best[1], best[2])
            else:
                best = (_sigmoid(model.src_b + best[0]), best[1], best[2])
                source = (best[1], best[2]) if best[0] >= SOURCE_THRESHOLD else None
            if (
                source
                and source[0] > v.sents[v.sent_of[c0]][0]
                and v.lower[source[0] - 1] in _ARTICLES
            ):
                source = (source[0] - 1, source[1])  # "The senator", not "senator"
            while source and source[1] - source[0] > 1 and source[1] <= c0:
                last = v.lower[source[1] - 1]
                if (last not in BRIDGE or last == "told") and not _adverb(v, source[1] - 1):
                    break
                # "The US is pressing", "Pyongyang abruptly threatened": no auxiliary or adverb
                source = (source[0], source[1] - 1)
            if source is None and c0 in relay_starts:
                source = _relay_source(v, c1)
            if source and any(i in taken for i in range(*source)):
                source = None
            relation = Relation((c0, c1), source, cue_p=max(probs[i] for i in range(c0, c1)))
            relation.src_p = best[0] if best and source else 0.0
            relations.append(relation)
            # several cues may share one source ("Trump attacked Clinton, saying ..."); a
            # source never takes in another attribution's cue
            taken.update(range(c0, c1))
            marks[c0:c1] = b"\x01" * (c1 - c0)
        _share_subjects(v, relations)
        cores = bounding_cores(v, relations)
        end_score = model.end_score if model.end_w is not None else None
        start_score = model.start_score if model.start_w is not None else None
        side_score = model.side_score if model.side_w is not None else None
        for r in relations:
            r.content = content_fragments(
                v,
                r.cue,
                r.source,
                cores,
                relation_core(v, r),
                end_score,
                model.end_rank,
                start_score,
                side_score,
            )
        for cue, source, content in layout_attributions(v):
            if not any(i in taken for i in (*range(*cue), *range(*source))):
                relations.append(Relation(cue, source, content, fixed=True))
        relations.sort(key=lambda r: r.cue)
        # a relay may have no content of its own: it passes on the attribution beside it
        relations = [r for r in relations if r.content or (r.source and is_relay(v, r))]
        attach_relays(v, relations)
        _mark_nested(relations)
        return relations

    def filter_relations(self, v: TokenView, relations: list[Relation]) -> list[Relation]:
        """Keep the candidate attributions the relation filter and the rules accept."""
        assert self.model is not None
        model = self.model
        if model.rel_w is not None:
            self._release_relays(v, relations)
            trust: dict[int, float] = {}
            for r in relations:
                if r.relay_of is not None:
                    continue
                if r.fixed or (r.content and r.chain) or _plain_report(v, r):
                    trust[id(r)] = 1.0  # a layout or a relay ("according to Xinhua") attests it
                elif r.content:
                    p = self.relation_prob(v, r)
                    if p >= self.rel_threshold:
                        trust[id(r)] = p
            kept = one_per_content(relations, trust)
            relations = [r for r in relations if r.relay_of is not None or id(r) in kept]
        relations = [r for r in relations if not _noun_subject(v, r)]
        for r in relations:
            if r.source and r.source[1] - r.source[0] == 1 and _verb_form(v, r.source[0]):
                r.source = None  # "..., fuelling speculation that": no speaker named
        return [r for r in relations if r.content or r.relay_of is not None]

    def _release_relays(self, v: TokenView, relations: list[Relation]) -> None:
        """A relay stands on its own when the attribution it would pass on is one the filter
        rejects ("The Justice Department has granted immunity ..., according to a senior
        official": "has" is no cue, and the official is the source, not a relay)."""
        released = False
        for k, r in enumerate(relations):
            if r.relay_of is not None or not r.chain or r.fixed or not r.content:
                continue
            if _plain_report(v, r) or self.relation_prob(v, r) >= self.rel_threshold:
                continue
            for x in relations:
                if x.relay_of == k:
                    x.relay_of = None
                    released = True
        if released:
            build_chains(v, relations)

    def relation_prob(self, v: TokenView, r: Relation) -> float:
        """Probability that a candidate attribution is right."""
        assert self.model is not None
        return self.model.rel_prob(self.relation_features(v, r))

    @staticmethod
    def relation_features(v: TokenView, r: Relation) -> list[str]:
        """Features of a candidate attribution for the relation filter."""
        return relation_features(v, r.cue, r.source, r.content, r.cue_p, r.src_p, r.nested)

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
        return Quote(
            id=_quote_id(article_id, spans),
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


_ARTICLES = frozenset({"the", "a", "an", "this", "these", "those"})
# words that may open a sentence before a participle whose subject follows ("By offering ...")
_OPENING_WORDS = frozenset(
    {"by", "since", "after", "before", "while", "when", "in", "despite", "without", "upon", "on"}
)
_PREPOSITIONS = frozenset({"between", "of", "with", "to", "for", "among", "on", "at", "in", "by"})


_REPORT_VERBS = frozenset({"said", "says"})


def _plain_report(v: TokenView, r: Relation) -> bool:
    """Whether ``r`` is news's plainest attribution, kept whatever the filter says: a sentence
    that opens with the content, then a comma and "X said" or "said X" closing it ("Talks will
    resume, a spokesman said."). The filter learned how often a candidate's spans match
    PolNeAR's, and a short clause before "said" often does not, though it is the quote."""
    c0, c1 = r.cue
    if c1 - c0 != 1 or v.lower[c0] not in _REPORT_VERBS or r.source is None or len(r.content) != 1:
        return False
    a, b = r.content[0]
    sa, sb = v.sents[v.sent_of[c0]]
    s0, s1 = r.source
    first = min(s0, c0)  # where the attribution starts
    return (
        a == _first_word(v, sa, b)
        and b < first
        and v.words[first - 1] == ","
        and all(not v.words[i][:1].isalnum() for i in range(b, first))
        and (s1 == c0 or s0 == c1)
        and all(not v.words[i][:1].isalnum() for i in range(max(c1, s1), sb))
    )


def _relay_source(v: TokenView, c1: int) -> tuple[int, int] | None:
    """The name after a relay phrase ("as quoted by X", "according to X"), up to a break."""
    s = c1 + 1 if c1 < len(v) and v.lower[c1] == "by" else c1
    sb = v.sents[v.sent_of[min(c1, len(v) - 1)]][1]
    e = s
    while e < min(sb, s + MAX_SOURCE_LEN) and not _blocked(v, e) and v.words[e] != ",":
        e += 1
    return (s, e) if e > s and any(v.words[i][:1].isalnum() for i in range(s, e)) else None


# nouns that end like adverbs and do end sources ("a Trump rally", "a close ally")
_LY_NOUNS = frozenset({"ally", "assembly", "family", "rally", "reply", "supply", "tally"})


def _adverb(v: TokenView, i: int) -> bool:
    """A lowercase -ly word that is no name and no common -ly noun: an adverb."""
    w = v.words[i]
    return w.islower() and w.endswith("ly") and w not in _LY_NOUNS and not v.ent[i]


def _verb_form(v: TokenView, i: int) -> bool:
    """A lowercase -ing word: a participle, never a speaker on its own."""
    w = v.words[i]
    return w.islower() and w.endswith("ing") and not v.ent[i]


def _noun_subject(v: TokenView, r: Relation) -> bool:
    """ "Historic talks between X and Y are ...": an adjective and a plural noun opening the
    sentence, read as source and cue, when what follows is a prepositional phrase."""
    if r.fixed or r.source is None or not r.content or r.source[1] - r.source[0] != 1:
        return False
    s = r.source[0]
    sa = v.sents[v.sent_of[s]][0]
    while sa < s and v.words[sa].isspace():
        sa += 1
    if (s != sa and not v.newline[s - 1]) or r.cue[0] != s + 1:
        return False
    if v.shapes[s] != "X" or v.lower[s] in PRONOUNS:
        return False
    if v.ent[s] and not v.lower[s].endswith(ADJECTIVE_ENDINGS):
        return False  # a name; NER also tags a capitalised adjective now and then
    prep_next = r.content[0][0] == r.cue[1] and v.lower[r.cue[1]] in _PREPOSITIONS
    return prep_next or any(v.lower[i] in _PREPOSITIONS for i in range(*r.cue))


def one_per_content(relations: list[Relation], trust: dict[int, float]) -> set[int]:
    """Ids of the kept relations (those in ``trust``), one per content: two cues that claim
    the very same words ("X suggested ..., X said") are one attribution, and the one the filter
    trusts more keeps them."""
    best: dict[tuple[tuple[int, int], ...], Relation] = {}
    for r in relations:
        if id(r) not in trust:
            continue
        key = tuple(r.content)
        other = best.get(key)
        if other is None or trust[id(r)] > trust[id(other)]:
            best[key] = r
    return {id(r) for r in best.values()}


def _mark_nested(relations: list[Relation]) -> None:
    """Flag relations whose cue lies inside another one's content: a cue word in reported
    speech is often part of what was said, not an attribution of its own."""
    spans = [(a, b, k) for k, r in enumerate(relations) if r.relay_of is None for a, b in r.content]
    for k, r in enumerate(relations):
        c0 = r.cue[0]
        r.nested = any(a <= c0 < b and j != k for a, b, j in spans)


def bounding_cores(v: TokenView, relations: list[Relation]) -> list[tuple[int, int]]:
    """Cue-and-source ranges that bound other attributions' content in their sentence.

    Only attributions with a source and a confident cue count: a weak cue let through for the
    relation filter ("… with Xi, and the Chinese leader later in a phone call …": "later")
    must not cut the content of the attribution before it. A cue coordinated with an earlier
    one under the same subject ("The mayor said X and added Y") bounds from its conjunction.
    """
    strong = [r for r in relations if r.source is not None and r.cue_p >= CUE_THRESHOLD]
    return [_coordinated(v, r, strong) or relation_core(v, r) for r in strong]


def _share_subjects(v: TokenView, relations: list[Relation]) -> None:
    """A source overlapping the source of an earlier cue in its sentence is that same subject
    ("Jennifer Palmieri acknowledged A but noted B": "noted" is hers, not "Clinton"'s), and a
    confident cue with no source of its own, joined by "and" or "but" to an earlier cue, shares
    that cue's subject ("Carson and Fiorina have characterized A and say B")."""
    for k, r in enumerate(relations):
        if r.source is None:
            if r.cue_p >= CUE_THRESHOLD:
                r.source = _coordinated_subject(v, r, relations[:k])
            continue
        s, e = r.source
        sent = v.sent_of[r.cue[0]]
        for o in relations[:k]:
            if o.source is None or o.source == r.source or v.sent_of[o.cue[0]] != sent:
                continue
            if o.source[0] < e and s < o.source[1] and o.source[1] <= r.cue[0]:
                r.source = o.source
                break


def _conjunction_before(v: TokenView, c0: int, floor: int) -> int | None:
    """The "and" or "but" right before a cue at c0 (adverbs between allowed), above ``floor``."""
    j = c0 - 1
    while j > floor and (v.lower[j] in _COORD_ADVERBS or _adverb(v, j)):
        j -= 1
    return j if j > floor and v.lower[j] in COORDINATORS else None


def _coordinated_subject(
    v: TokenView, r: Relation, earlier: list[Relation]
) -> tuple[int, int] | None:
    """The subject of the nearest earlier cue in the sentence that ``r`` is coordinated with."""
    sa = v.sents[v.sent_of[r.cue[0]]][0]
    j = _conjunction_before(v, r.cue[0], sa)
    if j is None:
        return None
    for o in reversed(earlier):
        if o.source is not None and o.cue[1] <= j and sa <= o.source[0] and o.source[1] <= o.cue[0]:
            return o.source
    return None


def _coordinated(v: TokenView, r: Relation, others: list[Relation]) -> tuple[int, int] | None:
    """The conjunction-and-cue range of a cue that shares the subject of an earlier cue in its
    sentence ("X said A and added B", "X accused Y of A but noted B"), else None."""
    assert r.source is not None
    c0 = r.cue[0]
    if r.source[1] > c0:
        return None
    j = _conjunction_before(v, c0, r.source[1])
    if j is None:
        return None
    if not any(r.source[1] <= o.cue[0] and o.cue[1] <= j for o in others if o is not r):
        return None
    return j, r.cue[1]


_COORD_ADVERBS = frozenset({"also", "then", "later", "still", "yet", "even", "again"})


def relation_core(v: TokenView, r: Relation) -> tuple[int, int]:
    """Token range covering a relation's cue and source; just the cue when the source stands
    after a clause that opens with the cue ("Noting that ..., Tester added": the words between
    are the content)."""
    if r.source is None:
        return r.cue
    if r.source[0] > r.cue[1] and "," in v.words[r.cue[1] : r.source[0]]:
        return r.cue
    return min(r.cue[0], r.source[0]), max(r.cue[1], r.source[1])


# Where a Doc read in pieces keeps their token ranges (see ``QuoteExtractor.read_pipe``).
PIECES_KEY = "storyline_pieces"


def _quote_id(article_id: str, spans: list[tuple[int, int]]) -> str:
    """A quote's stable id: its article and where its content lies."""
    return hashlib.sha1(json.dumps([article_id, spans]).encode()).hexdigest()[:16]


def _shifted(quote: Quote, shift: int) -> Quote:
    """A quote found in a piece of a text, with its offsets (and id) in the whole text."""

    def move(span: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if span is None else (span[0] + shift, span[1] + shift)

    spans = [(a + shift, b + shift) for a, b in quote.spans]
    return replace(
        quote,
        id=_quote_id(quote.article_id, spans),
        spans=spans,
        speaker_span=move(quote.speaker_span),
        cue_span=move(quote.cue_span),
    )


# Characters of a text read in one piece (see ``QuoteExtractor.read_pipe``): far past any news
# report (about 17,000 words), and a tenth of what spaCy takes at most.
READ_PIECE = 100_000


def text_pieces(text: str, size: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` characters that join back into it exactly,
    each ending at a line break where one is in reach, else after a space, else anywhere."""
    pieces = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start + size // 2, end)
        if cut < 0:
            cut = text.rfind(" ", start + size // 2, end)
        end = cut + 1 if cut >= 0 else end
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _char_batches(
    items: Iterable[tuple[str, Any]], max_chars: int, max_items: int
) -> Iterator[list[tuple[str, Any]]]:
    """Consecutive groups of ``items`` holding at most ``max_chars`` characters of text and
    ``max_items`` items each; an item longer than ``max_chars`` is a group of its own."""
    group: list[tuple[str, Any]] = []
    chars = 0
    for item in items:
        if group and (chars + len(item[0]) > max_chars or len(group) >= max_items):
            yield group
            group, chars = [], 0
        group.append(item)
        chars += len(item[0])
    if group:
        yield group


# spaCy's tokenizer peels punctuation off a word's ends one mark at a time, searching the rest
# each time: a run of 20,000 "=" or "(" with no space took 35 to 80 s. No word of the eval
# texts is longer than 114 characters; a longer run is read in cuts of this many characters.
MAX_RUN = 250
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def cut_long_runs(piece: str) -> list[str]:
    """``piece`` with every run of more than ``MAX_RUN`` non-space characters cut into runs of
    at most that many (the cuts join back into the piece)."""
    out: list[str] = []
    start = 0
    for match in _LONG_RUN.finditer(piece):
        for cut in range(match.start() + MAX_RUN, match.end(), MAX_RUN):
            out.append(piece[start:cut])
            start = cut
    out.append(piece[start:])
    return out


def _pieces(texts: Iterable[str]) -> Iterator[tuple[str, tuple[int, str, int]]]:
    """Each cut of each text to tokenize, with how many cuts its text has, the text itself,
    and which of its pieces (``text_pieces``; quotes are found piece by piece) it belongs to."""
    for text in texts:
        cuts = [
            (cut, n)
            for n, p in enumerate(text_pieces(text, READ_PIECE))
            for cut in cut_long_runs(p)
        ]
        for cut, n in cuts:
            yield cut, (len(cuts), text, n)
