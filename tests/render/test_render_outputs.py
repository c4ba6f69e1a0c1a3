"""Markdown and static HTML renderings of a brief: content, citations, escaping, self-containment."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from pathlib import Path

from tests.brief.brief_fixtures import rewrite_bundle, seed_bundle

from storyline.brief.build import build_brief
from storyline.models import Story
from storyline.render.html_report import page_name, write_report
from storyline.render.markdown import escape_markdown, render_markdown

PAYLOADS = ("<script>", "<img src=x", "onerror=")


def _report(tmp_path: Path, hostile: bool = False) -> tuple[Path, dict]:
    bundle = seed_bundle(with_copy=True, hostile=hostile)
    line = bundle.story
    event = Story(
        "ev-1/<b>", "event", "Xi meets Kim in Dalian", ["a-dalian", "a-copy"], parent_id=line.id
    )
    from storyline.brief.bundle import StoryBundle

    ev_bundle = StoryBundle(
        event,
        [a for a in bundle.articles if a.id != "a-deleg"],
        dates=[d for d in bundle.dates if d.article_id == "a-dalian"],
    )
    stories = [(line, build_brief(bundle)), (event, build_brief(ev_bundle))]
    index = write_report(tmp_path / "report", stories, bundle.article_map())
    return index, {"line": line, "event": event, "bundle": bundle}


def test_markdown_has_sections_and_footnotes() -> None:
    bundle = seed_bundle()
    brief = build_brief(bundle)
    md = render_markdown(bundle.story, brief, bundle.articles)
    for heading in (
        "## Summary",
        "## Timeline",
        "## Quotes",
        "## Sources (2 independent)",
        "## Citations",
    ):
        assert heading in md
    assert "12 June (year not stated)" in md
    assert "Xi Jinping via KCNA → Yonhap" in md  # speaker, then the relays nearest first
    assert "- **AFP**, “Xi meets Kim in Dalian, then calls Trump”, by Jane Doe, 8 May 2018" in md
    numbers = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    defined = set(re.findall(r"^\[\^(\d+)\]:", md, flags=re.M))
    assert numbers and numbers == defined


def test_markdown_escapes_untrusted_text() -> None:
    bundle = seed_bundle(hostile=True)
    md = render_markdown(bundle.story, build_brief(bundle), bundle.article_map())
    for payload in PAYLOADS[:2]:
        assert payload not in md
    assert escape_markdown("*a* [b](c) <i>") == r"\*a\* \[b\](c) &lt;i&gt;"


def test_report_files_and_json_twins(tmp_path: Path) -> None:
    index, ctx = _report(tmp_path)
    folder = index.parent
    assert index.name == "index.html"
    for story in (ctx["line"], ctx["event"]):
        name = page_name(story.id)
        assert (folder / f"{name}.html").is_file()
        twin = json.loads((folder / f"{name}.json").read_text("utf-8"))
        assert twin["brief"]["story_id"] == story.id and twin["story"]["level"] == story.level
    assert "/" not in page_name("ev-1/<b>") and "<" not in page_name("ev-1/<b>")
    listing = json.loads((folder / "index.json").read_text("utf-8"))
    assert {row["id"] for row in listing} == {ctx["line"].id, ctx["event"].id}
    html = index.read_text("utf-8")
    assert "Xi meets Kim in Dalian" in html and page_name(ctx["event"].id) + ".html" in html


def test_report_is_self_contained_with_csp(tmp_path: Path) -> None:
    index, ctx = _report(tmp_path)
    page = (index.parent / (page_name(ctx["line"].id) + ".html")).read_text("utf-8")
    for html in (page, index.read_text("utf-8")):
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)
        assert "@import" not in html and "url(" not in html
        assert "<link" not in html
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert csp is not None
        policy = unescape(csp.group(1))  # the browser reads the attribute unescaped
        assert "default-src 'none'" in policy
        script = re.search(r"<script>(.*?)</script>", html, flags=re.S)
        assert script is not None
        digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
        assert f"script-src 'sha256-{digest}'" in policy
    assert "12 June (year not stated)" in page
    assert 'class="ref"' in page and 'id="cite-1"' in page
    assert "via KCNA → Yonhap" in page and "Xi Jinping" in page


def test_report_escapes_hostile_text(tmp_path: Path) -> None:
    index, ctx = _report(tmp_path, hostile=True)
    for path in index.parent.glob("*.html"):
        html = path.read_text("utf-8")
        assert html.count("<script>") == 1, path  # ours only
        assert "<img" not in html and 'onerror="' not in html
        assert "window.__xss" not in re.sub(r"&[#\w]+;", "", html) or "&lt;script&gt;" in html
    page = (index.parent / (page_name(ctx["line"].id) + ".html")).read_text("utf-8")
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in page


def test_segments_mark_spans_and_ignore_bad_ones() -> None:
    from storyline.render.view import segments

    assert segments("in six weeks", [[3, 6]]) == [("in ", False), ("six", True), (" weeks", False)]
    assert segments("abc", [[2, 9], [1, 0]]) == [("abc", False)]


def test_differences_render_side_by_side_with_marks(tmp_path: Path) -> None:
    bundle = rewrite_bundle()
    index = write_report(tmp_path, [(bundle.story, build_brief(bundle))], bundle.article_map())
    page = (index.parent / (page_name(bundle.story.id) + ".html")).read_text("utf-8")
    assert "<mark>six</mark>" in page and "<mark>eight</mark>" in page
    assert "Where sources agree" in page and "Other Daily" in page


def test_a_source_names_its_author(tmp_path: Path) -> None:
    index, ctx = _report(tmp_path)
    html = (index.parent / f"{page_name(ctx['event'].id)}.html").read_text("utf-8")
    assert 'by <bdi class="author">Jane Doe</bdi>' in html
