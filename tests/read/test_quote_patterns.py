"""Layout attributions: a report closing its sentence after a comma."""

from __future__ import annotations

import pytest

from storyline.read.quote_features import TokenView
from storyline.read.quote_patterns import layout_attributions
from storyline.read.quotes import QuoteExtractor


@pytest.fixture(scope="module")
def extractor() -> QuoteExtractor:
    """One extractor (the spaCy pipeline loads once per module)."""
    from storyline.read.nlp import load_pipeline

    return QuoteExtractor(load_pipeline())


def patterns(extractor: QuoteExtractor, text: str) -> list[tuple[str, str, str]]:
    """(cue, source, content) of each layout attribution, as text."""
    v = TokenView.from_doc(next(extractor.read_pipe([text])))

    def words(span: tuple[int, int]) -> str:
        return v.text[v.starts[span[0]] : v.ends[span[1] - 1]]

    return [(words(c), words(s), words(f[0])) for c, s, f in layout_attributions(v)]


def test_closing_report_names_the_source(extractor: QuoteExtractor) -> None:
    text = (
        "Brazil's president has met farm leaders to discuss the new export tariffs and the "
        "drought, the state news agency Agencia Brasil reported on Tuesday."
    )
    [(cue, source, content)] = patterns(extractor, text)
    assert cue == "reported"
    assert source == "the state news agency Agencia Brasil"
    assert content.startswith("Brazil's president has met") and content.endswith("the drought")


@pytest.mark.parametrize(
    "text",
    [
        # the tail after the verb is more than when it was said
        "The ministers met in Geneva for three hours, the agency reported the decision to Reuters.",
        # a short fragment before the comma is no clause
        "In Geneva, the agency reported.",
        # a quotation's tail is the quote extractor's, not a layout
        'Prices will rise sharply in the last quarter," the agency said.',
    ],
)
def test_closing_report_needs_its_shape(extractor: QuoteExtractor, text: str) -> None:
    assert patterns(extractor, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Editor’s Note: The following is part 3 of 3 excerpts from the book.",
        "CORRECTION: Due to an editing error, an earlier version misstated the date.",
        "Contributing: Grant Miller, Medill News Service.",
    ],
)
def test_editorial_labels_are_no_speakers(extractor: QuoteExtractor, text: str) -> None:
    assert patterns(extractor, "The council met on Monday.\n" + text) == []
