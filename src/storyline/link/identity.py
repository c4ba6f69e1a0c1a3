"""Entity identity across articles: one id per real-world person, organisation or place.

Names meet under a normalised key (case, hyphens, dots and diacritics folded: "Kim Jong-un" =
"Kim Jong Un"), the shipped alias table (DPRK = North Korea, KCNA = Korean Central News Agency),
and acronyms learned when an article shows them with their full name. A lone surname joins the
full name of its article (``context``); when the article names none, the one person of the
registry who bears it, or of several the one whose titles fit or whom the collection names far
more often, so different people who share a name part and are named alike (Kim Jong Un, Kim Yo
Jong) stay apart. Every lookup is a dict access: nothing scans the registry per mention.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from storyline.link.aliases import (
    LEADER_ROLES,
    AliasTable,
    acronym_matches,
    agency_name,
    best_form,
    is_acronym,
    load_alias_table,
    name_tokens,
    normalize_key,
    strip_title,
)
from storyline.models import Entity

__all__ = ["EntityResolver", "LocalEntityLike", "entity_id_for", "is_lone_name"]

# Types that share one key space: the model calls the same place GPE or LOC, and the same
# building-as-institution ("the White House said") ORG or FAC.
_GROUPS = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "ORG"}


class LocalEntityLike(Protocol):
    """What the resolver needs of an article-local entity (see storyline.read.entities)."""

    key: str
    name: str
    type: str
    names: list[str]
    roles: set[tuple[str | None, str]]
    description: tuple[str | None, str] | None
    sex: str | None  # what the honorifics before its mentions say ("Mr.", "Mrs.")
    fallback: str | None  # the local key the article's last-named rule gives, if sex cannot


def _group(entity_type: str) -> str:
    """The key space of an entity type."""
    return _GROUPS.get(entity_type, entity_type)


def entity_id_for(entity_type: str, name: str) -> str:
    """Stable id of an entity: ``ent_`` + a short hash of its type group and normalised key."""
    digest = hashlib.sha1(f"{_group(entity_type)}:{normalize_key(name)}".encode()).hexdigest()
    return f"ent_{digest[:12]}"


@dataclass
class _Record:
    """One registry entry with the counts that decide its canonical name and type."""

    id: str
    group: str
    forms: dict[str, int] = field(default_factory=dict)  # surface form -> times seen
    types: dict[str, int] = field(default_factory=dict)
    article_ids: dict[str, None] = field(default_factory=dict)  # ordered set
    roles: set[tuple[str | None, str]] = field(default_factory=set)
    fixed_name: str | None = None  # the alias table's canonical name, when it knows the entity
    # articles whose honorifics called the entity "Mr." (m) or "Mrs."/"Ms." (f)
    sexes: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Canonical name: the table's, else the most complete, properly cased, most frequent form."""
        if self.fixed_name:
            return self.fixed_name
        return best_form(self.forms)

    @property
    def type(self) -> str:
        """The type most often given to the entity."""
        return max(self.types, key=lambda t: self.types[t]) if self.types else self.group


# A lone surname that fits several people of the collection, none named in its article, goes to
# the one the collection names far more often: in 2016 campaign coverage "Obama" is Barack (144
# reports) rather than Michelle (10), while "Bush" (Jeb 86, George W. 64) stays apart.
_DOMINANT_RATIO = 4
_DOMINANT_MIN_ARTICLES = 5
# Titles of those known by one name they reign by, not by a short form of a full name.
_REGNAL_ROLES = frozenset({"pope", "king", "queen", "emperor", "prince", "princess"})
# A middle name is left out when every part of the name is this long ("Hillary Rodham Clinton"
# is Hillary Clinton); short parts mark names whose order is not given-middle-family ("Kim Yo
# Jong" is no "Kim Jong").
_MIDDLE_NAME_PARTS = 3
# An entity is known as a man (or a woman) once this many reports call it "Mr." ("Mrs.", "Ms.")
# and they outnumber the other honorific this many times: a report naming only Michelle Obama
# may give her its "Mr. Obama".
_SEX_MIN_REPORTS = 2
_SEX_RATIO = 4


def _first_and_last(tokens: list[str]) -> list[str] | None:
    """A name without its middle names, when it has any and every part is long enough."""
    if len(tokens) < 3 or any(len(t) < _MIDDLE_NAME_PARTS for t in tokens):
        return None
    return [tokens[0], tokens[-1]]


def _without_initials(tokens: list[str]) -> list[str]:
    """A person's name tokens without single-letter middle initials."""
    if len(tokens) < 3:
        return tokens
    return [tokens[0], *(t for t in tokens[1:-1] if len(t) > 1), tokens[-1]]


# Lower-case words a person's name may hold ("Ludwig van Beethoven", "Osama bin Laden").
_NAME_PARTICLES = frozenset(
    {"al", "bin", "ibn", "abu", "da", "de", "del", "della", "der", "di", "dos", "du", "la", "le",
     "van", "von", "ter", "ten", "y"}
)  # fmt: skip


# Words that open a phrase, never a person's name ("Among Latinos", "Top Sanders"); a list of
# its own, as importing spaCy's would load spaCy into a link run that needs none of it.
_FUNCTION_WORDS = frozenset(
    {
        "a", "about", "above", "across", "after", "against", "along", "among", "an", "and", "around",
        "as", "at", "before", "behind", "below", "beneath", "beside", "between", "beyond", "but",
        "by", "despite", "down", "during", "each", "either", "every", "for", "from", "how", "if",
        "in", "inside", "into", "like", "near", "neither", "nor", "of", "off", "on", "onto", "or",
        "out", "outside", "over", "past", "per", "since", "so", "than", "that", "the", "their",
        "these", "this", "those", "though", "through", "throughout", "till", "to", "top", "toward",
        "towards", "under", "unlike", "until", "up", "upon", "via", "what", "when", "where",
        "whether", "which", "while", "who", "why", "with", "within", "without", "yet",
    }
)  # fmt: skip


def _looks_like_a_name(form: str) -> bool:
    """Whether a person's form is a name whose first and last words can stand for it.

    The tagger takes headline words and phrases for persons ("Twitter junkie", "Clinton's van",
    "Among Latinos"); their words would otherwise draw every lone "Twitter" or "Latinos".
    """
    words = form.split()
    if any("'s" in w or "’s" in w for w in words) or words[0].lower() in _FUNCTION_WORDS:
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def is_lone_name(local: LocalEntityLike) -> bool:
    """Whether a local entity is known only by one word of a person's name, or a description.

    Such entities are best resolved after the full names of the articles around them: "Obama"
    alone, read before the batch's "Barack Obama", would found an entity of its own.
    """
    if not local.names:
        return True
    return local.type == "PERSON" and all(len(name_tokens(n)) <= 1 for n in local.names)


def _role_fits(wanted: str, have: str) -> bool:
    """Whether a known title ``have`` fits a description's role ``wanted`` ("leader" ~ "president")."""
    return wanted == have or (wanted == "leader" and have in LEADER_ROLES)


class EntityResolver:
    """A registry of entities with the indexes that map names to their ids."""

    def __init__(self, aliases: AliasTable | None = None) -> None:
        self.aliases = aliases or load_alias_table()
        self._records: dict[str, _Record] = {}
        self._index: dict[tuple[str, str], str] = {}  # (group, key) -> id
        self._ambiguous: set[tuple[str, str]] = set()  # keys seen on two different entities
        self._parts: dict[str, set[str]] = {}  # first or last token of a person's name -> ids
        self._initialled: dict[str, set[str]] = {}  # "donaldtrump" -> ids of "Donald J. Trump"

    def __len__(self) -> int:
        return len(self._records)

    # -- lookups ---------------------------------------------------------------------------

    def _known(self, name: str) -> tuple[str, str] | None:
        """The alias table's canonical name and type for a name, if any."""
        return self.aliases.lookup(agency_name(name))

    def _exact(self, group: str, key: str) -> str | None:
        """The id indexed under ``(group, key)``, unless that key is ambiguous."""
        if (group, key) in self._ambiguous:
            return None
        return self._index.get((group, key))

    def _lookup(self, name: str, entity_type: str) -> str | None:
        """An existing id for a full name: table alias, exact key, or a compatible type group."""
        known = self._known(name)
        if known is not None:
            return self._exact(_group(known[1]), normalize_key(known[0]))
        key = normalize_key(name)
        group = _group(entity_type)
        found = self._exact(group, key)
        if found is None and group == "PERSON":
            found = self._middle_initial(name)
        if found is None and group == "PLACE":
            found = self._exact("ORG", key)  # "White House" as a place and as a speaker
        elif found is None and group == "ORG":
            found = self._exact("PLACE", key)
        if found is None and group in ("PERSON", "ORG") and len(name_tokens(name)) > 1:
            # The tagger calls some people organisations in one report and people in the next
            # ("Carly Fiorina"), and some organisations people ("Ku Klux Klan"): a name of two
            # words or more is one entity whatever the report's tag, its type what most say.
            found = self._exact("ORG" if group == "PERSON" else "PERSON", key)
        return found

    def _middle_initial(self, name: str) -> str | None:
        """Join "Donald J. Trump" and "Donald Trump"; two different initials never meet.

        A middle name joins the same way: "Hillary Rodham Clinton" and "Hillary Clinton".
        """
        tokens = name_tokens(name)
        bare = _without_initials(tokens)
        if bare != tokens:  # the name has an initial: the same name without one
            return self._exact("PERSON", "".join(bare))
        short = _first_and_last(tokens)
        if short is not None and (found := self._exact("PERSON", "".join(short))) is not None:
            return found
        candidates = self._initialled.get("".join(tokens), set())
        return next(iter(candidates)) if len(candidates) == 1 else None

    def _short_form(
        self,
        name: str,
        entity_type: str,
        context: set[str] | None,
        roles: set[tuple[str | None, str]] | None = None,
        sex: str | None = None,
    ) -> str | None:
        """The one person a lone surname or given name stands for, within ``context`` if given.

        Several people of the article: the one of the honorific's sex ("Mrs. Clinton" beside
        Hillary and Bill Clinton), as other reports call them. Several of the registry and none
        of the article: that one, else the one whose known titles fit the article's ("President
        Obama"), else the one the collection names far more often.
        """
        if entity_type not in {"PERSON", "ORG"} or is_acronym(name):
            return None
        tokens = name_tokens(name)
        if len(tokens) != 1:
            return None
        candidates = self._parts.get(tokens[0], set())
        regnal = {role for _, role in roles or () if role in _REGNAL_ROLES}
        if regnal:
            # "Pope Francis", "King Charles": the name a pope or monarch reigns by is the whole of
            # it, no short form of another person's (Francis Gary Powers); only one the article
            # names in full, or one known by that title ("King Abdullah II"), may be meant.
            candidates = {
                eid
                for eid in candidates
                if eid in (context or ()) or regnal & {r for _, r in self._records[eid].roles}
            }
        if entity_type == "ORG":
            # A mislabelled surname ("Trump" as ORG) joins only a person the article names:
            # registry-wide, "Ford" the company must not become Harrison Ford.
            candidates = candidates & (context or set())
        elif context is not None and candidates & context:
            if sex is None:
                candidates = candidates & context
            else:
                inside = self._of_sex(candidates & context, sex)
                known = {eid for eid in candidates if self._sex(eid) == sex}
                if len(known) == 1 and not known & inside:
                    # "Mr. Obama" in a report that names only Michelle Obama in full: the one
                    # man of that name other reports know
                    return known.pop()
                candidates = inside
                if len(candidates) > 1:
                    # "Mr. Clinton" in a report naming Bill and Chelsea Clinton, neither known
                    # by an honorific: the one the collection names far more often, if one is
                    candidates = self._likeliest(candidates, roles or set())
        elif len(candidates) > 1:
            candidates = self._of_sex(candidates, sex)
            if len(candidates) > 1:
                candidates = self._likeliest(candidates, roles or set())
        # Unambiguous in the article, else in the whole registry; two Kims and none named: None.
        return next(iter(candidates)) if len(candidates) == 1 else None

    def _sex(self, eid: str) -> str | None:
        """What other reports' honorifics say of an entity's sex, when they clearly say one."""
        sexes = self._records[eid].sexes
        for sex, other in (("m", "f"), ("f", "m")):
            count = sexes.get(sex, 0)
            if count >= _SEX_MIN_REPORTS and count >= _SEX_RATIO * sexes.get(other, 0):
                return sex
        return None

    def _of_sex(self, candidates: set[str], sex: str | None) -> set[str]:
        """Of several candidates, those an honorific's sex allows: the one known as of that sex,
        else those known as of neither.

        "Mr. Clinton" beside a Hillary Clinton whom other reports call "Mrs." is Bill, the one
        not known as a woman. Two men of one name stay undecided.
        """
        if sex is None or len(candidates) < 2:
            return candidates
        known = {eid: self._sex(eid) for eid in candidates}
        same = {eid for eid, s in known.items() if s == sex}
        if len(same) == 1:
            return same
        return same or {eid for eid, s in known.items() if s is None} or candidates

    def _likeliest(self, candidates: set[str], roles: set[tuple[str | None, str]]) -> set[str]:
        """Of several people a lone name fits, the one its titles or the collection point to."""
        wanted = {role for _, role in roles}
        if wanted:
            fitting = {
                eid
                for eid in candidates
                if any(_role_fits(w, have) for w in wanted for _, have in self._records[eid].roles)
            }
            if len(fitting) == 1:
                return fitting
        counts = sorted(((len(self._records[e].article_ids), e) for e in candidates), reverse=True)
        (top, eid), (second, _) = counts[0], counts[1]
        if top >= _DOMINANT_MIN_ARTICLES and top >= _DOMINANT_RATIO * second:
            return {eid}
        return candidates

    def _acronym(self, name: str, context: set[str] | None) -> str | None:
        """The one entity of ``context`` whose name the acronym spells ("KCNA")."""
        if not context or not is_acronym(name):
            return None
        fits = {
            eid
            for eid in context
            if self._records[eid].type != "PERSON"
            and any(acronym_matches(name, form) for form in self._records[eid].forms)
        }
        return fits.pop() if len(fits) == 1 else None

    def find(
        self,
        name: str,
        entity_type: str,
        context: set[str] | None = None,
        roles: set[tuple[str | None, str]] | None = None,
        sex: str | None = None,
    ) -> str | None:
        """The id a name resolves to, or None when the registry has no such entity."""
        if entity_type == "PERSON":
            name = strip_title(name)
        found = self._short_form(name, entity_type, context, roles, sex)
        if found is None:
            found = self._lookup(name, entity_type)
        if found is None:
            found = self._acronym(name, context)
        return found

    # -- updates ---------------------------------------------------------------------------

    def resolve(self, name: str, type: str, context: set[str] | None = None) -> str:
        """The id of a named entity, creating it when new; ``context``: ids named in the article."""
        found = self.find(name, type, context)
        if found is None:
            found = self._create(strip_title(name) if type == "PERSON" else name, type)
        self._observe(found, [name] if type != "PERSON" else [strip_title(name)], type)
        return found

    def _create(self, name: str, entity_type: str) -> str:
        """Make a new record for a name the registry does not know."""
        known = self._known(name)
        if known is not None:
            canonical, entity_type = known
        else:
            canonical = name
        eid = entity_id_for(entity_type, canonical)
        if eid not in self._records:
            record = _Record(eid, _group(entity_type), fixed_name=known[0] if known else None)
            self._records[eid] = record
            self._index_form(record, canonical)
        return eid

    def _index_form(self, record: _Record, form: str) -> None:
        """Index one surface form of a record; a form claimed by two entities becomes ambiguous."""
        tokens = name_tokens(form)
        if not tokens:
            return
        known = self._known(form)
        group = _group(known[1]) if known else record.group
        key = normalize_key(known[0]) if known else "".join(tokens)
        if record.group == "PERSON" and len(tokens) > 1:
            if _looks_like_a_name(form):
                self._index_parts(record, tokens)
        elif record.group == "PERSON" and any(len(name_tokens(f)) > 1 for f in record.forms):
            return  # a short form of a full name lives in _parts, or one "Kim" would take all
        elif len(tokens) == 1 and any(
            len(parts := name_tokens(f)) > 1 and tokens[0] in parts for f in record.forms
        ):
            # "GOP" as a report's short form of "Indiana GOP": a word of the longer name, which
            # would make the lone name's own entity (the party) ambiguous for every later report
            return
        current = self._index.setdefault((group, key), record.id)
        if current != record.id:
            self._ambiguous.add((group, key))

    def _index_parts(self, record: _Record, tokens: list[str]) -> None:
        """Index a person's first and last name, and the name without initials or middle names."""
        for part in {tokens[0], tokens[-1]}:
            self._parts.setdefault(part, set()).add(record.id)
        bare = _without_initials(tokens)
        if bare == tokens:
            bare = _first_and_last(tokens) or tokens
        if bare != tokens:
            self._initialled.setdefault("".join(bare), set()).add(record.id)

    def _observe(self, eid: str, forms: Iterable[str], entity_type: str) -> None:
        """Count forms and a type for an entity and index forms new to it."""
        record = self._records[eid]
        # Longest forms first, so that a full name is known before its short forms are indexed.
        for form in sorted(forms, key=lambda f: -len(name_tokens(f))):
            if form not in record.forms:
                record.forms[form] = 0
                self._index_form(record, form)
            record.forms[form] += 1
        record.types[entity_type] = record.types.get(entity_type, 0) + 1

    def add_article(
        self,
        article_id: str,
        local_entities: Iterable[LocalEntityLike],
        earlier: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """Resolve an article's local entities; returns local key -> entity id.

        Full names go first so that short forms and acronyms can join what the article names;
        a description ("the North Korean leader") maps only when one entity of the article has a
        fitting title in the registry. Keys missing from the result are unresolved descriptions.
        ``earlier``: local key -> id of the article's entities resolved before (see
        :func:`is_lone_name`).
        """
        earlier = earlier or {}
        entities = list(local_entities)
        named = [e for e in entities if e.names]
        named.sort(key=lambda e: -max(len(name_tokens(n)) for n in e.names))
        context = set(earlier.values())
        mapping: dict[str, str] = {}
        for local in named:
            eid = self._resolve_local(local, context, earlier)
            record = self._records[eid]
            self._observe(eid, local.names, local.type)
            record.article_ids[article_id] = None
            record.roles |= local.roles
            if local.sex and local.type == "PERSON" and local.fallback is None:
                # only what a report says outright: a sex the registry itself chose is no evidence
                record.sexes[local.sex] = record.sexes.get(local.sex, 0) + 1
            context.add(eid)
            mapping[local.key] = eid
        for local in entities:
            if not local.names and local.description is not None:
                found = self._description(local.description, context)
                if found is not None:
                    mapping[local.key] = found
        return mapping

    def _resolve_local(
        self, local: LocalEntityLike, context: set[str], earlier: Mapping[str, str]
    ) -> str:
        """The id of one local entity: its most complete form that the registry knows, else new."""
        forms = sorted(set(local.names), key=lambda n: -len(name_tokens(n)))
        if local.fallback is not None and local.fallback in earlier:
            # "Mrs. Clinton" kept apart in a report naming two Clintons: the one other reports
            # call so, else the one the report named last before it
            found = self._short_form(forms[0], local.type, context, local.roles, local.sex)
            return found if found is not None else earlier[local.fallback]
        full = [f for f in forms if len(name_tokens(f)) > 1 or local.type != "PERSON"]
        for form in full:
            found = self._lookup(form, local.type)
            if found is not None:
                return found
        if local.type == "PERSON" and full:
            # A named person is new rather than the namesake of a short form: "Chelsea Clinton"
            # with "Clinton" must not join Hillary Clinton through the surname.
            return self._create(local.name, local.type)
        for form in forms:
            found = self.find(form, local.type, context, local.roles, local.sex)
            if found is not None:
                return found
        return self._create(local.name if local.name else forms[0], local.type)

    def _description(self, description: tuple[str | None, str], context: set[str]) -> str | None:
        """The one entity in ``context`` whose known titles fit a description."""
        country, role = description
        fits = {
            eid
            for eid in context
            if any(c == country and _role_fits(role, r) for c, r in self._records[eid].roles)
        }
        return fits.pop() if len(fits) == 1 else None

    # -- export and persistence -------------------------------------------------------------

    def get(self, entity_id: str) -> Entity | None:
        """The entity record for an id, or None."""
        record = self._records.get(entity_id)
        return None if record is None else self._entity(record)

    def _entity(self, record: _Record) -> Entity:
        """A record as the shared Entity model."""
        return Entity(
            id=record.id,
            name=record.name,
            type=record.type,
            aliases=list(record.forms),
            article_ids=list(record.article_ids),
        )

    def entities(self) -> list[Entity]:
        """Every entity in the registry, in creation order."""
        return [self._entity(r) for r in self._records.values()]

    def to_rows(self) -> list[dict[str, Any]]:
        """The registry as plain JSON-ready rows (one per entity) for a database table."""
        return [
            {
                "id": r.id,
                "name": r.name,
                "type": r.type,
                "aliases": list(r.forms),
                "article_ids": list(r.article_ids),
                "group": r.group,
                "alias_counts": dict(r.forms),
                "type_counts": dict(r.types),
                "roles": sorted([c, role] for c, role in r.roles if c is not None)
                + sorted([None, role] for c, role in r.roles if c is None),
                "fixed_name": r.fixed_name,
                "sexes": dict(r.sexes),
            }
            for r in self._records.values()
        ]

    @classmethod
    def from_rows(
        cls, rows: Iterable[dict[str, Any]], aliases: AliasTable | None = None
    ) -> EntityResolver:
        """Rebuild a registry saved with :meth:`to_rows`."""
        resolver = cls(aliases)
        for row in rows:
            counts = row.get("alias_counts") or {a: 1 for a in row.get("aliases", [])}
            record = _Record(
                id=row["id"],
                group=row.get("group") or _group(row["type"]),
                forms=dict(counts),
                types=dict(row.get("type_counts") or {row["type"]: 1}),
                article_ids=dict.fromkeys(row.get("article_ids", [])),
                roles={(c, r) for c, r in row.get("roles", [])},
                fixed_name=row.get("fixed_name"),
                sexes=dict(row.get("sexes") or {}),
            )
            resolver._records[record.id] = record
            for form in sorted(record.forms, key=lambda f: -len(name_tokens(f))):
                resolver._index_form(record, form)
        return resolver
