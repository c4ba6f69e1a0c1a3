"""Sentence splitting, tokens and TIMEX3 date values as the brief reads them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.brief.brief_fixtures import DELEGATION, seed_text

from storyline.brief.dates import parse_date_value, parse_iso_date
from storyline.brief.text import capitalised_names, content_tokens, is_informative, split_sentences


def test_offsets_are_exact_and_abbreviations_hold() -> None:
    text = "U.S. President Donald Trump met Mr. Moon on Jan. 3. They talked.\nA new paragraph here"
    sents = split_sentences(text, "a")
    assert [s.text for s in sents] == [
        "U.S. President Donald Trump met Mr. Moon on Jan. 3.",
        "They talked.",
        "A new paragraph here",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)


def test_captions_and_page_furniture_are_not_informative() -> None:
    sents = split_sentences(seed_text(DELEGATION), "d")
    kept = [s.text for s in sents if is_informative(s)]
    assert not any(t.startswith("SEE ALSO") for t in kept)
    assert not any("California Sanctuary State Roundtable" in t for t in kept)  # photo caption
    assert any(t.startswith("Historic talks between the US President") for t in kept)


def test_tokens_and_names() -> None:
    assert "meet" in content_tokens("The meetings were held")
    assert {"kim", "pyongyang"} <= capitalised_names(
        "The talks with Kim's envoy in Pyongyang ended."
    )
    assert "the" not in capitalised_names("The talks ended.")


def test_date_labels() -> None:
    labels = {
        "2018-05-08": "8 May 2018",
        "2018-05": "May 2018",
        "2018": "2018",
        "XXXX-06-12": "12 June (year not stated)",
        "XXXX-WXX-2": "A Tuesday (date not stated)",
        "2018-W19": "Week of 7 May 2018",
        "2016-W10-WE": "Weekend of 12–13 March 2016",
        "2016-W17-WE": "Weekend of 30 April–1 May 2016",
        "2018-SU": "Summer 2018",
        "2018-Q2": "Second quarter of 2018",
        "1990-H1": "First half of 1990",
    }
    for value, label in labels.items():
        parsed = parse_date_value(value)
        assert parsed is not None and parsed.label == label, value
    for value in ("PRESENT_REF", "P6W", "XXXX-XX-XX", "", "garbage"):
        assert parse_date_value(value) is None
    june12 = parse_date_value("XXXX-06-12")
    may = parse_date_value("2018-05")
    assert june12 is not None and may is not None and june12.uncertain
    assert may.sort_key(2018) < june12.sort_key(2018)
    # a week sorts among the days it covers: after 9 May, before 15 May
    week, ninth, fifteenth = (parse_date_value(v) for v in ("2018-W20", "2018-05-09", "2018-05-15"))
    assert week is not None and ninth is not None and fifteenth is not None
    assert ninth.sort_key() < week.sort_key() < fifteenth.sort_key()
    assert parse_iso_date("2018-05-08T10:00:00Z") is not None and parse_iso_date("n/a") is None


@given(st.text(max_size=30))
def test_parse_date_value_never_raises(value: str) -> None:
    parsed = parse_date_value(value)
    if parsed is not None:
        assert isinstance(parsed.label, str)
        parsed.sort_key(2000)


@given(st.text(alphabet=st.sampled_from('Ab .!?\n"“”U.S'), max_size=80))
def test_split_offsets_property(text: str) -> None:
    for sent in split_sentences(text, "x"):
        assert text[sent.start : sent.end] == sent.text and sent.text.strip() == sent.text


def test_public_api() -> None:
    import storyline.brief as brief

    for name in brief.__all__:
        assert hasattr(brief, name), name
