"""RSS and Atom feeds: recognise them and list their entries (link, title, date, author, summary)."""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

__all__ = ["FeedEntry", "is_feed", "parse_feed"]

FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/x-rss+xml",
        "application/rss",
    }
)
# Generic XML types are feeds only when the root element says so (sitemaps are XML too).
_XML_TYPES = frozenset({"application/xml", "text/xml", "text/rss+xml", "text/atom+xml"})
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?"
    rb"(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>]*>)\s*)*"
    rb"<(?:rss|feed|rdf:RDF)\b",
    re.DOTALL | re.IGNORECASE,
)


@dataclass
class FeedEntry:
    """One feed item: the article link and the metadata the feed gives for it."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 in UTC, as the feed states it
    author: str | None = None
    summary: str | None = None


def is_feed(content_type: str, body: bytes) -> bool:
    """True when a response is an RSS or Atom feed, by its declared type or its root element."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype in FEED_CONTENT_TYPES:
        return True
    # Sniff the start only: servers often send feeds as text/xml or even text/html.
    return bool(_FEED_ROOT.match(body[:4096]))


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Every entry of the feed that has a link, in feed order, links made absolute and unique."""
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = _entry_link(item)
        if not link:
            continue
        url = urljoin(base_url, link.strip())
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        entries.append(
            FeedEntry(
                url=url,
                title=_clean(item.get("title")),
                published=_iso_date(item.get("published_parsed") or item.get("updated_parsed")),
                author=_clean(item.get("author")),
                summary=_clean(item.get("summary")),
            )
        )
    return entries


def _entry_link(item: Any) -> str | None:
    """The entry's article link: ``link``, else the first alternate or html link, else its id."""
    link = item.get("link")
    if isinstance(link, str) and link.strip():
        return link
    for candidate in item.get("links", []):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"])
    guid = item.get("id")
    if isinstance(guid, str) and guid.startswith(("http://", "https://")):
        return guid  # RSS guid with isPermaLink is the article URL
    return None


def _iso_date(value: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as an ISO 8601 string, or None when absent."""
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return moment.isoformat().replace("+00:00", "Z")


def _clean(value: Any) -> str | None:
    """A stripped string, or None for absent and blank values."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None
