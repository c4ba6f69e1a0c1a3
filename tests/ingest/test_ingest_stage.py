"""The ingest stage end to end: stored once, idempotent, resumable after SIGKILL."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.api import ingest
from storyline.render.export import export_string
from storyline.settings import Settings
from storyline.store import ArticleStore, Store


def _settings(db: Path, **kw: object) -> Settings:
    return Settings.resolve({"db": str(db), "workers": 1, **kw}, environ={})


def _export(db: Path) -> list[dict[str, object]]:
    with Store(db) as store:
        return json.loads(export_string(store, "articles", "json"))


def test_examples_are_clean_and_stored_once(db_path: Path, examples_dir: Path) -> None:
    settings = _settings(db_path)
    ingest([str(examples_dir)], settings=settings)
    first = _export(db_path)
    ingest([str(examples_dir)], settings=settings)
    assert _export(db_path) == first  # the same inputs twice add nothing
    assert [a["status"] for a in first] == ["ok", "ok"]
    seed = next(a for a in first if "sealed in blood" in (a["title"] or ""))
    text = str(seed["text"])
    assert "Share this on" not in text and "SEE ALSO" not in text
    assert "Kevin Lamarque" not in text
    assert "Additional reporting" not in text
    assert any("AFP" in c for c in seed["credits"])  # type: ignore[union-attr]
    other = next(a for a in first if a is not seed)
    assert "Comments are closed" not in str(other["text"])
    assert all(a["published"] is None or a["published_source"] != "unknown" for a in first)


def test_given_jsonl_fields_win(db_path: Path) -> None:
    body = " ".join(["The council approved the budget after a long debate."] * 10)
    record = {
        "id": "my-id-1",
        "url": "https://news.example.org/a",
        "outlet": "Example News",
        "title": "Budget approved",
        "published": "2024-03-05",
        "text": body,
    }
    stdin = io.BytesIO((json.dumps(record) + "\n{not json\n").encode())
    reports = ingest(["-"], settings=_settings(db_path), stdin=stdin)
    assert reports[0].counts["rejected:bad_json"] == 1
    with Store(db_path) as store:
        article = ArticleStore(store).get("my-id-1")
    assert article is not None
    assert (article.outlet, article.title, article.published) == (
        "Example News",
        "Budget approved",
        "2024-03-05",
    )
    assert article.published_source == "metadata"


def test_a_one_sentence_record_is_news_and_a_short_page_is_not(db_path: Path) -> None:
    brief = "Esther Williams, swimming star, dies at 91"  # a wire flash: 7 words
    lead = "Williams, the star of Hollywood's swimming musicals, died at her home in Beverly Hills."
    page = f"<html><head><title>{brief}</title></head><body><p>{lead}</p></body></html>"
    lines = [
        {"id": "brief", "text": brief},
        {"id": "scrap", "text": "Read more here"},
        {"id": "page", "html": page},
    ]
    stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in lines).encode())
    reports = ingest(["-"], settings=_settings(db_path), stdin=stdin)
    assert reports[0].counts["rejected:no_article"] == 2
    rows = {str(a["id"]): a for a in _export(db_path)}
    assert rows["brief"]["status"] == "ok" and rows["brief"]["text"] == brief
    rejected = [a for a in rows.values() if a["status"] != "ok"]
    # Each keeps its reason: three words of text; a page that shows one sentence of a story.
    assert sorted(str(a["detail"]) for a in rejected) == [
        "only 14 words of body text after cleaning (need 25)",
        "only 3 words of body text after cleaning (need 5)",
    ]


def test_text_written_without_spaces_is_counted_by_its_characters(db_path: Path) -> None:
    # Chinese, Japanese and Thai put no spaces between words: a whole report is one "word" by
    # whitespace, and was refused as too short.
    lines = [
        {
            "id": "zh",
            "text": "国家主席习近平在大连同朝鲜劳动党委员长金正恩举行会晤。双方就半岛形势交换了意见。",
        },
        {
            "id": "ja",
            "text": "習近平国家主席は大連市で金正恩委員長と会談し、朝鮮半島情勢について意見を交換した。",
        },
        {"id": "th", "text": "นายกรัฐมนตรีกล่าวว่ารัฐบาลจะเพิ่มงบประมาณด้านการศึกษาในปีหน้า"},
        {"id": "short", "text": "你好。"},
    ]
    stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in lines).encode())
    reports = ingest(["-"], settings=_settings(db_path), stdin=stdin)
    assert reports[0].counts["stored"] == 3
    rows = {str(a["id"]): a for a in _export(db_path)}
    assert {rows[k]["status"] for k in ("zh", "ja", "th")} == {"ok"}
    (short,) = [a for a in rows.values() if a["status"] != "ok"]
    assert short["detail"] == "only 1 words of body text after cleaning (need 5)"


def test_a_given_id_holding_another_article_refuses_the_newcomer(db_path: Path) -> None:
    first = "Parliament in Ostravia approved the budget by 212 votes to 187 on Tuesday night."
    other = "A magnitude 6.1 earthquake struck Kermadia province on Tuesday, killing 14 people."
    lines = [
        {"id": "row-1", "text": first},
        {"id": "row-1", "text": other},  # another export numbering its rows alike
        {"id": "row-1", "text": first, "outlet": "Again"},  # the same article given again
    ]
    stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in lines).encode())
    counts = ingest(["-"], settings=_settings(db_path), stdin=stdin)[0].counts
    assert (counts["stored"], counts["rejected:id_taken"], counts["already stored"]) == (1, 1, 1)
    rows = {str(a["id"]): a for a in _export(db_path)}
    assert rows["row-1"]["text"] == first  # the stored article is kept as it was
    (refused,) = [a for a in rows.values() if a["status"] == "id_taken"]
    assert refused["source"] == "<stdin>#line=2"
    assert refused["detail"] == (
        "id 'row-1' already holds another article (from <stdin>#line=1); "
        "this record's text differs and was not stored"
    )


def test_a_unix_timestamp_is_a_publication_time(db_path: Path) -> None:
    text = "Parliament in Ostravia approved the budget by 212 votes to 187 on Tuesday night."
    lines = [
        {"id": "s", "text": text, "published": 1525737600},
        {"id": "ms", "text": text + " More.", "published": 1525737600000},
    ]
    stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in lines).encode())
    ingest(["-"], settings=_settings(db_path), stdin=stdin)
    rows = {str(a["id"]): a for a in _export(db_path)}
    assert rows["s"]["published"] == rows["ms"]["published"] == "2018-05-08T00:00:00+00:00"
    assert rows["s"]["published_source"] == "metadata"


def test_a_given_publication_time_that_is_no_date_is_counted(db_path: Path) -> None:
    text = "Parliament in Ostravia approved the budget by 212 votes to 187 on Tuesday night."
    lines = [
        {"id": "bad", "text": text, "published": "2018-13-45"},
        {"id": "words", "text": text + " More.", "published": "last week"},
        {"id": "good", "text": text + " Again.", "published": "2018-05-08"},
    ]
    stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in lines).encode())
    counts = ingest(["-"], settings=_settings(db_path), stdin=stdin)[0].counts
    assert counts["given publication times not understood (dated from the text)"] == 2
    rows = {str(a["id"]): a for a in _export(db_path)}
    assert (
        rows["good"]["published"] == "2018-05-08" and rows["bad"]["published_source"] != "metadata"
    )
    # the value itself stays with the article, so the user can see what to fix
    assert rows["words"]["detail"] == (
        "given publication time 'last week' is no date; dated from the text"
    )
    assert "'2018-13-45'" in str(rows["bad"]["detail"]) and rows["good"]["detail"] is None


def test_identical_text_is_one_article(db_path: Path, tmp_path: Path, examples_dir: Path) -> None:
    copy_dir = tmp_path / "copies"
    copy_dir.mkdir()
    for path in examples_dir.glob("*.txt"):
        (copy_dir / ("copy_" + path.name)).write_bytes(path.read_bytes())
    reports = ingest([str(examples_dir), str(copy_dir)], settings=_settings(db_path))
    assert reports[0].counts["identical copies"] == 2
    assert len(_export(db_path)) == 2


def _make_corpus(folder: Path, shared: Path, count: int) -> None:
    gold = json.loads((shared / "eval/extraction/ground-truth.json").read_text(encoding="utf-8"))
    folder.mkdir()
    for i, (key, value) in enumerate(sorted(gold.items())[:count]):
        (folder / f"{i:03d}_{key[:8]}.txt").write_text(
            f"Headline number {i}\n\n{value['articleBody']}", encoding="utf-8"
        )


def test_sigkill_then_resume_equals_one_clean_run(tmp_path: Path, shared: Path) -> None:
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, shared, 120)
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    ingest([str(corpus)], settings=_settings(clean_db))
    env = {**os.environ, "STORYLINE_WORKERS": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "ingest", str(corpus), "--db", str(killed_db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if killed_db.exists():
            try:
                with Store(killed_db) as store:
                    stored = store.query("SELECT COUNT(*) FROM articles")[0][0]
            except Exception:
                continue
            if stored >= 32:
                break
    if proc.poll() is not None:
        pytest.fail("the run finished before it could be killed; enlarge the corpus")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(_export(killed_db))
    assert 0 < partial < 120
    ingest([str(corpus)], settings=_settings(killed_db))

    def strip(records: list[dict[str, object]]) -> list[dict[str, object]]:
        return sorted(records, key=lambda r: str(r["id"]))

    assert strip(_export(killed_db)) == strip(_export(clean_db))


def test_files_of_other_types_in_a_folder_are_counted(db_path: Path, examples_dir: Path) -> None:
    # A folder of PDFs and feeds ingests nothing of them, and the run report says so.
    folder = db_path.parent / "mixed"
    (folder / "sub").mkdir(parents=True)
    for seed in examples_dir.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    for name in ("a.pdf", "b.pdf", "sub/c.PDF", "d.xml", "README", ".hidden.pdf"):
        (folder / name).write_bytes(b"%PDF-1.4 not read")
    (report,) = ingest([str(folder)], settings=_settings(db_path))
    assert report.counts["stored"] == 2
    assert report.counts["files of other types skipped (.pdf, no extension, .xml)"] == 5
    assert len(_export(db_path)) == 2  # skipped files are not stored as rejections either
