"""The one table of identifier kinds: what an entity's ``identifiers`` may hold.

Each :class:`Kind` row says everything the rest of sbomscan needs to know about one kind of
identifier (CPE vendors, purl patterns, domains, application ids...):

* the key it is written under in the entity data (``identifiers.app_ids``) and the record
  each item becomes (:class:`AppId`);
* the JSON schema of one item's own fields — the validator and the shipped
  ``data/entities.schema.json`` are built from it (a test keeps the file equal to the table);
* the fields that tell two items apart (``entities diff``) and the label a person reads
  (``entities show``);
* the matcher lookup it feeds (:data:`LOOKUPS`): the index is filled by reading this table,
  so a kind that fits an existing lookup matches with no change to the matcher.

Schema check, structural validation, merging, the records, ``entities diff``/``show`` and the
matcher's index all iterate :data:`KINDS` at call time, so adding a kind is one row here
(and, for a new shape of record, one record class here), the regenerated schema file, and
tests. ``docs/architecture.md``, "How to add an identifier kind", walks through it.

>>> [k.name for k in KINDS if k.lookup == "domain"]
['domains']
>>> kind("app_ids").label, kind("app_ids").keys
('app id', ('platform', 'value'))
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "KINDS",
    "LOOKUPS",
    "AppId",
    "HashId",
    "Identifiers",
    "Kind",
    "PurlPattern",
    "ValueId",
    "VcsOrg",
    "build_item",
    "kind",
    "schema_properties",
]


# ------------------------------------------------------------------ the item records


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


class AppId(NamedTuple):
    """A mobile application's identifier: an Android package name or an iOS bundle id.

    Matched as a whole value only (``com.zhiliaoapp.musically`` names the app; a library
    under ``com.zhiliaoapp`` or an id that merely starts the same does not): a rule about an
    application must not reach its maker's other software."""

    platform: str  # "android" | "ios"
    value: str
    unverified: bool = False
    sources: tuple[str, ...] = ()


_COMMON = ("unverified", "sources")
"""The fields every item record ends with: whether the fact is unverified, and the ids of
the sources that state it."""


# ------------------------------------------------------------------ the table


LOOKUPS: dict[str, str] = {
    "product-name": "a phrase: whole tokens of names, descriptions, properties (rule product-name)",
    "cpe-vendor": "the vendor field of a component's CPEs (rule cpe-vendor)",
    "purl": "type, namespace and name patterns of a component's purls (rules purl-namespace, purl-name)",
    "domain": "the host of every URL and e-mail address, and its parent domains (rule domain)",
    "email-domain": "the domain of e-mail addresses and its parent domains (rule email-domain)",
    "vcs-org": "the organisation of forge URLs and of github/gitlab/bitbucket/golang purls (rule vcs-org)",
    "swid-regid": "the SWID tag's regid (rule swid-regid)",
    "hash": "a component's hashes, by algorithm and value (rule hash)",
    "mirror-host": "not a match: hosts where the domain walk stops (public mirrors)",
    "app-id": "whole values of the name, purl name, SWID tag id and property values (rule app-id)",
}
"""The matcher's lookups a kind can feed, with what each reads in an SBOM. The matcher
(``sbomscan.match``) implements each; a kind needing a place no lookup reads needs a new
lookup there first."""


class Kind(NamedTuple):
    """One kind of identifier: one row of :data:`KINDS`."""

    name: str
    """The key under an entity's ``identifiers`` in the data, and the :class:`Identifiers` key."""
    label: str
    """What ``entities show`` calls one ("CPE vendor")."""
    record: type[Any]
    """The ``NamedTuple`` each item becomes; its fields without a default are required, the
    others optional, and it ends with ``unverified`` and ``sources``."""
    lookup: str
    """The matcher lookup it feeds (a key of :data:`LOOKUPS`)."""
    fields: Mapping[str, Any]
    """JSON schema of each of the record's own fields (not ``unverified``/``sources``)."""
    keys: tuple[str, ...]
    """The fields that tell two items apart, in the order ``entities diff`` shows them."""
    description: str | None = None
    """Said in the schema file next to the kind."""

    @property
    def required(self) -> tuple[str, ...]:
        """The record's fields without a default: every item must state them."""
        return tuple(f for f in self.record._fields if f not in self.record._field_defaults)

    @property
    def optional(self) -> tuple[str, ...]:
        """The record's own fields with a default (``unverified``/``sources`` excepted)."""
        return tuple(f for f in self.record._fields if f in self.record._field_defaults and f not in _COMMON)

    def item_schema(self) -> dict[str, Any]:
        """The JSON schema of one item."""
        return {
            "type": "object",
            "properties": {
                **self.fields,
                "unverified": {"type": "boolean"},
                "sources": {"$ref": "#/$defs/sourceRefs"},
            },
            "required": list(self.required),
            "additionalProperties": False,
        }


_HOST = {"type": "string", "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"}
_TEXT = {"type": "string", "minLength": 1}
_HASH_ALGORITHMS = [
    "MD5",
    "SHA-1",
    "SHA-256",
    "SHA-384",
    "SHA-512",
    "SHA3-256",
    "SHA3-384",
    "SHA3-512",
    "BLAKE2b-256",
    "BLAKE2b-384",
    "BLAKE2b-512",
    "BLAKE3",
]

KINDS: tuple[Kind, ...] = (
    Kind(
        "cpe_vendors",
        "CPE vendor",
        ValueId,
        "cpe-vendor",
        {"value": {"type": "string", "pattern": "^[^\\s:]+$"}},
        ("value",),
    ),
    Kind(
        "purls",
        "purl",
        PurlPattern,
        "purl",
        {"type": {"type": "string", "pattern": "^[a-z][a-z0-9.+-]*$"}, "namespace": _TEXT, "name": _TEXT},
        ("type", "namespace", "name"),
    ),
    Kind("domains", "domain", ValueId, "domain", {"value": _HOST}, ("value",)),
    Kind("email_domains", "e-mail domain", ValueId, "email-domain", {"value": _HOST}, ("value",)),
    Kind("vcs_orgs", "VCS organisation", VcsOrg, "vcs-org", {"host": _TEXT, "org": _TEXT}, ("host", "org")),
    Kind("swid_regids", "SWID regid", ValueId, "swid-regid", {"value": _TEXT}, ("value",)),
    Kind("products", "product", ValueId, "product-name", {"value": _TEXT}, ("value",)),
    Kind(
        "hashes",
        "hash",
        HashId,
        "hash",
        {
            "algorithm": {"enum": _HASH_ALGORITHMS},
            "value": {"type": "string", "pattern": "^[0-9a-fA-F]{32,128}$"},
            "description": _TEXT,
        },
        ("value", "algorithm"),  # value first: how entities diff has always shown a hash
    ),
    Kind(
        "mirror_hosts",
        "mirror host",
        ValueId,
        "mirror-host",
        {"value": _HOST},
        ("value",),
        "Hosts under the entity's domains that serve other people's content (public package mirrors): "
        "a URL on one of them, or below it, never identifies anyone by domain.",
    ),
    Kind(
        "app_ids",
        "app id",
        AppId,
        "app-id",
        {
            "platform": {"enum": ["android", "ios"]},
            # dot-separated segments of letters, digits, "_" and "-", at least two (a bare
            # word would be a name, not an id); the matcher's quick path relies on the dot
            "value": {"type": "string", "pattern": "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+$"},
        },
        ("platform", "value"),
        "Mobile application ids (Android package name, iOS bundle id), matched as whole values against "
        "component names, purl names, SWID tag ids and property values; never as a prefix.",
    ),
)
"""Every identifier kind, in the order ``entities show`` lists them. Read it at call time
(``kinds.KINDS``), never copy it at import: a test adds a row to see it flow through."""


def kind(name: str) -> Kind:
    """The row named ``name``; ``KeyError`` when there is none."""
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(name)


def schema_properties() -> dict[str, Any]:
    """``$defs/identifiers/properties`` of the entity-data schema, one array per kind."""
    out: dict[str, Any] = {}
    for k in KINDS:
        prop: dict[str, Any] = {"type": "array"}
        if k.description:
            prop["description"] = k.description
        prop["items"] = k.item_schema()
        out[k.name] = prop
    return out


def with_kinds(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` (the entity-data schema as loaded) with its identifier kinds taken from
    :data:`KINDS`: what the validator checks, whatever the file on disk says."""
    out = json.loads(json.dumps(schema))
    out["$defs"]["identifiers"]["properties"] = schema_properties()
    return dict(out)


def write_schema(path: Path) -> None:
    """Rewrite the schema file at ``path`` with the table's kinds (run after adding a row:
    ``tests/test_entity_kinds.py`` fails until the shipped file agrees with the table)."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(with_kinds(schema), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build_item(k: Kind, item: Mapping[str, Any]) -> Any:
    """One validated item of the data as its kind's record."""
    sources = item.get("sources")
    return k.record(
        **{f: item.get(f) for f in k.required + k.optional},
        unverified=bool(item.get("unverified")),
        sources=tuple(sources) if isinstance(sources, list) else (),
    )


# ------------------------------------------------------------------ an entity's identifiers


class Identifiers(Mapping[str, tuple[Any, ...]]):
    """An entity's identifiers by kind name: every kind of :data:`KINDS` is a key (with
    ``()`` when the entity has none), read as ``ids["app_ids"]`` or ``ids.app_ids``.

    Immutable, hashable and picklable like the other records. Built from keyword arguments
    or a mapping; a name that is no kind is refused, so a typo cannot read as "none".

    >>> ids = Identifiers(domains=(ValueId("zte.com.cn"),))
    >>> ids.domains == ids["domains"], ids.app_ids, "domains" in ids
    (True, (), True)
    """

    __slots__ = ("_items",)
    _items: dict[str, tuple[Any, ...]]

    def __init__(self, items: Mapping[str, Iterable[Any]] | None = None, /, **by_kind: Iterable[Any]) -> None:
        given = {**(items or {}), **by_kind}
        names = {k.name for k in KINDS}
        unknown = sorted(set(given) - names)
        if unknown:
            raise TypeError(f"unknown identifier kind(s): {', '.join(unknown)}")
        object.__setattr__(self, "_items", {n: t for n, v in given.items() if (t := tuple(v))})

    def __getitem__(self, name: str) -> tuple[Any, ...]:
        found = self._items.get(name)
        if found is not None:
            return found
        kind(name)  # KeyError for a name that is no kind
        return ()

    def __getattr__(self, name: str) -> tuple[Any, ...]:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no identifier kind {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Identifiers is immutable")

    def __iter__(self) -> Iterator[str]:
        return iter([k.name for k in KINDS])

    def __len__(self) -> int:
        return len(KINDS)

    def __contains__(self, name: object) -> bool:
        return any(k.name == name for k in KINDS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Identifiers):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._items.items())))

    def __repr__(self) -> str:
        return f"Identifiers({', '.join(f'{n}={v!r}' for n, v in self._items.items())})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Identifiers, (self._items,))
