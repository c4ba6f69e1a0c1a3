"""The read stage reads the languages it is set to read and leaves others unread, with a count."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.api import run
from storyline.read.stage import reading_language
from storyline.settings import Settings
from storyline.store import Store

ENGLISH = (
    "President Emmanuel Macron met German Chancellor Olaf Scholz in Paris on Tuesday to discuss "
    'the war in Ukraine. "We are united," Macron told a news conference. The two leaders '
    "announced new military aid worth two billion euros, the Elysee said."
)
FRENCH = (
    "Le président Emmanuel Macron a rencontré mardi à Paris le chancelier allemand Olaf Scholz "
    "pour discuter de la guerre en Ukraine. « Nous sommes unis », a déclaré M. Macron lors d'une "
    "conférence de presse. Les deux dirigeants ont annoncé une nouvelle aide militaire de deux "
    "milliards d'euros. Selon l'Élysée, la rencontre a duré trois heures."
)


def _jsonl(tmp_path: Path, records: list[dict[str, str]]) -> Path:
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return data


def _mentions(db: Path) -> dict[str, int]:
    with Store(db) as store:
        rows = store.query(
            "SELECT a.id, COUNT(m.article_id) FROM articles a "
            "LEFT JOIN mentions m ON m.article_id = a.id GROUP BY a.id"
        )
        return {r[0]: r[1] for r in rows}


def test_other_languages_are_left_unread_until_asked_for(tmp_path: Path) -> None:
    records = [
        {"id": "en-1", "published": "2023-05-09", "language": "fr", "text": ENGLISH},
        {"id": "fr-1", "published": "2023-05-09", "text": FRENCH},
    ]
    data = _jsonl(tmp_path, records)
    db = tmp_path / "s.db"
    settings = Settings.resolve({"db": str(db), "workers": 1}, environ={})
    reports = {r.stage: r for r in run([str(data)], settings=settings)}
    # the text decides over a declared language: the English text declared French is read
    counts = _mentions(db)
    assert counts["en-1"] > 0 and counts["fr-1"] == 0
    assert reports["read"].counts["not read: in fr (read_languages: en)"] == 1
    # the unread article is still stored, grouped into a story and briefed
    with Store(db) as store:
        row = store.query("SELECT event_id FROM articles WHERE id = 'fr-1'")[0]
        assert row[0]
    # a second run with the same setting does nothing again
    again = {r.stage: r for r in run([str(data)], settings=settings)}
    assert again["read"].processed == 0 and not again["read"].counts
    # asking for French reads it on the next run, and only it
    both = Settings.resolve({"db": str(db), "workers": 1, "read_languages": "en,fr"}, environ={})
    third = {r.stage: r for r in run([str(data)], settings=both)}
    assert third["read"].processed == 1
    assert _mentions(db)["fr-1"] > 0


def test_a_store_read_before_languages_counted_drops_only_other_languages(tmp_path: Path) -> None:
    records = [
        {"id": "en-1", "published": "2023-05-09", "text": ENGLISH},
        {"id": "fr-1", "published": "2023-05-09", "text": FRENCH},
    ]
    data = _jsonl(tmp_path, records)
    db = tmp_path / "s.db"
    every = Settings.resolve({"db": str(db), "workers": 1, "read_languages": "*"}, environ={})
    run([str(data)], settings=every)
    # what storyline before read.v3 left: both articles read, the French one as English
    with Store(db) as store, store.transaction():
        store.execute("UPDATE stage_done SET version = 'read.v2' WHERE stage = 'read'")
    read_before = _mentions(db)
    assert read_before["fr-1"] > 0
    settings = Settings.resolve({"db": str(db), "workers": 1}, environ={})
    report = {r.stage: r for r in run([str(data)], settings=settings)}["read"]
    # the English reading stands without reading it again; the French one is withdrawn
    assert report.processed == 0
    assert report.counts["kept from read.v2"] == 1
    assert report.counts["not read: in fr (read_languages: en)"] == 1
    assert _mentions(db) == {"en-1": read_before["en-1"], "fr-1": 0}
    again = {r.stage: r for r in run([str(data)], settings=settings)}["read"]
    assert again.processed == 0 and not again.counts


def test_reading_language_prefers_the_text_and_trims_regions() -> None:
    assert reading_language(FRENCH, "en") == "fr"
    assert reading_language("Too short.", "en-GB") == "en"
    assert reading_language("Too short.", "pt_BR") == "pt"
    assert reading_language("Too short.", None) is None


def test_an_internal_error_in_one_article_leaves_the_others_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.read.timex as timex

    other = ENGLISH.replace("Macron", "Meloni").replace("Scholz", "Sanchez")
    records = [
        {"id": "ok-1", "published": "2023-05-09", "text": ENGLISH},
        {"id": "bad-1", "published": "2023-05-09", "text": other},
    ]
    data = _jsonl(tmp_path, records)
    db = tmp_path / "s.db"
    settings = Settings.resolve({"db": str(db), "workers": 1}, environ={})
    real = timex.find_dates

    def failing(text: str, published: str | None, article_id: str) -> Any:
        if article_id == "bad-1":  # a fault injected where a rule could trip on a text
            raise ValueError("invalid literal for int() with base 10: 'I'")
        return real(text, published, article_id)

    monkeypatch.setattr(timex, "find_dates", failing)
    reports = {r.stage: r for r in run([str(data)], settings=settings)}
    read = reports["read"]
    assert read.processed == 1
    assert read.failures == [
        "reading of article bad-1: ValueError: invalid literal for int() with base 10: 'I'"
    ]
    assert read.counts["articles not read (internal error)"] == 1
    counts = _mentions(db)
    assert counts["ok-1"] > 0 and counts["bad-1"] == 0
    # the later stages ran: both articles are in stories
    with Store(db) as store:
        assert all(r[0] for r in store.query("SELECT event_id FROM articles"))
    # once the fault is gone, the next run reads the article left out, and only it
    monkeypatch.setattr(timex, "find_dates", real)
    again = {r.stage: r for r in run([str(data)], settings=settings)}["read"]
    assert again.processed == 1 and not again.failures
    assert _mentions(db)["bad-1"] > 0
    # with debug set, the error stops the run with its traceback instead
    monkeypatch.setattr(timex, "find_dates", failing)
    fresh = Settings.resolve({"db": str(tmp_path / "d.db"), "workers": 1, "debug": True}, {})
    with pytest.raises(ValueError, match="base 10"):
        run([str(data)], settings=fresh)
