"""The ``sbomscan`` command line: ``scan``, ``paths``, ``entities``, ``graph``, ``attest``,
``keygen``, ``verify``, ``far-report``.

This is the one place that catches :class:`~sbomscan.errors.SbomscanError`: a bad input
prints one line naming the file (and the place in it) and exits 2 — never a traceback.
Exit status of ``scan`` and ``attest``, always after the report or record is written: the
verdict's (:class:`~sbomscan.report.model.Verdict`) — 0 for ``pass`` and
``pass-with-gaps``, 1 for ``fail`` (an unwaived finding at or above ``--fail-on``, default
``prohibited``; or a gap with ``--require-complete``), 2 for ``incomplete`` (an input that
counts was not read) and for a usage error.

>>> main(["--version"])  # doctest: +ELLIPSIS
sbomscan ...
0
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any, cast

import orjson

from .errors import SbomscanError, UsageError

__all__ = ["build_parser", "describe_identifier", "main"]

BUYER_CHOICES = ("dod", "civilian", "intelligence-community")
"""``--buyer`` values: :data:`sbomscan.entities.BUYERS`, spelled out so that the parser does
not import the entity package (a test keeps the two equal)."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr and exit 2 (argparse's own convention)."""

    def error(self, message: str) -> Any:  # pragma: no cover - exercised through main()
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _size(text: str) -> int:
    """A byte count, with an optional K, M or G suffix (powers of 1024).

    >>> _size("64M")
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


def _add_bundle(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="SBOM files or directories ('-' for stdin)")
    p.add_argument("--strict", action="store_true", help="validate every input against its official schema")
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders and archives, do not consider files matching GLOB (path below the folder or "
        "file name; a matching folder is skipped whole; repeatable)",
    )
    p.add_argument(
        "--max-bytes",
        type=_size,
        default=2 * 1024**3,
        metavar="SIZE",
        help="largest input read, after decompression; also bounds an archive's members in all "
        "(default 2G; K, M, G suffixes)",
    )


def _add_data(p: argparse.ArgumentParser, *, waivers: bool = True) -> None:
    p.add_argument(
        "--entities",
        action="append",
        default=[],
        metavar="FILE",
        help="entity overlay merged over the shipped data (repeatable)",
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="apply the laws as on this date (default: today)")
    if waivers:
        p.add_argument("--waivers", metavar="FILE", help="waivers file (JSON or YAML)")
        p.add_argument(
            "--buyer",
            choices=BUYER_CHOICES,
            default=None,
            help="scan as this kind of buyer: only the laws that bind it apply "
            "(default: any federal buyer, every law)",
        )


def _add_verdict(p: argparse.ArgumentParser, what: str) -> None:
    from .policy import FAIL_ON

    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
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


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("--all-paths", action="store_true", help="all simple paths, not only the shortest")
    p.add_argument(
        "--max-paths", type=_positive, default=10, metavar="N", help="at most N paths (default 10)"
    )
    p.add_argument("--max-depth", type=_positive, default=None, metavar="N", help="paths of at most N steps")


# ---------------------------------------------------------------------- conventions

#: The name this project is (to be) published under. ``sbomscan`` on PyPI is an unrelated
#: project that also installs a ``sbomscan`` package and command (README, "Installing").
DISTRIBUTION = "sbomscan-covered-vendors"


def version_text() -> str:
    """What ``--version`` prints: tool, distribution and entity-data versions (a result
    depends on both), plus a warning when the unrelated PyPI ``sbomscan`` is installed too.

    >>> version_text()  # doctest: +ELLIPSIS
    'sbomscan ... (distribution sbomscan-covered-vendors), entity data ...'
    """
    from . import __version__
    from .entities import load_entities

    try:
        data = f"entity data {load_entities().version}"
    except SbomscanError as exc:
        data = f"entity data unreadable: {exc.diagnostic()}"
    text = f"sbomscan {__version__} (distribution {DISTRIBUTION}), {data}"
    foreign = foreign_sbomscan()
    if foreign:
        text += (
            f"\nwarning: the unrelated PyPI package {foreign} is installed in this environment; it "
            "writes its own files into the same 'sbomscan' package folder. Uninstall it "
            "('python -m pip uninstall sbomscan') or use a separate virtual environment."
        )
    return text


def foreign_sbomscan() -> str | None:
    """The PyPI distribution named ``sbomscan`` when one is installed, as "name version".

    Only this project's own development installs made before the rename carry that name
    *and* this project's summary; anything else under that name is the other project.
    """
    from importlib import metadata

    try:
        dist = metadata.distribution("sbomscan")
    except metadata.PackageNotFoundError:
        return None
    if "covered-vendor" in (dist.metadata["Summary"] or ""):
        return None
    return f"'sbomscan' {dist.version}"


class _VersionAction(argparse.Action):
    """``--version``: computed only when asked (it reads the entity data)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, nargs=0, help=kwargs.get("help"))

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        sys.stdout.write(version_text() + "\n")
        parser.exit(EXIT_OK)


def _add_conventions(parser: argparse.ArgumentParser, *, top: bool) -> None:
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
    parser = _build_commands()
    for p in _subparsers(parser):
        _add_conventions(p, top=False)
    return parser


def _build_commands() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sbomscan",
        description="Find covered-vendor code (Kaspersky, Huawei, ZTE, Hytera, Hikvision, Dahua, "
        "FCC Covered List) anywhere in an SBOM's supply chain, with the path to it.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="print the tool, distribution and entity-data versions"
    )
    _add_conventions(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("scan", help="scan SBOMs and report covered-vendor components")
    _add_bundle(p)
    _add_data(p)
    p.add_argument("--format", choices=("text", "json", "sarif", "markdown"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout")
    _add_verdict(p, "exit 1")
    _add_paths(p)
    p.set_defaults(func=_cmd_scan)

    p = sub.add_parser("paths", help="why is this component in the product? (every path from a root)")
    _add_bundle(p)
    p.add_argument("--to", required=True, metavar="NAME|PURL|ID", help="component name, purl or id")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _add_paths(p)
    p.set_defaults(func=_cmd_paths)

    p = sub.add_parser("entities", help="list, show or check covered-entity data")
    esub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    esub.required = True
    e = esub.add_parser("list", help="list the covered entities")
    _add_data(e, waivers=False)
    e.set_defaults(func=_cmd_entities_list)
    e = esub.add_parser("show", help="show one entity: names, identifiers, relations, coverage")
    e.add_argument("id", metavar="ID")
    _add_data(e, waivers=False)
    e.set_defaults(func=_cmd_entities_show)
    e = esub.add_parser("check", help="validate an entity overlay file")
    e.add_argument("file", metavar="FILE")
    e.set_defaults(func=_cmd_entities_check)
    e = esub.add_parser(
        "import", help="turn a Consolidated Screening List export (CSV or JSON) into an overlay"
    )
    e.add_argument("file", metavar="FILE", help="consolidated.csv or consolidated.json from trade.gov")
    e.add_argument("-o", "--output", metavar="FILE", help="write the overlay here instead of stdout")
    e.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the export's date (default today): the version, and the date of records with no start date",
    )
    e.add_argument(
        "--list",
        action="append",
        default=[],
        metavar="CODE",
        help="only this source list (EL, MEU, SDN...; repeatable)",
    )
    e.add_argument(
        "--entities",
        action="append",
        default=[],
        metavar="FILE",
        help="overlay the import goes on (repeatable)",
    )
    e.set_defaults(func=_cmd_entities_import)
    e = esub.add_parser("diff", help="what changed between two entity-data files or overlays")
    e.add_argument("old", metavar="OLD")
    e.add_argument("new", metavar="NEW")
    e.add_argument("--format", choices=("text", "json"), default="text")
    e.set_defaults(func=_cmd_entities_diff)

    p = sub.add_parser("graph", help="export the combined component graph")
    _add_bundle(p)
    p.add_argument("--format", choices=("dot", "json"), default="dot")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=_cmd_graph)

    p = sub.add_parser("attest", help="write a self-attestation (in-toto statement, optionally signed)")
    _add_bundle(p)
    _add_data(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="attestation file to write (JSON)")
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
    _add_verdict(p, "the attestation says 'fail' (and exits 1)")
    p.set_defaults(func=_cmd_attest)

    p = sub.add_parser(
        "far-report",
        help="draft the contractor's reports under FAR 52.204-23(c) / 52.204-25(d), one per finding",
    )
    _add_bundle(p)
    _add_data(p)
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("-o", "--output", metavar="FILE", help="write the drafts here instead of stdout")
    p.add_argument("--contract", metavar="NUMBER", help="the contract number")
    p.add_argument(
        "--order", action="append", default=[], metavar="NUMBER", help="an order number (repeatable)"
    )
    p.add_argument(
        "--uei",
        action="append",
        default=[],
        metavar="[SUPPLIER=]UEI",
        help="a supplier's unique entity identifier; without SUPPLIER=, for every supplier (repeatable)",
    )
    p.add_argument(
        "--cage",
        action="append",
        default=[],
        metavar="[SUPPLIER=]CAGE",
        help="a supplier's CAGE code; without SUPPLIER=, for every supplier (repeatable)",
    )
    _add_verdict(p, "exit 1")
    p.set_defaults(func=_cmd_far_report)

    p = sub.add_parser("keygen", help="make an Ed25519 key pair for signing attestations")
    p.add_argument("private", metavar="PRIVATE.pem", help="private key file to write (never overwritten)")
    p.add_argument("--public", metavar="FILE", help="public key file to write (default PRIVATE.pem.pub)")
    p.set_defaults(func=_cmd_keygen)

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
    p.add_argument(
        "--entities",
        action="append",
        default=[],
        metavar="FILE",
        help="entity overlay to re-run the scan with, as the vendor did (repeatable)",
    )
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh or fish)")
    p.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash, zsh or fish")
    p.set_defaults(func=_cmd_completion)
    return parser


# ---------------------------------------------------------------------- output


def _write(
    text: str | Callable[[Callable[[str], object]], None], output: str | None, stdout: IO[str]
) -> None:
    """Write ``text`` — or what a writer function hands to the ``write`` it is given, piece
    by piece (a report with 100,000 paths is never one string) — to ``output`` (UTF-8) or
    to standard output."""
    produce = text if callable(text) else (lambda write: write(text))
    if output is None or output == "-":
        produce(stdout.write)
        stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            produce(fh.write)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None


class _Reencoding:
    """A text stream that only ever receives what its encoding can write (see
    :data:`~sbomscan.report.escape.OUTPUT_ERRORS`), for streams that cannot be reconfigured."""

    def __init__(self, stream: IO[str], encoding: str) -> None:
        self.stream = stream
        self.encoding = encoding

    def write(self, text: str) -> int:
        from .report.escape import OUTPUT_ERRORS

        return self.stream.write(text.encode(self.encoding, OUTPUT_ERRORS).decode(self.encoding))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _encodable(stream: IO[str]) -> IO[str]:
    """``stream``, made to write any text: a stream whose encoding is not a Unicode one
    (cp1252 when Windows redirects output, ASCII in a bare locale) gets ASCII stand-ins and
    escapes for what it cannot write, instead of failing mid-report with a traceback — and
    exit status 1, which means "findings"."""
    import codecs

    from .report.escape import OUTPUT_ERRORS

    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str):
        return stream
    try:
        if codecs.lookup(encoding).name.startswith("utf"):
            return stream
    except LookupError:
        return stream
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(Exception):
            reconfigure(errors=OUTPUT_ERRORS)
            return stream
    return cast(IO[str], _Reencoding(stream, encoding))


def use_color(mode: str, stream: IO[str]) -> bool:
    """Whether to colour: ``always``/``never`` as asked; ``auto`` only on a terminal and only
    when ``NO_COLOR`` is unset or empty (https://no-color.org: a command-line flag wins).

    >>> import io
    >>> use_color("auto", io.StringIO()), use_color("always", io.StringIO())
    (False, True)
    """
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _note(args: argparse.Namespace, stderr: IO[str], text: str) -> None:
    """A summary or note on stderr, unless ``--quiet``; errors never go through here."""
    if not getattr(args, "quiet", False):
        stderr.write(text + "\n")


def _verbose_documents(args: argparse.Namespace, stderr: IO[str], report: Any) -> None:
    """``-v``: one line per SBOM read; ``-vv``: and every diagnostic, on stderr."""
    from .report.text import one_line

    level = getattr(args, "verbose", 0) or 0
    if level < 1 or getattr(args, "quiet", False):
        return
    lines = []
    for d in report.documents:
        lines.append(
            f"sbomscan: read {d.path}: {d.format} {d.spec_version}, {d.components} components, "
            f"{d.edges} edges, tier {d.tier}, {len(d.diagnostics)} diagnostics"
        )
        if level >= 2:
            lines.extend(f"sbomscan:   {x.severity} {x.code}: {x.message}" for x in d.diagnostics)
    # inputs that were not read and do not count (a README in the folder): the errors for
    # those that do count are printed anyway
    lines.extend(
        f"sbomscan: skipped {i.path} ({i.reason}): {i.message}"
        for i in getattr(report, "inputs", ())
        if i.status != "read" and not i.counts
    )
    if level >= 2:
        lines.extend(f"sbomscan: {x.severity} {x.code}: {x.message}" for x in report.diagnostics)
    if lines:
        stderr.write("\n".join(one_line(line) for line in lines) + "\n")


def _sev(diagnostic: Any) -> str:
    return str(getattr(diagnostic.severity, "value", diagnostic.severity))


def _verbose_graph(args: argparse.Namespace, stderr: IO[str], graph: Any) -> None:
    """``-v`` for ``paths`` and ``graph``: the SBOMs read, from the graph built over them."""
    from .report.text import one_line

    level = getattr(args, "verbose", 0) or 0
    if level < 1 or getattr(args, "quiet", False):
        return
    lines = []
    for d in graph.documents.values():
        lines.append(
            f"sbomscan: read {d.source}: {d.format} {d.spec_version}, {len(d.components)} components, "
            f"{len(d.edges)} edges, tier {graph.tiers.get(d.key, 0)}, {len(d.diagnostics)} diagnostics"
        )
        if level >= 2:
            lines.extend(f"sbomscan:   {_sev(x)} {x.code}: {x.message}" for x in d.diagnostics)
    if level >= 2:
        lines.extend(f"sbomscan: {_sev(x)} {x.code}: {x.message}" for x in graph.diagnostics)
    if lines:
        stderr.write("\n".join(one_line(line) for line in lines) + "\n")


# ---------------------------------------------------------------------- commands


def _cmd_scan(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .report import write_report
    from .scan import scan

    report = scan(
        args.paths,
        entities=_db(args.entities),
        as_of=args.as_of,
        waivers=args.waivers,
        strict=args.strict,
        all_paths=args.all_paths,
        max_paths=args.max_paths,
        max_depth=args.max_depth,
        exclude=args.exclude,
        max_bytes=args.max_bytes,
        **_verdict_options(args),
        buyer=args.buyer,
    )
    _verbose_documents(args, stderr, report)
    to_stdout = args.output in (None, "-")
    color = args.format == "text" and (
        args.color == "always" or (to_stdout and use_color(args.color, stdout))
    )
    _write(lambda write: write_report(report, args.format, write, color=color), args.output, stdout)
    _not_read_errors(report, stderr)
    if not to_stdout:
        s = report.summary
        _note(
            args,
            stderr,
            f"sbomscan: wrote {args.output}: {report.outcome} ({s.prohibited} prohibited, {s.review} review, "
            f"{s.notice} notice, {s.waived} waived)",
        )
    return report.verdict.exit_status


def _not_read_errors(report: Any, stderr: IO[str]) -> None:
    """One error line per input that makes the scan incomplete, after the report is written:
    the report lists them too, but a person at a terminal must not miss why it exits 2."""
    from .report.text import one_line

    for i in report.inputs:
        if i.status != "read" and (i.counts or report.verdict.count_skipped):
            stderr.write(one_line(f"sbomscan: error: {i.path}: not read ({i.reason}): {i.message}") + "\n")


def _verdict_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "fail_on": args.fail_on,
        "require_complete": args.require_complete,
        "count_skipped": args.count_skipped,
    }


def _db(overlays: Sequence[str]) -> Any:
    from .entities import load_entities

    return load_entities(list(overlays))


def _cmd_paths(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .graph import build_graph
    from .report.text import one_line
    from .tracing import paths_to

    docs, incomplete = load_bundle_for(args, stderr)
    graph = build_graph(docs)
    _verbose_graph(args, stderr, graph)
    targets = paths_to(graph, args.to)
    if not targets:
        stderr.write(
            one_line(f"sbomscan: no component matches {args.to!r} (give a name, a purl or a component id)")
            + "\n"
        )
        return EXIT_ERROR if incomplete else EXIT_FINDINGS
    write = _paths_json if args.format == "json" else _paths_text
    write(graph, targets, args, stdout)
    return EXIT_ERROR if incomplete else EXIT_OK


def _paths_text(graph: Any, targets: list[str], args: argparse.Namespace, stdout: IO[str]) -> None:
    """One block per component, one line per path, each written as it is made: 100,000
    paths are never held as text at once."""
    from .report import escape
    from .report.text import format_path, listed_only_note
    from .tracing import trace

    documents = _path_documents(graph)
    for cid in targets:
        t = trace(graph, cid, max_paths=args.max_paths, max_depth=args.max_depth, all_paths=args.all_paths)
        ref = _component_ref(graph, cid)
        stdout.write(escape.terminal(f"{ref.label()} ({ref.document}, tier {graph.tier_of(cid)})") + "\n")
        for p in t.paths:
            stdout.write("  " + escape.terminal(format_path(p, documents), None) + "\n")
        if t.truncated:
            stdout.write("  … more paths exist (raise --max-paths / --max-depth, or use --all-paths)\n")
        if t.listed_only and t.paths:
            note = listed_only_note(t.paths[0], cid)
            stdout.write(escape.terminal(f"  (listed only: {note})") + "\n")


def _paths_json(graph: Any, targets: list[str], args: argparse.Namespace, stdout: IO[str]) -> None:
    """The same as JSON — a list of ``{component, tier, truncated, listed_only, paths}`` —
    written one path per line as each is made."""
    from .report.escape import json_text
    from .report.json import step_dict
    from .tracing import trace

    stdout.write("[")
    for i, cid in enumerate(targets):
        t = trace(graph, cid, max_paths=args.max_paths, max_depth=args.max_depth, all_paths=args.all_paths)
        ref = _component_ref(graph, cid)
        head = {
            "component": {
                "id": ref.id,
                "name": ref.name,
                "group": ref.group,
                "version": ref.version,
                "purl": ref.purl,
                "bom_ref": ref.bom_ref,
                "document": ref.document,
            },
            "tier": graph.tier_of(cid),
            "truncated": t.truncated,
            "listed_only": t.listed_only,
        }
        stdout.write(("," if i else "") + "\n" + json_text(orjson.dumps(head).decode()[:-1]) + ', "paths": [')
        for j, p in enumerate(t.paths):
            line = json_text(orjson.dumps([step_dict(s) for s in p]).decode())
            stdout.write(("," if j else "") + "\n  " + line)
        stdout.write("\n]}")
    stdout.write("\n]\n")


def _component_ref(graph: Any, cid: str) -> Any:
    from .report.model import ComponentRef
    from .tracing import component_group

    c = graph.components[cid]
    source = graph.document_of(cid).source
    return ComponentRef(cid, c.name, c.version, c.purl, c.ref, source, c.pointer, group=component_group(c))


def _path_documents(graph: Any) -> dict[str, Any]:
    """The documents by path, with their names, suppliers and tiers, for path boundaries."""
    from .graph import document_supplier
    from .report.model import ChainDocument

    return {
        d.source: ChainDocument(
            d.source, d.name, document_supplier(d, graph.components), graph.tiers.get(d.key, 0)
        )
        for d in graph.documents.values()
    }


def _cmd_entities_list(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .scan import parse_as_of

    db = _db(args.entities)
    day = parse_as_of(args.as_of)
    lines = [f"entity data {db.version} · {len(db.entities)} entities · as of {day.isoformat()}"]
    for eid in sorted(db.entities):
        e = db.entities[eid]
        covered = ", ".join(sorted({c.authority for c in db.coverage(eid, day) if not c.former})) or "—"
        lines.append(f"{eid:<28} {e.name} [{e.country or '?'}] covered by: {covered}")
    _write_lines(lines, stdout)
    return EXIT_OK


def _write_lines(lines: list[str], stdout: IO[str]) -> None:
    """Lines for a terminal: entity data can come from anyone's overlay, so every control
    character in it is shown escaped (:func:`sbomscan.report.escape.terminal`)."""
    from .report.escape import terminal

    stdout.write("\n".join(terminal(line, None) for line in lines) + "\n")


def _cmd_entities_show(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .scan import parse_as_of

    db = _db(args.entities)
    day = parse_as_of(args.as_of)
    e = db.entities.get(args.id)
    if e is None:
        raise UsageError(f"no entity {args.id!r} in the entity data (see 'sbomscan entities list')")
    lines = [f"{e.id}: {e.name}", f"  country: {e.country or '?'} · kind: {e.kind}"]
    if e.unverified:
        lines.append("  unverified: yes (never by itself makes a finding prohibited)")
    for a in e.aliases:
        extra = ", ".join(
            x
            for x in (
                a.kind,
                a.lang,
                f"until {a.until}" if a.until else None,
                "unverified" if a.unverified else None,
            )
            if x
        )
        lines.append(f"  alias: {a.value}" + (f" ({extra})" if extra else ""))
    for r in e.relations:
        period = f" since {r.since}" if r.since else ""
        period += f" until {r.until}" if r.until else ""
        lines.append(f"  relation: {r.type} {r.target}{period}")
    for field in e.identifiers._fields:
        for item in getattr(e.identifiers, field):
            lines.append(
                f"  {_IDENTIFIER_LABELS.get(field, field.replace('_', ' '))}: {describe_identifier(item)}"
            )
    covs = db.coverage(e.id, day)
    if covs:
        for c in covs:
            a = db.authorities.get(c.authority)
            cite = a.citations[0] if a and a.citations else c.authority
            how = f" through {c.text}" if c.text else " (named)"
            facts = ", ".join(
                x
                for x in (
                    f"scope {c.scope}" if c.scope else None,
                    f"from {c.since.isoformat()}" if c.since else None,
                    "list entry" if c.listing else None,
                    "former" if c.former else None,
                    "unverified" if c.unverified else None,
                )
                if x
            )
            lines.append(f"  covered on {day.isoformat()} by {cite}{how}" + (f" [{facts}]" if facts else ""))
    else:
        lines.append(f"  not covered by any authority on {day.isoformat()}")
    _write_lines(lines, stdout)
    return EXIT_OK


_IDENTIFIER_LABELS = {
    "cpe_vendors": "CPE vendor",
    "purls": "purl",
    "domains": "domain",
    "email_domains": "e-mail domain",
    "vcs_orgs": "VCS organisation",
    "swid_regids": "SWID regid",
    "products": "product",
    "hashes": "hash",
    "mirror_hosts": "mirror host",
    "app_ids": "app id",
}


def describe_identifier(item: tuple[Any, ...]) -> str:
    """One identifier record of the entity data as a person reads it: the value (a purl
    pattern as a purl, a VCS organisation as ``host/org``, a hash with its algorithm), then
    whether it is unverified, then the sources that state it.

    >>> from sbomscan.entities.records import PurlPattern, ValueId, VcsOrg
    >>> describe_identifier(ValueId("kaspersky", False, ("nvd-a", "nvd-b")))
    'kaspersky (sources: nvd-a, nvd-b)'
    >>> describe_identifier(PurlPattern("maven", "com.huawei.hms", None, True))
    'pkg:maven/com.huawei.hms/* (unverified)'
    >>> describe_identifier(VcsOrg("github.com", "KasperskyLab"))
    'github.com/KasperskyLab'
    """
    fields = dict(zip(getattr(item, "_fields", ()), item, strict=False))
    if {"type", "namespace", "name"} <= fields.keys():
        text = (
            "pkg:"
            + "/".join(str(fields[k]) for k in ("type", "namespace") if fields[k])
            + f"/{fields['name'] or '*'}"
        )
    elif {"host", "org"} <= fields.keys():
        text = f"{fields['host']}/{fields['org']}"
    elif {"algorithm", "value"} <= fields.keys():
        text = f"{fields['algorithm']} {fields['value']}"
        if fields.get("description"):
            text += f" — {fields['description']}"
    elif {"platform", "value"} <= fields.keys():
        text = f"{fields['platform']} app {fields['value']}"
    elif "value" in fields:
        text = str(fields["value"])
    else:
        text = ", ".join(
            f"{k} {v}" for k, v in fields.items() if v not in (None, False, (), "") and k != "sources"
        )
    notes = ["unverified"] if fields.get("unverified") else []
    if fields.get("sources"):
        notes.append("sources: " + ", ".join(map(str, fields["sources"])))
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _cmd_entities_check(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .entities import load_entities

    db = load_entities([args.file])
    stdout.write(
        f"{args.file}: ok — merged data has {len(db.entities)} entities, {len(db.authorities)} authorities, "
        f"{len(db.licensed_products)} licensed products\n"
    )
    return EXIT_OK


def _cmd_entities_import(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """The CSL export as an overlay (:mod:`sbomscan.entities.csl`), checked by loading it over
    the data it is meant for before it is written."""
    from .entities import load_entities
    from .entities.csl import MAX_BYTES, import_csl, read_csl
    from .scan import parse_as_of

    if not os.path.isfile(args.file):
        raise UsageError(f"{args.file}: not a regular file")
    try:
        with open(args.file, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # bounded: a larger file is refused by read_csl
    except OSError as exc:
        raise UsageError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
    base = load_entities(list(args.entities))
    result = import_csl(
        read_csl(args.file, raw), exported=parse_as_of(args.date), base=base, sources=args.list
    )
    load_entities([*args.entities, result.overlay])  # refuses an overlay that would not load
    _write(json.dumps(result.overlay, indent=2, ensure_ascii=False) + "\n", args.output, stdout)
    stderr.write(
        f"{args.file}: {result.organisations} organisations from {result.records} records "
        f"({result.left_out} individuals, vessels or aircraft left out); "
        f"{len(result.existing)} already in the entity data got the listing\n"
    )
    return EXIT_OK


def _cmd_entities_diff(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .entities.diff import diff_data, render_text
    from .entities.validate import read_file

    _, old = read_file(args.old)
    _, new = read_file(args.new)
    for name, doc in ((args.old, old), (args.new, new)):
        if not isinstance(doc, dict):
            raise UsageError(f"{name}: not entity data (expected a JSON object)")
    d = diff_data(old, new)
    if args.format == "json":
        stdout.write(json.dumps(d, indent=2, ensure_ascii=False) + "\n")
    else:
        from .report.escape import terminal

        stdout.write("\n".join(terminal(line, None) for line in render_text(d).splitlines()) + "\n")
    return EXIT_OK


def _dot_quote(*lines: str) -> str:
    r"""A DOT double-quoted string showing each of ``lines`` as written, one per line of the
    label (see :func:`sbomscan.report.escape.dot`: a newline, a Graphviz escape or a terminal
    control in an SBOM value is shown, never acted on).

    >>> print(_dot_quote('a"b\\N\x1b[2J', "1.0\n"))
    "a\"b\\N\\x1b[2J\n1.0\\n"
    """
    from .report import escape

    return '"' + "\\n".join(escape.dot(line) for line in lines) + '"'


def _cmd_graph(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .graph import build_graph
    from .report.model import qualified_name
    from .tracing import component_group

    docs, incomplete = load_bundle_for(args, stderr)
    graph = build_graph(docs)
    _verbose_graph(args, stderr, graph)
    edges = []
    for s, t, data in sorted(graph.graph.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("kind")))):
        kind = data.get("kind")
        edges.append((s, t, getattr(kind, "value", str(kind))))
    if args.format == "json":
        obj = {
            "documents": [
                {"key": d.key, "path": d.source, "format": d.format, "tier": graph.tiers.get(d.key, 0)}
                for d in graph.documents.values()
            ],
            "roots": list(graph.roots),
            "nodes": [
                {
                    "id": c.id,
                    "name": c.name,
                    "version": c.version,
                    "purl": c.purl,
                    "document": c.document,
                    "tier": graph.tiers.get(c.document, 0),
                }
                for c in graph.components.values()
            ],
            "edges": [{"source": s, "target": t, "kind": k} for s, t, k in edges],
        }
        from .report.escape import json_text

        _write(json_text(orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode()) + "\n", args.output, stdout)
        return EXIT_ERROR if incomplete else EXIT_OK
    lines = ["digraph sbom {", "  rankdir=LR;", "  node [shape=box];"]
    roots = set(graph.roots)
    for c in graph.components.values():
        name = qualified_name(c.name, component_group(c))
        label = _dot_quote(name, c.version) if c.version else _dot_quote(name)
        style = ", style=bold" if c.id in roots else ""
        lines.append(f"  {_dot_quote(c.id)} [label={label}{style}];")
    for s, t, k in edges:
        lines.append(f"  {_dot_quote(s)} -> {_dot_quote(t)} [label={_dot_quote(k.replace('_', ' '))}];")
    lines.append("}")
    _write("\n".join(lines) + "\n", args.output, stdout)
    return EXIT_ERROR if incomplete else EXIT_OK


def load_bundle_for(args: argparse.Namespace, stderr: IO[str]) -> tuple[Any, bool]:
    """The bundle's documents, and whether an input that counts was not read.

    ``paths`` and ``graph`` have no report to list such inputs in: each one is a warning on
    stderr, the command still prints what it can, and then exits 2 (incomplete).
    """
    from .report.text import one_line
    from .scan import load_bundle

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


def _cmd_attest(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .attest import build_attestation, render_attestation
    from .scan import scan

    report = scan(
        args.paths,
        entities=_db(args.entities),
        as_of=args.as_of,
        waivers=args.waivers,
        strict=args.strict,
        exclude=args.exclude,
        max_bytes=args.max_bytes,
        **_verdict_options(args),
        buyer=args.buyer,
    )
    if args.format == "record":
        if args.sign:
            raise UsageError("--sign signs in-toto statements: drop --format record")
        text = render_attestation(build_attestation(report))
    else:
        text = _statement_text(report, args)
    _write(text, args.output, stdout)
    _not_read_errors(report, stderr)
    _verbose_documents(args, stderr, report)
    s = report.summary
    _note(
        args,
        stderr,
        f"sbomscan: wrote {args.output}: {report.outcome} ({s.prohibited} prohibited, {s.review} review, "
        f"{s.notice} notice, {s.waived} waived)" + (" signed" if args.sign else ""),
    )
    return report.verdict.exit_status


def _statement_text(report: Any, args: argparse.Namespace) -> str:
    """The in-toto statement, or a DSSE envelope holding it when ``--sign`` is given."""
    from .intoto import ScanParameters, build_statement, render_statement

    params = ScanParameters(
        report.as_of.isoformat(),
        args.fail_on,
        args.require_complete,
        args.count_skipped,
        args.buyer,
        tuple(args.exclude),
        args.strict,
        args.max_bytes,
    )
    body = render_statement(build_statement(report, params))
    if not args.sign:
        return body.decode("utf-8")
    from . import dsse

    envelope = dsse.sign_envelope(body, dsse.load_private_key(args.sign))
    return orjson.dumps(envelope, option=orjson.OPT_INDENT_2).decode() + "\n"


def _supplier_ids(values: Sequence[str], option: str) -> dict[str, str]:
    """``SUPPLIER=ID`` or ``ID`` (key ``""``: every supplier) options as a mapping."""
    out: dict[str, str] = {}
    for v in values:
        name, sep, ident = v.rpartition("=") if "=" in v else ("", "", v)
        if not ident.strip() or (sep and not name.strip()):
            raise UsageError(f"{option} {v!r}: expected SUPPLIER=ID or ID")
        out[name.strip()] = ident.strip()
    return out


def _cmd_far_report(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .report.far import ContractDetails, render_far_json, render_far_markdown
    from .scan import scan

    details = ContractDetails(
        args.contract,
        tuple(args.order),
        _supplier_ids(args.uei, "--uei"),
        _supplier_ids(args.cage, "--cage"),
    )
    report = scan(
        args.paths,
        entities=_db(args.entities),
        as_of=args.as_of,
        waivers=args.waivers,
        strict=args.strict,
        exclude=args.exclude,
        max_bytes=args.max_bytes,
        **_verdict_options(args),
        buyer=args.buyer,
    )
    render = render_far_json if args.format == "json" else render_far_markdown
    _write(render(report, details), args.output, stdout)
    _not_read_errors(report, stderr)
    return report.verdict.exit_status


def _cmd_keygen(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .dsse import generate_key

    public = args.public or args.private + ".pub"
    kid = generate_key(args.private, public)
    _note(args, stderr, f"sbomscan: wrote {args.private} (private: keep it secret) and {public} ({kid})")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .report.text import terminal_safe
    from .verify import verify

    result = verify(args.items[0], key=args.key, files=args.items[1:], entities=args.entities)
    for line in result.lines:
        stdout.write(terminal_safe(line) + "\n")
    stdout.write(("verified" if result.ok else "NOT verified") + "\n")
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _cmd_completion(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .completion import completion_script

    stdout.write(completion_script(build_parser(), args.shell))
    return EXIT_OK


# ---------------------------------------------------------------------- entry point


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; ``verify``'s files may also follow its options (argparse alone leaves
    a positional list that options interrupted unfinished)."""
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "command", None) == "verify" and not any(x.startswith("-") for x in extra):
        args.items += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(
    argv: Sequence[str] | None = None, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> int:
    """Run the CLI; returns the exit status (the console script passes it to ``sys.exit``)."""
    out = _encodable(stdout if stdout is not None else sys.stdout)
    err = _encodable(stderr if stderr is not None else sys.stderr)
    parser = build_parser()
    try:
        args = _parse(parser, list(argv) if argv is not None else sys.argv[1:])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        return int(args.func(args, out, err))
    except SbomscanError as exc:
        from .report.text import one_line

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
