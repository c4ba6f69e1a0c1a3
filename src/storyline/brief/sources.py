"""Who reported what: sources with wire lineage, and the quotes carried by independent sources."""

from __future__ import annotations

import bisect
import re
from typing import Any

from storyline.brief.bundle import StoryBundle
from storyline.models import Article, Quote

__all__ = ["COPY_SIMILARITY", "build_quotes", "build_sources", "chain_label"]

COPY_SIMILARITY = 0.95  # at or above: a verbatim copy; below: a rewrite of the original


def _describe(article: Article) -> dict[str, Any]:
    """The fields of an article a reader needs to recognise it."""
    return {
        "article_id": article.id,
        "outlet": article.outlet or article.source,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "source": article.source,
    }


def build_sources(bundle: StoryBundle) -> list[dict[str, Any]]:
    """One entry per independent source, with the copies and rewrites that descend from it."""
    out: dict[str, dict[str, Any]] = {}
    for article in bundle.originals():
        entry = _describe(article)
        entry["credits"] = list(article.credits)
        entry["copies"] = []
        out[article.id] = entry
    roots = bundle.roots()
    for article in bundle.usable_articles():
        root = roots[article.id]
        if root == article.id or root not in out:
            continue
        copy = _describe(article)
        copy["copy_of"] = article.duplicate_of
        copy["similarity"] = article.similarity
        similar = article.similarity if article.similarity is not None else 1.0
        copy["relation"] = "copy" if similar >= COPY_SIMILARITY else "rewrite"
        out[root]["copies"].append(copy)
    return list(out.values())


def chain_label(speaker: str | None, chain: list[str]) -> str:
    """Render a relay chain as 'Xi → KCNA → Yonhap' (speaker first, nearest relay next)."""
    parts = [speaker or "Unknown speaker", *chain]
    return " → ".join(p for p in parts if p)


def _normalise(text: str) -> str:
    """Quote text reduced to lower-case words, to spot one quote carried twice."""
    return " ".join(re.findall(r"\w+", text.lower()))


def build_quotes(bundle: StoryBundle, among: set[str] | None = None) -> list[dict[str, Any]]:
    """The quotes of the independent sources (those of ``among`` when given: the reports a
    brief read); one quote carried by several is listed once."""
    originals = {a.id: a for a in bundle.originals() if among is None or a.id in among}
    order = {aid: n for n, aid in enumerate(originals)}
    seen: dict[str, dict[str, Any]] = {}
    quotes = sorted(
        (q for q in bundle.quotes if q.article_id in originals),
        key=lambda q: (order[q.article_id], min((s[0] for s in q.spans), default=0)),
    )
    entries = _fold_relays([_quote_entry(q, originals[q.article_id]) for q in quotes])
    for entry in entries:
        if not _worth_showing(entry):
            continue
        key = _normalise(entry["words"])
        if key in seen:
            seen[key]["also_in"].append(_describe(originals[entry["article_id"]]))
            continue
        seen[key] = entry
    return list(seen.values())


# An indirect quote shorter than this is a clause torn from its sentence ('The US side'), not speech.
_MIN_INDIRECT_WORDS = 4


# Cues that present pictures or findings ("CCTV showed Xi and Kim taking a stroll", "polls show
# Clinton ahead"): attributions worth exporting, but nobody said those words.
_DEPICTION_CUES = frozenset({"show", "shows", "showed", "shown", "showing", "depicted", "depicts"})


# Reported speech that opens on one of these names a topic ("for a quid pro quo", "about the
# talks"), not words anyone said.
_TOPIC_OPENERS = frozenset({"for", "of", "about", "on", "over", "with", "at", "in", "to"})


def _worth_showing(entry: dict[str, Any]) -> bool:
    """Whether a quote tells a reader who said what: reported speech needs a speaker and a clause."""
    if entry["kind"] == "direct":
        return True
    cue = set(re.findall(r"\w+", entry["cue"].lower()))
    if cue & _DEPICTION_CUES and not entry["words"].lower().startswith("that "):
        return False
    first = entry["words"].split(maxsplit=1)[0].lower() if entry["words"].split() else ""
    if first in _TOPIC_OPENERS:
        return False  # "demands for a quid pro quo": a topic, not what was said
    return entry["speaker"] is not None and len(entry["words"].split()) >= _MIN_INDIRECT_WORDS


def _inside(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    """Whether every fragment of one quote lies within the other's extent, in the same article."""
    return (
        inner is not outer
        and inner["article_id"] == outer["article_id"]
        and outer["start"] <= inner["start"]
        and inner["end"] <= outer["end"]
        and (inner["start"], inner["end"]) != (outer["start"], outer["end"])
    )


def _fold_relays(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold a quote that wraps another one ('Kim hoped that X, Xinhua said') into it.

    The inner quote keeps the first speaker's words; the wrapping speaker becomes its nearest
    relay. Listing both would give the words twice, once under the relay's name as if its own.
    """
    dropped: set[int] = set()
    # A quote can only wrap one of its own article's, starting within its extent: look those up
    # by start, not every pair (one report of 6,300 quotes took 12 s comparing all of them).
    by_article: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_article.setdefault(entry["article_id"], []).append(entry)
    starts: dict[str, list[int]] = {}
    for aid, group in by_article.items():
        group.sort(key=lambda e: e["start"])
        starts[aid] = [e["start"] for e in group]
    for n, outer in enumerate(entries):
        aid = outer["article_id"]
        lo = bisect.bisect_left(starts[aid], outer["start"])
        hi = bisect.bisect_right(starts[aid], outer["end"])
        inner = [e for e in by_article[aid][lo:hi] if _inside(e, outer)]
        if not inner:
            continue
        dropped.add(n)
        relay = outer["speaker"]
        for entry in inner:
            if relay and relay != entry["speaker"] and relay not in entry["chain"]:
                entry["chain"] = [relay, *entry["chain"]]
                entry["chain_label"] = chain_label(entry["speaker"], entry["chain"])
    return [e for n, e in enumerate(entries) if n not in dropped]


_RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})
# Outside quotation marks, "I" and "we" are the report's writer ("I think", "we traveled to
# Google's offices"), and "you" is the reader ("you see why ..."), no source at all.
_WRITER_PRONOUNS = frozenset({"i", "we", "me", "us"})
_READER_PRONOUNS = frozenset({"you"})


def _quote_entry(quote: Quote, article: Article) -> dict[str, Any]:
    """One quote as the brief shows it."""
    speaker = (quote.speaker or {}).get("name") or quote.speaker_text
    word = speaker.strip().lower() if speaker is not None else ""
    if speaker is not None and not re.search(r"[^\W\d_]", speaker):
        speaker = None  # a dash or a digit is no name: say the speaker is unknown
    elif word in _RELATIVE_PRONOUNS or word in _READER_PRONOUNS:
        # 'voters, who have typically backed her': left unresolved by the reader, the
        # pronoun names nobody, and shown as a speaker it reads as a name
        speaker = None
    elif word in _WRITER_PRONOUNS:
        speaker = f"{article.author} (the writer)" if article.author else "the writer"
    starts = [s[0] for s in quote.spans] or [0]
    ends = [s[1] for s in quote.spans] or [0]
    chain = [c for c in quote.chain if c.strip().lower() not in _RELATIVE_PRONOUNS]
    return {
        "id": quote.id,
        "speaker": speaker,
        "speaker_id": (quote.speaker or {}).get("id"),
        "words": quote.text,
        "kind": quote.kind,
        "cue": quote.cue,
        "chain": chain,
        "chain_label": chain_label(speaker, chain),
        "outlet": article.outlet or article.source,
        "article_id": article.id,
        "start": min(starts),
        "end": max(ends),
        "spans": [list(s) for s in quote.spans],
        "also_in": [],
    }
