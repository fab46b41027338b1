"""Which way each SPDX 2.3 relationship type points in the product graph.

Every edge of the graph points *away* from the product root: source "has" target, and the
thing that is *in* the product (the dependency, the contained file, the ancestor that code
was derived from, the tool a build used) is the target. SPDX 2 writes many types from the
lesser side (``A DEPENDENCY_OF B``, ``A CONTAINED_BY B``, ``A ANCESTOR_OF B``), and those
are flipped here. The choices follow the SPDX 3.0 migration of each type (SPDX 3.0.1 spec,
Annex "Diffs from previous editions", relationship mapping) so that the same product read
from SPDX 2 and SPDX 3 gives the same graph; the table is repeated, with the reasons, in
``docs/ingest-spdx2.md``.

>>> RELATIONSHIPS["DEPENDENCY_OF"]
Rel(kind=<EdgeKind.DEPENDS_ON: 'depends_on'>, flip=True)
>>> RELATIONSHIPS["ANCESTOR_OF"].flip, RELATIONSHIPS["DESCENDANT_OF"].flip
(True, False)
>>> relationship("  dev_dependency_of ")
Rel(kind=<EdgeKind.DEPENDS_ON: 'depends_on'>, flip=True)
"""

from __future__ import annotations

from typing import NamedTuple

from ...memory import make_room
from ...model import EdgeKind


class Rel(NamedTuple):
    """An edge of ``kind`` from the relationship's ``spdxElementId`` to its
    ``relatedSpdxElement``, or the other way round when ``flip``."""

    kind: EdgeKind
    flip: bool = False


_C, _D, _O = EdgeKind.CONTAINS, EdgeKind.DEPENDS_ON, EdgeKind.OTHER

RELATIONSHIPS: dict[str, Rel] = {
    # description (A DESCRIBES B between two elements; from the document it makes roots)
    "DESCRIBES": Rel(EdgeKind.DESCRIBES),
    "DESCRIBED_BY": Rel(EdgeKind.DESCRIBES, flip=True),
    # composition: the containing thing is the source
    "CONTAINS": Rel(_C),
    "CONTAINED_BY": Rel(_C, flip=True),
    "PACKAGE_OF": Rel(_C, flip=True),  # A is packaged in B
    "FILE_ADDED": Rel(_C, flip=True),  # A was added to B
    "EXPANDED_FROM_ARCHIVE": Rel(_C, flip=True),  # A was unpacked from archive B
    "OPTIONAL_COMPONENT_OF": Rel(_C, flip=True),  # A is an optional part of B
    # dependency: the needing thing is the source
    "DEPENDS_ON": Rel(_D),
    "DEPENDENCY_OF": Rel(_D, flip=True),
    "BUILD_DEPENDENCY_OF": Rel(_D, flip=True),
    "DEV_DEPENDENCY_OF": Rel(_D, flip=True),
    "OPTIONAL_DEPENDENCY_OF": Rel(_D, flip=True),
    "PROVIDED_DEPENDENCY_OF": Rel(_D, flip=True),
    "TEST_DEPENDENCY_OF": Rel(_D, flip=True),
    "RUNTIME_DEPENDENCY_OF": Rel(_D, flip=True),
    "BUILD_TOOL_OF": Rel(_D, flip=True),  # B is built with tool A
    "DEV_TOOL_OF": Rel(_D, flip=True),
    "TEST_TOOL_OF": Rel(_D, flip=True),
    "PREREQUISITE_FOR": Rel(_D, flip=True),  # A must be present for B
    "DISTRIBUTION_ARTIFACT": Rel(_D),  # distributing A requires distributing B with it
    "HAS_PREREQUISITE": Rel(_D),
    # linking
    "STATIC_LINK": Rel(EdgeKind.STATIC_LINK),
    "DYNAMIC_LINK": Rel(EdgeKind.DYNAMIC_LINK),
    # derivation: the derived thing is the source, what it came from the target
    "ANCESTOR_OF": Rel(EdgeKind.DERIVED_FROM, flip=True),
    "DESCENDANT_OF": Rel(EdgeKind.DERIVED_FROM),
    "VARIANT_OF": Rel(EdgeKind.VARIANT_OF),
    "GENERATED_FROM": Rel(EdgeKind.GENERATED_FROM),
    "GENERATES": Rel(EdgeKind.GENERATED_FROM, flip=True),
    "COPY_OF": Rel(EdgeKind.COPY_OF),
    # associations: the thing the other one is "of" / "for" is the source
    "DEPENDENCY_MANIFEST_OF": Rel(_O, flip=True),
    "PATCH_FOR": Rel(_O, flip=True),
    "PATCH_APPLIED": Rel(_O, flip=True),
    "FILE_DELETED": Rel(_O, flip=True),
    "FILE_MODIFIED": Rel(_O),  # A was modified by B
    "DATA_FILE_OF": Rel(_O, flip=True),
    "TEST_CASE_OF": Rel(_O, flip=True),
    "TEST_OF": Rel(_O, flip=True),
    "EXAMPLE_OF": Rel(_O, flip=True),
    "METAFILE_OF": Rel(_O, flip=True),
    "DOCUMENTATION_OF": Rel(_O, flip=True),
    "SPECIFICATION_FOR": Rel(_O, flip=True),
    "REQUIREMENT_DESCRIPTION_FOR": Rel(_O, flip=True),
    "AMENDS": Rel(_O, flip=True),  # B is amended by A
    "OTHER": Rel(_O),
}
"""Every ``RelationshipType`` of SPDX 2.3 (§11.1, 45 of them) and the edge it becomes."""

_LOOSE: dict[str, Rel | None] = {}


def relationship(value: str) -> Rel | None:
    """The edge for a relationship type as written (case and spacing tolerated, ``-`` for
    ``_``), or ``None`` for a type SPDX 2.3 does not define."""
    rel = RELATIONSHIPS.get(value)
    if rel is not None:
        return rel
    if value not in _LOOSE:
        make_room(_LOOSE, 4096)
        _LOOSE[value] = RELATIONSHIPS.get(value.strip().upper().replace("-", "_").replace(" ", "_"))
    return _LOOSE[value]
