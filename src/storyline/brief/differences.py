"""Where independent sources differ: one count, date or place of one happening, told differently.

A difference costs a reader's attention and may start a correction, so it is only shown when
both sentences speak of the same thing:

- a count: the same unit in the same context ("missed nine games" / "missed 10 games"), not two
  counts of points by two players, nor "one of Egypt's largest" (no unit) or "25-7 on" (no noun);
- a date: days that cannot both hold (a day and the weekend around it agree), in sentences that
  tell the same deed in their own words, not only the same names;
- a place: where something happened ("in", "at", "near" a place), that neither sentence names
  in the other's terms ("Mt Cook" and "Aoraki Mount Cook", "Banstead" and "Banstead High
  Street" agree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storyline.brief.compare import candidate_rows, similar_pairs, source_ref
from storyline.brief.corpus import StoryCorpus, StorySentence
from storyline.brief.dates import date_span, parse_date_value, parse_iso_date
from storyline.brief.text import (
    STOPWORDS,
    canonical_number,
    capitalised_names,
    content_tokens,
    tokens,
)
from storyline.brief.text import numbers as number_set

__all__ = ["find_differences"]

SAME_PREDICATE = 0.3  # sentences on one topic, whose counts of one unit can be compared
SAME_HAPPENING = 0.45  # sentences on one happening, whose dates and places can be compared
CONTEXT_BEFORE = 3  # content words before a count that say whose it is and what it counts
CONTEXT_AFTER = 2  # content words of what the unit is of ("days of the worst riots")
# Words between a number and its unit ("six of the", "more than 40 per cent", "seven
# consecutive life sentences", "two other rifles").
_FILLER = frozenset({
    "of", "the", "a", "an", "more", "than", "about", "some", "nearly", "over", "under", "almost",
    "at", "least", "per", "other", "additional", "further", "straight", "consecutive",
})  # fmt: skip
# Words that follow a number but are not what it counts; spans of time are ("four days").
_NOT_UNITS = (
    STOPWORDS - {"week", "weeks", "year", "years", "day", "days", "time", "times"}
) | frozenset({"others", "top"})
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I
)
_FRACTION_MARKS = frozenset("/½¼¾⅓⅔\ufffd")  # '\ufffd': a fraction lost to a bad encoding
# A sentence that counts across happenings: its counts are sums, not one happening's.
_RUNNING_TOTAL = re.compile(
    r"\b(?:so far|a total of|in total|in all|to date|overall|combined|cumulative|altogether)\b",
    re.IGNORECASE,
)
# Words beside one count that make it a sum ('2,301 career points', 'all-time leader with',
# 'now has 2,302 points').
_TOTAL_WORDS = frozenset({"career", "all-time", "season", "lifetime", "total", "now"})
# Words before a number that make it a count of some only ('his first 17 passes').
_PARTIAL = frozenset({"first", "last", "final", "top", "another", "additional", "next"})
# Words that put a place as where something is or happens.
_LOCATIVE = frozenset({
    "in", "at", "near", "outside", "inside", "into", "across", "throughout", "around", "from",
    "on", "off", "within",
})  # fmt: skip
# Parts of place names that say what kind of place, not which one.
_GENERIC_PLACE_WORDS = frozenset({
    "the", "of", "county", "city", "state", "province", "region", "district", "street", "st",
    "avenue", "ave", "road", "rd", "park", "national", "island", "river", "lake", "mount", "mt",
    "new", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "upper", "lower", "great", "saint", "san", "santa",
})  # fmt: skip
_WRITTEN_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_PLACE_ABBREVIATIONS = {"mt": "mount", "st": "street", "ave": "avenue", "rd": "road"}
_DATE_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "today", "yesterday", "tomorrow", "tonight", "morning", "afternoon", "evening",
    "night", "weekend", "month", "months", "earlier", "later", "ago",
})  # fmt: skip

Found = dict[str, list[tuple[int, int]]]  # a slot value -> where the sentence writes it


@dataclass(frozen=True)
class _Count:
    """One number with its unit, where it is written, and the words around it."""

    value: str
    span: tuple[int, int]
    before: frozenset[str]
    after: frozenset[str]
    running_total: bool  # 'so far', 'a total of', 'career': a sum, not one happening's count

    def comparable(self, other: _Count) -> bool:
        """Whether two counts of one unit speak of the same thing: they share their context."""
        if self.running_total != other.running_total:
            return False
        return bool(self.before & other.before) or bool(self.after & other.after)


def find_differences(corpus: StoryCorpus, limit: int = 10) -> list[dict[str, Any]]:
    """The same slot (a count, a date, a place) of one happening, reported differently."""
    rows = candidate_rows(corpus)
    # places that some sentence names together ('Vancouver, Canada', 'Nashville, Tennessee')
    # are one place at two scales, not two places
    together = [[_place_words(p) for p in r.places] for r in corpus.sentences if len(r.places) > 1]
    best: dict[tuple[Any, ...], dict[str, Any]] = {}
    cache: dict[int, dict[str, list[_Count]]] = {}  # a sentence's counts, read once
    for a, b in similar_pairs(corpus, rows, SAME_PREDICATE):
        shared = (a.entity_ids - a.places) & (b.entity_ids - b.places)
        if not shared and not (capitalised_names(a.text) & capitalised_names(b.text)):
            continue
        for item in _slot_differences(corpus, a, b, together, cache):
            # the same two values told in other sentences of the same sources: shown once
            key = (
                item["kind"],
                item["slot"],
                frozenset((s["article_id"], s["value"]) for s in item["sides"]),
            )
            if key not in best or item["score"] > best[key]["score"]:
                best[key] = item
    out = sorted(best.values(), key=lambda d: -d["score"])
    return out[:limit]


def _slot_differences(
    corpus: StoryCorpus,
    a: StorySentence,
    b: StorySentence,
    together: list[list[set[str]]],
    cache: dict[int, dict[str, list[_Count]]],
) -> list[dict[str, Any]]:
    """Compare counts, dates and places of two sentences about one happening."""
    found = []
    score = round(corpus.similarity(a, b), 3)
    counts_a, counts_b = _counts(a, cache), _counts(b, cache)
    for unit in sorted(set(counts_a) & set(counts_b)):
        values = _count_difference(counts_a[unit], counts_b[unit])
        if values is not None:
            found.append(_difference(corpus, "number", unit, a, b, *values))
    # dates and places differ between different happenings all the time: ask for more overlap,
    # and for the same deed in words, not only the same names
    if score >= SAME_HAPPENING and _deed_words(a) & _deed_words(b):
        relative = _same_known_day(corpus, a, b)
        dates_a, dates_b = _dated(a, relative), _dated(b, relative)
        if dates_a and dates_b and _dates_disagree(dates_a, dates_b):
            found.append(
                _difference(corpus, "date", "date", a, b, _by_label(dates_a), _by_label(dates_b))
            )
        places_a, places_b = _where(a), _where(b)
        if places_a and places_b and _places_disagree(a, b, places_a, places_b, together):
            found.append(_difference(corpus, "place", "place", a, b, places_a, places_b))
    for item in found:
        item["score"] = score
    return found


def _masked_text(row: StorySentence) -> str:
    """The sentence with its dates blanked: '12' in 'June 12' is a date, not a count."""
    text = row.text
    offset = row.sentence.start
    for mention in row.dates:
        if mention.type not in {"DATE", "TIME"}:
            continue
        lo, hi = mention.start - offset, mention.end - offset
        if 0 <= lo < hi <= len(text):
            text = text[:lo] + " " * (hi - lo) + text[hi:]
    return text


def _content(words: list[str]) -> list[str]:
    """Content words (stemmed) of a few tokens, in order, numbers left out."""
    return [t for t in content_tokens(" ".join(words)) if not t[:1].isdigit()]


def _counts(
    row: StorySentence, cache: dict[int, dict[str, list[_Count]]]
) -> dict[str, list[_Count]]:
    """Each count of the sentence by its unit (the noun it counts), with its context."""
    if row.k not in cache:
        cache[row.k] = _read_counts(row)
    return cache[row.k]


def _read_counts(row: StorySentence) -> dict[str, list[_Count]]:
    """Read the counts of one sentence (see ``_counts``)."""
    text = _masked_text(row)
    running_total = _RUNNING_TOTAL.search(text) is not None
    out: dict[str, list[_Count]] = {}
    for match in _NUMBER.finditer(text):
        if _part_of_a_figure(text, match.start(), match.end()):
            continue
        whole = canonical_number(match.group(0))
        values = {whole} if whole is not None else number_set(match.group(0))
        found = _unit_after(tokens(text[match.end() : match.end() + 80]), values)
        if found is None:
            continue
        unit, rest, unit_at = found
        preceding = tokens(text[: match.start()])
        before = frozenset(_content(preceding[-6:])[-CONTEXT_BEFORE:])
        # after the unit, what it is of ('days of the worst riots') or the deed next to it
        # ('magnitude quake struck'); names there are as often the other side ('23 points
        # against the Tar Heels') and later words the occasion all counts share ('in the win')
        tail = rest[unit_at + 1 :]
        near = tail[1:6] if tail[:1] and tail[0].lower() == "of" else tail[:3]
        after = frozenset(_content([w for w in near if w[:1].islower()])[:CONTEXT_AFTER])
        beside = {w.lower() for w in preceding[-4:] + rest[: unit_at + 3]}
        total = running_total or bool(beside & _TOTAL_WORDS)
        for value in values:
            count = _Count(value, (match.start(), match.end()), before, after, total)
            out.setdefault(_singular(unit.lower()), []).append(count)
    return out


def _unit_after(following: list[str], values: set[str]) -> tuple[str, list[str], int] | None:
    """The noun a number counts among the words after it: (unit, words from it on, index)."""
    rest = following
    skipped = ""
    # '28 of 41 passes': the part counts passes as its total does
    while rest and (rest[0].lower() in _FILLER or (skipped == "of" and canonical_number(rest[0]))):
        skipped, rest = rest[0].lower(), rest[1:]
    if not rest or not _is_unit(rest[0]):
        return None
    plural = bool(values) and not values <= {"1"}
    if (
        plural
        and not rest[0].lower().endswith("s")
        and len(rest) > 1
        and _is_unit(rest[1])
        and rest[1].lower().endswith("s")
    ):
        return rest[1], rest, 1  # 'two of the pirate vessels' counts vessels
    return rest[0], rest, 0


def _part_of_a_figure(text: str, start: int, end: int) -> bool:
    """A number that is not a count of its own: a fraction's part ('4 1/2', '4½') or a count
    of a first few ('his first 17 passes')."""
    if text[start - 1 : start] == "/" or text[end : end + 1] in _FRACTION_MARKS:
        return True
    before = text[max(0, start - 12) : start].split()
    return bool(before) and before[-1].lower() in _PARTIAL


def _singular(word: str) -> str:
    """The unit's name: 'punches' and 'punch', 'passes' and 'pass', 'games' and 'game' meet."""
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _is_unit(word: str) -> bool:
    """Whether a word after a number can be what it counts: a lower-case noun-like word."""
    low = word.lower()
    return (
        len(low) >= 3
        and word[:1].islower()
        and any(c.isalpha() for c in low)
        and not any(c.isdigit() for c in low)
        and low not in _NOT_UNITS
    )


def _count_difference(a: list[_Count], b: list[_Count]) -> tuple[Found, Found] | None:
    """The values two sentences give for comparable counts, when none of them agree."""
    if {c.value for c in a} & {c.value for c in b}:
        return None
    side_a = [x for x in a if any(x.comparable(y) for y in b)]
    side_b = [y for y in b if any(y.comparable(x) for x in a)]
    if not side_a or not side_b:
        return None
    found_a: Found = {}
    found_b: Found = {}
    for count in side_a:
        found_a.setdefault(count.value, []).append(count.span)
    for count in side_b:
        found_b.setdefault(count.value, []).append(count.span)
    return found_a, found_b


def _deed_words(row: StorySentence) -> set[str]:
    """Lower-case content words: what the sentence says was done, without names and dates."""
    return set(
        _content([w for w in tokens(row.text) if w[:1].islower() and w.lower() not in _DATE_WORDS])
    )


def _dated(
    row: StorySentence, relative: bool
) -> list[tuple[str, tuple[int, int], tuple[Any, Any]]]:
    """Dates of a sentence known at least to the month: label, span, and the days they cover.

    A date the sentence gives relative to its writing ('on Saturday', 'this morning') is only
    kept when ``relative``: two reports written on different days, or on days not known,
    resolve it against different days, and a difference between them would be the reader's
    guesswork, not the sources'.
    """
    out = []
    for mention in row.dates:
        if mention.type not in {"DATE", "TIME"}:
            continue
        if not relative and not _WRITTEN_YEAR.search(mention.text):
            continue
        value = parse_date_value(mention.value)
        days = date_span(mention.value)
        if value is None or value.year is None or not value.month or days is None:
            continue
        start = mention.start - row.sentence.start
        out.append((value.label, (start, start + len(mention.text)), days))
    return out


def _same_known_day(corpus: StoryCorpus, a: StorySentence, b: StorySentence) -> bool:
    """Whether both sentences' articles are known to be published on the same day."""
    day_a = parse_iso_date(corpus.articles[a.article_id].published)
    return day_a is not None and day_a == parse_iso_date(corpus.articles[b.article_id].published)


def _dates_disagree(a: list[Any], b: list[Any]) -> bool:
    """True when no date of one sentence falls within a date of the other."""
    return all(x[2][1] < y[2][0] or y[2][1] < x[2][0] for x in a for y in b)


def _by_label(dated: list[Any]) -> Found:
    out: Found = {}
    for label, span, _days in dated:
        out.setdefault(label, []).append(span)
    return out


def _where(row: StorySentence) -> Found:
    """Places the sentence puts something in ('in Banstead', 'at Mount Sinai Hospital')."""
    out: Found = {}
    base = row.sentence.start
    for name, start, end in row.place_mentions:
        lo, hi = start - base, end - base
        if not 0 <= lo < hi <= len(row.text):
            continue
        before = [w.lower() for w in tokens(row.text[:lo])][-3:]
        while before and before[-1] in {"the", "a", "an"}:
            before.pop()
        if before and before[-1] in _LOCATIVE:
            out.setdefault(name, []).append((lo, hi))
    return out


def _place_words(name: str) -> set[str]:
    """The words that say which place a name is ('mt cook' -> {'cook'})."""
    words = {_PLACE_ABBREVIATIONS.get(w, w) for w in re.findall(r"[a-z0-9]+", name.lower())}
    return words - _GENERIC_PLACE_WORDS


def _places_disagree(
    a: StorySentence,
    b: StorySentence,
    found_a: Found,
    found_b: Found,
    together: list[list[set[str]]],
) -> bool:
    """True when the sentences' places share no word, neither names the other's, and no
    sentence of the story names two of them together."""
    words_a = set().union(*(_place_words(n) for n in a.places))
    words_b = set().union(*(_place_words(n) for n in b.places))
    if words_a & words_b:
        return False
    for named in together:
        for i, first in enumerate(named):
            if first & words_a and any(j != i and other & words_b for j, other in enumerate(named)):
                return False
    text_a, text_b = a.text.lower(), b.text.lower()
    return not any(n.lower() in text_b for n in found_a) and not any(
        n.lower() in text_a for n in found_b
    )


def _difference(
    corpus: StoryCorpus,
    kind: str,
    slot: str,
    a: StorySentence,
    b: StorySentence,
    values_a: Found,
    values_b: Found,
) -> dict[str, Any]:
    """One difference: the slot, each side's value, where its sentence says it, and the source."""

    def side(row: StorySentence, values: Found) -> dict[str, Any]:
        marks = sorted({span for spans in values.values() for span in spans})
        return source_ref(
            corpus, row, value=", ".join(sorted(values)), highlight=[list(m) for m in marks]
        )

    return {"kind": kind, "slot": slot, "sides": [side(a, values_a), side(b, values_b)]}
