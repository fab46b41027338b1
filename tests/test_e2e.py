"""End to end over hand-written bundles in tests/fixtures/e2e: ingest → graph → match →
trace → severity → waivers → every report format."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import jsonschema_rs
import pytest

from sbomscan import scan
from sbomscan.entities import EntityDatabase, load_entities
from sbomscan.report import Finding, Report, render

HERE = Path(__file__).resolve().parent
E2E = HERE / "fixtures" / "e2e"
ENTITIES = HERE / "fixtures" / "entities" / "base.json"
OVERLAY = HERE / "fixtures" / "entities" / "overlay-subsidiary.json"
REPORT_VALIDATOR = jsonschema_rs.validator_for(
    json.loads((HERE.parent / "docs" / "report.schema.json").read_text())
)
AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def db() -> EntityDatabase:
    return load_entities([ENTITIES], include_default=False)


def by_component(report: Report) -> dict[str, Finding]:
    return {f.component.name: f for f in report.findings}


def labels(f: Finding) -> list[list[str]]:
    return [[s.label() for s in p] for p in f.paths]


def test_oem_engine_three_assemblies_deep(db: EntityDatabase) -> None:
    report = scan([E2E / "oem"], entities=db, as_of=AS_OF)
    f = by_component(report)["kav-sdk"]
    assert (f.severity, f.entity.id, f.confidence, f.tier) == ("prohibited", "kaspersky", "high", 0)
    assert labels(f) == [
        ["Secure Gateway 1.0", "gateway-platform 3.0", "engine-pack 2.1", "scan-module 5.2", "kav-sdk 8.0"]
    ]
    assert [s.relation for s in f.paths[0]] == [None, "depends on", "contains", "contains", "contains"]
    assert [a.id for a in f.authorities] == ["ndaa-fy18-1634"]
    assert f.component.pointer == "/components/0/components/0/components/0/components/0"
    assert f.document_chain[0].supplier == "Prime Systems Corp"


def test_licensor_only_is_a_finding(db: EntityDatabase) -> None:
    f = by_component(scan([E2E / "oem"], entities=db, as_of=AS_OF))["av-signatures"]
    assert f.entity.id == "kaspersky" and f.severity == "prohibited"
    assert [(e.field, e.rule) for e in f.evidence] == [("licensor", "party-name")]


def test_cpe_only_clue_under_scope_limited_law_is_review(db: EntityDatabase) -> None:
    f = by_component(scan([E2E / "oem"], entities=db, as_of=AS_OF))["lte-modem-firmware"]
    assert (f.entity.id, f.severity, f.confidence) == ("zte", "review", "high")
    assert [e.rule for e in f.evidence] == ["cpe-vendor"]
    assert any("telecom-video" in n for n in f.notes)


def test_look_alike_and_cycles(db: EntityDatabase) -> None:
    report = scan([E2E / "oem"], entities=db, as_of=AS_OF)
    names = by_component(report)
    assert "aztec-barcode" not in names  # ZTE inside "aztec" is not ZTE
    assert "loop-a" not in names and "loop-b" not in names
    assert set(names) == {"kav-sdk", "av-signatures", "lte-modem-firmware"}
    # the modem is also reachable through the loop-a/loop-b cycle; the shortest path wins
    assert labels(names["lte-modem-firmware"]) == [["Secure Gateway 1.0", "lte-modem-firmware B110"]]


def test_tier_two_through_two_bom_links_and_missing_sub_sbom(db: EntityDatabase) -> None:
    report = scan([E2E / "tiers"], entities=db, as_of=AS_OF)
    (f,) = report.findings
    assert (f.entity.id, f.tier) == ("hikvision", 2)
    assert labels(f) == [
        [
            "Perimeter Appliance 4.2",
            "camera-module 2.0",
            "camera-module-firmware 2.0",
            "codec-pack 7.3",
            "video-sdk 5.6.2",
        ]
    ]
    assert [s.relation for s in f.paths[0]].count("links to") == 2
    assert [(d.supplier, d.tier) for d in f.document_chain] == [
        ("Prime Systems Corp", 0),
        ("Optics Subcontractor Ltd", 1),
        ("Codec Works Co", 2),
    ]
    (u,) = report.unresolved_links
    assert u.component == "camera-driver-pack" and "was not supplied" in u.message
    assert report.summary.unresolved_links == 1
    assert sorted(d.tier for d in report.documents) == [0, 1, 2]


def test_flat_sbom_listed_only_with_diagnostic(db: EntityDatabase) -> None:
    report = scan([E2E / "flat"], entities=db, as_of=AS_OF)
    (f,) = report.findings
    assert f.entity.id == "huawei" and f.listed_only
    assert f.paths[0][-1].relation == "listed"
    assert any(d.code == "listed-only" for d in report.diagnostics)


def test_as_of_before_and_after_the_law(db: EntityDatabase) -> None:
    before = by_component(scan([E2E / "oem"], entities=db, as_of="2018-09-30"))["kav-sdk"]
    after = by_component(scan([E2E / "oem"], entities=db, as_of="2018-10-01"))["kav-sdk"]
    assert before.severity == "notice" and after.severity == "prohibited"
    assert before.authorities[0].in_effect is False
    assert any("takes effect on 2018-10-01" in n for n in before.notes)
    assert before.id == after.id


def test_user_overlay_adds_a_subsidiary() -> None:
    without = scan([E2E / "overlay"], entities=load_entities([ENTITIES], include_default=False), as_of=AS_OF)
    assert without.findings == ()
    with_overlay = scan(
        [E2E / "overlay"], entities=load_entities([ENTITIES, OVERLAY], include_default=False), as_of=AS_OF
    )
    (f,) = with_overlay.findings
    assert (f.entity.id, f.severity) == ("acme-holdings", "prohibited")
    assert f.authorities[0].via == "Acme Holdings —majority_owned_by→ AO Kaspersky Lab"


def test_waivers_valid_and_expired(db: EntityDatabase) -> None:
    report = scan([E2E / "oem"], entities=db, as_of=AS_OF, waivers=E2E / "waivers-valid.yaml")
    sig = by_component(report)["av-signatures"]
    assert sig.waived and sig.waiver is not None and sig.waiver.approver.startswith("J. Smith")
    assert report.summary.waived == 1 and report.summary.prohibited == 1
    assert [w.status for w in report.waivers] == ["applied"]
    assert {f.id for f in report.failing("prohibited")} == {by_component(report)["kav-sdk"].id}

    expired = scan([E2E / "oem"], entities=db, as_of=AS_OF, waivers=E2E / "waivers-expired.yaml")
    assert not by_component(expired)["kav-sdk"].waived
    assert [w.status for w in expired.waivers] == ["expired"]
    assert any(d.code == "expired-waiver" for d in expired.diagnostics)
    # the same waiver before its expiry waives every version of the purl
    early = scan([E2E / "oem"], entities=db, as_of="2019-06-01", waivers=E2E / "waivers-expired.yaml")
    assert by_component(early)["kav-sdk"].waived


def test_finding_ids_are_stable_and_order_is_deterministic(db: EntityDatabase, tmp_path: Path) -> None:
    a = scan([E2E / "oem"], entities=db, as_of=AS_OF)
    copy = tmp_path / "elsewhere.json"
    copy.write_bytes((E2E / "oem" / "gateway.cdx.json").read_bytes())
    b = scan([copy], entities=db, as_of=AS_OF)
    assert [f.id for f in a.findings] == [f.id for f in b.findings]
    assert [f.severity for f in a.findings] == ["prohibited", "prohibited", "review"]
    assert render(a, "json") == render(scan([E2E / "oem"], entities=db, as_of=AS_OF), "json")


@pytest.mark.parametrize("bundle", ["oem", "tiers", "flat", "overlay"])
def test_every_format_renders_and_json_validates(db: EntityDatabase, bundle: str) -> None:
    report = scan([E2E / bundle], entities=db, as_of=AS_OF, waivers=E2E / "waivers-valid.yaml")
    obj = json.loads(render(report, "json"))
    assert [e.message for e in REPORT_VALIDATOR.iter_errors(obj)] == []
    for fmt in ("text", "sarif", "markdown"):
        assert render(report, fmt)


def test_bytes_and_documents_as_sources(db: EntityDatabase) -> None:
    from sbomscan import load

    data = (E2E / "oem" / "gateway.cdx.json").read_bytes()
    r1 = scan(data, entities=db, as_of=AS_OF)
    r2 = scan([load(data)], entities=db, as_of=AS_OF)
    assert [f.id for f in r1.findings] == [f.id for f in r2.findings]


needs_spdx2 = pytest.mark.skipif(
    importlib.util.find_spec("sbomscan.ingest.spdx2.dict") is None,
    reason="the SPDX 2 JSON reader has not landed yet",
)
needs_spdx_tools = pytest.mark.skipif(
    importlib.util.find_spec("sbomscan.ingest.spdx2.tools") is None,
    reason="the SPDX 2 tag-value reader has not landed yet",
)


@needs_spdx2
def test_spdx_originator_in_native_script(db: EntityDatabase) -> None:
    report = scan([E2E / "spdx" / "router.spdx.json"], entities=db, as_of=AS_OF)
    found = {f.component.name: f for f in report.findings}
    assert found["threat-filter"].entity.id == "kaspersky"
    assert found["threat-filter"].severity == "prohibited"
    assert found["radio-stack"].entity.id == "huawei"
    assert labels(found["threat-filter"]) == [["edge-router 3.0", "threat-filter 11.0"]]


@needs_spdx_tools
def test_spdx_tag_value_originator(db: EntityDatabase) -> None:
    report = scan([E2E / "spdx" / "router.spdx"], entities=db, as_of=AS_OF)
    (f,) = report.findings
    assert (f.component.name, f.entity.id, f.severity) == ("threat-filter", "kaspersky", "prohibited")
