"""The SPDX 3.0.1 vocabulary that the SPDX 3 reader needs, as plain tables.

Kept apart from the reader so that the one decision that matters most — which way each
of the 59 relationship types of SPDX 3.0.1 points in the product graph — can be read,
reviewed and tested on its own. Source: the ``RelationshipType`` vocabulary of the SPDX
3.0.1 model (https://spdx.github.io/spdx-spec/v3.0.1/model/Core/Vocabularies/RelationshipType/),
whose one-line definitions are quoted in ``docs/ingest-spdx3.md``.

Every edge of the graph points *away* from the product root ("source has target"); a
type whose ``from`` is the *lesser* side (``ancestorOf``, ``generates``, ``copiedTo``,
``configures``) is flipped.

>>> RELATIONSHIPS["generates"]
Rel(action='edge', kind=<EdgeKind.GENERATED_FROM: 'generated_from'>, flip=True)
>>> relationship_type("HAS_DYNAMIC_LINK"), relationship_type(
...     "https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/dependsOn")
('hasDynamicLink', 'dependsOn')
>>> compact_type("https://spdx.org/rdf/3.0.1/terms/Software/Package"), compact_type("Person")
('software_Package', 'Person')
>>> hash_algorithm("sha3_256"), hash_algorithm("blake2b512"), hash_algorithm("md5")
('SHA3-256', 'BLAKE2B-512', 'MD5')
"""

from __future__ import annotations

from typing import NamedTuple

from ...model import EdgeKind, PartyKind


class Rel(NamedTuple):
    """What a relationship type becomes.

    ``action`` is ``edge`` (an :class:`~sbomscan.model.Edge` of ``kind``, reversed when
    ``flip``), ``describes`` (the targets are document roots), ``license`` (the targets
    are the source's licences), ``supplier`` (the targets are additional suppliers), or
    ``skip`` (security assessments and build agents: facts about the product, not parts of it).
    """

    action: str
    kind: EdgeKind | None = None
    flip: bool = False


def _e(kind: EdgeKind, flip: bool = False) -> Rel:
    return Rel("edge", kind, flip)


_SKIP = Rel("skip")

RELATIONSHIPS: dict[str, Rel] = {
    # composition: the from element has the to elements in it
    "contains": _e(EdgeKind.CONTAINS),
    "hasAddedFile": _e(EdgeKind.CONTAINS),
    "hasOptionalComponent": _e(EdgeKind.CONTAINS),
    "expandsTo": _e(EdgeKind.CONTAINS),
    # dependency: the from element needs the to elements
    "dependsOn": _e(EdgeKind.DEPENDS_ON),
    "hasOptionalDependency": _e(EdgeKind.DEPENDS_ON),
    "hasProvidedDependency": _e(EdgeKind.DEPENDS_ON),
    "hasPrerequisite": _e(EdgeKind.DEPENDS_ON),
    "hasRequirement": _e(EdgeKind.DEPENDS_ON),
    "usesTool": _e(EdgeKind.DEPENDS_ON),
    "hasInput": _e(EdgeKind.DEPENDS_ON),
    "hasHost": _e(EdgeKind.DEPENDS_ON),
    # linking
    "hasStaticLink": _e(EdgeKind.STATIC_LINK),
    "hasDynamicLink": _e(EdgeKind.DYNAMIC_LINK),
    # derivation: "A ancestorOf B" means B was derived from A
    "ancestorOf": _e(EdgeKind.DERIVED_FROM, flip=True),
    "descendantOf": _e(EdgeKind.DERIVED_FROM),
    "trainedOn": _e(EdgeKind.DERIVED_FROM),
    "hasVariant": _e(EdgeKind.VARIANT_OF),
    # generation: "A generates B" means B was generated from A
    "generates": _e(EdgeKind.GENERATED_FROM, flip=True),
    "hasOutput": _e(EdgeKind.GENERATED_FROM, flip=True),
    # copies: "A copiedTo B" means B is a copy of A
    "copiedTo": _e(EdgeKind.COPY_OF, flip=True),
    # "A configures B": B has A applied to it
    "configures": _e(EdgeKind.OTHER, flip=True),
    # other associations, kept in the direction written (from is the subject)
    "amendedBy": _e(EdgeKind.OTHER),
    "hasDataFile": _e(EdgeKind.OTHER),
    "hasDeletedFile": _e(EdgeKind.OTHER),
    "hasDependencyManifest": _e(EdgeKind.OTHER),
    "hasDistributionArtifact": _e(EdgeKind.OTHER),
    "hasDocumentation": _e(EdgeKind.OTHER),
    "hasEvidence": _e(EdgeKind.OTHER),
    "hasExample": _e(EdgeKind.OTHER),
    "hasMetadata": _e(EdgeKind.OTHER),
    "hasSpecification": _e(EdgeKind.OTHER),
    "hasTest": _e(EdgeKind.OTHER),
    "hasTestCase": _e(EdgeKind.OTHER),
    "modifiedBy": _e(EdgeKind.OTHER),
    "packagedBy": _e(EdgeKind.OTHER),
    "patchedBy": _e(EdgeKind.OTHER),
    "testedOn": _e(EdgeKind.OTHER),
    "other": _e(EdgeKind.OTHER),
    # not edges
    "describes": Rel("describes"),
    "hasConcludedLicense": Rel("license"),
    "hasDeclaredLicense": Rel("license"),
    "availableFrom": Rel("supplier"),
    "serializedInArtifact": _SKIP,
    "delegatedTo": _SKIP,
    "invokedBy": _SKIP,
    "affects": _SKIP,
    "doesNotAffect": _SKIP,
    "fixedIn": _SKIP,
    "underInvestigationFor": _SKIP,
    "hasAssessmentFor": _SKIP,
    "hasAssociatedVulnerability": _SKIP,
    "coordinatedBy": _SKIP,
    "exploitCreatedBy": _SKIP,
    "fixedBy": _SKIP,
    "foundBy": _SKIP,
    "publishedBy": _SKIP,
    "reportedBy": _SKIP,
    "republishedBy": _SKIP,
}
"""Every ``RelationshipType`` of SPDX 3.0.1 (59 of them) and what it becomes."""

_REL_KEYS = {name.lower(): name for name in RELATIONSHIPS}
_REL_CACHE: dict[str, str] = {name: name for name in RELATIONSHIPS}

ARTIFACT_TYPES = frozenset(
    {
        "software_Package",
        "software_File",
        "software_Snippet",
        "ai_AIPackage",
        "dataset_DatasetPackage",
        "software_SoftwareArtifact",
        "Artifact",
    }
)
"""Element types read as components and counted in ``declared_components``. SPDX 3.0.1 also
makes ``security_Vulnerability`` an Artifact; a vulnerability is not part of a product, so
it is not read as one."""

BUILD_TYPES = frozenset({"build_Build"})
"""Read as components too (so that ``hasInput``/``hasOutput`` keep a path from a binary to
its sources) but not counted as declared artifacts."""

AGENT_KINDS: dict[str, PartyKind] = {
    "Organization": PartyKind.ORGANIZATION,
    "Person": PartyKind.PERSON,
    "SoftwareAgent": PartyKind.TOOL,
    "Tool": PartyKind.TOOL,
    "Agent": PartyKind.UNKNOWN,
}

COLLECTION_TYPES = frozenset({"SpdxDocument", "Bom", "Bundle", "software_Sbom", "ElementCollection"})

DEFAULT_COMPONENT_TYPE = {
    "software_Package": "package",
    "software_File": "file",
    "software_Snippet": "snippet",
    "ai_AIPackage": "model",
    "dataset_DatasetPackage": "data",
    "build_Build": "build",
}
"""Component type when an element names no ``software_primaryPurpose``."""

ORIGIN = {"software_File": "file", "software_Snippet": "snippet", "build_Build": "build"}

NO_ELEMENT = frozenset({"NoAssertionElement", "NoneElement"})
"""Individuals that stand for "nothing" / "not asserted" in the place of an element id."""

_HASH_NAMES = {
    "sha1": "SHA-1",
    "sha224": "SHA-224",
    "sha256": "SHA-256",
    "sha384": "SHA-384",
    "sha512": "SHA-512",
    "sha3_224": "SHA3-224",
    "sha3_256": "SHA3-256",
    "sha3_384": "SHA3-384",
    "sha3_512": "SHA3-512",
    "blake2b256": "BLAKE2B-256",
    "blake2b384": "BLAKE2B-384",
    "blake2b512": "BLAKE2B-512",
    "adler32": "ADLER-32",
}


def local_name(value: str) -> str:
    """The last path segment of an SPDX vocabulary IRI, else the value itself."""
    if "/terms/" in value or value.startswith("spdx:"):
        return value.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return value


def compact_type(value: str) -> str:
    """The compact JSON-LD name of an SPDX 3 class written as a full IRI (``.../terms/Software/Package``
    becomes ``software_Package``, ``.../terms/Core/Person`` becomes ``Person``)."""
    if "/" not in value:
        return value
    if "/terms/" in value:
        parts = value.split("/terms/", 1)[1].split("/")
        if len(parts) == 2 and parts[0] and parts[1]:
            profile, cls = parts
            return cls if profile == "Core" else f"{profile.lower()}_{cls}"
    return value


def relationship_type(value: str) -> str | None:
    """The SPDX 3.0.1 spelling of a relationship type written compact, as an IRI, or in the
    SPDX 2 upper-case style some tools emit (``DEPENDS_ON``); ``None`` when unknown."""
    known = _REL_CACHE.get(value)
    if known is not None:
        return known
    key = local_name(value).replace("_", "").lower()
    found = _REL_KEYS.get(key)
    if found is not None and len(_REL_CACHE) < 4096:
        _REL_CACHE[value] = found
    return found


def hash_algorithm(value: str) -> str:
    """SPDX 3 hash algorithm names in the model's spelling (upper case with dashes)."""
    name = local_name(value)
    known = _HASH_NAMES.get(name.lower())
    if known:
        return known
    return name.upper().replace("_", "-")


def identifier_type(value: str) -> str:
    """An ``externalIdentifierType`` folded to one of ``cpe22``, ``cpe23``, ``purl``, ``swid``,
    ``gitoid``, ``swhid``, ``email`` or the value as written (SPDX 2 spellings tolerated)."""
    key = local_name(value).replace("_", "").replace("-", "").lower()
    if key in ("packageurl", "purl"):
        return "purl"
    if key.startswith("cpe22"):
        return "cpe22"
    if key.startswith("cpe23"):
        return "cpe23"
    if key in ("swid", "gitoid", "swhid", "email"):
        return key
    return local_name(value)
