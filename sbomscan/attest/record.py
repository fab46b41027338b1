"""A vendor's self-attestation record: what was scanned, with which data, on which date, and
what the scan found.

The record names each input by its sha256, so a buyer can check that the SBOMs they were
given are the ones the vendor scanned; it carries the tool and entity-data versions and the
as-of date, so the buyer can re-run the same scan and compare; and it holds the sha256 of
the full JSON report, so the attestation and the report travel together. It is a record,
not a signature: sign it with whatever your contract requires (e.g. ``cosign sign-blob``).

>>> from datetime import date, datetime, timezone
>>> from sbomscan.report.model import Report, ToolInfo
>>> r = Report(1, ToolInfo("sbomscan", "0.1.0"), "2026.11.22", date(2026, 1, 2), (), ())
>>> a = build_attestation(r, generated_at=datetime(2026, 1, 2, tzinfo=timezone.utc))
>>> a["result"]["status"], a["generated_at"]
('pass', '2026-01-02T00:00:00Z')

The status is the scan's outcome (:func:`sbomscan.policy.verdict`): ``fail``,
``incomplete``, ``pass-with-gaps`` or ``pass`` — never ``pass`` while an input was not
read, a component could not be checked or a referenced sub-SBOM was not supplied. The
record lists what was not read (and why), the coverage, and which entity data was used
(the shipped data's version and sha256, each overlay's path, version and sha256).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

import orjson

from ..policy import verdict
from ..report.escape import json_text
from ..report.json import coverage_dict, entity_data_dict, input_dict, render_json, verdict_dict, waiver_dict
from ..report.model import Report, Verdict

__all__ = ["ATTESTATION_VERSION", "build_attestation", "render_attestation"]

ATTESTATION_VERSION = 2


def _verdict(report: Report, fail_on: str | None) -> Verdict:
    """The report's verdict, decided again when a different ``fail_on`` is asked for."""
    v = report.verdict
    if fail_on is None or fail_on == v.fail_on:
        return v
    return verdict(
        report.findings,
        report.coverage,
        fail_on=fail_on,
        require_complete=v.require_complete,
        count_skipped=v.count_skipped,
    )


def build_attestation(
    report: Report, *, fail_on: str | None = None, generated_at: datetime | None = None
) -> dict[str, Any]:
    """The attestation record for ``report`` as plain JSON data.

    ``result.status`` is the report's outcome — the same rule as ``sbomscan scan``'s exit
    status — decided again with ``fail_on`` when one is given.
    """
    when = (generated_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    v = _verdict(report, fail_on)
    s = report.summary
    return {
        "attestation_version": ATTESTATION_VERSION,
        "type": "sbomscan-self-attestation",
        "generated_at": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "entity_data": entity_data_dict(report),
        "as_of": report.as_of.isoformat(),
        "fail_on": v.fail_on,
        "inputs": [
            {
                "path": d.path,
                "sha256": d.sha256,
                "format": d.format,
                "spec_version": d.spec_version,
                "tier": d.tier,
                "supplier": d.supplier,
                "components": d.components,
            }
            for d in report.documents
        ],
        "inputs_not_read": [input_dict(i) for i in report.inputs if i.status != "read"],
        "result": {
            "status": v.outcome,
            "reasons": list(v.reasons),
            "findings": s.findings,
            "prohibited": s.prohibited,
            "review": s.review,
            "notice": s.notice,
            "waived": s.waived,
            "unresolved_links": s.unresolved_links,
        },
        "verdict": verdict_dict(v),
        "coverage": coverage_dict(report.coverage),
        "findings": [
            {
                "id": f.id,
                "severity": f.severity,
                "waived": f.waived,
                "entity": f.entity.id,
                "component": {
                    "name": f.component.name,
                    "version": f.component.version,
                    "purl": f.component.purl,
                    "document": f.component.document,
                },
            }
            for f in report.findings
        ],
        "waivers": [waiver_dict(w, source=False) for w in report.waivers],
        "unresolved_links": [u.message for u in report.unresolved_links],
        "report_sha256": hashlib.sha256(render_json(report).encode()).hexdigest(),
    }


def render_attestation(record: dict[str, Any]) -> str:
    """Indented JSON text ending in a newline; any invisible or reordering character in a
    value from an SBOM (a file name, a message) is written as a ``\\uXXXX`` escape, so the
    officer reading the record sees it (:func:`sbomscan.report.escape.json_text`)."""
    return json_text(orjson.dumps(record, option=orjson.OPT_INDENT_2).decode()) + "\n"
