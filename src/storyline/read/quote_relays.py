"""Relay chains: "…, KCNA said, as quoted by Yonhap" makes Yonhap a relay of KCNA's quote."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storyline.read.quote_features import TokenView

if TYPE_CHECKING:
    from storyline.read.quotes import Relation

__all__ = ["RELAY_CUES", "attach_relays", "build_chains", "media_like", "short_name"]

# Cues that pass on what someone else said rather than say something themselves.
RELAY_CUES = frozenset(
    {
        "according",
        "quoted",
        "reported",
        "reports",
        "citing",
        "cited",
        "relayed",
        "carried",
        "broadcast",
        "published",
    }
)
# Verbs with which an outlet passes on what it reports ("..., Xinhua said").
REPORTING_VERBS = frozenset(
    {"said", "says", "reported", "reports", "added", "wrote", "writes", "stated", "announced"}
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z.]{1,9})\)")
_GENERIC = re.compile(
    r"\b(news agency|agency|news service|newspaper|daily|broadcaster|television|tv|"
    r"state media|state news agency|wire service)$",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(the|a|an|official|state-run|state|semi-official)\s+", re.IGNORECASE)
_ORG_LABELS = ("ORG", "PERSON", "NORP", "GPE")


def short_name(v: TokenView, span: tuple[int, int]) -> str:
    """A compact name for a relay: its acronym, its named entity, or the span without fillers."""
    a, b = span
    text = v.text[v.starts[a] : v.ends[b - 1]]
    m = _ACRONYM.search(text)
    if m:
        return m.group(1)
    # the last named organisation or person inside the span ("South Korea's Yonhap news agency")
    best: tuple[int, int] | None = None
    i = a
    while i < b:
        if v.ent[i] in _ORG_LABELS and v.ent_start[i]:
            j = i + 1
            while j < b and v.ent[j] == v.ent[i] and not v.ent_start[j]:
                j += 1
            if (j < b and v.lower[j] in {"'s", "’s"}) or v.lower[j - 1] in {"'s", "’s"}:
                i = j + 1
                continue  # a possessive names the owner, not the relay
            best = (i, j)
            i = j
        else:
            i += 1
    if best is not None:
        text = v.text[v.starts[best[0]] : v.ends[best[1] - 1]]
    else:  # no named relay: what follows an owner's possessive names it ("South Korea's Yonhap")
        text = re.split(r"['’]s\s+", text)[-1]
    text = text.removesuffix("'s").removesuffix("’s").strip()
    for _ in range(3):
        text = _LEAD.sub("", text)
    stripped = _GENERIC.sub("", text).strip()
    return stripped or text


def _is_relay(v: TokenView, r: Relation) -> bool:
    """Whether a relation's cue passes on someone else's words."""
    return any(v.lower[i] in RELAY_CUES for i in range(*r.cue)) or (
        r.cue[0] > 0
        and v.lower[r.cue[0] - 1] == "as"
        and v.lower[r.cue[0]] in {"quoted", "reported"}
    )


def attach_relays(v: TokenView, relations: list[Relation]) -> None:
    """Mark relays of another relation in the same sentence and add them to its chain."""
    for k, relay in enumerate(relations):
        if relay.source is None:
            continue
        if not _is_relay(v, relay):
            _attach_reporter(v, relations, k)
            continue
        sent = v.sent_of[relay.cue[0]]
        best: int | None = None
        for j, inner in enumerate(relations):
            if j == k or inner.relay_of is not None or inner.source is None:
                continue
            if v.sent_of[inner.cue[0]] != sent:
                continue
            inner_start = min(inner.cue[0], inner.source[0])
            inner_end = max(inner.cue[1], inner.source[1])
            relay_end = max(relay.cue[1], relay.source[1])
            # "Yonhap reported that Kim said": the relay's content is the inner attribution
            nested = relay_end <= inner_start <= relay_end + 3
            trailing = relay.cue[0] >= inner_end and relay.source[0] > relay.cue[0]
            if (nested or trailing) and (best is None or inner.cue[0] > relations[best].cue[0]):
                best = j
        if best is None:
            continue
        relay.relay_of = best
    build_chains(v, relations)


def build_chains(v: TokenView, relations: list[Relation]) -> None:
    """Give each relation that relays no other the names of its relays, speaker-outward:
    trailing relays in text order, then the ones nesting them."""
    for k, r in enumerate(relations):
        if r.relay_of is not None:
            continue
        chain: list[Relation] = []
        frontier = [k]
        while frontier:
            cur = frontier.pop(0)
            kids = sorted(
                (j for j, x in enumerate(relations) if x.relay_of == cur),
                key=lambda j: relations[j].cue[0],
            )
            chain.extend(relations[j] for j in kids)
            frontier.extend(kids)
        r.chain = [short_name(v, x.source) for x in chain if x.source]


def media_like(v: TokenView, span: tuple[int, int]) -> bool:
    """Whether a source names an organisation or outlet rather than a person."""
    a, b = span
    if any(v.ent[i] == "PERSON" for i in range(a, b)):
        return False
    text = v.text[v.starts[a] : v.ends[b - 1]]
    return any(v.ent[i] in {"ORG", "NORP", "GPE"} for i in range(a, b)) or bool(
        _GENERIC.search(text) or re.search(r"\b(media|agency|news|newspaper)\b", text, re.I)
    )


def _attach_reporter(v: TokenView, relations: list[Relation], k: int) -> None:
    """ "Kim expressed hope that ..., Xinhua said": an outlet reporting another attribution of the
    same sentence, standing after it, relays it rather than making a quote of its own."""
    r = relations[k]
    assert r.source is not None
    s0 = r.source[0]
    before = s0 - 1
    if before > 0 and v.quote_close[before]:
        before -= 1  # '"… next year," the agency said': the comma sits inside the quote
    if not (r.source[1] <= r.cue[0] and s0 > 0 and v.words[before] == ","):
        return
    if v.lower[r.cue[0]] not in REPORTING_VERBS or not media_like(v, r.source):
        return
    sent = v.sent_of[r.cue[0]]
    for j in range(k - 1, -1, -1):
        inner = relations[j]
        if inner.relay_of is not None or inner.source is None or inner is r:
            continue
        if v.sent_of[inner.cue[0]] != sent:
            continue
        inner_end = max(inner.cue[1], inner.source[1])
        if inner_end <= s0 and any(a < s0 for a, _ in inner.content):
            r.relay_of = j
            return


def relay_cue_tokens(v: TokenView) -> list[int]:
    """Tokens of relay cues found by pattern: according to, as quoted/reported by, citing."""
    out: list[int] = []
    n = len(v)
    for i, w in enumerate(v.lower):
        nxt = v.lower[i + 1] if i + 1 < n else ""
        if w == "according" and nxt == "to":
            out += [i, i + 1]
        elif (
            w in {"quoted", "reported", "cited"}
            and nxt == "by"
            and i > 0
            and v.lower[i - 1] == "as"
        ) or w == "citing":
            out.append(i)
    return out


def is_relay(v: TokenView, r: Relation) -> bool:
    """Whether a relation's cue passes on someone else's words."""
    return _is_relay(v, r)
