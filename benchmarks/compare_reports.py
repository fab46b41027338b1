"""Render every output of the CLI for a fixed set of inputs into a folder, so two commits can be
compared byte for byte (``diff -r``) after a refactoring that must not change behaviour.

Usage: ``python benchmarks/compare_reports.py OUT_DIR [--corpus DIR] [--every N]``.
Runs in one process (``sbomscan.cli.main``) with a fixed ``--as-of``; the attestation's
``generated_at`` is the only field masked, since it is the wall clock.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from sbomscan.cli import main

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-01"
FORMATS = ("json", "text", "markdown", "sarif", "html")
SCAN_ONLY = frozenset({"--all-paths"})
"""Options of the bundles above that only ``scan`` takes."""


def _bundles(corpus: Path | None, every: int) -> list[tuple[str, list[str], list[str]]]:
    """(label, paths, extra options) of every bundle rendered."""
    ex = ROOT / "examples"
    gw = str(ex / "secure-gateway")
    out: list[tuple[str, list[str], list[str]]] = [
        ("example", [gw], []),
        ("example-waived", [gw], ["--waivers", str(ex / "waivers.yaml")]),
        ("example-overlay", [gw], ["--entities", str(ex / "entities-overlay.json")]),
        ("example-all-paths", [gw], ["--all-paths"]),
    ]
    for group in ("e2e", "bundles"):
        for d in sorted((ROOT / "tests" / "fixtures" / group).iterdir()):
            if d.is_dir():
                out.append((f"{group}-{d.name}", [str(d)], []))
    e2e = ROOT / "tests" / "fixtures" / "e2e"
    for w in ("waivers-valid.yaml", "waivers-expired.yaml"):
        out.append((f"e2e-tiers-{w}", [str(e2e / "tiers")], ["--waivers", str(e2e / w)]))
    if corpus is not None:
        files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "MANIFEST.md")
        for p in files[::every]:
            label = "corpus-" + str(p.relative_to(corpus)).replace("/", "__")
            out.append((label, [str(p)], []))
            if "invalid" in p.parts or "valid" in p.parts:
                out.append((label + "-strict", [str(p)], ["--strict"]))
    return out


def _run(argv: list[str]) -> str:
    """Exit status, stdout and stderr of one CLI call, as one text."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        rc = main(argv, stdout=stdout, stderr=stderr)
    except SystemExit as e:  # argparse
        rc = e.code  # type: ignore[assignment]
    return f"exit {rc}\n--- stdout\n{stdout.getvalue()}--- stderr\n{stderr.getvalue()}"


def _render(out: Path, label: str, paths: list[str], extra: list[str]) -> None:
    """Every format of one bundle, plus attest, paths and graph."""
    base = ["--as-of", AS_OF, *extra]
    for fmt in FORMATS:
        target = out / f"{label}.{fmt}"
        log = _run(["scan", *base, "--format", fmt, "-o", str(target), *paths])
        (out / f"{label}.{fmt}.log").write_text(log)
    att = out / f"{label}.attest.json"
    # attest takes no path options (its record holds no paths)
    attest_base = [x for x in base if x not in SCAN_ONLY]
    log = _run(["attest", *attest_base, "-o", str(att), *paths])
    (out / f"{label}.attest.log").write_text(log)
    if att.exists():
        text = re.sub(r'"generated_at":\s*"[^"]*"', '"generated_at":"X"', att.read_text())
        att.write_text(text)
    (out / f"{label}.graph.log").write_text(_run(["graph", *paths]))
    (out / f"{label}.paths.log").write_text(_run(["paths", "--to", "huawei", *paths]))


def main_(argv: list[str] | None = None) -> int:
    """Render every bundle into OUT_DIR."""
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--corpus", default="/work/shared/corpus")
    ap.add_argument("--every", type=int, default=6)
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = Path(a.corpus) if a.corpus else None
    for label, paths, extra in _bundles(corpus if corpus and corpus.is_dir() else None, a.every):
        _render(out, label, paths, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main_())
