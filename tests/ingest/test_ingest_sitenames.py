"""Tests for storyline.ingest.sitenames: outlet names and headlines without the site's name."""

from __future__ import annotations

import pytest

from storyline.ingest.sitenames import (
    is_poor_sitename,
    names_a_subdomain,
    outlet_from_url,
    outlet_name,
    site_name_forms,
    strip_section,
    strip_site_name,
)


@pytest.mark.parametrize(
    ("sitename", "poor"),
    [
        ("https://www.facebook.com/CBSNews", True),
        ("www.example.com", True),
        ("@AJENews", True),
        ("nj", True),
        ("usatoday", True),
        ("Copyright 2014", True),
        ("© Harbour Gazette", True),
        (None, True),
        ("", True),
        ("Los Angeles Times", False),
        ("cleveland.com", False),
        ("9to5Mac", False),
        ("NBC 5 Dallas-Fort Worth", False),
        ("pv magazine International", False),
    ],
)
def test_poor_site_names(sitename: str | None, poor: bool) -> None:
    assert is_poor_sitename(sitename) is poor


@pytest.mark.parametrize(
    ("sitename", "expected"),
    [
        ("LinkNaija | Nigeria's popular news platform", "LinkNaija"),
        ("Remember 80/90 - Memorabilia anni 80/90", "Remember 80/90"),
        ("Autoracing | F1 | Indy | MotoGP | StockCar", "Autoracing"),
        ("NBC 5 Dallas-Fort Worth", "NBC 5 Dallas-Fort Worth"),
        ("Yahoo!  News", "Yahoo! News"),
        (" | ", "|"),
        (None, None),
    ],
)
def test_outlet_name_drops_the_slogan(sitename: str | None, expected: str | None) -> None:
    assert outlet_name(sitename) == expected


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        ("Spiced Honey Pear Jam Recipe | The Anti-June Cleaver", ["The Anti-June Cleaver"],
         "Spiced Honey Pear Jam Recipe"),
        ("NASA adds five companies to lunar lander program - SpaceNews.com", ["spacenews.com"],
         "NASA adds five companies to lunar lander program"),
        ("LinkNaija | Nigeria's popular news platform: Actress Is Stunning In New Photos",
         ["LinkNaija | Nigeria's popular news platform", "LinkNaija"],
         "Actress Is Stunning In New Photos"),
        # a section before the headline is no site name
        ("Opinion | Republicans Are Following Trump", ["NYTimes"],
         "Opinion | Republicans Are Following Trump"),
        # a colon ends no headline: "Review: ..." keeps its tail
        ("Stadia review: Gizmodo", ["Gizmodo"], "Stadia review: Gizmodo"),
        # nothing worth a headline would stay
        ("News | Harbour Gazette", ["Harbour Gazette"], "News | Harbour Gazette"),
        ("Harbour Gazette", ["Harbour Gazette"], "Harbour Gazette"),
        (None, ["Harbour Gazette"], None),
    ],
)  # fmt: skip
def test_site_name_is_taken_off_the_headline(
    title: str | None, names: list[str], expected: str | None
) -> None:
    assert strip_site_name(title, names) == expected


def test_outlet_from_url_is_the_host_without_www() -> None:
    assert outlet_from_url("https://www.nj.com/news/2019/11/a.html") == "nj.com"
    assert outlet_from_url("example.org/path") == "example.org"
    assert outlet_from_url(None) is None
    assert outlet_from_url("") is None


def test_site_name_forms_cover_handles_slogans_and_hosts() -> None:
    forms = site_name_forms(["@digg", None, "LinkNaija | Nigeria's news"], "digg.com")
    assert forms == [
        "@digg",
        "digg",
        "LinkNaija | Nigeria's news",
        "LinkNaija",
        "digg.com",
    ]
    title = "The Early Reviews For Google's Stadia Are Here — And They're Not Great - Digg"
    assert strip_site_name(title, forms) == title.removesuffix(" - Digg")


@pytest.mark.parametrize(
    ("title", "section", "headline"),
    [
        ("Lexus wants you to go topless - Auto News", "Auto News", "Lexus wants you to go topless"),
        ("Nelson's OT goal lifts Isles | SPORTS", "Sports", "Nelson's OT goal lifts Isles"),
        # a label in front says what kind of piece it is: kept
        (
            "Opinion | Republicans Are Following Trump",
            "Opinion",
            "Opinion | Republicans Are Following Trump",
        ),
        ("Auto News", "Auto News", "Auto News"),  # nothing would stay
        ("Council expands ferry service", None, "Council expands ferry service"),
    ],
)
def test_a_trailing_section_label_comes_off_the_headline(
    title: str, section: str | None, headline: str
) -> None:
    assert strip_section(title, section) == headline


@pytest.mark.parametrize(
    ("sitename", "host", "subdomain"),
    [
        ("Hosted", "hosted.ap.org", True),
        ("Sports", "sports.example.com", True),
        ("News", "news.bbc.co.uk", True),
        ("BBC", "news.bbc.co.uk", False),  # the name under the country's second level
        ("ProFootballTalk", "profootballtalk.nbcsports.com", False),  # shaped as a brand
        ("BGR", "bgr.com", False),
        ("Hosted", None, False),
    ],
)
def test_a_site_name_that_is_only_a_subdomain_word(
    sitename: str, host: str | None, subdomain: bool
) -> None:
    assert names_a_subdomain(sitename, host) is subdomain
