"""JSON Lines parsing: good records kept as given, every bad line a rejection, never an exception."""

from __future__ import annotations

import codecs
import io
import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from storyline.ingest.jsonl import iter_jsonl, parse_record
from storyline.ingest.sources import RawDocument, Rejection


def _run(data: bytes, cap: int = 10_000) -> list[RawDocument | Rejection]:
    return list(iter_jsonl(io.BytesIO(data), "in.jsonl", cap))


def test_records_keep_given_fields_and_line_numbers() -> None:
    lines = [
        {"id": "a1", "url": "https://x.example/1", "outlet": "X", "title": "T", "text": "Body."},
        {"html": "<p>Hi</p>", "published": "2020-01-02"},
    ]
    data = b"\n".join(json.dumps(r).encode() for r in lines) + b"\n"
    docs = _run(data)
    assert [type(d) for d in docs] == [RawDocument, RawDocument]
    first, second = docs
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.fields == lines[0] and first.kind == "record"
    assert first.url == "https://x.example/1" and first.source == "in.jsonl#line=1"
    assert second.url is None and second.source == "in.jsonl#line=2"
    assert first.data is None and first.fetched_published is None


def test_bad_lines_are_rejected_with_their_line_number() -> None:
    data = (
        b'{"text": "ok"}\n{not json\n\n[1, 2]\n{"title": "no body"}\n{"text": 5}\n{"text": "  "}\n'
    )
    docs = _run(data)
    reasons = [(d.source, d.reason) for d in docs if isinstance(d, Rejection)]
    assert reasons == [
        ("in.jsonl#line=2", "bad_json"),
        ("in.jsonl#line=4", "bad_record"),
        ("in.jsonl#line=5", "bad_record"),
        ("in.jsonl#line=6", "bad_record"),
        ("in.jsonl#line=7", "empty"),
    ]
    bad = docs[1]
    assert isinstance(bad, Rejection) and "line 2" in bad.detail
    assert isinstance(docs[0], RawDocument)


def test_metadata_of_the_wrong_kind_is_a_bad_record_but_numbers_may_be_ids_and_times() -> None:
    lines = [
        {"text": "Body.", "title": ["a", "b"]},
        {"text": "Body.", "outlet": {"name": "X"}},
        {"text": "Body.", "published": True},
        {"text": "Body.", "author": 7},
        {"text": "Body.", "id": 12345, "published": 1525737600},
    ]
    docs = _run(b"\n".join(json.dumps(r).encode() for r in lines) + b"\n")
    assert [d.detail for d in docs[:4] if isinstance(d, Rejection)] == [
        "line 1: 'title' must be a string, got list",
        "line 2: 'outlet' must be a string, got dict",
        "line 3: 'published' must be a string, got bool",
        "line 4: 'author' must be a string, got int",
    ]
    assert {d.reason for d in docs[:4] if isinstance(d, Rejection)} == {"bad_record"}
    assert isinstance(docs[4], RawDocument) and docs[4].fields == lines[4]


def test_overlong_line_is_too_large_and_the_next_line_still_reads() -> None:
    big = json.dumps({"text": "x" * 500}).encode()
    docs = _run(big + b"\n" + b'{"text": "small"}\n', cap=100)
    assert isinstance(docs[0], Rejection) and docs[0].reason == "too_large"
    assert isinstance(docs[1], RawDocument) and docs[1].source == "in.jsonl#line=2"


def test_bom_crlf_and_missing_final_newline() -> None:
    docs = _run(b'\xef\xbb\xbf{"text": "a"}\r\n{"text": "b"}')
    assert [d.fields["text"] for d in docs if isinstance(d, RawDocument)] == ["a", "b"]


def test_invalid_utf8_and_deep_nesting_are_bad_json() -> None:
    assert parse_record(b'{"text": "\xff"}', "s").reason == "bad_json"  # type: ignore[union-attr]
    deep = b"[" * 100_000 + b"]" * 100_000
    assert parse_record(deep, "s").reason == "bad_json"  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    for doc in _run(data, cap=500):
        assert isinstance(doc, RawDocument | Rejection)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                lambda inner: (
                    st.lists(inner, max_size=4)
                    | st.dictionaries(
                        st.sampled_from(["text", "html", "id", "url", "title"])
                        | st.text(max_size=5),
                        inner,
                        max_size=4,
                    )
                ),
                max_leaves=10,
            ).map(json.dumps),
        ),
        max_size=10,
    )
)
@example(["\ufeff"])
def test_random_lines_yield_one_result_per_nonblank_line(lines: list[str]) -> None:
    data = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines).encode()
    results = _run(data)
    # A byte order mark opening the file is an encoding mark, not content: a first line holding
    # only one is blank (hypothesis found '\ufeff' alone).
    expected = sum(1 for raw in data.removeprefix(codecs.BOM_UTF8).split(b"\n") if raw.strip())
    assert len(results) == expected
    for doc in results:
        if isinstance(doc, RawDocument):
            assert isinstance(doc.fields, dict)
            assert any(isinstance(doc.fields.get(k), str) for k in ("text", "html"))
