"""The option blocks the subcommands share, each declared once, and the parser class.

A command module adds the blocks it takes (``add_bundle(p)``, ``add_data(p)`` ...); the
values are read back by name from the parsed :class:`argparse.Namespace`. ``-q``, ``-v``
and ``--color`` are added to every subcommand by :func:`sbomscan.cli.build_parser`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from ..report.model import Report

__all__ = [
    "BUYER_CHOICES",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "FAIL_ON_CHOICES",
    "Parser",
    "Subcommands",
    "add_bundle",
    "add_conventions",
    "add_data",
    "add_output",
    "add_overlays",
    "add_paths",
    "add_repeatable",
    "add_verdict",
    "entity_db",
    "load_bundle_for",
    "path_options",
    "positive",
    "scan_report",
    "size",
    "verdict_options",
]

BUYER_CHOICES = ("dod", "civilian", "intelligence-community")
"""``--buyer`` values: :data:`sbomscan.entities.BUYERS`, spelled out so that the parser does
not import the entity package (a test keeps the two equal)."""

FAIL_ON_CHOICES = ("prohibited", "review", "notice", "never")
"""``--fail-on`` values: :data:`sbomscan.policy.FAIL_ON`, spelled out so that building the
parser does not import the policy, the matcher and the entity package (a test keeps the two
equal)."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr and exit 2 (argparse's own convention)."""

    def error(self, message: str) -> Any:  # pragma: no cover - exercised through main()
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


Subcommands: TypeAlias = "argparse._SubParsersAction[Parser]"
"""What a command module's ``register`` is given: ``add_parser`` makes its parser."""


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def size(text: str) -> int:
    """A byte count, with an optional K, M or G suffix (powers of 1024).

    >>> size("64M")
    67108864
    """
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    scale = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(t[-1:], 1)
    try:
        value = int(t[:-1] if scale > 1 else t) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 500M or 2G, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 byte, not {text!r}")
    return value


def add_bundle(p: argparse.ArgumentParser, *, paths: bool = True) -> None:
    """The inputs: ``PATH ...`` and how they are read (read back by :func:`load_bundle_for`
    and :func:`scan_report`); ``paths=False`` for a command that names its bundles its own
    way (``batch``: one bundle per path)."""
    if paths:
        p.add_argument("paths", nargs="+", metavar="PATH", help="SBOM files or directories ('-' for stdin)")
    p.add_argument("--strict", action="store_true", help="validate every input against its official schema")
    add_repeatable(
        p,
        "--exclude",
        "GLOB",
        "in folders and archives, do not consider files matching GLOB (path below the folder or "
        "file name; a matching folder is skipped whole; repeatable)",
    )
    p.add_argument(
        "--max-bytes",
        type=size,
        default=2 * 1024**3,
        metavar="SIZE",
        help="largest input read, after decompression; also bounds an archive's members in all "
        "(default 2G; K, M, G suffixes)",
    )


def add_data(p: argparse.ArgumentParser, *, waivers: bool = True, buyer: bool | None = None) -> None:
    """What the scan is checked against: entity overlays, the as-of date and, unless
    ``waivers`` is false, the waivers; the buyer too unless ``buyer`` is false (default:
    as ``waivers``)."""
    add_overlays(p, "entity overlay merged over the shipped data (repeatable)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="apply the laws as on this date (default: today)")
    if waivers:
        p.add_argument("--waivers", metavar="FILE", help="waivers file (JSON or YAML)")
    if waivers if buyer is None else buyer:
        p.add_argument(
            "--buyer",
            choices=BUYER_CHOICES,
            default=None,
            help="scan as this kind of buyer: only the laws that bind it apply "
            "(default: any federal buyer, every law)",
        )


def add_repeatable(p: argparse.ArgumentParser, flag: str, metavar: str, help: str) -> None:
    """An option that may be given many times; its value is the list of them (empty when
    not given)."""
    p.add_argument(flag, action="append", default=[], metavar=metavar, help=help)


def add_overlays(p: argparse.ArgumentParser, help: str) -> None:
    """``--entities FILE`` (repeatable): entity overlays, read by :func:`entity_db`."""
    add_repeatable(p, "--entities", "FILE", help)


def add_output(p: argparse.ArgumentParser, help: str, *, required: bool = False) -> None:
    """``-o/--output FILE``; without it (or with ``-``) the output goes to standard output
    (:func:`sbomscan.cli.output.write`)."""
    p.add_argument("-o", "--output", required=required, metavar="FILE", help=help)


def add_verdict(p: argparse.ArgumentParser, what: str) -> None:
    """How the outcome is decided; ``what`` says what happens at ``--fail-on``."""
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON_CHOICES,
        default="prohibited",
        help=f"{what} when an unwaived finding is at or above this severity (default prohibited)",
    )
    p.add_argument(
        "--require-complete",
        action="store_true",
        help="opaque components (name and version only) and sub-SBOMs not supplied fail too",
    )
    p.add_argument(
        "--count-skipped",
        action="store_true",
        help="every file not read makes the scan incomplete, even one with no sign of an SBOM",
    )


def add_paths(p: argparse.ArgumentParser) -> None:
    """Which paths to a component are traced (read back by :func:`path_options`)."""
    p.add_argument("--all-paths", action="store_true", help="all simple paths, not only the shortest")
    p.add_argument("--max-paths", type=positive, default=10, metavar="N", help="at most N paths (default 10)")
    p.add_argument("--max-depth", type=positive, default=None, metavar="N", help="paths of at most N steps")


def add_conventions(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``-q``, ``-v`` and ``--color`` on the top-level parser and on every subcommand.

    They are accepted before or after the subcommand (``sbomscan -q scan x`` and ``sbomscan
    scan x -q``); a subcommand's copy has no default, so it never undoes the top-level one.
    """
    d: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    g = parser.add_argument_group("output") if not top else parser
    g.add_argument(
        "-q", "--quiet", action="store_true", help="no summaries or notes on stderr (errors still shown)", **d
    )
    g.add_argument(
        "-v",
        "--verbose",
        action="count",
        help="say what was read on stderr; -vv adds every diagnostic",
        **({"default": 0} if top else d),
    )
    g.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        help="colour severities in the text report: auto (default) on a terminal when NO_COLOR is unset",
        **({"default": "auto"} if top else d),
    )


def verdict_options(args: argparse.Namespace) -> dict[str, Any]:
    """The :func:`add_verdict` block as :func:`sbomscan.scan` keywords."""
    return {
        "fail_on": args.fail_on,
        "require_complete": args.require_complete,
        "count_skipped": args.count_skipped,
    }


def path_options(args: argparse.Namespace) -> dict[str, Any]:
    """The :func:`add_paths` block as :func:`sbomscan.scan` / :func:`sbomscan.trace` keywords."""
    return {"all_paths": args.all_paths, "max_paths": args.max_paths, "max_depth": args.max_depth}


def entity_db(overlays: Sequence[str]) -> Any:
    """The shipped entity data with ``overlays`` merged over it."""
    from ..entities import load_entities

    return load_entities(list(overlays))


def scan_report(args: argparse.Namespace, **more: Any) -> Report:
    """The scan that the bundle, data and verdict blocks ask for; ``more`` adds keywords of
    :func:`sbomscan.scan` that only some commands take (``**path_options(args)``)."""
    from ..scan import scan

    return scan(
        args.paths,
        entities=entity_db(args.entities),
        as_of=args.as_of,
        waivers=args.waivers,
        strict=args.strict,
        exclude=args.exclude,
        max_bytes=args.max_bytes,
        **verdict_options(args),
        buyer=args.buyer,
        **more,
    )


def load_bundle_for(args: argparse.Namespace, stderr: IO[str]) -> tuple[Any, bool]:
    """The bundle's documents, and whether an input that counts was not read.

    ``paths`` and ``graph`` have no report to list such inputs in: each one is a warning on
    stderr, the command still prints what it can, and then exits 2 (incomplete).
    """
    from ..report.text import one_line
    from ..scan import load_bundle

    docs, inputs, _ = load_bundle(
        args.paths, strict=args.strict, exclude=args.exclude, max_bytes=args.max_bytes
    )
    missing = [r for r in inputs if r.status == "not-read" and r.counts]
    for r in missing:
        stderr.write(one_line(f"sbomscan: warning: {r.path}: not read ({r.reason}): {r.message}") + "\n")
    if (getattr(args, "verbose", 0) or 0) >= 1 and not getattr(args, "quiet", False):
        for r in inputs:
            if r.status == "not-read" and not r.counts:
                stderr.write(one_line(f"sbomscan: skipped {r.path} ({r.reason}): {r.message}") + "\n")
    return docs, bool(missing)
