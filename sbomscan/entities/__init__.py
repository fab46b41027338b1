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

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date  # noqa: F401  (used by the doctest above)
from os import PathLike
from pathlib import Path
from typing import Any

from .database import EntityDatabase
from .kinds import KINDS, Kind
from .merge import build, merge
from .records import (
    BINDS,
    BUYER_BINDS,
    BUYERS,
    RELATION_KIND,
    Alias,
    AppId,
    Authority,
    Coverage,
    DataFile,
    EffectiveDate,
    Entity,
    HashId,
    Identifiers,
    LicensedProduct,
    Listing,
    PurlPattern,
    Relation,
    Source,
    ValueId,
    VcsOrg,
)
from .validate import LISTS, Known, check_file, default_data_path, default_schema_path, read_file

__all__ = [
    "BINDS",
    "BUYERS",
    "BUYER_BINDS",
    "KINDS",
    "RELATION_KIND",
    "Alias",
    "AppId",
    "Authority",
    "Coverage",
    "DataFile",
    "EffectiveDate",
    "Entity",
    "EntityDatabase",
    "HashId",
    "Identifiers",
    "Kind",
    "LicensedProduct",
    "Listing",
    "PurlPattern",
    "Relation",
    "Source",
    "ValueId",
    "VcsOrg",
    "default_data_path",
    "default_schema_path",
    "load_entities",
]


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
    known = Known()
    files: list[DataFile] = []
    for n, item in enumerate(items):
        source, doc = read_file(item)
        base = n == 0
        check_file(source, doc, known, base=base)
        files.append(DataFile(source, _version(doc), _digest(item, doc)))
        merged = doc if base else merge(merged, doc)
        known.sources |= set(doc.get("sources", {}))
        for name in LISTS:
            getattr(known, name).update(x["id"] for x in doc.get(name, []))
    db = build(merged)
    db.shipped = files[0] if include_default else None
    db.overlays = tuple(files[1:] if include_default else files)
    return db


def _version(doc: Any) -> str | None:
    v = doc.get("version") if isinstance(doc, Mapping) else None
    return v if isinstance(v, str) else None


def _digest(item: str | PathLike[str] | Mapping[str, Any], doc: Any) -> str:
    """The sha256 of a data file's bytes (read a second time: the files are small and
    validated first), or of the canonical JSON of data passed in memory."""
    if isinstance(item, Mapping):
        canon = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(canon.encode()).hexdigest()
    return hashlib.sha256(Path(item).read_bytes()).hexdigest()
