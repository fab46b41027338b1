"""The words a procurement officer reads in every human report, kept in one place.

The text, Markdown and HTML reports all open with :func:`verdict_sentence` and close with
:data:`GLOSSARY` and :data:`DISCLAIMER`; keeping the wording here means the three can never
disagree about what ``review`` or ``tier`` means, and a correction is made once. The JSON,
SARIF and attestation forms are for machines and carry none of it.

Everything here is *plain text*: each renderer escapes it for where it is shown (Markdown,
terminal, HTML autoescaping), exactly as it escapes text from an SBOM — the product name in
the verdict sentence comes from an SBOM and may be hostile.

>>> from datetime import date
>>> from .model import Report, ToolInfo
>>> verdict_sentence(Report(2, ToolInfo("sbomscan", "0"), "t", date(2026, 1, 2), (), ()))
'Pass: the bundle (no SBOMs, no components) — no SBOM was read, so nothing was checked.'
"""

from __future__ import annotations

from typing import NamedTuple

from .model import Report, Summary

__all__ = [
    "DISCLAIMER",
    "GLOSSARY",
    "OUTCOME_WORDS",
    "Note",
    "product_name",
    "split_note",
    "verdict_sentence",
]

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "outcome",
        "The answer of the scan. Fail: a finding at or above the level the scan was told to fail "
        "on. Incomplete: a file that looks like an SBOM could not be read, so the product was not "
        "checked in full. Pass with gaps: nothing found, but part of the product could not be "
        "checked. Pass: every file read, every component checkable, nothing found.",
    ),
    (
        "prohibited",
        "A strong match to a vendor that a law or list in effect on the as-of date bars for any "
        "product, by name or through ownership or control. Act on it.",
    ),
    (
        "review",
        "A person must decide. The report lists what to check: most often whether the "
        "component is the kind of product the law covers (section 889 covers telecommunications "
        "and video surveillance equipment), or the match is weaker.",
    ),
    (
        "notice",
        "Worth knowing, not a bar: the vendor's name only appears in a name or description, or "
        "no law covers the vendor on the as-of date.",
    ),
    (
        "waived",
        "The supplier recorded an exception, with who approved it and until when. An expired "
        "waiver no longer waives anything.",
    ),
    (
        "confidence",
        "How strongly the evidence ties the component to the vendor. High: the vendor's own name "
        "as supplier or maker, its CPE vendor, package namespace or web domain. Medium: a "
        "copyright line or similar. Low: the name only appears in free text.",
    ),
    (
        "tier",
        "Whose SBOM lists the component. Tier 0 is the product's own SBOM, tier 1 an SBOM it "
        "links to (a subcontractor's), tier 2 one linked from there, and so on.",
    ),
    (
        "path",
        "How the component gets into the product, step by step from the product itself. A step "
        "into another SBOM crosses into that supplier's part of the supply chain.",
    ),
    (
        "evidence",
        "The fields of the SBOM that name the vendor, each with the value it matched.",
    ),
    (
        "authority",
        "The statute, regulation or list that covers the vendor, with its citation and the date "
        "it takes effect.",
    ),
    (
        "coverage",
        "What could be checked. A checked component carries something besides its name, such "
        "as a supplier, package identifier or hash. An opaque one has only a name and version, "
        "so a vendor's part under another name would not be seen. A sub-SBOM not supplied is a "
        "supplier's SBOM the product refers to but the bundle does not contain.",
    ),
    (
        "as-of date",
        "The date whose laws and lists the scan applied. Use the award date to judge a past decision.",
    ),
    (
        "entity data",
        "The list of covered vendors, their names, brands and identifiers, with its version. An "
        "overlay is extra data added for this scan.",
    ),
)
"""``(term, definition)`` pairs, in the order a reader meets the terms in a report."""

DISCLAIMER = (
    "sbomscan gives evidence, not legal advice. It reports what the SBOMs say, matched against "
    "the entity data named above; it cannot see what an SBOM leaves out. A prohibited finding "
    "is a strong match to a vendor covered by a law in effect on the as-of date. Whether a "
    "product may be bought, and what must be reported, is decided by the contracting officer "
    "under the clauses in the contract."
)
"""What the report is and is not, in words an officer can quote."""

OUTCOME_WORDS = {
    "fail": "Fail",
    "incomplete": "Incomplete",
    "pass-with-gaps": "Pass with gaps",
    "pass": "Pass",
}
"""Each outcome as a sentence begins with it."""


def product_name(report: Report) -> str | None:
    """The product the report is about: the name of each product (tier 0) SBOM, or its
    path when it names nothing; ``None`` when no SBOM was read.

    >>> from datetime import date
    >>> from .model import DocumentInfo, ToolInfo
    >>> def doc(path, name, tier):
    ...     return DocumentInfo(path, "cyclonedx", "json", "1.6", "0" * 64, "k", name, None, None, 1, 0, tier)
    >>> r = Report(2, ToolInfo("sbomscan", "0"), "t", date(2026, 1, 2), (doc("a.json", "Gateway", 0), doc("b.json", "Camera", 1)), ())
    >>> product_name(r)
    'Gateway'
    >>> product_name(r._replace(documents=(doc("a.json", None, 0), doc("c.json", "Router", 0))))
    'the product in a.json and Router'
    """
    if not report.documents:
        return None
    top = min(d.tier for d in report.documents)
    names = [d.name or f"the product in {d.path}" for d in report.documents if d.tier == top]
    if len(names) > 3:
        return f"{', '.join(names[:2])} and {len(names) - 2} other products"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _count(n: int, one: str, many: str) -> str:
    """``"1 notice"``, ``"2 notices"``, ``"no notices"``."""
    return f"{n if n else 'no'} {one if n == 1 else many}"


def _findings(s: Summary) -> str:
    """``"1 prohibited finding, 1 finding to review and no notices (1 waived)"``."""
    if not s.findings:
        return "no covered-vendor component found"
    parts = [
        _count(s.prohibited, "prohibited finding", "prohibited findings"),
        _count(s.review, "finding to review", "findings to review"),
        _count(s.notice, "notice", "notices"),
    ]
    text = f"{', '.join(parts[:-1])} and {parts[-1]}"
    return text + (f" ({s.waived} waived)" if s.waived else "")


def _gaps(report: Report) -> list[str]:
    c = report.coverage
    out = []
    if c.inputs_not_read_counting:
        out.append(_count(c.inputs_not_read_counting, "input could not be read", "inputs could not be read"))
    if c.missing_sboms:
        out.append(
            _count(
                c.missing_sboms,
                "referenced sub-SBOM was not supplied",
                "referenced sub-SBOMs were not supplied",
            )
        )
    if c.opaque:
        out.append(_count(c.opaque, "component is opaque", "components are opaque"))
    return out


def verdict_sentence(report: Report) -> str:
    """One plain sentence a reader can stop after: the outcome, the product, the unwaived
    findings by severity and what could not be checked.

    Plain text, not escaped: the product name comes from an SBOM, so each renderer escapes
    the sentence for where it shows it.
    """
    s = report.summary
    word = OUTCOME_WORDS.get(report.outcome, report.outcome)
    size = f"({_count(s.documents, 'SBOM', 'SBOMs')}, {_count(s.components, 'component', 'components')})"
    product = product_name(report)
    found = _findings(s) if product else "no SBOM was read, so nothing was checked"
    gaps = _gaps(report)
    tail = f"; {', '.join(gaps[:-1])}{' and ' if len(gaps) > 1 else ''}{gaps[-1]}" if gaps else ""
    if report.outcome == "fail" and not report.failing(report.verdict.fail_on):
        tail += " (complete SBOMs were required)"
    return f"{word}: {product or 'the bundle'} {size} — {found}{tail}."


class Note(NamedTuple):
    """A finding's note as a reader acts on it: ``check``, what to find out or know, as a
    sentence; ``basis``, the authorities that ask it and their scope (``None`` when the
    note names none)."""

    check: str
    basis: str | None = None


_LIMITED = " limited in scope ("
_CHECK = "): check "


def split_note(note: str) -> Note:
    """A note of :mod:`sbomscan.policy` split so the question comes first and the list of
    citations that ask it second — the scope note of a §889 finding names three
    authorities before it says what to check, which made it six lines of legal text.

    >>> split_note("48 CFR 52.204-25; Pub. L. 115-232, § 889 are limited in scope (telecom-video): "
    ...            "check whether this component is telecommunications equipment")
    Note(check='Check whether this component is telecommunications equipment.', basis='48 CFR 52.204-25; Pub. L. 115-232, § 889 (scope: telecom-video)')
    >>> split_note("former affiliate: A —owned_by→ B (the relation has ended)")
    Note(check='Former affiliate: A —owned_by→ B (the relation has ended).', basis=None)
    """
    head, sep, rest = note.partition(_LIMITED)
    scope, sep2, what = rest.partition(_CHECK)
    if sep and sep2 and head.endswith((" is", " are")):
        cites = head.rsplit(" ", 1)[0]
        return Note(_sentence(f"check {what}"), f"{cites} (scope: {scope})")
    return Note(_sentence(note))


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
