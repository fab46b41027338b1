"""``sbomscan entities diff OLD NEW``: what changed between two entity-data files or overlays.

A data update is reviewed the way a law change is: which entities, aliases, identifiers,
relations, authorities, list entries and dates were added, removed or changed. The two
files are compared as written (not merged with the shipped data), item by item by id, and
inside an item list by list: an alias by its value, an identifier by its value, a relation
by (type, target), a listing by (authority, since), an authority's dates by label.

>>> old = {"version": "1", "entities": [{"id": "k", "name": "K Lab", "aliases": [{"value": "K"}]}]}
>>> new = {"version": "2", "entities": [{"id": "k", "name": "K Lab", "aliases": []},
...                                     {"id": "z", "name": "Z Corp"}]}
>>> print(render_text(diff_data(old, new)))
entity data 1 → 2
+ entity z (Z Corp)
~ entity k (K Lab): alias − K
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import kinds

__all__ = ["diff_data", "render_text"]

_ENTITY_FIELDS = ("name", "country", "kind", "until", "unverified", "note")
_AUTHORITY_FIELDS = (
    "title",
    "instrument",
    "until",
    "scope",
    "scope_text",
    "names_listed_on",
    "prohibits",
)
_SINGULAR = {"aliases": "alias", "relations": "relation", "listings": "listing", "authorities": "authority"}


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _items(doc: Mapping[str, Any], key: str) -> dict[str, Mapping[str, Any]]:
    items = doc.get(key) if isinstance(doc, Mapping) else None
    return {str(i["id"]): i for i in items or [] if isinstance(i, Mapping) and "id" in i}


def _keyed(
    old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], str]
) -> tuple[list[Any], list[Any], list[tuple[Any, Any]]]:
    """Added, removed, and changed (same key, other content) items of two lists."""
    a = {key(x): x for x in old or []}
    b = {key(x): x for x in new or []}
    added = [b[k] for k in b if k not in a]
    removed = [a[k] for k in a if k not in b]
    changed = [(a[k], b[k]) for k in a if k in b and _canon(a[k]) != _canon(b[k])]
    return added, removed, changed


def _fields(old: Mapping[str, Any], new: Mapping[str, Any], names: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"field": f, "old": old.get(f), "new": new.get(f)}
        for f in names
        if f in old or f in new
        if _canon(old.get(f)) != _canon(new.get(f))
    ]


def _list_change(
    field: str, old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], str], show: Callable[[Any], str]
) -> list[dict[str, Any]]:
    added, removed, changed = _keyed(old, new, key)
    out: list[dict[str, Any]] = []
    if added or removed:
        out.append({"field": field, "added": [show(x) for x in added], "removed": [show(x) for x in removed]})
    for a, b in changed:
        out.append({"field": field, "item": show(b), "old": a, "new": b})
    return out


def _value(x: Any) -> str:
    return str(x.get("value")) if isinstance(x, Mapping) else str(x)


def _ident(category: str) -> tuple[Callable[[Any], str], Callable[[Any], str]]:
    """How an item of identifier kind ``category`` is keyed and shown.

    The key is the item's kind's ``keys`` (:mod:`sbomscan.entities.kinds`) as a structure, an
    absent field included: a purl pattern naming namespace ``huawei`` and one naming the
    package ``huawei`` are two items, as are namespace ``a/b`` and namespace ``a`` with name
    ``b`` (joining the texts made each pair one, so adding the second of a pair was not
    reported). It is shown as those fields joined by "/" (``maven/com.huawei.hms``), an
    absent field before a present one as nothing (``npm//huawei``: a name without a
    namespace). For a category no kind has (the files are compared unvalidated), its text
    fields."""
    try:
        keys: tuple[str, ...] | None = kinds.kind(category).keys
    except KeyError:
        keys = None

    def fields(x: Mapping[str, Any]) -> list[Any]:
        names = keys if keys is not None else tuple(k for k, v in x.items() if isinstance(v, str))
        values = [x.get(k) for k in names]
        while values and values[-1] is None:
            values.pop()
        return values

    def key(x: Any) -> str:
        return _canon(fields(x)) if isinstance(x, Mapping) else str(x)

    def show(x: Any) -> str:
        if not isinstance(x, Mapping):
            return str(x)
        return "/".join("" if v is None else str(v) for v in fields(x))

    return key, show


def _relation(x: Any) -> str:
    return f"{x.get('type')} {x.get('target')}" if isinstance(x, Mapping) else str(x)


def _listing(x: Any) -> str:
    return f"{x.get('authority')} since {x.get('since')}" if isinstance(x, Mapping) else str(x)


def _entity_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    changes = _fields(old, new, _ENTITY_FIELDS)
    changes += _list_change("aliases", old.get("aliases", []), new.get("aliases", []), _value, _value)
    oid, nid = old.get("identifiers") or {}, new.get("identifiers") or {}
    for cat in sorted(set(oid) | set(nid)):
        key, show = _ident(cat)
        changes += _list_change(f"identifiers.{cat}", oid.get(cat, []), nid.get(cat, []), key, show)
    changes += _list_change(
        "relations", old.get("relations", []), new.get("relations", []), _relation, _relation
    )
    changes += _list_change("authorities", old.get("authorities", []), new.get("authorities", []), str, str)
    changes += _list_change("listings", old.get("listings", []), new.get("listings", []), _listing, _listing)
    return changes


def _authority_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    changes = _fields(old, new, _AUTHORITY_FIELDS)

    def label(e: Any) -> str:
        return str(e.get("label") or e.get("date")) if isinstance(e, Mapping) else str(e)

    def shown(e: Any) -> str:
        return (
            f"{e.get('date')} ({e.get('label')})"
            if isinstance(e, Mapping) and e.get("label")
            else str(e.get("date") if isinstance(e, Mapping) else e)
        )

    changes += _list_change("effective", old.get("effective", []), new.get("effective", []), label, shown)
    for field in ("citations", "control", "binds"):
        changes += _list_change(field, old.get(field, []), new.get(field, []), str, str)
    return changes


def _section(
    old: Mapping[str, Any], new: Mapping[str, Any], key: str, changes: Callable[..., list[dict[str, Any]]]
) -> dict[str, Any]:
    a, b = _items(old, key), _items(new, key)
    return {
        "added": [{"id": i, "name": b[i].get("name") or b[i].get("title")} for i in b if i not in a],
        "removed": [{"id": i, "name": a[i].get("name") or a[i].get("title")} for i in a if i not in b],
        "changed": [
            {"id": i, "name": b[i].get("name") or b[i].get("title"), "changes": ch}
            for i in a
            if i in b and (ch := changes(a[i], b[i]))
        ],
    }


def diff_data(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The differences between two entity-data documents (parsed JSON), as JSON data."""
    os_, ns_ = old.get("sources") or {}, new.get("sources") or {}
    return {
        "old_version": old.get("version"),
        "new_version": new.get("version"),
        "authorities": _section(old, new, "authorities", _authority_changes),
        "entities": _section(old, new, "entities", _entity_changes),
        "licensed_products": _section(
            old, new, "licensed_products", lambda a, b: _fields(a, b, sorted(set(a) | set(b) - {"id"}))
        ),
        "sources": {
            "added": sorted(set(ns_) - set(os_)),
            "removed": sorted(set(os_) - set(ns_)),
            "changed": sorted(k for k in set(os_) & set(ns_) if _canon(os_[k]) != _canon(ns_[k])),
        },
    }


def _describe(change: Mapping[str, Any]) -> str:
    field = change["field"]
    if "added" in change:
        parts = [f"+ {x}" for x in change["added"]] + [f"− {x}" for x in change["removed"]]
        return f"{_SINGULAR.get(field, field)} " + ", ".join(parts)
    if "item" in change:
        a, b = change["old"], change["new"]
        diffs = [f"{k} {a.get(k)} → {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        return f"{_SINGULAR.get(field, field)} {change['item']}: " + "; ".join(diffs)
    return f"{field} {change['old']} → {change['new']}"


def render_text(d: Mapping[str, Any]) -> str:
    """One line per added or removed item, one per changed item with its changes."""
    lines = [f"entity data {d['old_version']} → {d['new_version']}"]
    for section, word in (
        ("authorities", "authority"),
        ("entities", "entity"),
        ("licensed_products", "licensed product"),
    ):
        s = d[section]
        lines += [f"+ {word} {x['id']} ({x['name']})" for x in s["added"]]
        lines += [f"− {word} {x['id']} ({x['name']})" for x in s["removed"]]
        for x in s["changed"]:
            lines.append(
                f"~ {word} {x['id']} ({x['name']}): " + "; ".join(_describe(c) for c in x["changes"])
            )
    src = d["sources"]
    if src["added"] or src["removed"] or src["changed"]:
        lines.append(
            f"sources: {len(src['added'])} added, {len(src['removed'])} removed, {len(src['changed'])} changed"
        )
    if len(lines) == 1:
        lines.append("no differences")
    return "\n".join(lines)
