"""Support checking: a brief sentence must be backed by the source spans it cites.

A sentence is supported when its cited spans exist, most of its content words are found in them
(recall at or above ``min_recall``), and every number and capitalised name it contains is found in
them. Extractive sentences pass trivially; the check catches corruption (a wrong name, a wrong
number), stale offsets and any future abstractive step that drifts from its sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline.brief.text import capitalised_names, content_tokens, numbers, tokens
from storyline.models import Article, Brief, Citation

__all__ = ["DEFAULT_MIN_RECALL", "SupportResult", "apply_support", "check_support", "cited_text"]

DEFAULT_MIN_RECALL = 0.8


@dataclass
class SupportResult:
    """The verdict on one sentence, with what was missing from its cited spans."""

    supported: bool
    recall: float
    missing_numbers: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)
    bad_citations: list[Citation] = field(default_factory=list)


def cited_text(citations: Sequence[Citation], articles: Mapping[str, Article]) -> tuple[str, list]:
    """Return the concatenated cited spans and the citations that point nowhere valid."""
    parts: list[str] = []
    bad: list[Citation] = []
    for cit in citations:
        article = articles.get(cit.article_id)
        text = article.text if article is not None else None
        if text is None or not 0 <= cit.start < cit.end <= len(text):
            bad.append(cit)
            continue
        parts.append(text[cit.start : cit.end])
    return "\n".join(parts), bad


def check_support(
    sentence: str,
    citations: Sequence[Citation],
    articles: Mapping[str, Article],
    min_recall: float = DEFAULT_MIN_RECALL,
) -> SupportResult:
    """Judge whether ``sentence`` is supported by the text its ``citations`` point to."""
    source, bad = cited_text(citations, articles)
    if not source:
        return SupportResult(False, 0.0, bad_citations=bad)
    wanted = set(content_tokens(sentence))
    have = set(content_tokens(source))
    recall = len(wanted & have) / len(wanted) if wanted else 1.0
    source_words = {w.lower() for w in tokens(source)}
    missing_numbers = sorted(numbers(sentence) - numbers(source))
    missing_names = sorted(n for n in capitalised_names(sentence) if n not in source_words)
    ok = recall >= min_recall and not missing_numbers and not missing_names and not bad
    return SupportResult(ok, recall, missing_numbers, missing_names, bad)


def apply_support(
    brief: Brief, articles: Mapping[str, Article], min_recall: float = DEFAULT_MIN_RECALL
) -> Brief:
    """Flag unsupported summary sentences and drop unsupported timeline entries, in place."""
    for sent in brief.sentences:
        sent.supported = check_support(sent.text, sent.citations, articles, min_recall).supported
    brief.timeline = [
        entry
        for entry in brief.timeline
        if check_support(entry.text, entry.citations, articles, min_recall).supported
    ]
    return brief
