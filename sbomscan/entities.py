"""The covered-entity database: load, validate, merge overlays, and compute control closure.

The shipped ``data/entities.json`` and every user overlay (``--entities FILE``) have the
same shape (``docs/entities.md``, ``data/entities.schema.json``). Overlays are merged *by
id*: a known id has the fields it gives replaced and its lists extended; a new id is
added. So one overlay entry ``{"id": "acme", "name": "Acme", "relations": [{"type":
"majority_owned_by", "target": "kaspersky"}]}`` is enough to make Acme covered.

Coverage follows the words of the laws: an entity is covered by an authority when the
authority names it, or when a chain of relations that hold on the date leads from it to
such an entity and every step is a kind of control the authority extends through
(``Authority.control``). A chain through a relation that has ended is reported as
*former*: not coverage, but worth a review.

>>> db = load_entities([{
...     "schema_version": 1, "version": "t",
...     "sources": {"s": {"title": "t", "url": "https://example.org"}},
...     "authorities": [{"id": "law", "title": "Law", "effective": [{"date": "2018-10-01"}],
...                      "control": ["majority_owned"], "sources": ["s"]}],
...     "entities": [
...         {"id": "k", "name": "Kaspersky Lab", "authorities": ["law"], "sources": ["s"]},
...         {"id": "acme", "name": "Acme Holdings", "sources": ["s"],
...          "relations": [{"type": "majority_owned_by", "target": "k", "sources": ["s"]}]}]}],
...     include_default=False)
>>> [c.text for c in db.coverage("acme", date(2020, 1, 1))]
['Acme Holdings —majority_owned_by→ Kaspersky Lab']
>>> db.coverage("acme", date(2017, 1, 1))
()
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from importlib import resources
from os import PathLike, fspath
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx

from .errors import EntityDataError

__all__ = [
    "RELATION_KIND",
    "Alias",
    "Authority",
    "Coverage",
    "EffectiveDate",
    "Entity",
    "EntityDatabase",
    "HashId",
    "Identifiers",
    "LicensedProduct",
    "PurlPattern",
    "Relation",
    "Source",
    "ValueId",
    "VcsOrg",
    "default_data_path",
    "default_schema_path",
    "load_entities",
]

# --------------------------------------------------------------------------- records


class Source(NamedTuple):
    """A public source that facts cite."""

    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    date: date | None = None
    confidence: str | None = None


class EffectiveDate(NamedTuple):
    date: date
    label: str | None = None


class Authority(NamedTuple):
    """A law, regulation, directive or list that prohibits an entity's products."""

    id: str
    title: str
    instrument: str | None
    citations: tuple[str, ...]
    effective: tuple[EffectiveDate, ...]
    until: date | None
    scope: str | None
    scope_text: str | None
    control: frozenset[str]
    sources: tuple[str, ...]

    @property
    def start(self) -> date | None:
        """The first date on which any part of it is in effect."""
        return min((e.date for e in self.effective), default=None)

    def in_effect(self, on: date) -> bool:
        """In effect on ``on``: its first effective date has come and its ``until`` has not."""
        start = self.start
        return (start is None or start <= on) and (self.until is None or on < self.until)


class Alias(NamedTuple):
    value: str
    kind: str | None = None
    lang: str | None = None
    until: date | None = None
    unverified: bool = False
    sources: tuple[str, ...] = ()


class Relation(NamedTuple):
    """``type`` relates the owning entity to ``target`` (``acme majority_owned_by kaspersky``)."""

    type: str
    target: str
    since: date | None = None
    until: date | None = None
    unverified: bool = False
    sources: tuple[str, ...] = ()

    def holds_on(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on < self.until)

    def ended_by(self, on: date) -> bool:
        """Held once and had ended by ``on`` (a *former* link)."""
        return self.until is not None and self.until <= on and (self.since is None or self.since <= on)


class ValueId(NamedTuple):
    """A single-valued identifier: CPE vendor, domain, e-mail domain, SWID regid, product name."""

    value: str
    unverified: bool = False
    sources: tuple[str, ...] = ()


class PurlPattern(NamedTuple):
    """``namespace`` / ``name``: exact, a trailing ``*`` prefix pattern, or ``None`` (any)."""

    type: str
    namespace: str | None = None
    name: str | None = None
    unverified: bool = False
    sources: tuple[str, ...] = ()


class VcsOrg(NamedTuple):
    host: str
    org: str
    unverified: bool = False
    sources: tuple[str, ...] = ()


class HashId(NamedTuple):
    algorithm: str
    value: str
    description: str | None = None
    unverified: bool = False
    sources: tuple[str, ...] = ()


class Identifiers(NamedTuple):
    cpe_vendors: tuple[ValueId, ...] = ()
    purls: tuple[PurlPattern, ...] = ()
    domains: tuple[ValueId, ...] = ()
    email_domains: tuple[ValueId, ...] = ()
    vcs_orgs: tuple[VcsOrg, ...] = ()
    swid_regids: tuple[ValueId, ...] = ()
    products: tuple[ValueId, ...] = ()
    hashes: tuple[HashId, ...] = ()


class Entity(NamedTuple):
    id: str
    name: str
    country: str | None = None
    kind: str = "organization"
    unverified: bool = False
    aliases: tuple[Alias, ...] = ()
    relations: tuple[Relation, ...] = ()
    identifiers: Identifiers = Identifiers()
    authorities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    until: date | None = None
    """Optional: the entity ceased to exist (or to be covered) on this date."""


class LicensedProduct(NamedTuple):
    """A covered entity's engine licensed into another vendor's product."""

    id: str
    vendor: str
    product: str
    names: tuple[str, ...]
    cpes: tuple[str, ...]
    licensor: str
    since: date | None = None
    until: date | None = None
    unverified: bool = False
    note: str | None = None
    sources: tuple[str, ...] = ()


class Coverage(NamedTuple):
    """Why an entity is covered by an authority on a date.

    ``chain`` is empty when the authority names the entity itself; otherwise one text per
    relation step, from the entity to the named one. ``former`` means a step has ended:
    not coverage, a lead for review. ``unverified`` means the entity or a step is unverified.
    """

    authority: str
    chain: tuple[str, ...]
    former: bool
    unverified: bool

    @property
    def text(self) -> str:
        """The chain as one line: ``"Acme —majority_owned_by→ Kaspersky Lab"`` (``""`` if direct)."""
        if not self.chain:
            return ""
        # steps are "A —t→ B", "B —u→ C"; joined as "A —t→ B —u→ C"
        text = self.chain[0]
        for step in self.chain[1:]:
            text += " —" + step.split(" —", 1)[1]
        return text


# Relation type -> (control kind of the owner towards the target, inverse type, inverse kind).
RELATION_KIND: dict[str, str] = {
    "subsidiary_of": "controlled_by",
    "parent_of": "controls",
    "affiliate_of": "common_control",
    "successor_of": "successor",
    "majority_owned_by": "majority_owned",
    "brand_of": "brand",
}
_INVERSE: dict[str, tuple[str, str]] = {
    "subsidiary_of": ("parent_of", "controls"),
    "parent_of": ("subsidiary_of", "controlled_by"),
    "affiliate_of": ("affiliate_of", "common_control"),
    "successor_of": ("predecessor_of", "predecessor"),
    # a majority owner controls what it owns
    "majority_owned_by": ("majority_owner_of", "controls"),
    "brand_of": ("brand_owner_of", "brand"),
}
_ALWAYS = frozenset({"brand"})

# --------------------------------------------------------------------------- database


class _Step(NamedTuple):
    source: str
    target: str
    type: str
    kind: str
    relation: Relation


class EntityDatabase:
    """The merged, validated entity data, with control closure on any date."""

    def __init__(
        self,
        *,
        version: str,
        schema_version: int,
        authorities: Mapping[str, Authority],
        entities: Mapping[str, Entity],
        licensed_products: Sequence[LicensedProduct],
        sources: Mapping[str, Source],
    ) -> None:
        self.version = version
        self.schema_version = schema_version
        self.authorities: dict[str, Authority] = dict(authorities)
        self.entities: dict[str, Entity] = dict(entities)
        self.licensed_products: tuple[LicensedProduct, ...] = tuple(licensed_products)
        self.sources: dict[str, Source] = dict(sources)
        self.graph: Any = nx.MultiDiGraph()
        """Node = entity id; edge ``X -> Y`` with ``type``/``kind``/``relation``: X would be
        covered through ``kind`` if Y were. Each relation gives an edge each way."""
        for eid in sorted(self.entities):
            self.graph.add_node(eid)
        steps: list[_Step] = []
        for eid in sorted(self.entities):
            for rel in self.entities[eid].relations:
                steps.append(_Step(eid, rel.target, rel.type, RELATION_KIND[rel.type], rel))
                inv_type, inv_kind = _INVERSE[rel.type]
                steps.append(_Step(rel.target, eid, inv_type, inv_kind, rel))
        for st in sorted(steps, key=lambda s: (s.source, s.target, s.type)):
            self.graph.add_edge(st.source, st.target, type=st.type, kind=st.kind, relation=st.relation)
        self._closure = lru_cache(maxsize=64)(self._compute_closure)

    def __repr__(self) -> str:
        return (
            f"EntityDatabase(version={self.version!r}, entities={len(self.entities)}, "
            f"authorities={len(self.authorities)}, licensed_products={len(self.licensed_products)})"
        )

    def authority_in_effect(self, authority_id: str, as_of: date) -> bool:
        """Whether the authority is in effect on ``as_of`` (unknown ids are not)."""
        auth = self.authorities.get(authority_id)
        return auth is not None and auth.in_effect(as_of)

    def coverage(self, entity_id: str, as_of: date | None = None) -> tuple[Coverage, ...]:
        """The authorities covering ``entity_id`` on ``as_of`` (default today), each with the
        shortest relation chain; authorities reached only through ended relations come back
        with ``former=True``. Sorted by authority id."""
        return self._closure(as_of or date.today()).get(entity_id, ())

    def _step_text(self, a: str, t: str, b: str) -> str:
        return f"{self.entities[a].name} —{t}→ {self.entities[b].name}"

    def _entity_alive(self, eid: str, on: date) -> bool:
        until = self.entities[eid].until
        return until is None or on < until

    def _compute_closure(self, on: date) -> dict[str, tuple[Coverage, ...]]:
        result: dict[str, list[Coverage]] = {}
        g = self.graph
        for aid in sorted(self.authorities):
            auth = self.authorities[aid]
            if not auth.in_effect(on):
                continue
            named = [
                eid
                for eid in sorted(self.entities)
                if aid in self.entities[eid].authorities and self._entity_alive(eid, on)
            ]
            if not named:
                continue
            allowed = auth.control | _ALWAYS
            current = self._reach(g, named, allowed, lambda r: r.holds_on(on), on)
            for eid, path in current.items():
                result.setdefault(eid, []).append(self._coverage(aid, eid, path, former=False))
            former = self._reach(g, named, allowed, lambda r: r.holds_on(on) or r.ended_by(on), on)
            for eid, path in former.items():
                if eid not in current:
                    result.setdefault(eid, []).append(self._coverage(aid, eid, path, former=True))
        return {eid: tuple(covs) for eid, covs in result.items()}

    def _reach(
        self, g: Any, named: list[str], allowed: frozenset[str], ok: Any, on: date
    ) -> dict[str, list[tuple[str, str, str, Relation]]]:
        """Breadth-first search backwards from the named entities over usable edges; for each
        reached entity, the edge path from it to a named entity (deterministic: sorted)."""
        paths: dict[str, list[tuple[str, str, str, Relation]]] = {eid: [] for eid in named}
        frontier = list(named)
        while frontier:
            nxt: list[str] = []
            for node in frontier:
                for src, _dst, data in sorted(
                    g.in_edges(node, data=True), key=lambda e: (e[0], e[2]["type"])
                ):
                    if src in paths or data["kind"] not in allowed or not ok(data["relation"]):
                        continue
                    if not self._entity_alive(src, on):
                        continue
                    paths[src] = [(src, data["type"], node, data["relation"]), *paths[node]]
                    nxt.append(src)
            frontier = sorted(set(nxt))
        return paths

    def _coverage(
        self, aid: str, eid: str, path: list[tuple[str, str, str, Relation]], *, former: bool
    ) -> Coverage:
        chain = tuple(self._step_text(a, t, b) for a, t, b, _ in path)
        unverified = self.entities[eid].unverified or any(
            r.unverified or self.entities[b].unverified for _, _, b, r in path
        )
        return Coverage(aid, chain, former, unverified)


# --------------------------------------------------------------------------- loading


def _resource(name: str) -> Path:
    try:
        candidate = resources.files("sbomscan") / "_data" / name
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, FileNotFoundError, TypeError):  # pragma: no cover - odd installs
        pass
    return Path(__file__).resolve().parent.parent / "data" / name


def default_data_path() -> Path:
    """The shipped entity data: ``sbomscan/_data/entities.json`` in a wheel, else the
    checkout's ``data/entities.json``."""
    return _resource("entities.json")


def default_schema_path() -> Path:
    """The JSON schema beside the shipped data."""
    return _resource("entities.schema.json")


@lru_cache(maxsize=1)
def _schema_validator() -> Any:
    import jsonschema_rs

    path = default_schema_path()
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema)


def _pointer(parts: Iterable[object]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _read(item: str | PathLike[str] | Mapping[str, Any]) -> tuple[str, Any]:
    if isinstance(item, Mapping):
        return "<overlay>", dict(item)
    name = fspath(item)
    try:
        raw = Path(name).read_bytes()
    except OSError as exc:
        raise EntityDataError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EntityDataError(name, f"not UTF-8 (byte {exc.start})") from None
    try:
        return name, json.loads(text)
    except json.JSONDecodeError as exc:
        raise EntityDataError(
            name, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise EntityDataError(name, "invalid JSON: nested too deeply") from None


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_LISTS = ("authorities", "entities", "licensed_products")
_ID_CATEGORIES = (
    "cpe_vendors",
    "purls",
    "domains",
    "email_domains",
    "vcs_orgs",
    "swid_regids",
    "products",
    "hashes",
)


class _Checker:
    """Structural checks with JSON pointers, so that a bad file is refused with a precise
    place even before (or beyond) the JSON schema; also parses dates."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, ptr: str, reason: str) -> EntityDataError:
        return EntityDataError(self.source, reason, pointer=ptr or "")

    def obj(self, value: Any, ptr: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(ptr, f"expected an object, got {type(value).__name__}")
        return value

    def lst(self, value: Any, ptr: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(ptr, f"expected an array, got {type(value).__name__}")
        return value

    def string(self, value: Any, ptr: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(ptr, f"expected a non-empty string, got {json.dumps(value)[:60]}")
        return value

    def req_str(self, d: dict[str, Any], key: str, ptr: str) -> str:
        if key not in d:
            raise self.fail(ptr, f"missing required property {key!r}")
        s = self.string(d[key], f"{ptr}/{key}")
        assert s is not None
        return s

    def slug(self, d: dict[str, Any], key: str, ptr: str) -> str:
        s = self.req_str(d, key, ptr)
        if not _SLUG.match(s):
            raise self.fail(f"{ptr}/{key}", f"id {s!r} is not a lower-case slug [a-z0-9][a-z0-9-]*")
        return s

    def day(self, value: Any, ptr: str) -> date | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _DATE.match(value):
            raise self.fail(ptr, f"expected a date YYYY-MM-DD or null, got {json.dumps(value)[:60]}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(ptr, f"not a real date: {value!r}") from None

    def boolean(self, value: Any, ptr: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(ptr, f"expected true or false, got {json.dumps(value)[:60]}")
        return value

    def strings(self, value: Any, ptr: str) -> tuple[str, ...]:
        if value is None:
            return ()
        items = self.lst(value, ptr)
        return tuple(s for i, v in enumerate(items) if (s := self.string(v, f"{ptr}/{i}")) is not None)


def _check_file(source: str, doc: Any, known: _Known, *, base: bool) -> None:
    """Validate one file: the JSON schema, then structure, then references."""
    c = _Checker(source)
    top = c.obj(doc, "")
    errors = list(_schema_validator().iter_errors(top))
    for err in errors:
        kind = type(err.kind).__name__
        path = list(err.instance_path)
        # An overlay may patch a known id with only the fields it changes.
        if not base and kind == "Required" and _is_patch(top, path, known):
            continue
        if not base and kind == "Required" and not path:
            continue
        raise c.fail(_pointer(path), f"schema: {err.message}")
    sv = top.get("schema_version", 1)
    if not isinstance(sv, int) or isinstance(sv, bool) or sv != 1:
        raise c.fail("/schema_version", f"unsupported schema_version {sv!r} (this sbomscan reads 1)")
    if "version" in top:
        c.string(top["version"], "/version")
    file_sources = set(known.sources)
    for key, src in c.obj(top.get("sources", {}), "/sources").items():
        ptr = f"/sources/{_pointer([key])[1:]}"
        s = c.obj(src, ptr)
        c.req_str(s, "title", ptr)
        c.day(s.get("date"), f"{ptr}/date")
        file_sources.add(key)
    for name in _LISTS:
        c.lst(top.get(name, []), f"/{name}")
    ids: dict[str, set[str]] = {n: set() for n in _LISTS}
    for name in _LISTS:
        for i, item in enumerate(top.get(name, [])):
            ptr = f"/{name}/{i}"
            d = c.obj(item, ptr)
            eid = c.slug(d, "id", ptr)
            if eid in ids[name]:
                raise c.fail(f"{ptr}/id", f"duplicate id {eid!r} in {name}")
            ids[name].add(eid)
    auth_ids = known.authorities | ids["authorities"]
    entity_ids = known.entities | ids["entities"]

    def cite(d: dict[str, Any], ptr: str) -> None:
        for j, sid in enumerate(c.strings(d.get("sources"), f"{ptr}/sources")):
            if sid not in file_sources:
                raise c.fail(f"{ptr}/sources/{j}", f"unknown source id {sid!r}")

    for i, a in enumerate(top.get("authorities", [])):
        ptr = f"/authorities/{i}"
        new = a["id"] not in known.authorities
        if new:
            c.req_str(a, "title", ptr)
        for j, e in enumerate(c.lst(a.get("effective", []), f"{ptr}/effective")):
            eo = c.obj(e, f"{ptr}/effective/{j}")
            if c.day(eo.get("date"), f"{ptr}/effective/{j}/date") is None:
                raise c.fail(f"{ptr}/effective/{j}/date", "missing effective date")
        c.day(a.get("until"), f"{ptr}/until")
        c.strings(a.get("citations"), f"{ptr}/citations")
        for j, k in enumerate(c.strings(a.get("control"), f"{ptr}/control")):
            if k not in _KNOWN_KINDS:
                raise c.fail(
                    f"{ptr}/control/{j}",
                    f"unknown control kind {k!r} (known: {', '.join(sorted(_KNOWN_KINDS))})",
                )
        cite(a, ptr)
    for i, e in enumerate(top.get("entities", [])):
        ptr = f"/entities/{i}"
        if e["id"] not in known.entities or "name" in e:
            c.req_str(e, "name", ptr)
        c.string(e.get("country"), f"{ptr}/country", optional=True)
        c.boolean(e.get("unverified"), f"{ptr}/unverified")
        c.day(e.get("until"), f"{ptr}/until")
        cite(e, ptr)
        for j, al in enumerate(c.lst(e.get("aliases", []), f"{ptr}/aliases")):
            ap = f"{ptr}/aliases/{j}"
            ao = c.obj(al, ap)
            c.req_str(ao, "value", ap)
            c.day(ao.get("until"), f"{ap}/until")
            c.boolean(ao.get("unverified"), f"{ap}/unverified")
            cite(ao, ap)
        for j, rel in enumerate(c.lst(e.get("relations", []), f"{ptr}/relations")):
            rp = f"{ptr}/relations/{j}"
            ro = c.obj(rel, rp)
            rtype = c.req_str(ro, "type", rp)
            if rtype not in RELATION_KIND:
                raise c.fail(
                    f"{rp}/type", f"unknown relation type {rtype!r} (known: {', '.join(RELATION_KIND)})"
                )
            target = c.req_str(ro, "target", rp)
            if target not in entity_ids:
                raise c.fail(f"{rp}/target", f"relation target {target!r} is not a known entity id")
            if target == e["id"]:
                raise c.fail(f"{rp}/target", "an entity cannot be related to itself")
            since, until = c.day(ro.get("since"), f"{rp}/since"), c.day(ro.get("until"), f"{rp}/until")
            if since and until and until < since:
                raise c.fail(f"{rp}/until", f"until {until} is before since {since}")
            c.boolean(ro.get("unverified"), f"{rp}/unverified")
            cite(ro, rp)
        idents = c.obj(e.get("identifiers", {}), f"{ptr}/identifiers")
        for cat, items in idents.items():
            cp = f"{ptr}/identifiers/{cat}"
            if cat not in _ID_CATEGORIES:
                raise c.fail(cp, f"unknown identifier category {cat!r}")
            for j, it in enumerate(c.lst(items, cp)):
                ip = f"{cp}/{j}"
                io = c.obj(it, ip)
                if cat == "purls":
                    c.req_str(io, "type", ip)
                    c.string(io.get("namespace"), f"{ip}/namespace", optional=True)
                    c.string(io.get("name"), f"{ip}/name", optional=True)
                elif cat == "vcs_orgs":
                    c.req_str(io, "host", ip)
                    c.req_str(io, "org", ip)
                elif cat == "hashes":
                    c.req_str(io, "algorithm", ip)
                    c.req_str(io, "value", ip)
                else:
                    c.req_str(io, "value", ip)
                c.boolean(io.get("unverified"), f"{ip}/unverified")
                cite(io, ip)
        for j, aid in enumerate(c.strings(e.get("authorities"), f"{ptr}/authorities")):
            if aid not in auth_ids:
                raise c.fail(f"{ptr}/authorities/{j}", f"unknown authority id {aid!r}")
    for i, lp in enumerate(top.get("licensed_products", [])):
        ptr = f"/licensed_products/{i}"
        if lp["id"] not in known.licensed_products:
            for key in ("vendor", "product", "licensor"):
                c.req_str(lp, key, ptr)
        if "licensor" in lp and c.req_str(lp, "licensor", ptr) not in entity_ids:
            raise c.fail(f"{ptr}/licensor", f"licensor {lp['licensor']!r} is not a known entity id")
        c.strings(lp.get("names"), f"{ptr}/names")
        c.strings(lp.get("cpes"), f"{ptr}/cpes")
        c.day(lp.get("since"), f"{ptr}/since")
        c.day(lp.get("until"), f"{ptr}/until")
        c.boolean(lp.get("unverified"), f"{ptr}/unverified")
        cite(lp, ptr)


def _is_patch(top: dict[str, Any], path: list[Any], known: _Known) -> bool:
    if len(path) != 2 or path[0] not in _LISTS or not isinstance(path[1], int):
        return False
    try:
        item_id = top[path[0]][path[1]].get("id")
    except (IndexError, AttributeError, KeyError, TypeError):
        return False
    return bool(item_id in getattr(known, path[0]))


_KNOWN_KINDS = frozenset(RELATION_KIND.values()) | frozenset(k for _, k in _INVERSE.values())


class _Known:
    """Ids accumulated from the files merged so far."""

    def __init__(self) -> None:
        self.authorities: set[str] = set()
        self.entities: set[str] = set()
        self.licensed_products: set[str] = set()
        self.sources: set[str] = set()


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _extend(old: list[Any], new: list[Any]) -> list[Any]:
    seen = {_canon(v) for v in old}
    out = list(old)
    for v in new:
        k = _canon(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


_LIST_FIELDS = frozenset(
    {"aliases", "relations", "authorities", "sources", "names", "cpes", "citations", "effective"}
)


def _merge_item(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in new.items():
        if key in _LIST_FIELDS and isinstance(value, list) and isinstance(old.get(key), list):
            merged[key] = _extend(old[key], value)
        elif key == "identifiers" and isinstance(value, dict) and isinstance(old.get(key), dict):
            ids = dict(old[key])
            for cat, items in value.items():
                ids[cat] = _extend(ids.get(cat, []), items)
            merged[key] = ids
        else:
            merged[key] = value
    return merged


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key in ("schema_version", "version"):
        if key in overlay and key not in out:
            out[key] = overlay[key]
    out["sources"] = {**base.get("sources", {}), **overlay.get("sources", {})}
    for name in _LISTS:
        items = {item["id"]: item for item in base.get(name, [])}
        for item in overlay.get(name, []):
            items[item["id"]] = _merge_item(items[item["id"]], item) if item["id"] in items else item
        out[name] = list(items.values())
    return out


def load_entities(
    overlays: Sequence[str | PathLike[str] | Mapping[str, Any]] = (), *, include_default: bool = True
) -> EntityDatabase:
    """Load the shipped entity data and merge ``overlays`` (paths or already-parsed dicts)
    over it, in order. Every file is validated; a bad one raises :class:`EntityDataError`
    naming the file, the JSON pointer and the reason."""
    if isinstance(overlays, (str, PathLike)):
        overlays = [overlays]
    items: list[str | PathLike[str] | Mapping[str, Any]] = []
    if include_default:
        items.append(default_data_path())
    items.extend(overlays)
    merged: dict[str, Any] = {}
    known = _Known()
    for n, item in enumerate(items):
        source, doc = _read(item)
        base = n == 0
        _check_file(source, doc, known, base=base)
        merged = doc if base else _merge(merged, doc)
        known.sources |= set(doc.get("sources", {}))
        for name in _LISTS:
            getattr(known, name).update(x["id"] for x in doc.get(name, []))
    return _build(merged)


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _t(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


def _build(doc: dict[str, Any]) -> EntityDatabase:
    sources = {
        sid: Source(
            sid,
            s.get("title") or sid,
            s.get("url"),
            s.get("publisher"),
            _d(s.get("date")),
            s.get("confidence"),
        )
        for sid, s in doc.get("sources", {}).items()
    }
    authorities = {}
    for a in doc.get("authorities", []):
        authorities[a["id"]] = Authority(
            id=a["id"],
            title=a.get("title") or a["id"],
            instrument=a.get("instrument"),
            citations=_t(a.get("citations")),
            effective=tuple(
                EffectiveDate(date.fromisoformat(e["date"]), e.get("label")) for e in a.get("effective", [])
            ),
            until=_d(a.get("until")),
            scope=a.get("scope"),
            scope_text=a.get("scope_text"),
            control=frozenset(a.get("control") or ()),
            sources=_t(a.get("sources")),
        )
    entities = {}
    for e in doc.get("entities", []):
        ids = e.get("identifiers") or {}

        def vals(cat: str, ids: dict[str, Any] = ids) -> tuple[ValueId, ...]:
            return tuple(
                ValueId(i["value"], bool(i.get("unverified")), _t(i.get("sources"))) for i in ids.get(cat, [])
            )

        entities[e["id"]] = Entity(
            id=e["id"],
            name=e.get("name") or e["id"],
            country=e.get("country"),
            kind=e.get("kind") or "organization",
            unverified=bool(e.get("unverified")),
            aliases=tuple(
                Alias(
                    a["value"],
                    a.get("kind"),
                    a.get("lang"),
                    _d(a.get("until")),
                    bool(a.get("unverified")),
                    _t(a.get("sources")),
                )
                for a in e.get("aliases", [])
            ),
            relations=tuple(
                Relation(
                    r["type"],
                    r["target"],
                    _d(r.get("since")),
                    _d(r.get("until")),
                    bool(r.get("unverified")),
                    _t(r.get("sources")),
                )
                for r in e.get("relations", [])
            ),
            identifiers=Identifiers(
                cpe_vendors=vals("cpe_vendors"),
                purls=tuple(
                    PurlPattern(
                        p["type"],
                        p.get("namespace"),
                        p.get("name"),
                        bool(p.get("unverified")),
                        _t(p.get("sources")),
                    )
                    for p in ids.get("purls", [])
                ),
                domains=vals("domains"),
                email_domains=vals("email_domains"),
                vcs_orgs=tuple(
                    VcsOrg(v["host"], v["org"], bool(v.get("unverified")), _t(v.get("sources")))
                    for v in ids.get("vcs_orgs", [])
                ),
                swid_regids=vals("swid_regids"),
                products=vals("products"),
                hashes=tuple(
                    HashId(
                        h["algorithm"],
                        h["value"],
                        h.get("description"),
                        bool(h.get("unverified")),
                        _t(h.get("sources")),
                    )
                    for h in ids.get("hashes", [])
                ),
            ),
            authorities=_t(e.get("authorities")),
            sources=_t(e.get("sources")),
            until=_d(e.get("until")),
        )
    lps = [
        LicensedProduct(
            id=p["id"],
            vendor=p.get("vendor") or "",
            product=p.get("product") or "",
            names=_t(p.get("names")),
            cpes=_t(p.get("cpes")),
            licensor=p["licensor"],
            since=_d(p.get("since")),
            until=_d(p.get("until")),
            unverified=bool(p.get("unverified")),
            note=p.get("note"),
            sources=_t(p.get("sources")),
        )
        for p in doc.get("licensed_products", [])
    ]
    return EntityDatabase(
        version=str(doc.get("version", "")),
        schema_version=int(doc.get("schema_version", 1)),
        authorities=authorities,
        entities=entities,
        licensed_products=lps,
        sources=sources,
    )
