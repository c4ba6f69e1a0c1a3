"""Entity mentions of one article: clean names, cluster them into local entities, resolve speakers.

``extract_entities`` reads a spaCy ``Doc`` (NER pipeline) into :class:`LocalEntity` clusters;
``extract_mentions`` flattens them. Each mention's ``entity_id`` holds its article-local key
(``"<article_id>#e<n>"``) until :class:`storyline.link.identity.EntityResolver` maps it to a global id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from storyline.link.aliases import (
    LEADER_ROLES,
    ROLE_WORDS,
    TITLE_WORDS,
    AliasTable,
    acronym_matches,
    agency_name,
    is_acronym,
    load_alias_table,
    name_tokens,
    normalize_key,
)
from storyline.models import EntityMention

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
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_GROUP = frozenset({"they", "it"})
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


@dataclass
class _Raw:
    """A cleaned NER mention before clustering."""

    start: int
    end: int
    text: str
    type: str
    roles: set[tuple[str | None, str]]
    is_description: bool = False


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


def _titles_before(
    doc: Any, index: int, aliases: AliasTable
) -> tuple[int, set[tuple[str | None, str]]]:
    """Walk back over title words before token ``index``; return the first title token and roles."""
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
    return j, roles


def _clean(ent: Any, doc: Any, aliases: AliasTable) -> _Raw | None:
    """Clean one spaCy entity: titles, "the", possessives, broken hyphenated names."""
    start, end = ent.start, ent.end
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
        _, roles = _titles_before(doc, start, aliases)
    return _Raw(span.start_char, span.end_char, text, label, roles)


def _descriptions(doc: Any, aliases: AliasTable, taken: list[_Raw]) -> list[_Raw]:
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
        out.append(_Raw(span.start_char, span.end_char, span.text, "PERSON", role, True))
    return out


def _propagate(doc: Any, raws: list[_Raw], aliases: AliasTable) -> list[_Raw]:
    """Find untagged repeats of names the model tagged elsewhere in the article ("KCNA said")."""
    text = doc.text  # built anew on every access, so read once
    covered = [(r.start, r.end) for r in raws]
    first: dict[str, _Raw] = {}
    for raw in raws:
        if name_tokens(raw.text) and name_tokens(raw.text)[0] not in _COMPASS:
            first.setdefault(raw.text, raw)
    found: list[_Raw] = []
    for form, raw in first.items():
        pattern = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in covered):
                continue
            span = doc.char_span(start, end)
            # Only proper nouns: "Trump" the name, never "trump" the verb or a stray capital.
            if span is None or not all(t.tag_ in {"NNP", "NNPS"} for t in span):
                continue
            roles = _titles_before(doc, span.start, aliases)[1] if raw.type == "PERSON" else set()
            found.append(_Raw(start, end, form, raw.type, roles))
            covered.append((start, end))
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

    def add(self, raw: _Raw, cluster: int | None = None) -> int:
        """Put a mention in ``cluster`` or in the cluster of its key (new if none)."""
        if raw.is_description:
            key = ("DESC", "|".join(f"{c}:{r}" for c, r in sorted(raw.roles, key=str)))
        else:
            group = "PERSON" if raw.type == "PERSON" else "NORP" if raw.type == "NORP" else "NAME"
            key = (group, _match_key(raw.text, self.aliases))
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


def _short_form_target(
    raw: _Raw, clusters: _Clusters, full: list[tuple[int, list[str], int]]
) -> int | None:
    """Cluster of the full name a short form ("Xi", "Kim Jong") stands for, or None if unclear."""
    toks = name_tokens(raw.text)
    if not toks:
        return None
    fits: dict[int, int] = {}  # cluster -> position of its latest full mention before this one
    for start, ftoks, cluster in full:
        if len(ftoks) <= len(toks):
            continue
        if ftoks[: len(toks)] == toks or ftoks[-len(toks) :] == toks:
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
    full_index: list[tuple[int, list[str], int]] = []
    for raw in person_full:
        full_index.append((raw.start, name_tokens(raw.text), clusters.add(raw)))
    names = [r for r in raws if not r.is_description and r not in person_full]
    # Plain names first, so acronyms in parentheses can find the name they follow.
    placed: dict[int, int] = {}
    for i, raw in enumerate(names):
        toks = name_tokens(raw.text)
        target = None
        if len(toks) >= 1 and raw.type in {"PERSON", "ORG"} and aliases.lookup(raw.text) is None:
            target = _short_form_target(raw, clusters, full_index)
        if target is not None:
            raw.type = "PERSON"
        placed[i] = clusters.add(raw, target)
    _merge_acronyms(names, placed, clusters, text)
    _merge_compass(names, placed, clusters)
    for raw in raws:
        if raw.is_description:
            _place_description(raw, clusters)
    return clusters


def _merge_acronyms(
    names: list[_Raw], placed: dict[int, int], clusters: _Clusters, text: str
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
            if text[prev.end : raw.start].strip() == "(" and prev.type != "PERSON":
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


def _merge_compass(names: list[_Raw], placed: dict[int, int], clusters: _Clusters) -> None:
    """Join "the North" to the one "North <X>" state the article names (North Korea)."""
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


def _best_name(forms: list[str]) -> str:
    """The most complete, most frequent, properly cased form."""
    counts: dict[str, int] = {}
    for form in forms:
        counts[form] = counts.get(form, 0) + 1

    def score(form: str) -> tuple[int, int, int, int]:
        cased = 0 if (form.isupper() and not is_acronym(form)) else 1
        return (len(name_tokens(form)), cased, counts[form], -forms.index(form))

    return max(counts, key=score)


def extract_entities(
    doc: Any, article_id: str, aliases: AliasTable | None = None
) -> list[LocalEntity]:
    """Read the named entities of one article into local entities (clusters of mentions)."""
    table = aliases or load_alias_table()
    raws = [r for ent in doc.ents if ent.label_ in KEPT_LABELS if (r := _clean(ent, doc, table))]
    raws.extend(_propagate(doc, raws, table))
    raws.extend(_descriptions(doc, table, raws))
    raws.sort(key=lambda r: (r.start, r.end))
    clusters = _cluster(raws, doc.text, table)  # doc.text is rebuilt on each access: once here
    result: list[LocalEntity] = []
    for members in clusters.members:
        if not members:
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
            name = _title_case(_best_name(names)) if names else members[0].text
        entity = LocalEntity(key=key, name=name, type=etype, names=names)
        for raw in members:
            entity.roles |= set() if raw.is_description else raw.roles
            # Mentions take the entity's settled type: a mislabelled "Trump" (ORG) is a PERSON.
            entity.mentions.append(
                EntityMention(article_id, raw.start, raw.end, raw.text, etype, key)
            )
        if not names:
            entity.description = next(iter(members[0].roles))
        result.append(entity)
    return result


def extract_mentions(
    doc: Any, article_id: str, aliases: AliasTable | None = None
) -> list[EntityMention]:
    """Entity mentions of one article in text order; ``entity_id`` holds the local entity key."""
    mentions = [m for e in extract_entities(doc, article_id, aliases) for m in e.mentions]
    return sorted(mentions, key=lambda m: (m.start, m.end))


def resolve_speaker(
    speaker_text: str, speaker_span: tuple[int, int], mentions: list[EntityMention], text: str
) -> EntityMention | None:
    """The named mention a speaker stands for: itself, a pronoun's or description's referent, or None."""
    start, end = speaker_span
    # The speaker span is a mention (or contains one): use it directly.
    inside = [m for m in mentions if m.start < end and start < m.end]
    if inside:
        return max(inside, key=lambda m: m.end - m.start)
    words = [w for w in re.findall(r"[\w’']+", speaker_text.lower()) if w != "the"]
    if not words:
        return None
    before = [m for m in mentions if m.end <= start and start - m.end <= _PRONOUN_WINDOW]
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
    # A description that names a surname present in the text ("Mr Trump") is resolved by name.
    people = [m for m in mentions if m.type == "PERSON" and set(name_tokens(m.text)) & set(words)]
    if len({m.entity_id for m in people}) == 1:
        return people[0]
    return None
