"""Reading stored records back: quotes carry their speakers' current entity names."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.api import run
from storyline.render.export import iter_records
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.reads import load_quotes

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_a_quote_names_its_speaker_as_the_entity_is_now_called(tmp_path: Path) -> None:
    # A quote stored when its article was linked named the speaker as the entity was then
    # called; a later report can settle another name ("OBAMA" became "Obama").
    db = tmp_path / "s.db"
    run([str(EXAMPLES)], settings=Settings.resolve({"db": str(db), "workers": 1}, environ={}))
    with Store(db) as store:
        row = store.query(
            "SELECT article_id, json_extract(data, '$.speaker.id') FROM quotes "
            "WHERE json_extract(data, '$.speaker.id') IS NOT NULL LIMIT 1"
        )[0]
        article_id, speaker = row[0], row[1]
        with store.transaction():
            store.execute("UPDATE entities SET name = 'Renamed Speaker' WHERE id = ?", (speaker,))
        quotes = [q for q in load_quotes(store, [article_id]) if q.speaker]
        exported = [
            q
            for q in iter_records(store, "quotes")
            if (q.get("speaker") or {}).get("id") == speaker
        ]
        stored = store.query(
            "SELECT data FROM quotes WHERE json_extract(data, '$.speaker.id') = ?", (speaker,)
        )
    assert {q.speaker["name"] for q in quotes if q.speaker["id"] == speaker} == {"Renamed Speaker"}
    assert exported and {q["speaker"]["name"] for q in exported} == {"Renamed Speaker"}
    assert all(json.loads(r[0])["speaker"]["name"] != "Renamed Speaker" for r in stored)
