"""Attributions marked by layout rather than by a speech verb.

Two fixed patterns that the learned cue tagger cannot see, since their cue is punctuation:

* a speaker label opening a paragraph, as in transcripts and headlines
  ("WALLACE: Let's start ...", "Pence: Flowers Won't Be at Debate");
* a signature after a quotation ("“... a real disgrace.” ― Azucena González").
"""

from __future__ import annotations

from storyline.read.quote_features import TokenView

__all__ = ["DASHES", "Pattern", "layout_attributions"]

DASHES = frozenset({"―", "—", "–", "--"})
MAX_LABEL = 6  # tokens in a speaker label or signature
MAX_QUOTE = 400  # tokens back to a signed quotation's opening mark
_NAME_GLUE = frozenset({".", "-", "'s", "’s", "de", "van", "von", "al", "bin"})

# (cue, source, content fragments) in token offsets
Pattern = tuple[tuple[int, int], tuple[int, int], list[tuple[int, int]]]


def _name_like(v: TokenView, a: int, b: int) -> bool:
    """Whether [a, b) reads as a name or label: capitalised words, initials and glue only."""
    if a >= b or v.shapes[a] != "X":
        return False
    return all(v.shapes[i] == "X" or v.lower[i] in _NAME_GLUE for i in range(a, b))


def _paragraph_end(v: TokenView, i: int) -> int:
    """Exclusive end of the paragraph holding token i."""
    n = len(v)
    while i < n and not v.newline[i]:
        i += 1
    return min(i + 1, n)


def _skip(v: TokenView, i: int, end: int) -> int:
    """Skip whitespace tokens and opening quotation marks."""
    while i < end and (v.words[i].isspace() or v.quote_open[i]):
        i += 1
    return i


def _trim_end(v: TokenView, a: int, b: int) -> int:
    """Drop trailing whitespace tokens."""
    while b > a and v.words[b - 1].isspace():
        b -= 1
    return b


def _speaker_label(v: TokenView, start: int) -> Pattern | None:
    """``NAME: words`` at the start of a paragraph."""
    end = _paragraph_end(v, start)
    a = _skip(v, start, end)
    colon = next((j for j in range(a, min(end, a + MAX_LABEL + 1)) if v.words[j] == ":"), None)
    if colon is None or not _name_like(v, a, colon):
        return None
    c0 = colon + 1
    while c0 < end and v.words[c0].isspace():
        c0 += 1
    c1 = _trim_end(v, c0, end)
    if sum(1 for i in range(c0, c1) if v.words[i][:1].isalnum()) < 2:
        return None
    if v.quote_close[c1 - 1] and not any(v.quote_open[i] for i in range(c0, c1 - 1)):
        c1 -= 1  # a transcript paragraph wrapped in one pair of marks: the close is not content
    return (colon, colon + 1), (a, colon), [(c0, c1)]


def _signature(v: TokenView, dash: int) -> Pattern | None:
    """``“quotation” ― Name`` : the dash signs the quotation before it."""
    q = dash - 1
    while q >= 0 and v.words[q].isspace():
        q -= 1
    if q < 0 or not v.quote_close[q]:
        return None
    end = _paragraph_end(v, dash)
    s = dash + 1
    while s < end and v.words[s].isspace():
        s += 1
    e = s
    while e < end and e - s < MAX_LABEL and not v.newline[e] and v.words[e] not in {",", "("}:
        e += 1
    e = _trim_end(v, s, e)
    while e > s and v.words[e - 1] == ".":
        e -= 1
    if not _name_like(v, s, e):
        return None
    o = q - 1
    while o > max(0, q - MAX_QUOTE) and not v.quote_open[o]:
        o -= 1
    if not v.quote_open[o]:
        return None
    return (dash, dash + 1), (s, e), [(o, q + 1)]


def layout_attributions(v: TokenView) -> list[Pattern]:
    """Every speaker label and quotation signature in the document."""
    out: list[Pattern] = []
    for i in range(len(v)):
        if i == 0 or v.newline[i - 1]:
            found = _speaker_label(v, i)
            if found:
                out.append(found)
        if v.words[i] in DASHES:
            found = _signature(v, i)
            if found:
                out.append(found)
    return out
