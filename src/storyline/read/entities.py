"""Entity mentions of one article: clean names, cluster them into local entities, resolve speakers.

``extract_entities`` reads a spaCy ``Doc`` (NER pipeline) into :class:`LocalEntity` clusters;
``extract_mentions`` flattens them. Each mention's ``entity_id`` holds its article-local key
(``"<article_id>#e<n>"``) until :class:`storyline.link.identity.EntityResolver` maps it to a global id.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storyline.link.aliases import (
    LEADER_ROLES,
    ROLE_WORDS,
    TITLE_WORDS,
    AliasTable,
    acronym_matches,
    agency_name,
    best_form,
    is_acronym,
    load_alias_table,
    name_tokens,
    normalize_key,
)
from storyline.models import EntityMention
from storyline.read.name_spans import honorific_sex, trim_headline_names, within_one_line
from storyline.read.nlp import doc_text
from storyline.read.quote_features import ADJECTIVE_ENDINGS

__all__ = [
    "KEPT_LABELS",
    "LocalEntity",
    "extract_entities",
    "extract_mentions",
    "resolve_speaker",
]

KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_NAMELESS = re.compile(r"[/@|]|https?:")
_DASHES = frozenset({"-", "\u2010", "\u2011", "\u2013"})
_POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
_COMPASS = frozenset({"north", "south", "east", "west"})
# possessives too: "emphasising his support for …" makes "his" the speaker
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her", "his", "hers"})
_PRONOUNS_GROUP = frozenset({"they", "it", "their", "its"})
# "who" and "which" speak for the name just before them ("Nichols, 35, who argued"), with at
# most a short apposition between and no clause or quotation ending in it.
_RELATIVE_PRONOUNS = frozenset({"who", "which"})
_ANTECEDENT_WINDOW = 40
# What may stand between the name and "who": a comma, or an apposition set off by commas
# ("Nichols, 35, who"; "Ben Bradlee, the editor, who"), never a clause ("Benjamin's
# background, there were some who").
_APPOSITION_GAP = re.compile(r"\s*,\s*(?:[^,.;:!?\"“”]{1,30},\s*)?")
# Speaker pronouns look back at most this far: further than that, a guess is worse than None.
_PRONOUN_WINDOW = 700


@dataclass
class LocalEntity:
    """One entity within one article: its name forms, mentions and the titles it was given."""

    key: str
    name: str
    type: str
    names: list[str] = field(default_factory=list)  # name forms as written, descriptions excluded
    mentions: list[EntityMention] = field(default_factory=list)
    roles: set[tuple[str | None, str]] = field(default_factory=set)  # (country, role) from titles
    description: tuple[str | None, str] | None = None  # unresolved "the Chinese leader"
    # "m" or "f" when the honorifics before its mentions ("Mr.", "Mrs.", "Ms.") all say one sex
    sex: str | None = None
    # for "Mrs. Clinton" kept apart from the report's Clintons: the key of the one named last
    # before it, which stands when other reports do not tell the Clintons' sexes apart
    fallback: str | None = None


@dataclass
class _Raw:
    """A cleaned NER mention before clustering."""

    start: int
    end: int
    text: str
    type: str
    roles: set[tuple[str | None, str]]
    is_description: bool = False
    anchor: int | None = None  # char offset inside the name a description stands beside
    sex: str | None = None  # from an honorific right before it: "m" (Mr.) or "f" (Mrs., Ms.)
    fallback: _Raw | None = None  # a full name of the cluster the last named would have given


_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# Words that open a sentence, not a name, when the tagger takes them in ("Across Athens").
_NOT_FIRST_NAMES = frozenset({
    "across", "in", "at", "on", "from", "near", "the", "a", "an", "for", "with", "by", "to", "of",
    "after", "before", "during", "under", "over", "into", "as", "around", "outside", "inside",
})  # fmt: skip
# A preposition right before a name that puts it as a place ("in Houston", "near Jackson").
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|to|into|across|outside|inside|toward|towards|throughout|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    """Lower-case a token and drop dots for title lookups."""
    return text.lower().strip(".,")


def _country_before(doc: Any, index: int, aliases: AliasTable) -> str | None:
    """The country named by the entity that ends just before token ``index`` ("China's", "US")."""
    j = index - 1
    if j >= 0 and doc[j].text in _POSSESSIVES:
        j -= 1
    if j < 0:
        return None
    tok = doc[j]
    ends_entity = j + 1 == len(doc) or doc[j + 1].ent_iob_ != "I" or doc[j + 1].text in _POSSESSIVES
    if tok.ent_type_ in {"GPE", "NORP", "LOC"} and ends_entity:
        first = j
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        text = _clean_edges(doc[first : j + 1].text)
        return aliases.country_of(text) or _title_case(text)
    # The model misses some countries, above all in capitals ("CHINA'S President").
    return aliases.country_of(doc[j].text) if doc[j].text[:1].isupper() else None


def _clean_edges(text: str) -> str:
    """Strip possessives, leading "the" and trailing dashes from an entity's text."""
    text = re.sub(r"[’']s?$", "", text.strip()).rstrip("-\u2013 ")
    return re.sub(r"^[Tt]he\s+", "", text)


def _title_case(text: str) -> str:
    """Title-case an all-caps headline word ("CHINA" -> "China"); keep acronyms and mixed case."""
    if text.isupper() and not is_acronym(text):
        return text.title()
    return text


def _titles_before(doc: Any, index: int, aliases: AliasTable) -> set[tuple[str | None, str]]:
    """The (country, role) of the title words before token ``index`` ("Chinese President")."""
    j = index
    words: list[str] = []
    while j > 0:
        tok = doc[j - 1]
        if tok.text == "(" or (_fold(tok.text) in TITLE_WORDS and tok.text[:1].isalpha()):
            if tok.text != "(":
                words.insert(0, _fold(tok.text))
            j -= 1
            continue
        break
    roles: set[tuple[str | None, str]] = set()
    heads = [w for w in words if w in ROLE_WORDS]
    if heads:
        country = _country_before(doc, j, aliases)
        roles.add((country, heads[-1]))
    return roles


def _clean(ent: Any, doc: Any, aliases: AliasTable) -> _Raw | None:
    """Clean one spaCy entity: titles, "the", possessives, broken hyphenated names."""
    start, end = within_one_line(doc, ent.start, ent.end)
    label = ent.label_
    # "Moon Jae-in": the small model often stops before a hyphenated last syllable.
    if (
        label == "PERSON"
        and end + 1 < len(doc)
        and doc[end - 1].whitespace_ == ""
        and doc[end].text in _DASHES
        and doc[end].whitespace_ == ""
        and doc[end + 1].is_alpha
        and doc[end + 1].is_lower
        and len(doc[end + 1]) <= 4
    ):
        end += 2
    # Trailing possessives and punctuation ("South Korea's", "North Korea-").
    while end > start and (doc[end - 1].text in _POSSESSIVES or doc[end - 1].is_punct):
        end -= 1
    # Leading "the": lower case always; capitalised only at a sentence start ("The Hague" stays).
    while start < end and (
        doc[start].is_punct
        or (doc[start].lower_ == "the" and (doc[start].text == "the" or doc[start].is_sent_start))
    ):
        start += 1
    if label == "PERSON":
        while end - start > 1 and (
            _fold(doc[start].text) in TITLE_WORDS
            or (is_acronym(doc[start].text) and _fold(doc[start + 1].text) in TITLE_WORDS)
        ):
            start += 1
    if start >= end:
        return None
    span = doc[start:end]
    text = span.text
    if _NAMELESS.search(text) or not any(c.isupper() for c in text):
        return None
    roles: set[tuple[str | None, str]] = set()
    if label == "PERSON":
        roles = _titles_before(doc, start, aliases)
    return _Raw(span.start_char, span.end_char, text, label, roles)


def _appositive(doc: Any, first: int, end: int) -> int | None:
    """Char offset of the name in apposition to tokens [first, end): "X, the ..." / "the ..., X"."""
    # The small model often calls such a name ORG; the person-role beside it settles it.
    named = {"PERSON", "ORG"}
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ in named:
        last = end + 1
        while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
            last += 1
        return int(doc[last].idx)
    if first >= 2 and doc[first - 1].text == "," and doc[first - 2].ent_type_ in named:
        return int(doc[first - 2].idx)
    return None


def _descriptions(doc: Any, aliases: AliasTable) -> list[_Raw]:
    """Find "the <nationality> <role>" descriptions not followed by a name ("the Chinese leader")."""
    out: list[_Raw] = []
    for ent in doc.ents:
        if ent.label_ not in {"NORP", "GPE"} or ent.start == 0:
            continue
        if doc[ent.start - 1].lower_ != "the":
            continue
        j = ent.end
        if j < len(doc) and doc[j].text in _POSSESSIVES:
            j += 1
        words: list[str] = []
        while j < len(doc) and doc[j].is_lower and doc[j].lower_ in TITLE_WORDS and len(words) < 3:
            words.append(doc[j].lower_)
            j += 1
        if not words or words[-1] not in ROLE_WORDS:
            continue
        if j < len(doc) and doc[j].ent_type_ == "PERSON":  # a title, not a description
            continue
        span = doc[ent.start - 1 : j]
        country = aliases.country_of(_clean_edges(ent.text)) or _title_case(_clean_edges(ent.text))
        role: set[tuple[str | None, str]] = {(country, words[-1])}
        anchor = _appositive(doc, ent.start - 1, j)
        out.append(_Raw(span.start_char, span.end_char, span.text, "PERSON", role, True, anchor))
    return out


def _settle_types(raws: list[_Raw]) -> None:
    """Give every mention of one name of two words or more the type most of them have.

    The tagger takes "Trump Tower" for a person at times and a building at others; as a person's
    full name it would draw the article's lone "Trump" away from Donald Trump. A name of one
    word keeps each mention's type: "Washington" is the city in one sentence, the man in the next.
    """
    by_name: dict[str, list[_Raw]] = {}
    for raw in raws:
        tokens = name_tokens(raw.text)
        if len(tokens) > 1:
            by_name.setdefault("".join(tokens), []).append(raw)
    for group in by_name.values():
        counts = Counter(r.type for r in group)
        if len(counts) < 2:
            continue
        (top, n), (_, second) = counts.most_common(2)
        if n > second:  # a tie settles nothing
            for raw in group:
                raw.type = top


# Words that make a name an organisation's whatever the words before them ("Clinton Foundation").
_ORGANISATION_WORDS = frozenset(
    {
        "administration", "agency", "association", "bank", "campaign", "center", "centre",
        "church", "club", "co", "college", "commission", "committee", "company", "corp",
        "council", "department", "foundation", "fund", "group", "inc", "institute", "llc",
        "ltd", "ministry", "network", "news", "organization", "organisation", "pac", "partners",
        "party", "post", "school", "society", "times", "union", "university",
    }
)  # fmt: skip
# A capitalised word with no possessive: "Fiorina", "McCain", "O'Brien", "Ocasio-Cortez".
_PLAIN_NAME_WORD = re.compile(r"[A-Z][a-z]*(?:['’]?[A-Z][a-z]+)*(?:-[A-Z][a-z]+)?")
# An article right before a name: "the Stop Trump movement".
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|these|those)\s+$", re.IGNORECASE)


def _people_tagged_as_organisations(raws: list[_Raw], text: str) -> None:
    """Make a person of a two- or three-word "organisation" whose last word the article gives
    another person as their surname ("Carly Fiorina" beside "Frank Fiorina").

    The tagger calls some people's names organisations throughout; the lone surname, which the
    reader joins to the one person of that surname, then went to the husband named once. A
    first word the article also writes in lower case is a word, not a given name ("Young
    Latinos"), and one after an article is no one's name ("the Stop Trump movement").
    """
    surnames: dict[str, set[tuple[str, ...]]] = {}
    for r in raws:
        if r.type == "PERSON" and all(_PLAIN_NAME_WORD.fullmatch(w) for w in r.text.split()):
            tokens = tuple(name_tokens(r.text))
            if tokens:
                surnames.setdefault(tokens[-1], set()).add(tokens)
    for raw in raws:
        words = raw.text.split()
        if (
            raw.type != "ORG"
            or not 2 <= len(words) <= 3
            or not all(_PLAIN_NAME_WORD.fullmatch(w) for w in words)
            or any(w.lower() in _ORGANISATION_WORDS for w in words)
        ):
            continue
        tokens = tuple(name_tokens(raw.text))
        others = surnames.get(tokens[-1], set()) - {tokens}
        if (
            others
            and not re.search(rf"\b{re.escape(words[0].lower())}\b", text)
            and not _DETERMINER_BEFORE.search(text, max(0, raw.start - 8), raw.start)
        ):
            raw.type = "PERSON"


def _propagate(doc: Any, text: str, raws: list[_Raw], aliases: AliasTable) -> list[_Raw]:
    """Find untagged repeats of names the model tagged elsewhere in the article ("KCNA said")."""
    covered = bytearray(len(text) + 1)
    for raw in raws:
        covered[raw.start : raw.end] = b"\x01" * (raw.end - raw.start)
    first: dict[str, _Raw] = {}
    for raw in raws:
        tokens = name_tokens(raw.text)
        if tokens and tokens[0] not in _COMPASS:
            first.setdefault(raw.text, raw)
    if not first:
        return []
    # One pass with every form, longest first, so "Kim Jong Un" wins over "Kim".
    forms = sorted(first, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, forms))})(?![\w-])")
    found: list[_Raw] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if any(covered[start:end]):
            continue
        span = doc.char_span(start, end)
        # Only proper nouns: "Trump" the name, never "trump" the verb or a stray capital.
        if span is None or not all(t.tag_ in {"NNP", "NNPS"} for t in span):
            continue
        if any(t.ent_type_ for t in span):  # "May" in the date "May 16" is not Theresa May
            continue
        raw = first[match.group()]
        roles = _titles_before(doc, span.start, aliases) if raw.type == "PERSON" else set()
        found.append(_Raw(start, end, raw.text, raw.type, roles))
    return found


def _match_key(name: str, aliases: AliasTable) -> str:
    """Key under which forms of one entity meet within an article."""
    # "KCNA news agency", "Yonhap news agency": the agency is the one-word name before it.
    name = agency_name(name)
    known = aliases.lookup(name)
    return normalize_key(known[0]) if known is not None else normalize_key(name)


class _Clusters:
    """Union of raw mentions into local entities, in text order."""

    def __init__(self, aliases: AliasTable) -> None:
        self.aliases = aliases
        self.members: list[list[_Raw]] = []
        self.by_key: dict[tuple[str, str], int] = {}

    def add(self, raw: _Raw, cluster: int | None = None, apart: str = "") -> int:
        """Put a mention in ``cluster`` or in the cluster of its key (new if none).

        ``apart`` keeps mentions of one name in a cluster of their own ("Mrs. Clinton" beside
        "Mr. Clinton" where the report names two Clintons).
        """
        if raw.is_description:
            key = ("DESC", "|".join(f"{c}:{r}" for c, r in sorted(raw.roles, key=str)))
        else:
            group = "PERSON" if raw.type == "PERSON" else "NORP" if raw.type == "NORP" else "NAME"
            key = (group, _match_key(raw.text, self.aliases) + apart)
        if cluster is None:
            cluster = self.by_key.get(key)
        if cluster is None:
            cluster = len(self.members)
            self.members.append([])
        self.by_key.setdefault(key, cluster)
        self.members[cluster].append(raw)
        return cluster

    def merge(self, keep: int, other: int) -> None:
        """Move every mention of cluster ``other`` into ``keep``."""
        if keep == other:
            return
        self.members[keep].extend(self.members[other])
        self.members[other] = []
        for key, value in self.by_key.items():
            if value == other:
                self.by_key[key] = keep


def _is_part_of(toks: list[str], names: set[tuple[str, ...]]) -> bool:
    """Whether ``toks`` begin or end some longer name in ``names``."""
    n = len(toks)
    return any(len(t) > n and (list(t[:n]) == toks or list(t[-n:]) == toks) for t in names)


# Full names by every shorter run of words that starts or ends them ("Kim", "Kim Jong", "Un",
# "Jong Un" for "Kim Jong Un"): each entry is (position of the mention, its cluster).
_FullIndex = dict[tuple[str, ...], list[tuple[int, int]]]


def _index_full_names(full: list[tuple[int, list[str], int]]) -> _FullIndex:
    """Index full-name mentions by their leading and trailing word runs.

    A short form is then matched against the few names it can stand for, not against every
    full name of the article: a text naming thousands of people took minutes otherwise.
    """
    index: _FullIndex = {}
    for start, ftoks, cluster in full:
        runs = {tuple(ftoks[:k]) for k in range(1, len(ftoks))}
        runs |= {tuple(ftoks[-k:]) for k in range(1, len(ftoks))}
        for run in runs:
            index.setdefault(run, []).append((start, cluster))
    return index


def _short_form_target(
    raw: _Raw, full: _FullIndex, kin: frozenset[int] = frozenset()
) -> int | None:
    """Cluster of the full name a short form ("Xi", "Kim Jong") stands for, or None if unclear.

    Of several, a relative named only as one ("her husband, Frank Fiorina") is left out: a
    report calls such a relative by the given name, and the surname alone is the person the
    report is about.
    """
    toks = name_tokens(raw.text)
    if not toks:
        return None
    candidates = full.get(tuple(toks), [])
    principal = [(start, c) for start, c in candidates if c not in kin]
    return _latest_fit(raw, principal or candidates)


# A relation named right before a person's full name, titles allowed between ("her husband,
# former President Bill Clinton", "His sister Kim Yo Jong").
_KIN_BEFORE = re.compile(
    r"\b(?:husband|wife|spouse|widow|widower|son|daughter|brother|sister|father|mother|cousin|"
    r"uncle|aunt|nephew|niece|grandson|granddaughter|grandfather|grandmother|stepson|"
    r"stepdaughter|stepfather|stepmother|fianc[ée]e?)s?,?\s+(?:[A-Z][\w.]*\s+){0,3}$",
    re.IGNORECASE,
)


def _kin_only(
    full: list[tuple[int, list[str], int]], raws: list[_Raw], text: str
) -> frozenset[int]:
    """Clusters of full names the article gives only after a family relation."""
    by_cluster: dict[int, list[bool]] = {}
    for (_, _, cluster), raw in zip(full, raws, strict=True):
        kin = bool(_KIN_BEFORE.search(text, max(0, raw.start - 60), raw.start))
        by_cluster.setdefault(cluster, []).append(kin)
    return frozenset(c for c, marks in by_cluster.items() if all(marks))


def _sex_of(members: list[_Raw]) -> str | None:
    """The one sex the honorifics of a cluster's mentions say, if they say one."""
    sexes = {r.sex for r in members if r.sex}
    return sexes.pop() if len(sexes) == 1 else None


def _latest_fit(raw: _Raw, candidates: list[tuple[int, int]]) -> int | None:
    """The one cluster among (position, cluster) candidates, else the one named last before."""
    fits: dict[int, int] = {}  # cluster -> position of its latest full mention before this one
    for start, cluster in candidates:
        last = start if start < raw.start else -1
        fits[cluster] = max(fits.get(cluster, -1), last)
    if len(fits) == 1:
        return next(iter(fits))
    before = {c: pos for c, pos in fits.items() if pos >= 0}
    if before:  # several Kims: the one last named in full
        return max(before, key=lambda c: before[c])
    return None


def _cluster(raws: list[_Raw], text: str, aliases: AliasTable) -> _Clusters:
    """Cluster cleaned mentions: exact keys, acronyms, short forms, "the North", descriptions."""
    clusters = _Clusters(aliases)
    people = [r for r in raws if r.type == "PERSON" and not r.is_description]
    multi = [r for r in people if len(name_tokens(r.text)) > 1]
    # A full name is a multi-token name that is not the start or end of a longer one ("Kim Jong").
    longer = {tuple(name_tokens(r.text)) for r in multi}
    person_full = [r for r in multi if not _is_part_of(name_tokens(r.text), longer)]
    full_names = [(raw.start, name_tokens(raw.text), clusters.add(raw)) for raw in person_full]
    full_index = _index_full_names(full_names)
    kin = _kin_only(full_names, person_full, text)
    named_by = {cluster: raw for raw, (_, _, cluster) in zip(person_full, full_names, strict=True)}
    surnames: dict[str, list[tuple[int, int]]] = {}
    for start, ftoks, cluster in full_names:
        # "Across Athens" tagged as a person's name must not take the place "Athens" with it
        if ftoks[0].lower() not in _NOT_FIRST_NAMES:
            surnames.setdefault(ftoks[-1], []).append((start, cluster))
    # By identity: equal-valued mentions are still different mentions, and comparing values
    # against every full name grew with the square of the names in a text.
    full_ids = {id(r) for r in person_full}
    names = [r for r in raws if not r.is_description and id(r) not in full_ids]
    # Plain names first, so acronyms in parentheses can find the name they follow.
    placed: dict[int, int] = {}
    for i, raw in enumerate(names):
        toks = name_tokens(raw.text)
        target = None
        raw.sex = honorific_sex(text, raw.start)
        if len(toks) >= 1 and raw.type in {"PERSON", "ORG"} and aliases.lookup(raw.text) is None:
            if raw.sex and len({c for _, c in full_index.get(tuple(toks), [])}) > 1:
                # "Mrs. Clinton" where the report names Hillary and Bill Clinton: the last one
                # named is a guess the honorific often contradicts. Kept apart with its sex,
                # the link stage tells which of them the collection calls "Mrs." (or "Mr.").
                raw.type = "PERSON"
                last = _short_form_target(raw, full_index)
                raw.fallback = named_by.get(last) if last is not None else None
                placed[i] = clusters.add(raw, apart=f"#{raw.sex}")
                continue
            target = _short_form_target(raw, full_index, kin)
        elif (
            len(toks) == 1
            and raw.type in _PLACE_TYPES
            and aliases.lookup(raw.text) is None
            and not _LOCATIVE_BEFORE.search(text, max(0, raw.start - 12), raw.start)
        ):
            # The tagger often takes a surname alone for a place ("Palin has apologised",
            # "Chohan was pronounced dead"): it is the person the article names in full,
            # unless it stands where a place does ("in Houston").
            target = _latest_fit(raw, surnames.get(toks[0], []))
        if target is not None:
            raw.type = "PERSON"
        placed[i] = clusters.add(raw, target)
    _merge_acronyms(names, placed, clusters, text, aliases)
    _merge_compass(names, placed, clusters, aliases)
    descriptions = [r for r in raws if r.is_description]
    # Appositions first ("the Mexican president, Enrique Pena Nieto"): they also teach a title.
    for raw in sorted(descriptions, key=lambda r: r.anchor is None):
        _place_description(raw, clusters)
    return clusters


def _merge_acronyms(
    names: list[_Raw], placed: dict[int, int], clusters: _Clusters, text: str, aliases: AliasTable
) -> None:
    """Join "Name (ACR)" and acronyms that spell the initials of one name in the article."""
    for i, raw in enumerate(names):
        if not is_acronym(raw.text) or raw.type == "PERSON":
            continue
        if (
            i > 0
            and raw.start > 0
            and text[raw.start - 1] == "("
            and text[raw.end : raw.end + 1] == ")"
        ):
            prev = names[i - 1]
            known = aliases.lookup(raw.text)
            # "Name (ACR)" defines the acronym, unless the acronym is another known entity, as in
            # the dateline "WASHINGTON (AP)", or the name is one word that cannot spell it.
            defines = acronym_matches(raw.text, prev.text) or (
                len(name_tokens(prev.text)) > 1
                and (known is None or known == aliases.lookup(prev.text))
            )
            if text[prev.end : raw.start].strip() == "(" and prev.type != "PERSON" and defines:
                clusters.merge(placed[i - 1], placed[i])
                continue
        spelled = {
            placed[j]
            for j, other in enumerate(names)
            if other.type != "PERSON" and acronym_matches(raw.text, other.text)
        }
        spelled.discard(placed[i])
        if len(spelled) == 1:
            clusters.merge(spelled.pop(), placed[i])


def _merge_compass(
    names: list[_Raw], placed: dict[int, int], clusters: _Clusters, aliases: AliasTable
) -> None:
    """Join "the North" to the one "North <X>" country the article names (North Korea).

    Only countries: "the West" is not West Virginia, nor "the South" South Carolina.
    """
    for i, raw in enumerate(names):
        toks = name_tokens(raw.text)
        if len(toks) != 1 or toks[0] not in _COMPASS:
            continue
        fits = {
            placed[j]
            for j, other in enumerate(names)
            if other.type in {"GPE", "LOC"}
            and len(name_tokens(other.text)) == 2
            and name_tokens(other.text)[0] == toks[0]
            and aliases.country_of(other.text) is not None
        }
        if len(fits) == 1:
            target = fits.pop()
            raw.type = "GPE"
            clusters.merge(target, placed[i])
            placed[i] = target


def _role_fits(wanted: str, have: str) -> bool:
    """Whether a title ``have`` fits the role word of a description ``wanted``."""
    return wanted == have or (wanted == "leader" and have in LEADER_ROLES)


def _place_description(raw: _Raw, clusters: _Clusters) -> None:
    """Attach a description to the one person whose titles fit it, else keep it apart."""
    ((country, role),) = raw.roles
    if raw.anchor is not None:
        for index, members in enumerate(clusters.members):
            for other in members:
                if other.type in {"PERSON", "ORG"} and other.start <= raw.anchor < other.end:
                    other.type = "PERSON"
                    other.roles |= raw.roles
                    clusters.add(raw, index)
                    return
    fits = set()
    for index, members in enumerate(clusters.members):
        for other in members:
            if (
                other.type == "PERSON"
                and not other.is_description
                and any(c == country and _role_fits(role, r) for c, r in other.roles)
            ):
                fits.add(index)
    clusters.add(raw, fits.pop() if len(fits) == 1 else None)


_MIN_ADJECTIVE_LEN = 6  # shorter words with those endings are often first names (Eric, Neal)


def _opening_adjective(members: list[_Raw], text: str) -> bool:
    """Whether an entity is only a capitalised adjective opening a sentence, tagged as a person
    ("Historic talks between ..."): one mention, one word, nothing before it in its sentence."""
    if len(members) != 1 or members[0].is_description or members[0].type != "PERSON":
        return False
    raw = members[0]
    word = raw.text
    if (
        " " in word
        or len(word) < _MIN_ADJECTIVE_LEN
        or not word.lower().endswith(ADJECTIVE_ENDINGS)
    ):
        return False
    before = text[: raw.start].rstrip(" \t\"'“‘")
    return not before or before[-1] in ".!?\n"


def extract_entities(
    doc: Any, article_id: str, aliases: AliasTable | None = None
) -> list[LocalEntity]:
    """Read the named entities of one article into local entities (clusters of mentions)."""
    table = aliases or load_alias_table()
    raws = [r for ent in doc.ents if ent.label_ in KEPT_LABELS if (r := _clean(ent, doc, table))]
    text = doc_text(doc)
    trim_headline_names(raws, text)
    _settle_types(raws)
    _people_tagged_as_organisations(raws, text)
    raws.extend(_propagate(doc, text, raws, table))
    raws.extend(_descriptions(doc, table))
    raws.sort(key=lambda r: (r.start, r.end))
    clusters = _cluster(raws, text, table)
    result: list[LocalEntity] = []
    key_of: dict[int, str] = {}  # id of a mention -> key of its local entity
    kept: list[tuple[LocalEntity, list[_Raw]]] = []
    for members in clusters.members:
        if not members or _opening_adjective(members, text):
            continue
        members.sort(key=lambda r: r.start)
        key = f"{article_id}#e{len(result)}"
        names = [r.text for r in members if not r.is_description]
        types = [r.type for r in members if not r.is_description] or ["PERSON"]
        etype = max(set(types), key=lambda t: (types.count(t), t == "PERSON"))
        known = next((k for n in names if (k := table.lookup(agency_name(n))) is not None), None)
        if known is not None:
            name, etype = known
        else:
            name = _title_case(best_form(Counter(names))) if names else members[0].text
        entity = LocalEntity(key=key, name=name, type=etype, names=names, sex=_sex_of(members))
        for raw in members:
            entity.roles |= set() if raw.is_description else raw.roles
            # Mentions take the entity's settled type: a mislabelled "Trump" (ORG) is a PERSON.
            entity.mentions.append(
                EntityMention(article_id, raw.start, raw.end, raw.text, etype, key)
            )
        if not names:
            entity.description = next(iter(members[0].roles))
        result.append(entity)
        kept.append((entity, members))
        key_of.update((id(raw), key) for raw in members)
    for entity, members in kept:
        fallbacks = Counter(key_of.get(id(r.fallback)) for r in members if r.fallback)
        fallbacks.pop(None, None)
        if fallbacks:
            entity.fallback = fallbacks.most_common(1)[0][0]
    return result


def extract_mentions(
    doc: Any, article_id: str, aliases: AliasTable | None = None
) -> list[EntityMention]:
    """Entity mentions of one article in text order; ``entity_id`` holds the local entity key."""
    mentions = [m for e in extract_entities(doc, article_id, aliases) for m in e.mentions]
    return sorted(mentions, key=lambda m: (m.start, m.end))


def _quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans between quotation marks (curly pairs, or straight quotes taken in turn)."""
    regions = [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”", text)]
    regions += [(m.start(), m.end()) for m in re.finditer(r'"[^"]*"', text)]
    return regions


def _outside_quotes(
    mentions: list[EntityMention], span: tuple[int, int], text: str
) -> list[EntityMention]:
    """Mentions not inside a quotation that the speaker span is outside of.

    In '"I met Kim," he said' the "he" is not Kim: a name quoted in the speech is rarely the speaker.
    """
    regions = [r for r in _quoted_regions(text) if not (r[0] <= span[0] < r[1])]
    return [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in regions)]


def _titled(mentions: list[EntityMention], text: str, words: list[str]) -> set[str | None]:
    """Entity keys of people whose name is somewhere preceded by the description's role word."""
    role = words[-1]
    keys: set[str | None] = set()
    for m in mentions:
        if m.type != "PERSON":
            continue
        before = re.findall(r"[\w’'.]+", text[max(0, m.start - 40) : m.start].lower())
        if before and before[-1].strip(".") == role:
            keys.add(m.entity_id)
    return keys


_POSSESSIVE_TAIL = re.compile(r"\s*['’]s?(?!\w)", re.IGNORECASE)


def _qualifier(m: EntityMention, rest: str) -> bool:
    """Whether mention m, followed by ``rest`` of the speaker span, only qualifies another head:
    a possessive ("Trump's lawyer") or a nationality ("Chinese officials") before more words."""
    possessive = _POSSESSIVE_TAIL.match(rest)
    if possessive:
        rest = rest[possessive.end() :]
    elif m.type != "NORP":
        return False  # mentions come with their possessive stripped (see _clean)
    return bool(re.search(r"\w", rest))


# What ends the head of a speaker's noun phrase: the span's end, an apposition, a parenthesis, or
# a modifier after it ("Joel Pollak of Breitbart California", "Seth McKee, a political scientist
# at Texas Tech University", "Kim Jong Un and Moon Jae-in").
_HEAD_END = re.compile(
    r"\s*(?:$|[,(;:—–]|(?:of|at|for|with|from|in|on|who|whose|which|and)\b)", re.IGNORECASE
)
# A preposition before a name puts it in a modifier ("at Texas Tech", "in Berea").
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|at|from|of|for|with|on|by|across|around|near|to|during|after|before|throughout)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_LOCATED_BEFORE = re.compile(
    r"\w.*\b(?<!government )(?<!authorities )(?<!officials )(?<!regime )(?<!administration )"
    r"(?:in|from|across|around|throughout)\s+(?:the\s+)?$",
    re.IGNORECASE | re.DOTALL,
)


def _head_mention(
    inside: list[EntityMention], span: tuple[int, int], text: str
) -> EntityMention | None:
    """The name that heads a speaker's span: the first one not inside a modifier whose phrase
    ends there, a person before anything else.

    The longest name is often the speaker's affiliation: "Seth McKee, a political scientist at
    Texas Tech University" is McKee speaking, not the university; "Trump campaign manager Corey
    Lewandowski" is Lewandowski, the name that ends the phrase.
    """
    start, end = span
    ordered = sorted(inside, key=lambda m: m.start)
    for people in (True, False):
        for m in ordered:
            if (m.type == "PERSON") != people or m.type == "NORP":
                continue
            if _PREPOSITION_BEFORE.search(text, max(start, m.start - 16), m.start):
                continue
            if _HEAD_END.match(text, m.end, end):
                return m
    return None


def _located(m: EntityMention, start: int, text: str) -> bool:
    """Whether a place only locates the speaker's phrase: "critics in the United States" (but
    "the government in Beijing" speaks for it)."""
    return m.type in {"GPE", "LOC"} and bool(_LOCATED_BEFORE.search(text, start, m.start))


def _antecedent(
    pronoun: str, start: int, mentions: list[EntityMention], text: str
) -> EntityMention | None:
    """The name a relative pronoun speaker stands for: "Nichols, 35, who argued ..."."""
    wanted = {"PERSON"} if pronoun == "who" else {"ORG", "GPE", "NORP", "FAC"}
    close = [
        m
        for m in mentions
        if m.end <= start
        and start - m.end <= _ANTECEDENT_WINDOW
        and _APPOSITION_GAP.fullmatch(text, m.end, start)
    ]
    if not close:
        return None
    nearest = max(close, key=lambda m: m.end)
    return nearest if nearest.type in wanted else None


def resolve_speaker(
    speaker_text: str, speaker_span: tuple[int, int], mentions: list[EntityMention], text: str
) -> EntityMention | None:
    """The named mention a speaker stands for: itself, a pronoun's or description's referent, or None."""
    start, end = speaker_span
    # The speaker span is a mention (or contains one): use it, preferring a name to a nationality.
    # A mention that only qualifies the speaker is not the speaker: "the North's state media"
    # and "Japanese media" are not North Korea or the Japanese ("US officials" do speak for it).
    inside = [
        m
        for m in mentions
        if m.start < end and start < m.end and not _qualifier(m, text[m.end : end])
    ]
    head = _head_mention(inside, speaker_span, text)
    if head is not None:
        return head
    # No name heads the span ("a spokesman for the ministry", "critics in the United States"):
    # the organisation it speaks for, never a place it is only in.
    inside = [m for m in inside if not _located(m, start, text)]
    if inside:
        return max(inside, key=lambda m: (m.type != "NORP", m.end - m.start))
    words = [w for w in re.findall(r"[\w’']+", speaker_text.lower()) if w != "the"]
    if not words:
        return None
    if len(words) == 1 and words[0] in _RELATIVE_PRONOUNS:
        return _antecedent(words[0], start, mentions, text)
    near = [m for m in mentions if m.end <= start and start - m.end <= _PRONOUN_WINDOW]
    before = _outside_quotes(near, speaker_span, text)
    if len(words) == 1 and words[0] in _PRONOUNS_PERSON:
        people = [m for m in before if m.type == "PERSON"]
        return people[-1] if people else None
    if len(words) == 1 and words[0] in _PRONOUNS_GROUP:
        groups = [m for m in before if m.type in {"ORG", "GPE"}]
        return groups[-1] if groups else None
    head = words[-1]
    # "the agency", "the ministry": the nearest organisation whose name holds that word.
    named: dict[str | None, set[str]] = {}
    for m in mentions:
        named.setdefault(m.entity_id, set()).update(name_tokens(m.text))
    fitting = [m for m in before if m.type in {"ORG", "GPE", "FAC"} and head in named[m.entity_id]]
    if fitting:
        return fitting[-1]
    # "the president": the one person the article calls President (nearest mention before).
    if head in ROLE_WORDS:
        keys = _titled(mentions, text, words)
        if len(keys) == 1:
            own = [m for m in mentions if m.entity_id in keys and m.end <= start]
            return own[-1] if own else None
        return None
    # A description that names a surname present in the text ("Mr Trump") is resolved by name.
    people = [m for m in mentions if m.type == "PERSON" and set(name_tokens(m.text)) & set(words)]
    if len({m.entity_id for m in people}) == 1:
        return people[0]
    return None
