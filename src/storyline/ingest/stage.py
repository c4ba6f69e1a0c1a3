"""The ingest stage: inputs -> clean articles stored once, duplicates linked, rejections kept."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from storyline.ingest.document import Processed, process_document, rejected_article, warm_up
from storyline.ingest.sources import FileRef, RawDocument, Rejection, iter_inputs
from storyline.pipeline import Progress, StageReport
from storyline.settings import Settings
from storyline.store import ArticleStore
from storyline.store.articles import SqliteBandStorage

if TYPE_CHECKING:
    from storyline.app import App
    from storyline.ingest.dedup import DuplicateIndex

__all__ = ["IngestStage"]

BATCH = 32  # documents per transaction: a kill loses at most one uncommitted batch

# Source keys stored by earlier runs. Set before worker processes fork, so workers inherit it and
# skip an already-ingested file right after reading it, without extracting it or sending it back.
_DONE: frozenset[str] = frozenset()


class _Skipped:
    """A worker's answer for a document an earlier run already ingested."""

    __slots__ = ()


SKIPPED = _Skipped()
Result = tuple[Processed | Rejection | _Skipped, str]


@dataclass
class IngestStage:
    """Read inputs, extract and clean each document, store it once, link duplicates."""

    inputs: list[str]
    stdin: IO[bytes] | None = None
    name: str = "ingest"
    version: str = "ingest.v1"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ("articles",)
    rejected_sources: list[tuple[str, str, str]] = field(default_factory=list)

    def run(self, app: App, progress: Progress) -> StageReport:
        """Ingest every input; already-ingested sources are skipped."""
        global _DONE
        report = StageReport(stage=self.name, version=self.version)
        articles = app.articles
        done = {str(r[0]) for r in app.store.query("SELECT source FROM article_sources")}
        _DONE = frozenset(done)
        skipped: list[str] = []  # files of other types found in folders, never read
        inputs = iter_inputs(
            self.inputs,
            app.settings,
            cast(BinaryIO | None, self.stdin),
            skipped=skipped,
            defer_files=True,
        )
        index = _duplicate_index(app)
        batch: list[Result] = []
        for result in _map(_pending(inputs, done, report), app.settings):
            if isinstance(result[0], _Skipped) or result[1] in done:
                # Done by an earlier run (seen by the worker) or earlier in this run (same file
                # named twice): nothing to store.
                report.skipped += 1
                continue
            done.add(result[1])
            batch.append(result)
            if len(batch) >= BATCH:
                self._store_batch(app, articles, index, batch, report)
                progress(self.name, report.processed, None)
                batch = []
        if batch:
            self._store_batch(app, articles, index, batch, report)
        if skipped:
            report.counts[_skipped_label(skipped)] = len(skipped)
        progress(self.name, report.processed, report.processed)
        return report

    def _store_batch(
        self,
        app: App,
        articles: ArticleStore,
        index: DuplicateIndex,
        batch: list[Result],
        report: StageReport,
    ) -> None:
        with app.store.transaction():
            for result, key in batch:
                report.processed += 1
                if isinstance(result, Rejection):
                    self._store_rejection(articles, result, key, report)
                elif isinstance(result, Processed):
                    refused = _store_processed(app, articles, index, result, report)
                    if refused is not None:
                        self._store_rejection(articles, refused, key, report)

    def _store_rejection(
        self, articles: ArticleStore, rejection: Rejection, key: str, report: StageReport
    ) -> None:
        record = rejected_article(rejection.source, rejection.reason, rejection.detail)
        articles.insert(record, None)
        if rejection.reason != "extraction_failed":  # a failure of ours is retried next run
            articles.record_source(key, record.id)
        report.counts[f"rejected:{rejection.reason}"] += 1
        self.rejected_sources.append((rejection.source, rejection.reason, rejection.detail))


def _store_processed(
    app: App, articles: ArticleStore, index: DuplicateIndex, item: Processed, report: StageReport
) -> Rejection | None:
    """Store one processed article (or note it as a copy of a stored one); return why it cannot
    be stored instead, when its given id already holds another article."""
    article = item.article
    held = articles.holder(article.id)
    if held is not None:
        stored_hash, stored_source = held
        if item.given_id and stored_hash != item.content_hash:
            # Two records under one id (two exports numbering their rows alike, or a corrected
            # text): the stored article stays as it is, and this one is refused, saying why,
            # rather than dropped as if it were the same article again.
            return Rejection(
                article.source,
                "id_taken",
                f"id {article.id!r} already holds another article (from {stored_source}); "
                "this record's text differs and was not stored",
            )
        # Without a given id the id is the content hash: the same text from another source.
        articles.record_source(item.source_key, article.id)
        report.counts["already stored" if item.given_id else "identical copies"] += 1
        return None
    same = articles.by_hash(item.content_hash)
    if same is not None and not item.given_id:
        # Identical text is one article: the new source is remembered, nothing is added.
        articles.record_source(item.source_key, same)
        report.counts["identical copies"] += 1
        return None
    if item.unread_published is not None and article.detail is None:
        # Kept with the article, not only counted: the user can see which value to fix.
        article.detail = (
            f"given publication time {item.unread_published[:100]!r} is no date; "
            "dated from the text"
        )
    if same is not None:
        article.duplicate_of, article.similarity = same, 1.0
    elif item.signature is not None:
        match = _best_match(app, index, item.signature, item.band_keys)
        if match is not None and match[1] >= app.settings.duplicate_threshold:
            article.duplicate_of, article.similarity = match
    articles.insert(article, item.content_hash)
    articles.record_source(item.source_key, article.id)
    if item.signature is not None:
        if article.duplicate_of is None:
            index.add(article.id, item.signature, item.band_keys)
        else:  # copies are not indexed: a later copy links to the origin, not to another copy
            SqliteBandStorage(app.store).put_signature(article.id, item.signature)
    if article.duplicate_of is not None:
        report.counts["near-duplicates linked"] += 1
    report.counts["stored"] += 1
    if item.unread_published is not None:
        report.counts["given publication times not understood (dated from the text)"] += 1
    return None


def _best_match(
    app: App, index: DuplicateIndex, signature: bytes, keys: list[bytes] | None
) -> tuple[str, float] | None:
    candidates = index.query(signature, keys)
    best = max(candidates, key=lambda c: (c[1], c[0]), default=None)
    if best is None:
        return None
    # Link to the origin of a chain of copies, so lineage has one root.
    root = app.store.execute(
        "SELECT COALESCE(duplicate_of, id) FROM articles WHERE id = ?", (best[0],)
    ).fetchone()
    return (str(root[0]) if root else best[0]), float(best[1])


def _skipped_label(paths: list[str]) -> str:
    """The run report's line for files a folder walk left alone, naming their commonest kinds:
    a folder of PDFs should say so rather than ingest nothing without a word."""
    kinds = Counter(PurePath(p).suffix.lower() or "no extension" for p in paths)
    named = [kind for kind, _ in kinds.most_common(4)]
    more = ", …" if len(kinds) > len(named) else ""
    return f"files of other types skipped ({', '.join(named)}{more})"


def _duplicate_index(app: App) -> DuplicateIndex:
    from storyline.ingest.dedup import DuplicateIndex

    return DuplicateIndex(
        threshold=app.settings.duplicate_threshold, storage=SqliteBandStorage(app.store)
    )


def _source_key(item: RawDocument) -> str:
    payload = (
        item.data
        if item.data is not None
        else json.dumps(item.fields, sort_keys=True, default=str).encode()
    )
    return f"{item.source}#sha256={hashlib.sha256(payload).hexdigest()[:16]}"


def _rejection_key(rejection: Rejection) -> str:
    return f"{rejection.source}#rejected={rejection.reason}"


def _key(item: RawDocument | Rejection) -> str:
    return _rejection_key(item) if isinstance(item, Rejection) else _source_key(item)


Pending = tuple[RawDocument | Rejection | FileRef, str]


def _pending(
    items: Iterable[RawDocument | Rejection | FileRef], done: set[str], report: StageReport
) -> Iterator[Pending]:
    """Documents still to do; a file not read yet gets its key once a worker has read it."""
    for item in items:
        if isinstance(item, FileRef):
            yield item, ""
            continue
        key = _key(item)
        if key in done:
            report.skipped += 1
            continue
        yield item, key


def _work(settings: Settings, pair: Pending) -> Result:
    item, key = pair
    if isinstance(item, FileRef):
        item = item.read(settings.max_document_bytes)
        key = _key(item)
        if key in _DONE:
            return SKIPPED, key
    return process_document(item, settings, key), key


def _map(pending: Iterator[Pending], settings: Settings) -> Iterator[Result]:
    """Process documents in worker processes, yielding results in input order."""
    work = partial(_work, settings)
    if settings.workers <= 1:
        yield from map(work, pending)
        return
    first = [p for _, p in zip(range(4), pending, strict=False)]
    if len(first) < 4:  # a handful of documents is not worth starting processes for
        yield from map(work, first)
        return
    warm_up(settings)
    context = multiprocessing.get_context("fork")
    with context.Pool(settings.workers) as pool:
        yield from pool.imap(work, itertools.chain(first, pending), chunksize=16)
