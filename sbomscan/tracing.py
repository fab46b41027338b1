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

The function :func:`trace` is also ``sbomscan.trace``; this module is ``sbomscan.tracing``
(it was ``sbomscan.trace``, which the function of that name hid: ``import sbomscan.trace``
still works at run time, but annotate with ``sbomscan.Trace`` and ``sbomscan.PathStep``).

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
from typing import NamedTuple

from .errors import UsageError
from .graph import SbomGraph
from .identifiers.purl import parse_purl
from .memory import gc_paused
from .model import Component, Edge, EdgeKind
from .report.model import PathStep, qualified_name

__all__ = ["RELATION_ORDER", "PathStep", "Trace", "component_group", "paths_to", "trace"]

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


class Trace(NamedTuple):
    """The paths from product roots to one component."""

    paths: tuple[tuple[PathStep, ...], ...]
    """Each starts at a root and ends at the component."""
    truncated: bool
    """A cap (``max_paths``, ``max_depth`` or the all-paths work bound) cut the list."""
    listed_only: bool
    """No relationship connects it to a root: every path starts root → listed → the
    top-most component holding it (itself when nothing holds it)."""


class _Index:
    """Per-graph data for tracing, kept with the graph: the incoming edges of every node,
    built in one pass (it does not use the networkx view, which costs several times more
    to build). Outgoing edges are derived from it only when all-paths mode first needs
    them; successor order and relation wording are worked out per node when first asked."""

    def __init__(self, graph: SbomGraph) -> None:
        self.components = comps = graph.components
        pred: dict[str, list[Edge]] = {}
        with gc_paused():  # only lists are made here; collection passes would cost more than the work
            for doc in graph.documents.values():
                for e in doc.edges:
                    t = e.target
                    if t in comps and e.source in comps:
                        back = pred.get(t)
                        if back is None:
                            pred[t] = [e]
                        else:
                            back.append(e)
            for e in graph.link_edges:
                pred.setdefault(e.target, []).append(e)
        self.pred = pred
        self._out: dict[str, list[str]] | None = None
        self._sorted_succ: dict[str, tuple[str, ...]] = {}
        self._relation: dict[tuple[str, str], str] = {}
        self.roots = graph.roots
        self.root_set = frozenset(graph.roots)
        self.doc_roots: dict[str, tuple[str, ...]] = {k: d.roots for k, d in graph.documents.items()}
        self.all_doc_roots: tuple[str, ...] = tuple(
            dict.fromkeys(r for d in graph.documents.values() for r in d.roots if r in comps)
        )
        self.synthetic_roots = frozenset(
            r for d in graph.documents.values() if d.synthetic_root for r in d.roots
        )
        self.doc_info = {k: (d.source, graph.tiers.get(k, 0)) for k, d in graph.documents.items()}
        self._steps: dict[tuple[str, str | None], PathStep] = {}

    def successors(self, node: str) -> tuple[str, ...]:
        """Distinct successors in id order (cached)."""
        got = self._sorted_succ.get(node)
        if got is None:
            if self._out is None:
                out: dict[str, list[str]] = {}
                for edges in self.pred.values():
                    for e in edges:
                        out.setdefault(e.source, []).append(e.target)
                self._out = out
            got = self._sorted_succ[node] = tuple(sorted(set(self._out.get(node, ()))))
        return got

    def relation(self, u: str, v: str) -> str:
        """The strongest relation among the parallel edges u → v, as words."""
        key = (u, v)
        got = self._relation.get(key)
        if got is not None:
            return got
        best: tuple[int, str] | None = None
        for source, _, kind, detail in self.pred.get(v, ()):
            if source != u:
                continue
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
        if best is None:  # pragma: no cover - paths only ever follow edges
            raise ValueError(f"no edge {u!r} -> {v!r}")
        self._relation[key] = best[1]
        return best[1]

    def distances(
        self, target: str, stop_when: frozenset[str] | None
    ) -> tuple[dict[str, int], dict[str, list[str]]]:
        """By a backward breadth-first search: the shortest distance to ``target`` of every
        node that reaches it, and for each node its successors one step closer (the edges
        of all shortest paths). Stops after the layer where every node of ``stop_when``
        has been found: the data of all nodes up to that distance is then complete."""
        pred = self.pred
        nothing: list[Edge] = []
        dist = {target: 0}
        closer: dict[str, list[str]] = {}
        remaining = set(stop_when) - {target} if stop_when else None
        frontier = [target]
        depth = 0
        while frontier and (remaining is None or remaining):
            depth += 1
            following = []
            for v in frontier:
                for e in pred.get(v, nothing):
                    u = e.source
                    d = dist.get(u)
                    if d is None:
                        dist[u] = depth
                        closer[u] = [v]
                        following.append(u)
                        if remaining is not None:
                            remaining.discard(u)
                    elif d == depth:
                        closer[u].append(v)
            frontier = following
        return dist, closer

    def step(self, node: str, relation: str | None) -> PathStep:
        """The step for ``node`` reached by ``relation`` — one object per pair, shared by
        every path through it (100,000 paths of ten steps hold 100,000 tuples of
        references, not a million steps)."""
        key = (node, relation)
        got = self._steps.get(key)
        if got is None:
            c: Component = self.components[node]
            source, tier = self.doc_info.get(c.document, (None, None))
            got = PathStep(node, c.name, c.version, relation, component_group(c), source, tier)
            self._steps[key] = got
        return got

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
    dist, closer = ix.distances(component_id, None if all_paths else ix.root_set)
    roots = [r for r in ix.roots if r in dist]
    if not roots:
        own = ix.doc_roots.get(graph.components[component_id].document, ())
        roots = [r for r in own if r in dist] or [r for r in ix.all_doc_roots if r in dist]
    if not roots:
        return _listed(ix, graph, component_id, dist, closer, max_paths)
    if all_paths:
        found, truncated = _all_simple(ix, roots, component_id, dist, closer, max_paths, max_depth)
    else:
        found, truncated = _all_shortest(roots, dist, closer, max_paths, max_depth)
    paths = tuple(ix.steps(p) for p in found)
    listed = bool(paths) and all(
        len(p) >= 2 and p[0].id in ix.synthetic_roots and p[1].relation == LISTED for p in paths
    )
    return Trace(paths, truncated, listed)


def _listed(
    ix: _Index,
    graph: SbomGraph,
    target: str,
    dist: dict[str, int],
    closer: dict[str, list[str]],
    max_paths: int,
) -> Trace:
    """No root reaches ``target``: the paths root → listed → *top* → ... → target, from
    each top-most component that holds it — one that nothing brings in (a CycloneDX
    assembly or an SPDX package that no relationship connects to the root), or, when all
    of them sit on a cycle, the farthest — along shortest paths, so the containers stay in
    the evidence. The root is that of the top's own document (none: the path starts at
    the top). ``max_depth`` and ``all_paths`` do not apply: this is the one explanation
    the documents give."""
    tops = sorted(u for u in dist if not ix.pred.get(u))
    if not tops:
        far = max(dist.values())
        tops = sorted(u for u, d in dist.items() if d == far)
    found, truncated = _all_shortest(tops, dist, closer, max_paths, None)
    paths = []
    for ids in found:
        top = ids[0]
        own = ix.doc_roots.get(graph.components[top].document, ())
        root = next((r for r in (*own, *ix.roots) if r != top and r in ix.components), None)
        head = (ix.step(root, None),) if root is not None else ()
        tail = ix.steps(ids)[1:]
        paths.append((*head, ix.step(top, LISTED), *tail))
    return Trace(tuple(paths), truncated, True)


def _all_shortest(
    roots: list[str],
    dist: dict[str, int],
    closer: dict[str, list[str]],
    max_paths: int,
    max_depth: int | None,
) -> tuple[list[tuple[str, ...]], bool]:
    """Every shortest path from each root, walking only to successors one step closer."""
    found: list[tuple[str, ...]] = []
    truncated = False
    ordered: dict[str, list[str]] = {}
    for root in roots:
        if max_depth is not None and dist[root] > max_depth:
            truncated = True
            continue
        for path in _shortest_from(root, dist, closer, ordered):
            if len(found) == max_paths:
                return found, True
            found.append(path)
    return found, truncated


def _shortest_from(
    root: str, dist: dict[str, int], closer: dict[str, list[str]], ordered: dict[str, list[str]]
) -> Iterator[tuple[str, ...]]:
    """Depth-first over the shortest-path edges, successors in id order: paths come out
    sorted by their step ids, and every branch ends at the target (no dead ends)."""
    if dist[root] == 0:
        yield (root,)
        return

    def nexts(node: str) -> Iterator[str]:
        got = ordered.get(node)
        if got is None:
            got = ordered[node] = sorted(set(closer[node]))
        return iter(got)

    path = [root]
    stack = [nexts(root)]
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
            stack.append(nexts(nxt))


def _all_simple(
    ix: _Index,
    roots: list[str],
    target: str,
    dist: dict[str, int],
    closer: dict[str, list[str]],
    max_paths: int,
    max_depth: int | None,
) -> tuple[list[tuple[str, ...]], bool]:
    """The shortest paths first (cheap, and so a reachable component always gets one),
    then further simple paths by depth-first search in id order, pruned to nodes that
    reach the target within the depth left, stopped after ``max_paths`` paths in all or
    after the work bound. Listed by root, then length, then step ids."""
    found, truncated = _all_shortest(roots, dist, closer, max_paths, max_depth)
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


def component_group(c: Component) -> str | None:
    """A component's namespace: its CycloneDX ``group``, else its purl's namespace (an npm
    scope, a Maven group), else ``None``.

    >>> component_group(Component("k#a", "a", "k", "core", purl="pkg:npm/%40babel/core@7.22.0"))
    '@babel'
    """
    if c.group:
        return c.group
    purl = c.purl
    # A namespace needs two slashes ("type/namespace/name"); most purls have one, and
    # counting is about a tenth of reading them (tracing names every step's group:
    # bench_graph's all-paths trace, issue 13).
    if not purl or purl.count("/") < 2:
        return None
    p = parse_purl(purl)
    return p.namespace if p is not None else None


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
            name = c.name.casefold()
            self.by_name.setdefault(name, []).append(c.id)
            group = component_group(c)
            full = qualified_name(c.name, group).casefold() if group else name
            if full != name:
                self.by_name.setdefault(full, []).append(c.id)


def paths_to(graph: SbomGraph, selector: str) -> list[str]:
    """Component ids that a user's selector names, in load order.

    Tried in turn, the first kind that matches wins: a component id; a bom-ref / SPDX id
    / SPDX 3 IRI; a purl (exact, or without version: then every version, qualifiers and
    subpath ignored); a name (case-insensitive) or ``name@version`` — the name as written
    or with its namespace (``@babel/core``, ``@babel/core@7.22.0``, ``com.huawei.hms:push``).
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
    out: list[str] = []
    for purl, ids in sel.by_purl.items():
        have = parse_purl(purl)
        if have is None or have[:3] != want[:3]:
            continue
        if want.version is None or have.version == want.version:
            out.extend(ids)
    order = {cid: i for i, cid in enumerate(graph.components)} if len(out) > 1 else {}
    return sorted(out, key=lambda cid: order.get(cid, 0))
