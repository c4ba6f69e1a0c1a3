"""Tests for storyline.ingest.language: ISO 639-1 codes with py3langid."""

from __future__ import annotations

import pytest

from storyline.ingest.language import detect_language, load_language_identifier


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The president said the talks would resume on Monday in Geneva.", "en"),
        ("Le président a déclaré que les négociations reprendraient lundi à Genève.", "fr"),
        ("Der Präsident sagte, die Gespräche würden am Montag in Genf fortgesetzt.", "de"),
        ("El presidente dijo que las conversaciones se reanudarían el lunes en Ginebra.", "es"),
        ("Президент заявил, что переговоры возобновятся в понедельник в Женеве.", "ru"),
    ],
)
def test_detects_common_news_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "ok", "12345 678 -- 2018", "   \n  "])
def test_too_short_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_model_is_loaded_once() -> None:
    assert load_language_identifier() is load_language_identifier()
