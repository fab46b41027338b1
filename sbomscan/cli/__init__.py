"""The ``sbomscan`` command line: one module per command in this package, listed in
:data:`COMMANDS`; the option blocks they share in :mod:`.options`, output in :mod:`.output`.

This is the one place that catches :class:`~sbomscan.errors.SbomscanError`: a bad input
prints one line naming the file (and the place in it) and exits 2 — never a traceback.
Exit status of ``scan`` and ``attest``, always after the report or record is written: the
verdict's (:class:`~sbomscan.report.model.Verdict`) — 0 for ``pass`` and
``pass-with-gaps``, 1 for ``fail`` (an unwaived finding at or above ``--fail-on``, default
``prohibited``; or a gap with ``--require-complete``), 2 for ``incomplete`` (an input that
counts was not read) and for a usage error.

A command is a module here with ``register(subcommands)``, which adds its parser with
``set_defaults(func=run)``, and ``run(args, stdout, stderr) -> int`` (the exit status);
adding one is that module and its name in :data:`COMMANDS` (docs/architecture.md, "How to
add a command").

>>> main(["--version"])  # doctest: +ELLIPSIS
sbomscan ...
0
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import IO, Protocol, cast

from ..errors import SbomscanError
from .options import EXIT_ERROR, EXIT_OK, Parser, Subcommands, add_conventions
from .output import encodable
from .version import VersionAction

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS = (
    "scan",
    "batch",
    "paths",
    "entities",
    "graph",
    "attest",
    "far_report",
    "keygen",
    "verify",
    "portfolio",
    "completion",
)
"""The command modules of this package, in the order ``sbomscan --help`` lists them."""


class Command(Protocol):
    """What :data:`COMMANDS` names: a module that adds its subcommand to the parser."""

    def register(self, sub: Subcommands) -> None: ...


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every subcommand parser below ``parser`` (each once, aliases skipped)."""
    found: dict[int, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for p in action.choices.values():
                if id(p) not in found:
                    found[id(p)] = p
                    found.update((id(q), q) for q in _subparsers(p))
    return list(found.values())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation, shell completion and tests)."""
    parser = Parser(
        prog="sbomscan",
        description="Find covered-vendor code (Kaspersky, Huawei, ZTE, Hytera, Hikvision, Dahua, "
        "FCC Covered List) anywhere in an SBOM's supply chain, with the path to it.",
    )
    parser.add_argument(
        "--version", action=VersionAction, help="print the tool, distribution and entity-data versions"
    )
    add_conventions(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for name in COMMANDS:
        cast(Command, importlib.import_module(f"{__name__}.{name}")).register(sub)
    for p in _subparsers(parser):
        add_conventions(p, top=False)
    parser.set_defaults(root_parser=parser)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``. A command that sets the default ``more`` to the name of its positional
    list (``verify``'s files) takes words after its options into it too: argparse alone
    leaves a positional list that options interrupted unfinished."""
    args, extra = parser.parse_known_args(argv)
    more = getattr(args, "more", None)
    if extra and more and not any(x.startswith("-") for x in extra):
        getattr(args, more).extend(extra)
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(
    argv: Sequence[str] | None = None, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> int:
    """Run the CLI; returns the exit status (the console script passes it to ``sys.exit``)."""
    out = encodable(stdout if stdout is not None else sys.stdout)
    err = encodable(stderr if stderr is not None else sys.stderr)
    parser = build_parser()
    try:
        # argparse writes --help, --version and its usage errors to sys.stdout / sys.stderr:
        # send them where the caller asked for the output too
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = _parse(parser, list(argv) if argv is not None else sys.argv[1:])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        return int(args.func(args, out, err))
    except SbomscanError as exc:
        from ..report.text import one_line

        # the message may quote the input (JSON keys, XML names): no terminal controls
        err.write(one_line(f"sbomscan: error: {exc.diagnostic()}") + "\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write("sbomscan: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``sbomscan scan ... | head``): not an error of ours.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stop Python's flush at exit from failing
        return EXIT_OK
