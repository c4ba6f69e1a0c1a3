"""Tests for storyline.ingest.html (extract_html) and its line cleanup."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.errors import DocumentRejected
from storyline.ingest.html import HtmlExtract, extract_html
from storyline.ingest.html_clean import clean_body

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the harbour ferry service to three new stops, "
    "a plan that had been debated for more than two years by residents and business owners.",
    "Supporters said the new routes would cut commuting times for thousands of people living on "
    "the eastern shore, where the only bridge is often jammed during the morning rush hour.",
    "Opponents argued that the cost of the new boats, estimated at forty million dollars, would "
    "be better spent on repairing the existing piers and on buses for the outer districts.",
    "The first of the new ferries is expected to enter service next spring, officials said, "
    "and the remaining two boats should follow before the end of the following year.",
]


def make_page(
    *,
    head: str = "",
    body_top: str = "",
    body_bottom: str = "",
    lang: str | None = "en",
) -> str:
    """A small news page: head metadata, a headline, four paragraphs and a footer."""
    lang_attr = f' lang="{lang}"' if lang else ""
    paragraphs = "\n".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html{lang_attr}><head><meta charset="utf-8">
<title>Council expands harbour ferry service - Harbour Gazette</title>
{head}
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council expands harbour ferry service</h1>
{body_top}
{paragraphs}
{body_bottom}
</article>
<footer><p>© Harbour Gazette. All rights reserved.</p></footer>
</body></html>"""


FULL_HEAD = """
<meta property="og:site_name" content="Harbour Gazette">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2019-11-18T09:30:00+00:00">
"""


def test_extracts_body_title_author_outlet_date_language() -> None:
    page = extract_html(make_page(head=FULL_HEAD), "https://www.harbourgazette.example/news/ferry")
    assert isinstance(page, HtmlExtract)
    assert page.text.split("\n") == PARAGRAPHS
    assert page.title == "Council expands harbour ferry service"
    assert page.author == "Jane Doe"
    assert page.outlet == "Harbour Gazette"
    assert page.published == "2019-11-18T09:30:00+00:00"
    assert page.published_source == "metadata"
    assert page.language == "en"


def test_outlet_falls_back_to_url_host() -> None:
    page = extract_html(make_page(), "https://www.harbourgazette.example/news/ferry")
    assert page.outlet is not None
    assert "harbourgazette.example" in page.outlet


def test_date_only_metadata_stays_a_date() -> None:
    head = '<meta name="date" content="2019-11-18">'
    page = extract_html(make_page(head=head))
    assert page.published == "2019-11-18"


def test_no_date_gives_none_never_today() -> None:
    page = extract_html(make_page(), "https://example.org/news/ferry")
    assert page.published is None
    assert page.published_source == "unknown"


def test_future_date_is_rejected() -> None:
    future = date(date.today().year + 2, 1, 15).isoformat()
    head = f'<meta property="article:published_time" content="{future}T10:00:00Z">'
    page = extract_html(make_page(head=head))
    assert page.published is None or page.published < date.today().isoformat() + "T99"
    assert page.published != future and not (page.published or "").startswith(future)


def test_date_from_url_path() -> None:
    page = extract_html(make_page(), "https://example.org/2019/11/18/ferry-service/")
    assert page.published == "2019-11-18"


def test_language_none_when_undeclared() -> None:
    assert extract_html(make_page(lang=None)).language is None


def test_language_region_kept() -> None:
    assert extract_html(make_page(lang="pt_BR")).language == "pt-BR"


def test_boilerplate_lines_are_removed_and_credits_kept_apart() -> None:
    bottom = """
<p>Related: Ferry fares to rise in January</p>
<p>Sign up for our newsletter to get the day's top stories delivered to your inbox.</p>
<p>Follow Harbour Gazette on Twitter and Facebook.</p>
<p>Reporting by John Roe; editing by Mary Major.</p>
"""
    page = extract_html(make_page(head=FULL_HEAD, body_bottom=bottom))
    assert page.text.split("\n") == PARAGRAPHS
    assert page.credits == ["Reporting by John Roe; editing by Mary Major."]


def test_empty_document_is_rejected() -> None:
    with pytest.raises(DocumentRejected) as caught:
        extract_html("   ")
    assert caught.value.reason == "no_article"


@pytest.mark.parametrize(
    "body",
    [
        "<nav><a href='/'>Home</a></nav>",
        "<div><a href='/'>Home</a> <a href='/n'>News</a></div><form>Password <input></form>",
    ],
)
def test_page_without_article_is_rejected_with_detail(body: str) -> None:
    html = f"<html><head><title>Login</title></head><body>{body}</body></html>"
    with pytest.raises(DocumentRejected) as caught:
        extract_html(html, "https://example.org/login")
    assert caught.value.reason == "no_article"
    assert "example.org/login" in caught.value.detail


def test_clean_body_drops_repeated_headline_only_at_top() -> None:
    headline = "Council votes to expand the harbour ferry service"
    text = f"{headline}\nFirst paragraph of the story.\n{headline}"
    cleaned = clean_body(text, f"{headline} | Gazette")
    assert cleaned.text == f"First paragraph of the story.\n{headline}"


def test_clean_body_keeps_sentences_that_merely_mention_words() -> None:
    text = (
        "More than 200 people attended the meeting.\n"
        "Readers can subscribe to the council minutes, a spokesman said, though few do."
    )
    assert clean_body(text).text == text


def test_clean_body_takes_linear_time_on_a_line_of_one_huge_token() -> None:
    # One 200,000-character "word" made the contact-line pattern take 75 s (square of its length).
    # (a suite that slows by minutes shows a regression; a timed assertion would be flaky)
    line = "x" * 200_000
    cleaned = clean_body(f"{PARAGRAPHS[0]}\n{line}")
    assert cleaned.text == f"{PARAGRAPHS[0]}\n{line}"


def _tag_of(count: int, attribute: str) -> str:
    attributes = " ".join(attribute.format(i) for i in range(count))
    return f"<div {attributes}><p>{PARAGRAPHS[0]}</p></div>"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("<p>One short sentence here.</p>" * 30_001, "more than 30000 HTML elements"),
        ("<p>" + "<span>A few words.</span> " * 2_001 + "</p>", "a <p> holds more than 2000"),
        # nesting cannot hide inline elements from the block that will hold their text
        ("<p>" + ("<span>Words. " * 200 + "</span>" * 200) * 11 + "</p>", "a <p> holds"),
        # libxml2 parses a tag in time growing with the square of its attributes (40,000: 40 s)
        (_tag_of(1_001, 'a{}="x"'), "a <div> tag has more than 1000 attributes"),
        (_tag_of(1_001, "b{}"), "a <div> tag has more than 1000 attributes"),
        # a '>' inside a quoted value does not end the tag
        (_tag_of(1_001, "data-{}='>'"), "a <div> tag has more than 1000 attributes"),
    ],
)
def test_page_with_too_much_markup_is_refused_at_once(body: str, detail: str) -> None:
    # trafilatura's XPath queries take time growing with the square of such pages' text nodes:
    # 100,000 paragraphs took 46 s, 20,000 spans in one paragraph 51 s.
    with pytest.raises(DocumentRejected) as caught:
        extract_html(make_page(body_top=body))
    assert caught.value.reason == "too_large"
    assert detail in caught.value.detail


def test_markup_bounds_leave_many_attributes_and_quoted_brackets_alone() -> None:
    # 1,000 attributes, and values holding '<', '>' and the other quote, are within bounds
    tag = _tag_of(1_000, "data-k{}=\"<b class='x'>\"")
    page = extract_html(make_page(head=FULL_HEAD, body_top=tag))
    assert page.text.endswith(PARAGRAPHS[-1])


def test_markup_bounds_leave_ordinary_inline_markup_alone() -> None:
    spans = "<p>" + "<span>Styled words</span> and <a href='/x'>links</a>. " * 100 + "</p>"
    page = extract_html(make_page(head=FULL_HEAD, body_top=spans))
    assert page.text.endswith(PARAGRAPHS[-1])


def test_outlet_from_json_ld_when_the_site_name_is_an_address() -> None:
    head = """
<meta property="og:site_name" content="https://www.facebook.com/HarbourGazette">
<meta property="og:title" content="Council expands harbour ferry service | Harbour Gazette">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Council expands harbour ferry service",
 "author": {"@type": "Person", "name": "Jane Doe"},
 "publisher": {"@type": "Organization", "name": "Harbour Gazette"}}</script>
"""
    page = extract_html(make_page(head=head), "https://www.harbourgazette.example/news/ferry")
    assert page.outlet == "Harbour Gazette"
    assert page.author == "Jane Doe"  # read from JSON-LD, which the meta tags lack
    assert page.title == "Council expands harbour ferry service"


def test_declared_site_name_wins_over_the_wire_service_in_json_ld() -> None:
    head = """
<meta property="og:site_name" content="Harbour Gazette">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "publisher": {"@type": "Organization", "name": "Associated Press"}}</script>
"""
    page = extract_html(make_page(head=head), "https://www.harbourgazette.example/news/ferry")
    assert page.outlet == "Harbour Gazette"


def test_meta_tags_the_parser_moved_out_of_the_head_are_still_read() -> None:
    # An element that may not stand in <head> starts the body early: the tags after it are
    # parsed into the body, where trafilatura does not look.
    head = """<div class="ad-slot"></div>
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:url" content="https://www.harbourgazette.example/news/ferry">
"""
    page = extract_html(make_page(head=head))  # a saved page: no address given
    assert page.outlet == "Harbour Gazette"
    head = '<div class="ad-slot"></div>\n<link rel="canonical" href="https://harbourgazette.example/x">'
    assert extract_html(make_page(head=head)).outlet == "harbourgazette.example"


def test_the_section_the_page_declares_comes_off_the_end_of_its_headline() -> None:
    head = """<meta property="og:title" content="Council expands harbour ferry service - Local News">
<meta property="article:section" content="Local News">"""
    page = extract_html(make_page(head=head), "https://www.harbourgazette.example/news/ferry")
    assert page.title == "Council expands harbour ferry service"


def test_a_slug_site_name_gives_way_to_the_host() -> None:
    head = '<meta property="og:site_name" content="harbourgazette">'
    page = extract_html(make_page(head=head), "https://www.harbourgazette.example/news/ferry")
    assert page.outlet == "harbourgazette.example"


def test_byline_element_loses_its_job_title_and_a_form_label_is_no_byline() -> None:
    byline = '<div class="byline"><span>Jane Doe</span><span>Staff Writer</span></div>'
    page = extract_html(make_page(body_top=byline), "https://harbourgazette.example/a")
    assert page.author == "Jane Doe"
    form = '<form><label class="comment-author">Nama (wajib)</label></form>'
    page = extract_html(make_page(body_bottom=form), "https://harbourgazette.example/a")
    assert page.author is None
