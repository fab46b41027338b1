"""The records of a scan report: everything every renderer needs, computed once by
:func:`sbomscan.scan.scan`.

Renderers (JSON, text, SARIF, Markdown) only *render* a :class:`Report`; they never go back
to the graph or the entity data. That keeps the four formats consistent with each other —
a finding that is ``prohibited`` in the text report is ``error`` in SARIF and
``prohibited`` in JSON, because all three read the same field — and lets a caller build or
filter a Report by hand (tests do) and render it.

The records are ``NamedTuple``: immutable, typed, cheap, and ``_asdict()`` gives the JSON
form almost for free.

>>> step = PathStep("d#app", "Product", "1.0", None)
>>> step.label()
'Product 1.0'
>>> Summary().prohibited
0
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from ..errors import UsageError
from ..model import InputRecord

__all__ = [
    "OUTCOMES",
    "SEVERITIES",
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
    "SourceLink",
    "Summary",
    "ToolInfo",
    "UnresolvedLinkInfo",
    "Verdict",
    "WaiverInfo",
    "WaiverRef",
    "label",
    "line_of_pointer",
    "qualified_name",
]

SEVERITIES = ("prohibited", "review", "notice")
"""Finding severities, worst first (the rules are in :mod:`sbomscan.policy`).

``prohibited``: a high-confidence match to an entity that an authority in effect on the
as-of date, covering any product, names — directly or through its control closure.
``review``: a person must decide (medium confidence, a scope-limited authority, a licensed
engine, unverified data, a former affiliate).
``notice``: worth knowing, not worth stopping a build for by default: the evidence is only a
low-confidence mention (a name or description that contains the vendor's name), or no
authority covers the entity on the as-of date (one takes effect later, or has ended).
"""

OUTCOMES = ("fail", "incomplete", "pass-with-gaps", "pass")
"""The verdict of a scan, worst first (see :class:`Verdict`)."""


class ToolInfo(NamedTuple):
    name: str
    version: str


class ReportDiagnostic(NamedTuple):
    """Something noticed while reading or scanning: ``severity`` is ``error``, ``warning``
    or ``info``; ``code`` a stable slug; ``document`` the file it is about (if any)."""

    severity: str
    code: str
    message: str
    location: str | None = None
    document: str | None = None


class DocumentInfo(NamedTuple):
    """One input SBOM as the report describes it."""

    path: str
    format: str
    encoding: str
    spec_version: str
    sha256: str
    key: str
    name: str | None
    serial: str | None
    supplier: str | None
    components: int
    edges: int
    tier: int
    diagnostics: tuple[ReportDiagnostic, ...] = ()


class EntityRef(NamedTuple):
    id: str
    name: str


class ComponentRef(NamedTuple):
    """The component a finding is about; ``document`` is the path of the SBOM holding it,
    ``pointer`` where in that file it is written (JSON pointer, XML element path, or
    ``line N``), and ``line``/``column`` (1-based, the column in characters) the same place
    as a position in the text, where it could be found (see :mod:`sbomscan.locate`)."""

    id: str
    name: str
    version: str | None
    purl: str | None
    bom_ref: str
    document: str
    pointer: str | None = None
    line: int | None = None
    column: int | None = None
    group: str | None = None
    """The namespace: CycloneDX ``group`` or the purl's namespace (npm scope, Maven group)."""

    @property
    def qualified_name(self) -> str:
        """The name with its npm scope or Maven group: ``@babel/core``, ``com.huawei.hms:push``."""
        return qualified_name(self.name, self.group)

    def label(self) -> str:
        """``"qualified-name version"`` (see :func:`label`)."""
        return label(self.name, self.group, self.version)

    def where(self) -> str:
        """``path at pointer (line L, column C)`` for people.

        >>> ComponentRef("k#a", "a", None, None, "a", "bom.json", "/components/0", 7, 5).where()
        'bom.json at /components/0 (line 7, column 5)'
        >>> ComponentRef("k#a", "a", None, None, "a", "bom.spdx", "line 26", 26).where()
        'bom.spdx at line 26'
        """
        out = self.document
        if self.pointer:
            out += f" at {self.pointer}"
        if self.line is not None and (not self.pointer or f"line {self.line}" not in self.pointer):
            out += f" (line {self.line}" + (f", column {self.column})" if self.column else ")")
        return out


class EvidenceInfo(NamedTuple):
    """One field of the component that names the entity (see :class:`sbomscan.match.Evidence`)."""

    field: str
    value: str
    matched: str
    rule: str
    confidence: str
    via: tuple[str, ...] = ()


class SourceLink(NamedTuple):
    """A public text an authority rests on, from the entity data's ``sources``: its title
    and address (only sources with an address are kept), so that a reader can open the
    official text from the report; ``primary`` when it is the text of the law, rule or
    agency notice itself (the entity data's ``confidence: primary``), not press or a
    law firm's summary."""

    title: str
    url: str
    primary: bool = False


class AuthorityRef(NamedTuple):
    """A law or list that covers (or would cover) the finding's entity.

    ``effective`` is the first date any part of it took effect (ISO); ``in_effect`` whether
    it was in effect on the report's as-of date; ``via`` the control chain when the entity
    is covered through a relation rather than named; ``former`` when that chain has ended;
    ``binds`` whom the authority binds (``federal``, ``dod``, ``intelligence-community``...,
    see docs/entities.md; empty when the data does not say); ``sources`` the public texts
    the entity data cites for it, with their addresses (the HTML report links them; the
    JSON report leaves them out, as the entity data holds them by the authority's ``id``).
    """

    id: str
    title: str
    citation: str
    effective: str | None
    scope: str | None
    in_effect: bool
    via: str = ""
    former: bool = False
    binds: tuple[str, ...] = ()
    sources: tuple[SourceLink, ...] = ()


def qualified_name(name: str, group: str | None) -> str:
    """A package name with its namespace, as its ecosystem writes it: an npm scope
    ``@babel/core``, a Maven group ``com.huawei.hms:push`` (a dotted group with no ``/`` or
    ``@``), a Go or other path-like namespace ``github.com/x/y``. Five packages named
    ``core`` in five namespaces are five different names. A name that already starts with
    its group is left as it is.

    >>> qualified_name("core", "@babel"), qualified_name("push", "com.huawei.hms")
    ('@babel/core', 'com.huawei.hms:push')
    >>> qualified_name("@babel/core", "@babel"), qualified_name("lib", None)
    ('@babel/core', 'lib')
    """
    if not group or name.startswith((f"{group}/", f"{group}:")):
        return name
    maven = "." in group and not group.startswith("@") and "/" not in group
    return f"{group}{':' if maven else '/'}{name}"


def label(name: str, group: str | None, version: str | None) -> str:
    """A component as findings and paths show it: its :func:`qualified_name`, then its
    version when it has one (the one rule for :class:`ComponentRef` and :class:`PathStep`).

    >>> PathStep("d#a", "core", "7.22.0", "depends on", "@babel").label()
    '@babel/core 7.22.0'
    """
    name = qualified_name(name, group)
    return f"{name} {version}" if version else name


class PathStep(NamedTuple):
    """One step of a path from a product root: the component, and ``relation``, how the
    previous step brings this one in (``None`` on the root). The one path-step type of the
    library: :func:`sbomscan.trace` returns these and reports hold them.

    ``group`` is the component's namespace (CycloneDX ``group``, else its purl's
    namespace); ``document`` the path of the SBOM that lists the component and ``tier``
    that SBOM's supplier tier — where they differ from the step before, the path crosses
    into another supplier's SBOM (see :func:`sbomscan.report.text.format_path`).
    """

    id: str
    name: str
    version: str | None
    relation: str | None
    group: str | None = None
    document: str | None = None
    tier: int | None = None

    @property
    def qualified_name(self) -> str:
        """The name with its npm scope or Maven group (see :func:`qualified_name`)."""
        return qualified_name(self.name, self.group)

    def label(self) -> str:
        """``"name version"`` as shown in paths, with the namespace (see :func:`label`)."""
        return label(self.name, self.group, self.version)


class ChainDocument(NamedTuple):
    """One SBOM in the chain from the product's (tier 0) SBOM down to the finding's."""

    path: str
    name: str | None
    supplier: str | None
    tier: int


class WaiverRef(NamedTuple):
    """The waiver that waived a finding."""

    justification: str
    approver: str
    expiry: str
    source: str


class Finding(NamedTuple):
    """One covered entity found in one component, with everything a reader needs to act."""

    id: str
    severity: str
    confidence: str
    tier: int
    waived: bool
    entity: EntityRef
    component: ComponentRef
    evidence: tuple[EvidenceInfo, ...]
    authorities: tuple[AuthorityRef, ...]
    paths: tuple[tuple[PathStep, ...], ...]
    paths_truncated: bool = False
    listed_only: bool = False
    document_chain: tuple[ChainDocument, ...] = ()
    notes: tuple[str, ...] = ()
    """Why the finding is ``review`` or ``notice`` rather than ``prohibited`` (empty when prohibited)."""
    licensed_products: tuple[str, ...] = ()
    waiver: WaiverRef | None = None


class UnresolvedLinkInfo(NamedTuple):
    """A reference to another SBOM that was not among the inputs."""

    document: str
    component: str | None
    kind: str
    uri: str
    target: str
    message: str


class WaiverInfo(NamedTuple):
    """A waiver as loaded, and what it did in this scan: ``status`` is ``applied``,
    ``expired`` (expiry before the as-of date: it no longer waives) or ``unused``."""

    entity: str
    selector: str
    justification: str
    approver: str
    expiry: str
    source: str
    status: str
    findings: tuple[str, ...] = ()


class Summary(NamedTuple):
    """Counts; ``prohibited``, ``review`` and ``notice`` count findings that are *not* waived."""

    findings: int = 0
    prohibited: int = 0
    review: int = 0
    waived: int = 0
    documents: int = 0
    components: int = 0
    unresolved_links: int = 0
    notice: int = 0


class DocumentCoverage(NamedTuple):
    """What could be checked in one document.

    ``checked`` components carry at least one field the matcher reads besides the name (a
    party, purl, CPE, SWID tag, hash, URL, copyright or licensor); ``opaque`` ones have a
    name and version only, so nothing but their name could have matched; ``missing_sboms``
    counts the sub-SBOMs this document refers to that the bundle did not supply.
    """

    path: str
    key: str
    components: int = 0
    checked: int = 0
    opaque: int = 0
    missing_sboms: int = 0


class CoverageInfo(NamedTuple):
    """Coverage over the whole bundle (the sums of :attr:`documents`) and the inputs not
    read: ``inputs_not_read`` all of them, ``inputs_not_read_counting`` those that make the
    outcome ``incomplete``."""

    components: int = 0
    checked: int = 0
    opaque: int = 0
    missing_sboms: int = 0
    inputs_not_read: int = 0
    inputs_not_read_counting: int = 0
    documents: tuple[DocumentCoverage, ...] = ()

    @property
    def gaps(self) -> bool:
        """Something in the documents could not be checked (opaque components or sub-SBOMs
        not supplied) — the difference between ``pass-with-gaps`` and ``pass``."""
        return bool(self.opaque or self.missing_sboms)


class Verdict(NamedTuple):
    """The one answer of a scan: ``outcome`` is one of :data:`OUTCOMES` —

    * ``fail``: an unwaived finding at or above ``fail_on`` (or, with ``require_complete``,
      a gap);
    * ``incomplete``: an input that counts was not read, so the bundle was not checked;
    * ``pass-with-gaps``: no finding at or above ``fail_on``, but opaque components or
      sub-SBOMs not supplied;
    * ``pass``: every input read, every component carries something to check, nothing found.

    ``reasons`` say why, one line each. ``exit_status`` is what the CLI exits with: 0 for
    pass and pass-with-gaps, 1 for fail, 2 for incomplete.
    """

    outcome: str = "pass"
    reasons: tuple[str, ...] = ()
    fail_on: str = "prohibited"
    require_complete: bool = False
    count_skipped: bool = False

    @property
    def exit_status(self) -> int:
        return {"fail": 1, "incomplete": 2}.get(self.outcome, 0)


class DataFileInfo(NamedTuple):
    """One entity-data file the scan used: ``path`` as given (``<overlay>`` for data passed
    in memory), its own ``version`` and the sha256 of its bytes (of its canonical JSON when
    it was passed in memory)."""

    path: str
    version: str | None
    sha256: str


class EntityDataInfo(NamedTuple):
    """Which entity data decided the findings: the shipped file (``None`` when a caller
    left it out) and every overlay merged over it, in order."""

    version: str
    shipped: DataFileInfo | None = None
    overlays: tuple[DataFileInfo, ...] = ()

    def label(self) -> str:
        """``"2026.11.22 + 1 overlay"`` for report headers.

        >>> EntityDataInfo("2026.11.22", None, (DataFileInfo("o.json", "x", "0" * 64),)).label()
        '2026.11.22 + 1 overlay'
        """
        n = len(self.overlays)
        return self.version + (f" + {n} overlay{'s' if n != 1 else ''}" if n else "")


class Report(NamedTuple):
    """The result of one scan.

    ``findings`` are ordered by severity, tier, entity and component, so two scans of the
    same inputs with the same data and date render byte-identical reports.
    """

    schema_version: int
    tool: ToolInfo
    entity_data_version: str
    as_of: date
    documents: tuple[DocumentInfo, ...]
    findings: tuple[Finding, ...]
    unresolved_links: tuple[UnresolvedLinkInfo, ...] = ()
    diagnostics: tuple[ReportDiagnostic, ...] = ()
    waivers: tuple[WaiverInfo, ...] = ()
    summary: Summary = Summary()
    inputs: tuple[InputRecord, ...] = ()
    """Every input the scan considered, read or not (with the reason)."""
    coverage: CoverageInfo = CoverageInfo()
    verdict: Verdict = Verdict()
    entity_data: EntityDataInfo | None = None
    """Provenance of the entity data; ``None`` only in reports built by hand."""

    @property
    def outcome(self) -> str:
        """The verdict's outcome: ``fail``, ``incomplete``, ``pass-with-gaps`` or ``pass``."""
        return self.verdict.outcome

    @property
    def entity_data_label(self) -> str:
        """The entity data as report headers name it: ``2026.11.22 + 1 overlay``."""
        return self.entity_data.label() if self.entity_data else self.entity_data_version

    def failing(self, fail_on: str) -> tuple[Finding, ...]:
        """The unwaived findings at or above ``fail_on`` (``prohibited``, ``review``,
        ``notice`` or ``never``) — what makes the outcome ``fail``. Any other value raises
        :class:`~sbomscan.errors.UsageError`, like every other bad argument.

        >>> Report(1, ToolInfo("sbomscan", "0"), "t", date(2024, 1, 1), (), ()).failing("review")
        ()
        >>> Report(1, ToolInfo("sbomscan", "0"), "t", date(2024, 1, 1), (), ()).failing("prohbited")
        Traceback (most recent call last):
        ...
        sbomscan.errors.UsageError: fail_on must be one of prohibited, review, notice, never, not 'prohbited'
        """
        if fail_on == "never":
            return ()
        if fail_on not in SEVERITIES:
            choices = ", ".join((*SEVERITIES, "never"))
            raise UsageError(f"fail_on must be one of {choices}, not {fail_on!r}")
        limit = SEVERITIES.index(fail_on)
        return tuple(f for f in self.findings if not f.waived and SEVERITIES.index(f.severity) <= limit)


_LINE = re.compile(r"(?:^|\()line (\d+)\)?$")


def line_of_pointer(pointer: str) -> int | None:
    """The line a reader wrote into a location itself: ``line 26`` (tag-value) or
    ``/bom/components/component[1] (line 49)`` (XML).

    >>> line_of_pointer("/bom/components/component[1] (line 49)"), line_of_pointer("line 26")
    (49, 26)
    >>> line_of_pointer("/components/0") is None
    True
    """
    m = _LINE.search(pointer)
    return int(m.group(1)) if m and int(m.group(1)) >= 1 else None
