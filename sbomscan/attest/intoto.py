"""The vendor's attestation as an in-toto Statement v1: what was scanned (the subjects), and
what the scan found (the predicate).

The subjects are every input, named as the scan named it and identified by the sha256 of
the bytes **as submitted** — the file a buyer receives — so that ``sha256sum`` or any
in-toto verifier matches them. Where the scan read other bytes than those submitted, those
are subjects too: a gzip file's decompressed content (named ``FILE#decompressed``) and each
member of a ZIP or tar archive (``archive.zip!member``, by its decompressed bytes, next to
the archive itself). A file found but not read (a README in the folder, a malformed SBOM) is
a subject too when it is a regular file: its presence decided the outcome as well.

The predicate (type :data:`PREDICATE_TYPE`, defined by this project) holds the outcome
and its reasons, the as-of date, the scan's parameters (so that ``sbomscan verify`` can
repeat it), the tool version, the entity data (version, sha256, overlays), the coverage,
every input with its status, the findings, the waivers and the sha256 of the full JSON
report. ``docs/vendor-attestation.md`` describes every field.

>>> PREDICATE_TYPE
'https://sbomscan-covered-vendors.invalid/attestation/scan-result/v1'
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
import zlib
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, NamedTuple

import orjson

from ..errors import AttestationError, IngestError
from ..ingest import DEFAULT_MAX_BYTES, open_regular
from ..report.escape import json_text
from ..report.json import (
    coverage_dict,
    entity_data_dict,
    finding_dict,
    input_dict,
    render_json,
    verdict_dict,
    waiver_dict,
)
from ..report.model import Finding, Report

__all__ = [
    "PREDICATE_TYPE",
    "STATEMENT_TYPE",
    "ScanParameters",
    "build_statement",
    "render_statement",
    "subjects",
]

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://sbomscan-covered-vendors.invalid/attestation/scan-result/v1"
"""The predicate type of sbomscan's attestation. The project has no public home yet: the
``.invalid`` top-level domain (RFC 2606) never resolves and can never be registered by
anyone, so the name is stable and nobody else can serve a page at it. A type URI is a name;
``docs/vendor-attestation.md`` is its description."""

_CHUNK = 1 << 20


class ScanParameters(NamedTuple):
    """The options a scan was run with beyond its inputs: what ``verify`` repeats. Each is
    named as the keyword of :func:`sbomscan.scan` it is passed as."""

    as_of: str
    fail_on: str = "prohibited"
    require_complete: bool = False
    count_skipped: bool = False
    buyer: str | None = None
    exclude: tuple[str, ...] = ()
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES


def _hash_file(path: str, max_bytes: int) -> tuple[str, str | None]:
    """sha256 of the file's bytes, and of its decompressed bytes when it is gzip (``None``
    otherwise, or when they run past ``max_bytes``). Streams: memory stays bounded."""
    raw = hashlib.sha256()
    with open_regular(path, path) as fh:
        head = fh.read(2)
        raw.update(head)
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            raw.update(chunk)
        if head != b"\x1f\x8b":
            return raw.hexdigest(), None
        fh.seek(0)
        inner = hashlib.sha256()
        total = 0
        try:
            with gzip.GzipFile(fileobj=fh) as gz:
                for chunk in iter(lambda: gz.read(_CHUNK), b""):
                    total += len(chunk)
                    if total > max_bytes:
                        return raw.hexdigest(), None
                    inner.update(chunk)
        except (OSError, EOFError, zlib.error):
            return raw.hexdigest(), None
    return raw.hexdigest(), inner.hexdigest()


def _subject(name: str, sha256: str, content: str) -> dict[str, Any]:
    return {"name": name, "digest": {"sha256": sha256}, "annotations": {"sbomscan.content": content}}


def _file_subjects(path: str, read_sha256: str | None, max_bytes: int) -> list[dict[str, Any]]:
    """The subjects of one file on disk: as submitted, and decompressed where that is what
    was read. Raises when the file no longer holds what the scan read."""
    raw, inner = _hash_file(path, max_bytes)
    if read_sha256 is None or raw == read_sha256:
        return [_subject(path, raw, "submitted" if read_sha256 else "not-read")]
    if inner == read_sha256:
        return [_subject(path, raw, "submitted"), _subject(f"{path}#decompressed", inner, "decompressed")]
    raise AttestationError(f"{path}: changed while it was scanned and attested; attest again")


def _hashable(path: str) -> bool:
    """A regular file that is not a link (a not-read input is hashed only then: a link out
    of the folder, a FIFO or a device is never opened)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode)


def subjects(report: Report, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[dict[str, Any]]:
    """Every input of ``report`` as in-toto subjects (see the module docstring).

    Read inputs are hashed again from disk, streaming; a file that no longer hashes to what
    the scan read raises :class:`~sbomscan.errors.AttestationError` rather than attesting
    bytes nobody scanned. Standard input and in-memory bytes are named ``<stdin>`` /
    ``<bytes>`` and identified by the bytes read (after decompression).
    """
    out: list[dict[str, Any]] = []
    archives: set[str] = set()
    for rec in report.inputs:
        path = rec.path
        if "!" in path and not os.path.lexists(path):
            top = path.split("!", 1)[0]
            if top not in archives and _hashable(top):
                archives.add(top)
                out.append(_subject(top, _hash_file(top, max_bytes)[0], "archive"))
            if rec.status == "read" and rec.sha256:
                out.append(_subject(path, rec.sha256, "archive-member"))
            continue
        if rec.status == "read" and rec.sha256:
            if _hashable(path):
                try:
                    out.extend(_file_subjects(path, rec.sha256, max_bytes))
                except IngestError as exc:
                    raise AttestationError(f"{path}: cannot hash it again: {exc.reason}") from None
            else:
                out.append(_subject(path, rec.sha256, "read"))
        elif rec.reason in ("not-sbom", "malformed", "unsupported") and _hashable(path):
            try:
                out.extend(_file_subjects(path, None, max_bytes))
            except IngestError:
                continue
    return out


_SUMMARY_KEYS = (
    "findings",
    "prohibited",
    "review",
    "notice",
    "waived",
    "documents",
    "components",
    "unresolved_links",
)
"""The report's counts, in the predicate's order (the JSON report's ``summary`` has them all)."""
_FINDING_KEYS = ("id", "severity", "confidence", "waived", "entity", "component", "authorities", "tier")
_COMPONENT_KEYS = ("name", "group", "version", "purl", "bom_ref", "document")


def _finding(f: Finding) -> dict[str, Any]:
    """A finding as the predicate states it: the JSON report's form of it
    (:func:`~sbomscan.report.json.finding_dict`) less the evidence, the paths and the place
    in the file — the report, bound by ``report_sha256``, holds those — with each authority
    by its citation."""
    full = finding_dict(f, paths=False)
    out = {k: full[k] for k in _FINDING_KEYS}
    out["component"] = {k: full["component"][k] for k in _COMPONENT_KEYS}
    out["authorities"] = [a["citation"] for a in full["authorities"]]
    return out


def _inputs(report: Report) -> list[dict[str, Any]]:
    docs = {d.path: d for d in report.documents}
    out = []
    for rec in report.inputs:
        item = input_dict(rec)
        d = docs.get(rec.path)
        if d is not None:
            item.update(
                format=d.format,
                spec_version=d.spec_version,
                tier=d.tier,
                supplier=d.supplier,
                components=d.components,
            )
        out.append(item)
    return out


def build_statement(
    report: Report,
    parameters: ScanParameters | None = None,
    *,
    generated_at: datetime | None = None,
    subject_list: Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The in-toto Statement for ``report`` as plain JSON data.

    ``subject_list`` defaults to :func:`subjects` (which hashes the inputs again from disk).
    """
    v = report.verdict
    params = parameters or ScanParameters(
        report.as_of.isoformat(), v.fail_on, v.require_complete, v.count_skipped
    )
    when = (generated_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    predicate = {
        "outcome": v.outcome,
        "verdict": verdict_dict(v),
        "as_of": report.as_of.isoformat(),
        "generated_at": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "entity_data": entity_data_dict(report),
        "parameters": {
            "fail_on": params.fail_on,
            "require_complete": params.require_complete,
            "count_skipped": params.count_skipped,
            "buyer": params.buyer,
            "exclude": list(params.exclude),
            "strict": params.strict,
            "max_bytes": params.max_bytes,
        },
        "summary": {k: getattr(report.summary, k) for k in _SUMMARY_KEYS},
        "coverage": coverage_dict(report.coverage),
        "inputs": _inputs(report),
        "findings": [_finding(f) for f in report.findings],
        "waivers": [waiver_dict(w, source=False) for w in report.waivers],
        "unresolved_links": [u.message for u in report.unresolved_links],
        "report_sha256": hashlib.sha256(render_json(report).encode()).hexdigest(),
    }
    return {
        "_type": STATEMENT_TYPE,
        "subject": list(subject_list)
        if subject_list is not None
        else subjects(report, max_bytes=params.max_bytes),
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }


def render_statement(statement: dict[str, Any]) -> bytes:
    """Indented UTF-8 JSON ending in a newline: the bytes written, and signed. Invisible and
    reordering characters in values from an SBOM are written as ``\\uXXXX`` escapes
    (:func:`sbomscan.report.escape.json_text`), so the reader sees them."""
    return (json_text(orjson.dumps(statement, option=orjson.OPT_INDENT_2).decode()) + "\n").encode()
