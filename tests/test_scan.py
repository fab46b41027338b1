"""scan(): severity rules, merging, finding ids, sources and options; the library guide's
examples run as written."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from sbomscan.entities import load_entities
from sbomscan.errors import IngestError, UsageError
from sbomscan.scan import finding_id, scan

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = HERE / "fixtures" / "entities" / "base.json"


def _bom(component: str) -> bytes:
    return (
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", '
        '"metadata": {"component": {"bom-ref": "app", "name": "App", "version": "1"}}, '
        f'"components": [{component}], "dependencies": [{{"ref": "app", "dependsOn": ["c"]}}]}}'
    ).encode()


@pytest.fixture(scope="module")
def db():  # type: ignore[no-untyped-def]
    return load_entities([BASE], include_default=False)


def test_mention_only_is_review(db) -> None:  # type: ignore[no-untyped-def]
    r = scan(
        _bom('{"bom-ref": "c", "name": "kaspersky-helper", "version": "1"}'), entities=db, as_of="2026-01-01"
    )
    (f,) = r.findings
    assert (f.entity.id, f.severity, f.confidence) == ("kaspersky", "review", "low")
    assert any("low confidence" in n for n in f.notes)


def test_former_affiliate_is_review(db) -> None:  # type: ignore[no-untyped-def]
    # Honor left Huawei on 2020-11-17 (fixture data); hihonor.com names Honor
    comp = (
        '{"bom-ref": "c", "name": "x", "supplier": {"name": "Someone", "url": ["https://www.hihonor.com"]}}'
    )
    r = scan(_bom(comp), entities=db, as_of="2026-01-01")
    (f,) = r.findings
    assert f.entity.id == "honor" and f.severity == "review"
    assert any("former affiliate" in n for n in f.notes)


def test_licensed_product_is_review(db) -> None:  # type: ignore[no-untyped-def]
    r = scan(
        _bom('{"bom-ref": "c", "name": "kaspersky-lab-engine", "version": "1"}'),
        entities=db,
        as_of="2026-01-01",
    )
    (f,) = r.findings
    assert f.entity.id == "kaspersky" and f.severity == "review"
    assert "juniper-srx-kaspersky-av" in f.licensed_products


def test_unverified_regid_is_never_prohibited(db) -> None:  # type: ignore[no-untyped-def]
    comp = '{"bom-ref": "c", "name": "x", "swid": {"tagId": "t", "name": "x", "regid": "regid.1997-07.com.kaspersky"}}'
    (f,) = scan(_bom(comp), entities=db, as_of="2026-01-01").findings
    assert f.severity == "review"
    assert any("unverified" in n for n in f.notes)


def test_evidence_merged_into_one_finding(db) -> None:  # type: ignore[no-untyped-def]
    comp = (
        '{"bom-ref": "c", "name": "kav", "supplier": {"name": "AO Kaspersky Lab"}, '
        '"cpe": "cpe:2.3:a:kaspersky:anti-virus:8:*:*:*:*:*:*:*", "purl": "pkg:github/KasperskyLab/kav@1"}'
    )
    (f,) = scan(_bom(comp), entities=db, as_of="2026-01-01").findings
    assert {e.rule for e in f.evidence} >= {"party-name", "cpe-vendor"}
    assert f.severity == "prohibited"


def test_finding_id() -> None:
    a = finding_id("ab" * 32, "ref", "kaspersky")
    assert a == finding_id("ab" * 32, "ref", "kaspersky")
    assert re.fullmatch(r"[0-9a-f]{16}", a)
    assert a != finding_id("ab" * 32, "ref", "zte") != finding_id("cd" * 32, "ref", "kaspersky")


def test_bad_options_and_sources(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError):
        scan(_bom('{"bom-ref": "c", "name": "x"}'), entities=db, as_of="yesterday")
    with pytest.raises(UsageError):
        scan(_bom('{"bom-ref": "c", "name": "x"}'), entities=db, max_paths=0)
    with pytest.raises(UsageError):
        scan([], entities=db)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IngestError, match="no SBOM files"):
        scan([empty], entities=db)


def test_directory_skips_non_sbom_files(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bom.json").write_bytes(_bom('{"bom-ref": "c", "name": "x"}'))
    (tmp_path / "notes.txt").write_text("release notes, not an SBOM\n")
    r = scan([tmp_path], entities=db, as_of=date(2026, 1, 1))
    assert len(r.documents) == 1
    assert [d.code for d in r.diagnostics if d.code == "skipped-file"] == ["skipped-file"]


def test_library_guide_examples(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "library-guide.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, "docs/library-guide.md", "exec"), {"__name__": "guide"})
    assert "hikvision" in capsys.readouterr().out
    assert os.getcwd() == str(ROOT)


# ------------------------------------------------------------------ list entries (FCC Covered List)


def _fcc(report):  # type: ignore[no-untyped-def]
    (f,) = report.findings
    return f, [a for a in f.authorities if a.id == "fcc-covered-list"]


def test_covered_list_coverage_starts_at_the_entitys_own_entry() -> None:
    comp = '{"bom-ref": "c", "name": "av", "supplier": {"name": "AO Kaspersky Lab"}}'
    f, fcc = _fcc(scan(_bom(comp), as_of="2022-01-01"))
    assert fcc == []  # AO Kaspersky Lab was added on 2022-03-25
    assert f.severity == "prohibited"  # NDAA FY18 § 1634 is in effect
    f, [a] = _fcc(scan(_bom(comp), as_of="2023-01-01"))
    assert (a.scope, a.effective, a.in_effect, a.via) == ("infosec", "2022-03-25", True, "")
    assert "entry of 2022-03-25 for AO Kaspersky Lab" in a.citation


def test_scope_limited_review_names_the_entrys_scope_not_per_entry() -> None:
    comp = '{"bom-ref": "c", "name": "ipc", "cpe": "cpe:2.3:o:hikvision:fw:5:*:*:*:*:*:*:*"}'
    f, [a] = _fcc(scan(_bom(comp), as_of="2026-01-01"))
    assert f.severity == "review"
    assert (a.scope, a.effective) == ("telecom-video", "2021-03-12")
    fcc_notes = [n for n in f.notes if n.startswith("47 CFR 1.50002")]
    assert fcc_notes == [
        "47 CFR 1.50002, entry of 2021-03-12 for Hangzhou Hikvision Digital Technology Co., Ltd. "
        "is limited in scope (telecom-video): check whether this component is such a product"
    ]
    assert not any("per-entry" in n for n in f.notes)


def test_an_entity_not_yet_listed_says_when_its_entry_takes_effect() -> None:
    comp = '{"bom-ref": "c", "name": "fc", "supplier": {"name": "SZ DJI Technology Co., Ltd."}}'
    f, [a] = _fcc(scan(_bom(comp), as_of="2025-06-01"))
    assert f.severity == "review"
    assert (a.in_effect, a.effective, a.scope) == (False, "2025-12-22", "uas-comms-video")
    assert any("takes effect on 2025-12-22" in n for n in f.notes)
    f, [a] = _fcc(scan(_bom(comp), as_of="2026-01-01"))
    assert (a.in_effect, a.scope) == (True, "uas-comms-video")


def test_subsidiary_inherits_the_listed_parents_entry() -> None:
    comp = '{"bom-ref": "c", "name": "av", "supplier": {"name": "Kaspersky Lab Switzerland GmbH"}}'
    _f, [a] = _fcc(scan(_bom(comp), as_of="2023-01-01"))
    assert (a.scope, a.effective) == ("infosec", "2022-03-25")
    assert a.via.startswith("Kaspersky Lab Switzerland GmbH —subsidiary_of→") and a.via.endswith(
        "AO Kaspersky Lab"
    )


def test_via_is_empty_for_every_authority_that_names_the_entity() -> None:
    """Directly named: no chain. A chain only where coverage comes through relations: the
    ICTS Final Determination (89 FR 52434) names Kaspersky Lab, Inc. "together with all
    affiliates, subsidiaries, and parent companies", so AO Kaspersky Lab is covered by it
    through Kaspersky Labs Limited — the one shortest chain in the data."""
    comp = '{"bom-ref": "c", "name": "av", "supplier": {"name": "AO Kaspersky Lab"}}'
    (f,) = scan(_bom(comp), as_of="2026-01-01").findings
    via = {a.id: a.via for a in f.authorities}
    named = {
        "ndaa-fy18-1634",
        "far-52-204-23",
        "dhs-bod-17-01",
        "bis-entity-list-2024-kaspersky",
        "fcc-covered-list",
    }
    assert {k: v for k, v in via.items() if k in named} == dict.fromkeys(named, "")
    assert via["bis-icts-kaspersky"] == (
        "AO Kaspersky Lab —affiliate_of→ Kaspersky Labs Limited —parent_of→ Kaspersky Lab, Inc."
    )
    assert all(e.via == () for e in f.evidence)
    comp = '{"bom-ref": "c", "name": "av", "supplier": {"name": "Kaspersky Lab, Inc."}}'
    (f,) = scan(_bom(comp), as_of="2026-01-01").findings
    via = {a.id: a.via for a in f.authorities}
    assert via["bis-icts-kaspersky"] == via["fcc-covered-list"] == ""
    assert (
        via["ndaa-fy18-1634"]
        == "Kaspersky Lab, Inc. —subsidiary_of→ Kaspersky Labs Limited —affiliate_of→ AO Kaspersky Lab"
    )


# ------------------------------------------------------------------ look-alike company names

_EVERYTHING = {
    "schema_version": 1,
    "version": "test",
    "authorities": [
        {
            "id": "test-all",
            "title": "A law covering any product",
            "effective": [{"date": "2000-01-01"}],
            "scope": "all",
        }
    ],
    "entities": [
        {"id": e, "authorities": ["test-all"]} for e in ("honor", "pacific-networks", "imou", "dahua")
    ],
}


@pytest.mark.parametrize(
    "name",
    [
        "Honor Guard Security LLC",
        "Honor Technology, Inc.",
        "Honorlock Inc.",
        "Pacific Network Solutions Ltd",
        "Trans-Pacific Networks Inc.",
        "Imou Life Sciences GmbH",
        "Dahua Property Holdings Pty Ltd",
    ],
)
def test_lookalike_company_is_never_prohibited(name: str) -> None:
    """Even if a law covered these entities for any product, a company that merely has
    one of their short names as a word of its own name is a lead for review at most."""
    comp = f'{{"bom-ref": "c", "name": "lib", "supplier": {{"name": "{name}"}}}}'
    r = scan(_bom(comp), entities=[_EVERYTHING], as_of="2026-01-01")
    assert all(f.severity == "review" for f in r.findings), [(f.entity.id, f.confidence) for f in r.findings]
    assert all(f.confidence != "high" for f in r.findings)


def test_the_whole_name_is_still_prohibited_under_such_a_law() -> None:
    comp = '{"bom-ref": "c", "name": "lib", "supplier": {"name": "Pacific Networks Corp."}}'
    (f,) = scan(_bom(comp), entities=[_EVERYTHING], as_of="2026-01-01").findings
    assert (f.entity.id, f.severity) == ("pacific-networks", "prohibited")
