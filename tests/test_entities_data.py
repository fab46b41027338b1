"""The shipped covered-entity data: schema-valid, every fact sourced, ids and aliases unique,
every reference resolvable, dates real, and the file kept in its reviewable pretty-printed form."""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "entities.json"
SCHEMA = ROOT / "data" / "entities.schema.json"
OVERLAY = ROOT / "examples" / "entities-overlay.json"

DOC: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
VALIDATOR = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))
DATE_KEYS = frozenset({"date", "since", "until"})


def errors(doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def facts(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object that states a fact and so must cite sources, with its JSON pointer."""
    for i, a in enumerate(doc["authorities"]):
        yield f"/authorities/{i}", a
    for i, e in enumerate(doc["entities"]):
        yield f"/entities/{i}", e
        for key in ("aliases", "relations", "listings"):
            for j, item in enumerate(e.get(key, [])):
                yield f"/entities/{i}/{key}/{j}", item
        for cat, items in e.get("identifiers", {}).items():
            for j, item in enumerate(items):
                yield f"/entities/{i}/identifiers/{cat}/{j}", item
    for i, lp in enumerate(doc["licensed_products"]):
        yield f"/licensed_products/{i}", lp


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_shipped_data_validates_against_the_schema() -> None:
    assert errors(DOC) == []
    assert DOC["version"] == "2026.12.05"
    for key in ("sources", "authorities", "entities", "licensed_products"):
        assert DOC[key], key


def test_file_is_pretty_printed_with_stable_order() -> None:
    text = DATA.read_text(encoding="utf-8")
    assert text == json.dumps(DOC, indent=2, ensure_ascii=False) + "\n"


def test_every_fact_cites_existing_sources() -> None:
    known = set(DOC["sources"])
    for ptr, fact in facts(DOC):
        cited = fact.get("sources")
        assert cited, f"{ptr} cites no source"
        assert set(cited) <= known, f"{ptr} cites unknown {set(cited) - known}"
    used = {s for _, fact in facts(DOC) for s in fact["sources"]}
    assert known == used, f"unused sources: {sorted(known - used)}"


def test_every_source_has_https_url_and_confidence() -> None:
    for sid, s in DOC["sources"].items():
        assert s["url"].startswith("https://"), sid
        assert s["confidence"] in {"primary", "secondary"}, sid
        assert s["title"].strip(), sid


def test_ids_unique_and_references_resolve() -> None:
    for key in ("authorities", "entities", "licensed_products"):
        ids = [x["id"] for x in DOC[key]]
        assert len(ids) == len(set(ids)), key
    entity_ids = {e["id"] for e in DOC["entities"]}
    authority_ids = {a["id"] for a in DOC["authorities"]}
    for e in DOC["entities"]:
        for r in e.get("relations", []):
            assert r["target"] in entity_ids and r["target"] != e["id"], (e["id"], r)
        assert set(e.get("authorities", [])) <= authority_ids, e["id"]
        for li in e.get("listings", []):
            assert li["authority"] in authority_ids and li["authority"] in e["authorities"], e["id"]
    for lp in DOC["licensed_products"]:
        assert lp["licensor"] in entity_ids, lp["id"]


def test_names_and_aliases_unique_across_entities() -> None:
    owner: dict[str, str] = {}
    for e in DOC["entities"]:
        mine = {fold(e["name"])} | {fold(a["value"]) for a in e.get("aliases", [])}
        assert len(mine) == 1 + len(e.get("aliases", [])), f"{e['id']} repeats a name"
        for value in mine:
            assert value not in owner, f"{value!r} names both {owner.get(value)} and {e['id']}"
            owner[value] = e["id"]


def test_identifiers_unique_across_entities() -> None:
    seen: dict[tuple[str, str], str] = {}
    for e in DOC["entities"]:
        for cat, items in e.get("identifiers", {}).items():
            for item in items:
                key = (
                    cat,
                    json.dumps({k: v for k, v in item.items() if k != "sources"}, sort_keys=True).lower(),
                )
                assert key not in seen, f"{key} on {seen.get(key)} and {e['id']}"
                seen[key] = e["id"]


def test_aliases_are_not_generic_words() -> None:
    generic = {"lab", "labs", "security", "technology", "technologies", "cloud", "group", "international",
               "communications", "autel", "pacnet", "hms", "kgss", "comnet"}  # fmt: skip
    for e in DOC["entities"]:
        for value in [e["name"]] + [a["value"] for a in e.get("aliases", [])]:
            assert fold(value) not in generic, (e["id"], value)
            assert len(fold(value)) >= (3 if value.isascii() else 2), (e["id"], value)


def _dates(node: Any, ptr: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in DATE_KEYS and v is not None:
                yield f"{ptr}/{k}", v
            else:
                yield from _dates(v, f"{ptr}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _dates(v, f"{ptr}/{i}")


def test_dates_parse_and_intervals_are_ordered() -> None:
    found = list(_dates(DOC))
    assert len(found) > 40
    for _ptr, value in found:
        date.fromisoformat(value)  # raises on "2020-02-30"
    for e in DOC["entities"]:
        for r in e.get("relations", []):
            if r["since"] and r["until"]:
                assert r["since"] < r["until"], (e["id"], r)


def test_required_coverage_is_present() -> None:
    auth = {a["id"]: a for a in DOC["authorities"]}
    assert {"ndaa-fy18-1634", "far-52-204-23", "dhs-bod-17-01", "bis-icts-kaspersky",
            "bis-entity-list-2024-kaspersky", "ndaa-fy19-889", "far-52-204-25", "fcc-covered-list"} <= set(auth)  # fmt: skip
    assert [e["date"] for e in auth["ndaa-fy19-889"]["effective"]] == ["2019-08-13", "2020-08-13"]
    assert [e["date"] for e in auth["bis-icts-kaspersky"]["effective"]] == ["2024-07-20", "2024-09-29"]
    assert "83 FR 28141" in " ".join(auth["far-52-204-23"]["citations"])
    ents = {e["id"]: e for e in DOC["entities"]}
    for eid in ("kaspersky", "huawei", "zte", "hytera", "hikvision", "dahua"):
        assert ents[eid]["authorities"], eid
    honor = ents["honor"]["relations"][0]
    assert (honor["target"], honor["until"]) == ("huawei", "2020-11-17")
    assert {c["value"] for c in ents["kaspersky"]["identifiers"]["cpe_vendors"]} == {
        "kaspersky",
        "kaspersky_lab",
    }
    assert any(lp["names"] == ["kaspersky-lab-engine"] for lp in DOC["licensed_products"])


def test_unverified_facts_never_stand_alone_as_named_coverage() -> None:
    """An unverified entity is never named by an authority directly (it could then be prohibited)."""
    for e in DOC["entities"]:
        if e.get("unverified"):
            assert not e.get("authorities"), e["id"]


def test_example_overlay_validates_and_adds_a_new_subsidiary() -> None:
    overlay = json.loads(OVERLAY.read_text(encoding="utf-8"))
    assert errors(overlay) == []
    [new] = [e for e in overlay["entities"] if e["id"] not in {x["id"] for x in DOC["entities"]}]
    assert new["relations"][0]["target"] == "kaspersky"
    assert set(new["sources"]) <= set(overlay["sources"])


def _break(doc: dict[str, Any], where: str) -> dict[str, Any]:
    broken = copy.deepcopy(doc)
    if where == "relation-type":
        broken["entities"][1]["relations"][0]["type"] = "owns"
    elif where == "id":
        broken["entities"][0]["id"] = "Not A Slug"
    elif where == "date":
        broken["authorities"][0]["effective"][0]["date"] = "01/10/2018"
    elif where == "extra-key":
        broken["entities"][0]["aliases"][0]["weight"] = 3
    elif where == "confidence":
        next(iter(broken["sources"].values()))["confidence"] = "likely"
    elif where == "scope":
        broken["authorities"][0]["scope"] = "everything"
    return broken


@pytest.mark.parametrize("where", ["relation-type", "id", "date", "extra-key", "confidence", "scope"])
def test_a_broken_copy_fails_validation(where: str) -> None:
    assert errors(_break(DOC, where)), where


def test_every_entity_named_by_a_per_entry_list_has_its_entry() -> None:
    """A list whose scope is stated per entry (the FCC Covered List) covers an entity from
    the entry's own date and with the entry's scope; without a listing the entity would be
    covered from the list's first date with no real scope."""
    auth = {a["id"]: a for a in DOC["authorities"]}
    per_entry = {aid for aid, a in auth.items() if a.get("scope") == "per-entry"}
    assert per_entry == {"fcc-covered-list"}
    for e in DOC["entities"]:
        for aid in set(e.get("authorities", [])) & per_entry:
            entries = [li for li in e.get("listings", []) if li["authority"] == aid]
            assert entries, (e["id"], aid)
            for li in entries:
                assert li.get("scope") not in (None, "per-entry"), (e["id"], li)
                assert li["since"] >= auth[aid]["effective"][0]["date"], (e["id"], li)
