"""Tests for storyline.ingest.bylines: author names without what pages wrap them in."""

from __future__ import annotations

import pytest

from storyline.ingest.bylines import is_byline_name, tidy_author


@pytest.mark.parametrize(
    ("value", "outlet", "expected"),
    [
        ("Tom Krisher, Ap Auto Writer", "Connecticut Post", "Tom Krisher"),
        ("Meg JamesStaff Writer", "Los Angeles Times", "Meg James"),
        ("Marcus De GuzmanView More Articles", None, "Marcus De Guzman"),
        ("Jonathan GarberFOXBusiness", "Fox Business", "Jonathan Garber"),
        ("DANICA KIRKA and JILL LAWLESSAssociated Press", None, "Danica Kirka and Jill Lawless"),
        ("Analysis by Chris Cillizza; CNN Editor-at-large", "CNN", "Chris Cillizza"),
        ("Jill Disis; CNN Business", "CNN", "Jill Disis"),
        ("Tanza Loudenback; Business Insider", "Business Insider Deutschland", "Tanza Loudenback"),
        ("Keris Lahiff@kerisalison", "CNBC", "Keris Lahiff"),
        ("Ilana Muhlstein; MS; RDN", None, "Ilana Muhlstein"),
        ("Tim Childers - Live Science Contributor", None, "Tim Childers"),
        ("| BY: Beachbody", None, "Beachbody"),
        ("Текст: Венера Ерофеева", None, "Венера Ерофеева"),
        ("Troy Smith; Troy L Smith; Cleveland com", "cleveland.com", "Troy Smith"),
        ("Amy Kuperinsky; NJ Advance Media", "nj.com", "Amy Kuperinsky"),
        ("ROBERT BURNS; AP National Security Writer", None, "Robert Burns"),
        ("REUTERS", None, "Reuters"),
    ],
)
def test_names_are_kept_and_their_wrapping_dropped(
    value: str, outlet: str | None, expected: str
) -> None:
    assert tidy_author(value, outlet) == expected


@pytest.mark.parametrize(
    "value",
    ["Associated Press", "Staff Reports", "Telegraph Sport", "PTI", "NASA", "HNN Staff"],
)
def test_a_credit_alone_stays_the_byline(value: str) -> None:
    assert tidy_author(value) == value


@pytest.mark.parametrize(
    "name", ["Sandee LaMotte", "Kevin McCoy", "Bryan DeArdo", "Shane MacDonald", "Thomas More"]
)
def test_names_with_inner_capitals_stay_whole(name: str) -> None:
    assert tidy_author(name) == name


def test_several_authors_keep_their_order() -> None:
    assert (
        tidy_author("Stefan Becket, Kathryn Watson, Grace Segers")
        == "Stefan Becket; Kathryn Watson; Grace Segers"
    )


@pytest.mark.parametrize("value", ["Admin", "Posted by admin", "", "  ", "; ,"])
def test_placeholders_and_empty_values_are_no_author(value: str) -> None:
    assert tidy_author(value) is None


def test_no_value_is_no_author() -> None:
    assert tidy_author(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Carlos Nadalim", True),
        ("Danica Kirka and Jill Lawless", True),
        ("European Space Agency", True),
        ("Nama (wajib)", False),  # a comment form's "Name (required)"
        ("The Russian and Syrian defense ministries", False),  # a fact check's claimant
        ("Leave a reply", False),
        ("Admin", False),
    ],
)
def test_byline_elements_that_read_as_names(value: str, expected: bool) -> None:
    assert is_byline_name(value) is expected


def test_the_outlet_as_its_own_author_is_no_author() -> None:
    assert tidy_author("AppleInsider", "AppleInsider") is None
    assert tidy_author("AppleInsider", "MacRumors") == "AppleInsider"  # a brand stays whole
