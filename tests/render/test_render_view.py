"""What a rendered brief shows of the seed articles: source names, quote marks, dates in context."""

from __future__ import annotations

from dataclasses import replace

from tests.brief.brief_fixtures import make_quote, mention, seed_articles

from storyline.brief.build import build_brief
from storyline.brief.bundle import StoryBundle
from storyline.models import Story
from storyline.render.markdown import render_markdown
from storyline.render.view import build_view, outlet_label


def _bare_seeds() -> StoryBundle:
    """The seeds as `storyline run examples/` reads them: files, no outlets, one date known."""
    delegation, dalian = seed_articles()
    delegation = replace(delegation, outlet=None, published="2018-05-17")
    dalian = replace(dalian, outlet=None, title=None, author=None, published=None)
    threat = "Pyongyang abruptly threatened to pull out Tuesday"
    said = "“We haven’t seen anything. We haven’t heard anything."
    hope = (
        "that North Korea’s efforts to ease tensions on the Korean Peninsula should be acknowledged"
    )

    return StoryBundle(
        Story("sl-bare", "storyline", "", article_ids=[delegation.id, dalian.id]),
        [delegation, dalian],
        quotes=[
            make_quote(delegation, said, "Donald Trump", "direct"),
            make_quote(delegation, hope, "Wang Yi"),
        ],
        dates=[
            mention(delegation, threat, "2018-05-15"),
            mention(delegation, "June 12", "2018-06-12"),
            mention(dalian, "on Tuesday", "XXXX-WXX-2"),
        ],
    )


def test_outlet_label_names_files_and_hosts_not_paths() -> None:
    assert outlet_label(None, "examples/000_72653ee6601929e8.txt") == "000_72653ee6601929e8.txt"
    assert outlet_label("examples/a.txt", "examples/a.txt") == "a.txt"  # the brief's fallback
    assert outlet_label(None, "https://www.example.com/news/1") == "example.com"
    assert outlet_label("AC/DC Weekly", "feed.jsonl") == "AC/DC Weekly"  # a real name stays whole
    assert outlet_label(None, None) == "Unknown source"


def test_view_of_undated_file_sources() -> None:
    bundle = _bare_seeds()
    brief = build_brief(bundle)
    view = build_view(bundle.story, brief, bundle.article_map())
    # the span of publication dates says a source is missing from it
    assert view.dates == "17 May 2018 · 1 source undated"
    names = {s["outlet"]: s for s in view.sources}
    assert set(names) == {"000_72653ee6601929e8.txt", "001_6ddd42408c8cda05.txt"}
    assert not any(s["outlet_known"] for s in view.sources)
    # a summary sentence that says 'on Tuesday' carries the date the timeline read for it
    whens = {s["text"][:40]: s["when"] for s in view.sentences}
    lead = next(w for t, w in whens.items() if t.startswith("Chinese President Xi Jinping met Kim"))
    assert lead == ["A Tuesday (date not stated)"]
    summit = [w for t, w in whens.items() if t.startswith("Historic talks")]
    assert summit in ([], [["12 June 2018, planned"]])  # when chosen, dated and marked planned


def test_only_direct_words_get_quotation_marks() -> None:
    bundle = _bare_seeds()
    brief = build_brief(bundle)
    view = build_view(bundle.story, brief, bundle.article_map())
    by_kind = {q["kind"]: q for q in view.quotes}
    assert by_kind["direct"]["add_marks"] is False  # the words carry their own marks
    assert by_kind["indirect"]["add_marks"] is False  # reported speech is no one's exact words
    assert by_kind["indirect"]["kind_label"] == "paraphrase"
    md = render_markdown(bundle.story, brief, bundle.articles)
    quotes = md.split("## Quotes", 1)[1].split("\n## ", 1)[0]
    assert "> that North Korea’s efforts" in quotes and "“that North Korea’s" not in quotes
    assert "> “We haven’t seen anything." in quotes and "““" not in quotes
    assert "— Wang Yi (paraphrase, 000\\_72653ee6601929e8.txt)" in md
    assert "001\\_6ddd42408c8cda05.txt**, date not stated" in md


def test_quotes_grouped_by_speaker() -> None:
    from storyline.render.view import QUOTES_SHOWN_PER_SPEAKER, by_speaker, quote_groups

    quotes = [
        {"speaker": "Kim", "words": "a"},
        {"speaker": None, "words": "b"},
        {"speaker": "Xi", "words": "c"},
        {"speaker": "Xi", "words": "d"},
        {"speaker": "Xi", "words": "e"},
        {"speaker": "Kim", "words": "f"},
        {"speaker": "Trump", "words": "g"},
    ]
    ordered = by_speaker(quotes)
    # most quoted first, then first appearance; unknown speakers last; text order within
    assert [q["words"] for q in ordered] == ["c", "d", "e", "a", "f", "g", "b"]
    groups = quote_groups(ordered)
    assert [g["speaker"] for g in groups] == ["Xi", "Kim", "Trump", None]
    xi = groups[0]
    assert len(xi["shown"]) == QUOTES_SHOWN_PER_SPEAKER and len(xi["more"]) == 1
    # within a speaker, direct words before partial quotes before paraphrases
    kinds = [{"speaker": "Xi", "words": w, "kind": k} for w, k in
             [("p", "indirect"), ("d", "direct"), ("m", "mixed")]]  # fmt: skip
    assert [q["words"] for q in by_speaker(kinds)] == ["d", "m", "p"]


def test_a_brief_read_from_part_of_its_sources_says_so() -> None:
    bundle = _bare_seeds()
    brief = build_brief(bundle)
    assert "brief read from" not in render_markdown(bundle.story, brief, bundle.article_map())
    brief.sources[1]["read"] = False  # as in a story too big to read whole (brief.corpus)
    view = build_view(bundle.story, brief, bundle.article_map())
    assert (view.independent, view.read) == (2, 1)
    md = render_markdown(bundle.story, brief, bundle.article_map())
    assert "2 independent sources · brief read from 1 of them" in md
