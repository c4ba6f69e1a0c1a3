"""Word counts for the short-text rule, in scripts with and without spaces between words."""

from __future__ import annotations

import re

from storyline.ingest.words import count_words


def test_spaced_text_counts_whitespace_words() -> None:
    assert count_words("Parliament approved the budget on Tuesday.") == 6
    assert count_words("") == 0
    assert count_words("Budget - approved!", re.compile(r"\w+")) == 2  # a pattern skips the dash


def test_unspaced_scripts_count_one_word_per_two_characters() -> None:
    assert count_words("你好") == 1
    assert count_words("你好。") == 1  # punctuation is no word
    assert count_words("习近平在大连会见金正恩") == 6  # 11 characters
    assert count_words("北京时间5月8日") == 5  # 6 characters and the figures 5 and 8
    assert count_words("中国の習近平国家主席は8日") == 7  # kana and Han alike
    assert count_words("Xi 习近平 met Kim") == 5  # mixed: three spaced words and three characters
