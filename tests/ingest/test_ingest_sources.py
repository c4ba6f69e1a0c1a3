"""Input expansion: files, directories, gzip, JSONL, stdin, URLs and feeds, with rejections."""

from __future__ import annotations

import gzip
import io
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.ingest.sources import FileRef, RawDocument, Rejection, input_format, iter_inputs
from storyline.settings import Settings

HTML = b"<html><body><p>An article.</p></body></html>"
SETTINGS = Settings(allow_private_addresses=True, fetch_timeout=5.0)
STORY = (
    "<html><head><title>Bridge opens</title></head><body><article><h1>Bridge opens</h1>"
    + "<p>The new river bridge opened to traffic on Monday after two years of work, the city"
    " council said, and officials expect thirty thousand vehicles to cross it every day.</p>"
    * 4
    + "</article></body></html>"
).encode()


def _collect(inputs: list[str], settings: Settings = SETTINGS, **kw: object) -> list:
    return list(iter_inputs(inputs, settings, **kw))  # type: ignore[arg-type]


def _tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "b" / "deep").mkdir()
    (root / ".hidden").mkdir()
    (root / "a.txt").write_bytes(b"Plain text article.")
    (root / "b" / "page.HTML").write_bytes(HTML)
    (root / "b" / "deep" / "old.htm").write_bytes(HTML)
    (root / "b" / "zipped.html.gz").write_bytes(gzip.compress(HTML))
    (root / "b" / "records.jsonl").write_bytes(b'{"text": "one"}\n{"text": "two"}\n')
    (root / "notes.md").write_bytes(b"# not an input")
    (root / "image.png").write_bytes(b"\x89PNG")
    (root / ".secret.txt").write_bytes(b"hidden file")
    (root / ".hidden" / "x.txt").write_bytes(b"hidden dir")
    (root / "empty.txt").write_bytes(b"  \n")


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _tree(tmp_path)
    skipped: list[str] = []
    docs = _collect([str(tmp_path)], skipped=skipped)
    names = [d.source.removeprefix(str(tmp_path) + "/") for d in docs]
    assert names == [
        "a.txt",
        "empty.txt",
        "b/page.HTML",
        "b/records.jsonl#line=1",
        "b/records.jsonl#line=2",
        "b/zipped.html.gz",
        "b/deep/old.htm",
    ]
    kinds = [d.kind if isinstance(d, RawDocument) else d.reason for d in docs]
    assert kinds == ["text", "empty", "html", "record", "record", "html", "html"]
    assert docs[5].data == HTML
    assert sorted(Path(p).name for p in skipped) == ["image.png", "notes.md"]
    assert _collect([str(tmp_path)]) == docs  # deterministic


def test_missing_path_raises_before_any_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"text")
    with pytest.raises(InputError, match="no-such"):
        _collect([str(tmp_path / "a.txt"), str(tmp_path / "no-such.txt")])
    with pytest.raises(InputError, match="only http and https"):
        _collect(["ftp://example.com/x"])


def test_size_cap_and_truncated_gzip(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b"a" * 100_000))
    cut = tmp_path / "cut.html.gz"
    cut.write_bytes(gzip.compress(HTML * 50)[:-30])
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(b"not gzip at all")
    small = Settings(max_document_bytes=1000)
    reasons = {Path(d.source).name: d.reason for d in _collect([str(tmp_path)], small)}
    assert reasons == {
        "bad.html.gz": "corrupt",
        "big.txt": "too_large",
        "bomb.html.gz": "too_large",
        "cut.html.gz": "truncated",
    }


def test_explicit_file_of_unknown_type_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "story").write_bytes(b"<!DOCTYPE html>" + HTML)
    (tmp_path / "notes.md").write_bytes(b"Some notes")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4 binary")
    docs = _collect([str(tmp_path / n) for n in ("story", "notes.md", "doc.pdf")])
    assert [d.kind if isinstance(d, RawDocument) else d.reason for d in docs] == [
        "html",
        "text",
        "not_text",
    ]


def test_stdin_jsonl() -> None:
    stdin = io.BytesIO(b'{"id": "k1", "text": "Hello"}\nnot json\n')
    first, second = _collect(["-"], stdin=stdin)
    assert isinstance(first, RawDocument) and first.fields["id"] == "k1"
    assert first.source == "<stdin>#line=1"
    assert isinstance(second, Rejection) and second.reason == "bad_json"


def test_input_format_names() -> None:
    assert input_format(Path("x.WARC.GZ")) == "warc"
    assert input_format(Path("x.html.gz")) == "html.gz"
    assert input_format(Path("x.gz")) is None


# --- URLs and feeds against a local server --------------------------------------------------------


class _Site(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        port = int(self.server.server_address[1])  # type: ignore[index]  # (host, port) for IPv4
        base = f"http://127.0.0.1:{port}"
        routes = {
            "/article": (200, "text/html; charset=utf-8", HTML),
            "/story": (200, "text/html; charset=utf-8", STORY),
            "/plain": (200, "text/plain", b"plain words"),
            "/image": (200, "image/png", b"\x89PNG"),
            "/gone": (404, "text/html", b"no"),
            "/broken": (503, "text/html", b"down"),
            "/feed": (200, "application/rss+xml", _rss(base).encode()),
        }
        status, ctype, body = routes.get(self.path, (500, "text/plain", b"?"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Wed, 01 Jan 2020 00:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)


def _rss(base: str) -> str:
    items = [
        ("/article", "Feed title", "<pubDate>Tue, 02 Jan 2024 10:30:00 GMT</pubDate>"),
        ("/gone", "Gone", ""),
        ("/feed", "Self", ""),
    ]
    body = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link>{extra}</item>" for p, t, extra in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>{body}</channel></rss>'
    )


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urls_become_documents_or_rejections(site: str) -> None:
    docs = _collect([f"{site}/{p}" for p in ("article", "plain", "image", "gone", "broken")])
    assert [d.kind if isinstance(d, RawDocument) else d.reason for d in docs] == [
        "html",
        "text",
        "unsupported_type",
        "not_found",
        "fetch_failed",
    ]
    page = docs[0]
    assert page.data == HTML and page.url == f"{site}/article"
    assert page.fetched_published is None  # Last-Modified is not a publication date


def test_feed_expands_to_its_entries(site: str) -> None:
    docs = _collect([f"{site}/feed"])
    assert [(d.source, d.kind if isinstance(d, RawDocument) else d.reason) for d in docs] == [
        (f"{site}/article", "html"),
        (f"{site}/gone", "not_found"),
        (f"{site}/feed", "unsupported_type"),
    ]
    page = docs[0]
    assert page.fetched_published == "2024-01-02T10:30:00Z"
    assert page.fields == {
        "title": "Feed title",
        "published": "2024-01-02T10:30:00Z",
        "feed_url": f"{site}/feed",
    }


def test_default_settings_block_local_urls(site: str) -> None:
    (doc,) = _collect([f"{site}/article"], Settings())
    assert isinstance(doc, Rejection) and doc.reason == "blocked_address"


def test_jsonl_records_keep_given_fields(tmp_path: Path) -> None:
    record = {"id": "given", "outlet": "O", "title": "T", "published": "2020", "text": "x"}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = _collect([str(path)])
    assert doc.fields == record


def test_unlistable_subdirectory_is_a_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.ingest.sources as sources

    (tmp_path / "a.txt").write_bytes(b"text")

    def walk(root: Path, onerror: object) -> Iterator[tuple[str, list[str], list[str]]]:
        yield str(root), [], ["a.txt"]
        onerror(PermissionError(13, "Permission denied", str(root / "locked")))  # type: ignore[operator]

    monkeypatch.setattr(sources.os, "walk", walk)
    docs = _collect([str(tmp_path)])
    assert [d.kind if isinstance(d, RawDocument) else d.reason for d in docs] == [
        "text",
        "unreadable",
    ]
    assert docs[1].source == str(tmp_path / "locked")


def test_directory_walk_rejects_pipes_and_devices_without_opening_them(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"Plain text article.")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever: nothing writes to it
    (tmp_path / "zero.html").symlink_to("/dev/zero")  # never ends
    first, pipe, zero = _collect([str(tmp_path)], defer_files=True)
    assert first == FileRef(str(tmp_path / "a.txt"), "text")
    assert (pipe.source, pipe.reason) == (str(tmp_path / "pipe.txt"), "unsupported_type")
    assert "named pipe" in pipe.detail
    assert (zero.reason, "device" in zero.detail) == ("unsupported_type", True)


def test_file_name_that_is_not_utf8_becomes_a_storable_source(tmp_path: Path) -> None:
    # The name came back with lone surrogates, and storing it ended the run with exit 2.
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_bytes(b"Plain text article.")
    (doc,) = _collect([str(tmp_path)])
    assert doc.source == f"{tmp_path}/caf\\xe9.txt"
    doc.source.encode("utf-8")  # what SQLite needs
    (ref,) = _collect([str(tmp_path)], defer_files=True)
    assert ref.read(100).source == doc.source  # the path itself still opens the file
    assert Rejection(name, "empty", f"{name} is empty").detail == "caf\\xe9.txt is empty"


# --- feeds saved to files, and other XML ------------------------------------------------------


def _saved_rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>T{p}</title><link>{base}{p}</link></item>" for p in paths)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>S</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()


@pytest.mark.parametrize("name", ["feed.xml", "feed.rss", "saved-feed"])
def test_saved_feed_named_as_input_expands_to_its_entries(
    tmp_path: Path, site: str, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(_saved_rss(site, ["/article", "/gone"]))
    for defer in (False, True):  # the ingest stage defers file reads; a feed is read at once
        docs = _collect([str(path)], defer_files=defer)
        assert [(d.source, d.kind if isinstance(d, RawDocument) else d.reason) for d in docs] == [
            (f"{site}/article", "html"),
            (f"{site}/gone", "not_found"),
        ]
        assert docs[0].data == HTML  # the page, never the feed's markup
        assert docs[0].fields == {"title": "T/article", "feed_url": path.resolve().as_uri()}


def test_saved_atom_feed_and_feed_without_web_links(tmp_path: Path, site: str) -> None:
    atom = tmp_path / "atom"
    atom.write_bytes(
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        + f'<entry><title>E</title><link href="{site}/article"/></entry></feed>'.encode()
    )
    linkless = tmp_path / "linkless.xml"
    linkless.write_bytes(
        b'<rss version="2.0"><channel><item><title>x</title></item></channel></rss>'
    )
    docs = _collect([str(atom), str(linkless)])
    assert [(d.source, d.kind if isinstance(d, RawDocument) else d.reason) for d in docs] == [
        (f"{site}/article", "html"),
        (str(linkless), "empty"),
    ]


def test_saved_feed_entries_keep_the_private_address_guard(tmp_path: Path, site: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(_saved_rss(site, ["/article"]))
    (doc,) = _collect([str(path)], Settings())
    assert (doc.source, doc.reason) == (f"{site}/article", "blocked_address")


def test_other_xml_is_refused_and_xhtml_is_still_a_page(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- generated -->\n'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.example/a</loc></url></urlset>"
    )
    (tmp_path / "page.xhtml").write_bytes(
        b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b"<body><p>An article.</p></body></html>"
    )
    names = [str(tmp_path / "sitemap.xml"), str(tmp_path / "page.xhtml")]
    for defer in (False, True):
        docs = [
            d.read(10_000) if isinstance(d, FileRef) else d
            for d in _collect(names, defer_files=defer)
        ]
        sitemap, page = docs
        assert isinstance(sitemap, Rejection) and sitemap.reason == "unsupported_type"
        assert sitemap.detail == (
            "sitemap.xml is an XML document (root element <urlset>), not an article or a feed"
        )
        assert isinstance(page, RawDocument) and page.kind == "html"


def test_feed_read_as_a_plain_file_is_refused_not_stored_as_text(tmp_path: Path) -> None:
    from storyline.ingest.sources import iter_file

    path = tmp_path / "feed.xml"
    path.write_bytes(_saved_rss("https://news.example", ["/a"]))
    (doc,) = iter_file(path, SETTINGS, explicit=True)  # what a worker does with a piped feed
    assert isinstance(doc, Rejection) and doc.reason == "unsupported_type"
    assert "RSS or Atom feed" in doc.detail


def test_xml_files_in_a_directory_walk_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"Plain text article.")
    for name in ("feed.xml", "feed.rss", "feed.atom"):
        (tmp_path / name).write_bytes(_saved_rss("https://news.example", ["/a"]))
    skipped: list[str] = []
    docs = _collect([str(tmp_path)], skipped=skipped)
    assert [d.source for d in docs] == [str(tmp_path / "a.txt")]
    assert sorted(Path(p).name for p in skipped) == ["feed.atom", "feed.rss", "feed.xml"]


def test_saved_feed_through_the_stage_stores_its_pages_once(tmp_path: Path, site: str) -> None:
    from storyline.api import ingest
    from storyline.store import Store

    path = tmp_path / "feed.xml"
    path.write_bytes(_saved_rss(site, ["/story", "/gone"]))
    settings = Settings.resolve(
        {"db": str(tmp_path / "s.db"), "workers": 1, "allow_private_addresses": True},
        environ={},
    )
    first = ingest([str(path)], settings=settings)[0]
    assert (first.counts["stored"], first.counts["rejected:not_found"]) == (1, 1)
    second = ingest([str(path)], settings=settings)[0]
    assert second.counts["stored"] == 0 and second.skipped == 2
    with Store(tmp_path / "s.db") as store:
        rows = [tuple(r) for r in store.query("SELECT source, title, status FROM articles")]
    assert sorted(rows) == [
        (f"{site}/gone", None, "not_found"),
        (f"{site}/story", "T/story", "ok"),
    ]
