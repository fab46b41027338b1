"""Portfolio benchmark (issue 12): a store of P products of N components each — by default
1,000 x 1,000, a million components — then a rescan after an entity-data change.

Measured in one run, one process per measurement (so each peak resident size is its own):

``scan``    every product scanned from its file, one ``sbomscan.scan`` per product (without
            locating lines, as ``add`` scans): the original ingest and scan
``add``     every product added to a new store (read, scan, store files and documents):
            add throughput, and the store's size per component
``rescan``  a ``rescan`` of the whole store with the shipped data (nothing changed: the state
            before), then one with an overlay that lists a new vendor (the change); the
            second is the target's

Target: ``rescan`` <= 0.5x ``scan``, in CPU time (each child's ``time.process_time``: on a
machine shared with other work, wall time measures the neighbours as much as the code, and
the steps run minutes apart; wall times are shown beside), with peak memory bounded (it works in chunks: the
rescan's peak does not grow with the store), and the changes it lists are exactly the
products given the new vendor — checked here against the generator's own record of which
products it gave one, and, for every changed product, against a full scan of its file with
the overlay.

The products are ``benchmarks/generate.py``'s CycloneDX JSON, each its own seed. As in a
real portfolio, most are clean: one in ``--hit-every`` (default 20) keeps the generator's
covered-vendor components; the rest have them replaced by ordinary ones; and one in
``--new-every`` (default 50) gets one component supplied by "Example Widgets Vendor", the
vendor the overlay adds.

Usage::

    python benchmarks/bench_portfolio.py                       # 1,000 x 1,000 (15-30 minutes)
    python benchmarks/bench_portfolio.py --products 100 --n 1000
    python benchmarks/bench_portfolio.py --reuse-store         # the store of the last run, not added again

Files and stores go to ``$TMPDIR/sbomscan-bench/portfolio-P-N`` (made when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import DEFAULT_DIR, HITS, cyclonedx_json  # noqa: E402

NEW_VENDOR = "Example Widgets Vendor"
AS_OF = "2026-12-01"
OVERLAY: dict[str, Any] = {
    "schema_version": 1,
    "version": "bench-overlay-1",
    "sources": {"b": {"title": "benchmark source (fictional vendor)", "confidence": "secondary"}},
    "entities": [
        {
            "id": "example-widgets",
            "name": "Example Widgets Vendor Ltd",
            "aliases": [{"value": NEW_VENDOR, "kind": "short", "sources": ["b"]}],
            "relations": [
                {"type": "majority_owned_by", "target": "kaspersky", "since": "2020-01-01", "sources": ["b"]}
            ],
            "sources": ["b"],
        }
    ],
}
_HIT_SUPPLIERS = {s for s, _, _ in HITS if s}


def _clean(comp: dict[str, Any]) -> None:
    """Replace the generator's covered-vendor identifiers in one component (and below)."""
    if comp.get("supplier", {}).get("name") in _HIT_SUPPLIERS:
        comp["supplier"] = {"name": "Acme Widgets GmbH"}
    comp.pop("cpe", None)
    if str(comp.get("purl", "")).startswith("pkg:maven/com.huawei"):
        comp["purl"] = f"pkg:maven/org.example/{comp['name']}@{comp['version']}"
    for child in comp.get("components", ()):
        _clean(child)


def make_product(i: int, n: int, *, hits: bool, new_vendor: bool) -> bytes:
    doc = orjson.loads(cyclonedx_json(n, seed=1000 + i))
    doc["metadata"]["component"]["name"] = f"product-{i:04d}"
    doc["serialNumber"] = f"urn:uuid:00000000-0000-4000-8000-{i:012d}"
    if not hits:
        for c in doc["components"]:
            _clean(c)
    if new_vendor:
        doc["components"][n // 7 % len(doc["components"])]["supplier"] = {"name": NEW_VENDOR}
    return orjson.dumps(doc)


def generate(folder: Path, products: int, n: int, hit_every: int, new_every: int) -> dict[str, Any]:
    plan_file = folder / "plan.json"
    plan = {"products": products, "n": n, "hit_every": hit_every, "new_every": new_every}
    if plan_file.exists() and json.loads(plan_file.read_text()).get("plan") == plan:
        return dict(json.loads(plan_file.read_text()))
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "files").mkdir(parents=True)
    new: list[str] = []
    for i in range(products):
        name = f"product-{i:04d}"
        with_new = i % new_every == new_every // 2
        data = make_product(i, n, hits=i % hit_every == 0, new_vendor=with_new)
        (folder / "files" / f"{name}.cdx.json").write_bytes(data)
        if with_new:
            new.append(name)
    record = {"plan": plan, "new_vendor_products": new}
    plan_file.write_text(json.dumps(record))
    return record


# ---------------------------------------------------------------------- children


def _child(step: str, folder: Path) -> dict[str, Any]:
    """Run one step in a fresh interpreter; its timing, peak resident size and answers."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, str(folder)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _peak_kib() -> int:
    """The process's resident high-water mark (VmHWM: ru_maxrss would carry the parent's)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _files(folder: Path) -> list[Path]:
    return sorted((folder / "files").glob("*.cdx.json"))


def child_scan(folder: Path) -> dict[str, Any]:
    import sbomscan
    from sbomscan.entities import load_entities

    db = load_entities()
    t0, c0 = time.perf_counter(), time.process_time()
    findings = 0
    for path in _files(folder):
        findings += len(sbomscan.scan([path], entities=db, as_of=AS_OF, locate=False).findings)
    return {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "findings": findings}


def child_add(folder: Path) -> dict[str, Any]:
    from sbomscan.entities import load_entities
    from sbomscan.portfolio import Portfolio

    db_path = folder / "store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = load_entities()
    t0, c0 = time.perf_counter(), time.process_time()
    with Portfolio(db_path) as pf:
        for path in _files(folder):
            pf.add([path], product=path.name.split(".")[0], entities=db, as_of=AS_OF)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        pf.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        comps = pf.con.execute("SELECT count(*) FROM components").fetchone()[0]
        blob_bytes = pf.con.execute("SELECT sum(length(data)), sum(size) FROM blobs").fetchone()
    size = db_path.stat().st_size
    return {
        "seconds": seconds,
        "cpu": cpu,
        "components": comps,
        "bytes": size,
        "blob_bytes": blob_bytes[0],
        "raw_bytes": blob_bytes[1],
    }


def child_rescan(folder: Path, overlay: bool) -> dict[str, Any]:
    """A rescan of the whole store: with the shipped data alone (the state before the
    change), or with the overlay (the change the target is about)."""
    from sbomscan.portfolio import Portfolio, changes, rescan

    with Portfolio(folder / "store.db") as pf:
        t0, c0 = time.perf_counter(), time.process_time()
        result = rescan(pf, entities=[OVERLAY] if overlay else None, as_of=AS_OF)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        found = changes(pf, result.run.id)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "components": result.components,
        "scanned": len(result.scanned),
        "changes": {
            p.product: [(c.kind, c.finding.id, c.finding.entity, c.finding.severity) for c in p.changes]
            for p in found
        },
    }


def child_expected(folder: Path) -> dict[str, Any]:
    """A full scan, with the overlay, of every product the rescan said changed, and of the
    products given the new vendor: the findings the rescan should have added."""
    import sbomscan

    record = json.loads((folder / "plan.json").read_text())
    changed = json.loads((folder / "changed.json").read_text())
    out: dict[str, list[list[str]]] = {}
    for name in sorted(set(changed) | set(record["new_vendor_products"])):
        path = folder / "files" / f"{name}.cdx.json"
        report = sbomscan.scan([path], entities=[OVERLAY], as_of=AS_OF, locate=False)
        out[name] = sorted(
            (f.id, f.entity.id, f.severity) for f in report.findings if f.entity.id == "example-widgets"
        )
    return {"expected": out}


CHILDREN = {
    "scan": child_scan,
    "add": child_add,
    "rescan-base": lambda folder: child_rescan(folder, overlay=False),
    "rescan": lambda folder: child_rescan(folder, overlay=True),
    "expected": child_expected,
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--hit-every", type=int, default=20)
    ap.add_argument("--new-every", type=int, default=50)
    ap.add_argument(
        "--reuse-store",
        action="store_true",
        help="keep the store of an earlier run (its add figures are shown again) instead of adding anew",
    )
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        step, folder = args.child
        result = CHILDREN[step](Path(folder))
        result["peak_mib"] = _peak_kib() / 1024
        print(json.dumps(result))
        return 0
    folder = DEFAULT_DIR / f"portfolio-{args.products}-{args.n}"
    t0 = time.perf_counter()
    record = generate(folder, args.products, args.n, args.hit_every, args.new_every)
    print(f"{args.products} products x {args.n} components in {folder} ({time.perf_counter() - t0:.0f} s)")
    scan = _child("scan", folder)
    saved = folder / "add.json"
    if args.reuse_store and saved.exists():
        add = json.loads(saved.read_text())
        # an earlier run ended with the overlay's results: go back to the shipped data's (and
        # migrate an older store) first, so that the timed "before" rescan changes nothing
        _child("rescan-base", folder)
    else:
        add = _child("add", folder)
        saved.write_text(json.dumps(add))
    base = _child("rescan-base", folder)
    res = _child("rescan", folder)
    (folder / "changed.json").write_text(json.dumps(sorted(res["changes"])))
    expected = _child("expected", folder)["expected"]
    return report(args, record, scan, add, base, res, expected)


def _row(label: str, step: dict[str, Any], scan: dict[str, Any]) -> str:
    return (
        f"| {label} | {step['seconds']:.1f} | {step['cpu']:.1f} | {step['seconds'] / scan['seconds']:.2f} |"
        f" {step['cpu'] / scan['cpu']:.2f} | {step['peak_mib']:.0f} |"
    )


def report(
    args: argparse.Namespace,
    record: dict[str, Any],
    scan: dict[str, Any],
    add: dict[str, Any],
    base: dict[str, Any],
    res: dict[str, Any],
    expected: dict[str, Any],
) -> int:
    comps = add["components"]
    ratio = res["cpu"] / scan["cpu"]
    got = {
        p: sorted([fid, ent, sev] for kind, fid, ent, sev in ch if kind == "appeared")
        for p, ch in res["changes"].items()
    }
    others = [c for ch in res["changes"].values() for c in ch if c[0] != "appeared"]
    exact = sorted(res["changes"]) == record["new_vendor_products"] and got == expected and not others
    if not exact:
        print(f"changes listed: {json.dumps(res['changes'])}\nexpected: {json.dumps(expected)}")
    print(
        f"\n{comps:,} components stored: {add['bytes'] / comps:.0f} bytes each in the store file (files"
        f" {add['raw_bytes'] / comps:.0f} bytes each as submitted, {add['blob_bytes'] / comps:.0f} compressed);"
        f" add: {comps / add['seconds']:,.0f} components/s, {args.products / add['seconds']:.1f} products/s\n"
    )
    print("| step | wall s | CPU s | wall x scan | CPU x scan | peak MiB |")
    print("|---|---|---|---|---|---|")
    print(_row("scan: every product from its file (ingest + scan)", scan, scan))
    print(_row("add: every product into a new store (scan + store)", add, scan))
    print(_row(f"rescan, shipped data (no change; {base['scanned']} through the pipeline)", base, scan))
    print(_row(f"**rescan, overlay with a new vendor** ({res['scanned']} through the pipeline)", res, scan))
    print(
        f"\nrescan after the change: {ratio:.2f}x scan in CPU time, {res['seconds'] / scan['seconds']:.2f}x in wall"
        f" time (target <= 0.5); changes: {len(res['changes'])} products, exactly the"
        f" {len(record['new_vendor_products'])} given the new vendor, with the findings a full scan gives:"
        f" {'yes' if exact else 'NO'}; products changed by the rescan with the shipped data: {len(base['changes'])}"
    )
    return 0 if exact and ratio <= 0.5 and not base["changes"] else 1


if __name__ == "__main__":
    sys.exit(main())
