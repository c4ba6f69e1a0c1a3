"""Entity identity in the store: a run resolves full names before the lone names around them."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.api import run
from storyline.settings import Settings
from storyline.store import Store

FILLER = (
    "The meeting lasted two hours and ended without a joint statement, officials said later. "
    "Reporters waited outside the building for most of the afternoon."
)


def test_a_lone_surname_meets_the_full_names_of_its_run_whatever_came_first(
    tmp_path: Path,
) -> None:
    texts = [
        "Michelle Obama visited a school in Chicago on Monday to talk to pupils about reading.",
        # read second, before any report names Barack Obama: in one pass, "Obama" found only
        # Michelle as a candidate and became her
        "Obama told governors in Washington on Tuesday that the road plan would go ahead.",
        *(
            f"Barack Obama met governors of {state} in Washington on Wednesday to discuss roads."
            for state in ("Ohio", "Iowa", "Texas", "Utah", "Maine")
        ),
    ]
    records = [
        {"id": f"r{n}", "published": "2016-03-0" + str(n + 1), "text": f"{text} {FILLER}"}
        for n, text in enumerate(texts)
    ]
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "s.db"
    run([str(data)], settings=Settings.resolve({"db": str(db), "workers": 1}, environ={}))
    with Store(db) as store:
        rows = store.query(
            "SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.article_id = 'r1' AND m.text = 'Obama'"
        )
    assert [r[0] for r in rows] == ["Barack Obama"]
