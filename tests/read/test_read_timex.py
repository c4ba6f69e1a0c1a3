"""Tests for storyline.read.timex: spans, types and values of temporal expressions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.read.timex import find_dates, infer_publication_date

DCT = "2018-05-17"  # a Thursday, ISO week 20


def values(text: str, dct: str | None = DCT) -> dict[str, str]:
    """Map mention text to value."""
    return {m.text: m.value for m in find_dates(text, dct)}


def one(text: str, dct: str | None = DCT) -> tuple[str, str, str]:
    """Return (text, type, value) of the only mention."""
    found = find_dates(text, dct)
    assert len(found) == 1, found
    return found[0].text, found[0].type, found[0].value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers met on Tuesday in Brussels.", ("Tuesday", "DATE", "2018-05-15")),
        ("Police said on Thursday that two men were held.", ("Thursday", "DATE", "2018-05-17")),
        ("The ministers will meet on Friday.", ("Friday", "DATE", "2018-05-18")),
        ("They will meet again next Tuesday.", ("next Tuesday", "DATE", "2018-05-22")),
        ("The vote was held last Friday.", ("last Friday", "DATE", "2018-05-11")),
        ("The talks are scheduled for Monday.", ("Monday", "DATE", "2018-05-21")),
        ("The ruling came on Friday morning.", ("Friday morning", "TIME", "2018-05-11TMO")),
    ],
)
def test_weekdays_follow_tense(text: str, expected: tuple[str, str, str]) -> None:
    """Past-tense clauses point back, future ones forward; the DCT's own weekday is today."""
    assert one(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices rose last month.", ("last month", "DATE", "2018-04")),
        ("The deal is expected to close in June.", ("June", "DATE", "2018-06")),
        ("The law was passed in February.", ("February", "DATE", "2018-02")),
        ("The plant closed in August.", ("August", "DATE", "2017-08")),
        ("Sales fell in March.", ("March", "DATE", "2018-03")),
        ("The strike lasted six weeks.", ("six weeks", "DURATION", "P6W")),
        ("It has grown over the past three years.", ("the past three years", "DURATION", "P3Y")),
        ("Talks resume this week.", ("this week", "DATE", "2018-W20")),
        ("He arrived yesterday.", ("yesterday", "DATE", "2018-05-16")),
        ("The results are out today.", ("today", "DATE", "2018-05-17")),
        ("He speaks tonight.", ("tonight", "TIME", "2018-05-17TNI")),
        ("He is now in charge.", ("now", "DATE", "PRESENT_REF")),
        ("She recently moved.", ("recently", "DATE", "PAST_REF")),
        ("The festival is held each year.", ("each year", "SET", "P1Y")),
        ("The polls close at 3 p.m.", ("3 p.m.", "TIME", "2018-05-17T15:00")),
        ("Profit rose in the first quarter.", ("the first quarter", "DATE", "2018-Q1")),
        ("It was popular in the 1990s.", ("the 1990s", "DATE", "199")),
        ("The camp opened last summer.", ("last summer", "DATE", "2017-SU")),
        ("It happened two years ago.", ("two years ago", "DATE", "2016")),
        ("The company was founded in 1998.", ("1998", "DATE", "1998")),
        ("Prices have been rising since March.", ("March", "DATE", "2018-03")),
    ],
)
def test_relative_and_vague_expressions(text: str, expected: tuple[str, str, str]) -> None:
    """Relative expressions resolve against the DCT with TimeML values."""
    assert one(text) == expected


@pytest.mark.parametrize(
    "text",
    ["It opened on May 17, 2018.", "It opened on 17 May 2018.", "It opened on 2018-05-17.",
     "It opened on 5/17/2018.", "It opened on Thursday, May 17, 2018."],
)  # fmt: skip
def test_explicit_date_formats(text: str) -> None:
    """Every common explicit format gives the same day, with or without a DCT."""
    for dct in (DCT, None):
        _, kind, value = one(text, dct)
        assert (kind, value) == ("DATE", "2018-05-17")


def test_yearless_dates_take_the_sensible_year() -> None:
    """A year-less date is past in a past clause, future in a future or deadline clause."""
    assert values("The bill was signed on May 7.") == {"May 7": "2018-05-07"}
    assert values("The summit will be held on May 27.") == {"May 27": "2018-05-27"}
    assert values("The attack on Dec. 20 killed four.") == {"Dec. 20": "2017-12-20"}
    assert values("The dividend is payable June 15.") == {"June 15": "2018-06-15"}


def test_may_as_a_verb_is_not_a_date() -> None:
    """The modal verb "may" is not the month."""
    assert find_dates("He may resign. Officials may meet.", DCT) == []
    assert values("The vote is set for May.") == {"May": "2018-05"}


def test_without_dct_unknown_parts_stay_x() -> None:
    """With no DCT, relative expressions never invent a year."""
    got = values("In June the board met on Friday, and last month it met again.", None)
    assert got == {"June": "XXXX-06", "Friday": "XXXX-WXX-5", "last month": "XXXX-XX"}
    assert values("It ended on Aug. 7, 1998.", None) == {"Aug. 7, 1998": "1998-08-07"}
    assert values("It ended on Aug. 7.", None) == {"Aug. 7": "XXXX-08-07"}
    assert values("It lasted six weeks.", None) == {"six weeks": "P6W"}


def test_mentions_carry_article_id_and_offsets() -> None:
    """Mentions carry the article id and exact offsets."""
    text = "On Tuesday, prices rose."
    (m,) = find_dates(text, DCT, article_id="a1")
    assert (m.article_id, m.start, m.end, text[m.start : m.end]) == ("a1", 3, 10, "Tuesday")


def test_quarter_anaphora_follows_the_reported_quarter() -> None:
    """'A year earlier' after a quarter means that quarter a year before."""
    text = "Profit rose 5% in the third quarter. A year earlier, it fell."
    assert values(text, "1989-10-26") == {
        "the third quarter": "1989-Q3",
        "A year earlier": "1988-Q3",
    }


def test_empty_and_dateless_text() -> None:
    """Nothing in, nothing out."""
    assert find_dates("", DCT) == []
    assert find_dates("The cat sat on the mat.", DCT) == []


def test_infer_publication_date_from_dateline() -> None:
    """An explicit full date in a dateline fixes the publication day."""
    text = "WASHINGTON, May 17, 2018 — The Senate voted on Thursday to approve the bill."
    got = infer_publication_date(text)
    assert got is not None and got[0] == "2018-05-17"


def test_infer_publication_date_from_today_phrase() -> None:
    """A full date said to be today fixes it; 'yesterday' shifts it by one day."""
    got = infer_publication_date("The minister said today, Thursday, May 17, 2018, that he quits.")
    assert got is not None and got[0] == "2018-05-17"
    got = infer_publication_date(
        "The storm hit yesterday, on Wednesday, May 16, 2018, officials said."
    )
    assert got is not None and got[0] == "2018-05-17"


def test_infer_publication_date_from_weekdays_around_a_full_date() -> None:
    """A full date whose weekday the story names anchors the week of the lead's weekday."""
    text = (
        "State media reported on Thursday that the leaders met.\n\n"
        "The delegation arrived on Wednesday.\n\n"
        "Photo: the delegation in Beijing, May 16, 2018."
    )
    got = infer_publication_date(text)
    assert got is not None and got[0] == "2018-05-17"
    # Without the story naming the date's own weekday, the week is not fixed.
    assert infer_publication_date(text.replace("on Wednesday", "")) is None


def test_a_background_date_on_the_leads_weekday_that_later_years_follow_is_no_anchor() -> None:
    # July 1, 1971 was a Thursday, as the obituary's lead day is, by chance
    text = (
        "W. Mark Felt, the FBI official who became Deep Throat, died on Thursday.\n"
        "On July 1, 1971, Hoover promoted Felt to deputy associate director.\n"
        "He was convicted in 1980 and pardoned by Reagan in 1981. In 2005, Felt revealed "
        "that he was the source."
    )
    assert infer_publication_date(text) is None
    # one later year may be a plan, and the anchor stands
    planned = text.split("\nHe was")[0] + "\nThe bureau plans a memorial in 1973."
    got = infer_publication_date(planned)
    assert got is not None and got[0] == "1971-07-01"


def test_infer_publication_date_refuses_to_guess() -> None:
    """No full date, or conflicting evidence, gives None."""
    assert infer_publication_date("The minister resigned on Thursday, May 17.") is None
    assert infer_publication_date("Nothing temporal here.") is None
    assert infer_publication_date("It was signed on May 17, 2018, after talks in 2017.") is None
    conflicting = "Today, May 17, 2018, he left. Today, June 3, 2018, she came."
    assert infer_publication_date(conflicting) is None


WORDS = st.sampled_from(
    [
        "the",
        "on",
        "in",
        "last",
        "next",
        "this",
        "Friday",
        "May",
        "may",
        "June",
        "3",
        "p.m.",
        "a",
        "year",
        "ago",
        "weeks",
        "1998",
        "Aug.",
        "7",
        ",",
        ".",
        "today",
        "yesterday",
        "quarter",
        "third-quarter",
        "12",
        "1/2",
        "the",
        "past",
        "three",
        "years",
        "each",
        "every",
        "now",
        "since",
        "2018-05-17",
        "5/17/2018",
        "decade",
        "1990s",
        "'the",
        "'80s",
        "noon",
        "midnight",
        "Christmas",
        "nineteen",
        "ninety-six",
        "said",
        "will",
        "early",
        "late",
        "mid-",
        "of",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=40).map(" ".join)),
    st.one_of(st.none(), st.just(DCT), st.just("1989-10-26T10:00"), st.just("garbage")),
)
def test_never_raises_and_offsets_are_exact(text: str, dct: str | None) -> None:
    """find_dates never raises; offsets are valid, ordered and match the mention text."""
    found = find_dates(text, dct)
    last_end = 0
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end  # no overlaps
        last_end = m.end
        assert m.type in {"DATE", "TIME", "DURATION", "SET"}
        assert m.value
    if dct is None:
        for m in found:
            assert not re.fullmatch(r"20\d\d-\d\d", m.value) or m.text[-4:].isdigit()


def test_a_24_hour_clock_is_not_a_year() -> None:
    # wire copy writes times as '1630 GMT': a timeline showed the year 1630
    assert values("Roads were closed until about 1630 GMT on Saturday.") == {
        "Saturday": "2018-05-12"
    }
    assert values("The curfew starts at 2100 hours.") == {}
    assert values("The town was founded in 1630.") == {"1630": "1630"}


def test_a_house_number_is_not_a_year() -> None:
    assert values("Gomes was arrested late Tuesday night at 2088 Philip Street.") == {
        "late Tuesday night": "2018-05-15TNI"
    }
    assert values("They live inside 1800 Pitkin Ave., the same building.") == {}


def test_a_year_in_a_name_is_no_date() -> None:
    text = (
        "They include Football Manager 2020, Grid 2019 and Tomb Raider 2013, and Euro 2020 "
        "qualifying. In 1988 the firm grew. Since 1985 it has lost money. A 1996 law passed. "
        "Navigation Mixte's 1989 results. Christmas 2019 was quiet. Sales rose in Spring 2020.\n"
        "2017 was a good year."
    )
    found = [(m.text, m.value) for m in find_dates(text, "2019-11-18")]
    assert found == [
        ("1988", "1988"),
        ("1985", "1985"),
        ("1996", "1996"),
        ("1989", "1989"),
        ("Christmas 2019", "2019-12-25"),
        ("Spring 2020", "2020-SP"),
        ("2017", "2017"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # what a day is, given as a schedule, is a day to come (published Monday 18 November)
        ("Stadia's launch day is Tuesday.", "2019-11-19"),
        ("The vote is on Friday.", "2019-11-22"),
        ("Come March, the firm will grow.", "2020-03"),
        ("After a break, the tour picks up February 7th in Las Vegas.", "2020-02-07"),
        ("The trial continues Wednesday.", "2019-11-20"),
        # a reported day stays in the past
        ("He said the meeting was Friday.", "2019-11-15"),
        ("Stadia launched Tuesday.", "2019-11-12"),
    ],
)
def test_a_scheduled_day_is_ahead(text: str, value: str) -> None:
    assert [m.value for m in find_dates(text, "2019-11-18")] == [value]
