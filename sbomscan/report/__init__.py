"""One :class:`Report`, several renderers: ``render(report, "json" | "text" | "sarif" | "markdown")``.

>>> from datetime import date
>>> r = Report(1, ToolInfo("sbomscan", "0.1.0"), "t", date(2026, 1, 2), (), ())
>>> render(r, "json").startswith("{")
True
>>> render(r, "html")
Traceback (most recent call last):
...
sbomscan.errors.UsageError: unknown report format 'html'; choose from json, text, sarif, markdown
"""

from __future__ import annotations

from ..errors import UsageError
from .json import render_json, to_dict
from .markdown import render_markdown
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
    Summary,
    ToolInfo,
    UnresolvedLinkInfo,
    Verdict,
    WaiverInfo,
    WaiverRef,
)
from .sarif import render_sarif, to_sarif
from .text import render_text

FORMATS = ("json", "text", "sarif", "markdown")
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
    "Summary",
    "ToolInfo",
    "UnresolvedLinkInfo",
    "Verdict",
    "WaiverInfo",
    "WaiverRef",
    "render",
    "to_dict",
    "to_sarif",
]


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
    raise UsageError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
