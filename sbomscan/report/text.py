"""The terminal report: fits 80 columns, colour only when asked (the CLI asks when the
stream is a TTY and ``NO_COLOR`` is unset).

Each finding shows what a person needs to act on it without opening the JSON: severity,
entity, component, the best path as a chain (``Product 1.0 → contains → engine-pack 2.1``),
the evidence, the authorities, the tier and the chain of documents. Unresolved links and
a diagnostics summary close the report, because an incomplete bundle is itself a finding
for the reader.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Mapping

from ..model import InputRecord
from . import escape
from .glossary import DISCLAIMER, GLOSSARY, product_name, split_note, verdict_sentence
from .model import ChainDocument, DocumentInfo, Finding, PathStep, Report

__all__ = ["WIDTH", "format_path", "one_line", "render_text", "terminal_safe"]

WIDTH = 80

_COLORS = {
    "prohibited": "\033[1;31m",
    "review": "\033[1;33m",
    "notice": "\033[1;36m",
    "fail": "\033[1;31m",
    "incomplete": "\033[1;35m",
    "pass-with-gaps": "\033[1;33m",
    "pass": "\033[1;32m",
    "waived": "\033[2m",
    "ok": "\033[1;32m",
    "head": "\033[1m",
}
_RESET = "\033[0m"


_OWN_CODES = re.compile("|".join(re.escape(c) for c in (*_COLORS.values(), _RESET)))
_LONG_TOKEN = re.compile(rf"\S{{{escape.MAX_SHOWN + 1},}}")


def terminal_safe(text: str) -> str:
    r"""``text`` with every control character that a terminal would act on written as an
    escape (``\x1b``, ``\u202e``), except sbomscan's own colour codes — the last guard on
    the whole report; values from SBOMs were already escaped where they were written, so
    an SBOM cannot smuggle a colour code through either.

    >>> terminal_safe("name\x1b[2J \u202eevil\n") == "name\\x1b[2J \\u202eevil\n"
    True
    >>> terminal_safe("\033[1;31mPROHIBITED\033[0m") == "\033[1;31mPROHIBITED\033[0m"
    True
    """
    out: list[str] = []
    pos = 0
    for m in _OWN_CODES.finditer(text):
        out.append(escape.visible_controls(text[pos : m.start()], keep="\n"))
        out.append(m.group())
        pos = m.end()
    out.append(escape.visible_controls(text[pos:], keep="\n"))
    return "".join(out)


def one_line(text: str) -> str:
    r"""``text`` as one line for a terminal: every control character escaped, a newline in
    a value from an SBOM included (``\n``), so a message quoting one cannot forge a line.

    >>> one_line("bad.json: key 'a\nsbomscan: all clear\x1b[2J'")
    "bad.json: key 'a\\nsbomscan: all clear\\x1b[2J'"
    """
    return escape.terminal(text, None)


def quote(text: str) -> str:
    r"""``text`` in quotes as written — a CPE's ``\/`` keeps its one backslash — with control
    characters shown as escapes and long values cut.

    >>> print(quote("cpe:2.3:o:hikvision:a\\/b"), quote("bad\x1b[2J"))
    'cpe:2.3:o:hikvision:a\/b' 'bad\x1b[2J'
    """
    return f"'{escape.terminal(text)}'"


def format_path(
    path: tuple[PathStep, ...], documents: Mapping[str, DocumentInfo | ChainDocument] | None = None
) -> str:
    """A path as one chain of names and relations, as plain text (escape it for where it
    is shown). Each name is cut to :data:`~sbomscan.report.escape.MAX_SHOWN` characters.

    >>> format_path((PathStep("a", "Product", "1.0", None),
    ...              PathStep("b", "engine-pack", "2.1", "contains"),
    ...              PathStep("c", "core", "8.0", "depends on", "@kav")))
    'Product 1.0 → contains → engine-pack 2.1 → depends on → @kav/core 8.0'

    Where a step is in another SBOM than the step before (the path follows a link into a
    supplier's SBOM), the boundary is shown instead of the relation — the SBOM's file,
    its tier, and (given ``documents``, the report's documents by path) its name and
    supplier; when the linked component is the one that linked to it, described again in
    its own supplier's SBOM, it is not repeated:

    >>> format_path((PathStep("a", "Kiosk", "3", None, document="p.json", tier=0),
    ...              PathStep("b", "camera", "2.0", "depends on", document="p.json", tier=0),
    ...              PathStep("c", "camera", "2.0", "links to", document="cam.json", tier=1),
    ...              PathStep("d", "isp-fw", "1", "contains", document="cam.json", tier=1)))
    'Kiosk 3 → depends on → camera 2.0 ⇒ [tier 1 SBOM cam.json] → contains → isp-fw 1'
    """
    out: list[str] = []
    prev: PathStep | None = None
    prev_label = ""
    for step in path:
        label = escape.shorten(step.label())
        if prev is None:
            out.append(label)
        elif step.document is not None and prev.document is not None and step.document != prev.document:
            out.append(f" ⇒ [{_boundary(step, documents)}]")
            if label != prev_label:
                out.append(f" {label}")
        else:
            out.append(f" → {(step.relation or '→').replace('_', ' ')} → {label}")
        prev, prev_label = step, label
    return "".join(out)


def _boundary(step: PathStep, documents: Mapping[str, DocumentInfo | ChainDocument] | None) -> str:
    """``tier 1 SBOM "Lobby camera" (cam.json), Harbor Optics LLC``."""
    where = escape.shorten(step.document or "")
    info = documents.get(step.document or "") if documents else None
    tier = step.tier if step.tier is not None else (info.tier if info else None)
    text = f"tier {tier} SBOM" if tier is not None else "SBOM"
    if info is not None and info.name and info.name not in (step.name, step.qualified_name):
        text += f" {escape.shorten(info.name)!r} ({where})"
    else:
        text += f" {where}"
    if info is not None and info.supplier:
        text += f", {escape.shorten(info.supplier)}"
    return text


def listed_only_note(path: tuple[PathStep, ...], component_id: str) -> str:
    """Why a ``listed_only`` path starts with "listed", naming the top-most component that
    holds the component when that is not the component itself."""
    top = next((s for s in path if s.relation == "listed"), None)
    if top is None or top.id == component_id:
        return "the SBOM lists it but no relationship says how it is included"
    return (
        f"the SBOM lists {top.qualified_name}, which holds it, but no relationship says how "
        f"{top.qualified_name} is included"
    )


class _Out:
    def __init__(self, color: bool, documents: Mapping[str, DocumentInfo] | None = None) -> None:
        self.color = color
        self.lines: list[str] = []
        self.documents = documents or {}

    def paint(self, text: str, style: str) -> str:
        return f"{_COLORS[style]}{text}{_RESET}" if self.color else text

    def wrap(
        self, text: str, indent: str, later: str | None = None, *, paint: tuple[str, str] | None = None
    ) -> None:
        """Wrap to the terminal width, breaking long tokens (purls, URLs) when needed.

        ``text`` is shown as written: every control character in it is escaped (it holds
        values from SBOMs; sbomscan's own text has none), an unbroken run of more than
        :data:`~sbomscan.report.escape.MAX_SHOWN` characters is cut (``textwrap`` splits a
        long word in time quadratic in its length: a 15 MB name took minutes) and the
        paragraph is cut at ten times that, so a report is written in linear time.
        ``paint`` colours the first ``label`` of the first line (label, style) after
        wrapping, so no escape sequence is ever counted as text or taken from the input."""
        text = _LONG_TOKEN.sub(lambda m: escape.shorten(m.group()), escape.terminal(text, None))
        lines = textwrap.wrap(
            escape.shorten(text, 10 * escape.MAX_SHOWN),
            WIDTH,
            initial_indent=indent,
            subsequent_indent=later if later is not None else indent + "  ",
            break_on_hyphens=False,
        ) or [indent.rstrip()]
        if paint is not None and self.color:
            label, style = paint
            first = lines[0]
            at = first.find(label, len(indent))
            if at >= 0:
                lines[0] = first[:at] + self.paint(label, style) + first[at + len(label) :]
        self.lines.extend(lines)


_RULES = {"prohibited": "=", "review": "-", "notice": "."}
"""The rule above each finding: a heavy, a light or a dotted line, so a prohibited finding
never looks like a review one without colour (printed, piped, ``NO_COLOR``)."""


def _rule(out: _Out, f: Finding) -> None:
    """``== PROHIBITED ====…``, ``-- REVIEW ----…``, ``.. NOTICE ....…``, ``~~ WAIVED (review) ~~…``
    across the width, the label coloured when colour is on."""
    label = f"WAIVED ({f.severity})" if f.waived else f.severity.upper()
    mark = "~" if f.waived else _RULES.get(f.severity, "-")
    tail = mark * max(2, WIDTH - len(label) - 4)
    out.lines.append(f"{mark * 2} {out.paint(label, 'waived' if f.waived else f.severity)} {tail}")


def _notes(out: _Out, f: Finding) -> None:
    """Why the finding is review or notice, as a numbered list: the question first, the
    citations that ask it below."""
    if not f.notes:
        return
    out.lines.append("    what to know:" if f.severity == "notice" else "    what to check:")
    for i, note in enumerate(f.notes, 1):
        n = split_note(note)
        out.wrap(f"{i}. {n.check}", "      ", "         ")
        if n.basis:
            out.wrap(f"asked by: {n.basis}", "         ", "           ")


def _finding(out: _Out, f: Finding) -> None:
    out.lines.append("")
    _rule(out, f)
    out.wrap(f"{f.entity.name} ({f.entity.id}) in {f.component.label()}", "", "    ")
    out.wrap(f"finding {f.id} · confidence {f.confidence} · tier {f.tier}", "    ")
    if f.component.purl:
        out.wrap(f"purl: {f.component.purl}", "    ")
    where = f.component.where()
    out.wrap(f"in: {where}", "    ")
    _notes(out, f)
    _path(out, f)
    _evidence(out, f)
    _authorities(out, f)
    if len(f.document_chain) > 1 or (f.document_chain and f.document_chain[0].supplier):
        chain = " ⇒ ".join(f"{d.path}" + (f" ({d.supplier})" if d.supplier else "") for d in f.document_chain)
        out.wrap(f"documents: {chain}", "    ", "      ")
    if f.waiver:
        w = f.waiver
        out.wrap(
            f"waived by {w.approver} until {w.expiry}: {w.justification} ({w.source})",
            "    ",
            "      ",
        )


def _path(out: _Out, f: Finding) -> None:
    """The first path as a chain, with how many more there are."""
    if f.paths:
        best = format_path(f.paths[0], out.documents)
        extra = len(f.paths) - 1
        suffix = ""
        if extra:
            suffix = (
                f" (+{extra} more path{'s' if extra > 1 else ''}{', truncated' if f.paths_truncated else ''})"
            )
        elif f.paths_truncated:
            suffix = " (truncated)"
        out.wrap(f"path: {best}{suffix}", "    ", "          ")
    if f.listed_only:
        out.wrap(listed_only_note(f.paths[0] if f.paths else (), f.component.id), "    ")


def _evidence(out: _Out, f: Finding) -> None:
    out.lines.append("    evidence:")
    for e in f.evidence:
        out.wrap(
            f"- {e.field} {quote(e.value)} ~ {quote(e.matched)} [{e.rule}, {e.confidence}]",
            "      ",
            "        ",
        )
        for v in e.via:
            out.wrap(f"via {v}", "        ", "          ")


def _authorities(out: _Out, f: Finding) -> None:
    if f.authorities:
        out.lines.append("    authorities:")
        for a in f.authorities:
            state = "" if a.in_effect else f" — not in effect on the as-of date (from {a.effective})"
            if a.former:
                state = " — former relation only"
            binds = f", binds {', '.join(a.binds)}" if a.binds else ""
            out.wrap(f"- {a.citation} ({a.id}), scope {a.scope}{binds}{state}", "      ", "        ")
            if a.via:
                out.wrap(f"through {a.via}", "        ", "          ")


def _verdict(out: _Out, report: Report) -> None:
    """The outcome, first thing after the counts: what the reader acts on."""
    v = report.verdict
    label = v.outcome.upper()
    out.wrap(f"outcome: {label} (--fail-on {v.fail_on})", "", paint=(label, v.outcome))
    for reason in v.reasons:
        out.wrap(f"- {reason}", "  ", "    ")


def _coverage(out: _Out, report: Report) -> None:
    """What could be checked, per document and in total."""
    c = report.coverage
    if not c.documents and not c.inputs_not_read:
        return
    out.lines.append("")
    out.lines.append(out.paint("Coverage:", "head"))
    out.wrap(
        f"{c.checked} of {c.components} components checked, {c.opaque} opaque (name and version only); "
        f"{c.missing_sboms} sub-SBOM{'s' if c.missing_sboms != 1 else ''} referenced but not supplied; "
        f"{c.inputs_not_read} input{'s' if c.inputs_not_read != 1 else ''} not read",
        "  ",
        "    ",
    )
    tiers = {d.key: d.tier for d in report.documents}
    for d in sorted(c.documents, key=lambda d: (tiers.get(d.key, 0), d.path)):
        missing = f", {d.missing_sboms} sub-SBOM{'s' if d.missing_sboms != 1 else ''} not supplied"
        missing = missing if d.missing_sboms else ""
        out.wrap(f"- {d.path}: {d.checked} checked, {d.opaque} opaque{missing}", "  ", "    ")


def _not_read(out: _Out, inputs: tuple[InputRecord, ...]) -> None:
    """Every input that was not read, with the reason; those that count say so."""
    skipped = [i for i in inputs if i.status != "read"]
    if not skipped:
        return
    out.lines.append("")
    out.lines.append(out.paint(f"Inputs not read ({len(skipped)}):", "head"))
    for i in skipped:
        counts = " [makes the scan incomplete]" if i.counts else ""
        message = f": {i.message}" if i.message else ""
        out.wrap(f"- {i.path} ({i.reason or 'not read'}){counts}{message}", "  ", "    ")


def _entity_data(out: _Out, report: Report) -> None:
    """Which data decided the findings: the shipped file and every overlay, by sha256."""
    data = report.entity_data
    if data is None:
        return
    out.lines.append("")
    out.lines.append(out.paint("Entity data:", "head"))
    if data.shipped is not None:
        out.wrap(f"- shipped {data.shipped.version or '?'} sha256 {data.shipped.sha256}", "  ", "    ")
    for o in data.overlays:
        out.wrap(f"- overlay {o.path} ({o.version or 'no version'}) sha256 {o.sha256}", "  ", "    ")


def _head(out: _Out, report: Report) -> None:
    """The product and the verdict sentence first, then what the result rests on."""
    product = product_name(report)
    out.wrap(
        f"sbomscan report: {product}" if product else "sbomscan report",
        "",
        "    ",
        paint=("sbomscan report", "head"),
    )
    word, _, rest = verdict_sentence(report).partition(": ")
    out.wrap(f"{word.upper()}: {rest}", "", "  ", paint=(f"{word.upper()}:", report.outcome))
    out.lines.append("")
    suppliers = sorted({d.supplier for d in report.documents if d.tier == 0 and d.supplier})
    if product:
        out.wrap(
            f"product: {product}" + (f", supplier {'; '.join(suppliers)}" if suppliers else ""), "", "    "
        )
    out.wrap(
        f"{report.tool.name} {report.tool.version} · entity data {report.entity_data_label} · "
        f"as of {report.as_of.isoformat()}",
        "",
    )


def _documents(out: _Out, report: Report) -> None:
    """Every document, by supplier tier (the product's own first)."""
    s = report.summary
    out.wrap(
        f"{s.documents} document{'s' if s.documents != 1 else ''}, {s.components} components; "
        f"findings: {s.prohibited} prohibited, {s.review} review, {s.notice} notice, {s.waived} waived",
        "",
    )
    for doc in sorted(report.documents, key=lambda d: (d.tier, d.path)):
        out.wrap(
            f"- tier {doc.tier}: {doc.path}: {doc.format} {doc.spec_version} ({doc.encoding}), "
            f"{doc.components} components" + (f", supplier {doc.supplier}" if doc.supplier else ""),
            "  ",
            "    ",
        )


def _terms(out: _Out) -> None:
    """The glossary and the disclaimer, the same words as every human report."""
    out.lines.append("")
    out.lines.append(out.paint("Terms:", "head"))
    for term, text in GLOSSARY:
        out.wrap(f"{term}: {text}", "  ", "    ")
    out.lines.append("")
    out.lines.append(out.paint("About this report:", "head"))
    out.wrap(DISCLAIMER, "  ", "  ")


def render_text(report: Report, *, color: bool = False) -> str:
    """The report for a person at a terminal."""
    out = _Out(color, {d.path: d for d in report.documents})
    _head(out, report)
    _documents(out, report)
    _verdict(out, report)
    if not report.findings:
        out.lines.append("")
        if report.outcome == "pass":
            out.lines.append(out.paint("No covered-vendor components found.", "ok"))
        else:  # not read, or not checkable: nothing found is not the same as nothing there
            out.lines.append(
                out.paint("No covered-vendor components found in what could be checked.", report.outcome)
            )
    for f in report.findings:
        _finding(out, f)
    if report.unresolved_links:
        out.lines.append("")
        out.lines.append(out.paint(f"Unresolved links ({len(report.unresolved_links)}):", "head"))
        for u in report.unresolved_links:
            out.wrap(f"- {u.message}", "  ", "    ")
    if report.waivers:
        out.lines.append("")
        out.lines.append(out.paint("Waivers:", "head"))
        for w in report.waivers:
            out.wrap(
                f"- {w.status}: {w.entity} / {w.selector}, approved by {w.approver} until {w.expiry}",
                "  ",
                "    ",
            )
    _coverage(out, report)
    _not_read(out, report.inputs)
    _entity_data(out, report)
    # unresolved links were listed just above; do not say them twice
    diags = [(d.document or "", d) for d in report.diagnostics if d.code != "unresolved-link"]
    for doc in report.documents:
        diags.extend((doc.path, d) for d in doc.diagnostics)
    if diags:
        out.lines.append("")
        counts = Counter(d.severity for _, d in diags)
        out.lines.append(
            out.paint("Diagnostics: ", "head")
            + ", ".join(f"{counts[k]} {k}" for k in ("error", "warning", "info") if counts[k])
        )
        shown = [x for x in diags if x[1].severity != "info"] or diags
        for path, d in shown[:20]:
            where = ":".join(p for p in (path, d.location or "") if p)
            out.wrap(f"- {d.severity} {d.code}: {where + ': ' if where else ''}{d.message}", "  ", "    ")
        if len(shown) > 20:
            out.lines.append(f"  … and {len(shown) - 20} more (see the JSON report)")
    _terms(out)
    return terminal_safe("\n".join(out.lines) + "\n")
