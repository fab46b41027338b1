"""build_graph: documents joined by their links, tiers, unresolved links, duplicates.

Most tests build Documents with DocumentBuilder (so they do not depend on a reader); the
end-to-end ones read the hand-written bundles under tests/fixtures/bundles/.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import pytest
from conftest import FIXTURES

import sbomscan
from sbomscan.errors import UsageError
from sbomscan.graph import SbomGraph, build_graph, document_supplier
from sbomscan.ingest.builder import DocumentBuilder
from sbomscan.model import (
    Document,
    EdgeKind,
    ExternalLink,
    Hash,
    LinkKind,
    Party,
    PartyKind,
    Severity,
)

BUNDLES = FIXTURES / "bundles"


def make_doc(
    seed: str,
    refs: Sequence[str],
    edges: Sequence[tuple[str, str]] = (),
    *,
    links: Sequence[tuple[str, LinkKind, str, int | None, str | None, Hash | None]] = (),
    serial: str | None = None,
    version: int | None = None,
    fmt: str = "cyclonedx",
    root: bool = True,
    parties: tuple[Party, ...] = (),
    sha256: str | None = None,
) -> Document:
    """A document whose first ref is its root; links are (source ref, kind, document,
    version, ref, checksum)."""
    sha = sha256 or hashlib.sha256(seed.encode()).hexdigest()
    b = DocumentBuilder(source=f"{seed}.json", sha256=sha, format=fmt, encoding="json", spec_version="1.6")
    ids = {r: b.add_component(r, name=r, pointer=None, version="1.0") for r in refs}
    if root and refs:
        b.add_root(ids[refs[0]])
    for s, t in edges:
        b.add_edge_ref(s, t, EdgeKind.DEPENDS_ON)
    for source, kind, document, ver, ref, checksum in links:
        uri = f"{document}/{ver}#{ref}" if kind is LinkKind.BOM_LINK else f"DocumentRef-x:{ref}"
        b.add_link(ExternalLink(ids[source], kind, uri, document, ver, ref, checksum))
    return b.finish(serial=serial, version=version, parties=parties)


def bom(
    source: str, serial: str, version: int | None = 1, ref: str | None = None
) -> tuple[str, LinkKind, str, int | None, str | None, Hash | None]:
    return (source, LinkKind.BOM_LINK, serial, version, ref, None)


def codes(g: SbomGraph) -> list[str]:
    return [d.code for d in g.diagnostics]


def key(doc: Document, ref: str) -> str:
    return f"{doc.key}#{ref}"


# -- the networkx graph ------------------------------------------------------------------


def test_graph_structure_matches_networkx_api() -> None:
    """The bulk fill gives exactly what add_nodes_from/add_edges_from would."""
    a = make_doc(
        "a", ["app", "lib", "util"], [("app", "lib"), ("app", "lib"), ("lib", "util"), ("util", "util")]
    )
    b = make_doc("b", ["fw", "blob"], [("fw", "blob")], serial="urn:uuid:b", version=1)
    a = a._replace(links=(ExternalLink(key(a, "util"), LinkKind.BOM_LINK, "urn:cdx:b/1", "urn:uuid:b", 1),))
    g = build_graph([a, b])
    ref = nx.MultiDiGraph()
    ref.add_nodes_from(g.components)
    for doc in (a, b):
        ref.add_edges_from((e.source, e.target, {"kind": e.kind, "detail": e.detail}) for e in doc.edges)
    ref.add_edge(key(a, "util"), key(b, "fw"), kind=EdgeKind.LINKS_TO, detail="urn:cdx:b/1")
    assert list(g.graph.nodes) == list(ref.nodes)
    assert sorted(g.graph.edges(keys=True, data=True), key=repr) == sorted(
        ref.edges(keys=True, data=True), key=repr
    )
    assert dict(g.graph.in_degree) == dict(ref.in_degree)
    assert g.graph.number_of_edges(key(a, "app"), key(a, "lib")) == 2
    assert nx.has_path(g.graph, key(a, "app"), key(b, "blob"))
    assert all(not attrs for _, attrs in g.graph.nodes(data=True))


def test_no_merge_by_name_and_version() -> None:
    a = make_doc("a", ["app", "zlib"], [("app", "zlib")])
    b = make_doc("b", ["fw", "zlib"], [("fw", "zlib")])
    g = build_graph([a, b])
    assert len(g.components) == 4
    assert g.graph.number_of_nodes() == 4
    assert g.roots == (key(a, "app"), key(b, "fw"))


def test_duplicate_document_kept_once() -> None:
    a = make_doc("a", ["app", "lib"], [("app", "lib")])
    g = build_graph([a, a._replace(source="copy-of-a.json")])
    assert list(g.documents) == [a.key]
    assert len(g.components) == 2
    (diag,) = g.diagnostics
    assert diag.code == "duplicate-document" and diag.severity is Severity.INFO
    assert "copy-of-a.json" in diag.message and "a.json" in diag.message


def test_edge_to_unknown_component_is_skipped_not_a_node() -> None:
    a = make_doc("a", ["app", "lib"], [("app", "lib")])
    from sbomscan.model import Edge

    a = a._replace(edges=(*a.edges, Edge(key(a, "app"), "nowhere#x", EdgeKind.DEPENDS_ON)))
    g = build_graph([a])
    assert "nowhere#x" not in g.graph
    assert g.graph.number_of_edges() == 1


# -- CycloneDX BOM-Links -----------------------------------------------------------------


def test_bom_link_to_root_and_to_ref() -> None:
    sub = make_doc("sub", ["fw", "sdk"], [("fw", "sdk")], serial="urn:uuid:s", version=2)
    prime = make_doc(
        "prime",
        ["product", "camera", "ui"],
        [("product", "camera"), ("product", "ui")],
        links=[bom("camera", "urn:uuid:s", 2), bom("ui", "urn:uuid:s", 2, "sdk")],
    )
    g = build_graph([sub, prime])
    assert g.tiers == {sub.key: 1, prime.key: 0}
    assert g.roots == (key(prime, "product"),)
    edges = g.graph[key(prime, "camera")][key(sub, "fw")]
    assert [d["kind"] for d in edges.values()] == [EdgeKind.LINKS_TO]
    assert g.graph.has_edge(key(prime, "ui"), key(sub, "sdk"))
    assert not g.unresolved and not g.diagnostics


def test_bom_link_serial_compares_case_insensitively() -> None:
    # a generator wrote the serial in upper case; the prime's BOM-Link uses lower case
    upper = "urn:uuid:3E671687-395B-41F5-A30F-A58921A69B79"
    sub = make_doc("sub", ["fw", "sdk"], serial=upper.replace("urn:uuid:", "URN:UUID:"), version=1)
    prime = make_doc("prime", ["p"], links=[bom("p", upper.lower(), 1, "sdk")])
    g = build_graph([prime, sub])
    assert g.graph.has_edge(key(prime, "p"), key(sub, "sdk"))
    assert not g.unresolved and g.tiers == {prime.key: 0, sub.key: 1}


def test_spdx_namespace_compares_exactly() -> None:
    sub = make_doc("sub", ["fw"], serial="https://example.com/SPDX/Sub", fmt="spdx")
    prime = make_doc(
        "prime",
        ["p"],
        links=[("p", LinkKind.SPDX_EXTERNAL_DOCUMENT, "https://example.com/spdx/sub", None, "fw", None)],
    )
    g = build_graph([prime, sub])
    assert not g.graph.has_edge(key(prime, "p"), key(sub, "fw"))
    assert len(g.unresolved) == 1


def test_bom_link_exact_version_among_several() -> None:
    v1 = make_doc("v1", ["fw", "x"], serial="urn:uuid:s", version=1)
    v2 = make_doc("v2", ["fw", "x"], serial="urn:uuid:s", version=2)
    prime = make_doc("prime", ["p"], links=[bom("p", "urn:uuid:s", 1, "x")])
    g = build_graph([prime, v2, v1])
    assert g.graph.has_edge(key(prime, "p"), key(v1, "x"))
    assert not g.graph.has_edge(key(prime, "p"), key(v2, "x"))
    assert "link-version-mismatch" not in codes(g)
    # v2 is not linked to by anyone: it is a product SBOM of its own (tier 0)
    assert g.tiers == {prime.key: 0, v2.key: 0, v1.key: 1}


def test_bom_link_version_mismatch_uses_highest_and_warns() -> None:
    v1 = make_doc("v1", ["fw", "x"], serial="urn:uuid:s", version=1)
    v3 = make_doc("v3", ["fw", "x"], serial="urn:uuid:s", version=3)
    prime = make_doc("prime", ["p"], links=[bom("p", "urn:uuid:s", 2, "x")])
    g = build_graph([prime, v3, v1])
    assert g.graph.has_edge(key(prime, "p"), key(v3, "x"))
    (diag,) = [d for d in g.diagnostics if d.code == "link-version-mismatch"]
    assert diag.severity is Severity.WARNING
    assert "version 2" in diag.message and "versions 1 and 3 were supplied" in diag.message
    assert "version 3 (v3.json) is used" in diag.message


def test_bom_link_without_version_takes_highest_silently() -> None:
    v1 = make_doc("v1", ["fw"], serial="urn:uuid:s", version=1)
    v2 = make_doc("v2", ["fw"], serial="urn:uuid:s", version=2)
    prime = make_doc("prime", ["p"], links=[bom("p", "urn:uuid:s", None)])
    g = build_graph([prime, v1, v2])
    assert g.graph.has_edge(key(prime, "p"), key(v2, "fw"))
    assert codes(g) == []


def test_same_serial_and_version_twice_is_ambiguous_first_wins() -> None:
    a = make_doc("a", ["fw"], serial="urn:uuid:s", version=1)
    b = make_doc("b", ["fw"], serial="urn:uuid:s", version=1)
    prime = make_doc("prime", ["p"], links=[bom("p", "urn:uuid:s", 1)])
    g = build_graph([prime, a, b])
    assert g.graph.has_edge(key(prime, "p"), key(a, "fw"))
    assert codes(g) == ["ambiguous-link"]


def test_missing_sub_sbom_is_unresolved_with_message() -> None:
    prime = make_doc(
        "prime", ["nvr", "drivers"], [("nvr", "drivers")], links=[bom("drivers", "urn:uuid:gone", 1)]
    )
    g = build_graph([prime])
    (u,) = g.unresolved
    assert u.source == key(prime, "drivers")
    assert u.link.document == "urn:uuid:gone"
    assert u.message.startswith("the SBOM of drivers 1.0, urn:uuid:gone/1#None")
    assert u.message.endswith("was not supplied")
    assert codes(g) == ["unresolved-link"]


def test_link_to_a_ref_the_target_lacks_is_unresolved() -> None:
    sub = make_doc("sub", ["fw"], serial="urn:uuid:s", version=1)
    prime = make_doc("prime", ["p"], links=[bom("p", "urn:uuid:s", 1, "nope")])
    g = build_graph([prime, sub])
    (u,) = g.unresolved
    assert "was supplied (sub.json) but has no component 'nope'" in u.message
    # an unresolved link does not make the target a sub-SBOM
    assert g.tiers[sub.key] == 0


def test_duplicate_links_counted_once() -> None:
    prime = make_doc("prime", ["p"], links=[bom("p", "urn:uuid:gone"), bom("p", "urn:uuid:gone")])
    assert len(build_graph([prime]).unresolved) == 1


def test_link_from_unknown_source_is_a_diagnostic() -> None:
    prime = make_doc("prime", ["p"])
    prime = prime._replace(links=(ExternalLink("zzz#q", LinkKind.BOM_LINK, "urn:cdx:s/1", "urn:uuid:s", 1),))
    g = build_graph([prime])
    assert codes(g) == ["unattached-link"]
    assert not g.unresolved


# -- SPDX 2 ExternalDocumentRef ----------------------------------------------------------


def spdx_pair(checksum: Hash | None, ref: str = "SPDXRef-fw") -> tuple[Document, Document]:
    sub = make_doc(
        "spdx-sub",
        ["SPDXRef-fw", "SPDXRef-isp"],
        [("SPDXRef-fw", "SPDXRef-isp")],
        serial="https://ns/sub",
        fmt="spdx",
    )
    prime = make_doc(
        "spdx-prime",
        ["SPDXRef-kiosk"],
        links=[("SPDXRef-kiosk", LinkKind.SPDX_EXTERNAL_DOCUMENT, "https://ns/sub", None, ref, checksum)],
        fmt="spdx",
    )
    return prime, sub


def test_spdx_external_document_sha256_match() -> None:
    prime, sub = spdx_pair(Hash("SHA-256", hashlib.sha256(b"spdx-sub").hexdigest()))
    g = build_graph([prime, sub])
    assert g.graph.has_edge(key(prime, "SPDXRef-kiosk"), key(sub, "SPDXRef-fw"))
    assert codes(g) == []
    assert g.tiers == {prime.key: 0, sub.key: 1}


def test_spdx_external_document_sha256_mismatch_warns_and_resolves() -> None:
    prime, sub = spdx_pair(Hash("SHA256", "00" * 32))
    g = build_graph([prime, sub])
    assert g.graph.has_edge(key(prime, "SPDXRef-kiosk"), key(sub, "SPDXRef-fw"))
    (diag,) = g.diagnostics
    assert diag.code == "link-checksum-mismatch" and diag.severity is Severity.WARNING
    assert sub.sha256 in diag.message


def test_spdx_external_document_sha1_cannot_be_verified() -> None:
    prime, sub = spdx_pair(Hash("SHA1", "ab" * 20))
    g = build_graph([prime, sub])
    assert g.graph.has_edge(key(prime, "SPDXRef-kiosk"), key(sub, "SPDXRef-fw"))
    (diag,) = g.diagnostics
    assert diag.code == "link-checksum-unverified" and diag.severity is Severity.INFO


def _sha1_bundle(tmp_path: Path, checksum: str | None = None, algorithm: str = "SHA1") -> tuple[Path, Path]:
    sub = tmp_path / "sub.spdx.json"
    sub.write_bytes((BUNDLES / "spdx2" / "sub.spdx.json").read_bytes())
    prime_doc = json.loads((BUNDLES / "spdx2" / "prime-good.spdx.json").read_text(encoding="utf-8"))
    value = checksum or hashlib.sha1(sub.read_bytes()).hexdigest()
    prime_doc["externalDocumentRefs"][0]["checksum"] = {"algorithm": algorithm, "checksumValue": value}
    prime = tmp_path / "prime.spdx.json"
    prime.write_text(json.dumps(prime_doc), encoding="utf-8")
    return prime, sub


def test_spdx_external_document_sha1_is_checked_against_the_input(tmp_path: Path) -> None:
    # SPDX 2 allows only SHA-1 in an ExternalDocumentRef: ingest keeps each input's SHA-1
    prime, sub = _sha1_bundle(tmp_path)
    loaded = sbomscan.load(sub)
    assert loaded.sha1 == hashlib.sha1(sub.read_bytes()).hexdigest()
    g = build_graph([sbomscan.load(prime), loaded])
    assert codes(g) == [] and len(g.link_edges) == 1
    prime, sub = _sha1_bundle(tmp_path, "ab" * 20)
    g = build_graph([sbomscan.load(prime), sbomscan.load(sub)])
    (diag,) = g.diagnostics
    assert diag.code == "link-checksum-mismatch" and "SHA-1 abab" in diag.message
    assert hashlib.sha1(sub.read_bytes()).hexdigest() in diag.message and len(g.link_edges) == 1


def test_spdx_external_document_sha1_is_of_the_bytes_read_not_the_file_now(tmp_path: Path) -> None:
    # the graph stage reads no file: a document given as bytes is checked, and a file
    # changed or removed after loading is checked against the bytes that were read
    prime, sub = _sha1_bundle(tmp_path)
    docs = [sbomscan.load(prime), sbomscan.load(sub.read_bytes(), name=str(sub))]
    sub.write_bytes(sub.read_bytes() + b"\n")
    assert codes(build_graph(docs)) == []
    sub.unlink()
    assert codes(build_graph(docs)) == []


def test_spdx_external_document_checksum_of_another_algorithm_is_unverified(tmp_path: Path) -> None:
    prime, sub = _sha1_bundle(tmp_path, hashlib.sha512(b"x").hexdigest(), algorithm="SHA512")
    (diag,) = build_graph([sbomscan.load(prime), sbomscan.load(sub)]).diagnostics
    assert diag.code == "link-checksum-unverified" and "not its SHA512" in diag.message


def test_spdx_document_ref_means_roots() -> None:
    prime, sub = spdx_pair(None, ref="SPDXRef-DOCUMENT")
    g = build_graph([prime, sub])
    assert list(g.graph.successors(key(prime, "SPDXRef-kiosk"))) == [key(sub, "SPDXRef-fw")]


def test_spdx_external_document_not_supplied() -> None:
    prime, _ = spdx_pair(None)
    g = build_graph([prime])
    (u,) = g.unresolved
    assert "(document https://ns/sub)" in u.message and "was not supplied" in u.message


# -- SPDX 3 imports ----------------------------------------------------------------------


def spdx3_link(
    source: str, document: str, ref: str
) -> tuple[str, LinkKind, str, int | None, str | None, None]:
    return (source, LinkKind.SPDX3_IMPORT, document, None, ref, None)


def test_spdx3_import_by_element_iri() -> None:
    vendor = make_doc(
        "v3", ["https://v/sdk", "https://v/npu"], [("https://v/sdk", "https://v/npu")], serial="https://v/doc"
    )
    # the import names a location hint, not the document IRI: found by element
    prime = make_doc(
        "p3", ["https://p/app"], links=[spdx3_link("https://p/app", "https://v/sbom.json", "https://v/sdk")]
    )
    g = build_graph([prime, vendor])
    assert g.graph.has_edge(key(prime, "https://p/app"), key(vendor, "https://v/sdk"))
    assert g.tier_of(key(vendor, "https://v/npu")) == 1


def test_spdx3_import_of_a_whole_document_links_to_its_roots() -> None:
    vendor = make_doc("v3", ["https://v/sdk"], serial="https://v/doc")
    prime = make_doc(
        "p3", ["https://p/app"], links=[spdx3_link("https://p/app", "https://v/doc", "https://v/doc")]
    )
    g = build_graph([prime, vendor])
    assert g.graph.has_edge(key(prime, "https://p/app"), key(vendor, "https://v/sdk"))


def test_spdx3_import_of_missing_element_in_supplied_document() -> None:
    vendor = make_doc("v3", ["https://v/sdk"], serial="https://v/doc")
    prime = make_doc(
        "p3", ["https://p/app"], links=[spdx3_link("https://p/app", "https://v/doc", "https://v/gone")]
    )
    (u,) = build_graph([prime, vendor]).unresolved
    assert "was supplied (v3.json) but has no element 'https://v/gone'" in u.message


# -- tiers -------------------------------------------------------------------------------


def test_tier_is_the_smallest_number_of_links() -> None:
    c = make_doc("c", ["c0"], serial="urn:uuid:c", version=1)
    b = make_doc("b", ["b0"], serial="urn:uuid:b", version=1, links=[bom("b0", "urn:uuid:c")])
    a = make_doc("a", ["a0", "a1"], [("a0", "a1")], links=[bom("a0", "urn:uuid:b"), bom("a1", "urn:uuid:c")])
    g = build_graph([c, b, a])
    assert g.tiers == {c.key: 1, b.key: 1, a.key: 0}
    assert [d.key for d in g.document_chain(c.key)] == [a.key, c.key]
    assert g.tier_of(key(c, "c0")) == 1
    assert g.document_of(key(c, "c0")) is c


def test_document_chain_is_deterministic_shortest() -> None:
    d = make_doc("d", ["d0"], serial="urn:uuid:d", version=1)
    b = make_doc("b", ["b0"], serial="urn:uuid:b", version=1, links=[bom("b0", "urn:uuid:d")])
    c = make_doc("c", ["c0"], serial="urn:uuid:c", version=1, links=[bom("c0", "urn:uuid:d")])
    a = make_doc("a", ["a0"], links=[bom("a0", "urn:uuid:c"), bom("a0", "urn:uuid:b")])
    g = build_graph([a, b, c, d])
    # both a→b→d and a→c→d are shortest; a writes its link to c first
    assert [x.key for x in g.document_chain(d.key)] == [a.key, c.key, d.key]
    assert g.document_chain(a.key) == (a,)


def test_cycle_below_a_product_sbom_has_no_cycle_diagnostic() -> None:
    x = make_doc("x", ["x0"], serial="urn:uuid:x", version=1, links=[bom("x0", "urn:uuid:y")])
    y = make_doc("y", ["y0"], serial="urn:uuid:y", version=1, links=[bom("y0", "urn:uuid:x")])
    p = make_doc("p", ["p0"], links=[bom("p0", "urn:uuid:x")])
    g = build_graph([x, y, p])
    assert g.tiers == {x.key: 1, y.key: 2, p.key: 0}
    assert g.roots == (key(p, "p0"),)
    assert "link-cycle" not in codes(g)


def test_cycle_with_nothing_above_first_loaded_member_is_tier_0() -> None:
    below = make_doc("below", ["z0"], serial="urn:uuid:z", version=1)
    x = make_doc(
        "x", ["x0"], serial="urn:uuid:x", version=1, links=[bom("x0", "urn:uuid:y"), bom("x0", "urn:uuid:z")]
    )
    y = make_doc("y", ["y0"], serial="urn:uuid:y", version=1, links=[bom("y0", "urn:uuid:x")])
    g = build_graph([below, y, x])  # 'below' is loaded first but is not in the cycle
    assert g.tiers == {below.key: 2, y.key: 0, x.key: 1}
    assert g.roots == (key(y, "y0"),)
    (diag,) = g.diagnostics
    assert diag.code == "link-cycle" and "y.json, loaded first, is taken as tier 0" in diag.message
    assert [d.key for d in g.document_chain(below.key)] == [y.key, x.key, below.key]


def test_self_link_is_an_edge_but_not_a_tier() -> None:
    a = make_doc("a", ["a0", "a1"], serial="urn:uuid:a", version=1, links=[bom("a0", "urn:uuid:a", 1, "a1")])
    g = build_graph([a])
    assert g.tiers == {a.key: 0}
    assert g.graph.has_edge(key(a, "a0"), key(a, "a1"))


def test_unknown_ids_raise_usage_error() -> None:
    g = build_graph([make_doc("a", ["a0"])])
    with pytest.raises(UsageError, match="no component"):
        g.tier_of("nope#x")
    with pytest.raises(UsageError, match="no component"):
        g.document_of("nope#x")
    with pytest.raises(UsageError, match="no loaded document"):
        g.document_chain("nope")


def test_empty_bundle() -> None:
    g = build_graph([])
    assert g.roots == () and g.tiers == {} and g.graph.number_of_nodes() == 0


def test_document_supplier_prefers_document_parties_then_root() -> None:
    org = PartyKind.ORGANIZATION
    a = make_doc("a", ["a0"], parties=(Party("Tool X", "tool"), Party("Prime LLC", "supplier", org)))
    assert document_supplier(a) == "Prime LLC"
    b = DocumentBuilder(
        source="b.json", sha256="b" * 64, format="cyclonedx", encoding="json", spec_version="1.6"
    )
    b.add_root(
        b.add_component("r", name="r", pointer=None, parties=(Party("Sensor Co", "manufacturer", org),))
    )
    doc = b.finish()
    assert document_supplier(doc) == "Sensor Co"
    g = build_graph([doc])
    assert document_supplier(doc, g.components) == "Sensor Co"
    assert document_supplier(make_doc("c", ["c0"])) is None


# -- end to end over hand-written bundles ------------------------------------------------


def load_bundle(name: str, *files: str) -> tuple[SbomGraph, dict[str, Document]]:
    docs = {f: sbomscan.load(BUNDLES / name / f) for f in files}
    return build_graph(docs.values()), docs


def by_name(g: SbomGraph, name: str) -> str:
    (cid,) = [c.id for c in g.components.values() if c.name == name]
    return cid


def test_bundle_tier2_through_two_bom_links() -> None:
    g, docs = load_bundle("tier2", "isp.cdx.json", "camera.cdx.json", "prime.cdx.json")
    prime, camera, isp = docs["prime.cdx.json"], docs["camera.cdx.json"], docs["isp.cdx.json"]
    assert g.tiers == {isp.key: 2, camera.key: 1, prime.key: 0}
    assert g.roots == (key(prime, "kiosk"),)
    assert g.tier_of(by_name(g, "isp-driver")) == 2
    chain = g.document_chain(isp.key)
    assert [d.key for d in chain] == [prime.key, camera.key, isp.key]
    assert [document_supplier(d, g.components) for d in chain] == [
        "Prime Systems Integration LLC",
        "Lensworks Subassemblies Ltd",
        "Sensorchip Design Co",
    ]
    # external reference without fragment → root; dependency BOM-Links with fragment → that component
    assert g.graph.has_edge(key(prime, "camera-module"), key(camera, "camera-fw"))
    assert g.graph.has_edge(key(prime, "ui"), key(camera, "video-sdk"))
    assert g.graph.has_edge(key(camera, "video-sdk"), key(isp, "isp-driver"))
    assert g.graph.has_edge(key(camera, "codec-pack"), key(isp, "isp-driver"))
    assert not g.unresolved and not g.diagnostics


def test_bundle_missing_sub_sbom() -> None:
    g, _ = load_bundle("missing", "prime.cdx.json")
    messages = [u.message for u in g.unresolved]
    assert messages == [
        "the SBOM of camera-driver-pack 2.1, urn:cdx:e0000000-0000-4000-8000-000000000005/1, was not supplied",
        "the SBOM of camera-driver-pack 2.1, https://supplier.example/sboms/camera-driver-pack-2.1.cdx.json, "
        "was not supplied",
    ]
    assert codes(g) == ["unresolved-link", "unresolved-link"]


def test_bundle_link_version_mismatch() -> None:
    g, docs = load_bundle("version", "prime.cdx.json", "modem-v1.cdx.json", "modem-v2.cdx.json")
    v2 = docs["modem-v2.cdx.json"]
    assert g.graph.has_edge(key(docs["prime.cdx.json"], "modem"), key(v2, "baseband"))
    assert g.tiers[v2.key] == 1
    (diag,) = g.diagnostics
    assert diag.code == "link-version-mismatch"
    assert "versions 1 and 2 were supplied; version 2" in diag.message


def test_bundle_cycles_within_and_across_documents() -> None:
    g, docs = load_bundle("cycles", "app.cdx.json", "plugin.cdx.json")
    app, plugin = docs["app.cdx.json"], docs["plugin.cdx.json"]
    assert g.tiers == {app.key: 0, plugin.key: 1}
    assert codes(g) == ["link-cycle"]
    assert g.graph.has_edge(key(plugin, "transcoder"), key(app, "core"))
    assert nx.has_path(g.graph, key(app, "core"), key(app, "core"))


def test_bundle_duplicate_document() -> None:
    g, _ = load_bundle("tier2", "prime.cdx.json")
    again = build_graph([sbomscan.load(BUNDLES / "tier2" / "prime.cdx.json")] * 2)
    assert len(again.documents) == 1 and codes(again) == [
        "duplicate-document",
        "unresolved-link",
        "unresolved-link",
    ]
    assert again.components.keys() == g.components.keys()


def test_bundle_spdx3_imports() -> None:
    g, docs = load_bundle("spdx3", "product.spdx3.json", "vendor.spdx3.json")
    product, vendor = docs["product.spdx3.json"], docs["vendor.spdx3.json"]
    assert g.tiers == {product.key: 0, vendor.key: 1}
    assert g.graph.has_edge(
        key(product, "https://product.example/pkg/app"),
        key(vendor, "https://vendor.example/sdk/pkg/vision-sdk"),
    )
    (u,) = g.unresolved
    assert (
        u.message
        == "the SBOM of doorbell-app 2.0.3, https://absent.example/doc/pkg/wifi-blob, was not supplied"
    )


def test_bundle_spdx3_import_of_an_element_written_with_a_compact_id() -> None:
    # the vendor writes its elements as "vs:pkg/..." through a namespaceMap; the product
    # imports the full IRI, which must still find the element
    text = (BUNDLES / "spdx3" / "vendor.spdx3.json").read_text(encoding="utf-8")
    text = text.replace('"https://vendor.example/sdk/pkg/', '"vs:pkg/')
    text = text.replace(
        '"name": "vision-sdk",\n',
        '"name": "vision-sdk", "namespaceMap": [{"type": "NamespaceMap", "prefix": "vs", '
        '"namespace": "https://vendor.example/sdk/"}],\n',
    )
    assert '"vs:pkg/vision-sdk"' in text and "namespaceMap" in text
    vendor = sbomscan.load(text.encode(), name="vendor.spdx3.json")
    product = sbomscan.load(BUNDLES / "spdx3" / "product.spdx3.json")
    g = build_graph([product, vendor])
    assert g.graph.has_edge(key(product, "https://product.example/pkg/app"), key(vendor, "vs:pkg/vision-sdk"))
    assert g.tier_of(key(vendor, "vs:pkg/npu-runtime")) == 1


def test_bundle_spdx2_external_document_checksums() -> None:
    good, docs = load_bundle("spdx2", "prime-good.spdx.json", "sub.spdx.json")
    sub = docs["sub.spdx.json"]
    assert good.tiers[sub.key] == 1
    assert codes(good) == []
    assert nx.has_path(good.graph, good.roots[0], by_name(good, "isp-driver"))
    bad, _ = load_bundle("spdx2", "prime-bad.spdx.json", "sub.spdx.json")
    assert "link-checksum-mismatch" in codes(bad)
    assert bad.tiers[sub.key] == 1
