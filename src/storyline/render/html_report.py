"""The static HTML report: an index of storylines and events, one page (and .json twin) per story.

Pages are self-contained (inline CSS and JS, no network) and open from ``file://``. Jinja2 escapes
everything; a Content-Security-Policy with the hashes of our own style and script means that even
text that slipped through could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from storyline.errors import InputError
from storyline.models import Article, Brief, Story, to_dict
from storyline.render.view import StoryView, article_map, build_view, day_label

__all__ = ["page_name", "render_index", "render_story", "write_report"]


def _environment() -> Environment:
    """A Jinja2 environment over the package templates, autoescaping every template."""
    env = Environment(
        loader=PackageLoader("storyline.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    env.filters["day"] = lambda iso: day_label(iso) or "date not stated"
    return env


def _static(name: str) -> str:
    """Read one of our own static files (trusted: shipped with the package)."""
    return resources.files("storyline.render").joinpath("static", name).read_text("utf-8")


def _assets() -> dict[str, Any]:
    """Inline CSS and JS with the CSP that allows exactly them and nothing else."""
    css, js = _static("report.css"), _static("report.js")

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")

    csp = (
        "default-src 'none'; "
        f"style-src 'sha256-{digest(css)}'; script-src 'sha256-{digest(js)}'; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return {"css": Markup(css), "js": Markup(js), "csp": csp}


def page_name(story_id: str) -> str:
    """A file-name-safe, collision-resistant page name for a story id."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", story_id).strip("-")[:60] or "story"
    if slug != story_id:
        slug += "-" + hashlib.sha1(story_id.encode("utf-8")).hexdigest()[:8]
    return f"story-{slug}"


def _summary_row(story: Story, brief: Brief, articles: Mapping[str, Article]) -> dict[str, Any]:
    """What the index shows of one story."""
    view = build_view(story, brief, articles)
    return {
        "id": story.id,
        "title": brief.title or story.title,
        "level": story.level,
        "page": page_name(story.id) + ".html",
        "dates": view.dates,
        "sources": view.independent,
        "articles": view.article_count,
        "lead": brief.sentences[0].text if brief.sentences else "",
        "first": story.first_seen or "",
        "last": story.last_seen or story.first_seen or "",
    }


def _latest_first(row: dict[str, Any]) -> tuple[str, str]:
    """Sort key, reversed: the story with the latest report first, then the later begun."""
    return (row["last"], row["first"])


def render_index(
    stories: list[tuple[Story, Brief]], articles: Mapping[str, Article], env: Environment
) -> str:
    """Render the index: storylines with their events, then events that belong to none.

    Stories with the latest reports come first, as a reader coming back looks for what moved;
    a storyline's events stay in the order they happened. The page can re-sort and filter
    them in place (report.js).
    """
    rows = {s.id: _summary_row(s, b, articles) for s, b in stories}
    events_of: dict[str, list[dict[str, Any]]] = {}
    orphans = []
    lines = {s.id for s, _ in stories if s.level == "storyline"}
    for story, _ in stories:
        if story.level != "event":
            continue
        if story.parent_id in lines:
            events_of.setdefault(story.parent_id, []).append(rows[story.id])
        else:
            orphans.append(rows[story.id])
    storylines = [
        {**rows[s.id], "events": events_of.get(s.id, [])}
        for s, _ in stories
        if s.level == "storyline"
    ]
    storylines.sort(key=_latest_first, reverse=True)
    orphans.sort(key=_latest_first, reverse=True)
    return env.get_template("index.html.j2").render(
        storylines=storylines, orphans=orphans, **_assets()
    )


def render_story(
    view: StoryView, env: Environment, events: list[dict[str, Any]], parent: dict[str, Any] | None
) -> str:
    """Render one story page from its view."""
    return env.get_template("story.html.j2").render(
        v=view,
        brief=view.brief,
        story=view.story,
        events=events,
        parent=parent,
        json_name=page_name(view.story.id) + ".json",
        **_assets(),
    )


def write_report(
    out_dir: str | Path,
    stories: list[tuple[Story, Brief]],
    articles: Mapping[str, Article] | Iterable[Article],
) -> Path:
    """Write index.html, one page per story and a .json twin of each; return the index path."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create report folder {out}: {exc}; choose another --out") from exc
    by_id = article_map(articles)
    env = _environment()
    rows = {s.id: _summary_row(s, b, by_id) for s, b in stories}
    for story, brief in stories:
        view = build_view(story, brief, by_id)
        events = [rows[s.id] for s, _ in stories if s.parent_id == story.id and s.id != story.id]
        parent = rows.get(story.parent_id) if story.parent_id else None
        name = page_name(story.id)
        (out / f"{name}.html").write_text(render_story(view, env, events, parent), "utf-8")
        twin = {"story": to_dict(story), "brief": to_dict(brief)}
        (out / f"{name}.json").write_text(json.dumps(twin, ensure_ascii=False, indent=2), "utf-8")
    index = out / "index.html"
    index.write_text(render_index(stories, by_id, env), "utf-8")
    listing = [{k: v for k, v in row.items() if k != "lead"} for row in rows.values()]
    (out / "index.json").write_text(json.dumps(listing, ensure_ascii=False, indent=2), "utf-8")
    return index
