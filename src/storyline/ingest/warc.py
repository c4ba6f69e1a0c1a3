"""WARC and WARC.gz files -> one raw HTML document per successful HTML response record.

An archive that reads to its end without one such record (only requests, metadata, revisits or
images) ends with one ``no_article`` rejection that counts its records by type, so a run over
it says why nothing came of it instead of reporting nothing.

warcio reads a cut-off archive without complaint (the last record just comes back short), so
truncation is detected here: a record whose payload ends before its declared length, bytes left
that no record covers, or a final gzip member without its end.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from storyline.ingest.sources import RawDocument, Rejection

__all__ = ["HTML_TYPES", "iter_warc"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 16


def iter_warc(path: Path, max_document_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Yield HTML responses of a WARC file in order, then one ``truncated`` rejection if it ends
    early, or one ``no_article`` rejection if it holds no HTML response at all."""
    with path.open("rb") as stream:
        size = path.stat().st_size
        if not _starts_like_warc(stream):
            # warcio would read other text as an old ARC file and find nothing in it
            yield _truncated(str(path), 0, "not a WARC file (no WARC/1.x header)")
            return
        stream.seek(0)
        yield from _iter_stream(stream, str(path), size, max_document_bytes)


def _starts_like_warc(stream: IO[bytes]) -> bool:
    """True when the first record (decompressed if gzip) starts with a WARC version line."""
    head = stream.read(4096)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")


def _iter_stream(
    stream: IO[bytes], name: str, size: int, max_document_bytes: int
) -> Iterator[RawDocument | Rejection]:
    """Walk the records of an open archive of ``size`` bytes."""
    iterator = ArchiveIterator(stream)
    offset = 0
    kinds: Counter[str] = Counter()  # records by WARC-Type, to say what a pageless archive holds
    pages = 0  # HTML responses found, stored or refused as too large
    try:
        for record in iterator:
            kinds[str(record.rec_type)] += 1
            if not _is_html_response(record):
                offset = iterator.get_record_offset()  # reads the record to its end
                continue
            body, too_large = _read_capped(record, max_document_bytes)
            cut_short = record.raw_stream.limit > 0  # payload ended before its Content-Length
            offset = iterator.get_record_offset()  # only known once the record is read
            if cut_short:
                yield _truncated(name, offset, "record cut off before its declared length")
                return
            source = f"{name}#offset={offset}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            pages += 1
            if too_large:
                detail = f"payload larger than {max_document_bytes} bytes ({url})"
                yield Rejection(source, "too_large", detail)
                continue
            yield RawDocument(source=source, kind="html", data=body, url=url or None)
    # warcio raises many types on corrupt input (ArchiveLoadFailed, zlib.error, EOFError, even
    # AttributeError), so anything it raises here means the archive cannot be read further.
    except Exception as exc:
        where = max(offset, getattr(iterator, "offset", offset) or 0)
        yield _truncated(name, where, f"unreadable record: {type(exc).__name__}: {exc}")
        return
    end = iterator.offset or 0
    if end < size and _has_content(stream, end):
        yield _truncated(name, end, f"{size - end} trailing bytes do not form a complete record")
    elif iterator.member_info and not _gzip_member_complete(stream, iterator.member_info[0]):
        yield _truncated(name, iterator.member_info[0], "last gzip member is cut off")
    elif pages == 0:
        yield _no_pages(name, kinds)


def _is_html_response(record: Any) -> bool:
    """True for a 200 ``response`` (or a ``resource``) record whose payload is HTML."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return False
        ctype = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
    else:
        return False
    return ctype.split(";", 1)[0].strip().lower() in HTML_TYPES


def _read_capped(record: Any, cap: int) -> tuple[bytes, bool]:
    """Read a record's decoded payload up to ``cap`` bytes; drain the rest; say if it was over."""
    content = record.content_stream()
    body = content.read(cap + 1)
    if len(body) <= cap:
        return body, False
    while content.read(_CHUNK):  # drain so the iterator can find the next record
        pass
    return b"", True


def _has_content(stream: IO[bytes], offset: int) -> bool:
    """True when the bytes from ``offset`` to the end are not just padding whitespace."""
    stream.seek(offset)
    while chunk := stream.read(_CHUNK):
        if chunk.strip(b"\r\n\t \x00"):
            return True
    return False


def _gzip_member_complete(stream: IO[bytes], offset: int) -> bool:
    """True when the file is not gzip or its last member (from ``offset``) reaches its end."""
    stream.seek(offset)
    if stream.read(2) != b"\x1f\x8b":
        return True
    stream.seek(offset)
    decompressor = zlib.decompressobj(wbits=31)
    try:
        while chunk := stream.read(_CHUNK):
            decompressor.decompress(chunk, _CHUNK)  # output is discarded; bound its size
            while decompressor.unconsumed_tail:
                decompressor.decompress(decompressor.unconsumed_tail, _CHUNK)
            if decompressor.eof:
                return True
    except zlib.error:
        return False
    return decompressor.eof


def _no_pages(name: str, kinds: Counter[str]) -> Rejection:
    """The one rejection of an archive read to its end without an HTML response in it."""
    total = sum(kinds.values())
    held = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    detail = (
        f"the WARC holds {total} record{'s' if total != 1 else ''}"
        + (f" ({held})" if held else "")
        + ", none a 200 response or resource with an HTML page"
    )
    return Rejection(name, "no_article", detail)


def _truncated(name: str, offset: int, detail: str) -> Rejection:
    """The one rejection a cut-off or corrupt archive ends with."""
    return Rejection(f"{name}#offset={offset}", "truncated", f"at byte {offset}: {detail}")
