"""Tests for storyline.ingest.pubdate: metadata, datelines, inference and what is never guessed."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.ingest.pubdate import (
    find_dateline_date,
    find_publication_date,
    is_timestamp_line,
    normalise_date,
    parse_date_in,
)

TODAY = date(2024, 1, 1)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2018-05-17", "2018-05-17"),
        ("2018-05-17T10:04:00Z", "2018-05-17T10:04:00+00:00"),
        ("2018-05-17T10:04:00-04:00", "2018-05-17T10:04:00-04:00"),
        ("2018-05-17 10:04", "2018-05-17T10:04:00"),
        ("Thu, 17 May 2018 10:04:00 GMT", "2018-05-17T10:04:00+00:00"),
        ("May 17, 2018", "2018-05-17"),
        ("17 May 2018", "2018-05-17"),
        ("20180517", "2018-05-17"),
    ],
)
def test_metadata_is_normalised(value: str, iso: str) -> None:
    assert normalise_date(value, TODAY) == iso
    assert find_publication_date("Body.", given=value, today=TODAY) == (iso, "metadata")


@pytest.mark.parametrize(
    "value", ["yesterday", "2018-13-45", "not a date", "", "2030-01-01", "1066-10-14"]
)
def test_unparseable_future_and_ancient_metadata_are_rejected(value: str) -> None:
    assert normalise_date(value, TODAY) is None


def test_given_wins_over_metadata_and_bad_given_falls_through() -> None:
    assert find_publication_date("x", given="2018-05-17", metadata="2018-05-16", today=TODAY) == (
        "2018-05-17",
        "metadata",
    )
    assert find_publication_date("x", given="soon", metadata="2018-05-16", today=TODAY) == (
        "2018-05-16",
        "metadata",
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("WASHINGTON, May 16, 2018 (Reuters) - The Fed held rates.", "2018-05-16"),
        ("May 16, 2018 — The Fed held rates steady on Wednesday.", "2018-05-16"),
        ("Published: 17 May 2018\n\nThe Fed held rates.", "2018-05-17"),
        ("Updated 3:04 PM ET, Thu May 17, 2018\nWASHINGTON (CNN) - The Fed held.", "2018-05-17"),
        ("Last Updated: Monday, 28 November 2005, 02:24 GMT\nTen dead in quake", "2005-11-28"),
        ("Second man dies\n14:25 Sun Sep 15 2013\nA second man has died.", "2013-09-15"),
        ("September 18th, 2013, 05:31 GMT\nMicrosoft Launches Patch", "2013-09-18"),
        ("Posted on Thu Jun 13, 2013 08:45 AM PDT\nBody.", "2013-06-13"),
        ("Updated: May 24, 2005\nPublished: May 23, 2005\nBody text.", "2005-05-23"),
    ],
)
def test_datelines_at_the_start(text: str, iso: str) -> None:
    assert find_dateline_date(text) == iso
    assert find_publication_date(text, today=TODAY) == (iso, "text")


@pytest.mark.parametrize(
    "text",
    [
        "NAIROBI, Kenya (AP) _ Suspected bombs exploded outside the U.S. embassies.",
        "HEMPSTEAD, N.Y., Sept. 26 (UPI) — Green Party candidate Jill Stein was escorted off.",
        "WASHINGTON (Reuters) - The Fed said it expected to raise rates by May 16, 2019 at the latest.",
        "The war ended on May 8, 1945, and the city was rebuilt over the next decade.",
        "",
    ],
)
def test_no_year_or_body_dates_give_no_text_date(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "storyline.read.timex", None)  # no inference available
    assert find_publication_date(text, today=TODAY) == (None, "unknown")


def test_dateline_date_from_cleaning_is_used() -> None:
    assert find_publication_date("Body.", dateline="2018-05-17", today=TODAY) == (
        "2018-05-17",
        "text",
    )


def test_future_dateline_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "storyline.read.timex", None)
    assert find_publication_date("May 16, 2030 — Body.", today=TODAY) == (None, "unknown")


def test_inference_is_used_last(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("storyline.read.timex")
    fake.infer_publication_date = lambda text: ("2018-05-17", "Thursday + Dec date")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "storyline.read.timex", fake)
    assert find_publication_date("On Thursday officials met.", today=TODAY) == (
        "2018-05-17",
        "inferred",
    )
    fake.infer_publication_date = lambda text: None  # type: ignore[attr-defined]
    assert find_publication_date("On Thursday officials met.", today=TODAY) == (None, "unknown")


def test_module_without_the_function_counts_as_no_inference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(
        sys.modules, "storyline.read.timex", types.ModuleType("storyline.read.timex")
    )
    assert find_publication_date("On Thursday officials met.", today=TODAY) == (None, "unknown")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("on 05/17/2018", "2018-05-17"),
        ("on 17/05/2018", "2018-05-17"),
        ("on 17.05.2018", "2018-05-17"),
        ("Sept. 26, 2016", "2016-09-26"),
        ("the 3rd of March, 2019", "2019-03-03"),
    ],
)
def test_parse_date_in(text: str, iso: str) -> None:
    found = parse_date_in(text)
    assert found is not None and found[0].isoformat() == iso


def test_ambiguous_numeric_dates_are_not_guessed() -> None:
    assert parse_date_in("on 05/06/2018") is None


@pytest.mark.parametrize(
    "line",
    [
        "8/2/13 at 1:30 PM",  # two-digit year, month or day first: no day, still a timestamp
        "9/10/2010 @ 1:19PM",
        "Posted at 3:21 PM ET, 01/5/2011",
        "APR 28",  # no year
        "12 January 2010 @ 09:29 pm",
        "Article posted on 08.07.2012",
        "Updated 3:04 PM ET, Thu May 17, 2018",
    ],
)
def test_timestamp_lines_whose_day_cannot_be_read_are_still_timestamps(line: str) -> None:
    assert is_timestamp_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "May 4 rally draws thousands",
        "Ellen DeGeneres to host 2014 Oscars",
        "March 2013",
        "Reid checked herself in on Tuesday, December 9, 2008.",
        "THE WHITE HOUSE",
    ],
)
def test_headlines_and_sentences_with_dates_are_not_timestamps(line: str) -> None:
    assert not is_timestamp_line(line)


def test_a_timestamp_with_an_at_sign_gives_its_day() -> None:
    assert find_dateline_date("12 January 2010 @ 09:29 pm\nThe council met.") == "2010-01-12"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=40)))
def test_never_raises_and_never_returns_a_future_date(text: str, given_value: str | None) -> None:
    iso, source = find_publication_date(text, given=given_value, today=TODAY)
    assert source in {"metadata", "text", "inferred", "unknown"}
    if iso is not None:
        assert date.fromisoformat(iso[:10]) <= date(2024, 1, 2)
    else:
        assert source == "unknown"


def test_title_is_skipped_before_looking_for_a_dateline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "storyline.read.timex", None)
    title = "Markets on May 16, 2018"
    text = f"{title}\nStocks rose again on Wednesday."
    assert find_publication_date(text, title=title, today=TODAY) == (None, "unknown")


def test_inference_reads_a_bounded_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    fake = types.ModuleType("storyline.read.timex")
    fake.infer_publication_date = lambda text: seen.append(text)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "storyline.read.timex", fake)
    lead = "Officials met on Thursday.\n"
    find_publication_date(lead + "2020-01-01 " * 200_000, today=TODAY)
    assert seen == [lead.rstrip("\n")]  # cut at the last line break before the bound
    seen.clear()
    find_publication_date("x " * 20_000, today=TODAY)  # no line break: cut at the bound itself
    assert len(seen[0]) == 20_000


def test_a_long_line_of_dates_is_dated_in_bounded_time() -> None:
    # Each full date's sentence was searched whole: 220,000 characters of dates took over 200 s.
    day, _source = find_publication_date("Officials met.\n" + "2020-01-01 " * 20_000, today=TODAY)
    assert day is None or day.startswith("2020-01-01")
