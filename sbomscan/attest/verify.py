"""``sbomscan verify``: is this attestation the vendor's, about these files, and does the
scan still say what it says?

Three checks, each reported on its own line:

1. **signature** — a DSSE envelope must carry an Ed25519 signature by the key given; an
   unsigned Statement is accepted only when no key is given (and said to be unsigned);
2. **subjects** — every file given hashes to a subject of the statement, and every input
   the scan read is among the files given (files are matched by their sha256, so the
   bundle may sit in another folder than the vendor's);
3. **outcome** — when the entity data installed here is the one attested (same version,
   same sha256, same overlays), the scan is run again on the files with the attested
   as-of date, options and waivers, and must give the same outcome and the same findings.
   With other data it is not re-run, and the line says so.

A failed check is a *mismatch* (exit 1); an attestation that cannot be read, or a signed one
given without a key, is a usage error (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

import orjson

from ..errors import AttestationError, UsageError
from ..report.json import entity_data_dict
from ..waivers import Waiver
from . import dsse
from .files import read_small
from .intoto import PREDICATE_TYPE, STATEMENT_TYPE, ScanParameters, subjects

__all__ = ["VerifyResult", "read_attestation", "verify"]

MAX_ATTESTATION_BYTES = 256 * 1024 * 1024


class VerifyResult(NamedTuple):
    """``ok`` when every check made passed; ``lines`` say what was checked and how it went."""

    ok: bool
    lines: tuple[str, ...]


def read_attestation(path: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The statement in ``path`` and, when it is a DSSE envelope, the envelope (its
    signature not yet checked)."""
    data = read_small(path, MAX_ATTESTATION_BYTES, "an attestation", AttestationError)
    doc = _json(data, path)
    envelope = None
    if "payloadType" in doc and "signatures" in doc:
        envelope = doc
        kind, body = dsse.envelope_payload(doc, path)
        if kind != dsse.IN_TOTO_PAYLOAD_TYPE:
            raise AttestationError(f"{path}: /payloadType: {kind!r}, not {dsse.IN_TOTO_PAYLOAD_TYPE}")
        doc = _json(body, f"{path}: payload")
    elif "attestation_version" in doc:
        raise AttestationError(
            f"{path}: an sbomscan attestation record (version {doc.get('attestation_version')}), which "
            "carries no statement to verify; make an in-toto one with 'sbomscan attest'"
        )
    if doc.get("_type") != STATEMENT_TYPE:
        raise AttestationError(f"{path}: /_type: not an in-toto Statement v1 ({STATEMENT_TYPE})")
    if doc.get("predicateType") != PREDICATE_TYPE:
        raise AttestationError(f"{path}: /predicateType: {doc.get('predicateType')!r} is not sbomscan's")
    if not isinstance(doc.get("subject"), list) or not isinstance(doc.get("predicate"), dict):
        raise AttestationError(f"{path}: /subject or /predicate missing")
    return doc, envelope


def _json(data: bytes, where: str) -> dict[str, Any]:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise AttestationError(f"{where}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(doc, dict):
        raise AttestationError(f"{where}: expected a JSON object")
    return doc


def _signature(path: str, envelope: dict[str, Any] | None, key: str | None) -> tuple[bool, str]:
    if envelope is None:
        if key is not None:
            return False, "signature: MISMATCH: the attestation is not signed, but a key was given"
        return True, "signature: none (an unsigned statement: anyone could have written it)"
    if key is None:
        raise UsageError(f"{path}: the attestation is signed: give --key PUBLIC.pem to check its signature")
    public = dsse.load_public_key(key)
    if dsse.verify_envelope(envelope, public, path):
        return True, f"signature: OK (Ed25519 key {dsse.key_id(public)})"
    return False, f"signature: MISMATCH: not signed by the key in {key} (or the payload was changed)"


def _digests(items: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for s in items:
        digest = s.get("digest") if isinstance(s, dict) else None
        if isinstance(digest, dict) and isinstance(digest.get("sha256"), str):
            out.setdefault(digest["sha256"], s)
    return out


def _parameters(predicate: dict[str, Any]) -> ScanParameters:
    p = predicate.get("parameters") or {}
    return ScanParameters(
        as_of=str(predicate.get("as_of")),
        fail_on=str(p.get("fail_on", "prohibited")),
        require_complete=bool(p.get("require_complete")),
        count_skipped=bool(p.get("count_skipped")),
        buyer=p.get("buyer"),
        exclude=tuple(p.get("exclude") or ()),
        strict=bool(p.get("strict")),
        max_bytes=int(p.get("max_bytes") or ScanParameters("").max_bytes),
    )


def _waivers(predicate: dict[str, Any]) -> list[Waiver]:
    """The attested waivers, to re-run the scan with: they are part of what was signed."""
    out = []
    for w in predicate.get("waivers") or ():
        sel = str(w.get("selector", ""))
        kind, _, value = sel.partition(" ")
        fields: dict[str, Any] = {}
        if kind == "purl":
            fields["purl"] = value
        elif kind == "bom-ref":
            fields["bom_ref"] = value
        else:
            name, _, version = value.rpartition(" version ")
            fields.update(name=name, version=version)
        out.append(
            Waiver(
                str(w["entity"]),
                str(w["justification"]),
                str(w["approver"]),
                date.fromisoformat(str(w["expiry"])),
                **fields,
            )
        )
    return out


def _rescan(files: Sequence[str], predicate: dict[str, Any], entities: Sequence[str]) -> Any:
    from ..entities import load_entities
    from ..scan import scan

    params = _parameters(predicate)
    # the parameters are named as scan() names them: the same scan, with the attested waivers
    report = scan(
        list(files),
        entities=load_entities(list(entities)),
        waivers=_waivers(predicate),
        locate=False,
        **params._asdict(),
    )
    return report, params


def _subject_lines(attested: list[dict[str, Any]], found: list[dict[str, Any]]) -> tuple[bool, list[str]]:
    want, have = _digests(attested), _digests(found)
    lines = []
    for digest, s in have.items():
        if digest not in want:
            lines.append(
                f"subjects: MISMATCH: {s.get('name')} (sha256 {digest}) is not a subject of the attestation"
            )
    for digest, s in want.items():
        content = (s.get("annotations") or {}).get("sbomscan.content")
        if content in ("submitted", "archive", "read") and digest not in have:
            lines.append(
                f"subjects: MISMATCH: attested input {s.get('name')} (sha256 {digest}) was not given"
            )
    if lines:
        return False, lines
    return True, [f"subjects: OK ({len(have)} of {len(want)} attested digests matched by the files given)"]


def _outcome_lines(report: Any, predicate: dict[str, Any]) -> tuple[bool, list[str]]:
    attested_data = predicate.get("entity_data")
    here = entity_data_dict(report)
    if _data_identity(attested_data) != _data_identity(here):
        return True, [
            f"outcome: not re-run: attested with entity data {_data_label(attested_data)}, "
            f"installed {_data_label(here)} (install that data, or give the same --entities overlays)"
        ]
    attested = (
        predicate.get("outcome"),
        sorted((f["id"], f["severity"], f["waived"]) for f in predicate["findings"]),
    )
    again = (report.outcome, sorted((f.id, f.severity, f.waived) for f in report.findings))
    if attested != again:
        return False, [
            f"outcome: MISMATCH: attested {attested[0]} with {len(attested[1])} finding(s); "
            f"the same scan now gives {again[0]} with {len(again[1])} finding(s)"
        ]
    return True, [f"outcome: OK ({again[0]}, {len(again[1])} finding(s), as of {predicate.get('as_of')})"]


def _data_identity(data: Any) -> Any:
    """What makes two entity-data setups the same: versions and sha256s, not file paths."""
    if not isinstance(data, dict):
        return None
    files = [data.get("shipped") or {}, *(data.get("overlays") or ())]
    return (data.get("version"), [(f.get("version"), f.get("sha256")) for f in files if isinstance(f, dict)])


def _data_label(data: Any) -> str:
    if not isinstance(data, dict):
        return "unknown"
    n = len(data.get("overlays") or ())
    return str(data.get("version")) + (f" + {n} overlay(s)" if n else "")


def verify(
    attestation: str, *, key: str | None = None, files: Sequence[str] = (), entities: Sequence[str] = ()
) -> VerifyResult:
    """Check ``attestation`` (see the module docstring); ``files`` are the bundle as
    received, ``entities`` the overlays to re-run with."""
    statement, envelope = read_attestation(attestation)
    ok, line = _signature(attestation, envelope, key)
    lines = [line]
    if not files:
        lines.append("subjects: not checked (no files given)")
        return VerifyResult(ok, tuple(lines))
    predicate = statement["predicate"]
    report, params = _rescan(files, predicate, entities)
    good, more = _subject_lines(statement["subject"], subjects(report, max_bytes=params.max_bytes))
    lines += more
    ok = ok and good
    good, more = _outcome_lines(report, predicate)
    return VerifyResult(ok and good, tuple(lines + more))
