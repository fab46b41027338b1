"""SPDX 2 RDF/XML read leniently: sbomscan's RDF reader (:mod:`sbomscan.ingest.spdx2.rdf`).

RDF/XML is read by spdx-tools first. spdx-tools has no lenient mode, so when it refuses a
document in lenient mode (the default) sbomscan reads the rdflib graph itself and says so
with a ``spdx-tools-refused`` warning; strict mode refuses as spdx-tools does. Checked here:

- every RDF document of the developer corpus that spdx-tools accepts reads to the same
  :class:`~sbomscan.model.Document` both ways — every field of every component, edge, root,
  link, party and diagnostic, nothing excepted — and to the same dict as far as
  :func:`~sbomscan.ingest.spdx2.dict.read_spdx2_dict` reads it;
- the corpus RDF documents spdx-tools refuses (tools-python's ``invalid/`` files: no
  creators, no SPDXIDs) load leniently with the warning and their elements, and are refused
  in strict mode;
- hand-written documents: missing creators, an unknown checksum algorithm, a relationship to
  an element that is not there, ``DocumentRef-`` links, blank-node elements, two values for
  one, licence sets nested and cyclic, no ``SpdxDocument`` node, the vocabulary spellings;
- hypothesis: graphs with triples dropped, duplicated, re-pointed or added with odd literals,
  and RDF/XML bytes cut or spliced, never raise anything but ``SbomscanError``, and what is
  read is a well-formed graph.

Two differences between the paths are deliberate, and no corpus document shows either:

- spdx-tools joins nested licence sets without parentheses, so ``MIT AND (Apache-2.0 OR
  GPL-2.0-only)`` comes out of it as ``(MIT AND Apache-2.0) OR GPL-2.0-only``; the lenient
  reader keeps the grouping the graph says (:func:`test_nested_licence_sets_keep_their_grouping`);
- an element IRI outside the document's namespace and every external document's is an SPDXID
  written whole, where spdx-tools gives rdflib's ``<iri>`` form
  (:func:`test_iri_outside_every_known_namespace_is_kept_whole`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, FIXTURES, corpus_files, requires_corpus
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

import sbomscan
from sbomscan.errors import IngestError, MalformedSbomError, SbomscanError
from sbomscan.ingest.spdx2.rdf import SPDX, graph_to_dict, read_rdf_graph
from sbomscan.ingest.spdx2.tools import read_rdf_xml
from sbomscan.model import Component, Document, EdgeKind, Hash, LinkKind, Severity

pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean:UserWarning")
"""rdflib warns (and reads on) when a boolean literal is neither true nor false: generated here."""

SHA = "0" * 64
ROUTER = (FIXTURES / "spdx2" / "router.spdx.rdf.xml").read_bytes()
ROUTER_NS = "https://sbomscan.example/spdx2/router-os-1.0"
_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CREATORS = (
    b"<spdx:creator>Tool: handmade</spdx:creator>",
    b"<spdx:creator>Organization: Acme Widgets GmbH</spdx:creator>",
)


def graph(data: bytes) -> Graph:
    return Graph().parse(data=data, format="xml")


def lenient(data: bytes) -> Document:
    """sbomscan's RDF reader, whatever spdx-tools thinks."""
    return read_rdf_graph(graph(data), source="t.rdf.xml", sha256=SHA)


def load(data: bytes, *, strict: bool = False) -> Document:
    """What ``sbomscan.load`` does with RDF/XML: spdx-tools, else (lenient) sbomscan's reader."""
    return read_rdf_xml(data, source="t.rdf.xml", sha256=SHA, strict=strict)


def codes(doc: Document) -> list[str]:
    return [d.code for d in doc.diagnostics]


def refused(doc: Document) -> bool:
    return codes(doc)[:1] == ["spdx-tools-refused"]


def real(doc: Document) -> list[Component]:
    """The document's own components (not the synthetic root sbomscan adds)."""
    return [c for c in doc.components if c.origin != "synthetic-root"]


def by_ref(doc: Document) -> dict[str, Any]:
    return {c.ref: c for c in doc.components}


def edges(doc: Document) -> set[tuple[str, str, str, str | None]]:
    ref = {c.id: c.ref for c in doc.components}
    return {(ref[e.source], e.kind.value, ref[e.target], e.detail) for e in doc.edges}


def without_creators(data: bytes) -> bytes:
    for c in CREATORS:
        assert c in data
        data = data.replace(c, b"")
    return data


def doc_xml(body: str, *, creators: bool = True, ns: str = "https://x.example/d") -> bytes:
    """An SPDX 2.3 RDF/XML document around ``body`` (``NS#`` in it stands for the namespace)."""
    creator = "<spdx:creator>Tool: handmade</spdx:creator>" if creators else ""
    head = f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
         xmlns:doap="http://usefulinc.com/ns/doap#"
         xmlns:spdx="http://spdx.org/rdf/terms#">
 <spdx:SpdxDocument rdf:about="NS#SPDXRef-DOCUMENT">
  <spdx:specVersion>SPDX-2.3</spdx:specVersion>
  <spdx:dataLicense rdf:resource="http://spdx.org/licenses/CC0-1.0"/>
  <spdx:name>d</spdx:name>
  <spdx:creationInfo><spdx:CreationInfo>
   <spdx:created>2026-01-01T00:00:00Z</spdx:created>{creator}
  </spdx:CreationInfo></spdx:creationInfo>
 </spdx:SpdxDocument>
"""
    return (head + body + "</rdf:RDF>\n").replace("NS#", ns + "#").encode()


def pkg(ref: str, name: str, inner: str = "") -> str:
    return (
        f'<spdx:Package rdf:about="NS#{ref}"><spdx:name>{name}</spdx:name>'
        '<spdx:downloadLocation rdf:resource="http://spdx.org/rdf/terms#noassertion"/>'
        f"{inner}</spdx:Package>\n"
    )


DESCRIBES_APP = (
    '<rdf:Description rdf:about="NS#SPDXRef-DOCUMENT"><spdx:describesPackage rdf:resource="NS#SPDXRef-app"/>'
    "</rdf:Description>\n"
)


def rel(rtype: str, target: str) -> str:
    return (
        "<spdx:relationship><spdx:Relationship>"
        f'<spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_{rtype}"/>'
        f'<spdx:relatedSpdxElement rdf:resource="{target}"/>'
        "</spdx:Relationship></spdx:relationship>"
    )


# -- what spdx-tools reads, read the same --------------------------------------------------

READ: dict[str, tuple[str, ...]] = {
    "": (
        "spdxVersion", "SPDXID", "name", "documentNamespace", "creationInfo", "externalDocumentRefs",
        "documentDescribes", "packages", "files", "snippets", "relationships",
    ),
    "creationInfo": ("creators",),
    "externalDocumentRefs": ("externalDocumentId", "spdxDocument", "checksum"),
    "checksum": ("algorithm", "checksumValue"),
    "checksums": ("algorithm", "checksumValue"),
    "packages": (
        "SPDXID", "name", "versionInfo", "supplier", "originator", "copyrightText", "licenseConcluded",
        "licenseDeclared", "externalRefs", "checksums", "homepage", "downloadLocation", "description",
        "summary", "primaryPackagePurpose", "packageFileName", "hasFiles", "comment", "annotations",
    ),
    "annotations": ("comment",),
    "externalRefs": ("referenceCategory", "referenceType", "referenceLocator", "comment"),
    "files": (
        "SPDXID", "fileName", "fileContributors", "copyrightText", "licenseConcluded", "licenseInfoInFiles",
        "checksums", "comment", "annotations",
    ),
    "snippets": (
        "SPDXID", "snippetFromFile", "name", "copyrightText", "licenseConcluded", "licenseInfoInSnippets",
        "comment",
    ),
    "relationships": ("spdxElementId", "relationshipType", "relatedSpdxElement"),
}  # fmt: skip
"""Every key :func:`~sbomscan.ingest.spdx2.dict.read_spdx2_dict` reads, by the key it sits under."""


def read_part(value: Any, key: str = "") -> Any:
    """``value`` with only what the reader reads (``None`` values dropped)."""
    if isinstance(value, list):
        return [read_part(x, key) for x in value]
    if isinstance(value, dict) and key in READ:
        return {k: read_part(v, k) for k, v in value.items() if k in READ[key] and v is not None}
    return value


def spdx_tools_dict(data: bytes) -> dict[str, Any]:
    from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter
    from spdx_tools.spdx.parser.rdf.rdf_parser import translate_graph_to_document

    converter: Any = DocumentConverter
    obj: dict[str, Any] = converter().convert(translate_graph_to_document(graph(data)))
    return obj


def emitted_keys(value: Any, key: str = "") -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    if isinstance(value, list):
        for x in value:
            out |= emitted_keys(x, key)
    elif isinstance(value, dict):
        for k, v in value.items():
            out.add((key, k))
            out |= emitted_keys(v, k)
    return out


def assert_reads_as_spdx_tools(data: bytes) -> Document:
    """spdx-tools accepts ``data``, and sbomscan's reader gives the same Document and the
    same dict (as far as it is read); the Document is returned."""
    want = load(data)
    assert not refused(want), want.diagnostics[0].message
    got = lenient(data)
    for field in Document._fields:  # field by field first, for a readable failure
        assert getattr(got, field) == getattr(want, field), field
    assert got == want
    mine = graph_to_dict(graph(data))
    assert mine.notes == ()
    assert read_part(mine.obj) == read_part(spdx_tools_dict(data))
    # the projection compares everything the converter writes (``created`` aside)
    assert emitted_keys(mine.obj) - {("creationInfo", "created")} <= {
        (parent, k) for parent, keys in READ.items() for k in keys
    }
    return want


# -- the corpus ---------------------------------------------------------------------------


def _rdf_files() -> list[Path]:
    out = []
    for p in corpus_files():
        with p.open("rb") as f:
            head = f.read(8192)
        if b"rdf:RDF" in head and b"http://spdx.org/rdf/terms#" in head:
            out.append(p)
    return out


RDF_FILES = _rdf_files()
ACCEPTED = [p for p in RDF_FILES if "/invalid/" not in p.as_posix()]
REFUSED = [p for p in RDF_FILES if "/invalid/" in p.as_posix()]


def _id(p: Path) -> str:
    return str(p.relative_to(CORPUS))


@requires_corpus
def test_corpus_has_rdf_documents_both_ways() -> None:
    assert len(ACCEPTED) >= 4
    assert {p.name for p in REFUSED} >= {
        "file_without_spdx_ids.xml",
        "invalid_creation_info.rdf.xml",
        "invalid_creation_info_with_snippet.rdf.xml",
    }


@requires_corpus
@pytest.mark.parametrize("path", ACCEPTED, ids=[_id(p) for p in ACCEPTED])
def test_corpus_rdf_spdx_tools_accepts_reads_the_same(path: Path) -> None:
    doc = assert_reads_as_spdx_tools(path.read_bytes())
    assert doc.components and doc.edges and doc.roots


@requires_corpus
@pytest.mark.parametrize("path", REFUSED, ids=[_id(p) for p in REFUSED])
def test_corpus_rdf_spdx_tools_refuses_loads_leniently(path: Path) -> None:
    doc = sbomscan.load(path)
    assert doc.format == "spdx" and doc.encoding == "rdf-xml"
    assert refused(doc)
    first = doc.diagnostics[0]
    assert first.severity is Severity.WARNING and "No creators provided" in first.message
    own = real(doc)
    assert len(own) == doc.declared_components
    assert doc.serial == "https://some.namespace" and doc.name == "documentName"
    with pytest.raises(IngestError) as info:
        sbomscan.load(path, strict=True)
    assert str(path) in str(info.value) and "creators" in str(info.value)
    ids = {c.id for c in doc.components}
    assert all(e.source in ids and e.target in ids for e in doc.edges) and set(doc.roots) <= ids
    if path.name == "file_without_spdx_ids.xml":  # every element a blank node
        got = {c.ref: (c.name, c.type, c.hashes, c.external_refs) for c in own}
        assert got == {
            "sbomscan:/packages/0": (
                "packageName", "package", (), ((("distribution", "http://differentdownload.com", None, None)),)
            ),
            "sbomscan:/files/0": (
                "./fileName.py", "file", (Hash("SHA-1", "71c4025dd9897b364f3ebbb42c484ff43d00791c"),), ()
            ),
            "sbomscan:/snippets/0": ("snippet", "snippet", (), ()),
        }  # fmt: skip
        assert "rdf-anonymous-element" in codes(doc)
    elif path.name == "invalid_creation_info_with_snippet.rdf.xml":
        (snippet,) = own
        assert (snippet.ref, snippet.name, snippet.copyright) == (
            "SPDXRef-Snippet",
            "snippetName",
            ("licenseCopyrightText",),
        )
        assert snippet.licenses == ("MIT AND GPL-2.0-only", "MIT", "GPL-2.0-only")
        # snippetFromFile names a file the document does not hold
        assert any(d.code == "dangling-ref" and "SPDXRef-File" in d.message for d in doc.diagnostics)
    elif path.name == "invalid_creation_info.rdf.xml":
        assert own == []


# -- hand-written documents ---------------------------------------------------------------


def test_router_reads_as_spdx_tools() -> None:
    doc = assert_reads_as_spdx_tools(ROUTER)
    assert len(doc.components) == 5 and doc.links


def test_missing_creators_read_as_with_them() -> None:
    want = load(ROUTER)
    data = without_creators(ROUTER)
    got = load(data)
    assert refused(got) and "No creators provided" in got.diagnostics[0].message
    assert got.diagnostics[1:] == want.diagnostics
    assert got._replace(diagnostics=(), parties=()) == want._replace(diagnostics=(), parties=())
    assert got.parties == () and want.parties
    with pytest.raises(MalformedSbomError, match="creators"):
        load(data, strict=True)


@pytest.mark.parametrize("creators", [True, False])
def test_rdflib_warnings_become_one_diagnostic_not_a_traceback(
    creators: bool, capfd: pytest.CaptureFixture[str]
) -> None:
    """rdflib logs a traceback for a literal that does not fit its datatype; on a terminal
    with no logging set up, Python would print it. It becomes one diagnostic instead, on
    both the spdx-tools path and the lenient one, and the rdflib logger is left as it was."""
    bad = '<spdx:Package rdf:about="NS#SPDXRef-lib"><spdx:name>lib</spdx:name>'
    bad += '<spdx:filesAnalyzed rdf:datatype="http://www.w3.org/2001/XMLSchema#boolean">maybe</spdx:filesAnalyzed>'
    bad += '<spdx:versionInfo rdf:datatype="http://www.w3.org/2001/XMLSchema#int">abc</spdx:versionInfo>'
    bad += '<spdx:downloadLocation rdf:resource="http://spdx.org/rdf/terms#noassertion"/></spdx:Package>\n'
    rdflib_logger = logging.getLogger("rdflib")
    before = (rdflib_logger.propagate, list(rdflib_logger.handlers))
    doc = load(doc_xml(DESCRIBES_APP + pkg("SPDXRef-app", "app") + bad, creators=creators))
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    warnings = [d for d in doc.diagnostics if d.code == "rdf-parser-warning"]
    assert len(warnings) == 1 and "Literal" in warnings[0].message and "XMLSchema#int" in warnings[0].message
    assert refused(doc) is not creators
    assert sorted(c.name for c in real(doc)) == ["app", "lib"]
    assert (rdflib_logger.propagate, list(rdflib_logger.handlers)) == before


def test_rdflib_warnings_stay_with_their_own_document_across_threads() -> None:
    """Documents parsed side by side in threads: each gets rdflib's warnings about its own
    literals and no one else's (document i has i % 4 bad literals, so a stray warning shows
    in the count), a thread that is not parsing RDF still has its rdflib records reach the
    user's handlers meanwhile, and the rdflib logger ends as it began."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    def bad(i: int) -> str:
        return (
            f'<spdx:versionInfo rdf:datatype="http://www.w3.org/2001/XMLSchema#int">x{i}</spdx:versionInfo>'
        )

    docs = [
        doc_xml(DESCRIBES_APP + pkg("SPDXRef-app", f"app{i}", "".join(bad(k) for k in range(i % 4))))
        for i in range(24)
    ]
    rdflib_logger = logging.getLogger("rdflib")
    before = (rdflib_logger.propagate, list(rdflib_logger.handlers), rdflib_logger.level)
    seen: list[logging.LogRecord] = []
    user = logging.Handler(logging.WARNING)
    user.emit = seen.append  # type: ignore[method-assign]
    root = logging.getLogger()
    root.addHandler(user)
    start = threading.Barrier(9)  # eight readers and the bystander
    stop = threading.Event()

    def read(i: int) -> tuple[int, list[str]]:
        if i < 8:
            start.wait(timeout=60)
        doc = load(docs[i])
        return i, [d.message for d in doc.diagnostics if d.code == "rdf-parser-warning"]

    def bystander() -> int:
        start.wait(timeout=60)
        n = 0
        while not stop.is_set() and n < 10_000:
            logging.getLogger("rdflib.term").warning("bystander %d", n)
            n += 1
        return n

    try:
        with ThreadPoolExecutor(9) as pool:
            side = pool.submit(bystander)
            results = list(pool.map(read, range(24)))
            stop.set()
            logged = side.result()
    finally:
        root.removeHandler(user)
    for i, messages in results:
        k = i % 4
        if k == 0:
            assert messages == [], (i, messages)
        else:
            (message,) = messages
            more = f" (and {k - 1} more)" if k > 1 else ""
            assert message.endswith(f"Converter=<class 'int'>{more}"), (i, message)
            assert "bystander" not in message
    assert sum(r.getMessage().startswith("bystander") for r in seen) == logged
    assert (rdflib_logger.propagate, list(rdflib_logger.handlers), rdflib_logger.level) == before
    assert not rdflib_logger.disabled


def test_unknown_checksum_algorithm_is_kept() -> None:
    data = ROUTER.replace(b"checksumAlgorithm_sha256", b"checksumAlgorithm_sha999")
    want = load(ROUTER)
    got = load(data)
    assert refused(got) and "ChecksumAlgorithm" in got.diagnostics[0].message
    (hash_,) = by_ref(got)["SPDXRef-radio"].hashes
    assert hash_ == Hash("SHA999", "11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd")
    fixed = [c._replace(hashes=()) if c.ref == "SPDXRef-radio" else c for c in got.components]
    assert fixed == [c._replace(hashes=()) if c.ref == "SPDXRef-radio" else c for c in want.components]
    assert (got.edges, got.roots, got.links) == (want.edges, want.roots, want.links)
    with pytest.raises(MalformedSbomError, match="ChecksumAlgorithm"):
        load(data, strict=True)


@pytest.mark.parametrize("creators", [True, False], ids=["spdx-tools", "lenient"])
def test_relationship_to_an_element_not_there(creators: bool) -> None:
    data = doc_xml(
        pkg("SPDXRef-app", "app", rel("dependsOn", "NS#SPDXRef-ghost") + rel("dependsOn", "NS#SPDXRef-lib"))
        + pkg("SPDXRef-lib", "lib")
        + DESCRIBES_APP,
        creators=creators,
    )
    doc = load(data)
    assert refused(doc) is not creators
    if creators:
        assert_reads_as_spdx_tools(data)
    assert edges(doc) == {("SPDXRef-app", "depends_on", "SPDXRef-lib", "DEPENDS_ON")}
    (dangling,) = [d for d in doc.diagnostics if d.code == "dangling-ref"]
    assert "SPDXRef-ghost" in dangling.message
    assert [r.split("#", 1)[1] for r in doc.roots] == ["SPDXRef-app"]
    with pytest.raises(MalformedSbomError):
        load(data, strict=True)


EXTERNAL = """<rdf:Description rdf:about="NS#SPDXRef-DOCUMENT">
 <spdx:externalDocumentRef><spdx:ExternalDocumentRef rdf:about="NS#DocumentRef-fw">
  <spdx:externalDocumentId>DocumentRef-fw</spdx:externalDocumentId>
  <spdx:spdxDocument rdf:resource="https://vendor.example/spdx/fw-2.1"/>
  <spdx:checksum><spdx:Checksum>
   <spdx:algorithm rdf:resource="http://spdx.org/rdf/terms#checksumAlgorithm_sha1"/>
   <spdx:checksumValue>D6A770BA38583ED4BB4525BD96E50461655D2759</spdx:checksumValue>
  </spdx:Checksum></spdx:checksum>
 </spdx:ExternalDocumentRef></spdx:externalDocumentRef>
 <spdx:describesPackage rdf:resource="NS#SPDXRef-app"/>
</rdf:Description>
"""


@pytest.mark.parametrize("creators", [True, False], ids=["spdx-tools", "lenient"])
def test_document_ref_links(creators: bool) -> None:
    data = doc_xml(
        EXTERNAL
        + pkg("SPDXRef-app", "app", rel("dependsOn", "https://vendor.example/spdx/fw-2.1#SPDXRef-modem")),
        creators=creators,
    )
    mine = graph_to_dict(graph(data)).obj
    assert mine["relationships"][0] == {
        "spdxElementId": "SPDXRef-app",
        "relationshipType": "DEPENDS_ON",
        "relatedSpdxElement": "DocumentRef-fw:SPDXRef-modem",
    }
    doc = load(data)
    assert refused(doc) is not creators
    if creators:
        assert_reads_as_spdx_tools(data)
    (app,) = doc.components
    (link,) = doc.links
    assert (link.source, link.kind, link.uri, link.document, link.ref, link.checksum) == (
        app.id,
        LinkKind.SPDX_EXTERNAL_DOCUMENT,
        "DocumentRef-fw:SPDXRef-modem",
        "https://vendor.example/spdx/fw-2.1",
        "SPDXRef-modem",
        Hash("SHA-1", "d6a770ba38583ed4bb4525bd96e50461655d2759"),
    )


def test_iri_outside_every_known_namespace_is_kept_whole() -> None:
    """An element IRI in neither the document's namespace nor an external document's is its
    SPDXID as written. spdx-tools writes it in rdflib's N3 form, ``<iri>`` (or as
    ``prefix:name`` when the XML happens to declare a prefix for that namespace): the other
    difference between the two paths, in refs and messages only, never in what connects."""
    other = "https://other.example/d2#SPDXRef-x"
    data = doc_xml(
        pkg("SPDXRef-app", "app", rel("staticLink", other) + rel("dependsOn", "NS#SPDXRef-y"))
        + pkg("SPDXRef-z", "x").replace("NS#SPDXRef-z", other)
        + pkg("SPDXRef-y", "y", rel("contains", other))
        + DESCRIBES_APP
    )
    got, want = lenient(data), load(data)
    assert not refused(want)
    assert [c.ref for c in real(got)] == ["SPDXRef-app", other, "SPDXRef-y"]
    assert [c.ref for c in real(want)] == ["SPDXRef-app", f"<{other}>", "SPDXRef-y"]
    assert edges(got) == {
        ("SPDXRef-app", "static_link", other, "STATIC_LINK"),
        ("SPDXRef-app", "depends_on", "SPDXRef-y", "DEPENDS_ON"),
        ("SPDXRef-y", "contains", other, "CONTAINS"),
    }
    assert {(a, k, b.strip("<>"), d) for a, k, b, d in edges(want)} == edges(got)
    assert [c._replace(id="", ref="") for c in got.components] == [
        c._replace(id="", ref="") for c in want.components
    ]


def test_blank_node_elements_keep_their_relationships() -> None:
    data = doc_xml(
        """<rdf:Description rdf:about="NS#SPDXRef-DOCUMENT"><spdx:describesPackage>
 <spdx:Package rdf:nodeID="app"><spdx:name>app</spdx:name>
  <spdx:hasFile><spdx:File rdf:nodeID="main"><spdx:fileName>./main.c</spdx:fileName></spdx:File></spdx:hasFile>
  <spdx:supplier>Organization: Dahua Technology</spdx:supplier>
 </spdx:Package></spdx:describesPackage></rdf:Description>
<spdx:Snippet rdf:nodeID="snip"><spdx:snippetFromFile rdf:nodeID="main"/><spdx:name>s</spdx:name></spdx:Snippet>
""",
        creators=True,
    )
    doc = load(data)
    assert refused(doc)
    assert edges(doc) == {
        ("sbomscan:/packages/0", "contains", "sbomscan:/files/0", "CONTAINS"),
        ("sbomscan:/files/0", "contains", "sbomscan:/snippets/0", "snippetFromFile"),
    }
    assert [r.split("#", 1)[1] for r in doc.roots] == ["sbomscan:/packages/0"]
    assert [p.name for p in by_ref(doc)["sbomscan:/packages/0"].parties] == ["Dahua Technology"]
    (note,) = [d for d in doc.diagnostics if d.code == "rdf-anonymous-element"]
    assert note.message.startswith("3 element(s)") and note.location == "/packages/0"


def test_second_value_of_a_single_valued_property() -> None:
    data = doc_xml(
        pkg("SPDXRef-a", "first", "<spdx:name>second</spdx:name><spdx:versionInfo>1</spdx:versionInfo>")
    )
    doc = load(data)
    assert refused(doc) and "Multiple values" in doc.diagnostics[0].message
    (a,) = real(doc)
    assert a.version == "1"
    assert a.name in ("first", "second")  # the first in the graph: rdflib keeps no document order promise
    (note,) = [d for d in doc.diagnostics if d.code == "rdf-several-values"]
    assert note.location == "/packages/0" and "name" in note.message


def licence_set(kind: str, *members: str) -> str:
    return f"<spdx:{kind}>" + "".join(f"<spdx:member>{m}</spdx:member>" for m in members) + f"</spdx:{kind}>"


def licence(name: str) -> str:
    return f'<spdx:ListedLicense rdf:about="http://spdx.org/licenses/{name}"/>'


def test_nested_licence_sets_keep_their_grouping() -> None:
    nested = licence_set(
        "ConjunctiveLicenseSet",
        licence("MIT"),
        licence_set("DisjunctiveLicenseSet", licence("Apache-2.0"), licence("GPL-2.0-only")),
    )
    data = doc_xml(pkg("SPDXRef-a", "a", f"<spdx:licenseConcluded>{nested}</spdx:licenseConcluded>"))
    (a,) = real(lenient(data))
    assert a.licenses == ("MIT AND (Apache-2.0 OR GPL-2.0-only)",)
    # spdx-tools joins the members' texts without parentheses, which regroups them; the one
    # difference between the two paths, and why the lenient reader does not copy it
    (b,) = real(load(data))
    assert b.licenses == ("(MIT AND Apache-2.0) OR GPL-2.0-only",)


def test_licence_set_that_contains_itself() -> None:
    data = doc_xml(
        pkg(
            "SPDXRef-a",
            "a",
            '<spdx:licenseConcluded><spdx:ConjunctiveLicenseSet rdf:nodeID="loop">'
            '<spdx:member rdf:resource="http://spdx.org/licenses/MIT"/>'
            '<spdx:member><spdx:DisjunctiveLicenseSet><spdx:member rdf:nodeID="loop"/>'
            '<spdx:member rdf:resource="http://spdx.org/licenses/BSD-3-Clause"/>'
            "</spdx:DisjunctiveLicenseSet></spdx:member>"
            "</spdx:ConjunctiveLicenseSet></spdx:licenseConcluded>",
        ),
        creators=False,
    )
    doc = load(data)
    (a,) = real(doc)
    assert a.licenses == ()  # left out, not read with the part that loops missing
    (note,) = [d for d in doc.diagnostics if d.code == "rdf-licence-unreadable"]
    assert note.location == "/packages/0"
    # the sets of another element that do not loop are read
    g = graph(data)
    extra = BNode()
    g.add((extra, _RDF_TYPE, URIRef(SPDX + "DisjunctiveLicenseSet")))
    for name in ("MIT", "BSD-3-Clause"):
        g.add((extra, URIRef(SPDX + "member"), URIRef(f"http://spdx.org/licenses/{name}")))
    g.add((URIRef("https://x.example/d#SPDXRef-a"), URIRef(SPDX + "licenseDeclared"), extra))
    (a,) = real(read_rdf_graph(g, source="t.rdf.xml", sha256=SHA))
    assert a.licenses == ("MIT OR BSD-3-Clause",)


def licence_graph(package_licence: Callable[[Graph], Node]) -> Graph:
    """The nested-licence document's graph with the package's licence built by a function."""
    g = graph(doc_xml(pkg("SPDXRef-a", "a")))
    a = URIRef("https://x.example/d#SPDXRef-a")
    g.add((a, URIRef(SPDX + "licenseConcluded"), package_licence(g)))
    return g


def test_licence_sets_that_double_at_each_level_are_left_out() -> None:
    def doubling(g: Graph) -> Node:
        prev: Node = URIRef("http://spdx.org/licenses/MIT")
        for i in range(40):  # 2**40 characters if written out
            top, left, right = BNode(), BNode(), BNode()
            for node, kind, members in (
                (left, "DisjunctiveLicenseSet", [prev, URIRef("http://spdx.org/licenses/BSD-3-Clause")]),
                (right, "DisjunctiveLicenseSet", [prev, URIRef(f"http://spdx.org/licenses/X-{i}")]),
                (top, "ConjunctiveLicenseSet", [left, right]),
            ):
                g.add((node, _RDF_TYPE, URIRef(SPDX + kind)))
                for m in members:
                    g.add((node, URIRef(SPDX + "member"), m))
            prev = top
        return prev

    g = licence_graph(doubling)
    r = graph_to_dict(g)
    assert "licenseConcluded" not in r.obj["packages"][0]
    assert [n.code for n in r.notes] == ["rdf-licence-unreadable"]
    built = [x for x in built_licence_texts(g) if x]
    assert 5_000 < max(map(len, built)) <= 10_000  # the levels below the limit were built


def test_a_chain_of_licence_sets_deeper_than_python_recursion_is_read_within_budget() -> None:
    def chain(g: Graph) -> Node:
        prev: Node = URIRef("http://spdx.org/licenses/MIT")
        for i in range(5000):  # spdx-tools' recursive walk would hit RecursionError
            node = BNode()
            g.add(
                (
                    node,
                    _RDF_TYPE,
                    URIRef(SPDX + ("ConjunctiveLicenseSet" if i % 2 else "DisjunctiveLicenseSet")),
                )
            )
            g.add((node, URIRef(SPDX + "member"), prev))
            g.add((node, URIRef(SPDX + "member"), URIRef(f"http://spdx.org/licenses/L-{i}")))
            prev = node
        return prev

    g = licence_graph(chain)
    r = graph_to_dict(g)
    assert [n.code for n in r.notes] == ["rdf-licence-unreadable"]
    # every expression kept is within the limits: at most 10,000 characters, and all of them
    # together at most the budget (64 characters a triple and a million)
    sets = [x for x in built_licence_texts(g) if x and (" AND " in x or " OR " in x)]
    assert len(sets) > 100
    assert max(map(len, sets)) <= 10_000 and sum(map(len, sets)) <= 64 * len(g) + 1_000_000
    assert read_rdf_graph(g, source="t.rdf.xml", sha256=SHA).components[0].name == "a"


def built_licence_texts(g: Graph) -> list[str | None]:
    """The texts the converter built for every licence node of ``g`` (its cache, read after
    a conversion)."""
    from sbomscan.ingest.spdx2.rdf import _Converter

    c = _Converter(g)
    c.convert()
    return [v[0] if v is not None else None for v in c._licenses.values()]


@pytest.mark.parametrize(
    "about",
    [None, "https://x.example/no-fragment", "two"],
    ids=["no-document", "iri-without-fragment", "two-documents"],
)
def test_no_single_spdx_document_node(about: str | None) -> None:
    body = pkg("SPDXRef-a", "a", "<spdx:supplier>Organization: Hikvision</spdx:supplier>")
    data = doc_xml(body)
    if about is None:
        data = data.replace(b"spdx:SpdxDocument", b"spdx:NotADocument")
    elif about == "two":
        data = data.replace(
            b"</rdf:RDF>", b'<spdx:SpdxDocument rdf:about="https://y.example/e#SPDXRef-DOCUMENT"/></rdf:RDF>'
        )
    else:
        data = data.replace(b"https://x.example/d#SPDXRef-DOCUMENT", about.encode())
    with pytest.raises(MalformedSbomError, match="SpdxDocument"):  # spdx-tools would sys.exit(1)
        load(data, strict=True)
    doc = load(data)
    assert refused(doc) and "SpdxDocument" in doc.diagnostics[0].message
    assert "rdf-no-document" in codes(doc)
    assert [(c.name, [p.name for p in c.parties]) for c in doc.components if c.type == "package"] == [
        ("a", ["Hikvision"])
    ]


def test_broken_xml_is_malformed_in_either_mode() -> None:
    for strict in (False, True):
        with pytest.raises(MalformedSbomError):
            load(ROUTER.replace(b"</spdx:Package>", b"</spdx:Packag>", 1), strict=strict)


VOCABULARY = doc_xml(
    EXTERNAL
    + pkg(
        "SPDXRef-app",
        "app",
        """<spdx:primaryPackagePurpose rdf:resource="http://spdx.org/rdf/terms#purpose_operatingSystem"/>
<spdx:versionInfo> 1.0 </spdx:versionInfo><spdx:packageFileName>app.tar</spdx:packageFileName>
<spdx:originator>Person:  Jane Doe  ( jane@example.com )</spdx:originator>
<spdx:supplier rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
<doap:homepage>https://app.example</doap:homepage><spdx:summary>s</spdx:summary>
<spdx:copyrightText rdf:resource="http://spdx.org/rdf/terms#none"/>
<spdx:checksum><spdx:Checksum><spdx:algorithm rdf:resource="http://spdx.org/rdf/terms#checksumAlgorithm_blake2b256"/>
<spdx:checksumValue>AB</spdx:checksumValue></spdx:Checksum></spdx:checksum>
<spdx:checksum><spdx:Checksum><spdx:algorithm rdf:resource="http://spdx.org/rdf/terms#checksumAlgorithm_sha3_256"/>
<spdx:checksumValue>cd</spdx:checksumValue></spdx:Checksum></spdx:checksum>
<spdx:externalRef><spdx:ExternalRef>
<spdx:referenceCategory rdf:resource="http://spdx.org/rdf/terms#referenceCategory_persistentId"/>
<spdx:referenceType rdf:resource="NS#LocationRef-forge"/><spdx:referenceLocator>forge/app</spdx:referenceLocator>
<rdfs:comment>the forge</rdfs:comment></spdx:ExternalRef></spdx:externalRef>
<spdx:externalRef><spdx:ExternalRef>
<spdx:referenceCategory rdf:resource="http://spdx.org/rdf/terms#referenceCategory_packageManager"/>
<spdx:referenceType rdf:resource="http://spdx.org/rdf/references/purl"/>
<spdx:referenceLocator>pkg:npm/app@1.0</spdx:referenceLocator></spdx:ExternalRef></spdx:externalRef>
<spdx:licenseDeclared><spdx:WithExceptionOperator>
<spdx:member rdf:resource="http://spdx.org/licenses/GPL-2.0-only"/>
<spdx:licenseException rdf:resource="http://spdx.org/licenses/Classpath-exception-2.0"/>
</spdx:WithExceptionOperator></spdx:licenseDeclared>
<spdx:licenseConcluded rdf:resource="NS#LicenseRef-own"/>
<spdx:hasFile rdf:resource="NS#SPDXRef-f"/>"""
        + rel("buildToolOf", "NS#SPDXRef-f")
        + rel("other", "http://spdx.org/rdf/terms#none")
        + rel("contains", "http://spdx.org/rdf/terms#noassertion"),
    )
    + """<spdx:File rdf:about="NS#SPDXRef-f"><spdx:fileName>./f.c</spdx:fileName>
<spdx:fileContributor> Huawei Technologies Co., Ltd. </spdx:fileContributor>
<spdx:licenseInfoInFile rdf:resource="http://spdx.org/licenses/MIT"/>
<spdx:licenseInfoInFile rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
<rdfs:comment> c </rdfs:comment>
<spdx:relationship><spdx:Relationship>
<spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_containedBy"/>
<spdx:relatedSpdxElement rdf:resource="NS#SPDXRef-app"/><rdfs:comment>why</rdfs:comment>
</spdx:Relationship></spdx:relationship></spdx:File>
"""
)


def test_vocabulary_reads_as_spdx_tools() -> None:
    doc = assert_reads_as_spdx_tools(VOCABULARY)
    app = by_ref(doc)["SPDXRef-app"]
    assert (app.type, app.version, app.purl) == ("operating-system", "1.0", "pkg:npm/app@1.0")
    assert app.hashes == (Hash("BLAKE2B-256", "ab"), Hash("SHA3-256", "cd"))
    assert app.licenses == ("LicenseRef-own", "GPL-2.0-only WITH Classpath-exception-2.0")
    assert ("SPDXRef-f", "depends_on", "SPDXRef-app", "BUILD_TOOL_OF") in edges(doc)


# -- hypothesis: any graph, any bytes -------------------------------------------------------


def _canonical(g: Graph) -> list[tuple[Node, Node, Node]]:
    """The graph's triples in one order with blank nodes named by the graph's shape: rdflib
    names parsed blank nodes at random and iterates its store in an order of its own, so the
    properties below drew different triples on every run of the same commit (CI included)."""
    return sorted(to_canonical_graph(g), key=lambda t: tuple(x.n3() for x in t))


_BASES = {"router": _canonical(graph(ROUTER)), "vocabulary": _canonical(graph(VOCABULARY))}
_TERMS = [
    URIRef(SPDX + t)
    for t in [
        "Package", "File", "Snippet", "SpdxDocument", "CreationInfo", "Relationship", "ConjunctiveLicenseSet",
        "DisjunctiveLicenseSet", "WithExceptionOperator", "OrLaterOperator", "noassertion", "none", "member",
        "name", "relationship", "relatedSpdxElement", "relationshipType", "relationshipType_dependsOn",
        "hasFile", "describesPackage", "externalDocumentRef", "spdxDocument", "checksum", "algorithm",
        "checksumValue", "licenseConcluded", "licenseInfoInFile", "externalRef", "referenceType",
        "referenceCategory", "snippetFromFile", "creationInfo", "creator", "specVersion",
        "checksumAlgorithm_", "referenceCategory_x",
    ]
]  # fmt: skip
_IRIS = [
    URIRef(f"{ROUTER_NS}#SPDXRef-radio"),
    URIRef(f"{ROUTER_NS}#"),
    URIRef(ROUTER_NS),
    URIRef("https://sbomscan.example/spdx2/modem-2.0#SPDXRef-x"),
    URIRef("https://sbomscan.example/spdx2/modem-2.0"),
    URIRef("http://spdx.org/licenses/MIT"),
    URIRef("urn:x"),
]
_BLANKS = [BNode("b1"), BNode("b2")]
_LITERALS = st.one_of(
    st.sampled_from(["", " ", "NOASSERTION", "NONE", "SPDXRef-radio", "Organization:", "Tool:", "(", "#"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
    st.integers().map(str),
).flatmap(
    lambda text: st.sampled_from(
        [
            Literal(text),
            Literal(text, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
            Literal(text, datatype=URIRef("http://www.w3.org/2001/XMLSchema#boolean")),
            Literal(text, lang="en"),
        ]
    )
)


@st.composite
def mutated(draw: st.DrawFn, *, literal_subjects: bool) -> Graph:
    """A base document's graph with triples dropped, given another object (instead of the
    one they had, or besides it), re-pointed, or added from a pool of the graph's own nodes, SPDX terms, odd IRIs, blank
    nodes and odd literals (typed literals whose text is not of their type among them)."""
    base = _BASES[draw(st.sampled_from(sorted(_BASES)))]
    triples = base
    nodes = sorted({x for t in triples for x in (t[0], t[2]) if not isinstance(x, Literal)}, key=str)
    preds = sorted({t[1] for t in triples}, key=str)
    valued = [t for t in triples if isinstance(t[2], Literal)]
    some_node = st.one_of(st.sampled_from(nodes), st.sampled_from(_TERMS + _IRIS + _BLANKS))
    some_object = st.one_of(some_node, _LITERALS)
    some_subject = st.one_of(some_node, _LITERALS) if literal_subjects else some_node
    some_pred = st.one_of(st.sampled_from(preds), st.sampled_from([*_TERMS, _RDF_TYPE]))
    g = Graph(store="SimpleMemory")  # iterates in insertion order; the default store by hash
    for t in triples:
        g.add(t)
    for _ in range(draw(st.integers(1, 12))):
        op = draw(
            st.sampled_from(["drop", "value", "value", "replace", "duplicate", "repoint", "add", "type"])
        )
        k = draw(st.integers(0, len(triples) - 1))
        s, p, o = triples[k]
        if op == "drop":
            g.remove((s, p, o))
        elif op == "value":  # another value where the document has a literal: the text read
            s, p, o = draw(st.sampled_from(valued))
            g.remove((s, p, o))
            g.add((s, p, draw(_LITERALS)))
        elif op == "replace":
            g.remove((s, p, o))
            g.add((s, p, draw(some_object)))
        elif op == "duplicate":
            g.add((s, p, draw(some_object)))
        elif op == "repoint":
            g.remove((s, p, o))
            g.add((draw(some_subject), p, o))
        elif op == "add":
            g.add((draw(some_subject), draw(some_pred), draw(some_object)))
        else:
            g.add((draw(some_subject), _RDF_TYPE, draw(st.sampled_from(_TERMS))))
    return g


def assert_well_formed(doc: Document) -> None:
    ids = [c.id for c in doc.components]
    assert len(set(ids)) == len(ids)
    assert all(e.source in ids and e.target in ids for e in doc.edges)
    assert set(doc.roots) <= set(ids) and (doc.roots or not doc.components)
    assert all(link.source in ids for link in doc.links)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=mutated(literal_subjects=True))
def test_any_graph_is_read_without_raising(g: Graph) -> None:
    """The converter reads any graph at all (not even SbomscanError), and the reader makes
    a well-formed document of it."""
    doc = read_rdf_graph(g, source="t.rdf.xml", sha256=SHA)
    assert_well_formed(doc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=mutated(literal_subjects=False), strict=st.booleans())
def test_any_rdf_xml_loads_or_raises_sbomscan_error(g: Graph, strict: bool) -> None:
    """The whole path (defusedxml, rdflib, spdx-tools, then sbomscan's reader) on the
    mutated graph written as RDF/XML: a document, or a SbomscanError, nothing else."""
    try:
        data = g.serialize(format="xml").encode()
    except Exception:  # rdflib cannot write every graph (a predicate with no QName): not ours
        event("rdflib cannot write the graph")
        return
    try:
        doc = sbomscan.load(data, strict=strict)
    except SbomscanError:
        event(f"refused (strict={strict})")
        return
    assert_well_formed(doc)
    assert not strict or not refused(doc)
    event(f"read by {'sbomscan' if refused(doc) else 'spdx-tools'} (strict={strict})")


_SWAPS = {
    b"rdf:resource=": [b"rdf:nodeID=", b"rdf:li=", b"rdf:datatype=", b""],
    b"rdf:about=": [b"rdf:ID=", b"rdf:aboutEach=", b'rdf:nodeID="n" rdf:about=', b'xml:lang="x" rdf:about='],
    b"<spdx:name>": [
        b'<spdx:name rdf:parseType="Resource">',
        b'<spdx:name rdf:parseType="Literal">',
        b"<spdx:name/>",
    ],
    b"<spdx:Checksum>": [b'<spdx:Checksum rdf:parseType="Collection">', b"<rdf:li>", b"<spdx:Checksum/>"],
    b"spdx:": [b"spdx2:", b"rdf:", b""],
    b"rdf:": [b"rdfs:", b"spdx:"],
    b">": [b"/>", b"", b">&#0;"],
    b"#": [b"", b"##", b" ", b"%"],
}
"""Tokens of the base document, and what one occurrence may become: RDF/XML that is still
well-formed XML but that rdflib or spdx-tools may refuse (a nodeID that is not a name,
attributes that cannot stand together, parse types, unbound prefixes)."""


@settings(max_examples=150, deadline=None)
@given(
    how=st.sampled_from(["cut", "swap"]),
    start=st.integers(0, len(ROUTER)),
    length=st.integers(0, 200),
    insert=st.binary(max_size=20),
    swap=st.sampled_from(sorted(_SWAPS)).flatmap(lambda k: st.tuples(st.just(k), st.sampled_from(_SWAPS[k]))),
    strict=st.booleans(),
)
def test_mutated_rdf_xml_loads_or_raises_sbomscan_error(
    how: str, start: int, length: int, insert: bytes, swap: tuple[bytes, bytes], strict: bool
) -> None:
    """The base document's bytes cut and spliced, or one occurrence of a token swapped: a
    well-formed document, or a SbomscanError, nothing else."""
    if how == "cut":
        data = ROUTER[:start] + insert + ROUTER[start + length :]
    else:
        token, other = swap
        at = ROUTER.find(token, start)
        at = at if at >= 0 else ROUTER.find(token)
        data = ROUTER[:at] + other + ROUTER[at + len(token) :]
    try:
        doc = sbomscan.load(data, strict=strict)
    except SbomscanError as exc:
        event(f"{how}: {type(exc).__name__}")
        return
    event(f"{how}: read by {'sbomscan' if refused(doc) else 'spdx-tools'}")
    assert_well_formed(doc)


def test_edge_kinds_of_the_router() -> None:
    # a fixed point for the properties above: the base reads as its JSON twin does
    doc = lenient(ROUTER)
    assert ("SPDXRef-radio", EdgeKind.CONTAINS.value, "SPDXRef-cfg", "CONTAINS") in edges(doc)
    assert ("SPDXRef-radio", EdgeKind.DEPENDS_ON.value, "SPDXRef-crypto", "DEPENDENCY_OF") in edges(doc)
