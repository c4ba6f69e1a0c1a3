"""Where an attribution's content lies: after the cue, before it, or split around it."""

from __future__ import annotations

from storyline.read.quote_features import TokenView

__all__ = ["content_fragments"]

# Words that start a trailing modifier of the cue rather than content ("said on Monday").
TRAILING = frozenset(
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
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
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
_EDGE_PUNCT = frozenset({",", ".", ":", ";", "—", "–", "-", "!", "?"})
_MIN_SPLIT_WORDS = 2


def _words(v: TokenView, a: int, b: int) -> int:
    """Number of word tokens in [a, b)."""
    return sum(1 for i in range(a, b) if v.words[i][:1].isalnum())


def _trim(v: TokenView, a: int, b: int) -> tuple[int, int]:
    """Drop edge punctuation (quotation marks stay: they show a direct quote)."""
    while a < b and (v.words[a] in _EDGE_PUNCT or v.words[a].isspace()):
        a += 1
    while b > a and (v.words[b - 1] in _EDGE_PUNCT or v.words[b - 1].isspace()):
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
) -> list[tuple[int, int]]:
    """Content of one relation as token ranges; ``cores`` are other relations' cue+source."""
    frags = _layout(v, cue, cores, core)
    return [(a, b) for a, b in frags if _words(v, a, b)]


def _layout(
    v: TokenView, cue: tuple[int, int], cores: list[tuple[int, int]], core: tuple[int, int]
) -> list[tuple[int, int]]:
    """Pick where the content lies: after the cue, before it, split around it, or earlier."""
    sa, sb = v.sents[v.sent_of[cue[0]]]
    lo, hi = core
    # other relations in the sentence bound this one's content
    left, right = sa, sb
    for a, b in cores:
        if (a, b) != core and sa <= a < sb:
            if b <= lo:
                left = max(left, b)
            elif a >= hi:
                right = min(right, a)
    after = _trim(v, hi, right)
    before = _trim(v, left, lo)
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
    if n_before == 0 or (n_before < _MIN_SPLIT_WORDS and not before_in_quote):
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
        return [_extend_before(v, before, left), *_continuation(v, sb, cores)]
    before_sep = lo > sa and v.words[lo - 1] in {",", "—", "–"}
    if before_sep and first_after in {",", "—", "–"} and not opens:
        return [_extend_before(v, before, left), _extend_after(v, after, right)]
    if before_sep and n_before >= 4 and (first_after in TRAILING or n_after <= 3) and not opens:
        return [_extend_before(v, before, left)]
    return [_extend_after(v, after, right)]


def _continuation(v: TokenView, sb: int, cores: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A quotation that opens the next sentence of the paragraph and carries no cue of its own."""
    if sb >= len(v) or not v.quote_open[sb] or v.newline[sb - 1]:
        return []
    j = sb + 1
    while j < len(v) and not v.quote_close[j] and not v.newline[j] and j < sb + 300:
        j += 1
    if j >= len(v) or not v.quote_close[j]:
        return []
    limit = j + 3  # a cue right after the closing mark belongs to that quotation
    if any(sb <= a < limit for a, _ in cores):
        return []
    a, b = _trim(v, sb, j + 1)
    return [(a, b)] if a < b else []


def _extend_after(v: TokenView, span: tuple[int, int], right: int) -> tuple[int, int]:
    """Content after the cue: to the end of a quotation that runs past the sentence."""
    a, b = span
    b2 = _quote_end(v, b, min(len(v), b + 400))
    if b2 > b and b == right and v.sent_of[min(b, len(v) - 1)] != v.sent_of[a]:
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
    a, b = _trim(v, ps, pe)
    if a >= b:
        return []
    return [(_quote_start(v, a, max(0, a - 400)), b)]
