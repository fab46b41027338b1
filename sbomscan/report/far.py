"""Drafts of the contractor's report that FAR 52.204-23(c) and 52.204-25(d) require, one per
finding: what the contractor must tell the Contracting Officer, and by when.

Both clauses say that a contractor who identifies a covered article (52.204-23, Kaspersky)
or covered telecommunications equipment or services (52.204-25, section 889) provided to
the Government during contract performance — or is told of one by a subcontractor at any
tier — must report it in writing to the Contracting Officer (DoD: https://dibnet.dod.mil),
first with a fixed list of facts within a short deadline, then with further mitigation
information within 10 business days. This renderer fills in what the scan knows — supplier,
brand, model and part numbers, item description, and the path and evidence as support —
and marks what only the contractor can write (the mitigation) as **to be filled in**.

It reads only the :class:`~sbomscan.report.model.Report` (and the contract details the
caller gives): a finding is drafted when an authority in effect on the report's as-of date
is one of the two clauses or the statute it implements (NDAA FY2018 §1634 → 52.204-23;
NDAA FY2019 §889 → 52.204-25). Notices are left out; review findings are drafted and marked
"to be confirmed".

>>> CLAUSES["52.204-25"].deadline
'within one business day from the date of such identification or notification'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

import orjson

from . import escape as _escape
from .json import entity_data_dict
from .model import Finding, Report
from .text import format_path

__all__ = ["CLAUSES", "ContractDetails", "FarClause", "far_dict", "render_far_json", "render_far_markdown"]

TO_FILL = "TO BE FILLED IN BY THE CONTRACTOR"


class FarClause(NamedTuple):
    """One reporting clause as its text stood on a date: the paragraph that lists what to
    report, its deadline, and the follow-up."""

    number: str
    title: str
    date: str
    paragraph: str
    deadline: str
    followup: str
    items: tuple[str, ...]
    text: str
    source: str


_DIBNET = "https://dibnet.dod.mil"

_K23_ITEMS = (
    "the contract number",
    "the order number(s), if applicable",
    "supplier name",
    "brand",
    "model number (Original Equipment Manufacturer (OEM) number, manufacturer part number, or wholesaler number)",
    "item description",
    "any readily available information about mitigation actions undertaken or recommended",
)
_K25_ITEMS = (
    "the contract number",
    "the order number(s), if applicable",
    "supplier name",
    "supplier unique entity identifier (if known)",
    "supplier Commercial and Government Entity (CAGE) code (if known)",
    "brand",
    "model number (original equipment manufacturer number, manufacturer part number, or wholesaler number)",
    "item description",
    "any readily available information about mitigation actions undertaken or recommended",
)
_FOLLOWUP = (
    "within 10 business days of submitting the first report: any further available information "
    "about mitigation actions undertaken or recommended, and the efforts undertaken to prevent "
    "use or submission of a covered article, the reasons that led to it, and the additional "
    "efforts to prevent it in future"
)

CLAUSES: dict[str, FarClause] = {
    "52.204-23": FarClause(
        "52.204-23",
        "Prohibition on Contracting for Hardware, Software, and Services Developed or Provided by "
        "Kaspersky Lab Covered Entities",
        "DEC 2023",
        "(c)(2)(i)",
        "within 3 business days from the date of such identification or notification",
        _FOLLOWUP + " ((c)(2)(ii))",
        _K23_ITEMS,
        "(c)(1) report in writing to the Contracting Officer or, in the case of the Department of "
        f"Defense, to {_DIBNET}; (c)(2)(i) within 3 business days: " + "; ".join(_K23_ITEMS) + ".",
        "48 CFR 52.204-23 as amended by FAC 2023-06 (88 FR 69503, Oct. 5, 2023; in effect Dec. 4, "
        "2023), which changed (c)(2)(i) from 1 business day to 3 business days",
    ),
    "52.204-23-2018": FarClause(
        "52.204-23",
        "Prohibition on Contracting for Hardware, Software, and Services Developed or Provided by "
        "Kaspersky Lab and Other Covered Entities",
        "JUL 2018",
        "(c)(2)(i)",
        "within 1 business day from the date of such identification or notification",
        _FOLLOWUP + " ((c)(2)(ii))",
        _K23_ITEMS,
        "(c)(1) report in writing to the Contracting Officer or, in the case of the Department of "
        f"Defense, to {_DIBNET}; (c)(2)(i) within 1 business day: " + "; ".join(_K23_ITEMS) + ".",
        "48 CFR 52.204-23 (JUL 2018), interim rule 83 FR 28141 (June 15, 2018), final rule "
        "84 FR 47861 (Sept. 10, 2019); the text before FAC 2023-06",
    ),
    "52.204-25": FarClause(
        "52.204-25",
        "Prohibition on Contracting for Certain Telecommunications and Video Surveillance "
        "Services or Equipment",
        "NOV 2021",
        "(d)(2)(i)",
        "within one business day from the date of such identification or notification",
        _FOLLOWUP + " ((d)(2)(ii))",
        _K25_ITEMS,
        "(d)(1) report to the Contracting Officer or, in the case of the Department of Defense, "
        f"to {_DIBNET}; (d)(2)(i) within one business day: " + "; ".join(_K25_ITEMS) + ".",
        "48 CFR 52.204-25 (NOV 2021)",
    ),
}
"""The clause texts used (paraphrasing nothing in the lists of items: they are the clauses'
own words). ``docs/procurement-officer.md`` says where each was read."""

_K23_FROM = date(2023, 12, 4)
_AUTHORITY_CLAUSE = {
    "far-52-204-23": "52.204-23",
    "ndaa-fy18-1634": "52.204-23",
    "far-52-204-25": "52.204-25",
    "ndaa-fy19-889": "52.204-25",
}


class ContractDetails(NamedTuple):
    """What the scan cannot know: the contract, its orders, and the suppliers' identifiers.

    ``uei`` and ``cage`` map a supplier name (as the report shows it) to its UEI / CAGE
    code; the key ``""`` applies to every supplier not named."""

    contract: str | None = None
    orders: tuple[str, ...] = ()
    uei: Mapping[str, str] = {}
    cage: Mapping[str, str] = {}


def _clause(number: str, as_of: date) -> FarClause:
    if number == "52.204-23" and as_of < _K23_FROM:
        return CLAUSES["52.204-23-2018"]
    return CLAUSES[number]


def clauses_of(f: Finding, as_of: date) -> list[FarClause]:
    """The reporting clauses in effect that cover ``f`` (none for a notice)."""
    if f.severity == "notice":
        return []
    numbers = sorted(
        {_AUTHORITY_CLAUSE[a.id] for a in f.authorities if a.in_effect and a.id in _AUTHORITY_CLAUSE}
    )
    return [_clause(n, as_of) for n in numbers]


def _supplier(f: Finding) -> str | None:
    """The supplier of the SBOM that lists the component, else the nearest one up the chain."""
    for d in reversed(f.document_chain):
        if d.supplier:
            return d.supplier
    return None


def _model(f: Finding) -> dict[str, Any]:
    c = f.component
    cpes = sorted({e.value for e in f.evidence if "cpe" in e.field.lower()})
    return {"name": c.qualified_name, "version": c.version, "purl": c.purl, "cpe": cpes, "bom_ref": c.bom_ref}


def _description(f: Finding) -> str:
    """What the item is, in words: the component, the product it is in, and who made it."""
    c = f.component
    root = f.paths[0][0].label() if f.paths and f.paths[0] else None
    where = f" of {root}" if root and f.paths[0][-1].id != f.paths[0][0].id else ""
    return f"{c.label()}, a component{where} made, supplied or licensed by {f.entity.name} (sbomscan finding {f.id})"


def _draft(f: Finding, clause: FarClause, details: ContractDetails) -> dict[str, Any]:
    supplier = _supplier(f)
    key = supplier or ""
    fields: dict[str, Any] = {
        "contract_number": details.contract or TO_FILL,
        "order_numbers": list(details.orders),
        "supplier_name": supplier or TO_FILL,
        "brand": f.entity.name,
        "model_number": _model(f),
        "item_description": _description(f),
        "mitigation": f"{TO_FILL}: mitigation actions undertaken or recommended",
    }
    if clause.number == "52.204-25":
        fields["supplier_uei"] = details.uei.get(key, details.uei.get("")) or "not known"
        fields["supplier_cage"] = details.cage.get(key, details.cage.get("")) or "not known"
    return {
        "finding": f.id,
        "severity": f.severity,
        "confirmed": f.severity == "prohibited",
        "waived": f.waived,
        "clause": f"FAR {clause.number} ({clause.date})",
        "paragraph": clause.paragraph,
        "deadline": clause.deadline,
        "followup": clause.followup,
        "report_to": f"the Contracting Officer; for a Department of Defense contract, {_DIBNET}",
        "fields": fields,
        "support": {
            "component": f.component.where(),
            "paths": [format_path(p) for p in f.paths],
            "evidence": [{"field": e.field, "value": e.value, "matched": e.matched} for e in f.evidence],
            "document_chain": [
                {"path": d.path, "name": d.name, "supplier": d.supplier, "tier": d.tier}
                for d in f.document_chain
            ],
            "authorities": [a.citation for a in f.authorities if a.in_effect],
            "notes": list(f.notes),
        },
    }


def far_dict(report: Report, details: ContractDetails | None = None) -> dict[str, Any]:
    """The drafts as JSON data: one per (finding, clause), and the clause texts used."""
    details = details or ContractDetails()
    drafts: list[dict[str, Any]] = []
    used: dict[str, FarClause] = {}
    left = 0
    for f in report.findings:
        cs = clauses_of(f, report.as_of)
        if not cs:
            left += 1
        for c in cs:
            used[c.number] = c
            drafts.append(_draft(f, c, details))
    return {
        "kind": "sbomscan-far-report-draft",
        "draft": True,
        "as_of": report.as_of.isoformat(),
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "entity_data": entity_data_dict(report),
        "outcome": report.outcome,
        "notice": (
            "Drafts for the contractor to complete, check and send; evidence, not legal advice. "
            "Check each against the clause in your contract."
        ),
        "clauses": [
            {
                "clause": f"FAR {c.number} ({c.date})",
                "title": c.title,
                "paragraph": c.paragraph,
                "deadline": c.deadline,
                "text_used": c.text,
                "source": c.source,
            }
            for c in used.values()
        ],
        "reports": drafts,
        "findings_not_drafted": left,
    }


def render_far_json(report: Report, details: ContractDetails | None = None) -> str:
    """:func:`far_dict` as indented JSON, invisible characters escaped."""
    return (
        _escape.json_text(orjson.dumps(far_dict(report, details), option=orjson.OPT_INDENT_2).decode()) + "\n"
    )


def _md(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_escape.markdown(str(v)) for v in value)
    return _escape.markdown(str(value))


def _code(text: str) -> str:
    """Text for inside a Markdown code span: controls visible, no backtick to end it early."""
    return _escape.visible_controls(text).replace("`", "'")


def _model_md(m: Mapping[str, Any]) -> str:
    parts = [f"{_md(m['name'])} {_md(m['version'])}".strip()]
    if m["purl"]:
        parts.append(f"purl `{_code(m['purl'])}`")
    if m["cpe"]:
        parts.append("CPE " + _md(m["cpe"]))
    return "; ".join(parts)


def _report_md(n: int, d: Mapping[str, Any]) -> list[str]:
    fl = d["fields"]
    status = "" if d["confirmed"] else " — **to be confirmed** (a review finding: a person must decide first)"
    lines = [
        f"## Report {n}: {_md(fl['brand'])} in {_md(fl['model_number']['name'])} — {d['clause']}{status}",
        "",
        f"**Deadline:** {d['deadline']} ({d['paragraph']}); then {d['followup']}.  ",
        f"**Report to:** {d['report_to']}.",
        "",
        "| Item the clause requires | Value |",
        "|---|---|",
        f"| Contract number | {_md(fl['contract_number'])} |",
        f"| Order number(s) | {_md(fl['order_numbers'])} |",
        f"| Supplier name | {_md(fl['supplier_name'])} |",
    ]
    if "supplier_uei" in fl:
        lines.append(f"| Supplier unique entity identifier | {_md(fl['supplier_uei'])} |")
        lines.append(f"| Supplier CAGE code | {_md(fl['supplier_cage'])} |")
    lines += [
        f"| Brand | {_md(fl['brand'])} |",
        f"| Model number | {_model_md(fl['model_number'])} |",
        f"| Item description | {_md(fl['item_description'])} |",
        f"| Mitigation | **{TO_FILL}**: mitigation actions undertaken or recommended |",
        "",
        f"Support (sbomscan finding `{d['finding']}`{', waived by a recorded waiver' if d['waived'] else ''}):",
        "",
        f"- component: {_md(d['support']['component'])}",
    ]
    lines += [f"- path: {_md(p)}" for p in d["support"]["paths"]]
    lines += [f"- evidence: {_md(e['field'])} = {_md(e['value'])}" for e in d["support"]["evidence"]]
    lines += [f"- authority: {_md(a)}" for a in d["support"]["authorities"]]
    return [*lines, ""]


def render_far_markdown(report: Report, details: ContractDetails | None = None) -> str:
    """The drafts as a Markdown document: one section per report, then the clause text used."""
    data = far_dict(report, details)
    lines = [
        "# Draft contractor reports: FAR 52.204-23(c) and 52.204-25(d)",
        "",
        f"*{data['notice']}* As of {data['as_of']}; entity data {_md(report.entity_data_label)}; "
        f"{report.tool.name} {report.tool.version}. Scan outcome: **{report.outcome}**.",
        "",
    ]
    if not data["reports"]:
        lines += ["No finding is covered by FAR 52.204-23 or 52.204-25 on this date: nothing to report.", ""]
    for n, d in enumerate(data["reports"], 1):
        lines += _report_md(n, d)
    if data["findings_not_drafted"]:
        lines += [
            f"{data['findings_not_drafted']} other finding(s) (notices, or covered by other authorities only) "
            "are not drafted here; see the full report.",
            "",
        ]
    for c in data["clauses"]:
        lines += [
            f"## Clause text used: {c['clause']}, {c['paragraph']}",
            "",
            f"> {c['text_used']}",
            "",
            f"Source: {c['source']}.",
            "",
        ]
    return "\n".join(lines)
