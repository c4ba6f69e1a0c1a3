"""build_brief on bundles made from the two seed articles."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.brief.brief_fixtures import make_quote, rewrite_bundle, seed_articles, seed_bundle

from storyline.brief.build import build_brief
from storyline.brief.bundle import StoryBundle
from storyline.brief.dates import parse_date_value
from storyline.models import Article, DateMention, Entity, EntityMention, Story, to_dict


def _span(bundle: StoryBundle, article_id: str, start: int, end: int) -> str:
    return (bundle.article_map()[article_id].text or "")[start:end]


def test_summary_is_extractive_cited_and_3_to_6_sentences() -> None:
    bundle = seed_bundle()
    brief = build_brief(bundle)
    assert 3 <= len(brief.sentences) <= 6
    for sent in brief.sentences:
        assert sent.supported
        first = sent.citations[0]
        assert _span(bundle, first.article_id, first.start, first.end) == sent.text


def test_copies_are_counted_once_and_never_cited() -> None:
    brief = build_brief(seed_bundle(with_copy=True))
    cited = {c.article_id for s in brief.sentences for c in s.citations}
    cited |= {c.article_id for e in brief.timeline for c in e.citations}
    assert "a-copy" not in cited
    assert len(brief.sources) == 2  # two independent sources
    dalian = next(s for s in brief.sources if s["article_id"] == "a-dalian")
    assert [c["article_id"] for c in dalian["copies"]] == ["a-copy"]
    assert dalian["copies"][0]["relation"] == "copy"


def test_summary_draws_on_both_sources() -> None:
    brief = build_brief(seed_bundle())
    cited = {s.citations[0].article_id for s in brief.sentences}
    assert cited == {"a-deleg", "a-dalian"}
    text = " ".join(s.text for s in brief.sentences)
    assert "Xi Jinping" in text


def test_timeline_sorted_with_uncertain_and_planned() -> None:
    bundle = seed_bundle()
    brief = build_brief(bundle)
    dates = [e.date for e in brief.timeline]
    assert "P6W" not in dates  # durations are not timeline points
    singapore = next(e for e in brief.timeline if e.date == "XXXX-06-12")
    assert singapore.status == "uncertain"
    assert "Singapore" in singapore.text
    value = parse_date_value(singapore.date)
    assert value is not None and value.label == "12 June (year not stated)"
    june = next(e for e in brief.timeline if e.date == "2018-06")
    assert june.status == "planned"  # after the 8 May 2018 publication date
    met = next(e for e in brief.timeline if e.date == "2018-05-08")
    assert met.status == "past" and "Kim" in met.text
    # known dates in order, the year-less June 12 placed after June 2018 (story year 2018)
    order = [dates.index(d) for d in ("2018-05-07", "2018-05-08", "2018-06", "XXXX-06-12")]
    assert order == sorted(order)
    for entry in brief.timeline:
        first = entry.citations[0]
        assert entry.text == _span(bundle, first.article_id, first.start, first.end)


def test_future_wording_makes_planned_without_publication_date() -> None:
    delegation, _ = seed_articles()
    text = "The two leaders will meet again on 3 July, officials said in a short statement today."
    art = replace(delegation, text=text)
    start = text.index("3 July")
    from storyline.models import DateMention

    bundle = StoryBundle(
        Story("s", "event", "t"),
        [art],
        dates=[DateMention(art.id, "3 July", start, start + 6, "DATE", "2018-07-03")],
    )
    [entry] = build_brief(bundle).timeline
    assert entry.status == "planned"


def test_agreements_differences_unique() -> None:
    bundle = rewrite_bundle()
    brief = build_brief(bundle)
    assert len(brief.sources) == 3
    agree = [
        a
        for a in brief.agreements
        if {s["article_id"] for s in a["sources"]} >= {"a-dalian", "a-rewrite"}
    ]
    assert agree, brief.agreements
    diff = [d for d in brief.differences if d["kind"] == "number" and d["slot"] == "week"]
    assert diff, brief.differences
    values = {s["value"] for s in diff[0]["sides"]}
    assert values == {"6", "8"}
    unique_ids = {u["article_id"] for u in brief.unique}
    assert "a-rewrite" in unique_ids
    assert any("Officials in Seoul" in u["text"] for u in brief.unique)
    assert all("Xi Jinping met Kim" not in u["text"] for u in brief.unique)  # two carry it
    # a summary sentence cites every independent source that restates it, unless numbers differ
    from storyline.brief.corpus import StoryCorpus
    from storyline.brief.summary import supporting_citations

    corpus = StoryCorpus(bundle)
    rows = {r.text[:30]: r for r in corpus.by_article["a-dalian"]}
    kim = supporting_citations(corpus, rows["Kim reiterated his commitment "])
    assert {c.article_id for c in kim} == {"a-dalian", "a-rewrite"}
    lead = supporting_citations(corpus, rows["Chinese President Xi Jinping m"])
    assert {c.article_id for c in lead} == {"a-dalian"}  # 'eight weeks' is no support for 'six'


def test_quotes_carry_chain_and_outlet() -> None:
    brief = build_brief(seed_bundle())
    [quote] = brief.quotes
    assert quote["chain_label"] == "Xi Jinping → KCNA → Yonhap"
    assert quote["outlet"] == "Asian Correspondent"
    assert quote["end"] > quote["start"]


def test_empty_and_rejected_articles_give_an_empty_brief() -> None:
    story = Story("s-empty", "event", "")
    bundle = StoryBundle(story, [Article(id="r", source="x.html", status="empty")])
    brief = build_brief(bundle)
    assert brief.sentences == [] and brief.timeline == [] and brief.sources == []
    assert brief.title == "Story s-empty"


def test_brief_is_json_ready() -> None:
    import json

    data = to_dict(build_brief(seed_bundle()))
    assert json.loads(json.dumps(data))["story_id"] == "sl-1"


def test_with_real_date_finder() -> None:
    from storyline.read.timex import find_dates

    bundle = seed_bundle(with_copy=False)
    bundle.dates = []
    for art in bundle.articles:
        bundle.dates += find_dates(art.text or "", art.published, art.id)
    brief = build_brief(bundle)
    assert brief.timeline
    keys = [parse_date_value(e.date) for e in brief.timeline]
    assert all(k is not None for k in keys)
    june12 = [e for e in brief.timeline if e.date.endswith("06-12")]
    assert june12 and all(e.status in {"uncertain", "planned"} for e in june12)


def _delegation_with_dates() -> StoryBundle:
    """The delegation piece as the reader dates it: published Thursday 17 May 2018."""
    from tests.brief.brief_fixtures import mention

    delegation, dalian = seed_articles()
    delegation = replace(delegation, published="2018-05-17")
    dalian = replace(dalian, published=None)
    dates = [
        mention(delegation, "earlier this week", "2018-W20"),
        mention(delegation, "pull out Tuesday", "2018-05-15"),
        mention(delegation, "June 12", "2018-06-12"),
        mention(dalian, "in June", "XXXX-06"),
        mention(dalian, "on Tuesday", "XXXX-WXX-2"),
    ]
    story = Story("sl-2", "storyline", "", article_ids=[delegation.id, dalian.id])
    return StoryBundle(story, [delegation, dalian], dates=dates)


def test_vaguer_date_of_one_happening_folds_into_the_exact_one() -> None:
    bundle = _delegation_with_dates()
    brief = build_brief(bundle)
    by_date = {e.date: e for e in brief.timeline}
    # 'earlier this week, the North warned' is the Tuesday threat, not a second happening
    assert "2018-W20" not in by_date
    threat = by_date["2018-05-15"]
    assert threat.text.startswith("But after weeks of warm words")
    cited = [_span(bundle, c.article_id, c.start, c.end) for c in threat.citations]
    assert any(t.startswith("In an angrily worded statement earlier this week") for t in cited)
    # 'his expected meeting with Trump in June' (no year) is the 12 June summit, shown once
    assert "XXXX-06" not in by_date
    summit = by_date["2018-06-12"]
    assert summit.status == "planned" and "Singapore" in summit.text
    assert {c.article_id for c in summit.citations} == {"a-deleg", "a-dalian"}
    # a bare weekday of an undated article is kept, and kept uncertain
    assert by_date["XXXX-WXX-2"].status == "uncertain"


@pytest.mark.parametrize(
    ("vaguer", "folded"),
    [("2018-Q2", True), ("2018-SP", True), ("2018-WI", False), ("2018-H2", False)],
)
def test_a_season_quarter_or_half_year_folds_only_the_days_it_covers(
    vaguer: str, folded: bool
) -> None:
    # 'WI' is winter, not a week: read as one, a PolNeAR story's brief stopped the whole run
    bundle = _delegation_with_dates()
    dates = [replace(d, value=vaguer) if d.value == "2018-W20" else d for d in bundle.dates]
    brief = build_brief(replace(bundle, dates=dates))
    shown = {e.date for e in brief.timeline}
    assert (vaguer not in shown) is folded  # spring 2018 holds 15 May; winter 2018 does not
    assert "2018-05-15" in shown


def test_a_vaguer_date_that_knows_the_year_is_not_folded_away() -> None:
    brief = build_brief(seed_bundle())
    dates = {e.date for e in brief.timeline}
    assert {"2018-06", "XXXX-06-12"} <= dates  # June 2018 must not vanish into a year-less day


def test_quotes_fold_relays_and_drop_fragments() -> None:
    _, dalian = seed_articles()
    hope = 'that the US and North Korea would take "phased and synchronous measures" to achieve denuclearisation and peace'
    wrapped = hope + ", Xinhua said, signalling Pyongyang's demands for a quid pro quo"
    quotes = [
        make_quote(dalian, hope, "Kim Jong-un", "mixed", cue="expressed hope"),
        make_quote(dalian, wrapped, "Xinhua News Agency", "mixed"),
        make_quote(dalian, "The US side", "North Korea"),  # a torn clause, not speech
        make_quote(dalian, "that Beijing still has a central role to play", "-", cue="shows"),
        # a broadcaster showing pictures is an attribution, not speech
        make_quote(
            dalian,
            "Xi and Kim taking a seaside stroll",
            "China Central Television",
            cue="showed",
        ),
        # a relative pronoun the reader could not resolve names nobody
        make_quote(dalian, "relations that cooled as Beijing supported UN sanctions", "who"),
        # direct words stay, speaker or not
        make_quote(dalian, "I feel happy about it", None, "direct"),
    ]
    story = Story("s-q", "event", "", article_ids=[dalian.id])
    brief = build_brief(StoryBundle(story, [dalian], quotes=quotes))
    by_words = {q["words"]: q for q in brief.quotes}
    assert set(by_words) == {hope, "I feel happy about it"}
    kim = by_words[hope]
    assert kim["speaker"] == "Kim Jong-un" and kim["chain"] == ["Xinhua News Agency"]
    assert kim["chain_label"] == "Kim Jong-un → Xinhua News Agency"
    assert by_words["I feel happy about it"]["speaker"] is None


def test_lead_title_for_an_article_without_a_headline() -> None:
    from storyline.brief.build import lead_title

    lead = (
        "Rescue teams reached the village of Amatrice on Wednesday, hours after a magnitude 6.2 "
        "earthquake, and began searching the rubble for survivors. Officials said more were missing."
    )
    title = lead_title(lead)
    assert title.endswith("…") and len(title.split()) <= 15
    assert lead.startswith(title.removesuffix(" …"))  # never more than the lead says
    assert lead_title("Talks resumed on Monday. More follows.") == "Talks resumed on Monday"
    assert lead_title("GENEVA (Reuters) - Talks resumed on Monday.") == "Talks resumed on Monday"


def test_storyline_summary_tells_each_event() -> None:
    bundle = seed_bundle(with_copy=True)
    bundle.children = [
        Story("ev-dalian", "event", "", article_ids=["a-dalian", "a-copy"]),
        Story("ev-deleg", "event", "", article_ids=["a-deleg"]),
    ]
    brief = build_brief(bundle)
    owners = [s.citations[0].article_id for s in brief.sentences]
    # a share for each event (the one with the strongest lead first), in reading order within it
    assert len(owners) == 8
    assert owners.count("a-dalian") == 4 and owners.count("a-deleg") == 4
    assert owners == sorted(owners, key=lambda a: a != owners[0])
    # an untitled story is named for the report its summary opens on, not the first stored
    from storyline.brief.build import lead_title

    lead = bundle.article_map()[owners[0]]
    assert brief.title == (lead.title or lead_title(lead.text or ""))
    for article_id in ("a-dalian", "a-deleg"):
        starts = [
            s.citations[0].start for s in brief.sentences if s.citations[0].article_id == article_id
        ]
        assert starts == sorted(starts)
    # without events, the same bundle gets the usual short summary
    bundle.children = []
    assert len(build_brief(bundle).sentences) == 5


def test_summary_takes_no_torn_quotation() -> None:
    from storyline.brief.summary import _quote_tail

    assert _quote_tail('I feel happy about it," Xi said, according to Xinhua.')
    assert _quote_tail("talks would go on,” the ministry said.")
    assert not _quote_tail('KCNA said the two "exchanged warm greetings".')
    assert not _quote_tail('"We will see," he said.')
    assert not _quote_tail("Talks resumed on Monday.")
    brief = build_brief(seed_bundle(with_copy=False))
    assert all(not _quote_tail(s.text) for s in brief.sentences)


def test_timeline_leaves_out_the_start_of_a_period() -> None:
    # "his second visit to China since March": March opens the period, the visit is later
    brief = build_brief(seed_bundle(with_copy=False))
    dates = {e.date for e in brief.timeline}
    assert "2018-03" not in dates
    assert "2018-05-08" in dates


def test_an_attributed_lede_still_leads_its_report() -> None:
    # A lede that reports through a source ("..., state media reported") is the report's own
    # summary; background later in the text, however central, does not displace it.
    lede = (
        "Ministers of Chile and Peru signed a water-sharing treaty in Lima on Monday, ending "
        "a decade of dispute over the Lauca river, state radio reported, calling it "
        "a new chapter for the two neighbours."
    )
    text = " ".join(
        [
            lede,
            "The treaty sets how much water each country may draw from the river in dry years.",
            "Farmers in the Lauca valley have long complained that the river runs dry in summer.",
            "The Lauca river dispute between Chile and Peru went to court in Lima in 2016.",
            "Chile and Peru will meet again in Lima in June to review the Lauca river treaty.",
            "Both parliaments must still approve the treaty before it takes effect.",
        ]
    )
    article = Article(id="a-1", source="t.txt", title="Treaty signed", text=text)
    said = lede[: lede.index(", state radio")]
    quote = make_quote(article, said, "state radio", kind="indirect", cue="reported")
    bundle = StoryBundle(Story("ev-1", "event", "", article_ids=["a-1"]), [article], quotes=[quote])
    brief = build_brief(bundle)
    assert brief.sentences[0].text == lede


def test_a_story_of_one_report_opens_on_its_lede_and_keeps_its_order() -> None:
    # The sentence most like the others is background that names everyone again; the writer
    # put the news first.
    lede = "Jerome Siegel, a Newark engineer, died on Friday in La Romana at the age of 98."
    text = " ".join(
        [
            lede,
            "Jerome Siegel married Jeanne Siegel in 1940, and Jerome and Jeanne Siegel had two "
            "daughters, Elizabeth Siegel and Carol Siegel.",
            "Jeanne Siegel and Jerome Siegel lived in Mamaroneck for sixty years.",
            "Elizabeth Siegel and Carol Siegel survive Jerome Siegel, with five grandchildren.",
            "He was educated at Erasmus High School and graduated from City College.",
            "A service will be held in Mamaroneck on Tuesday.",
        ]
    )
    article = Article(id="a-1", source="t.txt", title="Jerome Siegel dies at 98", text=text)
    bundle = StoryBundle(Story("ev-1", "event", "", article_ids=["a-1"]), [article])
    brief = build_brief(bundle, max_sentences=3)
    shown = [s.text for s in brief.sentences]
    assert shown[0] == lede
    assert shown == sorted(shown, key=text.index)  # the report's own order


def test_an_agreement_on_a_slot_names_the_entity_as_written() -> None:
    texts = {
        "a": "NASA picked five companies on Nov. 18 to carry payloads to the Moon for the agency.",
        "b": "Bezos's firm was among them when NASA announced on Monday, Nov. 18, its new partners.",
    }
    articles = [
        Article(id=aid, source=f"{aid}.txt", outlet=aid.upper(), text=text)
        for aid, text in texts.items()
    ]
    mentions, dates = [], []
    for article in articles:
        text = article.text or ""
        start = text.index("NASA")
        mentions.append(EntityMention(article.id, start, start + 4, "NASA", "ORG", "ent-nasa"))
        day = text.index("Nov. 18")
        dates.append(DateMention(article.id, "Nov. 18", day, day + 7, "DATE", "2019-11-18"))
    bundle = StoryBundle(
        story=Story(id="ev-1", level="event", title="", article_ids=list(texts)),
        articles=articles,
        mentions=mentions,
        dates=dates,
        entities={"ent-nasa": Entity(id="ent-nasa", name="NASA", type="ORG")},
    )
    slots = [a["slot"] for a in build_brief(bundle).agreements if a["basis"] == "slot"]
    assert slots == [{"entity": "NASA", "date": "2019-11-18"}]


def test_a_summary_sentence_leaves_out_its_dateline() -> None:
    text = (
        "HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper on Wednesday accused China of "
        "using coercion to advance its interests in the South China Sea.\n"
        "Esper made the remarks in a speech in Hanoi after meeting Vietnamese officials."
    )
    article = Article(id="a", source="a.txt", outlet="AP", text=text)
    bundle = StoryBundle(
        story=Story(id="ev-1", level="event", title="", article_ids=["a"]), articles=[article]
    )
    brief = build_brief(bundle)
    first = brief.sentences[0]
    assert first.text.startswith("U.S. Defense Secretary Mark Esper on Wednesday")
    own = first.citations[0]
    assert (article.text or "")[own.start : own.end] == first.text


def test_the_writers_own_voice_is_named_as_the_writer_and_the_reader_is_no_speaker() -> None:
    _, dalian = seed_articles()  # written by Jane Doe
    quotes = [
        make_quote(dalian, "an intensifying whirlwind of diplomacy", "I", cue="see"),
        make_quote(dalian, "Beijing is keen to avoid being left out", "you", cue="see"),
    ]
    story = Story("s-w", "event", "", article_ids=[dalian.id])
    brief = build_brief(StoryBundle(story, [dalian], quotes=quotes))
    assert [(q["speaker"], q["words"]) for q in brief.quotes] == [
        ("Jane Doe (the writer)", "an intensifying whirlwind of diplomacy")
    ]
    unsigned = replace(dalian, author=None)
    brief = build_brief(StoryBundle(story, [unsigned], quotes=quotes))
    assert [q["speaker"] for q in brief.quotes] == ["the writer"]
