"""Why is this component in the product? Bounded, deterministic paths from the product
roots to it, across documents.

A finding without a path is an accusation; with the path ("Product → contains →
camera-module → links to → camera-fw → depends on → hisdk") it is evidence a vendor can act
on. :func:`trace` answers for one component; many calls on one graph share the indexes
kept with the graph (:meth:`SbomGraph.derived`).

How it works: one breadth-first search *backwards* from the component (over
predecessors) gives every node's distance to it. A shortest path from a root then only
ever steps to a successor one step closer, so listing all shortest paths never meets a
dead end and costs about (paths × length × out-degree), however large the graph — and a
root the backward search never reached does not reach the component at all.

>>> from sbomscan.ingest.builder import DocumentBuilder
>>> from sbomscan.graph import build_graph
>>> from sbomscan.model import EdgeKind
>>> b = DocumentBuilder(source="p.json", sha256="c" * 64, format="cyclonedx",
...                     encoding="json", spec_version="1.6")
>>> for ref in ("product", "camera", "codec", "sdk"):
...     _ = b.add_component(ref, name=ref, pointer=None, version="1")
>>> b.add_root(b.resolve("product") or "")
>>> b.add_edge_ref("product", "camera", EdgeKind.CONTAINS)
>>> b.add_edge_ref("product", "codec", EdgeKind.DEPENDS_ON)
>>> b.add_edge_ref("camera", "sdk", EdgeKind.DEPENDS_ON)
>>> b.add_edge_ref("codec", "sdk", EdgeKind.STATIC_LINK)
>>> g = build_graph([b.finish()])
>>> t = trace(g, "cccccccccccc#sdk")
>>> for path in t.paths:
...     print(" ".join(f"-{s.relation}-> {s.name}" if s.relation else s.name for s in path))
product -contains-> camera -depends on-> sdk
product -depends on-> codec -static link-> sdk
>>> t.truncated, t.listed_only
(False, False)
>>> paths_to(g, "codec@1")
['cccccccccccc#codec']
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any, NamedTuple

from .errors import UsageError
from .graph import SbomGraph
from .model import Component, EdgeKind
from .purl import parse_purl

__all__ = ["RELATION_ORDER", "PathStep", "Trace", "paths_to", "trace"]

RELATION_ORDER: tuple[EdgeKind, ...] = (
    EdgeKind.CONTAINS,
    EdgeKind.STATIC_LINK,
    EdgeKind.DEPENDS_ON,
    EdgeKind.DYNAMIC_LINK,
    EdgeKind.PROVIDES,
    EdgeKind.LINKS_TO,
    EdgeKind.DESCRIBES,
    EdgeKind.GENERATED_FROM,
    EdgeKind.DERIVED_FROM,
    EdgeKind.VARIANT_OF,
    EdgeKind.COPY_OF,
    EdgeKind.OTHER,
)
"""Strongest first: when several edges join the same two steps, a path shows the first of
these. Physical inclusion beats a declared need, which beats a reference to another
SBOM, which beats provenance."""

_RANK = {k: i for i, k in enumerate(RELATION_ORDER)}

LISTED = "listed"
"""The relation shown when the only link between a root and a component is that the
document lists it (no relationship, or only a synthetic root's ``describes``)."""

ALL_PATHS_WORK_PER_PATH = 20_000
"""All-paths enumeration gives up after this many edge visits per requested path (at
least 200,000 in all): dense graphs have exponentially many simple paths and dead ends."""


class PathStep(NamedTuple):
    """One step of a path: the component, and how the previous step brings it in
    (``relation`` is ``None`` on the root)."""

    id: str
    name: str
    version: str | None
    relation: str | None


class Trace(NamedTuple):
    """The paths from product roots to one component."""

    paths: tuple[tuple[PathStep, ...], ...]
    """Each starts at a root and ends at the component."""
    truncated: bool
    """A cap (``max_paths``, ``max_depth`` or the all-paths work bound) cut the list."""
    listed_only: bool
    """No relationship reaches it: the one path is root → component, relation ``"listed"``."""


class _Index:
    """Per-graph data for tracing, computed lazily and kept with the graph."""

    def __init__(self, graph: SbomGraph) -> None:
        g = graph.graph
        self.components = graph.components
        self.succ: dict[str, dict[str, dict[Any, dict[str, Any]]]] = g._succ
        self.pred: dict[str, dict[str, Any]] = g._pred
        self._sorted_succ: dict[str, tuple[str, ...]] = {}
        self._relation: dict[tuple[str, str], str] = {}
        self.roots = graph.roots
        self.root_set = frozenset(graph.roots)
        self.doc_roots: dict[str, tuple[str, ...]] = {k: d.roots for k, d in graph.documents.items()}
        self.all_doc_roots: tuple[str, ...] = tuple(
            dict.fromkeys(r for d in graph.documents.values() for r in d.roots if r in self.components)
        )
        self.synthetic_roots = frozenset(
            c.id for c in graph.components.values() if c.origin == "synthetic-root"
        )

    def successors(self, node: str) -> tuple[str, ...]:
        """Successors in id order (cached)."""
        got = self._sorted_succ.get(node)
        if got is None:
            got = self._sorted_succ[node] = tuple(sorted(self.succ[node]))
        return got

    def relation(self, u: str, v: str) -> str:
        """The strongest relation among the parallel edges u → v, as words."""
        key = (u, v)
        got = self._relation.get(key)
        if got is not None:
            return got
        best: tuple[int, str] | None = None
        for data in self.succ[u][v].values():
            kind = data.get("kind")
            detail = data.get("detail")
            if not isinstance(kind, EdgeKind):
                kind = EdgeKind.OTHER
            if kind is EdgeKind.DESCRIBES and u in self.synthetic_roots:
                label = LISTED
            elif kind is EdgeKind.OTHER and detail:
                label = f"other ({detail})"
            else:
                label = kind.label
            cand = (_RANK[kind], label)
            if best is None or cand < best:
                best = cand
        assert best is not None
        self._relation[key] = best[1]
        return best[1]

    def distances(self, target: str, stop_when: frozenset[str] | None) -> dict[str, int]:
        """Shortest distance to ``target`` of every node that reaches it, by a backward
        breadth-first search; stops after the layer where every node of ``stop_when`` has
        been found (the distances of all nodes closer than those are then complete)."""
        pred = self.pred
        dist = {target: 0}
        remaining = set(stop_when) - {target} if stop_when is not None else None
        frontier = [target]
        depth = 0
        while frontier and (remaining is None or remaining):
            depth += 1
            following = []
            for v in frontier:
                for u in pred[v]:
                    if u not in dist:
                        dist[u] = depth
                        following.append(u)
                        if remaining is not None:
                            remaining.discard(u)
            frontier = following
        return dist

    def step(self, node: str, relation: str | None) -> PathStep:
        c: Component = self.components[node]
        return PathStep(node, c.name, c.version, relation)

    def steps(self, ids: tuple[str, ...]) -> tuple[PathStep, ...]:
        out = [self.step(ids[0], None)]
        for u, v in pairwise(ids):
            out.append(self.step(v, self.relation(u, v)))
        return tuple(out)


def _index(graph: SbomGraph) -> _Index:
    return graph.derived("trace.index", lambda: _Index(graph))


def trace(
    graph: SbomGraph,
    component_id: str,
    *,
    max_paths: int = 10,
    max_depth: int | None = None,
    all_paths: bool = False,
) -> Trace:
    """The paths from the product roots to ``component_id``.

    By default, every shortest path from every root that reaches the component (the
    roots of tier-0 documents; if none reaches it, the roots of its own document; then any
    document's roots), at most ``max_paths`` in all, ordered by root then by the ids of
    the steps. ``max_depth`` drops paths longer than that many edges. With ``all_paths``,
    simple paths of any length (up to ``max_depth``) are enumerated instead, within a work
    bound. ``truncated`` says when a cap cut the list. A component no root reaches gets
    one path root → component with relation ``"listed"`` and ``listed_only`` set.

    Raises :class:`~sbomscan.errors.UsageError` for an unknown id or a cap below 1 (0 for
    ``max_depth``).
    """
    if max_paths < 1:
        raise UsageError(f"max_paths must be at least 1, not {max_paths}")
    if max_depth is not None and max_depth < 0:
        raise UsageError(f"max_depth must be 0 or more, not {max_depth}")
    if component_id not in graph.components:
        raise UsageError(f"no component with id {component_id!r} in the loaded documents")
    ix = _index(graph)
    dist = ix.distances(component_id, None if all_paths else ix.root_set)
    roots = [r for r in ix.roots if r in dist]
    if not roots:
        own = ix.doc_roots.get(graph.components[component_id].document, ())
        roots = [r for r in own if r in dist] or [r for r in ix.all_doc_roots if r in dist]
    if not roots:
        return _listed(ix, graph, component_id)
    if all_paths:
        found, truncated = _all_simple(ix, roots, component_id, dist, max_paths, max_depth)
    else:
        found, truncated = _all_shortest(ix, roots, dist, max_paths, max_depth)
    paths = tuple(ix.steps(p) for p in found)
    listed = bool(paths) and all(
        len(p) == 2 and p[0].id in ix.synthetic_roots and p[1].relation == LISTED for p in paths
    )
    return Trace(paths, truncated, listed)


def _listed(ix: _Index, graph: SbomGraph, target: str) -> Trace:
    own = ix.doc_roots.get(graph.components[target].document, ())
    root = next((r for r in (*own, *ix.roots) if r != target and r in ix.components), None)
    if root is None:
        return Trace(((ix.step(target, LISTED),),), False, True)
    return Trace(((ix.step(root, None), ix.step(target, LISTED)),), False, True)


def _all_shortest(
    ix: _Index, roots: list[str], dist: dict[str, int], max_paths: int, max_depth: int | None
) -> tuple[list[tuple[str, ...]], bool]:
    """Every shortest path from each root, walking only to successors one step closer."""
    found: list[tuple[str, ...]] = []
    truncated = False
    for root in roots:
        if max_depth is not None and dist[root] > max_depth:
            truncated = True
            continue
        for path in _shortest_from(ix, root, dist):
            if len(found) == max_paths:
                return found, True
            found.append(path)
    return found, truncated


def _shortest_from(ix: _Index, root: str, dist: dict[str, int]) -> Iterator[tuple[str, ...]]:
    path = [root]
    stack: list[Iterator[str]] = []

    def closer(node: str) -> Iterator[str]:
        want = dist[node] - 1
        return (w for w in ix.successors(node) if dist.get(w) == want)

    if dist[root] == 0:
        yield (root,)
        return
    stack.append(closer(root))
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            path.pop()
            continue
        path.append(nxt)
        if dist[nxt] == 0:
            yield tuple(path)
            path.pop()
        else:
            stack.append(closer(nxt))


def _all_simple(
    ix: _Index,
    roots: list[str],
    target: str,
    dist: dict[str, int],
    max_paths: int,
    max_depth: int | None,
) -> tuple[list[tuple[str, ...]], bool]:
    """The shortest paths first (cheap, and so a reachable component always gets one),
    then further simple paths by depth-first search in id order, pruned to nodes that
    reach the target within the depth left, stopped after ``max_paths`` paths in all or
    after the work bound. Listed by root, then length, then step ids."""
    found, truncated = _all_shortest(ix, roots, dist, max_paths, max_depth)
    seen = set(found)
    budget = max(200_000, max_paths * ALL_PATHS_WORK_PER_PATH)
    order = {r: i for i, r in enumerate(roots)}
    for root in roots:
        if len(found) > max_paths or budget <= 0:
            break
        if root == target or (max_depth is not None and dist[root] > max_depth):
            continue
        path = [root]
        on_path = {root}
        stack: list[Iterator[str]] = [iter(ix.successors(root))]
        while stack and len(found) <= max_paths:
            if budget <= 0:
                truncated = True
                break
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            budget -= 1
            d = dist.get(nxt)
            if d is None or nxt in on_path:
                continue
            if max_depth is not None and len(path) + d > max_depth:
                continue
            if nxt == target:
                p = (*path, nxt)
                if p not in seen:
                    seen.add(p)
                    found.append(p)
                continue
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(ix.successors(nxt)))
    if len(found) > max_paths:
        truncated = True
    found.sort(key=lambda p: (order[p[0]], len(p), p))
    return found[:max_paths], truncated


# -- selectors -------------------------------------------------------------------------


class _Selectors:
    """Lookup tables for :func:`paths_to`, built once per graph."""

    def __init__(self, graph: SbomGraph) -> None:
        self.by_ref: dict[str, list[str]] = {}
        self.by_purl: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for c in graph.components.values():
            self.by_ref.setdefault(c.ref, []).append(c.id)
            if c.purl:
                self.by_purl.setdefault(c.purl, []).append(c.id)
            self.by_name.setdefault(c.name.casefold(), []).append(c.id)


def paths_to(graph: SbomGraph, selector: str) -> list[str]:
    """Component ids that a user's selector names, in load order.

    Tried in turn, the first kind that matches wins: a component id; a bom-ref / SPDX id
    / SPDX 3 IRI; a purl (exact, or without version: then every version, qualifiers and
    subpath ignored); a name (case-insensitive) or ``name@version``.
    """
    selector = selector.strip()
    if not selector:
        return []
    if selector in graph.components:
        return [selector]
    sel = graph.derived("trace.selectors", lambda: _Selectors(graph))
    if selector in sel.by_ref:
        return list(sel.by_ref[selector])
    if selector.startswith("pkg:"):
        return _by_purl(graph, sel, selector)
    named = sel.by_name.get(selector.casefold())
    if named:
        return list(named)
    at = selector.rfind("@")
    if at > 0:
        name, version = selector[:at].casefold(), selector[at + 1 :]
        return [cid for cid in sel.by_name.get(name, ()) if (graph.components[cid].version or "") == version]
    return []


def _by_purl(graph: SbomGraph, sel: _Selectors, selector: str) -> list[str]:
    exact = sel.by_purl.get(selector)
    if exact:
        return list(exact)
    want = parse_purl(selector)
    if want is None:
        return []
    written = selector.split("?", 1)[0].split("#", 1)[0]
    written = written.rsplit("/", 1)[-1].split("@", 1)[0] if "/" in written else want.name
    out: list[str] = []
    for purl, ids in sel.by_purl.items():
        if want.name not in purl and written not in purl:
            continue
        have = parse_purl(purl)
        if have is None or (have.type, have.namespace, have.name) != (want.type, want.namespace, want.name):
            continue
        if want.version is None or have.version == want.version:
            out.extend(ids)
    order = {cid: i for i, cid in enumerate(graph.components)} if len(out) > 1 else {}
    return sorted(out, key=lambda cid: order.get(cid, 0))
