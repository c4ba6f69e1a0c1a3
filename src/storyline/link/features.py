"""Sparse features of an article for clustering: words, names, numbers and dates, with streaming IDF."""

from __future__ import annotations

import gzip
import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

__all__ = [
    "DocFreq",
    "FeatureWeights",
    "article_features",
    "dateline_day",
    "extract_dates",
    "extract_names",
    "lead_line",
    "load_background",
    "parse_day",
    "tokenize",
    "weekday_factor",
]


def _words(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps long lists readable)."""
    return text.split()


# A short English stop list: function words and newsroom filler that say nothing about the happening.
STOPWORDS = frozenset(
    _words(
        """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each few
        for from further had has have having he her here hers herself him himself his how i if in
        into is it its itself just me more most my myself no nor not now of off on once only or
        other our ours ourselves out over own same she should so some such than that the their
        theirs them themselves then there these they this those through to too under until up
        very was we were what when where which while who whom why will with would you your yours
        yourself yourselves said says say told tells according one two three new like get got may
        might must shall mr mrs ms dr it's that's there's year years day days time week weeks
        month months today yesterday tomorrow monday tuesday wednesday thursday friday saturday
        sunday last next first people including since around back still even well much many ago
        via per reported report reports news percent"""
    )
)
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        _words(
            "january february march april may june july august september october november december"
        )
    )
}
MONTHS.update({m[:3]: n for m, n in list(MONTHS.items())})
MONTHS["sept"] = 9

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")
_SENT_END = re.compile(r"[.!?]\s+|\n")
_NAME_WORD = re.compile(r"[A-Z][a-zA-Z'’\-]+|[A-Z]\.?")
_CAP_SEQ = re.compile(
    r"(?<![\w])(?:[A-Z][a-zA-Z'’\-]*\.?)(?:\s+(?:(?:of|de|van|von|al|bin|the|and|for)\s+)?"
    r"[A-Z][a-zA-Z'’\-]*\.?)*"
)
_DATE_PATTERNS = [
    # 2013-05-03, 2013/05/03
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})\b"),
    # May 3, 2013 / May 03 2013
    re.compile(
        r"\b(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"
    ),
    # 3 May 2013
    re.compile(
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Z][a-z]{2,8})\.?,?\s+(?P<y>(?:19|20)\d\d)\b"
    ),
    # 06/06/13 (US order, two-digit year)
    re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<yy>\d\d)\b"),
]


_TIMEX_DAY = re.compile(r"(\d{4}|XXXX)-(\d\d-\d\d)")


def tokenize(text: str) -> list[str]:
    """Return lowercase content words of ``text`` (stop words dropped, plurals folded)."""
    out = []
    for tok in _WORD.findall(text):
        low = tok.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if low in STOPWORDS or len(low) < 2 or low[0].isdigit():
            continue
        out.append(_stem(low))
    return out


def _stem(word: str) -> str:
    """Fold the commonest English inflections so 'attacks' and 'attacked' meet 'attack'."""
    if len(word) > 4:
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith(("sses", "shes", "ches")):
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return word[:-1]
        if word.endswith("ing") and len(word) > 6:
            return word[:-3]
        if word.endswith("ed") and len(word) > 5:
            return word[:-2]
    return word


_NAME_GLUE = frozenset(_words("the a an and of for to in on at by with from as"))


def lead_line(text: str, max_chars: int = 300) -> str:
    """Return the first line of ``text``, or its first sentence when that line is longer than
    ``max_chars`` (a text that never breaks its lines has no lead paragraph to take)."""
    line = text.lstrip().split("\n", 1)[0]
    if len(line) <= max_chars:
        return line
    return _SENT_END.split(line, 1)[0][:max_chars]


def extract_names(text: str) -> list[str]:
    """Return capitalised name sequences (a cheap stand-in for named-entity recognition)."""
    spans: list[tuple[bool, list[str]]] = []
    for line in _SENT_END.split(text):
        lead = len(line) - len(line.lstrip())
        for m in _CAP_SEQ.finditer(line):
            words = [re.sub(r"['’]s$", "", w.rstrip(".")) for w in m.group(0).split()]
            while words and words[0].lower() in _NAME_GLUE:
                words = words[1:]
            while words and words[-1].lower() in _NAME_GLUE:
                words = words[:-1]
            if words:
                spans.append((m.start() == lead and len(words) == 1, words))
    # A lone capitalised word opening a sentence counts only when the text also capitalises it
    # mid-sentence: "Lohan was..." is a name, "Police said..." is not.
    inner = {w for first, words in spans if not first for w in words}
    names = []
    for first, words in spans:
        if first and words[0] not in inner:
            continue
        if len(words) == 1 and (words[0].lower() in STOPWORDS or words[0].lower() in MONTHS):
            continue
        names.append(" ".join(words))
    return names


_MONTH_DAY = re.compile(
    r"\b(?P<mon>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*)\.?\s+"
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b"
)


def month_days(text: str) -> list[str]:
    """Return ``MM-DD`` for each month-and-day written in ``text`` (with or without a year)."""
    out = []
    for m in _MONTH_DAY.finditer(text):
        month = MONTHS.get(
            m.group("mon").lower()[:3] if m.group("mon").lower() != "sept" else "sep"
        )
        day = int(m.group("d"))
        if month and 1 <= day <= 31:
            out.append(f"{month:02d}-{day:02d}")
    return out


def parse_day(value: str | None) -> int | None:
    """Return the day number (proleptic ordinal) of an ISO date or timestamp, or None."""
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).toordinal()
    except ValueError:
        return None


def extract_dates(text: str) -> list[str]:
    """Return ISO dates (YYYY-MM-DD) written explicitly in ``text``, in order of appearance."""
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            year = 2000 + int(g["yy"]) if g.get("yy") else int(g["y"])
            if g.get("mon"):
                month = MONTHS.get(g["mon"].lower().rstrip("."))
                if month is None:
                    continue
            else:
                month = int(g["m"])
            try:
                day = date(year, month, int(g["d"]))
            except ValueError:
                continue
            found.append((m.start(), day.isoformat()))
    return [d for _, d in sorted(found)]


def dateline_day(text: str, lines: int = 4, max_len: int = 80) -> int | None:
    """Return the day of a date printed on a short line near the top (a dateline), or None.

    Stands in for a publication date when none is known; a date inside a long sentence is
    more often a reported one (a birth date, an earlier case) and is not used.
    """
    for line in text.split("\n", lines)[:lines]:
        if len(line) <= max_len and not _is_sentence(line):
            found = extract_dates(line)
            if found:
                return parse_day(found[0])
    return None


_LOWER_WORD = re.compile(r"(?<![\w'])[a-z]{2,}\b")


def _is_sentence(line: str) -> bool:
    """A short line that is a sentence ("Page was born on April 22, 1923."), not a dateline.

    A dateline carries a few labels at most ("Posted on ... at 3:39 PM"); a sentence ends
    with a stop and tells something in lower-case words, and its date is often a background one.
    """
    return line.rstrip()[-1:] in ".:!?" and len(_LOWER_WORD.findall(line)) >= 4


@dataclass
class DocFreq:
    """Document frequencies learned as articles stream in, on top of a background corpus."""

    n_docs: int = 0
    df: dict[str, int] = field(default_factory=dict)
    background_n: int = 0
    background: Mapping[str, int] = field(default_factory=dict)

    def idf(self, feature: str) -> float:
        """Return a smoothed inverse document frequency for ``feature``."""
        n = self.n_docs + self.background_n
        d = self.df.get(feature, 0) + self.background.get(feature, 0)
        return math.log((n + 1) / (d + 1)) + 1.0

    def add(self, features: Iterable[str]) -> None:
        """Count one document holding ``features`` (each counted once)."""
        self.n_docs += 1
        df = self.df
        for f in set(features):
            df[f] = df.get(f, 0) + 1


@dataclass(frozen=True)
class FeatureWeights:
    """How much each kind of feature counts relative to an ordinary word."""

    word: float = 0.5
    # A full name (two or more words) on top of its name tokens and words: kept at half weight,
    # since its words already count three times over, and the actors are what two happenings of
    # one kind most often share (one team's two arrests, one company's two patches).
    name: float = 0.5
    name_token: float = 0.5
    number: float = 2.0
    date: float = 2.0
    title: float = 1.0  # extra term frequency for words of the title
    weekday: float = 0.5  # the weekday named first in the lead (the day it happened)


def article_features(
    text: str,
    title: str | None,
    entities: list[str] | None,
    dates: list[str],
    weights: FeatureWeights,
) -> dict[str, float]:
    """Return raw (pre-IDF) feature strengths: log term frequency times the kind's weight."""
    tf: dict[str, float] = defaultdict(float)
    body = f"{title}\n{text}" if title else text
    for tok in tokenize(body):
        tf["w:" + tok] += 1
    if title:
        for tok in tokenize(title):
            tf["w:" + tok] += weights.title
    names = entities if entities else extract_names(body)
    ntf: dict[str, float] = defaultdict(float)
    for name in names:
        key = " ".join(name.lower().split())
        if not key:
            continue
        parts = key.split()
        if len(parts) > 1:
            ntf["e:" + key] += 1
        for part in parts:
            if part not in STOPWORDS and len(part) > 1:
                ntf["t:" + part] += 1
    # The day of a written date is a date feature, not a number: "May 3" must not match "3 dead".
    undated = _MONTH_DAY.sub(" ", body)
    for num in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])", undated):
        norm = num.replace(",", "")
        if len(norm) > 1 or norm not in "0123456789":
            tf["n:" + norm] += 1
    for d in dates:
        # TIMEX values: calendar dates count, as do year-less ones (XXXX-05-03); durations,
        # sets and vague references (P6W, PRESENT_REF) say nothing about which happening it is.
        m = _TIMEX_DAY.match(d)
        if m:
            tf["d:" + (m.group(2) if m.group(1) == "XXXX" else d[:10])] += 1
    for md in month_days(body):
        tf["d:" + md] += 1
    out: dict[str, float] = {}
    for feat, count in tf.items():
        kind = feat[0]
        w = {"w": weights.word, "n": weights.number, "d": weights.date, "m": weights.date}[kind]
        out[sys.intern(feat)] = (1.0 + math.log(count)) * w
    if weights.weekday:
        wd = lead_weekday(text)
        if wd:
            out["k:" + wd] = weights.weekday
    for feat, count in ntf.items():
        w = weights.name if feat[0] == "e" else weights.name_token
        out[sys.intern(feat)] = out.get(feat, 0.0) + (1.0 + math.log(count)) * w
    return out


_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def lead_weekday(text: str, sentences: int = 1, min_len: int = 80) -> str | None:
    """Return the weekday named in the lead sentence (short title and dateline lines skipped)."""
    seen = 0
    for line in text.split("\n"):
        if len(line) < min_len:
            continue
        m = _WEEKDAY.search(line)
        if m:
            return m.group(1).lower()
        seen += 1
        if seen >= sentences:
            break
    return None


def weekday_factor(
    weekday: str | None, centroid: Mapping[str, float], penalty: float, slack: int
) -> float:
    """Return the likeness factor for an article whose lead names ``weekday`` (a ``k:`` feature)
    against an event whose members' leads named the weekdays in ``centroid``.

    "Met on Tuesday" and "met on Thursday" are two meetings, however alike their words (and an
    article without a date can still tell its day this way): the factor is ``penalty`` when the
    event's leads named only other days, 1.0 otherwise. Days ``slack`` or fewer apart do not
    count as a disagreement.
    """
    if weekday is None or weekday in centroid:
        return 1.0
    named = [k for k in centroid if k[0] == "k"]
    if not named:
        return 1.0
    # A happening late one day is told as the next day's ("late Friday", "early Saturday"), and
    # follow-ups lead with the day after: only days further apart tell two happenings apart.
    mine = _WEEKDAYS.get(weekday[2:])
    for k in named:
        other = _WEEKDAYS.get(k[2:])
        if mine is not None and other is not None:
            apart = (mine - other) % 7
            if min(apart, 7 - apart) <= slack:
                return 1.0
    return penalty


_WEEKDAYS = {
    day: i
    for i, day in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}


def load_background() -> tuple[int, dict[str, int]]:
    """Return (documents, document frequencies) of the bundled background corpus, or (0, {})."""
    try:
        ref = resources.files("storyline.link").joinpath("data/background_df.json.gz")
        with ref.open("rb") as fh, gzip.open(fh, "rt", encoding="utf-8") as gz:
            data = json.load(gz)
    except (FileNotFoundError, OSError):
        return 0, {}
    return int(data["n_docs"]), {sys.intern(k): int(v) for k, v in data["df"].items()}
