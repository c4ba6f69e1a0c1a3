"""RSS and Atom feeds: recognition and entry listing."""

from __future__ import annotations

from storyline.ingest.feeds import FeedEntry, is_feed, parse_feed

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>News</title><link>https://news.example/</link>
<item><title>First story</title><link>/2024/01/first</link>
  <pubDate>Tue, 02 Jan 2024 10:30:00 +0100</pubDate><dc:creator>Ann Writer</dc:creator>
  <description>Summary one</description></item>
<item><title>Duplicate link</title><link>https://news.example/2024/01/first</link></item>
<item><title>No link at all</title></item>
<item><title>Guid only</title><guid isPermaLink="true">https://news.example/guid-story</guid></item>
<item><title>Mail link</title><link>mailto:someone@example.com</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>Atom story</title><link rel="alternate" href="https://a.example/s1"/>
<updated>2023-05-06T07:08:09Z</updated><author><name>Bo Reporter</name></author></entry>
</feed>"""


def test_rss_entries_are_absolute_unique_and_dated() -> None:
    entries = parse_feed(RSS, "https://news.example/feed.xml")
    assert [e.url for e in entries] == [
        "https://news.example/2024/01/first",
        "https://news.example/guid-story",
    ]
    first = entries[0]
    assert first == FeedEntry(
        url="https://news.example/2024/01/first",
        title="First story",
        published="2024-01-02T09:30:00Z",
        author="Ann Writer",
        summary="Summary one",
    )
    assert entries[1].published is None


def test_atom_entry() -> None:
    (entry,) = parse_feed(ATOM, "https://a.example/atom")
    assert entry.url == "https://a.example/s1"
    assert entry.published == "2023-05-06T07:08:09Z"
    assert entry.author == "Bo Reporter"


def test_is_feed_by_type_or_root_element() -> None:
    assert is_feed("application/rss+xml; charset=utf-8", b"")
    assert is_feed("application/atom+xml", b"")
    assert is_feed("text/xml", RSS)
    assert is_feed("text/html", ATOM)  # misconfigured servers
    assert not is_feed("text/html", b"<!doctype html><html><body>rss feed</body></html>")
    assert not is_feed("application/xml", b'<?xml version="1.0"?><urlset></urlset>')


def test_garbage_is_an_empty_feed() -> None:
    assert parse_feed(b"\x00\xff not xml at all", "https://x.example/") == []
    assert parse_feed(b"", "https://x.example/") == []
