"""Control closure over the relation graph: which authorities cover an entity on a date.

The relations form a multigraph with an edge each way per relation (the inverse kind on
the way back: the parent of a subsidiary *controls* it). An entity is covered by an
authority when the authority names it and is in effect, or when a chain of relations that
hold on the date leads from it to such an entity through kinds the authority extends to.
Breadth-first search from the named entities gives the shortest chain; cycles are harmless.

A list-type authority (the FCC Covered List) names an entity through a *listing*: the
entry's own date of inclusion and scope tag, not the list's first publication date. An
entity with a listing for an authority is named by it only while the listing holds; an
entity covered through relations inherits the listing of the entity it reaches.

Which chain is reported, when there are several: a verified one before any through an
unverified fact; then the shortest; then the first by the ids along it (see ``_reach``).

A database is read-only once built: its mappings are read-only views, its relation graph
(and the networkx view of it, made on demand) is frozen and its data attributes cannot be
rebound. That is what lets everything computed
from it be kept with it — the closure per date, the start dates per authority, the
per-buyer views and whatever a caller keeps through :meth:`EntityDatabase.derived` (a scan
keeps its ``Matcher`` per as-of date there) — without any of it going stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar, cast

from ..errors import UsageError
from .records import (
    ALWAYS,
    BUYER_BINDS,
    INVERSE,
    RELATION_KIND,
    Authority,
    Coverage,
    DataFile,
    Entity,
    LicensedProduct,
    Listing,
    Relation,
    Source,
)

__all__ = ["DERIVED_MAX", "EntityDatabase"]

_T = TypeVar("_T")

DERIVED_MAX = 4
"""Values :meth:`EntityDatabase.derived` keeps per database (the least recently used goes
first): a scan keeps one ``Matcher`` per as-of date, and a process scans on one date or a
few, so four cover it while bounding what a database holds on to."""

_DATA = frozenset(
    {
        "version",
        "schema_version",
        "authorities",
        "entities",
        "licensed_products",
        "sources",
        "graph",
        "_steps",
        "_into",
    }
)
"""The attributes that hold the data itself: set once, in ``__init__`` (``graph``, a view made
on demand, never)."""


class _Step(NamedTuple):
    source: str
    target: str
    type: str
    kind: str
    relation: Relation


class EntityDatabase:
    """The merged, validated entity data, with control closure on any date.

    Read-only once built (see the module): the mappings are read-only views, the graph is
    frozen, and rebinding a data attribute raises ``AttributeError``. Only the provenance
    (``shipped``, ``overlays``) and ``buyer`` are set after construction, by
    :func:`~sbomscan.entities.load_entities` and :meth:`for_buyer`; nothing computed from
    the data reads them.
    """

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
        self.shipped: DataFile | None = None
        """The shipped data file as merged (set by :func:`~sbomscan.entities.load_entities`)."""
        self.overlays: tuple[DataFile, ...] = ()
        """Every overlay merged over it, in order."""
        self.authorities: Mapping[str, Authority] = MappingProxyType(dict(authorities))
        self.entities: Mapping[str, Entity] = MappingProxyType(dict(entities))
        self.licensed_products: tuple[LicensedProduct, ...] = tuple(licensed_products)
        self.sources: Mapping[str, Source] = MappingProxyType(dict(sources))
        steps: list[_Step] = []
        for eid in sorted(self.entities):
            for rel in self.entities[eid].relations:
                steps.append(_Step(eid, rel.target, rel.type, RELATION_KIND[rel.type], rel))
                inv_type, inv_kind = INVERSE[rel.type]
                steps.append(_Step(rel.target, eid, inv_type, inv_kind, rel))
        self._steps = tuple(sorted(steps, key=lambda s: (s.source, s.target, s.type)))
        into: dict[str, list[_Step]] = {}
        for st in self._steps:
            into.setdefault(st.target, []).append(st)
        self._into: Mapping[str, tuple[_Step, ...]] = MappingProxyType({k: tuple(v) for k, v in into.items()})
        """The edges into each entity, in the order of ``_steps`` (by source, then type): what
        the closure walks."""
        self._graph: Any = None
        self._closure = lru_cache(maxsize=64)(self._compute_closure)
        self.buyer: str | None = None
        """The kind of buyer this view was made for (:meth:`for_buyer`); ``None``: any."""
        self._starts: dict[str, tuple[date, ...]] = {}
        self._views: dict[str, EntityDatabase] = {}
        self._derived: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __setattr__(self, name: str, value: Any) -> None:
        """Refuse to rebind the data once set: what is kept with the database (closures,
        start dates, views, :meth:`derived` values) was computed from it."""
        if name in _DATA and (name in self.__dict__ or hasattr(type(self), name)):
            raise AttributeError(f"EntityDatabase.{name} is read-only: load the data again to change it")
        object.__setattr__(self, name, value)

    @property
    def graph(self) -> Any:
        """The relations as a frozen ``networkx.MultiDiGraph`` (made on first use, then kept):
        node = entity id; edge ``X -> Y`` with ``type``/``kind``/``relation``: X would be
        covered through ``kind`` if Y were. Each relation gives an edge each way.

        The closure walks the same edges in ``_into``, so that a scan does not import
        networkx (about 0.1 s of every command's start-up; docs/performance.md, "Start-up").
        """
        if self._graph is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            g.add_nodes_from(sorted(self.entities))
            for st in self._steps:
                g.add_edge(st.source, st.target, type=st.type, kind=st.kind, relation=st.relation)
            self._graph = nx.freeze(g)
        return self._graph

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
        with ``former=True``. Sorted by authority id. For a list-type authority, coverage
        begins at the listing's ``since`` and carries its scope (``Coverage.scope``)."""
        return self._closure(as_of or date.today()).get(entity_id, ())

    def for_buyer(self, buyer: str | None) -> EntityDatabase:
        """The same data with only the authorities that bind ``buyer`` (a kind of
        :data:`~sbomscan.entities.records.BUYERS`; ``None``: any federal buyer, i.e. all of
        them). Lists that prohibit nothing by themselves stay: others name their entries."""
        if buyer is None:
            return self
        if buyer not in BUYER_BINDS:
            raise UsageError(f"unknown buyer kind {buyer!r} (known: {', '.join(BUYER_BINDS)})")
        # one view per buyer, kept: a scan as a buyer then finds the Matcher an earlier one kept
        view = self._views.get(buyer)
        if view is None:
            view = self._views.setdefault(buyer, self._buyer_view(buyer))
        return view

    def _buyer_view(self, buyer: str) -> EntityDatabase:
        """A new database of the authorities that bind ``buyer`` (see :meth:`for_buyer`)."""
        kept = {aid: a for aid, a in self.authorities.items() if not a.prohibits or a.binds_buyer(buyer)}
        db = EntityDatabase(
            version=self.version,
            schema_version=self.schema_version,
            authorities=kept,
            entities=self.entities,
            licensed_products=self.licensed_products,
            sources=self.sources,
        )
        db.buyer = buyer
        db.shipped, db.overlays = self.shipped, self.overlays
        return db

    def _list_of(self, authority_id: str) -> str:
        """The authority whose listings decide ``authority_id``'s naming: the list it names by
        reference (``names_listed_on``), or itself."""
        auth = self.authorities.get(authority_id)
        return (auth.names_listed_on if auth is not None and auth.names_listed_on else None) or authority_id

    def derived(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """The value ``make()`` computed from this database, made once per ``key`` and kept
        with it: a scan keeps its ``Matcher`` for an as-of date here, so many scans in one
        process build the index once (see docs/performance.md, "Small scans"). ``make`` must
        depend on nothing but this database and ``key``.

        At most :data:`DERIVED_MAX` values are kept, the least recently used dropped first.
        Safe between threads: two threads may make the same value at once; both get the one
        kept first."""
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                return cast(_T, self._derived[key])
        value = make()  # outside the lock: another key's value need not wait for this one
        with self._lock:
            kept = self._derived.setdefault(key, value)
            self._derived.move_to_end(key)
            while len(self._derived) > DERIVED_MAX:
                self._derived.popitem(last=False)
        return cast(_T, kept)

    def start_dates(self, authority_id: str) -> tuple[date, ...]:
        """The dates on which coverage by the authority can begin: its first effective date
        and each listing's date of inclusion, sorted. Used to say *when* an entity that is
        not covered on a date would be (DJI is on the FCC Covered List from 2025-12-22).
        Kept per authority: a scan asks for each authority for every finding it decides."""
        found = self._starts.get(authority_id)
        if found is None:
            found = self._start_dates(authority_id)
            if authority_id in self.authorities:
                self._starts[authority_id] = found
        return found

    def _start_dates(self, authority_id: str) -> tuple[date, ...]:
        auth = self.authorities.get(authority_id)
        if auth is None:
            return ()
        source = self._list_of(authority_id)
        dates = {li.since for e in self.entities.values() for li in e.listings_for(source)}
        if auth.start is not None:
            dates.add(auth.start)
        return tuple(sorted(dates))

    def _step_text(self, a: str, t: str, b: str) -> str:
        return f"{self.entities[a].name} —{t}→ {self.entities[b].name}"

    def _entity_alive(self, eid: str, on: date) -> bool:
        until = self.entities[eid].until
        return until is None or on < until

    def _seeds(self, aid: str, on: date) -> dict[str, Listing | None]:
        """The entities ``aid`` names on ``on``, each with the listing that names it (``None``
        when the entity names the authority without a listing: named from the authority's
        own first date). An entity with listings for ``aid`` is named only while one holds;
        of several, a verified one first, then the earliest."""
        seeds: dict[str, Listing | None] = {}
        source = self._list_of(aid)
        for eid in sorted(self.entities):
            ent = self.entities[eid]
            if not self._entity_alive(eid, on):
                continue
            listings = ent.listings_for(source)
            if listings:
                held = [li for li in listings if li.holds_on(on)]
                if held:
                    seeds[eid] = min(held, key=lambda li: (li.unverified, li.since, li.scope or ""))
            elif aid in ent.authorities:
                seeds[eid] = None
        return seeds

    def _compute_closure(self, on: date) -> dict[str, tuple[Coverage, ...]]:
        result: dict[str, list[Coverage]] = {}
        for aid in sorted(self.authorities):
            auth = self.authorities[aid]
            if not auth.in_effect(on) or not auth.prohibits:
                continue
            seeds = self._seeds(aid, on)
            if not seeds:
                continue
            allowed = auth.control | ALWAYS
            current = self._best_reach(seeds, allowed, lambda r: r.holds_on(on), on)
            for eid, (path, seed) in current.items():
                result.setdefault(eid, []).append(
                    self._coverage(auth, eid, path, seed, seeds[seed], former=False)
                )
            former = self._best_reach(seeds, allowed, lambda r: r.holds_on(on) or r.ended_by(on), on)
            for eid, (path, seed) in former.items():
                if eid not in current:
                    result.setdefault(eid, []).append(
                        self._coverage(auth, eid, path, seed, seeds[seed], former=True)
                    )
        return {eid: tuple(covs) for eid, covs in result.items()}

    def _best_reach(
        self, seeds: Mapping[str, Listing | None], allowed: frozenset[str], ok: Any, on: date
    ) -> dict[str, tuple[list[tuple[str, str, str, Relation]], str]]:
        """For each entity reached, its chain to a named entity and that entity's id.

        A chain resting only on verified facts (entities, relations, listing) is preferred
        to any chain through something unverified, however short: an unverified shortcut
        must not hide verified coverage. Within each, the shortest chain wins."""

        def verified_node(eid: str) -> bool:
            return not self.entities[eid].unverified

        verified_seeds = {
            eid: li
            for eid, li in seeds.items()
            if verified_node(eid) and not (li is not None and li.unverified)
        }
        best = self._reach(verified_seeds, allowed, lambda r: ok(r) and not r.unverified, on, verified_node)
        for eid, found in self._reach(seeds, allowed, ok, on, lambda _e: True).items():
            best.setdefault(eid, found)
        return best

    def _reach(
        self,
        seeds: Mapping[str, Listing | None],
        allowed: frozenset[str],
        ok: Any,
        on: date,
        node_ok: Any,
    ) -> dict[str, tuple[list[tuple[str, str, str, Relation]], str]]:
        """Breadth-first search backwards from the named entities over usable edges, layer by
        layer; for each reached entity, the edge path from it to a named entity, and that
        entity. Named entities have the empty path: direct naming beats any chain.

        Of several equally short chains the one chosen is the first when its steps, read from
        the reached entity, are compared as (next entity id, relation type) — the same chain
        on every run, whatever the order of the data."""
        into = self._into
        paths: dict[str, tuple[list[tuple[str, str, str, Relation]], str]] = {
            eid: ([], eid) for eid in sorted(seeds) if node_ok(eid)
        }
        keys: dict[str, tuple[tuple[str, str], ...]] = {eid: () for eid in paths}
        frontier = sorted(paths)
        while frontier:
            found: dict[
                str, tuple[tuple[tuple[str, str], ...], list[tuple[str, str, str, Relation]], str]
            ] = {}
            for node in frontier:
                for src, _dst, type_, kind, relation in into.get(node, ()):
                    if src in paths or kind not in allowed or not ok(relation):
                        continue
                    if not self._entity_alive(src, on) or not node_ok(src):
                        continue
                    key = ((node, type_), *keys[node])
                    if src not in found or key < found[src][0]:
                        chain, seed = paths[node]
                        found[src] = (key, [(src, type_, node, relation), *chain], seed)
            for src, (key, chain, seed) in found.items():
                paths[src] = (chain, seed)
                keys[src] = key
            frontier = sorted(found)
        return paths

    def _coverage(
        self,
        auth: Authority,
        eid: str,
        path: list[tuple[str, str, str, Relation]],
        seed: str,
        listing: Listing | None,
        *,
        former: bool,
    ) -> Coverage:
        chain = tuple(self._step_text(a, t, b) for a, t, b, _ in path)
        unverified = (
            self.entities[eid].unverified
            or self.entities[seed].unverified
            or (listing is not None and listing.unverified)
            or any(r.unverified or self.entities[b].unverified for _, _, b, r in path)
        )
        scope = (listing.scope if listing is not None else None) or auth.scope
        since = listing.since if listing is not None else auth.start
        if auth.names_listed_on:
            # named by reference to another list (§805 and the 1260H list): the law's own
            # scope, from the later of the entry and the law
            scope = auth.scope
            if since is not None and auth.start is not None:
                since = max(since, auth.start)
        return Coverage(auth.id, chain, former, unverified, scope, since, seed, listing)
