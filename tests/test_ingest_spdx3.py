"""SPDX 3.0.1 JSON-LD ingest: hand-written fixtures, documents written by spdx-python-model,
arbitrary JSON-LD-like input, and the developer corpus."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import FIXTURES, corpus_files, requires_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spdx_python_model import v3_0_1 as spdx

import sbomscan
from sbomscan.errors import MalformedSbomError, SbomscanError
from sbomscan.ingest.spdx3.jsonld import read_spdx3
from sbomscan.ingest.spdx3.vocab import ARTIFACT_TYPES, RELATIONSHIPS, relationship_type
from sbomscan.model import Document, EdgeKind, LinkKind, PartyKind

HERE = FIXTURES / "spdx3"
P = "https://sbomscan.example/product/"


def load(name: str, strict: bool = False) -> Document:
    return sbomscan.load(HERE / name, strict=strict)


def local(cid: str) -> str:
    return cid.split("#", 1)[1]


def by_ref(doc: Document) -> dict[str, Any]:
    return {c.ref: c for c in doc.components}


def read(obj: dict[str, Any], strict: bool = False) -> Document:
    return read_spdx3(obj, source="<test>", sha256="ab" * 32, strict=strict)


# -- the product fixture ------------------------------------------------------------------


@pytest.fixture(scope="module")
def product() -> Document:
    return load("product.spdx3.json")


def test_document_fields(product: Document) -> None:
    assert (product.format, product.encoding, product.spec_version) == ("spdx", "json-ld", "3.0.1")
    assert product.serial == P + "document"
    assert product.name == "router-firmware"
    assert [(p.name, p.role, p.kind, p.emails) for p in product.parties] == [
        ("Alice Example", "creator", PartyKind.PERSON, ("alice@sbomscan.example",)),
        ("handwritten-generator 1.0", "tool", PartyKind.TOOL, ()),
    ]


def test_every_artifact_is_a_component(product: Document) -> None:
    refs = by_ref(product)
    assert set(refs) == {
        "ex:firmware",
        *(
            P + x
            for x in (
                "hisdk",
                "avlib",
                "zlib",
                "zlib-upstream",
                "zlib-fork",
                "file/main",
                "file/main-c",
                "file/main-c-upstream",
                "file/config",
                "snippet/crc",
                "model",
                "dataset",
            )
        ),
    }
    assert product.declared_components == 13
    assert refs[P + "file/main"].origin == "file" and refs[P + "snippet/crc"].origin == "snippet"
    assert refs[P + "model"].type == "model" and refs[P + "dataset"].type == "data"
    assert refs["ex:firmware"].type == "firmware" and refs[P + "file/main"].type == "executable"
    assert refs[P + "avlib"].type == "package"


def test_root_comes_through_the_sbom_and_the_context_prefix(product: Document) -> None:
    assert [local(r) for r in product.roots] == ["ex:firmware"]
    assert not product.synthetic_root


def test_suppliers_originators_with_native_script_names(product: Document) -> None:
    refs = by_ref(product)
    sdk = refs[P + "hisdk"]
    assert [(p.name, p.role, p.kind, p.emails) for p in sdk.parties] == [
        ("华为技术有限公司", "supplier", PartyKind.ORGANIZATION, ("psirt@huawei.com",)),
        ("Alice Example", "originator", PartyKind.PERSON, ("alice@sbomscan.example",)),
    ]
    assert [(p.name, p.role) for p in refs[P + "avlib"].parties] == [
        ("АО «Лаборатория Касперского»", "supplier")
    ]
    assert [(p.name, p.role) for p in refs[P + "dataset"].parties] == [
        ("АО «Лаборатория Касперского»", "originator")
    ]
    assert [(p.name, p.role) for p in refs[P + "snippet/crc"].parties] == [
        ("Acme Widgets GmbH", "originator")
    ]
    # availableFrom names an additional supplier
    assert [(p.name, p.role) for p in refs[P + "zlib"].parties] == [("华为技术有限公司", "supplier")]


def test_identifiers_hashes_and_references(product: Document) -> None:
    refs = by_ref(product)
    sdk = refs[P + "hisdk"]
    assert sdk.purl == "pkg:generic/huawei/hi-sdk@5.0"
    assert sdk.cpes == ("cpe:2.3:a:huawei:hi-sdk:5.0:*:*:*:*:*:*:*", "cpe:/a:huawei:hi-sdk:5.0")
    assert sdk.swid is not None and sdk.swid.tag_id == "swid:huawei.com-hi-sdk-5.0"
    assert sdk.omnibor_ids == ("gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64",)
    assert [h.algorithm for h in sdk.hashes] == ["SHA-256", "SHA3-256", "BLAKE2B-512"]
    assert sdk.hashes[0].value == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert [(r.type, r.url) for r in sdk.external_refs] == [
        ("urlScheme", "https://consumer.huawei.com/sdk"),
        ("vcs", "https://git.example/hi-sdk.git"),
    ]
    assert sdk.copyright == ("Copyright (c) Huawei Technologies Co., Ltd.",)
    assert refs[P + "avlib"].purl == "pkg:generic/kaspersky/av-engine@21.3"
    fw = refs["ex:firmware"]
    assert [(r.type, r.url) for r in fw.external_refs] == [
        ("website", "https://acme.example/router"),
        ("distribution", "https://acme.example/dl/router-2.4.1.bin"),
    ]
    assert fw.description == "Firmware image of the router"
    assert refs[P + "model"].external_refs == ()  # downloadLocation NOASSERTION is no location


def test_bad_purl_is_a_diagnostic_and_kept(product: Document) -> None:
    zlib = by_ref(product)[P + "zlib"]
    assert zlib.purl is None
    assert ("purl", "not a purl") in [(r.type, r.url) for r in zlib.external_refs]
    assert any(
        d.code == "bad-purl" and d.location == "/@graph/11/software_packageUrl" for d in product.diagnostics
    )


def test_licenses_from_relationships(product: Document) -> None:
    assert by_ref(product)[P + "zlib"].licenses == ("Zlib",)  # the NOASSERTION one says nothing


def test_every_relationship_direction(product: Document) -> None:
    got = {(local(e.source), e.kind, local(e.target), e.detail) for e in product.edges}
    f = "ex:firmware"
    assert got == {
        (f, EdgeKind.CONTAINS, P + "hisdk", "contains"),
        (f, EdgeKind.CONTAINS, P + "file/main", "contains"),
        (f, EdgeKind.CONTAINS, P + "model", "contains"),
        (P + "file/main", EdgeKind.DEPENDS_ON, P + "avlib", "dependsOn (runtime)"),
        (P + "file/main", EdgeKind.DEPENDS_ON, P + "zlib", "dependsOn (runtime)"),
        # zlib-upstream ancestorOf zlib: zlib was derived from it
        (P + "zlib", EdgeKind.DERIVED_FROM, P + "zlib-upstream", "ancestorOf"),
        (P + "zlib-fork", EdgeKind.DERIVED_FROM, P + "zlib-upstream", "descendantOf"),
        (P + "zlib", EdgeKind.VARIANT_OF, P + "zlib-fork", "hasVariant"),
        # main.c generates main: main was generated from main.c
        (P + "file/main", EdgeKind.GENERATED_FROM, P + "file/main-c", "generates"),
        # upstream copiedTo main.c: main.c is a copy of upstream
        (P + "file/main-c", EdgeKind.COPY_OF, P + "file/main-c-upstream", "copiedTo"),
        (P + "file/main", EdgeKind.STATIC_LINK, P + "hisdk", "hasStaticLink"),
        (P + "file/main", EdgeKind.DYNAMIC_LINK, P + "zlib", "hasDynamicLink"),
        # config configures the firmware: the firmware has the config
        (f, EdgeKind.OTHER, P + "file/config", "configures"),
        (P + "model", EdgeKind.DERIVED_FROM, P + "dataset", "trainedOn"),
        (P + "file/main-c", EdgeKind.CONTAINS, P + "snippet/crc", "snippetFromFile"),
    }


def test_imports_become_links(product: Document) -> None:
    links = {(local(x.source), x.uri, x.document, x.ref, x.checksum) for x in product.links}
    assert all(x.kind is LinkKind.SPDX3_IMPORT for x in product.links)
    assert links == {
        # used by a relationship: the link leaves from the element that uses it
        (
            P + "hisdk",
            "https://sbomscan.example/vendor-sdk#sdk",
            "https://sbomscan.example/vendor-sdk",
            "https://sbomscan.example/vendor-sdk#sdk",
            sbomscan.model.Hash("SHA-256", "abcdef0123456789" * 4),
        ),
        (
            P + "file/main",
            "https://sbomscan.example/toolchain#cc",
            "https://sbomscan.example/toolchain",
            "https://sbomscan.example/toolchain#cc",
            None,
        ),
        # used by nothing: a document-level link from the root
        (
            "ex:firmware",
            "https://sbomscan.example/other-doc/doc",
            "https://sbomscan.example/other-doc/doc",
            "https://sbomscan.example/other-doc/doc",
            None,
        ),
    }


def test_dangling_and_none_targets(product: Document) -> None:
    dangling = [d for d in product.diagnostics if d.code == "dangling-ref"]
    assert (
        len(dangling) == 1 and P + "nowhere" in dangling[0].message and dangling[0].location == "/@graph/36"
    )
    assert not any("NoneElement" in d.message for d in product.diagnostics)


def test_strict_refuses_the_dangling_reference() -> None:
    with pytest.raises(MalformedSbomError, match="nowhere"):
        load("product.spdx3.json", strict=True)


def test_strict_accepts_the_product_once_it_is_consistent() -> None:
    obj = orjson.loads((HERE / "product.spdx3.json").read_bytes())
    obj["@graph"] = [e for e in obj["@graph"] if e.get("spdxId") != "ex:rel/missing"]
    obj["@graph"][6]["import"][1].pop("definingArtifact")
    doc = read(obj, strict=True)
    assert len(doc.components) == 13


# -- other shapes ---------------------------------------------------------------------------


def test_missing_root_gives_a_synthetic_root() -> None:
    doc = load("no-root.spdx3.json")
    assert doc.synthetic_root
    root = next(c for c in doc.components if c.id == doc.roots[0])
    assert root.origin == "synthetic-root"
    described = sorted(local(e.target) for e in doc.edges if e.kind is EdgeKind.DESCRIBES)
    assert described == ["urn:sbomscan:pkg:app", "urn:sbomscan:pkg:tool"]
    assert any(d.code == "synthetic-root" for d in doc.diagnostics)


def test_duplicate_ids_are_kept_apart() -> None:
    doc = load("duplicates.spdx3.json")
    libs = [c for c in doc.components if c.name == "lib"]
    assert [(c.ref, c.version) for c in libs] == [
        ("urn:sbomscan:pkg:lib", "1.0"),
        ("urn:sbomscan:pkg:lib~2", "2.0"),
    ]
    assert [d.code for d in doc.diagnostics] == ["duplicate-ref"]
    with pytest.raises(MalformedSbomError, match="duplicate-ref"):
        load("duplicates.spdx3.json", strict=True)


def test_a_single_element_without_graph() -> None:
    doc = load("single-element.spdx3.json")
    (c,) = doc.components
    assert (c.name, c.version) == ("modem-driver", "7.1")
    assert doc.roots == (c.id,) and not doc.synthetic_root
    assert [(p.name, p.role, p.kind) for p in c.parties] == [
        ("中兴通讯股份有限公司", "supplier", PartyKind.ORGANIZATION)
    ]
    assert [(p.name, p.role, p.kind) for p in doc.parties] == [
        ("中兴通讯股份有限公司", "creator", PartyKind.ORGANIZATION)
    ]


def test_tool_style_document() -> None:
    """Upper-case SPDX 2 relationship names, identifiers given by id, "Organization: " prefixes."""
    doc = load("tool-style.spdx3.json")
    refs = by_ref(doc)
    assert doc.spec_version == "3.0"
    assert [local(r) for r in doc.roots] == ["SPDXRef-RootPackage"]
    fw = refs["SPDXRef-RootPackage"]
    assert [(p.name, p.kind, p.emails) for p in fw.parties] == [
        ("Hikvision Digital Technology", PartyKind.ORGANIZATION, ("sbom@hikvision.example",))
    ]
    assert [(p.name, p.role, p.kind) for p in doc.parties][1] == ("sbom-writer-0.1", "tool", PartyKind.TOOL)
    ssl = refs["SPDXRef-Package-ssl"]
    assert ssl.purl == "pkg:generic/openssl@3.0.13" and ssl.licenses == ("Apache-2.0",)
    assert {(local(e.source), e.kind, local(e.target), e.detail) for e in doc.edges} == {
        ("SPDXRef-RootPackage", EdgeKind.DEPENDS_ON, "SPDXRef-Package-ssl", "dependsOn"),
        ("SPDXRef-RootPackage", EdgeKind.OTHER, "SPDXRef-Package-ssl", "BUNDLES_WITH"),
    }
    assert [d.code for d in doc.diagnostics] == ["unknown-relationship"]
    with pytest.raises(MalformedSbomError):
        load("tool-style.spdx3.json", strict=True)


def test_full_iri_types_and_enums() -> None:
    t = "https://spdx.org/rdf/3.0.1/terms/"
    doc = read(
        {
            "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
            "@graph": [
                {"@type": t + "Software/Package", "@id": "urn:a", "name": "a"},
                {"@type": t + "Software/File", "@id": "urn:b", "name": "b"},
                {
                    "@type": t + "Core/Relationship",
                    "@id": "urn:r",
                    "from": "urn:b",
                    "to": "urn:a",
                    "relationshipType": t + "Core/RelationshipType/generates",
                },
            ],
        }
    )
    assert [
        (local(e.source), e.kind, local(e.target)) for e in doc.edges if e.kind is not EdgeKind.DESCRIBES
    ] == [("urn:a", EdgeKind.GENERATED_FROM, "urn:b")]
    assert [c.type for c in doc.components if c.origin != "synthetic-root"] == ["package", "file"]


def test_relationships_from_imported_elements_are_not_edges() -> None:
    doc = read(
        {
            "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
            "@graph": [
                {
                    "type": "SpdxDocument",
                    "spdxId": "urn:d",
                    "rootElement": ["urn:a"],
                    "import": [{"type": "ExternalMap", "externalSpdxId": "urn:x:other#pkg"}],
                },
                {"type": "software_Package", "spdxId": "urn:a", "name": "a"},
                {
                    "type": "Relationship",
                    "spdxId": "urn:r",
                    "from": "urn:x:other#pkg",
                    "to": ["urn:a"],
                    "relationshipType": "contains",
                },
            ],
        }
    )
    assert doc.edges == ()
    assert [(local(x.source), x.document, x.ref) for x in doc.links] == [
        ("urn:a", "urn:x:other", "urn:x:other#pkg")
    ]
    assert [d.code for d in doc.diagnostics] == ["import-points-in"]


def test_nested_license_sets_cannot_blow_up() -> None:
    """Licence sets that share members: 10 ** 12 leaves if expanded naively; and a cycle."""
    graph: list[dict[str, Any]] = [
        {"type": "software_Package", "spdxId": "urn:p", "name": "p"},
        {
            "type": "Relationship",
            "spdxId": "urn:r",
            "from": "urn:p",
            "to": ["urn:l0"],
            "relationshipType": "hasDeclaredLicense",
        },
        {
            "type": "Relationship",
            "spdxId": "urn:r2",
            "from": "urn:p",
            "to": ["urn:c0"],
            "relationshipType": "hasConcludedLicense",
        },
        {
            "type": "expandedlicensing_DisjunctiveLicenseSet",
            "spdxId": "urn:c0",
            "expandedlicensing_member": ["urn:c1", "urn:c0"],
        },
        {
            "type": "expandedlicensing_ConjunctiveLicenseSet",
            "spdxId": "urn:c1",
            "expandedlicensing_member": ["urn:mit", "urn:c0"],
        },
        {"type": "expandedlicensing_ListedLicense", "spdxId": "urn:mit", "name": "MIT"},
    ]
    graph += [
        {
            "type": "expandedlicensing_ConjunctiveLicenseSet",
            "spdxId": f"urn:l{i}",
            "expandedlicensing_member": [f"urn:l{i + 1}"] * 10,
        }
        for i in range(12)
    ]
    graph.append({"type": "expandedlicensing_ListedLicense", "spdxId": "urn:l12", "name": "MIT"})
    doc = read({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph})
    (p,) = [c for c in doc.components if c.origin != "synthetic-root"]
    assert p.licenses == ("((MIT))",)  # the cycle ends where it started; the bomb is dropped
    assert [d.code for d in doc.diagnostics if d.code != "synthetic-root"] == ["license-too-long"]


def test_nested_and_cyclic_collections_as_roots() -> None:
    graph: list[dict[str, Any]] = [
        {"type": "SpdxDocument", "spdxId": "urn:d", "rootElement": ["urn:b0"]},
        {"type": "software_Package", "spdxId": "urn:p", "name": "p"},
    ]
    graph += [
        {"type": "software_Sbom", "spdxId": f"urn:b{i}", "rootElement": [f"urn:b{i + 1}", "urn:b0"] * 50}
        for i in range(3000)
    ]
    graph.append({"type": "software_Sbom", "spdxId": "urn:b3000", "rootElement": ["urn:p"]})
    doc = read({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph})
    assert [local(r) for r in doc.roots] == ["urn:p"]


def test_inline_elements_are_elements_once() -> None:
    org = {"type": "Organization", "spdxId": "urn:o", "name": "Dahua Technology"}
    doc = read(
        {
            "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
            "@graph": [
                {
                    "type": "SpdxDocument",
                    "spdxId": "urn:d",
                    "rootElement": [{"type": "software_Package", "spdxId": "urn:a", "name": "a"}],
                },
                {
                    "type": "software_Package",
                    "spdxId": "urn:b",
                    "name": "b",
                    "suppliedBy": org,
                    "originatedBy": [org],
                },
                {
                    "type": "Relationship",
                    "spdxId": "urn:r",
                    "relationshipType": "contains",
                    "from": "urn:a",
                    "to": [{"type": "software_Package", "spdxId": "urn:b", "name": "b"}],
                },
            ],
        }
    )
    assert sorted(c.ref for c in doc.components) == ["urn:a", "urn:b"]
    assert doc.diagnostics == ()
    assert [(local(e.source), local(e.target)) for e in doc.edges] == [("urn:a", "urn:b")]
    assert [(p.name, p.role) for p in by_ref(doc)["urn:b"].parties] == [
        ("Dahua Technology", "supplier"),
        ("Dahua Technology", "originator"),
    ]


def test_graph_must_be_a_list() -> None:
    with pytest.raises(MalformedSbomError, match="@graph must be an array"):
        read({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": "nope"})


# -- the relationship table -----------------------------------------------------------------


def test_every_spdx_301_relationship_type_is_mapped() -> None:
    prefix = "https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/"
    individuals: set[str] = getattr(spdx, "NAMED_INDIVIDUALS")  # noqa: B009 - not in the stubs
    model_types = {i[len(prefix) :] for i in individuals if i.startswith(prefix)}
    assert len(model_types) == 59
    assert model_types == set(RELATIONSHIPS)
    for name in model_types:
        assert relationship_type(prefix + name) == name
        assert relationship_type(name.upper()) == name


def test_artifact_types_are_the_models_artifacts() -> None:
    classes = {
        getattr(c, "_COMPACT_TYPE")  # noqa: B009 - not in the stubs
        for c in spdx.SHACLObject.CLASSES.values()
        if issubclass(c, spdx.Artifact)
    }
    assert classes - {"security_Vulnerability"} == set(ARTIFACT_TYPES)


# -- strict mode ----------------------------------------------------------------------------


def _minimal() -> dict[str, Any]:
    return {
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {
                "type": "CreationInfo",
                "@id": "_:ci",
                "specVersion": "3.0.1",
                "created": "2026-11-01T00:00:00Z",
                "createdBy": ["urn:sbomscan:agent"],
            },
            {"type": "Person", "spdxId": "urn:sbomscan:agent", "creationInfo": "_:ci", "name": "P"},
            {
                "type": "SpdxDocument",
                "spdxId": "urn:sbomscan:doc",
                "creationInfo": "_:ci",
                "rootElement": ["urn:p"],
            },
            {"type": "software_Package", "spdxId": "urn:p", "creationInfo": "_:ci", "name": "p"},
        ],
    }


def test_strict_accepts_a_minimal_document() -> None:
    assert [c.name for c in read(_minimal(), strict=True).components] == ["p"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda g: g[3].update(colour="red"), "Unknown property 'colour'"),
        (lambda g: g.append({"type": "Gadget", "@id": "urn:g"}), "unknown SPDX 3.0.1 class 'Gadget'"),
        (lambda g: g.append({"type": "Gadget", "spdxId": "urn:g"}), "must be IRIs"),
        (lambda g: g[0].pop("created"), "created"),
        (lambda g: g[3].update(suppliedBy=["urn:a", "urn:b"]), "refused"),
        (lambda g: g[3].update(software_primaryPurpose="spaceship"), "refused"),
    ],
    ids=[
        "unknown-property",
        "unknown-type",
        "unknown-type-property",
        "missing-required",
        "list-for-single",
        "bad-enum",
    ],
)
def test_strict_refusals(mutate: Any, message: str) -> None:
    obj = _minimal()
    mutate(obj["@graph"])
    read(obj)  # lenient mode reads it
    with pytest.raises(MalformedSbomError, match=message):
        read(obj, strict=True)


def test_strict_refuses_an_unknown_context() -> None:
    obj = _minimal()
    obj["@context"] = "https://spdx.org/rdf/3.0.0/spdx-context.jsonld"
    with pytest.raises(MalformedSbomError, match="context"):
        read(obj, strict=True)


# -- documents written by spdx-python-model -------------------------------------------------

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=8)
SUPPLIERS = st.sampled_from([None, "Acme Widgets GmbH", "华为技术有限公司", "Лаборатория Касперского"])
REL_TYPES = st.sampled_from(
    ["contains", "dependsOn", "ancestorOf", "descendantOf", "generates", "hasStaticLink", "copiedTo", "other"]
)


@st.composite
def spdx_documents(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str, str | None, str | None]], set[Any]]:
    """A document built from spdx-python-model objects and serialised by it, with the
    packages and edges it should read back to."""
    ci = spdx.CreationInfo(specVersion="3.0.1", created=datetime(2026, 1, 1, tzinfo=timezone.utc))
    tool = spdx.Tool(_id="https://sbomscan.example/h/tool", creationInfo=ci, name="hypothesis")
    ci.createdUsing.append(tool)
    person = spdx.Person(_id="https://sbomscan.example/h/person", creationInfo=ci, name="Tester")
    ci.createdBy.append(person)
    orgs: dict[str, Any] = {}
    n = draw(st.integers(1, 10))
    pkgs = []
    expected = []
    for i in range(n):
        name, version, supplier = draw(NAMES), draw(st.one_of(st.none(), NAMES)), draw(SUPPLIERS)
        kind = draw(st.sampled_from([spdx.software_Package, spdx.software_File]))
        pkg = kind(_id=f"https://sbomscan.example/h/e{i}", creationInfo=ci, name=name)
        if version is not None and kind is spdx.software_Package:
            pkg.software_packageVersion = version
        else:
            version = None
        if supplier:
            if supplier not in orgs:
                orgs[supplier] = spdx.Organization(
                    _id=f"https://sbomscan.example/h/org{len(orgs)}", creationInfo=ci, name=supplier
                )
            pkg.suppliedBy = orgs[supplier]
        pkgs.append(pkg)
        expected.append((pkg._id, name, version, supplier))
    rels = []
    edges = set()
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n, unique=True)
    )
    for k, (a, b) in enumerate(pairs):
        rtype = draw(REL_TYPES)
        common: dict[str, Any] = {
            "_id": f"https://sbomscan.example/h/r{k}",
            "creationInfo": ci,
            "from_": pkgs[a],
            "to": [pkgs[b]],
            "relationshipType": getattr(spdx.RelationshipType, rtype),
        }
        rel: spdx.Relationship
        detail = rtype
        if rtype == "dependsOn":
            rel = spdx.LifecycleScopedRelationship(scope=spdx.LifecycleScopeType.runtime, **common)
            detail = "dependsOn (runtime)"
        else:
            rel = spdx.Relationship(**common)
        rels.append(rel)
        r = RELATIONSHIPS[rtype]
        src, dst = (pkgs[b]._id, pkgs[a]._id) if r.flip else (pkgs[a]._id, pkgs[b]._id)
        edges.add((src, r.kind, dst, detail))
    doc = spdx.SpdxDocument(
        _id="https://sbomscan.example/h/doc", creationInfo=ci, name="generated", rootElement=[pkgs[0]]
    )
    objs = spdx.SHACLObjectSet([ci, tool, person, doc, *orgs.values(), *pkgs, *rels])
    data = orjson.dumps(spdx.JSONLDSerializer().serialize_data(objs))
    return data, expected, edges


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spdx_documents())
def test_documents_written_by_spdx_python_model_read_back(
    case: tuple[bytes, list[tuple[str, str, str | None, str | None]], set[Any]],
) -> None:
    data, expected, edges = case
    for strict in (False, True):
        doc = sbomscan.load(data, strict=strict)
        got = [
            (c.ref, c.name, c.version, next((p.name for p in c.parties if p.role == "supplier"), None))
            for c in doc.components
        ]
        assert sorted(got, key=str) == sorted(expected, key=str)
        assert {(local(e.source), e.kind, local(e.target), e.detail) for e in doc.edges} == edges
        assert [local(r) for r in doc.roots] == [expected[0][0]]
        assert doc.declared_components == len(expected)
        assert [(p.name, p.role) for p in doc.parties] == [("Tester", "creator"), ("hypothesis", "tool")]


# -- arbitrary JSON-LD-ish input ------------------------------------------------------------

IDS = st.sampled_from(["urn:a", "urn:b", "ex:c", "_:ci", "NoneElement", "", "urn:missing"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), IDS, st.text(max_size=5))
KEYS = st.sampled_from(
    [
        "type",
        "spdxId",
        "@id",
        "name",
        "from",
        "to",
        "relationshipType",
        "suppliedBy",
        "originatedBy",
        "rootElement",
        "import",
        "externalSpdxId",
        "externalIdentifier",
        "externalIdentifierType",
        "identifier",
        "verifiedUsing",
        "algorithm",
        "hashValue",
        "creationInfo",
        "createdBy",
        "createdUsing",
        "namespaceMap",
        "prefix",
        "namespace",
        "software_packageUrl",
        "software_snippetFromFile",
        "expandedlicensing_member",
        "simplelicensing_licenseExpression",
        "scope",
        "externalRef",
        "locator",
    ]
)
TYPES = st.sampled_from(
    [
        "software_Package",
        "software_File",
        "software_Snippet",
        "ai_AIPackage",
        "Relationship",
        "LifecycleScopedRelationship",
        "SpdxDocument",
        "software_Sbom",
        "Organization",
        "Person",
        "CreationInfo",
        "ExternalMap",
        "Hash",
        "expandedlicensing_ConjunctiveLicenseSet",
        "simplelicensing_LicenseExpression",
    ]
)
VALUES = st.recursive(
    st.one_of(SCALARS, TYPES),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)
ELEMENTS = st.one_of(
    st.fixed_dictionaries(
        {"type": TYPES, "spdxId": IDS}, optional={k: VALUES for k in ("name", "to", "from")}
    ).map(dict),
    st.dictionaries(KEYS, VALUES, max_size=6),
    SCALARS,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(ELEMENTS, max_size=8),
    st.one_of(
        st.just("https://spdx.org/rdf/3.0.1/spdx-context.jsonld"),
        st.just(["https://spdx.org/rdf/3.0.1/spdx-context.jsonld", {"ex": "urn:"}]),
        VALUES,
    ),
    st.booleans(),
)
def test_arbitrary_jsonld_never_raises_anything_else(graph: list[Any], context: Any, strict: bool) -> None:
    obj = {"@context": context, "@graph": graph}
    try:
        doc = read(copy.deepcopy(obj), strict=strict)
    except SbomscanError:
        return
    ids = {c.id for c in doc.components}
    assert all(e.source in ids and e.target in ids for e in doc.edges)
    assert len(ids) == len(doc.components)
    assert not doc.components or doc.roots


# -- the corpus -----------------------------------------------------------------------------

SPDX3_FILES = corpus_files("spdx", "3.0") + [
    p for p in corpus_files("wild") if p.suffix == ".json" and b"spdx.org/rdf/3" in p.read_bytes()[:4096]
]


def _accepted_by_bindings(path: Path) -> bool:
    import spdx_python_model

    try:
        spdx_python_model.load_data(orjson.loads(path.read_bytes()))
    except Exception:
        return False
    return True


@requires_corpus
def test_corpus_has_spdx3_files() -> None:
    assert len(SPDX3_FILES) >= 27


@requires_corpus
@pytest.mark.parametrize("path", SPDX3_FILES, ids=lambda p: p.name)
def test_corpus_file_loads(path: Path) -> None:
    doc = sbomscan.load(path)
    assert doc.format == "spdx" and doc.encoding == "json-ld"
    assert doc.declared_components is not None
    assert len(doc.components) >= doc.declared_components > 0
    assert doc.roots
    if _accepted_by_bindings(path):
        strict = sbomscan.load(path, strict=True)
        assert strict.components == doc.components


@requires_corpus
@pytest.mark.parametrize("path", [p for p in SPDX3_FILES if _accepted_by_bindings(p)], ids=lambda p: p.name)
def test_dict_reading_agrees_with_spdx_python_model(path: Path) -> None:
    """The lenient reader walks the dict by hand; spdx-python-model decodes the same file by
    the model. Both must find the same artifacts, names, versions, suppliers and edges."""
    import spdx_python_model

    _, objset = spdx_python_model.load_data(orjson.loads(path.read_bytes()))
    doc = sbomscan.load(path)

    def ident(x: Any) -> str:
        return x if isinstance(x, str) else x._id

    def agent_name(x: Any) -> str | None:
        # a nameless agent is named by its id (documented fallback; often a URL of the vendor)
        return None if x is None or isinstance(x, str) else x.name or x._id

    want = set()
    for o in objset.foreach_type(spdx.Artifact):
        if isinstance(o, spdx.security_Vulnerability):
            continue
        version = getattr(o, "software_packageVersion", None)
        purl = getattr(o, "software_packageUrl", None)
        originators = tuple(sorted(str(agent_name(a)) for a in o.originatedBy))
        want.add((o._id, o.name or "", version, purl, agent_name(o.suppliedBy), originators))
    got = {
        (
            c.ref,
            c.name,
            c.version,
            c.purl,
            next((p.name for p in c.parties if p.role == "supplier"), None),
            tuple(sorted(p.name for p in c.parties if p.role == "originator")),
        )
        for c in doc.components
        if c.origin != "synthetic-root"
    }
    assert got == want

    artifacts = {o._id for o in objset.foreach_type(spdx.Artifact)}
    want_edges = set()
    for rel in objset.foreach_type(spdx.Relationship):
        rtype = rel.relationshipType.rsplit("/", 1)[-1]
        r = RELATIONSHIPS[rtype]
        if r.action == "describes" and ident(rel.from_) in artifacts:
            r = RELATIONSHIPS["other"]  # one artifact "describes" another: an association
        if r.action != "edge":
            continue
        for t in rel.to:
            a, z = (ident(t), ident(rel.from_)) if r.flip else (ident(rel.from_), ident(t))
            if a in artifacts and z in artifacts:
                want_edges.add((a, r.kind, z))
    for o in objset.foreach_type(spdx.software_Snippet):
        if o.software_snippetFromFile is not None:
            want_edges.add((ident(o.software_snippetFromFile), EdgeKind.CONTAINS, o._id))
    got_edges = {
        (local(e.source), e.kind, local(e.target)) for e in doc.edges if e.kind is not EdgeKind.DESCRIBES
    }
    assert got_edges == want_edges


def test_an_edge_stated_twice_is_one_edge() -> None:
    """A target repeated in ``to``, or a relationship written again (with its own spdxId), is
    one edge, where it first appears: the graph holds facts, as SPDX 2 and CycloneDX do."""

    def rel(n: int, src: str, kind: str, to: list[str]) -> dict[str, Any]:
        return {
            "type": "Relationship",
            "spdxId": f"urn:r{n}",
            "from": src,
            "relationshipType": kind,
            "to": to,
        }

    doc = read(
        {
            "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
            "@graph": [
                {"type": "SpdxDocument", "spdxId": "urn:d", "rootElement": ["urn:app"]},
                *({"type": "software_Package", "spdxId": f"urn:{n}", "name": n} for n in ("app", "a", "b")),
                rel(1, "urn:app", "dependsOn", ["urn:a", "urn:b", "urn:a"]),
                rel(2, "urn:app", "dependsOn", ["urn:b"]),
                rel(3, "urn:app", "contains", ["urn:a"]),
                rel(4, "urn:a", "dependsOn", ["urn:b", "urn:b"]),
            ],
        }
    )
    assert [(local(e.source), e.kind.value, local(e.target)) for e in doc.edges] == [
        ("urn:app", "depends_on", "urn:a"),
        ("urn:app", "depends_on", "urn:b"),
        ("urn:app", "contains", "urn:a"),
        ("urn:a", "depends_on", "urn:b"),
    ]
