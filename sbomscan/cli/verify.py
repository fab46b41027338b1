"""``sbomscan verify``: check an attestation — its signature, the files against its
subjects, and the outcome again (:mod:`sbomscan.attest.verify`)."""

from __future__ import annotations

import argparse
from typing import IO

from .options import EXIT_FINDINGS, EXIT_OK, Subcommands, add_overlays


def register(sub: Subcommands) -> None:
    p = sub.add_parser("verify", help="check an attestation: signature, files, and the outcome again")
    # one positional list, so that files may follow options (argparse gives a second,
    # optional positional list nothing once an option came between the two)
    p.add_argument(
        "items",
        nargs="+",
        metavar="ATTESTATION [FILE ...]",
        help="statement or DSSE envelope (JSON), then the SBOM bundle as received (files or folders)",
    )
    p.add_argument("--key", metavar="PUB.pem", help="the signer's Ed25519 public key")
    add_overlays(p, "entity overlay to re-run the scan with, as the vendor did (repeatable)")
    p.set_defaults(func=run, more="items")


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..attest.verify import verify
    from ..report.text import terminal_safe

    result = verify(args.items[0], key=args.key, files=args.items[1:], entities=args.entities)
    for line in result.lines:
        stdout.write(terminal_safe(line) + "\n")
    stdout.write(("verified" if result.ok else "NOT verified") + "\n")
    return EXIT_OK if result.ok else EXIT_FINDINGS
