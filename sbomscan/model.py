"""The lean, typed, immutable records that every stage of sbomscan passes along.

Ingest turns CycloneDX and SPDX documents into these records; the graph, matching,
tracing and reporting stages only ever read them. They are ``NamedTuple`` rather than
frozen dataclasses on purpose: building one is a single ``tuple.__new__`` call, which
matters when a document has a million components, and they are still immutable,
hashable and typed.

Every field that can name who made, supplied or licensed a thing is kept. Nothing is
de-duplicated by name and version: two components with the same name are two nodes.

>>> c = Component(id="d1#a", ref="a", document="d1", name="openssl", version="3.0.1")
>>> c.name, c.parties, c.pointer
('openssl', (), None)
>>> Edge("d1#root", "d1#a", EdgeKind.CONTAINS).kind.label
'contains'
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class EdgeKind(str, Enum):
    """Why the source of an edge brings its target into the product.

    Every edge points *away* from the product root: source "has" target. Relationship
    types that SPDX writes the other way round (``DEPENDENCY_OF``, ``CONTAINED_BY``,
    ``ANCESTOR_OF``, ...) are flipped on ingest so that a path from a root always walks
    forward along edges.
    """

    CONTAINS = "contains"
    """Source physically contains target (CycloneDX nesting, SPDX CONTAINS/PACKAGE_OF)."""
    DEPENDS_ON = "depends_on"
    """Source needs target (CycloneDX ``dependencies``, SPDX DEPENDS_ON and the *_DEPENDENCY_OF family)."""
    PROVIDES = "provides"
    """Source provides or implements target (CycloneDX 1.6 ``provides``)."""
    DERIVED_FROM = "derived_from"
    """Source was derived from target (pedigree ancestors/descendants, SPDX ANCESTOR_OF/DESCENDANT_OF)."""
    VARIANT_OF = "variant_of"
    """Source and target are variants of each other (CycloneDX pedigree variants, SPDX 2
    VARIANT_OF, SPDX 3 hasVariant). Being a variant is symmetric, so no reader flips it: the
    edge runs from the element whose record names the other, which is the direction a path
    from the product root reaches the variant in."""
    STATIC_LINK = "static_link"
    """Source statically links target."""
    DYNAMIC_LINK = "dynamic_link"
    """Source dynamically links target."""
    GENERATED_FROM = "generated_from"
    """Source was generated from target (SPDX GENERATED_FROM / GENERATES flipped)."""
    COPY_OF = "copy_of"
    """Source is a copy of target."""
    DESCRIBES = "describes"
    """A (synthetic) document root describes the target."""
    LINKS_TO = "links_to"
    """Source refers to a component in another SBOM (BOM-Link, ExternalDocumentRef, SPDX 3 import)."""
    OTHER = "other"
    """Any other relationship; :attr:`Edge.detail` keeps the original type."""

    @property
    def label(self) -> str:
        """The human wording used in paths, e.g. ``"depends on"``."""
        return self.value.replace("_", " ")


class PartyKind(str, Enum):
    """Whether a party is an organisation, a person, a tool, or could not be told."""

    ORGANIZATION = "organization"
    PERSON = "person"
    TOOL = "tool"
    UNKNOWN = "unknown"


class Party(NamedTuple):
    """Someone who made, supplied, authored, published or licensed something.

    ``role`` says which field the party came from, so that matching can weigh a
    supplier more than a contributor: ``supplier``, ``manufacturer``, ``author``,
    ``publisher``, ``originator``, ``licensor``, ``licensee``, ``purchaser``,
    ``creator``, ``contributor``, ``tool``.
    """

    name: str
    role: str
    kind: PartyKind = PartyKind.UNKNOWN
    emails: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


class Hash(NamedTuple):
    """A checksum; ``algorithm`` is upper-case with dashes (``SHA-256``), ``value`` lower-case hex."""

    algorithm: str
    value: str


class ExternalRef(NamedTuple):
    """An external reference or locator: CycloneDX externalReferences, SPDX externalRefs,
    homepage (``website``) and downloadLocation (``distribution``).

    ``type`` is the format's own type string (``vcs``, ``website``, ``bom``, ``cpe23Type``,
    ``purl``...); ``category`` is SPDX's category where there is one.
    """

    type: str
    url: str
    category: str | None = None
    comment: str | None = None


class Swid(NamedTuple):
    """A SWID tag reference: the ``regid`` of the tag creator is a strong vendor identifier."""

    tag_id: str | None
    name: str | None
    regid: str | None
    version: str | None = None


class Component(NamedTuple):
    """One thing in a product: a package, file, snippet, service, or pedigree entry.

    ``id`` is unique across every document loaded in one run (document key + ``ref``);
    ``ref`` is the bom-ref / SPDX id as written, or a stable synthetic one (``"sbomscan:..."``)
    when the document gave none. ``pointer`` is a JSON pointer (or ``line N`` for line-based
    formats) to where the component is written, so that reports can point into the file.
    """

    id: str
    ref: str
    document: str
    name: str
    version: str | None = None
    type: str | None = None
    group: str | None = None
    purl: str | None = None
    cpes: tuple[str, ...] = ()
    swid: Swid | None = None
    parties: tuple[Party, ...] = ()
    copyright: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    hashes: tuple[Hash, ...] = ()
    external_refs: tuple[ExternalRef, ...] = ()
    description: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    identities: tuple[tuple[str, str], ...] = ()
    """CycloneDX ``evidence.identity`` (field, concluded value) pairs."""
    occurrences: tuple[str, ...] = ()
    """CycloneDX ``evidence.occurrences`` locations."""
    omnibor_ids: tuple[str, ...] = ()
    swhids: tuple[str, ...] = ()
    origin: str | None = None
    """Where the component sits in the document's own structure when it is not a plain
    component: ``pedigree.ancestors``, ``pedigree.descendants``, ``pedigree.variants``,
    ``service``, ``file``, ``snippet``, ``metadata.component``."""
    pointer: str | None = None


class Edge(NamedTuple):
    """A directed relation between two component ids; ``detail`` keeps the source format's
    own relationship type (``DEV_DEPENDENCY_OF``, ``dependsOn``, ...) where it said more than
    ``kind`` does."""

    source: str
    target: str
    kind: EdgeKind
    detail: str | None = None


class LinkKind(str, Enum):
    """The mechanism by which one SBOM refers to another."""

    BOM_LINK = "bom-link"
    """CycloneDX ``urn:cdx:<serial>/<version>#<bom-ref>``."""
    SPDX_EXTERNAL_DOCUMENT = "spdx-external-document"
    """SPDX 2 ``ExternalDocumentRef`` + ``DocumentRef-X:SPDXRef-Y``."""
    SPDX3_IMPORT = "spdx3-import"
    """SPDX 3 ``imports`` / ``ExternalMap``."""


class ExternalLink(NamedTuple):
    """A reference from a component of this document to another SBOM.

    ``source`` is the referring component id (or the document's root when the reference
    is document-level); ``document`` names the target document (CycloneDX serial number,
    SPDX namespace URI or SPDX 3 id); ``version`` the CycloneDX BOM version if given;
    ``ref`` the element inside it (``None`` means its root); ``checksum`` the SPDX
    ExternalDocumentRef checksum when given; ``uri`` the reference exactly as written.
    """

    source: str
    kind: LinkKind
    uri: str
    document: str
    version: int | None = None
    ref: str | None = None
    checksum: Hash | None = None


class Severity(str, Enum):
    """How bad a diagnostic is: ``error`` means data was lost or the document is invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Diagnostic(NamedTuple):
    """Something noticed while reading a document, kept rather than raised in lenient mode.

    ``code`` is a stable short slug (``duplicate-ref``, ``dangling-ref``, ``bad-purl``,
    ``synthetic-root``, ...); ``location`` a JSON pointer, ``line N`` or element name.
    """

    severity: Severity
    code: str
    message: str
    location: str | None = None


class Document(NamedTuple):
    """One SBOM, read into the model.

    ``key`` is a short token unique per input content (derived from its sha256) that
    prefixes every component id of this document. ``roots`` are the component ids the
    document describes (CycloneDX ``metadata.component``, SPDX DESCRIBES / rootElement) or,
    when it names none, one synthetic root (``synthetic_root`` is then true).
    """

    key: str
    source: str
    format: str
    """``cyclonedx``, ``spdx``."""
    encoding: str
    """``json``, ``xml``, ``yaml``, ``tag-value``, ``rdf-xml``, ``xlsx``, ``json-ld``."""
    spec_version: str
    sha256: str
    serial: str | None = None
    """CycloneDX serialNumber, SPDX 2 documentNamespace, SPDX 3 SpdxDocument id."""
    version: int | None = None
    """CycloneDX BOM version."""
    name: str | None = None
    parties: tuple[Party, ...] = ()
    roots: tuple[str, ...] = ()
    components: tuple[Component, ...] = ()
    edges: tuple[Edge, ...] = ()
    links: tuple[ExternalLink, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    synthetic_root: bool = False
    declared_components: int | None = None
    """How many components the document itself declares (nested ones counted), where the
    reader could tell; used by tests to check that nothing was dropped."""
    sha1: str | None = None
    """The SHA-1 of the input (the same bytes as ``sha256``), computed when it was read: SPDX 2
    ExternalDocumentRefs give a SHA-1 of the document they name, and the graph stage checks
    it against this instead of reading the file again. ``None`` for a Document not read
    through :func:`sbomscan.ingest.parse` (one built by hand)."""


class InputRecord(NamedTuple):
    """One input the scan considered: read, or not read and why.

    A bundle's verdict is only as good as what was read, so nothing given is dropped
    silently: every file named, found under a folder or inside an archive gets one record.
    ``counts`` says whether an input that was not read leaves the check incomplete (it
    carries SBOM markers, or was named on the command line) or is only listed (a README or
    an image in a folder: no sign of an SBOM at all).

    >>> InputRecord("bundle/README.md", "not-read", "not-sbom", "text with no CycloneDX or SPDX markers")
    ... # doctest: +NORMALIZE_WHITESPACE
    InputRecord(path='bundle/README.md', status='not-read', reason='not-sbom',
                message='text with no CycloneDX or SPDX markers', counts=False, sha256=None)
    """

    path: str
    """As given, as found under a folder, ``archive.zip!member/path``, ``<stdin>`` or ``<bytes>``."""
    status: str
    """``"read"`` or ``"not-read"``."""
    reason: str | None = None
    """Not-read only: ``not-sbom``, ``malformed``, ``too-large``, ``unreadable``,
    ``not-regular``, ``link-outside`` or ``unsupported``."""
    message: str = ""
    """One line; never quotes the content of a file that is not an SBOM."""
    counts: bool = False
    """True: not reading it makes the outcome ``incomplete``; False: listed only."""
    sha256: str | None = None
    """Of the bytes as submitted (after gzip decompression), when read."""


INPUT_REASONS = (
    "not-sbom",
    "malformed",
    "too-large",
    "unreadable",
    "not-regular",
    "link-outside",
    "unsupported",
)
"""Every reason an :class:`InputRecord` may give for an input that was not read."""


def component_id(document_key: str, ref: str) -> str:
    """The id of a component across documents: ``"<document key>#<ref>"``.

    >>> component_id("3f2a9c1b0d4e", "pkg:npm/left-pad@1.3.0")
    '3f2a9c1b0d4e#pkg:npm/left-pad@1.3.0'
    """
    return f"{document_key}#{ref}"


def document_key(sha256_hex: str) -> str:
    """A short per-content key for a document: the first 12 hex digits of its sha256.

    >>> document_key("3f2a9c1b0d4e" + "0" * 52)
    '3f2a9c1b0d4e'
    """
    return sha256_hex[:12]
