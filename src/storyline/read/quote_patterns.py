"""Attributions marked by layout rather than by a speech verb.

Two fixed patterns that the learned cue tagger cannot see, since their cue is punctuation:

* a speaker label opening a paragraph, as in transcripts and headlines
  ("WALLACE: Let's start ...", "Pence: Flowers Won't Be at Debate");
* a signature after a quotation ("“... a real disgrace.” ― Azucena González");
* a report closing its sentence after a comma ("Xi met the delegation, state media reported on
  Thursday."): the verb is a cue the tagger knows, but at the end of a long first clause it often
  scores it low, and the layout alone says whose the clause is.
"""

from __future__ import annotations

from storyline.read.quote_features import PRONOUNS, TokenView
from storyline.read.quote_relays import REPORTING_VERBS, media_like
from storyline.read.timex_lexicon import WEEKDAY_NAMES

__all__ = ["DASHES", "Pattern", "layout_attributions"]

DASHES = frozenset({"―", "—", "–", "--"})
MAX_LABEL = 6  # tokens in a speaker label or signature
MAX_QUOTE = 400  # tokens back to a signed quotation's opening mark
_NAME_GLUE = frozenset({".", "-", "'s", "’s", "de", "van", "von", "al", "bin"})

MAX_REPORT_SOURCE = 8  # tokens between the comma and the closing report verb
MAX_REPORT_TAIL = 5  # "on Thursday", "in a statement late on Monday": what may follow the verb
MIN_REPORT_CONTENT = 5  # words before the comma: a clause, not a fragment
# what may follow the closing verb: when and where it was said, nothing more
_TAIL_WORDS = WEEKDAY_NAMES | frozenset(
    {"on", "in", "at", "late", "early", "earlier", "later", "last", "this", "a", "an", "the",
     "statement", "report", "briefing", "interview", "yesterday", "today", "tonight", "morning",
     "afternoon", "evening", "night", "week", "day", "conference", "news", "press"}
)  # fmt: skip

# Paragraph labels that a newsroom puts before its own notes, credits and corrections
EDITORIAL_LABELS = frozenset(
    {"editor 's note", "editor 's notes", "note", "correction", "corrections",
     "clarification", "update", "updated", "contributing", "byline", "paid notice", "related",
     "photo", "photos", "source", "sources", "disclosure", "read more", "see also", "watch",
     "listen", "tags", "filed under", "posted", "published", "copyright", "credit", "credits",
     "caption", "advertisement", "editing by", "reporting by", "additional reporting"}
)  # fmt: skip

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
    if " ".join(v.lower[a:colon]).replace("’", "'") in EDITORIAL_LABELS:
        return None  # "Editor's Note:", "Contributing:": the newsroom speaking, not a speaker
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


def _closing_report(v: TokenView, sent: tuple[int, int]) -> Pattern | None:
    """``CLAUSE, SOURCE reported [on Thursday].``: a named source reports the clause before it."""
    a, b = sent
    while b > a and (v.words[b - 1].isspace() or v.words[b - 1] in {".", "!"}):
        b -= 1
    # the verb, then nothing but when or where it was said
    verb = b - 1
    while verb > a and b - verb - 1 < MAX_REPORT_TAIL and v.lower[verb] not in REPORTING_VERBS:
        if v.lower[verb] not in _TAIL_WORDS:
            return None
        verb -= 1
    if verb <= a or v.lower[verb] not in REPORTING_VERBS:
        return None
    comma = verb - 1
    while comma > a and verb - comma <= MAX_REPORT_SOURCE and v.words[comma] != ",":
        if v.in_quote[comma] or v.quote_close[comma] or v.words[comma] in {";", ":"}:
            return None
        comma -= 1
    if v.words[comma] != "," or comma + 1 >= verb:
        return None
    src = (comma + 1, verb)
    pronoun = src[1] - src[0] == 1 and v.lower[src[0]] in PRONOUNS
    if not (pronoun or media_like(v, src) or any(v.ent[i] == "PERSON" for i in range(*src))):
        return None
    c0 = _skip(v, a, comma)
    if sum(1 for i in range(c0, comma) if v.words[i][:1].isalnum()) < MIN_REPORT_CONTENT:
        return None
    return (verb, verb + 1), src, [(c0, comma)]


def layout_attributions(v: TokenView) -> list[Pattern]:
    """Every speaker label, quotation signature and closing report in the document."""
    out: list[Pattern] = []
    for sent in v.sents:
        found = _closing_report(v, sent)
        if found:
            out.append(found)
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
