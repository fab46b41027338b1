"""The Markdown report: for pasting into a procurement file or a pull request.

A summary table first (what a reviewer reads), then one section per finding with its
path, an evidence table, the authorities with their citations, and the waiver if any.
Every value from an SBOM is escaped, so a component named ``a|b`` or ``<script>`` cannot
break the table or inject markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from . import escape as _escape
from .model import DocumentInfo, Finding, Report
from .text import format_path, listed_only_note

__all__ = ["escape", "render_markdown", "write_markdown"]


def escape(text: str | None) -> str:
    """Text from an SBOM made safe inside Markdown, a table cell included: see
    :func:`sbomscan.report.escape.markdown` (Markdown syntax, HTML, controls, links and
    mentions).

    >>> escape("a|b <x> *y*")
    'a\\\\|b &lt;x&gt; \\\\*y\\\\*'
    >>> escape(None)
    '—'
    """
    return _escape.markdown(text)


def _finding(lines: list[str], f: Finding, docs: Mapping[str, DocumentInfo]) -> None:
    c = f.component
    head = f"{f.severity}{' (waived)' if f.waived else ''}"
    lines += [
        "",
        f"### {escape(f.entity.name)} in {escape(c.qualified_name)} {escape(c.version) if c.version else ''}".rstrip(),
        "",
        f"- **Severity:** {head} · **confidence:** {f.confidence} · **supplier tier:** {f.tier}",
        f"- **Finding id:** `{f.id}`",
        f"- **Entity:** {escape(f.entity.name)} (`{f.entity.id}`)",
        f"- **Component:** {escape(c.qualified_name)} {escape(c.version)} · purl {escape(c.purl)} · "
        f"bom-ref {escape(c.bom_ref)}",
        f"- **Where:** {escape(c.where())}",
    ]
    if f.document_chain:
        chain = " ⇒ ".join(
            escape(d.path) + (f" ({escape(d.supplier)})" if d.supplier else "") for d in f.document_chain
        )
        lines.append(f"- **Documents:** {chain}")
    for note in f.notes:
        lines.append(f"- **{'Notice' if f.severity == 'notice' else 'Review'}:** {escape(note)}")
    if f.paths:
        lines += ["", "**Path" + ("s" if len(f.paths) > 1 else "") + " from the product root:**", ""]
        for p in f.paths:
            lines.append(f"1. {escape(format_path(p, docs))}")
        if f.paths_truncated:
            lines.append("")
            lines.append("_More paths exist; the list was cut at the configured limit._")
    if f.listed_only:
        note = escape(listed_only_note(f.paths[0] if f.paths else (), f.component.id))
        lines += ["", f"_{note[0].upper()}{note[1:]}._"]
    lines += ["", "| Field | Value | Matched | Rule | Confidence | Via |", "|---|---|---|---|---|---|"]
    for e in f.evidence:
        via = "; ".join(e.via)
        lines.append(
            f"| {escape(e.field)} | {escape(e.value)} | {escape(e.matched)} | {escape(e.rule)} | "
            f"{e.confidence} | {escape(via)} |"
        )
    if f.authorities:
        lines += ["", "**Authorities:**", ""]
        for a in f.authorities:
            state = (
                "in effect" if a.in_effect else f"not in effect on the as-of date (effective {a.effective})"
            )
            if a.former:
                state = "former relation only"
            via = f" — through {escape(a.via)}" if a.via else ""
            binds = f"; binds: {escape(', '.join(a.binds))}" if a.binds else ""
            lines.append(
                f"- {escape(a.citation)} — {escape(a.title)} (scope: {a.scope}{binds}; {state}){via}"
            )
    if f.waiver:
        w = f.waiver
        lines += [
            "",
            f"**Waived** by {escape(w.approver)} until {w.expiry}: {escape(w.justification)} "
            f"({escape(w.source)})",
        ]


def _verdict(report: Report) -> list[str]:
    v = report.verdict
    lines = [f"**Outcome: {v.outcome}** (fail on {v.fail_on})", ""]
    lines += [f"- {escape(r)}" for r in v.reasons]
    return lines + ([""] if v.reasons else [])


def _coverage(report: Report) -> list[str]:
    c = report.coverage
    lines = [
        "",
        "## Coverage",
        "",
        "A component is *checked* when it carries something the matcher reads besides its name (a party, "
        "purl, CPE, SWID tag, hash, URL, copyright or licensor); *opaque* when it has a name and version only.",
        "",
        "| Document | Components | Checked | Opaque | Sub-SBOMs not supplied |",
        "|---|---:|---:|---:|---:|",
    ]
    for d in c.documents:
        lines.append(f"| {escape(d.path)} | {d.components} | {d.checked} | {d.opaque} | {d.missing_sboms} |")
    lines.append(f"| **Total** | {c.components} | {c.checked} | {c.opaque} | {c.missing_sboms} |")
    lines += [
        "",
        f"Inputs not read: {c.inputs_not_read} ({c.inputs_not_read_counting} make the scan incomplete).",
    ]
    return lines


def _not_read(report: Report) -> list[str]:
    skipped = [i for i in report.inputs if i.status != "read"]
    if not skipped:
        return []
    lines = ["", "## Inputs not read", "", "| Path | Reason | Counts | Message |", "|---|---|---|---|"]
    for i in skipped:
        lines.append(
            f"| {escape(i.path)} | {escape(i.reason)} | {'yes' if i.counts else 'no'} | {escape(i.message)} |"
        )
    return lines


def _entity_data(report: Report) -> list[str]:
    data = report.entity_data
    if data is None:
        return []
    lines = ["", "## Entity data", "", "| File | Version | SHA-256 |", "|---|---|---|"]
    if data.shipped is not None:
        lines.append(f"| shipped | {escape(data.shipped.version)} | `{data.shipped.sha256}` |")
    for o in data.overlays:
        lines.append(f"| overlay {escape(o.path)} | {escape(o.version)} | `{o.sha256}` |")
    return lines


class _Lines(list[str]):
    """The report's lines, handed to ``write`` every few thousand so that a finding with
    100,000 paths is never held as text at once; :meth:`close` writes the rest."""

    FLUSH = 4096

    def __init__(self, write: Callable[[str], object], lines: Iterable[str] = ()) -> None:
        super().__init__(lines)
        self.write = write
        self.started = False

    def _flush(self, force: bool = False) -> None:
        if self and (force or len(self) >= self.FLUSH):
            self.write(("\n" if self.started else "") + "\n".join(self))
            self.started = True
            self.clear()

    def append(self, line: str) -> None:
        super().append(line)
        self._flush()

    def extend(self, lines: Iterable[str]) -> None:
        super().extend(lines)
        self._flush()

    def __iadd__(self, lines: Iterable[str]) -> _Lines:  # type: ignore[override, misc]
        self.extend(lines)
        return self

    def close(self) -> None:
        self._flush(force=True)
        self.write("\n")


def render_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown."""
    chunks: list[str] = []
    write_markdown(report, chunks.append)
    return "".join(chunks)


def write_markdown(report: Report, write: Callable[[str], object]) -> None:
    """The report as GitHub-flavoured Markdown, handed to ``write`` in pieces as it is made."""
    s = report.summary
    lines = _Lines(write)
    lines += [
        "# sbomscan report",
        "",
        f"{report.tool.name} {report.tool.version} · entity data {escape(report.entity_data_label)} · "
        f"as of {report.as_of.isoformat()}",
        "",
        *_verdict(report),
        "| Prohibited | Review | Notice | Waived | Documents | Components | Unresolved links |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {s.prohibited} | {s.review} | {s.notice} | {s.waived} | {s.documents} | {s.components} "
        f"| {s.unresolved_links} |",
        "",
        "## Documents",
        "",
        "| Path | Format | Tier | Supplier | Components | SHA-256 |",
        "|---|---|---:|---|---:|---|",
    ]
    for doc in report.documents:
        lines.append(
            f"| {escape(doc.path)} | {doc.format} {escape(doc.spec_version)} ({doc.encoding}) | {doc.tier} | "
            f"{escape(doc.supplier)} | {doc.components} | `{doc.sha256}` |"
        )
    lines += ["", "## Findings", ""]
    if report.findings:
        lines += [
            "| Severity | Entity | Component | Tier | Confidence | Id |",
            "|---|---|---|---:|---|---|",
        ]
        for f in report.findings:
            sev = f"{f.severity} (waived)" if f.waived else f.severity
            comp = escape(f.component.qualified_name) + (
                f" {escape(f.component.version)}" if f.component.version else ""
            )
            lines.append(
                f"| {sev} | {escape(f.entity.name)} | {comp} | {f.tier} | {f.confidence} | `{f.id}` |"
            )
        docs = {d.path: d for d in report.documents}
        for f in report.findings:
            _finding(lines, f, docs)
    else:
        lines.append(
            "No covered-vendor components found."
            if report.outcome == "pass"
            else "No covered-vendor components found in what could be checked (see the outcome above)."
        )
    if report.unresolved_links:
        lines += ["", "## Unresolved links", ""]
        lines += [f"- {escape(u.message)}" for u in report.unresolved_links]
    if report.waivers:
        lines += [
            "",
            "## Waivers",
            "",
            "| Status | Entity | Component | Approver | Expiry | Justification |",
            "|---|---|---|---|---|---|",
        ]
        for w in report.waivers:
            lines.append(
                f"| {w.status} | {escape(w.entity)} | {escape(w.selector)} | {escape(w.approver)} | "
                f"{w.expiry} | {escape(w.justification)} |"
            )
    lines += _coverage(report)
    lines += _not_read(report)
    lines += _entity_data(report)
    diags = list(report.diagnostics) + [d for doc in report.documents for d in doc.diagnostics]
    notable = [d for d in diags if d.severity != "info"]
    if notable:
        lines += ["", "## Diagnostics", ""]
        for d in notable[:50]:
            where = ": ".join(x for x in (d.document, d.location) if x)
            lines.append(
                f"- {d.severity} `{d.code}` {escape(where) + ': ' if where else ''}{escape(d.message)}"
            )
        if len(notable) > 50:
            lines.append(f"- … and {len(notable) - 50} more (see the JSON report)")
    lines.close()
