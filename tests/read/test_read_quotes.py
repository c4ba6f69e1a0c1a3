"""Quote extraction on hand-written sentences: kinds, fragments, according-to, relay chains."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.models import Quote
from storyline.read.quote_features import TokenView
from storyline.read.quotes import (
    QuoteExtractor,
    Relation,
    bounding_cores,
    candidate_spans,
    cue_token_spans,
    one_per_content,
    split_runs,
)


@pytest.fixture(scope="module")
def extractor() -> QuoteExtractor:
    """One extractor (the spaCy pipeline loads once per module)."""
    from storyline.read.nlp import load_pipeline

    return QuoteExtractor(load_pipeline())


def one(extractor: QuoteExtractor, text: str) -> tuple[Quote, list[str]]:
    """The single quote of a sentence and its content fragments as text."""
    quotes = extractor.extract(text, "a1")
    assert len(quotes) == 1, [(q.cue, q.speaker_text, q.spans) for q in quotes]
    quote = quotes[0]
    return quote, [text[a:b] for a, b in quote.spans]


def test_direct_quote_before_cue(extractor: QuoteExtractor) -> None:
    text = '"We will win this election," Trump said on Monday.'
    quote, frags = one(extractor, text)
    assert quote.kind == "direct"
    assert quote.speaker_text == "Trump"
    assert quote.cue == "said"
    assert frags == ['"We will win this election,"']
    assert quote.speaker is None  # resolving the speaker is the entities module's job
    start, end = quote.speaker_span or (0, 0)
    assert text[start:end] == "Trump"


def test_indirect_quote(extractor: QuoteExtractor) -> None:
    quote, frags = one(extractor, "Trump said that the economy was stronger than ever.")
    assert quote.kind == "indirect"
    assert quote.speaker_text == "Trump"
    assert frags == ["that the economy was stronger than ever"]


def test_mixed_quote(extractor: QuoteExtractor) -> None:
    quote, frags = one(extractor, 'Clinton said she "hopes to unite the country" after the vote.')
    assert quote.kind == "mixed"
    assert quote.speaker_text == "Clinton"
    assert "hopes to unite the country" in frags[0]


def test_content_split_around_cue(extractor: QuoteExtractor) -> None:
    quote, frags = one(extractor, '"The economy," he said, "is stronger than it has ever been."')
    assert quote.speaker_text == "he"
    assert quote.kind == "direct"
    assert frags == ['"The economy,"', '"is stronger than it has ever been."']


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            "The official warned that the talks could collapse within days.",
            "The official",
            "warned",
        ),
        ("The senator believes the bill will pass.", "The senator", "believes"),
        (
            "In a statement, the White House said the president had not been briefed.",
            "the White House",
            "said",
        ),
        # adverbs between subject and verb stay out of the speaker ("has long", "has repeatedly")
        ("The union has long argued that the plant is unsafe.", "The union", "has long argued"),
        ("Critics have always said that the law was too weak.", "Critics", "have always said"),
        (
            "The company has repeatedly denied that it paid the officials.",
            "The company",
            "has repeatedly denied",
        ),
    ],
)
def test_speech_and_belief_cues(
    extractor: QuoteExtractor, text: str, speaker: str, cue: str
) -> None:
    quote, _ = one(extractor, text)
    assert quote.speaker_text == speaker
    assert quote.cue == cue
    assert quote.kind == "indirect"


def test_according_to(extractor: QuoteExtractor) -> None:
    text = "The plan will cost $2 billion over ten years, according to the Congressional Budget Office."
    quote, frags = one(extractor, text)
    assert quote.cue == "according to"
    assert quote.speaker_text == "the Congressional Budget Office"
    assert frags == ["The plan will cost $2 billion over ten years"]
    assert quote.chain == []


def test_chain_as_quoted_by(extractor: QuoteExtractor) -> None:
    text = (
        '"The drills are a rehearsal for invasion," the Korean Central News Agency (KCNA) said in'
        " an English report, as quoted by South Korea's Yonhap news agency."
    )
    quote, frags = one(extractor, text)
    assert "KCNA" in (quote.speaker_text or "")
    assert quote.chain == ["Yonhap"]
    assert frags == ['"The drills are a rehearsal for invasion,"']


def test_chain_according_to_agency(extractor: QuoteExtractor) -> None:
    text = (
        "China will open its markets further, President Xi Jinping said, according to the"
        " official Xinhua news agency."
    )
    quote, frags = one(extractor, text)
    assert quote.speaker_text is not None and quote.speaker_text.endswith("Xi Jinping")
    assert quote.chain == ["Xinhua"]
    assert frags == ["China will open its markets further"]


def test_offsets_ids_and_reused_doc(extractor: QuoteExtractor) -> None:
    text = "Intro line.\n\nThe mayor said the bridge would reopen in May."
    doc = next(extractor.read_pipe([text]))
    first = extractor.extract(text, "a1", doc=doc)
    again = extractor.extract(text, "a1")
    assert [q.id for q in first] == [q.id for q in again]
    assert [q.id for q in extractor.extract(text, "a2")] != [q.id for q in first]
    for quote in first:
        assert all(text[a:b] for a, b in quote.spans)
        assert quote.text == text[quote.spans[0][0] : quote.spans[0][1]]


def test_extract_many_keeps_order(extractor: QuoteExtractor) -> None:
    items: list[tuple[str, str]] = [
        ("No attribution here at all.", "x"),
        ('"Enough," the governor said.', "y"),
    ]
    out: list[Any] = list(extractor.extract_many(items))
    assert out[0] == []
    assert [q.article_id for q in out[1]] == ["y"]


def test_empty_text(extractor: QuoteExtractor) -> None:
    assert extractor.extract("", "e") == []


def test_cue_token_spans() -> None:
    assert cue_token_spans([5, 3, 4, 9]) == [(3, 6), (9, 10)]


def test_only_confident_cues_with_a_source_bound_other_content() -> None:
    import spacy

    v = TokenView.from_doc(spacy.blank("en")(" ".join(f"w{i}" for i in range(24))))
    strong = Relation((5, 6), source=(3, 5), cue_p=0.95)
    weak = Relation((12, 13), source=(10, 12), cue_p=0.37)  # let through for the filter only
    sourceless = Relation((20, 21), cue_p=0.9)
    assert bounding_cores(v, [strong, weak, sourceless]) == [(3, 6)]


def test_speaker_ends_before_an_adverb(extractor: QuoteExtractor) -> None:
    quotes = extractor.extract(
        "Pyongyang abruptly threatened to pull out of the summit, state media said.", "a"
    )
    # the adverb goes with the cue ("abruptly threatened") or nowhere, never with the speaker
    threat = [q for q in quotes if q.cue.endswith("threatened")]
    assert [q.speaker_text for q in threat] == ["Pyongyang"]


def test_cue_run_starts_at_its_verb() -> None:
    import spacy

    nlp = spacy.blank("en")
    v = TokenView.from_doc(nlp("The leader later in a phone call urged Trump to act."))
    call, urged = v.words.index("call"), v.words.index("urged")
    # "call urged": the noun names the occasion; the verb is the cue
    assert split_runs(v, [(call, urged + 1)]) == [(urged, urged + 1, True)]
    v = TokenView.from_doc(nlp("He has also said that it was over."))
    has, said = v.words.index("has"), v.words.index("said")
    # auxiliaries and adverbs lead into the verb: the run stays whole
    assert split_runs(v, [(has, said + 1)]) == [(has, said + 1, False)]


def test_source_candidates_reach_long_titles_and_skip_bare_punctuation() -> None:
    import spacy

    nlp = spacy.blank("en")
    text = "On Tuesday , Senate Minority Leader Harry M. Reid ( D - Nev. ) told reporters no."
    v = TokenView.from_doc(nlp(text))
    senate, told = v.words.index("Senate"), v.words.index("told")
    # a name with its title and party label runs to eleven tokens and is still a candidate
    assert (senate, told) in candidate_spans(v, told, told + 1)
    v = TokenView.from_doc(nlp("'' Not now , '' ' said the mayor."))
    said = v.words.index("said")
    spans = candidate_spans(v, said, said + 1)
    assert spans and all(any(w[:1].isalnum() for w in v.words[s:e]) for s, e in spans)


def test_opening_participle_takes_the_subject_after_its_clause() -> None:
    import spacy

    from storyline.read.quotes import relation_core

    nlp = spacy.blank("en")
    v = TokenView.from_doc(nlp("Noting that the vote failed , Tester added that it was over ."))
    tester = v.words.index("Tester")
    # the subject of the sentence, after the participle's clause, is a source candidate
    assert (tester, tester + 1) in candidate_spans(v, 0, 1)
    # and the words between are the content, so the cue alone bounds it
    assert relation_core(v, Relation((0, 1), source=(tester, tester + 1))) == (0, 1)
    assert relation_core(v, Relation((tester + 1, tester + 2), source=(tester, tester + 1))) == (
        tester,
        tester + 2,
    )


def test_the_clause_an_opening_cue_heads_ends_at_the_subject(extractor: QuoteExtractor) -> None:
    text = (
        'In declaring the senator\'s remarks "not Christian," the bishop again showed his knack '
        "for stepping into secular affairs."
    )
    quotes = [q for q in extractor.extract(text, "a1") if q.cue == "declaring"]
    assert [(q.speaker_text, q.text) for q in quotes] == [
        ("the bishop", 'the senator\'s remarks "not Christian,"')
    ]


def test_dateline_is_skipped_for_the_subject() -> None:
    import spacy

    from storyline.read.quotes import _dateline_end

    nlp = spacy.blank("en")
    for text in (
        "PHILADELPHIA, July 25 (UPI) — The committee said it erred.",
        "New York (AFP) – The committee said it erred.",
    ):
        v = TokenView.from_doc(nlp(text))
        said = v.words.index("said")
        the = v.words.index("The")
        assert _dateline_end(v, 0, said) == the
        assert (the, said) in candidate_spans(v, said, said + 1)
    # a name in capitals before a dash is no place
    v = TokenView.from_doc(nlp("MSNBC reporter Alex Wald — who was there — said it erred."))
    assert _dateline_end(v, 0, v.words.index("said")) is None
    v = TokenView.from_doc(nlp("The committee said it erred ."))
    assert _dateline_end(v, 0, 2) is None


def test_one_attribution_per_content() -> None:
    # "Mr. Biden suggested ..., Mr. Biden said": two cues claim the same words; the one the
    # filter trusts more keeps them, and an attribution of other words is untouched
    suggested = Relation((2, 3), source=(0, 2), content=[(3, 9)])
    said = Relation((11, 12), source=(9, 11), content=[(3, 9)])
    other = Relation((15, 16), source=(13, 15), content=[(16, 20)])
    rejected = Relation((21, 22), source=(20, 21), content=[(16, 20)])  # filtered out
    trust = {id(suggested): 0.4, id(said): 0.9, id(other): 0.3}
    kept = one_per_content([suggested, said, other, rejected], trust)
    assert kept == {id(said), id(other)}


def test_coordinated_cue_shares_the_subject_and_bounds_content(extractor: QuoteExtractor) -> None:
    text = "The mayor said the city would appeal and added that the ruling was wrong."
    quotes = {q.cue: q for q in extractor.extract(text, "c")}
    # "and added" starts a second attribution under the same subject: the first content ends
    # before it instead of running on into the second one's words
    assert [text[a:b] for a, b in quotes["said"].spans] == ["the city would appeal"]
    assert [text[a:b] for a, b in quotes["added"].spans] == ["that the ruling was wrong"]
    assert quotes["said"].speaker_text == quotes["added"].speaker_text == "The mayor"


def test_coordinated_cue_takes_the_whole_subject(extractor: QuoteExtractor) -> None:
    text = (
        "Clinton campaign communications director Jennifer Palmieri acknowledged that the "
        "candidate misspoke but noted that experts say that ISIS has mentioned Trump."
    )
    quotes = {q.cue: q for q in extractor.extract(text, "c")}
    # a source overlapping the earlier cue's subject is that subject, not a piece of it
    subject = "Clinton campaign communications director Jennifer Palmieri"
    assert quotes["acknowledged"].speaker_text == subject
    assert quotes["noted"].speaker_text == subject


def test_coordinated_cue_without_a_subject_borrows_it(extractor: QuoteExtractor) -> None:
    text = "The two senators have criticised the plan and say they will vote against it."
    quotes = {q.cue: q for q in extractor.extract(text, "c")}
    # "and say" has no subject of its own: it is the senators' too
    assert quotes["say"].speaker_text == "The two senators"
    assert [text[a:b] for a, b in quotes["say"].spans] == ["they will vote against it"]


def test_passive_cue_names_no_speaker(extractor: QuoteExtractor) -> None:
    text = "Trump was asked what he thought Clinton could do to win over his voters."
    quotes = [q for q in extractor.extract(text, "p") if q.cue.endswith("asked")]
    # the one asked is not the one who spoke
    assert [q.speaker_text for q in quotes] in ([], [None])


def test_relay_of_a_rejected_attribution_stands_alone(extractor: QuoteExtractor) -> None:
    text = (
        "The Justice Department has granted immunity to a former State Department staffer, who "
        "worked on Hillary Clinton's private email server, as part of a criminal investigation, "
        "according to a senior law enforcement official."
    )
    quote, frags = one(extractor, text)
    # "has" is no attribution, so "according to" is not its relay but the attribution itself
    assert quote.cue == "according to"
    assert quote.speaker_text == "a senior law enforcement official"
    assert quote.chain == []
    assert frags[0].startswith("The Justice Department has granted immunity")


def test_chain_relay_after_curly_possessive(extractor: QuoteExtractor) -> None:
    """Regression: "South Korea’s Yonhap" (curly apostrophe) names Yonhap, not its owner."""
    text = (
        "“Welcoming the visit, Xi Jinping said that China is attaching importance to the "
        "friendship,” the Korean Central News Agency (KCNA) said in an English report, as "
        "quoted by South Korea’s Yonhap news agency."
    )
    quote, _ = one(extractor, text)
    # Xi's words as KCNA reported them, passed on by Yonhap
    assert quote.chain == ["KCNA", "Yonhap"]
    assert quote.speaker_text == "Xi Jinping"


@pytest.mark.parametrize(
    "text",
    [
        # "..., Xinhua said" after another attribution relays it instead of repeating it
        "Kim also expressed hope that the US and North Korea would take phased measures to "
        "achieve peace, Xinhua said, signalling Pyongyang's demands.",
        # an opening "According to X," stops at its comma: the speaker follows
        "According to Xinhua, Kim told Xi there was no need for North Korea to be a nuclear state.",
    ],
    ids=["reporting-outlet-joins-chain", "according-to-stops-at-comma"],
)
def test_agency_relays_the_speaker(extractor: QuoteExtractor, text: str) -> None:
    quote, _ = one(extractor, text)
    assert quote.speaker_text == "Kim"
    assert quote.chain == ["Xinhua"]


def test_adjective_noun_subject_is_no_quote(extractor: QuoteExtractor) -> None:
    text = (
        "Reporting by A. Writer\n\nHistoric talks between the two leaders are scheduled for June."
    )
    assert all(q.cue != "talks" for q in extractor.extract(text, "h"))


def test_speaker_label_and_signature(extractor: QuoteExtractor) -> None:
    text = (
        "Partial transcript as follows:\n\n"
        "WALLACE: Let's start with the breaking news on the debate story.\n\n"
        "“He represents our greatest shame.” ― Sonya Herridge\n"
    )
    quotes = {q.cue: q for q in extractor.extract(text, "t")}
    assert quotes[":"].speaker_text == "WALLACE"
    assert quotes[":"].text.startswith("Let's start")
    assert quotes["―"].speaker_text == "Sonya Herridge"
    assert quotes["―"].text == "“He represents our greatest shame.”"


@pytest.mark.parametrize(
    "text",
    [
        "Turnout will be low, said Eric Herzik.",
        "Turnout will be low, Eric Herzik said.",
    ],
)
def test_plain_report_is_kept(extractor: QuoteExtractor, text: str) -> None:
    quote, _ = one(extractor, text)
    assert (quote.speaker_text, quote.cue, quote.text) == (
        "Eric Herzik",
        "said",
        "Turnout will be low",
    )


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Shortly after the vote, the senator announced his resignation.", "his resignation"),
        (
            "As Republicans scrambled to raise cash last year, they proposed sweeping tax cuts.",
            "sweeping tax cuts",
        ),
        ("Talks will resume soon, a spokesman said on Monday.", "Talks will resume soon"),
    ],
)
def test_opening_clause_is_a_setting_not_the_content(
    extractor: QuoteExtractor, text: str, content: str
) -> None:
    quote, _ = one(extractor, text)
    assert quote.text == content


def test_text_pieces_join_back_and_end_at_line_breaks() -> None:
    from storyline.read.quotes import text_pieces

    text = "".join(f"Line {i} of the report, told at length.\n" for i in range(500))
    pieces = text_pieces(text, 1_000)
    assert "".join(pieces) == text and all(len(p) <= 1_000 for p in pieces)
    assert all(p.endswith("\n") for p in pieces)
    unbroken = "word " * 500  # no line break: cut after a space; none at all: anywhere
    assert all(p.endswith(" ") for p in text_pieces(unbroken, 300)[:-1])
    assert "".join(text_pieces("x" * 2_500, 1_000)) == "x" * 2_500
    assert text_pieces("", 1_000) == [""]


def test_a_long_run_without_spaces_is_tokenized_in_cuts(extractor: QuoteExtractor) -> None:
    # spaCy's tokenizer takes time growing with the square of a run of punctuation ("=====");
    # such a run is tokenized in cuts, and the text and its quotes come out as without them.
    from storyline.read.quotes import MAX_RUN, cut_long_runs

    run = "=" * (3 * MAX_RUN + 7)
    assert "".join(cut_long_runs("ab " + run + " cd")) == "ab " + run + " cd"
    assert max(len(c.split()[-1]) for c in cut_long_runs(run)) <= MAX_RUN
    prose = "Finance Minister Jonas Brekke said on Tuesday that the budget would pass.\n"
    text = prose + run + "\n" + prose
    (doc,) = extractor.read_pipe([text])
    assert doc.text == text
    quotes = extractor.extract_doc(doc, "a1")
    assert sorted(q.spans[0][0] for q in quotes) == [
        q.spans[0][0] for q in extractor.extract(prose, "a1")
    ] + [q.spans[0][0] + len(prose) + len(run) + 1 for q in extractor.extract(prose, "a1")]


def test_texts_are_parsed_in_batches_of_bounded_characters() -> None:
    # spaCy's working memory grows with the characters in one batch: a long text's pieces must
    # not all go into one batch (32 pieces of 100,000 characters peaked past 10 GB).
    from storyline.read.quotes import _char_batches

    items = [("a" * n, i) for i, n in enumerate([40, 30, 50, 200, 10, 10, 10])]
    groups = list(_char_batches(iter(items), 100, 2))
    assert [[i for _, i in g] for g in groups] == [[0, 1], [2], [3], [4, 5], [6]]
    assert [item for g in groups for item in g] == items  # every item, in order
    assert list(_char_batches(iter([]), 100, 2)) == []


def test_a_text_longer_than_spacy_takes_is_read_in_pieces(extractor: QuoteExtractor) -> None:
    from storyline.read import quotes as quotes_module

    para = (
        'Finance Minister Jonas Brekke said on Tuesday that the budget would pass. "We have the '
        'votes," Brekke told reporters in Oslo.\n'
    )
    text = para * 40  # about 5,000 characters, read in pieces of 1,000 below
    whole = extractor.extract(text, "a1")
    piece = quotes_module.READ_PIECE
    try:
        quotes_module.READ_PIECE = 1_000
        (doc,) = extractor.read_pipe([text])
        pieced = extractor.extract_doc(doc, "a1")
    finally:
        quotes_module.READ_PIECE = piece
    assert doc.text == text
    assert [e.text for e in doc.ents].count("Jonas Brekke") == 40  # entities of every piece
    # found piece by piece, with offsets (and ids) in the whole text
    assert len(doc.user_data[quotes_module.PIECES_KEY]) > 1
    assert [(q.id, q.spans, q.speaker_span, q.cue_span) for q in pieced] == [
        (q.id, q.spans, q.speaker_span, q.cue_span) for q in whole
    ]
    assert all(text[q.cue_span[0] : q.cue_span[1]] == q.cue for q in pieced if q.cue_span)
