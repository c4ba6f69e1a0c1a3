"""Tests for storyline.datelines: the dateline a lede opens on."""

from __future__ import annotations

import pytest

from storyline.datelines import dateline_length, opens_with_dateline


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("WASHINGTON (Reuters) - Scientists on Monday unveiled a map.", "WASHINGTON (Reuters) - "),
        ("HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper", "HANOI, Vietnam (AP) — "),
        ("MADRID — Rafael Nadal kept Spain's hopes alive.", "MADRID — "),
        ("NEW YORK, Dec. 11 (UPI) — The market fell.", "NEW YORK, Dec. 11 (UPI) — "),
        ("NAIROBI, Kenya (AP) _ Gunmen attacked a bus.", "NAIROBI, Kenya (AP) _ "),
        ("New York (AFP) – Susan Sarandon said.", "New York (AFP) – "),
        ("Dekalb, Ill. — Mike Glass threw for three touchdowns.", "Dekalb, Ill. — "),
        ("Hong Kong (CNN Business)A muddled view of trade talks.", "Hong Kong (CNN Business)"),
        # a name and an apposition, a score, a bracketed aside, an initialism: no dateline
        ("Buckley — who landed a key role — left the show.", ""),
        ("Heritage (1-0): Armani Sheffield 19 points.", ""),
        ("OGE Group (Israel) is an expert on light art.", ""),
        ("Today (Nov. 18), NASA announced the selection.", ""),
        ("U.S. - China talks resumed on Monday.", ""),
        ("Trump (R) said nothing.", ""),
        ("MADRID —", ""),
    ],
)
def test_dateline_length(text: str, dateline: str) -> None:
    assert text[: dateline_length(text)] == dateline


@pytest.mark.parametrize(
    ("line", "opens"),
    [
        ("WASHINGTON (AP) —", True),  # a dateline set on a line of its own
        ("MADRID — Rafael Nadal kept Spain's hopes alive.", True),
        ("Hong Kong (CNN Business)", True),
        ("Buckley — who landed a key role — left the show.", False),
        ("Trump (R) said nothing.", False),
        ("Markets rally as talks resume", False),
    ],
)
def test_a_line_opens_with_a_dateline(line: str, opens: bool) -> None:
    assert opens_with_dateline(line) is opens
