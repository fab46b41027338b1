"""The Markdown report: for pasting into a procurement file or a pull request.

A summary table first (what a reviewer reads), then one section per finding with its
path, an evidence table, the authorities with their citations, and the waiver if any.
Every value from an SBOM is escaped, so a component named ``a|b`` or ``<script>`` cannot
break the table or inject markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from . import escape as _escape
from .glossary import DISCLAIMER, GLOSSARY, product_name, split_note, verdict_sentence
from .model import DocumentInfo, Finding, Report
from .text import format_path, listed_only_note

__all__ = ["escape", "render_markdown", "severity_label", "write_markdown"]


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


_MARKS = {"prohibited": "⛔ PROHIBITED", "review": "⚠ REVIEW", "notice": "ℹ NOTICE"}
"""Each severity as a word and a shape, so prohibited and review findings look different
in any Markdown viewer, printed in black and white too (never colour alone)."""


def severity_label(f: Finding) -> str:
    """``⛔ PROHIBITED``, ``⚠ REVIEW``, ``ℹ NOTICE``, or ``⊘ waived (prohibited)``."""
    return f"⊘ waived ({f.severity})" if f.waived else _MARKS.get(f.severity, f.severity)


def _finding(lines: list[str], f: Finding, docs: Mapping[str, DocumentInfo]) -> None:
    c = f.component
    lines += [
        "",
        f"### {severity_label(f)}: {escape(f.entity.name)} in {escape(c.qualified_name)} "
        f"{escape(c.version) if c.version else ''}".rstrip(),
        "",
        f"- **Severity:** {f.severity}{' (waived)' if f.waived else ''} · **confidence:** {f.confidence} · "
        f"**supplier tier:** {f.tier}",
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
    _notes(lines, f)
    _paths(lines, f, docs)
    lines += ["", "| Field | Value | Matched | Rule | Confidence | Via |", "|---|---|---|---|---|---|"]
    for e in f.evidence:
        via = "; ".join(e.via)
        lines.append(
            f"| {escape(e.field)} | {escape(e.value)} | {escape(e.matched)} | {escape(e.rule)} | "
            f"{e.confidence} | {escape(via)} |"
        )
    _authorities(lines, f)
    if f.waiver:
        w = f.waiver
        lines += [
            "",
            f"**Waived** by {escape(w.approver)} until {w.expiry}: {escape(w.justification)} "
            f"({escape(w.source)})",
        ]


def _notes(lines: list[str], f: Finding) -> None:
    """Why a finding is review or notice, as a numbered list of what to check: each
    question first, the citations that ask it on a line of their own below."""
    if not f.notes:
        return
    lines += ["", f"**{'What to know' if f.severity == 'notice' else 'What to check'}:**", ""]
    for i, note in enumerate(f.notes, 1):
        n = split_note(note)
        lines.append(f"{i}. {escape(n.check)}")
        if n.basis:
            lines.append(f"   - _Asked by:_ {escape(n.basis)}")


def _paths(lines: list[str], f: Finding, docs: Mapping[str, DocumentInfo]) -> None:
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


def _authorities(lines: list[str], f: Finding) -> None:
    if not f.authorities:
        return
    lines += ["", "**Authorities:**", ""]
    for a in f.authorities:
        state = "in effect" if a.in_effect else f"not in effect on the as-of date (effective {a.effective})"
        if a.former:
            state = "former relation only"
        via = f" — through {escape(a.via)}" if a.via else ""
        binds = f"; binds: {escape(', '.join(a.binds))}" if a.binds else ""
        lines.append(f"- {escape(a.citation)} — {escape(a.title)} (scope: {a.scope}{binds}; {state}){via}")


_OUTCOME_MARKS = {"fail": "⛔", "incomplete": "⚠", "pass-with-gaps": "◐", "pass": "✔"}


def _head(report: Report) -> list[str]:
    """The title with the product, the verdict sentence, then what the result rests on."""
    product = product_name(report)
    sentence = verdict_sentence(report)
    word, _, rest = sentence.partition(": ")
    suppliers = sorted({d.supplier for d in report.documents if d.tier == 0 and d.supplier})
    lines = [
        f"# sbomscan report: {escape(product)}" if product else "# sbomscan report",
        "",
        f"{_OUTCOME_MARKS.get(report.outcome, '')} **{escape(word)}:** {escape(rest)}".lstrip(),
        "",
        *(
            [f"- **Product:** {escape(product)}", f"- **Supplier:** {escape('; '.join(suppliers))}"]
            if product
            else []
        ),
        f"- **As of:** {report.as_of.isoformat()} · **entity data:** {escape(report.entity_data_label)} · "
        f"**tool:** {report.tool.name} {report.tool.version}",
        "",
    ]
    return lines + _verdict(report)


def _verdict(report: Report) -> list[str]:
    v = report.verdict
    lines = [f"**Outcome: {v.outcome}** (fail on {v.fail_on})", ""]
    lines += [f"- {escape(r)}" for r in v.reasons]
    return lines + ([""] if v.reasons else [])


def _coverage(report: Report) -> list[str]:
    c = report.coverage
    counting = c.inputs_not_read_counting
    lines = [
        "",
        "## Coverage",
        "",
        f"{c.checked} of {c.components} components checked, {c.opaque} opaque; "
        f"{c.missing_sboms} referenced sub-SBOM{'s' if c.missing_sboms != 1 else ''} not supplied; "
        f"{c.inputs_not_read} input{'s' if c.inputs_not_read != 1 else ''} not read "
        f"({counting} make{'s' if counting == 1 else ''} the scan incomplete).",
        "",
        "A component is *checked* when it carries something the matcher reads besides its name (a party, "
        "purl, CPE, SWID tag, hash, URL, copyright or licensor); *opaque* when it has a name and version only.",
        "",
        "| Document | Components | Checked | Opaque | Sub-SBOMs not supplied |",
        "|---|---:|---:|---:|---:|",
    ]
    tiers = {d.key: d.tier for d in report.documents}
    for d in sorted(c.documents, key=lambda d: (tiers.get(d.key, 0), d.path)):
        lines.append(f"| {escape(d.path)} | {d.components} | {d.checked} | {d.opaque} | {d.missing_sboms} |")
    lines.append(f"| **Total** | {c.components} | {c.checked} | {c.opaque} | {c.missing_sboms} |")
    return lines


def _documents(report: Report) -> list[str]:
    """Documents by supplier tier, the product's own first; the SHA-256 of each below the
    table, one per line, so the table fits a page."""
    docs = sorted(report.documents, key=lambda d: (d.tier, d.path))
    lines = [
        "",
        "## Documents",
        "",
        "Tier 0 is the product's own SBOM; tier 1 an SBOM it links to (a subcontractor's), and so on.",
        "",
        "| Tier | Supplier | Name | Path | Format | Components |",
        "|---:|---|---|---|---|---:|",
    ]
    for d in docs:
        lines.append(
            f"| {d.tier} | {escape(d.supplier)} | {escape(d.name)} | {escape(d.path)} | "
            f"{d.format} {escape(d.spec_version)} ({d.encoding}) | {d.components} |"
        )
    if docs:
        lines += ["", "SHA-256 of each document as read:", ""]
        lines += [f"- {escape(d.path)}: `{d.sha256}`" for d in docs]
    return lines


def _terms() -> list[str]:
    """The glossary and the disclaimer, the same words as every human report."""
    lines = ["", "## Terms", ""]
    lines += [f"- **{term}**: {_escape.markdown(text, None)}" for term, text in GLOSSARY]
    return [*lines, "", "## About this report", "", _escape.markdown(DISCLAIMER, None)]


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
        *_head(report),
        "| ⛔ Prohibited | ⚠ Review | ℹ Notice | Waived | Documents | Components | Unresolved links |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {s.prohibited} | {s.review} | {s.notice} | {s.waived} | {s.documents} | {s.components} "
        f"| {s.unresolved_links} |",
        "",
        "## Findings",
        "",
    ]
    _findings(lines, report)
    lines += _coverage(report)
    lines += _documents(report)
    if report.unresolved_links:
        lines += ["", "## Unresolved links", ""]
        lines += [f"- {escape(u.message)}" for u in report.unresolved_links]
    lines += _waivers(report)
    lines += _not_read(report)
    lines += _entity_data(report)
    lines += _diagnostics(report)
    lines += _terms()
    lines.close()


def _findings(lines: _Lines, report: Report) -> None:
    """The findings table (worst first), then each finding in full."""
    if not report.findings:
        lines.append(
            "No covered-vendor components found."
            if report.outcome == "pass"
            else "No covered-vendor components found in what could be checked (see the outcome above)."
        )
        return
    lines += [
        "| Severity | Entity | Component | Tier | Confidence | Id |",
        "|---|---|---|---:|---|---|",
    ]
    for f in report.findings:
        comp = escape(f.component.qualified_name) + (
            f" {escape(f.component.version)}" if f.component.version else ""
        )
        lines.append(
            f"| {severity_label(f)} | {escape(f.entity.name)} | {comp} | {f.tier} | {f.confidence} | `{f.id}` |"
        )
    docs = {d.path: d for d in report.documents}
    for f in report.findings:
        _finding(lines, f, docs)


def _waivers(report: Report) -> list[str]:
    if not report.waivers:
        return []
    lines = [
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
    return lines


def _diagnostics(report: Report) -> list[str]:
    """Warnings and errors (not info), the first fifty."""
    diags = list(report.diagnostics) + [d for doc in report.documents for d in doc.diagnostics]
    notable = [d for d in diags if d.severity != "info"]
    if not notable:
        return []
    lines = ["", "## Diagnostics", ""]
    for d in notable[:50]:
        where = ": ".join(x for x in (d.document, d.location) if x)
        lines.append(f"- {d.severity} `{d.code}` {escape(where) + ': ' if where else ''}{escape(d.message)}")
    if len(notable) > 50:
        lines.append(f"- … and {len(notable) - 50} more (see the JSON report)")
    return lines
