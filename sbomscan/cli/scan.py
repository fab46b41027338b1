"""``sbomscan scan``: the report, in any format, and the verdict's exit status."""

from __future__ import annotations

import argparse
from typing import IO

from .options import Subcommands, add_bundle, add_data, add_paths, add_verdict, entity_db, verdict_options
from .output import not_read_errors, note, use_color, verbose_documents, write


def register(sub: Subcommands) -> None:
    p = sub.add_parser("scan", help="scan SBOMs and report covered-vendor components")
    add_bundle(p)
    add_data(p)
    p.add_argument("--format", choices=("text", "json", "sarif", "markdown"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout")
    add_verdict(p, "exit 1")
    add_paths(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..report import write_report
    from ..scan import scan

    report = scan(
        args.paths,
        entities=entity_db(args.entities),
        as_of=args.as_of,
        waivers=args.waivers,
        strict=args.strict,
        all_paths=args.all_paths,
        max_paths=args.max_paths,
        max_depth=args.max_depth,
        exclude=args.exclude,
        max_bytes=args.max_bytes,
        **verdict_options(args),
        buyer=args.buyer,
    )
    verbose_documents(args, stderr, report)
    to_stdout = args.output in (None, "-")
    color = args.format == "text" and (
        args.color == "always" or (to_stdout and use_color(args.color, stdout))
    )
    write(lambda put: write_report(report, args.format, put, color=color), args.output, stdout)
    not_read_errors(report, stderr)
    if not to_stdout:
        s = report.summary
        note(
            args,
            stderr,
            f"sbomscan: wrote {args.output}: {report.outcome} ({s.prohibited} prohibited, {s.review} review, "
            f"{s.notice} notice, {s.waived} waived)",
        )
    return report.verdict.exit_status
