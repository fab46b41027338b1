"""CycloneDX XML (1.0–1.7) into a :class:`~sbomscan.model.Document`.

The XML is parsed safely — no DTD at all (so no entity expansion and no external
entities), no network, libxml2's default limits on depth and text size — and the
namespace of ``<bom>`` tells the version. Each element is then turned into the dict shape
of the JSON encoding and read by the same walker as JSON
(:mod:`sbomscan.ingest.cyclonedx.walk`); each component keeps an element path with its
line number as its pointer, e.g. ``/bom/components/component[2] (line 14)``.

A lenient read *streams* (:class:`_Stream`): the parser is fed 64 KiB at a time, and each
top-level component, service and dependency the input has completed is converted and read,
then dropped from the tree, so the whole tree is never held beside the records (issue 9: the peak within twice
the decoded document; docs/performance.md, "Memory"). Whatever the stream cannot settle on
its own — a parse error, a DTD, a root that is not ``<bom>`` — is read again by the
whole-tree path (:func:`_read_tree`), which words every error exactly as before; strict
mode, which validates the whole tree against the XSD, always takes that path.

CycloneDX 1.1 expressed dependencies with an extension namespace
(``http://cyclonedx.org/schema/ext/dependency-graph/1.0``), either at the top level or
inside a component; both are read as DEPENDS_ON edges.

>>> doc = read_cyclonedx_xml(
...     b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components>'
...     b'<component type="library" bom-ref="a"><name>zlib</name><version>1.3</version>'
...     b'<components><component type="file" bom-ref="b"><name>zlib.h</name></component>'
...     b'</components></component></components></bom>',
...     source="bom.xml", sha256="0" * 64, strict=False)
>>> [(c.name, c.pointer) for c in doc.components if c.origin is None]
[('zlib', '/bom/components/component[1] (line 1)'), ('zlib.h', '/bom/components/component[1]/components/component[1] (line 1)')]
>>> doc.spec_version, [e.kind.value for e in doc.edges]
('1.4', ['contains', 'describes'])
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ...errors import MalformedSbomError
from ...memory import gc_paused
from ...model import Document, Party
from ..builder import DocumentBuilder
from .common import DEPGRAPH_NS, XML_NAMESPACES, XML_NS_PREFIX
from .walk import _TOP, XML_POINTER, _Walker, raise_if_strict

__all__ = ["read_cyclonedx_xml"]

_DG = "{" + DEPGRAPH_NS + "}"
_SIMPLE = (
    "name",
    "version",
    "group",
    "description",
    "publisher",
    "author",
    "copyright",
    "cpe",
    "purl",
    "scope",
)


def _parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _refuse_doctype(data: bytes, source: str) -> None:
    """Refuse a DOCTYPE seen in the first 64 KiB before parsing at all (UTF-8 or UTF-16)."""
    head = data[:65536]
    if b"<!DOCTYPE" in head or b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E" in head:
        raise MalformedSbomError(
            source,
            "XML with a DOCTYPE (DTD) is refused: CycloneDX does not use DTDs, and they can "
            "carry entity-expansion and external-entity attacks",
        )


def parse_xml(data: bytes, source: str) -> Any:
    """Parse ``data`` with DTDs refused; raises :class:`MalformedSbomError` with the line."""
    _refuse_doctype(data, source)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        raise MalformedSbomError(
            source, f"invalid XML: {exc.msg}", line=line or None, column=col or None
        ) from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot honour
        raise MalformedSbomError(source, f"invalid XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise MalformedSbomError(source, "XML with a DOCTYPE (DTD) is refused")
    return root


def _bom_version(root: Any, source: str) -> tuple[str, str]:
    """The namespace and CycloneDX version of ``root``; raises unless it is a CycloneDX ``<bom>``."""
    tag = root.tag if isinstance(root.tag, str) else ""
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    version = XML_NAMESPACES.get(ns)
    if local != "bom" or version is None:
        seen = f"namespace {ns!r}" if ns else "no namespace"
        hint = (
            f"; known CycloneDX namespaces are {XML_NS_PREFIX}1.0 … {XML_NS_PREFIX}1.7"
            if local == "bom"
            else ""
        )
        raise MalformedSbomError(
            source, f"root element <{local}> in {seen} is not a CycloneDX <bom>{hint}", line=root.sourceline
        )
    return ns, version


def read_cyclonedx_xml(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """Read a CycloneDX XML document.

    Raises :class:`~sbomscan.errors.MalformedSbomError` for XML that cannot be parsed, a
    DTD, a root that is not ``<bom>`` in a CycloneDX namespace (the message says which
    namespace was seen), and in strict mode for any XSD violation (with its line).
    """
    if strict:
        return _read_tree(data, source=source, sha256=sha256, strict=True)
    _refuse_doctype(data, source)
    doc = _Stream(source, sha256).read(data)
    # ``None``: the stream met something it leaves to the whole-tree read, which says what
    return doc if doc is not None else _read_tree(data, source=source, sha256=sha256, strict=False)


def _read_tree(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """The whole-tree read: parse everything, (in strict mode) validate, convert, walk."""
    root = parse_xml(data, source)
    ns, version = _bom_version(root, source)
    if strict:
        from .schema import validate_xml

        validate_xml(root.getroottree(), version, source)
        _check_beyond_xsd(root, ns, source)

    b = DocumentBuilder(
        source=source, sha256=sha256, format="cyclonedx", encoding="xml", spec_version=version
    )
    with gc_paused():
        try:
            conv = _Converter(ns)
            obj = conv.bom(root)
        except RecursionError:  # libxml2's depth limit (256) keeps this out of reach
            raise MalformedSbomError(source, "XML nested too deeply to read") from None
        for code, message, where in conv.problems:
            b.warn(code, message, where)
        walker = _Walker(b, xml=True, consume=True)
        name, parties = walker.run(obj)
        doc = _finish(b, root, name, parties, walker.declared)
    if strict:
        raise_if_strict(doc, source)
    return doc


def _finish(
    b: DocumentBuilder, root: Any, name: str | None, parties: tuple[Party, ...], declared: int
) -> Document:
    """The document, with the serial number and version ``<bom>`` states."""
    ver = root.get("version")
    return b.finish(
        serial=root.get("serialNumber"),
        version=int(ver) if ver and ver.isdigit() else None,
        name=name,
        parties=parties,
        declared_components=declared,
    )


def _check_beyond_xsd(root: Any, ns: str, source: str) -> None:
    """Rules the bundled XSDs cannot check.

    The 1.0 dependency-graph extension has no bundled XSD; its one structural rule —
    every ``dependency`` names a ``ref`` — is checked here. CycloneDX 1.7 allows
    ``versionRange`` only on components with ``isExternal="true"``, an XSD 1.1 assertion
    that libxml2 (XSD 1.0) does not evaluate.
    """
    for el in root.iter(_DG + "dependency"):
        if not el.get("ref"):
            raise MalformedSbomError(
                source,
                "dependency-graph extension: <dependency> without the required ref attribute",
                line=el.sourceline,
            )
    for el in root.iter("{" + ns + "}versionRange"):
        parent = el.getparent()
        if parent is not None and parent.get("isExternal") not in ("true", "1"):
            raise MalformedSbomError(
                source,
                'versionRange is allowed only on a component with isExternal="true"',
                line=el.sourceline,
            )


_CHUNK = 1 << 16
"""Bytes of input parsed at a time: what is held of the tree between two reads is the
elements of about this much XML."""
_BATCH = 256
"""Converted items walked at once: enough to make the walk's own cost per call nothing,
few enough to be a small part of any document's memory."""


class _Fallback(Exception):
    """Raised inside :class:`_Stream` for what it leaves to the whole-tree read."""


class _Stream:
    """One lenient read that converts and walks ``<bom>``'s items as the input completes
    them, in the order the whole-tree read walks them (metadata, components, services,
    dependencies, the BOM's external references), with the same diagnostics in the same
    order.

    lxml is fed :data:`_CHUNK` bytes at a time and asked for one event only, the start of
    the root (any event requested slows its whole parse, and by more for every tag to
    match). After each feed, :meth:`advance` reads what is complete: the blocks of
    ``<bom>`` before the one being parsed (:meth:`block`: ``<metadata>`` and
    ``<externalReferences>`` are read whole), and that block's items before the one being
    parsed. The converted dicts of an item met before its turn (a component before
    ``<metadata>``: the XSD's order is not enforced in lenient mode) wait for it."""

    def __init__(self, source: str, sha256: str) -> None:
        self.source, self.sha256 = source, sha256
        self.root: Any = None
        self.conv: _Converter  # these three made by :meth:`start`, for the namespace and version
        self.b: DocumentBuilder
        self.walker: _Walker
        self.seen: set[str] = set()
        """``<bom>``'s blocks of which the first one is complete (only the first is read)."""
        self.count = {"component": 0, "service": 0}
        self.waiting: dict[str, list[dict[str, Any]]] = {"component": [], "service": []}
        self.problems: list[list[tuple[str, str, str]]] = [[] for _ in range(5)]
        """The converter's diagnostics by the order the whole-tree read makes them in:
        metadata, components, services, ``<dependencies>``, extension ``<dg:dependencies>``."""
        self.extra: list[list[dict[str, Any]]] = [[], [], []]
        """1.1 extension dependencies inside components: metadata's, components', services'."""
        self.deps: list[list[dict[str, Any]]] = [[], []]
        self.kinds: dict[str, tuple[list[dict[str, Any]], list[tuple[str, str, str]]]] = {}
        """The current dependency block's entries and diagnostics by the child's tag, in the
        order the tags first appear (the whole-tree read groups them so)."""
        self.refs: list[dict[str, Any]] = []
        self.name: str | None = None
        self.parties: tuple[Party, ...] = ()
        self.root_id: str | None = None

    def read(self, data: bytes) -> Document | None:
        """The document, or ``None`` for the whole-tree read to decide (see the class)."""
        try:
            with gc_paused():
                parser = etree.XMLPullParser(
                    events=("start",),
                    tag="{*}bom",
                    resolve_entities=False,
                    no_network=True,
                    huge_tree=False,
                    load_dtd=False,
                    remove_comments=True,
                    remove_pis=True,
                )
                for at in range(0, len(data), _CHUNK):
                    parser.feed(data[at : at + _CHUNK])
                    if self.root is None:
                        for _, el in parser.read_events():
                            self.start(el.getroottree().getroot())
                            break
                    if self.root is not None:
                        self.advance(final=False)
                root = parser.close()
                if self.root is None:
                    self.start(root)
                self.advance(final=True)
                return self.finish()
        except (etree.XMLSyntaxError, ValueError, RecursionError, _Fallback, MalformedSbomError):
            return None

    def start(self, root: Any) -> None:
        """Set up once the root is known; a DTD or a root that is not a CycloneDX ``<bom>``
        is left to the whole-tree read (which first reports any syntax error after it)."""
        if root.getroottree().docinfo.doctype:
            raise _Fallback
        ns, version = _bom_version(root, self.source)
        self.root, self.conv = root, _Converter(ns)
        self.b = DocumentBuilder(
            source=self.source, sha256=self.sha256, format="cyclonedx", encoding="xml", spec_version=version
        )
        self.walker = _Walker(self.b, xml=True, consume=True)

    def key(self, el: Any) -> str | None:
        """The converter's key for ``el``'s tag (see :meth:`_Converter.kids`)."""
        return self.conv.names.get(el.tag) or self.conv.local_name(el.tag)

    def block(self, el: Any) -> None:
        """A block of ``<bom>`` is complete: read it if it is read as a whole, then drop it."""
        conv, key = self.conv, self.key(el)
        if key == "metadata" and key not in self.seen:
            conv.problems, conv.extra_deps = self.problems[0], self.extra[0]
            self.name, parties, self.root_id = self.walker.read_metadata(conv.metadata(el))
            self.parties = tuple(parties)
        elif key == "externalReferences" and key not in self.seen:
            self.refs = conv.ext_refs({key: [el]})
        elif key in ("dependencies", "dg:dependencies"):
            phase = 0 if key == "dependencies" else 1
            for entries, problems in self.kinds.values():
                self.deps[phase] += entries
                self.problems[3 + phase] += problems
            self.kinds = {}
        if key is not None:
            self.seen.add(key)
        self.flush()
        el.clear()  # first: lxml unlinks a subtree in time quadratic in its size, but clears it in linear time
        del self.root[0]  # ``el``: the blocks before it were dropped in turn

    def advance(self, *, final: bool) -> None:
        """Read what the input parsed so far has completed: every block of ``<bom>`` but the
        one being parsed, then that block's items but the one being parsed (all of them at
        the ``final`` call). The last child of an element still open is never touched: the
        parser may still be adding to it."""
        root = self.root
        while len(root) > (0 if final else 1):
            first = root[0]
            self.items(first, 0)
            self.block(first)
        if len(root):
            self.items(root[0], 1)

    def items(self, block: Any, keep: int) -> None:
        """Read and drop the items of ``block`` (a list of components, services or
        dependencies), all but the last ``keep``."""
        key = self.key(block)
        if key not in ("components", "services", "dependencies", "dg:dependencies"):
            return  # read as a whole once complete (:meth:`block`), or not at all
        while len(block) > keep:
            el = block[0]
            self.item(el, key)
            el.clear()
            del block[0]

    def item(self, el: Any, block: str) -> None:
        """One item of a block of ``<bom>``: convert it, and read it or keep it for its turn
        (the items of a block that is not read are only dropped)."""
        conv, key = self.conv, self.key(el)
        if key in ("component", "service") and block == key + "s" and block not in self.seen:
            self.count[key] += 1
            phase = 1 if key == "component" else 2
            conv.problems, conv.extra_deps = self.problems[phase], self.extra[phase]
            convert = conv.component if key == "component" else conv.service
            waiting = self.waiting[key]
            waiting.append(convert(el, f"/bom/{block}/{key}[{self.count[key]}]"))
            if len(waiting) >= _BATCH:
                self.flush()
        elif block in ("dependencies", "dg:dependencies") and key in ("dependency", "dg:dependency"):
            entries, conv.problems = self.kinds.setdefault(key, ([], []))
            conv.dependency(el, entries)

    def flush(self, last: bool = False) -> None:
        """Walk the converted items whose turn has come (all of them at the ``last``), in
        one walk as the whole-tree read does (the walker takes a stack: the first on top)."""
        for key, after in (("component", "metadata"), ("service", "components")):
            if not (last or after in self.seen):
                return
            items, self.waiting[key] = self.waiting[key], []
            stack: list[tuple[Any, str, str | None, int, bool]] = [
                (item, "", None, _TOP, key == "service") for item in reversed(items)
            ]
            del items  # the stack holds the only references: each item is freed once read
            self.walker.walk(stack)

    def finish(self) -> Document:
        """The blocks not yet read and the rest, in the whole-tree read's order, then the document."""
        while len(self.root):
            self.block(self.root[0])
        self.flush(last=True)
        walker, b = self.walker, self.b
        walker.read_dependencies(
            [*self.deps[0], *self.deps[1], *self.extra[0], *self.extra[1], *self.extra[2]]
        )
        walker.read_bom_refs(self.refs, self.root_id)
        later, b.diagnostics = b.diagnostics, []
        for code, message, where in (p for phase in self.problems for p in phase):
            b.warn(code, message, where)
        b.diagnostics += later
        return _finish(b, self.root, self.name, self.parties, walker.declared)


class _Converter:
    """Turns ``<bom>`` elements into the JSON-shaped dicts the walker reads."""

    def __init__(self, ns: str) -> None:
        self.q = "{" + ns + "}"
        self.names: dict[str, str] = {}
        """Full tag -> the key used in :meth:`kids`, filled as tags are met."""
        self.extra_deps: list[dict[str, Any]] = []
        self.problems: list[tuple[str, str, str]] = []
        """Diagnostics noticed while converting: (code, message, location)."""

    def kids(self, el: Any) -> dict[str, list[Any]]:
        """Child elements by local name (CycloneDX namespace) or ``dg:name`` (extension);
        elements of other namespaces (signatures, vendor extensions) are left out."""
        out: dict[str, list[Any]] = {}
        names = self.names
        for child in el:
            tag = child.tag
            key = names.get(tag)
            if key is None:
                key = self.local_name(tag)
                if key is None:
                    continue
            lst = out.get(key)
            if lst is None:
                out[key] = [child]
            else:
                lst.append(child)
        return out

    def local_name(self, tag: Any) -> str | None:
        if not isinstance(tag, str):
            return None
        if tag.startswith(self.q):
            key = tag[len(self.q) :]
        elif tag.startswith(_DG):
            key = "dg:" + tag[len(_DG) :]
        else:
            return None
        self.names[tag] = key
        return key

    @staticmethod
    def text(el: Any) -> str:
        return (el.text or "").strip()

    def texts(self, els: list[Any] | None) -> list[str]:
        return [self.text(e) for e in els or ()]

    def first(self, k: dict[str, list[Any]], key: str) -> str | None:
        els = k.get(key)
        return self.text(els[0]) if els else None

    def inner(self, k: dict[str, list[Any]], key: str, item: str) -> list[Any]:
        """The ``item`` children of the first ``key`` child (``<hashes><hash/>…``)."""
        els = k.get(key)
        if not els:
            return []
        return list(els[0].iterchildren(self.q + item))

    # -- document ------------------------------------------------------------------------

    def bom(self, root: Any) -> dict[str, Any]:
        k = self.kids(root)
        obj: dict[str, Any] = {}
        meta = k.get("metadata")
        if meta:
            obj["metadata"] = self.metadata(meta[0])
        obj["components"] = [
            self.component(c, f"/bom/components/component[{i}]")
            for i, c in enumerate(self.inner(k, "components", "component"), 1)
        ]
        obj["services"] = [
            self.service(s, f"/bom/services/service[{i}]")
            for i, s in enumerate(self.inner(k, "services", "service"), 1)
        ]
        deps: list[dict[str, Any]] = []
        for key in ("dependencies", "dg:dependencies"):
            for container in k.get(key, ()):
                deps += self.dependencies(container, None)
        obj["dependencies"] = deps + self.extra_deps
        obj["externalReferences"] = self.ext_refs(k)
        return obj

    def metadata(self, el: Any) -> dict[str, Any]:
        k = self.kids(el)
        out: dict[str, Any] = {XML_POINTER: f"/bom/metadata (line {el.sourceline})"}
        comp = k.get("component")
        if comp:
            out["component"] = self.component(comp[0], "/bom/metadata/component")
        for key in ("supplier", "manufacturer", "manufacture"):
            if key in k:
                out[key] = self.entity(k[key][0])
        authors = self.inner(k, "authors", "author")
        if authors:
            out["authors"] = [self.contact(a) for a in authors]
        tools = k.get("tools")
        if tools:
            tk = self.kids(tools[0])
            if "tool" in tk:
                out["tools"] = [self.component(t, "") for t in tk["tool"]]
            else:
                out["tools"] = {
                    "components": [self.component(t, "") for t in self.inner(tk, "components", "component")],
                    "services": [self.service(t, "") for t in self.inner(tk, "services", "service")],
                }
        if "licenses" in k:
            out["licenses"] = self.licenses(k["licenses"][0])
        return out

    # -- components and services ---------------------------------------------------------

    def common(self, el: Any, path: str) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        k = self.kids(el)
        d: dict[str, Any] = {XML_POINTER: f"{path} (line {el.sourceline})"} if path else {}
        for key in ("type", "bom-ref"):
            v = el.get(key)
            if v is not None:
                d[key] = v
        for key in _SIMPLE:
            els = k.get(key)
            if els:
                d[key] = self.text(els[0])
        for key in ("supplier", "manufacturer", "provider"):
            if key in k:
                d[key] = self.entity(k[key][0])
        if "vendor" in k:  # legacy metadata.tools
            d["vendor"] = self.first(k, "vendor")
        authors = self.inner(k, "authors", "author")
        if authors:
            d["authors"] = [self.contact(a) for a in authors]
        if "licenses" in k:
            d["licenses"] = self.licenses(k["licenses"][0])
        hashes = self.inner(k, "hashes", "hash")
        if hashes:
            d["hashes"] = [{"alg": h.get("alg"), "content": self.text(h)} for h in hashes]
        refs = self.ext_refs(k)
        if refs:
            d["externalReferences"] = refs
        props = self.inner(k, "properties", "property")
        if props:
            d["properties"] = [{"name": p.get("name"), "value": self.text(p)} for p in props]
        nested = self.inner(k, "components", "component")
        if nested:
            d["components"] = [
                self.component(c, f"{path}/components/component[{i}]") for i, c in enumerate(nested, 1)
            ]
        services = self.inner(k, "services", "service")
        if services:
            d["services"] = [
                self.service(s, f"{path}/services/service[{i}]") for i, s in enumerate(services, 1)
            ]
        return d, k

    def component(self, el: Any, path: str) -> dict[str, Any]:
        d, k = self.common(el, path)
        swid = k.get("swid")
        if swid:
            d["swid"] = dict(swid[0].attrib)
        for key in ("omniborId", "swhid"):
            if key in k:
                d[key] = self.texts(k[key])
        if "evidence" in k:
            d["evidence"] = self.evidence(k["evidence"][0])
        if "pedigree" in k:
            d["pedigree"] = self.pedigree(k["pedigree"][0], path)
        ref = el.get("bom-ref")
        for container in k.get("dg:dependencies", ()):
            if ref:
                self.extra_deps += self.dependencies(container, ref)
        return d

    def service(self, el: Any, path: str) -> dict[str, Any]:
        return self.common(el, path)[0]

    def pedigree(self, el: Any, path: str) -> dict[str, Any]:
        k = self.kids(el)
        out: dict[str, Any] = {}
        for key in ("ancestors", "descendants", "variants"):
            items = self.inner(k, key, "component")
            if items:
                out[key] = [
                    self.component(c, f"{path}/pedigree/{key}/component[{i}]") for i, c in enumerate(items, 1)
                ]
        commits = self.inner(k, "commits", "commit")
        if commits:
            out["commits"] = []
            for c in commits:
                ck = self.kids(c)
                commit: dict[str, Any] = {}
                for who in ("author", "committer"):
                    if who in ck:
                        wk = self.kids(ck[who][0])
                        commit[who] = {"name": self.first(wk, "name"), "email": self.first(wk, "email")}
                out["commits"].append(commit)
        return out

    def evidence(self, el: Any) -> dict[str, Any]:
        k = self.kids(el)
        out: dict[str, Any] = {}
        identities = []
        for ident in k.get("identity", ()):
            ik = self.kids(ident)
            identities.append(
                {
                    "field": self.first(ik, "field"),
                    "concludedValue": self.first(ik, "concludedValue"),
                    "methods": [
                        {"value": self.first(self.kids(m), "value")}
                        for m in self.inner(ik, "methods", "method")
                    ],
                }
            )
        if identities:
            out["identity"] = identities
        occurrences = self.inner(k, "occurrences", "occurrence")
        if occurrences:
            out["occurrences"] = [{"location": self.first(self.kids(o), "location")} for o in occurrences]
        copyright_ = self.inner(k, "copyright", "text")
        if copyright_:
            out["copyright"] = [{"text": t} for t in self.texts(copyright_)]
        if "licenses" in k:
            out["licenses"] = self.licenses(k["licenses"][0])
        return out

    # -- small shared shapes -------------------------------------------------------------

    def entity(self, el: Any) -> dict[str, Any]:
        k = self.kids(el)
        return {
            "name": self.first(k, "name"),
            "url": self.texts(k.get("url")),
            "contact": [self.contact(c) for c in k.get("contact", ())],
        }

    def contact(self, el: Any) -> dict[str, Any]:
        k = self.kids(el)
        return {"name": self.first(k, "name"), "email": self.first(k, "email")}

    def licenses(self, el: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for key, items in self.kids(el).items():
            for item in items:
                if key == "license":
                    lk = self.kids(item)
                    lic: dict[str, Any] = {}
                    for f in ("id", "name"):
                        v = self.first(lk, f)
                        if v is not None:
                            lic[f] = v
                    if "licensing" in lk:
                        lic["licensing"] = self.licensing(lk["licensing"][0])
                    out.append({"license": lic})
                elif key == "expression":
                    out.append({"expression": self.text(item)})
                elif key == "expression-detailed":
                    entry: dict[str, Any] = {"expression": item.get("expression") or ""}
                    ek = self.kids(item)
                    if "licensing" in ek:
                        entry["licensing"] = self.licensing(ek["licensing"][0])
                    out.append(entry)
        return out

    def licensing(self, el: Any) -> dict[str, Any]:
        k = self.kids(el)
        out: dict[str, Any] = {}
        for role in ("licensor", "licensee", "purchaser"):
            if role in k:
                hk = self.kids(k[role][0])
                holder: dict[str, Any] = {}
                if "organization" in hk:
                    holder["organization"] = self.entity(hk["organization"][0])
                if "individual" in hk:
                    holder["individual"] = self.contact(hk["individual"][0])
                out[role] = holder
        return out

    def ext_refs(self, k: dict[str, list[Any]]) -> list[dict[str, Any]]:
        out = []
        for r in self.inner(k, "externalReferences", "reference"):
            rk = self.kids(r)
            out.append(
                {
                    "type": r.get("type"),
                    "url": self.first(rk, "url"),
                    "comment": self.first(rk, "comment"),
                    XML_POINTER: f"line {r.sourceline}",
                }
            )
        return out

    def dependencies(self, container: Any, owner: str | None) -> list[dict[str, Any]]:
        """``<dependency ref="a"><dependency ref="b"/><provides ref="c"/></dependency>``, nested
        to any depth (each nested one with children declares its own), as JSON-shaped
        entries. ``owner`` is the bom-ref of the component holding a 1.1 extension block:
        its top-level entries are that component's dependencies."""
        out: list[dict[str, Any]] = []
        top = [
            c
            for key, cs in self.kids(container).items()
            if key in ("dependency", "dg:dependency")
            for c in cs
        ]
        if owner is not None:
            out.append(
                {
                    "ref": owner,
                    "dependsOn": [c.get("ref") for c in top if c.get("ref")],
                    XML_POINTER: f"line {container.sourceline}",
                }
            )
            top = [c for c in top if len(c)]
        for el in top:
            self.dependency(el, out)
        return out

    def dependency(self, top: Any, out: list[dict[str, Any]]) -> None:
        """One ``<dependency>`` and those nested in it with children of their own, in
        document order, as entries appended to ``out``."""
        stack = [top]
        while stack:
            el = stack.pop()
            k = self.kids(el)
            children = k.get("dependency", []) + k.get("dg:dependency", [])
            for c in children:
                if not c.get("ref") and not len(c):
                    self.problems.append(
                        ("missing-field", "<dependency> has no ref; skipped", f"line {c.sourceline}")
                    )
            entry: dict[str, Any] = {
                "dependsOn": [c.get("ref") for c in children if c.get("ref")],
                XML_POINTER: f"line {el.sourceline}",
            }
            if el.get("ref") is not None:
                entry["ref"] = el.get("ref")
            provides = [p.get("ref") for p in k.get("provides", ()) if p.get("ref")]
            if provides:
                entry["provides"] = provides
            out.append(entry)
            stack.extend(c for c in reversed(children) if len(c))
