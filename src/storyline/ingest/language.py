"""The language of an article's text (ISO 639-1), with py3langid loaded once on first use."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["detect_language", "load_language_identifier"]

_MIN_LETTERS = 20  # fewer letters than a short sentence give no reliable answer
_MIN_PROBABILITY = 0.5  # below this the text is mixed or too odd to label
_SAMPLE_CHARS = (
    3000  # the opening paragraphs decide as well as the whole, at a fraction of the cost
)


@lru_cache(maxsize=1)
def load_language_identifier() -> Any:
    """Return py3langid's identifier with normalised probabilities, loading the model once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of ``text``'s language, or None when it is too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    code, probability = load_language_identifier().classify(sample)
    if probability < _MIN_PROBABILITY:
        return None
    return str(code)
