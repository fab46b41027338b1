"""``--all-paths --max-paths 100000`` in bounded memory (issue 9): 100,000 paths to one
finding are reported in every format by a child process whose address space is capped
(RLIMIT_AS) at what the same command with the default ``--max-paths 10`` needs plus
160 MB. Before paths were shared and reports streamed, the SARIF report of these paths took
2.2 GB, the JSON report 560 MB (``benchmarks/bench_paths.py``; docs/performance.md)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sbomscan.report.html import HTML_MAX_PATHS

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench_paths.py"

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc and RLIMIT_AS"),
    pytest.mark.skipif(not BENCH.is_file(), reason="benchmarks/ is not in this installation"),
]

HEADROOM_MB = 160
PATHS = 100_000

_CHILD = """
import resource, sys
limit = int(sys.argv[1])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from sbomscan.cli import main
code = main(sys.argv[2:])
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmPeak:"))
sys.stderr.write(f"VMPEAK {peak}\\n")
sys.exit(code)
"""


def _lattice(tmp: Path) -> Path:
    spec = importlib.util.spec_from_file_location("sbomscan_bench_paths", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    bom = tmp / "lattice.cdx.json"
    bom.write_bytes(module.lattice(10, 5))  # 10 ** 5 paths
    return bom


def _child(limit: int, argv: list[str], stdout: Path) -> tuple[int, str, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with stdout.open("wb") as fh:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(limit), *argv],
            stdout=fh,
            stderr=subprocess.PIPE,
            env=env,
            timeout=300,
        )
    err = proc.stderr.decode(errors="replace")
    peak = next((int(x.split()[1]) for x in err.splitlines() if x.startswith("VMPEAK ")), -1)
    return proc.returncode, err, peak


@pytest.fixture(scope="module")
def lattice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The product, and the address-space cap: the default command's peak plus headroom."""
    tmp = tmp_path_factory.mktemp("paths-memory")
    bom = _lattice(tmp)
    code, err, peak = _child(
        0, ["scan", str(bom), "--format", "json", "-o", str(tmp / "base.json")], tmp / "o"
    )
    assert code == 1 and peak > 0, err
    return bom, peak * 1024 + HEADROOM_MB * 1024 * 1024


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "text", "html", "paths-json", "paths-text"])
def test_100000_paths_in_bounded_memory(lattice: tuple[Path, int], tmp_path: Path, fmt: str) -> None:
    bom, limit = lattice
    out = tmp_path / "out"
    if fmt.startswith("paths-"):
        argv = ["paths", str(bom), "--to", "avengine", "--format", fmt.split("-")[1]]
        status = 0
    else:
        argv = ["scan", str(bom), "--format", fmt, "-o", str(out)]
        status = 1
    stdout = tmp_path / "stdout"
    code, err, _ = _child(limit, [*argv, "--all-paths", "--max-paths", str(PATHS)], stdout)
    assert code == status and "Traceback" not in err and "MemoryError" not in err, err[-3000:]
    text = (stdout if fmt.startswith("paths-") else out).read_text(encoding="utf-8")
    if fmt == "json":
        (finding,) = json.loads(text)["findings"]
        assert len(finding["paths"]) == PATHS and not finding["paths_truncated"]
        assert len({tuple(s["id"] for s in p) for p in finding["paths"]}) == PATHS
    elif fmt == "paths-json":
        (item,) = json.loads(text)
        assert len(item["paths"]) == PATHS
    elif fmt == "sarif":
        (result,) = json.loads(text)["runs"][0]["results"]
        assert result["properties"]["pathsTotal"] == PATHS
        assert len(result["codeFlows"]) == len(result["properties"]["paths"]) == 100
    elif fmt == "markdown":
        assert sum(1 for line in text.splitlines() if line.startswith("1. Product 1 → depends on →")) == PATHS
    elif fmt == "html":
        assert text.count('<svg class="diagram"') == HTML_MAX_PATHS
        assert f"{PATHS - HTML_MAX_PATHS} more paths not drawn here" in text
    elif fmt == "paths-text":
        assert sum(1 for line in text.splitlines() if line.startswith("  Product 1 → depends on →")) == PATHS
    else:
        assert "(+99999 more paths)" in " ".join(text.split())
