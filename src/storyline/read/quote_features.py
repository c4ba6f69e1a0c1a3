"""Token views and features for quote extraction, shared by the extractor and its training script.

Everything here needs only what the NER-only pipeline gives (tokens, sentences, entities), so the
quote stage adds no tagger or parser pass to the reading stage.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from storyline.read.nlp import doc_text

__all__ = [
    "CLOSE_QUOTES",
    "OPEN_QUOTES",
    "TokenView",
    "content_end_features",
    "content_start_features",
    "cue_features",
    "cue_stems",
    "is_cue_candidate",
    "no_source_features",
    "source_end_features",
    "source_gap_features",
    "source_shape_features",
    "source_span_features",
    "source_start_features",
]

OPEN_QUOTES = frozenset({"“", "‘", "«"})
CLOSE_QUOTES = frozenset({"”", "’", "»"})
STRAIGHT_QUOTES = frozenset({'"', "''", "``"})
# Endings of English adjectives: a capitalised one opening a sentence ("Historic talks ...") is
# now and then tagged as a name by the small NER model.
ADJECTIVE_ENDINGS = ("ic", "ous", "al", "ive", "ful", "less", "able", "ible", "ary")
PRONOUNS = frozenset(
    {"he", "she", "they", "it", "i", "we", "you", "who", "which", "that", "this", "those", "these"}
)
DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "another",
        "some",
        "many",
        "several",
        "both",
        "one",
        "two",
        "three",
        "most",
        "few",
        "other",
        "his",
        "her",
        "their",
        "its",
    }
)
# Auxiliaries as the tokenizer splits them ("he doesn't": "does", "n't"): a subject ends before
# its verb, so these never stand inside one ("Trump was 340 miles away").
_AUXILIARY_WORDS = (
    "has had have was were is are be been will would did does do could may might should can must"
    " wo ca n't n’t"
)
AUXILIARIES = frozenset(_AUXILIARY_WORDS.split())
# Words that sit between a subject and its speech verb ("Trump also said", "she has said",
# "the North has long demanded"): auxiliaries, clitics and adverbs.
BRIDGE = AUXILIARIES | frozenset(
    {
        "also",
        "later",
        "then",
        "previously",
        "again",
        "recently",
        "repeatedly",
        "once",
        "further",
        "reportedly",
        "publicly",
        "never",
        "not",
        "even",
        "still",
        "often",
        "just",
        "already",
        "first",
        "privately",
        "explicitly",
        "simply",
        "long",
        "always",
        "consistently",
        "frequently",
        "openly",
        "now",
        "told",
        "'s",
        "’s",
        "'ll",
        "’ll",
        "'ve",
        "’ve",
        "'d",
        "’d",
        "'re",
        "’re",
        "being",
    }
)


def bucket(n: int) -> str:
    """Coarse size class of a distance or length."""
    return str(n) if n < 3 else "3-5" if n < 6 else "6-10" if n < 11 else "11+"


def cue_stems(vocab: frozenset[str] | set[str]) -> frozenset[str]:
    """Stems of a cue vocabulary: an unseen form of a known cue verb is a candidate too."""
    return frozenset(_stem(w) for w in vocab if len(w) > 4)


def is_cue_candidate(word: str, vocab: frozenset[str] | set[str], stems: frozenset[str]) -> bool:
    """Whether a lowercased word is scored by the cue tagger."""
    return word in vocab or (len(word) > 4 and word.isalpha() and _stem_cached(word) in stems)


@functools.lru_cache(maxsize=65536)
def _stem_cached(word: str) -> str:
    return _stem(word)


def _stem(word: str) -> str:
    """A crude lemma: common verb and noun endings cut off (said->sa, saying->say, says->say)."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _shape(text: str) -> str:
    """Coarse word shape: X for capitalised, x for lower, d for digits, p for punctuation."""
    if not text:
        return "_"
    if text[0].isupper():
        return "X"
    if text[0].isalpha():
        return "x"
    if text[0].isdigit():
        return "d"
    return "p"


@dataclass
class TokenView:
    """Plain per-token arrays of a Doc: words, quote state, sentences and entity types."""

    text: str
    words: list[str]
    lower: list[str]
    starts: list[int]
    ends: list[int]
    shapes: list[str]
    in_quote: list[bool]
    quote_open: list[bool]  # the token is a quotation mark that opens a quote
    quote_close: list[bool]  # the token is a quotation mark that closes a quote
    sent_of: list[int]
    sents: list[tuple[int, int]]
    ent: list[str]  # entity label or ""
    ent_start: list[bool]
    newline: list[bool]

    # Facts of a whole sentence that every cue candidate in it asks for, computed once.
    @functools.cached_property
    def sent_quoted(self) -> list[bool]:
        """Whether each sentence holds a quotation mark."""
        qo, qc = self.quote_open, self.quote_close
        return [any(qo[j] or qc[j] for j in range(a, b)) for a, b in self.sents]

    @functools.cached_property
    def plain_cues(self) -> list[list[int]]:
        """Positions of the plain speech verbs ("said", "told", ...) in each sentence."""
        lower = self.lower
        return [[j for j in range(a, b) if lower[j] in _PLAIN_CUES] for a, b in self.sents]

    # Running counts for the content-end features, which ask about every span between a cue
    # and each boundary after it: counting anew each time grew with the cube of a sentence's
    # length ("Kim said that Kim said that ...", 500 times, took 38 s).
    @functools.cached_property
    def finite_upto(self) -> list[int]:
        """``finite_upto[i]``: how many of the first ``i`` words are finite verbs."""
        return _running_count(w in FINITE for w in self.lower)

    @functools.cached_property
    def commas_upto(self) -> list[int]:
        """``commas_upto[i]``: how many of the first ``i`` words are commas."""
        return _running_count(w == "," for w in self.words)

    @functools.cached_property
    def opens_upto(self) -> list[int]:
        """``opens_upto[i]``: how many of the first ``i`` tokens open a quotation."""
        return _running_count(self.quote_open)

    def has_finite(self, a: int, b: int) -> bool:
        """Whether words ``a`` to ``b`` (exclusive) hold a finite verb."""
        return b > a and self.finite_upto[b] > self.finite_upto[a]

    @classmethod
    def from_doc(cls, doc: Any) -> TokenView:
        """Build the view from a spaCy Doc (sentences from any sentence boundary setter)."""
        from spacy.attrs import IDX, LENGTH

        # Offsets and lengths come as one array and words are sliced from the text: a Token
        # object per token (what iterating the Doc builds) costs more than the fields read.
        text = doc_text(doc)
        cols = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        starts = [c[0] for c in cols]
        ends = [c[0] + c[1] for c in cols]
        words = [text[a:b] for a, b in zip(starts, ends, strict=True)]
        n = len(words)
        lower = [w.lower() for w in words]
        newline = [("\n" in w) for w in words]
        for i in range(n - 1):
            # spaCy folds trailing whitespace into the token; a newline there ends a paragraph
            if "\n" in text[ends[i] : starts[i + 1]]:
                newline[i] = True
        in_quote = [False] * n
        q_open = [False] * n
        q_close = [False] * n
        inside = False
        for i, w in enumerate(words):
            if w in OPEN_QUOTES or (w in STRAIGHT_QUOTES and not inside):
                if w in STRAIGHT_QUOTES or w in OPEN_QUOTES:
                    inside, q_open[i] = True, True
            elif (w in CLOSE_QUOTES and (inside or w != "’")) or (w in STRAIGHT_QUOTES and inside):
                inside, q_close[i] = False, True
            else:
                in_quote[i] = inside
            if newline[i] and not q_open[i]:
                inside = False  # quotes do not run past a paragraph end without reopening
        sents = _sentences(doc, words, q_open, newline)
        sent_of = [0] * n
        for k, (a, b) in enumerate(sents):
            for i in range(a, b):
                sent_of[i] = k
        ent = [""] * n
        ent_start = [False] * n
        for e in doc.ents:
            ent_start[e.start] = True
            for i in range(e.start, e.end):
                ent[i] = e.label_
        return cls(
            text,
            words,
            lower,
            starts,
            ends,
            [_shape(w) for w in words],
            in_quote,
            q_open,
            q_close,
            sent_of,
            sents,
            ent,
            ent_start,
            newline,
        )

    def __len__(self) -> int:
        return len(self.words)

    def w(self, i: int) -> str:
        """Lowercased word at i, or a boundary marker outside the doc."""
        return self.lower[i] if 0 <= i < len(self.lower) else "<pad>"


def _running_count(flags: Any) -> list[int]:
    """Counts of true flags before each position: ``out[i]`` counts ``flags[:i]``."""
    out = [0]
    for flag in flags:
        out.append(out[-1] + bool(flag))
    return out


_STOPS = frozenset({".", "!", "?"})


def _sentences(
    doc: Any, words: list[str], q_open: list[bool], newline: list[bool]
) -> list[tuple[int, int]]:
    """Sentence token ranges; an opening quote that ends a sentence moves to the next one, and
    a paragraph end always ends a sentence (headings and lines ending in ":" have no period,
    and a rule sentencizer would run them into the next paragraph)."""
    n = len(words)
    if n == 0:
        return []
    if doc.has_annotation("SENT_START"):
        bounds = [s.start for s in doc.sents]
        breaks: set[int] = set()
        for i in range(1, n):
            if newline[i - 1] and not words[i].isspace():
                j = i
                while j > 1 and words[j - 1].isspace():
                    j -= 1  # the blank run leads the new sentence, as the sentencizer has it
                breaks.add(j)
        bounds = sorted(set(bounds) | breaks)
    else:
        # ``newline[i]``: a line break inside token i or in the space after it
        bounds = [0] + [i for i in range(1, n) if words[i - 1] in _STOPS or newline[i - 1]]
    fixed: list[int] = []
    for b in bounds:
        while 0 < b < n and q_open[b - 1]:
            b -= 1
        if _attribution_follows(words, newline, b):
            continue
        if not fixed or b > fixed[-1]:
            fixed.append(b)
    fixed.append(n)
    sents = [(fixed[k], fixed[k + 1]) for k in range(len(fixed) - 1) if fixed[k] < fixed[k + 1]]
    return [piece for a, b in sents for piece in _cut_run_on(words, a, b)]


# No sentence of PolNeAR or ECB+ runs past 223 tokens. A longer one is a list, a table or text
# without stops, and every cue in a sentence weighs the words around it: a run-on "sentence"
# of thousands of cues ("Kim said that Kim said that ...") took minutes. Such a run is cut.
MAX_SENTENCE_TOKENS = 300


def _cut_run_on(words: list[str], a: int, b: int) -> list[tuple[int, int]]:
    """``[a, b)`` as pieces of at most ``MAX_SENTENCE_TOKENS`` tokens, each cut after the last
    comma or semicolon in its second half where there is one."""
    pieces = []
    while b - a > MAX_SENTENCE_TOKENS:
        end = a + MAX_SENTENCE_TOKENS
        cut = next(
            (j + 1 for j in range(end - 1, a + MAX_SENTENCE_TOKENS // 2, -1) if words[j] in ",;"),
            end,
        )
        pieces.append((a, cut))
        a = cut
    pieces.append((a, b))
    return pieces


def _attribution_follows(words: list[str], newline: list[bool], b: int) -> bool:
    """Whether a sentence break at b falls after a quotation ending in "?" or "!" that the
    lowercase words after it attribute ('"How much worse could it get?" said Al Cardenas.'):
    one sentence, as a comma would have made it. The break may sit after the closing mark (a
    sentencizer) or before it (the plain rule)."""
    if not 2 <= b < len(words):
        return False
    if words[b - 1] in {"?", "!"} and _closes(words[b]):
        nxt = b + 1
    elif words[b - 2] in {"?", "!"} and _closes(words[b - 1]):
        nxt = b
    else:
        return False
    return nxt < len(words) and not newline[nxt - 1] and words[nxt][:1].islower()


def _closes(word: str) -> bool:
    return word in CLOSE_QUOTES or word in STRAIGHT_QUOTES


def cue_features(v: TokenView, i: int) -> list[str]:
    """Features of token i as a possible cue word."""
    w = v.lower[i]
    k = v.sent_of[i]
    sa, sb = v.sents[k]
    f = [
        "w=" + w,
        "p1=" + v.w(i - 1),
        "n1=" + v.w(i + 1),
        "p2=" + v.w(i - 2) + "|" + v.w(i - 1),
        "n2=" + v.w(i + 1) + "|" + v.w(i + 2),
        "wp=" + w + "|" + v.w(i - 1),
        "wn=" + w + "|" + v.w(i + 1),
        "sh=" + v.shapes[i],
        "suf=" + w[-2:],
        "q=" + str(v.in_quote[i]),
        "ent=" + v.ent[i],
        "pent=" + (v.ent[i - 1] if i > 0 else "<s>"),
        "nent=" + (v.ent[i + 1] if i + 1 < len(v) else "</s>"),
        "first=" + str(i == sa),
        "last=" + str(i >= sb - 2),
    ]
    if i - 1 >= sa and (v.quote_close[i - 1] or v.lower[i - 1] == ","):
        f.append("after_punct")
    if i + 1 < sb and (v.quote_open[i + 1] or v.lower[i + 1] in {":", "that"}):
        f.append("before_content")
    quoted = v.sent_quoted[k]
    f.append("sent_quoted=" + str(quoted))
    f.append("suf3=" + w[-3:])
    stem = _stem(w)
    f.append("stem=" + stem)  # said/says/saying share evidence
    f.append("stem_p=" + stem + "|" + v.w(i - 1))
    f.append("stem_n=" + stem + "|" + v.w(i + 1))
    f.append("p3=" + v.w(i - 3))
    f.append("n3=" + v.w(i + 3))
    f.append("pn=" + v.w(i - 1) + "|" + v.w(i + 1))
    for j in range(max(sa, i - 4), i):
        if v.lower[j] in PRONOUNS:
            f.append("pron_before=" + v.lower[j])
        if v.ent[j] in {"PERSON", "ORG", "NORP", "GPE"}:
            f.append("ent_before=" + v.ent[j])
    for j in range(i + 1, min(sb, i + 4)):
        if v.lower[j] in {"that", ":", "“", '"'} or v.quote_open[j]:
            f.append("content_next")
        if v.ent[j] in {"PERSON", "ORG"}:
            f.append("ent_after=" + v.ent[j])
    # a wider window: the words of the clause around, how near a quotation mark and a speaker
    # (the bags stop at a clause break: ", according to X" after a verb says nothing of it)
    j = i - 1
    while j >= max(sa, i - 6) and v.words[j] not in _CLAUSE_BREAKS:
        f.append("lb=" + v.lower[j])
        j -= 1
    j = i + 1
    while j < min(sb, i + 7) and v.words[j] not in _CLAUSE_BREAKS:
        f.append("rb=" + v.lower[j])
        j += 1
    near = [
        abs(j - i)
        for j in range(max(sa, i - 4), min(sb, i + 5))
        if v.quote_open[j] or v.quote_close[j]
    ]
    qd = min(near, default=9)
    speakers = [
        i - j
        for j in range(max(sa, i - 8), i)
        if v.ent[j] == "PERSON" or v.lower[j] in _SPEAKER_PRONOUNS
    ]
    pd = min(speakers, default=9)
    f += [f"qd={qd}", f"qd_w={qd}|{w}", f"pd={pd}", f"pd_w={pd}|{w}", f"w_inq={w}|{v.in_quote[i]}"]
    # evidence shared across the forms and kin of a word: the stem and the word's ending class
    # with what follows ("wants to", "support for", "decision to") and where it stands
    nxt = (
        "C"
        if i + 1 < sb and (v.quote_open[i + 1] or v.lower[i + 1] in _CONTENT_OPENERS)
        else v.w(i + 1)
    )
    cls = _suffix_class(w)
    f += [
        f"stem_nx={stem}|{nxt}",
        f"cls_nx={cls}|{nxt}",
        f"cls_p={cls}|{v.w(i - 1)}",
        f"cls_pd={cls}|{pd}|{qd}",
        f"stem_pd={stem}|{pd}",
        f"stem_sq={stem}|{quoted}|{v.in_quote[i]}",
        f"pos={bucket(i - sa)}|{bucket(sb - i)}",
    ]
    # a plain speech verb elsewhere in the sentence usually is the attribution there (a relay,
    # "according to", is not: it passes on the attribution beside it)
    said = next((j for j in v.plain_cues[k] if j != i), -1)
    where = "-" if said < 0 else "L" if said < i else "R"
    f += [f"said={where}", f"said_w={where}|{w}", f"said_cls={where}|{cls}|{v.in_quote[i]}"]
    return f


_SENT_END = frozenset({".", "!", "?", ";"})
_PLAIN_CUES = frozenset({"said", "says", "say", "told", "saying", "asked"})
_CONTENT_OPENERS = frozenset({"that", ":", "whether", "if", "how", "why", "what", "“", '"'})


def _aside_class(span: list[str]) -> str:
    """The kind of phrase the first comma of a span opens ("-" without one)."""
    if "," not in span:
        return "-"
    k = span.index(",") + 1
    if k >= len(span):
        return "end"
    w = span[k]
    low = w.lower()
    if low in {"a", "an", "the"}:
        return "det"
    if low in {"who", "whom", "whose", "which", "that"}:
        return "rel"
    if low.endswith("ing"):
        return "ing"
    if low in {"for", "in", "at", "on", "of", "with", "by", "from", "as", "after", "before"}:
        return "prep"
    if low.endswith("ly") or low in {"however", "though", "too", "also", "then"}:
        return "adv"
    return _shape(w)


def _suffix_class(w: str) -> str:
    """A coarse morphological class of a word: verb forms and noun endings."""
    for suffix in ("ing", "ed", "ion", "ment", "s", "ly", "al", "ive"):
        if w.endswith(suffix):
            return suffix
    return "-"


# Words that make a content span a clause rather than a noun phrase.
FINITE = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "has",
        "have",
        "had",
        "can",
        "could",
        "should",
        "must",
        "may",
        "might",
        "do",
        "does",
        "did",
        "not",
        "n't",
        "’s",
        "'s",
        "be",
        "been",
        "won't",
    }
)
_SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "--", "(", ")"})


def no_source_features(v: TokenView, c0: int, c1: int) -> list[str]:
    """Features of the choice "this cue names no source", ranked against its source spans."""
    cue = v.lower[c0]
    at_start = c0 == v.sents[v.sent_of[c0]][0]
    passive = is_passive(v, c0, c1)
    return [
        "src_none",
        "src_none|" + cue,
        f"src_none|first={at_start}",
        "src_none|p=" + v.w(c0 - 1),
        # "Trump was asked what ...": the subject of a passive cue is rarely who spoke
        f"src_none|pas={passive}",
        f"src_none|pas={passive}|{v.lower[c1 - 1]}",
    ]


_PARTICIPLES = frozenset(
    {"told", "said", "asked", "known", "seen", "thought", "given", "shown", "written", "held",
     "made", "taken", "quoted", "heard", "taught", "understood", "sworn"}
)  # fmt: skip
_BE = frozenset({"was", "were", "is", "are", "been", "be", "being", "'s", "’s"})
_PASSIVE_ADVERBS = frozenset({"also", "not", "never", "often", "widely", "long", "reportedly"})


def is_passive(v: TokenView, c0: int, c1: int) -> bool:
    """Whether the cue [c0, c1) ends in a passive participle ("was asked", "had been told")."""
    head = v.lower[c1 - 1]
    if not (head.endswith("ed") or head in _PARTICIPLES):
        return False
    j = c1 - 2
    while j >= max(0, c1 - 4) and (v.lower[j] in _PASSIVE_ADVERBS or v.lower[j].endswith("ly")):
        j -= 1
    return j >= 0 and v.lower[j] in _BE


def source_start_features(v: TokenView, s: int) -> list[str]:
    """Features of token s as the first token of a source span."""
    return [
        "s.w=" + v.w(s),
        "s.p=" + v.w(s - 1),
        "s.sh=" + v.shapes[s],
        "s.ent=" + v.ent[s] + str(v.ent_start[s]),
        "s.pent=" + (v.ent[s - 1] if s > 0 else "") + (v.shapes[s - 1] if s > 0 else ""),
        # "WASHINGTON —": a dateline in capitals is a place, not a speaker
        f"s.caps={len(v.words[s]) > 2 and v.words[s].isupper()}",
        # a span inside a quotation is what was said ("“We ...,” she said, adding"), and
        # rarely the one who said it
        f"s.inq={v.in_quote[s]}",
        f"s.inq_sh={v.in_quote[s]}|{v.shapes[s]}|{v.lower[s] in PRONOUNS}",
    ]


def source_end_features(v: TokenView, e: int) -> list[str]:
    """Features of token e-1 as the last token of a source span (e is exclusive)."""
    last = e - 1
    return [
        "e.w=" + v.w(last),
        "e.n=" + v.w(e),
        "e.sh=" + v.shapes[last],
        "e.ent=" + v.ent[last] + str(e < len(v) and v.ent[e] == v.ent[last] and not v.ent_start[e]),
    ]


def source_span_features(v: TokenView, s: int, e: int, c0: int, c1: int) -> list[str]:
    """Features of the whole candidate span [s, e) against the cue span [c0, c1)."""
    side = "L" if e <= c0 else "R"
    return source_gap_features(v, e if side == "L" else s, c0, c1) + source_shape_features(
        v, s, e, side
    )


def source_gap_features(v: TokenView, edge: int, c0: int, c1: int) -> list[str]:
    """Features of what lies between a source and its cue; ``edge`` is the source's end when it
    stands before the cue, its start when after (so they are shared by spans with that edge)."""
    side = "L" if edge <= c0 else "R"
    gap = c0 - edge if side == "L" else edge - c1
    cue = v.lower[c0]
    gap_b = bucket(gap)
    passive = is_passive(v, c0, c1)
    f = [
        f"pas={side}{passive}",
        f"pas_head={side}{passive}|{v.lower[c1 - 1]}",
        f"gapb={side}{gap_b}",
        f"cue_gap={side}{gap_b}|{cue}",
        f"cue_suf_gap={side}{gap_b}|{cue[-3:]}",
        f"gap={side}{min(gap, 6)}",
        "cue=" + side + cue,
    ]
    # what stands on the other side of the cue: a name or pronoun right before it makes a
    # source after it unlikely ("Trump thought he ..."), a name right after it inverts ("said X")
    other = c0 - 1 if side == "R" else c1
    if 0 <= other < len(v):
        kind = v.ent[other] or (v.lower[other] if v.lower[other] in PRONOUNS else v.shapes[other])
        f.append(f"other={side}|{kind}")
        f.append(f"other_cue={side}|{kind}|{cue}")
    if gap > 0:
        between = range(edge, c0) if side == "L" else range(c1, edge)
        f.append("gapw=" + side + "|".join(v.lower[j] for j in between)[:40])
        if gap > 2:
            # what stands between a far subject and its cue: a comma, an "and", a quotation
            f.append(f"gapc={side}{any(v.words[j] == ',' for j in between)}")
            f.append(f"gapand={side}{any(v.lower[j] in {'and', 'but'} for j in between)}")
            f.append(f"gapq={side}{any(v.quote_open[j] or v.quote_close[j] for j in between)}")
            f.append("gaplast=" + side + v.lower[between[-1]] + "|" + cue)
            # the subject after a participle clause opening the sentence ("Noting ..., X added")
            opens = c0 <= v.sents[v.sent_of[c0]][0] + 2
            f.append(f"gapopen={side}{opens}|{v.lower[c1 - 1][-3:]}")
    return f


def source_shape_features(v: TokenView, s: int, e: int, side: str) -> list[str]:
    """Features of the span [s, e) itself, on a given side of its cue (no cue needed)."""
    length = min(e - s, 14)
    span = v.words[s:e]  # list methods run in C: this is called for every candidate span
    # "said Mary Polak, the province's environment minister.": a source that runs to the end of
    # its sentence keeps its apposition
    sb = v.sents[v.sent_of[s]][1]
    k = e
    while k < sb and (v.words[k] in _SENT_END or v.words[k].isspace() or v.quote_close[k]):
        k += 1
    commas = min(span.count(","), 3)
    return [
        # what a comma inside the span opens: an apposition ("X, a senator,") stays with the
        # speaker more often than an aside ("X, speaking in Ohio," "X, for her part,")
        f"app={side}|{_aside_class(span)}",
        f"send={k >= sb}|{side}|{commas}",
        f"send_len={k >= sb}|{side}|{bucket(e - s)}",
        f"sstart={s == v.sents[v.sent_of[s]][0]}|{side}",
        f"commas={commas}",
        f"paren={'(' in span}",
        f"side={side}",
        f"len={length}",
        f"len_side={side}{length}",
    ]


def relation_features(
    v: TokenView,
    cue: tuple[int, int],
    source: tuple[int, int] | None,
    content: list[tuple[int, int]],
    cue_p: float,
    src_p: float,
    nested: bool = False,
) -> list[str]:
    """Features of a whole candidate attribution, to keep or drop it."""
    c0, c1 = cue
    cue_text = " ".join(v.lower[c0:c1])
    first, last = content[0][0], content[-1][1]
    if len(content) > 1:
        layout = "split"
    elif first >= c1:
        layout = "after"
    elif v.sent_of[last - 1] < v.sent_of[c0]:
        layout = "previous"
    else:
        layout = "before"
    n_tokens = sum(b - a for a, b in content)
    quoted = sum(1 for a, b in content for i in range(a, b) if v.in_quote[i])
    f = [
        "cue=" + cue_text,
        "cue1=" + v.lower[c0],
        "cuep=" + str(min(int(cue_p * 10), 9)),
        "layout=" + layout,
        "lay_cue=" + layout + "|" + v.lower[c0],
        "clen=" + str(min(n_tokens.bit_length(), 7)),
        "quoted="
        + ("all" if quoted >= n_tokens - 2 * len(content) else "some" if quoted else "no"),
        "ncue=" + str(c1 - c0),
        # what the content opens with tells a speech verb from a noun ("talks between ...")
        "cfirst=" + v.lower[first],
        "cfirst_cue=" + v.lower[first] + "|" + v.lower[c0],
        # a cue word inside a quotation or another attribution's content is often said, not
        # an attribution of its own
        f"inq={v.in_quote[c0]}",
        f"nested={nested}",
        f"nested_cue={nested}|{v.lower[c0]}",
        "cue_p1=" + v.lower[c0] + "|" + v.w(c0 - 1),
        "cue_n1=" + v.lower[c0] + "|" + v.w(c1),
        "lay_len=" + layout + "|" + str(min(n_tokens.bit_length(), 7)),
    ]
    # does the content read as a proposition (a finite verb) or a noun phrase ("support for X")
    words = [v.lower[i] for a, b in content for i in range(a, b)]
    prop = any(w in FINITE for w in words)
    cuep = str(min(int(cue_p * 10), 9))
    f += [
        f"cprop={prop}",
        f"cprop_cue={prop}|{v.lower[c0]}",
        f"cprop_lay={prop}|{layout}",
        "clast=" + v.lower[last - 1],
        "cprev=" + v.w(first - 1),
        "cuep_lay=" + cuep + "|" + layout,
        "cuep_src=" + cuep + "|" + ("-" if source is None else v.ent[source[1] - 1] or "x"),
        "cue_p2=" + v.w(c0 - 2) + "|" + v.w(c0 - 1),
        "cuep_cue=" + cuep + "|" + v.lower[c0],
    ]
    # a passive cue with its subject as the source ("Trump was asked") is rarely right
    passive = is_passive(v, c0, c1)
    f.append(f"rpas={passive}|" + ("-" if source is None else "L" if source[1] <= c0 else "R"))
    if source is None:
        f.append("nosrc")
        f.append("nosrc_cue=" + v.lower[c0])
    else:
        s, e = source
        f += [
            "srcp=" + str(min(int(src_p * 10), 9)),
            "src1=" + v.lower[s],
            "srcent=" + (v.ent[e - 1] or "-"),
            "srcside=" + ("L" if e <= c0 else "R"),
            "srclen=" + str(min(e - s, 6)),
        ]
        f.append(
            "src_cue="
            + (v.ent[e - 1] or v.lower[e - 1] if e - s == 1 else v.ent[e - 1] or "x")
            + "|"
            + v.lower[c0]
        )
        if e - s == 1:
            at_start = s == v.sents[v.sent_of[s]][0]
            f.append(f"src_one={v.shapes[s]}|{v.ent[s] or '-'}|{at_start}")
    return f


def content_end_features(v: TokenView, a: int, j: int, b: int, cue: str) -> list[str]:
    """Features of ending content that starts at a (after cue word ``cue``) before token j.

    b is where the content would end without a boundary (the end of the clause or sentence).
    """
    # what the content opens with: a name or noun phrase object ends early, a clause runs on
    opening = v.shapes[a] + (v.ent[a] or "-")
    if j >= b:
        fin = v.has_finite(a, b)
        return [
            f"end_fin={fin}|{v.lower[a]}",
            "end",
            "end|" + cue,
            "end_d=" + bucket(b - a),
            "end_first=" + v.lower[a],
            "end_open=" + opening,
            "end_cue_d=" + cue + "|" + bucket(b - a),
        ]
    nxt = v.lower[j]
    fin_before = v.has_finite(a, j)  # a clause complete before it
    nxt2 = v.w(j + 1)
    d = bucket(j - a)
    commas = v.commas_upto[j] - v.commas_upto[a] if j > a else 0
    return [
        "b=" + nxt,
        "b2=" + nxt + "|" + nxt2,
        "bp=" + v.w(j - 1) + "|" + nxt,
        "bd=" + nxt + "|" + d,
        "d=" + d,
        "rest=" + bucket(b - j),
        "bc=" + nxt + "|" + cue,
        "bf=" + nxt + "|" + v.lower[a],
        "sh2=" + v.shapes[j + 1] if j + 1 < len(v) else "sh2=</s>",
        "b_sh2=" + nxt + "|" + (v.shapes[j + 1] if j + 1 < len(v) else "</s>"),
        "commas=" + bucket(commas),
        "first=" + v.lower[a],
        "ent2=" + (v.ent[j + 1] if j + 1 < len(v) else ""),
        "q=" + str(j > a and v.opens_upto[j] > v.opens_upto[a]),
        "n_stem=" + nxt + "|" + _stem(nxt2),
        "n_ing=" + nxt + "|" + str(nxt2.endswith("ing")),
        "bcf=" + nxt + "|" + cue + "|" + d,
        "b_suf=" + nxt + "|" + nxt2[-2:],
        "open=" + opening,
        "open_d=" + opening + "|" + d,
        "b_open=" + nxt + "|" + opening,
        # a boundary right after a name ("endorsed Mr. Trump at ...") ends a noun phrase object
        "ent_end="
        + (v.ent[j - 1] or "-")
        + "|"
        + str(bool(v.ent[j - 1]) and v.ent[j] != v.ent[j - 1]),
        "prev_sh=" + v.shapes[j - 1] + "|" + nxt,
        # a clause already complete before the boundary, or one still to come after it
        f"fin={fin_before}|{v.has_finite(j, b)}|{nxt}",
        f"fin_first={fin_before}|{v.lower[a]}|{nxt}",
    ]


def content_start_features(v: TokenView, a: int, j: int, cue: str) -> list[str]:
    """Features of starting content after a cue at token j rather than right after it (at a):
    "told reporters that X", "said on Monday that X" start at "that"."""
    first = v.lower[a]
    if j == a:
        return ["st0", "st0|" + cue, "st0_w=" + first, "st0_wc=" + first + "|" + cue]
    w = v.lower[j]
    between = v.lower[a:j]
    f = [
        "stw=" + w,
        "stw_cue=" + w + "|" + cue,
        "st_d=" + bucket(j - a),
        "st_wd=" + w + "|" + bucket(j - a),
        "st_first=" + first,
        "st_fw=" + first + "|" + w,
        "st_prev=" + v.lower[j - 1] + "|" + w,
        "st_q=" + str(v.quote_open[j]) + "|" + str(any(v.quote_open[k] for k in range(a, j))),
        "st_ent=" + str(any(v.ent[k] in {"PERSON", "ORG", "NORP"} for k in range(a, j))),
        "st_date=" + str(any(v.ent[k] in {"DATE", "TIME"} for k in range(a, j))),
        "st_comma=" + str("," in between),
    ]
    f += ["stb=" + x for x in between[:8]]
    return f
