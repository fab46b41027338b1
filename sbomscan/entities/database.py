"""Control closure over the relation graph: which authorities cover an entity on a date.

The relations form a networkx multigraph with an edge each way per relation (the inverse
kind on the way back: the parent of a subsidiary *controls* it). An entity is covered by an
authority when the authority names it and is in effect, or when a chain of relations that
hold on the date leads from it to such an entity through kinds the authority extends to.
Breadth-first search from the named entities gives the shortest chain; cycles are harmless.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

import networkx as nx

from .records import (
    ALWAYS,
    INVERSE,
    RELATION_KIND,
    Authority,
    Coverage,
    Entity,
    LicensedProduct,
    Relation,
    Source,
)

__all__ = ["EntityDatabase"]


class _Step(NamedTuple):
    source: str
    target: str
    type: str
    kind: str
    relation: Relation


class EntityDatabase:
    """The merged, validated entity data, with control closure on any date."""

    def __init__(
        self,
        *,
        version: str,
        schema_version: int,
        authorities: Mapping[str, Authority],
        entities: Mapping[str, Entity],
        licensed_products: Sequence[LicensedProduct],
        sources: Mapping[str, Source],
    ) -> None:
        self.version = version
        self.schema_version = schema_version
        self.authorities: dict[str, Authority] = dict(authorities)
        self.entities: dict[str, Entity] = dict(entities)
        self.licensed_products: tuple[LicensedProduct, ...] = tuple(licensed_products)
        self.sources: dict[str, Source] = dict(sources)
        self.graph: Any = nx.MultiDiGraph()
        """Node = entity id; edge ``X -> Y`` with ``type``/``kind``/``relation``: X would be
        covered through ``kind`` if Y were. Each relation gives an edge each way."""
        for eid in sorted(self.entities):
            self.graph.add_node(eid)
        steps: list[_Step] = []
        for eid in sorted(self.entities):
            for rel in self.entities[eid].relations:
                steps.append(_Step(eid, rel.target, rel.type, RELATION_KIND[rel.type], rel))
                inv_type, inv_kind = INVERSE[rel.type]
                steps.append(_Step(rel.target, eid, inv_type, inv_kind, rel))
        for st in sorted(steps, key=lambda s: (s.source, s.target, s.type)):
            self.graph.add_edge(st.source, st.target, type=st.type, kind=st.kind, relation=st.relation)
        self._closure = lru_cache(maxsize=64)(self._compute_closure)

    def __repr__(self) -> str:
        return (
            f"EntityDatabase(version={self.version!r}, entities={len(self.entities)}, "
            f"authorities={len(self.authorities)}, licensed_products={len(self.licensed_products)})"
        )

    def authority_in_effect(self, authority_id: str, as_of: date) -> bool:
        """Whether the authority is in effect on ``as_of`` (unknown ids are not)."""
        auth = self.authorities.get(authority_id)
        return auth is not None and auth.in_effect(as_of)

    def coverage(self, entity_id: str, as_of: date | None = None) -> tuple[Coverage, ...]:
        """The authorities covering ``entity_id`` on ``as_of`` (default today), each with the
        shortest relation chain; authorities reached only through ended relations come back
        with ``former=True``. Sorted by authority id."""
        return self._closure(as_of or date.today()).get(entity_id, ())

    def _step_text(self, a: str, t: str, b: str) -> str:
        return f"{self.entities[a].name} —{t}→ {self.entities[b].name}"

    def _entity_alive(self, eid: str, on: date) -> bool:
        until = self.entities[eid].until
        return until is None or on < until

    def _compute_closure(self, on: date) -> dict[str, tuple[Coverage, ...]]:
        result: dict[str, list[Coverage]] = {}
        g = self.graph
        for aid in sorted(self.authorities):
            auth = self.authorities[aid]
            if not auth.in_effect(on):
                continue
            named = [
                eid
                for eid in sorted(self.entities)
                if aid in self.entities[eid].authorities and self._entity_alive(eid, on)
            ]
            if not named:
                continue
            allowed = auth.control | ALWAYS
            current = self._reach(g, named, allowed, lambda r: r.holds_on(on), on)
            for eid, path in current.items():
                result.setdefault(eid, []).append(self._coverage(aid, eid, path, former=False))
            former = self._reach(g, named, allowed, lambda r: r.holds_on(on) or r.ended_by(on), on)
            for eid, path in former.items():
                if eid not in current:
                    result.setdefault(eid, []).append(self._coverage(aid, eid, path, former=True))
        return {eid: tuple(covs) for eid, covs in result.items()}

    def _reach(
        self, g: Any, named: list[str], allowed: frozenset[str], ok: Any, on: date
    ) -> dict[str, list[tuple[str, str, str, Relation]]]:
        """Breadth-first search backwards from the named entities over usable edges; for each
        reached entity, the edge path from it to a named entity (deterministic: sorted)."""
        paths: dict[str, list[tuple[str, str, str, Relation]]] = {eid: [] for eid in named}
        frontier = list(named)
        while frontier:
            nxt: list[str] = []
            for node in frontier:
                for src, _dst, data in sorted(
                    g.in_edges(node, data=True), key=lambda e: (e[0], e[2]["type"])
                ):
                    if src in paths or data["kind"] not in allowed or not ok(data["relation"]):
                        continue
                    if not self._entity_alive(src, on):
                        continue
                    paths[src] = [(src, data["type"], node, data["relation"]), *paths[node]]
                    nxt.append(src)
            frontier = sorted(set(nxt))
        return paths

    def _coverage(
        self, aid: str, eid: str, path: list[tuple[str, str, str, Relation]], *, former: bool
    ) -> Coverage:
        chain = tuple(self._step_text(a, t, b) for a, t, b, _ in path)
        unverified = self.entities[eid].unverified or any(
            r.unverified or self.entities[b].unverified for _, _, b, r in path
        )
        return Coverage(aid, chain, former, unverified)
