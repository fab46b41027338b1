"""``sbomscan scan``: the report, in any format, and the verdict's exit status."""

from __future__ import annotations

import argparse
from typing import IO

from .options import (
    Subcommands,
    add_bundle,
    add_data,
    add_output,
    add_paths,
    add_verdict,
    path_options,
    scan_report,
)
from .output import not_read_errors, note_written, progress_bars, use_color, verbose_documents, write


def register(sub: Subcommands) -> None:
    p = sub.add_parser("scan", help="scan SBOMs and report covered-vendor components")
    add_bundle(p)
    add_data(p)
    p.add_argument("--format", choices=("text", "json", "sarif", "markdown", "html"), default="text")
    add_output(p, "write the report here instead of stdout")
    add_verdict(p, "exit 1")
    add_paths(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..report import write_report

    report = scan_report(args, **path_options(args), progress=progress_bars(args, stderr, "finding"))
    verbose_documents(args, stderr, report)
    to_stdout = args.output in (None, "-")
    color = args.format == "text" and (
        args.color == "always" or (to_stdout and use_color(args.color, stdout))
    )
    write(lambda put: write_report(report, args.format, put, color=color), args.output, stdout)
    not_read_errors(report, stderr)
    if not to_stdout:
        note_written(args, stderr, report)
    return report.verdict.exit_status
