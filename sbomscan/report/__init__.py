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
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
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

if TYPE_CHECKING:
    from .json import to_dict
    from .sarif import to_sarif

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
        from .json import iter_json

        for chunk in iter_json(report):
            write(chunk)
    elif fmt == "markdown":
        from .markdown import write_markdown

        write_markdown(report, write)
    elif fmt == "html":
        from .html import write_html

        write_html(report, write)
    else:
        write(render(report, fmt, color=color))


def render(report: Report, fmt: str = "text", *, color: bool = False) -> str:
    """Render ``report`` as ``fmt``; ``color`` only affects ``text``.

    Each renderer is imported when its format is first asked for: a text report does not
    pay for the HTML page's templates and assets (docs/performance.md, "Start-up")."""
    if fmt == "json":
        from .json import render_json

        return render_json(report)
    if fmt == "text":
        from .text import render_text

        return render_text(report, color=color)
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(report)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from .html import render_html

        return render_html(report)
    raise UsageError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


def __getattr__(name: str) -> Any:
    """``to_dict`` and ``to_sarif``, imported with their renderer on first use."""
    if name == "to_dict":
        from .json import to_dict

        return to_dict
    if name == "to_sarif":
        from .sarif import to_sarif

        return to_sarif
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
