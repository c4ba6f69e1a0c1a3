"""HTML page -> clean article body and metadata, with trafilatura and htmldate.

The page is parsed once. ``html_meta.read_metadata`` reads title, author, site name and the
publication day (htmldate) from the tree; ``trafilatura.bare_extraction`` then takes the main text
from a copy of it, in precision mode without comments (the best trafilatura setting on the
extraction benchmark); ``html_clean.clean_body`` removes the lines trafilatura still lets through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import trafilatura
from lxml.etree import iterwalk
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from storyline.errors import DocumentRejected
from storyline.ingest.html_clean import clean_body
from storyline.ingest.html_meta import read_metadata
from storyline.ingest.sitenames import outlet_from_url
from storyline.ingest.words import count_words

__all__ = ["HtmlExtract", "extract_html"]

# The head holds the <html lang>, <meta> and JSON-LD we read with regexes; bounding the scan keeps
# it cheap on large pages.
_HEAD_CHARS = 200_000
_LANG_TAG = r"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)"
_LANG_RES = (
    re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*" + _LANG_TAG, re.I),
    re.compile(
        r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*"
        r"[\"']\s*" + _LANG_TAG,
        re.I,
    ),
    re.compile(
        r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*"
        r"[\"']\s*" + _LANG_TAG,
        re.I,
    ),
)
# Full timestamps pages declare for their publication; used only to add the time of day to the
# day htmldate chose, never to pick a different day.
_TIMESTAMP_RES = (
    re.compile(
        r"<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|"
        r"og:published_time|datePublished|pubdate|publish[-_]date|dc\.date\.issued|"
        r"parsely-pub-date|sailthru\.date)[\"'][^>]*?content\s*=\s*[\"']([^\"']+)",
        re.I,
    ),
    re.compile(r"\"datePublished\"\s*:\s*\"([^\"]+)\""),
    re.compile(r"<time\b[^>]*?\bdatetime\s*=\s*[\"']([^\"']+)[\"'][^>]*?\bpubdate", re.I),
)
_TIMESTAMP_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Fewer words than this is a menu or a login form, not an article body (the shortest body of the
# extraction benchmark has 66 words); the ingest stage applies its own, stricter minimum.
MIN_BODY_WORDS = 8
_WORD_RE = re.compile(r"\w+")
# Bounds on a page's markup. trafilatura's XPath queries ("//p//text()") take time growing with
# the square of the text nodes they return (100,000 paragraphs: 46 s), and with the square of the
# text nodes one block holds once trafilatura strips its inline tags (20,000 spans in one
# paragraph: 51 s). The largest page of the extraction benchmark has 1,600 elements and no block
# there holds more than 106 inline ones. A page past these bounds is no article page and is
# refused at once; the slowest page found just inside them is extracted in 8.5 s.
_MAX_ELEMENTS = 30_000
# libxml2 checks each attribute of a tag against the ones before it, so one tag's parse takes time
# growing with the square of its attributes (40,000 attributes in one <div>: 40 s over the
# parses a page gets), before any bound on the parsed tree can apply. No page of the extraction
# benchmark has a tag with more than 87. Counted on the raw markup by one regex search, 0.3 ms a
# page: a start tag followed by one attribute more than the bound. Each attribute is an atomic
# group with possessive parts, so a tag of fewer fails at once instead of being tried again with
# its names cut into shorter ones; a quoted value is stepped over whole, '>' and all.
_MAX_ATTRIBUTES = 1_000
_TOO_MANY_ATTRIBUTES = re.compile(
    r"<[A-Za-z][^\s/>]*+"
    r"""(?>[\s/]*+[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'>]*+))?+)"""
    rf"{{{_MAX_ATTRIBUTES + 1}}}"
)
_MAX_INLINE = 2_000
_INLINE_TAGS = frozenset(
    (
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
        "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
        "sup", "time", "tt", "u", "var",
    )
)  # fmt: skip


@dataclass(frozen=True)
class HtmlExtract:
    """What one HTML page yields: the article body and what the page says about it."""

    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    published_source: str = "unknown"  # "metadata" when ``published`` came from the page
    credits: list[str] = field(default_factory=list)


def _find_language(head: str) -> str | None:
    """The language the page declares (``<html lang>``, Content-Language, og:locale), if any."""
    for pattern in _LANG_RES:
        match = pattern.search(head)
        if match:
            return match.group(1).replace("_", "-")
    return None


def _refine_published(day: str | None, head: str, today: date) -> str | None:
    """Add the declared time of day to htmldate's day when the page states one for that day."""
    if not day:
        return None
    for pattern in _TIMESTAMP_RES:
        for match in pattern.finditer(head):
            value = match.group(1).strip()
            if not _TIMESTAMP_SHAPE.match(value):
                continue
            try:
                stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            if stamp.date().isoformat() == day and stamp.date() <= today:
                return stamp.isoformat()
    return day


def _check_attributes(html: str, where: str) -> None:
    """Refuse a page with a tag of more than ``_MAX_ATTRIBUTES`` attributes, before parsing it."""
    tag = _TOO_MANY_ATTRIBUTES.search(html)
    if tag is not None:
        name = html[tag.start() + 1 : tag.start() + 41].split(maxsplit=1)[0].split("/")[0]
        raise DocumentRejected(
            "too_large",
            f"{where}: a <{name}> tag has more than {_MAX_ATTRIBUTES} attributes, no article page",
        )


def _check_markup_size(tree: HtmlElement, where: str) -> None:
    """Refuse a page with more elements, or more inline elements in one block, than the bounds.

    Both counts of the whole page are taken in C (0.4 ms a page); only a page with more inline
    elements in all than one block may hold is walked, a stack holding the enclosing block of
    each inline element.
    """
    if int(tree.xpath("count(//*)")) > _MAX_ELEMENTS:
        raise DocumentRejected(
            "too_large", f"{where}: more than {_MAX_ELEMENTS} HTML elements, no article page"
        )
    if sum(1 for _ in tree.iter(*_INLINE_TAGS)) <= _MAX_INLINE:
        return
    inline: dict[HtmlElement, int] = {}
    blocks: list[HtmlElement] = []
    for event, element in iterwalk(tree, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        is_inline = element.tag in _INLINE_TAGS
        if event == "end":
            if not is_inline:
                blocks.pop()
            continue
        if not is_inline:
            blocks.append(element)
        elif blocks:
            block = blocks[-1]
            inline[block] = inline.get(block, 0) + 1
            if inline[block] > _MAX_INLINE:
                raise DocumentRejected(
                    "too_large",
                    f"{where}: a <{block.tag}> holds more than {_MAX_INLINE} inline elements, "
                    "no article text",
                )


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Extract the article body and its metadata from one HTML page.

    Raises ``DocumentRejected("no_article", ...)`` when the page has no article body.
    """
    if not html or not html.strip():
        raise DocumentRejected("no_article", f"{url or 'HTML page'}: the document is empty")
    where = url or "HTML page"
    _check_attributes(html, where)
    tree = load_html(html)
    if tree is None:
        raise DocumentRejected("no_article", f"{where}: the document cannot be parsed as HTML")
    _check_markup_size(tree, where)
    today = date.today()
    # Metadata first: the body extraction prunes its own copy of the tree, this one stays whole.
    meta = read_metadata(tree, url, today)
    document = trafilatura.bare_extraction(
        tree, url=url, favor_precision=True, include_comments=False
    )
    # bare_extraction returns a dict only with its deprecated as_dict flag, which we never set.
    if not isinstance(document, Document) or not (document.text or "").strip():
        raise DocumentRejected(
            "no_article", f"{where}: trafilatura found no main text block in {len(html)} characters"
        )
    cleaned = clean_body(document.text or "", meta.title)
    words = count_words(cleaned.text, _WORD_RE)
    if words < MIN_BODY_WORDS:
        raise DocumentRejected(
            "no_article",
            f"{where}: the main text block has {words} words of body text once headline and "
            f"prompts are removed (need {MIN_BODY_WORDS})",
        )
    head = html[:_HEAD_CHARS]
    published = _refine_published(meta.day, head, today)
    return HtmlExtract(
        text=cleaned.text,
        title=meta.title,
        author=meta.author,
        outlet=meta.sitename or outlet_from_url(url),
        published=published,
        language=_find_language(head),
        published_source="metadata" if published else "unknown",
        credits=cleaned.credits,
    )
