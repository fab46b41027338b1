"""The policy: what a match means under the law (its severity), what the scan could check
(coverage), and the one verdict a buyer acts on (the outcome).

This module decides; :mod:`sbomscan.scan` only orchestrates (load, graph, match, trace) and
asks it. Keeping the three rules here, side by side, is what makes them consistent: the
outcome is computed from the severities and the coverage, never re-derived by a renderer.

**Severity** (:data:`~sbomscan.report.model.SEVERITIES`, worst first) follows the words of
the laws (issue 4 §3, issue 8 §4):

* ``prohibited`` — a high-confidence match (an identifier or the maker's own name, not a
  mention) to an entity covered, directly or through its control closure, by an authority
  in effect on the as-of date whose scope is any product (``scope: all``, e.g. NDAA FY18
  §1634 for Kaspersky) or whose scope the evidence itself answers (an exact application id
  under FAR 52.204-27's ``application`` scope: :data:`SCOPE_ANSWERED_BY`), resting on no
  unverified or former fact;
* ``review`` — a person must decide: medium confidence, an authority limited in scope
  (NDAA FY19 §889 covers telecommunications and video surveillance equipment; each FCC
  Covered List entry has its own scope, e.g. ``infosec`` for AO Kaspersky Lab), a licensed
  engine, unverified data, a former affiliate — each said in the finding's ``notes``;
* ``notice`` — worth knowing, below review: the evidence is only a low-confidence mention
  (the vendor's name inside a component's name or description: an SBOM of a Python venv
  that holds sbomscan itself names every vendor in its description), or no authority
  covers the entity on the as-of date — one takes effect later ("takes effect on DATE",
  so a supplier is warned ahead) or has ended. On a date before any covering law, a match
  is at most a notice, whatever the evidence.

A rule in :data:`AT_LEAST_REVIEW` (a deliberately disguised name, ``obfuscated-name``)
lifts a mention to ``review``: hiding a vendor's name is itself a reason to look.

**Coverage** (:func:`coverage`): per document and in total, the components the matcher
could check (they carry a field it reads besides the name — see :func:`is_checked`), the
*opaque* ones (a name and version only), the sub-SBOMs referenced but not supplied, and
the inputs not read.

**Outcome** (:func:`verdict`): ``fail`` when an unwaived finding is at or above
``fail_on``; else ``incomplete`` when an input that counts was not read; else
``pass-with-gaps`` when there are opaque components or missing sub-SBOMs (``fail`` instead
with ``require_complete``); else ``pass``. A ``pass`` is only ever said when every input
was read and everything in it could be checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from .entities import Coverage, DataFile, EntityDatabase
from .match import Confidence, Evidence, is_former, is_unverified
from .model import Component, Document, InputRecord
from .report.model import (
    SEVERITIES,
    AuthorityRef,
    CoverageInfo,
    DataFileInfo,
    DocumentCoverage,
    EntityDataInfo,
    Finding,
    ReportDiagnostic,
    SourceLink,
    Verdict,
)

__all__ = [
    "AT_LEAST_REVIEW",
    "CHECKED_PARTY_ROLES",
    "FAIL_ON",
    "SCOPE_QUESTIONS",
    "STALE_AFTER_DAYS",
    "Decision",
    "SeverityPolicy",
    "coverage",
    "entity_data_info",
    "is_checked",
    "stale_data_warning",
    "verdict",
]

FAIL_ON = (*SEVERITIES, "never")
"""The values of ``--fail-on``: a severity, or ``never`` (report only)."""

AT_LEAST_REVIEW = frozenset({"obfuscated-name"})
"""Match rules whose evidence is never below ``review``, however weak its confidence."""

STALE_AFTER_DAYS = 90
"""An as-of date more than this many days past the entity data's version date gets a
warning: laws made after the data was compiled are not in it."""

_RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}

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
    "entity-contract": "supplied under a contract with the listed entity itself (NDAA FY24 § 805 "
    "bars DoD contracts with it; goods or services sourced from it are barred from 2027-06-30)",
    "uas": "an unmanned aircraft system (or an element of one) made or assembled by the entity",
    "application": "the named application itself (TikTok), not other software of its publisher",
    "semiconductor": "a semiconductor of the entity, a product that incorporates one, or a "
    "service that uses one (a part in a hardware BOM)",
}
"""What a reviewer must decide for a finding under a scope-limited authority, by scope tag
(the wording follows the scope table of ``docs/entities.md``)."""

SCOPE_ANSWERED_BY = {"application": frozenset({"app-id"})}
"""Evidence rules that answer a scope's question by themselves: an exact application id
(Android package name, iOS bundle id) says the component *is* the named application, which
is all FAR 52.204-27's ``application`` scope asks — such a finding needs no review."""


class Decision(NamedTuple):
    """The policy's answer for one finding: its severity, the authorities that make it
    matter (or would, on another date), and why it is not ``prohibited``."""

    severity: str
    authorities: tuple[AuthorityRef, ...]
    notes: tuple[str, ...]


# ---------------------------------------------------------------------- severity


class SeverityPolicy:
    """Severity of a finding under the entity data on one as-of date.

    One instance per scan: it only reads the database. To add a consideration (a buyer's
    scope, say), add a method that returns notes and a cap, and call it from
    :meth:`decide` — every rule reads the same :class:`~sbomscan.entities.Coverage` list.
    """

    def __init__(self, db: EntityDatabase, as_of: date) -> None:
        self.db = db
        self.as_of = as_of

    # -- authorities -------------------------------------------------------------------

    def cite(self, c: Coverage) -> str:
        """How the authority is cited for one coverage: its first citation, and for a list
        entry the entry's date and the entity it names ("47 CFR 1.50002, entry of
        2022-03-25 for AO Kaspersky Lab"), so that each line says which entry applies."""
        a = self.db.authorities[c.authority]
        cite = a.citations[0] if a.citations else a.title
        if c.listing is not None:
            named = self.db.entities.get(c.named or "")
            cite += f", entry of {c.listing.since.isoformat()}" + (f" for {named.name}" if named else "")
        return cite

    def authority(self, c: Coverage, *, in_effect: bool) -> AuthorityRef:
        """The report's line for one coverage: for a list entry, its own scope and date."""
        a = self.db.authorities[c.authority]
        start = c.since or a.start
        return AuthorityRef(
            id=a.id,
            title=a.title,
            citation=self.cite(c),
            effective=start.isoformat() if start else None,
            scope=c.scope or a.scope,
            in_effect=in_effect,
            via=c.text,
            former=c.former,
            binds=a.binds,
            sources=tuple(
                SourceLink(src.title, src.url, src.confidence == "primary")
                for src in (self.db.sources.get(sid) for sid in a.sources)
                if src is not None and src.url
            ),
        )

    def scope(self, c: Coverage) -> str | None:
        """The scope that decides: the coverage's own (a list entry's tag), else the law's."""
        return c.scope or self.db.authorities[c.authority].scope

    def _order(self, c: Coverage) -> tuple[int, str]:
        return (0 if self.scope(c) == "all" else 1, c.authority)

    def not_in_effect(self, entity_id: str) -> tuple[list[AuthorityRef], list[str]]:
        """For an entity nothing covers on the as-of date: the authorities that would cover it
        on a later date (not yet in effect, or its list entry not yet made), or did before
        (an authority that has ended), each with a note saying when."""
        db, day = self.db, self.as_of
        refs: list[AuthorityRef] = []
        notes: list[str] = []
        for aid in sorted(db.authorities):
            a = db.authorities[aid]
            ended = a.until is not None and a.until <= day
            probes = [a.until - timedelta(days=1)] if a.until is not None and ended else []
            probes = probes or [d for d in db.start_dates(aid) if d > day]
            for probe in probes:
                cov = [c for c in db.coverage(entity_id, probe) if c.authority == aid and not c.former]
                if not cov:
                    continue
                c = cov[0]
                refs.append(self.authority(c, in_effect=False))
                if ended and a.until is not None:
                    notes.append(f"{self.cite(c)} ended on {a.until.isoformat()}")
                else:
                    when = c.since if c.since is not None and c.since > day else probe
                    notes.append(
                        f"{self.cite(c)} takes effect on {when.isoformat()}, "
                        f"after the as-of date {day.isoformat()}"
                    )
                break
        return refs, notes

    # -- the decision ------------------------------------------------------------------

    def decide(
        self,
        entity_id: str,
        evidence: Sequence[Evidence],
        entity_evidence: Sequence[Evidence],
        licensed: Sequence[str],
    ) -> Decision:
        """Severity, authorities and (below ``prohibited``) the reasons, for one finding.

        ``evidence`` is all of the finding's evidence, ``entity_evidence`` the part that
        names the entity itself (not a licensed product of it), ``licensed`` the licensed
        products matched. The scope that decides is the coverage's own (for an FCC Covered
        List entry, the entry's scope tag, never the list's ``per-entry``).
        """
        db = self.db
        coverage = db.coverage(entity_id, self.as_of)
        current = sorted(
            (c for c in coverage if not c.former and c.authority in db.authorities), key=self._order
        )
        former = sorted((c for c in coverage if c.former and c.authority in db.authorities), key=self._order)
        authorities = [self.authority(c, in_effect=True) for c in (*current, *former)]
        strong = [
            e
            for e in entity_evidence
            if e.confidence is Confidence.HIGH and not is_former(e) and not is_unverified(e)
        ]
        if not coverage:
            notes = self._evidence_notes(entity_id, entity_evidence, strong, licensed)
            return self._uncovered(entity_id, authorities, notes)
        later, later_notes = self._upcoming(entity_id, {c.authority for c in coverage})
        authorities += later
        answered = {e.rule for e in strong}
        prohibiting = [c for c in current if not c.unverified and self._scope_met(self.scope(c), answered)]
        if strong and prohibiting:
            return Decision("prohibited", tuple(authorities), ())
        notes = self._coverage_notes(current, prohibiting, former) + later_notes
        notes += self._evidence_notes(entity_id, entity_evidence, strong, licensed)
        if not notes:
            notes.append(
                "not a high-confidence match to an entity covered by an authority in effect for any product"
            )
        severity = "notice" if self._mention_only(evidence) else "review"
        return Decision(severity, tuple(authorities), tuple(dict.fromkeys(notes)))

    @staticmethod
    def _scope_met(scope: str | None, rules: set[str]) -> bool:
        """Whether the strong evidence (its ``rules``) leaves nothing to decide about the
        scope: any product, or a scope :data:`SCOPE_ANSWERED_BY` one of those rules."""
        return scope == "all" or not rules.isdisjoint(SCOPE_ANSWERED_BY.get(scope or "", ()))

    def _upcoming(self, entity_id: str, covering: set[str]) -> tuple[list[AuthorityRef], list[str]]:
        """For an entity some authority covers: the *other* authorities that take effect for
        it after the as-of date (NDAA FY24 § 805's goods ban of 2027-06-30 for an entity its
        contracts ban already covers), so that a finding warns of them too."""
        refs, notes = self.not_in_effect(entity_id)
        keep = [i for i, r in enumerate(refs) if r.id not in covering and "takes effect" in notes[i]]
        return [refs[i] for i in keep], [notes[i] for i in keep]

    def _uncovered(
        self, entity_id: str, authorities: list[AuthorityRef], evidence_notes: list[str]
    ) -> Decision:
        """Nothing covers the entity on the as-of date: at most a notice, saying which
        authority would cover it on a later date (or did before), and when."""
        ent = self.db.entities.get(entity_id)
        later, notes = self.not_in_effect(entity_id)
        if not later:
            name = ent.name if ent else entity_id
            notes.append(f"no authority in the entity data covers {name} on {self.as_of.isoformat()}")
        notes += evidence_notes
        return Decision("notice", tuple(authorities + later), tuple(dict.fromkeys(notes)))

    @staticmethod
    def _mention_only(evidence: Sequence[Evidence]) -> bool:
        """Every piece of evidence is a low-confidence mention, and none is of a rule that is
        at least a review."""
        return bool(evidence) and all(
            e.confidence is Confidence.LOW and e.rule not in AT_LEAST_REVIEW for e in evidence
        )

    def _coverage_notes(
        self, current: list[Coverage], prohibiting: list[Coverage], former: list[Coverage]
    ) -> list[str]:
        """Why the coverage in effect does not prohibit: unverified, or limited in scope (one
        note per scope, not per law: §889, FAR 52.204-25 and the FCC entry ask the same
        question of the same component), or only through a former relation."""
        notes: list[str] = []
        if current and not prohibiting:
            limited: dict[str, list[str]] = {}
            for c in current:
                if c.unverified:
                    notes.append(f"coverage by {self.cite(c)} rests on unverified data")
                elif self.scope(c) != "all":
                    limited.setdefault(self.scope(c) or "unknown", []).append(self.cite(c))
            for scope, cites in limited.items():
                what = SCOPE_QUESTIONS.get(scope, "the kind of product it names")
                notes.append(
                    f"{'; '.join(cites)} {'is' if len(cites) == 1 else 'are'} limited in scope "
                    f"({scope}): check whether this component is {what}"
                )
        if not current and former:
            notes.append(f"former affiliate: {former[0].text} (the relation has ended)")
        return notes

    def _evidence_notes(
        self,
        entity_id: str,
        entity_evidence: Sequence[Evidence],
        strong: Sequence[Evidence],
        licensed: Sequence[str],
    ) -> list[str]:
        """Why the evidence does not prohibit: a licensed engine, an ended link, unverified
        data, or a mention that no identifier proves."""
        ent = self.db.entities.get(entity_id)
        name = ent.name if ent else entity_id
        if not entity_evidence and licensed:
            return [
                f"licensed engine ({', '.join(licensed)}): another vendor's product embeds {name}'s engine"
            ]
        if not entity_evidence or strong:
            return []
        high = [e for e in entity_evidence if e.confidence is Confidence.HIGH]
        if high and all(is_former(e) for e in high):
            return ["the evidence links to the entity only through something that has ended"]
        if any(is_unverified(e) for e in high):
            return ["the evidence rests on data marked unverified"]
        best = min(entity_evidence, key=lambda e: _RANK[e.confidence])
        return [
            f"{best.confidence.value} confidence: the component mentions {name} but no identifier proves it"
        ]


# ---------------------------------------------------------------------- coverage

CHECKED_PARTY_ROLES = frozenset(
    {"supplier", "manufacturer", "author", "publisher", "originator", "licensor", "creator", "contributor"}
)
"""Party roles whose name, e-mail or URL the matcher reads as the maker's (licensee,
purchaser and tool name someone else)."""

_CHECKED_IDENTITY_FIELDS = frozenset({"cpe", "purl"})


def is_checked(c: Component) -> bool:
    """Whether the component carries a field the matcher reads besides its name and
    description: a party in a maker's role, a purl, a CPE, a SWID tag, a hash, a URL, a
    copyright, or an identity (CPE or purl) found by analysis. A component without any is
    *opaque*: only its name could have matched, so a vendor's code renamed is invisible.

    >>> is_checked(Component("d#a", "a", "d", "libfoo", "1.0"))
    False
    >>> is_checked(Component("d#a", "a", "d", "libfoo", "1.0", purl="pkg:npm/libfoo@1.0"))
    True
    """
    return bool(
        c.purl
        or c.cpes
        or c.swid is not None
        or c.hashes
        or c.copyright
        or any(r.url for r in c.external_refs)
        or any(p.role in CHECKED_PARTY_ROLES for p in c.parties)
        or any(f.lower() in _CHECKED_IDENTITY_FIELDS for f, _ in c.identities)
    )


def _document_coverage(doc: Document, missing: int) -> DocumentCoverage:
    """One document's counts. A synthetic root is not a component; a real root (the
    product the document describes) is checked through the document's own parties too —
    the matcher reads them for it, and they name who made the product."""
    roots = set(doc.roots)
    comps = [c for c in doc.components if not (doc.synthetic_root and c.id in roots)]
    makers = any(p.role in CHECKED_PARTY_ROLES for p in doc.parties)
    checked = sum(1 for c in comps if is_checked(c) or (makers and c.id in roots))
    return DocumentCoverage(doc.source, doc.key, len(comps), checked, len(comps) - checked, missing)


def coverage(
    documents: Iterable[Document],
    missing_by_document: dict[str, int],
    inputs: Sequence[InputRecord],
    *,
    count_skipped: bool = False,
) -> CoverageInfo:
    """Coverage of a bundle: each document's (``missing_by_document`` maps a document key to
    the number of sub-SBOMs it references that were not supplied), their sums, and the
    inputs not read — of which those that count (``InputRecord.counts``, or any with
    ``count_skipped``) make the outcome ``incomplete``."""
    per = tuple(_document_coverage(d, missing_by_document.get(d.key, 0)) for d in documents)
    not_read = [i for i in inputs if i.status != "read"]
    return CoverageInfo(
        components=sum(d.components for d in per),
        checked=sum(d.checked for d in per),
        opaque=sum(d.opaque for d in per),
        missing_sboms=sum(d.missing_sboms for d in per),
        inputs_not_read=len(not_read),
        inputs_not_read_counting=sum(1 for i in not_read if i.counts or count_skipped),
        documents=per,
    )


# ---------------------------------------------------------------------- outcome


def verdict(
    findings: Sequence[Finding],
    cov: CoverageInfo,
    *,
    fail_on: str = "prohibited",
    require_complete: bool = False,
    count_skipped: bool = False,
) -> Verdict:
    """The outcome of a scan, and the reasons for it, one line each.

    Every reason that applies is given (a failing scan that also skipped an input says
    both); the outcome is the worst. ``fail`` comes before ``incomplete``: a finding in
    what was read stands, whatever was not read.
    """
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    failing = (
        []
        if fail_on == "never"
        else [
            f for f in findings if not f.waived and SEVERITIES.index(f.severity) <= SEVERITIES.index(fail_on)
        ]
    )
    reasons: list[str] = []
    if failing:
        reasons.append(
            f"{len(failing)} unwaived finding{'s' if len(failing) != 1 else ''} at or above {fail_on}"
        )
    if cov.inputs_not_read_counting:
        n = cov.inputs_not_read_counting
        reasons.append(f"{n} input{'s' if n != 1 else ''} not read: the bundle was not checked in full")
    gaps = _gap_reasons(cov)
    reasons += gaps
    if failing:
        outcome = "fail"
    elif cov.inputs_not_read_counting:
        outcome = "incomplete"
    elif gaps:
        outcome = "fail" if require_complete else "pass-with-gaps"
        if require_complete:
            reasons.append("complete SBOMs are required (--require-complete)")
    else:
        outcome = "pass"
    return Verdict(outcome, tuple(reasons), fail_on, require_complete, count_skipped)


def _gap_reasons(cov: CoverageInfo) -> list[str]:
    out: list[str] = []
    if cov.opaque:
        out.append(
            f"{cov.opaque} of {cov.components} component{'s' if cov.components != 1 else ''} "
            "opaque (a name and version only: nothing but the name could be checked)"
        )
    if cov.missing_sboms:
        n = cov.missing_sboms
        out.append(f"{n} referenced sub-SBOM{'s' if n != 1 else ''} not supplied")
    return out


# ---------------------------------------------------------------------- entity data


def entity_data_info(db: EntityDatabase) -> EntityDataInfo:
    """The provenance of the data a scan used: the shipped file and every overlay."""

    def info(f: DataFile) -> DataFileInfo:
        return DataFileInfo(f.path, f.version, f.sha256)

    shipped = info(db.shipped) if db.shipped is not None else None
    return EntityDataInfo(db.version, shipped, tuple(info(o) for o in db.overlays))


def stale_data_warning(data: EntityDataInfo, as_of: date) -> ReportDiagnostic | None:
    """A warning when the as-of date is more than :data:`STALE_AFTER_DAYS` past the date in
    the shipped data's version (``2026.11.22``): laws made since are not in the data.

    >>> stale_data_warning(EntityDataInfo("2026.11.22"), date(2027, 3, 1)).message
    'the as-of date 2027-03-01 is 99 days after the entity data 2026.11.22: laws after 2026-11-22 are not in this data'
    >>> stale_data_warning(EntityDataInfo("2026.11.22"), date(2027, 1, 1)) is None
    True
    """
    version = data.shipped.version if data.shipped and data.shipped.version else data.version
    try:
        compiled = date.fromisoformat(version.replace(".", "-"))
    except ValueError:
        return None
    days = (as_of - compiled).days
    if days <= STALE_AFTER_DAYS:
        return None
    return ReportDiagnostic(
        "warning",
        "stale-entity-data",
        f"the as-of date {as_of.isoformat()} is {days} days after the entity data {version}: "
        f"laws after {compiled.isoformat()} are not in this data",
    )
