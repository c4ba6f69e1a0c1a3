"""Publication date from the article text itself, only when the text fixes it (never a guess)."""

from __future__ import annotations

import datetime as dt
import re

from storyline.models import DateMention
from storyline.read.timex_lexicon import WEEKDAY_RE, weekday_number
from storyline.read.timex_resolve import Context, fmt_day

_FULL_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_YEAR_VALUE = re.compile(r"\d{4}(?!\d)")
_BARE_WEEKDAY = re.compile(r"XXXX-WXX-(\d)")
_TODAY = re.compile(r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight)\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_LEAD_CHARS = 400  # the lead paragraph: where news names its own day ("said on Thursday")


def infer_publication_date(text: str) -> tuple[str, str] | None:
    """Return (ISO date, evidence) when the text itself fixes its publication day, else None.

    Evidence, strongest first: a full date standing as a dateline; a full date said to be
    today (or yesterday) in its own sentence; a full date whose weekday the story also names,
    with the lead naming a later weekday of that same week ("... on Wednesday" + a caption
    "May 16, 2018" + a lead "reported on Thursday" -> 2018-05-17). Conflicting or missing
    evidence gives None, and a year is never guessed.
    """
    from storyline.read.timex import find_dates

    if not text:
        return None
    mentions = find_dates(text, None)
    full = [m for m in mentions if _FULL_DAY.fullmatch(m.value)]
    if not full:
        return None
    head = text[:300]
    for m in full:
        if m.start < 300 and _is_dateline(head, m.start, m.end):
            return m.value, f"dateline: {m.text!r}"
    votes = _today_votes(text, full)
    if len(votes) == 1:
        return next(iter(votes.items()))
    if votes:
        return None
    anchored = _weekday_anchor(mentions, full)
    if anchored is not None and _later_years(mentions, int(anchored[0][:4])) >= 2:
        # An obituary's "died on Thursday" and a background "July 1, 1971" (a Thursday) agree
        # by chance; a story that goes on to tell of later years ("In 2005, Felt revealed")
        # was not written then. One later year may be a plan ("the 2014 Oscars"), two are not.
        return None
    return anchored


def _later_years(mentions: list[DateMention], year: int) -> int:
    """How many different years after the year following ``year`` the mentions name."""
    return len(
        {
            int(m.value[:4])
            for m in mentions
            if _YEAR_VALUE.match(m.value) and int(m.value[:4]) > year + 1
        }
    )


def _today_votes(text: str, full: list[DateMention]) -> dict[str, str]:
    """Return candidate days from full dates said to be today or yesterday."""
    votes: dict[str, str] = {}
    ctx = Context(text=text, dct=None)
    for m in full:
        day = dt.date.fromisoformat(m.value)
        if not _weekday_consistent(m.text, day):
            continue
        s, e = ctx.sentence(m.start, m.end)
        sentence = text[s:e]
        if _TODAY.search(sentence):
            votes.setdefault(fmt_day(day), f"{m.text!r} with 'today' in the same sentence")
        if _YESTERDAY.search(sentence):
            nxt = day + dt.timedelta(days=1)
            votes.setdefault(fmt_day(nxt), f"{m.text!r} with 'yesterday' in the same sentence")
    return votes


def _weekday_anchor(mentions: list[DateMention], full: list[DateMention]) -> tuple[str, str] | None:
    """Return the lead's weekday placed in the week that a named full date anchors."""
    bare: dict[int, DateMention] = {}
    for m in mentions:
        hit = _BARE_WEEKDAY.fullmatch(m.value)
        if hit and not re.match(r"(?i)(?:next|last|this|coming|past)\b", m.text):
            bare.setdefault(int(hit.group(1)), m)
    lead = [m for m in mentions if m.start < _LEAD_CHARS and _BARE_WEEKDAY.fullmatch(m.value)]
    if not lead or not bare:
        return None
    lead_wd = int(lead[0].value[-1])
    answers: dict[str, str] = {}
    for m in full:
        day = dt.date.fromisoformat(m.value)
        if day.isoweekday() not in bare or not _weekday_consistent(m.text, day):
            continue  # the story must name this date's weekday for the date to anchor its week
        pub = day + dt.timedelta(days=(lead_wd - day.isoweekday()) % 7)
        answers.setdefault(
            fmt_day(pub),
            f"{m.text!r} is named as {bare[day.isoweekday()].text!r}; "
            f"the lead's {lead[0].text!r} is {fmt_day(pub)}",
        )
    if len(answers) == 1:
        return next(iter(answers.items()))
    return None


def _is_dateline(head: str, start: int, end: int) -> bool:
    """Return True when a date stands as a dateline: alone on its line or before a dash."""
    line_start = head.rfind("\n", 0, start) + 1
    before = head[line_start:start]
    after = head[end : end + 4]
    alone_before = len(before) < 60 and not re.search(r"[a-z]{3,}\s+(?:on\s+)?$", before)
    return alone_before and (
        after == "" or after[:1] in "\n" or bool(re.match(r"\s*[-—–(/]", after))
    )


def _weekday_consistent(mention: str, day: dt.date) -> bool:
    """Return False when a mention names a weekday that the date does not fall on."""
    m = re.search(WEEKDAY_RE, mention)
    return m is None or weekday_number(m.group(0)) == day.isoweekday()
