"""SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, Azure DevOps, IDE viewers).

One rule per (authority, entity) pair — ``ndaa-fy18-1634/kaspersky`` — so a UI groups
findings by the law and the vendor; findings whose entity no authority covers on the as-of
date use ``uncovered/<entity>``. One result per finding, located in the SBOM file: the
artifact is the document path — relative to the working directory (``uriBaseId``
``%SRCROOT%``) when the file is below it, as code-scanning UIs need to place it in the
repository; the component's line and column become ``region`` (GitHub shows a result in
the file only when it has ``region.startLine``), and its JSON pointer or XML path is kept as
a logical location too. Levels:
``prohibited`` → ``error``, ``review`` → ``warning``, ``notice`` → ``note``, waived → ``note``
with an accepted external suppression carrying the waiver's justification. The run's
``properties`` carry the verdict (``outcome``), the coverage, the inputs not read and the
entity data's provenance (shipped version and sha256, every overlay). The finding id is the
``partialFingerprints`` value, so UIs track a finding across runs.

Each path from a product root to the finding is also a ``codeFlow`` (one thread flow,
one location per step: the component, how the step before brings it in, its id as a
logical location; the last step is the finding's own location): viewers that show code
flows (GitHub's "Show paths", the VS Code SARIF viewer) then walk the supply chain step
by step instead of reading it from the message. At most :data:`SARIF_MAX_PATHS` paths of a finding become code
flows (``properties.pathsTotal`` counts them all; the JSON report has every one).

Every value from an SBOM in a message is escaped for a viewer (:func:`escape.sarif`: controls
shown visibly, ``[``/``]`` escaped so no embedded link is made), and the log's text has every
invisible character inside its strings written as ``\\uXXXX`` (:func:`escape.json_text`).
"""

from __future__ import annotations

import os
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

import orjson

from . import escape
from .json import coverage_dict, entity_data_dict, evidence_dict, input_dict, verdict_dict
from .model import AuthorityRef, DocumentInfo, Finding, PathStep, Report, line_of_pointer
from .text import format_path

__all__ = ["SARIF_MAX_PATHS", "SARIF_SCHEMA_URI", "SRCROOT", "artifact_uri", "render_sarif", "to_sarif"]

_LINE_ONLY = re.compile(r"line \d+")

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
SARIF_MAX_PATHS = 100
"""At most this many paths of a finding become code flows (and ``properties.paths``); the
count of all is ``properties.pathsTotal`` and the JSON report holds every one. A viewer shows
a handful; 100,000 code flows were a 550 MB log that took 3 GB to build."""
"""The base id of relative artifact URIs; the run maps it to the working directory."""


def artifact_uri(path: str, base: str | None = None) -> str:
    """A URI reference for a document path: relative paths stay relative (so a UI resolves
    them against the repository), absolute ones below ``base`` are made relative to it,
    other absolute ones become ``file:`` URIs.

    >>> artifact_uri("sboms/my product.cdx.json")
    'sboms/my%20product.cdx.json'
    >>> artifact_uri("/srv/bom.json")
    'file:///srv/bom.json'
    >>> artifact_uri("/work/repo/sboms/bom.json", base="/work/repo")
    'sboms/bom.json'
    >>> artifact_uri("<stdin>")
    'stdin'
    """
    if path.startswith("<") and path.endswith(">"):
        return quote(path[1:-1])
    if os.sep == "\\" or PureWindowsPath(path).drive:
        path = PureWindowsPath(path).as_posix()
        base = PureWindowsPath(base).as_posix() if base else None
    if path.startswith("/") and base:
        root = base.rstrip("/") + "/"
        if path.startswith(root):
            path = path[len(root) :]
    if path.startswith("/") or PureWindowsPath(path).drive:
        return "file://" + ("" if path.startswith("/") else "/") + quote(path, safe="/:")
    return quote(str(PurePosixPath(path)), safe="/")


def _artifact_location(path: str, base: str | None) -> dict[str, Any]:
    uri = artifact_uri(path, base)
    if uri.startswith("file:") or (path.startswith("<") and path.endswith(">")):
        return {"uri": uri}
    return {"uri": uri, "uriBaseId": SRCROOT}


_LEVELS = {"prohibited": "error", "review": "warning", "notice": "note"}


def _primary(f: Finding) -> AuthorityRef | None:
    return f.authorities[0] if f.authorities else None


def _rule_id(f: Finding) -> str:
    a = _primary(f)
    return f"{a.id if a else 'uncovered'}/{f.entity.id}"


_HELP = (
    "Check the finding's path (the code flow: how the product brings the component in) and "
    "evidence; then replace the component, ask the supplier whose SBOM lists it, or record a "
    "reviewed waiver with an approver and an expiry. Evidence, not legal advice."
)


def _help_markdown(f: Finding, a: AuthorityRef | None) -> str:
    """The rule's help as Markdown (``help.markdown``): who, which law, and what to do. Entity
    and authority text may come from anyone's overlay, so it is escaped like SBOM text."""
    ident = escape.visible_controls(f.entity.id).replace("`", "'")
    who = f"**{escape.markdown(f.entity.name)}** (`{ident}`)"
    if a is None:
        law = "No authority in the entity data covers this entity on the as-of date."
    else:
        law = (
            f"Covered by *{escape.markdown(a.title)}* ({escape.markdown(a.citation)}; scope "
            f"{escape.markdown(a.scope)}; effective {escape.markdown(a.effective)})."
        )
    return (
        f"A component made, supplied or licensed by {who}.\n\n{law}\n\n"
        "**What to do:** check the finding's path (the code flow shows how the product brings the "
        "component in) and its evidence; then replace the component, ask the supplier whose SBOM "
        "lists it, or record a reviewed waiver with an approver and an expiry. *Evidence, not "
        "legal advice.*"
    )


def _rule(rule_id: str, f: Finding) -> dict[str, Any]:
    a = _primary(f)
    if a is not None:
        short = f"{f.entity.name}: {a.citation}"
        full = (
            f"A component made, supplied or licensed by {f.entity.name} ({f.entity.id}), covered by "
            f"{a.title} ({a.citation}; scope {a.scope}; effective {a.effective})."
        )
    else:
        short = f"{f.entity.name}: no authority in effect on the as-of date"
        full = (
            f"A component made, supplied or licensed by {f.entity.name} ({f.entity.id}); no "
            "authority in the entity data covered this entity on the as-of date."
        )
    return {
        "id": rule_id,
        "name": "CoveredVendorComponent",
        # entity data may come from anyone's overlay: escaped like SBOM text
        "shortDescription": {"text": escape.sarif(short)},
        "fullDescription": {"text": escape.sarif(full)},
        "help": {
            "text": escape.sarif(full + " " + _HELP),
            "markdown": _help_markdown(f, a),
        },
        "defaultConfiguration": {"level": "error" if a is not None and a.scope == "all" else "warning"},
        "properties": {
            "tags": ["supply-chain", "sbom", "covered-vendor"],
            "entity": f.entity.id,
            "authority": a.id if a else None,
        },
    }


def _location(f: Finding, artifact_index: int, base: str | None) -> dict[str, Any]:
    c = f.component
    physical: dict[str, Any] = {
        "artifactLocation": {**_artifact_location(c.document, base), "index": artifact_index}
    }
    location: dict[str, Any] = {"physicalLocation": physical}
    pointer = c.pointer
    line = c.line if c.line is not None else (line_of_pointer(pointer) if pointer else None)
    if line is not None:
        region: dict[str, int] = {"startLine": line}
        if c.column is not None:
            region["startColumn"] = c.column
        physical["region"] = region
    if pointer and not _LINE_ONLY.fullmatch(pointer):
        location["logicalLocations"] = [
            {
                "name": escape.visible_controls(c.qualified_name),
                "fullyQualifiedName": pointer,
                "kind": "object",
            }
        ]
        if pointer.startswith("/") and "(line " not in pointer:
            location["properties"] = {"jsonPointer": pointer}
    location["message"] = {"text": escape.sarif(c.label())}
    return location


def _code_flow(
    path: tuple[PathStep, ...], f: Finding, own: dict[str, Any], docs: dict[str, DocumentInfo]
) -> dict[str, Any]:
    """One path as a code flow: root first, the finding's component last (with ``own``, the
    finding's place in the file); every other step is named and identified but has no
    region, since only findings are looked up in the file."""
    steps: list[dict[str, Any]] = []
    last = len(path) - 1
    for i, step in enumerate(path):
        text = step.label() if not step.relation else f"{step.relation.replace('_', ' ')} {step.label()}"
        text = escape.sarif(text)
        if i == last and step.id == f.component.id:
            location = {**own, "message": {"text": text}}
        else:
            location = {
                "message": {"text": text},
                "logicalLocations": [
                    {
                        "name": escape.visible_controls(step.qualified_name),
                        "fullyQualifiedName": escape.visible_controls(step.id),
                        "kind": "module",
                    }
                ],
            }
        steps.append({"location": location, "nestingLevel": i, "executionOrder": i + 1})
    return {"message": {"text": escape.sarif(format_path(path, docs))}, "threadFlows": [{"locations": steps}]}


def _result(
    f: Finding, rule_index: int, artifact_index: int, base: str | None, docs: dict[str, DocumentInfo]
) -> dict[str, Any]:
    level = "note" if f.waived else _LEVELS[f.severity]
    c = f.component
    text = (
        f"{f.entity.name} ({f.entity.id}) in {escape.shorten(c.label())}: {f.severity}, "
        f"confidence {f.confidence}, tier {f.tier}."
    )
    own = _location(f, artifact_index, base)
    if f.paths:
        text += " Path: " + format_path(f.paths[0], docs) + "."
    if f.notes:
        text += " Review: " + "; ".join(f.notes) + "."
    text = escape.sarif(text, 4 * escape.MAX_SHOWN)
    result: dict[str, Any] = {
        "ruleId": _rule_id(f),
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": [own],
        "partialFingerprints": {"sbomscanFinding/v1": f.id},
        "properties": {
            "severity": f.severity,
            "confidence": f.confidence,
            "tier": f.tier,
            "waived": f.waived,
            "entity": f.entity.id,
            "component": {
                "id": c.id,
                "name": c.name,
                "version": c.version,
                "purl": c.purl,
                "bomRef": c.bom_ref,
            },
            "authorities": [a.id for a in f.authorities],
            "evidence": [evidence_dict(e, via=False) for e in f.evidence],
            "paths": [format_path(p, docs) for p in f.paths[:SARIF_MAX_PATHS]],
            "pathsTotal": len(f.paths),
            "pathsTruncated": f.paths_truncated,
            "listedOnly": f.listed_only,
        },
    }
    if f.paths:
        result["codeFlows"] = [_code_flow(path, f, own, docs) for path in f.paths[:SARIF_MAX_PATHS]]
    if f.waived and f.waiver is not None:
        w = f.waiver
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": escape.sarif(
                    f"{w.justification} (approved by {w.approver}, expires {w.expiry})"
                ),
                "properties": {"approver": w.approver, "expiry": w.expiry, "source": w.source},
            }
        ]
    return result


def to_sarif(report: Report, base: str | None = None) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (plain JSON data). Paths below ``base`` (default:
    the working directory) are written relative to it, under ``%SRCROOT%``."""
    if base is None:
        base = os.getcwd()
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    for d in report.documents:
        if d.path not in artifact_index:
            artifact_index[d.path] = len(artifacts)
            artifacts.append(
                {
                    "location": _artifact_location(d.path, base),
                    "hashes": {"sha-256": d.sha256},
                    "mimeType": "application/json" if d.encoding in ("json", "json-ld") else "text/plain",
                    "properties": {"format": d.format, "specVersion": d.spec_version, "tier": d.tier},
                }
            )
    docs = {d.path: d for d in report.documents}
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results = []
    for f in report.findings:
        rid = _rule_id(f)
        if rid not in rule_index:
            rule_index[rid] = len(rules)
            rules.append(_rule(rid, f))
        if f.component.document not in artifact_index:
            artifact_index[f.component.document] = len(artifacts)
            artifacts.append({"location": _artifact_location(f.component.document, base)})
        results.append(_result(f, rule_index[rid], artifact_index[f.component.document], base, docs))
    notifications = [
        {
            "level": "warning" if d.severity != "info" else "note",
            "message": {"text": escape.sarif(d.message)},
            "descriptor": {"id": d.code},
        }
        for d in report.diagnostics
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "rules": rules,
            }
        },
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(base)}},
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
        "properties": {
            "asOf": report.as_of.isoformat(),
            "entityDataVersion": report.entity_data_version,
            "unresolvedLinks": [u.message for u in report.unresolved_links],
            "outcome": report.outcome,
            "verdict": verdict_dict(report.verdict),
            "coverage": coverage_dict(report.coverage),
            "inputsNotRead": [input_dict(i) for i in report.inputs if i.status != "read"],
            "entityData": entity_data_dict(report),
        },
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _directory_uri(base: str) -> str:
    """``file:///abs/dir/`` — a base URI must end in a slash."""
    if os.sep == "\\" or PureWindowsPath(base).drive:
        base = "/" + PureWindowsPath(base).as_posix().lstrip("/")
    return "file://" + quote(base.rstrip("/") + "/", safe="/:")


def render_sarif(report: Report) -> str:
    """SARIF JSON text ending in a newline."""
    return escape.json_text(orjson.dumps(to_sarif(report), option=orjson.OPT_INDENT_2).decode()) + "\n"
