"""Run the whole pipeline — ingest, graph, match, trace — and decide what each match means.

This is where a match becomes a *finding*: one per (component, entity), all its evidence
merged, with a severity, the authorities that make it matter, the supplier tier, the
chain of documents, the paths from the product root, a stable id, and any waiver. The
renderers in :mod:`sbomscan.report` only print what is decided here.

What a match *means* — its severity, the coverage of the bundle and the outcome — is
decided in :mod:`sbomscan.policy`, waivers are applied by :mod:`sbomscan.waivers`, and
the Report is put together by :mod:`sbomscan.report.assemble`; this module orchestrates.

The finding id is a short hash of the document's sha256, the component's ref and the
entity id: the same component in the same SBOM gets the same id on every run and machine,
so waivers, SARIF fingerprints and tickets can refer to it.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from .entities import EntityDatabase, load_entities
from .errors import UsageError
from .graph import SbomGraph, build_graph, document_supplier
from .ingest import DEFAULT_MAX_BYTES
from .ingest.bundle import load_inputs
from .locate import locate_report
from .match import Confidence, Evidence, Match, Matcher, mixed_script_parties
from .memory import gc_paused
from .model import Component, Document, InputRecord
from .policy import (
    FAIL_ON,
    SCOPE_QUESTIONS,
    SeverityPolicy,
    coverage,
    entity_data_info,
    stale_data_warning,
    verdict,
)
from .progress import Progress, advance, reporting, stage
from .report.assemble import (
    REPORT_SCHEMA_VERSION,
    assemble_report,
    document_info,
    finding_order,
    report_diagnostic,
)
from .report.model import (
    ChainDocument,
    ComponentRef,
    EntityRef,
    EvidenceInfo,
    Finding,
    PathStep,
    Report,
    ReportDiagnostic,
    ToolInfo,
    UnresolvedLinkInfo,
)
from .tracing import LISTED, component_group, trace
from .waivers import Waiver, apply_waivers, load_waivers, unknown_waiver_entities

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "SCOPE_QUESTIONS",
    "entity_database",
    "finding_id",
    "input_notes",
    "load_bundle",
    "parse_as_of",
    "scan",
    "scan_documents",
    "shared_matcher",
]


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
    return docs, inputs, input_notes(inputs)


def input_notes(inputs: Iterable[InputRecord]) -> list[ReportDiagnostic]:
    """One diagnostic per input not read: an error when it counts, else information."""
    return [
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


def entity_database(
    entities: EntityDatabase | str | os.PathLike[str] | Sequence[Any] | None,
) -> EntityDatabase:
    """The entity data a scan uses: a database as given, else overlays (files or dicts) merged
    over the shipped data, else the shipped data alone."""
    if entities is None:
        return load_entities()
    if isinstance(entities, EntityDatabase):
        return entities
    if isinstance(entities, (str, os.PathLike)):
        return load_entities([entities])
    return load_entities(list(entities))


def shared_matcher(db: EntityDatabase, as_of: date) -> Matcher:
    """The :class:`~sbomscan.match.Matcher` of ``db`` on ``as_of``, built by the first scan
    that needs it and kept with the database (:meth:`EntityDatabase.derived
    <sbomscan.entities.EntityDatabase.derived>`), so later scans with the same database
    and date skip building the index. Sharing is safe: the database cannot change under
    it, and every cache of a Matcher holds answers equal to cold ones (see its class)."""
    return db.derived((Matcher, as_of), lambda: Matcher(db, as_of=as_of))


def _waivers(waivers: str | os.PathLike[str] | Sequence[Waiver] | None) -> list[Waiver]:
    if waivers is None:
        return []
    if isinstance(waivers, (str, os.PathLike)):
        return load_waivers(waivers)
    return list(waivers)


class _Scanner:
    """The state of one scan: the graph, the policy and the options."""

    def __init__(
        self,
        graph: SbomGraph,
        policy: SeverityPolicy,
        *,
        all_paths: bool,
        max_paths: int,
        max_depth: int | None,
    ) -> None:
        self.graph = graph
        self.policy = policy
        self.db = policy.db
        self.all_paths = all_paths
        self.max_paths = max_paths
        self.max_depth = max_depth
        self.diagnostics: list[ReportDiagnostic] = []
        self._suppliers: dict[str, str | None] = {}

    def supplier(self, doc: Document) -> str | None:
        if doc.key not in self._suppliers:
            self._suppliers[doc.key] = document_supplier(doc, self.graph.components)
        return self._suppliers[doc.key]

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
        severity, authorities, notes = self.policy.decide(entity_id, evidence, entity_evidence, lps)
        t = trace(
            graph, comp.id, max_paths=self.max_paths, max_depth=self.max_depth, all_paths=self.all_paths
        )
        if t.listed_only:
            self.diagnostics.append(_listed_only(comp, doc, t.paths))
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
                group=component_group(comp),
            ),
            evidence=tuple(
                EvidenceInfo(e.field, e.value, e.matched, e.rule, e.confidence.value, tuple(e.via))
                for e in evidence
            ),
            authorities=authorities,
            paths=t.paths,
            paths_truncated=t.truncated,
            listed_only=t.listed_only,
            document_chain=chain,
            notes=notes,
            licensed_products=tuple(lps),
        )


def _listed_only(comp: Component, doc: Document, paths: tuple[tuple[PathStep, ...], ...]) -> ReportDiagnostic:
    """The warning for a component no relationship connects to the product root, naming the
    top-most component that holds it when that is not the component itself."""
    top = next((s for p in paths for s in p if s.relation == LISTED), None)
    if top is None or top.id == comp.id:
        message = (
            f"{comp.name} is listed in {doc.source} but no relationship connects it to the "
            "product root; its path is shown as root → listed → component"
        )
    else:
        message = (
            f"{comp.name} is inside {top.qualified_name}, which {doc.source} lists but no relationship "
            f"connects to the product root; its path is shown as root → listed → {top.qualified_name} → … "
            f"→ {comp.name}"
        )
    return ReportDiagnostic("warning", "listed-only", message, comp.pointer, doc.source)


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


# A scan builds a heap of immutable records (millions for a large SBOM) that live until it
# returns; with the collector running, graph building, matching and tracing trigger
# collections that walk that heap to free nothing (about a fifth of a 100,000-component
# scan). A scan makes a small, constant amount of cyclic garbage, freed once it runs again.
@gc_paused()
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
    fail_on: str = "prohibited",
    require_complete: bool = False,
    count_skipped: bool = False,
    buyer: str | None = None,
    progress: Progress | None = None,
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
    buyer:
        Scan as this kind of buyer (``"dod"``, ``"civilian"``, ``"intelligence-community"``;
        see :data:`~sbomscan.entities.BUYERS`): only the authorities that bind it apply.
        Default ``None``: any federal buyer — every authority applies, and each says whom
        it binds.
    progress:
        A listener told of each stage as it begins (``reading``, ``linking``, ``matching``,
        ``tracing`` with one step per finding, ``locating``; see :mod:`sbomscan.progress`):
        the CLI draws it as bars on a terminal, for the scan of a huge SBOM.
    locate:
        Give each finding's component its line and column in its file (JSON and YAML
        files holding a finding, up to :data:`~sbomscan.locate.LOCATE_MAX_BYTES`, are read
        once more for this; see :mod:`sbomscan.locate`).
    fail_on, require_complete, count_skipped:
        How the report's :class:`~sbomscan.report.model.Verdict` is decided (see
        :func:`sbomscan.policy.verdict`): the severity at or above which a finding fails
        (``prohibited``, ``review``, ``notice`` or ``never``); whether opaque components and
        sub-SBOMs not supplied fail too; whether every skipped file (not only those with
        signs of an SBOM) makes the outcome ``incomplete``.

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
    >>> report.outcome
    'fail'
    >>> scan([bom], entities=db, as_of="2018-09-30").findings[0].severity
    'notice'
    """
    day = parse_as_of(as_of)
    _check_options(max_paths, max_depth, fail_on)
    db = entity_database(entities).for_buyer(buyer)
    waiver_list = _waivers(waivers)
    with reporting(progress):
        stage("reading")
        docs, inputs, load_notes = load_bundle(sources, strict=strict, max_bytes=max_bytes, exclude=exclude)
        report = _scan_loaded(
            docs,
            inputs,
            load_notes,
            db,
            day,
            waiver_list,
            _Options(all_paths, max_paths, max_depth, fail_on, require_complete, count_skipped),
        )
        if not locate:
            return report
        stage("locating", len(report.findings))
        return locate_report(report, max_bytes=max_bytes)


@gc_paused()
def scan_documents(
    documents: Sequence[Document],
    inputs: Sequence[InputRecord],
    entities: EntityDatabase | str | os.PathLike[str] | Sequence[Any] | None = None,
    as_of: date | str | None = None,
    waivers: str | os.PathLike[str] | Sequence[Waiver] | None = None,
    *,
    all_paths: bool = False,
    max_paths: int = 10,
    max_depth: int | None = None,
    fail_on: str = "prohibited",
    require_complete: bool = False,
    count_skipped: bool = False,
    buyer: str | None = None,
) -> Report:
    """:func:`scan` of documents already read, with the records of every input of their
    bundle (read or not), so that an input that was not read still counts in the coverage
    and the outcome exactly as in the scan that first read the bundle.

    The portfolio (:mod:`sbomscan.portfolio`) rescans its store this way, from the records
    it kept, without reading or parsing a file again. Findings are not located (no file is
    read); their components keep their pointers.
    """
    day = parse_as_of(as_of)
    _check_options(max_paths, max_depth, fail_on)
    db = entity_database(entities).for_buyer(buyer)
    options = _Options(all_paths, max_paths, max_depth, fail_on, require_complete, count_skipped)
    return _scan_loaded(
        list(documents), list(inputs), input_notes(inputs), db, day, _waivers(waivers), options
    )


class _Options(NamedTuple):
    all_paths: bool
    max_paths: int
    max_depth: int | None
    fail_on: str
    require_complete: bool
    count_skipped: bool


def _check_options(max_paths: int, max_depth: int | None, fail_on: str) -> None:
    if max_paths < 1:
        raise UsageError(f"max_paths must be at least 1, not {max_paths}")
    if max_depth is not None and max_depth < 1:
        raise UsageError(f"max_depth must be at least 1, not {max_depth}")
    if fail_on not in FAIL_ON:
        raise UsageError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")


def _scan_loaded(
    docs: list[Document],
    inputs: list[InputRecord],
    load_notes: list[ReportDiagnostic],
    db: EntityDatabase,
    day: date,
    waiver_list: list[Waiver],
    options: _Options,
) -> Report:
    """The stages after loading: graph, match, findings (trace, policy), waivers, assembly."""
    from . import __version__  # here, not at import time: sbomscan/__init__ imports this module

    all_paths, max_paths, max_depth, fail_on, require_complete, count_skipped = options
    stage("linking")
    graph = build_graph(docs)
    stage("matching")
    matches = shared_matcher(db, day).match_graph(graph)

    grouped: dict[tuple[str, str], list[Match]] = {}
    for m in matches:
        grouped.setdefault((m.component_id, m.entity_id), []).append(m)

    scanner = _Scanner(
        graph, SeverityPolicy(db, day), all_paths=all_paths, max_paths=max_paths, max_depth=max_depth
    )
    stage("tracing", len(grouped))
    findings = []
    for (cid, eid), ms in grouped.items():
        if cid in graph.components:
            findings.append(scanner.finding(graph.components[cid], eid, ms))
        advance()
    data = entity_data_info(db)
    diagnostics: list[ReportDiagnostic] = list(load_notes)
    stale = stale_data_warning(data, day)
    if stale is not None:
        diagnostics.append(stale)
    diagnostics += [report_diagnostic(d, None) for d in graph.diagnostics]
    diagnostics += [report_diagnostic(d, source) for d, source in mixed_script_parties(graph)]
    diagnostics += scanner.diagnostics
    diagnostics += unknown_waiver_entities(waiver_list, db.entities)
    findings, waiver_infos = apply_waivers(findings, waiver_list, day, diagnostics)
    findings.sort(key=finding_order)
    documents = tuple(
        document_info(d, tier=graph.tiers.get(d.key, 0), supplier=scanner.supplier(d))
        for d in graph.documents.values()
    )
    cov = coverage(graph.documents.values(), _missing_sboms(graph), inputs, count_skipped=count_skipped)
    return assemble_report(
        tool=ToolInfo("sbomscan", __version__),
        entity_data_version=db.version,
        as_of=day,
        documents=documents,
        findings=findings,
        unresolved_links=_unresolved(graph),
        diagnostics=diagnostics,
        waivers=waiver_infos,
        inputs=inputs,
        coverage=cov,
        verdict=verdict(
            findings, cov, fail_on=fail_on, require_complete=require_complete, count_skipped=count_skipped
        ),
        entity_data=data,
    )


def _missing_sboms(graph: SbomGraph) -> dict[str, int]:
    """Per document key: how many distinct sub-SBOMs its unresolved links refer to."""
    targets: dict[str, set[str]] = {}
    for u in graph.unresolved:
        comp = graph.components.get(u.source)
        key = comp.document if comp else u.source.split("#", 1)[0]
        targets.setdefault(key, set()).add(u.link.document)
    return {k: len(v) for k, v in targets.items()}
