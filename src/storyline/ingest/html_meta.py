"""Page metadata (title, author, site name, publication day) from a parsed HTML tree.

This follows ``trafilatura.metadata.extract_metadata`` step for step but leaves out the parts
storyline never uses (categories, tags, licence), which cost a fifth of the metadata time, and
always calls htmldate with safe settings: original date, markup only, nothing after today.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from html import unescape

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)

__all__ = ["PageMetadata", "read_metadata"]


@dataclass(frozen=True)
class PageMetadata:
    """What the markup of a page says about its article."""

    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    day: str | None = None  # YYYY-MM-DD from htmldate


def _tidy(value: str | None) -> str | None:
    """Unescape entities, collapse white space and turn an empty string into None."""
    if value is None:
        return None
    value = " ".join(unescape(value).split())
    return value or None


def read_metadata(tree: HtmlElement, url: str | None, today: date) -> PageMetadata:
    """Read title, author, site name and publication day; the tree is left unchanged."""
    document = examine_meta(tree)
    # trafilatura's own rule: a one-word meta author is usually a handle or a site name.
    if document.author and " " not in document.author:
        document.author = None
    # trafilatura's JSON-LD reader can fail on malformed blocks; the meta tags still stand.
    with contextlib.suppress(Exception):
        document = extract_meta_json(tree, document)
    title = document.title or extract_title(tree)
    author = document.author or extract_author(tree)
    page_url = document.url or extract_url(tree, url)
    # extensive_search=False: the free-text scan is what returns crawl dates and "today" stamps.
    day = find_date(
        tree,
        extensive_search=False,
        original_date=True,
        url=page_url,
        max_date=today.isoformat(),
    )
    sitename = document.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif page_url:
        match = META_URL.match(page_url)
        sitename = match[1] if match else None
    return PageMetadata(_tidy(title), _tidy(author), _tidy(sitename), day)
