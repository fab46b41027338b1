"""``sbomscan entities import``: the U.S. Consolidated Screening List export as an overlay.

The Consolidated Screening List (CSL) of the International Trade Administration merges the
export-control and sanctions lists of Commerce, State and the Treasury (Entity List,
Military End User List, SDN List...). Buyers already screen against it. Its bulk export
(``consolidated.csv`` or ``consolidated.json``) has one record per listed party: ``name``,
``alt_names``, ``source`` (the list), ``programs``, ``addresses``, ``start_date``,
``end_date``, ``federal_register_notice``...

An import turns the *organisations* of the export (records typed ``Entity`` or untyped;
individuals, vessels and aircraft are left out) into an overlay: one list authority per
source list (scope ``screening-list``, binding ``us-persons``), one entity per
organisation with its name and every alternate name as aliases, and one listing per record
tying the entity to its list and its date. A screening list is not a procurement ban, so a
match under it alone is at most ``review``; when a record's name is the name or alias of an
entity the data already has (Huawei on the Entity List), the listing is added to that
entity instead, and the procurement laws that cover it still decide.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from ..errors import EntityDataError
from ..identifiers.text import normalize_name
from .database import EntityDatabase

__all__ = ["CSL_DOWNLOAD", "MAX_BYTES", "CslImport", "import_csl", "read_csl"]

CSL_DOWNLOAD = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"
"""Where the export is published (``consolidated.csv`` beside it)."""

_LEFT_OUT_TYPES = frozenset({"individual", "vessel", "aircraft"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_BYTES = 512 * 1024 * 1024
"""The largest export read (the real one is tens of MB)."""


class CslImport(NamedTuple):
    """The overlay made from an export, and what was left out (for the command's summary)."""

    overlay: dict[str, Any]
    records: int
    organisations: int
    left_out: int
    existing: tuple[str, ...]
    """Ids of entities already in the data that received a listing."""


def read_csl(name: str, raw: bytes) -> list[dict[str, Any]]:
    """The records of a CSL export, CSV or JSON (told apart by their first character), with
    multi-valued CSV fields (``"a; b"``) split into lists."""
    if len(raw) > MAX_BYTES:
        raise EntityDataError(name, f"larger than {MAX_BYTES // 2**20} MiB: not a CSL export")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EntityDataError(name, f"not UTF-8 (byte {exc.start})") from None
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return _json_records(name, text)
    return _csv_records(name, text)


def _json_records(name: str, text: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise EntityDataError(name, f"invalid JSON: {exc}") from None
    records = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise EntityDataError(name, "not a CSL export: expected a list of records or {'results': [...]}")
    return records


def _csv_records(name: str, text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "name" not in reader.fieldnames or "source" not in reader.fieldnames:
        raise EntityDataError(name, "not a CSL export: the CSV header has no 'name' and 'source' columns")
    out: list[dict[str, Any]] = []
    for row in reader:
        rec: dict[str, Any] = {k: (v or "").strip() for k, v in row.items() if k}
        for key in ("alt_names", "programs"):
            rec[key] = [p.strip() for p in rec.get(key, "").split(";") if p.strip()]
        rec["addresses"] = [
            {"country": _csv_country(a)} for a in rec.get("addresses", "").split(";") if a.strip()
        ]
        out.append(rec)
    return out


def _csv_country(address: str) -> str | None:
    """The CSV export writes an address as "street, city, state, postal code, COUNTRY"."""
    last = address.rsplit(",", 1)[-1].strip()
    return last if re.fullmatch(r"[A-Z]{2}", last) else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _day(value: Any) -> str | None:
    if isinstance(value, str) and _DATE.fullmatch(value.strip()[:10]):
        try:
            return date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def _list_id(source: str) -> str:
    """``csl-el`` for "Entity List (EL) - Bureau of Industry and Security"; else a slug."""
    m = re.search(r"\(([A-Za-z0-9]{2,10})\)", source)
    code = m.group(1) if m else source
    return "csl-" + (re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")[:40] or "list")


def _entity_id(name: str, key: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalize_name(name).encode("ascii", "ignore").decode()).strip("-")
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"csl-{slug[:48].strip('-') or 'org'}-{digest}"


def _known_names(db: EntityDatabase | None) -> dict[str, str]:
    """Normalised name/alias -> entity id, for the data the overlay goes on."""
    out: dict[str, str] = {}
    if db is None:
        return out
    for eid in sorted(db.entities):
        e = db.entities[eid]
        for v in (e.name, *(a.value for a in e.aliases)):
            out.setdefault(normalize_name(v), eid)
    return out


def import_csl(
    records: Sequence[Mapping[str, Any]],
    *,
    exported: date,
    base: EntityDatabase | None = None,
    sources: Iterable[str] = (),
) -> CslImport:
    """Build the overlay from CSL records. ``exported`` is the export's date (a record with
    no ``start_date`` is listed from it); ``base`` the data the overlay will go on (names
    it already has get the listing on their entity); ``sources`` limits the import to
    those lists (codes such as ``EL``, ``MEU``, or full names)."""
    wanted = {s.strip().lower() for s in sources if s.strip()}
    known = _known_names(base)
    day = exported.isoformat()
    lists: dict[str, dict[str, Any]] = {}
    entities: dict[str, dict[str, Any]] = {}
    by_name: dict[str, str] = {}
    orgs = left_out = 0
    for rec in records:
        source = str(rec.get("source") or "").strip() or "Consolidated Screening List"
        lid = _list_id(source)
        if wanted and lid.removeprefix("csl-") not in wanted and source.lower() not in wanted:
            continue
        name = str(rec.get("name") or "").strip()
        if not name or str(rec.get("type") or "").strip().lower() in _LEFT_OUT_TYPES:
            left_out += 1
            continue
        orgs += 1
        lst = lists.setdefault(lid, _list_authority(lid, source, rec, day))
        since = _day(rec.get("start_date")) or day
        lst["effective"][0]["date"] = min(lst["effective"][0]["date"], since)
        listing = _listing(lid, rec, name, since, day)
        key = normalize_name(name)
        target = known.get(key) or by_name.get(key)
        if target is None:
            target = _entity_id(name, f"{source}\x00{rec.get('id') or rec.get('_id') or ''}\x00{name}")
            entities[target] = _new_entity(target, name, rec, lid)
            by_name[key] = target
        ent = entities.setdefault(target, {"id": target, "aliases": [], "authorities": [], "listings": []})
        _attach(ent, lid, listing, rec, name, known, by_name)
    overlay: dict[str, Any] = {
        "schema_version": 1,
        "version": f"csl-{day}",
        "sources": {lid: _source(lst, day) for lid, lst in lists.items()},
        "authorities": [{k: v for k, v in lst.items() if not k.startswith("_")} for lst in lists.values()],
        "entities": list(entities.values()),
    }
    existing = tuple(sorted(eid for eid in entities if base is not None and eid in base.entities))
    return CslImport(overlay, len(records), orgs, left_out, existing)


def _list_authority(lid: str, source: str, rec: Mapping[str, Any], day: str) -> dict[str, Any]:
    return {
        "id": lid,
        "title": f"{source} (Consolidated Screening List)",
        "instrument": "list",
        "citations": [f"Consolidated Screening List export of {day}: {source}"],
        "effective": [{"date": day, "label": "earliest date of inclusion in the export"}],
        "scope": "screening-list",
        "scope_text": "a party on a U.S. export-control or sanctions screening list: a due-diligence "
        "flag, not a procurement prohibition",
        "control": [],
        "binds": ["us-persons"],
        "sources": [lid],
        "_url": _strings(rec.get("source_list_url"))[:1],
        "_source": source,
    }


def _source(lst: Mapping[str, Any], day: str) -> dict[str, Any]:
    return {
        "title": f"Consolidated Screening List export ({day}): {lst['_source']}",
        "url": (lst["_url"] or [CSL_DOWNLOAD])[0],
        "publisher": "International Trade Administration (Consolidated Screening List)",
        "date": day,
        "confidence": "primary",
    }


def _listing(lid: str, rec: Mapping[str, Any], name: str, since: str, day: str) -> dict[str, Any]:
    programs = _strings(rec.get("programs"))
    listing: dict[str, Any] = {
        "authority": lid,
        "since": since,
        "entry": name + (f" (programs: {', '.join(programs)})" if programs else ""),
        "scope": "screening-list",
        "sources": [lid],
    }
    until = _day(rec.get("end_date"))
    if until is not None and until > since:
        listing["until"] = until
    notes = [f"{k.replace('_', ' ')} {v}" for k in ("federal_register_notice", "entity_number")
             if (v := str(rec.get(k) or "").strip())]  # fmt: skip
    if _day(rec.get("start_date")) is None:
        notes.append(f"no start date in the export: listed from the export's date {day}")
    if notes:
        listing["note"] = "; ".join(notes)
    return listing


def _new_entity(eid: str, name: str, rec: Mapping[str, Any], lid: str) -> dict[str, Any]:
    ent: dict[str, Any] = {"id": eid, "name": name, "kind": "organization"}
    countries = [a.get("country") for a in rec.get("addresses") or [] if isinstance(a, Mapping)]
    country = next((c for c in countries if isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c)), None)
    if country:
        ent["country"] = country
    ent.update({"aliases": [], "authorities": [], "listings": [], "sources": [lid]})
    return ent


def _attach(
    ent: dict[str, Any],
    lid: str,
    listing: dict[str, Any],
    rec: Mapping[str, Any],
    name: str,
    known: Mapping[str, str],
    by_name: dict[str, str],
) -> None:
    """The listing, the list id and every alternate name (an alias tied to the list) on one
    entity; a name another entity already has is not repeated as an alias here."""
    if lid not in ent["authorities"]:
        ent["authorities"].append(lid)
    if listing not in ent["listings"]:
        ent["listings"].append(listing)
    have = {normalize_name(a["value"]) for a in ent["aliases"]} | {normalize_name(ent.get("name") or name)}
    for alt in [name, *_strings(rec.get("alt_names"))]:
        key = normalize_name(alt)
        if len(alt) < 3 or not key or key in have or key in known:  # known: the base data has it
            continue
        if by_name.setdefault(key, ent["id"]) != ent["id"]:
            continue
        have.add(key)
        ent["aliases"].append({"value": alt, "sources": [lid]})
