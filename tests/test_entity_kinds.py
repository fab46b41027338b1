"""The one table of identifier kinds (sbomscan/entities/kinds.py) and everything that reads it.

The shipped kinds are checked against the schema file and through a load round trip; a
kind added in a test (``firmware_hosts``) is followed through validation, merging, the
records and ``entities diff``.
"""

from __future__ import annotations

import io
import json
import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomscan.cli import main
from sbomscan.entities import Identifiers, default_schema_path, kinds, load_entities
from sbomscan.entities.diff import diff_data, render_text
from sbomscan.entities.kinds import KINDS, LOOKUPS, Kind, ValueId
from sbomscan.errors import EntityDataError
from sbomscan.match import Confidence, Matcher
from sbomscan.match.index import _INDEXERS
from sbomscan.model import Component, ExternalRef, Party

_HOST = {"type": "string", "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"}
FIRMWARE_HOSTS = Kind(
    "firmware_hosts",
    "firmware host",
    ValueId,
    "domain",
    {"value": _HOST},
    ("value",),
    "Hosts a vendor serves its own firmware from (a kind that exists only in this test).",
)


@pytest.fixture
def firmware_hosts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Kind]:
    """The table with one more row, as a developer adding a kind would write it."""
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, FIRMWARE_HOSTS))
    yield FIRMWARE_HOSTS


def _file(identifiers: dict[str, Any], *, entity: str = "acme", version: str = "t") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "version": version,
        "sources": {"s": {"title": "test"}},
        "entities": [{"id": entity, "name": "Acme Networks Ltd.", "identifiers": identifiers}],
    }


def _load(*files: dict[str, Any]) -> Any:
    return load_entities(list(files), include_default=False)


# ------------------------------------------------------------------ the shipped table


def test_the_schema_file_is_written_from_the_table() -> None:
    schema = json.loads(default_schema_path().read_text(encoding="utf-8"))
    assert schema["$defs"]["identifiers"]["properties"] == kinds.schema_properties(), (
        "data/entities.schema.json disagrees with sbomscan/entities/kinds.py: run "
        "python -c 'from pathlib import Path; from sbomscan.entities import kinds; "
        'kinds.write_schema(Path("data/entities.schema.json"))\''
    )


@pytest.mark.parametrize("k", KINDS, ids=lambda k: k.name)
def test_each_row_is_complete(k: Kind) -> None:
    assert k.record._fields[-2:] == ("unverified", "sources")
    assert set(k.fields) == set(k.required) | set(k.optional), "a schema for each of the record's own fields"
    assert k.required, "an item must state something"
    assert set(k.keys) <= set(k.fields)
    assert k.lookup in LOOKUPS
    assert k.label and k.label == k.label.strip()
    assert [x.name for x in KINDS].count(k.name) == 1


def test_the_shipped_kinds_and_their_lookups() -> None:
    """The table as the docs describe it (docs/entities.md, "The tables"): a row dropped or
    pointed at another lookup shows here."""
    assert {k.name: k.lookup for k in KINDS} == {
        "cpe_vendors": "cpe-vendor",
        "purls": "purl",
        "domains": "domain",
        "email_domains": "email-domain",
        "vcs_orgs": "vcs-org",
        "swid_regids": "swid-regid",
        "products": "product-name",
        "hashes": "hash",
        "mirror_hosts": "mirror-host",
        "app_ids": "app-id",
    }


def test_identifiers_is_a_read_only_mapping_of_every_kind() -> None:
    v = ValueId("zte.com.cn", False, ("s",))
    ids = Identifiers(domains=[v])
    assert list(ids) == [k.name for k in KINDS]
    assert ids["domains"] == ids.domains == (v,)
    assert ids["app_ids"] == ids.app_ids == ()
    assert Identifiers({"domains": (v,)}) == ids and hash(Identifiers({"domains": (v,)})) == hash(ids)
    assert Identifiers(domains=()) == Identifiers()
    assert pickle.loads(pickle.dumps(ids)) == ids
    with pytest.raises(TypeError, match="domain_names"):
        Identifiers(domain_names=[v])
    with pytest.raises(AttributeError):
        ids.domain  # noqa: B018 - a typo must fail, not read as "none"
    with pytest.raises(KeyError):
        ids["domain"]
    with pytest.raises(AttributeError):
        ids.domains = ()  # type: ignore[misc]


def test_unknown_kind_is_refused_at_its_pointer() -> None:
    with pytest.raises(EntityDataError, match=r"/entities/0/identifiers/firmware_hosts"):
        _load(_file({"firmware_hosts": [{"value": "fw.acme-networks.example"}]}))


# ------------------------------------------------------------------ every kind, round trip

_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


def _value(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Strings valid for one field schema of the table (enum, pattern or non-empty text)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True, alphabet=_PRINTABLE)
    return st.text(_PRINTABLE, min_size=1, max_size=20).filter(str.strip)


@st.composite
def _items(draw: st.DrawFn, k: Kind) -> dict[str, Any]:
    item = {f: draw(_value(k.fields[f])) for f in k.required}
    item |= {f: draw(_value(k.fields[f])) for f in k.optional if draw(st.booleans())}
    if draw(st.booleans()):
        item["unverified"] = True
    return item | {"sources": ["s"]}


@st.composite
def _identifiers(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for k in KINDS:
        # distinct by the fields that tell items apart (entities diff keys on them)
        items = draw(st.lists(_items(k), max_size=3, unique_by=lambda i, k=k: tuple(map(i.get, k.keys))))
        if items:
            out[k.name] = items
    return out


@settings(max_examples=40, deadline=None)
@given(_identifiers())
def test_every_kind_loads_into_its_records_and_diffs_as_added(ids: dict[str, list[dict[str, Any]]]) -> None:
    ent = _load(_file(ids)).entities["acme"]
    for k in KINDS:
        expected = [
            k.record(
                **{f: i.get(f) for f in k.required + k.optional},
                unverified=i.get("unverified", False),
                sources=("s",),
            )
            for i in ids.get(k.name, [])
        ]
        assert list(ent.identifiers[k.name]) == expected
    d = diff_data(_file({}), _file(ids))
    [changed] = d["entities"]["changed"] or [{"changes": []}]
    added = {c["field"]: c["added"] for c in changed["changes"]}
    for name, items in ids.items():
        keys = kinds.kind(name).keys
        assert sorted(added[f"identifiers.{name}"]) == sorted(_shown(i, keys) for i in items)


def _shown(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    """How entities diff shows an item: its key fields joined by "/", an absent one before a
    present one as nothing."""
    values = [item.get(f) for f in keys]
    while values[-1] is None:
        values.pop()
    return "/".join(v or "" for v in values)


def test_purl_patterns_that_join_to_one_text_are_two_items_in_a_diff() -> None:
    """A namespace and a package of the same name, and a namespace with a slash against a
    namespace and a name, are different patterns: adding the second of each pair is a change
    the diff must show (joined to one text, they were one item and the addition vanished)."""
    pairs = [
        ({"type": "npm", "namespace": "huawei"}, {"type": "npm", "name": "huawei"}),
        ({"type": "golang", "namespace": "a/b"}, {"type": "golang", "namespace": "a", "name": "b"}),
    ]
    for first, second in pairs:
        d = diff_data(_file({"purls": [first]}), _file({"purls": [first, second]}, version="u"))
        [changed] = d["entities"]["changed"]
        [change] = changed["changes"]
        assert change["field"] == "identifiers.purls" and change["removed"] == []
        assert change["added"] == [_shown(second, ("type", "namespace", "name"))]
    assert _shown({"type": "npm", "name": "huawei"}, ("type", "namespace", "name")) == "npm//huawei"


def test_app_ids_of_two_platforms_are_two_items_in_a_diff() -> None:
    android = {"platform": "android", "value": "com.example.app"}
    both = [android, {"platform": "ios", "value": "com.example.app"}]
    text = render_text(diff_data(_file({"app_ids": [android]}), _file({"app_ids": both}, version="u")))
    assert "app_ids + ios/com.example.app" in text


# ------------------------------------------------------------------ a kind added in a test


def test_an_added_kind_is_validated_by_schema_and_structure(firmware_hosts: Kind) -> None:
    with pytest.raises(EntityDataError, match=r"/entities/0/identifiers/firmware_hosts/0/value"):
        _load(_file({"firmware_hosts": [{"value": "Not A Host"}]}))
    with pytest.raises(EntityDataError, match=r"firmware_hosts/0"):
        _load(_file({"firmware_hosts": [{"sources": ["s"]}]}))
    with pytest.raises(EntityDataError, match=r"firmware_hosts/0/sources/0"):
        _load(_file({"firmware_hosts": [{"value": "fw.acme-networks.example", "sources": ["nope"]}]}))
    assert _load(_file({"firmware_hosts": [{"value": "fw.acme-networks.example"}]}))


def test_an_added_kind_is_merged_from_overlays_and_built_as_records(firmware_hosts: Kind) -> None:
    a = {"value": "fw.acme-networks.example", "sources": ["s"]}
    b = {"value": "dl.acme-networks.example", "unverified": True, "sources": ["s"]}
    db = _load(_file({"firmware_hosts": [a]}), _file({"firmware_hosts": [a, b]}))
    ids = db.entities["acme"].identifiers
    assert (
        ids["firmware_hosts"]
        == ids.firmware_hosts
        == (
            ValueId("fw.acme-networks.example", False, ("s",)),
            ValueId("dl.acme-networks.example", True, ("s",)),
        )
    )
    assert "firmware_hosts" in ids and list(ids)[-1] == "firmware_hosts"


def test_an_added_kind_shows_in_entities_diff(firmware_hosts: Kind) -> None:
    a = {"value": "fw.acme-networks.example"}
    old, new = _file({"firmware_hosts": [a]}), _file({"firmware_hosts": [{**a, "unverified": True}]})
    [change] = diff_data(old, new)["entities"]["changed"][0]["changes"]
    assert change["field"] == "identifiers.firmware_hosts" and change["item"] == "fw.acme-networks.example"


# ------------------------------------------------------------------ matching follows the table


def test_every_lookup_a_row_can_name_is_implemented_by_the_matcher() -> None:
    assert set(_INDEXERS) == set(LOOKUPS)


def _firmware_component(url: str) -> Component:
    return Component(
        "d#fw",
        "fw",
        "d",
        "gateway-firmware",
        version="4.2",
        parties=(Party("Other Integrator Inc.", "supplier"),),
        external_refs=(ExternalRef("distribution", url),),
    )


def test_an_added_kind_matches_through_the_lookup_its_row_names(firmware_hosts: Kind) -> None:
    db = _load(_file({"firmware_hosts": [{"value": "fw.acme-networks.example", "sources": ["s"]}]}))
    m = Matcher(db, as_of=date(2026, 1, 1))
    [found] = m.match_component(_firmware_component("https://fw.acme-networks.example/gw/4.2.bin"))
    [ev] = found.evidence
    assert (found.entity_id, ev.rule, ev.matched, ev.confidence) == (
        "acme",
        "domain",
        "fw.acme-networks.example",
        Confidence.HIGH,
    )
    # the quick path (match_component) and the full rules agree, and the host is a suffix
    # match like any domain: a sibling host of the vendor's is not named by this row
    assert m.match_component(_firmware_component("https://www.acme-networks.example/gw.bin")) == ()
    assert m._match_full(_firmware_component("https://www.acme-networks.example/gw.bin"), ()) == ()


def test_without_its_row_the_same_data_is_refused_not_silently_unmatched() -> None:
    with pytest.raises(EntityDataError, match="firmware_hosts"):
        _load(_file({"firmware_hosts": [{"value": "fw.acme-networks.example"}]}))


def test_entities_show_lists_an_added_kind_by_its_label(firmware_hosts: Kind, tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.json"
    overlay.write_text(
        json.dumps(_file({"firmware_hosts": [{"value": "fw.acme-networks.example", "sources": ["s"]}]}))
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["entities", "show", "acme", "--entities", str(overlay)], stdout=out, stderr=err) == 0, (
        err.getvalue()
    )
    assert "  firmware host: fw.acme-networks.example (sources: s)" in out.getvalue().splitlines()


@pytest.mark.parametrize("k", [k for k in KINDS if k.lookup == "app-id"], ids=lambda k: k.name)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_every_app_id_kind_has_the_dot_the_quick_test_rules_out_by(k: Kind, data: st.DataObject) -> None:
    """The matcher's quick test skips the app-id lookup for any value without a ".": a kind
    feeding that lookup must not admit such values, or its matches would be lost there."""
    assert "." in data.draw(_value(k.fields["value"]))
