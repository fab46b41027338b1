"""Small-scan benchmark: the fixed cost a scan pays whatever its size, over many small
bundles scanned one after another in one process, as a batch worker, a portfolio's ``add``
or a library caller scans them.

Each bundle is about 100 components (``benchmarks/generate.py``: half CycloneDX 1.6 JSON,
half SPDX 2.3 JSON, three covered-vendor hits each, as in ``bench_batch.py``). One entity
database is loaded first and given to every scan (``sbomscan.scan([path], entities=db,
as_of=...)``, lines located, JSON report made), which is how every caller that scans more
than once holds it. What is timed is CPU time (``time.process_time``) per scan, over all
the bundles, after one warm-up scan; the best of ``--repeat`` passes.

With ``--against TREE`` the same measurement runs in child processes, alternately with
this checkout's code and with TREE's (``PYTHONPATH`` switched; this script for both), A B
A B ..., and prints each pass and the ratio of the best of each::

    python benchmarks/bench_small.py                                  # 1,000 bundles, this checkout
    python benchmarks/bench_small.py --against /work/wt/baseline --rounds 3

Files go to ``$TMPDIR/sbomscan-bench/small-<files>`` (made when missing; read once before
timing, so every pass finds them in the page cache).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import DEFAULT_DIR, small_bundles  # noqa: E402

AS_OF = "2026-12-01"


def measure(paths: list[Path], repeat: int) -> dict[str, float]:
    """CPU milliseconds per scan (best pass), and of the first scan of the process (the one
    that builds whatever later scans reuse), with one entity database for all of them."""
    from sbomscan import scan
    from sbomscan.entities import load_entities
    from sbomscan.report.json import to_dict

    db = load_entities()
    c0 = time.process_time()
    to_dict(scan([paths[0]], entities=db, as_of=AS_OF))
    first = time.process_time() - c0
    best = float("inf")
    for _ in range(repeat):
        c0 = time.process_time()
        for p in paths:
            to_dict(scan([p], entities=db, as_of=AS_OF))
        best = min(best, time.process_time() - c0)
    return {"first_ms": 1000 * first, "per_scan_ms": 1000 * best / len(paths)}


def _child(tree: Path, args: argparse.Namespace) -> dict[str, float]:
    """One measurement in a new process running ``tree``'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    argv = [sys.executable, __file__, "--files", str(args.files), "--repeat", str(args.repeat), "--json"]
    if args.dir is not None:
        argv += ["--dir", str(args.dir)]
    out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the files per measurement")
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--against", type=Path, default=None, help="another checkout, measured alternately")
    ap.add_argument("--rounds", type=int, default=2, help="A/B rounds with --against")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    directory = args.dir or Path(DEFAULT_DIR) / f"small-{args.files}"
    paths = small_bundles(args.files, directory)
    for p in paths:  # into the page cache
        p.read_bytes()
    if args.json:
        print(json.dumps(measure(paths, args.repeat)))
        return 0
    now = datetime.datetime.now(datetime.timezone.utc)
    print(f"{now:%Y-%m-%d %H:%M} UTC; {len(paths)} bundles of 90-110 components in {directory}")
    if args.against is None:
        r = measure(paths, args.repeat)
        print(f"first scan {r['first_ms']:.1f} ms CPU; then {r['per_scan_ms']:.2f} ms CPU per scan")
        return 0
    trees = {"this": HERE.parent, "other": args.against.resolve()}
    best: dict[str, float] = {}
    for round_ in range(args.rounds):
        order = ("other", "this") if round_ % 2 == 0 else ("this", "other")
        for side in order:
            r = _child(trees[side], args)
            best[side] = min(best.get(side, float("inf")), r["per_scan_ms"])
            print(
                f"round {round_ + 1}: {side:5} ({trees[side]}) first scan {r['first_ms']:6.1f} ms, "
                f"then {r['per_scan_ms']:6.2f} ms CPU per scan",
                flush=True,
            )
    print(f"this / other, best of each: {best['this'] / best['other']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
