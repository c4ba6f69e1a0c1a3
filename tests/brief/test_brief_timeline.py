"""The timeline: which dated happenings it shows, once each, past or planned."""

from __future__ import annotations

from storyline.brief.bundle import StoryBundle
from storyline.brief.corpus import StoryCorpus
from storyline.brief.timeline import build_timeline
from storyline.models import Article, Story, TimelineEntry
from storyline.read.timex import find_dates


def _timeline(reports: dict[str, tuple[str, str]], max_entries: int = 40) -> list[TimelineEntry]:
    """The timeline of one story of ``{id: (published, text)}``, its dates found by the reader."""
    articles = [
        Article(id=aid, source=f"{aid}.txt", outlet=aid, text=text, published=published)
        for aid, (published, text) in reports.items()
    ]
    story = Story("sl-1", "storyline", "", article_ids=[a.id for a in articles])
    dates = [d for a in articles for d in find_dates(a.text or "", a.published, a.id)]
    return build_timeline(StoryCorpus(StoryBundle(story, articles, dates=dates)), max_entries)


BACKGROUND = [
    "The state last held a contested primary in 1988, when turnout was far lower.",
    "In 1972 the party's nominee lost forty-nine states in the general election.",
    "Her husband first carried the state in 1992 and again in 1996 by wide margins.",
    "Turnout in 2008 set a record that still stands in most of these counties.",
]


def test_a_full_timeline_shows_the_story_before_its_background() -> None:
    # A long storyline's reports cite many years gone by; kept by date alone, those filled the
    # whole timeline and the race itself was left out.
    text = " ".join(
        [
            "Clinton won the Kentucky primary on Tuesday by fewer than two thousand votes.",
            "Sanders won the Oregon primary on Tuesday with a wide margin in Portland.",
            *BACKGROUND,
        ]
    )
    entries = _timeline({"r1": ("2016-05-18", text)}, max_entries=3)
    # both of the day's results, then the background told nearest the top, in date order
    assert [e.date for e in entries] == ["1988", "2016-05-17", "2016-05-17"]
    # with room for all, nothing is left out
    assert len(_timeline({"r1": ("2016-05-18", text)})) == 7


def test_a_range_of_years_is_one_entry_at_its_start() -> None:
    text = (
        "Kunin was governor of Vermont from 1985 to 1991 and speaks from experience. "
        "She endorsed Clinton on Monday at a rally in Burlington."
    )
    entries = _timeline({"r1": ("2016-03-02", text)})
    assert [e.date for e in entries] == ["1985", "2016-02-29"]


def test_a_happening_one_report_foresaw_and_another_tells_is_past() -> None:
    before = "Clinton is expected to win the New York primary on Tuesday, polls show."
    after = "Clinton won the New York primary on Tuesday, ending a string of Sanders wins."
    entries = _timeline({"pre": ("2016-04-18", before), "post": ("2016-04-20", after)})
    vote = [e for e in entries if e.date == "2016-04-19"]
    assert len(vote) == 1 and vote[0].status == "past"
    assert vote[0].text == after  # told as done, not as foreseen
    assert {c.article_id for c in vote[0].citations} == {"pre", "post"}
    # foreseen by every report that tells it, it stays planned
    alone = _timeline({"pre": ("2016-04-18", before)})
    assert [e.status for e in alone if e.date == "2016-04-19"] == ["planned"]


def test_the_year_a_report_is_written_in_is_not_planned() -> None:
    text = "Democrats in 2016 are getting about two-thirds of the primary votes they had before."
    entries = _timeline({"r1": ("2016-04-27", text)})
    assert [(e.date, e.status) for e in entries] == [("2016", "past")]
