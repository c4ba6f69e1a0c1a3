"""The whole flow on the bundled examples plus a hostile article: stored, read, linked, briefed,
reported; a second run adds nothing; injected markup never executes in a real browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.browser_support import ARGS, CHROMIUM, needs_browser

from storyline.api import report, run
from storyline.render.export import export_string
from storyline.settings import Settings
from storyline.store import Store

HOSTILE_TITLE = '<script>window.__xss = 1</script>"><img src=x onerror="window.__xss=2">'
HOSTILE_TEXT = (
    "Officials in Springfield said on Monday that the city council approved the new budget "
    'after a long debate. "<script>window.__xss = 3</script>We are pleased," the mayor said. '
    '"><img src=x onerror="window.__xss=4;alert(1)"> The council will meet again next week to '
    "discuss the transport plan, according to a statement from the city hall press office."
)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Settings]:
    """One full run over the examples and a hostile JSON Lines record."""
    root = tmp_path_factory.mktemp("run")
    inputs = root / "inputs"
    inputs.mkdir()
    record = {
        "id": "hostile-1",
        "title": HOSTILE_TITLE,
        "outlet": "<b>Evil</b> Times",
        "published": "2024-05-02",
        "text": HOSTILE_TEXT,
    }
    (inputs / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    examples = Path(__file__).resolve().parent.parent / "examples"
    settings = Settings.resolve({"db": str(root / "s.db"), "workers": 1}, environ={})
    run([str(examples), str(inputs)], settings=settings)
    out = report(root / "report", settings=settings)
    return out, root / "s.db", settings


def _records(db: Path, kind: str) -> list[dict[str, object]]:
    with Store(db) as store:
        return json.loads(export_string(store, kind, "json"))


def test_every_stage_left_its_records(pipeline: tuple[Path, Path, Settings]) -> None:
    _, db, _ = pipeline
    articles = _records(db, "articles")
    assert len(articles) == 3 and all(a["status"] == "ok" for a in articles)
    assert all(a["event_id"] and a["storyline_id"] for a in articles)
    quotes = _records(db, "quotes")
    assert any(q["speaker"] for q in quotes)
    names = {e["name"] for e in _records(db, "entities")}
    assert {"Xi Jinping", "Donald Trump"} <= names
    assert _records(db, "dates")
    stories = _records(db, "stories")
    assert {s["level"] for s in stories} == {"event", "storyline"}
    briefs = _records(db, "briefs")
    assert {b["story_id"] for b in briefs} == {s["id"] for s in stories}
    seeds = {a["id"] for a in articles if a["id"] != "hostile-1"}
    hostile = next(a for a in articles if a["id"] == "hostile-1")
    assert hostile["storyline_id"] not in {a["storyline_id"] for a in articles if a["id"] in seeds}


def test_second_run_adds_nothing(pipeline: tuple[Path, Path, Settings]) -> None:
    _, db, settings = pipeline
    before = {kind: _records(db, kind) for kind in ("articles", "quotes", "entities", "stories")}
    examples = Path(__file__).resolve().parent.parent / "examples"
    reports = run([str(examples)], settings=settings)
    assert all(r.processed == 0 for r in reports), [(r.stage, r.processed) for r in reports]
    assert {k: _records(db, k) for k in before} == before


def test_report_escapes_article_text(pipeline: tuple[Path, Path, Settings]) -> None:
    out, _, _ = pipeline
    pages = "".join(p.read_text(encoding="utf-8") for p in out.parent.glob("*.html"))
    assert "<script>window.__xss" not in pages
    assert 'onerror="window.__xss' not in pages
    assert "&lt;script&gt;window.__xss" in pages


@needs_browser
def test_nothing_executes_in_a_real_browser(pipeline: tuple[Path, Path, Settings]) -> None:
    from playwright.sync_api import sync_playwright

    out, _, _ = pipeline
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for page_path in sorted(out.parent.glob("*.html")):
                page = browser.new_page()
                dialogs: list[str] = []
                requests: list[str] = []
                page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                page.goto(page_path.as_uri())
                page.wait_for_load_state("load")
                assert page.evaluate("typeof window.__xss") == "undefined", page_path.name
                assert not dialogs
                assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
                page.close()
        finally:
            browser.close()
