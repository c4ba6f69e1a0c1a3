"""WARC reading: HTML responses become documents, cut-off archives end with one rejection."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest.sources import RawDocument, Rejection
from storyline.ingest.warc import iter_warc


def _page(i: int) -> bytes:
    return f"<html><body><h1>Story {i}</h1><p>{'words ' * 300}</p></body></html>".encode()


def _write_warc(path: Path, gz: bool) -> list[int]:
    """Five HTML pages plus records that must be skipped; returns the HTML record count."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i in range(5):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://news.example/{i}",
                "response",
                payload=io.BytesIO(_page(i)),
                http_headers=headers,
            )
            writer.write_record(record)
            if i == 1:  # an image and a redirect between the pages
                img = StatusAndHeaders(
                    "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"
                )
                writer.write_record(
                    writer.create_warc_record(
                        "https://news.example/a.png",
                        "response",
                        payload=io.BytesIO(b"\x89PNG"),
                        http_headers=img,
                    )
                )
                moved = StatusAndHeaders(
                    "301 Moved",
                    [("Content-Type", "text/html"), ("Location", "/x")],
                    protocol="HTTP/1.1",
                )
                writer.write_record(
                    writer.create_warc_record(
                        "https://news.example/old",
                        "response",
                        payload=io.BytesIO(b"<html></html>"),
                        http_headers=moved,
                    )
                )
    return list(range(5))


@pytest.mark.parametrize("gz", [False, True])
def test_html_responses_in_order(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    _write_warc(path, gz)
    docs = list(iter_warc(path, 1_000_000))
    assert all(isinstance(d, RawDocument) for d in docs)
    assert [d.url for d in docs if isinstance(d, RawDocument)] == [
        f"https://news.example/{i}" for i in range(5)
    ]
    first = docs[0]
    assert isinstance(first, RawDocument)
    assert first.kind == "html" and first.data == _page(0)
    assert first.source.startswith(f"{path}#offset=") and first.fetched_published is None


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("keep", [0.5, 0.97, -10])
def test_truncated_archive_yields_what_it_read_then_one_rejection(
    tmp_path: Path, gz: bool, keep: float
) -> None:
    full = tmp_path / "full.warc"
    _write_warc(full, gz)
    data = full.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: int(len(data) * keep)] if keep > 0 else data[: len(data) + int(keep)])
    docs = list(iter_warc(cut, 1_000_000))
    assert docs, "a rejection at least"
    *pages, last = docs
    assert all(isinstance(d, RawDocument) for d in pages)
    assert isinstance(last, Rejection) and last.reason == "truncated"
    assert "at byte" in last.detail
    complete = [d.data for d in pages if isinstance(d, RawDocument)]
    assert complete == [_page(i) for i in range(len(complete))]  # never a half page


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive\n" * 10)
    docs = list(iter_warc(path, 1_000_000))
    assert len(docs) == 1 and isinstance(docs[0], Rejection) and docs[0].reason == "truncated"


def test_oversized_payload_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    _write_warc(path, True)
    docs = list(iter_warc(path, 1000))
    assert [d.reason for d in docs if isinstance(d, Rejection)] == ["too_large"] * 5


def _write_pageless_warc(path: Path, gz: bool) -> None:
    """A crawl log without pages: a request, a metadata and a revisit record per URL."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for i in range(4):
            url = f"https://news.example/{i}"
            request = StatusAndHeaders(f"GET /{i} HTTP/1.1", [("Host", "news.example")])
            writer.write_record(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), http_headers=request
                )
            )
            writer.write_record(
                writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"outlinks: none"))
            )
            writer.write_record(writer.create_revisit_record(url, "sha1:AAAA", url, "2024-01-01"))


@pytest.mark.parametrize("gz", [False, True])
def test_archive_without_pages_says_what_it_holds(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("log.warc.gz" if gz else "log.warc")
    _write_pageless_warc(path, gz)
    docs = list(iter_warc(path, 1_000_000))
    assert len(docs) == 1 and isinstance(docs[0], Rejection)
    assert docs[0].source == str(path) and docs[0].reason == "no_article"
    assert docs[0].detail == (
        "the WARC holds 12 records (4 metadata, 4 request, 4 revisit), "
        "none a 200 response or resource with an HTML page"
    )


def test_pageless_archive_is_reported_once_and_settled(tmp_path: Path) -> None:
    from storyline.api import ingest
    from storyline.settings import Settings

    _write_pageless_warc(tmp_path / "log.warc.gz", True)
    _write_warc(tmp_path / "pages.warc", False)
    settings = Settings.resolve({"db": str(tmp_path / "s.db"), "workers": 1}, environ={})
    first = ingest([str(tmp_path)], settings=settings)[0]
    assert first.processed == 6 and first.counts["rejected:no_article"] == 1
    second = ingest([str(tmp_path)], settings=settings)[0]
    assert second.processed == 0 and second.skipped == 6  # nothing retried
