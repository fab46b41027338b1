"""Matching components against entity data: positives generated from the data itself,
look-alikes that must not match, confidence levels, as-of dates, licensed products and
document-level parties."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import corpus_files, requires_corpus
from hypothesis import given, settings
from hypothesis import strategies as st
from packageurl import PackageURL

import sbomscan
from sbomscan.entities import EntityDatabase, load_entities
from sbomscan.errors import SbomscanError
from sbomscan.identifiers.text import normalize_name, normalize_text
from sbomscan.match import Confidence, Evidence, Match, Matcher, is_former, is_unverified
from sbomscan.match.index import ascii_miss as _ascii_miss
from sbomscan.model import Component, Document, ExternalRef, Hash, Party, PartyKind, Swid

FIX = Path(__file__).resolve().parent / "fixtures" / "entities"
D = date(2026, 1, 1)


def fixture_db(*overlays: Any) -> EntityDatabase:
    return load_entities(
        [FIX / "base.json", FIX / "overlay-subsidiary.json", *overlays], include_default=False
    )


DB = fixture_db()
M = Matcher(DB, as_of=D)


def comp(name: str = "x", **kw: Any) -> Component:
    return Component(id=f"d#{name}", ref=name, document="d", name=name, **kw)


def supplier(name: str, **kw: Any) -> tuple[Party, ...]:
    return (Party(name, "supplier", PartyKind.ORGANIZATION, **kw),)


def by_entity(matches: tuple[Match, ...] | list[Match]) -> dict[str, Match]:
    return {m.entity_id: m for m in matches if m.kind == "entity"}


def best(m: Match) -> Evidence:
    return m.evidence[0]


# ------------------------------------------------------------------ positives from the data


def _escape_cpe(value: str) -> str:
    return "".join(c if c.isalnum() or c in "_-." else "\\" + c for c in value)


def _fill(pattern: str | None, default: str) -> str | None:
    if pattern is None or pattern == "*":
        return default
    return pattern[:-1] + default if pattern.endswith("*") else pattern


def positive_cases(db: EntityDatabase) -> list[tuple[str, str, Component, str]]:
    """(entity id, category, component, expected rule) for every identifier the data carries."""
    cases: list[tuple[str, str, Component, str]] = []
    for eid, e in sorted(db.entities.items()):
        ids = e.identifiers
        cases.append((eid, "name", comp(f"{eid}-name", parties=supplier(e.name)), "party-name"))
        for i, al in enumerate(e.aliases):
            cases.append(
                (eid, f"alias{i}", comp(f"{eid}-alias{i}", parties=supplier(al.value)), "party-name")
            )
        for i, v in enumerate(ids.cpe_vendors):
            cpe = f"cpe:2.3:a:{_escape_cpe(v.value)}:some_product:1.0:*:*:*:*:*:*:*"
            cases.append((eid, f"cpe{i}", comp(f"{eid}-cpe{i}", cpes=(cpe,)), "cpe-vendor"))
            cases.append(
                (eid, f"cpe22-{i}", comp(f"{eid}-cpe22-{i}", cpes=(f"cpe:/a:{v.value}:p:1",)), "cpe-vendor")
            )
        for i, p in enumerate(ids.purls):
            purl = PackageURL(
                p.type, _fill(p.namespace, "sub"), _fill(p.name, "pkg") or "pkg", "1.0"
            ).to_string()
            rule = "purl-namespace" if p.namespace and p.namespace != "*" else "purl-name"
            cases.append((eid, f"purl{i}", comp(f"{eid}-purl{i}", purl=purl), rule))
        for i, v in enumerate(ids.domains):
            ref = ExternalRef("website", f"https://downloads.{v.value}/file.tgz")
            cases.append((eid, f"domain{i}", comp(f"{eid}-domain{i}", external_refs=(ref,)), "domain"))
        for i, v in enumerate(ids.email_domains):
            party = (Party("Someone", "author", PartyKind.PERSON, emails=(f"dev@{v.value}",)),)
            cases.append((eid, f"email{i}", comp(f"{eid}-email{i}", parties=party), "email-domain"))
        for i, o in enumerate(ids.vcs_orgs):
            ref = ExternalRef("vcs", f"git+https://{o.host}/{o.org}/repo.git")
            cases.append((eid, f"vcs{i}", comp(f"{eid}-vcs{i}", external_refs=(ref,)), "vcs-org"))
        for i, v in enumerate(ids.swid_regids):
            swid = Swid(tag_id="t", name="n", regid=v.value)
            cases.append((eid, f"swid{i}", comp(f"{eid}-swid{i}", swid=swid), "swid-regid"))
        for i, v in enumerate(ids.products):
            cases.append((eid, f"product{i}", comp(v.value), "product-name"))
        for i, h in enumerate(ids.hashes):
            cases.append(
                (
                    eid,
                    f"hash{i}",
                    comp(f"{eid}-hash{i}", hashes=(Hash(h.algorithm, h.value.upper()),)),
                    "hash",
                )
            )
    return cases


# Loaded at import: a broken shipped file fails collection loudly instead of quietly
# dropping every "shipped" case below.
SHIPPED = load_entities()
CASES = [("fixture", *c) for c in positive_cases(DB)]
SHIPPED_CASES = [("shipped", *c) for c in positive_cases(SHIPPED)]
CASES += SHIPPED_CASES
MATCHERS = {"fixture": M, "shipped": Matcher(SHIPPED, as_of=D)}


def test_shipped_data_loads() -> None:
    """The shipped data holds the entities the law names, and every one gives positive cases."""
    assert {"kaspersky", "huawei", "zte", "hikvision", "dahua", "hytera"} <= set(SHIPPED.entities)
    assert {c[1] for c in SHIPPED_CASES} == set(SHIPPED.entities)


@pytest.mark.parametrize(
    ("data", "entity", "category", "component", "rule"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES]
)
def test_positive_per_identifier(
    data: str, entity: str, category: str, component: Component, rule: str
) -> None:
    matcher = MATCHERS[data]
    assert matcher is not None
    found = by_entity(matcher.match_component(component))
    assert entity in found, f"{component} did not match {entity}"
    rules = {e.rule for e in found[entity].evidence}
    assert rule in rules
    top = best(found[entity])
    expected = Confidence.MEDIUM if rule == "product-name" else Confidence.HIGH
    assert top.confidence is expected


def test_every_category_is_exercised_by_the_fixture() -> None:
    cats = {c[2].rstrip("0123456789-").replace("cpe22", "cpe") for c in CASES if c[0] == "fixture"}
    assert {"name", "alias", "cpe", "purl", "domain", "email", "vcs", "swid", "product", "hash"} <= cats


# ------------------------------------------------------------------ look-alikes

# Real package names (npm, PyPI, Maven) and real company names that merely contain or
# resemble a covered vendor's name. None of them may match anything.
LOOKALIKES: list[tuple[str, str | None, str | None]] = [
    ("aztec-barcode", None, "pkg:npm/aztec-barcode@1.0.0"),
    ("aztec_code_generator", None, "pkg:pypi/aztec-code-generator@0.11"),
    ("core", "ZXing Project (Aztec decoder)", "pkg:maven/com.google.zxing/core@3.5.1"),
    ("azteca-player", "TV Azteca, S.A.B. de C.V.", None),
    ("zeta", "Zeta Global Holdings Corp.", "pkg:npm/zeta@1.0.0"),
    ("zetes-id", "Zetes Industries SA", None),
    ("ztest", None, "pkg:pypi/ztest@0.1"),
    ("zted", None, "pkg:npm/zted@0.0.1"),
    ("dahuang-utils", None, "pkg:npm/dahuang-utils@1.0.0"),
    ("dahlia", None, "pkg:pypi/dahlia@2.3.0"),
    ("dahu", None, "pkg:npm/dahu@0.1.0"),
    ("daihatsu-connect", "Daihatsu Motor Co., Ltd.", None),
    ("Kasper Skyline Games", "Kasper Skyline Games", None),
    ("kasper", None, "pkg:pypi/kasper@0.1.0"),
    ("kaspi-pay", "Kaspi.kz JSC", None),
    ("kasparov", None, "pkg:npm/kasparov@1.0.0"),
    ("kasperskyfan-theme", None, "pkg:npm/kasperskyfan-theme@1.0.0"),
    ("hikari", None, "pkg:pypi/hikari@2.0.0"),
    ("HikariCP", "Brett Wooldridge", "pkg:maven/com.zaxxer/HikariCP@5.0.1"),
    ("hikma-lims", "Hikma Pharmaceuticals PLC", None),
    ("hiking-trails", None, "pkg:npm/hiking-trails@1.0.0"),
    ("torchvision", "PyTorch", "pkg:pypi/torchvision@0.16.0"),
    ("hikvisionary", None, "pkg:npm/hikvisionary@0.1.0"),
    ("hytrust-client", "HyTrust, Inc.", None),
    ("hyster-telemetry", "Hyster-Yale Materials Handling, Inc.", None),
    ("hytec-io", "Hytec Inc", None),
    ("hyte-rgb", "HYTE", None),
    ("hyper", None, "pkg:npm/hyper@3.0.0"),
    ("hyterax", None, "pkg:pypi/hyterax@0.1"),
    ("huatai-quant", "Huatai Securities Co., Ltd.", None),
    ("huaxia-bank-sdk", "Huaxia Bank Co., Limited", None),
    ("hua-hong-pdk", "Hua Hong Semiconductor Limited", None),
    ("hua", None, "pkg:npm/hua@1.0.0"),
    ("huaweii-theme", None, "pkg:npm/huaweii-theme@1.0.0"),
    ("lorem-ipsum", None, "pkg:npm/lorem-ipsum@2.0.8"),
    ("honorable", None, "pkg:npm/honorable@1.0.0"),
    ("ezvizard", None, "pkg:npm/ezvizard@0.1.0"),
    ("kaspresso-lookalike", None, "pkg:maven/com.kasperskyx/kaspresso@1.0"),
    ("huaweix", None, "pkg:maven/com.huaweix/core@1.0"),
    ("cloud-sdk", None, "pkg:npm/%40huaweicloudfans/cloud-sdk@1.0.0"),
    ("dahua-free-docs", None, "pkg:github/someone/dahuang@1.0"),
]
LOOKALIKE_REFS: list[tuple[str, ExternalRef]] = [
    ("notkaspersky", ExternalRef("website", "https://notkaspersky.com/x")),
    ("kaspersky-dot-evil", ExternalRef("website", "https://kaspersky.com.evil.example/x")),
    ("huawei-fans", ExternalRef("website", "https://huawei-fans.org/")),
    ("kl-fan-org", ExternalRef("vcs", "https://github.com/KasperskyLabFans/tool")),
    ("zte-in-path", ExternalRef("website", "https://example.com/zte.com.cn/mirror")),
]
LOOKALIKE_CPES = ["cpe:2.3:a:aztec:barcode:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:dahuang:utils:1:*:*:*:*:*:*:*",
                  "cpe:/a:kasper:skyline", r"cpe:2.3:a:acme\:kaspersky:tool:*:*:*:*:*:*:*", "cpe:2.3:a:hikari:hikaricp:5.0:*:*:*:*:*:*:*"]  # fmt: skip


def test_enough_lookalikes() -> None:
    assert len(LOOKALIKES) + len(LOOKALIKE_REFS) + len(LOOKALIKE_CPES) >= 40


@pytest.mark.parametrize("data", ["fixture", "shipped"])
@pytest.mark.parametrize(("name", "who", "purl"), LOOKALIKES, ids=[x[0] for x in LOOKALIKES])
def test_lookalikes_do_not_match(data: str, name: str, who: str | None, purl: str | None) -> None:
    matcher = MATCHERS[data]
    if matcher is None:
        pytest.skip("the shipped entity data is still a placeholder")
    c = comp(
        name,
        purl=purl,
        parties=supplier(who) if who else (),
        copyright=(f"Copyright 2020 {who}",) if who else (),
    )
    assert matcher.match_component(c) == ()


@pytest.mark.parametrize(("name", "ref"), LOOKALIKE_REFS, ids=[x[0] for x in LOOKALIKE_REFS])
def test_lookalike_urls(name: str, ref: ExternalRef) -> None:
    assert (
        M.match_component(
            comp(name, external_refs=(ref,), parties=(Party("x", "author", emails=(f"a@{name}.example",)),))
        )
        == ()
    )


@pytest.mark.parametrize("cpe", LOOKALIKE_CPES)
def test_lookalike_cpes(cpe: str) -> None:
    assert M.match_component(comp("c", cpes=(cpe,))) == ()


# Real-looking company names with a short covered name or alias as one of their words. A
# word inside a longer party name is at most medium confidence (a lead for review, never
# "prohibited"); a word that is not the alias ("Honorlock") gives nothing at all.
LOOKALIKE_PARTIES: list[tuple[str, str | None]] = [
    ("Honor Guard Security LLC", "honor"),
    ("Honor Technology, Inc.", "honor"),
    ("Honorlock Inc.", None),
    ("Honorable Mention Games Ltd", None),
    ("Pacific Network Solutions Ltd", "pacific-networks"),
    ("Trans-Pacific Networks Inc.", "pacific-networks"),
    ("Pacific Networking Group Pty Ltd", None),
    ("Imou Life Sciences GmbH", "imou"),
    ("Dahua Property Holdings Pty Ltd", "dahua"),
    ("Hikvision Installers Association of Ohio", "hikvision"),
]


def test_autel_intelligent_technology_is_not_autel_robotics() -> None:
    """Autel Intelligent Technology (automotive tools) is not Autel Robotics; since the 1260H
    edition of 2026-06-08 it is an entity of its own (issue 10), never Autel Robotics."""
    assert SHIPPED is not None
    found = by_entity(
        Matcher(SHIPPED, as_of=D).match_component(
            comp("lib", parties=supplier("Autel Intelligent Technology Corp., Ltd."))
        )
    )
    assert set(found) == {"autel-intelligent-technology-corp"}


@pytest.mark.parametrize("on", [date(2020, 1, 1), D])
@pytest.mark.parametrize(("name", "entity"), LOOKALIKE_PARTIES, ids=[x[0] for x in LOOKALIKE_PARTIES])
def test_lookalike_parties_are_never_high(name: str, entity: str | None, on: date) -> None:
    assert SHIPPED is not None
    found = by_entity(Matcher(SHIPPED, as_of=on).match_component(comp("lib", parties=supplier(name))))
    assert set(found) == ({entity} if entity else set())
    for m in found.values():
        assert [(e.rule, e.confidence) for e in m.evidence] == [("party-alias", Confidence.MEDIUM)]


def test_one_word_entity_name_inside_a_longer_party_name_is_medium() -> None:
    """An entity whose name is one word (a brand like "Honor", "Imou") is not named by a
    company that merely has that word in its name; the whole name still is."""
    assert SHIPPED is not None
    m = Matcher(SHIPPED, as_of=D)
    [exact] = m.match_component(comp(parties=supplier("Honor")))
    assert (best(exact).rule, best(exact).confidence) == ("party-name", Confidence.HIGH)
    [inside] = m.match_component(comp(parties=supplier("Honor Guard Security LLC")))
    assert (best(inside).rule, best(inside).confidence) == ("party-alias", Confidence.MEDIUM)


def test_chain_through_an_unverified_link_is_marked_in_evidence() -> None:
    """Imou is Hangzhou Huacheng's brand; Huacheng's tie to Dahua is unverified (sale not
    confirmed), so the chain shown in the evidence says so."""
    assert SHIPPED is not None
    [m] = Matcher(SHIPPED, as_of=D).match_component(comp(parties=supplier("Imou")))
    assert m.entity_id == "imou" and is_unverified(best(m))
    assert best(m).via[0].startswith("unverified: Imou —brand_of→ Hangzhou Huacheng")


# ------------------------------------------------------------------ community clients


def test_community_client_with_its_own_vcs_identity_is_not_the_vendor() -> None:
    ref = ExternalRef("vcs", "https://github.com/someone/hikvision-unofficial-client")
    assert M.match_component(comp("hikvision-unofficial-client", external_refs=(ref,))) == ()


def test_community_client_with_its_own_author_is_not_the_vendor() -> None:
    author = (Party("Jane Doe", "author", PartyKind.PERSON),)
    assert (
        M.match_component(comp("python-hikvision", purl="pkg:pypi/python-hikvision@1.2", parties=author))
        == ()
    )


def test_community_client_with_its_own_namespace_is_not_the_vendor() -> None:
    assert M.match_component(comp("hikvision-api", purl="pkg:npm/%40someone/hikvision-api@1.0.0")) == ()
    assert (
        M.match_component(
            comp(
                "hikvision-api", group="io.github.someone", purl="pkg:maven/io.github.someone/hikvision-api@1"
            )
        )
        == ()
    )


def test_name_only_mention_is_low_at_most() -> None:
    [m] = M.match_component(comp("python-hikvision", purl="pkg:pypi/python-hikvision@1.2"))
    assert m.entity_id == "hikvision"
    assert {e.confidence for e in m.evidence} == {Confidence.LOW}
    assert best(m).rule == "name-mention"


def test_own_identity_that_is_the_vendor_keeps_the_mention() -> None:
    ref = ExternalRef("vcs", "https://github.com/KasperskyLab/kaspersky-tools")
    [m] = M.match_component(comp("kaspersky-tools", external_refs=(ref,)))
    assert [e.rule for e in m.evidence] == ["vcs-org", "name-mention"]


# ------------------------------------------------------------------ confidence levels


@pytest.mark.parametrize(
    ("component", "entity", "rule", "confidence"),
    [
        (comp(parties=supplier("Huawei Technologies Co., Ltd.")), "huawei", "party-name", Confidence.HIGH),
        (comp(parties=supplier("HUAWEI TECHNOLOGIES CO.,LTD")), "huawei", "party-name", Confidence.HIGH),
        (comp(parties=supplier("ＨＵＡＷＥＩ")), "huawei", "party-name", Confidence.HIGH),
        (comp(parties=supplier("华为技术有限公司")), "huawei", "party-name", Confidence.HIGH),
        (comp(parties=supplier("АО «Лаборатория Касперского»")), "kaspersky", "party-name", Confidence.HIGH),
        (
            comp(parties=supplier("Zhejiang Dahua Technology Co., Ltd. Hangzhou Branch")),
            "dahua",
            "party-alias",
            Confidence.HIGH,
        ),
        (comp(parties=supplier("Huawei Cloud Community")), "huawei", "party-alias", Confidence.MEDIUM),
        # a legal name inside a longer party name is HIGH only when written with its legal form
        (
            comp(parties=supplier("Zhejiang Dahua Technology Hangzhou Branch")),
            "dahua",
            "party-alias",
            Confidence.MEDIUM,
        ),
        (
            comp(parties=supplier("Honor Device Co., Ltd. Shenzhen Branch")),
            "honor",
            "party-alias",
            Confidence.HIGH,
        ),
        (
            comp(external_refs=(ExternalRef("mailing-list", "mailto:security@kaspersky.com?subject=x"),)),
            "kaspersky",
            "email-domain",
            Confidence.HIGH,
        ),
        (
            comp(external_refs=(ExternalRef("support", "Support <support@huawei.com>"),)),
            "huawei",
            "email-domain",
            Confidence.HIGH,
        ),
        # a product name on a component in someone else's purl namespace: a hint at most
        (
            comp("HMS Core", purl="pkg:npm/%40someone/hms-core@1.0.0"),
            "huawei",
            "product-name",
            Confidence.LOW,
        ),
        (
            comp(parties=(Party("Eugene Kaspersky", "author", PartyKind.PERSON),)),
            "kaspersky",
            "party-alias",
            Confidence.MEDIUM,
        ),
        # a legal name written with its legal form is the organisation, even in a person's slot
        (
            comp(parties=(Party("Huawei Technologies Co., Ltd.", "author", PartyKind.PERSON),)),
            "huawei",
            "party-name",
            Confidence.HIGH,
        ),
        (
            comp(parties=(Party("Huawei", "author", PartyKind.PERSON),)),
            "huawei",
            "party-name",
            Confidence.MEDIUM,
        ),
        (comp(parties=(Party("ZTE", "contributor"),)), "zte", "party-name", Confidence.MEDIUM),
        (comp(parties=(Party("Hytera", "originator"),)), "hytera", "party-name", Confidence.HIGH),
        (comp(parties=(Party("Hikvision", "licensor"),)), "hikvision", "party-name", Confidence.HIGH),
        (comp(parties=(Party("Hikvision", "publisher"),)), "hikvision", "party-name", Confidence.HIGH),
        (comp(parties=(Party("Hikvision", "manufacturer"),)), "hikvision", "party-name", Confidence.HIGH),
        (
            comp(parties=(Party("Acme", "supplier", urls=("https://www.hikvision.com/en/",)),)),
            "hikvision",
            "domain",
            Confidence.HIGH,
        ),
        (
            comp(copyright=("Copyright (c) 2019 Huawei Technologies Co., Ltd.",)),
            "huawei",
            "copyright-alias",
            Confidence.MEDIUM,
        ),
        (
            comp(copyright=("© 1997-2011 Kaspersky Lab ZAO. All Rights Reserved.",)),
            "kaspersky",
            "copyright-alias",
            Confidence.MEDIUM,
        ),
        (comp(description="A client for Dahua NVRs"), "dahua", "description-mention", Confidence.LOW),
        (comp("zte-modem-tools"), "zte", "name-mention", Confidence.LOW),
        (comp("tools", group="com.hytera.tools"), "hytera", "group-mention", Confidence.LOW),
        (comp("HMS Core"), "huawei", "product-name", Confidence.MEDIUM),
        (comp("HMS Core", parties=supplier("Someone Else Ltd")), "huawei", "product-name", Confidence.LOW),
        (comp("HMS Core plugin"), "huawei", "product-name", Confidence.LOW),
        (comp(purl="pkg:maven/com.huawei.hms/push@6.11.0"), "huawei", "purl-namespace", Confidence.HIGH),
        (
            comp(purl="pkg:golang/github.com/KasperskyLab/x@v1.0.0"),
            "kaspersky",
            "purl-vcs-org",
            Confidence.HIGH,
        ),
        (comp(purl="pkg:github/kasperskylab/kaspresso@1.5"), "kaspersky", "purl-namespace", Confidence.HIGH),
        (
            comp(external_refs=(ExternalRef("purl", "pkg:npm/%40huaweicloud/huaweicloud-sdk-core@3.1.0"),)),
            "huawei",
            "purl-namespace",
            Confidence.HIGH,
        ),
        (
            comp(external_refs=(ExternalRef("cpe23Type", "cpe:2.3:h:zte:f660:-:*:*:*:*:*:*:*"),)),
            "zte",
            "cpe-vendor",
            Confidence.HIGH,
        ),
        (
            comp(identities=(("cpe", "cpe:2.3:o:huawei:euleros:2.0:*:*:*:*:*:*:*"),)),
            "huawei",
            "cpe-vendor",
            Confidence.HIGH,
        ),
        (
            comp(external_refs=(ExternalRef("distribution", "https://dnl.kaspersky-labs.com/x.zip"),)),
            "kaspersky",
            "domain",
            Confidence.HIGH,
        ),
        (
            comp(external_refs=(ExternalRef("vcs", "git@github.com:huaweicloud/sdk.git"),)),
            "huawei",
            "vcs-org",
            Confidence.HIGH,
        ),
        (comp(hashes=(Hash("SHA256", "a" * 64),)), "kaspersky", "hash", Confidence.HIGH),
    ],
)
def test_confidence(component: Component, entity: str, rule: str, confidence: Confidence) -> None:
    found = by_entity(M.match_component(component))
    assert entity in found, found
    ev = [e for e in found[entity].evidence if e.rule == rule]
    assert ev, found[entity].evidence
    assert ev[0].confidence is confidence


def test_product_name_inside_someone_elses_component_is_dropped() -> None:
    """A community client named after a vendor's product, under its own namespace, is not
    the vendor's: "HMS Core plugin" in @someone's npm scope gives nothing."""
    assert M.match_component(comp("HMS Core plugin", purl="pkg:npm/%40someone/hms-core-plugin@1.0.0")) == ()
    ref = ExternalRef("vcs", "https://github.com/someone/hms-core-plugin")
    assert M.match_component(comp("HMS Core plugin", external_refs=(ref,))) == ()


def test_buyers_are_not_makers() -> None:
    for role in ("licensee", "purchaser"):
        assert M.match_component(comp(parties=(Party("Huawei Technologies Co., Ltd.", role),))) == ()


def test_evidence_is_merged_sorted_and_deterministic() -> None:
    c = comp(
        "huawei-push",
        purl="pkg:maven/com.huawei.hms/push@6.11.0",
        parties=supplier("Huawei"),
        copyright=("(c) Huawei",),
        description="Huawei push kit",
    )
    one, two = M.match_component(c), M.match_component(c)
    assert one == two
    [m] = one
    assert m.component_id == c.id and m.kind == "entity" and m.licensed_product is None
    assert [e.confidence for e in m.evidence] == sorted(
        (e.confidence for e in m.evidence), key=["high", "medium", "low"].index
    )
    assert {e.field for e in m.evidence} == {"purl", "supplier", "copyright", "name", "description"}


def test_shared_key_goes_to_the_entity_written() -> None:
    assert set(by_entity(M.match_component(comp(parties=supplier("Kaspersky Lab, Inc."))))) == {
        "kaspersky-inc"
    }
    assert set(by_entity(M.match_component(comp(parties=supplier("Kaspersky Lab"))))) == {"kaspersky"}
    assert set(by_entity(M.match_component(comp(copyright=("(c) Kaspersky Lab ZAO",))))) == {"kaspersky"}


# ------------------------------------------------------------------ control chains, as_of


def test_via_names_the_control_chain() -> None:
    found = by_entity(M.match_component(comp(parties=supplier("Kaspersky Lab, Inc."))))
    assert best(found["kaspersky-inc"]).via == (
        "Kaspersky Lab, Inc. —subsidiary_of→ Kaspersky Labs Limited —affiliate_of→ AO Kaspersky Lab",
    )
    ez = by_entity(M.match_component(comp(external_refs=(ExternalRef("website", "https://www.ezviz.com"),))))
    assert best(ez["ezviz"]).via == ("EZVIZ —brand_of→ Hangzhou Hikvision Digital Technology Co., Ltd.",)


def test_user_overlay_subsidiary_is_flagged() -> None:
    found = by_entity(M.match_component(comp(parties=supplier("ACME HOLDINGS LTD."))))
    assert best(found["acme-holdings"]).via == ("Acme Holdings —majority_owned_by→ AO Kaspersky Lab",)
    plain = Matcher(load_entities([FIX / "base.json"], include_default=False), as_of=D)
    assert plain.match_component(comp(parties=supplier("ACME HOLDINGS LTD."))) == ()


def test_former_relation_still_matches_but_says_former() -> None:
    c = comp(parties=supplier("Honor Device Co., Ltd."))
    [now] = Matcher(DB, as_of=D).match_component(c)
    assert is_former(best(now)) and best(now).via[0].startswith("former: Honor Device")
    [then] = Matcher(DB, as_of=date(2020, 1, 1)).match_component(c)
    assert not is_former(best(then)) and best(then).via == (
        "Honor Device Co., Ltd. —subsidiary_of→ Huawei Technologies Co., Ltd.",
    )
    lorex = comp(external_refs=(ExternalRef("website", "https://lorex.com"),))
    assert not is_former(best(Matcher(DB, as_of=date(2019, 1, 1)).match_component(lorex)[0]))
    assert is_former(best(Matcher(DB, as_of=D).match_component(lorex)[0]))
    # before the relation began there is no chain at all
    assert best(Matcher(DB, as_of=date(2017, 1, 1)).match_component(lorex)[0]).via == ()


def test_alias_until_gives_former_evidence_but_former_names_do_not() -> None:
    overlay = {
        "schema_version": 1,
        "version": "u",
        "entities": [
            {"id": "dahua", "aliases": [{"value": "Old Brand Cams", "kind": "brand", "until": "2022-01-01"}]}
        ],
    }
    m = Matcher(fixture_db(overlay), as_of=D)
    [old] = m.match_component(comp(parties=supplier("Old Brand Cams")))
    assert is_former(best(old))
    [before] = Matcher(fixture_db(overlay), as_of=date(2021, 1, 1)).match_component(
        comp(parties=supplier("Old Brand Cams"))
    )
    assert not is_former(best(before))
    # "Kaspersky Lab ZAO" is a former *name* of the same entity: still that entity
    [zao] = M.match_component(comp(parties=supplier("Kaspersky Lab ZAO")))
    assert zao.entity_id == "kaspersky" and not is_former(best(zao))


def test_unverified_is_marked() -> None:
    [m] = M.match_component(comp(swid=Swid("t", "n", "regid.1997-07.com.kaspersky")))
    assert is_unverified(best(m))
    [r] = M.match_component(comp(parties=supplier("Rumoured Widget Holdings")))
    assert is_unverified(best(r))
    [k] = M.match_component(comp(parties=supplier("Kaspersky")))
    assert not is_unverified(best(k))


# ------------------------------------------------------------------ licensed products


def test_licensed_product_by_name() -> None:
    ms = M.match_component(comp("kaspersky-lab-engine", version="12.1"))
    lps = [m for m in ms if m.kind == "licensed-product"]
    assert [(m.entity_id, m.licensed_product) for m in lps] == [("kaspersky", "juniper-srx-kaspersky-av")]
    ev = best(lps[0])
    assert ev.rule == "licensed-product-name" and ev.confidence is Confidence.MEDIUM
    assert ev.matched == "kaspersky-lab-engine"
    assert "Juniper Networks" in ev.via[0] and "sources: fixture" in ev.via[0]
    # the licensed-product name explains the vendor's name in it; no separate name mention
    assert [m.kind for m in ms] == ["licensed-product"]


def test_licensed_product_by_cpe_and_former_period() -> None:
    [m] = M.match_component(comp("av", cpes=("cpe:2.3:a:juniper:srx_kav_engine:1.0:*:*:*:*:*:*:*",)))
    assert (
        m.kind == "licensed-product"
        and best(m).confidence is Confidence.HIGH
        and best(m).rule == "licensed-product-cpe"
    )
    [old] = M.match_component(comp("example-av-blade"))
    assert old.licensed_product == "old-engine" and is_former(best(old))
    assert M.match_component(comp("juniper-srx", cpes=("cpe:2.3:o:juniper:junos:21.1:*:*:*:*:*:*:*",))) == ()


# ------------------------------------------------------------------ documents and graphs


def _document() -> Document:
    root = comp("product")
    lib = comp("lib")
    return Document(
        key="d",
        source="x.json",
        format="cyclonedx",
        encoding="json",
        spec_version="1.6",
        sha256="0" * 64,
        parties=(
            Party("Huawei Technologies Co., Ltd.", "supplier"),
            Party("Kaspersky Lab", "licensee"),
            Party("ZTE SBOM Generator", "tool", PartyKind.TOOL),
        ),
        roots=(root.id,),
        components=(root, lib),
    )


def test_document_parties_count_on_roots_only() -> None:
    doc = _document()
    ms = M.match_document(doc)
    assert {(m.component_id, m.entity_id) for m in ms} == {("d#product", "huawei"), ("d#product", "zte")}
    found = by_entity([m for m in ms if m.component_id == "d#product"])
    assert (
        best(found["huawei"]).field == "document.supplier"
        and best(found["huawei"]).confidence is Confidence.HIGH
    )
    assert best(found["zte"]).field == "document.tool" and best(found["zte"]).confidence is Confidence.LOW


def test_match_graph_uses_each_documents_parties() -> None:
    doc = _document()
    other = doc._replace(
        key="e",
        parties=(),
        roots=("e#r",),
        components=(Component("e#r", "r", "e", "r", parties=supplier("Dahua")),),
    )
    graph = SimpleNamespace(
        documents={"d": doc, "e": other},
        components={c.id: c for d in (doc, other) for c in d.components},
    )
    ms = M.match_graph(graph)
    assert [(m.component_id, m.entity_id) for m in ms] == [
        ("d#product", "huawei"),
        ("d#product", "zte"),
        ("e#r", "dahua"),
    ]


def test_empty_and_odd_fields_do_not_crash() -> None:
    odd = comp(
        "",
        purl="pkg:",
        cpes=("", "cpe:2.3:", "cpe:/"),
        parties=(Party("", "supplier", emails=("", "@", "a@"), urls=("", "::", "http://")),),
        external_refs=(
            ExternalRef("website", ""),
            ExternalRef("vcs", "git@:"),
            ExternalRef("purl", "pkg:npm/"),
        ),
        copyright=("",),
        hashes=(Hash("", ""),),
        swid=Swid(None, None, None),
        identities=(("purl", "nonsense"), ("cpe", "x"), ("name", "")),
    )
    assert M.match_component(odd) == ()


# ------------------------------------------------------------------ real SBOMs: no false alarms


# First words of section 1260H names that are ordinary words ("New Guomai Digital Culture",
# "Complete Genomics", "Global Tone Communication"): files containing them are still checked,
# and must give no high-confidence match either.
_ORDINARY_FIRST_WORDS = frozenset(
    {"new", "global", "complete", "better", "john", "align", "north", "inner", "merit", "oriental",
     "continental", "contemporary", "commercial", "aspire", "magnificent", "phoenix", "china",
     "chinese", "aviation", "aerospace", "semiconductor", "shanghai", "beijing", "the"}
)  # fmt: skip


@requires_corpus
def test_corpus_without_covered_vendors_gives_no_high_match() -> None:
    """The developer corpus holds ~950 real SBOMs of ordinary open-source software. A JSON
    file whose bytes name no covered vendor at all must not produce a high-confidence match
    with the shipped data, nor any match at all with the hand-built fixture data. (JSON only:
    the other encodings go through the same model and would only make the test slow.)"""
    matchers = {k: v for k, v in MATCHERS.items() if v is not None}
    names = {
        t.encode()
        for m in matchers.values()
        for e in m.db.entities.values()
        for v in (e.name, *(a.value for a in e.aliases))
        for t in normalize_name(v).split()[:1]  # the distinctive word: "kaspersky", not "group"
        if len(t) >= 3 and t.isascii() and t not in _ORDINARY_FIRST_WORDS
    }
    checked = 0
    for path in corpus_files():
        if path.suffix != ".json":
            continue
        raw = path.read_bytes().lower()
        if names & set(re.findall(rb"[a-z0-9]+", raw)):  # a name as a whole word, not "eve" in "event"
            continue
        try:
            doc = sbomscan.load(str(path))
        except (SbomscanError, ImportError):  # ImportError: a reader still being written
            continue
        checked += 1
        for data, matcher in matchers.items():
            matches = matcher.match_document(doc)
            if data == "fixture":
                assert matches == [], (path, matches[:3])
            else:
                assert not [m for m in matches if m.evidence[0].confidence is Confidence.HIGH], (
                    path,
                    matches[:3],
                )
    assert checked > 200


# ------------------------------------------------------------------ the ASCII pre-filter

_FIRST = frozenset(k[0] for k in M._phrases)
_WORDS = st.sampled_from([*sorted(t for t in _FIRST if t.isascii()), "acme", "z", "t", "e", "com", "inc"])
_SEP = st.sampled_from([" ", ".", "-", "_", ", ", "/", "(c) ", "@", "'"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_WORDS, _SEP), max_size=6), st.booleans())
def test_ascii_prefilter_never_hides_a_key(parts: list[tuple[str, str]], upper: bool) -> None:
    text = "".join(w + s for w, s in parts)
    text = text.upper() if upper else text
    if _ascii_miss(text, M._fast_first):
        assert _FIRST.isdisjoint(normalize_text(text).split()), text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_prefilter_on_any_ascii(text: str) -> None:
    if _ascii_miss(text, M._fast_first):
        assert _FIRST.isdisjoint(normalize_text(text).split())


def test_dotted_abbreviation_matches() -> None:
    found = by_entity(M.match_component(comp(parties=supplier("Z.T.E. Corporation"))))
    assert "zte" in found


def test_former_link_never_masks_current_coverage() -> None:
    auths = [
        {"id": "a1", "title": "A1", "effective": [{"date": "2018-01-01"}], "control": ["controlled_by"]},
        {"id": "a2", "title": "A2", "effective": [{"date": "2018-01-01"}], "control": ["controlled_by"]},
    ]
    ents = [
        {"id": "p1", "name": "Parent One", "authorities": ["a1"]},
        {"id": "p2", "name": "Parent Two", "authorities": ["a2"]},
        {
            "id": "sub",
            "name": "Sub Co",
            "relations": [
                {"type": "subsidiary_of", "target": "p1"},
                {"type": "subsidiary_of", "target": "p2", "until": "2020-01-01"},
            ],
        },
        # named directly by a2, and also reachable through a chain for a1: no chain shown
        {
            "id": "named",
            "name": "Named Co",
            "authorities": ["a2"],
            "relations": [{"type": "subsidiary_of", "target": "p1"}],
        },
    ]
    db = load_entities(
        [{"schema_version": 1, "version": "t", "authorities": auths, "entities": ents}], include_default=False
    )
    m = Matcher(db, as_of=D)
    [sub] = m.match_component(comp(parties=supplier("Sub Co")))
    assert best(sub).via == ("Sub Co —subsidiary_of→ Parent One",)
    assert not is_former(best(sub))
    [named] = m.match_component(comp(parties=supplier("Named Co")))
    assert best(named).via == ()
