"""A supplier hiding a covered vendor's name: look-alike letters, invisible characters,
reversed text, spaced-out letters, disguised URL hosts, PyPI name spellings, CJK names inside
longer CJK runs, and fields nobody reads. Each is found, by the quick path as by the full
rules; a name found only by folding is ``obfuscated-name`` evidence (at least review), and
innocent look-alikes never become ``prohibited``. Also: matching time stays linear when one
alias repeats in a field (issue 9)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.entities import load_entities
from sbomscan.identifiers.fold import _table, fold_text, mixes_scripts
from sbomscan.match import Confidence, Match, Matcher
from sbomscan.model import Component, ExternalRef, Party, PartyKind

D = date(2026, 1, 1)
DB = load_entities()
M = Matcher(DB, as_of=D)
ROOT = Path(__file__).resolve().parent.parent


def comp(name: str = "x", **kw: object) -> Component:
    return Component(id=f"d#{name}", ref=name, document="d", name=name, **kw)  # type: ignore[arg-type]


def match(c: Component) -> tuple[Match, ...]:
    """Both paths of the Matcher, which must agree."""
    quick, full = M.match_component(c), M._match_full(c, ())
    assert quick == full
    return quick


def rules(c: Component) -> dict[str, set[tuple[str, str]]]:
    return {m.entity_id: {(e.rule, e.confidence.value) for e in m.evidence} for m in match(c)}


def supplier(name: str) -> tuple[Party, ...]:
    return (Party(name, "supplier", PartyKind.ORGANIZATION),)


# ------------------------------------------------------------------ confusable and invisible

DISGUISED = [
    ("K\u0430spersky", "kaspersky"),  # Cyrillic а
    ("\u0396\u03a4\u0395", "zte"),  # Greek capitals
    ("\u0397ikvision", "hikvision"),  # Greek Eta
    ("H\u0399KVISION", "hikvision"),  # Greek Iota among Latin capitals
    ("Hikvi\u0455ion", "hikvision"),  # Cyrillic dze
    ("Hua\u200bwei", "huawei"),  # zero-width space
    ("Hua\u200dwei", "huawei"),  # zero-width joiner
    ("Hua\u200cwei", "huawei"),  # zero-width non-joiner
    ("Hua\u2060wei", "huawei"),  # word joiner
    ("Hua\u00adwei", "huawei"),  # soft hyphen
    ("Hua\ufeffwei", "huawei"),  # zero-width no-break space
    ("Ka\u0301spersky", "kaspersky"),  # combining acute
    ("D\u0336ahua", "dahua"),  # combining stroke overlay
    ("\u202eyksrepsak\u202c", "kaspersky"),  # right-to-left override
    ("\u202eIEWAUH", "huawei"),  # override to the end
    ("K a s p e r s k y", "kaspersky"),
    ("K-a-s-p-e-r-s-k-y", "kaspersky"),
    ("H_i_k_v_i_s_i_o_n", "hikvision"),
    ("Z T E", "zte"),
    ("\u041a\u0430\u0455\u0440\u0435r\u0455k\u0443", "kaspersky"),  # mostly Cyrillic
]


@pytest.mark.parametrize(("text", "entity"), DISGUISED)
def test_disguised_party_name_is_obfuscated_evidence(text: str, entity: str) -> None:
    found = rules(comp(parties=supplier(text)))
    assert ("obfuscated-name", "medium") in found[entity]


@pytest.mark.parametrize(("text", "entity"), DISGUISED)
@pytest.mark.parametrize("field", ["name", "description", "copyright", "group"])
def test_disguised_name_in_any_text_field(text: str, entity: str, field: str) -> None:
    value: object = (f"Copyright 2020 {text}",) if field == "copyright" else f"{text} tools"
    c = comp(**{field: value}) if field != "name" else comp(f"{text} tools")
    assert ("obfuscated-name", "medium") in rules(c)[entity]


def test_disguise_is_found_even_on_someone_elses_component() -> None:
    """A community client is not the vendor's by a plain mention — but a disguised name is a
    red flag whoever the component claims to be."""
    plain = comp("hikvision-client", parties=supplier("Jane Doe Software"))
    assert "hikvision" not in rules(plain)
    disguised = comp("\u0397ikvision-client", parties=supplier("Jane Doe Software"))
    assert ("obfuscated-name", "medium") in rules(disguised)["hikvision"]


def test_plain_spelling_is_not_obfuscated() -> None:
    """Full-width letters and dotted abbreviations are ordinary spellings: the normal rules."""
    for text in ("\uff28\uff35\uff21\uff37\uff25\uff29", "Z.T.E.", "HUAWEI", "Лаборатория Касперского"):
        found = rules(comp(parties=supplier(text)))
        assert found and all(r != "obfuscated-name" for evs in found.values() for r, _ in evs), text


def test_obfuscated_finding_is_at_least_review() -> None:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [
            {"type": "library", "bom-ref": "a", "name": "av", "supplier": {"name": "K\u0430spersky"}},
            {"type": "library", "bom-ref": "b", "name": "Hua\u200bwei-sdk"},
        ],
    }
    report = sbomscan.scan([json.dumps(doc).encode()], as_of=D)
    got = {(f.entity.id, f.severity) for f in report.findings}
    assert got == {("kaspersky", "review"), ("huawei", "review")}
    rules_seen = {e.rule for f in report.findings for e in f.evidence}
    assert rules_seen == {"obfuscated-name"}


def test_mixed_script_party_name() -> None:
    assert mixes_scripts("K\u0430spersky") and mixes_scripts("Hua\u200bwei")
    assert not mixes_scripts("Лаборатория Касперского") and not mixes_scripts("华为技术有限公司")
    assert not mixes_scripts("Müller GmbH") and not mixes_scripts("Kaspersky")


# ------------------------------------------------------------------ URL hosts

HOSTS = [
    "https://kaspersky\u3002com/download",
    "https://kaspersky\uff0ecom/",
    "https://\uff4b\uff41\uff53\uff50\uff45\uff52\uff53\uff4b\uff59.com/",
    "https://KASPERSKY\uff0eCOM/",
    "https://kaspersky%2Ecom/",
    "https://%6Baspersky.com/",
    "https:\\\\kaspersky.com\\x",
    "https://kaspersky.com\\x\\y",
    "//kaspersky.com/x",
    "//www.kaspersky.com",
    "https://user@kaspersky%2ecom:443/",
]


@pytest.mark.parametrize("url", HOSTS)
def test_disguised_hosts_match_like_the_domain(url: str) -> None:
    assert ("domain", "high") in rules(comp(external_refs=(ExternalRef("website", url),)))["kaspersky"]
    party = (Party("Acme", "supplier", PartyKind.ORGANIZATION, urls=(url,)),)
    assert ("domain", "high") in rules(comp(parties=party))["kaspersky"]


def test_disguised_email_domain() -> None:
    party = (Party("Someone", "author", PartyKind.PERSON, emails=("dev@kaspersky\u3002com",)),)
    assert ("email-domain", "high") in rules(comp(parties=party))["kaspersky"]


@pytest.mark.parametrize(
    "url", ["https://kaspersky.com.evil.example/", "https://notkaspersky%2Ecom/", "//kaspersky-fan.example/"]
)
def test_lookalike_hosts_still_do_not_match(url: str) -> None:
    assert "kaspersky" not in rules(comp(external_refs=(ExternalRef("website", url),)))


# ------------------------------------------------------------------ purls


@pytest.mark.parametrize(
    "purl",
    [
        "pkg:pypi/huaweicloudsdkcore@3.1.0",
        "pkg:pypi/huaweicloudsdkcore",
        "pkg:pypi/HuaweiCloudSDKCore@3.1.0",
        "pkg:pypi/huaweicloudsdk_ecs@3.1.0",
        "pkg:pypi/huaweicloudsdk.ecs@3.1.0",
        "pkg:pypi/Huaweicloudsdk-ECS@3.1.0?x=1",
        "pkg:PYPI/huaweicloudsdkcore@3.1.0",
    ],
)
def test_name_only_purl_pattern_on_a_plain_purl(purl: str) -> None:
    assert ("purl-name", "high") in rules(comp(purl=purl))["huawei"]


@pytest.mark.parametrize(
    "purl", ["pkg:pypi/huaweicloud@1", "pkg:npm/huaweicloudsdkcore@1", "pkg:pypi/xhuaweicloudsdk@1"]
)
def test_name_only_pattern_is_for_its_type_and_prefix(purl: str) -> None:
    assert "huawei" not in rules(comp(purl=purl))


# ------------------------------------------------------------------ CJK runs


def test_known_cjk_name_as_the_prefix_of_a_longer_run() -> None:
    found = rules(comp(parties=supplier("华为技术有限公司深圳分公司")))
    assert ("party-alias", "high") in found["huawei"]  # the legal name with its form, a branch
    assert "huawei" in rules(comp(copyright=("版权所有 华为技术有限公司深圳分公司",)))


def test_cjk_short_name_inside_a_run() -> None:
    """With a short CJK alias in the data (an overlay here), a subsidiary's name that starts
    with it is a medium lead, not the legal entity."""
    overlay = {
        "schema_version": 1,
        "version": "t",
        "sources": {"s": {"title": "test"}},
        "entities": [{"id": "huawei", "aliases": [{"value": "华为", "kind": "short", "sources": ["s"]}]}],
    }
    m = Matcher(load_entities([overlay]), as_of=D)
    c = comp(parties=supplier("华为终端有限公司"))
    assert m.match_component(c) == m._match_full(c, ())
    [hit] = m.match_component(c)
    assert hit.entity_id == "huawei" and hit.evidence[0].confidence is Confidence.MEDIUM


def test_cjk_run_not_starting_with_a_name_is_not_cut() -> None:
    assert rules(comp(parties=supplier("深圳市某某科技有限公司"))) == {}


# ------------------------------------------------------------------ fields read now


def _cdx(component: dict[str, object]) -> bytes:
    component = {"type": "library", "bom-ref": "c", "name": "plain-lib", **component}
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]}).encode()


@pytest.mark.parametrize(
    ("component", "field", "rule"),
    [
        (
            {"properties": [{"name": "acme:origin", "value": "repackaged Huawei HMS push"}]},
            "property.acme:origin",
            "property-mention",
        ),
        (
            {
                "externalReferences": [
                    {"type": "website", "url": "https://e.example", "comment": "Huawei mirror"}
                ]
            },
            "external_ref.website.comment",
            "comment-mention",
        ),
        ({"licenses": [{"license": {"name": "Huawei Proprietary License"}}]}, "license", "license-alias"),
    ],
)
def test_cyclonedx_fields_read(component: dict[str, object], field: str, rule: str) -> None:
    doc = sbomscan.load(_cdx(component))
    [m] = M.match_document(doc)
    assert m.entity_id == "huawei" and {(e.field, e.rule) for e in m.evidence} == {(field, rule)}


def test_spdx_comment_and_annotation_read() -> None:
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "x",
        "documentNamespace": "https://e.example/x",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: t"]},
        "packages": [
            {
                "SPDXID": "SPDXRef-p",
                "name": "p",
                "downloadLocation": "NOASSERTION",
                "comment": "built from Kaspersky sources",
                "annotations": [
                    {
                        "annotationType": "REVIEW",
                        "annotator": "Person: x",
                        "annotationDate": "2024-01-01T00:00:00Z",
                        "comment": "vendor is Hikvision",
                    }
                ],
            }
        ],
    }
    found = {
        (m.entity_id, e.field, e.rule, e.confidence)
        for m in M.match_document(sbomscan.load(json.dumps(doc).encode()))
        for e in m.evidence
    }
    assert found == {
        ("kaspersky", "comment", "comment-mention", Confidence.LOW),
        ("hikvision", "annotation", "annotation-mention", Confidence.LOW),
    }


def _spdx2_commented() -> bytes:
    """A package and a file, each naming one vendor only in its comment and another only
    in an annotation (SPDX 2.3 JSON)."""

    def annotation(text: str) -> list[dict[str, str]]:
        return [
            {
                "annotationType": "REVIEW",
                "annotator": "Person: x",
                "annotationDate": "2024-01-01T00:00:00Z",
                "comment": text,
            }
        ]

    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "x",
        "documentNamespace": "https://e.example/x",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: t"]},
        "documentDescribes": ["SPDXRef-p"],
        "packages": [
            {
                "SPDXID": "SPDXRef-p",
                "name": "p",
                "downloadLocation": "NOASSERTION",
                "comment": "built from Kaspersky sources",
                "annotations": annotation("vendor is Hikvision"),
            }
        ],
        "files": [
            {
                "SPDXID": "SPDXRef-f",
                "fileName": "./f.bin",
                "checksums": [{"algorithm": "SHA1", "checksumValue": "0" * 40}],
                "comment": "Dahua firmware blob",
                "annotations": annotation("provided by ZTE"),
            }
        ],
        "relationships": [
            {"spdxElementId": "SPDXRef-p", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-f"}
        ],
    }
    return json.dumps(doc).encode()


def _spdx3_commented() -> bytes:
    """The same product as :func:`_spdx2_commented`, written by spdx-python-model as
    SPDX 3.0.1 JSON-LD: ``comment`` on the elements, Annotation elements naming them."""
    from spdx_python_model import v3_0_1 as spdx

    ci = spdx.CreationInfo(specVersion="3.0.1", created=datetime(2024, 1, 1, tzinfo=timezone.utc))
    tool = spdx.Tool(_id="https://e.example/x/tool", creationInfo=ci, name="t")
    ci.createdUsing.append(tool)
    person = spdx.Person(_id="https://e.example/x/person", creationInfo=ci, name="x")
    ci.createdBy.append(person)
    p = spdx.software_Package(
        _id="https://e.example/x/p", creationInfo=ci, name="p", comment="built from Kaspersky sources"
    )
    f = spdx.software_File(
        _id="https://e.example/x/f",
        creationInfo=ci,
        name="./f.bin",
        comment="Dahua firmware blob",
        verifiedUsing=[spdx.Hash(algorithm=spdx.HashAlgorithm.sha1, hashValue="0" * 40)],
    )
    notes = [
        spdx.Annotation(
            _id=f"https://e.example/x/a{i}",
            creationInfo=ci,
            annotationType=spdx.AnnotationType.review,
            subject=subject,
            statement=text,
        )
        for i, (subject, text) in enumerate([(p, "vendor is Hikvision"), (f, "provided by ZTE")])
    ]
    rel = spdx.Relationship(
        _id="https://e.example/x/r0",
        creationInfo=ci,
        from_=p,
        to=[f],
        relationshipType=spdx.RelationshipType.contains,
    )
    doc = spdx.SpdxDocument(_id="https://e.example/x/doc", creationInfo=ci, name="x", rootElement=[p])
    objs = spdx.SHACLObjectSet([ci, tool, person, doc, p, f, rel, *notes])
    return orjson.dumps(spdx.JSONLDSerializer().serialize_data(objs))


def test_spdx3_comment_and_annotation_are_notices() -> None:
    """A vendor named only in an SPDX 3 element's comment, or only in an Annotation's
    statement, is a low-confidence finding at notice level, as in SPDX 2."""
    r = sbomscan.scan([_spdx3_commented()], as_of=D)
    found = {(f.entity.id, f.severity, f.confidence) for f in r.findings}
    assert found == {(v, "notice", "low") for v in ("kaspersky", "hikvision", "dahua", "zte")}


def test_spdx2_and_spdx3_comments_give_the_same_evidence() -> None:
    def evidence(data: bytes) -> set[tuple[str, str, str, str, Confidence]]:
        doc = sbomscan.load(data, strict=True)
        names = {c.id: c.name for c in doc.components}
        return {
            (names[m.component_id], m.entity_id, e.field, e.rule, e.confidence)
            for m in M.match_document(doc)
            for e in m.evidence
        }

    spdx2 = evidence(_spdx2_commented())
    assert spdx2 == evidence(_spdx3_commented())
    assert spdx2 == {
        ("p", "kaspersky", "comment", "comment-mention", Confidence.LOW),
        ("p", "hikvision", "annotation", "annotation-mention", Confidence.LOW),
        ("./f.bin", "dahua", "description", "description-mention", Confidence.LOW),
        ("./f.bin", "zte", "annotation", "annotation-mention", Confidence.LOW),
    }


# ------------------------------------------------------------------ look-alikes

LOOKALIKES = [
    "Wang Huawei",
    "Li Dahua",
    "Zhang Dahua Trading Co., Ltd.",
    "Honor Guard Security LLC",
    "Honor Technology, Inc.",
    "Lorex Pharmacy",
    "Lorex Pharmacy Ltd",
    "Imou Life Sciences GmbH",
    "Pacific Network Solutions Ltd",
    "Kasper Skyline Games",
    "Aztec Barcode Systems",
    "Dahuang Utilities",
    "Hikvisionary Art Studio",
    "ZTEC Engineering",
    "Sepurator Industries",
    "Eugene Kaspersky Fan Club",
    "Honorable Mention Games Ltd",
    "Huaweii Fan Forum",
    "K-A-S Electronics",
    "Hytera Lane Bakery",
    "Η Εταιρεία Ζήτα",  # Greek text
    "Лаборатория Касперова",  # Russian, not Kaspersky's lab
    "大华银行",  # UOB's Chinese name (starts with 大华, which is not a name in the data)
]


def test_lookalikes_never_prohibited_and_counted() -> None:
    """The look-alike set of docs/entities.md: none is prohibited; the count that reaches
    review is the one stated there."""
    components = [
        {"type": "library", "bom-ref": f"c{i}", "name": f"lib{i}", "supplier": {"name": n}}
        for i, n in enumerate(LOOKALIKES)
    ]
    data = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components}).encode()
    report = sbomscan.scan([data], as_of=D)
    assert all(f.severity != "prohibited" for f in report.findings)
    names = {f"lib{i}": n for i, n in enumerate(LOOKALIKES)}
    reviewed = sorted({names[f.component.name] for f in report.findings if f.severity == "review"})
    # each by a covered name as a whole word inside a longer party name: medium party-alias
    assert {e.rule for f in report.findings for e in f.evidence} == {"party-alias"}
    assert reviewed == [
        "Eugene Kaspersky Fan Club",
        "Honor Guard Security LLC",
        "Honor Technology, Inc.",
        "Hytera Lane Bakery",
        "Imou Life Sciences GmbH",
        "Li Dahua",
        "Lorex Pharmacy",
        "Lorex Pharmacy Ltd",
        "Pacific Network Solutions Ltd",
        "Wang Huawei",
        "Zhang Dahua Trading Co., Ltd.",
    ]


# ------------------------------------------------------------------ properties

# Non-ASCII characters whose fold is one ASCII letter, by that letter (lower case)
_LOOKS: dict[str, list[str]] = {}
for _cp in sorted(_table()):
    _to = fold_text(chr(_cp))  # the whole fold: NFKD first, then the table
    if _to and len(_to) == 1 and _to.isascii() and _to.isalpha():
        _LOOKS.setdefault(_to, []).append(chr(_cp))
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u034f", "\u180e"]
MARKS = ["\u0301", "\u0308", "\u0336", "\u0323"]
ALIASES = sorted(
    {
        a.value
        for e in DB.entities.values()
        for a in (*e.aliases,)
        if a.value.isascii() and len(a.value) >= 4 and a.kind in ("short", "brand", "trade")
    }
    | {e.name for e in DB.entities.values() if e.name.isascii()}
)


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    alias = draw(st.sampled_from(ALIASES))
    out: list[str] = []
    changed = False
    for ch in alias:
        options = _LOOKS.get(ch, []) if ch.isascii() else []
        same_case = [o for o in options if o.isupper() == ch.isupper() and o.islower() == ch.islower()]
        if same_case and draw(st.booleans()):
            ch, changed = draw(st.sampled_from(same_case)), True
        out.append(ch)
        if ch.isalpha() and draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE + MARKS)))
            changed = True
    text = "".join(out)
    if not changed:
        text = alias[:1] + "\u200b" + alias[1:]
    return alias, text


def _entities_of(alias: str) -> set[str]:
    return {m.entity_id for m in M.match_component(comp(parties=supplier(alias)))}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disguised())
def test_disguised_alias_still_matches(case: tuple[str, str]) -> None:
    alias, text = case
    want = _entities_of(alias)
    got = match(comp(parties=supplier(text)))
    assert want <= {m.entity_id for m in got}
    for m in got:
        for e in m.evidence:
            if e.rule == "obfuscated-name":
                assert e.confidence is Confidence.MEDIUM


INNOCENT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
) | st.from_regex(r"[A-Za-z][a-z]{2,9}( [A-Z][a-z]{2,9}){0,3}( (Inc|LLC|Ltd|GmbH))?", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(INNOCENT)
def test_random_strings_never_prohibited_evidence(text: str) -> None:
    """No random string gives high evidence unless it plainly contains a name of the data
    (then it is no longer innocent); folding alone never gives high evidence."""
    for field in ("supplier", "name", "description"):
        c = comp(parties=supplier(text)) if field == "supplier" else comp(**{field: text})
        for m in match(c):
            for e in m.evidence:
                if e.confidence is Confidence.HIGH:
                    assert e.rule != "obfuscated-name"
                    assert fold_text(text) is None or e.rule in ("party-name", "party-alias")


# ------------------------------------------------------------------ time


_LINEAR = textwrap.dedent(
    """
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (MEMCAP, MEMCAP))
    from datetime import date, datetime, timezone
    import sbomscan
    from sbomscan.entities import load_entities
    from sbomscan.match import Matcher
    from sbomscan.model import Component, Party, PartyKind
    m = Matcher(load_entities(), as_of=date(2026, 1, 1))
    text = TEXT
    t0 = time.process_time()
    c = Component("d#x", "x", "d", "x", description=text, copyright=(text,),
                  parties=(Party(text, "supplier", PartyKind.ORGANIZATION),))
    found = m.match_component(c)
    print(json.dumps({"s": time.process_time() - t0, "entities": sorted({x.entity_id for x in found})}))
    """
)


@pytest.mark.parametrize(
    "text",
    [
        '"kaspersky " * 60_000',  # 600 kB of one alias (130 s before)
        '"Kaspersky Lab " * 40_000',
        '"K\\u0430spersky " * 40_000',  # folded text too
        '"华为技术有限公司" * 40_000',
        '"x" * 20_000_000',  # one 20 MB token
    ],
)
def test_matching_a_repeated_alias_is_linear(text: str) -> None:
    limit = 2 * 1024**3
    code = _LINEAR.replace("MEMCAP", str(limit)).replace("TEXT", text)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout)
    assert result["s"] < 15, result


def test_mixed_script_party_name_is_a_diagnostic() -> None:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"supplier": {"name": "Acme\u200b Corp"}},
        "components": [
            {"type": "library", "bom-ref": "a", "name": "a", "supplier": {"name": "Mi\u0441rosoft"}},
            {"type": "library", "bom-ref": "b", "name": "b", "supplier": {"name": "Mi\u0441rosoft"}},
            {"type": "library", "bom-ref": "c", "name": "c", "supplier": {"name": "Лаборатория Касперского"}},
            {"type": "library", "bom-ref": "d", "name": "d", "supplier": {"name": "Müller GmbH"}},
        ],
    }
    report = sbomscan.scan([json.dumps(doc).encode()], as_of=D)
    mixed = [d for d in report.diagnostics if d.code == "mixed-script-name"]
    assert [d.message for d in mixed] == [
        "party name 'Acme\\u200b Corp' mixes scripts or hides invisible characters (reads as 'Acme Corp')",
        "party name 'Mi\\u0441rosoft' mixes scripts or hides invisible characters (reads as 'Microsoft')",
    ]
    assert {d.severity for d in mixed} == {"warning"}
    assert {f.entity.id for f in report.findings} == {"kaspersky"}  # the Russian name, by the plain rules


@pytest.mark.parametrize(
    "url",
    [
        "https://k\u0430spersky.com/download",  # Cyrillic а: an IDN homograph
        "https://xn--kspersky-16g.com/",  # the same host as its A-label
        "https://XN--KSPERSKY-16G.COM/a/b",
        "//downloads.k\u0430spersky.com/x",
    ],
)
def test_look_alike_host_is_obfuscated(url: str) -> None:
    """A homograph resolves to another name, so it is not the vendor's domain; imitating it is
    a disguise all the same: medium obfuscated-name, in a reference and in a party's URLs."""
    assert rules(comp(external_refs=(ExternalRef("website", url),)))["kaspersky"] == {
        ("obfuscated-name", "medium")
    }
    party = (Party("Acme", "supplier", PartyKind.ORGANIZATION, urls=(url,)),)
    assert rules(comp(parties=party))["kaspersky"] == {("obfuscated-name", "medium")}


@pytest.mark.parametrize(
    "url", ["https://b\u00fccher.example/", "https://xn--bcher-kva.example/", "https://例え.jp/"]
)
def test_other_international_hosts_name_nobody(url: str) -> None:
    assert rules(comp(external_refs=(ExternalRef("website", url),))) == {}
