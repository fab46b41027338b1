"""``sbomscan keygen``: an Ed25519 key pair for signing attestations."""

from __future__ import annotations

import argparse
from typing import IO

from .options import EXIT_OK, Subcommands
from .output import note


def register(sub: Subcommands) -> None:
    p = sub.add_parser("keygen", help="make an Ed25519 key pair for signing attestations")
    p.add_argument("private", metavar="PRIVATE.pem", help="private key file to write (never overwritten)")
    p.add_argument("--public", metavar="FILE", help="public key file to write (default PRIVATE.pem.pub)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..attest.dsse import generate_key

    public = args.public or args.private + ".pub"
    kid = generate_key(args.private, public)
    note(args, stderr, f"sbomscan: wrote {args.private} (private: keep it secret) and {public} ({kid})")
    return EXIT_OK
