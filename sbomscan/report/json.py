"""The JSON report: the machine-readable form, specified by ``docs/report.schema.json``.

Keys are written in a fixed order and lists keep the report's order, so the same scan
always gives the same bytes (diffable in a pull request, hashable in an attestation). Most
objects are a record of :mod:`sbomscan.report.model` as ``_asdict()`` gives it — its
fields, in the order they are declared — with its tuples as lists (so :func:`to_dict` is
plain JSON data, equal to the parsed text); where the JSON differs from the record (a key
left out, another order) the function says so. A field added to a record is thus in the
JSON report at once, and docs/report.schema.json (``additionalProperties: false``, checked
by the tests) must say what it is.

>>> from datetime import date
>>> from sbomscan.report.model import Report, ToolInfo
>>> d = to_dict(Report(1, ToolInfo("sbomscan", "0.1.0"), "2026.11.22", date(2026, 1, 2), (), ()))
>>> d["as_of"], d["entity_data"], d["summary"]["prohibited"], d["verdict"]["outcome"]
('2026-01-02', {'version': '2026.11.22', 'shipped': None, 'overlays': []}, 0, 'pass')
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Any

import orjson

from ..model import InputRecord
from . import escape
from .model import (
    AuthorityRef,
    CoverageInfo,
    DataFileInfo,
    DocumentInfo,
    EntityRef,
    EvidenceInfo,
    Finding,
    PathStep,
    Report,
    Verdict,
    WaiverInfo,
)

__all__ = [
    "coverage_dict",
    "entity_data_dict",
    "evidence_dict",
    "finding_dict",
    "input_dict",
    "iter_json",
    "render_json",
    "step_dict",
    "to_dict",
    "verdict_dict",
    "waiver_dict",
]


def _document(d: DocumentInfo) -> dict[str, Any]:
    return {**d._asdict(), "diagnostics": [x._asdict() for x in d.diagnostics]}


_AUTHORITY_KEYS = AuthorityRef._fields[:-1]
"""An authority in the JSON report: every field but the last, ``sources`` (the entity data
holds them, by the authority's ``id``). Zipped with the record, not ``_asdict()``: a
finding's parts are made per finding, and ``_asdict()`` costs twice a ``dict(zip())``."""


def _authority(a: AuthorityRef) -> dict[str, Any]:
    out: dict[str, Any] = dict(zip(_AUTHORITY_KEYS, a, strict=False))  # stops before ``sources``
    out["binds"] = list(a.binds)
    return out


def step_dict(s: PathStep) -> dict[str, Any]:
    """One path step as JSON data: ``s._asdict()``, written out — a report of 100,000 paths
    writes this for every step, and the literal costs half of ``_asdict()`` (264 vs 544 ns
    a step, Python 3.11)."""
    return {
        "id": s.id,
        "name": s.name,
        "version": s.version,
        "relation": s.relation,
        "group": s.group,
        "document": s.document,
        "tier": s.tier,
    }


_EVIDENCE_KEYS = EvidenceInfo._fields


def evidence_dict(e: EvidenceInfo, *, via: bool = True) -> dict[str, Any]:
    """One piece of a finding's evidence as JSON data (SARIF leaves out ``via``)."""
    out: dict[str, Any] = dict(zip(_EVIDENCE_KEYS, e, strict=True))
    if via:
        out["via"] = list(e.via)
    else:
        del out["via"]
    return out


_COMPONENT_KEYS = (
    "id",
    "name",
    "group",
    "version",
    "purl",
    "bom_ref",
    "document",
    "pointer",
    "line",
    "column",
)
"""A finding's component in the JSON report: ``group`` after the name, where people read
it (:class:`~sbomscan.report.model.ComponentRef` declares it last, as an optional field)."""
_component_values = operator.attrgetter(*_COMPONENT_KEYS)  # one C call for the ten values
_ENTITY_KEYS = EntityRef._fields


def finding_dict(f: Finding, *, paths: bool = True) -> dict[str, Any]:
    """One finding as JSON data (``paths=False``: an empty path list, for writing the paths
    one by one, or for the attestation, which states findings without them)."""
    return {
        "id": f.id,
        "severity": f.severity,
        "confidence": f.confidence,
        "tier": f.tier,
        "waived": f.waived,
        "waiver": f.waiver._asdict() if f.waiver else None,
        "entity": dict(zip(_ENTITY_KEYS, f.entity, strict=True)),
        "component": dict(zip(_COMPONENT_KEYS, _component_values(f.component), strict=True)),
        "evidence": [evidence_dict(e) for e in f.evidence],
        "authorities": [_authority(a) for a in f.authorities],
        "paths": [[step_dict(s) for s in path] for path in f.paths] if paths else [],
        "paths_truncated": f.paths_truncated,
        "listed_only": f.listed_only,
        "document_chain": [x._asdict() for x in f.document_chain],
        "notes": list(f.notes),
        "licensed_products": list(f.licensed_products),
    }


def waiver_dict(w: WaiverInfo, *, source: bool = True) -> dict[str, Any]:
    """A waiver as JSON data: what it waived and who approved it. The attestations leave out
    ``source``, the path of the waivers file, which is the signer's machine's business."""
    out = {**w._asdict(), "findings": list(w.findings)}
    if not source:
        del out["source"]
    return out


def verdict_dict(v: Verdict) -> dict[str, Any]:
    """The verdict as JSON data (also used by SARIF and the attestation)."""
    return {**v._asdict(), "reasons": list(v.reasons)}


def coverage_dict(c: CoverageInfo) -> dict[str, Any]:
    """Coverage as JSON data: totals, then one entry per document."""
    return {**c._asdict(), "documents": [d._asdict() for d in c.documents]}


def input_dict(i: InputRecord) -> dict[str, Any]:
    """One input the scan considered, read or not, as JSON data."""
    return i._asdict()


def _data_file(f: DataFileInfo, *, path: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"path": f.path} if path else {}
    return {**out, "version": f.version, "sha256": f.sha256}


def entity_data_dict(report: Report) -> dict[str, Any]:
    """The entity data's provenance: version, the shipped file (version and sha256: its path
    is where sbomscan is installed, which says nothing) and every overlay."""
    data = report.entity_data
    if data is None:
        return {"version": report.entity_data_version, "shipped": None, "overlays": []}
    return {
        "version": data.version,
        "shipped": _data_file(data.shipped, path=False) if data.shipped else None,
        "overlays": [_data_file(o) for o in data.overlays],
    }


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data (the shape of ``docs/report.schema.json``)."""
    return {
        "schema_version": report.schema_version,
        "tool": report.tool._asdict(),
        "entity_data": entity_data_dict(report),
        "as_of": report.as_of.isoformat(),
        "verdict": verdict_dict(report.verdict),
        "coverage": coverage_dict(report.coverage),
        "inputs": [input_dict(i) for i in report.inputs],
        "documents": [_document(d) for d in report.documents],
        "findings": [finding_dict(f) for f in report.findings],
        "unresolved_links": [u._asdict() for u in report.unresolved_links],
        "diagnostics": [d._asdict() for d in report.diagnostics],
        "waivers": [waiver_dict(w) for w in report.waivers],
        "summary": report.summary._asdict(),
    }


def render_json(report: Report) -> str:
    """Indented JSON text ending in a newline (the pieces of :func:`iter_json`, joined)."""
    return "".join(iter_json(report))


def _indented(obj: Any, indent: str) -> str:
    """``obj`` as indented JSON, every line after the first indented by ``indent`` more
    (JSON text holds no raw newline inside a string, so this only moves lines)."""
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode().replace("\n", "\n" + indent)


def iter_json(report: Report) -> Iterator[str]:
    """The JSON report in pieces, for writing as it is made: the same data as
    :func:`to_dict`, but each finding is serialised on its own and each of its paths on one
    line of its own, so ``--all-paths --max-paths 100000`` never holds every path as JSON
    data or text at once (100,000 paths of eight steps were 1 GB as one dict). The text is
    deterministic: the same report gives the same bytes.

    >>> from datetime import date
    >>> from sbomscan.report.model import ToolInfo
    >>> r = Report(1, ToolInfo("sbomscan", "0.1.0"), "2026.11.22", date(2026, 1, 2), (), ())
    >>> orjson.loads("".join(iter_json(r))) == to_dict(r)
    True
    """
    head = to_dict(report._replace(findings=()))
    before, found, after = _indented(head, "").partition('\n  "findings": []')
    if not found:  # pragma: no cover - the key is in every report; never write a broken document
        yield escape.json_text(_indented(to_dict(report), "")) + "\n"
        return
    yield escape.json_text(before)
    if not report.findings:
        yield '\n  "findings": []'
    else:
        yield '\n  "findings": ['
        for i, f in enumerate(report.findings):
            text = _indented(finding_dict(f, paths=False), "    ")
            start, _, end = text.partition('\n      "paths": []')
            yield ("," if i else "") + "\n    " + escape.json_text(start) + '\n      "paths": ['
            for j, path in enumerate(f.paths):
                line = orjson.dumps([step_dict(s) for s in path]).decode()
                yield ("," if j else "") + "\n        " + escape.json_text(line)
            yield ("\n      ]" if f.paths else "]") + escape.json_text(end)
        yield "\n  ]"
    yield escape.json_text(after) + "\n"
