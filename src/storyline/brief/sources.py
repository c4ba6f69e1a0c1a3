"""Who reported what: sources with wire lineage, and the quotes carried by independent sources."""

from __future__ import annotations

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
    for article in bundle.usable_articles():
        root = bundle.root_of(article.id)
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


def build_quotes(bundle: StoryBundle) -> list[dict[str, Any]]:
    """The quotes of the independent sources; one quote carried by several is listed once."""
    originals = {a.id: a for a in bundle.originals()}
    order = {aid: n for n, aid in enumerate(originals)}
    seen: dict[str, dict[str, Any]] = {}
    quotes = sorted(
        (q for q in bundle.quotes if q.article_id in originals),
        key=lambda q: (order[q.article_id], min((s[0] for s in q.spans), default=0)),
    )
    for quote in quotes:
        key = _normalise(quote.text)
        article = originals[quote.article_id]
        if key in seen:
            seen[key]["also_in"].append(_describe(article))
            continue
        seen[key] = _quote_entry(quote, article)
    return list(seen.values())


def _quote_entry(quote: Quote, article: Article) -> dict[str, Any]:
    """One quote as the brief shows it."""
    speaker = (quote.speaker or {}).get("name") or quote.speaker_text
    starts = [s[0] for s in quote.spans] or [0]
    ends = [s[1] for s in quote.spans] or [0]
    return {
        "id": quote.id,
        "speaker": speaker,
        "speaker_id": (quote.speaker or {}).get("id"),
        "words": quote.text,
        "kind": quote.kind,
        "cue": quote.cue,
        "chain": list(quote.chain),
        "chain_label": chain_label(speaker, list(quote.chain)),
        "outlet": article.outlet or article.source,
        "article_id": article.id,
        "start": min(starts),
        "end": max(ends),
        "spans": [list(s) for s in quote.spans],
        "also_in": [],
    }
