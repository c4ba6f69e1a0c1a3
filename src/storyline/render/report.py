"""The report from the store: load stories, briefs and articles, hand them to the HTML writer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyline.models import Brief, BriefSentence, Citation, Story, TimelineEntry
from storyline.store import ArticleStore, Store
from storyline.store.reads import load_story

__all__ = ["brief_from_dict", "write_store_report"]


def brief_from_dict(data: dict[str, Any]) -> Brief:
    """Rebuild a :class:`Brief` from its stored JSON."""

    def cites(items: list[dict[str, Any]]) -> list[Citation]:
        return [Citation(**c) for c in items]

    return Brief(
        story_id=data["story_id"],
        title=data["title"],
        sentences=[
            BriefSentence(
                text=s["text"], citations=cites(s["citations"]), supported=s.get("supported", True)
            )
            for s in data.get("sentences", [])
        ],
        timeline=[
            TimelineEntry(
                date=t["date"],
                text=t["text"],
                citations=cites(t["citations"]),
                status=t.get("status", "past"),
            )
            for t in data.get("timeline", [])
        ],
        quotes=data.get("quotes", []),
        agreements=data.get("agreements", []),
        differences=data.get("differences", []),
        unique=data.get("unique", []),
        sources=data.get("sources", []),
    )


def load_briefed_stories(store: Store) -> list[tuple[Story, Brief]]:
    """Every live story that has a brief, storylines first."""
    out = []
    rows = store.query(
        "SELECT b.story_id, b.data FROM briefs b JOIN stories s ON s.id = b.story_id "
        "WHERE s.merged_into IS NULL ORDER BY s.level DESC, s.first_seen, s.id"
    )
    for row in rows:
        story = load_story(store, row[0])
        if story is not None:
            out.append((story, brief_from_dict(json.loads(row[1]))))
    return out


def write_store_report(store: Store, out_dir: Path) -> Path:
    """Write the static HTML report of every briefed story; return the index page's path."""
    from storyline.render.html_report import write_report

    stories = load_briefed_stories(store)
    articles = {a.id: a for a in ArticleStore(store).iter()}
    return write_report(out_dir, stories, articles)
