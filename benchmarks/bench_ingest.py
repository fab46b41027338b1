"""Ingest / graph / full-scan benchmark: our time as a ratio of a raw parse of the same file.

These machines are shared and noisy, so only ratios measured in one run mean anything:
for each generated file we time the raw parse (``orjson.loads`` for JSON, ``lxml``
for XML, a plain line split for tag-value) and, in the same process right after, our
stages. Each measurement runs in its own subprocess so that peak RSS (``ru_maxrss``) is
the peak of that measurement alone.

Usage::

    python benchmarks/bench_ingest.py                       # N = 1k, 10k, 100k, all encodings
    python benchmarks/bench_ingest.py --sizes 1000000 --formats cyclonedx.json

Prints a Markdown table to paste into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import GENERATORS  # noqa: E402

STAGES = ("parse", "load", "graph", "scan")


def _measure(path: str, fmt: str, stage: str, repeat: int) -> dict[str, float]:
    """Run inside a child process: time one stage on one file, report seconds and peak RSS."""
    import resource

    data = Path(path).read_bytes()
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        if stage == "parse":
            if fmt.endswith(".json"):
                import orjson

                obj = orjson.loads(data)
            elif fmt.endswith(".xml"):
                from lxml import etree

                obj = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
            else:
                obj = data.decode().splitlines()
        elif stage == "load":
            import sbomscan

            obj = sbomscan.load(data)
        elif stage == "graph":
            import sbomscan
            from sbomscan.graph import build_graph

            obj = build_graph([sbomscan.load(data)])
        else:
            from sbomscan.scan import scan

            obj = scan([data])
        best = min(best, time.perf_counter() - t0)
        del obj
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": best, "peak_kib": float(peak), "base_kib": float(base_rss)}


def _child(path: Path, fmt: str, stage: str, repeat: int) -> dict[str, float] | None:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(path), fmt, stage, str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(f"{fmt} {stage}: {proc.stderr.strip().splitlines()[-1:]}\n")
        return None
    return dict(json.loads(proc.stdout))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--formats", default=",".join(GENERATORS))
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "_generated"))
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        path, fmt, stage, repeat = args.child
        print(json.dumps(_measure(path, fmt, stage, int(repeat))))
        return 0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stages = [s for s in args.stages.split(",") if s]
    if "parse" not in stages:
        stages.insert(0, "parse")
    print(
        "| encoding | N | file MB | " + " | ".join(f"{s} ×parse" for s in stages[1:]) + " | parse s |"
        " peak RSS (load+graph) ×parse |"
    )
    print("|---|---|---|" + "---|" * (len(stages) - 1) + "---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        for fmt in args.formats.split(","):
            path = out / f"bench-{n}.{fmt}"
            if not path.exists():
                path.write_bytes(GENERATORS[fmt](n))
            repeat = args.repeat if n <= 100_000 else 1
            res = {s: _child(path, fmt, s, repeat) for s in stages}
            parse = res["parse"]
            if parse is None:
                continue
            cells = []
            for s in stages[1:]:
                r = res[s]
                cells.append(f"{r['seconds'] / parse['seconds']:.2f}" if r else "n/a")
            mem = res.get("graph") or res.get("load")
            mem_ratio = (
                f"{(mem['peak_kib'] - mem['base_kib']) / max(1.0, parse['peak_kib'] - parse['base_kib']):.2f}"
                if mem
                else "n/a"
            )
            mb = path.stat().st_size / 1e6
            print(
                f"| {fmt} | {n:,} | {mb:.1f} | "
                + " | ".join(cells)
                + f" | {parse['seconds']:.3f} | {mem_ratio} |"
            )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
