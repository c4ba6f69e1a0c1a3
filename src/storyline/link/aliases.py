"""Name normalisation, titles and the shipped alias table shared by entity reading and identity."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from storyline.errors import UsageError

__all__ = [
    "ROLE_WORDS",
    "TITLE_WORDS",
    "AliasTable",
    "acronym_matches",
    "agency_name",
    "best_form",
    "initials",
    "is_acronym",
    "load_alias_table",
    "name_tokens",
    "normalize_key",
    "strip_title",
]

# Words that head a title before a personal name ("President", "Chairman", "Gen."). Kept
# lower case without the dot; multi-word titles are just sequences of these words.


def _words(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps long word tables readable)."""
    return frozenset(text.split())


TITLE_WORDS: frozenset[str] = _words(
    """
    president vice chairman chairwoman chairperson comrade mr mrs ms miss dr prof professor gen general
    lt col colonel maj major capt captain adm admiral sgt marshal sen senator rep representative gov
    governor king queen prince princess sheikh emperor pope cardinal archbishop bishop rev reverend sir
    dame lord lady premier prime minister foreign defence defense finance interior trade deputy
    secretary state chancellor mayor judge justice chief leader supreme respected dear ambassador
    envoy spokesman spokeswoman spokesperson director commander first mme herr
    """
)

# Title words that name a role worth remembering for description resolution ("the Chinese leader").
ROLE_WORDS: frozenset[str] = _words(
    """
    president chairman premier minister leader king queen chancellor secretary governor mayor
    ambassador envoy spokesman spokeswoman spokesperson general commander emperor pope prince
    princess
    """
)

# Roles that "leader" may stand for: a description "the X leader" fits any of these.
LEADER_ROLES: frozenset[str] = frozenset(
    {"leader", "president", "chairman", "premier", "king", "queen", "chancellor", "emperor"}
)

_DASHES = "\u2010\u2011\u2012\u2013\u2014-"
_APOSTROPHES = "'\u2019\u2018`\u00b4"
_POSSESSIVE = re.compile(rf"[{_APOSTROPHES}]s?$", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LOWER_WORDS = frozenset(
    {"of", "the", "and", "for", "de", "du", "des", "la", "le", "on", "in", "&"}
)


def _fold(text: str) -> str:
    """Lower-case and strip diacritics (NFKD), so "Pyongyang" and "Pyŏngyang" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_tokens(name: str) -> list[str]:
    """Split a name into folded word tokens: hyphens and spaces separate, dots and apostrophes go."""
    return list(_name_tokens(name))


@lru_cache(maxsize=65_536)  # names repeat endlessly across articles; folding them is the hot path
def _name_tokens(name: str) -> tuple[str, ...]:
    """Cached body of :func:`name_tokens`."""
    folded = _fold(_POSSESSIVE.sub("", name.strip()))
    # Dots and apostrophes are dropped, not split on, so "U.S." is one token like "US".
    folded = re.sub(rf"[.{_APOSTROPHES}]", "", folded)
    tokens = [t for t in _NON_ALNUM.split(folded) if t]
    if tokens and tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    return tuple(tokens)


def normalize_key(name: str) -> str:
    """Return the identity key of a name: folded, no spaces, hyphens or dots ("kimjongun")."""
    return "".join(_name_tokens(name))


def is_acronym(text: str) -> bool:
    """Whether a surface form looks like an acronym ("KCNA", "U.N.", "DPRK")."""
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()


def initials(name: str) -> str:
    """Initials of a multi-word name, skipping function words ("Korean Central News Agency" -> "kcna")."""
    words = re.split(rf"[\s{_DASHES}]+", name.strip())
    out = []
    for word in words:
        bare = _fold(_POSSESSIVE.sub("", word)).strip(".,()")
        if not bare or bare in _LOWER_WORDS:
            continue
        out.append(bare[0])
    return "".join(out)


def acronym_matches(acronym: str, name: str) -> bool:
    """Whether ``acronym`` spells the initials of the multi-word ``name``."""
    if not is_acronym(acronym) or len(name.split()) < 2:
        return False
    return normalize_key(acronym) == initials(name)


def agency_name(name: str) -> str:
    """The name inside "<Name> news agency" ("KCNA news agency" -> "KCNA"), else the name."""
    match = re.fullmatch(r"(\S+)\s+news\s+agency", name.strip(), flags=re.IGNORECASE)
    return match.group(1) if match else name


def best_form(counts: dict[str, int]) -> str:
    """The canonical form among counted forms: a full name if any, then the most frequent.

    Frequency outranks length among multi-word forms, so a model's stray extra word
    ("Crooked Hillary Clinton", seen once) does not beat the usual full name.
    """
    order = list(counts)
    # A capitalised headline form ("FLINT") loses to the same name in normal case ("Flint").
    normal_case = {f.lower() for f in order if not f.isupper()}

    def score(form: str) -> tuple[int, int, int, int, int]:
        tokens = len(name_tokens(form))
        shouting = form.isupper() and (form.lower() in normal_case or not is_acronym(form))
        cased = 0 if shouting or form.islower() else 1
        return (min(tokens, 2), cased, counts[form], tokens, -order.index(form))

    return max(order, key=score) if order else ""


def strip_title(name: str) -> str:
    """Drop leading titles and honorifics: "U.S. President Donald Trump" -> "Donald Trump"."""
    words = name.split()
    i = 0
    # A leading country ("U.S.", "China's") only goes when a title follows it.
    if (
        len(words) > 2
        and _fold(words[1]).strip(".") in TITLE_WORDS
        and (words[0].endswith(("'s", "’s", "'S", "’S")) or is_acronym(words[0]))
    ):
        i = 1
    start = i
    while i < len(words) - 1 and _fold(words[i]).strip(".,") in TITLE_WORDS:
        i += 1
    if i == start:
        return name
    return " ".join(words[i:])


@dataclass
class AliasTable:
    """Known names of states, agencies and organisations, and demonyms of countries."""

    # key -> (canonical name, type)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    # demonym key -> canonical country name
    demonyms: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> tuple[str, str] | None:
        """Canonical name and type for a known name or alias, else None."""
        return self.names.get(normalize_key(name))

    def country_of(self, phrase: str) -> str | None:
        """Canonical country for a demonym or country name ("Chinese", "China's"), else None."""
        key = normalize_key(phrase)
        if key in self.demonyms:
            return self.demonyms[key]
        known = self.names.get(key)
        if known is not None and known[1] == "GPE":
            return known[0]
        return None

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, list[str]]]) -> AliasTable:
        """Build a table from the JSON layout: {TYPE: {canonical: [aliases]}, "DEMONYMS": {...}}."""
        table = cls()
        for section, entries in data.items():
            if section.startswith("_"):
                continue
            for canonical, aliases in entries.items():
                if section == "DEMONYMS":
                    for alias in [canonical, *aliases]:  # "China's President": the name too
                        table.demonyms[normalize_key(alias)] = canonical
                    continue
                for form in [canonical, *aliases]:
                    table.names[normalize_key(form)] = (canonical, section)
        return table


def load_alias_table(path: str | Path | None = None) -> AliasTable:
    """Load the shipped alias table, or one in the same layout from ``path``."""
    try:
        if path is None:
            raw = resources.files("storyline.link").joinpath("data/aliases.json").read_text("utf-8")
        else:
            raw = Path(path).read_text(encoding="utf-8")
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        where = path or "storyline/link/data/aliases.json"
        raise UsageError(
            f"cannot read alias table {where}: {exc}; check the file is valid JSON"
        ) from exc
    return AliasTable.from_dict(data)
