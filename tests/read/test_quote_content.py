"""Content placement for quotes on hand-made token views: clause ends, continuations, quotations
that run past the sentence of their cue."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.read.quote_content import (
    CLAUSE_END_BONUS,
    content_fragments,
    end_candidates,
    side_frame,
    start_candidates,
    trim_edges,
)
from storyline.read.quote_features import TokenView


@pytest.fixture(scope="module")
def nlp() -> object:
    """A blank English tokenizer: the content rules need tokens and rule sentences only."""
    import spacy

    return spacy.blank("en")


def view(nlp: object, text: str) -> TokenView:
    return TokenView.from_doc(nlp(text))  # type: ignore[operator]


def find(v: TokenView, word: str, start: int = 0) -> int:
    return v.words.index(word, start)


def texts(v: TokenView, frags: list[tuple[int, int]]) -> list[str]:
    return [v.text[v.starts[a] : v.ends[b - 1]] for a, b in frags]


def test_end_candidates_allow_one_word_object_and_skip_repeats(nlp: object) -> None:
    v = view(nlp, "The union endorsed Trump, which surprised many, and later Cruz.")
    a = find(v, "Trump")
    b = find(v, ".")
    cands = end_candidates(v, a, b)
    # "Trump" alone can be the content; ", which" and ", and" give the same content once
    assert cands[:-1] == [a + 1, find(v, ",", a + 2)]
    assert cands[-1] == b


def test_continuation_kept_before_next_paragraph_speaker(nlp: object) -> None:
    text = '"They\'re worried," Carson said. "There is no question about it."\n\nCarson spoke.'
    v = view(nlp, text)
    c0 = find(v, "said")
    src = find(v, "Carson")
    later = find(v, "Carson", c0)
    cores = [(src, c0 + 1), (later, later + 2)]  # another attribution opens the next paragraph
    frags = content_fragments(v, (c0, c0 + 1), (src, src + 1), cores, (src, c0 + 1))
    assert texts(v, frags) == ['"They\'re worried,"', '"There is no question about it."']


def test_continuation_left_open_for_the_next_quoted_paragraph(nlp: object) -> None:
    # the newsroom convention: a quoted paragraph has no closing mark when the next paragraph
    # goes on quoting; the continuation ends with its paragraph
    text = (
        "“Trump says things,” Rubio said. “But presidents can’t. It has consequences.\n\n"
        "“I am not interested,” he continued."
    )
    v = view(nlp, text)
    c0 = find(v, "said")
    src = find(v, "Rubio")
    later = find(v, "continued")
    cores = [(src, c0 + 1), (later - 1, later + 1)]
    frags = content_fragments(v, (c0, c0 + 1), (src, src + 1), cores, (src, c0 + 1))
    assert texts(v, frags) == ["“Trump says things,”", "“But presidents can’t. It has consequences"]


def test_continuation_not_claimed_by_a_cue_opening_the_next_sentence(nlp: object) -> None:
    text = "“Jobs are leaving,” Trump said. “That is my wheelhouse.” He said, twice, that he would."
    v = view(nlp, text)
    c0 = find(v, "said")
    he = find(v, "He")
    cores = [(c0 - 1, c0 + 1), (he, he + 2)]
    frags = content_fragments(v, (c0, c0 + 1), (c0 - 1, c0), cores, (c0 - 1, c0 + 1))
    assert texts(v, frags) == ["“Jobs are leaving,”", "“That is my wheelhouse.”"]
    # a quotation that ends with a comma is the next cue's own ("…,” he said)
    v = view(nlp, text.replace("wheelhouse.” He said, twice,", "wheelhouse,” he said,"))
    he = find(v, "he")
    cores = [(c0 - 1, c0 + 1), (he, he + 2)]
    frags = content_fragments(v, (c0, c0 + 1), (c0 - 1, c0), cores, (c0 - 1, c0 + 1))
    assert texts(v, frags) == ["“Jobs are leaving,”"]


def test_quotation_after_cue_runs_past_its_sentence(nlp: object) -> None:
    text = 'She continued: "Trump has children whom he loves. Does he need to wonder why?" Then she left.'
    v = view(nlp, text)
    c0 = find(v, "continued")
    frags = content_fragments(v, (c0, c0 + 1), (0, 1), [(0, c0 + 1)], (0, c0 + 1))
    assert texts(v, frags) == ['"Trump has children whom he loves. Does he need to wonder why?"']


def prefer(feature: str) -> Callable[[list[str]], float]:
    """A toy ranker: 1 for candidates with ``feature``, 0 for the rest."""
    return lambda feats: 1.0 if feature in feats else 0.0


def test_ranked_end_picks_best_boundary(nlp: object) -> None:
    v = view(nlp, "The union endorsed Trump at a rally, and cheered loudly.")
    c0 = find(v, "endorsed")
    core = (0, c0 + 1)
    # a toy ranker that prefers ending right before "at"
    frags = content_fragments(v, (c0, c0 + 1), (0, 2), [core], core, prefer("b=at"), end_rank=True)
    assert texts(v, frags) == ["Trump"]


def test_clause_end_wins_a_near_tie(nlp: object) -> None:
    v = view(nlp, "The union endorsed Trump at a rally, and cheered loudly.")
    c0 = find(v, "endorsed")
    core = (0, c0 + 1)

    def slight(feats: list[str]) -> float:
        # an earlier boundary scored a little above the clause end, by less than the bonus
        return (CLAUSE_END_BONUS / 2) if "b=at" in feats else 0.0

    frags = content_fragments(v, (c0, c0 + 1), (0, 2), [core], core, slight, end_rank=True)
    assert texts(v, frags) == ["Trump at a rally, and cheered loudly"]


def test_attribution_inside_a_later_quotation_does_not_cut_it(nlp: object) -> None:
    text = (
        "Politico reveals the facts: “Of its voters, according to the office, 300 are Democrats.”"
    )
    v = view(nlp, text)
    c0 = find(v, "reveals")
    inner = find(v, "according")
    core = (0, c0 + 1)
    # "according to the office" is part of the quotation, not an attribution bounding it
    frags = content_fragments(v, (c0, c0 + 1), (0, 1), [core, (inner, inner + 4)], core)
    assert texts(v, frags) == [
        "the facts: “Of its voters, according to the office, 300 are Democrats.”"
    ]


def test_start_candidates_offer_clause_openers_before_any_quotation(nlp: object) -> None:
    v = view(nlp, 'He told reporters on Monday that the plan, he said, "will fail" soon.')
    a = find(v, "reporters")
    b = find(v, ".")
    cands = start_candidates(v, a, b)
    assert cands[0] == a  # right after the cue always competes
    assert find(v, "that") in cands
    assert all(c <= find(v, '"') for c in cands)  # never from inside a quotation


def test_ranked_start_skips_the_addressee(nlp: object) -> None:
    v = view(nlp, "Trump told reporters that he would not resign.")
    c0 = find(v, "told")
    core = (0, c0 + 1)
    # a toy ranker that prefers starting at "that"
    frags = content_fragments(v, (c0, c0 + 1), (0, 1), [core], core, start_score=prefer("stw=that"))
    assert texts(v, frags) == ["that he would not resign"]


def test_trim_edges_drops_punctuation_and_a_hanging_conjunction(nlp: object) -> None:
    v = view(nlp, "he was not envisaging a drawdown for now, but he admitted it")
    a, b = trim_edges(v, 0, find(v, "he", 1))
    assert texts(v, [(a, b)]) == ["he was not envisaging a drawdown for now"]
    # a conjunction inside the span stays
    v = view(nlp, "troops and ships, ")
    assert texts(v, [trim_edges(v, 0, len(v))]) == ["troops and ships"]


def test_side_scorer_decides_between_clause_before_and_words_after(nlp: object) -> None:
    v = view(nlp, "Shortly after the vote, the senator announced his resignation.")
    c0 = find(v, "announced")
    core = (find(v, "the", 4), c0 + 1)  # "the senator announced"
    cue = (c0, c0 + 1)
    # the fixed rule reads a short object after a comma-separated clause as a trailing modifier
    assert texts(v, content_fragments(v, cue, None, [core], core)) == ["Shortly after the vote"]
    # a side scorer that knows "shortly" opens a setting, not the content, puts it after
    frags = content_fragments(v, cue, None, [core], core, side_score=prefer("bf=shortly"))
    assert texts(v, frags) == ["Shortly after the vote"]
    frags = content_fragments(
        v, cue, None, [core], core, side_score=lambda f: -1.0 if "bf=shortly" in f else 1.0
    )
    assert texts(v, frags) == ["his resignation"]


def test_side_frame_only_where_the_layout_leaves_both_sides_open(nlp: object) -> None:
    v = view(nlp, "Talks will resume soon, a spokesman said on Monday.")
    c0 = find(v, "said")
    core = (find(v, "a"), c0 + 1)
    feats = side_frame(v, (c0, c0 + 1), [core], core)
    assert feats is not None and "rule=True" in feats and "af=on" in feats
    # a quotation closing right before the attribution settles it: no side to score
    q = view(nlp, '"Talks will resume soon," a spokesman said on Monday.')
    c0 = find(q, "said")
    core = (find(q, "a"), c0 + 1)
    assert side_frame(q, (c0, c0 + 1), [core], core) is None
