"""Waivers: a reviewed decision that one finding is acceptable until a date.

A waivers file (JSON or YAML) is a list of entries — or ``{"waivers": [...]}`` — each
naming an entity id, one component selector (``purl``, ``bom_ref``, or ``name`` with
``version``), a justification, an approver and an expiry date::

    - entity: kaspersky
      purl: pkg:generic/kav-sdk@8.0
      justification: Engine disabled at build time; removal tracked in TICKET-12
      approver: J. Smith, Contracting Officer
      expiry: 2027-03-31

Waived findings stay in every report, marked waived, so a waiver can never hide a finding
from the person reading the report; they only stop counting toward ``--fail-on``. A waiver
whose expiry is before the as-of date is *expired*: it is warned about and waives nothing,
so that a forgotten exception turns the gate red again instead of lasting forever.

>>> ws = parse_waivers([{"entity": "kaspersky", "name": "kav-sdk", "version": "8.0",
...     "justification": "removed in 2.0", "approver": "CO", "expiry": "2027-01-01"}], "w.yaml")
>>> ws[0].selector
'name kav-sdk version 8.0'
>>> parse_waivers([{"entity": "kaspersky"}], "w.yaml")
Traceback (most recent call last):
...
sbomscan.errors.WaiverError: w.yaml: /0: a waiver needs one component selector: purl, bom_ref, or name with version
"""

from __future__ import annotations

import os
from collections.abc import Container, Sequence
from datetime import date
from typing import Any, NamedTuple

import orjson

from .errors import WaiverError
from .identifiers.purl import check_purl, parse_purl
from .report.model import Finding, ReportDiagnostic, WaiverInfo, WaiverRef

__all__ = ["Waiver", "apply_waivers", "load_waivers", "parse_waivers", "unknown_waiver_entities"]

_FIELDS = frozenset(
    {"entity", "purl", "bom_ref", "name", "version", "justification", "approver", "expiry", "note"}
)
MAX_WAIVER_BYTES = 16 * 1024 * 1024


class Waiver(NamedTuple):
    """One waiver; exactly one selector kind is set (``purl``, ``bom_ref`` or ``name``+``version``)."""

    entity: str
    justification: str
    approver: str
    expiry: date
    purl: str | None = None
    bom_ref: str | None = None
    name: str | None = None
    version: str | None = None
    source: str = "<waivers>"
    pointer: str = ""

    @property
    def selector(self) -> str:
        """The component selector as one readable string."""
        if self.purl is not None:
            return f"purl {self.purl}"
        if self.bom_ref is not None:
            return f"bom-ref {self.bom_ref}"
        return f"name {self.name} version {self.version}"

    def expired(self, as_of: date) -> bool:
        """Expired on ``as_of``: its expiry date is before it (a waiver holds through its expiry day)."""
        return self.expiry < as_of

    def selects(self, *, entity: str, purl: str | None, bom_ref: str, name: str, version: str | None) -> bool:
        """Whether this waiver is about that entity in that component.

        A purl without a version (``pkg:generic/kav-sdk``) selects every version of it; a
        purl with one selects that version only (qualifiers and subpath are ignored). Both
        are read as packageurl-python reads them (:func:`sbomscan.identifiers.purl.parse_purl`):
        an npm scope's ``@`` is not a version, ``%40`` is ``@``, and a PyPI name matches
        however its case and ``_``/``-`` are written.

        >>> w = Waiver("k", "j", "a", date(2030, 1, 1), purl="pkg:generic/kav-sdk")
        >>> w.selects(entity="k", purl="pkg:generic/kav-sdk@8.0?arch=x86", bom_ref="r", name="n", version="8.0")
        True
        >>> w.selects(entity="zte", purl="pkg:generic/kav-sdk@8.0", bom_ref="r", name="n", version="8.0")
        False
        >>> scoped = Waiver("huawei", "j", "a", date(2030, 1, 1), purl="pkg:npm/@huawei/push")
        >>> scoped.selects(entity="huawei", purl="pkg:npm/%40huawei/push@6.1.0", bom_ref="r", name="n", version=None)
        True
        """
        if entity != self.entity:
            return False
        if self.purl is not None:
            want, have = parse_purl(self.purl), parse_purl(purl) if purl is not None else None
            if want is None or have is None or want[:3] != have[:3]:
                return False
            return want.version is None or want.version == have.version
        if self.bom_ref is not None:
            return bom_ref == self.bom_ref
        return name == self.name and (version or "") == (self.version or "")


def load_waivers(path: str | os.PathLike[str]) -> list[Waiver]:
    """Read and validate a waivers file (JSON or YAML; YAML is read with ``safe_load``).

    Raises :class:`~sbomscan.errors.WaiverError` naming the file, the JSON pointer of the
    bad entry and the problem.
    """
    label = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_WAIVER_BYTES + 1)
    except OSError as exc:
        raise WaiverError(label, exc.strerror or str(exc)) from None
    if len(data) > MAX_WAIVER_BYTES:
        raise WaiverError(label, f"the waivers file is over {MAX_WAIVER_BYTES} bytes")
    obj: Any
    text_start = data.lstrip()[:1]
    if text_start in (b"{", b"["):
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise WaiverError(
                label, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    else:
        import yaml  # only for a YAML waivers file: a scan without one does not import PyYAML

        try:
            obj = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise WaiverError(label, f"invalid YAML{where}: {problem}") from None
        except (ValueError, RecursionError) as exc:
            raise WaiverError(label, f"invalid YAML: {exc}") from None
    return parse_waivers(obj, label)


def _text(entry: dict[str, Any], key: str, source: str, ptr: str, *, required: bool) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise WaiverError(source, f"missing {key!r}", pointer=ptr)
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "version":
        value = str(value)
    if not isinstance(value, str):
        raise WaiverError(
            source, f"{key!r} must be a string, not {type(value).__name__}", pointer=f"{ptr}/{key}"
        )
    if not value.strip():
        raise WaiverError(source, f"{key!r} must not be empty", pointer=f"{ptr}/{key}")
    return value.strip()


def _expiry(entry: dict[str, Any], source: str, ptr: str) -> date:
    value = entry.get("expiry")
    if value is None:
        raise WaiverError(source, "missing 'expiry' (a date, YYYY-MM-DD): every waiver must end", pointer=ptr)
    if isinstance(value, date):  # YAML reads an unquoted 2027-01-01 as a date
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise WaiverError(source, f"'expiry' must be a date YYYY-MM-DD, not {value!r}", pointer=f"{ptr}/expiry")


def parse_waivers(obj: Any, source: str = "<waivers>") -> list[Waiver]:
    """Validate already-decoded waiver data (a list, or a mapping with a ``waivers`` list)."""
    base = ""
    if isinstance(obj, dict) and "waivers" in obj:
        obj, base = obj["waivers"], "/waivers"
    if obj is None:
        return []
    if not isinstance(obj, list):
        raise WaiverError(
            source, "expected a list of waivers (or an object with a 'waivers' list)", pointer=base
        )
    return [_waiver(entry, source, f"{base}/{i}") for i, entry in enumerate(obj)]


def _waiver(entry: Any, source: str, ptr: str) -> Waiver:
    """One entry of the list, at ``ptr``: its fields checked in the order of their errors."""
    if not isinstance(entry, dict):
        raise WaiverError(source, f"a waiver must be an object, not {type(entry).__name__}", pointer=ptr)
    unknown = sorted(str(k) for k in entry if k not in _FIELDS)
    if unknown:
        raise WaiverError(
            source,
            f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(_FIELDS))})",
            pointer=f"{ptr}/{unknown[0]}",
        )
    purl, bom_ref, name, version = _selector(entry, source, ptr)
    entity = _text(entry, "entity", source, ptr, required=True)
    justification = _text(entry, "justification", source, ptr, required=True)
    approver = _text(entry, "approver", source, ptr, required=True)
    assert entity is not None and justification is not None and approver is not None
    return Waiver(
        entity=entity,
        justification=justification,
        approver=approver,
        expiry=_expiry(entry, source, ptr),
        purl=purl,
        bom_ref=bom_ref,
        name=name,
        version=version,
        source=source,
        pointer=ptr,
    )


def _selector(
    entry: dict[str, Any], source: str, ptr: str
) -> tuple[str | None, str | None, str | None, str | None]:
    """(purl, bom_ref, name, version): exactly one way of picking the component, and a
    purl that is one, so a waiver can never silently select nothing or too much."""
    purl = _text(entry, "purl", source, ptr, required=False)
    bom_ref = _text(entry, "bom_ref", source, ptr, required=False)
    name = _text(entry, "name", source, ptr, required=False)
    version = _text(entry, "version", source, ptr, required=False)
    kinds = sum(x is not None for x in (purl, bom_ref, name))
    if kinds == 0:
        raise WaiverError(
            source, "a waiver needs one component selector: purl, bom_ref, or name with version", pointer=ptr
        )
    if kinds > 1:
        raise WaiverError(
            source, "give only one component selector: purl, bom_ref, or name with version", pointer=ptr
        )
    if name is not None and version is None:
        raise WaiverError(source, "a 'name' selector needs a 'version' too", pointer=ptr)
    if version is not None and name is None:
        raise WaiverError(source, "'version' is only used with 'name'", pointer=f"{ptr}/version")
    if purl is not None and not purl.startswith("pkg:"):
        raise WaiverError(source, f"'purl' must start with 'pkg:', not {purl!r}", pointer=f"{ptr}/purl")
    if purl is not None and parse_purl(purl) is None:
        reason = check_purl(purl) or "no package name"
        raise WaiverError(source, f"'purl' {purl!r} is not a package URL: {reason}", pointer=f"{ptr}/purl")
    return purl, bom_ref, name, version


def apply_waivers(
    findings: list[Finding], waivers: Sequence[Waiver], as_of: date, diagnostics: list[ReportDiagnostic]
) -> tuple[list[Finding], tuple[WaiverInfo, ...]]:
    """``findings`` with every live waiver applied, and what became of each waiver.

    A waiver that is live and selects findings marks them waived (the first waiver to select
    a finding is the one recorded); an expired waiver waives nothing and adds an
    ``expired-waiver`` warning to ``diagnostics``, one that selects nothing an
    ``unused-waiver`` note. The findings keep their order.
    """
    infos: list[WaiverInfo] = []
    out = list(findings)
    for w in waivers:
        hits: list[int] = [
            i
            for i, f in enumerate(out)
            if w.selects(
                entity=f.entity.id,
                purl=f.component.purl,
                bom_ref=f.component.bom_ref,
                name=f.component.name,
                version=f.component.version,
            )
        ]
        ids = tuple(out[i].id for i in hits)
        where = f"{w.source}{w.pointer}" if w.pointer else w.source
        if w.expired(as_of):
            status = "expired"
            diagnostics.append(
                ReportDiagnostic(
                    "warning",
                    "expired-waiver",
                    f"the waiver for {w.entity} / {w.selector} expired on {w.expiry.isoformat()} and no longer "
                    f"waives {len(ids)} finding(s)",
                    w.pointer or None,
                    w.source,
                )
            )
        elif not hits:
            status = "unused"
            diagnostics.append(
                ReportDiagnostic(
                    "info",
                    "unused-waiver",
                    f"the waiver for {w.entity} / {w.selector} matches no finding",
                    None,
                    where,
                )
            )
        else:
            status = "applied"
            ref = WaiverRef(w.justification, w.approver, w.expiry.isoformat(), where)
            for i in hits:
                if not out[i].waived:
                    out[i] = out[i]._replace(waived=True, waiver=ref)
        infos.append(
            WaiverInfo(
                w.entity, w.selector, w.justification, w.approver, w.expiry.isoformat(), where, status, ids
            )
        )
    return out, tuple(infos)


def unknown_waiver_entities(waivers: Sequence[Waiver], entity_ids: Container[str]) -> list[ReportDiagnostic]:
    """A warning for each waiver that names an entity the entity data does not have."""
    return [
        ReportDiagnostic(
            "warning",
            "unknown-waiver-entity",
            f"the waiver names entity {w.entity!r}, which the entity data does not have",
            w.pointer or None,
            w.source,
        )
        for w in waivers
        if w.entity not in entity_ids
    ]
