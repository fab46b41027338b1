"""Peak memory per format: how much a load (and a scan) needs at its peak, against the size
of the document it decodes, all measured in one run.

Every figure comes from its own child process (its resident high-water mark, ``VmHWM``,
reset just before the measured call), on the generated files of ``benchmarks/generate.py``. Sizes are resident memory (RSS) in MB, each above the RSS the
child had just before the measured call (the interpreter and the imports excluded):

``file``        the input's size on disk (bytes; 1 MB = 10^6 bytes)
``decode``      the peak of decoding the bytes the standard way, with the bytes already in
                memory: ``orjson.loads`` for JSON, the C YAML loader for YAML, ElementTree for
                XML, UTF-8 decode and a split into lines for
                tag-value (its lines are the nearest thing tag-value has to a parse tree)
``tree``        what that decoded tree holds once decoding is over
``load``        the peak of ``sbomscan.load(path)``, reading the file included
``document``    **the decoded document's own size**: the memory held by the ``Document``
                ``sbomscan.load`` returned, once it has returned (the input's bytes, the
                decoded tree and every other temporary freed): what a caller keeps for as
                long as it keeps the document
``graph``       the peak of ``build_graph([sbomscan.load(path)])``
``scan``        the peak of ``sbomscan.scan([path])`` with the shipped entity data, the JSON
                report rendered (skipped at 1,000,000 components and more unless ``--scan``)

and the ratios ``load ÷ document`` (the budget: at most 2), ``load ÷ file``,
``load ÷ tree``, ``graph ÷ document``, ``scan ÷ document``.

Usage::

    python benchmarks/bench_memory.py                                  # N = 10k, 100k; three formats
    python benchmarks/bench_memory.py --sizes 1000000                  # the issue's million (~6 GB free needed)
    python benchmarks/bench_memory.py --light --sizes 1000000          # light components, as the issue's
    PYTHONPATH=/path/to/other/checkout python benchmarks/bench_memory.py --sizes 100000   # another version

Prints a Markdown table to paste into docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import DEFAULT_DIR, GENERATORS  # noqa: E402

FORMATS = ("cyclonedx.json", "spdx.json", "spdx.tag-value.spdx", "cyclonedx.xml", "spdx3.jsonld", "spdx.yaml")
"""The three encodings issue 9 measured at a million components, and three more a budget is
published for (``--formats`` picks some)."""


def generate(fmt: str, n: int) -> bytes:
    """``generate.py``'s product as ``fmt``; SPDX 2 YAML is its SPDX 2 JSON written as YAML."""
    if fmt == "spdx.yaml":
        import orjson
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return yaml.dump(orjson.loads(GENERATORS["spdx.json"](n)), Dumper=dumper, sort_keys=False).encode()
    return GENERATORS[fmt](n)


AS_OF = datetime.date(2026, 1, 1)


def light(fmt: str, n: int) -> bytes:
    """A product of ``n`` *light* components — a ref, a name and a version each, every one
    described by (SPDX) or a dependency of (CycloneDX) the document's root — the shape of
    the documents issue 9 measured. Per byte of file these cost more memory than
    ``generate.py``'s realistic components: more records, and more of the decoded tree
    that becomes nothing (SPDX's relationship objects)."""
    import orjson

    if fmt == "cyclonedx.json":
        return orjson.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "metadata": {"component": {"bom-ref": "root", "type": "application", "name": "product"}},
                "components": [
                    {"bom-ref": f"c{i}", "type": "library", "name": f"lib{i}", "version": "1.0"}
                    for i in range(n)
                ],
                "dependencies": [{"ref": "root", "dependsOn": [f"c{i}" for i in range(n)]}],
            }
        )
    if fmt == "spdx.json":
        return orjson.dumps(
            {
                "spdxVersion": "SPDX-2.3",
                "dataLicense": "CC0-1.0",
                "SPDXID": "SPDXRef-DOCUMENT",
                "name": "product",
                "documentNamespace": "https://example.invalid/product",
                "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: bench"]},
                "packages": [
                    {
                        "SPDXID": f"SPDXRef-{i}",
                        "name": f"lib{i}",
                        "versionInfo": "1.0",
                        "downloadLocation": "NOASSERTION",
                    }
                    for i in range(n)
                ],
                "relationships": [
                    {
                        "spdxElementId": "SPDXRef-DOCUMENT",
                        "relationshipType": "DESCRIBES",
                        "relatedSpdxElement": f"SPDXRef-{i}",
                    }
                    for i in range(n)
                ],
            }
        )
    head = (
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: product\n"
        "DocumentNamespace: https://example.invalid/product\nCreator: Tool: bench\n"
        "Created: 2026-01-01T00:00:00Z\n"
    )
    body = "".join(
        f"\nPackageName: lib{i}\nSPDXID: SPDXRef-{i}\nPackageVersion: 1.0\n"
        f"PackageDownloadLocation: NOASSERTION\nRelationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-{i}\n"
        for i in range(n)
    )
    return (head + body).encode()


def _rss_kib() -> int:
    """The current resident set size (Linux /proc), else the high-water mark so far."""
    import resource

    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() // 1024
    except OSError:
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _peak_kib() -> int:
    """The resident high-water mark: ``VmHWM`` (Linux), else ``ru_maxrss`` (which on Linux
    also carries the mark of the parent the child was forked from, before its exec)."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _reset_peak() -> None:
    """Set the high-water mark back to the current resident size (Linux ``clear_refs``), so
    that reading the input before a ``decode`` does not count as its peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _decode(fmt: str, data: bytes) -> Any:
    """The format's standard decoding: orjson for JSON, the C YAML loader, ElementTree for
    XML, and for tag-value a UTF-8 decode and a split into lines."""
    if fmt.endswith((".json", ".jsonld")):
        import orjson

        return orjson.loads(data)
    if fmt.endswith(".yaml"):
        import yaml

        return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if fmt.endswith(".xml"):
        import xml.etree.ElementTree as ET

        return ET.fromstring(data)
    return data.decode().split("\n")


def _child(stage: str, path: str, fmt: str) -> dict[str, int]:
    """Inside a child: run one stage once; its peak and what it holds, above the start."""
    import gc

    import sbomscan
    from sbomscan.graph import build_graph
    from sbomscan.report import render
    from sbomscan.scan import scan

    data = Path(path).read_bytes() if stage == "decode" else b""
    gc.collect()
    _reset_peak()
    base = _rss_kib()
    if stage == "decode":
        out: Any = _decode(fmt, data)
    elif stage == "load":
        out = sbomscan.load(path)
    elif stage == "graph":
        out = build_graph([sbomscan.load(path)])
    elif stage == "scan":
        report = scan([path], as_of=AS_OF)
        out = (report, render(report, "json"))
    else:
        raise SystemExit(f"unknown stage {stage}")
    peak = _peak_kib() - base
    gc.collect()
    held = _rss_kib() - base  # the bytes read before ``base`` are still held: not counted
    del out, data
    return {"peak_kib": peak, "held_kib": held}


def _run(stage: str, path: Path, fmt: str) -> dict[str, int] | None:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", stage, str(path), fmt],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(f"{stage} {path.name}: {proc.stderr.strip().splitlines()[-1:]}\n")
        return None
    return dict(json.loads(proc.stdout))


def _mb(kib: int | None) -> str:
    return f"{kib * 1024 / 1e6:,.0f}" if kib is not None else "n/a"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--formats", default=",".join(FORMATS[:3]))
    ap.add_argument("--scan", action="store_true", help="measure the scan at 1,000,000 components too")
    ap.add_argument("--stages", default="decode,load,graph", help="of decode,load,graph (the scan: --scan)")
    ap.add_argument("--light", action="store_true", help="light components (light()), not generate.py's")
    ap.add_argument("--out", default=str(DEFAULT_DIR))
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(
        f"Run {datetime.date.today().isoformat()}, Python {platform.python_version()}, "
        f"{platform.machine()}; MB of resident memory above each child's start.\n"
    )
    print(
        f"| encoding{' (light)' if args.light else ''} | N | file MB | decode peak | tree | load peak | document | load ÷ document"
        " | load ÷ file | load ÷ tree | graph peak | graph ÷ document | scan peak | scan ÷ document |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        for fmt in args.formats.split(","):
            path = out / f"bench-{'light-' if args.light else ''}{n}.{fmt}"
            if not path.exists():
                path.write_bytes(light(fmt, n) if args.light else generate(fmt, n))
            size_kib = path.stat().st_size / 1024
            res: dict[str, dict[str, int] | None] = dict.fromkeys(("decode", "load", "graph"))
            res.update({s: _run(s, path, fmt) for s in args.stages.split(",") if s})
            if n < 1_000_000 or args.scan:
                res["scan"] = _run("scan", path, fmt)
            peak = {s: (r["peak_kib"] if r else None) for s, r in res.items()}
            tree = res["decode"]["held_kib"] if res["decode"] else None
            document = res["load"]["held_kib"] if res["load"] else None
            cells = [
                fmt,
                f"{n:,}",
                f"{path.stat().st_size / 1e6:,.0f}",
                _mb(peak["decode"]),
                _mb(tree),
                _mb(peak["load"]),
                _mb(document),
                _ratio(peak["load"], document),
                _ratio(peak["load"], size_kib),
                _ratio(peak["load"], tree),
                _mb(peak["graph"]),
                _ratio(peak["graph"], document),
                _mb(peak.get("scan")),
                _ratio(peak.get("scan"), document),
            ]
            print("| " + " | ".join(cells) + " |")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
