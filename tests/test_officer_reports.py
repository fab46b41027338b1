"""The Markdown and text reports as a procurement officer reads them (issue 11 §2): the
verdict sentence first, the product named, severities that look different without colour,
coverage, documents by tier, the review notes readable, the glossary and the disclaimer —
on the bundled example, a real two-supplier bundle."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import sbomscan
from sbomscan.report import render
from sbomscan.report.escape import markdown as md_escape
from sbomscan.report.glossary import DISCLAIMER, GLOSSARY, split_note, verdict_sentence
from sbomscan.report.text import WIDTH

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "secure-gateway"


@functools.cache
def _example() -> sbomscan.Report:
    return sbomscan.scan([str(EXAMPLE)])


@functools.cache
def _waived() -> sbomscan.Report:
    return sbomscan.scan([str(EXAMPLE)], waivers=str(ROOT / "examples" / "waivers.yaml"), fail_on="review")


def _unwrapped(text: str) -> str:
    return " ".join(text.split())


def test_markdown_opens_with_the_product_and_the_verdict_sentence() -> None:
    report = _example()
    lines = render(report, "markdown").splitlines()
    assert lines[0] == "# sbomscan report: NW-4000 Secure Mail Gateway"
    assert lines[2] == "⛔ **Fail:** " + md_escape(verdict_sentence(report).partition(": ")[2])
    assert "- **Product:** NW-4000 Secure Mail Gateway" in lines[:8]
    assert "- **Supplier:** Northwind Secure Systems, Inc." in lines[:8]


def test_text_opens_with_the_product_and_the_verdict_sentence() -> None:
    report = _example()
    out = render(report, "text")
    assert out.startswith("sbomscan report: NW-4000 Secure Mail Gateway\nFAIL: NW-4000 Secure Mail Gateway")
    head = _unwrapped(out[: out.index("\n\n")])
    assert head.endswith(verdict_sentence(report).partition(": ")[2])
    assert "product: NW-4000 Secure Mail Gateway, supplier Northwind Secure Systems, Inc." in out


def test_text_severities_differ_without_colour() -> None:
    """Prohibited under a heavy rule, review under a light one, waived under a wavy one —
    printed or piped, with no colour, they still look different."""
    out = render(_example(), "text")
    rules = [line for line in out.splitlines() if re.match(r"^(==|--|\.\.|~~) [A-Z]", line)]
    assert [r.split()[1] for r in rules] == ["PROHIBITED", "REVIEW"]
    assert rules[0].startswith("== PROHIBITED ==") and set(rules[0][14:]) == {"="}
    assert rules[1].startswith("-- REVIEW --") and set(rules[1][10:]) == {"-"}
    assert all(len(r) == WIDTH for r in rules)
    waived = render(_waived(), "text")
    assert "~~ WAIVED (review) ~~" in waived and "-- REVIEW" not in waived
    coloured = render(_example(), "text", color=True)
    assert "== \x1b[1;31mPROHIBITED\x1b[0m ==" in coloured and "-- \x1b[1;33mREVIEW\x1b[0m --" in coloured


def test_markdown_severities_differ_by_word_and_shape() -> None:
    out = render(_example(), "markdown")
    assert "| ⛔ PROHIBITED | AO Kaspersky Lab | av-scan-core 8.9.2 |" in out
    assert "| ⚠ REVIEW | Hangzhou Hikvision Digital Technology Co., Ltd. | ipc-firmware 5.7.3 |" in out
    assert "### ⛔ PROHIBITED: AO Kaspersky Lab in av-scan-core 8.9.2" in out
    assert "### ⚠ REVIEW: Hangzhou Hikvision Digital Technology Co., Ltd. in ipc-firmware 5.7.3" in out
    waived = render(_waived(), "markdown")
    assert "### ⊘ waived (review): Hangzhou Hikvision Digital Technology Co., Ltd. in ipc-firmware" in waived
    assert "| ⊘ waived (review) | Hangzhou Hikvision" in waived


def test_documents_are_listed_by_tier_with_hashes_off_the_table() -> None:
    """The report holds the camera module (tier 1) first; the officer reads the product's
    own SBOM first. The SHA-256 column that ran the table off the page is a list below it."""
    report = _example()
    assert [d.tier for d in report.documents] == [1, 0]
    out = render(report, "markdown")
    section = out[out.index("## Documents") : out.index("## Unresolved links")]
    rows = [line for line in section.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert [row.split(" | ")[0] for row in rows] == ["| 0", "| 1"]
    assert not any(re.search("[0-9a-f]{64}", row) for row in rows)
    hashes = [line for line in section.splitlines() if line.startswith("- ") and line.endswith("`")]
    by_tier = sorted(report.documents, key=lambda d: d.tier)
    assert hashes == [f"- {md_escape(d.path)}: `{d.sha256}`" for d in by_tier]
    coverage = out[out.index("## Coverage") : out.index("## Documents")]
    assert coverage.index("gateway-appliance") < coverage.index("camera-module")
    # unwrapped: where the text report breaks a line depends on how long the checkout's path is
    text = _unwrapped(render(report, "text"))
    assert text.index("- tier 0: ") < text.index("gateway-appliance") < text.index("- tier 1: ")


def test_coverage_is_said_in_one_line_and_per_document() -> None:
    out = render(_example(), "markdown")
    assert (
        "13 of 13 components checked, 0 opaque; 1 referenced sub-SBOM not supplied; 1 input not read "
        "(0 make the scan incomplete)."
    ) in out
    assert "| **Total** | 13 | 13 | 0 | 1 |" in out
    assert "13 of 13 components checked, 0 opaque" in _unwrapped(render(_example(), "text"))


def test_the_hikvision_review_reads_as_questions_then_citations() -> None:
    """It was one paragraph: three citations, then the question. Now each note is a
    numbered question, with the authorities that ask it on their own line below."""
    out = render(_example(), "markdown")
    lines = out.splitlines()
    at = lines.index("**What to check:**")
    first, basis, second = lines[at + 2], lines[at + 3], lines[at + 4]
    assert first.startswith("1. Check whether this component is telecommunications equipment, or video")
    assert basis.startswith("   - _Asked by:_ 48 CFR 52.204-25; 47 CFR 1.50002")
    assert basis.endswith("§ 889 \\(scope: telecom-video\\)")
    assert second.startswith("2. Check whether this component is supplied under a contract with the listed")
    assert "CFR" not in first and "CFR" not in second
    text = render(_example(), "text")
    assert "    what to check:\n      1. Check whether this component is telecommunications" in text
    assert "         asked by: 48 CFR 52.204-25; 47 CFR 1.50002" in text
    assert "review: 48 CFR" not in text and "**Review:**" not in out


def test_glossary_and_disclaimer_close_both_reports() -> None:
    md = render(_example(), "markdown")
    text = _unwrapped(render(_example(), "text"))
    assert md.rstrip().endswith(md_escape(DISCLAIMER, None))
    assert text.endswith(_unwrapped(DISCLAIMER))
    for term, definition in GLOSSARY:
        assert f"- **{term}**: {md_escape(definition, None)}" in md
        assert f"{term}: {_unwrapped(definition)}" in text


def test_no_sbom_read_is_not_a_product_name() -> None:
    report = sbomscan.scan([b'{"bomFormat": "CycloneDX", "components": ['])
    md, text = render(report, "markdown"), render(report, "text")
    assert md.startswith("# sbomscan report\n\n⚠ **Incomplete:** the bundle")
    assert text.startswith("sbomscan report\nINCOMPLETE: the bundle")
    assert "**Product:**" not in md


_NOTE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@given(_NOTE_TEXT, _NOTE_TEXT, _NOTE_TEXT, st.booleans())
def test_a_scope_note_splits_into_its_question_and_its_citations(
    cites: str, scope: str, what: str, many: bool
) -> None:
    """The policy's scope-note shape, with any citations, scope and question."""
    scope = scope.replace(")", "]")
    cites = cites.replace(" limited in scope (", " ")
    note = f"{cites} {'are' if many else 'is'} limited in scope ({scope}): check {what}"
    n = split_note(note)
    assert n.basis == f"{cites} (scope: {scope})"
    assert n.check.startswith("Check ") and what.strip() in n.check


@given(st.text(max_size=80))
def test_any_other_note_is_kept_whole(note: str) -> None:
    n = split_note(note)
    if " limited in scope (" not in note:
        assert n.basis is None
        assert n.check[1:].startswith(note.strip()[1:])


def test_the_sentence_quoted_in_the_officer_guide_is_the_one_the_example_gives() -> None:
    guide = (ROOT / "docs" / "procurement-officer.md").read_text(encoding="utf-8")
    quoted = [line for line in guide.splitlines() if line.startswith("Fail: NW-4000")]
    assert quoted == [verdict_sentence(_example())]
