"""Near-duplicate articles (syndicated and lightly edited copies) with MinHash and LSH banding.

Each article's normalised words are cut into 5-word shingles and summarised by a 128-value MinHash
(datasketch). The signature is split into ``b`` bands of ``r`` rows; two articles become candidates
when any band matches exactly, so a lookup reads ``b`` band keys whatever the collection's size, and
candidates are then confirmed by the Jaccard similarity their full signatures estimate. Band keys
and signatures live in a ``BandStorage`` (in memory here; the store backs it with SQLite tables).
Exact copies are the store's job (content hash); this finds reworded paragraphs, added footers,
new headlines and cut endings.

A lookup's cost is bounded whatever the collection: robot-written stories from one template
("Shares of X rose 2.1% on Tuesday ...") are alike enough to share bands with most of the
thousands stored before them, yet are no copies, and comparing each with all of them made
ingest quadratic. So a lookup reads at most ``MAX_BUCKET`` ids from any one band bucket and
compares at most ``MAX_COMPARED`` signatures: those sharing the most bands with the new text (a
copy at Jaccard 0.8 shares about 13 of the 32 bands on average, a templated near-miss at 0.4
about one). Below both limits, which ordinary collections never reach, every candidate is
compared, exactly as before the limits.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from collections import Counter
from typing import Protocol

import numpy as np
from datasketch import MinHash

from storyline.errors import UsageError

__all__ = [
    "MAX_BUCKET",
    "MAX_COMPARED",
    "SHINGLE_SIZE",
    "BandStorage",
    "DuplicateIndex",
    "MemoryBandStorage",
    "choose_bands",
    "estimate_containment",
    "estimate_jaccard",
    "shingles",
]

SHINGLE_SIZE = 5
_MAGIC = (
    b"M2"  # signature layout version: magic, shingle count, num_perm uint32 values (crc32 shingles)
)
_HEADER = struct.Struct("<2sI")
_WORD = re.compile(r"\w+")
# datasketch 2's 32-bit affine hashing: values fit in uint32, and naming it keeps signatures stable
# if the library's default scheme changes.
_SCHEME = "affine32"
# Signatures compared per lookup at most, the candidates sharing the most bands first. The
# extraction pages, ECB+ dev (772 articles) and the examples give a lookup at most 4 candidates
# and a bucket at most 4 ids, so their links are exactly those of comparing every candidate.
MAX_COMPARED = 64
# Ids read from one band bucket per lookup at most. A bucket this full is a band the template
# of many stories fills, which says little about which of them is a copy; a copy also shares
# bands of its own words, in small buckets read whole.
MAX_BUCKET = 256


class BandStorage(Protocol):
    """Where band keys and signatures are kept; the store implements it with indexed tables."""

    def get(self, band_key: bytes) -> list[str]:
        """Article ids filed under ``band_key``."""
        ...

    def add(self, band_key: bytes, article_id: str) -> None:
        """File ``article_id`` under ``band_key``."""
        ...

    def get_signatures(self, article_ids: list[str]) -> dict[str, bytes]:
        """Stored signatures of the given ids (missing ids are left out)."""
        ...

    def put_signature(self, article_id: str, signature: bytes) -> None:
        """Keep ``signature`` for ``article_id`` (replacing any earlier one)."""
        ...


class MemoryBandStorage:
    """A ``BandStorage`` in dictionaries, for tests and one-off runs."""

    def __init__(self) -> None:
        self.bands: dict[bytes, list[str]] = {}
        self.signatures: dict[str, bytes] = {}

    def get(self, band_key: bytes) -> list[str]:
        """Article ids filed under ``band_key``."""
        return list(self.bands.get(band_key, ()))

    def get_capped(self, band_keys: list[bytes], cap: int) -> list[str]:
        """Up to ``cap`` ids filed under each band key, once per band they share."""
        return [i for key in band_keys for i in self.bands.get(key, ())[:cap]]

    def add(self, band_key: bytes, article_id: str) -> None:
        """File ``article_id`` under ``band_key`` once."""
        ids = self.bands.setdefault(band_key, [])
        if article_id not in ids:
            ids.append(article_id)

    def get_signatures(self, article_ids: list[str]) -> dict[str, bytes]:
        """Stored signatures of the given ids."""
        return {i: self.signatures[i] for i in article_ids if i in self.signatures}

    def put_signature(self, article_id: str, signature: bytes) -> None:
        """Keep ``signature`` for ``article_id``."""
        self.signatures[article_id] = signature


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[bytes]:
    """Word ``size``-shingles of the normalised text (NFKC, case-folded, punctuation dropped)."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if not words:
        return set()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def choose_bands(threshold: float, num_perm: int, recall: float = 0.95) -> tuple[int, int]:
    """Bands ``b`` and rows ``r`` (b*r <= num_perm) for candidate search at ``threshold``.

    Candidates are verified against full signatures, so a spurious candidate costs one signature
    read while a missed one loses a duplicate. The estimate itself is noisy (about +-0.035 at
    0.8 with 128 values), so pairs down to 90% of the threshold must become candidates with
    probability ``recall``; among the settings that do, the one with most rows per band (fewest
    spurious candidates) wins.
    """
    floor = 0.9 * threshold
    best = (num_perm, 1)  # one row per band: every shared value makes a candidate
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - floor**rows) ** bands >= recall:
            best = (bands, rows)
    return best


def estimate_jaccard(first: bytes, second: bytes) -> float:
    """Jaccard similarity two signatures estimate (share of equal MinHash values)."""
    count_a, values_a = _unpack(first)
    count_b, values_b = _unpack(second)
    if values_a.shape != values_b.shape:
        raise UsageError("signatures of different sizes cannot be compared")
    if count_a == 0 or count_b == 0:
        return 0.0
    return float(np.count_nonzero(values_a == values_b)) / values_a.size


def estimate_containment(first: bytes, second: bytes) -> float:
    """Share of the shorter text's shingles found in the other, from Jaccard and shingle counts.

    Useful for wire lineage: a copy cut to half its length has Jaccard 0.5 but containment 1.
    """
    similarity = estimate_jaccard(first, second)
    count_a, _ = _unpack(first)
    count_b, _ = _unpack(second)
    if similarity == 0.0:
        return 0.0
    shared = similarity * (count_a + count_b) / (1.0 + similarity)
    return min(1.0, shared / min(count_a, count_b))


class DuplicateIndex:
    """Find stored articles whose text is a near-duplicate of a new one, in sub-linear time."""

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        storage: BandStorage | None = None,
        seed: int = 1,
        max_compared: int = MAX_COMPARED,
        max_bucket: int = MAX_BUCKET,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise UsageError(f"duplicate threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.storage: BandStorage = storage if storage is not None else MemoryBandStorage()
        self.bands, self.rows = choose_bands(threshold, num_perm)
        self.max_compared, self.max_bucket = max_compared, max_bucket
        self._seed = seed
        # Permutations depend only on (num_perm, seed); computing them once makes signature() fast.
        self._permutations = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations

    def signature(self, text: str) -> bytes:
        """The packed MinHash of ``text``: 6 header bytes then ``num_perm`` little-endian uint32."""
        grams = shingles(text)
        minhash = MinHash(
            num_perm=self.num_perm,
            seed=self._seed,
            # crc32 is stable across processes and ~20x faster than datasketch's sha1 default,
            # which dominated ingest time; 32 bits is plenty to tell shingles of one text apart.
            hashfunc=zlib.crc32,
            permutations=self._permutations,
            scheme=_SCHEME,
        )
        if grams:
            minhash.update_batch(list(grams))
        values = np.asarray(minhash.hashvalues, dtype="<u4")
        return _HEADER.pack(_MAGIC, len(grams)) + values.tobytes()

    def band_keys(self, signature: bytes) -> list[bytes]:
        """The ``b`` keys a signature is filed under: band number plus a hash of its rows."""
        _count, values = _unpack(signature, self.num_perm)
        keys = []
        for band in range(self.bands):
            rows = values[band * self.rows : (band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(rows, digest_size=8).digest()
            keys.append(struct.pack(">H", band) + digest)
        return keys

    def add(self, article_id: str, signature: bytes, keys: list[bytes] | None = None) -> None:
        """Index an article; an empty text is kept out (it would match every other empty text).

        ``keys`` are the signature's band keys when already computed (ingest workers do).
        """
        count, _values = _unpack(signature, self.num_perm)
        self.storage.put_signature(article_id, signature)
        if count == 0:
            return
        keys = keys if keys is not None else self.band_keys(signature)
        add_many = getattr(self.storage, "add_many", None)
        if add_many is not None:  # one round trip instead of one per band
            add_many(keys, article_id)
            return
        for key in keys:
            self.storage.add(key, article_id)

    def query(
        self, text_or_signature: str | bytes, keys: list[bytes] | None = None
    ) -> list[tuple[str, float]]:
        """Stored articles at or above the threshold, most similar first, as (id, estimated Jaccard).

        ``keys`` are the signature's band keys when already computed.
        """
        signature = (
            self.signature(text_or_signature)
            if isinstance(text_or_signature, str)
            else text_or_signature
        )
        count, _values = _unpack(signature, self.num_perm)
        if count == 0:
            return []
        keys = keys if keys is not None else self.band_keys(signature)
        shared = Counter(self._band_members(keys))  # id -> bands shared, in first-seen order
        if not shared:
            return []
        candidates = list(shared)
        if len(candidates) > self.max_compared:
            # Stable sort: among equal counts the first seen stay first, so the choice is fixed.
            candidates = sorted(candidates, key=lambda i: -shared[i])[: self.max_compared]
        stored = self.storage.get_signatures(candidates)
        scored = [(i, estimate_jaccard(signature, stored[i])) for i in candidates if i in stored]
        matches = [(i, s) for i, s in scored if s >= self.threshold]
        return sorted(matches, key=lambda pair: (-pair[1], pair[0]))

    def _band_members(self, keys: list[bytes]) -> list[str]:
        """Ids filed under ``keys``, once per band shared, at most ``max_bucket`` per band."""
        get_capped = getattr(self.storage, "get_capped", None)
        if get_capped is not None:  # the store's and the memory storage: capped where they read
            return list(get_capped(keys, self.max_bucket))
        return [i for key in keys for i in self.storage.get(key)[: self.max_bucket]]


def _unpack(signature: bytes, num_perm: int | None = None) -> tuple[int, np.ndarray]:
    """Shingle count and MinHash values of a packed signature, checking its layout."""
    if len(signature) < _HEADER.size or signature[:2] != _MAGIC:
        raise UsageError("not a storyline MinHash signature (expected the M2 layout)")
    (_magic, count) = _HEADER.unpack_from(signature)
    values = np.frombuffer(signature, dtype="<u4", offset=_HEADER.size)
    if num_perm is not None and values.size != num_perm:
        raise UsageError(f"signature has {values.size} values, the index uses {num_perm}")
    return count, values
