"""Where a command's output goes: the report to a file or standard output, notes and the
``-v`` lines to standard error, each stream made to take any text.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable
from typing import IO, Any, cast

from ..errors import UsageError

__all__ = [
    "encodable",
    "not_read_errors",
    "note",
    "note_written",
    "progress_bars",
    "use_color",
    "verbose_documents",
    "verbose_graph",
    "write",
    "write_lines",
]


def write(text: str | Callable[[Callable[[str], object]], None], output: str | None, stdout: IO[str]) -> None:
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
        from ..report.escape import OUTPUT_ERRORS

        return self.stream.write(text.encode(self.encoding, OUTPUT_ERRORS).decode(self.encoding))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def encodable(stream: IO[str]) -> IO[str]:
    """``stream``, made to write any text: a stream whose encoding is not a Unicode one
    (cp1252 when Windows redirects output, ASCII in a bare locale) gets ASCII stand-ins and
    escapes for what it cannot write, instead of failing mid-report with a traceback — and
    exit status 1, which means "findings"."""
    import codecs

    from ..report.escape import OUTPUT_ERRORS

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


def note(args: argparse.Namespace, stderr: IO[str], text: str) -> None:
    """A summary or note on stderr, unless ``--quiet``; errors never go through here."""
    if not getattr(args, "quiet", False):
        stderr.write(text + "\n")


def note_written(args: argparse.Namespace, stderr: IO[str], report: Any, more: str = "") -> None:
    """The note after a report or attestation is written to a file: where, and the outcome."""
    s = report.summary
    note(
        args,
        stderr,
        f"sbomscan: wrote {args.output}: {report.outcome} ({s.prohibited} prohibited, {s.review} review, "
        f"{s.notice} notice, {s.waived} waived)" + more,
    )


def progress_bars(args: argparse.Namespace, stderr: IO[str], unit: str) -> Any:
    """Progress bars on stderr (:class:`~sbomscan.progress.TerminalProgress`) when it is a
    terminal and ``--quiet`` was not given; else ``None``: a log file gets no bars."""
    if getattr(args, "quiet", False) or not stderr.isatty():
        return None
    from ..progress import TerminalProgress

    return TerminalProgress(stderr, unit=unit)


def verbose_documents(args: argparse.Namespace, stderr: IO[str], report: Any) -> None:
    """``-v``: one line per SBOM read; ``-vv``: and every diagnostic, on stderr."""
    from ..report.text import one_line

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


def verbose_graph(args: argparse.Namespace, stderr: IO[str], graph: Any) -> None:
    """``-v`` for ``paths`` and ``graph``: the SBOMs read, from the graph built over them."""
    from ..report.text import one_line

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


def not_read_errors(report: Any, stderr: IO[str]) -> None:
    """One error line per input that makes the scan incomplete, after the report is written:
    the report lists them too, but a person at a terminal must not miss why it exits 2."""
    from ..report.text import one_line

    for i in report.inputs:
        if i.status != "read" and (i.counts or report.verdict.count_skipped):
            stderr.write(one_line(f"sbomscan: error: {i.path}: not read ({i.reason}): {i.message}") + "\n")


def write_lines(lines: list[str], stdout: IO[str]) -> None:
    """Lines for a terminal: entity data can come from anyone's overlay, so every control
    character in it is shown escaped (:func:`sbomscan.report.escape.terminal`)."""
    from ..report.escape import terminal

    stdout.write("\n".join(terminal(line, None) for line in lines) + "\n")
