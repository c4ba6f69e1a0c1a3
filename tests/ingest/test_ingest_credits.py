"""Tests for storyline.ingest.credits: wire and agency credit lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.ingest.credits import credit_tail, is_credit_line, split_credits


@pytest.mark.parametrize(
    "line",
    [
        "Additional reporting from AFP and Reuters.",
        "Reporting by Jane Doe; Editing by Chris Reese",
        "(Reporting by Valerie Volcovici; Additional reporting by Lawrence Hurley; Editing by Will Dunham.)",
        "Writing by Luciana Lopez; Editing by Eric Beech",
        "— AFP",
        "- Reuters.",
        "(Reuters)",
        "With AFP",
        "With AFP and Reuters",
        "Source: AFP",
        "ASSOCIATED PRESS.",
        "Agencies",
        "Staff and agencies",
        "The Associated Press contributed to this report.",
        "Associated Press writer Lisa Mascaro in Washington contributed to this report.",
        "AP writers Jill Colvin and Zeke Miller contributed.",
        "© 2018 Reuters",
        "Copyright 2016 The Associated Press. All rights reserved.",
        "This story has been published from a wire agency feed without modifications to the text.",
        "h/t: The Hill.",
        "--additional reporting by Linh Tat.",
    ],
)
def test_credit_lines(line: str) -> None:
    assert is_credit_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Reuters reported last week that policymakers were split.",
        "Reporting by the New York Times found that the president paid no federal income tax for ten years.",
        "AFP correspondents in the city saw smoke rising from the port.",
        "Many donors contributed.",
        "He contributed $5 million to the campaign.",
        "WASHINGTON (Reuters) - The U.S. Federal Reserve held rates steady.",
        "The agencies said the data would be released on Friday.",
        "Apple",
        "",
    ],
)
def test_body_lines_are_not_credits(line: str) -> None:
    assert not is_credit_line(line)


def test_credit_tail_is_split_off_a_paragraph() -> None:
    line = "The court will rule in June. (Reporting by Jane Doe; Editing by Bob Roe)"
    assert credit_tail(line) == (
        "The court will rule in June.",
        "(Reporting by Jane Doe; Editing by Bob Roe)",
    )
    assert credit_tail("(Reporting by Jane Doe)") is None  # a whole line is handled as a line
    assert credit_tail("The court will rule in June.") is None


def test_split_credits_on_extracted_text() -> None:
    text = (
        "Xi met Kim in Dalian.\n"
        "Reuters could not verify the report.\n"
        "They agreed to meet again. (Additional reporting by Ben Blanchard)\n"
        "Additional reporting from AFP and Reuters."
    )
    body, credits = split_credits(text)
    assert body == (
        "Xi met Kim in Dalian.\nReuters could not verify the report.\nThey agreed to meet again."
    )
    assert credits == [
        "(Additional reporting by Ben Blanchard)",
        "Additional reporting from AFP and Reuters.",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_split_credits_never_raises_and_only_removes(text: str) -> None:
    body, credits = split_credits(text)
    assert len(body) <= len(text)
    for credit in credits:
        assert credit in text
