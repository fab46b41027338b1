"""Entity data, second edition (issue 10): each correction, each new identifier kind and the
public-mirror hosts, checked through the real loader, matcher and scan on the shipped data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sbomscan.entities import EntityDatabase, load_entities
from sbomscan.errors import EntityDataError
from sbomscan.match import Matcher
from sbomscan.model import Component, ExternalRef, Party
from sbomscan.scan import scan

ROOT = Path(__file__).resolve().parent.parent
DOC = json.loads((ROOT / "data" / "entities.json").read_text(encoding="utf-8"))
BEFORE_SALE, AFTER_SALE = date(2022, 7, 14), date(2022, 7, 16)


@pytest.fixture(scope="module")
def db() -> EntityDatabase:
    return load_entities()


def _bom(component: str) -> bytes:
    return (
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", '
        '"metadata": {"component": {"bom-ref": "app", "name": "App", "version": "1"}}, '
        f'"components": [{component}], "dependencies": [{{"ref": "app", "dependsOn": ["c"]}}]}}'
    ).encode()


def _current(db: EntityDatabase, eid: str, on: date) -> set[str]:
    return {c.authority for c in db.coverage(eid, on) if not c.former}


def _former(db: EntityDatabase, eid: str, on: date) -> set[str]:
    return {c.authority for c in db.coverage(eid, on) if c.former}


def _ids(db: EntityDatabase, comp: Component, on: date = date(2026, 12, 4)) -> set[str]:
    return {m.entity_id for m in Matcher(db, as_of=on).match_component(comp)}


# ------------------------------------------------------------------ corrections


def test_secure_networks_act_is_cited_at_134_stat_158() -> None:
    [fcc] = [a for a in DOC["authorities"] if a["id"] == "fcc-covered-list"]
    text = " ".join(fcc["citations"])
    assert "Pub. L. 116-124, 134 Stat. 158" in text and "133 Stat." not in text
    assert "plaw-116-124" in fcc["sources"]


def test_sepura_leaves_hytera_on_2022_07_15(db: EntityDatabase) -> None:
    assert "ndaa-fy19-889" in _current(db, "sepura", BEFORE_SALE)
    assert _current(db, "sepura", AFTER_SALE) == set()
    assert "ndaa-fy19-889" in _former(db, "sepura", AFTER_SALE)
    [rel] = db.entities["sepura"].relations
    assert (rel.target, rel.until) == ("hytera", date(2022, 7, 15))


def test_a_sepura_product_after_the_sale_is_not_prohibited() -> None:
    comp = '{"bom-ref": "c", "name": "radio-fw", "supplier": {"name": "Sepura Limited"}}'
    (f,) = scan(_bom(comp), as_of="2023-01-01").findings
    assert f.entity.id == "sepura" and f.severity != "prohibited"
    assert any("former affiliate" in n for n in f.notes)
    assert all(a.former for a in f.authorities if a.in_effect)


@pytest.mark.parametrize("eid", ["teltronic", "powertrunk"])
def test_teltronic_and_powertrunk_stay_covered_through_hytera_hong_kong(db: EntityDatabase, eid: str) -> None:
    for on in (BEFORE_SALE, AFTER_SALE, date(2026, 12, 4)):
        assert {"ndaa-fy19-889", "far-52-204-25"} <= _current(db, eid, on), (eid, on)
    [c] = [c for c in db.coverage(eid, AFTER_SALE) if c.authority == "ndaa-fy19-889"]
    assert "Hytera Communications (Hong Kong) Company Limited" in c.text and "Sepura" not in c.text
    [c] = [c for c in db.coverage(eid, BEFORE_SALE) if c.authority == "ndaa-fy19-889"]
    assert "Sepura plc" in c.text


def test_lorex_is_three_companies(db: EntityDatabase) -> None:
    names = {db.entities[e].name for e in ("lorex", "lorex-corporation", "lorex-technology-uk")}
    assert names == {"Lorex Technology Inc.", "Lorex Corporation", "Lorex Technology UK Limited"}
    assert db.entities["lorex"].aliases == ()
    for eid in ("lorex", "lorex-corporation", "lorex-technology-uk"):
        [rel] = db.entities[eid].relations
        assert (rel.target, rel.since, rel.until) == ("dahua", date(2018, 2, 6), date(2022, 11, 24))
        assert "ndaa-fy19-889" in _current(db, eid, date(2020, 1, 1))
        assert _current(db, eid, date(2023, 1, 1)) == set()
    comp = Component("d#1", "1", "d", "cam", parties=(Party("Lorex Corporation", "supplier"),))
    assert _ids(db, comp) == {"lorex-corporation"}


def test_ezviz_is_a_legal_subsidiary_as_well_as_a_brand(db: EntityDatabase) -> None:
    ez = db.entities["ezviz-network"]
    assert ez.name == "Hangzhou EZVIZ Network Co., Ltd." and ez.kind == "organization"
    assert [(r.type, r.target) for r in ez.relations] == [("subsidiary_of", "hikvision")]
    assert "ndaa-fy19-889" in _current(db, "ezviz-network", date(2026, 12, 4))
    comp = Component("d#1", "1", "d", "cam", parties=(Party("杭州萤石网络股份有限公司", "manufacturer"),))
    assert _ids(db, comp) == {"ezviz-network"}


def test_hisilicon_has_its_legal_name(db: EntityDatabase) -> None:
    comp = Component("d#1", "1", "d", "soc", parties=(Party("HiSilicon Technologies Co., Ltd.", "supplier"),))
    [m] = Matcher(db).match_component(comp)
    assert m.entity_id == "hisilicon" and m.evidence[0].confidence.value == "high"


def test_citations_that_did_not_say_it_are_replaced_or_marked(db: EntityDatabase) -> None:
    assert "inspiredflight-2025-12" not in DOC["sources"]
    for eid in ("dji", "autel-robotics"):
        [li] = db.entities[eid].listings_for("fcc-covered-list")
        assert "pillsbury-2025-12" in li.sources
    [rel] = db.entities["kaspersky-labs-gmbh"].relations
    assert rel.unverified
    [li] = db.entities["kaspersky-lab-inc"].listings
    assert li.unverified and li.since == date(2024, 9, 3)
    [cite] = db.authorities["ndaa-fy18-1634"].citations
    assert "title XVI" not in cite and "§ 1634" in cite
    kl = [c for c in db.entities["kaspersky"].identifiers.cpe_vendors if c.value == "kaspersky_lab"]
    assert kl[0].sources[0] == "nvd-cve-2007-1112"


def test_kaspersky_labs_gmbh_is_never_prohibited_on_its_unverified_ownership() -> None:
    comp = '{"bom-ref": "c", "name": "x", "supplier": {"name": "Kaspersky Labs GmbH"}}'
    (f,) = scan(_bom(comp), as_of="2026-01-01").findings
    assert f.entity.id == "kaspersky-labs-gmbh" and f.severity == "review"


# ------------------------------------------------------------------ mirror hosts


MIRROR_URLS = [
    "https://repo.huaweicloud.com/repository/pypi/packages/requests-2.31.0.tar.gz",
    "https://mirrors.huaweicloud.com/repository/maven/org/slf4j/slf4j-api/2.0.9/slf4j-api-2.0.9.jar",
    "https://REPO.HuaweiCloud.com./repository/npm/left-pad/-/left-pad-1.3.0.tgz",
    "http://cdn.repo.huaweicloud.com/x/y.rpm",
]


@pytest.mark.parametrize("url", MIRROR_URLS)
def test_a_package_from_a_huawei_mirror_is_not_huaweis(db: EntityDatabase, url: str) -> None:
    comp = Component(
        "d#1", "1", "d", "requests", version="2.31.0", external_refs=(ExternalRef("distribution", url),)
    )
    assert Matcher(db).match_component(comp) == ()


def test_the_mirror_host_case_yields_no_finding_in_a_scan() -> None:
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "app",
        "documentNamespace": "https://example.org/spdx/app-1",
        "creationInfo": {"created": "2026-12-04T00:00:00Z", "creators": ["Tool: test"]},
        "packages": [
            {
                "SPDXID": "SPDXRef-app",
                "name": "app",
                "versionInfo": "1",
                "downloadLocation": "NOASSERTION",
            },
            {
                "SPDXID": "SPDXRef-requests",
                "name": "requests",
                "versionInfo": "2.31.0",
                "supplier": "Organization: Python Software Foundation",
                "downloadLocation": MIRROR_URLS[0],
            },
        ],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-app",
            },
            {
                "spdxElementId": "SPDXRef-app",
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": "SPDXRef-requests",
            },
        ],
    }
    report = scan([json.dumps(spdx).encode()], as_of="2026-12-04")
    assert report.findings == ()


def test_huaweis_own_hosts_still_identify_it(db: EntityDatabase) -> None:
    for url in ("https://support.huaweicloud.com/sdk/", "https://developer.huawei.com/repo/"):
        comp = Component("d#1", "1", "d", "sdk", external_refs=(ExternalRef("website", url),))
        assert _ids(db, comp) == {"huawei"}, url


def test_mirror_hosts_are_validated_like_domains() -> None:
    bad = {
        "schema_version": 1,
        "version": "t",
        "sources": {"s": {"title": "t"}},
        "entities": [
            {"id": "x", "name": "X Corp", "identifiers": {"mirror_hosts": [{"value": "Not A Host"}]}}
        ],
    }
    with pytest.raises(EntityDataError) as err:
        load_entities([bad], include_default=False)
    assert "/entities/0/identifiers/mirror_hosts/0" in str(err.value)


# ------------------------------------------------------------------ identifiers


@pytest.mark.parametrize(
    ("purl", "entity"),
    [
        ("pkg:npm/%40kaspersky/hexa-ui@6.198.2", "kaspersky"),
        ("pkg:maven/com.huaweicloud/esdk-obs-java@3.23.9", "huawei"),
        ("pkg:npm/%40hmscore/react-native-hms-push@6.12.0", "huawei"),
        ("pkg:npm/%40agconnect/auth@1.9.1", "huawei"),
        ("pkg:pypi/esdk-obs-python@3.26.6", "huawei"),  # name-only patterns, quick path too
        ("pkg:pypi/agconnect@1.3.0.300", "huawei"),
        ("pkg:maven/com.dji/dji-sdk-v5-aircraft@5.3.0", "dji"),
    ],
)
def test_new_package_identifiers(db: EntityDatabase, purl: str, entity: str) -> None:
    comp = Component("d#1", "1", "d", "x", purl=purl)
    assert _ids(db, comp) == {entity}


@pytest.mark.parametrize(
    "purl",
    [
        "pkg:pypi/esdk-obs-python233@1.0",  # a clone: exact names only
        "pkg:npm/%40hms-dbmi/viv@0.13.0",  # Harvard Medical School, not HMS Core
        "pkg:maven/com.huaweicloudx/thing@1",
        "pkg:maven/com.djix/thing@1",
    ],
)
def test_look_alike_packages_are_not_matched(db: EntityDatabase, purl: str) -> None:
    assert _ids(db, Component("d#1", "1", "d", "x", purl=purl)) == set()


@pytest.mark.parametrize(
    ("url", "entity"),
    [
        ("https://github.com/HMS-Core/hms-react-native-plugin", "huawei"),
        ("https://github.com/dji-sdk/Mobile-SDK-Android-V5", "dji"),
        ("https://github.com/hikopensource/DAVAR-Lab-OCR", "hikvision"),
        ("https://www.dji.com/mavic-3-enterprise", "dji"),
    ],
)
def test_new_forge_organisations_and_domains(db: EntityDatabase, url: str, entity: str) -> None:
    comp = Component("d#1", "1", "d", "x", external_refs=(ExternalRef("vcs", url),))
    assert _ids(db, comp) == {entity}


def test_github_org_huawei_is_unverified_so_never_prohibited() -> None:
    comp = '{"bom-ref": "c", "name": "csi", "externalReferences": [{"type": "vcs", "url": "https://github.com/Huawei/eSDK_K8S_Plugin"}]}'
    (f,) = scan(_bom(comp), as_of="2026-12-04").findings
    assert f.entity.id == "huawei" and f.severity != "prohibited"


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("华为", "huawei"),
        ("華為技術有限公司", "huawei"),
        ("海康威视", "hikvision"),
        ("大华股份", "dahua"),
        ("海能达", "hytera"),
    ],
)
def test_short_and_traditional_script_names(db: EntityDatabase, name: str, entity: str) -> None:
    comp = Component("d#1", "1", "d", "x", parties=(Party(name, "supplier"),))
    assert _ids(db, comp) == {entity}


def test_left_out_identifiers_stay_out() -> None:
    """The issue's list of things not to add (docs/entities.md says why)."""
    values: set[str] = set()
    for e in DOC["entities"]:
        values |= {a["value"].casefold() for a in e.get("aliases", [])} | {e["name"].casefold()}
        for items in e.get("identifiers", {}).values():
            for it in items:
                values |= {
                    str(v).casefold() for k, v in it.items() if k in ("value", "namespace", "name", "org")
                }
    for banned in (
        "openeuler",
        "openharmony",
        "mindspore",
        "ascend",
        "autel",
        "@hms*",
        "dahua*",
        "myhuaweicloud.com",
    ):
        assert banned not in values, banned
