"""The project's ECB+ scorer and a quality floor on ECB+ dev (skipped when the data is absent)."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from typing import Any

import pytest
from eval.common import eval_dir
from eval.ecbplus import (
    IdCheck,
    bcubed,
    cluster_records,
    load_records,
    main,
    pipeline_records,
    run_orders,
)

from storyline.link.events import ClusterConfig


def test_bcubed_toy() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    assert bcubed(gold, {"a": "x", "b": "x", "c": "y"}) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(gold, {"a": "x", "b": "x", "c": "x"})
    assert p == pytest.approx(5 / 9) and r == 1.0 and f == pytest.approx(2 * p / (p + 1))
    p, r, _ = bcubed(gold, {})  # missing ids are singletons
    assert p == 1.0 and r == pytest.approx(2 / 3)


def _data() -> list[dict[str, Any]]:
    if eval_dir("ecbplus") is None:
        pytest.skip("ECB+ gold data not found (set STORYLINE_SHARED to the shared folder)")
    return load_records()


def test_scorer_matches_shared_scorer() -> None:
    records = _data()
    folder = eval_dir("ecbplus")
    assert folder is not None
    path = folder.parent / "score" / "score_clusters.py"
    if not path.exists():
        pytest.skip(f"shared scorer {path} not found (the gold data is there, its scorer is not)")
    spec = importlib.util.spec_from_file_location("shared_score_clusters", path)
    assert spec and spec.loader
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    # Any labels will do to compare scorers: one placement pass is the quickest way to them.
    events, stories = cluster_records(records, ClusterConfig(consensus_passes=1))
    gold = shared.load_gold(folder / "dev.jsonl")
    for level, pred in (("subtopic", events), ("topic", stories)):
        theirs = shared.score(gold, pred, level)
        ours = bcubed({str(r["id"]): str(r[level]) for r in records}, pred)
        assert ours == pytest.approx((theirs["b3_p"], theirs["b3_r"], theirs["b3_f1"]), abs=1e-12)


def test_floor_file_order() -> None:
    res = run_orders(_data(), 1)[0]
    # Measured: event F1 0.917, storyline F1 0.937 (file order, the lowest event figure of the
    # five orders below); floors leave a small margin.
    assert res["event"][2] >= 0.91
    assert res["storyline"][2] >= 0.93


@pytest.mark.slow
def test_floor_five_orders() -> None:
    results = run_orders(_data(), 5)
    events = [r["event"][2] for r in results]
    stories = [r["storyline"][2] for r in results]
    # Measured over 5 orders: event F1 0.920-0.935 (mean 0.930), storyline F1 0.895-0.937
    # (mean 0.918). These texts carry no publication dates, so every order is placed five
    # times and the events are what the passes agree on (see storyline.link.consensus).
    assert min(events) >= 0.912 and sum(events) / 5 >= 0.922
    assert min(stories) >= 0.89 and sum(stories) / 5 >= 0.915


@pytest.mark.slow
def test_floor_through_the_pipeline(tmp_path: Path) -> None:
    records = _data()
    events, stories = pipeline_records(records, tmp_path)
    # Every text is stored and placed: the shortest ECB+ texts are one-sentence briefs, which
    # ingest keeps when they come as text.
    assert set(events) == set(stories) == {r["id"] for r in records}
    event = bcubed({r["id"]: r["subtopic"] for r in records}, events)
    story = bcubed({r["id"]: r["topic"] for r in records}, stories)
    # Measured (file order): event F1 0.947, storyline F1 0.927.
    assert event[2] >= 0.943
    assert story[2] >= 0.915


@pytest.mark.slow
def test_floor_five_orders_through_the_pipeline(tmp_path: Path) -> None:
    # The quality bar of the stories issue, end to end: each order stored in a fresh store and
    # linked in one run. Measured: event F1 0.945-0.948 (mean 0.947, spread 0.2 points),
    # storyline F1 0.919-0.936 (mean 0.929).
    results = run_orders(_data(), 5, pipeline=tmp_path)
    events = [r["event"][2] for r in results]
    stories = [r["storyline"][2] for r in results]
    assert sum(events) / 5 >= 0.943 and max(events) - min(events) <= 0.01
    assert min(stories) >= 0.91 and sum(stories) / 5 >= 0.92


@pytest.mark.slow
def test_floor_five_orders_in_four_runs(tmp_path: Path) -> None:
    # The same orders stored in four runs each on one store, as a collection that grows. Under
    # the rebuild limit each later run places the whole collection again, so the events are
    # those of one run. Measured: event F1 0.945-0.948 (mean 0.947, as in one run), storyline
    # F1 0.919-0.936 (mean 0.929); of 2,895 event ids given by earlier runs 2,703 are
    # unchanged, the rest resolve through merges and splits, none to nothing.
    ids: dict[str, IdCheck] = {}
    results = run_orders(_data(), 5, pipeline=tmp_path, runs=4, ids=ids)
    events = [r["event"][2] for r in results]
    stories = [r["storyline"][2] for r in results]
    assert min(events) >= 0.94 and sum(events) / 5 >= 0.943
    assert min(stories) >= 0.91 and sum(stories) / 5 >= 0.92
    assert ids["event"].lost == ids["storyline"].lost == 0
    event = ids["event"]
    assert event.kept / (event.kept + event.followed + event.elsewhere) > 0.9


@pytest.mark.slow
def test_floor_five_orders_in_four_runs_each_placing_only_its_own(tmp_path: Path) -> None:
    # As a collection past the rebuild limit grows: later runs join the events earlier ones
    # made. Measured: event F1 0.894-0.929 (mean 0.920); 0.902-0.929 (mean 0.922) before six
    # ECB+ headlines were found where a timestamp line had been taken for them, which moves
    # two orders' placements down (0.929 to 0.919, 0.902 to 0.894) and one up; storyline F1
    # 0.896-0.940 (mean 0.924) and of 2,895 ids given by earlier runs 2,668 unchanged, none
    # resolving to nothing.
    ids: dict[str, IdCheck] = {}
    results = run_orders(_data(), 5, pipeline=tmp_path, runs=4, ids=ids, rebuild_limit=0)
    events = [r["event"][2] for r in results]
    stories = [r["storyline"][2] for r in results]
    assert min(events) >= 0.89 and sum(events) / 5 >= 0.915
    assert min(stories) >= 0.89 and sum(stories) / 5 >= 0.915
    assert ids["event"].lost == ids["storyline"].lost == 0


@pytest.mark.parametrize("rebuild_limit", [None, 0], ids=["placed-again", "own-only"])
def test_runs_keep_every_article_and_resolve_every_id(
    tmp_path: Path, rebuild_limit: int | None
) -> None:
    # Two topics (four events) stored in three runs on one store, as a collection grows: every
    # article ends with an event and a storyline, and every id an earlier run gave still
    # resolves to a stored story, whether later runs place the collection again or not.
    records = [r for r in _data() if str(r["topic"]) in ("1", "3")]
    random.Random(7).shuffle(records)
    ids: dict[str, IdCheck] = {}
    events, stories = pipeline_records(records, tmp_path, 3, ids, rebuild_limit)
    assert set(events) == set(stories) == {r["id"] for r in records}
    assert len(list(tmp_path.glob("ecbplus-*.jsonl"))) == 3
    for level in ("event", "storyline"):
        check = ids[level]
        total = check.kept + check.followed + check.elsewhere + check.lost
        assert total == 2 * -(-len(records) // 3)  # the articles of the first two runs
        assert check.lost == 0
    event = bcubed({r["id"]: r["subtopic"] for r in records}, events)
    assert event[2] >= 0.8


def test_runs_need_the_pipeline(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--runs", "3"])
    assert exc.value.code == 2
    assert "--runs needs --pipeline" in capsys.readouterr().err


def test_published_needs_the_pipeline(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--published", "2019-11-18"])
    assert exc.value.code == 2
    assert "--published needs --pipeline" in capsys.readouterr().err


def test_pred_writes_the_scored_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = _data()
    pred, pred_topic = tmp_path / "events.json", tmp_path / "topics.json"
    args = [
        "--orders",
        "1",
        "--topics",
        "odd",
        "--pred",
        str(pred),
        "--pred-topic",
        str(pred_topic),
    ]
    assert main(args) == 0
    events = json.loads(pred.read_text(encoding="utf-8"))
    odd = [r for r in records if int(r["topic"]) % 2]
    assert set(events) == {r["id"] for r in odd}
    scored = capsys.readouterr().out.splitlines()[2].split()  # order 0: event P, R, F1, ...
    gold = {r["id"]: r["subtopic"] for r in odd}
    assert float(scored[3]) == pytest.approx(bcubed(gold, events)[2], abs=1e-4)
    assert set(json.loads(pred_topic.read_text(encoding="utf-8"))) == set(events)


def test_ner_with_pipeline_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--pipeline", "--ner"])
    assert exc.value.code == 2
    assert "--ner does not apply with --pipeline" in capsys.readouterr().err


def test_shuffle_is_deterministic() -> None:
    records = _data()
    a = list(records[:250])
    random.Random(1).shuffle(a)
    assert cluster_records(a)[0] == cluster_records(a)[0]


def test_select_topics_halves() -> None:
    from eval.ecbplus import select_topics

    recs = [{"id": str(i), "topic": str(t)} for i, t in enumerate([1, 2, 3, 10, 11])]
    assert [r["topic"] for r in select_topics(recs, "odd")] == ["1", "3", "11"]
    assert [r["topic"] for r in select_topics(recs, "even")] == ["2", "10"]
    assert select_topics(recs, "all") == recs
    with pytest.raises(ValueError):
        select_topics(recs, "third")
