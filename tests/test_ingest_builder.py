"""DocumentBuilder's fast paths keep the builder's rules, and the GC pauses leave no trace.

The hot readers build components as records (:meth:`DocumentBuilder.add_record`) instead of
keyword arguments, CycloneDX adds dependency edges as soon as both ends resolve, and
``sbomscan.load`` / ``sbomscan.scan`` pause the cyclic garbage collector. None of that may
change a result: these tests hold the fast forms to the slow ones.
"""

from __future__ import annotations

import gc
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.errors import MalformedSbomError
from sbomscan.ingest.builder import NAME, POINTER, RECORD, SLOT, DocumentBuilder
from sbomscan.model import Component, EdgeKind, Hash, Party, PartyKind
from sbomscan.scan import scan

# -- add_record == add_component -----------------------------------------------------------

_text = st.text(alphabet="ab~:#-0", max_size=4)
_optional_fields = st.fixed_dictionaries(
    {},
    optional={
        "version": _text,
        "type": st.sampled_from(["library", "file", "service"]),
        "purl": _text.map(lambda t: f"pkg:npm/{t or 'x'}@1"),
        "cpes": st.lists(_text, max_size=2).map(tuple),
        "parties": st.lists(
            st.builds(Party, _text, st.just("supplier"), st.sampled_from(list(PartyKind))), max_size=2
        ).map(tuple),
        "hashes": st.lists(st.builds(Hash, st.just("SHA-256"), _text), max_size=2).map(tuple),
        "licenses": st.lists(_text, max_size=2).map(tuple),
        "description": _text,
        "origin": st.sampled_from(["file", "snippet", "service"]),
    },
)
_items = st.lists(
    st.tuples(
        st.one_of(st.none(), st.just(""), _text),  # refs: missing, empty, repeated, odd characters
        _text,  # name
        st.one_of(st.none(), _text.map(lambda t: f"/components/{t}")),  # pointer
        st.booleans(),  # top level
        _optional_fields,
    ),
    max_size=12,
)


def _builder() -> DocumentBuilder:
    return DocumentBuilder(
        source="x.json", sha256="cd" * 32, format="cyclonedx", encoding="json", spec_version="1.6"
    )


@given(_items)
@settings(max_examples=300, deadline=None)
def test_add_record_builds_what_add_component_builds(
    items: list[tuple[str | None, str, str | None, bool, dict[str, Any]]],
) -> None:
    slow, fast = _builder(), _builder()
    for ref, name, pointer, top, fields in items:
        a = slow.add_component(ref, name=name, pointer=pointer, top_level=top, **fields)
        rec = list(RECORD)
        for key, value in fields.items():
            rec[SLOT[key]] = value
        rec[NAME], rec[POINTER] = name, pointer
        b = fast.add_record(ref, rec, top)
        assert a == b
    for ref, *_ in items:
        if ref:
            assert slow.resolve(ref) == fast.resolve(ref)
    assert slow.finish(name="p") == fast.finish(name="p")


def test_record_template_is_every_field_at_its_default() -> None:
    assert len(RECORD) == len(Component._fields)
    assert [SLOT[f] for f in Component._fields] == list(range(len(Component._fields)))
    for field, default in Component._field_defaults.items():
        assert RECORD[SLOT[field]] == default


def test_duplicate_ref_through_add_record_keeps_both_and_says_so() -> None:
    b = _builder()
    for name in ("first", "second"):
        rec = list(RECORD)
        rec[NAME], rec[POINTER] = name, f"/components/{name}"
        b.add_record("lib", rec)
    doc = b.finish()
    assert [c.ref for c in doc.components if c.origin != "synthetic-root"] == ["lib", "lib~2"]
    assert b.resolve("lib") == doc.components[0].id
    assert [(d.code, d.location) for d in doc.diagnostics][:1] == [("duplicate-ref", "/components/second")]


# -- CycloneDX dependencies: edges in document order whatever resolves --------------------


def _cdx(dependencies: list[dict[str, Any]]) -> bytes:
    comps = [{"type": "library", "bom-ref": r, "name": r} for r in ("a", "b", "c", "d", "e")]
    return orjson.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app"}},
            "components": comps,
            "dependencies": dependencies,
        }
    )


def test_dependency_edges_keep_document_order_around_dangling_refs() -> None:
    doc = sbomscan.load(
        _cdx(
            [
                {"ref": "app", "dependsOn": ["a", "missing", "b"]},
                {"ref": "nobody", "dependsOn": ["c"]},
                {"ref": "a", "dependsOn": [7, "c"], "provides": ["d"]},
                {"ref": "b", "dependsOn": ["urn:cdx:1234/1#x", "e"]},
            ]
        )
    )
    edges = [(e.source.split("#")[1], e.target.split("#")[1], e.kind) for e in doc.edges]
    assert edges == [
        ("app", "a", EdgeKind.DEPENDS_ON),
        ("app", "b", EdgeKind.DEPENDS_ON),
        ("a", "c", EdgeKind.DEPENDS_ON),
        ("a", "d", EdgeKind.PROVIDES),
        ("b", "e", EdgeKind.DEPENDS_ON),
    ]
    codes = [(d.code, d.location) for d in doc.diagnostics]
    assert ("bad-type", "/dependencies/2/dependsOn") in codes
    assert codes.count(("dangling-ref", "/dependencies/0")) == 1  # "missing"
    assert codes.count(("dangling-ref", "/dependencies/1")) == 1  # "nobody"
    assert [link.uri for link in doc.links] == ["urn:cdx:1234/1#x"]


@given(
    st.lists(
        st.fixed_dictionaries(
            {"ref": st.sampled_from(["app", "a", "b", "zz"])},
            optional={
                "dependsOn": st.lists(st.sampled_from(["a", "b", "c", "zz", "urn:cdx:9/1#q", 3]), max_size=4),
                "provides": st.lists(st.sampled_from(["d", "e", "zz"]), max_size=2),
            },
        ),
        max_size=6,
    )
)
@settings(max_examples=200, deadline=None)
def test_dependency_edges_are_the_resolvable_pairs_in_document_order(deps: list[dict[str, Any]]) -> None:
    doc = sbomscan.load(_cdx(deps))
    known = {"app", "a", "b", "c", "d", "e"}
    # a target written twice in one entry is one edge (the first time it is written)
    expected = [
        (d["ref"], t, kind)
        for d in deps
        for key, kind in (("dependsOn", EdgeKind.DEPENDS_ON), ("provides", EdgeKind.PROVIDES))
        for t in dict.fromkeys(d.get(key, ()))
        if d["ref"] in known and t in known
    ]
    got = [(e.source.split("#")[1], e.target.split("#")[1], e.kind) for e in doc.edges]
    assert got == expected


# -- the cyclic GC is paused for a read and a scan, and left as it was ---------------------

_BOM = _cdx([{"ref": "app", "dependsOn": ["a"]}])


def test_load_and_scan_leave_the_collector_enabled() -> None:
    assert gc.isenabled()
    sbomscan.load(_BOM)
    assert gc.isenabled()
    scan([_BOM], as_of="2026-01-01")
    assert gc.isenabled()


def test_load_and_scan_leave_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        sbomscan.load(_BOM)
        scan([_BOM], as_of="2026-01-01")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_load_restores_the_collector() -> None:
    with pytest.raises(MalformedSbomError):
        sbomscan.load(b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [}')
    assert gc.isenabled()
