"""``sbomscan batch``: many bundles scanned in parallel on a Dask cluster, one JSON line each
(:mod:`sbomscan.batch`; docs/batch.md).

Exit status: 1 when any bundle fails, else 2 when any is incomplete or could not be
scanned, else 0 (:class:`~sbomscan.batch.BatchSummary`); 2 for a usage error, before any
bundle is scanned.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import IO, Any

from ..errors import UsageError
from .options import (
    Subcommands,
    add_bundle,
    add_data,
    add_paths,
    add_verdict,
    path_options,
    positive,
    verdict_options,
)
from .output import note, progress_bars, write


def register(sub: Subcommands) -> None:
    p = sub.add_parser("batch", help="scan many bundles in parallel on a Dask cluster (JSON lines)")
    p.add_argument(
        "bundles",
        nargs="*",
        metavar="BUNDLE",
        help="one bundle each: an SBOM file, a folder or an archive of a product's SBOMs",
    )
    p.add_argument(
        "--from",
        dest="bundles_from",
        metavar="FILE",
        help="read more bundles from FILE, one path a line ('-': standard input)",
    )
    add_bundle(p, paths=False)
    add_data(p)
    add_verdict(p, "exit 1")
    add_paths(p)
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=positive,
        metavar="N",
        help="start a local cluster of N worker processes (default: one per core)",
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="use the Dask cluster at ADDRESS (tcp://host:8786) instead"
    )
    p.add_argument(
        "--chunk",
        type=positive,
        default=None,
        metavar="N",
        help="bundles per task (default: up to 128, at least four tasks per worker; more per task "
        "cuts Dask's share on small bundles)",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument(
        "-o", "--output", metavar="FILE", help="write the JSON-lines result set here instead of stdout"
    )
    out.add_argument(
        "--portfolio",
        nargs="?",
        const="",
        metavar="STORE",
        help="add each bundle to this portfolio store instead (default: $SBOMSCAN_PORTFOLIO), "
        "as 'sbomscan portfolio add' does; a local cluster only",
    )
    p.set_defaults(func=run)


def bundles_of(args: argparse.Namespace) -> list[str]:
    """The bundles named on the command line, then those listed in ``--from`` (blank lines
    skipped); standard input itself cannot be a bundle (the workers read the files)."""
    bundles = list(args.bundles)
    if args.bundles_from is not None:
        bundles += _listed(args.bundles_from, sys.stdin)
    if not bundles:
        raise UsageError("no bundle to scan: give bundle paths, or --from FILE")
    if "-" in bundles:
        raise UsageError("a batch reads its bundles from files: give paths, not '-' (standard input)")
    return bundles


def _listed(source: str, stdin: IO[str]) -> list[str]:
    try:
        if source == "-":
            text = stdin.read()
        else:
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{source}: cannot read the list of bundles: {reason}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..batch import BatchOptions, BatchSummary, run_batch

    bundles = bundles_of(args)
    store = _store(args)
    options = BatchOptions.prepare(
        portfolio=store,
        as_of=args.as_of,
        entities=args.entities,
        waivers=args.waivers,
        strict=args.strict,
        max_bytes=args.max_bytes,
        exclude=tuple(args.exclude),
        buyer=args.buyer,
        **verdict_options(args),
        **path_options(args),
    )
    progress = progress_bars(args, stderr, "bundle")
    summary = BatchSummary()
    problems: list[str] = []

    def produce(put: Callable[[str], object]) -> None:
        results = run_batch(
            bundles,
            options,
            scheduler=args.scheduler,
            workers=args.workers,
            chunk=args.chunk,
            progress=progress,
        )
        for result in results:
            if store is None:
                put(_line(result))
            summary.add(result)
            problem = _problem(result)
            if problem is not None:
                problems.append(problem)

    write(produce, args.output, stdout)
    for problem in problems:
        stderr.write(problem)
    if store is not None:
        where = f"; added to {store}"
    else:
        where = "" if args.output in (None, "-") else f"; wrote {args.output}"
    note(args, stderr, f"sbomscan: {summary.line()}{where}")
    return summary.exit_status


def _store(args: argparse.Namespace) -> str | None:
    """The portfolio store the results go into, or ``None`` for a result set. Workers on
    other machines cannot write to a SQLite file here, so not with ``--scheduler``."""
    if args.portfolio is None:
        return None
    if args.scheduler is not None:
        raise UsageError(
            "--portfolio: a portfolio is a SQLite file on this machine; with --scheduler, "
            "write a result set (-o) instead"
        )
    from ..portfolio import store_path

    return store_path(args.portfolio or None)


def _line(result: Any) -> str:
    from ..batch import result_line

    return result_line(result)


def _problem(result: Any) -> str | None:
    """The error line for a bundle with no report, or one whose inputs were not all read:
    the result set says so too, but a person at a terminal must see why the batch exits 2."""
    from ..report.text import one_line

    if result.error is not None:
        return one_line(f"sbomscan: error: {result.bundle}: {result.error}") + "\n"
    if result.outcome == "incomplete" and result.report is not None:
        missing = [i for i in result.report["inputs"] if i["status"] != "read"]
        return (
            one_line(f"sbomscan: error: {result.bundle}: {len(missing)} input(s) not read (see its report)")
            + "\n"
        )
    return None
