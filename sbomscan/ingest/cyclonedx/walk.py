"""Walk one CycloneDX BOM, given as the JSON-shaped dict, into a :class:`DocumentBuilder`.

Both encodings end here: JSON as decoded by orjson, XML after
:mod:`sbomscan.ingest.cyclonedx.xml` has turned its elements into the same shape. This is
the hot path for large SBOMs, so it is written for speed: one explicit stack for every
kind of nesting (components, services, pedigree entries — which also means a document
nested 10,000 deep cannot hit Python's recursion limit), local variables instead of
attribute lookups, and a purl checked with one regular expression, not parsed.

Lenient by design: a value of the wrong JSON type is recorded as a ``bad-type``
diagnostic at its JSON pointer and skipped; nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import MalformedSbomError
from ...identifiers.purl import check_purl
from ...model import Document, EdgeKind, ExternalLink, ExternalRef, Hash, LinkKind, Party, PartyKind, Swid
from ..builder import (
    COPYRIGHT,
    CPES,
    DESCRIPTION,
    EXTERNAL_REFS,
    GROUP,
    HASHES,
    IDENTITIES,
    LICENSES,
    NAME,
    OCCURRENCES,
    OMNIBOR_IDS,
    ORIGIN,
    PARTIES,
    POINTER,
    PROPERTIES,
    PURL,
    RECORD,
    SWHIDS,
    SWID,
    SYNTHETIC_PREFIX,
    TYPE,
    VERSION,
    DocumentBuilder,
)
from .common import (
    BOM_LINK_PREFIX,
    contact_party,
    entity_parties,
    licensing_parties,
    parse_bom_link,
    parse_uuid_bom_link,
    tool_parties,
)

XML_POINTER = "\x00pointer"
"""Key under which the XML reader stores an element's path (and line) in a converted dict;
the walker uses it instead of computing a JSON pointer."""

# relation of a stacked item to its parent
_TOP, _NESTED, _ANCESTOR, _DESCENDANT, _VARIANT, _ROOT = 0, 1, 2, 3, 4, 5
_ORIGIN = {
    _ANCESTOR: "pedigree.ancestors",
    _DESCENDANT: "pedigree.descendants",
    _VARIANT: "pedigree.variants",
    _ROOT: "metadata.component",
}
_PEDIGREE = (("ancestors", _ANCESTOR), ("descendants", _DESCENDANT), ("variants", _VARIANT))
_HASH_ALG = {"SHA1": "SHA-1", "SHA256": "SHA-256", "SHA384": "SHA-384", "SHA512": "SHA-512"}

_CONTAINS = EdgeKind.CONTAINS
_DERIVED = EdgeKind.DERIVED_FROM
_VARIANT_OF = EdgeKind.VARIANT_OF
_DEPENDS = EdgeKind.DEPENDS_ON
_PROVIDES = EdgeKind.PROVIDES
_DEPENDENCY_KEYS = (("dependsOn", _DEPENDS), ("provides", _PROVIDES))
_ORG = PartyKind.ORGANIZATION
_UNKNOWN = PartyKind.UNKNOWN
_PERSON = PartyKind.PERSON

_RARE = frozenset(
    (
        "description",
        "cpe",
        "author",
        "publisher",
        "copyright",
        "provider",
        "manufacturer",
        "authors",
        "swid",
        "properties",
        "omniborId",
        "swhid",
        "evidence",
        "components",
        "services",
        "pedigree",
    )
)
"""Component keys read only when present (decided by one set intersection per component)."""


STRICT_CODES = frozenset(("dangling-ref", "duplicate-ref"))
"""Diagnostics that strict mode turns into errors: the specification requires bom-refs to
be unique and every reference to resolve, which no JSON schema or XSD can express."""


def raise_if_strict(doc: Document, source: str) -> None:
    """In strict mode, refuse a document whose references are broken."""
    bad = [d for d in doc.diagnostics if d.code in STRICT_CODES]
    if bad:
        first = bad[0]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise MalformedSbomError(source, f"{first.message}{more}", pointer=first.location)


def _type_name(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


class _Walker:
    """State of one walk; :meth:`run` is the whole algorithm."""

    def __init__(self, b: DocumentBuilder, *, xml: bool = False, consume: bool = False) -> None:
        self.b = b
        self.xml = xml
        """Whether the dicts came from the XML reader, which records each element's path
        under :data:`XML_POINTER`; a JSON document cannot set a pointer that way."""
        self.consume = consume
        """Whether the walk may empty the document as it goes: the component and dependency
        lists are cleared once their items are on the stack (or read), so each object is
        freed as soon as it has been read, while it is still in the CPU's caches, and its
        memory is reused for the records being built. Only for a document decoded for this
        read alone (``sbomscan.load``'s own)."""
        self.declared = 0
        self.blank = list(RECORD).copy

    def where(self, obj: dict[str, Any], default: str) -> str:
        """The location to report for ``obj``: its XML path, or the JSON pointer given."""
        if self.xml:
            p = obj.get(XML_POINTER)
            if type(p) is str:
                return p
        return default

    def bad(self, where: str, expected: str, value: Any) -> None:
        self.b.warn("bad-type", f"expected {expected}, found {_type_name(value)}; ignored", where)

    def as_list(self, value: Any, where: str) -> list[Any]:
        """``value`` when it is a list; ``[]`` (and a diagnostic unless absent) otherwise."""
        if type(value) is list:
            return value
        if value is not None:
            self.bad(where, "an array", value)
        return []

    # -- the document ---------------------------------------------------------------------

    def run(self, obj: dict[str, Any]) -> tuple[str | None, tuple[Party, ...]]:
        """Read ``obj`` into the builder; returns the document name and parties."""
        metadata = obj.get("metadata")
        if metadata is not None and type(metadata) is not dict:
            self.bad("/metadata", "an object", metadata)
            metadata = None
        name, parties, root_id = self.read_metadata(metadata) if metadata else (None, [], None)
        stack: list[tuple[Any, str, str | None, int, bool]] = []
        for key, is_service in (("components", False), ("services", True)):
            items = self.as_list(obj.get(key), f"/{key}")
            stack.extend((item, f"/{key}/{i}", None, _TOP, is_service) for i, item in enumerate(items))
        stack.reverse()
        if self.consume:
            # the stack holds the only references now: each item dies once read
            for key in ("components", "services"):
                listed = obj.get(key)
                if type(listed) is list:
                    listed.clear()
        self.walk(stack)
        self.read_dependencies(obj.get("dependencies"))
        self.read_bom_refs(obj.get("externalReferences"), root_id)
        return name, tuple(parties)

    def read_metadata(self, metadata: dict[str, Any]) -> tuple[str | None, list[Party], str | None]:
        """The document's parties and its root component (read first and on its own, so its
        id is known before the rest); returns the document name, parties and root id."""
        mptr = self.where(metadata, "/metadata")
        parties: list[Party] = []
        for key, role in (
            ("supplier", "supplier"),
            ("manufacturer", "manufacturer"),
            ("manufacture", "manufacturer"),
        ):
            v = metadata.get(key)
            if v is not None and type(v) is not dict:
                self.bad(f"{mptr}/{key}", "an object", v)
            parties += entity_parties(v, role)
        for a in self.as_list(metadata.get("authors"), f"{mptr}/authors"):
            p = contact_party(a, "author")
            if p is not None:
                parties.append(p)
        parties += tool_parties(metadata.get("tools"))
        for lic in self.as_list(metadata.get("licenses"), f"{mptr}/licenses"):
            if type(lic) is dict:
                inner = lic.get("license")
                parties += licensing_parties(
                    inner.get("licensing") if type(inner) is dict else lic.get("licensing")
                )
        root = metadata.get("component")
        if root is None:
            return None, parties, None
        start = len(self.b.components)
        self.walk([(root, f"{mptr}/component", None, _ROOT, False)])
        if len(self.b.components) == start:
            return None, parties, None
        root_comp = self.b.components[start]
        self.b.add_root(root_comp.id)
        return root_comp.name or None, parties, root_comp.id

    # -- components, services and pedigree entries --------------------------------------

    def walk(self, stack: list[tuple[Any, str, str | None, int, bool]]) -> None:
        """Pop and read items until the stack is empty, pushing nested ones as found (in
        reverse, so they come off the stack in document order)."""
        read = self.read_item
        while stack:
            c, ptr, parent, rel, is_service = stack.pop()
            self.declared += 1
            if type(c) is not dict:
                self.bad(ptr, "a component object" if not is_service else "a service object", c)
                continue
            if self.xml:
                ptr = c.get(XML_POINTER, ptr)
            cid, nested = read(c, ptr, rel, is_service)
            if parent is not None:
                self.join(parent, cid, rel)
            if nested:
                children = [
                    (item, f"{ptr}/{path}/{i}", cid, nrel, svc)
                    for path, items, nrel, svc in nested
                    for i, item in enumerate(items)
                ]
                children.reverse()
                stack.extend(children)

    def read_item(
        self, c: dict[str, Any], ptr: str, rel: int, is_service: bool
    ) -> tuple[str, list[tuple[str, list[Any], int, bool]] | None]:
        """One component or service into a record; returns its id and the nested items to
        walk next.

        The fields nearly every component has are read here and in :meth:`read_common`; the
        rarer ones only when one of them is present (one set intersection decides), which
        keeps the cost of a typical component to a handful of dictionary lookups.
        """
        get = c.get
        rec = self.blank()
        self.read_common(get, ptr, rec)
        if is_service:
            rec[TYPE] = "service"
            rec[ORIGIN] = "service"
        elif rel >= _ANCESTOR:
            rec[ORIGIN] = _ORIGIN[rel]
        parties: list[Party] = []
        v = get("supplier")
        if v is not None:
            sname = v.get("name") if type(v) is dict and len(v) == 1 else None
            if type(sname) is str and sname:  # the usual {"name": ...}, read at once
                parties.append(Party(sname, "supplier", _ORG))
            else:
                parties += self.read_supplier(v, ptr)
        licenses: list[str] = []
        v = get("licenses")
        if v is not None:
            self.read_component_licenses(v, ptr, licenses, parties)
        v = get("hashes")
        if v is not None:
            self.read_hashes(v, ptr, rec)
        v = get("externalReferences")
        bom_links = self.read_external_refs(v, ptr, rec) if v is not None else ()
        copyright_: list[str] = []
        rare = _RARE.intersection(c)
        nested = self.read_rare(c, rare, ptr, rec, parties, licenses, copyright_) if rare else None
        if parties:
            rec[PARTIES] = tuple(parties)
        if licenses:
            rec[LICENSES] = tuple(licenses)
        if copyright_:
            rec[COPYRIGHT] = tuple(copyright_)
        ref = get("bom-ref")
        if ref is not None and type(ref) is not str:
            self.bad(f"{ptr}/bom-ref", "a string", ref)
            ref = None
        rec[POINTER] = ptr
        cid = self.b.add_record(ref, rec, rel == _TOP)
        for url in bom_links:
            self.add_link(cid, url, ptr, external_ref=True)
        return cid, nested

    def read_common(self, get: Callable[[str], Any], ptr: str, rec: list[Any]) -> None:
        """Name, type, version, group and purl: the strings nearly every component has
        (written out, not looped over: this runs once per component, and the loop cost 2%
        of a CycloneDX JSON load, benchmarks/bench_ingest.py)."""
        bad = self.bad
        name = get("name")
        if type(name) is not str:
            if name is None:
                self.b.warn("missing-field", "component has no name", ptr)
            else:
                bad(f"{ptr}/name", "a string", name)
            name = ""
        rec[NAME] = name
        v = get("type")
        if v is not None:
            if type(v) is str:
                rec[TYPE] = v
            else:
                bad(f"{ptr}/type", "a string", v)
        v = get("version")
        if v is not None:
            if type(v) is str:
                rec[VERSION] = v
            else:
                bad(f"{ptr}/version", "a string", v)
        v = get("group")
        if v is not None:
            if type(v) is str:
                rec[GROUP] = v
            else:
                bad(f"{ptr}/group", "a string", v)
        v = get("purl")
        if v is not None:
            if type(v) is str:
                rec[PURL] = v
                why = check_purl(v)
                if why is not None:
                    self.b.warn("bad-purl", f"purl {v!r} is not well-formed: {why}; kept as written", ptr)
            else:
                bad(f"{ptr}/purl", "a string", v)

    def join(self, parent: str, cid: str, rel: int) -> None:
        """The edge between a nested item and the item it sits in, by where it sits."""
        if rel == _NESTED:
            self.b.add_edge(parent, cid, _CONTAINS)
        elif rel == _ANCESTOR:
            self.b.add_edge(parent, cid, _DERIVED, "ancestor")
        elif rel == _DESCENDANT:
            self.b.add_edge(cid, parent, _DERIVED, "descendant")
        elif rel == _VARIANT:
            self.b.add_edge(parent, cid, _VARIANT_OF, "variant")

    def read_supplier(self, v: Any, ptr: str) -> list[Party]:
        """The component's supplier as parties."""
        if type(v) is not dict:
            self.bad(f"{ptr}/supplier", "an object", v)
            return []
        return entity_parties(v, "supplier")

    def read_component_licenses(self, v: Any, ptr: str, licenses: list[str], parties: list[Party]) -> None:
        """A component's licences: the usual single ``{"license": {"id": ...}}`` at once,
        anything else through :meth:`read_licenses`."""
        if type(v) is list and len(v) == 1 and type(v[0]) is dict and len(v[0]) == 1:
            inner = v[0].get("license")
            if type(inner) is dict and len(inner) == 1 and type(inner.get("id")) is str:
                licenses.append(inner["id"])
                return
        self.read_licenses(v, f"{ptr}/licenses", licenses, parties)

    def read_hashes(self, v: Any, ptr: str, rec: list[Any]) -> None:
        hashes = []
        for h in v if type(v) is list else self.as_list(v, f"{ptr}/hashes"):
            if type(h) is dict:
                alg, content = h.get("alg"), h.get("content")
                if type(alg) is str and type(content) is str:
                    alg = alg.upper()
                    hashes.append(Hash(_HASH_ALG.get(alg, alg), content.lower()))
        if hashes:
            rec[HASHES] = tuple(hashes)

    def read_external_refs(self, v: Any, ptr: str, rec: list[Any]) -> list[str]:
        """The component's external references into ``rec``; returns the URLs of those of
        type ``bom`` (links to other SBOMs)."""
        refs = []
        bom_links: list[str] = []
        for r in v if type(v) is list else self.as_list(v, f"{ptr}/externalReferences"):
            if type(r) is dict:
                url, rtype = r.get("url"), r.get("type")
                if type(url) is str and type(rtype) is str:
                    comment = r.get("comment")
                    refs.append(ExternalRef(rtype, url, None, comment if type(comment) is str else None))
                    if rtype == "bom":
                        bom_links.append(url)
        if refs:
            rec[EXTERNAL_REFS] = tuple(refs)
        return bom_links

    def read_rare(
        self,
        c: dict[str, Any],
        rare: set[str] | frozenset[str],
        ptr: str,
        rec: list[Any],
        parties: list[Party],
        licenses: list[str],
        copyright_: list[str],
    ) -> list[tuple[str, list[Any], int, bool]]:
        """The fields fewer components carry, stored into the component record ``rec``;
        returns the nested items to walk next as ``(path, items, relation, is_service)``."""
        self.read_rare_strings(c, rare, ptr, rec, parties, copyright_)
        self.read_rare_parties(c, rare, ptr, parties)
        self.read_rare_ids(c, rare, ptr, rec)
        if "evidence" in rare:
            v = c.get("evidence")
            if type(v) is dict:
                self.read_evidence(v, f"{ptr}/evidence", rec, licenses, copyright_, parties)
            elif v is not None:
                self.bad(f"{ptr}/evidence", "an object", v)
        return self.nested_items(c, rare, ptr, parties)

    def read_rare_strings(
        self,
        c: dict[str, Any],
        rare: set[str] | frozenset[str],
        ptr: str,
        rec: list[Any],
        parties: list[Party],
        copyright_: list[str],
    ) -> None:
        """Description, CPE, copyright, and the author and publisher written as strings."""
        for jkey in ("description", "cpe", "author", "publisher", "copyright"):
            v = c.get(jkey) if jkey in rare else None
            if v is None:
                continue
            if type(v) is not str:
                self.bad(f"{ptr}/{jkey}", "a string", v)
            elif jkey == "description":
                rec[DESCRIPTION] = v
            elif jkey == "cpe":
                rec[CPES] = (v,)
            elif jkey == "copyright":
                if v:
                    copyright_.append(v)
            elif v:
                parties.append(Party(v, jkey, _UNKNOWN))

    def read_rare_parties(
        self, c: dict[str, Any], rare: set[str] | frozenset[str], ptr: str, parties: list[Party]
    ) -> None:
        """Provider, manufacturer and authors (objects and contacts)."""
        for jkey, role in (("provider", "supplier"), ("manufacturer", "manufacturer")):
            if jkey in rare:
                v = c.get(jkey)
                if type(v) is dict:
                    parties += entity_parties(v, role)
                elif v is not None:
                    self.bad(f"{ptr}/{jkey}", "an object", v)
        if "authors" in rare:
            for a in self.as_list(c.get("authors"), f"{ptr}/authors"):
                p = contact_party(a, "author")
                if p is not None:
                    parties.append(p)

    def read_rare_ids(
        self, c: dict[str, Any], rare: set[str] | frozenset[str], ptr: str, rec: list[Any]
    ) -> None:
        """SWID, properties, OmniBOR ids and SWHIDs."""
        if "swid" in rare:
            v = c.get("swid")
            if type(v) is dict:
                s = [v.get(k) for k in ("tagId", "name", "regid", "version")]
                rec[SWID] = Swid(*(x if type(x) is str else None for x in s))
            elif v is not None:
                self.bad(f"{ptr}/swid", "an object", v)
        if "properties" in rare:
            props = []
            for p in self.as_list(c.get("properties"), f"{ptr}/properties"):
                if type(p) is dict:
                    pn, pv = p.get("name"), p.get("value")
                    if type(pn) is str:
                        props.append((pn, pv if type(pv) is str else ""))
            if props:
                rec[PROPERTIES] = tuple(props)
        for jkey, slot in (("omniborId", OMNIBOR_IDS), ("swhid", SWHIDS)):
            if jkey in rare:
                vals = tuple(x for x in self.as_list(c.get(jkey), f"{ptr}/{jkey}") if type(x) is str)
                if vals:
                    rec[slot] = vals

    def nested_items(
        self, c: dict[str, Any], rare: set[str] | frozenset[str], ptr: str, parties: list[Party]
    ) -> list[tuple[str, list[Any], int, bool]]:
        """Nested components and services, and the pedigree's ancestors, descendants and
        variants (its commits' parties go into ``parties``), as ``(path, items, relation,
        is_service)``."""
        nested: list[tuple[str, list[Any], int, bool]] = []
        for jkey, svc in (("components", False), ("services", True)):
            if jkey in rare:
                items = self.as_list(c.get(jkey), f"{ptr}/{jkey}")
                if items:
                    nested.append((jkey, items, _NESTED, svc))
        if "pedigree" in rare:
            pedigree = c.get("pedigree")
            if type(pedigree) is dict:
                self.read_commits(pedigree, parties)
                for jkey, prel in _PEDIGREE:
                    items = self.as_list(pedigree.get(jkey), f"{ptr}/pedigree/{jkey}")
                    if items:
                        nested.append((f"pedigree/{jkey}", items, prel, False))
            elif pedigree is not None:
                self.bad(f"{ptr}/pedigree", "an object", pedigree)
        return nested

    def read_licenses(self, value: Any, where: str, licenses: list[str], parties: list[Party]) -> None:
        for i, lic in enumerate(self.as_list(value, where)):
            if type(lic) is not dict:
                self.bad(f"{where}/{i}", "a license object", lic)
                continue
            expr = lic.get("expression")
            if type(expr) is str:
                licenses.append(expr)
            inner = lic.get("license")
            licensing = lic.get("licensing")
            if type(inner) is dict:
                lid = inner.get("id")
                lname = inner.get("name")
                if type(lid) is str:
                    licenses.append(lid)
                elif type(lname) is str:
                    licenses.append(lname)
                licensing = inner.get("licensing", licensing)
            elif inner is not None:
                self.bad(f"{where}/{i}/license", "an object", inner)
            if licensing is not None:
                parties += licensing_parties(licensing)

    def read_evidence(
        self,
        ev: dict[str, Any],
        where: str,
        rec: list[Any],
        licenses: list[str],
        copyright_: list[str],
        parties: list[Party],
    ) -> None:
        identity = ev.get("identity")
        items = [identity] if type(identity) is dict else self.as_list(identity, f"{where}/identity")
        identities: list[tuple[str, str]] = []
        for it in items:
            if type(it) is not dict:
                continue
            field = it.get("field")
            if type(field) is not str:
                continue
            concluded = it.get("concludedValue")
            if type(concluded) is str:
                identities.append((field, concluded))
                continue
            for m in it.get("methods") or ():
                if type(m) is dict and type(m.get("value")) is str:
                    identities.append((field, m["value"]))
        if identities:
            rec[IDENTITIES] = tuple(identities)
        occurrences = tuple(
            o["location"]
            for o in self.as_list(ev.get("occurrences"), f"{where}/occurrences")
            if type(o) is dict and type(o.get("location")) is str
        )
        if occurrences:
            rec[OCCURRENCES] = occurrences
        for cr in self.as_list(ev.get("copyright"), f"{where}/copyright"):
            text = cr.get("text") if type(cr) is dict else None
            if type(text) is str and text:
                copyright_.append(text)
        lic = ev.get("licenses")
        if lic is not None:
            self.read_licenses(lic, f"{where}/licenses", licenses, parties)

    def read_commits(self, pedigree: dict[str, Any], parties: list[Party]) -> None:
        """Authors and committers of pedigree commits (and of the commits that patches
        resolve) are contributors: people who changed the code."""
        commits = pedigree.get("commits")
        if type(commits) is not list:
            return
        for commit in commits:
            if type(commit) is not dict:
                continue
            for key in ("author", "committer"):
                who = commit.get(key)
                if type(who) is dict:
                    n, e = who.get("name"), who.get("email")
                    if (type(n) is str and n) or (type(e) is str and e):
                        parties.append(
                            Party(
                                n if type(n) is str else "",
                                "contributor",
                                _PERSON,
                                (e,) if type(e) is str and e else (),
                            )
                        )

    # -- references between things ---------------------------------------------------------

    def add_link(self, source: str, uri: str, where: str | None, *, external_ref: bool) -> None:
        """Record a reference to another BOM from component ``source``."""
        parsed = parse_bom_link(uri)
        if parsed is None and uri[:9].lower() == "urn:uuid:":
            parsed = parse_uuid_bom_link(uri)
            if parsed is not None:
                self.b.warn(
                    "uuid-bom-link",
                    f"{uri!r} is a BOM-Link written urn:uuid:<serial>/<version> instead of "
                    "urn:cdx:<serial>/<version>; resolved to the document with that serial",
                    where,
                )
        if parsed is not None:
            doc, version, ref = parsed
            self.b.add_link(ExternalLink(source, LinkKind.BOM_LINK, uri, doc, version, ref))
        elif uri.startswith(BOM_LINK_PREFIX):
            self.b.warn(
                "bad-bom-link", f"{uri!r} starts like a BOM-Link but is not one; kept as a URL", where
            )
            self.b.add_link(ExternalLink(source, LinkKind.BOM_LINK, uri, uri))
        elif external_ref:
            self.b.add_link(ExternalLink(source, LinkKind.BOM_LINK, uri, uri))

    def read_dependencies(self, deps: Any) -> None:
        """Dependency edges. Every component is known by now, so an edge between two of
        them is added at once (in document order, after the nesting edges, as
        :meth:`DocumentBuilder.finish` would have put it); only what does not resolve takes
        the slow path that explains itself, and only that path builds a location string."""
        b = self.b
        add_edge = b.add_edge
        resolve = b.resolve
        consume = self.consume
        entries = self.as_list(deps, "/dependencies")
        for i, dep in enumerate(entries):
            if consume:
                entries[i] = None  # freed when ``dep`` moves on (see the ``consume`` attribute)
            if type(dep) is not dict:
                self.bad(f"/dependencies/{i}", "a dependency object", dep)
                continue
            ref = dep.get("ref")
            if type(ref) is not str:
                where = self.where(dep, f"/dependencies/{i}")
                if ref is None:
                    b.warn("missing-field", "dependency has no ref; its targets are not attached", where)
                else:
                    self.bad(f"{where}/ref", "a string", ref)
                continue
            sid = resolve(ref)
            for jkey, kind in _DEPENDENCY_KEYS:
                targets = dep.get(jkey)
                if targets is None:
                    continue
                # a target written twice in one entry is one edge, as in SPDX 2 (the set is
                # only made for entries with several targets: most have one)
                seen: set[str] | None = None
                if sid is not None and type(targets) is list:
                    rest = None
                    if len(targets) > 1:
                        seen = set()
                    for k, t in enumerate(targets):
                        tid = resolve(t) if type(t) is str else None
                        if tid is None:
                            rest = targets[k:]
                            break
                        if seen is not None:
                            if tid in seen:
                                continue
                            seen.add(tid)
                        add_edge(sid, tid, kind)
                    if rest is None:
                        continue
                    targets = rest
                self.slow_dependencies(dep, i, ref, jkey, kind, targets, set() if seen is None else seen)

    def slow_dependencies(
        self, dep: dict[str, Any], i: int, ref: str, jkey: str, kind: EdgeKind, targets: Any, seen: set[str]
    ) -> None:
        """Targets of one dependency entry that are not simply components of this
        document: wrong types, BOM-Links to other documents, refs left to
        :meth:`DocumentBuilder.finish` to report as dangling. ``seen``: the targets of this
        entry already made edges (one edge per target)."""
        b = self.b
        resolve = b.resolve
        where = self.where(dep, f"/dependencies/{i}")
        for t in self.as_list(targets, f"{where}/{jkey}"):
            if type(t) is not str:
                self.bad(f"{where}/{jkey}", "a string", t)
            elif _names_another_bom(t) and resolve(t) is None:
                source = resolve(ref)
                if source is None:
                    b.warn("dangling-ref", f"dependency source {ref!r} is not in this document", where)
                else:
                    self.add_link(source, t, where, external_ref=False)
            else:
                sid, tid = resolve(ref), resolve(t)
                if sid is not None and tid is not None:
                    if tid not in seen:
                        seen.add(tid)
                        b.add_edge(sid, tid, kind)  # at once, to keep the edges in document order
                else:
                    b.add_edge_ref(ref, t, kind, location=where)  # dangling: finish() reports it

    def read_bom_refs(self, refs: Any, root_id: str | None) -> None:
        """BOM-level external references of type ``bom``: links from the document's root."""
        b = self.b
        for i, r in enumerate(self.as_list(refs, "/externalReferences")):
            if type(r) is not dict or r.get("type") != "bom" or type(r.get("url")) is not str:
                continue
            source = root_id
            if source is None:
                if not b.components:
                    b.info("unattached-link", "a BOM-level bom reference with no component to hang it on")
                    continue
                source = f"{b.key}#{SYNTHETIC_PREFIX}root"
            self.add_link(source, r["url"], self.where(r, f"/externalReferences/{i}"), external_ref=True)


def _names_another_bom(target: str) -> bool:
    """True when a dependency target is a BOM-Link (or one miswritten ``urn:uuid:…/N``)."""
    return target.startswith(BOM_LINK_PREFIX) or (
        target[:9].lower() == "urn:uuid:" and parse_uuid_bom_link(target) is not None
    )
