"""Read SPDX 3.0.1 JSON-LD into a :class:`~sbomscan.model.Document`.

SPDX 3 is a flat ``@graph`` of elements that point at each other by id: packages name
their supplier by the id of an Organization element, licences hang off relationships, and
an element may live in another document altogether (``SpdxDocument.import``). The reader
therefore works in three passes over the graph — index every element by id, build one
component per Artifact, then turn relationships into edges, roots and cross-document links —
reading the decoded dict directly, because going through an object model per element
would cost far more than parsing the JSON did.

``strict=True`` first has the SPDX project's own bindings (spdx-python-model) deserialize
and re-serialize the document, which refuses unknown classes and properties and missing
required properties (see :mod:`sbomscan.ingest.spdx3_strict`).

What maps to what, and why, is in ``docs/ingest-spdx3.md``.

>>> doc = read_spdx3({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
...     {"type": "Organization", "spdxId": "urn:o", "name": "Acme"},
...     {"type": "SpdxDocument", "spdxId": "urn:d", "rootElement": ["urn:app"]},
...     {"type": "software_Package", "spdxId": "urn:app", "name": "app", "suppliedBy": "urn:o"},
...     {"type": "software_Package", "spdxId": "urn:lib", "name": "lib"},
...     {"type": "Relationship", "spdxId": "urn:r", "from": "urn:app", "to": ["urn:lib"],
...      "relationshipType": "dependsOn"}]}, b"", source="x.json", sha256="0" * 64, strict=False)
>>> [(c.ref, c.parties[0].name if c.parties else None) for c in doc.components]
[('urn:app', 'Acme'), ('urn:lib', None)]
>>> [(e.source[13:], e.kind.value, e.target[13:]) for e in doc.edges], doc.roots
([('urn:app', 'depends_on', 'urn:lib')], ('000000000000#urn:app',))
"""

from __future__ import annotations

import gc
import re
from typing import Any

from ..errors import MalformedSbomError
from ..model import (
    Diagnostic,
    Document,
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
from ..purl import check_purl
from .builder import DocumentBuilder
from .spdx3_vocab import (
    AGENT_KINDS,
    ARTIFACT_TYPES,
    BUILD_TYPES,
    COLLECTION_TYPES,
    DEFAULT_COMPONENT_TYPE,
    NO_ELEMENT,
    ORIGIN,
    RELATIONSHIPS,
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

Element = dict[str, Any]
PartyInfo = tuple[str, PartyKind, tuple[str, ...], tuple[str, ...]]


def read_spdx3(obj: dict[str, Any], data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """Read a decoded SPDX 3 JSON-LD document (``data`` is the raw input, used by strict mode).

    Raises :class:`~sbomscan.errors.MalformedSbomError` when the input has no readable
    element list, or in strict mode when the SPDX bindings reject it.
    """
    if strict:
        from .spdx3_strict import validate

        validate(obj, source=source)
    # The reader allocates a few small tuples per element and frees none of them; the
    # cyclic garbage collector would rescan them all over and over (half the run time
    # on a 100,000-package document) while finding nothing to collect.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        doc = _Reader(obj, source=source, sha256=sha256).read()
    finally:
        if gc_was_enabled:
            gc.enable()
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


class _Reader:
    """One read of one document; state lives here so the passes can share it."""

    def __init__(self, obj: dict[str, Any], *, source: str, sha256: str) -> None:
        self.obj = obj
        self.source = source
        self.prefixes: dict[str, str] = {}
        self.index: dict[str, Element] = {}
        self.types: dict[str, str] = {}
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
        entries: list[tuple[int, Element, str, str | None]] = []
        documents: list[tuple[int, Element]] = []
        for i, el in enumerate(graph):
            if not isinstance(el, dict):
                self.b.warn("not-an-element", "a @graph entry is not a JSON object; skipped", f"/@graph/{i}")
                continue
            t = _type_of(el)
            rid = _str(el.get("spdxId")) or _str(el.get("@id"))
            entries.append((i, el, t, rid))
            if t == "SpdxDocument":
                documents.append((i, el))
                if "namespaceMap" in el:
                    self._add_namespace_map(el["namespaceMap"])
        self._inline_elements(entries)
        for _i, el, t, rid in entries:
            if rid is not None:
                key = self.expand(rid)
                if key not in self.index:
                    self.index[key] = el
                    self.types[key] = t
        self.namespaces = frozenset(self.prefixes.values())
        for i, el, t, _rid in entries:
            if t in COLLECTION_TYPES:
                self._read_imports(el, i)
        for i, el, t, _rid in entries:
            if t.endswith("Relationship"):
                self._pre_relationship(el, i)
        declared = 0
        for i, el, t, rid in entries:
            if t in ARTIFACT_TYPES or t in BUILD_TYPES:
                declared += t in ARTIFACT_TYPES
                self._component(el, t, rid, f"/@graph/{i}")
        for i, el, t, _rid in entries:
            if t.endswith("Relationship"):
                self._relationship(el, t, i)
            elif t == "software_Snippet":
                self._snippet_file(el, i)
        for i, el, t, _rid in entries:
            if t in COLLECTION_TYPES:
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
        lone = entries[0][1] if self.lone_element and entries else None
        parties, spec = self._creation(doc_el or lone, entries)
        if spec:
            self.b.spec_version = spec
        doc = self.b.finish(serial=serial, name=name, parties=parties, declared_components=declared)
        return self._document_level_imports(doc)

    def _inline_elements(self, entries: list[tuple[int, Element, str, str | None]]) -> None:
        """JSON-LD may write a referenced element inline instead of by id (an Organization
        inside ``suppliedBy``); such elements are elements of the graph like any other."""
        stack = [(i, el) for i, el, _t, _r in entries]
        seen = {r for _i, _el, _t, r in entries if r is not None}
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
                            # the same node written out again is the same node, not a duplicate
                            seen.add(rid)
                            entries.append((i, x, _type_of(x), rid))
                        stack.append((i, x))

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

    def _creation(
        self, doc_el: Element | None, entries: list[tuple[int, Element, str, str | None]]
    ) -> tuple[tuple[Party, ...], str | None]:
        infos: list[Element] = []
        if doc_el is not None:
            ci = doc_el.get("creationInfo")
            ci = self._inline(ci) if isinstance(ci, str) else ci
            if isinstance(ci, dict):
                infos.append(ci)
        if not infos:
            infos = [el for _i, el, t, _r in entries if t == "CreationInfo"]
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

    def _pre_relationship(self, el: Element, i: int) -> None:
        """Licences and extra suppliers must be known before the components are built."""
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
        el = value if isinstance(value, dict) else self.index.get(self.expand(rid)) if rid else None
        if el is None:
            if rid is None:
                return None
            name = local_name(rid)
            if name.endswith("NoAssertionLicense"):
                return None
            if name.endswith("NoneLicense"):
                return "NONE"
            if "spdx.org/licenses/" in rid:
                return rid.rstrip("/").rsplit("/", 1)[-1]
            return rid
        if depth > _MAX_LICENSE_DEPTH:
            return None
        t = _type_of(el)
        expr = _str(el.get("simplelicensing_licenseExpression"))
        if expr:
            return None if expr.strip().upper() == "NOASSERTION" else expr
        members: list[str] = []
        size = 0
        for x in _list(el.get("expandedlicensing_member")):
            m = self._license(x, depth + 1)
            if m:
                members.append(m)
                size += len(m) + 5
                if size > _MAX_LICENSE_CHARS:
                    break
        if members and t.endswith("ConjunctiveLicenseSet"):
            return "(" + " AND ".join(members) + ")"
        if members and t.endswith("DisjunctiveLicenseSet"):
            return "(" + " OR ".join(members) + ")"
        if t.endswith("OrLaterOperator"):
            sub = self._license(el.get("expandedlicensing_subjectLicense"), depth + 1)
            return f"{sub}+" if sub else None
        if t.endswith("WithAdditionOperator"):
            sub = self._license(el.get("expandedlicensing_subjectExtendableLicense"), depth + 1)
            add = _ref(el.get("expandedlicensing_subjectAddition"))
            add_el = self._inline(add) if add else None
            add_name = (_str(add_el.get("name")) if isinstance(add_el, dict) else None) or (
                local_name(add).rsplit("/", 1)[-1] if add else None
            )
            return f"{sub} WITH {add_name}" if sub and add_name else sub
        own = _ref(el)
        if own and "spdx.org/licenses/" in own:
            return own.rstrip("/").rsplit("/", 1)[-1]
        label = _clean(el.get("name"))
        if label is None and own and t.endswith("License"):
            label = local_name(own).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return label

    def _hashes(self, value: Any) -> list[Hash]:
        out = []
        for h in _list(value):
            if isinstance(h, dict) and _type_of(h) in ("Hash", ""):
                alg, val = _str(h.get("algorithm")), _str(h.get("hashValue"))
                if alg and val:
                    out.append(Hash(hash_algorithm(alg), val.lower()))
        return out

    def _component(self, el: Element, t: str, rid: str | None, pointer: str) -> None:
        b = self.b
        key = self.expand(rid) if rid else None
        purl: str | None = None
        cpes: list[str] = []
        swid: Swid | None = None
        refs: list[ExternalRef] = []
        omnibor: list[str] = []
        swhids: list[str] = []
        p = _str(el.get("software_packageUrl"))
        if p:
            problem = check_purl(p)
            if problem is None:
                purl = p
            else:
                b.warn("bad-purl", f"software_packageUrl {p!r}: {problem}", pointer + "/software_packageUrl")
                refs.append(ExternalRef("purl", p))
        for k, x in enumerate(_list(el.get("externalIdentifier"))):
            x = self._inline(x)
            if not isinstance(x, dict):
                continue
            ident = _str(x.get("identifier"))
            raw_type = _str(x.get("externalIdentifierType")) or ""
            if ident is None:
                continue
            kind = identifier_type(raw_type)
            if kind in ("cpe22", "cpe23"):
                cpes.append(ident)
            elif kind == "purl":
                problem = check_purl(ident)
                if problem is None and purl is None:
                    purl = ident
                else:
                    if problem is not None:
                        b.warn(
                            "bad-purl",
                            f"packageUrl {ident!r}: {problem}",
                            f"{pointer}/externalIdentifier/{k}",
                        )
                    refs.append(ExternalRef("purl", ident, "externalIdentifier"))
            elif kind == "swid" and swid is None:
                swid = Swid(tag_id=ident, name=None, regid=None)
            elif kind == "gitoid":
                omnibor.append(ident)
            elif kind == "swhid":
                swhids.append(ident)
            else:
                refs.append(ExternalRef(kind, ident, "externalIdentifier", _str(x.get("comment"))))
        for r in _list(el.get("externalRef")):
            if isinstance(r, dict):
                rtype = local_name(_str(r.get("externalRefType")) or "other")
                for loc in _list(r.get("locator")):
                    if isinstance(loc, str) and loc:
                        refs.append(ExternalRef(rtype, loc, "externalRef", _str(r.get("comment"))))
        home = _clean(el.get("software_homePage"))
        if home:
            refs.append(ExternalRef("website", home))
        dl = _clean(el.get("software_downloadLocation"))
        if dl:
            refs.append(ExternalRef("distribution", dl))
        parties: list[Party] = []
        for a in _list(el.get("suppliedBy")):
            party = self._party(a, "supplier")
            if party:
                parties.append(party)
        if key is not None:
            for a in self.extra_suppliers.get(key, ()):
                party = self._party(a, "supplier")
                if party:
                    parties.append(party)
        for a in _list(el.get("originatedBy")):
            party = self._party(a, "originator")
            if party:
                parties.append(party)
        copyright_text = _clean(el.get("software_copyrightText"))
        purpose = _str(el.get("software_primaryPurpose"))
        licenses = self.licenses.get(key, ()) if key is not None else ()
        cid = b.add_component(
            rid,
            name=_str(el.get("name")) or "",
            pointer=pointer,
            version=_str(el.get("software_packageVersion")),
            type=local_name(purpose) if purpose else DEFAULT_COMPONENT_TYPE.get(t, t),
            purl=purl,
            cpes=tuple(cpes),
            swid=swid,
            parties=tuple(parties),
            copyright=(copyright_text,) if copyright_text else (),
            licenses=tuple(dict.fromkeys(licenses)),
            hashes=tuple(self._hashes(el.get("verifiedUsing"))),
            external_refs=tuple(refs),
            description=_str(el.get("description")) or _str(el.get("summary")),
            # a compact id ("ex:pkg") keeps its full IRI here: other documents import by it
            properties=(("spdx3:type", t), ("spdx3:spdxId", key))
            if key and key != rid
            else (("spdx3:type", t),),
            omnibor_ids=tuple(omnibor),
            swhids=tuple(swhids),
            origin=ORIGIN.get(t),
        )
        if key is not None and key != rid:
            b.alias(key, cid)

    # -- relationships -----------------------------------------------------------------

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

    def _relationship(self, el: Element, t: str, i: int) -> None:
        where = f"/@graph/{i}"
        written = _str(el.get("relationshipType"))
        rtype = relationship_type(written or "")
        if rtype is None:
            if t not in ("Relationship", "LifecycleScopedRelationship"):
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
        src_type = self.types.get(src, "")
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
            ka, kz = self._kind_of(a), self._kind_of(z)
            if ka == "none" or kz == "none":
                continue
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
                self.b.add_edge_ref(a, z, kind, detail, location=where)

    def _snippet_file(self, el: Element, i: int) -> None:
        snippet, file_ref = _ref(el), _ref(el.get("software_snippetFromFile"))
        if snippet and file_ref:
            self.b.add_edge_ref(
                self.expand(file_ref),
                self.expand(snippet),
                EdgeKind.CONTAINS,
                "snippetFromFile",
                location=f"/@graph/{i}/software_snippetFromFile",
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
            elif kind == "other" and self.types.get(ref) in COLLECTION_TYPES:
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
