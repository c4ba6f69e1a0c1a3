"""An outlet's name as a reader should see it, and a headline without the site's name in it.

The site name a page declares is often no name: a Facebook page's address
("https://www.facebook.com/CBSNews"), a Twitter handle ("@AJENews"), a domain slug ("nj",
"usatoday"), a copyright notice ("Copyright 2014"), or a name with its slogan ("LinkNaija |
Nigeria's popular news platform"). Briefs cite outlets by this name, so ``is_poor_sitename`` tells
the metadata reader to look further (JSON-LD's publisher, then the page's host), and
``outlet_name`` keeps the name before a slogan. ``strip_site_name`` takes the site's name off a
headline ("Spiced Honey Pear Jam Recipe | The Anti-June Cleaver").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = [
    "SECTION_SEPARATORS",
    "is_poor_sitename",
    "names_a_subdomain",
    "outlet_from_url",
    "outlet_name",
    "site_name_forms",
    "strip_section",
    "strip_site_name",
]

_URL_LIKE = re.compile(r"^(?:https?:|www\.)|://", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b|all rights reserved)", re.I)
_SLUG = re.compile(r"^[a-z0-9_-]+$")
# What sets a slogan or a section off a name, in site names and in headlines. A hyphen counts only
# with spaces around it: "NBC 5 Dallas-Fort Worth" is one name.
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", ": ")
# What sets a section label off the end of a headline ("... - Auto News"): any but the colon.
SECTION_SEPARATORS = tuple(separator for separator in _SEPARATORS if separator != ": ")
_SLOGAN = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+|:\s+")
# A headline keeps at least this many characters once the site's name is taken off it.
_MIN_HEADLINE = 8


def outlet_from_url(url: str | None) -> str | None:
    """The host of a URL without its ``www.`` prefix, as a last-resort outlet name."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host.removeprefix("www.")


def is_poor_sitename(sitename: str | None) -> bool:
    """Whether a declared site name is an address, a handle, a slug or a copyright notice."""
    if not sitename:
        return True
    name = sitename.strip()
    return bool(
        _URL_LIKE.search(name)
        or name.startswith("@")
        or _COPYRIGHT.match(name)
        or (_SLUG.match(name) and not name.isdigit())
    )


# Second-level labels under a two-letter country domain: "bbc" is the name in news.bbc.co.uk.
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]*")
_SHARED_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne"})


def names_a_subdomain(sitename: str | None, host: str | None) -> bool:
    """Whether a declared site name is only a word in front of the host's own name: "Hosted"
    on hosted.ap.org (the Associated Press's pages for its members), "Sports" on
    sports.example.com. A name shaped as a brand ("ProFootballTalk" on
    profootballtalk.nbcsports.com) is the site's own.
    """
    if not sitename or not host or not _PLAIN_WORD.fullmatch(sitename.strip()):
        return False
    labels = host.casefold().split(".")
    own = (
        -3
        if len(labels) >= 3 and labels[-2] in _SHARED_SECOND_LEVEL and len(labels[-1]) == 2
        else -2
    )
    return sitename.strip().casefold() in labels[:own]


def outlet_name(sitename: str | None) -> str | None:
    """The site name before its slogan: "Remember 80/90 - Memorabilia anni 80/90" -> "Remember 80/90".

    A name that is all separators, or whose first part is a single character, stays whole.
    """
    if not sitename:
        return None
    name = " ".join(sitename.split())
    first = _SLOGAN.split(name, maxsplit=1)[0].strip()
    return first if len(first) >= 2 else name


def site_name_forms(names: list[str | None], host: str | None) -> list[str]:
    """The ways a headline may name its site: each name, before its slogan and without a
    handle's "@", the host, and the host's name without its domain ("digg.com" -> "digg")."""
    forms: list[str] = []
    for name in names:
        if name:
            forms += [name, outlet_name(name) or name, name.lstrip("@")]
    if host:
        forms += [host, host.split(".")[0]]
    return [form for form in dict.fromkeys(forms) if len(form) >= 2]


def strip_section(title: str | None, section: str | None) -> str | None:
    """The headline without a trailing section label the page declares ("... - Auto News").

    Only a trailing label is taken off: one in front ("Opinion | ...", "Review: ...") says what
    kind of piece it is, which a reader citing it needs.
    """
    if not title or not section:
        return title
    folded, low = title.casefold(), section.casefold()
    for separator in SECTION_SEPARATORS:
        if folded.endswith(separator.casefold() + low):
            rest = title[: len(title) - len(section) - len(separator)].strip()
            if len(rest) >= _MIN_HEADLINE:
                return rest
    return title


def strip_site_name(title: str | None, names: list[str]) -> str | None:
    """The headline without a leading or trailing site name among ``names``.

    Only a name set off by a separator is taken off, and only when a headline of some length
    stays ("Opinion | ..." keeps its section: "Opinion" is no site name).
    """
    if not title:
        return title
    folded = title.casefold()
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        low = name.casefold()
        for separator in _SEPARATORS:
            if folded.startswith(low + separator.casefold()):
                rest = title[len(name) + len(separator) :].strip()
            elif separator != ": " and folded.endswith(separator.casefold() + low):
                rest = title[: len(title) - len(name) - len(separator)].strip()
            else:
                continue
            if len(rest) >= _MIN_HEADLINE:
                return rest
    return title
