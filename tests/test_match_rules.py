"""The one table of matching rules (sbomscan/match/rules.py): the matcher's quick path and its
full rules are both built from it, so a row added to the table fires through the quick path,
and every row's quick test says "maybe" whenever its own rules find something."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from hypothesis import given, settings
from test_match_quick import DB, components, lone

from sbomscan.entities import kinds
from sbomscan.match import Confidence, Matcher, rules
from sbomscan.match.evidence import Target
from sbomscan.match.index import Index, text_miss
from sbomscan.match.rules import RULES, Found, Rule, component_fields, free_text_of
from sbomscan.model import Component, Document, Party

D = date(2026, 1, 1)
FIRMWARE = Target("zte", "covered firmware image", ())


def _firmware_maybe(ix: Index, fs: Sequence[rules._ComponentFields]) -> list[int]:
    return [k for k, f in enumerate(fs) if f.name.startswith("fw-image-")]


def _firmware_collect(ix: Index, f: rules._ComponentFields, dp: Sequence[Party], found: Found) -> None:
    if f.name.startswith("fw-image-"):
        found.raw.append(("name", f.name, "firmware-image", Confidence.HIGH, FIRMWARE))


@pytest.mark.parametrize("maybe", [_firmware_maybe, None], ids=["own-quick-test", "presence"])
def test_a_row_added_to_the_table_fires_through_the_quick_path(
    monkeypatch: pytest.MonkeyPatch, maybe: rules.Quick | None
) -> None:
    row = Rule("firmware", ("name",), ("firmware-image",), ("names",), maybe, _firmware_collect)
    c = Component("d#1", "1", "d", "fw-image-3.2")
    assert Matcher(DB, as_of=D).match_component(c) == ()  # nothing in the shipped rows
    monkeypatch.setattr(rules, "RULES", (*RULES, row))
    m = Matcher(DB, as_of=D)
    (found,) = m.match_component(c)  # the quick path runs first: it must let the row through
    assert found.entity_id == "zte"
    assert [(e.rule, e.confidence) for e in found.evidence] == [("firmware-image", Confidence.HIGH)]
    assert m.match_component(Component("d#2", "2", "d", "libfoo")) == ()
    # and through a document's chunked quick path, at the position it has in the chunk
    two = (Component("d#2", "2", "d", "libfoo"), c)
    doc = Document("d", "d.json", "cyclonedx", "json", "1.6", "0" * 64, components=two)
    assert [(x.component_id, x.entity_id) for x in m.match_document(doc)] == [("d#1", "zte")]


def test_a_row_whose_quick_test_is_wrong_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the row test below guards against: a quick test that says "no" hides the row."""
    row = Rule("firmware", ("name",), ("firmware-image",), ("names",), lambda ix, fs: [], _firmware_collect)
    monkeypatch.setattr(rules, "RULES", (*RULES, row))
    m = Matcher(DB, as_of=D)
    c = Component("d#1", "1", "d", "fw-image-3.2")
    assert m.match_component(c) == () and m._match_full(c, ()) != ()


def _rows_cover_their_rules(m: Matcher, c: Component, document_parties: Sequence[Party]) -> None:
    f = component_fields(c)
    look = not text_miss(free_text_of(f), m._fast_first)
    for row in rules.RULES:
        found = Found(look)
        row.collect(m, f, document_parties, found)
        if not (found.raw or found.mentions):
            continue
        if row.maybe is not None:
            said = row.maybe(m, [f])
            assert said == [0], f"row {row.name!r}: its rules found {found.raw or found.mentions} on {c}"
        else:
            present = [
                r
                for r in row.reads
                if (bool(document_parties) if r == "document_parties" else f[rules.field_position(r)])
            ]
            assert present, f"row {row.name!r} found something with none of {row.reads} present"


M = Matcher(DB, as_of=D)


@settings(max_examples=300, deadline=None)
@given(components())
def test_every_row_says_maybe_when_its_rules_find_something(c: Component) -> None:
    _rows_cover_their_rules(M, c, ())


@settings(max_examples=300, deadline=None)
@given(lone())
def test_every_row_on_one_field_at_a_time(c: Component) -> None:
    _rows_cover_their_rules(M, c, ())


def test_every_lookup_of_the_kinds_table_is_read_by_a_row() -> None:
    """A kind feeds a lookup (sbomscan/entities/kinds.py); a lookup no row reads would index
    identifiers that nothing ever compares. ``mirror-host`` is no match: it stops the domain walk."""
    read = {lookup for row in RULES for lookup in row.lookups}
    assert set(kinds.LOOKUPS) - {"mirror-host"} <= read
    assert read <= set(kinds.LOOKUPS) | {"names"}


def test_rows_read_real_fields_and_have_one_name_each() -> None:
    assert len({r.name for r in RULES}) == len(RULES)
    for row in RULES:
        assert row.reads and set(row.reads) <= {*rules.FIELDS, "document_parties"}, row.name
        assert row.gives, row.name
