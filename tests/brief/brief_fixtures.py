"""Bundles built from the two seed articles, shared by the brief and render tests."""

from __future__ import annotations

from pathlib import Path

from storyline.brief.bundle import StoryBundle
from storyline.models import Article, DateMention, Quote, Story

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DELEGATION = "000_72653ee6601929e8.txt"  # Xi meets a North Korean delegation; no year, no date
DALIAN = "001_6ddd42408c8cda05.txt"  # Xi meets Kim in Dalian and calls Trump
XSS_TITLE = '<script>window.__xss=1;alert(1)</script>"><img src=x onerror="window.__xss=2">'


def seed_text(name: str) -> str:
    """Read one seed article's text."""
    return (EXAMPLES / name).read_text(encoding="utf-8")


def mention(article: Article, phrase: str, value: str, kind: str = "DATE") -> DateMention:
    """A date mention of the first occurrence of ``phrase`` in an article."""
    text = article.text or ""
    start = text.index(phrase)
    return DateMention(article.id, phrase, start, start + len(phrase), kind, value)  # type: ignore[arg-type]


def make_quote(
    article: Article,
    words: str,
    speaker: str | None,
    kind: str = "indirect",
    cue: str = "said",
    chain: list[str] | None = None,
) -> Quote:
    """A quote record of the first occurrence of ``words`` in an article."""
    start = (article.text or "").index(words)
    return Quote(
        id=f"q-{start}-{len(words)}",
        article_id=article.id,
        kind=kind,  # type: ignore[arg-type]
        text=words,
        spans=[(start, start + len(words))],
        speaker={"id": None, "name": speaker} if speaker else None,
        speaker_text=speaker,
        cue=cue,
        chain=chain or [],
    )


def seed_articles() -> tuple[Article, Article]:
    """The delegation piece (no publication date) and the Dalian piece (published 8 May 2018)."""
    delegation = Article(
        id="a-deleg",
        source="examples/" + DELEGATION,
        outlet="Asian Correspondent",
        title="North Korea-China friendship ‘sealed in blood’",
        text=seed_text(DELEGATION),
        credits=["AFP", "Reuters"],
    )
    dalian = Article(
        id="a-dalian",
        source="examples/" + DALIAN,
        outlet="AFP",
        title="Xi meets Kim in Dalian, then calls Trump",
        author="Jane Doe",
        text=seed_text(DALIAN),
        published="2018-05-08T10:00:00+00:00",
        published_source="metadata",
    )
    return delegation, dalian


def seed_dates(delegation: Article, dalian: Article) -> list[DateMention]:
    """Hand-resolved date mentions, as a TIMEX3 tagger would resolve them."""
    return [
        mention(delegation, "on Thursday", "XXXX-WXX-4"),
        mention(delegation, "June 12", "XXXX-06-12"),
        mention(delegation, "Tuesday", "XXXX-WXX-2"),
        mention(dalian, "on Tuesday", "2018-05-08"),
        mention(dalian, "since March", "2018-03"),
        mention(dalian, "in June", "2018-06"),
        mention(dalian, "on Monday and Tuesday", "2018-05-07"),
        mention(dalian, "in six weeks", "P6W", "DURATION"),
    ]


def seed_bundle(with_copy: bool = True, hostile: bool = False) -> StoryBundle:
    """The seed storyline: both articles, optionally a wire copy of the Dalian piece."""
    delegation, dalian = seed_articles()
    articles = [delegation, dalian]
    if with_copy:
        articles.append(
            Article(
                id="a-copy",
                source="https://example.invalid/copy",
                outlet="Daily Wire Copy",
                title=XSS_TITLE if hostile else "Xi meets Kim (wire)",
                text=dalian.text,
                duplicate_of=dalian.id,
                similarity=0.99,
            )
        )
    if hostile:
        delegation.title = XSS_TITLE
        delegation.outlet = '"><img src=x onerror="window.__xss=3">'
        delegation.author = '<img src=x onerror="window.__xss=5">'
        delegation.text = (
            (delegation.text or "")
            + '\n\nThe page ended with <script>window.__xss=4</script> and "><img src=x onerror=alert(1)> in it.'
        )
    start = (delegation.text or "").index("Welcoming the friendship")
    quote = Quote(
        id="q1",
        article_id=delegation.id,
        kind="direct",
        text=(delegation.text or "")[start : start + 60],
        spans=[(start, start + 60)],
        speaker={"id": "e-xi", "name": "Xi Jinping"},
        speaker_text="Xi Jinping",
        cue="said",
        chain=["KCNA", "Yonhap"],
    )
    story = Story(id="sl-1", level="storyline", title="", article_ids=[a.id for a in articles])
    return StoryBundle(
        story=story, articles=articles, quotes=[quote], dates=seed_dates(delegation, dalian)
    )


def rewrite_bundle() -> StoryBundle:
    """The seeds plus an independent rewrite of the Dalian lead with a different count."""
    bundle = seed_bundle(with_copy=False)
    dalian = bundle.article_map()["a-dalian"]
    first, second = (dalian.text or "").split("\n")[0].split(". ")[:2]
    changed = first.replace("six weeks", "eight weeks") + "."
    text = (
        changed
        + "\n"
        + second
        + "\n"
        + "\nThe meeting in the port city was kept secret until it ended, state media said.\n"
        "Officials in Seoul welcomed the talks and said they hoped for progress on sanctions relief."
    )
    bundle.articles.append(
        Article(id="a-rewrite", source="x", outlet="Other Daily", text=text, published="2018-05-09")
    )
    return bundle
