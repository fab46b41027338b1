"""Run the whole pipeline — ingest, graph, match, trace — and decide what each match means.

This is where a match becomes a *finding*: one per (component, entity), all its evidence
merged, with a severity, the authorities that make it matter, the supplier tier, the
chain of documents, the paths from the product root, a stable id, and any waiver. The
renderers in :mod:`sbomscan.report` only print what is decided here.

Severity follows the words of the laws (issue 4 §3):

* ``prohibited`` — a high-confidence match (an identifier or the maker's own name, not a
  mention) to an entity covered, directly or through its control closure, by an authority
  in effect on the as-of date whose scope is any product (``scope: all``, e.g. NDAA FY18
  §1634 for Kaspersky), resting on no unverified or former fact;
* ``review`` — everything else a person should look at: medium or low confidence, an
  authority limited in scope (NDAA FY19 §889 covers telecommunications and video
  surveillance equipment; each FCC Covered List entry has its own scope, e.g. ``infosec``
  for AO Kaspersky Lab), a licensed engine, unverified data, a former affiliate, or an
  authority not yet (or no longer) in effect on the as-of date, or a list entry not yet
  made — each said in the finding's ``notes``.

The scope and date of a coverage are its own: for a list entry, the entry's scope tag and
date of inclusion (``Coverage.scope``/``since``), which the authority line of the report
shows (``scope``, ``effective``, and the entry in ``citation``).

The finding id is a short hash of the document's sha256, the component's ref and the
entity id: the same component in the same SBOM gets the same id on every run and machine,
so waivers, SARIF fingerprints and tickets can refer to it.
"""

from __future__ import annotations

import calendar
import functools
import gc
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, ParamSpec, TypeVar

from .entities import Coverage, EntityDatabase, load_entities
from .errors import (
    IngestError,
    InputTooLargeError,
    MalformedSbomError,
    NotRegularFileError,
    UnsupportedFormatError,
    UsageError,
)
from .graph import SbomGraph, build_graph, document_supplier
from .ingest import DEFAULT_MAX_BYTES
from .ingest.bundle import load_inputs
from .locate import locate_report
from .match import Confidence, Evidence, Match, Matcher, is_former, is_unverified
from .model import Component, Diagnostic, Document, InputRecord
from .report.model import (
    SEVERITIES,
    AuthorityRef,
    ChainDocument,
    ComponentRef,
    DocumentInfo,
    EntityRef,
    EvidenceInfo,
    Finding,
    PathStep,
    Report,
    ReportDiagnostic,
    Summary,
    ToolInfo,
    UnresolvedLinkInfo,
    WaiverInfo,
    WaiverRef,
)
from .trace import trace
from .waivers import Waiver, load_waivers

__all__ = ["REPORT_SCHEMA_VERSION", "finding_id", "load_bundle", "parse_as_of", "scan"]

REPORT_SCHEMA_VERSION = 1
"""Bumped when the JSON report changes incompatibly (see ``docs/report.schema.json``)."""

_RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}

SourceLike = str | os.PathLike[str] | bytes | Document


# The as-of date as the CLI and the library take it: the ISO extended form, ASCII digits only.
_AS_OF = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)


def parse_as_of(value: date | str | None) -> date:
    """The as-of date: a ``date``, an ISO ``YYYY-MM-DD`` string, or ``None`` for today.

    Only the extended form with hyphens is accepted (``20190813`` could be read several
    ways by a person, and a legal date should be written one way); a well-formed date that
    does not exist names the field that is out of range.

    >>> parse_as_of("2019-08-13")
    datetime.date(2019, 8, 13)
    >>> parse_as_of("13/08/2019")
    Traceback (most recent call last):
    ...
    sbomscan.errors.UsageError: as-of date must be YYYY-MM-DD, not '13/08/2019'
    >>> parse_as_of("2026-13-01")
    Traceback (most recent call last):
    ...
    sbomscan.errors.UsageError: as-of date '2026-13-01': month 13 is out of range (01-12)
    >>> parse_as_of("2026-02-30")
    Traceback (most recent call last):
    ...
    sbomscan.errors.UsageError: as-of date '2026-02-30': day 30 is out of range for 2026-02 (01-28)
    """
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    m = _AS_OF.fullmatch(text)
    if not m:
        raise UsageError(f"as-of date must be YYYY-MM-DD, not {value!r}")
    year, month, day = (int(g) for g in m.groups())
    if year < 1:
        raise UsageError(f"as-of date {value!r}: year 0000 is out of range (0001-9999)")
    if not 1 <= month <= 12:
        raise UsageError(f"as-of date {value!r}: month {m.group(2)} is out of range (01-12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise UsageError(
            f"as-of date {value!r}: day {m.group(3)} is out of range for {m.group(1)}-{m.group(2)} (01-{last})"
        )
    return date(year, month, day)


def finding_id(document_sha256: str, component_ref: str, entity_id: str) -> str:
    """A finding's stable id: 16 hex digits of a hash of what identifies it.

    >>> finding_id("ab" * 32, "pkg:generic/kav-sdk@8.0", "kaspersky")
    '...'
    >>> len(finding_id("ab" * 32, "x", "zte"))
    16
    """
    h = hashlib.sha256(f"{document_sha256}\n{component_ref}\n{entity_id}".encode())
    return h.hexdigest()[:16]


def load_bundle(
    sources: Iterable[SourceLike] | SourceLike,
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[str] = (),
) -> tuple[list[Document], list[InputRecord], list[ReportDiagnostic]]:
    """Load every input: files, directories (walked in full, sorted), ZIP and tar archives
    (opened like directories), ``"-"``, bytes or Documents.

    Returns the documents read, one :class:`~sbomscan.model.InputRecord` per input
    considered (read, or not read and why; see :mod:`sbomscan.ingest.bundle`), and a
    diagnostic for each input not read. One bad input never stops the others; raises only
    :class:`~sbomscan.errors.UsageError` when nothing was given, or when nothing given is
    an SBOM or could be one (a folder of READMEs).
    """
    items: list[Any] = (
        [sources] if isinstance(sources, (str, os.PathLike, bytes, bytearray, Document)) else list(sources)
    )
    if not items:
        raise UsageError("no SBOM to scan: give at least one file or directory")
    docs, inputs = load_inputs(items, strict=strict, max_bytes=max_bytes, exclude=exclude)
    if not docs and not any(r.counts for r in inputs):
        raise UsageError(
            f"no SBOM to scan: none of the {len(inputs)} file(s) given or found is an SBOM "
            "(see 'Every input accounted for' in docs/ingest.md)"
        )
    notes = [
        ReportDiagnostic(
            "error" if r.counts else "info",
            "input-not-read" if r.counts else "skipped-file",
            f"not read ({r.reason}): {r.message}",
            None,
            r.path,
        )
        for r in inputs
        if r.status == "not-read"
    ]
    return docs, inputs, notes


_NOT_READ_ERRORS: dict[str | None, type[IngestError]] = {
    "malformed": MalformedSbomError,
    "too-large": InputTooLargeError,
    "not-sbom": UnsupportedFormatError,
    "not-regular": NotRegularFileError,
}


def _refuse_incomplete(inputs: Sequence[InputRecord]) -> None:
    """Until the report carries the inputs and the ``incomplete`` outcome: an input that
    counts and was not read stops the scan, as it always has, with its one-line error."""
    for r in inputs:
        if r.status == "not-read" and r.counts:
            raise _NOT_READ_ERRORS.get(r.reason, IngestError)(r.path, r.message)


def _entities(entities: EntityDatabase | str | os.PathLike[str] | Sequence[Any] | None) -> EntityDatabase:
    if entities is None:
        return load_entities()
    if isinstance(entities, EntityDatabase):
        return entities
    if isinstance(entities, (str, os.PathLike)):
        return load_entities([entities])
    return load_entities(list(entities))


def _waivers(waivers: str | os.PathLike[str] | Sequence[Waiver] | None) -> list[Waiver]:
    if waivers is None:
        return []
    if isinstance(waivers, (str, os.PathLike)):
        return load_waivers(waivers)
    return list(waivers)


def _diag(d: Diagnostic, document: str | None) -> ReportDiagnostic:
    sev = d.severity.value if hasattr(d.severity, "value") else str(d.severity)
    return ReportDiagnostic(sev, d.code, d.message, d.location, document)


class _Scanner:
    """The state of one scan: the graph, the data, the date and the options."""

    def __init__(
        self,
        graph: SbomGraph,
        db: EntityDatabase,
        as_of: date,
        *,
        all_paths: bool,
        max_paths: int,
        max_depth: int | None,
    ) -> None:
        self.graph = graph
        self.db = db
        self.as_of = as_of
        self.all_paths = all_paths
        self.max_paths = max_paths
        self.max_depth = max_depth
        self.diagnostics: list[ReportDiagnostic] = []
        self._suppliers: dict[str, str | None] = {}

    def supplier(self, doc: Document) -> str | None:
        if doc.key not in self._suppliers:
            self._suppliers[doc.key] = document_supplier(doc, self.graph.components)
        return self._suppliers[doc.key]

    # ------------------------------------------------------------------ authorities

    def _cite(self, c: Coverage) -> str:
        """How the authority is cited for one coverage: its first citation, and for a list
        entry the entry's date and the entity it names ("47 CFR 1.50002, entry of
        2022-03-25 for AO Kaspersky Lab"), so that each line says which entry applies."""
        a = self.db.authorities[c.authority]
        cite = a.citations[0] if a.citations else a.title
        if c.listing is not None:
            named = self.db.entities.get(c.named or "")
            cite += f", entry of {c.listing.since.isoformat()}" + (f" for {named.name}" if named else "")
        return cite

    def _authority(self, c: Coverage, *, in_effect: bool) -> AuthorityRef:
        """The report's line for one coverage: for a list entry, its own scope and date."""
        a = self.db.authorities[c.authority]
        start = c.since or a.start
        return AuthorityRef(
            id=a.id,
            title=a.title,
            citation=self._cite(c),
            effective=start.isoformat() if start else None,
            scope=c.scope or a.scope,
            in_effect=in_effect,
            via=c.text,
            former=c.former,
        )

    def _scope(self, c: Coverage) -> str | None:
        return c.scope or self.db.authorities[c.authority].scope

    def _not_yet(self, entity_id: str) -> tuple[list[AuthorityRef], list[str]]:
        """For an entity nothing covers on the as-of date: the authorities that would cover it
        on a later date (not yet in effect, or its list entry not yet made), or did before
        (an authority that has ended), each with a note saying when."""
        db, day = self.db, self.as_of
        refs: list[AuthorityRef] = []
        notes: list[str] = []
        for aid in sorted(db.authorities):
            a = db.authorities[aid]
            probes = [d for d in db.start_dates(aid) if d > day]
            if a.until is not None and a.until <= day:
                probes = [date.fromordinal(a.until.toordinal() - 1)]
            for probe in probes:
                cov = [c for c in db.coverage(entity_id, probe) if c.authority == aid and not c.former]
                if not cov:
                    continue
                c = cov[0]
                refs.append(self._authority(c, in_effect=False))
                if a.until is not None and a.until <= day:
                    notes.append(f"{self._cite(c)} ended on {a.until.isoformat()}")
                else:
                    when = c.since if c.since is not None and c.since > day else probe
                    notes.append(
                        f"{self._cite(c)} takes effect on {when.isoformat()}, "
                        f"after the as-of date {day.isoformat()}"
                    )
                break
        return refs, notes

    def severity(
        self,
        entity_id: str,
        evidence: Sequence[Evidence],
        entity_evidence: Sequence[Evidence],
        lps: Sequence[str],
    ) -> tuple[str, tuple[AuthorityRef, ...], tuple[str, ...]]:
        """Severity, authorities and (for ``review``) the reasons, for one finding.

        The scope that decides is the coverage's own: for a list entry (the FCC Covered
        List), the entry's scope tag, never the list's ``per-entry``."""
        db = self.db
        ent = db.entities.get(entity_id)
        name = ent.name if ent else entity_id
        coverage = db.coverage(entity_id, self.as_of)
        current = [c for c in coverage if not c.former and c.authority in db.authorities]
        former = [c for c in coverage if c.former and c.authority in db.authorities]
        notes: list[str] = []

        def order(c: Coverage) -> tuple[int, str]:
            return (0 if self._scope(c) == "all" else 1, c.authority)

        authorities = [self._authority(c, in_effect=True) for c in sorted(current, key=order)]
        authorities += [self._authority(c, in_effect=True) for c in sorted(former, key=order)]
        if not coverage:
            # Not covered on this date: say which authority would cover it, and when.
            later, why = self._not_yet(entity_id)
            authorities += later
            notes += why
            if not authorities:
                notes.append(f"no authority in the entity data covers {name} on {self.as_of.isoformat()}")

        prohibiting = [c for c in current if not c.unverified and self._scope(c) == "all"]
        strong = [
            e
            for e in entity_evidence
            if e.confidence is Confidence.HIGH and not is_former(e) and not is_unverified(e)
        ]
        if strong and prohibiting:
            return "prohibited", tuple(authorities), ()

        if current and not prohibiting:
            limited: dict[str, list[str]] = {}
            for c in sorted(current, key=order):
                if c.unverified:
                    notes.append(f"coverage by {self._cite(c)} rests on unverified data")
                elif self._scope(c) != "all":
                    limited.setdefault(self._scope(c) or "unknown", []).append(self._cite(c))
            # one note per scope, not per law: §889, FAR 52.204-25 and the FCC entry ask the
            # same question of the same component
            for scope, cites in limited.items():
                what = SCOPE_QUESTIONS.get(scope, "the kind of product it names")
                notes.append(
                    f"{'; '.join(cites)} {'is' if len(cites) == 1 else 'are'} limited in scope "
                    f"({scope}): check whether this component is {what}"
                )
        if not current and former:
            notes.append(f"former affiliate: {former[0].text} (the relation has ended)")
        if not entity_evidence and lps:
            notes.append(
                f"licensed engine ({', '.join(lps)}): another vendor's product embeds {name}'s engine"
            )
        elif entity_evidence and not strong:
            best = min(entity_evidence, key=lambda e: _RANK[e.confidence])
            if all(is_former(e) for e in entity_evidence if e.confidence is Confidence.HIGH) and any(
                e.confidence is Confidence.HIGH for e in entity_evidence
            ):
                notes.append("the evidence links to the entity only through something that has ended")
            elif any(is_unverified(e) for e in entity_evidence if e.confidence is Confidence.HIGH):
                notes.append("the evidence rests on data marked unverified")
            else:
                notes.append(
                    f"{best.confidence.value} confidence: the component mentions {name} but no identifier proves it"
                )
        if not notes:
            notes.append(
                "not a high-confidence match to an entity covered by an authority in effect for any product"
            )
        return "review", tuple(authorities), tuple(dict.fromkeys(notes))

    # ------------------------------------------------------------------ findings

    def finding(self, comp: Component, entity_id: str, matches: Sequence[Match]) -> Finding:
        graph = self.graph
        doc = graph.document_of(comp.id)
        seen: set[Evidence] = set()
        evidence: list[Evidence] = []
        entity_evidence: list[Evidence] = []
        lps: list[str] = []
        for m in matches:
            if m.licensed_product and m.licensed_product not in lps:
                lps.append(m.licensed_product)
            for e in m.evidence:
                if m.kind == "entity":
                    entity_evidence.append(e)
                if e not in seen:
                    seen.add(e)
                    evidence.append(e)
        evidence.sort(key=lambda e: (_RANK[e.confidence], e.field, e.value, e.matched, e.rule))
        severity, authorities, notes = self.severity(entity_id, evidence, entity_evidence, lps)
        t = trace(
            graph, comp.id, max_paths=self.max_paths, max_depth=self.max_depth, all_paths=self.all_paths
        )
        paths = tuple(tuple(PathStep(s.id, s.name, s.version, s.relation) for s in p) for p in t.paths)
        if t.listed_only:
            self.diagnostics.append(
                ReportDiagnostic(
                    "warning",
                    "listed-only",
                    f"{comp.name} is listed in {doc.source} but no relationship connects it to the "
                    "product root; its path is shown as root → listed → component",
                    comp.pointer,
                    doc.source,
                )
            )
        ent = self.db.entities.get(entity_id)
        chain = tuple(
            ChainDocument(d.source, d.name, self.supplier(d), graph.tiers.get(d.key, 0))
            for d in graph.document_chain(doc.key)
        )
        return Finding(
            id=finding_id(doc.sha256, comp.ref, entity_id),
            severity=severity,
            confidence=evidence[0].confidence.value if evidence else "low",
            tier=graph.tier_of(comp.id),
            waived=False,
            entity=EntityRef(entity_id, ent.name if ent else entity_id),
            component=ComponentRef(
                id=comp.id,
                name=comp.name,
                version=comp.version,
                purl=comp.purl,
                bom_ref=comp.ref,
                document=doc.source,
                pointer=comp.pointer,
            ),
            evidence=tuple(
                EvidenceInfo(e.field, e.value, e.matched, e.rule, e.confidence.value, tuple(e.via))
                for e in evidence
            ),
            authorities=authorities,
            paths=paths,
            paths_truncated=t.truncated,
            listed_only=t.listed_only,
            document_chain=chain,
            notes=notes,
            licensed_products=tuple(lps),
        )


def _apply_waivers(
    findings: list[Finding], waivers: Sequence[Waiver], as_of: date, diagnostics: list[ReportDiagnostic]
) -> tuple[list[Finding], tuple[WaiverInfo, ...]]:
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


def _unresolved(graph: SbomGraph) -> tuple[UnresolvedLinkInfo, ...]:
    out = []
    for u in graph.unresolved:
        comp = graph.components.get(u.source)
        doc = graph.documents.get(comp.document if comp else u.source.split("#", 1)[0])
        out.append(
            UnresolvedLinkInfo(
                document=doc.source if doc else u.source,
                component=comp.name if comp else None,
                kind=u.link.kind.value,
                uri=u.link.uri,
                target=u.link.document,
                message=u.message,
            )
        )
    return tuple(out)


SCOPE_QUESTIONS = {
    "telecom-video": "telecommunications equipment, or video surveillance or telecommunications "
    "equipment used for public safety, government-facility security, critical-infrastructure "
    "surveillance or other national-security purposes (or a service using such equipment)",
    "infosec": "an information security product, solution or service",
    "cyber-software": "cybersecurity or anti-virus software, or equipment that integrates it",
    "telecom-services": "a telecommunications service (the listing is of the carrier's services)",
    "uas-comms-video": "communications or video surveillance equipment of the listed drone maker",
    "export-controls": "an item exported, re-exported or transferred to the listed entity "
    "(an export licence requirement, not a procurement ban)",
}
"""What a reviewer must decide for a finding under a scope-limited authority, by scope tag
(the wording follows the scope table of ``docs/entities.md``)."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _cyclic_gc_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with the cyclic garbage collector paused, restoring its state after.

    A scan builds a heap of immutable records (millions for a large SBOM: components,
    edges, their parts) that live until it returns. With the collector running, the
    allocations of graph building, matching and tracing trigger collections that walk that
    whole heap again and again to free nothing: about a fifth of a 100,000-component scan.
    A scan makes a small, constant amount of cyclic garbage (under a thousand objects,
    however large the SBOM), which the collector frees once it runs again.
    """

    @functools.wraps(fn)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_cyclic_gc_paused
def scan(
    sources: Iterable[SourceLike] | SourceLike,
    entities: EntityDatabase | str | os.PathLike[str] | Sequence[Any] | None = None,
    as_of: date | str | None = None,
    waivers: str | os.PathLike[str] | Sequence[Waiver] | None = None,
    *,
    strict: bool = False,
    all_paths: bool = False,
    max_paths: int = 10,
    max_depth: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    locate: bool = True,
    exclude: Sequence[str] = (),
) -> Report:
    """Scan SBOMs for components made, supplied or licensed by covered entities.

    Parameters
    ----------
    sources:
        Paths (files and directories), ``"-"`` for standard input, ``bytes``, or
        already-loaded :class:`~sbomscan.model.Document` s — one or many; all of them form
        one bundle, with links between them resolved.
    entities:
        An :class:`~sbomscan.entities.EntityDatabase`, or overlay files merged over the
        shipped data (default: the shipped data alone).
    as_of:
        The date the laws are applied on (``date`` or ``YYYY-MM-DD``; default today).
    waivers:
        A waivers file, or a list of :class:`~sbomscan.waivers.Waiver`.
    strict:
        Validate every input against its official schema (raise on violations).
    all_paths, max_paths, max_depth:
        Path enumeration: shortest paths (default) or all simple paths, capped.
    exclude:
        Glob patterns of files not to consider in folders and archives, matched against
        the path below the folder (``vendor/*.json``) and against the file name
        (``*.log``); a folder that matches is skipped whole.
    locate:
        Give each finding's component its line and column in its file (JSON and YAML
        files holding a finding, up to :data:`~sbomscan.locate.LOCATE_MAX_BYTES`, are read
        once more for this; see :mod:`sbomscan.locate`).

    Raises :class:`~sbomscan.errors.SbomscanError` subclasses on bad input, naming the file.

    >>> from sbomscan.entities import load_entities
    >>> db = load_entities([{"schema_version": 1, "version": "example",
    ...     "sources": {"law": {"title": "Pub. L. 115-91 § 1634"}},
    ...     "authorities": [{"id": "ndaa-fy18-1634", "title": "Kaspersky ban", "scope": "all",
    ...                      "citations": ["Pub. L. 115-91, div. A, title XVI, § 1634"],
    ...                      "effective": [{"date": "2018-10-01"}], "sources": ["law"]}],
    ...     "entities": [{"id": "kaspersky", "name": "AO Kaspersky Lab",
    ...                   "authorities": ["ndaa-fy18-1634"], "sources": ["law"]}]}],
    ...     include_default=False)
    >>> bom = b'''{"bomFormat": "CycloneDX", "specVersion": "1.6",
    ...   "metadata": {"component": {"bom-ref": "app", "name": "Gateway", "version": "1.0"}},
    ...   "components": [{"bom-ref": "av", "name": "av-engine", "version": "8.0",
    ...                   "supplier": {"name": "AO Kaspersky Lab"}}],
    ...   "dependencies": [{"ref": "app", "dependsOn": ["av"]}]}'''
    >>> report = scan([bom], entities=db, as_of="2024-01-01")
    >>> [(f.severity, f.entity.id, f.component.name) for f in report.findings]
    [('prohibited', 'kaspersky', 'av-engine')]
    >>> [[step.label() for step in path] for path in report.findings[0].paths]
    [['Gateway 1.0', 'av-engine 8.0']]
    >>> scan([bom], entities=db, as_of="2018-09-30").findings[0].severity
    'review'
    """
    from . import __version__  # here, not at import time: sbomscan/__init__ imports this module

    day = parse_as_of(as_of)
    if max_paths < 1:
        raise UsageError(f"max_paths must be at least 1, not {max_paths}")
    if max_depth is not None and max_depth < 1:
        raise UsageError(f"max_depth must be at least 1, not {max_depth}")
    db = _entities(entities)
    waiver_list = _waivers(waivers)
    docs, inputs, load_notes = load_bundle(sources, strict=strict, max_bytes=max_bytes, exclude=exclude)
    _refuse_incomplete(inputs)
    graph = build_graph(docs)
    matches = Matcher(db, as_of=day).match_graph(graph)

    grouped: dict[tuple[str, str], list[Match]] = {}
    for m in matches:
        grouped.setdefault((m.component_id, m.entity_id), []).append(m)

    scanner = _Scanner(graph, db, day, all_paths=all_paths, max_paths=max_paths, max_depth=max_depth)
    findings = [
        scanner.finding(graph.components[cid], eid, ms)
        for (cid, eid), ms in grouped.items()
        if cid in graph.components
    ]
    diagnostics: list[ReportDiagnostic] = list(load_notes)
    diagnostics += [_diag(d, None) for d in graph.diagnostics]
    diagnostics += scanner.diagnostics
    for w in waiver_list:
        if w.entity not in db.entities:
            diagnostics.append(
                ReportDiagnostic(
                    "warning",
                    "unknown-waiver-entity",
                    f"the waiver names entity {w.entity!r}, which the entity data does not have",
                    w.pointer or None,
                    w.source,
                )
            )
    findings, waiver_infos = _apply_waivers(findings, waiver_list, day, diagnostics)
    findings.sort(
        key=lambda f: (
            SEVERITIES.index(f.severity),
            f.tier,
            f.entity.id,
            f.component.name,
            f.component.version or "",
            f.component.document,
            f.component.id,
        )
    )
    documents = tuple(
        DocumentInfo(
            path=d.source,
            format=d.format,
            encoding=d.encoding,
            spec_version=d.spec_version,
            sha256=d.sha256,
            key=d.key,
            name=d.name,
            serial=d.serial,
            supplier=scanner.supplier(d),
            components=len(d.components),
            edges=len(d.edges),
            tier=graph.tiers.get(d.key, 0),
            diagnostics=tuple(_diag(x, d.source) for x in d.diagnostics),
        )
        for d in graph.documents.values()
    )
    unresolved = _unresolved(graph)
    summary = Summary(
        findings=len(findings),
        prohibited=sum(1 for f in findings if f.severity == "prohibited" and not f.waived),
        review=sum(1 for f in findings if f.severity == "review" and not f.waived),
        waived=sum(1 for f in findings if f.waived),
        documents=len(documents),
        components=sum(d.components for d in documents),
        unresolved_links=len(unresolved),
    )
    report = Report(
        schema_version=REPORT_SCHEMA_VERSION,
        tool=ToolInfo("sbomscan", __version__),
        entity_data_version=db.version,
        as_of=day,
        documents=documents,
        findings=tuple(findings),
        unresolved_links=unresolved,
        diagnostics=tuple(diagnostics),
        waivers=waiver_infos,
        summary=summary,
    )
    return locate_report(report, max_bytes=max_bytes) if locate else report
