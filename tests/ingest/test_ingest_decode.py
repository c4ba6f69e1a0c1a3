"""Tests for storyline.ingest.decode: encodings, BOMs, binary and empty documents."""

from __future__ import annotations

import codecs
import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import DocumentRejected
from storyline.ingest.decode import decode_bytes

CP1252_NEWS = (
    "The minister said the deal was \u201cdead\u201d \u2014 at least for now.\r\n"
    "Caf\u00e9 owner Jos\u00e9 N\u00fa\u00f1ez told Reuters: \u201cWe\u2019re closed\u2026\u201d\r\n"
)
LATIN1_NEWS = (
    "Le ministre a d\u00e9clar\u00e9 que l'accord \u00e9tait \u00ab mort \u00bb, "
    "a-t-il ajout\u00e9 \u00e0 Gen\u00e8ve.\n"
    "Prices rose 5% in Z\u00fcrich, \u00e9conomistes say.\n"
)


def test_utf8_passes_through_unchanged() -> None:
    text = "Xi met Kim in Dalian \u2014 \u201csealed in blood\u201d.\n"
    assert decode_bytes(text.encode("utf-8"), "a.txt") == text


def test_cp1252_curly_quotes_and_em_dash() -> None:
    assert decode_bytes(CP1252_NEWS.encode("cp1252"), "a.txt") == CP1252_NEWS.replace("\r\n", "\n")


def test_latin1_accents() -> None:
    assert decode_bytes(LATIN1_NEWS.encode("latin-1"), "a.txt") == LATIN1_NEWS


def test_cp1252_bytes_0x80_to_0x9f_are_punctuation_not_controls() -> None:
    data = b"He said \x93no\x94 \x97 and left.\n"
    assert decode_bytes(data, "a.txt") == "He said \u201cno\u201d \u2014 and left.\n"


def test_cyrillic_cp1251_is_detected() -> None:
    text = "Президент России заявил журналистам, что переговоры продолжатся в понедельник."
    assert decode_bytes(text.encode("cp1251"), "a.txt") == text


def test_utf8_with_a_few_stray_latin1_bytes_stays_utf8() -> None:
    # Detection took the whole text for Mac Roman: every curly quote became "‚Äú".
    utf8 = "Xi met Kim \u2014 \u201csealed in blood\u201d, a \u2018friendship\u2019.\n"
    data = utf8.encode("utf-8") + "Num\u00e9ro 13 in Z\u00fcrich\n".encode("latin-1")
    assert decode_bytes(data, "a.txt") == utf8 + "Num\u00e9ro 13 in Z\u00fcrich\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("日本語のニュース記事です。東京で会議が開かれました。「速報」" * 5, "shift_jis"),
        ("日本語のニュース記事です。東京で会議が開かれました。" * 5, "euc_jp"),
        ("中国国家主席今天在北京会见了朝鲜代表团。" * 5, "gbk"),
        ("한국 대통령은 오늘 서울에서 회담을 가졌다. " * 5, "euc_kr"),
    ],
)
def test_double_byte_encodings_are_not_taken_for_utf8_with_strays(text: str, encoding: str) -> None:
    # they form valid UTF-8 sequences by chance, far fewer than the ones they break
    assert decode_bytes(text.encode(encoding), "a.txt") == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks(encoding: str) -> None:
    text = "Caf\u00e9 talks \u201cstalled\u201d on Monday.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_bytes(data, "a.txt") == text


def test_utf16_without_bom() -> None:
    text = "Officials said the talks would resume on Monday.\n"
    assert decode_bytes(text.encode("utf-16-le"), "a.txt") == text


def test_newlines_are_normalised_and_nfc_applied() -> None:
    data = "Cafe\u0301 one\r\ntwo\rthree\u2028four".encode()
    assert decode_bytes(data, "a.txt") == "Caf\u00e9 one\ntwo\nthree\nfour"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x00\x00",
        gzip.compress(b"hello world"),
        b"plain start then \x00\x01\x02\x03 binary \x00\xff\xfe",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_is_rejected_as_not_text(data: bytes) -> None:
    with pytest.raises(DocumentRejected) as info:
        decode_bytes(data, "x.bin")
    assert info.value.reason == "not_text"
    assert "x.bin" in info.value.detail


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n ", codecs.BOM_UTF8 + b"  \n", "  \n".encode("utf-16")]
)
def test_empty_is_rejected_as_empty(data: bytes) -> None:
    with pytest.raises(DocumentRejected) as info:
        decode_bytes(data, "e.txt")
    assert info.value.reason == "empty"


def test_stray_control_characters_are_dropped() -> None:
    data = b"Officials said\x0b the talks \x07would resume on Monday after a long pause.\n"
    assert decode_bytes(data, "a.txt") == (
        "Officials said\n the talks would resume on Monday after a long pause.\n"
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_only_ever_raise_document_rejected(data: bytes) -> None:
    try:
        text = decode_bytes(data, "random.bin")
    except DocumentRejected as exc:
        assert exc.reason in {"empty", "not_text"}
        return
    assert "\x00" not in text
    assert text.strip()
    assert "\r" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_any_utf8_text_round_trips_modulo_normalisation(text: str) -> None:
    try:
        out = decode_bytes(text.encode("utf-8"), "t.txt")
    except DocumentRejected:
        return
    assert "\x00" not in out
    assert "\r" not in out
