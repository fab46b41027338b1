"""Read SPDX 3.0.1 JSON-LD into a :class:`~sbomscan.model.Document`.

SPDX 3 is a flat ``@graph`` of elements that point at each other by id: packages name
their supplier by the id of an Organization element, licences hang off relationships, and
an element may live in another document altogether (``SpdxDocument.import``). The reader
therefore reads in stages — index every element by id, build one component per Artifact,
then turn relationships into edges, roots and cross-document links — reading the decoded
dict directly, because going through an object model per element would cost far more than
parsing the JSON did. Only one pass walks the whole graph: it indexes each element and
files it in a list per later stage (components, licence relationships, edge relationships,
collections), so each stage walks only its own elements, in graph order.

``strict=True`` first has the SPDX project's own bindings (spdx-python-model) deserialize
and re-serialize the document, which refuses unknown classes and properties and missing
required properties (see :mod:`sbomscan.ingest.spdx3.strict`).

What maps to what, and why, is in ``docs/ingest-spdx3.md``.

>>> doc = read_spdx3({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
...     {"type": "Organization", "spdxId": "urn:o", "name": "Acme"},
...     {"type": "SpdxDocument", "spdxId": "urn:d", "rootElement": ["urn:app"]},
...     {"type": "software_Package", "spdxId": "urn:app", "name": "app", "suppliedBy": "urn:o"},
...     {"type": "software_Package", "spdxId": "urn:lib", "name": "lib"},
...     {"type": "Relationship", "spdxId": "urn:r", "from": "urn:app", "to": ["urn:lib"],
...      "relationshipType": "dependsOn"}]}, source="x.json", sha256="0" * 64, strict=False)
>>> [(c.ref, c.parties[0].name if c.parties else None) for c in doc.components]
[('urn:app', 'Acme'), ('urn:lib', None)]
>>> [(e.source[13:], e.kind.value, e.target[13:]) for e in doc.edges], doc.roots
([('urn:app', 'depends_on', 'urn:lib')], ('000000000000#urn:app',))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ...errors import MalformedSbomError
from ...identifiers.purl import PURL_WELL_FORMED, check_purl
from ...memory import gc_paused
from ...model import (
    Diagnostic,
    Document,
    Edge,
    EdgeKind,
    ExternalLink,
    ExternalRef,
    Hash,
    LinkKind,
    Party,
    PartyKind,
    Severity,
    Swid,
)
from ..builder import (
    COPYRIGHT,
    CPES,
    DESCRIPTION,
    EXTERNAL_REFS,
    HASHES,
    LICENSES,
    NAME,
    OMNIBOR_IDS,
    PARTIES,
    POINTER,
    PROPERTIES,
    PURL,
    RECORD,
    SWHIDS,
    SWID,
    TYPE,
    VERSION,
    DocumentBuilder,
)
from ..builder import ORIGIN as ORIGIN_SLOT
from .vocab import (
    AGENT_KINDS,
    ARTIFACT_TYPES,
    BUILD_TYPES,
    COLLECTION_TYPES,
    DEFAULT_COMPONENT_TYPE,
    NO_ELEMENT,
    ORIGIN,
    RELATIONSHIPS,
    Rel,
    compact_type,
    hash_algorithm,
    identifier_type,
    local_name,
    relationship_type,
)

__all__ = ["read_spdx3"]

_SPEC_IN_CONTEXT = re.compile(r"spdx\.org/rdf/(3\.\d+(?:\.\d+)?)/")
_NO_VALUE = frozenset({"NOASSERTION", "NONE", ""})
_PARTY_PREFIX = re.compile(r"^\s*(Organization|Person|Tool)\s*:\s*(.*?)\s*$", re.IGNORECASE | re.DOTALL)
_TRAILING_EMAIL = re.compile(r"^(.*?)\s*\(([^()\s]+@[^()\s]+)\)\s*$", re.DOTALL)
_MAX_LICENSE_DEPTH = 16
_MAX_LICENSE_CHARS = 4096

_INLINE_KEYS = (
    "creationInfo",
    "createdBy",
    "createdUsing",
    "suppliedBy",
    "originatedBy",
    "from",
    "to",
    "rootElement",
    "software_snippetFromFile",
)

_PLAIN_START = frozenset(c for c in map(chr, range(128)) if not c.isspace() and c not in "nN")
"""ASCII characters a value can start with and still be certain not to be ``NOASSERTION``,
``NONE`` or blank however it is spaced or cased: :func:`_clean` need not be called for it."""

_COLLECTION, _RELATIONSHIP, _COMPONENT, _SNIPPET, _CREATION_INFO, _ANNOTATION = 1, 2, 4, 8, 16, 32
"""What the passes do with an element of a type (see :meth:`_Reader._plan`), as bits."""

_COMMENT_AS_DESCRIPTION = frozenset({"software_File", "software_Snippet"})
"""Types whose ``comment`` is their description when they have none, as the SPDX 2 readers
do with a file's or snippet's comment; any other comment is an ``spdx:comment`` property."""

_EDGE_RELATIONSHIP_TYPES = ("Relationship", "LifecycleScopedRelationship")
"""Relationship classes whose unknown relationshipType is still read (as ``other``)."""

_new_tuple = tuple.__new__

Element = dict[str, Any]
Entry = tuple[int, Element, str, str | None]
"""One element of the graph: (index of its top-level entry, the element, its type, its id)."""
PartyInfo = tuple[str, PartyKind, tuple[str, ...], tuple[str, ...]]
TypePlan = tuple[int, list[Entry] | None, tuple[str, ...], frozenset[str]]
"""Per element type: its :data:`_COLLECTION`... bits, the one list its elements go to when
that is all there is to do, the inline keys it usually carries, and the other inline keys
(see :meth:`_Reader._plan`)."""


def read_spdx3(obj: dict[str, Any], *, source: str, sha256: str, strict: bool) -> Document:
    """Read a decoded SPDX 3 JSON-LD document.

    Raises :class:`~sbomscan.errors.MalformedSbomError` when the input has no readable
    element list, or in strict mode when the SPDX bindings reject it.
    """
    if strict:
        from .strict import validate

        validate(obj, source=source)
    # The reader allocates a few small tuples per element and frees none of them; the
    # cyclic garbage collector would rescan them all over and over (half the run time
    # on a 100,000-package document) while finding nothing to collect.
    with gc_paused():
        doc = _Reader(obj, source=source, sha256=sha256).read()
    if strict:
        _check_strict(doc, source)
    return doc


def _check_strict(doc: Document, source: str) -> None:
    """In strict mode, what the lenient reader only noted is fatal."""
    for d in doc.diagnostics:
        if d.severity is Severity.ERROR or d.code in (
            "dangling-ref",
            "duplicate-ref",
            "unknown-relationship",
        ):
            raise MalformedSbomError(source, f"{d.code}: {d.message}", pointer=d.location or "")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _ref(value: Any) -> str | None:
    """An element reference: an id string, or the id of an inline element object."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        return _str(value.get("spdxId")) or _str(value.get("@id"))
    return None


def _type_of(el: Element) -> str:
    t = el.get("type")
    if t.__class__ is str and "/" not in t:
        return t
    if t is None:
        t = el.get("@type")
    if isinstance(t, list):
        t = next((x for x in t if isinstance(x, str)), None)
    return compact_type(t) if isinstance(t, str) else ""


def _clean(value: Any) -> str | None:
    s = _str(value)
    if s is None or s.strip().upper() in _NO_VALUE:
        return None
    return s


def _license_named(rid: str) -> str | None:
    """The licence a reference to no element of the document names: a listed licence by its
    short id, NoAssertion as none, None as ``NONE``, anything else as written."""
    name = local_name(rid)
    if name.endswith("NoAssertionLicense"):
        return None
    if name.endswith("NoneLicense"):
        return "NONE"
    if "spdx.org/licenses/" in rid:
        return rid.rstrip("/").rsplit("/", 1)[-1]
    return rid


def _license_label(el: Element, t: str) -> str | None:
    """A licence element that is no expression, set or operator: a listed licence by its
    short id, else its name, else (for a licence class) the last part of its id."""
    own = _ref(el)
    if own and "spdx.org/licenses/" in own:
        return own.rstrip("/").rsplit("/", 1)[-1]
    label = _clean(el.get("name"))
    if label is None and own and t.endswith("License"):
        label = local_name(own).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return label


def _may_hold_inline(
    el: Element, get: Callable[[str], Any], usual: tuple[str, ...], other: frozenset[str]
) -> bool:
    """Whether ``el`` may hold an element written inline: yes if it has one of the inline-able
    keys its type seldom has (``other``), else if one it usually has (``usual``) holds
    something other than an id or a list of ids. Most elements hold only ids, and are not
    walked for inline elements at all."""
    if not other.isdisjoint(el):
        return True
    for key in usual:
        v = get(key)
        if v is None or v.__class__ is str:
            continue
        if v.__class__ is list:
            for x in v:
                if x.__class__ is not str:
                    return True
            continue  # a list of ids
        return True
    return False


class _Reader:
    """One read of one document; state lives here so the passes can share it."""

    def __init__(self, obj: dict[str, Any], *, source: str, sha256: str) -> None:
        self.obj = obj
        self.source = source
        self.prefixes: dict[str, str] = {}
        self.index: dict[str, Element] = {}
        self.imports: dict[str, tuple[str, ExternalLink]] = {}
        """expanded external id -> (id as written, link template with an empty source)."""
        self.party_cache: dict[str, PartyInfo] = {}
        self.licenses: dict[str, list[str]] = {}
        self.extra_suppliers: dict[str, list[Any]] = {}
        self.linked_imports: set[str] = set()
        self.skipped_rels = 0
        self.lone_element = False
        self.license_cache: dict[str, str | None] = {}
        self.license_too_long = False
        self.namespaces: frozenset[str] = frozenset()
        self.expanded_collections: set[str] = set()
        self.plans: dict[str, TypePlan] = {}
        """element type -> what the passes do with it, decided once per type."""
        self.rtypes: dict[str, str | None] = {}
        """relationshipType as written -> its SPDX 3.0.1 name (``None``: unknown)."""
        self.rel_lists: dict[str, list[Entry]] = {}
        """relationshipType as written (a known one) -> the list its relationships go to."""
        # per-component caches of _components, by the value as written
        self.identifier_types: dict[str, str] = {}
        self.algorithm_names: dict[str, str] = {}
        self.purposes: dict[str, str] = {}
        self.suppliers: dict[str, Party | None] = {}
        self.originators: dict[str, Party | None] = {}
        self.edges: list[Edge] = []
        """Edges between two components, in the order the relationships give them."""
        # the elements each later stage reads, in graph order (inline elements last)
        self.entries: list[Entry] = []
        self.collections: list[Entry] = []
        self.license_rels: list[Entry] = []
        self.supplier_rels: list[Entry] = []
        self.artifacts: list[Entry] = []
        self.edge_entries: list[Entry] = []
        """Relationships that may become edges or roots, and snippets (``snippetFromFile``)."""
        self.creation_infos: list[Entry] = []
        self.annotations: list[Entry] = []
        self.unread: list[Entry] = []
        """Relationships no stage reads (security assessments, build agents)."""
        self.b = DocumentBuilder(
            source=source,
            sha256=sha256,
            format="spdx",
            encoding="json-ld",
            spec_version=self._context_version() or "3.0.1",
        )

    # -- ids ---------------------------------------------------------------------------

    def _context_version(self) -> str | None:
        ctx = self.obj.get("@context")
        for item in _list(ctx):
            if isinstance(item, str):
                m = _SPEC_IN_CONTEXT.search(item)
                if m:
                    return m.group(1)
        return None

    def _read_context_prefixes(self) -> None:
        for item in _list(self.obj.get("@context")):
            if isinstance(item, dict):
                for k, v in item.items():
                    if isinstance(k, str) and isinstance(v, str) and not k.startswith("@"):
                        self.prefixes[k] = v

    def _add_namespace_map(self, value: Any) -> None:
        if isinstance(value, dict) and "prefix" not in value:
            # Some tools write {"prefix": "namespace"} instead of a list of NamespaceMap objects.
            for k, v in value.items():
                if isinstance(k, str) and isinstance(v, str):
                    self.prefixes.setdefault(k, v)
            return
        for nm in _list(value):
            if isinstance(nm, dict):
                p, ns = _str(nm.get("prefix")), _str(nm.get("namespace"))
                if p and ns:
                    self.prefixes.setdefault(p, ns)

    def expand(self, ref: str) -> str:
        """The full IRI of ``ref`` when it starts with a prefix of the ``@context`` or of a
        ``namespaceMap`` (``ex:pkg`` with ``ex`` -> ``https://example.com/``); else ``ref``."""
        if self.prefixes and ":" in ref:
            prefix, rest = ref.split(":", 1)
            ns = self.prefixes.get(prefix)
            if ns is not None and not rest.startswith("//"):
                return ns + rest
        return ref

    # -- the passes --------------------------------------------------------------------

    def read(self) -> Document:
        graph = self._graph()
        self._read_context_prefixes()
        documents = self._sort(graph)
        self.namespaces = frozenset(self.prefixes.values())
        for i, el, _t, _rid in self.collections:
            self._read_imports(el, i)
        self._read_licenses()
        for i, el, _t, _rid in self.supplier_rels:
            self._pre_relationship(el, i)
        declared = self._components(self._annotation_statements())
        self._read_edges()
        for i, el, _t, _rid in self.collections:
            self._collection_roots(el, i)
        if self.lone_element and self.b.components:
            self.b.add_root(self.b.components[0].id)  # the document *is* that one element
        if self.skipped_rels:
            self.b.info(
                "relationship-not-between-artifacts",
                f"{self.skipped_rels} relationship(s) between elements that are not packages, files "
                "or snippets (agents, licences, documents) were not made edges",
            )
        doc_el = documents[0][1] if documents else None
        if len(documents) > 1:
            self.b.warn(
                "several-documents",
                f"the graph holds {len(documents)} SpdxDocument elements; the first names the document",
                f"/@graph/{documents[1][0]}",
            )
        serial = _str(doc_el.get("spdxId")) if doc_el else None
        name = _str(doc_el.get("name")) if doc_el else None
        lone = self.entries[0][1] if self.lone_element and self.entries else None
        parties, spec = self._creation(doc_el or lone)
        if spec:
            self.b.spec_version = spec
        doc = self.b.finish(serial=serial, name=name, parties=parties, declared_components=declared)
        return self._document_level_imports(doc)

    def _sort(self, graph: list[Any]) -> list[tuple[int, Element]]:
        """The one pass over the whole graph: type each element, index it by id and file it
        in the list of every later stage that reads it; return the SpdxDocument elements.

        Elements written inline (an Organization object inside ``suppliedBy``) are found
        here too, but only entries that may hold one are walked for them (see
        :func:`_may_hold_inline`). The loop runs once per element of the document, so the
        common cases (a type seen before, filed in one list) stay written out in it."""
        index, plans, entries = self.index, self.plans, self.entries
        documents: list[tuple[int, Element]] = []
        holders: list[tuple[int, Element]] = []  # elements that may hold one inline, in order
        for i, el in enumerate(graph):
            if el.__class__ is not dict and not isinstance(el, dict):
                self.b.warn("not-an-element", "a @graph entry is not a JSON object; skipped", f"/@graph/{i}")
                continue
            get = el.get
            t = get("type")
            if t.__class__ is not str or "/" in t:
                t = _type_of(el)
            rid = get("spdxId")
            if rid.__class__ is not str or not rid:
                rid = _str(rid) or _str(get("@id"))
            entry = (i, el, t, rid)
            entries.append(entry)
            plan = plans.get(t)
            if plan is None:
                plan = plans[t] = self._plan(t)
            flags, bucket, usual, other = plan
            if bucket is not None:
                bucket.append(entry)
            elif flags:
                self._file(entry, flags)
            if _may_hold_inline(el, get, usual, other):
                holders.append((i, el))
            if t == "SpdxDocument":
                documents.append((i, el))
                if "namespaceMap" in el:
                    self._add_namespace_map(el["namespaceMap"])
            # indexed by the id as written; redone below if the ids turn out to have prefixes
            if rid is not None:
                index.setdefault(rid, el)
        self._sorted(holders)
        return documents

    def _sorted(self, holders: list[tuple[int, Element]]) -> None:
        """After :meth:`_sort`'s loop: index again by full id if the document declared
        prefixes, then find, index and file the elements written inline in ``holders``."""
        entries = self.entries
        if self.prefixes:
            self.index.clear()
            self._index(entries)
        if not holders:
            return
        found = self._inline_elements(holders, {r for _i, _el, _t, r in entries if r is not None})
        entries += found
        self._index(found)
        for entry in found:
            plan = self.plans.get(entry[2])
            if plan is None:
                plan = self.plans[entry[2]] = self._plan(entry[2])
            if plan[0]:
                self._file(entry, plan[0])

    def _plan(self, t: str) -> TypePlan:
        """What the passes do with an element of type ``t`` (bits, and the list it goes to
        when it goes to one list and its type alone says which), and which of the keys that
        may hold an inline element to test one by one (those elements of the type usually
        have); the others are only looked for, since they are rarely there at all."""
        flags = 0
        if t in COLLECTION_TYPES:
            flags |= _COLLECTION
        if t.endswith("Relationship"):
            flags |= _RELATIONSHIP
            usual: tuple[str, ...] = ("creationInfo", "from", "to")
        elif t in ARTIFACT_TYPES or t in BUILD_TYPES:
            flags |= _COMPONENT
            usual = ("creationInfo", "suppliedBy", "originatedBy")
        else:
            usual = _INLINE_KEYS
        if t == "software_Snippet":
            flags |= _SNIPPET
        if t == "CreationInfo":
            flags |= _CREATION_INFO
        if t == "Annotation":
            flags |= _ANNOTATION
        only = {
            _COMPONENT: self.artifacts,
            _COLLECTION: self.collections,
            _CREATION_INFO: self.creation_infos,
            _ANNOTATION: self.annotations,
        }.get(flags)
        return flags, only, usual, frozenset(_INLINE_KEYS).difference(usual)

    def _file(self, entry: Entry, flags: int) -> None:
        """Put an element in the list of each stage that reads it (a relationship: see
        :meth:`_relationship_list`)."""
        if flags & _RELATIONSHIP:
            written = entry[1].get("relationshipType")
            bucket = self.rel_lists.get(written) if written.__class__ is str else None
            if bucket is None:
                bucket = self._relationship_list(entry[2], written)
            bucket.append(entry)
        if flags & _COMPONENT:
            self.artifacts.append(entry)
        if flags & _SNIPPET:
            self.edge_entries.append(entry)
        if flags & _COLLECTION:
            self.collections.append(entry)
        if flags & _CREATION_INFO:
            self.creation_infos.append(entry)
        if flags & _ANNOTATION:
            self.annotations.append(entry)

    def _relationship_list(self, t: str, written: Any) -> list[Entry]:
        """The list a relationship of class ``t`` whose relationshipType is ``written`` goes
        to: licence or supplier relationships are read before the components, edges after
        them, and those that are neither (security assessments, build agents, an unknown
        type in a class that is not read as an edge) nowhere. A known type's list is
        remembered by the type as written, for :meth:`_file`'s next relationship."""
        rtype = self.rtypes.get(written) if written.__class__ is str else None
        if rtype is None:
            rtype = relationship_type(_str(written) or "")
            if written.__class__ is str:
                self.rtypes[written] = rtype
        if rtype is None:
            # read as "other", with a warning, if its class makes edges
            return self.edge_entries if t in _EDGE_RELATIONSHIP_TYPES else self.unread
        action = RELATIONSHIPS[rtype].action
        bucket = (
            self.license_rels
            if action == "license"
            else self.supplier_rels
            if action == "supplier"
            else self.unread
            if action == "skip"
            else self.edge_entries
        )
        if written.__class__ is str:
            self.rel_lists[written] = bucket
        return bucket

    def _index(self, entries: list[Entry]) -> None:
        """Index elements by their full id (the first element written with an id wins)."""
        index, expand = self.index, self.expand
        for _i, el, _t, rid in entries:
            if rid is not None:
                index.setdefault(expand(rid), el)

    def _inline_elements(self, holders: list[tuple[int, Element]], seen: set[str]) -> list[Entry]:
        """JSON-LD may write a referenced element inline instead of by id (an Organization
        inside ``suppliedBy``); such elements are elements of the graph like any other.

        ``seen`` holds the ids of the top-level elements; an inline element with one of
        those ids, or written out a second time, is the same node, not a duplicate (the
        first one met wins: the walk goes from the last holder back, depth first). Only
        the holders are walked; a top-level element that holds no object adds nothing."""
        found: list[Entry] = []
        stack = list(holders)
        while stack:
            i, el = stack.pop()
            for key in _INLINE_KEYS:
                v = el.get(key)
                if v is None or isinstance(v, str):
                    continue
                for x in v if isinstance(v, list) else (v,):
                    if isinstance(x, dict):
                        rid = _str(x.get("spdxId")) or _str(x.get("@id"))
                        if rid is not None and rid not in seen:
                            seen.add(rid)
                            found.append((i, x, _type_of(x), rid))
                        stack.append((i, x))
        return found

    def _graph(self) -> list[Any]:
        obj = self.obj
        if "@graph" in obj:
            g = obj["@graph"]
            if isinstance(g, dict):
                return [g]
            if not isinstance(g, list):
                raise MalformedSbomError(
                    self.source,
                    f"@graph must be an array of elements, not {type(g).__name__}",
                    pointer="/@graph",
                )
            return g
        if _type_of(obj):
            self.lone_element = True
            return [obj]
        raise MalformedSbomError(
            self.source, "SPDX 3 JSON-LD with neither @graph nor a top-level element type"
        )

    # -- imports -----------------------------------------------------------------------

    def _read_imports(self, el: Element, i: int) -> None:
        for k, m in enumerate(_list(el.get("import"))):
            where = f"/@graph/{i}/import/{k}"
            if isinstance(m, str):
                m = self.index.get(self.expand(m), m)
            if not isinstance(m, dict):
                self.b.warn("bad-import", "an import entry is not an ExternalMap object", where)
                continue
            written = _str(m.get("externalSpdxId"))
            if written is None:
                self.b.warn("bad-import", "an ExternalMap has no externalSpdxId", where)
                continue
            full = self.expand(written)
            if full in self.imports:
                continue
            hashes = self._hashes(m.get("verifiedUsing"))
            link = ExternalLink(
                source="",
                kind=LinkKind.SPDX3_IMPORT,
                uri=written,
                document=self._import_document(full, m),
                ref=full,
                checksum=hashes[0] if hashes else None,
            )
            self.imports[full] = (written, link)

    def _import_document(self, full: str, m: Element) -> str:
        """Name the document an imported element lives in: the namespace its id starts with
        (a ``namespaceMap`` entry, or the part before ``#``), else the ExternalMap's
        ``locationHint``, else its ``definingArtifact``, else the id itself."""
        if self.prefixes:
            # The longest namespace the id starts with; namespaces end in "/" or "#", so only
            # the id's own "/" and "#" positions need looking up (never a scan of every prefix).
            namespaces = self.namespaces
            for pos in range(len(full) - 2, 0, -1):
                if full[pos] in "/#" and full[: pos + 1] in namespaces:
                    return full[: pos + 1].rstrip("#")
        if "#" in full:
            return full.split("#", 1)[0]
        return _str(m.get("locationHint")) or _ref(m.get("definingArtifact")) or full

    def _document_level_imports(self, doc: Document) -> Document:
        """Imports that no relationship of ours walks into are still references to
        another SBOM: they hang off the document's first root."""
        pending = [link for full, (_w, link) in self.imports.items() if full not in self.linked_imports]
        if not pending:
            return doc
        if not doc.roots:
            diags = doc.diagnostics + tuple(
                self._diag(
                    "import-without-root",
                    f"import of {link.uri!r} kept nowhere: the document has no elements",
                )
                for link in pending
            )
            return doc._replace(diagnostics=diags)
        root = doc.roots[0]
        return doc._replace(links=doc.links + tuple(link._replace(source=root) for link in pending))

    @staticmethod
    def _diag(code: str, message: str) -> Diagnostic:
        return Diagnostic(Severity.WARNING, code, message, None)

    # -- agents ------------------------------------------------------------------------

    def _party(self, value: Any, role: str) -> Party | None:
        rid = _ref(value)
        info = self.party_cache.get(rid) if rid is not None else None
        if info is None:
            el = value if isinstance(value, dict) else self.index.get(self.expand(rid)) if rid else None
            if el is None and rid is None:
                return None
            info = self._party_info(el, rid)
            if rid is not None:
                self.party_cache[rid] = info
        if info[0] in NO_ELEMENT or not info[0]:
            return None
        name, kind, emails, urls = info
        return Party(name, role, kind, emails, urls)

    def _party_info(self, el: Element | None, rid: str | None) -> PartyInfo:
        if el is None:
            # An agent that is not in this document (imported, or dangling): keep its id,
            # which is often a URL naming the organisation.
            name = local_name(rid or "")
            return (name, PartyKind.UNKNOWN, (), (rid,) if rid and "://" in rid else ())
        kind = AGENT_KINDS.get(_type_of(el), PartyKind.UNKNOWN)
        name = _str(el.get("name")) or ""
        emails: list[str] = []
        urls: list[str] = []
        m = _PARTY_PREFIX.match(name) if len(name) < 1000 else None
        if m:
            # SPDX 2 style "Organization: Acme (ops@acme.example)" carried over by some tools.
            if kind is PartyKind.UNKNOWN or kind is PartyKind.ORGANIZATION or kind is PartyKind.PERSON:
                kind = {"organization": PartyKind.ORGANIZATION, "person": PartyKind.PERSON}.get(
                    m.group(1).lower(), PartyKind.TOOL
                )
            name = m.group(2)
            em = _TRAILING_EMAIL.match(name)
            if em:
                name, email = em.group(1), em.group(2)
                emails.append(email)
        for x in _list(el.get("externalIdentifier")):
            x = self._inline(x)
            if (
                isinstance(x, dict)
                and identifier_type(_str(x.get("externalIdentifierType")) or "") == "email"
            ):
                ident = _str(x.get("identifier"))
                if ident:
                    emails.append(ident)
        for r in _list(el.get("externalRef")):
            if isinstance(r, dict):
                urls.extend(u for u in _list(r.get("locator")) if isinstance(u, str) and u)
        if not name:
            rid = _ref(el)
            name = rid or ""
            if rid and "://" in rid:
                urls.append(rid)
        return (name, kind, tuple(emails), tuple(urls))

    def _inline(self, value: Any) -> Any:
        """An object given by id where the format wants it inline (some tools do this)."""
        if isinstance(value, str):
            return self.index.get(self.expand(value))
        return value

    def _creation(self, doc_el: Element | None) -> tuple[tuple[Party, ...], str | None]:
        infos: list[Element] = []
        if doc_el is not None:
            ci = doc_el.get("creationInfo")
            ci = self._inline(ci) if isinstance(ci, str) else ci
            if isinstance(ci, dict):
                infos.append(ci)
        if not infos:
            infos = [el for _i, el, _t, _r in self.creation_infos]
        parties: list[Party] = []
        spec: str | None = None
        for ci in infos:
            spec = spec or _str(ci.get("specVersion"))
            for a in _list(ci.get("createdBy")):
                p = self._party(a, "creator")
                if p:
                    parties.append(p)
            for t in _list(ci.get("createdUsing")):
                p = self._party(t, "tool")
                if p:
                    parties.append(p._replace(kind=PartyKind.TOOL))
        return tuple(parties), spec

    # -- components --------------------------------------------------------------------

    def _read_licenses(self) -> None:
        """``hasConcludedLicense`` / ``hasDeclaredLicense``: the licences of each element,
        which must be known before its component is built. Most documents give every
        package its own relationship to one of a few licence elements, so a licence id
        already worked out is taken from the cache here rather than through
        :meth:`_license` (which would return the same cached value)."""
        prefixes, expand = self.prefixes, self.expand
        cache, licenses = self.license_cache, self.licenses
        for _i, el, _t, _rid in self.license_rels:
            get = el.get
            src = get("from")
            if src.__class__ is not str or not src:
                src = _ref(src)
                if src is None:
                    continue
            key = expand(src) if prefixes else src
            to = get("to")
            for x in to if to.__class__ is list else _list(to):
                expr = cache[x] if not prefixes and x.__class__ is str and x in cache else self._license(x, 0)
                if expr:
                    if key in licenses:
                        licenses[key].append(expr)
                    else:
                        licenses[key] = [expr]

    def _pre_relationship(self, el: Element, i: int) -> None:
        """Licences and extra suppliers must be known before the components are built (the
        general form; :meth:`_read_licenses` reads the licence relationships)."""
        rtype = relationship_type(_str(el.get("relationshipType")) or "")
        if rtype is None:
            return
        action = RELATIONSHIPS[rtype].action
        if action not in ("license", "supplier"):
            return
        src = _ref(el.get("from"))
        if src is None:
            return
        key = self.expand(src)
        for t in _list(el.get("to")):
            if action == "license":
                expr = self._license(t, 0)
                if expr:
                    self.licenses.setdefault(key, []).append(expr)
            else:
                self.extra_suppliers.setdefault(key, []).append(t)

    def _license(self, value: Any, depth: int) -> str | None:
        """The licence expression of a licence element. Licence sets may share members (a
        DAG, or a cycle), so results are cached per element and capped in length: a few
        hundred bytes of nested sets must not expand into gigabytes of expression."""
        rid = _ref(value)
        key = self.expand(rid) if rid else None
        if key is not None and key in self.license_cache:
            return self.license_cache[key]
        if key is not None:
            self.license_cache[key] = None  # a cycle back to here reads as "no licence"
        expr = self._license_uncached(value, rid, depth)
        if expr is not None and len(expr) > _MAX_LICENSE_CHARS:
            if not self.license_too_long:
                self.license_too_long = True
                self.b.warn(
                    "license-too-long",
                    f"a licence expression longer than {_MAX_LICENSE_CHARS} characters was dropped",
                    key,
                )
            expr = None
        if key is not None:
            self.license_cache[key] = expr
        return expr

    def _license_uncached(self, value: Any, rid: str | None, depth: int) -> str | None:
        """:meth:`_license` of ``value`` (an element, or ``rid``, its id), not cached."""
        el = value if isinstance(value, dict) else self.index.get(self.expand(rid)) if rid else None
        if el is None:
            return None if rid is None else _license_named(rid)
        if depth > _MAX_LICENSE_DEPTH:
            return None
        t = _type_of(el)
        expr = _str(el.get("simplelicensing_licenseExpression"))
        if expr:
            return None if expr.strip().upper() == "NOASSERTION" else expr
        members = self._license_members(el, depth)  # read whatever the type, as they always were
        if members and t.endswith(("ConjunctiveLicenseSet", "DisjunctiveLicenseSet")):
            return "(" + (" AND " if t.endswith("ConjunctiveLicenseSet") else " OR ").join(members) + ")"
        if t.endswith("OrLaterOperator"):
            sub = self._license(el.get("expandedlicensing_subjectLicense"), depth + 1)
            return f"{sub}+" if sub else None
        if t.endswith("WithAdditionOperator"):
            return self._license_with(el, depth)
        return _license_label(el, t)

    def _license_members(self, el: Element, depth: int) -> list[str]:
        """The licences of ``el``'s members that read as one. Reading stops once they pass
        the length cap: :meth:`_license` drops the whole expression then."""
        members: list[str] = []
        size = 0
        for x in _list(el.get("expandedlicensing_member")):
            m = self._license(x, depth + 1)
            if m:
                members.append(m)
                size += len(m) + 5
                if size > _MAX_LICENSE_CHARS:
                    break
        return members

    def _license_with(self, el: Element, depth: int) -> str | None:
        """``subject WITH addition``; the subject alone when the addition has no name."""
        sub = self._license(el.get("expandedlicensing_subjectExtendableLicense"), depth + 1)
        add = _ref(el.get("expandedlicensing_subjectAddition"))
        add_el = self._inline(add) if add else None
        add_name = (_str(add_el.get("name")) if isinstance(add_el, dict) else None) or (
            local_name(add).rsplit("/", 1)[-1] if add else None
        )
        return f"{sub} WITH {add_name}" if sub and add_name else sub

    def _hashes(self, value: Any) -> list[Hash]:
        out = []
        for h in _list(value):
            if isinstance(h, dict) and _type_of(h) in ("Hash", ""):
                alg, val = _str(h.get("algorithm")), _str(h.get("hashValue"))
                if alg and val:
                    out.append(Hash(hash_algorithm(alg), val.lower()))
        return out

    def _annotation_statements(self) -> dict[str, list[str]]:
        """The statements of the Annotation elements, by the expanded id of their subject:
        read once, before the components (annotations are rare, so the hot loop only looks
        one up when there are any). A statement is read as an SPDX 2 annotation's comment is."""
        notes: dict[str, list[str]] = {}
        for _i, el, _t, _rid in self.annotations:
            subject, statement = _ref(el.get("subject")), _str(el.get("statement"))
            if subject and statement:
                notes.setdefault(self.expand(subject), []).append(statement)
        return notes

    def _components(self, notes: dict[str, list[str]]) -> int:
        """The hot loop: one component per Artifact (or Build); returns how many were
        Artifacts (``declared_components``). ``notes``: annotation statements by subject
        (:meth:`_annotation_statements`).

        Each value is first tested for the shape SPDX writers give it (a non-empty string,
        one Hash object in a list, an id already seen in the same role); anything else goes
        through the general helper that reads every shape, so an odd document reads the same
        as with the general helpers alone. A component is built as a record by slot
        (:meth:`DocumentBuilder.add_record`), its small tuples with ``tuple.__new__``, and
        what depends only on the element type (component type, origin, the ``spdx3:type``
        property) is worked out once per type. The identifiers, the parties, the hashes and
        the descriptive fields are each a method of their own (four or five calls a
        component). Measured (process time, best of 3 loads of the 100,000-component
        benchmark file, interleaved with the loop written out in one, machine busy):
        0.98x and 1.04x in two runs; not yet confirmed by benchmarks/bench_ingest.py."""
        b = self.b
        add, alias = b.add_record, b.alias
        prefixes, expand, licenses, plain = self.prefixes, self.expand, self.licenses, _PLAIN_START
        blanks: dict[str, Callable[[], list[Any]]] = {}
        declared = 0
        for i, el, t, rid in self.artifacts:
            blank = blanks.get(t)
            if blank is None:
                blank = blanks[t] = self._blank(t)
            if t in ARTIFACT_TYPES:
                declared += 1
            get = el.get
            pointer = f"/@graph/{i}"
            key = expand(rid) if prefixes and rid is not None else rid
            rec = blank()  # the component, by slot (see DocumentBuilder.add_record)
            self._identity(get, pointer, rec)
            self._component_parties(get, key, rec)
            v = get("software_copyrightText")
            if v is not None:
                if v.__class__ is not str or v[:1] not in plain:
                    v = _clean(v)
                if v:
                    rec[COPYRIGHT] = (v,)
            if key is not None:
                lic = licenses.get(key)
                if lic is not None:
                    rec[LICENSES] = (lic[0],) if len(lic) == 1 else tuple(dict.fromkeys(lic))
            v = get("verifiedUsing")
            if v is not None:
                self._verified(v, rec)
            self._describe(el, rec)
            rec[POINTER] = pointer
            if key and key != rid:
                # a compact id ("ex:pkg") keeps its full IRI here: other documents import by it
                rec[PROPERTIES] = (("spdx3:type", t), ("spdx3:spdxId", key))
            v = get("comment")
            if v is not None or (notes and key in notes):
                self._comments(rec, t, v, notes.get(key, ()) if notes and key else ())
            cid = add(rid, rec)
            if key is not None and key != rid:
                alias(key, cid)
        return declared

    def _identity(self, get: Callable[[str], Any], pointer: str, rec: list[Any]) -> None:
        """A component's purl, other identifiers and external references, into ``rec``."""
        plain, new = _PLAIN_START, _new_tuple
        refs: list[ExternalRef] = []
        purl: str | None = None
        v = get("software_packageUrl")
        if v is not None:
            purl = v if v.__class__ is str and PURL_WELL_FORMED(v) else self._package_url(v, pointer, refs)
        v = get("externalIdentifier")
        if v is not None:
            purl = self._identifiers(v, pointer, purl, rec, refs)
        if purl is not None:
            rec[PURL] = purl
        v = get("externalRef")
        if v is not None:
            self._external_refs(v, refs)
        v = get("software_homePage")
        if v is not None:
            if v.__class__ is not str or v[:1] not in plain:
                v = _clean(v)
            if v:
                refs.append(new(ExternalRef, ("website", v, None, None)))
        v = get("software_downloadLocation")
        if v is not None:
            if v.__class__ is not str or v[:1] not in plain:
                v = _clean(v)
            if v:
                refs.append(new(ExternalRef, ("distribution", v, None, None)))
        if refs:
            rec[EXTERNAL_REFS] = tuple(refs)

    def _identifiers(
        self, value: Any, pointer: str, purl: str | None, rec: list[Any], refs: list[ExternalRef]
    ) -> str | None:
        """``externalIdentifier``: CPEs, SWID, OmniBOR and SWHIDs into ``rec``, the others
        onto ``refs``; returns the purl (``purl``, or the first well-formed one here)."""
        cpes: list[str] = []
        swid: Swid | None = None
        omnibor: list[str] = []
        swhids: list[str] = []
        identifier_types = self.identifier_types
        for k, x in enumerate(value if value.__class__ is list else _list(value)):
            if x.__class__ is not dict:
                x = self._inline(x)
                if not isinstance(x, dict):
                    continue
            xget = x.get
            ident = xget("identifier")
            if ident.__class__ is not str or not ident:
                ident = _str(ident)
                if ident is None:
                    continue
            raw = xget("externalIdentifierType")
            kind = identifier_types.get(raw) if raw.__class__ is str else None
            if kind is None:
                kind = identifier_type(_str(raw) or "")
                if raw.__class__ is str:
                    identifier_types[raw] = kind
            if kind == "purl":
                problem = None if PURL_WELL_FORMED(ident) else check_purl(ident)
                if problem is None and purl is None:
                    purl = ident
                else:
                    if problem is not None:
                        where = f"{pointer}/externalIdentifier/{k}"
                        self.b.warn("bad-purl", f"packageUrl {ident!r}: {problem}", where)
                    refs.append(_new_tuple(ExternalRef, ("purl", ident, "externalIdentifier", None)))
            elif kind == "cpe23" or kind == "cpe22":
                cpes.append(ident)
            elif kind == "swid" and swid is None:
                swid = Swid(tag_id=ident, name=None, regid=None)
            elif kind == "gitoid":
                omnibor.append(ident)
            elif kind == "swhid":
                swhids.append(ident)
            else:
                refs.append(ExternalRef(kind, ident, "externalIdentifier", _str(xget("comment"))))
        if cpes:
            rec[CPES] = tuple(cpes)
        if swid is not None:
            rec[SWID] = swid
        if omnibor:
            rec[OMNIBOR_IDS] = tuple(omnibor)
        if swhids:
            rec[SWHIDS] = tuple(swhids)
        return purl

    def _component_parties(self, get: Callable[[str], Any], key: str | None, rec: list[Any]) -> None:
        """``suppliedBy`` (and suppliers given by relationships), then ``originatedBy``."""
        parties: list[Party] = []
        suppliers, extra = self.suppliers, self.extra_suppliers
        v = get("suppliedBy")
        if v is not None:
            if v.__class__ is str and v in suppliers:
                party = suppliers[v]
                if party is not None:
                    parties.append(party)
            else:
                self._parties(v, "supplier", suppliers, parties)
        if extra and key is not None and key in extra:
            self._parties(extra[key], "supplier", suppliers, parties)
        v = get("originatedBy")
        if v is not None:
            self._parties(v, "originator", self.originators, parties)
        if parties:
            rec[PARTIES] = tuple(parties)

    def _verified(self, v: Any, rec: list[Any]) -> None:
        """``verifiedUsing``: one Hash object in a list read inline, anything else by
        :meth:`_hashes`."""
        alg = value = None
        if v.__class__ is list and len(v) == 1 and (h := v[0]).__class__ is dict and h.get("type") == "Hash":
            alg, value = h.get("algorithm"), h.get("hashValue")
        if alg.__class__ is str and value.__class__ is str and alg and value:  # one hash
            name = self.algorithm_names.get(alg)
            if name is None:
                name = self.algorithm_names[alg] = hash_algorithm(alg)
            if not value.islower():  # hex digits only, or upper case (a value that
                value = value.lower()  # is lower case already would come out equal)
            rec[HASHES] = (_new_tuple(Hash, (name, value)),)
        else:
            hashes = self._hashes(v)
            if hashes:
                rec[HASHES] = tuple(hashes)

    def _describe(self, el: Element, rec: list[Any]) -> None:
        """Primary purpose, description (or summary), version and name, into ``rec``."""
        get = el.get
        v = get("software_primaryPurpose")
        if v is not None:
            purposes = self.purposes
            if v.__class__ is str and v in purposes:
                rec[TYPE] = purposes[v]
            elif v.__class__ is str and v:
                rec[TYPE] = purposes[v] = local_name(v)
            elif _str(v):
                rec[TYPE] = local_name(v)
        v = get("description")
        if v.__class__ is str and v:
            rec[DESCRIPTION] = v
        elif v is not None or "summary" in el:
            rec[DESCRIPTION] = _str(v) or _str(get("summary"))
        v = get("software_packageVersion")
        if v is not None:
            rec[VERSION] = v if v.__class__ is str and v else _str(v)
        v = get("name")
        rec[NAME] = v if v.__class__ is str and v else _str(v) or ""

    @staticmethod
    def _blank(t: str) -> Callable[[], list[Any]]:
        """A new component record for an element of type ``t``, with what the type decides."""
        rec = list(RECORD)
        rec[TYPE] = DEFAULT_COMPONENT_TYPE.get(t, t)
        rec[PROPERTIES] = (("spdx3:type", t),)
        rec[ORIGIN_SLOT] = ORIGIN.get(t)
        return rec.copy

    @staticmethod
    def _comments(rec: list[Any], t: str, comment: Any, statements: Sequence[str]) -> None:
        """An element's ``comment`` and its annotations' statements, into the fields the
        SPDX 2 readers put comments and annotations in, so that matching reads them the
        same way (at low confidence): a file's or snippet's comment is its description when
        it has none; any other comment is an ``spdx:comment`` property, each statement an
        ``spdx:annotation`` property."""
        props: list[tuple[str, str]] = []
        c = _str(comment)
        if c is not None:
            if t in _COMMENT_AS_DESCRIPTION and not rec[DESCRIPTION]:
                rec[DESCRIPTION] = c
            else:
                props.append(("spdx:comment", c))
        props.extend(("spdx:annotation", s) for s in statements)
        if props:
            rec[PROPERTIES] = (*rec[PROPERTIES], *props)

    def _package_url(self, value: Any, pointer: str, refs: list[ExternalRef]) -> str | None:
        """``software_packageUrl`` when it is not plainly well-formed: the purl, or ``None``
        with a warning and the value kept as an external reference."""
        p = _str(value)
        if not p:
            return None
        problem = check_purl(p)
        if problem is None:
            return p
        self.b.warn("bad-purl", f"software_packageUrl {p!r}: {problem}", pointer + "/software_packageUrl")
        refs.append(ExternalRef("purl", p))
        return None

    def _external_refs(self, value: Any, refs: list[ExternalRef]) -> None:
        for r in _list(value):
            if isinstance(r, dict):
                rtype = local_name(_str(r.get("externalRefType")) or "other")
                for loc in _list(r.get("locator")):
                    if isinstance(loc, str) and loc:
                        refs.append(ExternalRef(rtype, loc, "externalRef", _str(r.get("comment"))))

    def _parties(self, value: Any, role: str, cache: dict[str, Party | None], out: list[Party]) -> None:
        """The parties ``value`` names in ``role`` (an agent id, an inline agent, or a list
        of them), appended to ``out``. A party named by an id is kept in ``cache`` by that
        id: it is the same party every time (see :meth:`_party`)."""
        for a in _list(value):
            if a.__class__ is str:
                if a in cache:
                    party = cache[a]
                else:
                    party = cache[a] = self._party(a, role)
            else:
                party = self._party(a, role)
            if party is not None:
                out.append(party)

    # -- relationships -----------------------------------------------------------------

    def _type_at(self, ref: str) -> str | None:
        """The type of the element indexed under ``ref``, ``None`` when there is none."""
        el = self.index.get(ref)
        return None if el is None else _type_of(el)

    def _kind_of(self, ref: str) -> str:
        """``component``, ``imported``, ``none`` (NoneElement and friends), ``other`` (an
        element of this graph that is no component) or ``missing``."""
        if self.b.resolve(ref) is not None:
            return "component"
        if ref in self.imports:
            return "imported"
        if local_name(ref) in NO_ELEMENT:
            return "none"
        if ref in self.index:
            return "other"
        return "missing"

    def _read_edges(self) -> None:
        """Relationships into edges (and roots), snippets to their files, in graph order.

        The hot loop takes the common relationship — a known type that is an edge, ``from``
        one id, ``to`` a list, no ``scope`` — and makes the edge straight away when both
        ends are components of this document (``tuple.__new__``, no pending reference to
        resolve later); every other relationship, and every other target, goes through
        :meth:`_relationship` and :meth:`_target`, which read all the rest. Edges stay in
        the order the relationships give them: every edge between two components is made
        here, so the builder's pending references are only the dangling ones."""
        resolve, new = self.b.resolve, _new_tuple
        edges = self.edges
        prefixes, expand, rtypes = self.prefixes, self.expand, self.rtypes
        rels: dict[str, Rel] = {name: rel for name, rel in RELATIONSHIPS.items() if rel.action == "edge"}
        for i, el, t, _rid in self.edge_entries:
            if t == "software_Snippet":
                self._snippet_file(el, i)
                continue
            get = el.get
            written = get("relationshipType")
            rtype = rtypes.get(written) if written.__class__ is str else None
            rel = rels.get(rtype) if rtype is not None else None
            src = get("from")
            if rtype is None or rel is None or src.__class__ is not str or not src or "scope" in el:
                self._relationship(el, t, i)
                continue
            if prefixes:
                src = expand(src)
            kind, flip = rel.kind or EdgeKind.OTHER, rel.flip
            to = get("to")
            for x in to if to.__class__ is list else _list(to):
                ref = x if x.__class__ is str else _ref(x)
                if not ref:
                    continue
                if prefixes:
                    ref = expand(ref)
                a, z = (ref, src) if flip else (src, ref)
                ca = resolve(a)
                cz = resolve(z) if ca is not None else None
                if ca is not None and cz is not None:
                    edges.append(new(Edge, (ca, cz, kind, rtype)))
                else:
                    self._target(a, z, kind, rtype, f"/@graph/{i}")
        # an edge stated twice (a target repeated in ``to``, a relationship written again)
        # is one edge, in the place it first appears, as in SPDX 2 and CycloneDX
        self.b.add_edges(list(dict.fromkeys(edges)))

    def _relationship(self, el: Element, t: str, i: int) -> None:
        where = f"/@graph/{i}"
        written = _str(el.get("relationshipType"))
        rtype = relationship_type(written or "")
        if rtype is None:
            if t not in _EDGE_RELATIONSHIP_TYPES:
                return  # security assessment relationships with a type we do not know
            self.b.warn(
                "unknown-relationship",
                f"relationshipType {written!r} is not an SPDX 3.0.1 relationship type; kept as 'other'",
                where,
            )
            rel = RELATIONSHIPS["other"]
            detail = written or "other"
        else:
            rel = RELATIONSHIPS[rtype]
            detail = rtype
        if rel.action in ("license", "supplier", "skip"):
            return
        src = _ref(el.get("from"))
        if src is None:
            self.b.warn("bad-relationship", "a relationship has no 'from' element", where)
            return
        src = self.expand(src)
        targets = [self.expand(r) for r in (_ref(x) for x in _list(el.get("to"))) if r]
        src_type = self._type_at(src) or ""
        if rel.action == "describes" and (src_type in COLLECTION_TYPES or src_type == ""):
            for tgt in targets:
                self._add_root(tgt, where)
            return
        kind = rel.kind or EdgeKind.OTHER  # "describes" between two artifacts
        scope = _str(el.get("scope"))
        if scope:
            detail = f"{detail} ({local_name(scope)})"
        for tgt in targets:
            a, z = (tgt, src) if rel.flip else (src, tgt)
            self._target(a, z, kind, detail, where)

    def _target(self, a: str, z: str, kind: EdgeKind, detail: str, where: str) -> None:
        """One ``a`` has ``z`` of a relationship, by what the two ends are."""
        ka, kz = self._kind_of(a), self._kind_of(z)
        if ka == "none" or kz == "none":
            return
        if ka == "component" and kz == "imported":
            cid = self.b.resolve(a)
            assert cid is not None
            self.b.add_link(self.imports[z][1]._replace(source=cid))
            self.linked_imports.add(z)
        elif ka == "imported":
            # An element of another document "has" one of ours: no path from our root
            # goes through it. The import itself is still kept at document level.
            self.b.info(
                "import-points-in",
                f"{detail}: imported element {a!r} has {z!r}; not an edge of this document",
                where,
            )
        elif ka == "other" or kz == "other":
            self.skipped_rels += 1
        else:
            self._edge(a, z, kind, detail, where)

    def _edge(self, a: str, z: str, kind: EdgeKind, detail: str, where: str) -> None:
        """An edge between two refs: made now when both are components (every component is
        read by now), else left to the builder, which reports the dangling reference."""
        ca = self.b.resolve(a)
        cz = self.b.resolve(z)
        if ca is not None and cz is not None:
            self.edges.append(Edge(ca, cz, kind, detail))
        else:
            self.b.add_edge_ref(a, z, kind, detail, location=where)

    def _snippet_file(self, el: Element, i: int) -> None:
        snippet, file_ref = _ref(el), _ref(el.get("software_snippetFromFile"))
        if snippet and file_ref:
            self._edge(
                self.expand(file_ref),
                self.expand(snippet),
                EdgeKind.CONTAINS,
                "snippetFromFile",
                f"/@graph/{i}/software_snippetFromFile",
            )

    def _collection_roots(self, el: Element, i: int) -> None:
        for k, r in enumerate(_list(el.get("rootElement"))):
            ref = _ref(r)
            if ref:
                self._add_root(self.expand(ref), f"/@graph/{i}/rootElement/{k}")

    def _add_root(self, first: str, where: str) -> None:
        """A root names a component, or a collection (an Sbom inside the document) whose
        own roots are then the roots; nested collections are walked without recursion."""
        stack = [first]
        while stack:
            ref = stack.pop()
            kind = self._kind_of(ref)
            if kind == "component":
                cid = self.b.resolve(ref)
                assert cid is not None
                self.b.add_root(cid)
            elif kind == "imported":
                self.b.info("imported-root", f"root element {ref!r} lives in another document", where)
            elif kind == "other" and self._type_at(ref) in COLLECTION_TYPES:
                if ref not in self.expanded_collections:
                    self.expanded_collections.add(ref)
                    subs = [_ref(r) for r in _list(self.index[ref].get("rootElement"))]
                    stack.extend(self.expand(r) for r in reversed(subs) if r)
            elif kind == "other":
                self.b.warn(
                    "root-not-artifact", f"root element {ref!r} is not a package, file or snippet", where
                )
            elif kind == "missing":
                self.b.add_root_ref(ref, where)
