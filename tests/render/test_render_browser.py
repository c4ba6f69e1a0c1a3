"""The static report in headless Chromium: offline, no errors, citations reveal, payloads inert."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.brief.brief_fixtures import seed_bundle
from tests.browser_support import ARGS, CHROMIUM, NEEDS_BROWSER

from storyline.brief.build import build_brief
from storyline.brief.bundle import StoryBundle
from storyline.models import Story
from storyline.render.html_report import page_name, write_report

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [*NEEDS_BROWSER, pytest.mark.slow]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report over the seed storyline (hostile titles and text) and one of its events."""
    bundle = seed_bundle(with_copy=True, hostile=True)
    event = Story("ev-dalian", "event", "Xi meets Kim in Dalian", parent_id=bundle.story.id)
    ev_bundle = StoryBundle(
        event,
        [a for a in bundle.articles if a.id != "a-deleg"],
        dates=[d for d in bundle.dates if d.article_id == "a-dalian"],
    )
    stories = [(bundle.story, build_brief(bundle)), (event, build_brief(ev_bundle))]
    return write_report(tmp_path_factory.mktemp("report"), stories, bundle.article_map())


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser, url: str, width: int = 1366):  # type: ignore[no-untyped-def]
    """Open a page, recording console errors, page errors, dialogs and non-file requests."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    log: dict[str, list[str]] = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, log


def test_index_and_story_pages(browser, report: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    story_url = (report.parent / (page_name("sl-1") + ".html")).as_uri()
    for url, shot in ((report.as_uri(), "report-index.png"), (story_url, "report-story.png")):
        page, log = _open(browser, url)
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        assert log["errors"] == [], log["errors"]
        assert all(u.startswith("file://") for u in log["requests"]), log["requests"]
        assert log["dialogs"] == []
        assert page.evaluate("typeof window.__xss") == "undefined"
        page.close()


def test_clicking_a_citation_reveals_its_sentence(browser, report: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page, log = _open(browser, (report.parent / (page_name("sl-1") + ".html")).as_uri())
    popover = page.locator("#popover")
    assert popover.is_hidden()
    ref = page.locator(".summary a.ref").first
    number = ref.get_attribute("data-cite")
    expected = page.locator(f"#cite-{number} mark").inner_text()
    first_sentence = page.locator(".summary .sent").first.inner_text()
    ref.click()
    assert popover.is_visible()
    assert popover.locator("mark").inner_text() == expected
    assert expected.strip() and expected.strip()[:40] in first_sentence
    page.screenshot(path=str(ARTIFACTS / "report-citation.png"))
    page.keyboard.press("Escape")
    assert popover.is_hidden()
    # a timeline citation reveals its dated sentence too
    entry = page.locator(".tl-item").first
    entry.locator("a.ref").first.click()
    assert popover.is_visible()
    assert popover.locator("mark").inner_text().strip()[:30] in entry.inner_text()
    assert log["errors"] == [] and log["dialogs"] == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.close()


def test_narrow_screen(browser, report: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    url = (report.parent / (page_name("sl-1") + ".html")).as_uri()
    page, log = _open(browser, url, width=420)
    page.screenshot(path=str(ARTIFACTS / "report-story-narrow.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 440  # nothing forces sideways scrolling
    assert log["errors"] == []
    page.close()


def test_right_to_left_text_runs_right_to_left(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # An Arabic report inside the English page: each text block takes its own direction, so
    # its sentences read right to left while the English page chrome stays left to right.
    from storyline.models import Article

    text = (
        "التقى الرئيس الفرنسي إيمانويل ماكرون يوم الثلاثاء في باريس المستشار الألماني أولاف شولتس "
        "لبحث الحرب في أوكرانيا. وأعلن الزعيمان عن مساعدات عسكرية جديدة بقيمة ملياري يورو. "
        "وبحسب الإليزيه، استمر الاجتماع ثلاث ساعات."
    )
    article = Article(id="a-ar", source="ar.txt", title="ماكرون يلتقي شولتس في باريس", text=text)
    story = Story("ev-ar", "event", "", article_ids=["a-ar"])
    brief = build_brief(StoryBundle(story, [article]))
    index = write_report(tmp_path, [(story, brief)], {"a-ar": article})
    page, log = _open(browser, (index.parent / (page_name("ev-ar") + ".html")).as_uri())
    direction = "e => getComputedStyle(e).direction"
    assert page.locator(".summary .sent").first.evaluate(direction) == "rtl"
    assert page.locator("h1.page-title").evaluate(direction) == "rtl"
    assert page.locator(".note-text").first.evaluate(direction) == "rtl"
    assert page.locator("h2#h-summary").evaluate(direction) == "ltr"
    assert log["errors"] == []
    page.close()


def test_the_index_lists_latest_first_and_filters_and_sorts_in_place(
    browser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    bundle = seed_bundle(with_copy=False)
    brief = build_brief(bundle)
    assert len(brief.sources) >= 2
    stories = []
    # (title, first seen, last seen, sources)
    for n, (title, first, last, sources) in enumerate(
        [
            ("Talks in Dalian", "2018-05-01", "2018-05-08", 1),
            ("São Paulo strike", "2018-04-01", "2018-06-01", 2),
            ("Harbour fire", "2018-03-01", "2018-03-02", 2),
        ]
    ):
        story = Story(f"sl-{n}", "storyline", title, first_seen=first, last_seen=last)
        story.article_ids = list(bundle.story.article_ids)
        stories.append((story, replace(brief, title=title, sources=brief.sources[:sources])))
    index = write_report(tmp_path, stories, bundle.article_map())
    page, log = _open(browser, index.as_uri())
    titles = page.locator("ol.story-list > li.story-card h2.story-title")

    def shown() -> list[str]:
        return [t.inner_text() for t in titles.all() if t.is_visible()]

    assert page.locator("#index-tools").is_visible()
    assert shown() == ["São Paulo strike", "Talks in Dalian", "Harbour fire"]
    # words in any case, with or without accents, narrow the list
    page.fill("#story-filter", "SAO paulo")
    assert shown() == ["São Paulo strike"]
    assert page.locator("#story-count").inner_text() == "1 of 3 shown"
    page.fill("#story-filter", "nothing like this")
    assert shown() == [] and page.locator("#no-match").is_visible()
    page.fill("#story-filter", "")
    assert len(shown()) == 3 and page.locator("#no-match").is_hidden()
    page.select_option("#story-sort", "first")
    assert shown() == ["Harbour fire", "São Paulo strike", "Talks in Dalian"]
    page.select_option("#story-sort", "sources")  # two sources each come in the page's order
    assert shown() == ["São Paulo strike", "Harbour fire", "Talks in Dalian"]
    page.keyboard.press("Enter")  # the form is never sent
    assert page.url == index.as_uri()
    assert log["errors"] == [] and log["dialogs"] == []
    page.close()
