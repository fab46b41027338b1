"""scan(): severity rules, merging, finding ids, sources and options; the library guide's
examples run as written."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from sbomscan.entities import load_entities
from sbomscan.errors import UsageError
from sbomscan.scan import SCOPE_QUESTIONS, finding_id, scan

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


def test_mention_only_is_notice(db) -> None:  # type: ignore[no-untyped-def]
    r = scan(
        _bom('{"bom-ref": "c", "name": "kaspersky-helper", "version": "1"}'), entities=db, as_of="2026-01-01"
    )
    (f,) = r.findings
    assert (f.entity.id, f.severity, f.confidence) == ("kaspersky", "notice", "low")
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
    # a folder named on the command line that holds nothing: the scan is incomplete, not an error
    r = scan([empty], entities=db)
    assert r.outcome == "incomplete" and r.verdict.exit_status == 2
    (record,) = r.inputs
    assert (record.status, record.counts) == ("not-read", True) and "no SBOM files" in record.message


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
    f, [a] = _fcc(scan(_bom(comp), as_of="2022-01-01"))
    # AO Kaspersky Lab was added on 2022-03-25: named as a law to come, not in effect
    assert (a.in_effect, a.effective, a.scope) == (False, "2022-03-25", "infosec")
    assert f.severity == "prohibited"  # NDAA FY18 § 1634 is in effect
    f, [a] = _fcc(scan(_bom(comp), as_of="2023-01-01"))
    assert (a.scope, a.effective, a.in_effect, a.via) == ("infosec", "2022-03-25", True, "")
    assert "entry of 2022-03-25 for AO Kaspersky Lab" in a.citation


def test_scope_limited_review_names_the_entrys_scope_not_per_entry() -> None:
    comp = '{"bom-ref": "c", "name": "ipc", "cpe": "cpe:2.3:o:hikvision:fw:5:*:*:*:*:*:*:*"}'
    f, [a] = _fcc(scan(_bom(comp), as_of="2026-01-01"))
    assert f.severity == "review"
    assert (a.scope, a.effective) == ("telecom-video", "2021-03-12")
    scope_notes = [n for n in f.notes if "limited in scope" in n]
    assert scope_notes == [
        "48 CFR 52.204-25; 47 CFR 1.50002, entry of 2021-03-12 for Hangzhou Hikvision Digital "
        "Technology Co., Ltd.; Pub. L. 115-232, div. A, title VIII, § 889 are limited in scope "
        "(telecom-video): check whether this component is " + SCOPE_QUESTIONS["telecom-video"]
    ]
    assert not any("per-entry" in n for n in f.notes)


def test_an_entity_not_yet_listed_says_when_its_entry_takes_effect() -> None:
    comp = '{"bom-ref": "c", "name": "fc", "supplier": {"name": "SZ DJI Technology Co., Ltd."}}'
    # before 2024-11-12, when the American Security Drone Act's FAR rule also covers DJI
    f, [a] = _fcc(scan(_bom(comp), as_of="2024-06-01"))
    assert f.severity == "notice"
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
    assert via["bis-icts-kaspersky"] == ""
    # its own FCC entry's date is unverified (issue 10): the verified chain to AO Kaspersky
    # Lab's entry is shown rather than an unverified direct naming
    assert via["fcc-covered-list"] == (
        "Kaspersky Lab, Inc. —subsidiary_of→ Kaspersky Labs Limited —affiliate_of→ AO Kaspersky Lab"
    )
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


# ------------------------------------------------------------------ every field, end to end

_FIELDS_BOM = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "metadata": {
        "component": {"bom-ref": "app", "name": "Gateway", "version": "1"},
        "supplier": {"name": "Hytera Communications Corporation Limited"},
    },
    "components": [
        {"bom-ref": "supplier", "name": "a", "supplier": {"name": "Huawei Technologies Co., Ltd."}},
        {"bom-ref": "manufacturer", "name": "b", "manufacturer": {"name": "ZTE Corporation"}},
        {
            "bom-ref": "authors",
            "name": "c",
            "authors": [
                {"name": "Hangzhou Hikvision Digital Technology Co., Ltd.", "email": "dev@example.org"}
            ],
        },
        {"bom-ref": "person", "name": "c2", "authors": [{"name": "Hikvision"}]},
        {"bom-ref": "publisher", "name": "d", "publisher": "Hytera"},
        {
            "bom-ref": "licensor",
            "name": "e",
            "licenses": [
                {
                    "license": {
                        "name": "EULA",
                        "licensing": {"licensor": {"organization": {"name": "AO Kaspersky Lab"}}},
                    }
                }
            ],
        },
        {"bom-ref": "copyright", "name": "f", "copyright": "(c) 2019 Zhejiang Dahua Technology Co., Ltd."},
        {
            "bom-ref": "evidence",
            "name": "g",
            "evidence": {"copyright": [{"text": "Copyright 2020 Huawei Technologies Co., Ltd."}]},
        },
        {
            "bom-ref": "pedigree",
            "name": "h",
            "pedigree": {
                "ancestors": [{"bom-ref": "anc", "name": "h-upstream", "supplier": {"name": "ZTE"}}]
            },
        },
        {"bom-ref": "cpe22", "name": "i", "cpe": "cpe:/a:kaspersky_lab:anti-virus:8"},
        {"bom-ref": "cpe23", "name": "j", "cpe": "cpe:2.3:h:hikvision:ds-2cd:-:*:*:*:*:*:*:*"},
        {"bom-ref": "purl", "name": "k", "purl": "pkg:maven/com.huawei.hms/push@6.11.0"},
        {
            "bom-ref": "website",
            "name": "l",
            "externalReferences": [{"type": "website", "url": "https://support.zte.com.cn/x"}],
        },
        {
            "bom-ref": "vcs",
            "name": "m",
            "externalReferences": [{"type": "vcs", "url": "git@github.com:KasperskyLab/kaspresso.git"}],
        },
        {
            "bom-ref": "mail",
            "name": "n",
            "externalReferences": [{"type": "mailing-list", "url": "mailto:list@huawei.com"}],
        },
        {
            "bom-ref": "swid",
            "name": "o",
            "swid": {"tagId": "t", "name": "o", "regid": "regid.1997-07.com.kaspersky"},
        },
        {"bom-ref": "hash", "name": "p", "hashes": [{"alg": "SHA-256", "content": "a" * 64}]},
        {"bom-ref": "name", "name": "zte-modem-tools"},
        {"bom-ref": "lookalike", "name": "aztec-barcode", "purl": "pkg:npm/aztec-barcode@1.0.0"},
    ],
    "dependencies": [{"ref": "app", "dependsOn": ["supplier"]}],
}


def test_every_identity_field_is_matched_end_to_end(db) -> None:  # type: ignore[no-untyped-def]
    """The fields of issue 3, read from a real CycloneDX document: each component names an
    entity through one field only, with the rule and confidence the documentation gives."""
    import json

    r = scan(json.dumps(_FIELDS_BOM).encode(), entities=db, as_of="2026-01-01")
    got = {
        (f.component.bom_ref, f.entity.id): {(e.field, e.rule, e.confidence) for e in f.evidence}
        for f in r.findings
    }
    expected = {
        ("app", "hytera"): {("document.supplier", "party-name", "high")},
        ("supplier", "huawei"): {("supplier", "party-name", "high")},
        ("manufacturer", "zte"): {("manufacturer", "party-name", "high")},
        ("authors", "hikvision"): {("author", "party-name", "high")},
        # a CycloneDX author is a person's slot: a bare short name there is a hint
        ("person", "hikvision"): {("author", "party-name", "medium")},
        ("publisher", "hytera"): {("publisher", "party-name", "high")},
        ("licensor", "kaspersky"): {("licensor", "party-name", "high")},
        ("copyright", "dahua"): {("copyright", "copyright-alias", "medium")},
        ("evidence", "huawei"): {("copyright", "copyright-alias", "medium")},
        ("anc", "zte"): {("supplier", "party-name", "high")},
        ("cpe22", "kaspersky"): {("cpe", "cpe-vendor", "high")},
        ("cpe23", "hikvision"): {("cpe", "cpe-vendor", "high")},
        ("purl", "huawei"): {("purl", "purl-namespace", "high")},
        ("website", "zte"): {("external_ref.website", "domain", "high")},
        ("vcs", "kaspersky"): {("external_ref.vcs", "vcs-org", "high")},
        ("mail", "huawei"): {("external_ref.mailing-list", "email-domain", "high")},
        ("swid", "kaspersky"): {("swid", "swid-regid", "high")},
        ("hash", "kaspersky"): {("hash.SHA-256", "hash", "high")},
        ("name", "zte"): {("name", "name-mention", "low")},
    }
    assert got == expected
    sev = {(f.component.bom_ref, f.entity.id): f.severity for f in r.findings}
    # § 1634 covers Kaspersky for any product; the regid is unverified in the fixture
    assert sev[("licensor", "kaspersky")] == sev[("cpe22", "kaspersky")] == "prohibited"
    assert sev[("swid", "kaspersky")] == "review"
    # a name mention alone is a notice; every other field is at least a review
    assert sev.pop(("name", "zte")) == "notice"
    assert {s for (_, e), s in sev.items() if e != "kaspersky"} == {"review"}


def test_spdx_originator_and_supplier_are_matched(db) -> None:  # type: ignore[no-untyped-def]
    import json

    spdx = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "x",
        "documentNamespace": "https://example.org/x",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: t"]},
        "packages": [
            {
                "SPDXID": "SPDXRef-a",
                "name": "a",
                "downloadLocation": "NOASSERTION",
                "originator": "Organization: AO Kaspersky Lab",
                "supplier": "Organization: Example Corp",
            }
        ],
        "documentDescribes": ["SPDXRef-a"],
    }
    (f,) = scan(json.dumps(spdx).encode(), entities=db, as_of="2026-01-01").findings
    assert (f.entity.id, f.severity) == ("kaspersky", "prohibited")
    assert [(e.field, e.rule, e.confidence) for e in f.evidence] == [("originator", "party-name", "high")]
