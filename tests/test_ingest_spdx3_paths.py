"""The SPDX 3 reader's quick paths read what its general ones read.

The reader (``sbomscan/ingest/spdx3/jsonld.py``) takes the common shape of each value inline — a
non-empty string, one Hash in a list, a relationship ``from`` one id ``to`` a list of ids —
and hands everything else to general helpers; it finds inline elements by testing only the
keys an element's type usually has one by one; and it makes an edge at once when both
ends are components. These tests pin the cases where the quick and the general path meet.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomscan.ingest.spdx3.jsonld import _INLINE_KEYS, read_spdx3
from sbomscan.model import Document, EdgeKind

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"


def read(graph: list[Any]) -> Document:
    obj = {"@context": CONTEXT, "@graph": graph}
    return read_spdx3(obj, source="<test>", sha256="ab" * 32, strict=False)


def local(cid: str) -> str:
    return cid.split("#", 1)[1]


def package(ref: str, **fields: Any) -> dict[str, Any]:
    return {"type": "software_Package", "spdxId": ref, "name": ref.rsplit(":", 1)[-1], **fields}


def rel(ref: str, rtype: str, src: Any, to: Any, **fields: Any) -> dict[str, Any]:
    return {"type": "Relationship", "spdxId": ref, "relationshipType": rtype, "from": src, "to": to, **fields}


# -- values that mean "no value" ------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("NOASSERTION", False),
        ("noassertion", False),
        (" NONE ", False),
        ("\u00a0NONE", False),  # str.strip() removes every Unicode space, not only ASCII ones
        ("\x1cNone", False),  # ... and the ASCII separators 0x1c-0x1f
        ("  NOASSERTION\t", False),
        ("", False),
        ("None of it", True),
        ("n/a", True),
        ("https://x.example/", True),
    ],
)
def test_no_value_spellings_in_free_text_fields(written: str, kept: bool) -> None:
    doc = read(
        [
            package(
                "urn:a",
                software_homePage=written,
                software_downloadLocation=written,
                software_copyrightText=written,
            )
        ]
    )
    (c,) = (c for c in doc.components if c.ref == "urn:a")
    want = [("website", written), ("distribution", written)] if kept else []
    assert [(r.type, r.url) for r in c.external_refs] == want
    assert c.copyright == ((written,) if kept else ())


# -- hashes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verified", "hashes"),
    [
        ([{"type": "Hash", "algorithm": "sha256", "hashValue": "ABCDEF01"}], [("SHA-256", "abcdef01")]),
        ([{"type": "Hash", "algorithm": "sha1", "hashValue": "abc123"}], [("SHA-1", "abc123")]),
        ([{"type": "Hash", "algorithm": "md5", "hashValue": "0123"}], [("MD5", "0123")]),
        ([{"algorithm": "blake2b512", "hashValue": "Ab"}], [("BLAKE2B-512", "ab")]),  # type left out
        ({"type": "Hash", "algorithm": "sha3_256", "hashValue": "Ab"}, [("SHA3-256", "ab")]),  # no list
        (
            [
                {"type": "Hash", "algorithm": "sha256", "hashValue": "AA"},
                {"type": "Hash", "algorithm": "sha512", "hashValue": "bb"},
            ],
            [("SHA-256", "aa"), ("SHA-512", "bb")],
        ),
        ([{"type": "PackageVerificationCode", "algorithm": "sha1", "hashValue": "aa"}], []),
        ([{"type": "Hash", "algorithm": "sha256", "hashValue": ""}], []),
        ([{"type": "Hash", "algorithm": 1, "hashValue": "aa"}], []),
        (["urn:not-a-hash"], []),
    ],
)
def test_hashes(verified: Any, hashes: list[tuple[str, str]]) -> None:
    doc = read([package("urn:a", verifiedUsing=verified)])
    assert [tuple(h) for h in doc.components[0].hashes] == hashes


# -- edges ----------------------------------------------------------------------------------


def test_edges_keep_graph_order_whichever_path_reads_them() -> None:
    """Relationships read inline, relationships read by the general path (a scope, an
    artifact that "describes" another) and snippets give their edges in graph order; a
    dangling end is still reported, and only edges between components are made."""
    doc = read(
        [
            {"type": "SpdxDocument", "spdxId": "urn:doc", "rootElement": ["urn:a"]},
            *(package(f"urn:{x}") for x in "abcde"),
            {"type": "software_File", "spdxId": "urn:f", "name": "f"},
            rel("urn:r1", "contains", "urn:a", ["urn:b", "urn:f"]),
            {"type": "software_Snippet", "spdxId": "urn:s", "name": "s", "software_snippetFromFile": "urn:f"},
            {
                "type": "LifecycleScopedRelationship",
                "spdxId": "urn:r2",
                "relationshipType": "dependsOn",
                "from": "urn:a",
                "to": ["urn:c"],
                "scope": "runtime",
            },
            rel("urn:r3", "dependsOn", "urn:b", ["urn:d", "urn:missing", "urn:doc"]),
            rel("urn:r4", "describes", "urn:a", "urn:e"),
            rel("urn:r5", "generates", {"spdxId": "urn:e"}, [{"spdxId": "urn:c"}, "urn:d"]),
            rel("urn:r6", "DEPENDS_ON", "urn:c", ["urn:e"]),
        ]
    )
    assert [(local(e.source), e.kind, local(e.target), e.detail) for e in doc.edges] == [
        ("urn:a", EdgeKind.CONTAINS, "urn:b", "contains"),
        ("urn:a", EdgeKind.CONTAINS, "urn:f", "contains"),
        ("urn:f", EdgeKind.CONTAINS, "urn:s", "snippetFromFile"),
        ("urn:a", EdgeKind.DEPENDS_ON, "urn:c", "dependsOn (runtime)"),
        ("urn:b", EdgeKind.DEPENDS_ON, "urn:d", "dependsOn"),
        ("urn:a", EdgeKind.OTHER, "urn:e", "describes"),
        ("urn:c", EdgeKind.GENERATED_FROM, "urn:e", "generates"),
        ("urn:d", EdgeKind.GENERATED_FROM, "urn:e", "generates"),
        ("urn:c", EdgeKind.DEPENDS_ON, "urn:e", "dependsOn"),
    ]
    assert [(d.code, d.location) for d in doc.diagnostics] == [
        ("relationship-not-between-artifacts", None),  # b dependsOn the SpdxDocument
        ("dangling-ref", "/@graph/10"),  # b dependsOn urn:missing
    ]


# -- inline elements ------------------------------------------------------------------------

HOLDERS = {
    "relationship": rel("urn:r", "dependsOn", "urn:a", ["urn:a"]),
    "package": package("urn:h"),
    "agent": {"type": "Organization", "spdxId": "urn:o", "name": "o"},
    "untyped": {"spdxId": "urn:u"},
}


@pytest.mark.parametrize("key", _INLINE_KEYS)
@pytest.mark.parametrize("holder", sorted(HOLDERS))
@pytest.mark.parametrize("shape", ["object", "list"])
def test_an_inline_element_is_found_under_every_key(holder: str, key: str, shape: str) -> None:
    """Each element type tests only the keys it usually has one by one, and looks for
    the others: an element written inline under any of the keys is found all the same."""
    inline = package("urn:inline", name="inline")
    el = {**HOLDERS[holder], key: inline if shape == "object" else ["urn:a", inline]}
    doc = read([package("urn:a"), el])
    assert "urn:inline" in {c.ref for c in doc.components}


# -- a reference is an id, or an object with that id -----------------------------------------

EDGE_TYPES = ["contains", "dependsOn", "generates", "ancestorOf", "hasStaticLink", "other", "DEPENDS_ON"]


@st.composite
def products(draw: st.DrawFn) -> dict[str, Any]:
    """A product: packages, relationships between them (and to ids that are not there),
    some with a scope, licences and suppliers, a root."""
    n = draw(st.integers(1, 8))
    ids = [f"https://x.example/p{k}" for k in range(n)]
    graph: list[dict[str, Any]] = [
        {"type": "SpdxDocument", "spdxId": "https://x.example/doc", "rootElement": [ids[0]]},
        {"type": "Organization", "spdxId": "https://x.example/org", "name": "Acme"},
        {"type": "simplelicensing_LicenseExpression", "spdxId": "https://x.example/mit",
         "simplelicensing_licenseExpression": "MIT"},
    ]  # fmt: skip
    for ref in ids:
        graph.append(package(ref, suppliedBy="https://x.example/org"))
        graph.append(rel(ref + "/l", "hasConcludedLicense", ref, ["https://x.example/mit"]))
    ends = st.sampled_from([*ids, "https://x.example/missing", "https://x.example/org"])
    for k in range(draw(st.integers(0, 3 * n))):
        r = rel(
            f"https://x.example/r{k}", draw(st.sampled_from(EDGE_TYPES)), draw(ends), draw(st.lists(ends))
        )
        if draw(st.booleans()):
            r["type"] = "LifecycleScopedRelationship"
            r["scope"] = draw(st.sampled_from(["build", "runtime"]))
        graph.append(r)
    return {"@context": CONTEXT, "@graph": draw(st.permutations(graph))}


def _wrap(value: Any, ids: set[str]) -> Any:
    if isinstance(value, str) and value in ids:
        return {"spdxId": value}
    return value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products(), st.randoms(use_true_random=False))
def test_relationship_ends_written_as_objects_read_as_ids(obj: dict[str, Any], rnd: Any) -> None:
    """``from`` and ``to`` may name an element by id or write it inline; an inline object
    carrying the id of an element of the graph is that element. Rewriting some ends of the
    edge relationships that way changes nothing in the document."""
    ids = {el["spdxId"] for el in obj["@graph"]}
    wrapped = copy.deepcopy(obj)
    for el in wrapped["@graph"]:
        if el["type"].endswith("Relationship") and el["relationshipType"] != "hasConcludedLicense":
            if rnd.random() < 0.5:
                el["from"] = _wrap(el["from"], ids)
            el["to"] = [_wrap(t, ids) if rnd.random() < 0.5 else t for t in el["to"]]
    want = read_spdx3(obj, source="<test>", sha256="ab" * 32, strict=False)
    got = read_spdx3(wrapped, source="<test>", sha256="ab" * 32, strict=False)
    assert got == want
