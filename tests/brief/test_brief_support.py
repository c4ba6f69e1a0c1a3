"""Support checking on real article text: true sentences pass, corrupted ones are flagged."""

from __future__ import annotations

import json
import re

import pytest
from eval.common import eval_dir
from tests.brief.brief_fixtures import DALIAN, DELEGATION, seed_text

from storyline.brief.build import build_brief
from storyline.brief.support import apply_support, check_support
from storyline.brief.text import capitalised_names, is_informative, numbers, split_sentences
from storyline.models import Article, Brief, BriefSentence, Citation, TimelineEntry

_DECOY_NAMES = ["Obama", "Merkel", "Putin", "Macron", "Erdogan"]


def _real_articles(limit: int = 25) -> list[Article]:
    """The seeds, plus gold article bodies from the extraction set when it is present."""
    arts = [
        Article(id="seed0", source="s", text=seed_text(DELEGATION)),
        Article(id="seed1", source="s", text=seed_text(DALIAN)),
    ]
    folder = eval_dir("extraction")
    if folder is not None:
        gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        for key in sorted(gold)[:limit]:
            body = gold[key].get("articleBody") or ""
            if body:
                arts.append(Article(id=key[:12], source=gold[key].get("url", key), text=body))
    return arts


def _at_least(with_gold: int, seeds_only: int) -> int:
    """How many cases a test must try: the gold bodies add many; on a user's machine only the seeds."""
    return with_gold if eval_dir("extraction") is not None else seeds_only


def _corrupt_name(text: str) -> str | None:
    """Replace one capitalised name (not the first word) with a decoy absent from the text."""
    words = list(re.finditer(r"\b[A-Z][a-z]{2,}\b", text))
    names = capitalised_names(text)
    for word in words[1:]:
        if word.group(0).lower() in names:
            decoy = next(d for d in _DECOY_NAMES if d not in text)
            return text[: word.start()] + decoy + text[word.end() :]
    return None


def _corrupt_number(text: str) -> str | None:
    """Change the first written number to one that does not occur in the text."""
    match = re.search(r"\b\d+\b", text)
    if not match:
        return None
    value = int(match.group(0)) + 7
    while str(value) in text:
        value += 7
    return text[: match.start()] + str(value) + text[match.end() :]


def _cases() -> list[tuple[str, str, Citation]]:
    """(sentence, article id, citation) for informative sentences of real articles."""
    out = []
    for art in _real_articles():
        for sent in split_sentences(art.text or "", art.id):
            if is_informative(sent):
                out.append((sent.text, art.id, Citation(art.id, sent.start, sent.end)))
    return out


def test_true_sentences_are_supported() -> None:
    arts = {a.id: a for a in _real_articles()}
    cases = _cases()
    assert len(cases) > _at_least(40, 25)
    for text, _, cit in cases:
        result = check_support(text, [cit], arts)
        assert result.supported, (text, result)


def test_wrong_name_is_flagged() -> None:
    arts = {a.id: a for a in _real_articles()}
    tried = 0
    for text, _, cit in _cases():
        bad = _corrupt_name(text)
        if bad is None:
            continue
        tried += 1
        result = check_support(bad, [cit], arts)
        assert not result.supported, bad
        assert result.missing_names
    assert tried > _at_least(30, 20)


def test_wrong_number_is_flagged() -> None:
    arts = {a.id: a for a in _real_articles()}
    tried = 0
    for text, _, cit in _cases():
        bad = _corrupt_number(text)
        if bad is None:
            continue
        tried += 1
        result = check_support(bad, [cit], arts)
        assert not result.supported, bad
        assert result.missing_numbers
    assert tried >= _at_least(5, 2)


def test_citation_to_another_sentence_is_flagged() -> None:
    arts = {a.id: a for a in _real_articles(limit=0)}
    sents = [s for s in split_sentences(arts["seed1"].text or "", "seed1") if is_informative(s)]
    result = check_support(sents[0].text, [Citation("seed1", sents[3].start, sents[3].end)], arts)
    assert not result.supported and result.recall < 0.8


def test_bad_offsets_and_unknown_articles_are_flagged() -> None:
    arts = {a.id: a for a in _real_articles(limit=0)}
    text = arts["seed1"].text or ""
    assert not check_support("Xi met Kim.", [Citation("seed1", 10, len(text) + 5)], arts).supported
    assert not check_support("Xi met Kim.", [Citation("nope", 0, 5)], arts).supported
    assert not check_support("Xi met Kim.", [], arts).supported


def test_numbers_as_words_count() -> None:
    assert numbers("He met Kim two times in 2018.") == {"2", "2018"}


def test_apply_support_flags_summary_and_drops_timeline() -> None:
    arts = {a.id: a for a in _real_articles(limit=0)}
    text = arts["seed1"].text or ""
    first = split_sentences(text, "seed1")[0]
    cit = Citation("seed1", first.start, first.end)
    brief = Brief(
        story_id="s",
        title="t",
        sentences=[
            BriefSentence(first.text, [cit]),
            BriefSentence(first.text.replace("Trump", "Obama"), [cit]),
        ],
        timeline=[
            TimelineEntry("2018-05-08", first.text, [cit]),
            TimelineEntry("2018-05-08", first.text.replace("six", "nine"), [cit]),
        ],
    )
    apply_support(brief, arts)
    assert [s.supported for s in brief.sentences] == [True, False]
    assert len(brief.timeline) == 1


@pytest.mark.parametrize("article_count", [0, 10])
def test_every_built_brief_is_supported(article_count: int) -> None:
    from storyline.brief.bundle import StoryBundle
    from storyline.models import Story

    arts = _real_articles(limit=article_count)
    brief = build_brief(StoryBundle(Story("s", "storyline", "t"), arts))
    assert brief.sentences and all(s.supported for s in brief.sentences)
