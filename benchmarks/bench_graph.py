"""Graph and trace benchmark: ``build_graph`` over one N-component document with about N
edges, as a ratio of a raw ``orjson.loads`` of the same components written as CycloneDX
JSON; then tracing many targets on that graph.

Target (issue 4): building the graph costs well under the JSON parse. For comparison the
script also times networkx's own ``add_nodes_from``/``add_edges_from`` (what
``sbomscan.graph`` avoided, see ``_networkx_graph``). Ratios are printed besides seconds,
because these machines are shared and absolute times mean little.

Usage::

    python benchmarks/bench_graph.py                 # 100,000 components
    python benchmarks/bench_graph.py --n 10000 --targets 500
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable

import networkx as nx
import orjson

from sbomscan.graph import build_graph
from sbomscan.model import Component, Document, Edge, EdgeKind
from sbomscan.tracing import trace

KEY = "0123456789ab"


def make_document(n: int, seed: int = 1) -> tuple[Document, bytes]:
    """A random tree of n components plus n/10 extra edges (shared dependencies, some
    cycles), and the CycloneDX JSON of the same components and dependencies."""
    rnd = random.Random(seed)
    refs = [f"pkg:npm/comp-{i}@1.{i % 97}.0" for i in range(n)]
    comps = tuple(
        Component(id=f"{KEY}#{r}", ref=r, document=KEY, name=f"comp-{i}", version=f"1.{i % 97}.0", purl=r)
        for i, r in enumerate(refs)
    )
    pairs = [(rnd.randrange(i), i) for i in range(1, n)]
    pairs += [(rnd.randrange(n), rnd.randrange(n)) for _ in range(n // 10)]
    edges = tuple(Edge(comps[s].id, comps[t].id, EdgeKind.DEPENDS_ON) for s, t in pairs)
    doc = Document(
        key=KEY,
        source="bench.json",
        format="cyclonedx",
        encoding="json",
        spec_version="1.6",
        sha256=KEY + "0" * 52,
        roots=(comps[0].id,),
        components=comps,
        edges=edges,
    )
    deps: dict[str, list[str]] = {}
    for s, t in pairs:
        deps.setdefault(refs[s], []).append(refs[t])
    cdx = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"bom-ref": refs[0], "type": "application", "name": "comp-0"}},
        "components": [
            {"type": "library", "bom-ref": r, "name": c.name, "version": c.version, "purl": r}
            for r, c in zip(refs[1:], comps[1:], strict=True)
        ],
        "dependencies": [{"ref": r, "dependsOn": d} for r, d in deps.items()],
    }
    return doc, orjson.dumps(cdx)


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def networkx_api(doc: Document) -> object:
    was = gc.isenabled()
    gc.disable()
    try:
        g = nx.MultiDiGraph()
        g.add_nodes_from(c.id for c in doc.components)
        g.add_edges_from((e.source, e.target, {"kind": e.kind, "detail": e.detail}) for e in doc.edges)
        return g
    finally:
        if was:
            gc.enable()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="components (default 100,000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--targets", type=int, default=1000, help="components to trace")
    args = ap.parse_args()
    doc, data = make_document(args.n)
    parse = best_of(args.repeat, lambda: orjson.loads(data))
    build = best_of(args.repeat, lambda: build_graph([doc]))
    api = best_of(args.repeat, lambda: networkx_api(doc))
    print(f"{args.n} components, {len(doc.edges)} edges, {len(data) / 1e6:.1f} MB of JSON")
    print(f"orjson.loads            {parse:8.3f} s")
    print(f"build_graph             {build:8.3f} s   {build / parse:5.2f}x parse")
    view = best_of(args.repeat, lambda: build_graph([doc]).graph)
    print(
        f"build_graph().graph     {view:8.3f} s   {view / parse:5.2f}x parse (the networkx view, on demand)"
    )
    print(f"networkx add_*_from     {api:8.3f} s   {api / parse:5.2f}x parse (for comparison)")
    g = build_graph([doc])
    rnd = random.Random(2)
    ids = list(g.components)
    targets = [rnd.choice(ids) for _ in range(args.targets)]
    t0 = time.perf_counter()
    trace(g, targets[0])
    index = time.perf_counter() - t0
    print(f"first trace (index)     {index:8.3f} s   {index / parse:5.2f}x parse")
    t0 = time.perf_counter()
    for t in targets:
        trace(g, t)
    shortest = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in targets:
        trace(g, t, all_paths=True)
    every = time.perf_counter() - t0
    print(f"trace x{args.targets} (shortest) {shortest:8.3f} s   {shortest / parse:5.2f}x parse")
    print(f"trace x{args.targets} (all paths){every:8.3f} s   {every / parse:5.2f}x parse")


if __name__ == "__main__":
    main()
