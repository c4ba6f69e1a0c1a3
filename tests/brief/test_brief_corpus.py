"""A brief of a story too big to read whole: which reports it reads, and what it says it read."""

from __future__ import annotations

from dataclasses import replace

from tests.brief.brief_fixtures import DALIAN, DELEGATION, make_quote, seed_text

from storyline.brief.build import build_brief
from storyline.brief.bundle import StoryBundle
from storyline.brief.corpus import StoryCorpus, reading_order
from storyline.models import Article, Story

SEEDS = (seed_text(DELEGATION), seed_text(DALIAN))


def _story(level: str, articles: list[Article], children: list[Story] | None = None) -> StoryBundle:
    story = Story(
        id="sl_big" if level == "storyline" else "ev_big",
        level=level,  # type: ignore[arg-type]
        title="",
        article_ids=[a.id for a in articles],
    )
    return StoryBundle(story=story, articles=articles, children=children or [])


def _reports(n: int, prefix: str = "a", day0: int = 1) -> list[Article]:
    """``n`` reports of the seeds' text, published a day apart (ids say the day)."""
    return [
        Article(
            id=f"{prefix}{i:03d}",
            source=f"{prefix}{i}.txt",
            outlet=f"Outlet {i % 7}",
            text=SEEDS[i % 2] + f" Report number {i}.",
            published=f"2018-05-{day0 + i:02d}" if day0 + i <= 31 else None,
        )
        for i in range(n)
    ]


def test_reading_order_spans_each_event_and_its_time_at_every_prefix() -> None:
    first, second = _reports(9, "a"), _reports(3, "b", day0=20)
    events = [{a.id for a in first}, {a.id for a in second}]
    order = [a.id for a in reading_order([*second, *first], events)]
    assert sorted(order) == sorted(a.id for a in [*first, *second])  # everything, once
    # one of each event in turn; within an event the first and last days, then the middle
    assert order[:6] == ["a000", "b000", "a008", "b002", "a004", "b001"]
    assert order[6:] == ["a002", "a006", "a001", "a003", "a005", "a007"]


def test_undated_reports_are_read_after_the_dated_ones_of_their_event() -> None:
    dated = _reports(3, "d")
    undated = [replace(a, id=f"u{n}", published=None) for n, a in enumerate(_reports(2, "x"))]
    order = [a.id for a in reading_order([*undated, *dated], [])]
    assert order == ["d000", "u1", "d002", "d001", "u0"]  # the ends of the whole, dated first


def test_a_small_story_is_read_whole() -> None:
    bundle = _story("event", _reports(4))
    corpus = StoryCorpus(bundle)
    assert corpus.unread == 0
    assert [a.id for a in corpus.originals] == [a.id for a in bundle.articles]


def test_a_story_past_the_limit_reads_part_of_it_and_every_event() -> None:
    first, second = _reports(30, "a"), _reports(4, "b", day0=20)
    events = [
        Story(id="ev_a", level="event", title="", article_ids=[a.id for a in first]),
        Story(id="ev_b", level="event", title="", article_ids=[a.id for a in second]),
    ]
    bundle = _story("storyline", [*first, *second], events)
    corpus = StoryCorpus(bundle, max_sentences=120, per_article=40)
    assert len(corpus.sentences) == 120
    read = {a.id for a in corpus.originals}
    assert corpus.unread == 34 - len(read) > 0
    assert read & {a.id for a in second} and {"a000", "a029"} <= read
    # the reports read keep the bundle's order, and none gives more than its share of sentences
    assert [a.id for a in corpus.originals] == [a.id for a in bundle.articles if a.id in read]
    assert max(len(rows) for rows in corpus.by_article.values()) <= 40


def test_a_very_long_report_is_read_from_its_top() -> None:
    long = Article(id="long", source="long.txt", text="The council met on Tuesday. " * 5000)
    bundle = _story("event", [long, *_reports(2)])
    corpus = StoryCorpus(bundle, per_article=150)
    rows = corpus.by_article["long"]
    assert len(rows) == 150 and rows[0].sentence.start == 0
    assert rows[-1].position < 0.05  # where it stands in the whole report, not in what was read
    assert {"a000", "a001"} <= {a.id for a in corpus.originals}


def test_brief_of_a_big_story_lists_every_source_and_says_which_it_read() -> None:
    reports = _reports(100)  # about 3,500 sentences, past MAX_SENTENCES
    quotes = [make_quote(a, "Xi", None, kind="direct") for a in reports if "Xi" in (a.text or "")]
    bundle = _story("event", reports)
    bundle.quotes = quotes
    brief = build_brief(bundle)
    assert len(brief.sources) == 100  # the sources list every report
    read = {s["article_id"] for s in brief.sources if s["read"]}
    assert 0 < len(read) < 100
    cited = {c.article_id for s in brief.sentences for c in s.citations}
    assert cited and cited <= read  # the text parts rest only on the reports read
    shown = {q["article_id"] for q in brief.quotes} | {
        also["article_id"] for q in brief.quotes for also in q.get("also_in", [])
    }
    assert shown <= read


def test_brief_of_a_small_story_reads_every_source() -> None:
    brief = build_brief(_story("event", _reports(2)))
    assert [s["read"] for s in brief.sources] == [True, True]


def test_roots_agree_with_root_of() -> None:
    reports = _reports(5)
    reports[1] = replace(reports[1], duplicate_of=reports[0].id)
    reports[2] = replace(reports[2], duplicate_of=reports[1].id)
    reports[3] = replace(reports[3], duplicate_of=reports[4].id)
    reports[4] = replace(reports[4], duplicate_of=reports[3].id)  # a cycle stays finite
    bundle = _story("event", reports)
    assert bundle.roots() == {a.id: bundle.root_of(a.id) for a in reports}
    assert bundle.roots()["a002"] == "a000"
