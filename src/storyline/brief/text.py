"""Sentences, tokens and similarity: the small text toolkit every part of a brief shares.

A regex splitter keeps briefs fast and deterministic (no model load per story); it knows the
abbreviations that break naive splitters in news text ("U.S.", "Mr.", "Jan.").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

__all__ = [
    "STOPWORDS",
    "Sentence",
    "TfidfIndex",
    "canonical_number",
    "capitalised_names",
    "content_tokens",
    "cosine",
    "is_informative",
    "jaccard",
    "numbers",
    "split_sentences",
    "tokens",
]

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "st", "jr", "sr", "inc", "ltd", "co", "corp", "no", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "a.m",
    "p.m", "i.e", "e.g", "rev", "ave", "mt", "ft",
}  # fmt: skip

STOPWORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
    "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "said",
    "says", "say", "told", "according", "new", "one", "two", "may",
    "might", "must", "shall", "us", "it's", "he's", "she's", "we're", "they're", "mr", "mrs", "ms",
    "per", "via", "like", "since", "last", "next", "week", "weeks", "year", "years", "day", "days",
    "time", "times"
})  # fmt: skip

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)")
_OPENER = re.compile(r"[\"'“‘(\[]*[A-Z0-9]")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,\-]*[A-Za-z0-9]|[A-Za-z0-9]")
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozen": "12",
    "twenty": "20", "hundred": "100", "thousand": "1000", "million": "1000000",
}  # fmt: skip
_BOILERPLATE = re.compile(
    r"^(see also|share this|read more|related|advertisement|comments|sign up|subscribe|"
    r"follow us|click here|photo|image|source:)",
    re.IGNORECASE,
)
# A photo credit ("Source: Reuters /Kevin Lamarque", "Photo: AP/Jane Doe") marks a caption paragraph.
_CAPTION = re.compile(
    r"\b(?:source|photo|picture|image|credit|file photo)s?:\s*[\w .,&-]{2,40}\s*/\s*\w|"
    r"\((?:photo|picture|image):",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article with its character span (end exclusive)."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    caption: bool = False  # part of a photo caption paragraph, not of the story


def split_sentences(text: str, article_id: str = "") -> list[Sentence]:
    """Split article text into sentences with exact character offsets; paragraphs never merge."""
    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        first = len(out)
        _split_paragraph(text, para.start(), para.end(), article_id, out)
        if _CAPTION.search(para.group(0)):
            out[first:] = [replace(s, caption=True) for s in out[first:]]
    return out


def _split_paragraph(text: str, start: int, end: int, article_id: str, out: list[Sentence]) -> None:
    """Append the sentences of one paragraph ``text[start:end]`` to ``out``."""
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if _is_abbreviation(text, cursor, match.start()):
            continue
        rest = text[stop:end].lstrip()
        if rest and not _OPENER.match(rest):
            continue  # "... said the U.S. military" or lower-case continuation: not a boundary
        _append(text, cursor, stop, article_id, out)
        cursor = stop
    _append(text, cursor, end, article_id, out)


def _is_abbreviation(text: str, cursor: int, dot: int) -> bool:
    """Whether the full stop at ``dot`` closes an abbreviation or an initial."""
    if text[dot] != ".":
        return False
    word = re.search(r"([A-Za-z.]+)$", text[cursor:dot])
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and text[dot - 1].isupper())


def _append(text: str, start: int, end: int, article_id: str, out: list[Sentence]) -> None:
    """Append ``text[start:end]`` trimmed of whitespace, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(article_id, len(out), start, end, text[start:end]))


def tokens(text: str) -> list[str]:
    """Return word tokens with possessives and trailing punctuation removed."""
    out = []
    for raw in _WORD.findall(text.replace("’", "'")):
        word = raw.rstrip(".,")
        if word.lower().endswith("'s"):
            word = word[:-2]
        if word:
            out.append(word)
    return out


def _stem(word: str) -> str:
    """Crude suffix stripping so that 'meeting'/'meetings' and 'threatened'/'threatens' meet."""
    for suffix in ("ings", "ing", "ies", "ied", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def canonical_number(word: str) -> str | None:
    """Return a canonical number for a digit or number word, else None."""
    low = word.lower()
    if low in _NUMBER_WORDS:
        return _NUMBER_WORDS[low]
    digits = low.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?(st|nd|rd|th|%|m|bn|k)?", digits):
        return re.sub(r"(st|nd|rd|th)$", "", digits)
    return None


def content_tokens(text: str) -> list[str]:
    """Return lower-cased, stemmed content words and canonical numbers of ``text``."""
    out = []
    for word in tokens(text):
        num = canonical_number(word)
        if num is not None:
            out.append(num)
            continue
        low = word.lower()
        if low in STOPWORDS or len(low) < 3:
            continue
        out.append(_stem(low))
    return out


def numbers(text: str) -> set[str]:
    """Return the canonical numbers written in ``text`` (digits and number words)."""
    found = set()
    for word in tokens(text):
        for part in [word, *re.split(r"[-/–.]", word)]:  # '282-horsepower', '2017/18', 'ID.3'
            num = canonical_number(part) if part else None
            if num is not None:
                found.add(num)
    return found


def capitalised_names(text: str) -> set[str]:
    """Return lower-cased capitalised words that are not sentence-initial function words."""
    names = set()
    words = tokens(text)
    for i, word in enumerate(words):
        if not word[:1].isupper() or canonical_number(word) is not None:
            continue
        low = word.lower()
        if low in STOPWORDS and (i == 0 or low in {"the", "a", "an", "but", "and"}):
            continue
        names.add(low)
    return names


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard overlap of two token collections."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two sparse vectors that are already L2-normalised."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def is_informative(sentence: Sentence) -> bool:
    """Whether a sentence can stand in a summary: long enough, closed, not page furniture."""
    words = sentence.text.split()
    if sentence.caption or len(words) < 7 or len(words) > 80:
        return False
    if _BOILERPLATE.match(sentence.text.lstrip("\"'“‘ ")):
        return False
    if sentence.text.count("“") != sentence.text.count("”"):
        return False  # a fragment of a quotation split across sentences does not stand alone
    return sentence.text.rstrip("\"'”’)]")[-1:] in {".", "!", "?"}


class TfidfIndex:
    """TF-IDF vectors (L2-normalised) for a fixed set of token lists."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        """Compute document frequencies and one vector per document."""
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
        n = max(len(documents), 1)
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.top_idf = max(self.idf.values(), default=1.0)
        self.vectors = [self.vector(doc) for doc in documents]

    def vector(self, doc: Sequence[str]) -> dict[str, float]:
        """Return the normalised TF-IDF vector of a token list (unknown tokens get top idf)."""
        weights = {t: c * self.idf.get(t, self.top_idf) for t, c in Counter(doc).items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}
