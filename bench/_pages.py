"""Realistic generated news pages for benchmarks: real article prose inside full page boilerplate."""

from __future__ import annotations

import gzip
import html
import json
import random
import re
from pathlib import Path

from eval.common import eval_dir

NAV = ["World", "Politics", "Business", "Tech", "Science", "Health", "Sport", "Culture", "Opinion"]
RELATED = [
    "Markets slide as investors weigh rate outlook",
    "Ministers meet to discuss trade agreement",
    "Storm leaves thousands without power",
    "Court rules on landmark privacy case",
    "Election officials prepare for recount",
]

FALLBACK_WORDS = [
    "government",
    "minister",
    "said",
    "talks",
    "officials",
    "agreement",
    "week",
    "report",
    "city",
    "police",
    "court",
    "vote",
    "president",
    "company",
    "market",
    "year",
    "people",
    "country",
    "leaders",
    "meeting",
    "plan",
    "security",
    "economy",
]


def article_bodies() -> list[str]:
    """Real article bodies from the extraction gold set, or generated prose when it is absent."""
    folder = eval_dir("extraction")
    if folder is not None:
        data = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        return [v["articleBody"] for _, v in sorted(data.items()) if v.get("articleBody")]
    rng = random.Random(0)
    return [
        "\n".join(
            " ".join(rng.choice(FALLBACK_WORDS) for _ in range(rng.randint(15, 35))).capitalize()
            + "."
            for _ in range(12)
        )
        for _ in range(50)
    ]


def make_page(rng: random.Random, bodies: list[str], number: int) -> str:
    """One page: header, navigation, share bar, article with byline and date, related links, footer."""
    paragraphs = [p for p in rng.choice(bodies).split("\n") if p.strip()]
    extra = [p for p in rng.choice(bodies).split("\n") if p.strip()]
    rng.shuffle(extra)
    paragraphs = paragraphs + extra[: rng.randint(0, 3)]  # no two pages share all their text
    title = " ".join(paragraphs[0].split()[:9]).rstrip(".,;:") or f"Story {number}"
    day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    related = "".join(
        f'<li><a href="/story/{rng.randint(1, 99999)}">{html.escape(r)}</a></li>'
        for r in rng.sample(RELATED, 3)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | The Daily Example</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Staff Reporter {number % 17}">
<meta property="article:published_time" content="{day}T08:30:00Z">
<link rel="stylesheet" href="/static/site.css"></head>
<body>
<header><div class="logo">The Daily Example</div><nav><ul>{nav}</ul></nav>
<div class="cookie">We use cookies to improve your experience. <button>Accept</button></div></header>
<main><article>
<h1>{html.escape(title)}</h1>
<div class="byline">By Staff Reporter {number % 17} · <time datetime="{day}">{day}</time></div>
<div class="share">Share on Facebook · Share on Twitter · Email this article</div>
{body}
<figure><img src="/img/{number}.jpg"><figcaption>A file photo. Photo: Agency / Photographer</figcaption></figure>
</article>
<aside><h2>Related stories</h2><ul>{related}</ul></aside>
<section class="newsletter">Sign up for our morning newsletter</section>
<section class="comments"><h3>Comments</h3><p>Comments are closed.</p></section>
</main>
<footer><p>© 2024 The Daily Example. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""


_PARAGRAPH = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.S | re.I)


def real_templates() -> list[str]:
    """The real news pages of the extraction set (full boilerplate, scripts, navigation)."""
    folder = eval_dir("extraction")
    if folder is None:
        return []
    return [
        gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        for path in sorted((folder / "html").glob("*.html.gz"))
    ]


def page_from_template(rng: random.Random, template: str, paragraphs: list[str]) -> str:
    """A real page whose paragraphs carry other real prose, so no two generated pages repeat."""

    def swap(match: re.Match[str]) -> str:
        if len(match.group(2)) < 80:  # short <p>s are bylines, captions and menus: keep them
            return match.group(0)
        return match.group(1) + html.escape(rng.choice(paragraphs)) + match.group(3)

    return _PARAGRAPH.sub(swap, template)


def write_pages(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` pages as .html files; return their paths.

    Real page templates (when the gold set is here) with their article paragraphs replaced by
    paragraphs drawn from all gold articles; otherwise pages from a simple template.
    """
    rng = random.Random(seed)
    bodies = article_bodies()
    templates = real_templates()
    paragraphs = [p for body in bodies for p in body.split("\n") if len(p) > 80]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"page_{number:05d}.html"
        if templates:
            page = page_from_template(rng, templates[number % len(templates)], paragraphs)
        else:
            page = make_page(rng, bodies, number)
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths
