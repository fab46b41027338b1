"""Merging overlays by id, and building the records from the merged data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from . import kinds
from .database import EntityDatabase
from .kinds import Identifiers, build_item
from .records import (
    Alias,
    Authority,
    EffectiveDate,
    Entity,
    LicensedProduct,
    Listing,
    Relation,
    Source,
)
from .validate import LISTS

__all__ = ["build", "merge"]


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
    {
        "aliases",
        "relations",
        "authorities",
        "sources",
        "names",
        "cpes",
        "citations",
        "effective",
        "listings",
        "binds",
    }
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


def merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key in ("schema_version", "version"):
        if key in overlay and key not in out:
            out[key] = overlay[key]
    out["sources"] = {**base.get("sources", {}), **overlay.get("sources", {})}
    for name in LISTS:
        items = {item["id"]: item for item in base.get(name, [])}
        for item in overlay.get(name, []):
            items[item["id"]] = _merge_item(items[item["id"]], item) if item["id"] in items else item
        out[name] = list(items.values())
    return out


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _t(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


def _identifiers(ids: dict[str, Any]) -> Identifiers:
    """An entity's validated ``identifiers`` object as records, kind by kind
    (:data:`sbomscan.entities.kinds.KINDS`)."""
    return Identifiers({k.name: [build_item(k, i) for i in ids.get(k.name, ())] for k in kinds.KINDS})


def build(doc: dict[str, Any]) -> EntityDatabase:
    """The typed :class:`EntityDatabase` of a validated (and merged) entity document.

    Validation has already refused what does not fit the schema, so each record is built
    field for field, with the documented defaults for what the data leaves out (a title
    or name falls back to the id, a kind to "organization").
    """
    sources = {sid: _source(sid, s) for sid, s in doc.get("sources", {}).items()}
    authorities = {a["id"]: _authority(a) for a in doc.get("authorities", [])}
    entities = {e["id"]: _entity(e) for e in doc.get("entities", [])}
    lps = [_licensed_product(p) for p in doc.get("licensed_products", [])]
    return EntityDatabase(
        version=str(doc.get("version", "")),
        schema_version=int(doc.get("schema_version", 1)),
        authorities=authorities,
        entities=entities,
        licensed_products=lps,
        sources=sources,
    )


def _source(sid: str, s: dict[str, Any]) -> Source:
    return Source(
        sid, s.get("title") or sid, s.get("url"), s.get("publisher"), _d(s.get("date")), s.get("confidence")
    )


def _authority(a: dict[str, Any]) -> Authority:
    return Authority(
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
        binds=_t(a.get("binds")),
        names_listed_on=a.get("names_listed_on"),
        prohibits=a.get("prohibits", True) is not False,
    )


def _entity(e: dict[str, Any]) -> Entity:
    return Entity(
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
        identifiers=_identifiers(e.get("identifiers") or {}),
        authorities=_t(e.get("authorities")),
        sources=_t(e.get("sources")),
        until=_d(e.get("until")),
        listings=tuple(_listing(li) for li in e.get("listings", [])),
    )


def _listing(li: dict[str, Any]) -> Listing:
    return Listing(
        authority=li["authority"],
        since=date.fromisoformat(li["since"]),
        until=_d(li.get("until")),
        entry=li.get("entry"),
        scope=li.get("scope"),
        note=li.get("note"),
        unverified=bool(li.get("unverified")),
        sources=_t(li.get("sources")),
    )


def _licensed_product(p: dict[str, Any]) -> LicensedProduct:
    return LicensedProduct(
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
