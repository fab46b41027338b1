"""CPU time of whole ``sbomscan`` processes: every command on a small real input (where
start-up — importing what the command needs — is most of the time), and the text and
Markdown reports of 100,000 paths (``bench_paths.py``'s lattice).

Each command runs as the console script does (``sbomscan.cli.main``) in a child process
whose current directory is a scratch folder, so that ``PYTHONPATH`` alone chooses the
code. Its CPU time (user + system, every thread, from the children's rusage) is what is
compared: wall time on a shared machine measures the neighbours. Given several checkouts,
the rounds alternate between them (A B, then B A, ...) and each command keeps its best
round per checkout; the last column is the last checkout's time over the first's.

Usage::

    python benchmarks/bench_startup.py                         # this checkout, 5 rounds
    python benchmarks/bench_startup.py /work/wt/baseline . --rounds 9
    python benchmarks/bench_startup.py OLD NEW --only version,scan-text

A command the older checkout does not have (``batch`` and ``portfolio`` before 2026-12-04)
shows "—" there. Prints a Markdown table (for docs/performance.md, "Start-up").
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_paths import WIDTH, lattice  # noqa: E402

_MAIN = "import sys; from sbomscan.cli import main; sys.exit(main())"

_EXAMPLE = str(ROOT / "examples" / "secure-gateway")


def commands(work: Path) -> dict[str, list[str]]:
    """Name -> the arguments of one ``sbomscan`` run; files it needs are made in ``work``."""
    lattice_file = work / "lattice-100000.cdx.json"
    if not lattice_file.exists():
        lattice_file.write_bytes(lattice(WIDTH, 5))
    out = str(work / "out")
    many = [str(lattice_file), "--all-paths", "--max-paths", "100000"]
    return {
        "version": ["--version"],
        "help": ["--help"],
        "scan-text": ["scan", _EXAMPLE, "--format", "text", "-o", out],
        "scan-markdown": ["scan", _EXAMPLE, "--format", "markdown", "-o", out],
        "scan-json": ["scan", _EXAMPLE, "--format", "json", "-o", out],
        "scan-sarif": ["scan", _EXAMPLE, "--format", "sarif", "-o", out],
        "scan-html": ["scan", _EXAMPLE, "--format", "html", "-o", out],
        "paths": ["paths", _EXAMPLE, "--to", "pkg:pypi/python-hikvision-viewer"],
        "graph": ["graph", _EXAMPLE, "--format", "dot", "-o", out],
        "entities-list": ["entities", "list"],
        "entities-show": ["entities", "show", "kaspersky"],
        "attest": ["attest", _EXAMPLE, "-o", str(work / "attestation.json")],
        "verify": ["verify", str(work / "attestation.json")],
        "keygen": ["keygen", str(work / "key.pem")],
        "far-report": ["far-report", _EXAMPLE, "-o", out],
        "completion": ["completion", "bash"],
        "batch": ["batch", _EXAMPLE, "--workers", "1", "-o", out],
        "portfolio": ["portfolio", "list", "--db", str(work / "portfolio.sqlite")],
        "text-100k-paths": ["scan", *many, "--format", "text", "-o", out],
        "markdown-100k-paths": ["scan", *many, "--format", "markdown", "-o", out],
    }


def _prepare(name: str, tree: str, work: Path) -> None:
    """What a command reads must exist before it is timed, made by the same checkout."""
    for stale in ("key.pem", "key.pem.pub"):
        (work / stale).unlink(missing_ok=True)
    if name == "verify":
        run(tree, ["attest", _EXAMPLE, "-o", str(work / "attestation.json")], work)
    if name == "portfolio" and not (work / "portfolio.sqlite").exists():
        run(
            tree,
            ["portfolio", "add", _EXAMPLE, "--product", "p", "--db", str(work / "portfolio.sqlite")],
            work,
        )


def run(tree: str, argv: list[str], work: Path) -> float | None:
    """CPU seconds of one ``sbomscan argv`` on ``tree``'s code; None if it has no such command."""
    env = {**os.environ, "PYTHONPATH": tree}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-c", _MAIN, *argv],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        if b"invalid choice" in proc.stderr:
            return None
        raise SystemExit(
            f"{tree}: sbomscan {' '.join(argv)}: exit {proc.returncode}: {proc.stderr[-1500:]!r}"
        )
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("trees", nargs="*", default=[str(ROOT)], help="checkouts whose code is timed")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated command names (default: all)")
    args = parser.parse_args()
    trees = [str(Path(t).resolve()) for t in args.trees]
    with tempfile.TemporaryDirectory(prefix="sbomscan-startup-") as tmp:
        work = Path(tmp)
        table = commands(work)
        names = [n for n in table if not args.only or n in args.only.split(",")]
        best: dict[tuple[str, str], float | None] = {}
        for round_ in range(args.rounds):
            for name in names:
                for tree in trees if round_ % 2 == 0 else trees[::-1]:
                    _prepare(name, tree, work)
                    seconds = run(tree, table[name], work)
                    old = best.get((name, tree), float("inf"))
                    best[name, tree] = None if seconds is None or old is None else min(old, seconds)
    heads = " | ".join(f"{Path(t).name} ms" for t in trees)
    print(f"| command | {heads} |" + (" last ÷ first |" if len(trees) > 1 else ""))
    print("|---|" + "---:|" * (len(trees) + (len(trees) > 1)))
    for name in names:
        times = [best[name, t] for t in trees]
        cells = " | ".join("—" if s is None else f"{s * 1000:.0f}" for s in times)
        ratio = ""
        if len(trees) > 1:
            first, last = times[0], times[-1]
            ratio = " — |" if first is None or last is None else f" {last / first:.2f} |"
        print(f"| {name} | {cells} |{ratio}")


if __name__ == "__main__":
    main()
