"""Ingest / graph / match / full-scan benchmark: our time as a ratio of a raw parse of the
same file, measured in the same process, interleaved.

These machines are shared and noisy, so only ratios measured together mean anything. For
each generated file one child process runs, ``--repeat`` times over, the raw parse
(``orjson.loads`` for JSON, ``lxml`` for XML, decode + line split for tag-value) and then
each of our stages, one after the other, and keeps the best time of each: a burst of load
from someone else hits a whole round, not one side of a ratio. Peak memory is measured in
a separate child per stage (one run each), so that ``ru_maxrss`` is that stage's own peak.

Stages (each timed on its own, from the bytes in memory):

``parse``       the raw parse, as anyone would call it (cyclic GC on, the default)
``parse-nogc``  the same with the cyclic GC paused (JSON only: the floor, see docs/performance.md)
``load``        ``sbomscan.load(data)``: detection, parse, the format reader, the Document
``graph``       ``build_graph([sbomscan.load(data)])``: "loading into the graph"
``match``       ``Matcher.match_graph(graph)`` on a graph built beforehand, with a fresh
                Matcher built beforehand too (its build from the entity data is ``matcher``)
``matcher``     ``Matcher(load_entities(), as_of=...)``: reading the shipped entity data and
                building the index, once per scan whatever the SBOM's size
``scan``        ``sbomscan.scan([path])`` with the shipped data/entities.json, then the
                JSON report rendered: everything the CLI does but writing the report. From
                the file, as the CLI does: reading it is included, and so is reading it once
                more to give the findings their lines (:mod:`sbomscan.locate`)

Usage::

    python benchmarks/bench_ingest.py                       # N = 1k, 10k, 100k; all five encodings
    python benchmarks/bench_ingest.py --sizes 1000000 --formats cyclonedx.json,spdx.json

Generated files go to ``$TMPDIR/sbomscan-bench`` (``--out``); they are made when missing.
Prints Markdown tables to paste into docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import DEFAULT_DIR, GENERATORS  # noqa: E402

STAGES = ("load", "graph", "match", "matcher", "scan")
AS_OF = datetime.date(2026, 1, 1)
"""A fixed as-of date, so that every run decides the same findings."""


def _parse(fmt: str, data: bytes) -> Any:
    if fmt.endswith((".json", ".jsonld")):
        import orjson

        return orjson.loads(data)
    if fmt.endswith(".xml"):
        from lxml import etree

        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    return data.decode().splitlines()


def _stage(fmt: str, stage: str, data: bytes, path: str) -> tuple[Any, Any]:
    """Return (a function that runs the stage, its untimed set-up result)."""
    import gc

    import sbomscan
    from sbomscan.entities import load_entities
    from sbomscan.graph import build_graph
    from sbomscan.match import Matcher
    from sbomscan.report import render
    from sbomscan.scan import scan

    if stage == "parse":
        return (lambda: _parse(fmt, data)), None
    if stage == "parse-nogc":

        def parse_nogc() -> Any:
            gc.disable()
            try:
                return _parse(fmt, data)
            finally:
                gc.enable()

        return parse_nogc, None
    if stage == "load":
        return (lambda: sbomscan.load(data)), None
    if stage == "graph":
        return (lambda: build_graph([sbomscan.load(data)])), None
    if stage == "matcher":
        return (lambda: Matcher(load_entities(), as_of=AS_OF)), None
    if stage == "match":
        db = load_entities()
        holder: dict[str, Any] = {}

        def prepare() -> None:
            # A fresh graph and Matcher (fresh caches) every round, built untimed and
            # dropped once matched: a graph held across the rounds would make every other
            # stage's garbage collector walk it, the default parse's above all, which would
            # flatter every "×parse" ratio.
            holder["g"] = build_graph([sbomscan.load(data)])
            holder["m"] = Matcher(db, as_of=AS_OF)

        def match() -> Any:
            # The graph and Matcher go out with the result, freed once the timer stops
            # (freeing a 100,000-component graph costs about a tenth of loading it).
            graph, matcher = holder.pop("g"), holder.pop("m")
            return matcher.match_graph(graph), graph, matcher

        return match, prepare
    if stage == "scan":

        def full_scan() -> Any:
            report = scan([path], as_of=AS_OF)
            return report, render(report, "json")

        return full_scan, None
    raise SystemExit(f"unknown stage {stage}")


def _time_child(path: str, fmt: str, stages: list[str], repeat: int) -> dict[str, Any]:
    """Inside a child process: interleave the stages ``repeat`` times, keep each best time."""
    import gc

    data = Path(path).read_bytes()
    runners = {s: _stage(fmt, s, data, path) for s in stages}
    best = dict.fromkeys(stages, float("inf"))
    extra: dict[str, Any] = {}
    for _ in range(repeat):
        for s in stages:
            fn, prepare = runners[s]
            if callable(prepare):
                prepare()
            gc.collect()
            t0 = time.perf_counter()
            out = fn()
            best[s] = min(best[s], time.perf_counter() - t0)
            if s == "scan":
                extra["findings"] = len(out[0].findings)
            elif s == "load":
                extra["components"] = len(out.components)
            del out
    return {"seconds": best, **extra}


def _mem_child(path: str, fmt: str, stage: str) -> dict[str, Any]:
    """Inside a child process: run one stage once; its peak RSS above the starting point."""
    import gc
    import resource

    data = Path(path).read_bytes()
    fn, prepare = _stage(fmt, stage, data, path)
    if callable(prepare):
        prepare()
    gc.collect()
    # The current RSS, not ru_maxrss, as the starting point: reading the file may have
    # peaked higher for a moment (the bytes copied once), which is not this stage's memory.
    base = _rss_kib()
    out = fn()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    held = _rss_kib() - base
    del out
    return {"peak_kib": peak - base, "held_kib": held}


def _rss_kib() -> int:
    """The current resident set size (Linux), else the high-water mark so far."""
    import resource

    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() // 1024
    except OSError:
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _child(*args: str) -> dict[str, Any] | None:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(f"{' '.join(args)}: {proc.stderr.strip().splitlines()[-1:]}\n")
        return None
    return dict(json.loads(proc.stdout))


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--formats", default=",".join(GENERATORS))
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--repeat", type=int, default=5, help="rounds below 1,000,000 components (default 5)")
    ap.add_argument("--repeat-large", type=int, default=2, help="rounds at 1,000,000 and more (default 2)")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory children")
    ap.add_argument("--out", default=str(DEFAULT_DIR))
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, *rest = args.child
        if mode == "time":
            path, fmt, stages, repeat = rest
            print(json.dumps(_time_child(path, fmt, stages.split(","), int(repeat))))
        else:
            path, fmt, stage = rest
            print(json.dumps(_mem_child(path, fmt, stage)))
        return 0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = [s for s in args.stages.split(",") if s]
    print(
        f"Run {datetime.date.today().isoformat()}, Python {platform.python_version()}, "
        f"{platform.machine()}; best of the rounds; ratios are to `parse` in the same rounds.\n"
    )
    print(
        "| encoding | N | MB | parse s | load ×parse | load+graph ×parse | load+graph ×parse (GC off)"
        " | match ×(load+graph) | matcher ×(load+graph) | scan ×parse | µs/component (load+graph)"
        " | parse peak MB | peak (load+graph) ×parse peak | peak (load+graph) ×parsed tree"
        " | peak (scan) ×parse peak | findings |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        for fmt in args.formats.split(","):
            path = out / f"bench-{n}.{fmt}"
            if not path.exists():
                path.write_bytes(GENERATORS[fmt](n))
            repeat = args.repeat if n < 1_000_000 else args.repeat_large
            stages = ["parse"] + (["parse-nogc"] if fmt.endswith((".json", ".jsonld")) else []) + wanted
            res = _child("time", str(path), fmt, ",".join(stages), str(repeat))
            if res is None:
                continue
            sec: dict[str, float] = res["seconds"]
            mem: dict[str, float | None] = {}
            if not args.no_memory:
                for s in ("parse", "graph", "scan"):
                    if s == "parse" or s in wanted:
                        m = _child("mem", str(path), fmt, s)
                        mem[s] = m["peak_kib"] if m else None
                        if s == "parse":
                            mem["tree"] = m["held_kib"] if m else None
            parse = sec["parse"]
            lg = sec.get("graph")
            cells = [
                fmt,
                f"{n:,}",
                f"{path.stat().st_size / 1e6:.1f}",
                f"{parse:.3f}",
                _ratio(sec.get("load"), parse),
                _ratio(lg, parse),
                _ratio(lg, sec.get("parse-nogc")),
                _ratio(sec.get("match"), lg),
                _ratio(sec.get("matcher"), lg),
                _ratio(sec.get("scan"), parse),
                f"{lg / n * 1e6:.1f}" if lg else "n/a",
                f"{mem['parse'] / 1024:.0f}" if mem.get("parse") else "n/a",
                _ratio(mem.get("graph"), mem.get("parse")),
                _ratio(mem.get("graph"), mem.get("tree")),
                _ratio(mem.get("scan"), mem.get("parse")),
                str(res.get("findings", "n/a")),
            ]
            print("| " + " | ".join(cells) + " |")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
