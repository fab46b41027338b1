"""The authorities added in the second edition (issue 10 §2), each before and after its dates,
on the shipped data through scan(); the section 1260H list; whom each authority binds and
scanning as a kind of buyer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sbomscan.cli import main
from sbomscan.cli.options import BUYER_CHOICES
from sbomscan.entities import BUYERS, load_entities
from sbomscan.errors import EntityDataError, UsageError
from sbomscan.report.model import Finding
from sbomscan.scan import scan

ROOT = Path(__file__).resolve().parent.parent
DOC = json.loads((ROOT / "data" / "entities.json").read_text(encoding="utf-8"))


def _bom(component: str, spec: str = "1.6") -> bytes:
    return (
        f'{{"bomFormat": "CycloneDX", "specVersion": "{spec}", '
        '"metadata": {"component": {"bom-ref": "app", "name": "App", "version": "1"}}, '
        f'"components": [{component}], "dependencies": [{{"ref": "app", "dependsOn": ["c"]}}]}}'
    ).encode()


def _supplied_by(name: str) -> bytes:
    return _bom(f'{{"bom-ref": "c", "name": "part", "version": "1", "supplier": {{"name": "{name}"}}}}')


def _one(bom: bytes, as_of: str, **kw: object) -> Finding:
    (f,) = scan([bom], as_of=as_of, **kw).findings  # type: ignore[arg-type]
    return f


def _in_effect(f: Finding) -> set[str]:
    return {a.id for a in f.authorities if a.in_effect and not a.former}


# ------------------------------------------------------------------ the section 1260H list


def test_the_whole_1260h_list_of_2026_06_08_is_in_the_data() -> None:
    listed = [
        li for e in DOC["entities"] for li in e.get("listings", []) if li["authority"] == "dod-1260h-list"
    ]
    assert len(listed) == 188  # the entries of the edition, each once
    assert all(li["since"] == "2026-06-08" and "dod-1260h-2026-06" in li["sources"] for li in listed)
    db = load_entities()
    # the five already in the data carry the list's entry themselves
    for eid in ("huawei", "hikvision", "dahua", "dji", "autel-robotics"):
        assert db.entities[eid].listings_for("dod-1260h-list"), eid
    tencent = db.entities["tencent-holdings"]
    assert tencent.name == "Tencent Holdings Limited"
    assert [a.value for a in tencent.aliases] == ["Tencent"]


def test_the_list_itself_prohibits_nothing() -> None:
    db = load_entities()
    assert not db.authorities["dod-1260h-list"].prohibits
    for eid in ("tencent-holdings", "huawei"):
        assert all(c.authority != "dod-1260h-list" for c in db.coverage(eid))


def test_short_acronyms_of_the_list_are_not_aliases() -> None:
    db = load_entities()
    values = {a.value for e in db.entities.values() for a in e.aliases}
    assert {"BYD", "BOE", "CEC", "CGN", "MGI"}.isdisjoint(values)
    assert {"SMIC", "YMTC", "CXMT", "AVIC", "CETC"} <= values


# ------------------------------------------------------------------ NDAA FY24 § 805


def test_805_before_2026_06_30_nothing_applies_yet() -> None:
    f = _one(_supplied_by("Tencent Holdings Limited"), "2026-06-29")
    assert f.entity.id == "tencent-holdings" and f.severity != "prohibited"
    assert _in_effect(f) == set()
    assert any("takes effect on 2026-06-30" in n for n in f.notes)


def test_805_contracts_from_2026_06_30_are_a_review() -> None:
    f = _one(_supplied_by("Tencent Holdings Limited"), "2026-06-30")
    assert _in_effect(f) == {"ndaa-fy24-805-contracts"} and f.severity == "review"
    [a] = [a for a in f.authorities if a.id == "ndaa-fy24-805-contracts"]
    assert (a.scope, a.effective) == ("entity-contract", "2026-06-30")


def test_a_covered_entity_is_also_warned_of_a_law_to_come() -> None:
    """Covered by § 805's contracts ban, Tencent's finding also names the goods ban that
    takes effect on 2027-06-30 (an upcoming authority is announced, not applied)."""
    f = _one(_supplied_by("Tencent Holdings Limited"), "2026-12-04")
    [later] = [a for a in f.authorities if a.id == "ndaa-fy24-805-goods"]
    assert (later.in_effect, later.effective) == (False, "2027-06-30")
    assert any("takes effect on 2027-06-30" in n for n in f.notes) and f.severity == "review"


def test_805_goods_from_2027_06_30_prohibit() -> None:
    f = _one(_supplied_by("Tencent Holdings Limited"), "2027-06-29")
    assert f.severity == "review"
    f = _one(_supplied_by("Tencent Holdings Limited"), "2027-06-30")
    assert "ndaa-fy24-805-goods" in _in_effect(f) and f.severity == "prohibited"


def test_805_binds_only_dod() -> None:
    bom = _supplied_by("Tencent Holdings Limited")
    assert _one(bom, "2027-07-01", buyer="dod").severity == "prohibited"
    f = _one(bom, "2027-07-01", buyer="civilian")
    assert f.severity != "prohibited" and _in_effect(f) == set()


# ------------------------------------------------------------------ American Security Drone Act


def test_asda_dates_and_sunset() -> None:
    db = load_entities()
    a = db.authorities["asda-far-52-240-1"]
    assert [str(e.date) for e in a.effective] == ["2024-11-12", "2025-12-22"] and str(a.until) == "2028-12-22"
    bom = _supplied_by("SZ DJI Technology Co., Ltd.")
    assert "asda-far-52-240-1" not in _in_effect(_one(bom, "2024-11-11"))
    f = _one(bom, "2024-11-12")
    assert "asda-far-52-240-1" in _in_effect(f) and f.severity == "review"  # unverified entry, scope uas
    assert "asda-far-52-240-1" not in _in_effect(_one(bom, "2028-12-22"))


# ------------------------------------------------------------------ FAR 52.204-27


def test_tiktok_application_from_2023_06_02() -> None:
    bom = _bom('{"bom-ref": "c", "name": "TikTok", "version": "30.1.4", "type": "application"}')
    assert "far-52-204-27" not in _in_effect(_one(bom, "2023-06-01"))
    f = _one(bom, "2023-06-02")
    assert f.entity.id == "tiktok" and "far-52-204-27" in _in_effect(f) and f.severity == "review"


def test_bytedance_libraries_are_not_the_covered_application() -> None:
    comp = (
        '{"bom-ref": "c", "name": "sonic", "version": "1.11.0", "supplier": {"name": "ByteDance Ltd."},'
        ' "purl": "pkg:golang/github.com/bytedance/sonic@v1.11.0"}'
    )
    assert scan([_bom(comp)], as_of="2026-12-04").findings == ()


def _app(fields: str) -> bytes:
    return _bom('{"bom-ref": "c", "version": "44.1.3", "type": "application", ' + fields + "}")


@pytest.mark.parametrize(
    "fields",
    [
        '"name": "com.zhiliaoapp.musically"',
        '"name": "video app", "purl": "pkg:generic/com.zhiliaoapp.musically@44.1.3"',
        '"name": "video app", "properties": [{"name": "android:package", "value": "com.zhiliaoapp.musically"}]',
        '"name": "video app", "swid": {"tagId": "com.zhiliaoapp.musically", "name": "video app"}',
    ],
)
def test_the_tiktok_android_app_by_its_package_id(fields: str) -> None:
    """An exact application id says the component is the application itself: FAR 52.204-27's
    one question (is it the named application?) is answered, so the finding is prohibited."""
    bom = _app(fields)
    assert "far-52-204-27" not in _in_effect(_one(bom, "2023-06-01"))
    f = _one(bom, "2023-06-02")
    assert f.entity.id == "tiktok" and "far-52-204-27" in _in_effect(f)
    assert [(e.rule, e.confidence) for e in f.evidence] == [("app-id", "high")]
    assert f.severity == "prohibited" and f.notes == ()


@pytest.mark.parametrize(
    "fields",
    [
        # a ByteDance library is not the covered application
        '"group": "com.bytedance", "name": "bytehook", "purl": "pkg:maven/com.bytedance/bytehook@1.0.9"',
        '"group": "com.zhiliaoapp", "name": "musically-sdk", "purl": "pkg:maven/com.zhiliaoapp/musically-sdk@1"',
        # look-alikes: exact means the whole id, nothing longer or shorter
        '"name": "com.zhiliaoapp.musically.extra"',
        '"name": "com.zhiliaoapp"',
        '"name": "x", "purl": "pkg:generic/com.zhiliaoapp.musically.lite@1"',
        '"name": "com.zhiliaoapp.musically-clone"',
    ],
)
def test_bytedance_libraries_and_look_alike_ids_are_not_the_app(fields: str) -> None:
    assert scan([_app(fields)], as_of="2026-12-04").findings == ()


def test_app_ids_are_validated() -> None:
    def overlay(app: dict[str, object]) -> dict[str, object]:
        return {
            "schema_version": 1,
            "version": "t",
            "sources": {"s": {"title": "t"}},
            "entities": [{"id": "tiktok", "identifiers": {"app_ids": [{**app, "sources": ["s"]}]}}],
        }

    with pytest.raises(EntityDataError, match="platform"):
        load_entities([overlay({"platform": "symbian", "value": "com.example.app"})])
    with pytest.raises(EntityDataError, match="app_ids/0"):
        load_entities([overlay({"platform": "android", "value": "TikTok"})])
    db = load_entities([overlay({"platform": "ios", "value": "com.example.app"})])
    assert [(a.platform, a.value) for a in db.entities["tiktok"].identifiers.app_ids][-1] == (
        "ios",
        "com.example.app",
    )


# ------------------------------------------------------------------ NDAA FY23 § 5949


def _chip() -> bytes:
    comp = (
        '{"bom-ref": "c", "type": "device", "name": "SoC-A1", "version": "rev2",'
        ' "manufacturer": {"name": "Semiconductor Manufacturing International Corporation"}}'
    )
    return _bom(comp)


def test_5949_semiconductors_from_2027_12_23() -> None:
    f = _one(_chip(), "2027-12-22")
    assert f.entity.id == "semiconductor-manufacturing-international"
    assert "ndaa-fy23-5949" not in _in_effect(f)
    f = _one(_chip(), "2027-12-23")
    assert "ndaa-fy23-5949" in _in_effect(f)
    [a] = [a for a in f.authorities if a.id == "ndaa-fy23-5949"]
    assert a.scope == "semiconductor" and a.effective == "2027-12-23"


def test_5949_names_smic_ymtc_and_cxmt() -> None:
    db = load_entities()
    named = {eid for eid, e in db.entities.items() if "ndaa-fy23-5949" in e.authorities}
    assert named == {
        "semiconductor-manufacturing-international",
        "yangtze-memory-technologies",
        "changxin-memory-technologies",
    }


# ------------------------------------------------------------------ FASCSA order (Acronis)


def test_fascsa_acronis_order_binds_the_intelligence_community() -> None:
    bom = _supplied_by("Acronis AG")
    assert "fascsa-odni-acronis" not in _in_effect(_one(bom, "2025-07-10"))
    assert _one(bom, "2025-07-11").severity == "prohibited"
    assert _one(bom, "2025-07-11", buyer="intelligence-community").severity == "prohibited"
    f = _one(bom, "2025-07-11", buyer="dod")
    assert f.severity != "prohibited" and _in_effect(f) == set()


# ------------------------------------------------------------------ buyers


def test_every_shipped_authority_says_whom_it_binds() -> None:
    db = load_entities()
    for a in db.authorities.values():
        assert a.binds, a.id
    assert db.authorities["dhs-bod-17-01"].binds == ("civilian",)
    assert db.authorities["ndaa-fy18-1634"].binds == ("federal",)


def test_kaspersky_is_prohibited_for_every_buyer() -> None:
    bom = _supplied_by("AO Kaspersky Lab")
    for buyer in (None, *BUYERS):
        assert _one(bom, "2026-12-04", buyer=buyer).severity == "prohibited", buyer
    ids = {a.id for a in _one(bom, "2026-12-04", buyer="dod").authorities}
    assert "dhs-bod-17-01" not in ids and "ndaa-fy18-1634" in ids


def test_an_unknown_buyer_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown buyer kind 'navy'"):
        scan([_supplied_by("AO Kaspersky Lab")], buyer="navy")


def test_cli_buyer_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert BUYER_CHOICES == BUYERS
    sbom = tmp_path / "bom.json"
    sbom.write_bytes(_supplied_by("Acronis AG"))
    assert main(["scan", str(sbom), "--as-of", "2026-01-01", "--buyer", "dod", "-q"]) == 0
    assert main(["scan", str(sbom), "--as-of", "2026-01-01", "--buyer", "intelligence-community", "-q"]) == 1
    capsys.readouterr()
    assert main(["scan", str(sbom), "--buyer", "navy"]) == 2
    assert "invalid choice: 'navy'" in capsys.readouterr().err


def test_each_finding_says_whom_its_authorities_bind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = _one(_supplied_by("Tencent Holdings Limited"), "2027-07-01")
    assert {a.id: a.binds for a in f.authorities} == {
        "ndaa-fy24-805-contracts": ("dod",),
        "ndaa-fy24-805-goods": ("dod",),
    }
    sbom = tmp_path / "bom.json"
    sbom.write_bytes(_supplied_by("AO Kaspersky Lab"))
    main(["scan", str(sbom), "--as-of", "2026-12-04", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    binds = {a["id"]: a["binds"] for a in report["findings"][0]["authorities"]}
    assert binds["ndaa-fy18-1634"] == ["federal"] and binds["dhs-bod-17-01"] == ["civilian"]
    main(["scan", str(sbom), "--as-of", "2026-12-04"])
    assert "binds federal" in capsys.readouterr().out
