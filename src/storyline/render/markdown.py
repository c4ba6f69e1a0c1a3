"""A brief as Markdown: summary, timeline, quotes, comparisons and sources, with footnote citations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from storyline.models import Article, Brief, Story
from storyline.render.view import StoryView, article_map, build_view, day_label

__all__ = ["escape_markdown", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_STATUS = {"planned": "planned", "uncertain": "date uncertain", "past": ""}


def escape_markdown(text: str) -> str:
    """Escape untrusted text so it reads literally: Markdown syntax and raw HTML are neutralised."""
    text = " ".join(text.split())
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _refs(numbers: Iterable[int]) -> str:
    """Footnote markers for citation numbers."""
    return "".join(f"[^{n}]" for n in numbers)


def render_markdown(
    story: Story, brief: Brief, articles: Mapping[str, Article] | Iterable[Article]
) -> str:
    """Render one story's brief as Markdown with numbered footnotes quoting each cited span."""
    view = build_view(story, brief, article_map(articles))
    lines = [f"# {escape_markdown(brief.title)}", "", _byline(view), ""]
    lines += _summary(view) + _timeline(view) + _quotes(view.quotes)
    lines += _agreements(view) + _differences(view) + _unique(view) + _sources(view.sources)
    if view.notes:
        lines += ["## Citations", ""]
        for note in view.notes:
            where = f"{escape_markdown(note.outlet)}"
            if note.title:
                where += f", “{escape_markdown(note.title)}”"
            lines.append(
                f"[^{note.number}]: {where}: “{escape_markdown(note.text)}” "
                f"(`{note.article_id}` chars {note.start}–{note.end})"
            )
        lines.append("")
    return "\n".join(lines)


def _byline(view: StoryView) -> str:
    """The line under the title: level, dates and how many sources."""
    parts = ["Storyline" if view.story.level == "storyline" else "Event"]
    if view.dates:
        parts.append(view.dates)
    parts.append(f"{view.independent} independent source{'s' * (view.independent != 1)}")
    if view.read < view.independent:
        parts.append(f"brief read from {view.read} of them")
    parts.append(f"{view.article_count} article{'s' * (view.article_count != 1)}")
    return "*" + " · ".join(parts) + "*"


def _summary(view: StoryView) -> list[str]:
    """The summary paragraph, unsupported sentences marked."""
    if not view.sentences:
        return []
    out = []
    for s in view.sentences:
        flag = "" if s["supported"] else " **(unverified)**"
        when = f" *({escape_markdown('; '.join(s['when']))})*" if s.get("when") else ""
        out.append(f"{escape_markdown(s['text'])}{when}{_refs(s['refs'])}{flag}")
    return ["## Summary", "", " ".join(out), ""]


def _timeline(view: StoryView) -> list[str]:
    """One bullet per dated happening."""
    if not view.timeline:
        return []
    out = ["## Timeline", ""]
    divided = False
    for e in view.timeline:
        if e["undated"] and not divided:
            out += [
                "",
                "*Date not stated: only a weekday is given and the source has no publication"
                " date, so where these fall is not known:*",
                "",
            ]
            divided = True
        tags = [t for t in (_STATUS[e["status"]], "planned" if e["planned"] else "") if t]
        tag = f" *({', '.join(dict.fromkeys(tags))})*" if tags else ""
        out.append(
            f"- **{escape_markdown(e['label'])}**{tag}: {escape_markdown(e['text'])}"
            f"{_refs(e['refs'])}"
        )
    return [*out, ""]


def _quotes(quotes: list[dict[str, Any]]) -> list[str]:
    """Block quotes with speaker and relay chain."""
    if not quotes:
        return []
    out = ["## Quotes", ""]
    for q in quotes:
        words = escape_markdown(q["words"])
        out.append(f"> “{words}”" if q.get("add_marks") else f"> {words}")
        ref = _refs([q["number"]]) if q.get("number") else ""
        who = escape_markdown(q.get("speaker") or "Unknown speaker")
        if q.get("relays"):
            who += " via " + escape_markdown(" → ".join(q["relays"]))
        kind = escape_markdown(q.get("kind_label") or q.get("kind") or "quote")
        out.append(f"> — {who} ({kind}, {escape_markdown(q['outlet'])}){ref}")
        out.append("")
    return out


def _agreements(view: StoryView) -> list[str]:
    """Facts at least two independent sources report."""
    if not view.agreements:
        return []
    out = ["## Where sources agree", ""]
    for a in view.agreements:
        outlets = ", ".join(escape_markdown(s["outlet"]) for s in a["sources"])
        out.append(
            f"- {escape_markdown(a['text'])}{_refs(s['number'] for s in a['sources'])}"
            f" *({outlets})*"
        )
    return [*out, ""]


def _differences(view: StoryView) -> list[str]:
    """The same slot reported differently, side by side."""
    if not view.differences:
        return []
    out = [
        "## Where sources differ",
        "",
        "| What | Source | Says | Source | Says |",
        "|---|---|---|---|---|",
    ]
    for d in view.differences:
        cells = [escape_markdown(f"{d['kind']}: {d['slot']}")]
        for side in d["sides"][:2]:
            cells += [
                escape_markdown(side["outlet"]),
                f"**{escape_markdown(side['value'])}**: {escape_markdown(side['text'])}"
                f"[^{side['number']}]",
            ]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _unique(view: StoryView) -> list[str]:
    """What only one source reports."""
    if not view.unique:
        return []
    out = ["## What each source adds", ""]
    for u in view.unique:
        out.append(
            f"- *{escape_markdown(u['outlet'])}*: {escape_markdown(u['text'])}[^{u['number']}]"
        )
    return [*out, ""]


def _sources(sources: list[dict[str, Any]]) -> list[str]:
    """Independent sources with their copies and rewrites."""
    if not sources:
        return []
    out = [f"## Sources ({len(sources)} independent)", ""]
    for s in sources:
        title = f", “{escape_markdown(s['title'])}”" if s.get("title") else ""
        credits = (
            f" (credits: {escape_markdown(', '.join(s['credits']))})" if s.get("credits") else ""
        )
        date = f", {day_label(s.get('published'))}" if day_label(s.get("published")) else ""
        date = date or ", date not stated"
        author = f", by {escape_markdown(s['author'])}" if s.get("author") else ""
        out.append(f"- **{escape_markdown(s['outlet'])}**{title}{author}{date}{credits}")
        for c in s.get("copies", []):
            ctitle = f", “{escape_markdown(c['title'])}”" if c.get("title") else ""
            out.append(f"  - {c['relation']}: {escape_markdown(c['outlet'])}{ctitle}")
    return [*out, ""]
