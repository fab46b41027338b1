"""Report assembly: the records the scan decided, put together as one :class:`Report`.

:func:`sbomscan.scan.scan` runs the stages and the policy; this module only shapes what they
produced — documents described, diagnostics carried over, findings in their listed order,
the summary counted — so that every renderer reads one finished Report. Like the renderers,
it imports only the report model and the shared model (``tests/test_import_direction.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..model import Diagnostic, Document, InputRecord
from .model import (
    SEVERITIES,
    CoverageInfo,
    DocumentInfo,
    EntityDataInfo,
    Finding,
    Report,
    ReportDiagnostic,
    Summary,
    ToolInfo,
    UnresolvedLinkInfo,
    Verdict,
    WaiverInfo,
)

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "assemble_report",
    "document_info",
    "finding_order",
    "report_diagnostic",
    "summary",
]

REPORT_SCHEMA_VERSION = 2
"""Bumped when the JSON report changes incompatibly (see ``docs/report.schema.json``)."""


def report_diagnostic(d: Diagnostic, document: str | None) -> ReportDiagnostic:
    """A reader's or the graph's diagnostic as the report holds it, with its document."""
    sev = d.severity.value if hasattr(d.severity, "value") else str(d.severity)
    return ReportDiagnostic(sev, d.code, d.message, d.location, document)


def document_info(d: Document, *, tier: int, supplier: str | None) -> DocumentInfo:
    """What the report says about one document read."""
    return DocumentInfo(
        path=d.source,
        format=d.format,
        encoding=d.encoding,
        spec_version=d.spec_version,
        sha256=d.sha256,
        key=d.key,
        name=d.name,
        serial=d.serial,
        supplier=supplier,
        components=len(d.components),
        edges=len(d.edges),
        tier=tier,
        diagnostics=tuple(report_diagnostic(x, d.source) for x in d.diagnostics),
    )


def finding_order(f: Finding) -> tuple[int, int, str, str, str, str, str]:
    """How findings are listed: by severity, supplier tier, entity, component, document."""
    return (
        SEVERITIES.index(f.severity),
        f.tier,
        f.entity.id,
        f.component.name,
        f.component.version or "",
        f.component.document,
        f.component.id,
    )


def summary(
    findings: Sequence[Finding], documents: Sequence[DocumentInfo], unresolved: Sequence[UnresolvedLinkInfo]
) -> Summary:
    """The counts at the top of every report (waived findings counted apart)."""

    def unwaived(severity: str) -> int:
        return sum(1 for f in findings if f.severity == severity and not f.waived)

    return Summary(
        findings=len(findings),
        prohibited=unwaived("prohibited"),
        review=unwaived("review"),
        waived=sum(1 for f in findings if f.waived),
        documents=len(documents),
        components=sum(d.components for d in documents),
        unresolved_links=len(unresolved),
        notice=unwaived("notice"),
    )


def assemble_report(
    *,
    tool: ToolInfo,
    entity_data_version: str,
    as_of: date,
    documents: tuple[DocumentInfo, ...],
    findings: Sequence[Finding],
    unresolved_links: tuple[UnresolvedLinkInfo, ...],
    diagnostics: Sequence[ReportDiagnostic],
    waivers: tuple[WaiverInfo, ...],
    inputs: Sequence[InputRecord],
    coverage: CoverageInfo,
    verdict: Verdict,
    entity_data: EntityDataInfo,
) -> Report:
    """The Report of one scan; ``findings`` are given in :func:`finding_order` already."""
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        tool=tool,
        entity_data_version=entity_data_version,
        as_of=as_of,
        documents=documents,
        findings=tuple(findings),
        unresolved_links=unresolved_links,
        diagnostics=tuple(diagnostics),
        waivers=waivers,
        summary=summary(findings, documents, unresolved_links),
        inputs=tuple(inputs),
        coverage=coverage,
        verdict=verdict,
        entity_data=entity_data,
    )
