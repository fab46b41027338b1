"""What a run changed: per product, the findings that appeared, disappeared, changed
severity, became waived or lost their waiver since that product's previous result, with the
entity data on both sides — the answer to "the list changed: which of our products are
affected?". A waiver that starts or stops applying is a change of its own, not only a change
of outcome: an officer must see which finding a waiver now hides from the verdict, and which
one counts again because its waiver expired or was withdrawn.

Findings are compared by their stable id (a hash of the document's sha256, the component's
ref and the entity: :func:`sbomscan.scan.finding_id`), so the same component named by the
same entity is the same finding in every run.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ..errors import PortfolioError
from ..report import escape
from ..waivers import Waiver
from .store import Portfolio, RunInfo, StoredFinding

__all__ = [
    "CHANGES_FORMATS",
    "CHANGE_KINDS",
    "FindingChange",
    "ProductChanges",
    "changes",
    "changes_dict",
    "diff",
    "render_changes",
    "waiver_dict",
]

CHANGE_KINDS = ("appeared", "disappeared", "severity", "waived", "waiver-lapsed")
CHANGES_FORMATS = ("text", "json", "html")


class FindingChange(NamedTuple):
    """One finding's change: ``appeared`` (``before`` is ``None``), ``disappeared``
    (``after`` is ``None``), ``severity`` (both, severities differ), ``waived`` (both, it
    was not waived and now is) or ``waiver-lapsed`` (both, it was waived and no longer is:
    the waiver expired, or was withdrawn or replaced). A finding whose severity and waiver
    both changed has two changes."""

    kind: str
    before: StoredFinding | None
    after: StoredFinding | None

    @property
    def finding(self) -> StoredFinding:
        """The finding as it is now, or as it was when it disappeared."""
        return self.after or self.before  # type: ignore[return-value]


class ProductChanges(NamedTuple):
    """One submission's changes between its previous result (``before``: ``None`` when this
    run is its first) and its result in ``after``, with the waivers applied on each side (so
    a finding that became waived or lost its waiver can be read against their terms)."""

    submission: int
    product: str
    version: str | None
    supplier: str | None
    before: RunInfo | None
    after: RunInfo
    outcome_before: str | None
    outcome_after: str
    changes: tuple[FindingChange, ...]
    waivers_before: tuple[Waiver, ...] = ()
    waivers_after: tuple[Waiver, ...] = ()


def diff(before: tuple[StoredFinding, ...], after: tuple[StoredFinding, ...]) -> tuple[FindingChange, ...]:
    """The changes from one list of findings to another, by finding id (sorted by kind, id).

    >>> f = StoredFinding("a1", "review", "high", False, "zte", "ZTE", "x", None, None, "s.json", 0)
    >>> [c.kind for c in diff((f,), (f._replace(severity="prohibited"),))]
    ['severity']
    >>> [c.kind for c in diff((f,), ())], [c.kind for c in diff((), (f,))], diff((f,), (f,))
    (['disappeared'], ['appeared'], ())
    >>> w = f._replace(waived=True)
    >>> [c.kind for c in diff((f,), (w,))], [c.kind for c in diff((w,), (f,))]
    (['waived'], ['waiver-lapsed'])
    >>> [c.kind for c in diff((f,), (w._replace(severity="prohibited"),))]
    ['severity', 'waived']
    """
    old = {f.id: f for f in before}
    new = {f.id: f for f in after}
    both = [i for i in new if i in old]
    out = [FindingChange("appeared", None, new[i]) for i in new if i not in old]
    out += [FindingChange("disappeared", old[i], None) for i in old if i not in new]
    out += [FindingChange("severity", old[i], new[i]) for i in both if old[i].severity != new[i].severity]
    out += [
        FindingChange("waived" if new[i].waived else "waiver-lapsed", old[i], new[i])
        for i in both
        if old[i].waived != new[i].waived
    ]
    out.sort(key=lambda c: (CHANGE_KINDS.index(c.kind), c.finding.id))
    return tuple(out)


def changes(portfolio: Portfolio, run: int | None = None, *, unchanged: bool = False) -> list[ProductChanges]:
    """Per submission that ``run`` (default: the latest run) scanned, what changed since its
    previous result; submissions with no change are left out unless ``unchanged``."""
    con = portfolio.con
    if run is None:
        row = con.execute("SELECT max(id) FROM runs").fetchone()
        if row[0] is None:
            return []
        run = int(row[0])
    after_run = portfolio.run(run)
    rows = con.execute(
        "SELECT r.submission, r.outcome, s.product, s.version, s.supplier,"
        " (SELECT max(p.run) FROM results p WHERE p.submission = r.submission AND p.run < r.run)"
        " FROM results r JOIN submissions s ON s.id = r.submission WHERE r.run = ? ORDER BY r.submission",
        (run,),
    ).fetchall()
    runs: dict[int, RunInfo] = {}
    out: list[ProductChanges] = []
    for sid, outcome, product, version, supplier, prev in rows:
        before_findings = portfolio.findings(sid, prev) if prev is not None else ()
        found = diff(before_findings, portfolio.findings(sid, run))
        prev_outcome = None
        if prev is not None:
            prev_outcome = con.execute(
                "SELECT outcome FROM results WHERE submission = ? AND run = ?", (sid, prev)
            ).fetchone()[0]
        if not found and prev_outcome == outcome and not unchanged:
            continue
        before = runs.setdefault(prev, portfolio.run(prev)) if prev is not None else None
        waivers = (portfolio.waivers(sid, prev) if prev is not None else (), portfolio.waivers(sid, run))
        out.append(
            ProductChanges(
                sid, product, version, supplier, before, after_run, prev_outcome, outcome, found, *waivers
            )
        )
    return out


# ---------------------------------------------------------------------- rendering


def _finding_dict(f: StoredFinding | None) -> dict[str, Any] | None:
    return None if f is None else f._asdict()


def waiver_dict(w: Waiver) -> dict[str, Any]:
    """A waiver record as JSON data (the file it came from, its entity, selector and terms)."""
    return {
        "entity": w.entity,
        "selector": w.selector,
        "justification": w.justification,
        "approver": w.approver,
        "expiry": w.expiry.isoformat(),
        "source": w.source,
    }


def _run_dict(r: RunInfo | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "id": r.id,
        "kind": r.kind,
        "started": r.started,
        "as_of": r.as_of.isoformat(),
        "entity_data_version": r.data_version,
        "entity_data_files": [f._asdict() for f in r.data_files],
        "waivers_kept": r.waivers_kept,
        "waivers": [waiver_dict(w) for w in r.waivers],
    }


def changes_dict(items: list[ProductChanges]) -> dict[str, Any]:
    """The JSON form of :func:`changes` (``render_changes(..., "json")``)."""
    return {
        "products": [
            {
                "submission": p.submission,
                "product": p.product,
                "version": p.version,
                "supplier": p.supplier,
                "before": _run_dict(p.before),
                "after": _run_dict(p.after),
                "outcome_before": p.outcome_before,
                "outcome_after": p.outcome_after,
                "changes": [
                    {"kind": c.kind, "before": _finding_dict(c.before), "after": _finding_dict(c.after)}
                    for c in p.changes
                ],
                "waivers_before": [waiver_dict(w) for w in p.waivers_before],
                "waivers_after": [waiver_dict(w) for w in p.waivers_after],
            }
            for p in items
        ]
    }


def _data(r: RunInfo | None) -> str:
    return "nothing before" if r is None else f"run {r.id} ({r.kind}, data {r.data_version}, as of {r.as_of})"


def _waivers(p: ProductChanges) -> str:
    """How many waivers applied on each side, and how many of the latter had expired by the
    run's as-of date (an expired waiver waives nothing: the usual reason one lapses)."""
    expired = sum(w.expired(p.after.as_of) for w in p.waivers_after)
    late = f" ({expired} expired by {p.after.as_of})" if expired else ""
    return f"{len(p.waivers_before)} before, {len(p.waivers_after)} after{late}"


def _line(c: FindingChange) -> str:
    f = c.finding
    what = escape.terminal(f"{f.component} {f.component_version or ''}".strip())
    who = escape.terminal(f.entity_name)
    sev = f"{c.before.severity if c.before else '?'} -> {f.severity}" if c.kind == "severity" else f.severity
    if f.waived and c.kind in ("appeared", "disappeared", "severity"):
        sev += " (waived)"  # a waived finding does not decide the outcome: say so on its line
    return f"  {c.kind:<13} {sev:<24} {who}: {what} in {escape.terminal(f.document)} [{f.id}]"


def render_text(items: list[ProductChanges]) -> str:
    if not items:
        return "No changes.\n"
    out: list[str] = []
    for p in items:
        name = escape.terminal(" ".join(x for x in (p.product, p.version) if x))
        out.append(f"#{p.submission} {name}: {p.outcome_before or '-'} -> {p.outcome_after}")
        out.append(f"  before: {_data(p.before)}")
        out.append(f"  after:  {_data(p.after)}")
        if p.waivers_before or p.waivers_after:
            out.append(f"  waivers: {_waivers(p)}")
        out += [_line(c) for c in p.changes] or ["  no finding changed"]
    return "\n".join(out) + "\n"


def render_changes(items: list[ProductChanges], fmt: str = "text") -> str:
    """``text`` (SBOM text escaped for a terminal), ``json`` or ``html`` (a self-contained page)."""
    if fmt == "json":
        return escape.json_text(json.dumps(changes_dict(items), indent=2, ensure_ascii=False)) + "\n"
    if fmt == "text":
        return render_text(items)
    if fmt == "html":
        from .html import render_changes_html

        return render_changes_html(items)
    raise PortfolioError(f"changes can be shown as {', '.join(CHANGES_FORMATS)}, not {fmt!r}")
