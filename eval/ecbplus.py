"""Event and storyline clustering on ECB+ dev: B-cubed P/R/F1 per level, over shuffled orders.

Run ``python -m eval.ecbplus [--orders 5] [--pred OUT.json]``. Events are scored against the gold
``subtopic`` and storylines against ``topic``. Each order's records are placed as one batch, as
the link stage places a run (:func:`~storyline.link.consensus.place_batch`, the default
configuration: these texts carry no dates, so the batch goes through the passes whose agreement
makes the events); the first order is the file order and the others are seeded shuffles. The
``url`` field is never read (it would give the event split away).

``--pipeline`` measures what a user gets instead: each order's records (``id`` and ``text`` only)
are written as JSON Lines and run through the ingest, read and link stages into a fresh store, so
the clusterer sees the cleaned body, the title and publication date ingest found, spaCy's entities
and the read stage's resolved dates. A text ingest rejects counts as a singleton, as in the shared
scorer. ``--runs N`` stores each order in N runs on one store, as a collection grows day by day, and
reports what became of the ids the earlier runs gave. The 772 articles are under the default
``rebuild_limit``, so each later run places the whole collection again; ``--rebuild-limit 0``
measures what a larger collection's runs do (a later run's articles join the events and
storylines the earlier runs made).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.common import eval_dir
from storyline.link.consensus import place_batch
from storyline.link.events import ClusterConfig, ClusterItem, EventClusterer
from storyline.link.features import load_background

__all__ = [
    "IdCheck",
    "bcubed",
    "cluster_records",
    "load_records",
    "main",
    "order_labels",
    "pipeline_records",
    "run_orders",
    "score_labels",
    "select_topics",
    "spacy_entities",
]


def load_records(path: Path | None = None) -> list[dict[str, Any]]:
    """Return the ECB+ dev records (id, text, topic, subtopic), or raise FileNotFoundError."""
    if path is None:
        folder = eval_dir("ecbplus")
        if folder is None:
            raise FileNotFoundError("ECB+ gold data not found (set STORYLINE_SHARED)")
        path = folder / "dev.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """Return B-cubed precision, recall and F1 of ``pred`` against ``gold`` over gold's ids."""
    pred_full = {i: "p:" + str(pred[i]) if i in pred else "missing:" + i for i in gold}
    g_cl: dict[str, set[str]] = defaultdict(set)
    p_cl: dict[str, set[str]] = defaultdict(set)
    for i in gold:
        g_cl[gold[i]].add(i)
        p_cl[pred_full[i]].add(i)
    p = r = 0.0
    for i in gold:
        inter = len(g_cl[gold[i]] & p_cl[pred_full[i]])
        p += inter / len(p_cl[pred_full[i]])
        r += inter / len(g_cl[gold[i]])
    p /= len(gold)
    r /= len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster_records(
    records: list[dict[str, Any]],
    config: ClusterConfig | None = None,
    entities: Mapping[str, list[str]] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Place ``records``, given in this order, as one batch the way the link stage does
    (``place_batch``); return (article → event, article → storyline)."""
    # No title: ECB+ texts have no headline, and the clusterer reads the lead line as one.
    items = [
        ClusterItem(
            article_id=rec["id"],
            text=rec["text"],
            entities=list((entities or {}).get(rec["id"], [])),
        )
        for rec in records
    ]
    background = load_background() if (config or ClusterConfig()).use_background else (0, {})
    # Two workers, as the link stage's default: the same events, in less time.
    clusterer = place_batch(lambda: EventClusterer(config, background), items, workers=2).clusterer
    events = {r["id"]: clusterer.event_of(r["id"]) or "" for r in records}
    stories = {r["id"]: clusterer.storyline_of(r["id"]) or "" for r in records}
    return events, stories


@dataclass
class IdCheck:
    """What became of the ids articles were given in the run that stored them, after the last
    run (``--runs``): still theirs, or old ids that resolve to where they are now, to another
    story (the side of a split that kept the id), or to nothing."""

    kept: int = 0
    followed: int = 0
    elsewhere: int = 0
    lost: int = 0

    def add(self, other: IdCheck) -> None:
        self.kept += other.kept
        self.followed += other.followed
        self.elsewhere += other.elsewhere
        self.lost += other.lost

    def line(self) -> str:
        total = self.kept + self.followed + self.elsewhere + self.lost
        return (
            f"{total} ids given in earlier runs: {self.kept} unchanged, {self.followed} resolve "
            f"to the article's story, {self.elsewhere} to another one, {self.lost} to nothing"
        )


def pipeline_records(
    records: list[dict[str, Any]],
    workdir: Path,
    runs: int = 1,
    ids: dict[str, IdCheck] | None = None,
    rebuild_limit: int | None = None,
    published: str | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Run ``records`` in the given order through ingest, read and link into a fresh store in
    ``workdir``, in ``runs`` runs of consecutive records (as a collection grows day by day);
    return (article → event, article → storyline) for the articles stored after the last run.
    ``ids`` (keys ``event`` and ``storyline``) gathers what became of the ids given by earlier
    runs; ``rebuild_limit`` overrides the setting of that name (0: later runs place only their
    own articles, as they do past the limit); ``published`` gives every record that publication
    time (a collection of one news day: dates in the texts resolve against it)."""
    from storyline.app import App
    from storyline.ingest.stage import IngestStage
    from storyline.link.stage import LinkStage
    from storyline.pipeline import run_stages
    from storyline.read.stage import ReadStage
    from storyline.settings import Settings
    from storyline.store import Store

    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    workdir.mkdir(parents=True, exist_ok=True)
    overrides = {"db": str(workdir / "store.db"), "rebuild_limit": rebuild_limit}
    settings = Settings.resolve(overrides, environ={})
    given: dict[str, tuple[str, str]] = {}  # article -> (event, storyline) after its own run
    rows: list[Any] = []
    size = -(-len(records) // runs)
    for run in range(runs):
        chunk = records[run * size : (run + 1) * size]
        if not chunk:
            break
        source = workdir / f"ecbplus-{run}.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for rec in chunk:
                record = {"id": rec["id"], "text": rec["text"]}
                if published is not None:
                    record["published"] = published
                fh.write(json.dumps(record) + "\n")
        with App(settings=settings, store=Store(settings.db)) as app:
            stages = [IngestStage([str(source)]), ReadStage(), LinkStage()]
            run_stages(app, stages, lambda stage, done, total: None)
            rows = app.store.query(
                "SELECT id, event_id, storyline_id FROM articles WHERE status = 'ok'", ()
            )
            if run + 1 < runs:
                for r in rows:
                    if r["event_id"] and r["id"] not in given:
                        given[r["id"]] = (r["event_id"], r["storyline_id"])
            elif ids is not None and given:
                now = {r["id"]: (r["event_id"], r["storyline_id"]) for r in rows}
                for level, check in _check_ids(app.store, given, now).items():
                    ids.setdefault(level, IdCheck()).add(check)
    events = {r["id"]: r["event_id"] for r in rows if r["event_id"]}
    stories = {r["id"]: r["storyline_id"] for r in rows if r["storyline_id"]}
    return events, stories


def _check_ids(
    store: Any, given: Mapping[str, tuple[str, str]], now: Mapping[str, tuple[str, str]]
) -> dict[str, IdCheck]:
    """Compare the (event, storyline) ids articles were ``given`` with the ones they have
    ``now``, per level, resolving the old ids through the stored merges and splits."""
    from storyline.store.reads import load_story

    checks = {}
    for level, k in (("event", 0), ("storyline", 1)):
        check = checks[level] = IdCheck()
        for aid, old in given.items():
            if old[k] == now[aid][k]:
                check.kept += 1
                continue
            story = load_story(store, old[k])
            if story is None:
                check.lost += 1
            elif story.id == now[aid][k]:
                check.followed += 1
            else:
                check.elsewhere += 1
    return checks


def spacy_entities(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Return named entities per record from the project's spaCy pipeline (names only)."""
    from storyline.read.nlp import load_pipeline

    nlp = load_pipeline(disable=["lemmatizer"])
    keep = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
    out = {}
    for rec, doc in zip(
        records, nlp.pipe((r["text"] for r in records), batch_size=32), strict=True
    ):
        out[rec["id"]] = [e.text for e in doc.ents if e.label_ in keep]
    return out


def select_topics(records: list[dict[str, Any]], which: str) -> list[dict[str, Any]]:
    """Return the records of all, odd- or even-numbered topics (the two halves of dev)."""
    if which == "all":
        return records
    if which not in ("odd", "even"):
        raise ValueError(f"unknown topic half {which!r}: use all, odd or even")
    parity = 1 if which == "odd" else 0
    return [r for r in records if int(str(r["topic"])) % 2 == parity]


def order_labels(
    records: list[dict[str, Any]],
    orders: int,
    config: ClusterConfig | None = None,
    entities: Mapping[str, list[str]] | None = None,
    pipeline: Path | None = None,
    runs: int = 1,
    ids: dict[str, IdCheck] | None = None,
    rebuild_limit: int | None = None,
    published: str | None = None,
) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Yield (article → event, article → storyline) for ``orders`` streams: file order first,
    then shuffles with seeds 1, 2, ...; with ``pipeline`` (a work folder), each through the
    stages into a fresh store, in ``runs`` runs (see :func:`pipeline_records`)."""
    for k in range(orders):
        stream = list(records)
        if k:
            random.Random(k).shuffle(stream)
        if pipeline is not None:
            yield pipeline_records(
                stream, pipeline / f"order{k}", runs, ids, rebuild_limit, published
            )
        else:
            yield cluster_records(stream, config, entities)


def score_labels(
    records: list[dict[str, Any]], events: dict[str, str], stories: dict[str, str]
) -> dict[str, tuple[float, float, float]]:
    """Return B-cubed (P, R, F1) of event and storyline labels against the gold of ``records``."""
    return {
        "event": bcubed({r["id"]: r["subtopic"] for r in records}, events),
        "storyline": bcubed({r["id"]: r["topic"] for r in records}, stories),
    }


def run_orders(
    records: list[dict[str, Any]],
    orders: int,
    config: ClusterConfig | None = None,
    entities: Mapping[str, list[str]] | None = None,
    pipeline: Path | None = None,
    runs: int = 1,
    ids: dict[str, IdCheck] | None = None,
    rebuild_limit: int | None = None,
) -> list[dict[str, tuple[float, float, float]]]:
    """Score the streams of :func:`order_labels`."""
    streams = order_labels(records, orders, config, entities, pipeline, runs, ids, rebuild_limit)
    return [score_labels(records, events, stories) for events, stories in streams]


def main(argv: list[str] | None = None) -> int:
    """Print B-cubed scores per order and their spread; optionally write the first order's labels."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=5, help="number of input orders (default 5)")
    ap.add_argument("--data", type=Path, default=None, help="ECB+ JSONL (default: shared dev set)")
    ap.add_argument("--pred", type=Path, default=None, help="write the first order's event labels")
    ap.add_argument("--pred-topic", type=Path, default=None, help="and its storyline labels")
    ap.add_argument(
        "--topics",
        choices=("all", "odd", "even"),
        default="all",
        help="score only odd- or even-numbered topics (develop on one half, check on the other)",
    )
    ap.add_argument(
        "--ner",
        action="store_true",
        help="pass spaCy entities (as the read stage would) instead of the capitalisation fallback",
    )
    ap.add_argument(
        "--pipeline",
        action="store_true",
        help="run the texts through ingest, read and link (fresh stores in a temporary folder)",
    )
    ap.add_argument(
        "--runs",
        type=int,
        default=1,
        help="with --pipeline: store each order in this many runs, one after another, as a "
        "collection grows (default 1)",
    )
    ap.add_argument(
        "--published",
        default=None,
        metavar="DAY",
        help="with --pipeline: give every article this publication day (ISO 8601), as if the "
        "whole set were one news day's reports",
    )
    ap.add_argument(
        "--rebuild-limit",
        type=int,
        default=None,
        help="with --runs: the rebuild_limit setting (default: its default; 0: later runs place "
        "only their own articles, as past the limit)",
    )
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if args.runs > 1 and not args.pipeline:
        ap.error("--runs needs --pipeline: runs are separate link runs on one store")
    if args.published is not None and not args.pipeline:
        ap.error("--published needs --pipeline: only the ingest stage reads publication days")
    if args.pipeline and args.ner:
        ap.error("--ner does not apply with --pipeline: there the read stage finds the entities")
    try:
        records = load_records(args.data)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    records = select_topics(records, args.topics)
    entities = spacy_entities(records) if args.ner else None
    if args.pipeline:
        source = "the pipeline's (ingest, read and link stages)"
    else:
        source = "spaCy" if args.ner else "capitalisation fallback"
    results = []
    ids: dict[str, IdCheck] = {}
    with tempfile.TemporaryDirectory(prefix="ecbplus-") as tmp:
        pipeline = Path(tmp) if args.pipeline else None
        for k, (events, stories) in enumerate(
            order_labels(
                records,
                args.orders,
                None,
                entities,
                pipeline,
                args.runs,
                ids,
                args.rebuild_limit,
                args.published,
            )
        ):
            if k == 0 and args.pred:
                args.pred.write_text(json.dumps(events), encoding="utf-8")
            if k == 0 and args.pred_topic:
                args.pred_topic.write_text(json.dumps(stories), encoding="utf-8")
            results.append(score_labels(records, events, stories))
    runs = f", each in {args.runs} runs" if args.runs > 1 else ""
    if args.runs > 1 and args.rebuild_limit is not None:
        runs += f" (rebuild_limit {args.rebuild_limit})"
    if args.published is not None:
        runs += f", all published {args.published}"
    print(
        f"ECB+ dev ({args.topics} topics): {len(records)} articles, {args.orders} orders{runs}, "
        f"entities: {source}"
    )
    print(
        f"{'order':>5}  {'event P':>7} {'R':>6} {'F1':>6}   {'storyline P':>11} {'R':>6} {'F1':>6}"
    )
    for k, res in enumerate(results):
        e, s = res["event"], res["storyline"]
        print(f"{k:>5}  {e[0]:7.4f} {e[1]:6.4f} {e[2]:6.4f}   {s[0]:11.4f} {s[1]:6.4f} {s[2]:6.4f}")
    for level in ("event", "storyline"):
        f1s = [res[level][2] for res in results]
        print(
            f"{level:>9} F1: mean {statistics.mean(f1s):.4f}  min {min(f1s):.4f}  "
            f"max {max(f1s):.4f}  spread {max(f1s) - min(f1s):.4f}"
        )
    for level, check in ids.items():
        print(f"{level:>9} ids: {check.line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
