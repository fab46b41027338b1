"""``sbomscan attest``: the vendor's self-attestation of a scan — an in-toto Statement (signed
into a DSSE envelope with ``--sign``) or the earlier sbomscan record."""

from __future__ import annotations

import argparse
from typing import IO, Any

import orjson

from ..errors import UsageError
from .options import Subcommands, add_bundle, add_data, add_output, add_verdict, scan_report, verdict_options
from .output import not_read_errors, note_written, verbose_documents, write


def register(sub: Subcommands) -> None:
    p = sub.add_parser("attest", help="write a self-attestation (in-toto statement, optionally signed)")
    add_bundle(p)
    add_data(p)
    add_output(p, "attestation file to write (JSON)", required=True)
    p.add_argument(
        "--format",
        choices=("in-toto", "record"),
        default="in-toto",
        help="in-toto: an in-toto Statement v1 (default); record: the earlier sbomscan record (version 2)",
    )
    p.add_argument(
        "--sign",
        metavar="KEY.pem",
        help="sign with this Ed25519 private key: writes a DSSE envelope (passphrase from "
        "$SBOMSCAN_KEY_PASSPHRASE if the key is encrypted)",
    )
    add_verdict(p, "the attestation says 'fail' (and exits 1)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..attest.record import build_attestation, render_attestation

    report = scan_report(args)
    if args.format == "record":
        if args.sign:
            raise UsageError("--sign signs in-toto statements: drop --format record")
        text = render_attestation(build_attestation(report))
    else:
        text = _statement_text(report, args)
    write(text, args.output, stdout)
    not_read_errors(report, stderr)
    verbose_documents(args, stderr, report)
    note_written(args, stderr, report, " signed" if args.sign else "")
    return report.verdict.exit_status


def _statement_text(report: Any, args: argparse.Namespace) -> str:
    """The in-toto statement, or a DSSE envelope holding it when ``--sign`` is given."""
    from ..attest.intoto import ScanParameters, build_statement, render_statement

    params = ScanParameters(
        report.as_of.isoformat(),
        **verdict_options(args),
        buyer=args.buyer,
        exclude=tuple(args.exclude),
        strict=args.strict,
        max_bytes=args.max_bytes,
    )
    body = render_statement(build_statement(report, params))
    if not args.sign:
        return body.decode("utf-8")
    from ..attest import dsse

    envelope = dsse.sign_envelope(body, dsse.load_private_key(args.sign))
    return orjson.dumps(envelope, option=orjson.OPT_INDENT_2).decode() + "\n"
