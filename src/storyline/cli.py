"""The command line: parse, call the library, format. Nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any, NoReturn

from storyline import __version__
from storyline.errors import InputError, ModelNotFoundError, StorylineError, UsageError

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 1 on bad usage, as the CLI contract says."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"storyline: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command (also used to check the docs)."""
    parser = _Parser(
        prog="storyline",
        description="Turn a pile of news articles into stories you can read, check and cite.",
    )
    parser.add_argument("--version", action="version", version=f"storyline {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", metavar="FILE", help="database file (default ./storyline.db or $STORYLINE_DB)"
        )
        p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")

    inputs_help = (
        "files, directories (recursive: .txt .html .htm .html.gz .jsonl .warc .warc.gz), "
        "http(s) URLs, feed URLs, or - for JSON Lines on standard input"
    )
    p_run = sub.add_parser(
        "run",
        help="ingest and process everything, incrementally",
        description="Ingest INPUTs, then read, link and brief everything not yet done.",
    )
    p_run.add_argument("inputs", nargs="*", metavar="INPUT", help=inputs_help)
    p_run.add_argument("--workers", type=int, help="worker processes (default 2)")
    p_run.add_argument(
        "--allow-private-addresses",
        action="store_true",
        default=None,
        help="let the fetcher reach private and loopback addresses",
    )
    db_option(p_run)

    p_ingest = sub.add_parser(
        "ingest",
        help="only ingest: clean articles with metadata, duplicates linked",
        description="Ingest INPUTs into the store: clean text, metadata, duplicates.",
    )
    p_ingest.add_argument("inputs", nargs="+", metavar="INPUT", help=inputs_help)
    p_ingest.add_argument("--workers", type=int, help="worker processes (default 2)")
    p_ingest.add_argument(
        "--allow-private-addresses",
        action="store_true",
        default=None,
        help="let the fetcher reach private and loopback addresses",
    )
    db_option(p_ingest)

    from storyline.render.export import EXPORT_FORMATS, EXPORT_KINDS

    p_export = sub.add_parser(
        "export",
        help="write records as JSON, JSON Lines or CSV",
        description="Export one kind of record from the store.",
    )
    p_export.add_argument(
        "kind",
        choices=list(EXPORT_KINDS),
        metavar="KIND",
        help="one of: " + ", ".join(EXPORT_KINDS),
    )
    p_export.add_argument(
        "--format", choices=EXPORT_FORMATS, default="json", help="output format (default json)"
    )
    p_export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    db_option(p_export)

    p_report = sub.add_parser(
        "report",
        help="write the static, self-contained HTML report",
        description="Write an offline HTML report (and Markdown) of every story.",
    )
    p_report.add_argument(
        "--out",
        metavar="DIR",
        default="storyline-report",
        help="output folder (default ./storyline-report)",
    )
    db_option(p_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``storyline`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "run": _cmd_run,
        "ingest": _cmd_ingest,
        "export": _cmd_export,
        "report": _cmd_report,
    }
    try:
        return handlers[args.command](args)
    except (UsageError, InputError, ModelNotFoundError) as exc:
        print(f"storyline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StorylineError as exc:
        print(f"storyline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("storyline: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    except Exception as exc:
        if getattr(args, "debug", False) or os.environ.get("STORYLINE_DEBUG"):
            raise
        print(
            f"storyline: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _settings(args: argparse.Namespace) -> Any:
    from storyline.settings import Settings

    return Settings.resolve(
        {
            "db": getattr(args, "db", None),
            "workers": getattr(args, "workers", None),
            "allow_private_addresses": getattr(args, "allow_private_addresses", None),
            "debug": getattr(args, "debug", False) or None,
        }
    )


def _stdin_for(inputs: Sequence[str]) -> Any:
    return sys.stdin.buffer if "-" in inputs else None


def _cmd_ingest(args: argparse.Namespace) -> int:
    from storyline.api import ingest

    settings = _settings(args)
    with _progress() as progress:
        reports = ingest(
            args.inputs, settings=settings, stdin=_stdin_for(args.inputs), progress=progress
        )
    _print_summary(reports, settings.db)
    return _exit_for_failures(reports)


def _cmd_run(args: argparse.Namespace) -> int:
    from storyline.api import run

    settings = _settings(args)
    with _progress() as progress:
        reports = run(
            args.inputs, settings=settings, stdin=_stdin_for(args.inputs), progress=progress
        )
    _print_summary(reports, settings.db)
    return _exit_for_failures(reports)


def _cmd_export(args: argparse.Namespace) -> int:
    from storyline.render.export import iter_records, write_records
    from storyline.store import Store

    settings = _settings(args)
    with Store(settings.db, readonly=True) as store:
        records = iter_records(store, args.kind)
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            with open(args.out, "w", encoding="utf-8", newline="") as out:
                count = write_records(records, args.format, out)
            print(f"wrote {count} {args.kind} to {args.out}", file=sys.stderr)
        else:
            write_records(records, args.format, sys.stdout)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from storyline.api import report

    settings = _settings(args)
    index = report(args.out, settings=settings)
    print(f"report written: {index}", file=sys.stderr)
    return EXIT_OK


def _progress() -> Any:
    """A rich progress bar on a terminal; nothing when standard error is piped."""
    if not sys.stderr.isatty():
        return nullcontext(lambda stage, done, total: None)
    from storyline.cli_progress import RichProgress

    return RichProgress()


def _exit_for_failures(reports: Sequence[Any]) -> int:
    """Name each item a stage could not process for an internal error; exit 2 if there were any.

    The run did everything else, so this is reported after the summary rather than as a crash.
    """
    failures = [f for report in reports for f in report.failures]
    for failure in failures:
        print(f"storyline: internal error in {failure}", file=sys.stderr)
    if not failures:
        return EXIT_OK
    print(
        f"storyline: {len(failures)} item(s) failed with an internal error and were left out; "
        "everything else was done, and the next run tries them again "
        "(run with --debug for the traceback)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def _print_summary(reports: Sequence[Any], db: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    table = Table(title=f"storyline: {db}", show_header=True, header_style="bold")
    table.add_column("stage")
    table.add_column("what")
    table.add_column("count", justify="right")
    for report in reports:
        table.add_row(report.stage, "processed", str(report.processed))
        if report.skipped:
            table.add_row(report.stage, "skipped (already done)", str(report.skipped))
        for what, count in sorted(report.counts.items()):
            table.add_row(report.stage, what, str(count))
        table.add_row(report.stage, "seconds", f"{report.seconds:.1f}")
    console.print(table)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
