"""Building a brief: summary, timeline, quotes, agreements, differences, unique facts, sources."""

from __future__ import annotations

import re
from dataclasses import replace

from storyline.brief.bundle import StoryBundle
from storyline.brief.compare import find_agreements, find_unique
from storyline.brief.corpus import StoryCorpus
from storyline.brief.differences import find_differences
from storyline.brief.sources import build_quotes, build_sources
from storyline.brief.summary import score_sentences, select_summary
from storyline.brief.support import DEFAULT_MIN_RECALL, apply_support
from storyline.brief.timeline import build_timeline
from storyline.datelines import dateline_length
from storyline.models import Brief, BriefSentence

__all__ = ["MAX_STORYLINE_SENTENCES", "build_brief"]

MAX_STORYLINE_SENTENCES = 10


def build_brief(
    bundle: StoryBundle,
    max_sentences: int | None = None,
    min_recall: float = DEFAULT_MIN_RECALL,
) -> Brief:
    """Build the cited brief of one story; every summary and timeline sentence is support-checked."""
    corpus = StoryCorpus(bundle)
    brief = Brief(story_id=bundle.story.id, title="")
    brief.sources = build_sources(bundle)
    read = {a.id for a in corpus.originals}
    for source in brief.sources:
        # A story of thousands of reports is read in part (see corpus.MAX_SENTENCES): the
        # sources list every report, and says which ones the brief's text parts rest on.
        source["read"] = source["article_id"] in read
    if not corpus.sentences:
        brief.title = _title(bundle)
        return brief  # nothing readable: the brief says who reported, and nothing more
    events = [set(child.article_ids) for child in bundle.children]
    if max_sentences is None:
        max_sentences = 6 if len(corpus.originals) >= 4 else 5
        if len(events) >= 2:  # a storyline tells each of its events: a few sentences apiece
            max_sentences = max(max_sentences, min(MAX_STORYLINE_SENTENCES, 4 * len(events)))
    brief.sentences = [
        _without_dateline(sentence)
        for sentence in select_summary(corpus, max_sentences, events=events)
    ]
    # The summary opens on the story's most central report: its headline names the story
    # better than whichever report happened to be stored first.
    brief.title = _title(
        bundle, brief.sentences[0].citations[0].article_id if brief.sentences else None
    )
    brief.timeline = build_timeline(corpus)
    brief.quotes = build_quotes(bundle, read)
    brief.agreements = find_agreements(corpus)
    brief.differences = find_differences(corpus)
    brief.unique = find_unique(corpus, score_sentences(corpus))
    return apply_support(brief, corpus.articles, min_recall)


def _without_dateline(sentence: BriefSentence) -> BriefSentence:
    """The summary sentence without the dateline its lede opens on ("WASHINGTON (AP) — "): a
    brief tells its story in its own voice, and the sentence's own citation starts after it."""
    cut = dateline_length(sentence.text)
    if not cut or not sentence.citations:
        return sentence
    own = sentence.citations[0]
    rest = [replace(own, start=own.start + cut), *sentence.citations[1:]]
    return replace(sentence, text=sentence.text[cut:], citations=rest)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘])")
TITLE_WORDS = 14  # a lead cut to headline length; news headlines rarely run longer


def _title(bundle: StoryBundle, lead_id: str | None = None) -> str:
    """The story's title, else a headline (``lead_id``'s first, then the first original's),
    else the start of a lead."""
    if bundle.story.title and bundle.story.title.strip():
        return bundle.story.title.strip()
    originals = bundle.originals()
    originals.sort(key=lambda a: a.id != lead_id)  # stable: the rest keep their order
    chosen = originals[0] if originals and originals[0].id == lead_id else None
    if chosen is not None and not (chosen.title or "").strip():
        lead = lead_title(chosen.text or "")
        if lead:
            return lead  # the lead report has no headline: its own first sentence
    for article in originals:
        if article.title and article.title.strip():
            return article.title.strip()
    for article in originals:
        lead = lead_title(article.text or "")
        if lead:
            return lead
    return f"Story {bundle.story.id}"


def lead_title(text: str, max_words: int = TITLE_WORDS) -> str:
    """A headline-length title from an article's first sentence (for articles without a headline).

    Words the sentence adds past ``max_words`` are cut at the last clause boundary before it
    where there is one, and the cut is shown with an ellipsis: the title never claims more than
    the lead says.
    """
    first = text.strip().split("\n", 1)[0]
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0].strip()
    sentence = sentence[dateline_length(sentence) :]  # "WASHINGTON (AP) — " titles nothing
    words = sentence.split()
    if len(words) <= max_words:
        return sentence.rstrip(".")
    head = words[:max_words]
    for i in range(len(head) - 1, max_words // 2, -1):
        if head[i].endswith((",", ";", ":")):
            head = head[: i + 1]
            break
    return " ".join(head).rstrip(",;:") + " …"
