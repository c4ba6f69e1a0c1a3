"""Building a brief: summary, timeline, quotes, agreements, differences, unique facts, sources."""

from __future__ import annotations

from storyline.brief.bundle import StoryBundle
from storyline.brief.compare import find_agreements, find_differences, find_unique
from storyline.brief.corpus import StoryCorpus
from storyline.brief.sources import build_quotes, build_sources
from storyline.brief.summary import score_sentences, select_summary
from storyline.brief.support import DEFAULT_MIN_RECALL, apply_support
from storyline.brief.timeline import build_timeline
from storyline.models import Brief

__all__ = ["build_brief"]


def build_brief(
    bundle: StoryBundle,
    max_sentences: int | None = None,
    min_recall: float = DEFAULT_MIN_RECALL,
) -> Brief:
    """Build the cited brief of one story; every summary and timeline sentence is support-checked."""
    corpus = StoryCorpus(bundle)
    brief = Brief(story_id=bundle.story.id, title=_title(bundle))
    brief.sources = build_sources(bundle)
    if not corpus.sentences:
        return brief  # nothing readable: the brief says who reported, and nothing more
    if max_sentences is None:
        max_sentences = 6 if len(corpus.originals) >= 4 else 5
    brief.sentences = select_summary(corpus, max_sentences)
    brief.timeline = build_timeline(corpus)
    brief.quotes = build_quotes(bundle)
    brief.agreements = find_agreements(corpus)
    brief.differences = find_differences(corpus)
    brief.unique = find_unique(corpus, score_sentences(corpus))
    return apply_support(brief, corpus.articles, min_recall)


def _title(bundle: StoryBundle) -> str:
    """The story's title, else its first original's headline, else a placeholder naming its id."""
    if bundle.story.title and bundle.story.title.strip():
        return bundle.story.title.strip()
    for article in bundle.originals():
        if article.title and article.title.strip():
            return article.title.strip()
    return f"Story {bundle.story.id}"
