"""``sbomscan far-report``: drafts of the contractor's reports under FAR 52.204-23(c) /
52.204-25(d), one per finding (:mod:`sbomscan.report.far`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import IO

from ..errors import UsageError
from .options import Subcommands, add_bundle, add_data, add_output, add_repeatable, add_verdict, scan_report
from .output import not_read_errors, write


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "far-report",
        help="draft the contractor's reports under FAR 52.204-23(c) / 52.204-25(d), one per finding",
    )
    add_bundle(p)
    add_data(p)
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    add_output(p, "write the drafts here instead of stdout")
    p.add_argument("--contract", metavar="NUMBER", help="the contract number")
    add_repeatable(p, "--order", "NUMBER", "an order number (repeatable)")
    add_repeatable(
        p,
        "--uei",
        "[SUPPLIER=]UEI",
        "a supplier's unique entity identifier; without SUPPLIER=, for every supplier (repeatable)",
    )
    add_repeatable(
        p,
        "--cage",
        "[SUPPLIER=]CAGE",
        "a supplier's CAGE code; without SUPPLIER=, for every supplier (repeatable)",
    )
    add_verdict(p, "exit 1")
    p.set_defaults(func=run)


def _supplier_ids(values: Sequence[str], option: str) -> dict[str, str]:
    """``SUPPLIER=ID`` or ``ID`` (key ``""``: every supplier) options as a mapping."""
    out: dict[str, str] = {}
    for v in values:
        name, sep, ident = v.rpartition("=") if "=" in v else ("", "", v)
        if not ident.strip() or (sep and not name.strip()):
            raise UsageError(f"{option} {v!r}: expected SUPPLIER=ID or ID")
        out[name.strip()] = ident.strip()
    return out


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..report.far import ContractDetails, render_far_json, render_far_markdown

    details = ContractDetails(
        args.contract,
        tuple(args.order),
        _supplier_ids(args.uei, "--uei"),
        _supplier_ids(args.cage, "--cage"),
    )
    report = scan_report(args)
    render = render_far_json if args.format == "json" else render_far_markdown
    write(render(report, details), args.output, stdout)
    not_read_errors(report, stderr)
    return report.verdict.exit_status
