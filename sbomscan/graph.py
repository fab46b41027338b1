"""One graph over every SBOM of a bundle: documents joined by their cross-document links,
each document placed at a supplier tier.

A prime contractor's SBOM points at its subcontractors' SBOMs (CycloneDX BOM-Links, SPDX 2
``ExternalDocumentRef``, SPDX 3 imports). :func:`build_graph` puts the components of every
loaded :class:`~sbomscan.model.Document` into one ``networkx.MultiDiGraph`` and turns each
link it can resolve into a ``LINKS_TO`` edge, so that a path from the product root can walk
down into a sub-SBOM. A link it cannot resolve is kept as an :class:`UnresolvedLink`: an
incomplete chain is itself something the procurement officer must know.

Nothing is merged by name or version: two documents that both list ``zlib 1.3`` give two
nodes. Only the *same content* given twice (same :attr:`Document.key`) is kept once.

>>> from sbomscan.ingest.builder import DocumentBuilder
>>> from sbomscan.model import EdgeKind, ExternalLink, LinkKind
>>> def doc(sha, serial, refs, link=None):
...     b = DocumentBuilder(source=f"{refs[0]}.json", sha256=sha * 64, format="cyclonedx",
...                         encoding="json", spec_version="1.6")
...     ids = [b.add_component(r, name=r, pointer=None) for r in refs]
...     b.add_root(ids[0])
...     for r in refs[1:]:
...         b.add_edge_ref(refs[0], r, EdgeKind.DEPENDS_ON)
...     if link:
...         b.add_link(ExternalLink(ids[-1], LinkKind.BOM_LINK, link, link.split("/")[0], 1, None))
...     return b.finish(serial=serial, version=1)
>>> prime = doc("a", "urn:uuid:p", ["product", "camera"], "urn:uuid:s/1")
>>> sub = doc("b", "urn:uuid:s", ["camera-fw", "codec"])
>>> g = build_graph([prime, sub])
>>> g.roots, g.tiers
(('aaaaaaaaaaaa#product',), {'aaaaaaaaaaaa': 0, 'bbbbbbbbbbbb': 1})
>>> [d.source for d in g.document_chain("bbbbbbbbbbbb")]
['product.json', 'camera-fw.json']
>>> g.tier_of("bbbbbbbbbbbb#codec"), g.graph["aaaaaaaaaaaa#camera"]["bbbbbbbbbbbb#camera-fw"][0]["kind"]
(1, <EdgeKind.LINKS_TO: 'links_to'>)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, TypeVar, cast

from .errors import UsageError
from .memory import gc_paused
from .model import Component, Diagnostic, Document, Edge, EdgeKind, ExternalLink, LinkKind, Severity

__all__ = ["SbomGraph", "UnresolvedLink", "build_graph", "document_supplier"]

T = TypeVar("T")

_SPDX_DOCUMENT_REF = "SPDXRef-DOCUMENT"


class UnresolvedLink(NamedTuple):
    """A reference to another SBOM that no loaded document answers.

    ``source`` is the referring component id, ``link`` the reference as ingest read it,
    ``message`` one sentence for a person, e.g. ``"the SBOM of camera-driver-pack 2.1,
    urn:cdx:…/1, was not supplied"``.
    """

    source: str
    link: ExternalLink
    message: str


class SbomGraph:
    """Every loaded document in one ``networkx.MultiDiGraph``.

    Nodes are component ids (no node attributes: the records are in :attr:`components`);
    each edge carries ``kind`` (:class:`~sbomscan.model.EdgeKind`) and ``detail``. Treat a
    built graph as read-only: later stages (tracing) cache data derived from it with
    :meth:`derived`.
    """

    __slots__ = (
        "_derived",
        "_graph",
        "_parent",
        "components",
        "diagnostics",
        "documents",
        "link_edges",
        "roots",
        "tiers",
        "unresolved",
    )

    def __init__(
        self,
        *,
        documents: dict[str, Document],
        components: dict[str, Component],
        roots: tuple[str, ...],
        tiers: dict[str, int],
        unresolved: tuple[UnresolvedLink, ...],
        diagnostics: tuple[Diagnostic, ...],
        parent: dict[str, str | None],
        link_edges: tuple[Edge, ...] = (),
    ) -> None:
        self._graph: Any = None
        self.link_edges = link_edges
        """The LINKS_TO edges made from resolved links."""
        self.documents = documents
        self.components = components
        self.roots = roots
        self.tiers = tiers
        self.unresolved = unresolved
        self.diagnostics = diagnostics
        self._parent = parent
        self._derived: dict[str, object] = {}

    def __repr__(self) -> str:
        return (
            f"<SbomGraph {len(self.documents)} documents, {len(self.components)} components, "
            f"{len(self.unresolved)} unresolved links>"
        )

    @property
    def graph(self) -> Any:
        """The ``networkx.MultiDiGraph`` (built on first use, then kept).

        sbomscan's own stages (matching, tracing) never need it, so a scan does not pay
        for half a million small dicts; tools that want networkx's algorithms get it here.
        """
        if self._graph is None:
            with gc_paused():
                self._graph = _networkx_graph(self.components, self.edges())
        return self._graph

    def edges(self) -> Iterator[Edge]:
        """Every edge: each document's own, in load order, then the resolved links.
        Edges whose ends are not loaded components (a reader bug) are left out."""
        comps = self.components
        for doc in self.documents.values():
            for e in doc.edges:
                if e.source in comps and e.target in comps:
                    yield e
        yield from self.link_edges

    def _component(self, component_id: str) -> Component:
        try:
            return self.components[component_id]
        except KeyError:
            raise UsageError(f"no component with id {component_id!r} in the loaded documents") from None

    def document_of(self, component_id: str) -> Document:
        """The document that lists the component."""
        return self.documents[self._component(component_id).document]

    def tier_of(self, component_id: str) -> int:
        """The supplier tier of the component's document (0 = the product's own SBOM)."""
        return self.tiers[self._component(component_id).document]

    def document_chain(self, document_key: str) -> tuple[Document, ...]:
        """The documents from a tier-0 document down to this one, one per crossed link.

        The chain is a shortest one; among equally short chains, the one found first when
        walking tier-0 documents in load order and each document's links in the order it
        writes them.
        """
        if document_key not in self.documents:
            raise UsageError(f"no loaded document with key {document_key!r}")
        chain: list[Document] = []
        key: str | None = document_key
        while key is not None and len(chain) <= len(self.documents):
            chain.append(self.documents[key])
            key = self._parent.get(key)
        chain.reverse()
        return tuple(chain)

    def derived(self, name: str, factory: Callable[[], T]) -> T:
        """Data computed from this graph once and kept with it (e.g. tracing's indexes)."""
        value = self._derived.get(name)
        if value is None:
            value = factory()
            self._derived[name] = value
        return cast(T, value)


def document_supplier(document: Document, components: dict[str, Component] | None = None) -> str | None:
    """Who supplied a document: its supplier or manufacturer party, else the supplier or
    manufacturer of its first root component that names one (``components`` maps ids to
    components; the document's own are used when it is omitted).

    >>> from sbomscan.model import Party
    >>> d = Document("k", "s.json", "cyclonedx", "json", "1.6", "0" * 64,
    ...              parties=(Party("Jane", "author"), Party("Acme Optics", "manufacturer")))
    >>> document_supplier(d)
    'Acme Optics'
    """
    for role in ("supplier", "manufacturer"):
        for p in document.parties:
            if p.role == role and p.name:
                return p.name
    lookup = components if components is not None else {c.id: c for c in document.components}
    for root in document.roots:
        comp = lookup.get(root)
        if comp is None:
            continue
        for role in ("supplier", "manufacturer"):
            for p in comp.parties:
                if p.role == role and p.name:
                    return p.name
    return None


def build_graph(documents: Iterable[Document]) -> SbomGraph:
    """Join documents into one :class:`SbomGraph`, resolving links between them.

    Resolution rules (the full story is in ``docs/graph-and-paths.md``):

    * CycloneDX BOM-Link ``urn:cdx:<serial>/<version>#<bom-ref>``: the document with that
      serial number and version; when only other versions are loaded, the highest one,
      with a warning. Without a fragment the link points at the document's roots.
    * SPDX 2 ``DocumentRef-X:SPDXRef-Y``: the document whose namespace is the
      ExternalDocumentRef's; a SHA-256 checksum is compared with the loaded file's, any
      other algorithm cannot be checked (sbomscan keeps only each input's SHA-256) and an
      info diagnostic says so. A mismatch is a warning; the link still resolves.
    * SPDX 3 import: the loaded document holding an element with that IRI (or whose
      document IRI it is).

    Tiers: a document that no other loaded document links to is tier 0; each crossed link
    adds one (the smallest count wins).
    """
    with gc_paused():  # building creates many small dicts; generational GC passes would dominate
        return _Builder(documents).build()


class _Builder:
    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents: dict[str, Document] = {}
        self.diagnostics: list[Diagnostic] = []
        for doc in documents:
            first = self.documents.get(doc.key)
            if first is None:
                self.documents[doc.key] = doc
                continue
            same = "the same content" if first.sha256 == doc.sha256 else "the same document key"
            self.diagnostics.append(
                Diagnostic(
                    Severity.INFO,
                    "duplicate-document",
                    f"{doc.source} has {same} as {first.source}; it is read once",
                    doc.source,
                )
            )
        self.components: dict[str, Component] = {
            c.id: c for doc in self.documents.values() for c in doc.components
        }
        self.by_serial: dict[str, list[Document]] = {}
        for doc in self.documents.values():
            if doc.serial:
                self.by_serial.setdefault(_serial_key(doc.serial), []).append(doc)
        self._ref_index: dict[str, list[str]] | None = None
        self.unresolved: list[UnresolvedLink] = []
        self.link_edges: list[Edge] = []
        # document key -> linked document keys, in the order the links are written
        self.doc_links: dict[str, dict[str, None]] = {k: {} for k in self.documents}

    # -- the graph ---------------------------------------------------------------------

    def build(self) -> SbomGraph:
        for doc in self.documents.values():
            self._resolve_links(doc)
        tiers, parent = self._tiers()
        roots = tuple(r for key, doc in self.documents.items() if tiers[key] == 0 for r in doc.roots)
        return SbomGraph(
            documents=self.documents,
            components=self.components,
            roots=tuple(dict.fromkeys(r for r in roots if r in self.components)),
            tiers=tiers,
            unresolved=tuple(self.unresolved),
            diagnostics=tuple(self.diagnostics),
            parent=parent,
            link_edges=tuple(self.link_edges),
        )

    # -- links -------------------------------------------------------------------------

    def _resolve_links(self, doc: Document) -> None:
        seen: set[tuple[str, LinkKind, str, int | None, str | None]] = set()
        for link in doc.links:
            sig = (link.source, link.kind, link.document, link.version, link.ref)
            if sig in seen:
                continue
            seen.add(sig)
            if link.source not in self.components:
                self.diagnostics.append(
                    Diagnostic(
                        Severity.WARNING,
                        "unattached-link",
                        f"a reference to {link.uri} hangs on {link.source!r}, which is not a component",
                        doc.source,
                    )
                )
                continue
            if link.kind is LinkKind.BOM_LINK:
                found = self._bom_link(doc, link)
            elif link.kind is LinkKind.SPDX_EXTERNAL_DOCUMENT:
                found = self._spdx_external(doc, link)
            else:
                found = self._spdx3_import(doc, link)
            if isinstance(found, str):
                self._unresolved(doc, link, found)
                continue
            target_doc, targets = found
            for t in targets:
                self.link_edges.append(Edge(link.source, t, EdgeKind.LINKS_TO, link.uri))
            if target_doc.key != doc.key and targets:
                self.doc_links[doc.key][target_doc.key] = None

    def _describe_source(self, link: ExternalLink) -> str:
        comp = self.components.get(link.source)
        if comp is None:
            return link.source
        label = comp.name or comp.ref
        return f"{label} {comp.version}" if comp.version else label

    def _unresolved(self, doc: Document, link: ExternalLink, message: str) -> None:
        self.unresolved.append(UnresolvedLink(link.source, link, message))
        self.diagnostics.append(Diagnostic(Severity.WARNING, "unresolved-link", message, doc.source))

    def _not_supplied(self, link: ExternalLink) -> str:
        where = (
            link.uri
            if link.document in link.uri or _uuid(link.document) in link.uri
            else (f"{link.uri} (document {link.document})")
        )
        return f"the SBOM of {self._describe_source(link)}, {where}, was not supplied"

    def _targets(
        self, link: ExternalLink, target: Document, ref: str | None
    ) -> tuple[Document, tuple[str, ...]] | str:
        if ref is None or (ref == _SPDX_DOCUMENT_REF and target.format == "spdx"):
            if not target.roots:
                return (
                    f"the SBOM of {self._describe_source(link)}, {link.uri}, was supplied "
                    f"({target.source}) but has no components"
                )
            return target, target.roots
        cid = f"{target.key}#{ref}"
        if cid in self.components:
            return target, (cid,)
        return (
            f"the SBOM of {self._describe_source(link)}, {link.uri}, was supplied "
            f"({target.source}) but has no component {ref!r}"
        )

    def _pick(self, doc: Document, link: ExternalLink, candidates: list[Document]) -> Document:
        """The first loaded of several documents with the same serial, with a warning."""
        if len(candidates) > 1:
            self.diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "ambiguous-link",
                    f"{link.uri} (from {self._describe_source(link)}) matches "
                    f"{len(candidates)} loaded documents ({', '.join(c.source for c in candidates)}); "
                    f"{candidates[0].source}, loaded first, is used",
                    doc.source,
                )
            )
        return candidates[0]

    def _bom_link(self, doc: Document, link: ExternalLink) -> tuple[Document, tuple[str, ...]] | str:
        candidates = self.by_serial.get(_serial_key(link.document))
        if not candidates:
            return self._not_supplied(link)
        if link.version is not None:
            exact = [d for d in candidates if d.version == link.version]
            if exact:
                return self._targets(link, self._pick(doc, link, exact), link.ref)
        best = max(d.version if d.version is not None else -1 for d in candidates)
        chosen = [d for d in candidates if (d.version if d.version is not None else -1) == best]
        target = self._pick(doc, link, chosen)
        if link.version is not None:
            loaded = sorted({str(d.version) for d in candidates if d.version is not None})
            self.diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "link-version-mismatch",
                    f"{self._describe_source(link)} links to version {link.version} of {link.document}, "
                    f"but only {_versions(loaded)} supplied; "
                    f"version {target.version if target.version is not None else '(none)'} "
                    f"({target.source}) is used",
                    doc.source,
                )
            )
        return self._targets(link, target, link.ref)

    def _spdx_external(self, doc: Document, link: ExternalLink) -> tuple[Document, tuple[str, ...]] | str:
        candidates = self.by_serial.get(_serial_key(link.document))
        if not candidates:
            return self._not_supplied(link)
        target = self._pick(doc, link, candidates)
        if link.checksum is not None:
            self._check_checksum(doc, link, target)
        return self._targets(link, target, link.ref)

    def _check_checksum(self, doc: Document, link: ExternalLink, target: Document) -> None:
        assert link.checksum is not None
        algorithm = link.checksum.algorithm.upper().replace("-", "").replace("_", "")
        value = link.checksum.value.strip().lower()
        actual, why = _digest(target, algorithm)
        name = link.checksum.algorithm
        if actual is None:
            self.diagnostics.append(
                Diagnostic(
                    Severity.INFO,
                    "link-checksum-unverified",
                    f"{link.uri} gives a {name} checksum for {link.document}; it could not be "
                    f"verified: {why}",
                    doc.source,
                )
            )
        elif value != actual:
            self.diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "link-checksum-mismatch",
                    f"{link.uri} gives {name} {value} for {link.document}, but the supplied "
                    f"{target.source} has {name} {actual}; the link is followed anyway",
                    doc.source,
                )
            )

    def _ref_lookup(self) -> dict[str, list[str]]:
        """Element ref -> component ids, over every document (built once, when needed)."""
        if self._ref_index is None:
            index: dict[str, list[str]] = {}
            for c in self.components.values():
                index.setdefault(c.ref, []).append(c.id)
                for name, value in c.properties:
                    if name == "spdx3:spdxId" and value != c.ref:
                        # an SPDX 3 element written with a compact id, found by its full IRI
                        index.setdefault(value, []).append(c.id)
            self._ref_index = index
        return self._ref_index

    def _spdx3_import(self, doc: Document, link: ExternalLink) -> tuple[Document, tuple[str, ...]] | str:
        ref = link.ref or link.document
        # 1. the document the link names, holding the element
        for target in self.by_serial.get(_serial_key(link.document), ()):
            if target.key != doc.key and f"{target.key}#{ref}" in self.components:
                return target, (f"{target.key}#{ref}",)
        # 2. any other loaded document holding an element with that IRI
        for cid in self._ref_lookup().get(ref, ()):
            owner = self.components[cid].document
            if owner != doc.key:
                return self.documents[owner], (cid,)
        # 3. the IRI is a whole document's: its roots
        for target in self.by_serial.get(_serial_key(ref), ()):
            if target.key != doc.key and target.roots:
                return target, target.roots
        if self.by_serial.get(_serial_key(link.document)):
            target = self.by_serial[_serial_key(link.document)][0]
            return (
                f"the SBOM of {self._describe_source(link)}, {link.uri}, was supplied "
                f"({target.source}) but has no element {ref!r}"
            )
        return self._not_supplied(link)

    # -- tiers -------------------------------------------------------------------------

    def _tiers(self) -> tuple[dict[str, int], dict[str, str | None]]:
        """Breadth-first over document links from the documents nobody links to."""
        linked_to: set[str] = {t for targets in self.doc_links.values() for t in targets}
        tiers: dict[str, int] = {}
        parent: dict[str, str | None] = {}
        starts = [k for k in self.documents if k not in linked_to]
        self._walk(starts, tiers, parent)
        if len(tiers) < len(self.documents):
            self._break_cycles(tiers, parent)
        return {k: tiers[k] for k in self.documents}, parent

    def _break_cycles(self, tiers: dict[str, int], parent: dict[str, str | None]) -> None:
        """Documents left over sit below a cycle of links that no tier-0 document reaches.

        In each such cycle that nothing else links into (a source of the condensed
        document graph), the first loaded document becomes tier 0, with a warning.
        """
        import networkx as nx  # only here and in ``graph``: a scan need not import it (start-up)

        rest = nx.DiGraph()
        rest.add_nodes_from(k for k in self.documents if k not in tiers)
        rest.add_edges_from((k, t) for k in list(rest) for t in self.doc_links[k] if t not in tiers)
        condensed = nx.condensation(rest)
        member = condensed.graph["mapping"]
        for key, doc in self.documents.items():
            if key in tiers or condensed.in_degree(member[key]) != 0:
                continue
            cycle = [d.source for k, d in self.documents.items() if member.get(k) == member[key]]
            self.diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "link-cycle",
                    f"{', '.join(cycle)} link to each other and no other document links to them; "
                    f"{doc.source}, loaded first, is taken as tier 0",
                    doc.source,
                )
            )
            self._walk([key], tiers, parent)

    def _walk(self, starts: list[str], tiers: dict[str, int], parent: dict[str, str | None]) -> None:
        frontier: list[str] = []
        for k in starts:
            tiers[k] = 0
            parent[k] = None
            frontier.append(k)
        depth = 0
        while frontier:
            depth += 1
            following: list[str] = []
            for k in frontier:
                for t in self.doc_links[k]:
                    if t not in tiers:
                        tiers[t] = depth
                        parent[t] = k
                        following.append(t)
            frontier = following


def _digest(target: Document, algorithm: str) -> tuple[str | None, str]:
    """The ``algorithm`` digest of the supplied document, or ``None`` and why not.

    Ingest keeps the SHA-256 and the SHA-1 of every input (SPDX 2 ExternalDocumentRefs carry
    SHA-1, the only algorithm SPDX 2 allows there), so the graph stage never reads a file.
    """
    if algorithm == "SHA256":
        return target.sha256.lower(), ""
    if algorithm != "SHA1":
        return None, f"sbomscan keeps the SHA-256 and SHA-1 of each input, not its {algorithm}"
    if target.sha1 is None:
        return None, f"{target.source} was not read by sbomscan.ingest, which computes the SHA-1"
    return target.sha1, ""


def _serial_key(serial: str) -> str:
    """How documents are looked up by serial: UUIDs compare case-insensitively (RFC 9562
    says they are written in lower case but read in either), and CycloneDX 1.x tools do
    write ``urn:uuid:`` serials in upper case while their BOM-Links use lower case.
    Other identifiers (SPDX namespaces are URIs) compare exactly.

    >>> _serial_key("URN:UUID:3E671687-395B-41F5-A30F-A58921A69B79")
    'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79'
    >>> _serial_key("https://example.com/SPDX/Doc")
    'https://example.com/SPDX/Doc'
    """
    if serial[:9].lower() == "urn:uuid:":
        return "urn:uuid:" + serial[9:].lower()
    return serial


def _uuid(serial: str) -> str:
    return serial[9:] if serial.startswith("urn:uuid:") else serial


def _versions(loaded: list[str]) -> str:
    if not loaded:
        return "an unnumbered version was"
    if len(loaded) == 1:
        return f"version {loaded[0]} was"
    return f"versions {', '.join(loaded[:-1])} and {loaded[-1]} were"


def _networkx_graph(components: dict[str, Component], edges: Iterable[Edge]) -> Any:
    """The MultiDiGraph, filled through networkx's documented adjacency structure.

    ``add_edges_from`` costs an ``add_edge`` call, a ``new_edge_key`` call and two dict
    updates per edge (about twice the time of this loop, see ``benchmarks/bench_graph.py``);
    the structure filled here — ``_succ[u][v]`` and ``_pred[v][u]`` sharing one key dict,
    integer keys from 0 — is exactly what ``add_edge`` builds, which ``tests/test_graph.py``
    checks against the public API. ``edges`` must join known components.
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    node, succ, pred = getattr(g, "_node", None), getattr(g, "_succ", None), getattr(g, "_pred", None)
    if not (type(node) is dict and type(succ) is dict and type(pred) is dict):  # pragma: no cover
        g.add_nodes_from(components)
        g.add_edges_from((e.source, e.target, {"kind": e.kind, "detail": e.detail}) for e in edges)
        return g
    node.update({n: {} for n in components})
    succ.update({n: {} for n in components})
    pred.update({n: {} for n in components})
    for s, t, kind, detail in edges:
        out = succ[s]
        if t in out:
            keys = out[t]
            keys[len(keys)] = {"kind": kind, "detail": detail}
        else:
            out[t] = pred[t][s] = {0: {"kind": kind, "detail": detail}}
    return g
