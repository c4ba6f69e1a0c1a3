"""Layers of attribution: a person quoted inside an outlet's quoted report, "the report added"."""

from __future__ import annotations

import pytest

from storyline.models import Quote
from storyline.read.quotes import QuoteExtractor


@pytest.fixture(scope="module")
def extractor() -> QuoteExtractor:
    """One extractor (the spaCy pipeline loads once per module)."""
    from storyline.read.nlp import load_pipeline

    return QuoteExtractor(load_pipeline())


def by_cue(quotes: list[Quote]) -> dict[str, Quote]:
    return {q.cue: q for q in quotes}


def test_person_inside_quoted_report_is_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        "“Opening the session, Vladimir Putin said that Russia is ready to extend the grain "
        "deal for another year,” the Interfax news agency said, as quoted by Reuters."
    )
    quotes = extractor.extract(text, "a1")
    assert len(quotes) == 1, [(q.speaker_text, q.cue, q.chain) for q in quotes]
    quote = quotes[0]
    assert quote.speaker_text == "Vladimir Putin"
    assert quote.cue == "said"
    assert quote.chain == ["Interfax", "Reuters"]
    assert quote.text.removeprefix("that ") == (
        "Russia is ready to extend the grain deal for another year"
    )
    assert quote.kind == "indirect"  # the agency's rendering, not Putin's own words


def test_the_report_is_the_outlet_last_quoted(extractor: QuoteExtractor) -> None:
    text = (
        "Vladimir Putin met the delegation in Sochi. “Opening the session, Vladimir Putin said "
        "that Russia is ready to extend the deal,” the Interfax news agency said. "
        "“He stressed that the talks would continue in Istanbul next month,” the report added."
    )
    quotes = by_cue(extractor.extract(text, "a1"))
    stressed = quotes["stressed"]
    assert stressed.speaker_text == "He"
    assert stressed.chain == ["Interfax"]
    assert stressed.text == "the talks would continue in Istanbul next month"


def test_a_quote_from_an_outlet_without_inner_speaker_stays(extractor: QuoteExtractor) -> None:
    text = "“The harvest will be the largest in a decade,” the Interfax news agency said."
    quotes = extractor.extract(text, "a1")
    assert len(quotes) == 1
    assert quotes[0].kind == "direct"
    assert quotes[0].chain == []
    assert "Interfax" in (quotes[0].speaker_text or "")


def test_the_report_is_the_originating_outlet_not_its_relay(extractor: QuoteExtractor) -> None:
    text = (
        "Vladimir Putin met the delegation in Sochi. “Opening the session, Vladimir Putin said "
        "that Russia is ready to extend the deal,” the Interfax news agency said, as quoted by "
        "Reuters. “He stressed that the talks would continue in Istanbul next month,” the report "
        "added."
    )
    stressed = by_cue(extractor.extract(text, "a1"))["stressed"]
    assert stressed.chain == ["Interfax", "Reuters"]
