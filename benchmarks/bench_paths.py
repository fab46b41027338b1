"""Memory and time of reporting many paths: ``sbomscan scan --all-paths --max-paths N`` and
``sbomscan paths`` on a product whose covered component is reached by exactly N paths.

The product is a lattice: the root depends on each of W modules of layer 1, each of those
on each of W modules of layer 2, ..., and every module of the last layer on one component
a covered vendor supplied — W ** L paths of L + 2 steps, all shortest, all simple. Each
command runs in a child process (its peak resident memory is ``ru_maxrss`` of that child
alone) writing to a file, as a user would; the same command with the default
``--max-paths 10`` is the baseline, so "extra" is what the paths themselves cost.

Usage::

    python benchmarks/bench_paths.py                    # 1,000, 10,000 and 100,000 paths
    python benchmarks/bench_paths.py --paths 100000 --formats json,sarif

Prints a Markdown table (for docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 10


def lattice(width: int, layers: int) -> bytes:
    """A CycloneDX product with ``width ** layers`` paths to one Kaspersky component."""
    components: list[dict[str, object]] = []
    dependencies: list[dict[str, object]] = []
    previous = ["root"]
    for layer in range(layers):
        current = [f"l{layer}-m{i}" for i in range(width)]
        components += [{"bom-ref": r, "name": f"module-{r}", "version": "1.0"} for r in current]
        dependencies += [{"ref": p, "dependsOn": current} for p in previous]
        previous = current
    components.append(
        {"bom-ref": "av", "name": "avengine", "version": "8.0", "supplier": {"name": "AO Kaspersky Lab"}}
    )
    dependencies += [{"ref": p, "dependsOn": ["av"]} for p in previous]
    return orjson.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "metadata": {"component": {"bom-ref": "root", "name": "Product", "version": "1"}},
            "components": components,
            "dependencies": dependencies,
        }
    )


_CHILD = """
import resource, sys
from sbomscan.cli import main
code = main(sys.argv[1:])
try:  # the peak of this program alone (ru_maxrss keeps the parent's from before exec)
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"PEAK {peak}\\n")
sys.exit(code)
"""


def run_child(argv: list[str], stdout: Path) -> tuple[float, int]:
    """Run ``sbomscan argv`` alone in a child, its standard output to the file ``stdout``;
    (seconds, its peak resident memory in kB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with stdout.open("wb") as fh:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, *argv], stdout=fh, stderr=subprocess.PIPE, env=env
        )
    seconds = time.perf_counter() - start
    err = proc.stderr.decode(errors="replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv}: exit {proc.returncode}: {err[-2000:]}")
    return seconds, next(int(line.split()[1]) for line in err.splitlines() if line.startswith("PEAK "))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--paths", default="1000,10000,100000", help="comma-separated path counts (powers of 10)"
    )
    parser.add_argument("--formats", default="text,json,sarif,markdown,paths-text,paths-json")
    args = parser.parse_args()
    formats = args.formats.split(",")
    work = Path(tempfile.gettempdir()) / "sbomscan-bench"
    work.mkdir(exist_ok=True)
    print("| paths | command | seconds | peak RSS MB | baseline MB | extra MB | bytes per path | output MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for count in (int(x) for x in args.paths.split(",")):
        layers = len(str(count)) - 1
        bom = work / f"lattice-{count}.cdx.json"
        bom.write_bytes(lattice(WIDTH, layers))
        out = work / "bench-paths.out"
        for fmt in formats:
            if fmt.startswith("paths-"):  # written to standard output
                base = ["paths", str(bom), "--to", "avengine", "--format", fmt.split("-", 1)[1]]
            else:
                base = ["scan", str(bom), "--format", fmt, "-o", str(out)]
            many = [*base, "--all-paths", "--max-paths", str(count)]
            stdout = work / "bench-paths.stdout"
            _, base_peak = run_child(base, stdout)
            seconds, peak = run_child(many, stdout)
            size = (stdout if fmt.startswith("paths-") else out).stat().st_size / 1e6
            extra = (peak - base_peak) / 1024
            print(
                f"| {count:,} | {fmt} | {seconds:.2f} | {peak / 1024:.0f} | {base_peak / 1024:.0f} | "
                f"{extra:.0f} | {max(0.0, extra * 1024 * 1024 / count):,.0f} | {size:.1f} |"
            )


if __name__ == "__main__":
    main()
