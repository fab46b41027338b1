"""The one place where the rules of a faithful graph live, shared by every format reader.

Readers walk their format and call :class:`DocumentBuilder`; the builder decides ids,
keeps duplicates apart, resolves references (forward ones too), records dangling ones,
and adds a synthetic root when the document names none. No reader de-duplicates,
merges or drops anything on its own.

>>> b = DocumentBuilder(source="x.json", sha256="ab" * 32, format="cyclonedx",
...                     encoding="json", spec_version="1.6")
>>> a = b.add_component("a", name="app", pointer="/metadata/component")
>>> b.add_root(a)
>>> lib = b.add_component("lib", name="lib", pointer="/components/0")
>>> b.add_edge_ref("a", "lib", EdgeKind.DEPENDS_ON, location="/dependencies/0")
>>> b.add_edge_ref("a", "missing", EdgeKind.DEPENDS_ON, location="/dependencies/0")
>>> doc = b.finish()
>>> [e.target.split("#")[1] for e in doc.edges]
['lib']
>>> [d.code for d in doc.diagnostics]
['dangling-ref']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import (
    Component,
    Diagnostic,
    Document,
    Edge,
    EdgeKind,
    ExternalLink,
    Party,
    Severity,
    component_id,
    document_key,
)
from ..progress import counting

SYNTHETIC_PREFIX = "sbomscan:"
"""Refs made up by sbomscan start with this, so they are never mistaken for the document's own."""

# -- the record form of a component (the readers' fast path) -------------------------------
#
# Building a Component with keyword arguments costs several microseconds: the reader fills
# a dict, ``**`` copies it into another, and the NamedTuple's generated ``__new__`` parses
# the keywords. For a million components that is seconds. The hot readers instead copy
# ``RECORD`` (every field at its default, in field order), store values by the slot numbers
# below and hand the list to :meth:`DocumentBuilder.add_record`, which fills in the id, ref
# and document and makes the tuple in one ``tuple.__new__`` call.

SLOT: dict[str, int] = {name: i for i, name in enumerate(Component._fields)}
"""Component field name -> its position in the tuple."""

RECORD: tuple[Any, ...] = tuple(Component._field_defaults.get(name) for name in Component._fields)
"""Every Component field at its default value, in field order (id, ref, document and name
have no default and are ``None`` here; :meth:`DocumentBuilder.add_record` and the reader
fill them)."""

NAME = SLOT["name"]
VERSION = SLOT["version"]
TYPE = SLOT["type"]
GROUP = SLOT["group"]
PURL = SLOT["purl"]
CPES = SLOT["cpes"]
SWID = SLOT["swid"]
PARTIES = SLOT["parties"]
COPYRIGHT = SLOT["copyright"]
LICENSES = SLOT["licenses"]
HASHES = SLOT["hashes"]
EXTERNAL_REFS = SLOT["external_refs"]
DESCRIPTION = SLOT["description"]
PROPERTIES = SLOT["properties"]
IDENTITIES = SLOT["identities"]
OCCURRENCES = SLOT["occurrences"]
OMNIBOR_IDS = SLOT["omnibor_ids"]
SWHIDS = SLOT["swhids"]
ORIGIN = SLOT["origin"]
POINTER = SLOT["pointer"]
_ID, _REF, _DOCUMENT = SLOT["id"], SLOT["ref"], SLOT["document"]

_new_tuple = tuple.__new__


class DocumentBuilder:
    """Accumulates one document's components, edges, links and diagnostics."""

    def __init__(
        self,
        *,
        source: str,
        sha256: str,
        format: str,
        encoding: str,
        spec_version: str,
    ) -> None:
        self.source = source
        self.sha256 = sha256
        self.format = format
        self.encoding = encoding
        self.spec_version = spec_version
        self.key = document_key(sha256)
        self.components: list[Component] = []
        self.diagnostics: list[Diagnostic] = []
        self.links: list[ExternalLink] = []
        self._by_ref: dict[str, str] = {}
        self._prefix = component_id(self.key, "")
        self.resolve: Callable[[str], str | None] = self._by_ref.get
        """The id of the component written with a ref, or ``None``. The dictionary's own
        ``get``, not a method: relationship readers call it once or twice per edge."""
        self._edges: list[Edge] = []
        self._pending: list[tuple[str, str, EdgeKind, str | None, str | None]] = []
        self._roots: dict[str, None] = {}  # an ordered set: a document may describe 100,000 roots
        self._top_level: list[str] = []
        counting(self.components)  # the components read so far, for a progress listener

    # -- diagnostics -------------------------------------------------------------------

    def diag(self, severity: Severity, code: str, message: str, location: str | None = None) -> None:
        """Record something wrong or noteworthy without stopping."""
        self.diagnostics.append(Diagnostic(severity, code, message, location))

    def warn(self, code: str, message: str, location: str | None = None) -> None:
        """Shorthand for a warning diagnostic."""
        self.diag(Severity.WARNING, code, message, location)

    def error(self, code: str, message: str, location: str | None = None) -> None:
        """Shorthand for an error diagnostic (data was lost or is invalid)."""
        self.diag(Severity.ERROR, code, message, location)

    # -- components --------------------------------------------------------------------

    def add_component(
        self,
        ref: str | None,
        *,
        name: str,
        pointer: str | None,
        top_level: bool = False,
        **fields: Any,
    ) -> str:
        """Add a component and return its id.

        A missing or empty ``ref`` gets a synthetic one derived from ``pointer`` (stable
        for the same document). A ``ref`` already used keeps both components apart: the
        second gets ``"<ref>~<n>"`` and a ``duplicate-ref`` diagnostic; references by that
        ref keep resolving to the first, as the format says refs are unique.
        """
        local = ref if ref and ref not in self._by_ref else self._local_ref(ref, pointer)
        cid = self._prefix + local
        self._by_ref[local] = cid
        self.components.append(
            Component(id=cid, ref=local, document=self.key, name=name, pointer=pointer, **fields)
        )
        if top_level:
            self._top_level.append(cid)
        return cid

    def add_record(self, ref: str | None, record: list[Any], top_level: bool = False) -> str:
        """Add a component given as a record and return its id: the fast form of
        :meth:`add_component` for readers of large documents, with the same rules.

        ``record`` is a copy of :data:`RECORD` with the values stored at their slots
        (:data:`NAME` and :data:`POINTER` at least); this fills in the id, ref and document
        and keeps the tuple. The list is used up: do not reuse it.

        >>> b = DocumentBuilder(source="x.json", sha256="ab" * 32, format="cyclonedx",
        ...                     encoding="json", spec_version="1.6")
        >>> rec = list(RECORD)
        >>> rec[NAME], rec[VERSION], rec[POINTER] = "zlib", "1.3", "/components/0"
        >>> b.add_record("z", rec)
        'abababababab#z'
        >>> b.components[0] == Component(id="abababababab#z", ref="z", document="abababababab",
        ...                              name="zlib", version="1.3", pointer="/components/0")
        True
        """
        by_ref = self._by_ref
        local = ref if ref and ref not in by_ref else self._local_ref(ref, record[POINTER])
        cid = self._prefix + local
        by_ref[local] = cid
        record[_ID] = cid
        record[_REF] = local
        record[_DOCUMENT] = self.key
        self.components.append(_new_tuple(Component, record))
        if top_level:
            self._top_level.append(cid)
        return cid

    def _local_ref(self, ref: str | None, pointer: str | None) -> str:
        """The ref to store a component under when ``ref`` is missing or already taken."""
        if not ref:
            return self._synthetic_ref(pointer)
        n = 2
        while f"{ref}~{n}" in self._by_ref:
            n += 1
        local = f"{ref}~{n}"
        self.warn(
            "duplicate-ref",
            f"reference {ref!r} is used by more than one element; both are kept, the later one as {local!r}",
            pointer,
        )
        return local

    def _synthetic_ref(self, pointer: str | None) -> str:
        base = f"{SYNTHETIC_PREFIX}{pointer if pointer is not None else len(self.components)}"
        ref, n = base, 2
        while ref in self._by_ref:
            ref = f"{base}~{n}"
            n += 1
        return ref

    def alias(self, ref: str, cid: str) -> None:
        """Make ``ref`` resolve to an existing component too (e.g. an SPDX 3 element id
        that a relationship uses besides its local name)."""
        self._by_ref.setdefault(ref, cid)

    # -- edges, roots, links -----------------------------------------------------------

    def add_edge(self, source_id: str, target_id: str, kind: EdgeKind, detail: str | None = None) -> None:
        """Add an edge between two ids the builder already handed out."""
        self._edges.append(_new_tuple(Edge, (source_id, target_id, kind, detail)))  # = Edge(...), faster

    def add_edges(self, edges: list[Edge]) -> None:
        """Add edges made by the reader (as :meth:`add_edge` would), in their order: the
        bulk form for readers that collect a document's edges first."""
        self._edges.extend(edges)

    def add_edge_ref(
        self,
        source_ref: str,
        target_ref: str,
        kind: EdgeKind,
        detail: str | None = None,
        *,
        location: str | None = None,
    ) -> None:
        """Add an edge between two refs as written; resolved in :meth:`finish`, so
        references to components that appear later in the file work. A ref that never
        resolves becomes a ``dangling-ref`` diagnostic, never a crash."""
        self._pending.append((source_ref, target_ref, kind, detail, location))

    def add_root(self, cid: str) -> None:
        """Mark a component as one the document describes (a product root)."""
        self._roots.setdefault(cid)

    def add_root_ref(self, ref: str, location: str | None = None) -> None:
        """Mark a root by its ref; an unknown ref is a ``dangling-ref`` diagnostic."""
        cid = self.resolve(ref)
        if cid is None:
            self.warn("dangling-ref", f"the document describes {ref!r}, which it does not contain", location)
        else:
            self.add_root(cid)

    def add_link(self, link: ExternalLink) -> None:
        """Keep a reference to another SBOM for cross-document resolution."""
        self.links.append(link)

    # -- result ------------------------------------------------------------------------

    def finish(
        self,
        *,
        serial: str | None = None,
        version: int | None = None,
        name: str | None = None,
        parties: tuple[Party, ...] = (),
        declared_components: int | None = None,
    ) -> Document:
        """Resolve pending edges, add a synthetic root if needed, and return the Document."""
        edges = self._edges
        for source_ref, target_ref, kind, detail, location in self._pending:
            s = self._by_ref.get(source_ref)
            t = self._by_ref.get(target_ref)
            if s is None or t is None:
                missing = source_ref if s is None else target_ref
                self.warn(
                    "dangling-ref",
                    f"a {kind.label} relationship names {missing!r}, "
                    "which is not an element of this document",
                    location,
                )
                continue
            edges.append(_new_tuple(Edge, (s, t, kind, detail)))
        self._pending = []
        synthetic = False
        roots = list(self._roots)
        if not roots and self.components:
            synthetic = True
            roots = [self._add_synthetic_root(edges, name)]
        return Document(
            key=self.key,
            source=self.source,
            format=self.format,
            encoding=self.encoding,
            spec_version=self.spec_version,
            sha256=self.sha256,
            serial=serial,
            version=version,
            name=name,
            parties=parties,
            roots=tuple(roots),
            components=tuple(self.components),
            edges=tuple(edges),
            links=tuple(self.links),
            diagnostics=tuple(self.diagnostics),
            synthetic_root=synthetic,
            declared_components=declared_components,
        )

    def _add_synthetic_root(self, edges: list[Edge], name: str | None) -> str:
        """A root that DESCRIBES the document's top-level items: those the reader marked
        top-level, else every component that nothing else points at."""
        top = self._top_level
        if not top:
            pointed = {e.target for e in edges}
            top = [c.id for c in self.components if c.id not in pointed]
            if not top:
                top = [c.id for c in self.components]
        ref = f"{SYNTHETIC_PREFIX}root"
        cid = component_id(self.key, ref)
        self.components.append(
            Component(
                id=cid,
                ref=ref,
                document=self.key,
                name=name or self.source,
                type="document",
                origin="synthetic-root",
            )
        )
        self._by_ref[ref] = cid
        for t in top:
            edges.append(Edge(cid, t, EdgeKind.DESCRIBES))
        self.info(
            "synthetic-root",
            "the document names no root component (CycloneDX metadata.component, SPDX "
            f"DESCRIBES/rootElement); a synthetic root holds its {len(top)} top-level items",
        )
        return cid

    def info(self, code: str, message: str, location: str | None = None) -> None:
        """Shorthand for an informational diagnostic."""
        self.diag(Severity.INFO, code, message, location)
