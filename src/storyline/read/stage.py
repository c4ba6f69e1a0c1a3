"""The read stage: per-article entities, quotes and dates, in worker processes, incrementally."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from storyline.models import DateMention, EntityMention
from storyline.pipeline import Progress, StageReport
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.app import App

__all__ = ["ArticleReading", "ReadStage", "Reader", "reading_language"]

BATCH = 16  # articles per task: large enough for nlp.pipe batching, small enough to resume


@dataclass
class ArticleReading:
    """Everything read from one article."""

    article_id: str
    mentions: list[EntityMention] = field(default_factory=list)
    local_entities: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    failure: str | None = None  # the internal error that stopped this article's reading


class Reader:
    """Holds the loaded models and reads batches of articles."""

    def __init__(self, model: str, strict: bool = False) -> None:
        from storyline.link.aliases import load_alias_table
        from storyline.read.nlp import load_pipeline
        from storyline.read.quotes import QuoteExtractor

        self.nlp = load_pipeline(model)
        self.quotes = QuoteExtractor(self.nlp)
        self.aliases = load_alias_table()
        self.strict = strict  # re-raise an article's internal error instead of recording it

    def read(self, batch: list[tuple[str, str, str | None]]) -> list[ArticleReading]:
        """Read ``(article_id, text, published)`` triples.

        An internal error in one article's reading is recorded on its reading, and the batch goes
        on: one text that trips a rule must not leave a whole store unread.
        """
        out = []
        docs = self.quotes.read_pipe(text for _, text, _ in batch)
        for (article_id, text, published), doc in zip(batch, docs, strict=True):
            try:
                out.append(self._read_doc(article_id, text, published, doc))
            except Exception as exc:
                if self.strict:
                    raise
                out.append(ArticleReading(article_id, failure=f"{type(exc).__name__}: {exc}"))
        return out

    def _read_doc(
        self, article_id: str, text: str, published: str | None, doc: Any
    ) -> ArticleReading:
        from storyline.read.entities import extract_entities, resolve_speaker
        from storyline.read.timex import find_dates

        local = extract_entities(doc, article_id, self.aliases)
        mentions = sorted((m for e in local for m in e.mentions), key=lambda m: (m.start, m.end))
        quotes = []
        for quote in self.quotes.extract_doc(doc, article_id):
            record = asdict(quote)
            if quote.speaker_text and quote.speaker_span:
                found = resolve_speaker(quote.speaker_text, quote.speaker_span, mentions, text)
                record["speaker_key"] = None if found is None else found.entity_id
            quotes.append(record)
        return ArticleReading(
            article_id=article_id,
            mentions=mentions,
            local_entities=[_local_dict(e) for e in local],
            quotes=quotes,
            dates=find_dates(text, published, article_id),
        )


def reading_language(text: str, stored: str | None) -> str | None:
    """The language an article is read as: its text's, else the one stored for it, if any.

    The text decides first because pages often declare their site's language, not the
    article's; a stored ``en-GB`` counts as ``en``.
    """
    from storyline.ingest.language import detect_language

    found = detect_language(text)
    if found is None and stored:
        found = stored.strip().lower().replace("_", "-").split("-", 1)[0] or None
    return found


def _local_dict(entity: Any) -> dict[str, Any]:
    return {
        "key": entity.key,
        "name": entity.name,
        "type": entity.type,
        "names": list(entity.names),
        "roles": sorted([list(r) for r in entity.roles], key=str),
        "description": list(entity.description) if entity.description else None,
        "sex": entity.sex,
        "fallback": entity.fallback,
    }


# The Reader forked workers inherit from the parent (set only while a pool runs).
_WORKER_READER: Reader | None = None


def _read_in_worker(batch: list[tuple[str, str, str | None]]) -> list[ArticleReading]:
    assert _WORKER_READER is not None, "worker not initialised"
    return _WORKER_READER.read(batch)


@dataclass
class ReadStage:
    """Read every stored article not yet read at this version."""

    name: str = "read"
    version: str = "read.v6"
    # Readings of these versions are kept at the current one for articles in a language read:
    # read.v3 stopped reading other languages, which read.v2 read as English, and places a
    # surname the tagger took for a place with its person; read.v4 cuts a name the tagger ran
    # across a line break and keeps "Mrs. Clinton" apart, with its sex, where a report names two
    # Clintons; read.v5 takes no date from a year in a name ("Tomb Raider 2013") and reads a day
    # given as a schedule ("the launch is Tuesday", "the tour picks up February 7th") as one
    # ahead; read.v6 gives every mention of a name of several words the type most of them have
    # ("Trump Tower" is a building, not a person whose surname draws the lone "Trump"), makes a
    # person of an "organisation" beside a namesake ("Carly Fiorina" beside "Frank Fiorina"),
    # gives no lone surname to a relative named only as one, takes a quote's speaker from the
    # head of its phrase and steps over every dateline one recogniser knows. An English reading
    # lacks only such fixes, which are not worth reading a whole store again.
    kept_versions: tuple[str, ...] = ("read.v2", "read.v3", "read.v4", "read.v5")
    requires: tuple[str, ...] = ("articles",)
    provides: tuple[str, ...] = ("mentions", "quotes", "dates")

    def run(self, app: App, progress: Progress) -> StageReport:
        """Read pending articles in batches, storing each batch atomically."""
        report = StageReport(stage=self.name, version=self.version)
        store = app.store
        languages = app.settings.read_languages
        # An article left unread for its language is marked at a version naming the languages
        # read, so that changing read_languages brings it back and nothing else does.
        unread_version = f"{self.version}/not-read:{languages}"
        # Only the texts of articles not yet read at this version are loaded.
        kept = ", ".join("?" * len(self.kept_versions))
        rows = store.query(
            "SELECT a.id, a.text, a.published, a.language, (SELECT k.version FROM stage_done k "
            f"WHERE k.stage = ? AND k.key = a.id AND k.version IN ({kept})) FROM articles a "
            "WHERE a.status = 'ok' AND NOT EXISTS (SELECT 1 FROM stage_done d "
            "WHERE d.stage = ? AND d.key = a.id AND d.version IN (?, ?)) ORDER BY a.seq",
            (self.name, *self.kept_versions, self.name, self.version, unread_version),
        )
        report.skipped = store.count_done(self.name, self.version) + store.count_done(
            self.name, unread_version
        )
        todo = []
        with store.transaction():
            for article_id, text, published, stored_language, read_before in rows:
                language = reading_language(text, stored_language)
                if language is None or languages == "*" or language in languages.split(","):
                    if read_before:
                        # what the earlier version read stands: no need to read it again
                        store.mark_done(self.name, article_id, self.version)
                        report.counts[f"kept from {read_before}"] += 1
                    else:
                        todo.append((article_id, text, published))
                    continue
                # The pipeline reads one language: run over another, it finds persons in
                # place names and merges them ("Kiev" a person, a Russian name's alias
                # "Украине"). Nothing read is better than wrong entities, quotes and dates.
                _store_reading(store, ArticleReading(article_id), unread_version)
                report.counts[f"not read: in {language} (read_languages: {languages})"] += 1
        if not todo:
            return report
        batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
        for readings in self._map(app, batches):
            with store.transaction():
                for reading in readings:
                    if reading.failure is not None:
                        # Nothing is stored or marked done: the next run reads it again.
                        report.failures.append(
                            f"reading of article {reading.article_id}: {reading.failure}"
                        )
                        report.counts["articles not read (internal error)"] += 1
                        continue
                    _store_reading(store, reading, self.version)
                    report.processed += 1
                    report.counts["quotes"] += len(reading.quotes)
                    report.counts["date mentions"] += len(reading.dates)
                    report.counts["entity mentions"] += len(reading.mentions)
            progress(self.name, report.processed, len(todo))
        return report

    def _map(
        self, app: App, batches: list[list[tuple[str, str, str | None]]]
    ) -> Iterator[list[ArticleReading]]:
        reader = app.reader()
        workers = max(1, app.settings.workers)
        if workers == 1 or len(batches) < 4:
            for batch in batches:
                yield reader.read(batch)
            return
        # Forked workers inherit the loaded models instead of loading them again (seconds each).
        global _WORKER_READER
        _WORKER_READER = reader
        context = multiprocessing.get_context("fork")
        try:
            with context.Pool(workers) as pool:
                yield from pool.imap(_read_in_worker, batches)
        finally:
            _WORKER_READER = None


def _store_reading(store: Store, reading: ArticleReading, version: str) -> None:
    """Replace whatever an older version read from this article, then mark it done."""
    aid = reading.article_id
    for table in ("mentions", "local_entities", "quotes", "dates"):
        store.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
    store.conn.executemany(
        "INSERT OR IGNORE INTO mentions(article_id, start, end, text, type, local_key) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(aid, m.start, m.end, m.text, m.type, m.entity_id) for m in reading.mentions],
    )
    store.conn.executemany(
        "INSERT OR REPLACE INTO local_entities(key, article_id, data) VALUES (?, ?, ?)",
        [(e["key"], aid, json.dumps(e, ensure_ascii=False)) for e in reading.local_entities],
    )
    store.conn.executemany(
        "INSERT OR REPLACE INTO quotes(id, article_id, data) VALUES (?, ?, ?)",
        [(q["id"], aid, json.dumps(q, ensure_ascii=False)) for q in reading.quotes],
    )
    store.conn.executemany(
        "INSERT OR IGNORE INTO dates(article_id, start, end, text, type, value) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(aid, d.start, d.end, d.text, d.type, d.value) for d in reading.dates],
    )
    store.mark_done("read", aid, version)
    # What linking did with this article is stale now.
    store.execute("DELETE FROM stage_done WHERE stage = 'link.entities' AND key = ?", (aid,))
