"""Documents to table rows and back, field for field, so that a rescan rebuilds exactly the
:class:`~sbomscan.model.Document` the first scan read — without parsing the SBOM again.

A component is one row: the fields almost every component has (ref, name, version, type,
group, purl) are columns; every other field that differs from its default is one entry of a
small JSON object in ``rest`` (``NULL`` when there is none). The encoders and decoders are
written out per field, not derived by reflection: decoding runs once per stored component on
every rescan, and an explicit table is both the fastest form and a list a reader can check.
A field of the model that is not in the table makes encoding fail loudly
(:func:`encode_component`), so a new field is never dropped silently; a stored field this
version does not know makes decoding fail with :class:`~sbomscan.errors.PortfolioError`.

``tests/test_portfolio_codec.py`` checks that every document of the corpus, and generated
components (hypothesis), come back equal to what was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import orjson

from ..errors import PortfolioError
from ..memory import make_room
from ..model import (
    Component,
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

__all__ = [
    "ComponentRow",
    "EdgeRow",
    "decode_component",
    "decode_edge",
    "decode_head",
    "encode_component",
    "encode_edge",
    "encode_head",
]

ComponentRow = tuple[str, str, "str | None", "str | None", "str | None", "str | None", "bytes | None"]
"""(ref, name, version, type, group, purl, rest) — the columns after (document, seq)."""
EdgeRow = tuple[str, str, str, "str | None"]
"""(source, target, kind, detail)."""

_COLUMNS = ("id", "ref", "document", "name", "version", "type", "group", "purl")


def _strs(v: Iterable[str]) -> tuple[str, ...]:
    return tuple(v)


_PARTY_KINDS = {k.value: k for k in PartyKind}
_parties: dict[tuple[str, str, str], Party] = {}


def _party(p: list[Any]) -> Party:
    """A stored party; the common one (no emails, no URLs) shared between components, as
    suppliers repeat across a whole store (about a third of a rescan's decoding time)."""
    name, role, kind, emails, urls = p
    if emails or urls:
        return Party(name, role, _PARTY_KINDS[kind], tuple(emails), tuple(urls))
    key = (name, role, kind)
    party = _parties.get(key)
    if party is None:
        make_room(_parties)
        party = _parties[key] = Party(name, role, _PARTY_KINDS[kind])
    return party


def _pairs(v: Iterable[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple(map(tuple, v))  # type: ignore[arg-type]


# A record made straight from its stored list: ``tuple.__new__(Hash, ["SHA-256", "ab..."])`` is
# one C call, where ``Hash(a, b)`` unpacks and checks arguments. The lists are the codec's own
# writing (their lengths are the records', which the round-trip tests check); a damaged store
# is caught where rows are read (sbomscan.portfolio.rescan).
_new = tuple.__new__
_hash = partial(_new, Hash)
_xref = partial(_new, ExternalRef)


def _same(v: Any) -> Any:
    return v


# field -> (to JSON, from JSON); every Component field that is not a column is here.
_REST: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "cpes": (list, _strs),
    "swid": (list, partial(_new, Swid)),
    "parties": (
        lambda ps: [[p.name, p.role, p.kind.value, p.emails, p.urls] for p in ps],
        lambda v: tuple(map(_party, v)),
    ),
    "copyright": (list, _strs),
    "licenses": (list, _strs),
    "hashes": (lambda hs: [list(h) for h in hs], lambda v: tuple(map(_hash, v))),
    "external_refs": (lambda rs: [list(r) for r in rs], lambda v: tuple(map(_xref, v))),
    "description": (_same, _same),
    "properties": (lambda ps: [list(p) for p in ps], _pairs),
    "identities": (lambda ps: [list(p) for p in ps], _pairs),
    "occurrences": (list, _strs),
    "omnibor_ids": (list, _strs),
    "swhids": (list, _strs),
    "origin": (_same, _same),
    "pointer": (_same, _same),
}
_DEFAULTS = Component._field_defaults
_MISSING = [f for f in Component._fields if f not in _REST and f not in _COLUMNS]
if _MISSING or Component._fields[: len(_COLUMNS)] != _COLUMNS:  # pragma: no cover
    # a change of the model without a change here fails at import, never silently
    raise ImportError(f"portfolio codec: Component fields not as this codec expects: {', '.join(_MISSING)}")


def encode_component(c: Component, key: str) -> ComponentRow:
    """The row of one component of the document whose key is ``key``."""
    rest: dict[str, Any] = {}
    if c.id != component_id(key, c.ref):
        rest["id"] = c.id
    if c.document != key:
        rest["document"] = c.document
    for name, (to_json, _) in _REST.items():
        value = getattr(c, name)
        if value != _DEFAULTS[name]:
            rest[name] = to_json(value)
    blob = orjson.dumps(rest) if rest else None
    return (c.ref, c.name, c.version, c.type, c.group, c.purl, blob)


_INDEX = {name: i for i, name in enumerate(Component._fields)}
_DECODE = {name: (_INDEX[name], dec) for name, (_, dec) in _REST.items()}
_DECODE.update({"id": (_INDEX["id"], _same), "document": (_INDEX["document"], _same)})
_TAIL = [_DEFAULTS[name] for name in Component._fields[len(_COLUMNS) :]]


def decode_component(row: ComponentRow, key: str) -> Component:
    """The component a row holds (``key``: its document's key).

    Runs once per stored component on every rescan, so it fills a list by field index and
    makes the record in one call instead of passing keywords."""
    ref, name, version, type_, group, purl, blob = row
    if blob is None:
        return Component(f"{key}#{ref}", ref, key, name, version, type_, group, purl)
    values = [f"{key}#{ref}", ref, key, name, version, type_, group, purl, *_TAIL]
    decode = _DECODE.get
    for field, value in orjson.loads(blob).items():
        known = decode(field)
        if known is None:
            raise PortfolioError(
                f"stored component {ref!r} has a field this sbomscan does not know: {field!r}"
            )
        values[known[0]] = known[1](value)
    return _new(Component, values)


_EDGE_KINDS = {k.value: k for k in EdgeKind}


def encode_edge(e: Edge) -> EdgeRow:
    return (e.source, e.target, e.kind.value, e.detail)


def decode_edge(row: EdgeRow) -> Edge:
    return Edge(row[0], row[1], _EDGE_KINDS[row[2]], row[3])


def _link(x: ExternalLink) -> list[Any]:
    checksum = list(x.checksum) if x.checksum else None
    return [x.source, x.kind.value, x.uri, x.document, x.version, x.ref, checksum]


def _unlink(v: list[Any]) -> ExternalLink:
    checksum = Hash(*v[6]) if v[6] else None
    return ExternalLink(v[0], LinkKind(v[1]), v[2], v[3], v[4], v[5], checksum)


def encode_head(doc: Document) -> bytes:
    """Every field of a document except its components and edges, as JSON."""
    return orjson.dumps(
        {
            "key": doc.key,
            "source": doc.source,
            "format": doc.format,
            "encoding": doc.encoding,
            "spec_version": doc.spec_version,
            "sha256": doc.sha256,
            "sha1": doc.sha1,
            "serial": doc.serial,
            "version": doc.version,
            "name": doc.name,
            "parties": _REST["parties"][0](doc.parties),
            "roots": list(doc.roots),
            "links": [_link(x) for x in doc.links],
            "diagnostics": [[d.severity.value, d.code, d.message, d.location] for d in doc.diagnostics],
            "synthetic_root": doc.synthetic_root,
            "declared_components": doc.declared_components,
        }
    )


def decode_head(blob: bytes | str) -> Document:
    """The document a head holds, with no components and no edges yet."""
    h = orjson.loads(blob)
    return Document(
        key=h["key"],
        source=h["source"],
        format=h["format"],
        encoding=h["encoding"],
        spec_version=h["spec_version"],
        sha256=h["sha256"],
        sha1=h.get("sha1"),  # heads stored before Document.sha1 have none
        serial=h["serial"],
        version=h["version"],
        name=h["name"],
        parties=tuple(_party(p) for p in h["parties"]),
        roots=tuple(h["roots"]),
        links=tuple(_unlink(x) for x in h["links"]),
        diagnostics=tuple(Diagnostic(Severity(d[0]), d[1], d[2], d[3]) for d in h["diagnostics"]),
        synthetic_root=h["synthetic_root"],
        declared_components=h["declared_components"],
    )
