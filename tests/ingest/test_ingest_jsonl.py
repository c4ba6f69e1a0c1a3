"""JSON Lines parsing: good records kept as given, every bad line a rejection, never an exception."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

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


def test_lone_surrogate_escapes_become_replacement_characters_and_the_id_an_escape() -> None:
    # A string cut between the two halves of an emoji: valid JSON, but no valid Unicode.
    raw = (
        b'{"id": "row\\ud83d", "title": "Storm \\udc00 warning", "text": "abc \\ud800 def",'
        b' "tags": ["x\\uDFFF"], "smile": "\\ud83d\\ude00"}'
    )
    doc = parse_record(raw, "in.jsonl")
    assert isinstance(doc, RawDocument)
    assert doc.fields["text"] == "abc \ufffd def"
    assert doc.fields["title"] == "Storm \ufffd warning"
    assert doc.fields["tags"] == ["x\ufffd"]
    assert doc.fields["smile"] == "\U0001f600"  # a whole pair is one character, kept
    assert doc.fields["id"] == "row\\ud83d"  # an id keeps which character it was
    json.dumps(doc.fields, ensure_ascii=False).encode("utf-8")  # storable as UTF-8 now


def test_a_record_with_a_lone_surrogate_is_stored_once_and_settled(tmp_path: Path) -> None:
    from storyline.api import ingest
    from storyline.settings import Settings
    from storyline.store import Store

    body = "the mayor said on Monday that the new bridge would open next spring after delays"
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": "r\\ud800", "title": "Bridge \\udfff", "text": "abc \\ud800 ' + body.encode()
        + b'"}\n{"id": "r\\ud801", "text": "' + body.encode() + b' again"}\n'
    )  # fmt: skip
    settings = Settings.resolve({"db": str(tmp_path / "s.db"), "workers": 1}, environ={})
    first = ingest([str(source)], settings=settings)[0]
    assert first.counts["stored"] == 2 and not any(k.startswith("rejected") for k in first.counts)
    second = ingest([str(source)], settings=settings)[0]
    assert second.counts["stored"] == 0 and second.skipped == 2  # nothing left to retry
    with Store(tmp_path / "s.db") as store:
        rows = store.query("SELECT id, title, text FROM articles ORDER BY id")
        assert [tuple(r) for r in rows] == [
            ("r\\ud800", "Bridge \ufffd", f"abc \ufffd {body}"),
            ("r\\ud801", None, f"{body} again"),
        ]
