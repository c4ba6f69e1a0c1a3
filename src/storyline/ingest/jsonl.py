"""JSON Lines records (files and standard input) -> raw documents, one rejection per bad line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from storyline.ingest.sources import RawDocument, Rejection

__all__ = ["iter_jsonl", "parse_record"]

# Fields whose value must be a string when given; anything else makes the record unusable.
_BODY_FIELDS = ("text", "html")
# Metadata given with the text, which wins over what is inferred: a list or an object there is no
# title or date, and storing its printed form ("['a', 'b']") would be wrong. An id may also be a
# number (many exports number their rows), and a publication time a Unix timestamp.
_META_FIELDS = ("id", "url", "outlet", "title", "author", "published", "language")
_NUMBER_FIELDS = ("id", "published")
# JSON may spell a UTF-16 surrogate as an escape ("\\ud800") without its other half, usually a
# string an exporter cut between the two halves of an emoji. Python keeps it as a lone surrogate,
# which no UTF-8 codec, hash or SQLite column accepts. Raw UTF-8 bytes cannot carry one (strict
# decoding refuses them first), so only a line with such an escape needs looking at.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads has already joined real pairs


def iter_jsonl(
    stream: BinaryIO, source: str, max_line_bytes: int
) -> Iterator[RawDocument | Rejection]:
    """Yield one document or rejection per non-blank line of ``stream``; never raises on content."""
    line_no = 0
    while True:
        line_no += 1
        line_source = f"{source}#line={line_no}"
        # Read at most one byte past the cap so a huge line is never held in memory whole.
        raw = stream.readline(max_line_bytes + 1)
        if not raw:
            return
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield Rejection(
                line_source, "too_large", f"line {line_no} is longer than {max_line_bytes} bytes"
            )
            continue
        if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte order mark written by some Windows tools
        if not raw.strip():
            continue
        yield parse_record(raw, line_source, line_no)


def parse_record(raw: bytes, source: str, line_no: int = 1) -> RawDocument | Rejection:
    """Parse one JSON Lines line into a record document, or say why it is unusable."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Rejection(source, "bad_json", f"line {line_no}: not UTF-8 ({exc.reason})")
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        return Rejection(source, "bad_json", f"line {line_no}: {exc}")
    except RecursionError:
        return Rejection(source, "bad_json", f"line {line_no}: nested too deeply")
    if not isinstance(value, dict):
        kind = type(value).__name__
        return Rejection(source, "bad_record", f"line {line_no}: expected an object, got {kind}")
    if _SURROGATE_ESCAPE.search(raw):
        try:
            value = _repair_surrogates(value)
        except RecursionError:  # as deep as json.loads allows, with our frames on top
            return Rejection(source, "bad_json", f"line {line_no}: nested too deeply")
    present = [name for name in _BODY_FIELDS if value.get(name) is not None]
    if not present:
        return Rejection(source, "bad_record", f"line {line_no}: record has no 'text' or 'html'")
    for name in (*_BODY_FIELDS, *_META_FIELDS):
        field = value.get(name)
        if field is None or isinstance(field, str):
            continue
        number = isinstance(field, int | float) and not isinstance(field, bool)
        if not (number and name in _NUMBER_FIELDS):
            kind = type(field).__name__
            return Rejection(
                source, "bad_record", f"line {line_no}: '{name}' must be a string, got {kind}"
            )
    if not any(value[name].strip() for name in present):
        return Rejection(source, "empty", f"line {line_no}: 'text'/'html' is blank")
    url = value.get("url")
    return RawDocument(
        source=source,
        kind="record",
        fields=value,
        url=url if isinstance(url, str) and url else None,
    )


def _repair_surrogates(record: dict[str, Any]) -> dict[str, Any]:
    """The record with every lone surrogate replaced, in keys and values at any depth.

    The record is kept rather than refused: one broken character is no reason to lose an
    article, and U+FFFD is what a file's undecodable bytes become too (``decode_bytes``). The
    ``id`` is the exception: it names the article, so it takes a visible escape instead
    ("x\\ud800"), which keeps two ids that differ only in their broken character apart.
    """
    repaired: dict[str, Any] = _replace_surrogates(record)
    given_id = record.get("id")
    if isinstance(given_id, str):
        repaired["id"] = given_id.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return repaired


def _replace_surrogates(value: Any) -> Any:
    """``value`` with lone surrogates in its strings, keys included, replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def _skip_rest_of_line(stream: BinaryIO, chunk: int = 1 << 16) -> None:
    """Discard bytes up to and including the next newline, in bounded chunks."""
    while True:
        part = stream.readline(chunk)
        if not part or part.endswith(b"\n"):
            return
