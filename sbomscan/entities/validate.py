"""Finding and reading entity files, and refusing bad ones precisely.

Every file is checked against ``data/entities.schema.json`` (with ``jsonschema_rs``) and
then structurally and semantically (types, dates, ids, unknown relation targets, authority
and source ids, duplicates), so that the error names the file, the JSON pointer and the
reason — also while the schema is still loose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from importlib import resources
from os import PathLike, fspath
from pathlib import Path
from typing import Any

from ..errors import EntityDataError
from . import kinds
from .records import BINDS, INVERSE, RELATION_KIND

__all__ = ["LISTS", "Known", "check_file", "default_data_path", "default_schema_path", "read_file"]


def _resource(name: str) -> Path:
    try:
        candidate = resources.files("sbomscan") / "_data" / name
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, FileNotFoundError, TypeError):  # pragma: no cover - odd installs
        pass
    return Path(__file__).resolve().parent.parent.parent / "data" / name


def default_data_path() -> Path:
    """The shipped entity data: ``sbomscan/_data/entities.json`` in a wheel, else the
    checkout's ``data/entities.json``."""
    return _resource("entities.json")


def default_schema_path() -> Path:
    """The JSON schema beside the shipped data."""
    return _resource("entities.schema.json")


_validator: tuple[tuple[kinds.Kind, ...], Any] | None = None
"""The schema validator, and the table of kinds it was built for."""


def _schema_validator() -> Any:
    """The schema validator for the current table of identifier kinds: the shipped schema
    with its identifier kinds taken from :data:`sbomscan.entities.kinds.KINDS` (which a test
    keeps equal to the file), built again only when the table is another one."""
    global _validator
    table = kinds.KINDS
    if _validator is None or _validator[0] is not table:
        _validator = (table, _build_validator())
    return _validator[1]


def _build_validator() -> Any:
    import jsonschema_rs

    path = default_schema_path()
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        return jsonschema_rs.validator_for(kinds.with_kinds(schema))
    except (OSError, ValueError, KeyError, TypeError) as exc:  # a broken installation, not the user's file
        raise EntityDataError(str(path), f"the entity-data schema cannot be used: {exc}") from None


def _pointer(parts: Iterable[object]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def read_file(item: str | PathLike[str] | Mapping[str, Any]) -> tuple[str, Any]:
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
LISTS = ("authorities", "entities", "licensed_products")


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


def check_file(source: str, doc: Any, known: Known, *, base: bool) -> None:
    """Validate one file: the JSON schema, then structure, then references. The checks run
    in this fixed order and the first problem is raised, so a file gives the same error
    every time: the schema, ``schema_version``, ``sources``, the lists and their ids, then
    each authority, entity and licensed product in file order."""
    c = _Checker(source)
    top = c.obj(doc, "")
    _check_schema(c, top, known, base=base)
    refs = _References(c, known, _file_sources(c, top, known), _list_ids(c, top))
    for i, a in enumerate(top.get("authorities", [])):
        refs.authority(a, f"/authorities/{i}")
    for i, e in enumerate(top.get("entities", [])):
        refs.entity(e, f"/entities/{i}")
    for i, lp in enumerate(top.get("licensed_products", [])):
        refs.licensed_product(lp, f"/licensed_products/{i}")


def _check_schema(c: _Checker, top: dict[str, Any], known: Known, *, base: bool) -> None:
    """The JSON schema's first error, except the ``Required`` ones an overlay may leave:
    a patch of a known id carries only the fields it changes."""
    for err in _schema_validator().iter_errors(top):
        kind = type(err.kind).__name__
        path = list(err.instance_path)
        if not base and kind == "Required" and (not path or _is_patch(top, path, known)):
            continue
        raise c.fail(_pointer(path), f"schema: {err.message}")


def _file_sources(c: _Checker, top: dict[str, Any], known: Known) -> set[str]:
    """``schema_version`` and ``version``, then the source ids a record may cite: those of
    the files merged so far and this file's ``sources`` (each with a title)."""
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
    return file_sources


def _list_ids(c: _Checker, top: dict[str, Any]) -> dict[str, set[str]]:
    """Each list is an array of objects with a slug ``id``, unique within the list."""
    for name in LISTS:
        c.lst(top.get(name, []), f"/{name}")
    ids: dict[str, set[str]] = {n: set() for n in LISTS}
    for name in LISTS:
        for i, item in enumerate(top.get(name, [])):
            ptr = f"/{name}/{i}"
            eid = c.slug(c.obj(item, ptr), "id", ptr)
            if eid in ids[name]:
                raise c.fail(f"{ptr}/id", f"duplicate id {eid!r} in {name}")
            ids[name].add(eid)
    return ids


class _References:
    """The record checks of one file, knowing every id a record may refer to: the source,
    authority and entity ids of the files merged so far and of this file."""

    def __init__(self, c: _Checker, known: Known, sources: set[str], ids: dict[str, set[str]]) -> None:
        self.c, self.known, self.sources = c, known, sources
        self.auth_ids = known.authorities | ids["authorities"]
        self.entity_ids = known.entities | ids["entities"]

    def cite(self, d: dict[str, Any], ptr: str) -> None:
        for j, sid in enumerate(self.c.strings(d.get("sources"), f"{ptr}/sources")):
            if sid not in self.sources:
                raise self.c.fail(f"{ptr}/sources/{j}", f"unknown source id {sid!r}")

    def authority(self, a: dict[str, Any], ptr: str) -> None:
        c = self.c
        if a["id"] not in self.known.authorities:
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
        _check_scope_fields(c, a, ptr, self.auth_ids)
        self.cite(a, ptr)

    def entity(self, e: dict[str, Any], ptr: str) -> None:
        c = self.c
        if e["id"] not in self.known.entities or "name" in e:
            c.req_str(e, "name", ptr)
        c.string(e.get("country"), f"{ptr}/country", optional=True)
        c.boolean(e.get("unverified"), f"{ptr}/unverified")
        c.day(e.get("until"), f"{ptr}/until")
        self.cite(e, ptr)
        for j, al in enumerate(c.lst(e.get("aliases", []), f"{ptr}/aliases")):
            ap = f"{ptr}/aliases/{j}"
            ao = c.obj(al, ap)
            c.req_str(ao, "value", ap)
            c.day(ao.get("until"), f"{ap}/until")
            c.boolean(ao.get("unverified"), f"{ap}/unverified")
            self.cite(ao, ap)
        for j, rel in enumerate(c.lst(e.get("relations", []), f"{ptr}/relations")):
            self.relation(e["id"], rel, f"{ptr}/relations/{j}")
        idents = c.obj(e.get("identifiers", {}), f"{ptr}/identifiers")
        for cat, items in idents.items():
            _check_identifiers(c, cat, items, f"{ptr}/identifiers/{cat}", self.cite)
        for j, aid in enumerate(c.strings(e.get("authorities"), f"{ptr}/authorities")):
            if aid not in self.auth_ids:
                raise c.fail(f"{ptr}/authorities/{j}", f"unknown authority id {aid!r}")
        for j, li in enumerate(c.lst(e.get("listings", []), f"{ptr}/listings")):
            self.listing(li, f"{ptr}/listings/{j}")

    def relation(self, eid: str, rel: Any, rp: str) -> None:
        c = self.c
        ro = c.obj(rel, rp)
        rtype = c.req_str(ro, "type", rp)
        if rtype not in RELATION_KIND:
            raise c.fail(f"{rp}/type", f"unknown relation type {rtype!r} (known: {', '.join(RELATION_KIND)})")
        target = c.req_str(ro, "target", rp)
        if target not in self.entity_ids:
            raise c.fail(f"{rp}/target", f"relation target {target!r} is not a known entity id")
        if target == eid:
            raise c.fail(f"{rp}/target", "an entity cannot be related to itself")
        since, until = c.day(ro.get("since"), f"{rp}/since"), c.day(ro.get("until"), f"{rp}/until")
        if since and until and until < since:
            raise c.fail(f"{rp}/until", f"until {until} is before since {since}")
        c.boolean(ro.get("unverified"), f"{rp}/unverified")
        self.cite(ro, rp)

    def listing(self, li: Any, lp: str) -> None:
        c = self.c
        lo = c.obj(li, lp)
        aid = c.req_str(lo, "authority", lp)
        if aid not in self.auth_ids:
            raise c.fail(f"{lp}/authority", f"unknown authority id {aid!r}")
        if "since" not in lo:
            raise c.fail(lp, "missing required property 'since' (the entry's date of inclusion)")
        since = c.day(lo.get("since"), f"{lp}/since")
        if since is None:
            raise c.fail(f"{lp}/since", "a listing needs its date of inclusion, not null")
        until = c.day(lo.get("until"), f"{lp}/until")
        if until is not None and until <= since:
            raise c.fail(f"{lp}/until", f"until {until} is not after since {since}")
        c.string(lo.get("entry"), f"{lp}/entry", optional=True)
        c.string(lo.get("scope"), f"{lp}/scope", optional=True)
        c.boolean(lo.get("unverified"), f"{lp}/unverified")
        self.cite(lo, lp)

    def licensed_product(self, lp: dict[str, Any], ptr: str) -> None:
        c = self.c
        if lp["id"] not in self.known.licensed_products:
            for key in ("vendor", "product", "licensor"):
                c.req_str(lp, key, ptr)
        if "licensor" in lp and c.req_str(lp, "licensor", ptr) not in self.entity_ids:
            raise c.fail(f"{ptr}/licensor", f"licensor {lp['licensor']!r} is not a known entity id")
        c.strings(lp.get("names"), f"{ptr}/names")
        c.strings(lp.get("cpes"), f"{ptr}/cpes")
        c.day(lp.get("since"), f"{ptr}/since")
        c.day(lp.get("until"), f"{ptr}/until")
        c.boolean(lp.get("unverified"), f"{ptr}/unverified")
        self.cite(lp, ptr)


def _check_identifiers(
    c: _Checker, cat: str, items: Any, cp: str, cite: Callable[[dict[str, Any], str], None]
) -> None:
    """The items of one identifier kind (:mod:`sbomscan.entities.kinds`): its record's
    required fields as non-empty strings, its optional ones as strings when given; the
    patterns and enumerations are the schema's, from the same table."""
    try:
        k = kinds.kind(cat)
    except KeyError:
        known = ", ".join(k.name for k in kinds.KINDS)
        raise c.fail(cp, f"unknown identifier category {cat!r} (known: {known})") from None
    for j, it in enumerate(c.lst(items, cp)):
        ip = f"{cp}/{j}"
        io = c.obj(it, ip)
        for f in k.required:
            c.req_str(io, f, ip)
        for f in k.optional:
            c.string(io.get(f), f"{ip}/{f}", optional=True)
        c.boolean(io.get("unverified"), f"{ip}/unverified")
        cite(io, ip)


def _check_scope_fields(c: _Checker, a: dict[str, Any], ptr: str, auth_ids: set[str]) -> None:
    """``binds`` (whom the authority binds), ``names_listed_on`` (a known list authority,
    not itself) and ``prohibits``."""
    for j, b in enumerate(c.strings(a.get("binds"), f"{ptr}/binds")):
        if b not in BINDS:
            raise c.fail(f"{ptr}/binds/{j}", f"unknown buyer scope {b!r} (known: {', '.join(BINDS)})")
    ref = c.string(a.get("names_listed_on"), f"{ptr}/names_listed_on", optional=True)
    if ref is not None and (ref not in auth_ids or ref == a.get("id")):
        raise c.fail(f"{ptr}/names_listed_on", f"{ref!r} is not another known authority id")
    c.boolean(a.get("prohibits", False), f"{ptr}/prohibits")


def _is_patch(top: dict[str, Any], path: list[Any], known: Known) -> bool:
    if len(path) != 2 or path[0] not in LISTS or not isinstance(path[1], int):
        return False
    try:
        item_id = top[path[0]][path[1]].get("id")
    except (IndexError, AttributeError, KeyError, TypeError):
        return False
    return bool(item_id in getattr(known, path[0]))


_KNOWN_KINDS = frozenset(RELATION_KIND.values()) | frozenset(k for _, k in INVERSE.values())


class Known:
    """Ids accumulated from the files merged so far."""

    def __init__(self) -> None:
        self.authorities: set[str] = set()
        self.entities: set[str] = set()
        self.licensed_products: set[str] = set()
        self.sources: set[str] = set()
