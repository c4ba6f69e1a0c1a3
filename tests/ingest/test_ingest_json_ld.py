"""Tests for storyline.ingest.json_ld: headline, authors and publisher from a page's JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from storyline.ingest.json_ld import LinkedData, read_json_ld


def _page(*blocks: Any, raw: str | None = None) -> HtmlElement:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(block)}</script>' for block in blocks
    )
    if raw is not None:
        scripts += f'<script type="application/ld+json">{raw}</script>'
    tree = load_html(f"<html><head>{scripts}</head><body><p>Text.</p></body></html>")
    assert tree is not None
    return tree


def test_article_headline_authors_and_publisher() -> None:
    tree = _page(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Council expands &amp; ferry service",
            "author": [{"@type": "Person", "name": "Jane Doe"}, "John Roe"],
            "publisher": {"@type": "Organization", "name": "Harbour Gazette"},
        }
    )
    assert read_json_ld(tree) == LinkedData(
        "Council expands & ferry service", "Jane Doe; John Roe", "Harbour Gazette"
    )


def test_graph_references_are_followed() -> None:
    # Yoast's graphs name the author and the publisher in nodes of their own
    tree = _page(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "Organization", "@id": "#org", "name": "MSPoweruser"},
                {"@type": "WebPage", "@id": "#page", "name": "A page title, not a site"},
                {
                    "@type": "Article",
                    "@id": "#article",
                    "author": {"@id": "#person"},
                    "publisher": {"@id": "#org"},
                },
                {"@type": ["Person"], "@id": "#person", "name": "Lewis White"},
            ],
        }
    )
    assert read_json_ld(tree) == LinkedData(None, "Lewis White", "MSPoweruser")


def test_organisations_addresses_and_bad_scripts_are_no_authors() -> None:
    tree = _page(
        {
            "@type": "NewsArticle",
            "author": [
                {"@type": "Organization", "name": "News Nation Bureau"},
                {"@type": "Person", "name": "https://example.org/staff/jane"},
                {"@id": ["not", "a", "reference"]},
            ],
            "publisher": {"@id": ["odd"]},
        },
        raw='{"@type": "NewsArticle", "author": ',  # cut off: passed over
    )
    assert read_json_ld(tree) == LinkedData()


def test_a_page_without_json_ld_gives_nothing() -> None:
    assert read_json_ld(_page()) == LinkedData()
