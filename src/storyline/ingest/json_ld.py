"""What a page's JSON-LD says about its article: headline, authors and publisher.

trafilatura's JSON-LD reader (``extract_meta_json``) first runs a character-by-character
normaliser over each whole script, which made it the costliest part of page metadata (0.4 ms a
page on the extraction benchmark's pages, whose scripts hold whole article bodies). Here the
scripts go straight to ``json.loads``, and only the few strings we keep are unescaped; the author
names are tidied by ``bylines`` afterwards.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from itertools import islice
from typing import Any

from lxml.html import HtmlElement
from trafilatura.json_metadata import JSON_ARTICLE_SCHEMA

__all__ = ["LinkedData", "read_json_ld"]

# Publishers and sites named on their own; a WebPage's name is the page's title, not the site's.
_SITE_TYPES = frozenset(("organization", "newsmediaorganization", "website"))
# Bounds on what one page's scripts may make us look at.
_MAX_ITEMS = 200
_MAX_AUTHORS = 20
_NOT_A_NAME = re.compile(r"^\s*https?:|@\w+\.\w")  # an address or an e-mail, given as the name


@dataclass(frozen=True)
class LinkedData:
    """The article's headline, its authors ("; " between them) and its publisher's name."""

    headline: str | None = None
    authors: str | None = None
    publisher: str | None = None


def _items(data: Any) -> Iterator[dict[str, Any]]:
    """The objects of one script: a list of them, one of them, or a ``@graph`` of them."""
    for item in data if isinstance(data, list) else [data]:
        if not isinstance(item, dict):
            continue
        yield item
        graph = item.get("@graph")
        for node in graph if isinstance(graph, list) else [graph]:
            if isinstance(node, dict):
                yield node


def _types(item: dict[str, Any]) -> set[str]:
    declared = item.get("@type")
    values = declared if isinstance(declared, list) else [declared]
    return {value.casefold() for value in values if isinstance(value, str)}


def _author_names(value: Any, names: list[str], nodes: dict[str, dict[str, Any]]) -> None:
    """Add the people ``value`` names (a string, a Person, a reference to one in ``nodes``, or a
    list of them) to ``names``."""
    if isinstance(value, list):
        for entry in value[:_MAX_AUTHORS]:
            _author_names(entry, names, nodes)
        return
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        value = nodes.get(value["@id"], value)  # Yoast's graphs name the author in a node apart
    if isinstance(value, dict):
        if value.get("@type") is not None and "person" not in _types(value):
            return  # an organisation credited as author is no byline
        name = value.get("name")
        if isinstance(name, dict):
            name = name.get("name")
        if isinstance(name, list):
            name = "; ".join(part for part in name if isinstance(part, str))
        if not name and isinstance(value.get("givenName"), str):
            name = f"{value['givenName']} {value.get('familyName') or ''}".strip()
        value = name
    if isinstance(value, str) and value.strip() and not _NOT_A_NAME.search(value):
        names.append(unescape(value).strip())


def read_json_ld(tree: HtmlElement) -> LinkedData:
    """Read the first article object's headline and authors, and the publisher's name.

    A script that is no valid JSON is passed over: the meta tags and the byline still stand.
    """
    headline: str | None = None
    authors: list[str] = []
    publisher: str | None = None
    site: str | None = None
    seen = 0
    for script in tree.xpath('.//script[@type="application/ld+json"]'):
        if not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except (ValueError, RecursionError):
            continue
        items = list(islice(_items(data), _MAX_ITEMS))
        nodes = {item["@id"]: item for item in items if isinstance(item.get("@id"), str)}
        for item in items:
            seen += 1
            if seen > _MAX_ITEMS:
                break
            types = _types(item)
            owner = item.get("publisher")
            if publisher is None and isinstance(owner, dict):
                ref = owner.get("@id")
                name = (nodes.get(ref, owner) if isinstance(ref, str) else owner).get("name")
                publisher = name if isinstance(name, str) and name.strip() else None
            if types & JSON_ARTICLE_SCHEMA:
                if headline is None and isinstance(item.get("headline"), str):
                    headline = unescape(item["headline"])
                if not authors:
                    _author_names(item.get("author"), authors, nodes)
            elif types & _SITE_TYPES and site is None and isinstance(item.get("name"), str):
                site = item["name"]
    publisher = publisher or site
    return LinkedData(
        headline, "; ".join(authors) or None, unescape(publisher) if publisher else None
    )
