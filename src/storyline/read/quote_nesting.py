"""Attributions inside attributions, as a reader tells who said what through whom.

'"Welcoming the group, Xi Jinping said that China …," KCNA said, as quoted by Yonhap' is Xi's
statement as KCNA reported it and Yonhap passed it on: the speaker is Xi and the chain is
KCNA → Yonhap. '"He noted that …," added the report' is the same report again: "the report" is
the outlet last quoted, and "He" is the person it quotes. Statistical cue finding skips verbs
inside quotation marks (they are part of what was said), so these layers are recovered here,
on the relations the extractor found, before they become records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.read.quote_features import TokenView
from storyline.read.quote_relays import REPORTING_VERBS, media_like, short_name

if TYPE_CHECKING:
    from storyline.read.quotes import Relation

__all__ = ["resolve_layers"]

# Verbs with which a report passes on what a named person said.
_INNER_CUES = REPORTING_VERBS | frozenset(
    {"noted", "stressed", "emphasized", "emphasised", "told", "expressed", "urged", "underlined",
     "reiterated", "affirmed", "declared", "pledged", "vowed", "warned", "hoped", "asserted",
     "insisted"}
)  # fmt: skip
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})
_BRIDGE = frozenset({"also", "further", "then", "again", "later"})
# "the report added": a document of an outlet already named, not a new speaker
_REPORT_NOUNS = frozenset(
    {"report", "statement", "dispatch", "article", "commentary", "broadcast", "editorial"}
)
_DETERMINERS = frozenset({"the", "that", "this", "its", "same"})
_TRIM = frozenset({",", ".", "“", "”", '"', "‘", "’", "'", ";", ":"})
_SUBJECT_REACH = 8  # words between a clause start and the inner cue
_THAT_REACH = 4  # "noted with pleasure that": how far "that" may follow the inner cue


def _inner_attribution(v: TokenView, a: int, b: int) -> tuple[int, int, int, int] | None:
    """(subject start, subject end, cue, content start) of a clause-initial "X said (that)".

    The subject runs from a clause start (the opening mark or a comma) to the cue: a pronoun, or a
    short phrase naming a person ("Xi Jinping", "The respected leader (Kim)").
    """
    starts = [i + 1 for i in range(a, b) if v.words[i] == "," or v.quote_open[i]]
    for s in starts:
        for i in range(s + 1, min(b, s + _SUBJECT_REACH + 1)):
            if v.words[i] in {",", ";", ":"} or v.quote_close[i]:
                break
            if v.lower[i] not in _INNER_CUES:
                continue
            e = i
            while e > s + 1 and v.lower[e - 1] in _BRIDGE:
                e -= 1
            pronoun = e == s + 1 and v.lower[s] in _SUBJECT_PRONOUNS
            if not pronoun and not any(v.ent[k] == "PERSON" for k in range(s, e)):
                break
            c = i + 1
            for k in range(i + 1, min(b, i + 1 + _THAT_REACH)):
                if v.lower[k] == "that":
                    c = k + 1
                    break
            if c < b:
                return s, e, i, c
            break
    return None


def _trimmed_end(v: TokenView, a: int, b: int) -> int:
    """End of a fragment without its closing punctuation and quotation marks."""
    while b > a and (v.words[b - 1] in _TRIM or v.quote_close[b - 1]):
        b -= 1
    return b


def _generic_report(v: TokenView, r: Relation) -> bool:
    """Whether the source is "the report" (or statement, dispatch …) rather than a name."""
    if r.source is None:
        return False
    words = [v.lower[i] for i in range(*r.source)]
    return (
        len(words) <= 3
        and words[-1] in _REPORT_NOUNS
        and all(w in _DETERMINERS for w in words[:-1])
        and not any(v.ent[i] for i in range(*r.source))
    )


def resolve_layers(v: TokenView, relations: list[Relation]) -> set[int]:
    """Point "the report" at the outlet last quoted and split quotes that quote someone.

    Changes the relations in place; returns the indices of those whose words are now a report's
    rendering of the speaker (their kind is indirect, whatever the quotation marks say).
    """
    nested: set[int] = set()
    last_outlet: tuple[tuple[int, int], list[str]] | None = None
    for k, r in enumerate(relations):
        if r.source is None:
            continue
        if r.relay_of is not None:
            if media_like(v, r.source):
                # an outlet passing a quote on: "the report" later is this outlet's when it is the
                # first in the quote's chain (Interfax, not Reuters, in "Interfax said, as
                # quoted by Reuters"); relayed by name, since relay_of indexes the list as it
                # was before filtering
                name = short_name(v, r.source)
                chains = [x.chain for x in relations[:k] if x.relay_of is None and name in x.chain]
                if chains and chains[-1][0] == name:
                    last_outlet = (r.source, chains[-1][1:])
            continue
        if v.in_quote[r.cue[0]] and r.chain:
            # '"…, Putin said that …," the agency said': found by the extractor, relayed by the
            # agency; the words are the agency's rendering
            a, b = r.content[-1] if r.content else (0, 0)
            if b > a:
                r.content[-1] = (a, _trimmed_end(v, a, b))
            nested.add(k)
            continue
        if _generic_report(v, r) and last_outlet is not None:
            r.source, r.chain = last_outlet[0], list(last_outlet[1])
        outer = r.source
        if not media_like(v, outer):
            continue
        last_outlet = (outer, list(r.chain))
        if len(r.content) != 1:
            continue
        a, b = r.content[0]
        if not all(v.in_quote[i] or v.quote_open[i] or v.quote_close[i] for i in range(a, b)):
            continue  # only a quoted report can hold its own speaker's words
        found = _inner_attribution(v, a, b)
        if found is None:
            continue
        s, subject_end, cue, c = found
        e = _trimmed_end(v, c, b)
        if e <= c:
            continue
        r.chain = [short_name(v, outer), *r.chain]
        r.source = (s, subject_end)
        r.cue = (cue, cue + 1)
        r.content = [(c, e)]
        nested.add(k)
    return nested
