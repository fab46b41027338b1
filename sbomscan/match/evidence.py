"""The matcher's vocabulary: how strongly a field names an entity (:class:`Confidence`), one
field's :class:`Evidence`, a component's :class:`Match`, and the index's :class:`Target` /
:class:`Hit` records that evidence is made from. Shared by the index, the rules and the
matcher (and read by the policy), so that none of them imports another for its types.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

__all__ = [
    "RANK",
    "Confidence",
    "Evidence",
    "Hit",
    "Match",
    "Raw",
    "Target",
    "capped",
    "is_former",
    "is_unverified",
]


class Confidence(str, Enum):
    """How strongly one piece of evidence ties a component to an entity."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}


class Evidence(NamedTuple):
    """One field of a component that names an entity.

    ``via`` holds the control chain(s) by which the entity is covered, and notes that the
    scan stage reads: an entry starting with ``"former: "`` (an ended relation, a name no
    longer used, a licence period over) or ``"unverified: "`` (the fact is unverified).
    """

    field: str
    value: str
    matched: str
    rule: str
    confidence: Confidence
    via: tuple[str, ...]


class Match(NamedTuple):
    """All the evidence tying one component to one entity (or to one licensed product)."""

    component_id: str
    entity_id: str
    kind: str
    evidence: tuple[Evidence, ...]
    licensed_product: str | None


def is_former(evidence: Evidence) -> bool:
    """The evidence only links through something that has ended (review, not prohibited)."""
    return any(v.startswith("former: ") for v in evidence.via)


def is_unverified(evidence: Evidence) -> bool:
    """The evidence rests on a fact marked unverified (never prohibited by itself)."""
    return any(v.startswith("unverified: ") for v in evidence.via)


class Target(NamedTuple):
    """What an index key points at: an entity (or licensed product) and notes for ``via``."""

    entity: str
    matched: str
    notes: tuple[str, ...]
    strong_name: bool = False
    """A legal name written with its legal form (the entity's own name, or a legal, former or
    native alias, e.g. "Zhejiang Dahua Technology Co., Ltd."): HIGH even inside a longer
    party name, when the party name contains it legal form included."""
    lp: str | None = None
    full: str = ""
    """The alias normalised *with* its legal form, padded with spaces: when two entities
    share a key ("Kaspersky Lab" and "Kaspersky Lab, Inc."), the text decides."""


class Hit(NamedTuple):
    kind: str  # "alias", "product", "lp"
    target: Target
    exact: bool  # the key is the whole of the scanned text
    folded: bool = False  # found only once the text was folded (sbomscan.identifiers.fold): obfuscated


Raw = tuple[str, str, str, Confidence, Target]
"""One raw hit, before evidence is merged: (field, value as written, rule, confidence, target)."""


def capped(conf: Confidence, cap: Confidence) -> Confidence:
    """``conf``, or ``cap`` when that is weaker (a role or a person caps what a name can give)."""
    return conf if RANK[conf] >= RANK[cap] else cap
