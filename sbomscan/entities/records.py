"""The typed, immutable records of the entity data, and the relation-kind tables.

Records are ``NamedTuple`` like the SBOM model: cheap to build, hashable, read-only. The
identifier records (:class:`ValueId`, :class:`PurlPattern`...) and :class:`Identifiers` live
with the table of identifier kinds (:mod:`sbomscan.entities.kinds`) and are re-exported here.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .kinds import AppId, HashId, Identifiers, PurlPattern, ValueId, VcsOrg

__all__ = [
    "BINDS",
    "BUYERS",
    "BUYER_BINDS",
    "RELATION_KIND",
    "Alias",
    "AppId",
    "Authority",
    "Coverage",
    "DataFile",
    "EffectiveDate",
    "Entity",
    "HashId",
    "Identifiers",
    "LicensedProduct",
    "Listing",
    "PurlPattern",
    "Relation",
    "Source",
    "ValueId",
    "VcsOrg",
]


class DataFile(NamedTuple):
    """One entity-data file merged into a database: ``path`` as given (``<overlay>`` for
    data passed in memory), the file's own ``version``, and the sha256 of its bytes (of its
    canonical JSON when it was passed in memory). Reports name these so that a reader can
    tell which data — shipped and overlays — decided a finding."""

    path: str
    version: str | None
    sha256: str


class Source(NamedTuple):
    """A public source that facts cite."""

    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    date: date | None = None
    confidence: str | None = None


class EffectiveDate(NamedTuple):
    date: date
    label: str | None = None


class Authority(NamedTuple):
    """A law, regulation, directive or list that prohibits an entity's products."""

    id: str
    title: str
    instrument: str | None
    citations: tuple[str, ...]
    effective: tuple[EffectiveDate, ...]
    until: date | None
    scope: str | None
    scope_text: str | None
    control: frozenset[str]
    sources: tuple[str, ...]
    binds: tuple[str, ...] = ()
    """Whom the authority binds (:data:`BINDS`): ``("dod",)`` for NDAA FY24 §805. Empty when
    the data does not say (an overlay written before the vocabulary): then it binds every
    buyer."""
    names_listed_on: str | None = None
    """The id of a list authority whose entries this authority names ("the section 1260H
    list" for §805): it covers whoever that list holds on the date, with that list's
    entries (dates, words)."""
    prohibits: bool = True
    """``False`` for a list that prohibits nothing by itself (the 1260H list): it is never
    a finding's authority, only the entries other authorities name by reference."""

    def binds_buyer(self, buyer: str | None) -> bool:
        """Whether the authority applies when scanning as ``buyer`` (a :data:`BUYERS` kind,
        or ``None``: any federal buyer, i.e. every authority)."""
        if buyer is None or not self.binds:
            return True
        return bool(set(self.binds) & BUYER_BINDS[buyer])

    @property
    def start(self) -> date | None:
        """The first date on which any part of it is in effect."""
        return min((e.date for e in self.effective), default=None)

    def in_effect(self, on: date) -> bool:
        """In effect on ``on``: its first effective date has come and its ``until`` has not."""
        start = self.start
        return (start is None or start <= on) and (self.until is None or on < self.until)


class Alias(NamedTuple):
    value: str
    kind: str | None = None
    lang: str | None = None
    until: date | None = None
    unverified: bool = False
    sources: tuple[str, ...] = ()


class Relation(NamedTuple):
    """``type`` relates the owning entity to ``target`` (``acme majority_owned_by kaspersky``)."""

    type: str
    target: str
    since: date | None = None
    until: date | None = None
    unverified: bool = False
    sources: tuple[str, ...] = ()

    def holds_on(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on < self.until)

    def ended_by(self, on: date) -> bool:
        """Held once and had ended by ``on`` (a *former* link)."""
        return self.until is not None and self.until <= on and (self.since is None or self.since <= on)


class Listing(NamedTuple):
    """One entry of a list-type authority (the FCC Covered List) naming the entity.

    A list is one authority, but each entry has its own date of inclusion and its own
    words: AO Kaspersky Lab was added to the Covered List on 2022-03-25 for "information
    security products", DJI on 2025-12-22. So an entity with a listing for an authority is
    named by it only while the listing holds, and with the listing's scope, not from the
    authority's first effective date with its ``per-entry`` scope.
    """

    authority: str
    since: date
    until: date | None = None
    entry: str | None = None
    scope: str | None = None
    note: str | None = None
    unverified: bool = False
    sources: tuple[str, ...] = ()

    def holds_on(self, on: date) -> bool:
        """Listed on ``on``: included on or before it, and not removed by it."""
        return self.since <= on and (self.until is None or on < self.until)


class Entity(NamedTuple):
    id: str
    name: str
    country: str | None = None
    kind: str = "organization"
    unverified: bool = False
    aliases: tuple[Alias, ...] = ()
    relations: tuple[Relation, ...] = ()
    identifiers: Identifiers = Identifiers()
    authorities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    until: date | None = None
    """Optional: the entity ceased to exist (or to be covered) on this date."""
    listings: tuple[Listing, ...] = ()
    """Entries of list-type authorities naming this entity, each with its own date and scope."""

    def listings_for(self, authority_id: str) -> tuple[Listing, ...]:
        return tuple(li for li in self.listings if li.authority == authority_id)


class LicensedProduct(NamedTuple):
    """A covered entity's engine licensed into another vendor's product."""

    id: str
    vendor: str
    product: str
    names: tuple[str, ...]
    cpes: tuple[str, ...]
    licensor: str
    since: date | None = None
    until: date | None = None
    unverified: bool = False
    note: str | None = None
    sources: tuple[str, ...] = ()


class Coverage(NamedTuple):
    """Why an entity is covered by an authority on a date.

    ``chain`` is empty when the authority names the entity itself; otherwise one text per
    relation step, from the entity to the named one. ``former`` means a step has ended:
    not coverage, a lead for review. ``unverified`` means the entity, a step or the listing
    is unverified.

    ``named`` is the entity the authority names (the end of the chain). When that naming is
    a :class:`Listing` (one entry of a list), ``listing`` is it, and ``scope`` / ``since``
    are the entry's own scope tag and date of inclusion; otherwise they are the
    authority's scope and first effective date. An entity covered through the control
    closure inherits the named entity's listing.
    """

    authority: str
    chain: tuple[str, ...]
    former: bool
    unverified: bool
    scope: str | None = None
    since: date | None = None
    named: str | None = None
    listing: Listing | None = None

    @property
    def text(self) -> str:
        """The chain as one line: ``"Acme —majority_owned_by→ Kaspersky Lab"`` (``""`` if direct)."""
        if not self.chain:
            return ""
        # steps are "A —t→ B", "B —u→ C"; joined as "A —t→ B —u→ C"
        text = self.chain[0]
        for step in self.chain[1:]:
            text += " —" + step.split(" —", 1)[1]
        return text


# Relation type -> (control kind of the owner towards the target, inverse type, inverse kind).
RELATION_KIND: dict[str, str] = {
    "subsidiary_of": "controlled_by",
    "parent_of": "controls",
    "affiliate_of": "common_control",
    "successor_of": "successor",
    "majority_owned_by": "majority_owned",
    "brand_of": "brand",
}
INVERSE: dict[str, tuple[str, str]] = {
    "subsidiary_of": ("parent_of", "controls"),
    "parent_of": ("subsidiary_of", "controlled_by"),
    "affiliate_of": ("affiliate_of", "common_control"),
    "successor_of": ("predecessor_of", "predecessor"),
    # a majority owner controls what it owns
    "majority_owned_by": ("majority_owner_of", "controls"),
    "brand_of": ("brand_owner_of", "brand"),
}
ALWAYS = frozenset({"brand"})

BINDS: dict[str, str] = {
    "federal": "every executive agency (FAR clauses, government-wide statutes)",
    "civilian": "federal civilian executive branch agencies",
    "dod": "the Department of Defense",
    "intelligence-community": "the intelligence community (and SCI systems)",
    "us-persons": "everyone under U.S. jurisdiction, federal buyers included (Commerce rules)",
    "fcc-regulated": "equipment authorisation and marketing in the U.S. and USF recipients (FCC)",
}
"""Whom an authority binds (``Authority.binds``): the scope vocabulary of buyers."""

BUYER_BINDS: dict[str, frozenset[str]] = {
    "dod": frozenset({"federal", "dod", "us-persons", "fcc-regulated"}),
    "civilian": frozenset({"federal", "civilian", "us-persons", "fcc-regulated"}),
    "intelligence-community": frozenset({"federal", "intelligence-community", "us-persons", "fcc-regulated"}),
}
"""The kinds of buyer one can scan as (``--buyer``), each with the ``binds`` values that
reach it: a DoD buyer is bound by government-wide law, by DoD-only law, and by the rules
that bind everyone in the U.S. market — not by an order for the intelligence community."""

BUYERS = tuple(BUYER_BINDS)
