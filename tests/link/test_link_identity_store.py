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


def _entities_of(db: Path, article_id: str, surname: str) -> dict[str, str]:
    """Honorific ('Mr.' or 'Mrs.') -> entity name of a surname's mentions in one article."""
    with Store(db) as store:
        rows = store.query(
            "SELECT a.text, m.start, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "JOIN articles a ON a.id = m.article_id WHERE m.article_id = ? AND m.text = ?",
            (article_id, surname),
        )
    found: dict[str, set[str]] = {}
    for text, start, name in rows:
        honorific = text[max(0, start - 5) : start].split()[-1] if start else ""
        found.setdefault(honorific, set()).add(name)
    return {h: names.pop() for h, names in found.items() if len(names) == 1}


def test_mr_and_mrs_of_one_surname_go_to_the_man_and_the_woman_others_call_so(
    tmp_path: Path,
) -> None:
    alone = [
        f"Hillary Clinton spoke in {city} on Monday about jobs. Mrs. Clinton said wages must "
        "rise, and Mrs. Clinton took questions from the crowd."
        for city in ("Denver", "Tampa", "Reno")
    ]
    # named last before each honorific is Bill: the last-named rule gave both to him
    both = (
        "Hillary Clinton and Bill Clinton arrived in Philadelphia on Tuesday. The former "
        "president, Bill Clinton, spoke first. Mrs. Clinton thanked the delegates, and Mr. "
        "Clinton waved from the stage while Mrs. Clinton spoke."
    )
    records = [
        {"id": f"r{n}", "published": f"2016-07-0{n + 1}", "text": f"{text} {FILLER}"}
        for n, text in enumerate([*alone, both])
    ]
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "s.db"
    run([str(data)], settings=Settings.resolve({"db": str(db), "workers": 1}, environ={}))
    assert _entities_of(db, "r3", "Clinton") == {"Mrs.": "Hillary Clinton", "Mr.": "Bill Clinton"}
