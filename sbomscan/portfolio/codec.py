"""Documents to table rows and back, field for field, so that a rescan rebuilds exactly the
:class:`~sbomscan.model.Document` the first scan read — without parsing the SBOM again.

A component is one row: the fields almost every component has (ref, name, version, type,
group, purl) are columns; every other field that differs from its default is one entry of a
small JSON object in ``rest`` (``NULL`` when there is none). The encoders and decoders are
written out per field, not derived by reflection: an explicit table is a list a reader can
check. Decoding runs once per stored component on every rescan (most of its time), so the
usual ``rest`` is decoded by msgspec straight to the records in one C call
(:class:`_Rest`, whose fields are checked against the model's at import); a row it refuses
goes through the table, field by field. A field of the model that is not in the table makes
encoding fail loudly (:func:`encode_component`), so a new field is never dropped silently; a
stored field this version does not know makes decoding fail with
:class:`~sbomscan.errors.PortfolioError`.

``tests/test_portfolio_codec.py`` checks that every document of the corpus, and generated
components (hypothesis), come back equal to what was stored, by both decoders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, get_type_hints

import msgspec
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
    "decode_components",
    "decode_edge",
    "decode_edges",
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


def _party_list(v: list[list[Any]]) -> tuple[Party, ...]:
    """A stored list of parties; one party (almost every component) without ``map`` and,
    when it is a common one already made, without a call."""
    if len(v) == 1:
        name, role, kind, emails, urls = v[0]
        party = None if emails or urls else _parties.get((name, role, kind))
        return (party or _party(v[0]),)
    return tuple(map(_party, v))


def _pairs(v: Iterable[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple(map(tuple, v))  # type: ignore[arg-type]


# A record made straight from its stored list: ``tuple.__new__(Hash, ["SHA-256", "ab..."])`` is
# one C call, where ``Hash(a, b)`` unpacks and checks arguments. The lists are the codec's own
# writing (their lengths are the records', which the round-trip tests check); a damaged store
# is caught where rows are read (sbomscan.portfolio.rescan).
_new = tuple.__new__
_hash = partial(_new, Hash)
_xref = partial(_new, ExternalRef)


def _records(make: Callable[[list[Any]], Any]) -> Callable[[list[list[Any]]], tuple[Any, ...]]:
    """The decoder of a stored list of records: the usual list of one (one hash, one
    reference) made without ``map``, which costs more than the record for a list that short."""

    def decode(v: list[list[Any]]) -> tuple[Any, ...]:
        if len(v) == 1:
            return (make(v[0]),)
        return tuple(map(make, v))

    return decode


def _same(v: Any) -> Any:
    return v


# field -> (to JSON, from JSON); every Component field that is not a column is here.
_REST: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "cpes": (list, tuple),
    "swid": (list, partial(_new, Swid)),
    "parties": (
        lambda ps: [[p.name, p.role, p.kind.value, p.emails, p.urls] for p in ps],
        _party_list,
    ),
    "copyright": (list, tuple),
    "licenses": (list, tuple),
    "hashes": (lambda hs: [list(h) for h in hs], _records(_hash)),
    "external_refs": (lambda rs: [list(r) for r in rs], _records(_xref)),
    "description": (_same, _same),
    "properties": (lambda ps: [list(p) for p in ps], _pairs),
    "identities": (lambda ps: [list(p) for p in ps], _pairs),
    "occurrences": (list, tuple),
    "omnibor_ids": (list, tuple),
    "swhids": (list, tuple),
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


_HINTS = get_type_hints(Component)
_Rest = msgspec.defstruct(
    "_Rest",
    [(name, _HINTS[name], _DEFAULTS[name]) for name in Component._fields[len(_COLUMNS) :]],
    forbid_unknown_fields=True,
    module=__name__,
)
"""A stored ``rest`` of the usual kind — only fields past the columns — as msgspec decodes it
in one C call, records and all (a list of five is a :class:`Party`, of two a :class:`Hash`...),
checked against the model's types on the way. Made from the Component's own fields after the
columns, in order, with their types and defaults, so the struct's values, as a tuple, are the
record's tail: the struct cannot drift from the model (a field added there still needs its
row in ``_REST``, which the import checks).
Anything else (an ``id`` or ``document`` of its own, a field this version does not know, a
value of another type) is decoded field by field (:func:`_decode_row`), which says what is
wrong."""
_decode_rest = msgspec.json.Decoder(_Rest).decode
_astuple = msgspec.structs.astuple


def decode_component(row: ComponentRow, key: str) -> Component:
    """The component a row holds (``key``: its document's key)."""
    return decode_components((row,), key)[0]


def decode_components(rows: Iterable[ComponentRow], key: str) -> list[Component]:
    """The components rows of one document hold, in order (``key``: the document's key).

    Runs once per stored component on every rescan (most of a rescan's time), so it works
    on a whole chunk of rows in one call and has msgspec decode each ``rest`` straight to
    the records (:class:`_Rest`); a row it refuses is decoded field by field."""
    prefix = f"{key}#"
    out: list[Component] = []
    append = out.append
    decode, values, tail = _decode_rest, _astuple, _TAIL
    for row in rows:
        ref, name, version, type_, group, purl, blob = row
        if blob is None:
            append(_new(Component, (prefix + ref, ref, key, name, version, type_, group, purl, *tail)))
            continue
        try:
            rest = values(decode(blob))
        except msgspec.DecodeError:  # not of the usual kind: field by field, which names the problem
            append(_decode_row(row, key))
            continue
        append(_new(Component, (prefix + ref, ref, key, name, version, type_, group, purl, *rest)))
    return out


def _decode_row(row: ComponentRow, key: str) -> Component:
    """One row, field by field: any stored field this version knows, ``id`` and
    ``document`` included; a field it does not know is refused by name."""
    ref, name, version, type_, group, purl, blob = row
    values = [f"{key}#{ref}", ref, key, name, version, type_, group, purl, *_TAIL]
    for field, value in orjson.loads(blob or b"{}").items():
        try:
            index, decode = _DECODE[field]
        except KeyError:
            raise PortfolioError(
                f"stored component {ref!r} has a field this sbomscan does not know: {field!r}"
            ) from None
        values[index] = decode(value)
    return _new(Component, values)


_EDGE_KINDS = {k.value: k for k in EdgeKind}


def encode_edge(e: Edge) -> EdgeRow:
    return (e.source, e.target, e.kind.value, e.detail)


def decode_edge(row: EdgeRow) -> Edge:
    return Edge(row[0], row[1], _EDGE_KINDS[row[2]], row[3])


def decode_edges(rows: Iterable[EdgeRow]) -> tuple[Edge, ...]:
    """The edges rows of one document hold, in order: each record made in one call (a
    product with a match has as many edges as components, read by a rescan's pass 2)."""
    kinds = _EDGE_KINDS
    return tuple([_new(Edge, (source, target, kinds[kind], detail)) for source, target, kind, detail in rows])


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
