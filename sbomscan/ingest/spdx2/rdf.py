"""SPDX 2 RDF/XML read leniently: an rdflib graph into the dict shape of SPDX 2 JSON.

spdx-tools reads RDF/XML strictly: one value it cannot take (a document without creators,
an element written as a blank node and so without an SPDXID, an unknown checksum
algorithm, two values where SPDX allows one) and it refuses the whole document. sbomscan's
rule is to read what is there and say what is wrong, so when spdx-tools refuses an RDF
document in lenient mode, :func:`read_rdf_graph` reads the same rdflib graph itself: it
builds the dict that spdx-tools' parser followed by its JSON converter would have built,
as far as :func:`~sbomscan.ingest.spdx2.dict.read_spdx2_dict` reads it, and leaves out what is
missing or malformed (the reader then says what a required field lacks).

How an SPDX 2 RDF document is read, as spdx-tools reads it:

- The ``spdx:SpdxDocument`` node's IRI is the document namespace, ``#``, the document's
  SPDXID. An element IRI in that namespace is read as its fragment (``SPDXRef-x``); an IRI
  in the namespace of an ``spdx:externalDocumentRef``'s ``spdx:spdxDocument`` as
  ``DocumentRef-y:SPDXRef-x``; any other IRI as written.
- Packages, files and snippets are the nodes typed ``spdx:Package``, ``spdx:File``,
  ``spdx:Snippet``, in the graph's order. Relationships are ``spdx:relationship`` nodes;
  ``spdx:hasFile`` is a ``CONTAINS`` and ``spdx:describesPackage`` a ``DESCRIBES``
  relationship, each added once.
- Vocabulary IRIs become the JSON spellings: ``checksumAlgorithm_sha256`` -> ``SHA256``,
  ``referenceCategory_packageManager`` -> ``PACKAGE_MANAGER``, ``relationshipType_dependsOn``
  -> ``DEPENDS_ON``, ``purpose_operatingSystem`` -> ``OPERATING_SYSTEM``,
  ``spdx:noassertion`` -> ``NOASSERTION``. Licence sets become expressions
  (``ConjunctiveLicenseSet`` -> ``AND``, nested sets parenthesised) and, like actors, are
  normalised as spdx-tools' model writes them (the functions the tag-value reader uses).

Where spdx-tools would refuse, this reads on: an element that is a blank node gets the
ref ``sbomscan:/packages/N`` (its place in the converted dict), so relationships that name
the same node still connect; a second value of a single-valued property is ignored (the
first one in the graph is read); a checksum algorithm outside SPDX's list, an unknown
category or relationship type, a licence given as plain text are kept as written. What was
passed over is said in a few diagnostics (:attr:`RdfDict.notes`). A licence expression whose
sets contain themselves, or that grows too long, is left out rather than read with a part
missing. The work is one pass over each element's triples; licence sets are walked without
recursion, each node once, and the text built for them is bounded by the graph's size, so a
hostile graph costs time and memory in proportion to its size.

>>> from rdflib import Graph
>>> g = Graph().parse(format="xml", data='''<rdf:RDF
...   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#">
...  <spdx:SpdxDocument rdf:about="https://x.example/d#SPDXRef-DOCUMENT">
...   <spdx:specVersion>SPDX-2.3</spdx:specVersion>
...   <spdx:describesPackage><spdx:Package rdf:about="https://x.example/d#SPDXRef-app">
...     <spdx:name>app</spdx:name>
...     <spdx:supplier>Organization: Acme</spdx:supplier></spdx:Package></spdx:describesPackage>
...  </spdx:SpdxDocument></rdf:RDF>''')
>>> r = graph_to_dict(g)
>>> r.obj["packages"], r.obj["relationships"]  # doctest: +NORMALIZE_WHITESPACE
([{'SPDXID': 'SPDXRef-app', 'name': 'app', 'supplier': 'Organization: Acme'}],
 [{'spdxElementId': 'SPDXRef-DOCUMENT', 'relationshipType': 'DESCRIBES', 'relatedSpdxElement': 'SPDXRef-app'}])
>>> [n.code for n in r.notes]   # no creationInfo: the reader says so, not the converter
[]
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, NamedTuple

from rdflib import Graph
from rdflib.term import BNode, Literal, Node, URIRef

from ...model import Diagnostic, Document, Severity
from ..builder import SYNTHETIC_PREFIX
from ..tally import Tally
from .dict import read_spdx2_dict
from .tagvalue import normalise_actor, normalise_license

__all__ = ["RdfDict", "graph_to_dict", "read_rdf_graph"]

SPDX = "http://spdx.org/rdf/terms#"
_LICENSES = "http://spdx.org/licenses/"
_REFERENCES = "http://spdx.org/rdf/references/"


def _t(name: str) -> URIRef:
    return URIRef(SPDX + name)


_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
_HOMEPAGE = URIRef("http://usefulinc.com/ns/doap#homepage")
_NO_VALUE: dict[Node | None, str] = {_t("noassertion"): "NOASSERTION", _t("none"): "NONE"}
"""``spdx:noassertion`` / ``spdx:none`` as the JSON spellings."""
_SPDX_DOCUMENT, _CREATION_INFO = _t("SpdxDocument"), _t("CreationInfo")
_PACKAGE, _FILE, _SNIPPET = _t("Package"), _t("File"), _t("Snippet")
_AND, _OR, _WITH, _OR_LATER = (
    _t("ConjunctiveLicenseSet"),
    _t("DisjunctiveLicenseSet"),
    _t("WithExceptionOperator"),
    _t("OrLaterOperator"),
)
_MEMBER = _t("member")

_ALGORITHMS = frozenset(
    {
        "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3_256", "SHA3_384", "SHA3_512", "BLAKE2B_256",
        "BLAKE2B_384", "BLAKE2B_512", "BLAKE3", "MD2", "MD4", "MD5", "MD6", "ADLER32",
    }
)  # fmt: skip
"""spdx-tools' ``ChecksumAlgorithm`` names (SPDX 2.3 §7.10)."""

_CAMEL = re.compile(r"(?!^)([A-Z]+)")
"""spdx-tools' ``camel_case_to_snake_case``: ``_`` before every upper-case run but the first."""

_CUT: tuple[str, URIRef | None] = ("", None)
"""A licence set that cannot be read (it contains itself, or grows too long), by identity."""
_MAX_EXPRESSION = 10_000
"""Longest licence expression built from a licence-set graph; sets that share members can
double the text at each level, so anything longer is left out with a note."""
_BUDGET_PER_TRIPLE = 64
"""Characters of licence expressions built (and kept, one per licence node) per triple of
the graph, plus a fixed million: real documents use a few per triple, and a hostile chain of
sets, each a little longer than the one it contains, cannot make the converter hold more than
this multiple of its input."""


class RdfDict(NamedTuple):
    """An RDF graph read: the SPDX 2 JSON-shaped dict, and what was passed over."""

    obj: dict[str, Any]
    notes: tuple[Diagnostic, ...]


def read_rdf_graph(
    graph: Graph, *, source: str, sha256: str, before: tuple[Diagnostic, ...] = ()
) -> Document:
    """The document an SPDX 2 RDF graph says, read leniently: :func:`graph_to_dict`, then
    :func:`~sbomscan.ingest.spdx2.dict.read_spdx2_dict`. The diagnostics are ``before`` (the
    caller's, e.g. why spdx-tools did not read it), the converter's notes, then the
    reader's own."""
    r = graph_to_dict(graph)
    doc = read_spdx2_dict(r.obj, source=source, sha256=sha256, encoding="rdf-xml", strict=False, consume=True)
    if before or r.notes:
        doc = doc._replace(diagnostics=(*before, *r.notes, *doc.diagnostics))
    return doc


def graph_to_dict(graph: Graph) -> RdfDict:
    """The dict spdx-tools' RDF parser and JSON converter would give for ``graph``, read
    leniently (see the module's description). Never raises on any graph."""
    return _Converter(graph).convert()


def _enum(local: str) -> str:
    """An RDF vocabulary name in the JSON enum spelling: ``packageManager`` ->
    ``PACKAGE_MANAGER`` (spdx-tools' rule); one already upper case stays, ``-`` becomes ``_``.

    >>> _enum("operatingSystem"), _enum("PACKAGE-MANAGER"), _enum("describes")
    ('OPERATING_SYSTEM', 'PACKAGE_MANAGER', 'DESCRIBES')
    """
    if local != local.upper():
        local = _CAMEL.sub(r"_\1", local)
    return local.upper().replace("-", "_")


def _local(value: str, prefix: str) -> str:
    """The name after ``#`` (else the last ``/``) of a vocabulary IRI, without ``prefix``."""
    if "#" in value:
        value = value.rpartition("#")[2]
    elif "/" in value:
        value = value.rpartition("/")[2]
    return value[len(prefix) :] if value.startswith(prefix) else value


def _algorithm(value: str) -> str:
    """A checksum algorithm in spdx-tools' JSON spelling (``checksumAlgorithm_blake2b256``
    -> ``BLAKE2b-256``); one outside SPDX's list is kept as written.

    >>> _algorithm(SPDX + "checksumAlgorithm_sha3_256"), _algorithm("sha999")
    ('SHA3-256', 'sha999')
    """
    local = _local(value.strip(), "checksumAlgorithm_")
    name = local.upper()
    if "BLAKE2B" in name and "BLAKE2B_" not in name:
        name = name.replace("BLAKE2B", "BLAKE2B_")
    if name not in _ALGORITHMS:
        return local
    return name.replace("_", "-").replace("BLAKE2B", "BLAKE2b")


class _Notes:
    """What the converter passed over: one diagnostic per kind, with the count, the first
    place (a pointer into the converted dict) and up to three examples."""

    TEXT: ClassVar[dict[str, tuple[Severity, str]]] = {
        "rdf-no-document": (
            Severity.WARNING,
            "no single spdx:SpdxDocument node named <namespace>#<SPDXID> ({examples}); IRIs outside "
            "a known namespace are kept whole as SPDXIDs",
        ),
        "rdf-anonymous-element": (
            Severity.WARNING,
            "{n} element(s) without an SPDXID (a blank node, or an IRI ending in '#') were given "
            "sbomscan's ref for their place in the document: {examples}",
        ),
        "rdf-several-values": (
            Severity.WARNING,
            "{n} time(s) a property SPDX allows once was written more than once; the first value in "
            "the graph was read: {examples}",
        ),
        "rdf-licence-unreadable": (
            Severity.WARNING,
            "{n} licence expression(s) with licence sets that contain themselves or grow too long "
            "were left out: {examples}",
        ),
    }

    def __init__(self) -> None:
        self._tally = Tally[str]()

    def add(self, code: str, where: str, example: str) -> None:
        self._tally.add(code, where, example[:80])

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        out = []
        for code, where, count, shown in self._tally.entries():
            severity, text = self.TEXT[code]
            out.append(Diagnostic(severity, code, text.format(n=count, examples=shown), where))
        return tuple(out)


class _Converter:
    """One conversion of one graph; every node's triples are read once and kept."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.notes = _Notes()
        self._props: dict[Node, dict[Node, list[Node]]] = {}
        self._licenses: dict[Node, tuple[str, URIRef | None] | None] = {}
        """Licence node -> (expression, its top-level operator), built once per node."""
        self._budget = _BUDGET_PER_TRIPLE * len(graph) + 1_000_000
        """Characters of licence expressions that may still be built."""
        self.ns: str | None = None
        """The document namespace (the SpdxDocument IRI before ``#``)."""
        self.external: dict[str, str] = {}
        """External document namespace -> its DocumentRef id (the first one to name it)."""
        self.anonymous: dict[Node, str] = {}
        """Element nodes without an SPDXID of their own -> the ref given them."""

    # -- reading the graph ---------------------------------------------------------------

    def props(self, node: Node) -> dict[Node, list[Node]]:
        p = self._props.get(node)
        if p is None:
            p = {}
            for pred, obj in self.g.predicate_objects(node):
                values = p.get(pred)
                if values is None:
                    p[pred] = [obj]
                else:
                    values.append(obj)
            self._props[node] = p
        return p

    def values(self, node: Node, pred: URIRef) -> list[Node]:
        return self.props(node).get(pred, [])

    def one(self, node: Node, pred: URIRef, where: str) -> Node | None:
        """The value of a single-valued property; a second one is noted and ignored."""
        values = self.props(node).get(pred)
        if not values:
            return None
        if len(values) > 1:
            self.notes.add("rdf-several-values", where, _local(str(pred), ""))
        return values[0]

    def text(self, node: Node, pred: URIRef, where: str) -> str | None:
        """A literal (or an IRI written as a resource) as stripped text; ``None`` when
        missing, empty or a blank node."""
        v = self.one(node, pred, where)
        if v is None or isinstance(v, BNode):
            return None
        return str(v).strip() or None

    def text_or_no_value(self, node: Node, pred: URIRef, where: str) -> str | None:
        """:meth:`text`, with ``spdx:noassertion`` / ``spdx:none`` as ``NOASSERTION`` / ``NONE``."""
        v = self.one(node, pred, where)
        if v is None or isinstance(v, BNode):
            return None
        return _NO_VALUE.get(v) or str(v).strip() or None

    def spdx_id(self, node: Node | None) -> str | None:
        """The SPDXID an IRI stands for (see the module's description), or ``None``."""
        if node is None:
            return None
        ref = self.anonymous.get(node)
        if ref is not None:
            return ref
        if isinstance(node, URIRef):
            s = str(node)
            ns = self.ns
            if ns is not None and s.startswith(ns) and s[len(ns) : len(ns) + 1] == "#":
                return s[len(ns) + 1 :] or None
            base, sep, local = s.partition("#")
            ident = self.external.get(base) if sep else None
            if ident is not None:
                return f"{ident}:{local}" if local else ident
            return s or None
        if isinstance(node, Literal):
            return str(node).strip() or None
        return None

    # -- the document --------------------------------------------------------------------

    def convert(self) -> RdfDict:
        g = self.g
        obj: dict[str, Any] = {}
        docs = [s for s, _, _ in g.triples((None, _TYPE, _SPDX_DOCUMENT))]
        doc: Node | None = docs[0] if docs else None
        if len(docs) != 1 or not isinstance(doc, URIRef) or "#" not in doc:
            self.notes.add(
                "rdf-no-document", "", f"{len(docs)} found" + (f", the first {doc}" if doc else "")
            )
        if isinstance(doc, URIRef):
            ns, _, frag = str(doc).partition("#")
            self.ns = ns
            obj["documentNamespace"] = ns
            if frag:
                obj["SPDXID"] = frag
        if doc is not None:
            self.document(doc, obj)
        kinds = (("packages", _PACKAGE), ("files", _FILE), ("snippets", _SNIPPET))
        nodes = {key: [s for s, _, _ in g.triples((None, _TYPE, cls))] for key, cls in kinds}
        for key, _cls in kinds:  # refs first: relationships and snippets name elements of any kind
            for i, node in enumerate(nodes[key]):
                if node not in self.anonymous and self.spdx_id(node) is None:
                    self.anonymous[node] = f"{SYNTHETIC_PREFIX}/{key}/{i}"
                    self.notes.add("rdf-anonymous-element", f"/{key}/{i}", f"/{key}/{i}")
        read = {"packages": self.package, "files": self.file, "snippets": self.snippet}
        for key, _cls in kinds:
            if nodes[key]:
                obj[key] = [read[key](node, f"/{key}/{i}") for i, node in enumerate(nodes[key])]
        relationships = self.relationships()
        if relationships:
            obj["relationships"] = relationships
        return RdfDict(obj, self.notes.diagnostics())

    def document(self, doc: Node, obj: dict[str, Any]) -> None:
        put(obj, "spdxVersion", self.text(doc, _t("specVersion"), "/spdxVersion"))
        put(obj, "name", self.text(doc, _t("name"), "/name"))
        info = self.one(doc, _t("creationInfo"), "/creationInfo")
        if info is None:
            info = self.g.value(predicate=_TYPE, object=_CREATION_INFO)
        if info is not None:
            creators = [
                normalise_actor(str(c).strip())
                for c in self.values(info, _t("creator"))
                if not isinstance(c, BNode) and str(c).strip()
            ]
            ci: dict[str, Any] = {}
            put(ci, "creators", creators or None)
            put(ci, "created", self.text(info, _t("created"), "/creationInfo/created"))
            obj["creationInfo"] = ci
        refs = []
        for k, node in enumerate(self.values(doc, _t("externalDocumentRef"))):
            where = f"/externalDocumentRefs/{k}"
            ident = None
            if isinstance(node, URIRef) and self.ns is not None and str(node).startswith(self.ns + "#"):
                ident = str(node)[len(self.ns) + 1 :] or None
            if ident is None or not ident.startswith("DocumentRef-"):
                ident = self.text(node, _t("externalDocumentId"), where) or ident
            uri = self.text(node, _t("spdxDocument"), where)
            ref: dict[str, Any] = {}
            put(ref, "externalDocumentId", ident)
            put(ref, "spdxDocument", uri)
            c = self.one(node, _t("checksum"), where)
            if c is not None:
                ref["checksum"] = self.checksum(c, f"{where}/checksum")
            refs.append(ref)
            if ident and uri:
                self.external.setdefault(uri, ident)
        if refs:
            obj["externalDocumentRefs"] = refs

    # -- elements ------------------------------------------------------------------------

    def package(self, node: Node, ptr: str) -> dict[str, Any]:
        text, no_value = self.text, self.text_or_no_value
        p: dict[str, Any] = {"SPDXID": self.spdx_id(node)}
        put(p, "name", text(node, _t("name"), ptr))
        put(p, "versionInfo", text(node, _t("versionInfo"), ptr))
        put(p, "packageFileName", text(node, _t("packageFileName"), ptr))
        for key in ("supplier", "originator"):
            v = no_value(node, _t(key), ptr)
            if v is not None:
                p[key] = v if v in ("NOASSERTION", "NONE") else normalise_actor(v)
        put(p, "downloadLocation", no_value(node, _t("downloadLocation"), ptr))
        put(p, "homepage", text(node, _HOMEPAGE, ptr))
        put(p, "copyrightText", no_value(node, _t("copyrightText"), ptr))
        put(p, "licenseConcluded", self.license_of(node, _t("licenseConcluded"), ptr))
        put(p, "licenseDeclared", self.license_of(node, _t("licenseDeclared"), ptr))
        put(p, "description", text(node, _t("description"), ptr))
        put(p, "summary", text(node, _t("summary"), ptr))
        put(p, "comment", text(node, _COMMENT, ptr))
        purpose = self.one(node, _t("primaryPackagePurpose"), ptr)
        if purpose is not None and not isinstance(purpose, BNode) and str(purpose).strip():
            p["primaryPackagePurpose"] = _enum(_local(str(purpose).strip(), "purpose_"))
        put(p, "checksums", self.checksums(node, ptr))
        refs = [
            self.external_ref(r, f"{ptr}/externalRefs/{k}")
            for k, r in enumerate(self.values(node, _t("externalRef")))
        ]
        put(p, "externalRefs", refs or None)
        put(p, "annotations", self.annotations(node, ptr))
        return p

    def annotations(self, node: Node, ptr: str) -> list[dict[str, str]] | None:
        """An element's annotations, their comments only (matching reads them)."""
        out = []
        for a in self.values(node, _t("annotation")):
            comment = self.text(a, _COMMENT, f"{ptr}/annotations")
            if comment:
                out.append({"comment": comment})
        return out or None

    def file(self, node: Node, ptr: str) -> dict[str, Any]:
        f: dict[str, Any] = {"SPDXID": self.spdx_id(node)}
        put(f, "fileName", self.text(node, _t("fileName"), ptr))
        put(f, "checksums", self.checksums(node, ptr))
        put(f, "copyrightText", self.text_or_no_value(node, _t("copyrightText"), ptr))
        put(f, "licenseConcluded", self.license_of(node, _t("licenseConcluded"), ptr))
        put(f, "licenseInfoInFiles", self.licenses_of(node, _t("licenseInfoInFile"), ptr))
        contributors = [str(c) for c in self.values(node, _t("fileContributor")) if not isinstance(c, BNode)]
        put(f, "fileContributors", contributors or None)
        put(f, "comment", self.text(node, _COMMENT, ptr))
        put(f, "annotations", self.annotations(node, ptr))
        return f

    def snippet(self, node: Node, ptr: str) -> dict[str, Any]:
        s: dict[str, Any] = {"SPDXID": self.spdx_id(node)}
        values = self.values(node, _t("snippetFromFile"))
        put(s, "snippetFromFile", self.spdx_id(values[0]) if values else None)
        put(s, "name", self.text(node, _t("name"), ptr))
        put(s, "copyrightText", self.text_or_no_value(node, _t("copyrightText"), ptr))
        put(s, "licenseConcluded", self.license_of(node, _t("licenseConcluded"), ptr))
        put(s, "licenseInfoInSnippets", self.licenses_of(node, _t("licenseInfoInSnippet"), ptr))
        put(s, "comment", self.text(node, _COMMENT, ptr))
        return s

    def checksums(self, node: Node, ptr: str) -> list[dict[str, str]] | None:
        """An element's ``spdx:checksum`` values, or ``None`` when it has none."""
        out = [
            self.checksum(c, f"{ptr}/checksums/{k}") for k, c in enumerate(self.values(node, _t("checksum")))
        ]
        return out or None

    def checksum(self, node: Node, where: str) -> dict[str, str]:
        """``{algorithm, checksumValue}``, with what is missing left out (the reader says so)."""
        c: dict[str, str] = {}
        alg = self.one(node, _t("algorithm"), where)
        if alg is not None and not isinstance(alg, BNode) and str(alg).strip():
            c["algorithm"] = _algorithm(str(alg))
        put(c, "checksumValue", self.text(node, _t("checksumValue"), where))
        return c

    def external_ref(self, node: Node, where: str) -> dict[str, str]:
        r: dict[str, str] = {}
        cat = self.one(node, _t("referenceCategory"), where)
        if cat is not None and not isinstance(cat, BNode) and str(cat).strip():
            r["referenceCategory"] = _enum(_local(str(cat).strip(), "referenceCategory_"))
        rtype = self.one(node, _t("referenceType"), where)
        if rtype is not None and not isinstance(rtype, BNode):
            s = str(rtype).strip()
            if isinstance(rtype, URIRef) and self.ns is not None and s.startswith(self.ns):
                s = s.partition("#")[2]
            elif s.startswith(_REFERENCES):
                s = s[len(_REFERENCES) :]
            put(r, "referenceType", s or None)
        put(r, "referenceLocator", self.text(node, _t("referenceLocator"), where))
        put(r, "comment", self.text(node, _COMMENT, where))
        return r

    # -- licences ------------------------------------------------------------------------

    def license_of(self, node: Node, pred: URIRef, where: str) -> str | None:
        v = self.one(node, pred, where)
        return None if v is None else self.license(v, where)

    def licenses_of(self, node: Node, pred: URIRef, where: str) -> list[str] | None:
        out = [x for v in self.values(node, pred) if (x := self.license(v, where)) is not None]
        return out or None

    def license(self, node: Node, where: str) -> str | None:
        """A licence node as an expression, normalised as spdx-tools writes it."""
        no_value = _NO_VALUE.get(node)
        if no_value is not None:
            return no_value
        built = self.expression(node, where)
        if built is None:
            return None
        text = built[0]
        return normalise_license(text) if len(text) <= _MAX_EXPRESSION else text

    def leaf(self, node: Node) -> str | tuple[URIRef, list[Node]] | None:
        """A licence node's own text, or (operator, members) for a set or operator."""
        if isinstance(node, Literal):
            return str(node).strip() or None
        s = str(node)
        if isinstance(node, URIRef):
            if s.startswith(_LICENSES):
                return s[len(_LICENSES) :] or None
            if self.ns is not None and s.startswith(self.ns):
                return s.partition("#")[2] or None
        no_value = _NO_VALUE.get(node)
        if no_value is not None:
            return no_value
        kinds = self.values(node, _TYPE)
        for op in (_AND, _OR, _WITH, _OR_LATER):
            if op in kinds:
                return op, self.values(node, _MEMBER)
        ident = self.text(node, _t("licenseId"), "")
        if ident is not None:
            return ident
        if isinstance(node, URIRef) and "#" in s:
            return s.rpartition("#")[2] or None
        return None

    def expression(self, node: Node, where: str) -> tuple[str, URIRef | None] | None:
        """(expression text, operator of its top level or None for a single term), walked
        depth first with an explicit stack, each node built once and cached. A set that
        contains itself, or whose text would grow past :data:`_MAX_EXPRESSION` or past what
        is left of the conversion's budget (:data:`_BUDGET_PER_TRIPLE`), is unreadable, and
        so is every set that contains it: the expression is left out (and noted) rather
        than read with a part missing, which could change its meaning."""
        done = self._licenses
        if node not in done:
            stack: list[tuple[Node, bool]] = [(node, False)]
            building: set[Node] = set()
            while stack:
                n, expanded = stack.pop()
                if not expanded and n in done:
                    continue
                shape = self.leaf(n)
                if not isinstance(shape, tuple):
                    done[n] = (shape, None) if shape else None
                    continue
                op, members = shape
                if not expanded:
                    building.add(n)
                    stack.append((n, True))
                    stack.extend((m, False) for m in reversed(members) if m not in building and m not in done)
                    continue
                building.discard(n)
                done[n] = self.combine(op, n, members)
        built = done.get(node)
        if built is _CUT:
            self.notes.add("rdf-licence-unreadable", where, str(node))
            return None
        return built

    def combine(self, op: URIRef, node: Node, members: list[Node]) -> tuple[str, URIRef | None] | None:
        """A set's expression from its members' (all built by now, but for a member that
        leads back to a set still being built: a loop, so the set is :data:`_CUT`)."""
        done = self._licenses
        parts: list[tuple[str, URIRef | None]] = []
        for m in members:
            part = done.get(m, _CUT)
            if part is _CUT:
                return _CUT
            if part is not None:
                parts.append(part)
        if not parts:
            return None
        if op == _OR_LATER:
            return (f"{parts[0][0]}+", None) if parts[0][1] is None else _CUT
        if op == _WITH:
            exc = self.values(node, _t("licenseException"))
            name = None
            if exc:
                e = exc[0]
                s = str(e)
                if isinstance(e, URIRef) and s.startswith(_LICENSES):
                    name = s[len(_LICENSES) :]
                elif isinstance(e, Literal):
                    name = s.strip()
                else:
                    name = self.text(e, _t("licenseExceptionId"), "")
            first = parts[0]
            text = first[0] if first[1] is None else f"({first[0]})"
            return (f"{text} WITH {name}", None) if name else first
        if len(parts) == 1:
            return parts[0]
        word = " AND " if op == _AND else " OR "
        size = sum(len(t) + (0 if o is None or o == op else 2) for t, o in parts)
        size += len(word) * (len(parts) - 1)
        if size > _MAX_EXPRESSION or size > self._budget:  # measured before anything is built
            return _CUT
        self._budget -= size
        return word.join(t if o is None or o == op else f"({t})" for t, o in parts), op

    # -- relationships -------------------------------------------------------------------

    def relationships(self) -> list[dict[str, str]]:
        """``spdx:relationship`` nodes, then ``hasFile`` (CONTAINS) and ``describesPackage``
        (DESCRIBES) where the same relationship is not already there."""
        g = self.g
        out: list[dict[str, str]] = []
        seen: set[tuple[str | None, str | None, str | None, str | None]] = set()
        for parent, _, node in g.triples((None, _t("relationship"), None)):
            where = f"/relationships/{len(out)}"
            r: dict[str, str] = {}
            put(r, "spdxElementId", self.spdx_id(parent))
            rtype = self.one(node, _t("relationshipType"), where)
            if rtype is not None and not isinstance(rtype, BNode):
                s = str(rtype).strip()
                put(
                    r,
                    "relationshipType",
                    (_enum(_local(s, "relationshipType_")) if isinstance(rtype, URIRef) else s) or None,
                )
            related = self.one(node, _t("relatedSpdxElement"), where)
            put(r, "relatedSpdxElement", _NO_VALUE.get(related) or self.spdx_id(related))
            comment = self.text(node, _COMMENT, where)
            seen.add(
                (r.get("spdxElementId"), r.get("relationshipType"), r.get("relatedSpdxElement"), comment)
            )
            out.append(r)
        for pred, implied in ((_t("hasFile"), "CONTAINS"), (_t("describesPackage"), "DESCRIBES")):
            for parent, _, node in g.triples((None, pred, None)):
                a, b = self.spdx_id(parent), self.spdx_id(node)
                key = (a, implied, b, None)
                if key in seen:
                    continue
                seen.add(key)
                r = {}
                put(r, "spdxElementId", a)
                r["relationshipType"] = implied
                put(r, "relatedSpdxElement", b)
                out.append(r)
        return out


def put(d: dict[str, Any], key: str, value: Any) -> None:
    """``d[key] = value`` unless the value is missing."""
    if value is not None:
        d[key] = value
