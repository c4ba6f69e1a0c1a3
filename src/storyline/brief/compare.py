"""Across sources: what independent sources agree on, where they differ, and what one alone adds."""

from __future__ import annotations

import re
from typing import Any

from storyline.brief.corpus import StoryCorpus, StorySentence
from storyline.brief.dates import parse_date_value
from storyline.brief.text import STOPWORDS, capitalised_names, is_informative, tokens
from storyline.brief.text import numbers as number_set

__all__ = ["find_agreements", "find_differences", "find_unique", "source_ref"]

AGREE_SIMILARITY = 0.5  # restatements of one fact across sources
SAME_PREDICATE = 0.3  # sentences about the same happening, whose slots can then be compared
UNIQUE_SIMILARITY = 0.25  # below this against every other source, a sentence is one source's own
_NUMBER = re.compile(r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)


def source_ref(corpus: StoryCorpus, row: StorySentence, **extra: Any) -> dict[str, Any]:
    """Describe one cited sentence: article, outlet, span and text."""
    article = corpus.articles[row.article_id]
    ref = {
        "article_id": row.article_id,
        "outlet": article.outlet or article.source,
        "start": row.sentence.start,
        "end": row.sentence.end,
        "text": row.text,
    }
    ref.update(extra)
    return ref


def _candidates(corpus: StoryCorpus) -> list[StorySentence]:
    """Sentences worth comparing: informative ones of the originals."""
    return [r for r in corpus.sentences if is_informative(r.sentence)]


def find_agreements(corpus: StoryCorpus, limit: int = 10) -> list[dict[str, Any]]:
    """Facts carried by at least two independent sources: restatements, or one entity-date slot."""
    rows = _candidates(corpus)
    parent = {r.k: r.k for r in rows}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a.article_id != b.article_id and corpus.similarity(a, b) >= AGREE_SIMILARITY:
                parent[root(b.k)] = root(a.k)
    clusters: dict[int, list[StorySentence]] = {}
    for r in rows:
        clusters.setdefault(root(r.k), []).append(r)
    out = []
    for members in clusters.values():
        if len({m.article_id for m in members}) < 2:
            continue
        lead = min(members, key=lambda m: (m.position, m.article_id))
        score = max(corpus.similarity(lead, m) for m in members if m is not lead)
        refs = [source_ref(corpus, m) for m in _one_per_article(members, lead, corpus)]
        out.append({"basis": "overlap", "text": lead.text, "score": round(score, 3), "sources": refs})
    covered = {(s["article_id"], s["start"]) for a in out for s in a["sources"]}
    out.extend(_slot_agreements(corpus, rows, covered))
    out.sort(key=lambda a: (-len(a["sources"]), -a.get("score", 0.0)))
    return out[:limit]


def _one_per_article(
    members: list[StorySentence], lead: StorySentence, corpus: StoryCorpus
) -> list[StorySentence]:
    """Keep, per article, the member closest to the lead (the lead itself for its own article)."""
    best: dict[str, StorySentence] = {lead.article_id: lead}
    for m in members:
        if m.article_id == lead.article_id:
            continue
        held = best.get(m.article_id)
        if held is None or corpus.similarity(lead, m) > corpus.similarity(lead, held):
            best[m.article_id] = m
    return list(best.values())


def _slot_agreements(
    corpus: StoryCorpus, rows: list[StorySentence], covered: set[tuple[str, int]]
) -> list[dict[str, Any]]:
    """Agreements on an (entity, exact date) slot that the wording alone did not reveal."""
    slots: dict[tuple[str, str], list[StorySentence]] = {}
    for r in rows:
        for mention in r.dates:
            value = parse_date_value(mention.value)
            if value is None or value.as_date() is None:
                continue  # only an exact day pins a slot
            for entity in r.entity_ids - r.places:
                slots.setdefault((entity, value.value), []).append(r)
    out = []
    seen: set[frozenset[int]] = set()
    for (entity, date_value), members in sorted(slots.items()):
        firsts = {m.article_id: m for m in reversed(members)}
        key = frozenset(m.k for m in firsts.values())
        if len(firsts) < 2 or key in seen:
            continue
        if all((m.article_id, m.sentence.start) in covered for m in firsts.values()):
            continue
        seen.add(key)
        name = corpus.bundle.entities[entity].name if entity in corpus.bundle.entities else entity
        refs = [source_ref(corpus, m) for m in firsts.values()]
        out.append(
            {
                "basis": "slot",
                "slot": {"entity": name, "date": date_value},
                "text": refs[0]["text"],
                "score": 0.0,
                "sources": refs,
            }
        )
    return out


def _numbers_with_units(row: StorySentence) -> dict[str, set[str]]:
    """Map each number's unit (the next content word) to the numbers given for it, dates masked."""
    text = row.text
    offset = row.sentence.start
    for mention in row.dates:  # '12' in 'June 12' is a date, not a count
        lo, hi = mention.start - offset, mention.end - offset
        if 0 <= lo < hi <= len(text):
            text = text[:lo] + " " * (hi - lo) + text[hi:]
    out: dict[str, set[str]] = {}
    for match in _NUMBER.finditer(text):
        following = [w.lower() for w in tokens(text[match.end() : match.end() + 40])]
        unit = next((w for w in following if w not in STOPWORDS and not w.isdigit()), None)
        value = number_set(match.group(0))
        if unit and value:
            out.setdefault(unit.rstrip("s"), set()).update(value)
    return out


def _exact_dates(row: StorySentence) -> set[str]:
    """Dates of a sentence known at least to the month."""
    values = (parse_date_value(m.value) for m in row.dates if m.type in {"DATE", "TIME"})
    return {v.value for v in values if v is not None and v.year is not None and v.month}


def find_differences(corpus: StoryCorpus, limit: int = 10) -> list[dict[str, Any]]:
    """The same slot (a count, a date, a place) of one happening, reported differently."""
    rows = _candidates(corpus)
    out: list[dict[str, Any]] = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a.article_id == b.article_id or corpus.similarity(a, b) < SAME_PREDICATE:
                continue
            shared = (a.entity_ids - a.places) & (b.entity_ids - b.places)
            if not shared and not (capitalised_names(a.text) & capitalised_names(b.text)):
                continue
            out.extend(_slot_differences(corpus, a, b))
    out.sort(key=lambda d: -d["score"])
    return out[:limit]


def _slot_differences(
    corpus: StoryCorpus, a: StorySentence, b: StorySentence
) -> list[dict[str, Any]]:
    """Compare counts, dates and places of two sentences about one happening."""
    found = []
    score = round(corpus.similarity(a, b), 3)
    units_a, units_b = _numbers_with_units(a), _numbers_with_units(b)
    for unit in sorted(set(units_a) & set(units_b)):
        if units_a[unit].isdisjoint(units_b[unit]):
            found.append(_difference(corpus, "number", unit, a, b, units_a[unit], units_b[unit]))
    dates_a, dates_b = _exact_dates(a), _exact_dates(b)
    if dates_a and dates_b and dates_a.isdisjoint(dates_b):
        found.append(_difference(corpus, "date", "date", a, b, dates_a, dates_b))
    if a.places and b.places and a.places.isdisjoint(b.places):
        names = corpus.bundle.entities
        place_a = {names[p].name if p in names else p for p in a.places}
        place_b = {names[p].name if p in names else p for p in b.places}
        found.append(_difference(corpus, "place", "place", a, b, place_a, place_b))
    for item in found:
        item["score"] = score
    return found


def _difference(
    corpus: StoryCorpus,
    kind: str,
    slot: str,
    a: StorySentence,
    b: StorySentence,
    values_a: set[str],
    values_b: set[str],
) -> dict[str, Any]:
    """One difference: the slot and each side's value with its source sentence."""
    return {
        "kind": kind,
        "slot": slot,
        "sides": [
            source_ref(corpus, a, value=", ".join(sorted(values_a))),
            source_ref(corpus, b, value=", ".join(sorted(values_b))),
        ],
    }


def find_unique(
    corpus: StoryCorpus, scores: dict[int, float], per_source: int = 3
) -> list[dict[str, Any]]:
    """Each independent source's most informative sentences that no other source supports."""
    if len(corpus.originals) < 2:
        return []  # with one source, everything is 'unique' and saying so adds nothing
    out = []
    for article in corpus.originals:
        own = []
        for row in corpus.by_article.get(article.id, []):
            if row.k not in scores:
                continue
            others = [corpus.similarity(row, o) for o in corpus.others(row)]
            if max(others, default=0.0) < UNIQUE_SIMILARITY:
                own.append(row)
        own.sort(key=lambda r: -scores[r.k])
        out.extend(source_ref(corpus, r) for r in sorted(own[:per_source], key=lambda r: r.k))
    return out
