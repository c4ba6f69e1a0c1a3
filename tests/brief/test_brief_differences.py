"""Differences between sources: only counts, days and places that speak of the same thing."""

from __future__ import annotations

from typing import Any

from storyline.brief.bundle import StoryBundle
from storyline.brief.corpus import StoryCorpus
from storyline.brief.dates import date_span
from storyline.brief.differences import find_differences
from storyline.models import Article, DateMention, EntityMention, Story


def _bundle(
    texts: dict[str, str],
    published: dict[str, str] | None = None,
    places: list[tuple[str, str]] = (),  # type: ignore[assignment]
    dates: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> StoryBundle:
    """Independent reports, with the places and dates the read stage would have found."""
    published = published or {}
    articles = [
        Article(id=aid, source=f"{aid}.txt", outlet=aid, text=text, published=published.get(aid))
        for aid, text in texts.items()
    ]
    by_id = {a.id: a for a in articles}

    def span(aid: str, phrase: str) -> tuple[int, int]:
        start = (by_id[aid].text or "").index(phrase)
        return start, start + len(phrase)

    mentions = [EntityMention(aid, *span(aid, p), p, "GPE") for aid, p in places]
    date_mentions = [DateMention(aid, p, *span(aid, p), "DATE", v) for aid, p, v in dates]
    story = Story(id="ev-1", level="event", title="", article_ids=list(texts))
    return StoryBundle(story=story, articles=articles, dates=date_mentions, mentions=mentions)


def _differences(bundle: StoryBundle) -> list[dict[str, Any]]:
    return find_differences(StoryCorpus(bundle))


def _values(found: list[dict[str, Any]], kind: str) -> list[set[str]]:
    return [{s["value"] for s in d["sides"]} for d in found if d["kind"] == kind]


def test_a_count_of_one_thing_told_differently_is_a_difference() -> None:
    found = _differences(
        _bundle(
            {
                "a": "Running back Pierre Thomas missed nine games this season with an ankle injury.",
                "b": "Running back Pierre Thomas missed 10 games this season with the ankle injury.",
            }
        )
    )
    assert _values(found, "number") == [{"9", "10"}]


def test_counts_of_different_players_or_of_a_season_are_no_difference() -> None:
    texts = {
        "a": "Ty Lawson chipped in 16 points for the Tar Heels in the win against Evansville.",
        "b": "Shy Ely put up 23 points against the Tar Heels in the loss at Evansville.",
        "c": "Tyler Hansbrough now has 2,301 career points for the Tar Heels after Evansville.",
        "d": "Tyler Hansbrough scored 20 points for the Tar Heels in the win against Evansville.",
    }
    assert _values(_differences(_bundle(texts)), "number") == []


def test_a_fraction_lost_to_encoding_is_no_count() -> None:
    texts = {
        "a": "LaRue served 4\ufffd months in federal prison for conspiracy to obstruct justice.",
        "b": "LaRue served 41/2 months in federal prison for conspiracy to obstruct justice.",
    }
    assert _values(_differences(_bundle(texts)), "number") == []


def test_a_part_and_its_total_agree_with_the_part() -> None:
    texts = {
        "a": "Quarterback David Garrard completed 28 passes for 329 yards against the Colts.",
        "b": "Quarterback David Garrard completed 28 of 41 passes for 329 yards against the Colts.",
    }
    assert _values(_differences(_bundle(texts)), "number") == []


def test_a_day_within_the_weekend_another_gives_is_no_difference() -> None:
    texts = {
        "a": "Rescuers recovered the body of the climber who fell on Mount Cook over the weekend.",
        "b": "Rescuers recovered the body of the climber who fell on Mount Cook on Saturday.",
    }
    same_day = {"a": "2013-09-16", "b": "2013-09-16"}
    dates = [("a", "over the weekend", "2013-W37-WE"), ("b", "on Saturday", "2013-09-14")]
    found = _differences(_bundle(texts, same_day, dates=dates))
    assert _values(found, "date") == []
    # the day itself told differently by reports of the same day is a difference
    other = [("a", "over the weekend", "2013-W37-WE"), ("b", "on Saturday", "2013-09-07")]
    assert _values(_differences(_bundle(texts, same_day, dates=other)), "date")


def test_weekdays_of_reports_written_on_unknown_days_are_not_compared() -> None:
    texts = {
        "a": "Police said Williams was pulled over for speeding early Sunday outside downtown.",
        "b": "Police said Williams was pulled over for speeding early Sunday outside the downtown.",
    }
    dates = [("a", "early Sunday", "2009-02-01"), ("b", "early Sunday", "2009-02-08")]
    assert _values(_differences(_bundle(texts, dates=dates)), "date") == []
    # with the year written, the dates are the sources' own and can be compared
    written = {
        "a": "Deputy Jerry Ortiz was shot dead on June 24, 2005, while investigating a shooting.",
        "b": "Deputy Jerry Ortiz was shot dead on June 14, 2005, while investigating a shooting.",
    }
    dates = [("a", "June 24, 2005", "2005-06-24"), ("b", "June 14, 2005", "2005-06-14")]
    assert _values(_differences(_bundle(written, dates=dates)), "date") == [
        {"24 June 2005", "14 June 2005"}
    ]


def test_places_at_two_scales_or_in_other_words_are_no_difference() -> None:
    texts = {
        "a": "A huge fire destroyed the Waitrose store in Banstead early on Monday morning.",
        "b": "A huge fire destroyed the Waitrose store in Banstead High Street early on Monday.",
        "c": "A huge fire destroyed the Waitrose store in Surrey early on Monday, firemen said.",
        "d": "The Banstead store of Waitrose, in Surrey, was closed after the fire on Monday.",
    }
    places = [
        ("a", "Banstead"),
        ("b", "Banstead High Street"),
        ("c", "Surrey"),
        ("d", "Banstead"),
        ("d", "Surrey"),
    ]
    assert _values(_differences(_bundle(texts, places=places)), "place") == []


def test_where_it_happened_told_differently_is_a_difference() -> None:
    texts = {
        "a": "The gunman opened fire on the office Christmas party in Vancouver on Friday night.",
        "b": "The gunman opened fire on the office Christmas party in Toronto on Friday night.",
        "c": "Born in Montreal, the gunman had worked for the firm for eleven years until Friday.",
    }
    places = [("a", "Vancouver"), ("b", "Toronto"), ("c", "Montreal")]
    found = _values(_differences(_bundle(texts, places=places)), "place")
    # 'born in Montreal' tells another deed, so only the place of the shooting is compared
    assert found == [{"Vancouver", "Toronto"}]


def test_date_span_covers_the_days_a_value_names() -> None:
    assert [d.isoformat() for d in date_span("2013-W37-WE") or ()] == ["2013-09-14", "2013-09-15"]
    assert [d.isoformat() for d in date_span("2011-08-16T08:30") or ()] == [
        "2011-08-16",
        "2011-08-16",
    ]
    assert [d.isoformat() for d in date_span("2013-Q4") or ()] == ["2013-10-01", "2013-12-31"]
    assert date_span("XXXX-09-14") is None and date_span("PAST_REF") is None
