"""Expand CLI inputs (files, directories, URLs, feeds, WARC, ``-``) into raw documents or rejections.

Nothing here cleans or stores text: each document comes out as bytes (text and HTML files, fetched
pages, WARC responses) or as a JSON record, with where it came from. A whole input that cannot be
read (a missing path) raises ``InputError``; a single bad document is a ``Rejection`` with a stable
reason code, and the walk goes on.

An RSS or Atom feed saved to a file and named as an input is read as its URL would be: each
entry's link is fetched (through the same ``Fetcher`` and its private-address guard). Any other
XML document (a sitemap, an OPML list) is no article and is refused as ``unsupported_type``.

Reason codes: ``empty``, ``not_text``, ``too_large``, ``bad_json``, ``bad_record``, ``truncated``,
``corrupt``, ``unreadable``, ``fetch_failed``, ``blocked_address``, ``not_found``,
``unsupported_type``, ``no_article`` (a WARC without pages; extraction gives it to pages without
an article body) and, from storing, ``id_taken``: a given id that holds another article.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from storyline.errors import BlockedAddressError, FetchError, InputError
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.ingest.feeds import FeedEntry
    from storyline.ingest.fetch import Fetcher, FetchResult

__all__ = [
    "INPUT_SUFFIXES",
    "DocumentKind",
    "FileRef",
    "RawDocument",
    "Rejection",
    "check_inputs",
    "input_format",
    "is_url",
    "iter_feed_file",
    "iter_file",
    "iter_inputs",
    "iter_url",
    "storable",
]

DocumentKind = Literal["text", "html", "record"]

# Longest suffixes first so ".html.gz" wins over ".gz"; values name how the file is read.
INPUT_SUFFIXES: dict[str, str] = {
    ".html.gz": "html.gz",
    ".htm.gz": "html.gz",
    ".warc.gz": "warc",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".warc": "warc",
}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[\s?]")
# The first element after the prolog (declaration, comments, processing instructions, doctype).
_XML_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*<([A-Za-z_][\w:.-]*)",
    re.DOTALL,
)
_SNIFF_BYTES = 4096
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")
_CHUNK = 1 << 16


@dataclass
class RawDocument:
    """One document as found: bytes of a text or HTML page, or the fields of a JSON record.

    ``fields`` holds a JSON Lines record as given (id, url, outlet, title, published, text, html...)
    and, for pages reached through a feed, the feed's own metadata (title, author, published,
    summary, feed_url). ``fetched_published`` is a publication date that came with the document
    from outside its content (a feed entry's date); crawl and Last-Modified dates never go there.
    """

    source: str
    kind: DocumentKind
    data: bytes | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    fetched_published: str | None = None

    def __post_init__(self) -> None:
        self.source = storable(self.source)


@dataclass
class Rejection:
    """A document that could not be used, with a stable reason code and a human-readable detail."""

    source: str
    reason: str
    detail: str = ""

    def __post_init__(self) -> None:
        self.source, self.detail = storable(self.source), storable(self.detail)


def storable(text: str) -> str:
    """``text`` as valid Unicode, which the database and the terminal need.

    A file name that is not UTF-8 comes from the file system with its bytes as lone surrogates
    ("caf\\udce9.txt"), which SQLite refuses to store; its bytes are shown as escapes instead
    ("caf\\xe9.txt"), so two such names stay apart.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", errors="surrogateescape")
        except UnicodeEncodeError:  # a surrogate no file name decoding makes
            return text.encode("utf-8", errors="backslashreplace").decode("utf-8")
        return raw.decode("utf-8", errors="backslashreplace")
    return text


@dataclass(frozen=True)
class FileRef:
    """A one-document file (text, HTML, gzipped HTML) named but not read yet.

    The ingest stage hands these to its worker processes, which read the bytes themselves: the
    main process, which also stores every result, then never touches page bytes.
    """

    path: str
    fmt: str  # "text", "html", "html.gz" or "sniff"

    def read(self, cap: int) -> RawDocument | Rejection:
        """The document, or why it cannot be used (same reasons as reading it at once)."""
        path = Path(self.path)
        try:
            if self.fmt == "html.gz":
                return _read_gzip(path, cap)
            return _read_plain(path, cap, self.fmt)
        except OSError as exc:
            return Rejection(self.path, "unreadable", f"{path}: {exc.strerror or exc}")


def input_format(path: Path) -> str | None:
    """How a file is read, from its name: text, html, html.gz, jsonl, warc; None when unsupported."""
    name = path.name.lower()
    for suffix, fmt in INPUT_SUFFIXES.items():
        if name.endswith(suffix):
            return fmt
    return None


def is_url(item: str) -> bool:
    """True when an input names a URL rather than a path."""
    return bool(_URL.match(item))


def check_inputs(inputs: list[str]) -> None:
    """Raise ``InputError`` for the first input that cannot be read at all, before any work."""
    for item in inputs:
        if item == "-":
            continue
        if is_url(item):
            if not item.lower().startswith(("http://", "https://")):
                raise InputError(f"{item}: only http and https URLs can be fetched")
            continue
        path = Path(item)
        if not path.exists():
            raise InputError(f"{item}: no such file or directory")
        mode = os.R_OK | (os.X_OK if path.is_dir() else 0)
        if not os.access(path, mode):
            raise InputError(f"{item}: permission denied")


def iter_inputs(
    inputs: list[str],
    settings: Settings,
    stdin: BinaryIO | None = None,
    *,
    fetcher: Fetcher | None = None,
    skipped: list[str] | None = None,
    defer_files: bool = False,
) -> Iterator[RawDocument | Rejection | FileRef]:
    """Yield every document of every input, in order; files of other types go to ``skipped``.

    With ``defer_files`` a one-document file comes out as a :class:`FileRef` to read later.
    """
    check_inputs(inputs)
    owned: Fetcher | None = None
    try:
        for item in inputs:
            if item == "-":
                from storyline.ingest.jsonl import iter_jsonl

                stream = stdin if stdin is not None else sys.stdin.buffer
                yield from iter_jsonl(stream, "<stdin>", settings.max_document_bytes)
            elif is_url(item):
                if fetcher is None:
                    from storyline.ingest.fetch import Fetcher

                    fetcher = owned = Fetcher(settings)
                yield from iter_url(item, fetcher, settings)
            elif Path(item).is_dir():
                yield from _iter_directory(Path(item), settings, skipped, defer_files)
            elif (feed := _saved_feed(Path(item), settings.max_document_bytes)) is not None:
                if isinstance(feed, Rejection):
                    yield feed
                    continue
                if fetcher is None:
                    from storyline.ingest.fetch import Fetcher

                    fetcher = owned = Fetcher(settings)
                yield from iter_feed_file(Path(item), feed, fetcher, settings)
            else:
                yield from iter_file(Path(item), settings, explicit=True, defer=defer_files)
    finally:
        if owned is not None:
            owned.close()


def _saved_feed(path: Path, cap: int) -> bytes | Rejection | None:
    """The bytes of a named file of unknown type that is an RSS or Atom feed; None otherwise.

    Only a regular file is looked at here: peeking into a pipe would eat what the worker that
    reads it later needs, so a feed piped in is refused by ``_read_plain`` instead. Files with an
    article suffix (.txt, .html) are read as named, and a directory walk never gets here: it
    reads article files only, and fetching the web because a folder held a feed would surprise.
    """
    from storyline.ingest.feeds import is_feed

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as stream:
            if not is_feed("", stream.read(_SNIFF_BYTES)):
                return None
            stream.seek(0)
            data = stream.read(cap + 1)
    except OSError:
        return None  # iter_file reads it again and reports why it cannot
    if len(data) > cap:
        return Rejection(str(path), "too_large", f"a feed of more than the {cap}-byte limit")
    return data


def iter_feed_file(
    path: Path, body: bytes, fetcher: Fetcher, settings: Settings
) -> Iterator[RawDocument | Rejection]:
    """A saved RSS or Atom feed: its entries' pages, fetched as those of a feed URL are.

    The feed's own text is never an article; links are made absolute against the feed's
    ``xml:base`` where it gives one (a saved file has no URL of its own to resolve them by).
    """
    from storyline.ingest.feeds import parse_feed

    feed_url = path.resolve().as_uri()
    entries = parse_feed(body, feed_url)
    if not entries:
        yield Rejection(str(path), "empty", "the saved feed has no entries with http(s) links")
        return
    yield from _iter_entries(entries, fetcher, settings, feed_url)


def _iter_directory(
    root: Path, settings: Settings, skipped: list[str] | None, defer: bool = False
) -> Iterator[RawDocument | Rejection | FileRef]:
    """Walk ``root`` recursively in sorted order, skipping hidden entries and unsupported files."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        yield from _drain_walk_errors(errors)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath, name)
            if input_format(path) is None:
                if skipped is not None:
                    skipped.append(str(path))
                continue
            special = _special_file(path)
            if special is not None:
                yield Rejection(str(path), "unsupported_type", f"{path.name}: {special}")
                continue
            yield from iter_file(path, settings, defer=defer)
    yield from _drain_walk_errors(errors)


def _special_file(path: Path) -> str | None:
    """What a found file is when it is no regular file (after symlinks), else None.

    Opening a named pipe blocks until something writes to it, and a device such as /dev/zero
    never ends, so a directory walk reads regular files only. A file named on the command line
    is still read whatever it is: ``storyline run <(zcat dump.txt.gz)`` passes a pipe on purpose.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a dangling or looping link: reading it reports why
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def _drain_walk_errors(errors: list[OSError]) -> Iterator[Rejection]:
    """Directories that could not be listed, as rejections (never dropped silently)."""
    while errors:
        error = errors.pop(0)
        yield Rejection(str(error.filename), "unreadable", f"{error.filename}: {error.strerror}")


def iter_file(
    path: Path, settings: Settings, explicit: bool = False, defer: bool = False
) -> Iterator[RawDocument | Rejection | FileRef]:
    """Yield the documents of one file; an explicitly named file of unknown type is sniffed."""
    fmt = input_format(path) or ("sniff" if explicit else None)
    cap = settings.max_document_bytes
    try:
        if defer and fmt in {"text", "html", "sniff", "html.gz"}:
            yield FileRef(str(path), fmt)
        elif fmt == "jsonl":
            from storyline.ingest.jsonl import iter_jsonl

            with path.open("rb") as stream:
                yield from iter_jsonl(stream, str(path), cap)
        elif fmt == "warc":
            from storyline.ingest.warc import iter_warc

            yield from iter_warc(path, cap)
        elif fmt == "html.gz":
            yield _read_gzip(path, cap)
        elif fmt in {"text", "html", "sniff"}:
            yield _read_plain(path, cap, fmt)
        else:
            yield Rejection(
                str(path), "unsupported_type", f"{path.name}: not a supported file type"
            )
    except OSError as exc:
        yield Rejection(str(path), "unreadable", f"{path}: {exc.strerror or exc}")


def _read_plain(path: Path, cap: int, fmt: str) -> RawDocument | Rejection:
    """Read a text or HTML file without ever holding more than ``cap`` + 1 bytes."""
    source = str(path)
    size = path.stat().st_size
    if size > cap:
        return Rejection(source, "too_large", f"{size} bytes, more than the {cap}-byte limit")
    with path.open("rb") as stream:
        data = stream.read(cap + 1)  # the file may have grown since stat()
    if len(data) > cap:
        return Rejection(source, "too_large", f"more than the {cap}-byte limit")
    if fmt == "sniff":
        if _looks_binary(data):
            return Rejection(source, "not_text", f"{path.name} looks like a binary file")
        refusal = _xml_refusal(data, path.name)
        if refusal is not None:
            return Rejection(source, "unsupported_type", refusal)
        fmt = "html" if _looks_html(data) else "text"
    if not data.strip():
        return Rejection(source, "empty", "the file is empty")
    return RawDocument(source=source, kind="html" if fmt == "html" else "text", data=data)


def _read_gzip(path: Path, cap: int) -> RawDocument | Rejection:
    """Decompress a ``.html.gz`` file, stopping past ``cap`` decompressed bytes (gzip bombs)."""
    source = str(path)
    chunks: list[bytes] = []
    size = 0
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    return Rejection(source, "too_large", f"decompresses past {cap} bytes")
                chunks.append(chunk)
    except EOFError as exc:
        return Rejection(source, "truncated", f"gzip stream ends early after {size} bytes: {exc}")
    except (gzip.BadGzipFile, zlib.error) as exc:
        return Rejection(source, "corrupt", f"not a valid gzip file: {exc}")
    data = b"".join(chunks)
    if not data.strip():
        return Rejection(source, "empty", "the file is empty")
    return RawDocument(source=source, kind="html", data=data)


def iter_url(url: str, fetcher: Fetcher, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """Fetch a URL: a page becomes one document, a feed becomes its entries' pages."""
    from storyline.ingest.feeds import is_feed, parse_feed

    result = _fetch(url, fetcher)
    if isinstance(result, Rejection):
        yield result
        return
    if not is_feed(result.content_type, result.body):
        yield _page_document(url, result, settings)
        return
    entries = parse_feed(result.body, result.final_url)
    if not entries:
        yield Rejection(url, "empty", "the feed has no entries with links")
        return
    yield from _iter_entries(entries, fetcher, settings, url)


def _iter_entries(
    entries: list[FeedEntry], fetcher: Fetcher, settings: Settings, feed_url: str
) -> Iterator[RawDocument | Rejection]:
    """Fetch each feed entry's page; a page that is itself a feed is refused, not followed."""
    from storyline.ingest.feeds import is_feed

    for entry in entries:
        page = _fetch(entry.url, fetcher)
        if isinstance(page, Rejection):
            yield page
        elif is_feed(page.content_type, page.body):  # never recurse into feeds of feeds
            yield Rejection(entry.url, "unsupported_type", "a feed entry links to another feed")
        else:
            yield _page_document(entry.url, page, settings, entry, feed_url=feed_url)


def _fetch(url: str, fetcher: Fetcher) -> FetchResult | Rejection:
    """Fetch ``url`` and turn every failure, including HTTP errors, into a rejection."""
    from storyline.ingest.fetch import FetchTooLargeError

    try:
        result = fetcher.fetch(url)
    except BlockedAddressError as exc:
        return Rejection(url, "blocked_address", str(exc))
    except FetchTooLargeError as exc:
        return Rejection(url, "too_large", str(exc))
    except FetchError as exc:
        return Rejection(url, "fetch_failed", str(exc))
    if result.status in {404, 410}:
        return Rejection(url, "not_found", f"HTTP {result.status} from {result.final_url}")
    if not 200 <= result.status < 300:
        return Rejection(url, "fetch_failed", f"HTTP {result.status} from {result.final_url}")
    return result


def _page_document(
    url: str,
    result: FetchResult,
    settings: Settings,
    entry: FeedEntry | None = None,
    feed_url: str | None = None,
) -> RawDocument | Rejection:
    """A fetched page as an HTML or text document, with feed metadata when it came from one."""
    ctype = result.content_type
    if ctype in _HTML_TYPES or (not ctype and _looks_html(result.body)):
        kind: DocumentKind = "html"
    elif ctype == "text/plain":
        kind = "text"
    else:
        return Rejection(url, "unsupported_type", f"content type {ctype or 'unknown'!r}")
    if len(result.body) > settings.max_document_bytes:
        return Rejection(url, "too_large", f"more than {settings.max_document_bytes} bytes")
    if not result.body.strip():
        return Rejection(url, "empty", f"empty response from {result.final_url}")
    fields: dict[str, Any] = {}
    if entry is not None:
        given = {
            "title": entry.title,
            "author": entry.author,
            "published": entry.published,
            "summary": entry.summary,
            "feed_url": feed_url,
        }
        fields = {k: v for k, v in given.items() if v is not None}
    return RawDocument(
        source=url,
        kind=kind,
        data=result.body,
        fields=fields,
        url=result.final_url,
        fetched_published=entry.published if entry is not None else None,
    )


def _looks_html(data: bytes) -> bool:
    """True when the start of ``data`` looks like an HTML document."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def _xml_refusal(data: bytes, name: str) -> str | None:
    """Why a sniffed file that is an XML document but no HTML page is no article; else None.

    Its markup would otherwise be stored as the text of a plain-text article titled
    ``<?xml version="1.0"?>``. A feed that gets here was not read as a feed (it came through a
    pipe, or ``iter_file`` was called on it directly).
    """
    from storyline.ingest.feeds import is_feed

    head = data[:_SNIFF_BYTES]
    if is_feed("", head):
        return (
            f"{name} is an RSS or Atom feed, not an article: give the feed's URL, or save it to "
            "a file and name that file as an input, to ingest its entries"
        )
    if not _XML_DECLARATION.match(head) or _looks_html(head):
        return None  # XHTML pages open with an XML declaration too
    root = _XML_ROOT.match(head)
    element = f" (root element <{root.group(1).decode('ascii')}>)" if root else ""
    return f"{name} is an XML document{element}, not an article or a feed"


def _looks_binary(data: bytes) -> bool:
    """True for known binary formats and for NUL bytes outside UTF-16/32 text."""
    if data.startswith(_BINARY_MAGIC):
        return True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 and UTF-32 text carry NULs legitimately
    return b"\x00" in data[:8192]
