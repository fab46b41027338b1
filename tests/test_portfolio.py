"""The portfolio on a real SQLite file: add, list, show, remove; rescan from the store gives
the findings a scan of the files gives; changes lists exactly what changed; two processes
adding at once lose nothing; a process killed in the middle of ``add`` leaves the store as it
was; a store of an older schema version is migrated.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import FIXTURES, ROOT

import sbomscan
from sbomscan.errors import PortfolioError, UsageError, WaiverError
from sbomscan.portfolio import Portfolio, add, changes, render_changes, report, rescan
from sbomscan.portfolio.schema import APPLICATION_ID, SCHEMA_V1, SCHEMA_VERSION
from sbomscan.scan import load_bundle
from sbomscan.waivers import load_waivers

BUNDLES = sorted(
    [ROOT / "examples" / "secure-gateway"]
    + [p for p in (FIXTURES / "e2e").iterdir() if p.is_dir()]
    + [p for p in (FIXTURES / "bundles").iterdir() if p.is_dir()]
)

OVERLAY: dict[str, Any] = {
    "schema_version": 1,
    "version": "test-overlay-1",
    "sources": {"t": {"title": "test source", "confidence": "secondary"}},
    "entities": [
        {
            "id": "example-widgets",
            "name": "Example Widgets Vendor Ltd",
            "aliases": [{"value": "Example Widgets Vendor", "kind": "short", "sources": ["t"]}],
            "relations": [
                {"type": "majority_owned_by", "target": "kaspersky", "since": "2020-01-01", "sources": ["t"]}
            ],
            "sources": ["t"],
        }
    ],
}


def cdx(name: str, components: list[dict[str, Any]]) -> bytes:
    """A small CycloneDX 1.6 document whose root depends on every component."""
    for i, c in enumerate(components):
        c.setdefault("bom-ref", f"c{i}")
        c.setdefault("type", "library")
    return orjson.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "metadata": {
                "component": {
                    "bom-ref": "root",
                    "type": "application",
                    "name": name,
                    "version": "1",
                    "purl": f"pkg:generic/{name}@1",
                }
            },
            "components": components,
            "dependencies": [{"ref": "root", "dependsOn": [c["bom-ref"] for c in components]}],
        }
    )


def product(tmp_path: Path, name: str, supplier: str = "Harmless Tools Inc") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    comps = [
        {
            "name": f"{name}-lib",
            "version": "1.0",
            "supplier": {"name": supplier},
            "purl": f"pkg:npm/{name}-lib@1.0",
        },
        {"name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
    ]
    (folder / "sbom.cdx.json").write_bytes(cdx(name, comps))
    return folder


# ---------------------------------------------------------------------- store basics


def test_add_show_list_remove_keep_files_byte_exact(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    gateway = ROOT / "examples" / "secure-gateway"
    with Portfolio(db) as pf:
        s = pf.add([gateway], product="Gateway", version="2.1", supplier="Acme", received="2026-11-30")
        assert (s.product, s.version, s.supplier, str(s.received)) == ("Gateway", "2.1", "Acme", "2026-11-30")
        assert s.outcome == "fail" and s.documents == 2
        assert {(f.severity, f.entity) for f in s.findings} == {
            ("prohibited", "kaspersky"),
            ("review", "hikvision"),
        }
        for f in s.files:  # every file of the folder, the README too, byte for byte
            assert pf.file_bytes(s.id, f.path) == Path(f.path).read_bytes()
        assert sorted(Path(f.path).name for f in s.files) == sorted(p.name for p in gateway.iterdir())
        other = pf.add([gateway / "camera-module.cdx.json"], product="Camera")
        assert [x.product for x in pf.submissions()] == ["Gateway", "Camera"]
        blobs = pf.con.execute("SELECT count(*) FROM blobs").fetchone()[0]
        assert blobs == 3  # the camera file is stored once for both submissions
        pf.remove(s.id)
        assert [x.id for x in pf.submissions()] == [other.id]
        assert pf.con.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
        assert pf.con.execute("SELECT count(*) FROM components").fetchone()[0] == other.components
        assert pf.check() == []
        with pytest.raises(PortfolioError, match="no submission"):
            pf.submission(s.id)


def test_add_as_one_call_opens_and_closes_a_path_but_not_a_store_given_open(tmp_path: Path) -> None:
    """``sbomscan.portfolio.add`` on a path opens the store and closes it again; on an open
    :class:`Portfolio` it adds with the same keywords and leaves the caller's store open."""
    db = tmp_path / "p.db"
    gateway = ROOT / "examples" / "secure-gateway"
    first = add(db, [gateway], product="Gateway", version="2.1", supplier="Acme", received="2026-11-30")
    with Portfolio(db) as pf:
        second = add(pf, [gateway], product="Gateway", version="2.2", as_of="2026-01-01")
        assert [(s.id, s.version) for s in pf.submissions()] == [(first.id, "2.1"), (second.id, "2.2")]
        stored = pf.submission(first.id)
        assert (stored.supplier, str(stored.received), stored.outcome) == ("Acme", "2026-11-30", "fail")
        assert second.run is not None and pf.run(second.run).as_of.isoformat() == "2026-01-01"


def test_stored_documents_are_the_documents_read(tmp_path: Path) -> None:
    with Portfolio(tmp_path / "p.db") as pf:
        for bundle in BUNDLES:
            sid = pf.add([bundle], product=bundle.name).id
            docs, inputs = pf.documents(sid)
            expected_docs, expected_inputs, _ = load_bundle([bundle])
            assert docs == expected_docs, bundle
            assert inputs == expected_inputs, bundle


def test_bad_input_is_one_clear_error(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("hello, this is not a database\n" * 100)
    with pytest.raises(PortfolioError, match=r"notes\.txt"):
        Portfolio(not_sqlite)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(PortfolioError, match="not an sbomscan portfolio store"):
        Portfolio(other)
    with pytest.raises(PortfolioError, match="no such portfolio store"):
        Portfolio(tmp_path / "absent.db", create=False)
    with Portfolio(tmp_path / "p.db") as pf:
        with pytest.raises(UsageError, match="product"):
            pf.add([FIXTURES / "e2e" / "flat"], product=" ")
        with pytest.raises(UsageError, match="date received"):
            pf.add([FIXTURES / "e2e" / "flat"], product="x", received="30/11/2026")
        readme = tmp_path / "readme"
        readme.mkdir()
        (readme / "README.md").write_text("# nothing to scan here\n")
        with pytest.raises(UsageError, match="no SBOM"):
            pf.add([readme], product="x")
        assert pf.submissions() == []


# ---------------------------------------------------------------------- rescan


@pytest.mark.parametrize("as_of", ["2026-12-01", "2019-08-01"])
def test_rescan_gives_the_findings_a_scan_of_the_files_gives(tmp_path: Path, as_of: str) -> None:
    with Portfolio(tmp_path / "p.db") as pf:
        ids = {pf.add([b], product=b.name, as_of="2026-01-01").id: b for b in BUNDLES}
        result = rescan(pf, entities=[OVERLAY], as_of=as_of)
        assert result.submissions == len(BUNDLES)
        for sid, bundle in ids.items():
            expected = sbomscan.scan([bundle], entities=[OVERLAY], as_of=as_of, locate=False)
            stored = pf.submission(sid)
            assert stored.run == result.run.id
            assert stored.outcome == expected.outcome, bundle
            assert [(f.id, f.severity, f.entity, f.waived) for f in stored.findings] == sorted(
                (f.id, f.severity, f.entity.id, f.waived) for f in expected.findings
            ), bundle
            full = report(pf, sid, entities=[OVERLAY], as_of=as_of)
            assert sbomscan.render(full, "json") == sbomscan.render(expected, "json").replace("\r", "")
        # only the products with a match went through the whole pipeline
        assert set(result.scanned) == {sid for sid in ids if pf.submission(sid).findings}


def test_a_rescan_decodes_each_component_once_and_gives_pass_2_the_stored_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pass 1 keeps what it decoded for the products with a match (up to one chunk of
    components per product; a larger one is read again): whatever the chunk, pass 2 gets
    exactly the documents the store holds, the same products match, the results are the
    same, and with the default chunk every stored component is decoded once."""
    from datetime import date

    from sbomscan.entities import load_entities
    from sbomscan.portfolio import codec
    from sbomscan.portfolio.rescan import CHUNK, _matched
    from sbomscan.scan import shared_matcher

    with Portfolio(tmp_path / "p.db") as pf:
        ids = [pf.add([b], product=b.name, as_of="2026-01-01").id for b in BUNDLES]
        assert any(pf.submission(sid).documents > 1 for sid in ids)
        db = load_entities([OVERLAY])
        matcher = shared_matcher(db, date(2026, 12, 1))
        with pf.transaction("DEFERRED") as con:
            by_chunk = {chunk: list(_matched(con, matcher, chunk)) for chunk in (1, 2, 7, 60, CHUNK)}
        hit = [sid for sid, _ in by_chunk[CHUNK]]
        assert 0 < len(hit) < len(ids)
        for chunk, got in by_chunk.items():
            assert [sid for sid, _ in got] == hit, chunk
            for sid, docs in got:
                assert docs == pf.documents(sid)[0], (chunk, sid)

        decoded: list[int] = []
        real = codec.decode_components

        def counting(rows: Any, key: str) -> Any:
            out = real(rows, key)
            decoded.append(len(out))
            return out

        monkeypatch.setattr(codec, "decode_components", counting)
        whole = rescan(pf, entities=db, as_of="2026-12-01")
        assert sum(decoded) == whole.components  # each once, the products with a match too
        assert list(whole.scanned) == hit
        small = rescan(pf, entities=db, as_of="2026-12-01", chunk=3)
        assert small.scanned == whole.scanned
        for sid in ids:
            assert pf.findings(sid, small.run.id) == pf.findings(sid, whole.run.id)


def test_waivers_apply_to_add_rescan_and_report_as_to_a_scan_and_stay_with_the_run(tmp_path: Path) -> None:
    """The example's waiver accepts the lobby camera's Hikvision firmware until 2028-06-30: a
    bundle added or rescanned with it has that finding waived exactly as ``scan --waivers``
    has; a rescan given no waivers keeps each submission's own (and they lapse on their
    expiry, as in a scan); given waivers replace them; ``()`` rescans with none; a report
    from the store applies its latest result's. ``changes`` names each finding whose waiver
    started or stopped applying."""
    gateway, waivers = ROOT / "examples" / "secure-gateway", ROOT / "examples" / "waivers.yaml"
    day, lapsed = "2026-06-01", "2028-07-01"
    expected = {
        (d, w): sbomscan.scan([gateway], as_of=d, waivers=w, locate=False)
        for d in (day, lapsed)
        for w in (None, str(waivers))
    }
    records = tuple(load_waivers(waivers))

    def same(sid: int, w: str | None, d: str = day) -> None:
        stored = pf.submission(sid)
        assert stored.outcome == expected[d, w].outcome
        assert [(f.id, f.waived) for f in stored.findings] == sorted(
            (f.id, f.waived) for f in expected[d, w].findings
        )
        rendered = sbomscan.render(report(pf, sid), "json")
        assert rendered == sbomscan.render(expected[d, w], "json").replace("\r", "")
        assert pf.waivers(sid) == (records if w else ())

    def kinds(run: int) -> list[tuple[int, list[tuple[str, str]]]]:
        return [(p.submission, [(c.kind, c.finding.entity) for c in p.changes]) for p in changes(pf, run)]

    assert [f.waived for f in expected[day, str(waivers)].findings].count(True) == 1
    assert not any(f.waived for f in expected[lapsed, str(waivers)].findings)
    with Portfolio(tmp_path / "p.db") as pf:
        plain = add(pf, [gateway], product="Gateway", as_of=day).id
        waived = add(pf, [gateway], product="Gateway", as_of=day, waivers=waivers).id
        same(plain, None)
        same(waived, str(waivers))
        assert pf.run(pf.submission(waived).run).waivers == records
        assert pf.run(pf.submission(plain).run).waivers == ()
        # no waivers given: each submission keeps its own, so nothing changes
        kept = rescan(pf, as_of=day)
        assert (kept.run.waivers, kept.run.waivers_kept) == ((), True)
        same(plain, None)
        same(waived, str(waivers))
        assert kinds(kept.run.id) == []
        # waivers given replace them for every submission: the plain one's camera is waived now
        given = rescan(pf, as_of=day, waivers=waivers)
        assert (given.run.waivers, given.run.waivers_kept) == (records, False)
        same(plain, str(waivers))
        same(waived, str(waivers))
        assert kinds(given.run.id) == [(plain, [("waived", "hikvision")])]
        # kept again; past the waiver's expiry it no longer waives, for both
        assert kinds(rescan(pf, as_of=day).run.id) == []
        expiry = rescan(pf, as_of=lapsed).run.id
        same(plain, str(waivers), lapsed)
        same(waived, str(waivers), lapsed)
        lapse = [("severity", "hikvision"), ("waiver-lapsed", "hikvision")]  # §889 in force by then
        assert kinds(expiry) == [(plain, lapse), (waived, lapse)]
        # an explicit "none": the waivers are gone, and stay gone on the next rescan
        rescan(pf, as_of=day)
        assert rescan(pf, as_of=day, waivers=()).run.waivers_kept is False
        same(plain, None)
        same(waived, None)
        rescan(pf, as_of=day)
        same(waived, None)
        # a report from the store with other waivers, or with none
        with_them = sbomscan.render(report(pf, waived, waivers=waivers), "json")
        assert with_them == sbomscan.render(expected[day, str(waivers)], "json").replace("\r", "")
        # a bad waivers file: one error naming it, before anything is stored
        bad = tmp_path / "bad.yaml"
        bad.write_text("- entity: hikvision\n")
        with pytest.raises(WaiverError, match=r"bad\.yaml"):
            pf.add([gateway], product="Gateway", waivers=bad)
        with pytest.raises(WaiverError, match=r"bad\.yaml"):
            rescan(pf, waivers=bad)
        assert len(pf.submissions()) == 2 and len(pf.runs()) == 9
        with pytest.raises(PortfolioError, match="no result of submission"):
            pf.waivers(waived, 1)  # run 1 was the other submission's add


def test_changes_name_the_waivers_of_both_sides_escaped_in_every_format(tmp_path: Path) -> None:
    """A waiver lapses on its expiry: ``changes`` lists the finding as ``waiver-lapsed``, gives
    the waivers on both sides and counts the expired one; what the waivers file says is
    written escaped for a terminal and for the page."""
    gateway = ROOT / "examples" / "secure-gateway"
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "- entity: hikvision\n  bom_ref: ipc-firmware\n  justification: ok\n"
        '  approver: "<script>alert(1)</script> \\e[2J"\n  expiry: 2027-01-31\n'
    )
    with Portfolio(tmp_path / "p.db") as pf:
        sid = pf.add([gateway], product="Gateway", as_of="2026-12-01", waivers=waivers).id
        rescan(pf, as_of="2027-02-01")
        (item,) = changes(pf)
        text, page = render_changes([item]), render_changes([item], "html")
        as_json = orjson.loads(render_changes([item], "json"))
    assert item.submission == sid and item.waivers_before == item.waivers_after == tuple(
        load_waivers(waivers)
    )
    assert [(c.kind, c.finding.entity, c.finding.waived) for c in item.changes] == [
        ("waiver-lapsed", "hikvision", False)
    ]
    assert "  waivers: 1 before, 1 after (1 expired by 2027-02-01)\n" in text and "\x1b" not in text
    assert "(expired on the as-of date: waives nothing)" in page and "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "\x1b" not in page
    (product,) = as_json["products"]
    assert [w["expiry"] for w in product["waivers_after"]] == ["2027-01-31"]
    assert product["waivers_before"][0]["approver"].startswith("<script>")  # JSON keeps the text


def test_a_rescan_keeps_the_waivers_of_a_store_written_before_they_were_kept(tmp_path: Path) -> None:
    """A store of schema version 3 (waivers recorded per run only) is migrated, and a rescan
    without waivers keeps the ones each submission's ``add`` applied."""
    gateway, waivers = ROOT / "examples" / "secure-gateway", ROOT / "examples" / "waivers.yaml"
    db = tmp_path / "p.db"
    with Portfolio(db) as pf:
        sid = pf.add([gateway], product="Gateway", as_of="2026-06-01", waivers=waivers).id
        pf.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(db) as con:  # back to version 3's layout
        con.execute("ALTER TABLE results DROP COLUMN waivers")
        con.execute("ALTER TABLE runs DROP COLUMN waivers_kept")
        con.execute("PRAGMA user_version = 3")
    con.close()
    with Portfolio(db) as pf:
        assert pf.schema_version == SCHEMA_VERSION and pf.check() == []
        assert pf.waivers(sid) == tuple(load_waivers(waivers))
        rescan(pf, as_of="2026-06-01")
        assert [f.waived for f in pf.submission(sid).findings].count(True) == 1
        assert changes(pf) == []


def test_changes_after_a_new_listing_name_exactly_the_affected_products(tmp_path: Path) -> None:
    with Portfolio(tmp_path / "p.db") as pf:
        names = [f"p{i}" for i in range(6)]
        ids = {}
        for i, name in enumerate(names):
            supplier = "Example Widgets Vendor" if i in (1, 4) else "Harmless Tools Inc"
            ids[name] = pf.add([product(tmp_path, name, supplier)], product=name, version="1").id
        first = rescan(pf, as_of="2026-12-01")
        assert changes(pf, first.run.id) == []  # nothing changed since each add
        second = rescan(pf, entities=[OVERLAY], as_of="2026-12-01")
        found = changes(pf)
        assert [p.product for p in found] == ["p1", "p4"]
        for p in found:
            assert (p.before and p.before.id, p.after.id) == (first.run.id, second.run.id)
            assert (p.outcome_before, p.outcome_after) == ("pass", "fail")
            assert [(c.kind, c.finding.entity, c.finding.severity) for c in p.changes] == [
                ("appeared", "example-widgets", "prohibited")
            ]
            assert p.after.data_version.endswith("test-overlay-1") or "test-overlay-1" in {
                f.version for f in p.after.data_files
            }
        assert set(second.scanned) == {ids["p1"], ids["p4"]}
        # before the relation's start the listing is only a notice: a severity change
        rescan(pf, entities=[OVERLAY], as_of="2019-06-01")
        sev = changes(pf)
        assert [
            (p.product, [(c.kind, c.before and c.before.severity, c.finding.severity) for c in p.changes])
            for p in sev
        ] == [
            ("p1", [("severity", "prohibited", "notice")]),
            ("p4", [("severity", "prohibited", "notice")]),
        ]
        # the overlay dropped: the findings disappear
        rescan(pf, as_of="2019-06-01")
        gone = changes(pf)
        assert [(p.product, [c.kind for c in p.changes], p.outcome_after) for p in gone] == [
            ("p1", ["disappeared"], "pass"),
            ("p4", ["disappeared"], "pass"),
        ]
        assert len(changes(pf, unchanged=True)) == len(names)
        as_json = orjson.loads(render_changes(found, "json"))
        assert [p["product"] for p in as_json["products"]] == ["p1", "p4"]
        assert as_json["products"][0]["changes"][0]["after"]["entity"] == "example-widgets"
        text = render_changes(found)
        assert "appeared" in text and "Example Widgets Vendor Ltd" in text and "p4 1: pass -> fail" in text


def test_changes_text_escapes_what_the_sbom_wrote(tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    folder.mkdir()
    comps = [{"name": "x\x1b[2J\u202eevil", "version": "1", "supplier": {"name": "Example Widgets Vendor"}}]
    (folder / "sbom.cdx.json").write_bytes(cdx("evil", comps))
    with Portfolio(tmp_path / "p.db") as pf:
        pf.add([folder], product="evil\x1b]0;title\x07")
        rescan(pf, entities=[OVERLAY], as_of="2026-12-01")
        text = render_changes(changes(pf))
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\x1b[2J\\u202eevil" in text


# ---------------------------------------------------------------------- processes


def _adder(db: Path, folders: list[Path], label: str) -> subprocess.Popen[bytes]:
    code = textwrap.dedent(
        """
        import sys
        from sbomscan.portfolio import add
        db, label, *folders = sys.argv[1:]
        for i, f in enumerate(folders):
            add(db, [f], product=f"{label}-{i}")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, str(db), label, *map(str, folders)], env=env)


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Portfolio(db).close()
    a = [product(tmp_path, f"a{i}") for i in range(6)]
    b = [product(tmp_path, f"b{i}") for i in range(6)]
    procs = [_adder(db, a, "a"), _adder(db, b, "b")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    with Portfolio(db) as pf:
        assert sorted(s.product for s in pf.submissions()) == sorted(
            [f"a-{i}" for i in range(6)] + [f"b-{i}" for i in range(6)]
        )
        assert all(s.outcome == "pass" and s.components == 3 for s in pf.submissions())
        assert pf.check() == []


def test_a_process_killed_in_the_middle_of_add_leaves_the_store_consistent(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    big = tmp_path / "big"
    big.mkdir()
    (big / "sbom.cdx.json").write_bytes(generate.cyclonedx_json(60_000, seed=3))
    db = tmp_path / "p.db"
    with Portfolio(db) as pf:
        pf.add([product(tmp_path, "small")], product="small")
    wal = Path(f"{db}-wal")
    start = wal.stat().st_size if wal.exists() else 0
    proc = _adder(db, [big], "big")
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > start + 4_000_000:  # the add's transaction is writing
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the add finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    with Portfolio(db) as pf:
        assert pf.check() == []
        assert [s.product for s in pf.submissions()] == ["small"]
        assert pf.con.execute("SELECT count(*) FROM components").fetchone()[0] == 3
        pf.add([big], product="big again")  # and it goes on working
        assert pf.check() == []


# ---------------------------------------------------------------------- schema versions


def _v1_copy(current: Path, old: Path) -> None:
    """A store as the first schema version wrote it, with the data of ``current``."""
    con = sqlite3.connect(old)
    con.executescript(SCHEMA_V1)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.execute("ATTACH DATABASE ? AS cur", (str(current),))
    for (table,) in con.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
        columns = ", ".join(r[1] for r in con.execute(f"PRAGMA main.table_info({table})"))
        con.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM cur.{table}")
    con.commit()
    con.execute("DETACH DATABASE cur")
    con.close()


def test_a_store_of_schema_version_1_is_migrated(tmp_path: Path) -> None:
    current = tmp_path / "current.db"
    with Portfolio(current) as pf:
        sid = pf.add([ROOT / "examples" / "secure-gateway"], product="Gateway").id
        pf.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    old = tmp_path / "old.db"
    _v1_copy(current, old)
    with sqlite3.connect(old) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "data_files" not in [r[1] for r in con.execute("PRAGMA table_info(runs)")]
    with Portfolio(old) as pf:
        assert pf.schema_version == SCHEMA_VERSION == 4
        assert pf.check() == []
        (run,) = pf.runs()
        assert run.data_files == ()  # not recorded by version 1
        assert run.waivers == ()  # nor the waivers, which runs before version 3 never applied
        assert run.waivers_kept is False and pf.waivers(sid) == ()
        assert pf.submission(sid).outcome == "fail"
        rescan(pf, entities=[OVERLAY], as_of="2026-12-01")
        (item,) = changes(pf, unchanged=True)
        assert item.before is not None and item.before.data_files == () and item.after.data_files
    # a migrated store and a new one are the same database
    with Portfolio(old) as a, Portfolio(tmp_path / "fresh.db") as b:
        for table in ("runs", "findings", "submissions", "components"):
            assert (
                a.con.execute(f"PRAGMA table_info({table})").fetchall()
                == b.con.execute(f"PRAGMA table_info({table})").fetchall()
            )
        index = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        assert a.con.execute(index).fetchall() == b.con.execute(index).fetchall()


def test_a_store_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Portfolio(db).close()
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(PortfolioError, match=f"schema version {SCHEMA_VERSION + 1} is newer"):
        Portfolio(db)


# ---------------------------------------------------------------------- memory


def _store_of_copies(tmp_path: Path, name: str, copies: int, product_file: Path) -> Path:
    db = tmp_path / f"{name}.db"
    with Portfolio(db) as pf:
        for i in range(copies):
            pf.add([product_file], product=f"{name}-{i}", as_of="2026-12-01")
    return db


def test_rescan_memory_does_not_grow_with_the_store(tmp_path: Path) -> None:
    """A rescan reads the store in chunks: its peak is the same for a store ten times larger
    (clean products: the first pass alone, which is where the whole store is read)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_portfolio import make_product
    from bounded import run_bounded

    product_file = tmp_path / "clean.cdx.json"
    product_file.write_bytes(make_product(1, 4000, hits=False, new_vendor=False))
    code = textwrap.dedent(
        """
        from sbomscan.entities import load_entities
        from sbomscan.portfolio import Portfolio, rescan
        db = load_entities()
        with Portfolio(sys.argv[1] if len(sys.argv) > 1 else {path!r}) as pf:
            rescan(pf, db, "2026-12-01", chunk=2000)  # warm: the matcher's tables and caches
            _reset_peak()
            result = rescan(pf, db, "2026-12-01", chunk=2000)
        _report(components=result.components, scanned=len(result.scanned))
        """
    )
    peaks = {}
    for copies in (2, 20):
        db = _store_of_copies(tmp_path, f"s{copies}", copies, product_file)
        got = run_bounded(code.format(path=str(db)), seconds=600)
        assert (got["components"], got["scanned"]) == (copies * 4001, 0)
        peaks[copies] = got["peak_kib"]
    assert peaks[20] < peaks[2] + 8 * 1024, peaks  # 80,000 more components: under 8 MiB more


def test_changes_as_a_self_contained_html_page(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    folder = tmp_path / "evil"
    folder.mkdir()
    comps = [
        {"name": "<script>alert(1)</script>", "version": "1", "supplier": {"name": "Example Widgets Vendor"}}
    ]
    (folder / "sbom.cdx.json").write_bytes(cdx("evil", comps))
    with Portfolio(tmp_path / "p.db") as pf:
        pf.add([folder], product='<img src=x onerror="alert(1)">', version="1\u202e")
        rescan(pf, entities=[OVERLAY], as_of="2026-12-01")
        page = render_changes(changes(pf), "html")

    class Seen(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.attrs: list[tuple[str, str | None]] = []
            self.cells: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self.attrs += attrs

        def handle_data(self, data: str) -> None:
            self.cells.append(data)

    seen = Seen()
    seen.feed(page)
    assert "script" not in seen.tags and "img" not in seen.tags  # written as text, not markup
    assert not [v for k, v in seen.attrs if k in ("src", "href") or k.startswith("on")]
    assert "<script>alert(1)</script>" in "".join(seen.cells)  # shown as the SBOM wrote it
    assert "\u202e" not in page and "\\u202e" in page
    assert seen.tags.count("tr") == 2 and "appeared" in seen.cells  # header + one change
    assert "PROHIBITED" in page and "Content-Security-Policy" in page
