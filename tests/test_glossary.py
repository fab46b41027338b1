"""The officer wording shared by the text, Markdown and HTML reports (issue 11 §2):
the verdict sentence on real scans of every outcome, and the glossary and disclaimer."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import sbomscan
from sbomscan.report.glossary import DISCLAIMER, GLOSSARY, OUTCOME_WORDS, product_name, verdict_sentence
from sbomscan.report.model import OUTCOMES, SEVERITIES, Summary

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "secure-gateway"


def _bom(path: Path, components: list[dict[str, Any]], product: str = "Lobby Kiosk") -> Path:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {
            "supplier": {"name": "Northwind Systems Inc"},
            "component": {
                "bom-ref": "root",
                "name": product,
                "version": "1.0",
                "purl": "pkg:generic/kiosk@1.0",
            },
        },
        "components": components,
        "dependencies": [{"ref": "root", "dependsOn": [c["bom-ref"] for c in components]}],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _lib(ref: str, **fields: Any) -> dict[str, Any]:
    return {"bom-ref": ref, "type": "library", "name": ref, "version": "1.0", **fields}


def test_the_example_fails_and_the_sentence_says_why_in_words() -> None:
    report = sbomscan.scan([str(EXAMPLE)])
    assert verdict_sentence(report) == (
        "Fail: NW-4000 Secure Mail Gateway (2 SBOMs, 13 components) — 1 prohibited finding, "
        "1 finding to review and no notices; 1 referenced sub-SBOM was not supplied."
    )


def test_waived_findings_are_counted_apart() -> None:
    report = sbomscan.scan([str(EXAMPLE)], waivers=str(ROOT / "examples" / "waivers.yaml"))
    assert "1 prohibited finding, no findings to review and no notices (1 waived)" in verdict_sentence(report)


def test_a_clean_product_passes_in_one_sentence(tmp_path: Path) -> None:
    bom = _bom(tmp_path / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0")])
    report = sbomscan.scan([str(bom)])
    assert report.outcome == "pass"
    assert verdict_sentence(report) == (
        "Pass: Lobby Kiosk (1 SBOM, 2 components) — no covered-vendor component found."
    )


def test_gaps_are_named_so_a_pass_with_gaps_is_not_read_as_clean(tmp_path: Path) -> None:
    bom = _bom(
        tmp_path / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0"), _lib("blob-a"), _lib("blob-b")]
    )
    report = sbomscan.scan([str(bom)])
    assert verdict_sentence(report) == (
        "Pass with gaps: Lobby Kiosk (1 SBOM, 4 components) — no covered-vendor component found; "
        "2 components are opaque."
    )
    strict = sbomscan.scan([str(bom)], require_complete=True)
    assert verdict_sentence(strict).startswith("Fail: Lobby Kiosk")
    assert verdict_sentence(strict).endswith("2 components are opaque (complete SBOMs were required).")


def test_an_unreadable_input_makes_the_sentence_say_incomplete(tmp_path: Path) -> None:
    _bom(tmp_path / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0")])
    (tmp_path / "sub.cdx.json").write_text('{"bomFormat": "CycloneDX", "components": [', encoding="utf-8")
    report = sbomscan.scan([str(tmp_path)])
    assert report.outcome == "incomplete"
    assert verdict_sentence(report) == (
        "Incomplete: Lobby Kiosk (1 SBOM, 2 components) — no covered-vendor component found; "
        "1 input could not be read."
    )


def test_nothing_read_is_never_worded_as_nothing_found(tmp_path: Path) -> None:
    bad = tmp_path / "only.cdx.json"
    bad.write_text('{"bomFormat": "CycloneDX", "components": [', encoding="utf-8")
    report = sbomscan.scan([str(bad)])
    assert product_name(report) is None
    assert verdict_sentence(report) == (
        "Incomplete: the bundle (no SBOMs, no components) — no SBOM was read, so nothing was "
        "checked; 1 input could not be read."
    )


def test_the_product_name_is_the_sentence_s_own_text_unescaped(tmp_path: Path) -> None:
    """The renderers escape; the sentence carries the name exactly as the SBOM wrote it."""
    hostile = "Kiosk <script>alert(1)</script> | *x*"
    bom = _bom(tmp_path / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0")], product=hostile)
    assert f"Pass: {hostile} (1 SBOM" in verdict_sentence(sbomscan.scan([str(bom)]))


@functools.cache
def _example() -> sbomscan.Report:
    return sbomscan.scan([str(EXAMPLE)])


@given(
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(0, 3),
    st.sampled_from(OUTCOMES),
)
def test_the_sentence_counts_are_the_summary_counts(
    prohibited: int, review: int, notice: int, waived: int, outcome: str
) -> None:
    base = _example()
    total = prohibited + review + notice + waived
    report = base._replace(
        summary=Summary(total, prohibited, review, waived, 2, 13, 1, notice),
        verdict=base.verdict._replace(outcome=outcome),
    )
    sentence = verdict_sentence(report)
    assert sentence.startswith(OUTCOME_WORDS[outcome] + ": NW-4000 Secure Mail Gateway ")
    assert "\n" not in sentence and sentence.endswith(".")
    for n, words in ((prohibited, "prohibited finding"), (review, "finding"), (notice, "notice")):
        assert total == 0 or re.search(rf"\b{n or 'no'} {words}", sentence), (n, words, sentence)
    assert ("no covered-vendor component found" in sentence) == (total == 0)
    assert (f"({waived} waived)" in sentence) == bool(waived)


def test_the_glossary_explains_every_word_the_reports_use() -> None:
    terms = [term for term, _ in GLOSSARY]
    assert len(terms) == len(set(terms))
    for word in (*SEVERITIES, "tier", "confidence", "outcome", "coverage", "waived", "as-of date"):
        assert word in terms
    for outcome in OUTCOMES:
        assert OUTCOME_WORDS[outcome] in dict(GLOSSARY)["outcome"]
    for term, definition in GLOSSARY:
        assert term == term.lower() and definition.endswith(".") and "\n" not in definition
    assert "evidence, not legal advice" in DISCLAIMER
    assert "contracting officer" in DISCLAIMER
