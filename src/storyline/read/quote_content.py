"""Where an attribution's content lies: after the cue, before it, or split around it."""

from __future__ import annotations

from collections.abc import Callable

from storyline.read.quote_features import (
    FINITE,
    TokenView,
    bucket,
    content_end_features,
    content_start_features,
)
from storyline.read.timex_lexicon import WEEKDAY_NAMES

__all__ = [
    "CONNECTORS",
    "content_fragments",
    "end_candidates",
    "side_features",
    "side_frame",
    "start_candidates",
    "trim_edges",
]

# Words before which a content span after its cue may end ("X said A, and B"; "A, which ...").
CONNECTORS = frozenset(
    {
        "and",
        "but",
        "or",
        "which",
        "who",
        "whose",
        "where",
        "while",
        "even",
        "as",
        "because",
        "after",
        "before",
        "when",
        "although",
        "though",
        "since",
        "so",
        "if",
        "than",
        "until",
        "despite",
        "amid",
        "including",
        "saying",
        "adding",
        "in",
        "on",
        "at",
        "for",
        "with",
        "to",
        "by",
    }
)
# Words before which content may end: connectors and a relative "that" or time phrase.
END_WORDS = CONNECTORS | {"that", "during", "throughout"}
EndScorer = Callable[[list[str]], float]

# Words that start a trailing modifier of the cue rather than content ("said on Monday").
TRAILING = (
    frozenset(
        {
            "on",
            "in",
            "at",
            "during",
            "last",
            "this",
            "earlier",
            "yesterday",
            "today",
            "tonight",
            "while",
            "after",
            "before",
            "when",
            "to",
            "reporters",
            "later",
            "recently",
            "afterward",
            "afterwards",
            "outside",
            "from",
            "via",
            "through",
            "late",
            "early",
            "shortly",
            "as",
            "of",
            "with",
        }
    )
    | WEEKDAY_NAMES
)
# Words that open a sentence-initial adverbial ("In a statement, ...", "On Monday, ...").
INTRO = frozenset(
    {
        "in",
        "on",
        "at",
        "during",
        "after",
        "before",
        "since",
        "for",
        "with",
        "by",
        "despite",
        "amid",
        "under",
        "earlier",
        "last",
        "this",
        "however",
        "meanwhile",
        "instead",
        "then",
        "now",
        "today",
        "yesterday",
        "asked",
        "speaking",
        "separately",
        "later",
    }
)
_EDGE_PUNCT = frozenset({",", ".", ":", ";", "—", "–", "-", "!", "?"})
_HANGING = frozenset({"and", "but", "or", "while", "as", "because", "although", "though"})
_MIN_SPLIT_WORDS = 2
MAX_CONTINUATIONS = 4  # quoted sentences after a "he said." that still carry its quote


def _words(v: TokenView, a: int, b: int) -> int:
    """Number of word tokens in [a, b)."""
    return sum(1 for i in range(a, b) if v.words[i][:1].isalnum())


def trim_edges(v: TokenView, a: int, b: int) -> tuple[int, int]:
    """Drop edge punctuation (quotation marks stay: they show a direct quote), and a conjunction
    left hanging at the end ("… for now, but he admitted …": the next clause is not this
    quote)."""
    while a < b and (v.words[a] in _EDGE_PUNCT or v.words[a].isspace()):
        a += 1
    while b > a and (
        v.words[b - 1] in _EDGE_PUNCT or v.words[b - 1].isspace() or v.lower[b - 1] in _HANGING
    ):
        b -= 1
    return a, b


def _quote_start(v: TokenView, a: int, floor: int) -> int:
    """Move a start that lies inside an open quotation back to its opening mark."""
    if not v.in_quote[a] and not v.quote_close[a]:
        return a
    j = a
    while j > floor and not v.quote_open[j]:
        j -= 1
        if v.quote_close[j]:
            return a  # another quotation ended first: the start was not inside one
    return j if v.quote_open[j] else a


def _quote_end(v: TokenView, b: int, ceiling: int) -> int:
    """Move an end that lies inside an open quotation forward past its closing mark."""
    if b <= 0 or not (v.in_quote[b - 1] or v.quote_open[b - 1]):
        return b
    j = b
    while j < ceiling and not v.quote_close[j]:
        if v.quote_open[j]:
            return b
        j += 1
    return j + 1 if j < ceiling and v.quote_close[j] else b


def content_fragments(
    v: TokenView,
    cue: tuple[int, int],
    source: tuple[int, int] | None,
    cores: list[tuple[int, int]],
    core: tuple[int, int],
    end_score: EndScorer | None = None,
    end_rank: bool = False,
    start_score: EndScorer | None = None,
    side_score: EndScorer | None = None,
) -> list[tuple[int, int]]:
    """Content of one relation as token ranges; ``cores`` are other relations' cue+source.

    With ``end_score`` (a learned scorer of content-end features) content after the cue may end
    at a clause boundary instead of running to the end of the sentence: at the best-scored one
    (``end_rank``, a softmax ranker) or at the first scored positive (a binary model).
    """
    frags = _layout(v, cue, cores, core, side_score)
    if source is not None and core == cue and source[0] >= cue[1]:
        # "In declaring X, the pope showed ...": the clause the cue opens ends at its subject
        frags = [trim_edges(v, a, min(b, source[0])) if a < source[0] else (a, b) for a, b in frags]
    if start_score is not None and len(frags) == 1 and frags[0][0] >= cue[1]:
        # "told reporters that X": content may start at a later clause opener
        a, b = frags[0]
        if a < b and not v.quote_open[a]:
            word = v.lower[cue[0]]
            cands = start_candidates(v, a, b)
            if len(cands) > 1:
                scores = [start_score(content_start_features(v, a, j, word)) for j in cands]
                j = cands[scores.index(max(scores))]
                if j > a:
                    frags[0] = trim_edges(v, j, b)
    if end_score is not None and frags and frags[-1][0] >= cue[1]:
        a, b = frags[-1]
        if a < b and not (v.quote_open[a] and v.quote_close[b - 1]):
            word = v.lower[cue[0]]
            cands = end_candidates(v, a, b)
            if end_rank:
                # the boundaries (and the clause end) compete: the best-scored one wins
                scores = [end_score(content_end_features(v, a, j, b, word)) for j in cands]
                scores[-1] += CLAUSE_END_BONUS  # the last candidate is the clause end
                j = cands[scores.index(max(scores))]
                if j < b:
                    frags[-1] = trim_edges(v, a, j)
            else:
                # walk the boundaries left to right and stop at the first the model ends on
                for j in cands[:-1]:
                    if end_score(content_end_features(v, a, j, b, word)) > 0.0:
                        frags[-1] = trim_edges(v, a, j)
                        break
    return [(a, b) for a, b in frags if _words(v, a, b)]


# Log-odds the clause end gets over earlier boundaries. The end ranker learns from gold cues and
# starts; on predicted ones, content that runs to the clause end a little more often matches gold
# better (a held-out fifth of train: content overlap F1 +0.6, token F1 +0.5, relation +0.1).
CLAUSE_END_BONUS = 0.6
COORDINATORS = frozenset({"and", "but"})  # join cues that share a subject
MAX_START_SHIFT = 12  # how far after its cue content may start ("told the Times on Monday that")
_STARTERS = frozenset({"that", ":", "whether", "if", "how", "why", "what", "to"})


def start_candidates(v: TokenView, a: int, b: int) -> list[int]:
    """Starts for content after a cue: right after it (a), and clause openers soon after."""
    out = [a]
    for j in range(a + 1, min(b - 1, a + MAX_START_SHIFT)):
        if v.in_quote[j]:
            break
        if v.lower[j] in _STARTERS or v.quote_open[j] or v.words[j - 1] in {",", ":"}:
            out.append(j)
    return out


def end_candidates(v: TokenView, a: int, b: int) -> list[int]:
    """Exclusive ends where content [a, b) may stop: clause boundaries outside quotes, and b.

    A one-word object may end the content ("endorsed Trump, ..."); of boundaries that give the
    same content (", which"), only the first is kept.
    """
    out: list[int] = []
    last = a
    for j in range(a + 1, b):
        if v.in_quote[j] or not (
            v.lower[j] in END_WORDS or v.words[j] in {",", ";", "—", "–", "(", ":", "--", "-"}
        ):
            continue
        end = trim_edges(v, a, j)[1]
        if end > last:
            out.append(j)
            last = end
    if trim_edges(v, a, b)[1] > last or not out:
        out.append(b)
    else:
        out[-1] = b  # the clause end gives the same content as the last boundary
    return out


def _separated(v: TokenView, a: int, b: int) -> bool:
    """Whether a clause break (comma, dash, closing quotation mark) lies in [a, b)."""
    return any(
        v.words[i] in {",", ";", "—", "–", ":", "--"} or v.quote_close[i] for i in range(a, b)
    )


def _layout(
    v: TokenView,
    cue: tuple[int, int],
    cores: list[tuple[int, int]],
    core: tuple[int, int],
    side_score: EndScorer | None = None,
) -> list[tuple[int, int]]:
    """Pick where the content lies: after the cue, before it, split around it, or earlier.

    With ``side_score`` (a learned scorer of ``side_features``), a clause before the cue and
    words after it compete where no quotation mark or layout settles it."""
    sa, sb = v.sents[v.sent_of[cue[0]]]
    lo, hi = core
    # other relations in the sentence bound this one's content
    left, right = sa, sb
    outside = not v.in_quote[cue[0]]
    for a, b in cores:
        if outside and v.in_quote[a] and a >= hi:
            continue  # an attribution inside a later quotation is part of what was said
        if (a, b) != core and sa <= a < sb:
            if b <= lo:
                left = max(left, b)
            elif a >= hi and (_separated(v, hi, a) or v.lower[a] in COORDINATORS):
                # a later attribution with no break before it is nested; one coordinated under
                # the same subject ("said A and added B") starts at its conjunction
                right = min(right, a)
    after = trim_edges(v, hi, right)
    before = trim_edges(v, left, lo)
    n_after = _words(v, *after)
    n_before = _words(v, *before)
    first_after = v.lower[hi] if hi < sb else ""
    cue_word = v.lower[cue[0]]

    if n_after == 0 and n_before == 0:
        return _previous_content(v, sa)
    if cue_word == "according":
        # "according to X, Y" puts content after; "Y, according to X" before
        if lo <= sa + 1 or n_before == 0:
            return [_extend_after(v, after, right)]
        return [_extend_before(v, before, left)]
    before_in_quote = any(v.in_quote[i] for i in range(*before))
    # "In her 2003 book, she noted X": an opening adverbial is a setting, not content
    intro = not before_in_quote and v.lower[before[0]] in INTRO and n_after > 0
    if n_before == 0 or intro or (n_before < _MIN_SPLIT_WORDS and not before_in_quote):
        return [_extend_after(v, after, right)]
    if n_after == 0:
        return [_extend_before(v, before, left), *_continuation(v, sb, cores)]
    closes = lo - 1 >= sa and (
        v.quote_close[lo - 1]
        or (v.words[lo - 1] in {",", "—", "–"} and lo - 2 >= sa and v.quote_close[lo - 2])
    )
    opens = any(v.quote_open[i] for i in range(hi, min(right, hi + 3)))
    if closes:
        # a quotation ends right before the attribution: it is the content ("A," he said)
        if (opens and first_after in {",", ":", "—", "–"}) or v.quote_open[hi]:
            return [_extend_before(v, before, left), _extend_after(v, after, right)]
        later = _later_quote(v, hi, right)
        if later is not None:
            # "A," Tester said, referring to X, "B": the quotation resumes after an aside
            return [_extend_before(v, before, left), later]
        return [_extend_before(v, before, left), *_continuation(v, sb, cores)]
    before_sep = lo > sa and v.words[lo - 1] in {",", "—", "–"}
    if before_sep and first_after in {",", "—", "–"} and not opens:
        return [_extend_before(v, before, left), _extend_after(v, after, right)]
    rule = before_sep and n_before >= 4 and (first_after in TRAILING or n_after <= 3) and not opens
    if side_score is not None and not opens:
        feats = side_features(v, cue, core, before, after, rule)
        rule = side_score(feats) > 0.0
    if rule:
        return [_extend_before(v, before, left)]
    return [_extend_after(v, after, right)]


def side_features(
    v: TokenView,
    cue: tuple[int, int],
    core: tuple[int, int],
    before: tuple[int, int],
    after: tuple[int, int],
    rule: bool,
) -> list[str]:
    """Features for content before the cue (positive) or after it: "Talks will resume, a
    spokesman said on Monday" against "Shortly after my sentence, Eric Holder announced his
    resignation". The fixed rule's answer is one of them."""
    lo, hi = core
    word = v.lower[cue[0]]
    b_first = v.lower[before[0]]
    b_last = v.lower[before[1] - 1]
    a_first = v.lower[after[0]] if after[0] < after[1] else "-"
    sep = v.words[lo - 1] if lo > 0 else "-"
    n_before = bucket(_words(v, *before))
    n_after = bucket(_words(v, *after))
    src = "L" if lo < cue[0] else "R" if hi > cue[1] else "-"
    b_fin = any(w in FINITE for w in v.lower[before[0] : before[1]])
    a_fin = any(w in FINITE for w in v.lower[after[0] : after[1]])
    b_ing = b_first.endswith("ing")
    return [
        "rule=" + str(rule),
        "bf=" + b_first,
        "bl=" + b_last,
        "af=" + a_first,
        "cue=" + word,
        "sep=" + sep,
        "nb=" + n_before,
        "na=" + n_after,
        "nb_na=" + n_before + "|" + n_after,
        "src=" + src,
        "src_sep=" + src + "|" + sep,
        f"fin={b_fin}|{a_fin}",
        f"bing={b_ing}",
        "trail=" + str(a_first in TRAILING),
        "bintro=" + str(b_first in INTRO or b_first in CONNECTORS),
        "bf_cue=" + b_first + "|" + word,
        "af_cue=" + a_first + "|" + word,
        "rule_cue=" + str(rule) + "|" + word,
        "bq=" + str(any(v.in_quote[i] for i in range(*before))),
        "aq=" + str(any(v.in_quote[i] or v.quote_open[i] for i in range(*after))),
    ]


def side_frame(
    v: TokenView, cue: tuple[int, int], cores: list[tuple[int, int]], core: tuple[int, int]
) -> list[str] | None:
    """The features ``_layout`` hands its side scorer for this relation, or None where the
    layout is settled without it (for training the scorer on gold attributions)."""
    seen: list[list[str]] = []

    def capture(feats: list[str]) -> float:
        seen.append(feats)
        return 0.0

    _layout(v, cue, cores, core, capture)
    return seen[0] if seen else None


def _later_quote(v: TokenView, a: int, b: int) -> tuple[int, int] | None:
    """A quotation in [a, b) opened right after a comma, up to its closing mark."""
    for o in range(a + 1, b):
        if v.quote_open[o] and v.words[o - 1] == ",":
            c = o + 1
            while c < len(v) and not v.quote_close[c] and not v.newline[c] and c < o + 300:
                c += 1
            if c < len(v) and v.quote_close[c]:
                return o, c + 1
            return None
    return None


def _continuation(v: TokenView, sb: int, cores: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations that open the next sentences of the paragraph and carry no cue of their own."""
    out: list[tuple[int, int]] = []
    start = sb
    while len(out) < MAX_CONTINUATIONS:
        if start >= len(v) or not v.quote_open[start] or v.newline[start - 1]:
            break
        j = start + 1
        while j < len(v) and not v.quote_close[j] and not v.newline[j] and j < start + 300:
            j += 1
        if j >= len(v) or not v.quote_close[j]:
            if j < len(v) and v.newline[j] and _reopens(v, j + 1):
                # a paragraph of quotation left open because the next one goes on quoting
                # (the newsroom convention): this paragraph's part ends here
                a, b = trim_edges(v, start, j + 1)
                if a < b:
                    out.append((a, b))
            break
        # A cue right after the closing mark belongs to that quotation, unless the quotation
        # closed its own sentence and the cue opens the next ("... wheelhouse." He said, ...).
        # Cues inside the quotation are part of what was said.
        limit = j + 3
        closed = v.words[j - 1] == "."
        if any(
            j < a < limit
            and not _paragraph_break(v, j, a)
            and not (closed and v.sent_of[a] != v.sent_of[j - 1])
            for a, _ in cores
        ):
            break
        a, b = trim_edges(v, start, j + 1)
        if a >= b:
            break
        out.append((a, b))
        start = j + 1
        while start < len(v) and v.words[start].isspace() and not v.newline[start - 1]:
            start += 1
    return out


def _reopens(v: TokenView, i: int) -> bool:
    """Whether the paragraph starting at or after token i opens with a quotation mark."""
    while i < len(v) and v.words[i].isspace():
        i += 1
    return i < len(v) and v.quote_open[i]


def _paragraph_break(v: TokenView, a: int, b: int) -> bool:
    """Whether a paragraph ends between tokens a and b."""
    return any(v.newline[k] for k in range(a, b))


def _extend_after(v: TokenView, span: tuple[int, int], right: int) -> tuple[int, int]:
    """Content after the cue: to the end of a quotation that runs past the sentence."""
    a, b = span
    if a >= b or right < v.sents[v.sent_of[a]][1]:
        return a, b  # a later attribution in the sentence bounds the content
    b2 = _quote_end(v, b, min(len(v), b + 400))
    if b2 > b and v.sent_of[b2 - 1] != v.sent_of[a]:
        return a, b2
    return a, b


def _extend_before(v: TokenView, span: tuple[int, int], left: int) -> tuple[int, int]:
    """Content before the cue: back to the opening mark of a quotation begun earlier."""
    a, b = span
    if a == v.sents[v.sent_of[a]][0]:
        a = _quote_start(v, a, max(0, a - 400))
    return a, b


def _previous_content(v: TokenView, sa: int) -> list[tuple[int, int]]:
    """Content for a bare ``he said.`` sentence: the quotation or sentence just before it."""
    if sa == 0:
        return []
    ps, pe = v.sents[v.sent_of[sa - 1]]
    a, b = trim_edges(v, ps, pe)
    if a >= b:
        return []
    return [(_quote_start(v, a, max(0, a - 400)), b)]
