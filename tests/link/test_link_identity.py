"""Entity identity across articles: variants merge, different people stay apart, rows round-trip."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.link.aliases import load_alias_table, normalize_key, strip_title
from storyline.link.identity import EntityResolver, entity_id_for
from storyline.read.entities import LocalEntity, extract_entities
from storyline.read.nlp import load_pipeline

ARTICLE_A = (
    "North Korean leader Kim Jong-un told South Korean President Moon Jae-in that the DPRK was "
    "ready for talks, the Korean Central News Agency (KCNA) said. Kim also met his sister "
    "Kim Yo Jong."
)
ARTICLE_B = (
    "Kim Jong Un arrived in Singapore on Sunday for his summit with Donald Trump. KCNA said "
    "Kim would discuss denuclearisation. North Korea has long demanded security guarantees. "
    "The North Korean leader flew on a Chinese plane."
)
ARTICLE_C = "Kim Yo Jong said on Friday that Pyongyang would not talk to Seoul."


@pytest.fixture(scope="module")
def nlp() -> Any:
    """The spaCy pipeline, loaded once for the module."""
    return load_pipeline()


@pytest.fixture(scope="module")
def aliases() -> Any:
    """The shipped alias table."""
    return load_alias_table()


def _read(resolver: EntityResolver, nlp: Any, article_id: str, text: str) -> dict[str, str]:
    """Extract and link one article; return mention text -> entity id."""
    entities = extract_entities(nlp(text), article_id, resolver.aliases)
    mapping = resolver.add_article(article_id, entities)
    return {m.text: mapping[e.key] for e in entities if e.key in mapping for m in e.mentions}


@pytest.fixture(scope="module")
def linked(nlp: Any, aliases: Any) -> tuple[EntityResolver, list[dict[str, str]]]:
    """Three articles linked in order by one resolver."""
    resolver = EntityResolver(aliases)
    ids = [
        _read(resolver, nlp, f"art{i}", t) for i, t in enumerate((ARTICLE_A, ARTICLE_B, ARTICLE_C))
    ]
    return resolver, ids


def test_spelling_variants_share_a_key() -> None:
    assert (
        normalize_key("Kim Jong-un") == normalize_key("Kim Jong Un") == normalize_key("Kim Jong-Un")
    )
    assert normalize_key("Moon Jae-in") == normalize_key("Moon Jae In")
    assert normalize_key("Pyŏngyang") == normalize_key("Pyongyang")
    assert normalize_key("U.S.") == normalize_key("US")


def test_strip_title() -> None:
    assert strip_title("U.S. President Donald Trump") == "Donald Trump"
    assert strip_title("Chairman Kim Jong-un") == "Kim Jong-un"
    assert strip_title("Gen. Mark Milley") == "Mark Milley"
    assert strip_title("President") == "President"


def test_kim_jong_un_spellings_merge_across_articles(
    linked: tuple[EntityResolver, list[dict[str, str]]],
) -> None:
    resolver, (a, b, _) = linked
    assert a["Kim Jong-un"] == b["Kim Jong Un"]
    entity = resolver.get(a["Kim Jong-un"])
    assert entity is not None and entity.type == "PERSON"
    assert {"Kim Jong-un", "Kim Jong Un"} <= set(entity.aliases)
    assert entity.article_ids == ["art0", "art1"]


def test_kim_yo_jong_stays_apart(linked: tuple[EntityResolver, list[dict[str, str]]]) -> None:
    _, (a, b, c) = linked
    assert a["Kim Yo Jong"] != a["Kim Jong-un"]
    assert c["Kim Yo Jong"] == a["Kim Yo Jong"]
    assert b["Kim"] == b["Kim Jong Un"]


def test_lone_surname_with_two_candidates_stays_unresolved(
    linked: tuple[EntityResolver, list[dict[str, str]]],
) -> None:
    resolver, (a, _, _) = linked
    assert resolver.find("Kim", "PERSON") not in {a["Kim Jong-un"], a["Kim Yo Jong"]}
    assert resolver.find("Kim", "PERSON", context={a["Kim Yo Jong"]}) == a["Kim Yo Jong"]


def test_dprk_is_north_korea(linked: tuple[EntityResolver, list[dict[str, str]]]) -> None:
    resolver, (a, b, _) = linked
    assert a["DPRK"] == b["North Korea"]
    entity = resolver.get(a["DPRK"])
    assert entity is not None and entity.name == "North Korea" and entity.type == "GPE"
    assert resolver.resolve("Democratic People's Republic of Korea", "GPE") == a["DPRK"]


def test_kcna_acronym_joins_its_full_name(
    linked: tuple[EntityResolver, list[dict[str, str]]],
) -> None:
    resolver, (a, b, _) = linked
    assert a["KCNA"] == a["Korean Central News Agency"] == b["KCNA"]
    entity = resolver.get(b["KCNA"])
    assert entity is not None and entity.name == "Korean Central News Agency"


def test_acronym_learned_from_an_article(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    full = resolver.resolve("Zambian National Farmers Union", "ORG")
    assert resolver.resolve("ZNFU", "ORG", context={full}) == full
    assert resolver.find("ZNFU", "ORG") == full  # the acronym is now an indexed alias


def test_description_resolves_through_registry_titles(
    linked: tuple[EntityResolver, list[dict[str, str]]],
) -> None:
    _, (a, b, _) = linked
    assert b["The North Korean leader"] == a["Kim Jong-un"]


def test_state_aliases(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    us = resolver.resolve("U.S.", "GPE")
    assert resolver.resolve("United States", "GPE") == us
    assert resolver.resolve("America", "GPE") == us
    assert resolver.resolve("US", "ORG") == us  # the table's type wins over a mislabel
    assert resolver.resolve("ROK", "GPE") == resolver.resolve("South Korea", "GPE")
    assert resolver.resolve("Britain", "GPE") == resolver.resolve("UK", "GPE")
    assert resolver.resolve("Xinhua", "GPE") == resolver.resolve("Xinhua News Agency", "ORG")
    assert resolver.resolve("CCTV", "ORG") == resolver.resolve("China Central Television", "ORG")
    assert resolver.resolve("UN", "ORG") == resolver.resolve("United Nations", "ORG")


def test_ids_are_stable_and_canonical_name_is_most_complete(aliases: Any) -> None:
    first, second = EntityResolver(aliases), EntityResolver(aliases)
    eid = first.resolve("Moon Jae-in", "PERSON")
    assert eid == second.resolve("Moon Jae In", "PERSON") == entity_id_for("PERSON", "Moon Jae-in")
    assert eid.startswith("ent_")
    first.resolve("President Moon Jae-in", "PERSON")
    entity = first.get(eid)
    assert entity is not None and entity.name == "Moon Jae-in"


def test_registry_round_trips_through_rows(
    linked: tuple[EntityResolver, list[dict[str, str]]], aliases: Any
) -> None:
    resolver, (a, _, _) = linked
    rows = json.loads(json.dumps(resolver.to_rows()))  # as a database would store them
    restored = EntityResolver.from_rows(rows, aliases)
    assert restored.to_rows() == resolver.to_rows()
    assert restored.entities() == resolver.entities()
    assert restored.find("Kim Jong-Un", "PERSON") == a["Kim Jong-un"]
    assert restored.find("D.P.R.K.", "ORG") == a["DPRK"]
    assert {"id", "name", "type", "aliases", "article_ids"} <= set(rows[0])


def test_company_named_like_a_person_stays_apart(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    actor = resolver.resolve("Harrison Ford", "PERSON")
    assert resolver.resolve("Ford", "ORG") != actor
    assert resolver.resolve("Ford", "ORG", context={actor}) == actor  # same article: a mislabel


def test_lookups_do_not_scan_the_registry(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    for i in range(5000):
        resolver.resolve(f"Person Number{i} Smithson{i}", "PERSON")
    assert len(resolver) == 5000
    assert resolver.find("Smithson4321", "PERSON") == resolver.find(
        "Person Number4321 Smithson4321", "PERSON"
    )


def test_middle_initial_joins_the_bare_name_but_not_another_initial(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    trump = resolver.resolve("Donald Trump", "PERSON")
    assert resolver.resolve("Donald J. Trump", "PERSON") == trump
    younger = resolver.resolve("George W. Bush", "PERSON")
    assert resolver.resolve("George H. W. Bush", "PERSON") != younger


@given(
    st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
        min_size=1,
        max_size=4,
    )
)
def test_keys_ignore_case_hyphens_and_spacing(words: list[str]) -> None:
    name = " ".join(w.capitalize() for w in words)
    assert normalize_key(name.upper()) == normalize_key(name)
    assert normalize_key(name.replace(" ", "-")) == normalize_key(name)
    assert normalize_key(f"  {name}  ") == normalize_key(name)


def test_a_lone_surname_goes_to_the_person_its_title_or_the_collection_points_to(
    aliases: Any,
) -> None:
    resolver = EntityResolver(aliases)
    barack = resolver.resolve("Barack Obama", "PERSON")
    michelle = resolver.resolve("Michelle Obama", "PERSON")
    resolver._records[michelle].roles.add((None, "first lady"))
    resolver._records[barack].roles.add((None, "president"))
    for n in range(4):
        resolver._records[barack].article_ids[f"b{n}"] = None
    resolver._records[michelle].article_ids["m0"] = None
    # 4 reports against 1: too few to tell, unless a title fits one of them
    assert resolver.find("Obama", "PERSON") is None
    assert resolver.find("Obama", "PERSON", roles={(None, "president")}) == barack
    assert resolver.find("Obama", "PERSON", roles={(None, "first lady")}) == michelle
    resolver._records[barack].article_ids["b4"] = None
    assert resolver.find("Obama", "PERSON") == barack  # 5 reports against 1
    # a person the article names decides over the collection
    assert resolver.find("Obama", "PERSON", context={michelle}) == michelle


def test_a_middle_name_joins_the_name_without_it(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    hillary = resolver.resolve("Hillary Clinton", "PERSON")
    assert resolver.resolve("Hillary Rodham Clinton", "PERSON") == hillary
    other = EntityResolver(aliases)
    full = other.resolve("Hillary Rodham Clinton", "PERSON")
    assert other.resolve("Hillary Clinton", "PERSON") == full  # either order
    # short name parts mark a name that is not given-middle-family: Kim Yo Jong is no Kim Jong
    sister = other.resolve("Kim Yo Jong", "PERSON")
    assert other.resolve("Kim Jong", "PERSON") != sister


def test_an_honorific_decides_between_a_man_and_a_woman_but_not_two_men(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    hillary = resolver.resolve("Hillary Clinton", "PERSON")
    bill = resolver.resolve("Bill Clinton", "PERSON")
    resolver._records[hillary].sexes["f"] = 3  # three reports call her "Mrs. Clinton"
    both = {hillary, bill}
    assert resolver.find("Clinton", "PERSON", context=both, sex="m") == bill
    assert resolver.find("Clinton", "PERSON", context=both, sex="f") == hillary
    assert resolver.find("Clinton", "PERSON", context=both) is None  # no honorific: unknown
    jeb = resolver.resolve("Jeb Bush", "PERSON")
    george = resolver.resolve("George W. Bush", "PERSON")
    for eid in (jeb, george):
        resolver._records[eid].sexes["m"] = 5
    assert resolver.find("Bush", "PERSON", context={jeb, george}, sex="m") is None


def test_a_name_a_pope_or_monarch_reigns_by_is_no_short_form_of_another_persons(
    aliases: Any,
) -> None:
    resolver = EntityResolver(aliases)
    powers = resolver.resolve("Francis Gary Powers", "PERSON")
    pope = {(None, "pope")}
    # Registry-wide, "Pope Francis" is not the pilot whose given name is Francis...
    assert resolver.find("Francis", "PERSON", roles=pope) is None
    assert resolver.find("Francis", "PERSON") == powers  # (a plain lone given name still is)
    # ... though once the pope is known by that name, he is found again.
    local = LocalEntity(key="p1#e0", name="Francis", type="PERSON", names=["Francis"], roles=pope)
    mapping = resolver.add_article("p1", [local])
    assert mapping["p1#e0"] not in (None, powers)
    assert resolver.find("Francis", "PERSON", roles=pope) == mapping["p1#e0"]
    # A king the article names in full is his lone name there.
    charles = resolver.resolve("Charles Windsor", "PERSON")
    assert resolver.find("Charles", "PERSON", {charles}, {(None, "king")}) == charles
    # And so is one the collection knows by that title.
    abdullah = resolver.resolve("Abdullah II", "PERSON")
    resolver._records[abdullah].roles.add(("Jordan", "king"))
    assert resolver.find("Abdullah", "PERSON", roles={(None, "king")}) == abdullah


def test_a_name_of_several_words_is_one_entity_whatever_the_tag(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    carly = resolver.resolve("Carly Fiorina", "PERSON")
    assert resolver.resolve("Carly Fiorina", "ORG") == carly  # the tagger's other reading
    klan = resolver.resolve("Ku Klux Klan", "PERSON")
    for _ in range(3):
        assert resolver.resolve("Ku Klux Klan", "ORG") == klan
    # mostly called an organisation, it is one: its acronym finds it in the report
    assert resolver.find("KKK", "ORG", context={klan}) == klan
    # a lone word stays apart: "Ford" the company is no Harrison Ford
    actor = resolver.resolve("Harrison Ford", "PERSON")
    assert resolver.resolve("Ford", "ORG") != actor


def test_a_word_of_a_longer_name_leaves_the_entity_of_that_word_findable(
    aliases: Any,
) -> None:
    resolver = EntityResolver(aliases)
    # A report names the union in full and by its initials (no alias table entry).
    names = ["Harbour Workers Union", "HWU"]
    local = LocalEntity(key="p#e0", name="Harbour Workers Union", type="ORG", names=names)
    union = resolver.add_article("p", [local])["p#e0"]
    assert resolver.resolve("HWU", "ORG") == union
    branch = resolver.resolve("Leith HWU", "ORG")
    # A later report's "Leith HWU" is also called "HWU" there: the branch's short form.
    local = LocalEntity(key="i#e0", name="Leith HWU", type="ORG", names=["Leith HWU", "HWU"])
    assert resolver.add_article("i", [local])["i#e0"] == branch != union
    assert resolver.resolve("HWU", "ORG") == union


def test_the_gop_is_the_republican_party(aliases: Any) -> None:
    resolver = EntityResolver(aliases)
    party = resolver.resolve("GOP", "ORG")
    assert resolver.resolve("Republican Party", "ORG") == party
    assert resolver.resolve("Grand Old Party", "ORG") == party
    entity = resolver.get(party)
    assert entity is not None and entity.name == "Republican Party"
