"""Read SPDX 2.x documents (as JSON-like dicts) into a :class:`~sbomscan.model.Document`.

This is the one mapping from SPDX 2 to the model. JSON arrives here already decoded (the
detector parsed it once with orjson); YAML is loaded by :func:`read_yaml`; tag-value,
RDF/XML, XML and XLSX are parsed by :mod:`sbomscan.ingest.spdx2.tools` and converted to
the same dict shape first. Reading the dict directly, not through spdx-tools' object model,
is what keeps a 100,000-package document close to the cost of its JSON parse.

The reader is lenient: a value of the wrong type, an unknown relationship type, a
relationship to an element that is not there, an SPDXID used twice — each becomes a
:class:`~sbomscan.model.Diagnostic` with the JSON pointer of the offending value and the
rest of the document is still read. ``strict=True`` has spdx-tools parse and validate the
document first (:mod:`sbomscan.ingest.spdx2.strict`) and refuses what it rejects.

Field by field, and which way every relationship type points, is in ``docs/ingest-spdx2.md``.

>>> doc = read_spdx2_dict({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
...     "name": "app", "documentNamespace": "https://example.com/app",
...     "documentDescribes": ["SPDXRef-app"],
...     "packages": [{"SPDXID": "SPDXRef-app", "name": "app",
...                   "supplier": "Organization: Acme Inc (sales@acme.example)"},
...                  {"SPDXID": "SPDXRef-lib", "name": "lib", "versionInfo": "1.2"}],
...     "relationships": [{"spdxElementId": "SPDXRef-lib", "relationshipType": "DEPENDENCY_OF",
...                        "relatedSpdxElement": "SPDXRef-app"}]},
...     source="x.json", sha256="0" * 64, encoding="json", strict=False)
>>> [(c.ref, c.parties) for c in doc.components]   # doctest: +NORMALIZE_WHITESPACE
[('SPDXRef-app', (Party(name='Acme Inc', role='supplier', kind=<PartyKind.ORGANIZATION: 'organization'>,
   emails=('sales@acme.example',), urls=()),)), ('SPDXRef-lib', ())]
>>> [(e.source[13:], e.kind.value, e.target[13:], e.detail) for e in doc.edges]
[('SPDXRef-app', 'depends_on', 'SPDXRef-lib', 'DEPENDENCY_OF')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
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
    component_id,
)
from ..builder import (
    COPYRIGHT,
    CPES,
    DESCRIPTION,
    EXTERNAL_REFS,
    HASHES,
    LICENSES,
    NAME,
    ORIGIN,
    PARTIES,
    POINTER,
    PROPERTIES,
    PURL,
    RECORD,
    SLOT,
    SYNTHETIC_PREFIX,
    TYPE,
    VERSION,
    DocumentBuilder,
)
from ..spdx3.vocab import hash_algorithm
from .actor import parse_actor
from .vocab import RELATIONSHIPS, Rel, relationship

__all__ = ["read_spdx2_dict", "read_yaml"]

_NO_VALUE = frozenset({"NOASSERTION", "NONE", ""})
_CPE_TYPES = frozenset({"cpe22Type", "cpe23Type", "cpe22", "cpe23"})
_DEFAULT_DOC_ID = "SPDXRef-DOCUMENT"
_new_tuple = tuple.__new__
_STRICT_CODES = frozenset(
    {"dangling-ref", "duplicate-ref", "unknown-relationship", "unknown-document-ref", "bad-type"}
)


def _real(text: str) -> bool:
    """False for ``NOASSERTION`` / ``NONE`` / blank written with odd case or spacing (the
    exact spellings are ruled out by a set lookup before this is called).

    >>> _real("SPDXRef-a"), _real(" noassertion "), _real("None"), _real("Nginx")
    (True, False, False, True)
    >>> _real("NOASSERTION      "), _real("\u00a0NONE"), _real("\x0bnone")
    (False, False, False)
    """
    if text[:1] not in _MAYBE_NO_VALUE:
        return True
    return text.strip().upper() not in _NO_VALUE


WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
WHITESPACE += "\u2028\u2029\u202f\u205f\u3000"
"""Every character ``str.isspace`` (and so ``str.strip``) takes for whitespace (a test checks
this against Python's own tables)."""
_MAYBE_NO_VALUE = frozenset({"", "n", "N", *WHITESPACE})
"""Every first character a spelling of NOASSERTION / NONE / blank can start with, for the
one-lookup test the readers make before :func:`_real`."""


_PURPOSES: dict[str, str] = {}


def _purpose(value: str) -> str:
    """``primaryPackagePurpose`` as a component type: ``OPERATING_SYSTEM`` -> ``operating-system``."""
    t = _PURPOSES.get(value)
    if t is None:
        t = value.strip().lower().replace("_", "-")
        if len(_PURPOSES) < 256:
            _PURPOSES[value] = t
    return t


def _annotations(value: Any) -> list[tuple[str, str]]:
    """The comments of an element's annotations, as ``spdx:annotation`` properties (matching
    reads them at low confidence; anything not a list of objects with a string comment is
    passed over: annotations are not part of the graph)."""
    if value.__class__ is not list:
        return []
    return [
        ("spdx:annotation", c)
        for a in value
        if a.__class__ is dict and (c := a.get("comment")).__class__ is str and c
    ]


def _category(cache: dict[str, str], value: Any) -> str | None:
    """``referenceCategory`` spelt the SPDX 2.3 way (``PACKAGE_MANAGER`` -> ``PACKAGE-MANAGER``)."""
    if value.__class__ is not str:
        return None
    c = cache.get(value)
    if c is None:
        c = cache[value] = value.replace("_", "-")
    return c


def read_spdx2_dict(
    obj: Any,
    *,
    source: str,
    sha256: str,
    encoding: str,
    strict: bool,
    lines: Mapping[str, int] | None = None,
    consume: bool = False,
) -> Document:
    """Read a decoded SPDX 2.x document.

    ``lines`` (SPDXID -> line number) lets line-based encodings point components at
    ``line N`` instead of a JSON pointer into the converted dict.

    ``consume=True`` lets the reader empty the document as it goes: each package, file,
    snippet and relationship object is replaced by ``None`` in its list once read, so it is
    freed while it is still in the CPU's caches and its memory is reused for the records
    being built. Freeing the same objects afterwards, in one sweep over a heap that no
    longer fits any cache, cost about a quarter of reading them (100,000 packages). Only
    for a document the caller decoded for this read and will not look at again.

    Raises :class:`~sbomscan.errors.MalformedSbomError` when the top level is not an
    object, or in strict mode when spdx-tools rejects the document or the reader found a
    broken reference.
    """
    if not isinstance(obj, dict):
        raise MalformedSbomError(
            source, f"an SPDX 2 document must be an object, not {type(obj).__name__}", pointer=""
        )
    if strict and encoding in ("json", "yaml"):
        from .strict import validate_dict

        validate_dict(obj, source=source)
    # Components are small tuples that live as long as the document; the cyclic collector
    # would rescan them again and again on a large document while finding nothing to free.
    with gc_paused():
        doc = _Reader(
            obj, source=source, sha256=sha256, encoding=encoding, lines=lines, consume=consume
        ).read()
    if strict:
        for d in doc.diagnostics:
            if d.severity is Severity.ERROR or d.code in _STRICT_CODES:
                where = d.location or ""
                if where.startswith("line "):
                    raise MalformedSbomError(source, f"{d.code}: {d.message}", line=int(where[5:]))
                raise MalformedSbomError(source, f"{d.code}: {d.message}", pointer=where)
    return doc


def read_decoded(obj: Any, *, source: str, sha256: str, strict: bool) -> Document:
    """The reader table's row ``spdx2-json``: the value detection decoded for this read
    alone, so the reader may empty it as it goes (``consume``)."""
    return read_spdx2_dict(obj, source=source, sha256=sha256, encoding="json", strict=strict, consume=True)


def read_yaml(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """Load SPDX 2 YAML safely and read it.

    The YAML loader is PyYAML's safe one (the C version when available); anchors and
    aliases are refused outright — SPDX YAML never needs them and they are how a
    "billion laughs" document makes a few bytes expand into gigabytes.
    """
    from .yaml import load_yaml

    obj = load_yaml(data, source=source)
    wrapped = (
        isinstance(obj, dict)
        and len(obj) == 1
        and isinstance(obj.get("Document"), dict)
        and "spdxVersion" in obj["Document"]
    )
    if not wrapped:
        return read_spdx2_dict(
            obj, source=source, sha256=sha256, encoding="yaml", strict=strict, consume=True
        )
    # SPDX 2.2's YAML examples put the whole document under one top-level "Document:" key,
    # which the 2.2 schema never defined and 2.3 dropped; real files copied the examples.
    doc = read_spdx2_dict(
        obj["Document"], source=source, sha256=sha256, encoding="yaml", strict=strict, consume=True
    )
    note = Diagnostic(
        Severity.WARNING,
        "yaml-document-wrapper",
        "the document is wrapped in a top-level 'Document:' key (the SPDX 2.2 YAML examples' layout, "
        "not the schema's); read as the document it wraps",
        "/Document",
    )
    return doc._replace(diagnostics=(note, *doc.diagnostics))


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else f"a {type(value).__name__}"
    )


class _Reader:
    """One read of one document; the passes share the builder and caches."""

    def __init__(
        self,
        obj: dict[str, Any],
        *,
        source: str,
        sha256: str,
        encoding: str,
        lines: Mapping[str, int] | None,
        consume: bool = False,
    ) -> None:
        self.obj = obj
        self.lines = lines
        self.consume = consume
        """Replace each element object by ``None`` once read (see :func:`read_spdx2_dict`)."""
        version = obj.get("spdxVersion")
        spec = "2.3"
        self.version_problem: str | None = None
        if isinstance(version, str) and version.strip().upper().startswith("SPDX-"):
            spec = version.strip()[5:]
            if not spec.startswith("2."):
                self.version_problem = f"spdxVersion {version!r} is not an SPDX 2 version"
        else:
            self.version_problem = f"spdxVersion {version!r} is not of the form 'SPDX-2.x'; read as SPDX 2.3"
        self.b = DocumentBuilder(
            source=source, sha256=sha256, format="spdx", encoding=encoding, spec_version=spec
        )
        doc_id = obj.get("SPDXID")
        self.doc_id = doc_id if isinstance(doc_id, str) and doc_id else _DEFAULT_DOC_ID
        self.parties: dict[str, dict[str, Party | None]] = {}
        """role -> actor string -> the party it names."""
        self.ext_docs: dict[str, tuple[str, Hash | None]] = {}
        self.seen: set[tuple[str, str, EdgeKind]] = set()
        """Edges already added, by (source ref, target ref, kind): duplicates are dropped."""
        self.doc_rels: list[tuple[str, str, str]] = []
        """(target ref, relationship type, location) of relationships from the document itself."""
        self.doc_links: list[tuple[str, str, str]] = []
        """(uri, relationship type, location) of document-level references to other documents."""
        self.used_docs: set[str] = set()
        self.algorithms: dict[str, str] = {}
        self.categories: dict[str, str] = {}
        self.roots: dict[str, None] = {}  # an ordered set (a list made many DESCRIBES quadratic)

    # -- helpers -------------------------------------------------------------------------

    def bad(self, pointer: str, expected: str, value: Any) -> None:
        self.b.warn("bad-type", f"expected {expected}, found {_type_name(value)}; ignored", pointer)

    def items(self, parent: Mapping[str, Any], key: str, pointer: str) -> list[Any]:
        """``parent[key]`` as a list; a lone value where a list belongs is read as one item."""
        v = parent.get(key)
        if v is None:
            return []
        if v.__class__ is list:
            return v
        self.b.warn("bad-type", f"expected an array, found {_type_name(v)}; read as one item", pointer)
        return [v]

    def text(self, parent: Mapping[str, Any], key: str, pointer: str) -> str | None:
        v = parent.get(key)
        if v is None or v.__class__ is str:
            return v or None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)  # YAML reads ``versionInfo: 1.0`` as a number
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()  # ... and ``versionInfo: 2024-01-31`` as a date
        self.bad(f"{pointer}/{key}", "a string", v)
        return None

    def party(self, value: Any, role: str, pointer: str) -> Party | None:
        """The party an actor string names, shared between every element that writes the
        same string in the same role (parties are immutable, and real documents repeat a
        handful of suppliers thousands of times)."""
        if value.__class__ is not str:
            if value is not None:
                self.bad(pointer, "an actor string", value)
            return None
        cache = self.parties.get(role)
        if cache is None:
            cache = self.parties[role] = {}
        elif value in cache:
            return cache[value]
        actor = parse_actor(value)
        result = None
        if actor is not None:
            r = "tool" if role == "creator" and actor.kind is PartyKind.TOOL else role
            result = Party(actor.name, r, actor.kind, (actor.email,) if actor.email else ())
            if actor.kind is PartyKind.UNKNOWN and role != "contributor":
                self.b.info(
                    "actor-without-type",
                    f"{value!r} does not start with 'Organization:', 'Person:' or 'Tool:'; kept as a name",
                    pointer,
                )
        if len(cache) < 100_000:
            cache[value] = result
        return result

    def hashes(self, value: Any, pointer: str) -> tuple[Hash, ...]:
        if value.__class__ is not list:
            self.bad(f"{pointer}/checksums", "an array", value)
            return ()
        out = []
        algs = self.algorithms
        for k, c in enumerate(value):
            if c.__class__ is not dict:
                self.bad(f"{pointer}/checksums/{k}", "an object", c)
                continue
            alg, v = c.get("algorithm"), c.get("checksumValue")
            if alg.__class__ is str and v.__class__ is str and alg and v:
                name = algs.get(alg)
                if name is None:
                    name = algs[alg] = hash_algorithm(alg)
                out.append(Hash(name, v.strip().lower()))
            else:
                self.b.warn(
                    "bad-checksum",
                    "a checksum needs a string algorithm and checksumValue",
                    f"{pointer}/checksums/{k}",
                )
        return tuple(out)

    def licenses(self, el: Mapping[str, Any], keys: tuple[str, ...], pointer: str) -> tuple[str, ...]:
        out: list[str] = []
        for key in keys:
            v = el.get(key)
            if v is None:
                continue
            vals = v if v.__class__ is list else [v]  # licenseInfoInFiles is a list
            for x in vals:
                if x.__class__ is not str:
                    self.bad(f"{pointer}/{key}", "a licence expression string", x)
                elif x.strip().upper() not in _NO_VALUE and x not in out:
                    out.append(x)
        return tuple(out)

    def copyright(self, el: Mapping[str, Any], pointer: str) -> tuple[str, ...]:
        v = self.text(el, "copyrightText", pointer)
        if v is None or v.strip().upper() in _NO_VALUE:
            return ()
        return (v,)

    # -- the passes ----------------------------------------------------------------------

    def read(self) -> Document:
        obj, b = self.obj, self.b
        if self.version_problem:
            b.warn("unknown-version", self.version_problem, "/spdxVersion")
        name = self.text(obj, "name", "")
        serial = self.text(obj, "documentNamespace", "")
        parties = self.creators()
        self.external_documents()
        packages = self.items(obj, "packages", "/packages")
        files = self.items(obj, "files", "/files")
        snippets = self.items(obj, "snippets", "/snippets")
        self.read_packages(packages)
        self.read_files(files)
        self.read_snippets(snippets)
        for k, ref in enumerate(self.items(obj, "documentDescribes", "/documentDescribes")):
            if ref.__class__ is str:
                self.describe(ref, f"/documentDescribes/{k}")
            else:
                self.bad(f"/documentDescribes/{k}", "an SPDXID string", ref)
        self.read_relationships()
        self.finish_document_relationships()
        return b.finish(
            serial=serial,
            name=name,
            parties=parties,
            declared_components=len(packages) + len(files) + len(snippets),
        )

    def creators(self) -> tuple[Party, ...]:
        info = self.obj.get("creationInfo")
        if info is None:
            self.b.warn("missing-creation-info", "the document has no creationInfo", "/creationInfo")
            return ()
        if info.__class__ is not dict:
            self.bad("/creationInfo", "an object", info)
            return ()
        out = []
        for k, c in enumerate(self.items(info, "creators", "/creationInfo/creators")):
            p = self.party(c, "creator", f"/creationInfo/creators/{k}")
            if p is not None:
                out.append(p)
        return tuple(out)

    def external_documents(self) -> None:
        for k, x in enumerate(self.items(self.obj, "externalDocumentRefs", "/externalDocumentRefs")):
            ptr = f"/externalDocumentRefs/{k}"
            if x.__class__ is not dict:
                self.bad(ptr, "an object", x)
                continue
            ident, ns = x.get("externalDocumentId"), x.get("spdxDocument")
            if ident.__class__ is not str or ns.__class__ is not str or not ident or not ns:
                self.b.warn(
                    "bad-external-document-ref",
                    "an externalDocumentRef needs a string externalDocumentId and spdxDocument",
                    ptr,
                )
                continue
            checksum = None
            c = x.get("checksum")
            if c.__class__ is dict:
                alg, value = c.get("algorithm"), c.get("checksumValue")
                if alg.__class__ is str and value.__class__ is str and alg and value:
                    checksum = Hash(hash_algorithm(alg), value.strip().lower())
            if ident in self.ext_docs:
                self.b.warn(
                    "duplicate-ref", f"externalDocumentId {ident!r} is defined twice; the first is used", ptr
                )
                continue
            self.ext_docs[ident] = (ns, checksum)

    def read_packages(self, packages: list[Any]) -> None:
        """The hot loop: one package per iteration; no pointer strings built unless
        something is wrong. The name, version and a cached supplier are read here; the
        licences, the references (with the checksums) and the descriptive fields are each a
        method of their own, each with the common case first.

        Small records (hashes, external references, edges) are made with
        ``tuple.__new__`` rather than their NamedTuple constructors, whose generated
        ``__new__`` is a Python call; the supplier cache is read inline, so a repeated actor
        string costs one dictionary lookup."""
        bad, text = self.bad, self.text
        add = self.b.add_record
        blank = list(RECORD).copy
        lines = self.lines
        suppliers = self.parties.setdefault("supplier", {})
        self.parties.setdefault("originator", {})
        consume = self.consume
        for i, p in enumerate(packages):
            ptr = f"/packages/{i}"
            if p.__class__ is not dict:
                bad(ptr, "an object", p)
                continue
            get = p.get
            ref = get("SPDXID")
            if ref is not None and ref.__class__ is not str:
                bad(f"{ptr}/SPDXID", "a string", ref)
                ref = None
            name = get("name")
            if name.__class__ is not str:
                if name is not None:
                    bad(f"{ptr}/name", "a string", name)
                name = ""
            rec = blank()  # the component, by slot (see DocumentBuilder.add_record)
            v = get("versionInfo")
            if v is not None:
                if v.__class__ is not str:
                    v = text(p, "versionInfo", ptr)
                if v:
                    rec[VERSION] = v
            sup = get("supplier")
            org = get("originator")
            if org is None and sup.__class__ is str and sup in suppliers:
                pa = suppliers[sup]
                if pa is not None:
                    rec[PARTIES] = (pa,)
            elif sup is not None or org is not None:
                self.package_parties(sup, org, ptr, rec)
            self.package_licences(p, ptr, rec)
            fields = self.package_refs(p, ptr, rec)
            self.package_details(p, ptr, rec)
            if fields:
                for key, value in fields.items():
                    rec[SLOT[key]] = value
            rec[NAME] = name
            rec[POINTER] = (
                f"line {lines[ref]}" if lines is not None and ref is not None and ref in lines else ptr
            )
            add(ref, rec)
            if ref is not None and "hasFiles" in p:
                self.has_files(p, ref, ptr)
            if consume:
                packages[i] = None

    def package_parties(self, sup: Any, org: Any, ptr: str, rec: list[Any]) -> None:
        """Supplier and originator, for all but a supplier already in the cache alone."""
        parties = []
        if sup is not None:
            pa = self.party(sup, "supplier", f"{ptr}/supplier")
            if pa is not None:
                parties.append(pa)
        if org is not None:
            originators = self.parties["originator"]
            pa = (
                originators[org]
                if org.__class__ is str and org in originators
                else self.party(org, "originator", f"{ptr}/originator")
            )
            if pa is not None:
                parties.append(pa)
        if parties:
            rec[PARTIES] = tuple(parties)

    def package_licences(self, p: dict[str, Any], ptr: str, rec: list[Any]) -> None:
        """Copyright text and the concluded and declared licences, into ``rec``."""
        no_value, maybe_no_value = _NO_VALUE, _MAYBE_NO_VALUE
        v = p.get("copyrightText")
        if v is not None:
            if v.__class__ is str:
                if v not in no_value and (v[:1] not in maybe_no_value or _real(v)):
                    rec[COPYRIGHT] = (v,)
            else:
                self.bad(f"{ptr}/copyrightText", "a string", v)
        lc, ld = p.get("licenseConcluded"), p.get("licenseDeclared")
        if lc is None and ld is None:
            return
        if (lc is None or lc.__class__ is str) and (ld is None or ld.__class__ is str):
            lic: tuple[str, ...] = ()
            if lc is not None and lc not in no_value and (lc[:1] not in maybe_no_value or _real(lc)):
                lic = (lc,)
            if (
                ld is not None
                and ld != lc
                and ld not in no_value
                and (ld[:1] not in maybe_no_value or _real(ld))
            ):
                lic = (*lic, ld)
        else:
            lic = self.licenses(p, ("licenseConcluded", "licenseDeclared"), ptr)
        if lic:
            rec[LICENSES] = lic

    def package_refs(self, p: dict[str, Any], ptr: str, rec: list[Any]) -> dict[str, Any] | None:
        """``externalRefs`` (one purl or CPE inline), checksums, home page and download
        location, in that order (the order of their warnings); returns the record fields
        the general externalRefs path gives, if it ran."""
        fields: dict[str, Any] | None = None
        refs: list[ExternalRef] = []
        get, text, new = p.get, self.text, _new_tuple
        no_value, maybe_no_value = _NO_VALUE, _MAYBE_NO_VALUE
        v = get("externalRefs")
        if v is not None:
            if v.__class__ is list and len(v) == 1 and (x := v[0]).__class__ is dict:
                # the common case, one purl (or one CPE), without the general loop
                rtype, loc = x.get("referenceType"), x.get("referenceLocator")
                if (
                    rtype == "purl"
                    and loc.__class__ is str
                    and loc
                    and (PURL_WELL_FORMED(loc) or check_purl(loc) is None)
                ):
                    rec[PURL] = loc
                elif rtype.__class__ is str and rtype in _CPE_TYPES and loc.__class__ is str and loc:
                    rec[CPES] = (loc,)
                else:
                    fields = {}
                    self.external_refs(v, ptr, fields, refs)
            else:
                fields = {}
                self.external_refs(v, ptr, fields, refs)
        v = get("checksums")
        if v is not None:
            # the common case, one checksum of a known algorithm, without the general loop
            if v.__class__ is list and len(v) == 1 and (c := v[0]).__class__ is dict:
                alg, value = c.get("algorithm"), c.get("checksumValue")
                name = self.algorithms.get(alg) if alg.__class__ is str else None
                if name is not None and value.__class__ is str and value:
                    value = value.strip()
                    if not value.islower():  # hex digits only, or upper case
                        value = value.lower()
                    rec[HASHES] = (new(Hash, (name, value)),)
                    v = None
            if v is not None:
                hs = self.hashes(v, ptr)
                if hs:
                    rec[HASHES] = hs
        v = get("homepage")
        if v is not None:
            if v.__class__ is not str:
                v = text(p, "homepage", ptr)
            if v and v not in no_value and (v[:1] not in maybe_no_value or _real(v)):
                refs.append(new(ExternalRef, ("website", v, None, None)))
        v = get("downloadLocation")
        if v is not None:
            if v.__class__ is not str:
                v = text(p, "downloadLocation", ptr)
            if v and v not in no_value and (v[:1] not in maybe_no_value or _real(v)):
                refs.append(new(ExternalRef, ("distribution", v, None, None)))
        if refs:
            rec[EXTERNAL_REFS] = tuple(refs)
        return fields

    def package_details(self, p: dict[str, Any], ptr: str, rec: list[Any]) -> None:
        """Description (or summary), primary purpose, and the properties matching reads."""
        get = p.get
        v = get("description") or get("summary")
        if v is not None:
            if v.__class__ is str:
                rec[DESCRIPTION] = v
            else:
                self.bad(f"{ptr}/description", "a string", v)
        v = get("primaryPackagePurpose")
        if v.__class__ is str and v:
            rec[TYPE] = _purpose(v)
        else:
            if v is not None:
                self.bad(f"{ptr}/primaryPackagePurpose", "a string", v)
            rec[TYPE] = "package"
        v = get("packageFileName")
        props = [("packageFileName", v)] if v.__class__ is str and v else []
        v = get("comment")
        if v.__class__ is str and v:
            props.append(("spdx:comment", v))  # read by matching, at low confidence
        v = get("annotations")
        if v:
            props.extend(_annotations(v))
        if props:
            rec[PROPERTIES] = tuple(props)

    def has_files(self, p: Mapping[str, Any], ref: str, ptr: str) -> None:
        seen, bad = self.seen, self.bad
        for k, f in enumerate(self.items(p, "hasFiles", f"{ptr}/hasFiles")):
            if f.__class__ is str and f not in _NO_VALUE and _real(f):
                key = (ref, f, EdgeKind.CONTAINS)
                if key not in seen:
                    seen.add(key)
                    self.b.add_edge_ref(ref, f, EdgeKind.CONTAINS, "hasFiles", location=f"{ptr}/hasFiles/{k}")
            else:
                bad(f"{ptr}/hasFiles/{k}", "an SPDXID string", f)

    def external_refs(self, value: Any, ptr: str, fields: dict[str, Any], refs: list[ExternalRef]) -> None:
        if value.__class__ is not list:
            self.b.warn(
                "bad-type",
                f"expected an array, found {_type_name(value)}; read as one item",
                f"{ptr}/externalRefs",
            )
            value = [value]
        cpes: list[str] = []
        categories = self.categories
        for k, x in enumerate(value):
            if x.__class__ is not dict:
                self.bad(f"{ptr}/externalRefs/{k}", "an object", x)
                continue
            get = x.get
            rtype, loc = get("referenceType"), get("referenceLocator")
            if rtype.__class__ is not str or loc.__class__ is not str or not loc:
                self.b.warn(
                    "bad-external-ref",
                    "an externalRef needs a string referenceType and referenceLocator",
                    f"{ptr}/externalRefs/{k}",
                )
                continue
            if rtype in _CPE_TYPES:
                cpes.append(loc)
            elif rtype == "purl":
                problem = check_purl(loc)
                if problem is None and "purl" not in fields:
                    fields["purl"] = loc
                else:
                    if problem is not None:
                        self.b.warn(
                            "bad-purl",
                            f"purl {loc!r} is not well-formed: {problem}; kept as an external reference",
                            f"{ptr}/externalRefs/{k}",
                        )
                    refs.append(ExternalRef("purl", loc, _category(categories, get("referenceCategory"))))
            elif rtype == "swid" and "swid" not in fields:
                tag = loc[5:] if loc.startswith("swid:") else loc
                fields["swid"] = Swid(tag_id=tag, name=None, regid=None)
            else:
                comment = get("comment")
                refs.append(
                    ExternalRef(
                        rtype,
                        loc,
                        _category(categories, get("referenceCategory")),
                        comment if comment.__class__ is str else None,
                    )
                )
        if cpes:
            fields["cpes"] = tuple(cpes)

    def elements(self, items: list[Any], name: str) -> Iterator[tuple[int, dict[str, Any], str, str | None]]:
        """The files or snippets (``name``) of ``items`` that are objects, each with its index,
        JSON pointer and SPDXID (``None``, with a warning, when that is not a string); what
        is not an object is reported and skipped. (:meth:`read_packages` does this inline,
        for speed.)"""
        for i, el in enumerate(items):
            ptr = f"/{name}/{i}"
            if el.__class__ is not dict:
                self.bad(ptr, "an object", el)
                continue
            ref = el.get("SPDXID")
            if ref is not None and ref.__class__ is not str:
                self.bad(f"{ptr}/SPDXID", "a string", ref)
                ref = None
            yield i, el, ptr, ref

    def where(self, ref: str | None, ptr: str) -> str:
        """Where a component was read: its line for a line-based encoding that has the
        element's SPDXID line, else its JSON pointer ``ptr``."""
        lines = self.lines
        return f"line {lines[ref]}" if lines is not None and ref is not None and ref in lines else ptr

    def read_files(self, files: list[Any]) -> None:
        b, consume = self.b, self.consume
        blank = list(RECORD).copy
        for i, f, ptr, ref in self.elements(files, "files"):
            name = self.text(f, "fileName", ptr) or ""
            rec = blank()
            rec[TYPE] = rec[ORIGIN] = "file"
            contributors = []
            for k, c in enumerate(self.items(f, "fileContributors", f"{ptr}/fileContributors")):
                pa = self.party(c, "contributor", f"{ptr}/fileContributors/{k}")
                if pa is not None:
                    contributors.append(pa)
            if contributors:
                rec[PARTIES] = tuple(contributors)
            cr = self.copyright(f, ptr)
            if cr:
                rec[COPYRIGHT] = cr
            lic = self.licenses(f, ("licenseConcluded", "licenseInfoInFiles"), ptr)
            if lic:
                rec[LICENSES] = lic
            hs = self.hashes(f["checksums"], ptr) if "checksums" in f else ()
            if hs:
                rec[HASHES] = hs
            v = f.get("comment")
            if v.__class__ is str and v:
                rec[DESCRIPTION] = v
            v = f.get("annotations")
            if v:
                rec[PROPERTIES] = tuple(_annotations(v))
            rec[NAME] = name
            rec[POINTER] = self.where(ref, ptr)
            b.add_record(ref, rec)
            if consume:
                files[i] = None

    def read_snippets(self, snippets: list[Any]) -> None:
        b, consume = self.b, self.consume
        blank = list(RECORD).copy
        for i, s, ptr, ref in self.elements(snippets, "snippets"):
            from_file = self.text(s, "snippetFromFile", ptr)
            name = self.text(s, "name", ptr) or (f"snippet of {from_file}" if from_file else "snippet")
            rec = blank()
            rec[TYPE] = rec[ORIGIN] = "snippet"
            cr = self.copyright(s, ptr)
            if cr:
                rec[COPYRIGHT] = cr
            lic = self.licenses(s, ("licenseConcluded", "licenseInfoInSnippets"), ptr)
            if lic:
                rec[LICENSES] = lic
            v = s.get("comment")
            if v.__class__ is str and v:
                rec[DESCRIPTION] = v
            rec[NAME] = name
            rec[POINTER] = self.where(ref, ptr)
            b.add_record(ref, rec)
            if from_file:
                local = b.components[-1].ref
                b.add_edge_ref(
                    from_file, local, EdgeKind.CONTAINS, "snippetFromFile", location=f"{ptr}/snippetFromFile"
                )
            if consume:
                snippets[i] = None

    # -- relationships -------------------------------------------------------------------

    def describe(self, ref: str, location: str) -> None:
        if ref.strip().upper() in _NO_VALUE:
            return
        if ref.startswith("DocumentRef-"):
            self.doc_links.append((ref, "DESCRIBES", location))
            return
        self.add_root(ref, location)

    def add_root(self, ref: str, location: str) -> None:
        cid = self.b.resolve(ref)
        if cid is None:
            self.b.warn(
                "dangling-ref", f"the document describes {ref!r}, which it does not contain", location
            )
        elif cid not in self.roots:
            self.roots[cid] = None
            self.b.add_root(cid)

    def read_relationships(self) -> None:
        """Relationships between two elements of this document become edges at once (every
        element is known by now); everything else — the document itself, other documents,
        unknown ids — takes the slower path that explains itself.

        The same edge written twice (or a CONTAINS that ``hasFiles`` already gave) is kept
        once: the set is keyed by the refs as written, whose hashes the lookups have just
        computed (keyed by component ids, hashing the ids would cost more than the rest of
        the loop)."""
        b, bad = self.b, self.bad
        seen = self.seen
        seen_add = seen.add
        resolve, new = b.resolve, _new_tuple
        table, maybe_no_value = RELATIONSHIPS, _MAYBE_NO_VALUE
        edges: list[Edge] = []
        append = edges.append
        consume = self.consume
        relationships = self.items(self.obj, "relationships", "/relationships")
        for i, r in enumerate(relationships):
            if consume:
                relationships[i] = None  # freed when ``r`` moves on (see read_spdx2_dict)
            if r.__class__ is not dict:
                bad(f"/relationships/{i}", "an object", r)
                continue
            get = r.get
            a, rtype, t = get("spdxElementId"), get("relationshipType"), get("relatedSpdxElement")
            if a.__class__ is not str or rtype.__class__ is not str or t.__class__ is not str:
                b.warn(
                    "bad-relationship",
                    "a relationship needs string spdxElementId, relationshipType and relatedSpdxElement",
                    f"/relationships/{i}",
                )
                continue
            if (t[:1] in maybe_no_value and not _real(t)) or (a[:1] in maybe_no_value and not _real(a)):
                continue  # "related to nothing" / "to something unknown" says nothing
            rel = table.get(rtype)
            if rel is None:
                rel = relationship(rtype)
                if rel is None:
                    b.warn(
                        "unknown-relationship",
                        f"relationship type {rtype!r} is not an SPDX 2.3 type; kept as other",
                        f"/relationships/{i}",
                    )
                    rel = Rel(EdgeKind.OTHER)
            src, dst = (t, a) if rel.flip else (a, t)
            sid, did = resolve(src), resolve(dst)
            if sid is not None and did is not None:
                key = (src, dst, rel.kind)
                if key not in seen:  # the same edge again, or the containment hasFiles gave
                    seen_add(key)
                    append(new(Edge, (sid, did, key[2], rtype)))  # = Edge(...), faster
                continue
            self.special_relationship(a, t, src, dst, rel, rtype, f"/relationships/{i}")
        b.add_edges(edges)

    def special_relationship(
        self, a: str, t: str, src: str, dst: str, rel: Rel, rtype: str, loc: str
    ) -> None:
        """A relationship that is not simply between two elements of this document."""
        doc_id = self.doc_id
        if rel.kind is EdgeKind.DESCRIBES:
            if a == doc_id and not rel.flip:
                self.describe(t, loc)
                return
            if t == doc_id and rel.flip:
                self.describe(a, loc)
                return
        if src == doc_id or dst == doc_id:
            other = dst if src == doc_id else src
            if other.startswith("DocumentRef-"):
                self.doc_links.append((other, rtype, loc))
            else:
                self.doc_rels.append((other, rtype, loc))
            return
        if src.startswith("DocumentRef-") or dst.startswith("DocumentRef-"):
            self.external_link(src, dst, rtype, loc)
            return
        missing = src if self.b.resolve(src) is None else dst
        self.b.warn(
            "dangling-ref",
            f"a {rel.kind.label} relationship names {missing!r}, which is not an element of this document",
            loc,
        )

    def external_link(self, src: str, dst: str, rtype: str, loc: str) -> None:
        """A relationship with an element of another document: a link from the local end."""
        if src.startswith("DocumentRef-") and dst.startswith("DocumentRef-"):
            self.b.info(
                "external-relationship",
                f"a {rtype} relationship between two elements of other documents says nothing about this one",
                loc,
            )
            return
        local, remote = (dst, src) if src.startswith("DocumentRef-") else (src, dst)
        cid = self.b.resolve(local)
        if cid is None:
            self.b.warn(
                "dangling-ref",
                f"a {rtype} relationship names {local!r}, which is not an element of this document",
                loc,
            )
            return
        self.link(cid, remote, loc)

    def link(self, source_id: str, uri: str, loc: str) -> None:
        ident, _, ref = uri.partition(":")
        known = self.ext_docs.get(ident)
        if known is None:
            self.b.warn(
                "unknown-document-ref",
                f"{uri!r} names {ident!r}, which externalDocumentRefs does not define",
                loc,
            )
            return
        self.b.add_link(
            ExternalLink(
                source=source_id,
                kind=LinkKind.SPDX_EXTERNAL_DOCUMENT,
                uri=uri,
                document=known[0],
                ref=ref if ref and ref != _DEFAULT_DOC_ID else None,
                checksum=known[1],
            )
        )
        self.used_docs.add(ident)

    def finish_document_relationships(self) -> None:
        """Relationships of the document itself: make roots when DESCRIBES gave none, and
        keep every ExternalDocumentRef as a link from the document's (first) root."""
        b = self.b
        if self.doc_rels:
            if self.roots:
                b.info(
                    "document-relationship",
                    f"{len(self.doc_rels)} relationship(s) of the document itself other than DESCRIBES "
                    "were read as nothing more, since DESCRIBES names the roots",
                    self.doc_rels[0][2],
                )
            else:
                for ref, _rtype, loc in self.doc_rels:
                    self.add_root(ref, loc)
        if not self.roots and not b.components and (self.doc_links or self.ext_docs):
            # Only references to other documents (OpenEmbedded's runtime documents): the
            # document itself is the one thing there is to hang them from.
            name = self.obj.get("name")
            cid = b.add_component(
                self.doc_id,
                name=name if name.__class__ is str else self.doc_id,
                pointer="",
                type="document",
                origin="document",
            )
            self.roots[cid] = None
            b.add_root(cid)
        root = next(iter(self.roots)) if self.roots else component_id(b.key, f"{SYNTHETIC_PREFIX}root")
        for uri, _rtype, loc in self.doc_links:
            self.link(root, uri, loc)
        for ident, (ns, checksum) in self.ext_docs.items():
            if ident not in self.used_docs:
                b.add_link(
                    ExternalLink(
                        source=root,
                        kind=LinkKind.SPDX_EXTERNAL_DOCUMENT,
                        uri=ident,
                        document=ns,
                        ref=None,
                        checksum=checksum,
                    )
                )
