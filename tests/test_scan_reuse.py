"""Scans that share an entity database share what was computed from it — the Matcher of an
as-of date, the start dates of each authority, the per-buyer views — and give exactly the
reports they give alone.

The reports are compared on real documents (the example bundle, the end-to-end and bundle
fixtures and a sample of the developer corpus), scanned one after another through one
database in orders hypothesis picks, on two as-of dates and as two kinds of buyer, and from
several threads at once, against a scan of each with entity data loaded for it alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import orjson
import pytest
from conftest import FIXTURES, ROOT, corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.entities import EntityDatabase, load_entities
from sbomscan.entities.database import DERIVED_MAX
from sbomscan.match import Matcher
from sbomscan.report.json import to_dict
from sbomscan.scan import shared_matcher

EXAMPLES = ROOT / "examples"
OVERLAY = str(EXAMPLES / "entities-overlay.json")

Case = tuple[str | bytes, dict[str, Any]]
"""A bundle (a path, or a document's bytes) and the keywords of its scan besides the entity
data."""

_AFFILIATES = orjson.dumps(
    {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"bom-ref": "app", "name": "Camera hub", "version": "2.0"}},
        "components": [
            {"bom-ref": f"c{n}", "name": f"part-{n}", "version": "1", "supplier": {"name": name}}
            for n, name in enumerate(
                ("Kaspersky Lab, Inc.", "HiSilicon", "Honor", "Lorex Technology Inc.", "Sepura plc")
            )
        ],
        "dependencies": [{"ref": "app", "dependsOn": [f"c{n}" for n in range(5)]}],
    }
)
"""Affiliates whose control chains differ from one date to another (a relation that began
or ended between them), so their evidence depends on the date of the Matcher."""


def _cases() -> list[tuple[Case, str | None]]:
    """Every scan compared, with the overlay its entity data adds (``None``: shipped only)."""
    bundles = [str(EXAMPLES / "secure-gateway")]
    for group in ("e2e", "bundles"):
        bundles += [str(d) for d in sorted((FIXTURES / group).iterdir()) if d.is_dir()]
    # a sample of the corpus (every 60th file, the small ones): real vendors' own SBOMs
    bundles += [str(p) for p in corpus_files()[::60] if p.stat().st_size < 1_000_000]
    out: list[tuple[Case, str | None]] = [
        ((_AFFILIATES, {"as_of": day}), None) for day in ("2012-01-01", "2019-01-01", "2026-12-01")
    ]
    for n, path in enumerate(bundles):
        as_of = "2026-12-01" if n % 3 else "2019-01-01"  # before §889 took effect, too
        out.append(((path, {"as_of": as_of, "buyer": "dod" if n % 4 == 1 else None}), None))
    out.append(((str(EXAMPLES / "secure-gateway"), {"as_of": "2026-12-01"}), OVERLAY))
    out.append(
        (
            (
                str(EXAMPLES / "secure-gateway"),
                {"as_of": "2026-12-01", "waivers": str(EXAMPLES / "waivers.yaml")},
            ),
            None,
        )
    )
    return out


CASES = _cases()


def _report(case: Case, db: EntityDatabase) -> dict[str, Any]:
    path, keywords = case
    report: dict[str, Any] = to_dict(sbomscan.scan([path], entities=db, **keywords))
    return report


@pytest.fixture(scope="module")
def alone() -> list[dict[str, Any]]:
    """Each case's report from a scan with entity data loaded for it alone (nothing kept
    from another scan)."""
    return [_report(case, load_entities([overlay] if overlay else [])) for case, overlay in CASES]


def _databases() -> dict[str | None, EntityDatabase]:
    return {None: load_entities(), OVERLAY: load_entities([OVERLAY])}


@settings(max_examples=4, deadline=None)
@given(order=st.permutations(range(len(CASES))))
def test_scans_through_one_database_equal_scans_alone(order: list[int], alone: list[dict[str, Any]]) -> None:
    dbs = _databases()
    for i in order:
        case, overlay = CASES[i]
        assert _report(case, dbs[overlay]) == alone[i], case


def test_scans_from_several_threads_through_one_database_equal_scans_alone(
    alone: list[dict[str, Any]],
) -> None:
    dbs = _databases()
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda c: _report(c[0], dbs[c[1]]), CASES * 2))
    assert reports == alone * 2


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The as-of dates of every Matcher built from now on."""
    built: list[date] = []
    init: Callable[..., None] = Matcher.__init__

    def counting(self: Matcher, db: EntityDatabase, *, as_of: date | None = None) -> None:
        built.append(as_of or date.today())
        init(self, db, as_of=as_of)

    monkeypatch.setattr(Matcher, "__init__", counting)
    return built


def test_a_database_builds_one_matcher_per_day_and_buyer(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_builds(monkeypatch)
    db = load_entities()
    gateway = str(EXAMPLES / "secure-gateway")
    for _ in range(3):
        sbomscan.scan([gateway], entities=db, as_of="2026-12-01")
        sbomscan.scan([gateway], entities=db, as_of="2019-01-01")
        sbomscan.scan([gateway], entities=db, as_of="2026-12-01", buyer="dod")
    assert built == [date(2026, 12, 1), date(2019, 1, 1), date(2026, 12, 1)]
    assert shared_matcher(db, date(2026, 12, 1)) is shared_matcher(db, date(2026, 12, 1))
    assert db.for_buyer("dod") is db.for_buyer("dod")
    assert db.for_buyer(None) is db
    # entity data loaded again is other data, whatever it holds: nothing is shared with it
    sbomscan.scan([gateway], entities=load_entities(), as_of="2026-12-01")
    assert len(built) == 4


def test_a_rescan_builds_one_matcher_for_its_pass_and_its_scans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sbomscan.portfolio import Portfolio, rescan

    db = load_entities()
    with Portfolio(tmp_path / "store.db") as pf:
        for d in ("flat", "oem", "tiers"):
            pf.add([str(FIXTURES / "e2e" / d)], product=d, entities=db, as_of="2026-12-01")
        built = _count_builds(monkeypatch)
        result = rescan(pf, entities=db, as_of="2026-11-30")
    assert result.scanned  # the submissions with a match went through the whole pipeline
    assert built == [date(2026, 11, 30)]


def test_derived_values_are_kept_per_key_and_bounded() -> None:
    db = load_entities()
    made: list[int] = []

    def make(k: int) -> Callable[[], int]:
        def value() -> int:
            made.append(k)
            return k * 10

        return value

    for k in range(DERIVED_MAX):
        assert db.derived(("k", k), make(k)) == k * 10
    assert db.derived(("k", 0), make(0)) == 0  # kept; now the most recently used
    assert db.derived(("k", DERIVED_MAX), make(DERIVED_MAX)) == DERIVED_MAX * 10  # drops ("k", 1)
    assert db.derived(("k", 0), make(0)) == 0
    assert db.derived(("k", 1), make(1)) == 10
    assert made == [*range(DERIVED_MAX), DERIVED_MAX, 1]


def test_threads_making_one_derived_value_all_get_the_one_kept() -> None:
    db = load_entities()
    start = threading.Barrier(8)

    def make() -> object:
        return object()

    def get(_: int) -> object:
        start.wait()
        return db.derived("shared", make)

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(get, range(8)))
    assert all(g is got[0] for g in got)


def test_start_dates_kept_equal_those_computed() -> None:
    db = load_entities()
    for aid in db.authorities:
        first = db.start_dates(aid)
        assert first == EntityDatabase._start_dates(db, aid)
        assert db.start_dates(aid) is first
    assert any(len(db.start_dates(aid)) > 1 for aid in db.authorities)  # the FCC Covered List's entries
    assert db.start_dates("no-such-authority") == ()
    assert "no-such-authority" not in db._starts  # unknown ids do not grow it


@pytest.mark.parametrize("buyer", [None, "dod"])
def test_the_entity_data_cannot_change_under_what_is_kept(buyer: str | None) -> None:
    db = load_entities().for_buyer(buyer)
    shared_matcher(db, date(2026, 12, 1))
    some_entity = next(iter(db.entities))
    with pytest.raises(TypeError):
        db.entities["acme"] = db.entities[some_entity]  # type: ignore[index]
    with pytest.raises(TypeError):
        del db.sources[next(iter(db.sources))]  # type: ignore[attr-defined]
    assert not any(hasattr(db.authorities, m) for m in ("pop", "update", "clear", "setdefault"))
    for name in (
        "version",
        "schema_version",
        "authorities",
        "entities",
        "licensed_products",
        "sources",
        "graph",
    ):
        with pytest.raises(AttributeError, match="read-only"):
            setattr(db, name, getattr(db, name))
    with pytest.raises(nx.NetworkXError):
        db.graph.add_edge(some_entity, "acme", type="majority_owned_by", kind="majority_owned")
    assert shared_matcher(db, date(2026, 12, 1)).db is db
