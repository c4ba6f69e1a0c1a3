"""Page metadata (title, author, site name, publication day) from a parsed HTML tree.

This follows ``trafilatura.metadata.extract_metadata`` in its order of sources (meta tags, then
JSON-LD, then the markup) but leaves out the parts storyline never uses (categories, tags,
licence), reads JSON-LD with its own faster reader (``json_ld``), and always calls htmldate with
safe settings: original date, markup only, nothing after today. The names it finds are tidied for
readers: the outlet (``sitenames``), the author (``bylines``) and the headline without the site's
name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import unescape

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_sitename,
    extract_title,
    extract_url,
)

from storyline.ingest.bylines import is_byline_name, tidy_author
from storyline.ingest.json_ld import LinkedData, read_json_ld
from storyline.ingest.sitenames import (
    SECTION_SEPARATORS,
    is_poor_sitename,
    names_a_subdomain,
    outlet_from_url,
    outlet_name,
    site_name_forms,
    strip_section,
    strip_site_name,
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


_BYLINE_XPATH = (
    "(//*[@rel='author' or @itemprop='author' or contains(@class,'byline') "
    "or contains(@class,'author')])[position() <= 5]"
)


def _element_text(element: HtmlElement) -> str:
    """The element's text, with " ; " where two of its elements meet with no space between.

    "<span>Jane Doe</span><span>Staff Writer</span>" reads "Jane Doe ; Staff Writer", not
    "Jane DoeStaff Writer": a name and a job title set in elements of their own stay apart.
    """
    pieces: list[str] = []
    for piece in element.itertext():
        if not piece:
            continue
        if pieces and piece[:1].strip() and pieces[-1][-1:].strip():
            pieces.append(" ; ")
        pieces.append(piece)
    return " ".join("".join(pieces).split())


def find_byline(tree: HtmlElement, outlet: str | None = None) -> str | None:
    """The author from a byline element, when the meta tags and JSON-LD name none.

    One XPath pass instead of trafilatura's extract_author, which walks the tree with a dozen
    expressions and cost a third of ingest time on pages without an author meta tag.
    """
    for element in tree.xpath(_BYLINE_XPATH):
        raw = _element_text(element)
        if len(raw) > 120 or any(ch.isdigit() for ch in raw):
            continue
        text = tidy_author(raw, outlet)
        if text is None or not (1 <= len(text.split()) <= 6 and 3 <= len(text) <= 60):
            continue
        if is_byline_name(text):
            return text
    return None


def read_metadata(tree: HtmlElement, url: str | None, today: date) -> PageMetadata:
    """Read title, author, site name and publication day; the tree is left unchanged."""
    document = examine_meta(tree)
    # trafilatura reads the meta tags of <head> only; a stray element there makes the parser
    # start the body early, and the rest of the head's tags land in it (BGR's og:site_name).
    document.sitename = document.sitename or _stray_meta(tree, "og:site_name", "application-name")
    document.url = document.url or _stray_meta(tree, "og:url") or _canonical(tree)
    document.title = document.title or _stray_meta(tree, "og:title", "twitter:title")
    # trafilatura's own rule: a one-word meta author is usually a handle or a site name.
    if document.author and " " not in document.author:
        document.author = None
    # JSON-LD is read only for what the meta tags lack; when it names the author, it spares the
    # costlier byline search.
    linked = LinkedData()
    if not (document.title and document.author) or is_poor_sitename(document.sitename):
        linked = read_json_ld(tree)
    title = document.title or linked.headline or extract_title(tree)
    page_url = document.url or extract_url(tree, url)
    day = _publication_day(tree, page_url, today)
    host = outlet_from_url(page_url or url)
    outlet = _outlet(tree, document.sitename, linked.publisher, host)
    author = tidy_author(_tidy(document.author or linked.authors), outlet) or find_byline(
        tree, outlet
    )
    names = site_name_forms([document.sitename, linked.publisher, outlet], host)
    title = strip_site_name(_tidy(title), names)
    # The page's declared section is a search of the whole page: only for a title with a label.
    if title and any(separator in title for separator in SECTION_SEPARATORS):
        title = strip_section(title, _stray_meta(tree, "article:section"))
    return PageMetadata(title, author, outlet, day)


def _stray_meta(tree: HtmlElement, *names: str) -> str | None:
    """The first non-empty content of a meta tag with one of ``names``, anywhere in the page."""
    for name in names:
        for value in tree.xpath("//meta[@property=$n or @name=$n]/@content", n=name):
            if text := _tidy(str(value)):
                return text
    return None


def _canonical(tree: HtmlElement) -> str | None:
    """The page's canonical address, when it declares an absolute one."""
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        if str(href).startswith(("http://", "https://")):
            return str(href)
    return None


def _outlet(
    tree: HtmlElement, declared: str | None, from_json: str | None, host: str | None
) -> str | None:
    """The outlet's name: the declared site name unless it is an address, a handle, a slug, a
    notice or the host's subdomain, then JSON-LD's publisher, then the page's host, then
    trafilatura's guess.

    The declared name wins over JSON-LD's publisher, which names the wire service on a
    syndicated story ("Associated Press" on the Times Union's page).
    """
    for candidate in (declared, from_json):
        if not is_poor_sitename(candidate) and not names_a_subdomain(candidate, host):
            return outlet_name(_tidy(candidate))
    if host:
        return host
    name = _tidy(declared or from_json or extract_sitename(tree))
    if name is None:
        return None
    name = name.lstrip("@")
    if name and "." not in name and not name[0].isupper():
        name = name.title()
    return outlet_name(name) if name else None


def _publication_day(tree: HtmlElement, page_url: str | None, today: date) -> str | None:
    """Return htmldate's publication day of the page, or None when it finds none or fails.

    htmldate drops script and style elements from its copy of the tree, and lxml asserts when the
    dropped element is the root (a fragment such as "<script><html>" parses to one). A page it
    cannot read is a page without a date, not a failed document.
    """
    try:
        # extensive_search=False: the free-text scan returns crawl dates and "today" stamps.
        return find_date(
            tree,
            extensive_search=False,
            original_date=True,
            url=page_url,
            max_date=today.isoformat(),
        )
    except (AssertionError, ValueError, TypeError):
        return None
