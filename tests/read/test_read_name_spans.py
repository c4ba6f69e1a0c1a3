"""Name spans: headlines, line breaks and honorifics (through the entity reader in
test_read_entities.py; here on plain spans)."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.read.name_spans import honorific_sex, trim_headline_names


@dataclass
class _Span:
    start: int
    end: int
    text: str
    type: str
    is_description: bool = False


def test_honorifics_say_a_sex() -> None:
    text = "Mr. Clinton spoke. Mrs. Clinton spoke. Ms Warren spoke. Clinton spoke."
    starts = [i for i in range(len(text)) if text.startswith(("Clinton", "Warren"), i)]
    assert [honorific_sex(text, i) for i in starts] == ["m", "f", "f", None]


def test_a_headline_span_is_cut_only_with_a_common_word() -> None:
    headline = "Donald Trump Wins Nevada Caucuses"
    body = "\nDonald Trump won the caucuses by a wide margin, and his aides say he wins often."
    text = headline + body
    head = _Span(0, 24, "Donald Trump Wins Nevada", "PERSON")
    name = _Span(len(headline) + 1, len(headline) + 13, "Donald Trump", "PERSON")
    trim_headline_names([head, name], text)
    assert (head.start, head.end, head.text) == (0, 12, "Donald Trump")
    # "Hillary Rodham" is cut off nowhere: no word of it is written in lower case
    other = "Hillary Rodham Clinton Visits Ohio Today"
    text = other + "\nClinton told voters in Ohio that jobs would come back to the state soon."
    full = _Span(0, 22, "Hillary Rodham Clinton", "PERSON")
    trim_headline_names([full, _Span(len(other) + 1, len(other) + 8, "Clinton", "PERSON")], text)
    assert full.text == "Hillary Rodham Clinton"
