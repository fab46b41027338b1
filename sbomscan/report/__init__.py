"""One :class:`Report`, several renderers: ``render(report, "json" | "text" | "sarif" | "markdown" | "html")``.

>>> from datetime import date
>>> r = Report(1, ToolInfo("sbomscan", "0.1.0"), "t", date(2026, 1, 2), (), ())
>>> render(r, "json").startswith("{")
True
>>> render(r, "pdf")
Traceback (most recent call last):
...
sbomscan.errors.UsageError: unknown report format 'pdf'; choose from json, text, sarif, markdown, html
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import UsageError
from .html import render_html, write_html
from .json import iter_json, render_json, to_dict
from .markdown import render_markdown, write_markdown
from .model import (
    AuthorityRef,
    ChainDocument,
    ComponentRef,
    CoverageInfo,
    DataFileInfo,
    DocumentCoverage,
    DocumentInfo,
    EntityDataInfo,
    EntityRef,
    EvidenceInfo,
    Finding,
    PathStep,
    Report,
    ReportDiagnostic,
    SourceLink,
    Summary,
    ToolInfo,
    UnresolvedLinkInfo,
    Verdict,
    WaiverInfo,
    WaiverRef,
)
from .sarif import render_sarif, to_sarif
from .text import render_text

FORMATS = ("json", "text", "sarif", "markdown", "html")
"""The report formats :func:`render` knows."""

__all__ = [
    "FORMATS",
    "AuthorityRef",
    "ChainDocument",
    "ComponentRef",
    "CoverageInfo",
    "DataFileInfo",
    "DocumentCoverage",
    "DocumentInfo",
    "EntityDataInfo",
    "EntityRef",
    "EvidenceInfo",
    "Finding",
    "PathStep",
    "Report",
    "ReportDiagnostic",
    "SourceLink",
    "Summary",
    "ToolInfo",
    "UnresolvedLinkInfo",
    "Verdict",
    "WaiverInfo",
    "WaiverRef",
    "render",
    "to_dict",
    "to_sarif",
    "write_report",
]


def write_report(report: Report, fmt: str, write: Callable[[str], object], *, color: bool = False) -> None:
    """Render ``report`` as ``fmt`` into ``write`` (e.g. a stream's ``write``) in pieces as
    they are made: the JSON report one path per piece, the Markdown report a few thousand
    lines at a time, the HTML report as its templates make it, so a report with 100,000
    paths is never held as one text. The pieces joined are exactly :func:`render`'s text."""
    if fmt == "json":
        for chunk in iter_json(report):
            write(chunk)
    elif fmt == "markdown":
        write_markdown(report, write)
    elif fmt == "html":
        write_html(report, write)
    else:
        write(render(report, fmt, color=color))


def render(report: Report, fmt: str = "text", *, color: bool = False) -> str:
    """Render ``report`` as ``fmt``; ``color`` only affects ``text``."""
    if fmt == "json":
        return render_json(report)
    if fmt == "text":
        return render_text(report, color=color)
    if fmt == "sarif":
        return render_sarif(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    raise UsageError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
