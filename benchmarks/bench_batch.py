"""Batch benchmark: many small bundles scanned by one process, by two plain worker processes
and by Dask local clusters of one and two workers, in one run, rounds interleaved.

Targets (issue 12, part 3), on 10,000 generated SBOM files of about 100 components:

- two workers scan at least 1.7x as many bundles a second as one (``dask-2 / serial``);
- the Dask local cluster is within 15% of two plain worker processes doing the same work
  (``dask-2 / pool-2`` at least 0.85): what the scheduler, its messages and the result
  transfers cost.

Every mode does the whole job a user waits for: start its workers (the Dask cluster, the
process pool; ``serial`` loads nothing in advance either), scan each file as one bundle
with :func:`sbomscan.batch.scan_bundle` — the shipped entity data, today's date — and write
the JSON-lines result set (:func:`sbomscan.batch.result_line`) to a file, in input order.
The modes:

``serial``   one process, this one, scanning file after file (one worker, no Dask)
``pool-2``   :class:`concurrent.futures.ProcessPoolExecutor` with two processes, the
             results written here as they come back in order (the plain two-worker figure)
``dask-1``   :func:`sbomscan.batch.run_batch` on a new local cluster of one worker
``dask-2``   :func:`sbomscan.batch.run_batch` on a new local cluster of two workers

All four result files must be byte-identical (checked every round): the same bundles give
the same results however they are run.

Usage::

    python benchmarks/bench_batch.py                       # 10,000 files, 1 round (about 8 minutes)
    python benchmarks/bench_batch.py --files 2000 --repeat 3 --modes serial,dask-2

The files (half CycloneDX 1.6 JSON, half SPDX 2.3 JSON; 90-110 components; three
covered-vendor hits each, so every report has findings and paths) go to
``$TMPDIR/sbomscan-bench/batch-<files>`` and are made when missing. They are read once
before timing, so every mode finds them in the page cache.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import filecmp
import itertools
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import DEFAULT_DIR, small_bundles  # noqa: E402

from sbomscan.batch import (  # noqa: E402
    BatchOptions,
    BundleResult,
    default_chunk,
    result_line,
    run_batch,
    scan_bundle,
)

MODES = ("serial", "pool-2", "dask-1", "dask-2")


def _write(results: Iterable[BundleResult], out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for r in results:
            f.write(result_line(r))
            n += 1
    return n


def _serial(paths: list[str], options: BatchOptions) -> Iterable[BundleResult]:
    return (scan_bundle(p, options, i) for i, p in enumerate(paths))


def _pool(paths: list[str], options: BatchOptions, chunk: int) -> Iterable[BundleResult]:
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        yield from pool.map(scan_bundle, paths, itertools.repeat(options), range(len(paths)), chunksize=chunk)


def _cpu() -> float:
    """CPU seconds used so far by this process and by its children that have ended (the
    pool's and the local cluster's worker processes, once they are shut down)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def run_mode(
    mode: str, paths: list[str], options: BatchOptions, out: Path, chunk: int
) -> tuple[float, float]:
    """Seconds for ``mode`` to scan every path and write the result set to ``out``, and the
    CPU seconds it used in all its processes."""
    runs: dict[str, Callable[[], Iterable[BundleResult]]] = {
        "serial": lambda: _serial(paths, options),
        "pool-2": lambda: _pool(paths, options, chunk),
        "dask-1": lambda: run_batch(paths, options, workers=1, chunk=chunk),
        "dask-2": lambda: run_batch(paths, options, workers=2, chunk=chunk),
    }
    cpu0, t0 = _cpu(), time.perf_counter()
    written = _write(runs[mode](), out)
    seconds = time.perf_counter() - t0
    assert written == len(paths), (mode, written)
    return seconds, _cpu() - cpu0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument(
        "--chunk",
        type=int,
        default=None,
        help="bundles per task (Dask) and per pool chunk; default: what run_batch picks for two "
        "workers (sbomscan.batch.default_chunk), for every mode alike",
    )
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        ap.error(f"unknown modes: {', '.join(sorted(unknown))}")
    directory = args.dir or Path(DEFAULT_DIR) / f"batch-{args.files}"
    paths = [str(p) for p in small_bundles(args.files, directory)]
    for p in paths:  # into the page cache
        Path(p).read_bytes()
    options = BatchOptions.prepare()
    chunk = args.chunk if args.chunk is not None else default_chunk(len(paths), 2)
    print(
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; {len(paths)} files in {directory}; "
        f"chunk {chunk}"
    )
    times: dict[str, list[float]] = {m: [] for m in modes}
    cpus: dict[str, list[float]] = {m: [] for m in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.repeat):
            outs = {}
            for mode in modes:
                outs[mode] = Path(tmp) / f"{mode}.jsonl"
                seconds, cpu = run_mode(mode, paths, options, outs[mode], chunk)
                times[mode].append(seconds)
                cpus[mode].append(cpu)
                print(
                    f"round {round_ + 1}: {mode:7} {seconds:7.1f} s  {len(paths) / seconds:6.1f} bundles/s  "
                    f"CPU {cpu:7.1f} s ({1000 * cpu / len(paths):.1f} ms/bundle)",
                    flush=True,
                )
            first = outs[modes[0]]
            for mode in modes[1:]:
                assert filecmp.cmp(first, outs[mode], shallow=False), f"{mode} wrote other results"
    _ratios(times, cpus)
    return 0


def _ratios(times: dict[str, list[float]], cpus: dict[str, list[float]]) -> None:
    """Throughput ratios per round (the same round's times: the machine's load moves them
    together) and their medians; then each mode's CPU seconds against ``serial``'s — what
    the parallel modes spend beyond the scans themselves (worker start-up, the scheduler,
    moving results), which a busy machine does not hide the way it hides the wall clock."""

    def ratio(a: str, b: str) -> None:
        if a in times and b in times:
            per_round = [tb / ta for ta, tb in zip(times[a], times[b], strict=True)]
            shown = ", ".join(f"{r:.2f}" for r in per_round)
            print(f"{a} / {b} throughput: {shown} (median {statistics.median(per_round):.2f})")

    ratio("dask-2", "serial")  # target >= 1.7
    ratio("dask-2", "pool-2")  # target >= 0.85
    ratio("pool-2", "serial")
    ratio("dask-2", "dask-1")
    ratio("dask-1", "serial")
    if "serial" in cpus:
        for mode in cpus:
            shares = [c / s for c, s in zip(cpus[mode], cpus["serial"], strict=True)]
            print(f"{mode} CPU / serial CPU: " + ", ".join(f"{r:.2f}" for r in shares))


if __name__ == "__main__":
    sys.exit(main())
