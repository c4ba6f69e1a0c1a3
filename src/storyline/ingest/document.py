"""Turning one raw document into a clean article record (runs in worker processes)."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from storyline.errors import DocumentRejected
from storyline.ingest.sitenames import outlet_from_url
from storyline.ingest.sources import RawDocument, Rejection
from storyline.ingest.words import count_words
from storyline.models import Article
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.ingest.dedup import DuplicateIndex

__all__ = ["Processed", "content_hash", "process_document", "rejected_article", "warm_up"]

# Below this, a body extracted from a page is a teaser, an index or a menu the extractor took
# for the article: a page that holds a story holds more than a sentence of it.
MIN_WORDS = 25
# Text given as text (a JSON Lines record, a .txt file) is what its exporter chose to keep: a
# one-sentence brief or a wire flash is news ("Esther Williams, swimming star, dies at 91").
MIN_TEXT_WORDS = 5


@dataclass
class Processed:
    """An extracted article with what the store needs to place it."""

    article: Article
    content_hash: str
    signature: bytes | None
    source_key: str
    given_id: bool
    band_keys: list[bytes] | None = None  # the signature's LSH keys, computed off the main process
    # A publication time the record gave that could not be read as a date ("2018-13-45"): the
    # date was looked for in the text instead, and the run report counts such records.
    unread_published: str | None = None


def content_hash(text: str) -> str:
    """Hash of the text with case and white space folded, so trivially re-flowed copies match."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().lower()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def rejected_article(source: str, reason: str, detail: str) -> Article:
    """The record kept for a document that could not be used."""
    digest = hashlib.sha256(f"{source}\x00{reason}".encode()).hexdigest()[:16]
    return Article(id=f"rej_{digest}", source=source, status=reason, detail=detail or None)


def warm_up(settings: Settings | None = None) -> None:
    """Import the extraction modules and load the small models once, before workers fork.

    Forked workers then share them instead of each spending seconds on imports and model files.
    """
    from storyline.ingest import credits, decode, html, pubdate, text  # noqa: F401
    from storyline.ingest.language import load_language_identifier
    from storyline.read import timex  # noqa: F401  # publication-date inference

    load_language_identifier()
    if settings is not None:
        _hasher(settings.duplicate_threshold)


def process_document(
    item: RawDocument | Rejection, settings: Settings, source_key: str
) -> Processed | Rejection:
    """Extract, clean and date one document; a problem becomes a :class:`Rejection`."""
    if isinstance(item, Rejection):
        return item
    try:
        return _process(item, settings, source_key)
    except DocumentRejected as exc:
        return Rejection(source=item.source, reason=exc.reason, detail=exc.detail)
    except Exception as exc:  # one broken document must never end the run
        return Rejection(
            source=item.source, reason="extraction_failed", detail=f"{type(exc).__name__}: {exc}"
        )


def _process(raw: RawDocument, settings: Settings, source_key: str) -> Processed:
    from storyline.ingest.credits import split_credits
    from storyline.ingest.decode import decode_bytes
    from storyline.ingest.html import extract_html
    from storyline.ingest.language import detect_language
    from storyline.ingest.pubdate import find_publication_date, normalise_date
    from storyline.ingest.text import clean_text

    given: dict[str, Any] = dict(raw.fields or {})
    url = _str(given.get("url")) or raw.url
    meta: dict[str, Any] = {"title": None, "author": None, "outlet": None, "published": None}
    credits: list[str] = []
    language = None
    dateline = None
    html = _str(given.get("html"))
    evidence = ""  # the text a publication date may be inferred from
    if raw.kind == "html" or html:
        if html is None:
            html = _decode_html(raw.data or b"", raw.source)
        page = extract_html(html, url)
        text, credits = split_credits(page.text)
        credits = list(page.credits) + credits
        meta.update(
            title=page.title, author=page.author, outlet=page.outlet, published=page.published
        )
        language = page.language
    else:
        raw_text = _str(given.get("text"))
        if raw_text is None:
            raw_text = decode_bytes(raw.data or b"", raw.source)
        cleaned = clean_text(raw_text, known_title=_str(given.get("title")))
        evidence = raw_text  # captions and datelines cleaning removes still date the article
        text, credits, dateline = cleaned.text, list(cleaned.credits), cleaned.dateline_date
        meta["title"], meta["author"] = cleaned.title, cleaned.author
    evidence = evidence or text
    floor = MIN_WORDS if html is not None else MIN_TEXT_WORDS
    words = count_words(text)
    if words < floor:
        raise DocumentRejected(
            "no_article" if words else "empty",
            f"only {words} words of body text after cleaning (need {floor})",
        )
    for key in ("title", "author", "outlet"):
        if _str(given.get(key)):
            meta[key] = _str(given[key])
    if not meta["outlet"] and url:
        meta["outlet"] = outlet_from_url(url)
    record_published = _published(given.get("published"))
    given_published = record_published or raw.fetched_published
    published, published_source = find_publication_date(
        evidence,
        title=meta["title"],
        given=given_published,
        metadata=meta["published"],
        dateline=dateline,
    )
    given_id = _str(given.get("id"))
    digest = content_hash(text)
    article = Article(
        id=given_id or f"a_{digest[:16]}",
        source=raw.source,
        outlet=meta["outlet"],
        title=meta["title"],
        author=meta["author"],
        language=_str(given.get("language")) or language or detect_language(text),
        published=published,
        published_source=published_source,  # type: ignore[arg-type]  # validated by pubdate
        text=text,
        credits=credits,
    )
    hasher = _hasher(settings.duplicate_threshold)
    signature = hasher.signature(text)
    return Processed(
        article=article,
        content_hash=digest,
        signature=signature,
        source_key=source_key,
        given_id=given_id is not None,
        band_keys=hasher.band_keys(signature),
        unread_published=(
            record_published
            if record_published and normalise_date(record_published) is None
            else None
        ),
    )


@functools.lru_cache(maxsize=4)
def _hasher(threshold: float) -> DuplicateIndex:
    """One MinHash hasher per process and threshold: its permutations are costly to draw.

    It must match the stage's index (same threshold, hence same bands) for its band keys to fit.
    """
    from storyline.ingest.dedup import DuplicateIndex

    return DuplicateIndex(threshold=threshold)


def _decode_html(data: bytes, source: str) -> str:
    """Decode a page: strict UTF-8 (most of the web) at once, anything else through detection."""
    from storyline.ingest.decode import decode_bytes

    if b"\x00" not in data:
        try:
            return data.decode("utf-8")  # trafilatura normalises white space and Unicode itself
        except UnicodeDecodeError:
            pass
    return decode_bytes(data, source)


def _published(value: Any) -> str | None:
    """A given publication time as text: a number is a Unix timestamp (in milliseconds when it
    is too large for seconds, as JavaScript exports write it), given as ISO 8601 in UTC."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) >= _MILLISECONDS else value
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None  # no calendar time: left to the text, as an unreadable date string is
    return _str(value)


# Unix seconds reach 1e11 only in the year 5138; a timestamp that large counts milliseconds.
_MILLISECONDS = 10**11


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
