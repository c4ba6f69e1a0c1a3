"""Bytes to clean Unicode text: refuse binary and empty documents, pick the right encoding."""

from __future__ import annotations

import codecs
import re
import unicodedata

from storyline.errors import DocumentRejected

__all__ = ["decode_bytes"]

# Signatures of formats that are never article text. Each is long or specific enough that a plain
# text file cannot begin with it by accident (no bare "BM" or "ID3", which start ordinary words).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a zip archive (or an Office/EPUB document)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh91AY&SY", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "a Windows executable"),
    (b"SQLite format 3\x00", "a SQLite database"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
)

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters other than tab and newline; form feed and vertical tab become newlines first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_C1 = re.compile(rb"[\x80-\x9f]")

_MAX_CONTROL_SHARE = 0.02  # real text has almost none; binary has ~10% or more
_MAX_REPLACEMENT_SHARE = 0.05  # undecodable bytes beyond this mean it is not text in any encoding
_DETECT_BYTES = 100_000  # charset detection on a long prefix is as good as on the whole, and faster
_UTF8_MAJORITY = 2  # valid UTF-8 characters per broken sequence that make a text UTF-8


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a document's bytes to NFC text with "\\n" newlines, or raise DocumentRejected."""
    if not data.strip():
        raise DocumentRejected("empty", f"{source} has no content")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DocumentRejected("not_text", f"{source} is {what}, not text")
    if data[4:8] == b"ftyp" or (data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE")):
        raise DocumentRejected("not_text", f"{source} is a media file, not text")
    text = _decode(data, source)
    text = _NEWLINES.sub("\n", text)
    _reject_binary_looking(text, source)
    text = _CONTROL.sub("", text).replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise DocumentRejected("empty", f"{source} holds only whitespace")
    return text


def _decode(data: bytes, source: str) -> str:
    """Pick the encoding: a BOM, UTF-16 by its zero bytes, strict UTF-8, else detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise DocumentRejected("not_text", f"{source} contains NUL bytes (binary data)")
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors=_STRAY_BYTES)
    return data.decode(_detect_legacy_encoding(data), errors="replace")


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 text with a few stray bytes of another encoding (a pasted "é" in Latin-1).

    Detection would take such text for one legacy encoding and garble every character outside
    ASCII ("“" -> "‚Äú"). Text in a legacy encoding forms valid UTF-8 sequences only by chance:
    Western and Cyrillic code pages almost never, double-byte ones (Shift_JIS, GBK, EUC-KR) for at
    most a third as many characters as they break. Twice as many valid as broken is UTF-8.
    """
    text = data[:_DETECT_BYTES].decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    return valid >= _UTF8_MAJORITY * broken


def _stray_bytes(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 cannot as Windows-1252, the usual encoding of stray bytes."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", errors="replace"), error.end


_STRAY_BYTES = "storyline-stray-bytes"
codecs.register_error(_STRAY_BYTES, _stray_bytes)


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when the zero bytes sit in one half of each pair (ASCII-ish)."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros = sample[0 : pairs * 2 : 2].count(0)
    odd_zeros = sample[1 : pairs * 2 : 2].count(0)
    if odd_zeros >= 0.4 * pairs and even_zeros <= 0.02 * pairs:
        return "utf-16-le"
    if even_zeros >= 0.4 * pairs and odd_zeros <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _detect_legacy_encoding(data: bytes) -> str:
    """Detect a non-UTF-8 encoding; Windows-1252 wins whenever it decodes about as coherently.

    charset-normalizer often names cp1250 or a Mac code page for short Western text (turning "ñ"
    into "ń"); news in a legacy encoding is overwhelmingly Windows-1252 or Latin-1, and cp1252 is a
    superset of Latin-1's printable range that also maps 0x80-0x9F to curly quotes and dashes.
    """
    from charset_normalizer import from_bytes  # imported on use: only legacy-encoded files need it

    matches = list(from_bytes(data[:_DETECT_BYTES]))
    if not matches:
        return "cp1252"
    best = matches[0]
    for match in matches:
        if match.encoding in ("cp1252", "latin_1") or "cp1252" in match.could_be_from_charset:
            # a tie (or near tie) in coherence goes to cp1252; clearly better languages win
            if match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.02:
                return "cp1252"
            break
    encoding = best.encoding
    if encoding in ("latin_1", "iso8859_15") and _C1.search(data):
        return "cp1252"  # 0x80-0x9F are control codes in Latin-1, punctuation in cp1252
    return encoding


def _reject_binary_looking(text: str, source: str) -> None:
    """Raise not_text when too many characters are control codes or replacement characters."""
    if not text:
        return
    sample = text[:20_000]
    controls = len(_CONTROL.findall(sample))
    if controls > _MAX_CONTROL_SHARE * len(sample) + 1:
        raise DocumentRejected(
            "not_text", f"{source} is mostly control characters ({controls} in {len(sample)})"
        )
    replaced = sample.count("\ufffd")
    if replaced > _MAX_REPLACEMENT_SHARE * len(sample) + 1:
        raise DocumentRejected(
            "not_text", f"{source} has {replaced} undecodable bytes in {len(sample)} characters"
        )
