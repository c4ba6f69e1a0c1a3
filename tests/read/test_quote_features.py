"""Features of quote candidates on hand-made token views: passive cues, asides in sources."""

from __future__ import annotations

import pytest

from storyline.read.quote_features import TokenView, is_passive, source_shape_features


@pytest.fixture(scope="module")
def nlp() -> object:
    """A blank English tokenizer: these features need tokens and rule sentences only."""
    import spacy

    return spacy.blank("en")


def view(nlp: object, text: str) -> TokenView:
    return TokenView.from_doc(nlp(text))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "cue", "passive"),
    [
        ("Trump was asked what he thought of the plan.", "asked", True),
        ("Sanders had been told that he would lose.", "told", True),
        ("The vote is widely expected to pass.", "expected", True),
        ("Trump asked what the plan would cost.", "asked", False),
        ("She has warned that the talks would fail.", "warned", False),
    ],
)
def test_passive_cue(nlp: object, text: str, cue: str, passive: bool) -> None:
    v = view(nlp, text)
    i = v.words.index(cue)
    assert is_passive(v, i, i + 1) is passive


def test_passive_cue_run_holding_its_auxiliary(nlp: object) -> None:
    v = view(nlp, "Trump was asked about the wall.")
    assert is_passive(v, v.words.index("was"), v.words.index("asked") + 1)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Alex Conant, a founding partner at the firm,", "det"),
        ("Mark Hodges, who chairs the party,", "rel"),
        ("Clinton, speaking in Ohio,", "ing"),
        ("Clinton, for her part,", "prep"),
        ("State rules do not, however,", "adv"),
        ("Senator Jim Whelan", "-"),
    ],
)
def test_source_aside_kind(nlp: object, text: str, kind: str) -> None:
    v = view(nlp, text + " said it would pass.")
    end = v.words.index("said")
    assert f"app=L|{kind}" in source_shape_features(v, 0, end, "L")


@pytest.mark.parametrize("sentencizer", [False, True])
def test_question_quote_and_its_attribution_are_one_sentence(
    nlp: object, sentencizer: bool
) -> None:
    text = '"How much worse could it get?" said Al Cardenas. "It is over."'
    doc = nlp(text)  # type: ignore[operator]
    if sentencizer:
        from spacy.pipeline import Sentencizer

        doc = Sentencizer()(doc)
    v = TokenView.from_doc(doc)
    said = v.words.index("said")
    # the quotation and "said Al Cardenas." share a sentence; the next quotation starts anew
    assert v.sent_of[0] == v.sent_of[said]
    assert v.sent_of[len(v) - 1] != v.sent_of[said]


def test_a_run_on_sentence_is_cut_into_bounded_pieces(nlp: object) -> None:
    # Every cue weighs the words of its sentence: a "sentence" of thousands of cues would cost
    # the square of its length, so one longer than any news sentence is cut, after a comma.
    from storyline.read.quote_features import MAX_SENTENCE_TOKENS

    text = "Kim said that Lee said that, " * 120 + "talks resumed."
    v = TokenView.from_doc(nlp(text))  # type: ignore[operator]
    assert len(v.sents) > 1 and all(b - a <= MAX_SENTENCE_TOKENS for a, b in v.sents)
    assert v.sents[0][0] == 0 and v.sents[-1][1] == len(v)
    assert all(v.sents[k][1] == v.sents[k + 1][0] for k in range(len(v.sents) - 1))
    assert all(v.words[b - 1] == "," for a, b in v.sents[:-1])
    # the running counts agree with counting
    assert v.commas_upto[len(v)] == text.count(",")
    from storyline.read.quote_features import FINITE

    small = view(nlp, "The talks are over, and Kim was told that they will resume.")
    n = len(small)
    for a in range(n):
        for b in range(a, n + 1):
            assert small.has_finite(a, b) == any(w in FINITE for w in small.lower[a:b])
