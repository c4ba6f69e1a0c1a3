"""The command-line contract: help for every command, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.cli import build_parser, main

COMMANDS = ["run", "ingest", "export", "report"]


def _cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: storyline " + command in capsys.readouterr().out


def test_readme_documents_every_command() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for command in sub.choices:  # type: ignore[union-attr]
        assert f"storyline {command}" in readme, f"README does not document `storyline {command}`"


def test_bad_usage_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "nonsense"])
    assert exit_info.value.code == 1


def test_missing_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = _cli("ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nope.txt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_without_database_exits_1(tmp_path: Path) -> None:
    result = _cli("export", "articles", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 1
    assert "does not exist" in result.stderr


def test_ingest_summary_and_exports(tmp_path: Path, examples_dir: Path) -> None:
    db = str(tmp_path / "s.db")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    result = _cli("ingest", str(examples_dir), str(tmp_path / "in"), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "stored" in result.stdout and "rejected:" in result.stdout
    out = tmp_path / "articles.json"
    assert _cli("export", "articles", "--db", db, "--out", str(out)).returncode == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(r["status"] for r in records) == ["empty", "not_text", "ok", "ok"]
    jsonl = _cli("export", "articles", "--format", "jsonl", "--db", db).stdout.splitlines()
    assert len(jsonl) == 4
    csv_out = _cli("export", "articles", "--format", "csv", "--db", db).stdout
    assert csv_out.splitlines()[0].startswith("id,source,outlet,title")
