"""The same product written in every encoding reads back to isomorphic graphs.

A product is generated (components with names, versions, suppliers and purls, a
containment tree, dependencies — names may repeat, as they do in real SBOMs), then written
by hand as CycloneDX JSON, CycloneDX XML, SPDX 2.3 JSON, SPDX 2.3 tag-value and SPDX 3.0.1
JSON-LD. Each is loaded with :func:`sbomscan.load`; the resulting graphs must be
isomorphic with the node attributes (name, version, supplier, purl) and edge kinds
preserved. This is what lets the later stages ignore which format a supplier chose.
"""

from __future__ import annotations

from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.model import Document, EdgeKind


class Item(NamedTuple):
    name: str
    version: str
    supplier: str | None
    purl: str


class Product(NamedTuple):
    items: list[Item]
    parent: list[int | None]  # containment: index of the containing item, or None = top level
    deps: list[tuple[int, int]]


NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=8).filter(
    lambda s: s.strip("-") == s
)
SUPPLIERS = st.sampled_from(
    [None, "Acme Widgets GmbH", "Blue Meridian Software Ltd", "Лаборатория Касперского"]
)


@st.composite
def products(draw: st.DrawFn) -> Product:
    n = draw(st.integers(min_value=1, max_value=12))
    items = []
    for i in range(n):
        name = draw(NAMES)
        version = f"{draw(st.integers(0, 3))}.{draw(st.integers(0, 9))}"
        items.append(Item(name, version, draw(SUPPLIERS), f"pkg:generic/{name}@{version}?i={i}"))
    parent = [None if i == 0 else draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(n)]
    deps = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1]),
            max_size=2 * n,
            unique=True,
        )
    )
    return Product(items, parent, deps)


# -- writers -------------------------------------------------------------------------------


def _cdx_component(p: Product, i: int) -> dict[str, object]:
    it = p.items[i]
    c: dict[str, object] = {
        "type": "library",
        "bom-ref": f"c{i}",
        "name": it.name,
        "version": it.version,
        "purl": it.purl,
    }
    if it.supplier:
        c["supplier"] = {"name": it.supplier}
    kids = [_cdx_component(p, k) for k, par in enumerate(p.parent) if par == i]
    if kids:
        c["components"] = kids
    return c


def cyclonedx_json(p: Product) -> bytes:
    top = [k for k, par in enumerate(p.parent) if par is None]
    deps: dict[str, list[str]] = {"root": [f"c{k}" for k in top]}
    for a, b in p.deps:
        deps.setdefault(f"c{a}", []).append(f"c{b}")
    return orjson.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
            "version": 1,
            "metadata": {
                "component": {"type": "application", "bom-ref": "root", "name": "product", "version": "1"}
            },
            "components": [_cdx_component(p, k) for k in top],
            "dependencies": [{"ref": r, "dependsOn": d} for r, d in deps.items()],
        }
    )


def cyclonedx_xml(p: Product) -> bytes:
    def comp(i: int) -> str:
        it = p.items[i]
        sup = f"<supplier><name>{escape(it.supplier)}</name></supplier>" if it.supplier else ""
        kids = "".join(comp(k) for k, par in enumerate(p.parent) if par == i)
        return (
            f'<component type="library" bom-ref="c{i}">{sup}<name>{escape(it.name)}</name>'
            f"<version>{it.version}</version><purl>{escape(it.purl)}</purl>"
            + (f"<components>{kids}</components>" if kids else "")
            + "</component>"
        )

    top = [k for k, par in enumerate(p.parent) if par is None]
    deps: dict[str, list[str]] = {"root": [f"c{k}" for k in top]}
    for a, b in p.deps:
        deps.setdefault(f"c{a}", []).append(f"c{b}")
    dep_xml = "".join(
        f"<dependency ref={quoteattr(r)}>" + "".join(f'<dependency ref="{t}"/>' for t in d) + "</dependency>"
        for r, d in deps.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6" '
        'serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">'
        '<metadata><component type="application" bom-ref="root"><name>product</name>'
        "<version>1</version></component></metadata>"
        f"<components>{''.join(comp(k) for k in top)}</components>"
        f"<dependencies>{dep_xml}</dependencies></bom>"
    ).encode()


def _spdx_rels(p: Product) -> list[tuple[str, str, str]]:
    rels = [("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-root")]
    for k, par in enumerate(p.parent):
        rels.append(("SPDXRef-root" if par is None else f"SPDXRef-c{par}", "CONTAINS", f"SPDXRef-c{k}"))
    rels += [(f"SPDXRef-c{a}", "DEPENDS_ON", f"SPDXRef-c{b}") for a, b in p.deps]
    return rels


def spdx_json(p: Product) -> bytes:
    pkgs: list[dict[str, object]] = [
        {"SPDXID": "SPDXRef-root", "name": "product", "versionInfo": "1", "downloadLocation": "NOASSERTION"}
    ]
    for i, it in enumerate(p.items):
        pkgs.append(
            {
                "SPDXID": f"SPDXRef-c{i}",
                "name": it.name,
                "versionInfo": it.version,
                "downloadLocation": "NOASSERTION",
                "supplier": f"Organization: {it.supplier}" if it.supplier else "NOASSERTION",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": it.purl,
                    }
                ],
            }
        )
    return orjson.dumps(
        {
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "product",
            "documentNamespace": "https://sbomscan.example/cross-format/1",
            "creationInfo": {"created": "2026-11-22T00:00:00Z", "creators": ["Tool: sbomscan-tests"]},
            "packages": pkgs,
            "relationships": [
                {"spdxElementId": a, "relationshipType": r, "relatedSpdxElement": b}
                for a, r, b in _spdx_rels(p)
            ],
        }
    )


def spdx_tag_value(p: Product) -> bytes:
    out = [
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: product\n"
        "DocumentNamespace: https://sbomscan.example/cross-format/1\n"
        "Creator: Tool: sbomscan-tests\nCreated: 2026-11-22T00:00:00Z\n\n"
        "PackageName: product\nSPDXID: SPDXRef-root\nPackageVersion: 1\nPackageDownloadLocation: NOASSERTION\n\n"
    ]
    for i, it in enumerate(p.items):
        sup = f"Organization: {it.supplier}" if it.supplier else "NOASSERTION"
        out.append(
            f"PackageName: {it.name}\nSPDXID: SPDXRef-c{i}\nPackageVersion: {it.version}\n"
            f"PackageSupplier: {sup}\nPackageDownloadLocation: NOASSERTION\n"
            f"ExternalRef: PACKAGE-MANAGER purl {it.purl}\n\n"
        )
    out += [f"Relationship: {a} {r} {b}\n" for a, r, b in _spdx_rels(p)]
    return "".join(out).encode()


def spdx3_jsonld(p: Product) -> bytes:
    ns = "https://sbomscan.example/cross-format/"
    graph: list[dict[str, object]] = [
        {
            "type": "CreationInfo",
            "@id": "_:creationinfo",
            "specVersion": "3.0.1",
            "created": "2026-11-22T00:00:00Z",
            "createdBy": [f"{ns}tool"],
        },
        {"type": "Tool", "spdxId": f"{ns}tool", "creationInfo": "_:creationinfo", "name": "sbomscan-tests"},
        {
            "type": "SpdxDocument",
            "spdxId": f"{ns}doc",
            "creationInfo": "_:creationinfo",
            "rootElement": [f"{ns}root"],
            "element": [f"{ns}root"] + [f"{ns}c{i}" for i in range(len(p.items))],
        },
        {
            "type": "software_Package",
            "spdxId": f"{ns}root",
            "creationInfo": "_:creationinfo",
            "name": "product",
            "software_packageVersion": "1",
        },
    ]
    suppliers: dict[str, str] = {}
    for i, it in enumerate(p.items):
        pkg: dict[str, object] = {
            "type": "software_Package",
            "spdxId": f"{ns}c{i}",
            "creationInfo": "_:creationinfo",
            "name": it.name,
            "software_packageVersion": it.version,
            "software_packageUrl": it.purl,
        }
        if it.supplier:
            sid = suppliers.setdefault(it.supplier, f"{ns}org{len(suppliers)}")
            pkg["suppliedBy"] = sid
        graph.append(pkg)
    for name, sid in suppliers.items():
        graph.append({"type": "Organization", "spdxId": sid, "creationInfo": "_:creationinfo", "name": name})
    rel_id = 0
    for k, par in enumerate(p.parent):
        rel_id += 1
        src = f"{ns}root" if par is None else f"{ns}c{par}"
        graph.append(
            {
                "type": "Relationship",
                "spdxId": f"{ns}rel{rel_id}",
                "creationInfo": "_:creationinfo",
                "from": src,
                "to": [f"{ns}c{k}"],
                "relationshipType": "contains",
            }
        )
    for a, b in p.deps:
        rel_id += 1
        graph.append(
            {
                "type": "Relationship",
                "spdxId": f"{ns}rel{rel_id}",
                "creationInfo": "_:creationinfo",
                "from": f"{ns}c{a}",
                "to": [f"{ns}c{b}"],
                "relationshipType": "dependsOn",
            }
        )
    return orjson.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph})


WRITERS = {
    "cyclonedx-json": cyclonedx_json,
    "cyclonedx-xml": cyclonedx_xml,
    "spdx-json": spdx_json,
    "spdx-tag-value": spdx_tag_value,
    "spdx3-jsonld": spdx3_jsonld,
}


# -- comparison ----------------------------------------------------------------------------


def as_graph(doc: Document) -> nx.MultiDiGraph:
    """Nodes with the identity attributes, edges with their kind; CONTAINS and DEPENDS_ON only
    (the kinds every format can express), the document's single root included."""
    g = nx.MultiDiGraph()
    for c in doc.components:
        supplier = next((p.name for p in c.parties if p.role == "supplier"), None)
        g.add_node(c.id, label=(c.name, c.version, supplier, c.purl if c.name != "product" else None))
    for e in doc.edges:
        if e.kind in (EdgeKind.CONTAINS, EdgeKind.DEPENDS_ON):
            g.add_edge(e.source, e.target, kind=e.kind)
    return g


def expected_graph(p: Product) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("root", label=("product", "1", None, None))
    for i, it in enumerate(p.items):
        g.add_node(i, label=(it.name, it.version, it.supplier, it.purl))
        g.add_edge("root" if p.parent[i] is None else p.parent[i], i, kind=EdgeKind.CONTAINS)
    for a, b in p.deps:
        g.add_edge(a, b, kind=EdgeKind.DEPENDS_ON)
    return g


def _edges_match(a: dict[object, dict[str, object]], b: dict[object, dict[str, object]]) -> bool:
    return sorted(str(d["kind"]) for d in a.values()) == sorted(str(d["kind"]) for d in b.values())


def _same(doc: Document, p: Product, fmt: str) -> None:
    got, want = as_graph(doc), expected_graph(p)
    # CycloneDX writes top-level containment of the root as a dependency, not a nesting:
    if fmt.startswith("cyclonedx"):
        for u, v, k, d in list(want.edges(keys=True, data=True)):
            if u == "root" and d["kind"] == EdgeKind.CONTAINS:
                want.remove_edge(u, v, k)
                want.add_edge(u, v, kind=EdgeKind.DEPENDS_ON)
    assert nx.is_isomorphic(
        got, want, node_match=lambda x, y: x["label"] == y["label"], edge_match=_edges_match
    ), f"{fmt}: graph differs from the product"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products())
def test_every_encoding_gives_the_same_graph(p: Product) -> None:
    for fmt, write in WRITERS.items():
        doc = sbomscan.load(write(p), name=f"<{fmt}>")
        assert not doc.synthetic_root, fmt
        _same(doc, p, fmt)
