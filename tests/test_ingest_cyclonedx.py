"""CycloneDX ingest: every field that can name who made, supplied or licensed a thing lands
in the model, in both encodings, in every spec version; bad input is a diagnostic (lenient)
or a typed error (strict), never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import FIXTURES

import sbomscan
from sbomscan.errors import MalformedSbomError
from sbomscan.ingest.cyclonedx.json import read_cyclonedx_json
from sbomscan.ingest.cyclonedx.xml import read_cyclonedx_xml
from sbomscan.model import Component, Document, EdgeKind, Hash, LinkKind, PartyKind, Severity, Swid

CDX = FIXTURES / "cyclonedx"
SHA = "ab" * 32


def load(name: str, *, strict: bool = False) -> Document:
    return sbomscan.load(CDX / name, strict=strict)


def by_ref(doc: Document) -> dict[str, Component]:
    return {c.ref: c for c in doc.components}


def edges(doc: Document) -> list[tuple[str, str, str, str | None]]:
    return [(e.source.split("#", 1)[1], e.target.split("#", 1)[1], e.kind.value, e.detail) for e in doc.edges]


def roles(c: Component) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in c.parties:
        out.setdefault(p.role, []).append(p.name)
    return out


def read(obj: dict[str, Any], *, strict: bool = False) -> Document:
    return read_cyclonedx_json(obj, source="t.json", sha256=SHA, strict=strict)


# -- the full fixture: every field ----------------------------------------------------------


@pytest.fixture(scope="module", params=["full-1.6.json", "full-1.6.xml"])
def full(request: pytest.FixtureRequest) -> Document:
    return load(request.param)


def test_document_level(full: Document) -> None:
    assert (full.format, full.spec_version, full.version) == ("cyclonedx", "1.6", 3)
    assert full.serial == "urn:uuid:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
    assert full.name == "Gateway X1"
    assert [c.ref for c in full.components if c.id in full.roots] == ["product"]
    assert not full.synthetic_root
    parties = {(p.name, p.role, p.kind) for p in full.parties}
    assert parties == {
        ("Northwind Devices Ltd", "supplier", PartyKind.ORGANIZATION),
        ("Northwind Manufacturing", "manufacturer", PartyKind.ORGANIZATION),
        ("Old Style Fab Co", "manufacturer", PartyKind.ORGANIZATION),
        ("Grace Author", "author", PartyKind.PERSON),
        ("bomgen", "tool", PartyKind.TOOL),
        ("Toolsmiths Inc", "tool", PartyKind.ORGANIZATION),
        ("scan-service", "tool", PartyKind.TOOL),
        ("Scan Hosting LLC", "tool", PartyKind.ORGANIZATION),
    }
    supplier = next(p for p in full.parties if p.role == "supplier")
    assert supplier.emails == ("ada@northwind.example",)
    assert supplier.urls == ("https://northwind.example",)
    # 1 root + 1 nested under it + 5 top-level + 5 nested + 4 pedigree + 2 services
    assert full.declared_components == 18 == len(full.components)


def test_component_identity_fields(full: Document) -> None:
    c = by_ref(full)["libfoo"]
    assert (c.type, c.group, c.name, c.version) == ("library", "org.example", "libfoo", "2.4.1")
    assert c.description == "A library that does foo"
    assert c.purl == "pkg:maven/org.example/libfoo@2.4.1"
    assert c.cpes == ("cpe:2.3:a:example:libfoo:2.4.1:*:*:*:*:*:*:*",)
    assert c.swid == Swid("swidgen-libfoo-2.4.1", "libfoo", None, "2.4.1")
    assert c.hashes == (
        Hash("SHA-256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        Hash("MD5", "098f6bcd4621d373cade4e832627b4f6"),
    )
    assert c.properties == (("build:flavour", "release"),)
    assert c.omnibor_ids == ("gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64",)
    assert c.swhids == ("swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2",)
    assert c.identities == (("purl", "pkg:maven/org.example/libfoo@2.4.1"), ("name", "libfoo.jar"))
    assert c.occurrences == ("/opt/app/lib/libfoo.jar",)
    assert (c.external_refs[0].type, c.external_refs[0].url) == ("vcs", "https://git.example.org/libfoo.git")
    assert c.external_refs[0].comment == "source"
    assert len(c.external_refs) == 4


def test_component_parties_licences_copyright(full: Document) -> None:
    c = by_ref(full)["libfoo"]
    assert roles(c) == {
        "supplier": ["Example Org"],
        "manufacturer": ["Example Manufacturing GmbH"],
        "author": ["Carol Coder", "Dave Dev"],
        "publisher": ["Example Publishing"],
        "licensor": ["Example Licensing BV"],
        "licensee": ["Northwind Devices Ltd"],
        "purchaser": ["Erin Buyer"],
        "contributor": ["Frank Patch", "Gina Merge"],
    }
    assert sorted(roles(c)["author"]) == ["Carol Coder", "Dave Dev"]
    supplier = next(p for p in c.parties if p.role == "supplier")
    assert supplier.kind is PartyKind.ORGANIZATION
    assert supplier.urls == ("https://example.org", "https://example.com")
    assert supplier.emails == ("bob@example.org", "sales@example.org")
    purchaser = next(p for p in c.parties if p.role == "purchaser")
    assert (purchaser.kind, purchaser.emails) == (PartyKind.PERSON, ("erin@northwind.example",))
    assert sorted(c.licenses) == ["Apache-2.0", "Example Commercial Licence", "MIT OR Apache-2.0"]
    assert c.copyright == ("Copyright 2024 Example Org", "Copyright 2019 Foo Authors")


def test_nesting_pedigree_services_and_dependencies(full: Document) -> None:
    got = edges(full)
    for edge in [
        ("product", "fw", "contains", None),
        ("libfoo", "n1", "contains", None),
        ("n4", "n5", "contains", None),
        ("libfoo", "libfoo-upstream", "derived_from", "ancestor"),
        ("libfoo-upstream", "libfoo-original", "derived_from", "ancestor"),
        ("libfoo-next", "libfoo", "derived_from", "descendant"),
        ("libfoo", "libfoo-lite", "variant_of", "variant"),
        ("svc-api", "svc-inner", "contains", None),
        ("product", "libfoo", "depends_on", None),
        ("product", "svc-api", "depends_on", None),
        ("libfoo", "crypto-impl", "depends_on", None),
        ("crypto-impl", "libfoo-lite", "provides", None),
    ]:
        assert edge in got, edge
    assert ("product", "dup", "depends_on", None) in got  # a duplicated ref resolves to the first
    comps = by_ref(full)
    assert comps["n5"].parties[0].name == "Deep Supplier AG"
    assert comps["libfoo-upstream"].origin == "pedigree.ancestors"
    assert comps["libfoo-original"].origin == "pedigree.ancestors"
    assert comps["libfoo-next"].origin == "pedigree.descendants"
    assert comps["libfoo-lite"].origin == "pedigree.variants"
    assert comps["product"].origin == "metadata.component"
    svc = comps["svc-api"]
    assert (svc.type, svc.origin, svc.group, svc.version) == ("service", "service", "com.cloud", "v2")
    assert (svc.parties[0].name, svc.parties[0].role) == ("Cloud Provider Inc", "supplier")
    assert comps["svc-inner"].type == "service"


def test_pointers(full: Document) -> None:
    comps = by_ref(full)
    if full.encoding == "json":
        assert comps["n5"].pointer == "/components/0" + "/components/0" * 5
        assert comps["libfoo-original"].pointer == "/components/0/pedigree/ancestors/0/pedigree/ancestors/0"
        assert comps["svc-inner"].pointer == "/services/0/services/0"
    else:
        assert comps["n1"].pointer is not None
        assert comps["n1"].pointer.startswith("/bom/components/component[1]/components/component[1] (line ")
        assert comps["dup~2"].pointer == "/bom/components/component[3] (line 150)"


def test_links(full: Document) -> None:
    links = [(lk.source.split("#")[1], lk.kind, lk.document, lk.version, lk.ref) for lk in full.links]
    serial = "urn:uuid:11111111-2222-4333-8444-555555555555"
    assert links == [
        ("libfoo", LinkKind.BOM_LINK, serial, 2, "pkg:maven/org.example/libfoo-core@2.4.1"),
        ("libfoo", LinkKind.BOM_LINK, serial, 2, None),
        ("libfoo", LinkKind.BOM_LINK, "https://boms.example.org/libfoo-2.4.1.cdx.json", None, None),
        ("libfoo", LinkKind.BOM_LINK, serial, 2, "libbar"),  # a dependency on another BOM
        ("product", LinkKind.BOM_LINK, "urn:uuid:99999999-8888-4777-8666-555555555555", 1, None),
    ]


def test_diagnostics(full: Document) -> None:
    assert [(d.severity, d.code) for d in full.diagnostics] == [
        (Severity.WARNING, "duplicate-ref"),
        (Severity.WARNING, "bad-purl"),
        (Severity.WARNING, "dangling-ref"),
    ]
    comps = by_ref(full)
    assert comps["dup"].name == "first-with-dup-ref" and comps["dup~2"].name == "second-with-dup-ref"
    no_ref = next(c for c in full.components if c.name == "no-ref")
    assert no_ref.ref.startswith("sbomscan:") and no_ref.purl == "npm/left-pad@1.3.0"
    assert "does-not-exist" in full.diagnostics[2].message


def test_json_and_xml_read_to_the_same_model() -> None:
    a, b = load("full-1.6.json"), load("full-1.6.xml")

    def norm(doc: Document) -> list[Component]:
        return [
            c._replace(id="", document="", pointer=None, ref="" if c.ref.startswith("sbomscan:") else c.ref)
            for c in doc.components
        ]

    assert norm(a) == norm(b)
    assert edges(a) == edges(b)
    assert sorted(a.parties) == sorted(b.parties)
    assert [lk._replace(source="") for lk in a.links] == [lk._replace(source="") for lk in b.links]


def test_strict_refuses_the_broken_references_of_the_full_fixture() -> None:
    with pytest.raises(MalformedSbomError) as info:
        load("full-1.6.json", strict=True)
    assert "'dup'" in str(info.value) and "/components/2" in str(info.value)
    with pytest.raises(MalformedSbomError) as info:
        load("full-1.6.xml", strict=True)
    assert info.value.line == 150  # the XSD's bom-ref uniqueness constraint


# -- other versions ---------------------------------------------------------------------------


def test_cyclonedx_1_0_without_refs_gets_stable_synthetic_ids_and_root() -> None:
    doc = load("minimal-1.0.xml", strict=True)
    assert doc.spec_version == "1.0" and doc.synthetic_root
    names = [c.name for c in doc.components if c.origin != "synthetic-root"]
    assert names == ["widget-core", "widget-util", "widget-ui"]
    assert all(c.ref.startswith("sbomscan:") for c in doc.components)
    again = sbomscan.load((CDX / "minimal-1.0.xml").read_bytes())
    assert [c.ref for c in doc.components] == [c.ref for c in again.components]
    root = doc.roots[0]
    top = sorted(by_ref(doc)[e.target.split("#", 1)[1]].name for e in doc.edges if e.source == root)
    assert top == ["widget-core", "widget-ui"]  # the nested one hangs off its parent, not the root
    assert [d.code for d in doc.diagnostics] == ["synthetic-root"]
    core = doc.components[0]
    assert (core.group, core.purl, core.licenses) == (
        "com.acme",
        "pkg:maven/com.acme/widget-core@1.2.3",
        ("MIT",),
    )
    assert core.parties[0].name == "Acme Widgets GmbH" and core.parties[0].role == "publisher"


def test_cyclonedx_1_1_dependency_graph_extension() -> None:
    doc = load("depgraph-1.1.xml", strict=True)
    deps = sorted(e[:2] for e in edges(doc) if e[2] == "depends_on")
    assert deps == [("app", "liba"), ("liba", "libc"), ("libb", "libc")]


@pytest.mark.parametrize("encoding", ["json", "xml"])
def test_a_target_written_twice_in_one_dependency_entry_is_one_edge(encoding: str) -> None:
    # as SPDX 2 keeps a relationship written twice once: the graph's edges are facts, not lines
    deps = [("app", ["a", "b", "a", "a"]), ("a", ["b", "b"]), ("b", [])]
    if encoding == "json":
        data = orjson.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "metadata": {"component": {"bom-ref": "app", "name": "app"}},
                "components": [{"bom-ref": r, "name": r} for r in ("a", "b")],
                "dependencies": [{"ref": r, "dependsOn": ts} for r, ts in deps],
            }
        )
    else:
        data = (
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><metadata><component type="application" '
            'bom-ref="app"><name>app</name></component></metadata><components>'
            + "".join(f'<component type="library" bom-ref="{r}"><name>{r}</name></component>' for r in "ab")
            + "</components><dependencies>"
            + "".join(
                f'<dependency ref="{r}">' + "".join(f'<dependency ref="{t}"/>' for t in ts) + "</dependency>"
                for r, ts in deps
            )
            + "</dependencies></bom>"
        ).encode()
    doc = sbomscan.load(data)  # (the JSON schema says uniqueItems: strict mode refuses it)
    assert [e[:3] for e in edges(doc)] == [
        ("app", "a", "depends_on"),
        ("app", "b", "depends_on"),
        ("a", "b", "depends_on"),
    ]


def test_depgraph_extension_without_ref_is_refused_in_strict_mode() -> None:
    data = (
        (CDX / "depgraph-1.1.xml")
        .read_bytes()
        .replace(b'<dg:dependency ref="libc"/>\n    </dg:', b"<dg:dependency/>\n    </dg:")
    )
    assert b"<dg:dependency/>" in data
    with pytest.raises(MalformedSbomError, match="ref attribute"):
        sbomscan.load(data, strict=True)
    lenient = sbomscan.load(data)
    assert "missing-field" in [d.code for d in lenient.diagnostics]


def test_legacy_tools_and_no_root() -> None:
    doc = load("legacy-tools-1.4.json", strict=True)
    assert [(p.name, p.kind) for p in doc.parties] == [
        ("legacy-bomgen", PartyKind.TOOL),
        ("Old Tool Vendor Co", PartyKind.ORGANIZATION),
    ]
    assert doc.synthetic_root
    root = doc.roots[0]
    described = sorted(e.target.split("#", 1)[1] for e in doc.edges if e.source == root)
    assert described == ["gamma", "sbomscan:/components/0", "sbomscan:/components/1"]


def test_cyclonedx_1_7_expression_with_licensing_and_provides() -> None:
    doc = load("licensing-1.7.xml", strict=True)
    c = by_ref(doc)["crypto"]
    assert c.licenses == ("LicenseRef-CipherCommercial",)
    assert roles(c) == {
        "publisher": ["Cipher Works Inc"],
        "licensor": ["Cipher Works Inc"],
        "licensee": ["Hal Licensee"],
    }
    assert ("crypto", "aes", "provides", None) in edges(doc)


# -- robustness ----------------------------------------------------------------------------


def test_deep_nesting_is_walked_without_recursion() -> None:
    depth = 10_000
    inner: dict[str, Any] = {"type": "library", "name": "leaf", "bom-ref": f"c{depth}"}
    for i in range(depth - 1, -1, -1):
        inner = {"type": "library", "name": f"n{i}", "bom-ref": f"c{i}", "components": [inner]}
    doc = read({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [inner]})
    assert doc.declared_components == depth + 1
    assert len([e for e in doc.edges if e.kind is EdgeKind.CONTAINS]) == depth
    assert by_ref(doc)[f"c{depth}"].pointer == "/components/0" + "/components/0" * depth


def test_deep_xml_is_refused_cleanly() -> None:
    depth = 400
    body = '<components><component type="library"><name>x</name>' * depth
    body += "</component></components>" * depth
    data = f'<bom xmlns="http://cyclonedx.org/schema/bom/1.6">{body}</bom>'.encode()
    with pytest.raises(MalformedSbomError, match="invalid XML"):
        sbomscan.load(data)


def test_synthetic_ids_are_stable_across_loads() -> None:
    obj = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [{"type": "library", "name": "a"}] * 3,
    }
    one, two = read(obj), read(obj)
    assert [c.id for c in one.components] == [c.id for c in two.components]
    assert len({c.id for c in one.components}) == 4  # three components + synthetic root


@pytest.mark.parametrize(
    ("bom", "code", "where"),
    [
        (
            {"components": [{"type": "library", "name": "a", "supplier": "Acme"}]},
            "bad-type",
            "/components/0/supplier",
        ),
        ({"components": ["just a string"]}, "bad-type", "/components/0"),
        ({"components": {"name": "a"}}, "bad-type", "/components"),
        ({"components": [{"type": "library", "name": 7}]}, "bad-type", "/components/0/name"),
        (
            {"components": [{"type": "library", "licenses": {"id": "MIT"}, "name": "x"}]},
            "bad-type",
            "/components/0/licenses",
        ),
        ({"components": [{"type": "library"}]}, "missing-field", "/components/0"),
        ({"dependencies": [{"dependsOn": ["x"]}]}, "missing-field", "/dependencies/0"),
        ({"dependencies": "nope"}, "bad-type", "/dependencies"),
        ({"metadata": []}, "bad-type", "/metadata"),
        ({"metadata": {"supplier": "Acme"}}, "bad-type", "/metadata/supplier"),
        ({"metadata": {"component": "Acme"}}, "bad-type", "/metadata/component"),
        ({"components": [{"type": "library", "name": "a", "purl": "pkg:"}]}, "bad-purl", "/components/0"),
    ],
)
def test_type_errors_are_diagnostics_with_pointers(bom: dict[str, Any], code: str, where: str) -> None:
    doc = read({"bomFormat": "CycloneDX", "specVersion": "1.6", **bom})
    assert (code, where) in [(d.code, d.location) for d in doc.diagnostics]
    if code != "bad-purl":
        with pytest.raises(MalformedSbomError):
            read({"bomFormat": "CycloneDX", "specVersion": "1.6", **bom}, strict=True)


def test_structurally_hopeless_input() -> None:
    with pytest.raises(MalformedSbomError, match="object at the top level"):
        read_cyclonedx_json([], source="t.json", sha256=SHA, strict=False)  # type: ignore[arg-type]
    with pytest.raises(MalformedSbomError) as info:
        read({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {}}, strict=True)
    assert info.value.pointer == "/components"
    with pytest.raises(MalformedSbomError, match="specVersion"):
        read({"bomFormat": "CycloneDX", "specVersion": "9.9"}, strict=True)
    doc = read({"bomFormat": "CycloneDX", "specVersion": "9.9"})
    assert [d.code for d in doc.diagnostics] == ["unknown-spec-version"]


def test_strict_json_names_the_first_violation_and_counts_the_rest() -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [
            {"type": "library", "name": "a", "scope": "sometimes"},
            {"type": "nonsense", "name": "b"},
        ],
    }
    with pytest.raises(MalformedSbomError) as info:
        read(bom, strict=True)
    assert info.value.pointer in ("/components/0/scope", "/components/1/type")
    assert "1 more" in str(info.value)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b'<bom xmlns="http://cyclonedx.org/schema/bom/2.0"/>', "'http://cyclonedx.org/schema/bom/2.0'"),
        (b"<bom/>", "no namespace"),
        (b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components>', "invalid XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library">'
            b"<name>&b;</name></component></components></bom>",
            "DOCTYPE",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library">'
            b"<name>&x;</name></component></components></bom>",
            "DOCTYPE",
        ),
    ],
)
def test_bad_xml_is_refused_with_a_reason(xml: bytes, message: str) -> None:
    with pytest.raises(MalformedSbomError) as info:
        read_cyclonedx_xml(xml, source="t.xml", sha256=SHA, strict=False)
    assert message in str(info.value)


def test_strict_xml_names_the_line() -> None:
    xml = (
        b'<bom xmlns="http://cyclonedx.org/schema/bom/1.5">\n<components>\n'
        b'<component type="nonsense"><name>a</name></component>\n</components>\n</bom>'
    )
    assert len(read_cyclonedx_xml(xml, source="t.xml", sha256=SHA, strict=False).components) == 2
    with pytest.raises(MalformedSbomError) as info:
        read_cyclonedx_xml(xml, source="t.xml", sha256=SHA, strict=True)
    assert info.value.line == 3 and "nonsense" in str(info.value)


def test_load_end_to_end_from_bytes_and_gzip(tmp_path: Path) -> None:
    import gzip

    data = (CDX / "full-1.6.json").read_bytes()
    path = tmp_path / "bom.cdx.json.gz"
    path.write_bytes(gzip.compress(data))
    doc = sbomscan.load(path)
    assert doc.format == "cyclonedx" and len(doc.components) == 18
    assert orjson.loads(data)["version"] == doc.version


def test_bom_link_forms() -> None:
    doc = read(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "components": [
                {
                    "type": "library",
                    "bom-ref": "a",
                    "name": "a",
                    "externalReferences": [
                        {"type": "bom", "url": "urn:cdx:not-a-uuid/1"},
                        {"type": "website", "url": "urn:cdx:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/1"},
                    ],
                }
            ],
            "dependencies": [
                {"ref": "ghost", "dependsOn": ["urn:cdx:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/4#a%20b"]},
                {"ref": "a", "dependsOn": ["urn:cdx:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/4#a%20b"]},
            ],
        }
    )
    assert [(lk.document, lk.version, lk.ref) for lk in doc.links] == [
        ("urn:cdx:not-a-uuid/1", None, None),  # kept, with a diagnostic
        ("urn:uuid:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", 4, "a b"),  # only type=bom references link
    ]
    assert [(d.code, d.location) for d in doc.diagnostics if d.code != "synthetic-root"] == [
        ("bad-bom-link", "/components/0"),
        ("dangling-ref", "/dependencies/0"),
    ]


def test_evidence_1_5_identity_object_and_metadata_licensing() -> None:
    doc = read(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "metadata": {
                "licenses": [
                    {
                        "license": {
                            "name": "Site licence",
                            "licensing": {"licensor": {"organization": {"name": "Vendor Licensing SA"}}},
                        }
                    }
                ]
            },
            "components": [
                {
                    "type": "library",
                    "name": "x",
                    "evidence": {
                        "identity": {
                            "field": "purl",
                            "confidence": 1,
                            "methods": [{"technique": "filename", "confidence": 1, "value": "x-1.0.jar"}],
                        }
                    },
                }
            ],
        },
        strict=True,
    )
    assert [(p.name, p.role) for p in doc.parties] == [("Vendor Licensing SA", "licensor")]
    assert doc.components[0].identities == (("purl", "x-1.0.jar"),)


def test_declared_count_shows_what_could_not_be_read() -> None:
    doc = read(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "components": [{"type": "library", "name": "ok"}, "not a component", 42],
        }
    )
    real = [c for c in doc.components if c.origin != "synthetic-root"]
    assert (len(real), doc.declared_components) == (1, 3)
    assert [d.location for d in doc.diagnostics if d.code == "bad-type"] == ["/components/1", "/components/2"]


def test_json_cannot_forge_a_pointer() -> None:
    doc = read(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "components": [{"type": "library", "name": "x", "bom-ref": "x", "\x00pointer": ["forged"]}],
        }
    )
    assert by_ref(doc)["x"].pointer == "/components/0"
