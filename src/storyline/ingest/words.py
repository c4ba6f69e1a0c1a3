"""Counting the words of a text, in scripts written with spaces between words and without."""

from __future__ import annotations

import re

__all__ = ["count_words"]

# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, Japanese kana, Han):
# a run of their characters is a phrase or a whole sentence, not one word.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
# Their punctuation (ideographic and full-width: "。", "，", "「") parts words and is none.
_UNSPACED_MARKS = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
# Words in those scripts average one to two characters (Chinese about 1.5): counting one word per
# two characters never calls a real article too short, and a stray character or two stays short.
_CHARS_PER_WORD = 2


def count_words(text: str, word: re.Pattern[str] | None = None) -> int:
    """Return how many words ``text`` holds: whitespace-separated words (or matches of ``word``)
    and, for characters of scripts without spaces, one word per two characters."""
    unspaced = len(_UNSPACED.findall(text))
    rest = _UNSPACED_MARKS.sub(" ", _UNSPACED.sub(" ", text)) if unspaced else text
    spaced = len(word.findall(rest)) if word is not None else len(rest.split())
    return spaced + (unspaced + _CHARS_PER_WORD - 1) // _CHARS_PER_WORD
