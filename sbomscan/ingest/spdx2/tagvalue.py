"""SPDX 2 tag-value, read line by line into the dict shape of SPDX 2 JSON.

This is the tag-value reader of lenient mode. spdx-tools' tag-value parser (a ``ply``
grammar) is 150-200x slower than splitting the text into lines and has no lenient mode; this
reader produces, for every document spdx-tools accepts, the same JSON-shaped dict as
spdx-tools' parser followed by its JSON converter (``spdx_tools.spdx.jsonschema``) — as far
as :func:`~sbomscan.ingest.spdx2.dict.read_spdx2_dict` reads it — so the two paths give the same
:class:`~sbomscan.model.Document` (``tests/test_ingest_spdx2_tagvalue.py`` checks that on the
corpus and on generated documents). What spdx-tools would refuse is read as well as it can
be, and what cannot be read is said in a diagnostic. Strict mode still goes through
spdx-tools, which validates.

How spdx-tools reads tag-value, and so how this reader does:

- Each line is ``Tag: value``; the value is stripped. ``<text>...</text>`` values may span
  lines, and lines inside them that look like tags are text. An empty ``<text></text>`` stays
  as written; whitespace inside the markers is kept.
- The first ``SPDXID`` before any element is the document's. Elements start with
  ``PackageName``, ``FileName``, ``SnippetSPDXID``; a later ``SPDXID`` names the element in
  scope. Document-level tags (``Creator``, ``ExternalDocumentRef``, ...) count wherever they
  stand. Annotations (``Annotator`` ...) and extracted licences (``LicenseID`` ...) have tags
  of their own and never leak into elements; an ``SPDXID`` after ``Annotator`` is the
  annotation's.
- ``Relationship`` lines may stand anywhere, also in the middle of a package, and do not end
  it; they are listed after the containment that position gives (a file written after a
  package is contained in it: a ``CONTAINS`` relationship, as spdx-tools builds it).
- Values are normalised as spdx-tools' model does: licence expressions through
  ``license_expression`` (``mit`` -> ``MIT``, ``GPL-2.0+`` -> ``GPL-2.0-or-later``), actors
  re-serialised (``Organization: Acme ()`` -> ``Organization: Acme``), external-reference
  categories and package purposes with ``_`` (``PACKAGE-MANAGER`` -> ``PACKAGE_MANAGER``),
  ``LicenseListVersion`` as ``major.minor``.
- One value per single-valued tag: a second one is ignored (spdx-tools refuses the
  document); the last ``SPDXID`` of an element wins, as in spdx-tools.

Where spdx-tools would refuse the document, this reader keeps what it can: a supplier
without ``Organization:``, a checksum in another spelling, an external reference whose
locator has spaces, a relationship written with tabs, an unknown relationship type, a
licence expression ``license_expression`` cannot parse (kept as written). Lines it cannot
read — text outside ``<text>``, an unknown tag, an element tag with no element of its kind
open, a relationship or external reference that is not three words, an unterminated
``<text>`` — become diagnostics (:attr:`TagValue.notes`), one per kind with the first line.

>>> tv = parse("SPDXVersion: SPDX-2.3\\nSPDXID: SPDXRef-DOCUMENT\\n"
...     "PackageName: a\\nSPDXID: SPDXRef-a\\nPackageSupplier: Organization: Acme ()\\n"
...     "FileName: ./a.c\\nSPDXID: SPDXRef-f\\n")
>>> tv.obj["packages"], tv.obj["relationships"], tv.lines
([{'name': 'a', 'filesAnalyzed': True, 'SPDXID': 'SPDXRef-a', 'supplier': 'Organization: Acme'}], \
[{'spdxElementId': 'SPDXRef-a', 'relationshipType': 'CONTAINS', 'relatedSpdxElement': 'SPDXRef-f'}], \
{'SPDXRef-DOCUMENT': 2, 'SPDXRef-a': 4, 'SPDXRef-f': 7})
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from ...memory import gc_paused
from ...model import Diagnostic, Severity
from ..tally import Tally

__all__ = ["TagValue", "normalise_actor", "normalise_license", "parse", "parse_lines", "parse_tag_value"]


class TagValue(NamedTuple):
    """A tag-value document read: the SPDX 2 JSON-shaped dict, SPDXID -> the line it is
    written on (for ``line N`` pointers), and what could not be read."""

    obj: dict[str, Any]
    lines: dict[str, int]
    notes: tuple[Diagnostic, ...]


def parse_tag_value(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The dict and the SPDXID -> line map of :func:`parse` (without its notes)."""
    tv = parse(text)
    return tv.obj, tv.lines


# -- what each tag is ---------------------------------------------------------------------

# scope a tag needs
_DOC, _PKG, _FILE, _SNIP = 0, 1, 2, 3
# operations
(
    _SET,
    _APPEND,
    _LIC,
    _LIC_APPEND,
    _ACTOR,
    _CHECKSUM,
    _EXTREF,
    _EXTREF_COMMENT,
    _START_PKG,
    _START_FILE,
    _START_SNIP,
    _SPDXID,
    _REL,
    _REL_COMMENT,
    _IGNORE,
    _CREATOR,
    _CREATION,
    _EXTDOC,
    _LICENSE_LIST,
    _FILES_ANALYZED,
    _PURPOSE,
    _FILE_TYPE,
    _RANGE,
    _VERIFICATION,
    _DOC_SET,
) = range(25)

_SCOPE_NAMES = {_PKG: "package", _FILE: "file", _SNIP: "snippet"}

_TAGS: dict[str, tuple[int, str, int]] = {
    # document and creation information
    "SPDXVersion": (_DOC, "spdxVersion", _DOC_SET),
    "DataLicense": (_DOC, "dataLicense", _DOC_SET),
    "DocumentName": (_DOC, "name", _DOC_SET),
    "DocumentNamespace": (_DOC, "documentNamespace", _DOC_SET),
    "DocumentComment": (_DOC, "comment", _DOC_SET),
    "SPDXID": (_DOC, "SPDXID", _SPDXID),
    "ExternalDocumentRef": (_DOC, "externalDocumentRefs", _EXTDOC),
    "Creator": (_DOC, "creators", _CREATOR),
    "Created": (_DOC, "created", _CREATION),
    "CreatorComment": (_DOC, "comment", _CREATION),
    "LicenseListVersion": (_DOC, "licenseListVersion", _LICENSE_LIST),
    # package
    "PackageName": (_DOC, "name", _START_PKG),
    "PackageVersion": (_PKG, "versionInfo", _SET),
    "PackageFileName": (_PKG, "packageFileName", _SET),
    "PackageSupplier": (_PKG, "supplier", _ACTOR),
    "PackageOriginator": (_PKG, "originator", _ACTOR),
    "PackageDownloadLocation": (_PKG, "downloadLocation", _SET),
    "FilesAnalyzed": (_PKG, "filesAnalyzed", _FILES_ANALYZED),
    "PackageVerificationCode": (_PKG, "packageVerificationCode", _VERIFICATION),
    "PackageChecksum": (_PKG, "checksums", _CHECKSUM),
    "PackageHomePage": (_PKG, "homepage", _SET),
    "PackageSourceInfo": (_PKG, "sourceInfo", _SET),
    "PackageLicenseConcluded": (_PKG, "licenseConcluded", _LIC),
    "PackageLicenseInfoFromFiles": (_PKG, "licenseInfoFromFiles", _LIC_APPEND),
    "PackageLicenseDeclared": (_PKG, "licenseDeclared", _LIC),
    "PackageLicenseComments": (_PKG, "licenseComments", _SET),
    "PackageCopyrightText": (_PKG, "copyrightText", _SET),
    "PackageSummary": (_PKG, "summary", _SET),
    "PackageDescription": (_PKG, "description", _SET),
    "PackageComment": (_PKG, "comment", _SET),
    "ExternalRef": (_PKG, "externalRefs", _EXTREF),
    "ExternalRefComment": (_PKG, "comment", _EXTREF_COMMENT),
    "PackageAttributionText": (_PKG, "attributionTexts", _APPEND),
    "PrimaryPackagePurpose": (_PKG, "primaryPackagePurpose", _PURPOSE),
    "BuiltDate": (_PKG, "builtDate", _SET),
    "ReleaseDate": (_PKG, "releaseDate", _SET),
    "ValidUntilDate": (_PKG, "validUntilDate", _SET),
    # file
    "FileName": (_DOC, "fileName", _START_FILE),
    "FileType": (_FILE, "fileTypes", _FILE_TYPE),
    "FileChecksum": (_FILE, "checksums", _CHECKSUM),
    "LicenseConcluded": (_FILE, "licenseConcluded", _LIC),
    "LicenseInfoInFile": (_FILE, "licenseInfoInFiles", _LIC_APPEND),
    "LicenseComments": (_FILE, "licenseComments", _SET),
    "FileCopyrightText": (_FILE, "copyrightText", _SET),
    "FileComment": (_FILE, "comment", _SET),
    "FileNotice": (_FILE, "noticeText", _SET),
    "FileContributor": (_FILE, "fileContributors", _APPEND),
    "FileAttributionText": (_FILE, "attributionTexts", _APPEND),
    # snippet
    "SnippetSPDXID": (_DOC, "SPDXID", _START_SNIP),
    "SnippetName": (_SNIP, "name", _SET),
    "SnippetComment": (_SNIP, "comment", _SET),
    "SnippetCopyrightText": (_SNIP, "copyrightText", _SET),
    "SnippetLicenseComments": (_SNIP, "licenseComments", _SET),
    "SnippetFromFileSPDXID": (_SNIP, "snippetFromFile", _SET),
    "SnippetLicenseConcluded": (_SNIP, "licenseConcluded", _LIC),
    "LicenseInfoInSnippet": (_SNIP, "licenseInfoInSnippets", _LIC_APPEND),
    "SnippetAttributionText": (_SNIP, "attributionTexts", _APPEND),
    "SnippetByteRange": (_SNIP, "offset", _RANGE),
    "SnippetLineRange": (_SNIP, "lineNumber", _RANGE),
    # relationships
    "Relationship": (_DOC, "relationships", _REL),
    "RelationshipComment": (_DOC, "comment", _REL_COMMENT),
}
# Tags that carry nothing the model keeps: annotations, extracted licences, and SPDX 2.0/2.1
# tags that later versions dropped (review information, file dependencies, artifactOf).
for _tag in [
    "Annotator",
    "AnnotationDate",
    "AnnotationComment",
    "AnnotationType",
    "SPDXREF",
    "LicenseID",
    "ExtractedText",
    "LicenseName",
    "LicenseCrossReference",
    "LicenseComment",
    "Reviewer",
    "ReviewDate",
    "ReviewComment",
    "FileDependency",
    "ArtifactOfProjectName",
    "ArtifactOfProjectHomePage",
    "ArtifactOfProjectURI",
]:
    _TAGS[_tag] = (_DOC, "", _IGNORE)
del _tag

_BLOCK_STARTS = frozenset({"Annotator", "LicenseID", "Reviewer"})
"""Tags that start an annotation, an extracted licence or (SPDX 2.0) review information. They
do not end the element in scope for its own tags, but an ``SPDXID`` after them is not its."""
_CHECKSUM_ALGORITHMS = frozenset(
    [
        "ADLER32",
        "BLAKE2b-256",
        "BLAKE2b-384",
        "BLAKE2b-512",
        "BLAKE3",
        "MD2",
        "MD4",
        "MD5",
        "MD6",
        "SHA1",
        "SHA224",
        "SHA256",
        "SHA384",
        "SHA512",
        "SHA3-256",
        "SHA3-384",
        "SHA3-512",
    ]
)
"""The algorithms spdx-tools' lexer knows, spelt as it requires (and as its converter writes)."""
_CATEGORIES = frozenset({"SECURITY", "PACKAGE_MANAGER", "PERSISTENT_ID", "OTHER"})
_PURPOSES = frozenset(
    [
        "APPLICATION",
        "FRAMEWORK",
        "LIBRARY",
        "CONTAINER",
        "OPERATING_SYSTEM",
        "DEVICE",
        "FIRMWARE",
        "SOURCE",
        "ARCHIVE",
        "FILE",
        "INSTALL",
        "OTHER",
    ]
)
_FILE_TYPES = frozenset(
    [
        "SOURCE",
        "BINARY",
        "ARCHIVE",
        "APPLICATION",
        "AUDIO",
        "IMAGE",
        "TEXT",
        "VIDEO",
        "DOCUMENTATION",
        "SPDX",
        "OTHER",
    ]
)
_HEX_PREFIX = re.compile(r"[a-f0-9]*")
_TAG_LINE = re.compile(r"[ \t]*([A-Za-z]+)[ \t]*:")
_LOOKAHEAD_VALUE = re.compile(
    r"(?:Tool:|Organization:|Person:).|(?:"
    + "|".join(re.escape(a) for a in sorted(_CHECKSUM_ALGORITHMS, reverse=True))
    + r"):|\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ"
)
"""What spdx-tools' lexer reads as a value across the line end when the tag's own line has
none (its value tokens start with ``:\\s*``)."""
_EXT_DOC_REF = re.compile(r"(.*)(\s*SHA1:\s*[a-f0-9]{40})")
_VERIFICATION_CODE = re.compile(r"([0-9a-f]{40})\s*(\(excludes:\s*(.+)\))?")
_RANGE_VALUE = re.compile(r"^(\d+):(\d+)$")
_LICENSE_LIST_VERSION = re.compile(r"^(\d+)\.(\d+)$")
_ACTOR_TOOL = re.compile(r"^Tool:\s*(.+)")
_ACTOR_PERSON = re.compile(r"^Person:\s*(?:(.*)\((.*)\)|(.*))$")
_ACTOR_ORG = re.compile(r"^Organization:\s*(?:(.*)\((.*)\)|(.*))$")


# -- values normalised as spdx-tools' model does --------------------------------------------

_LICENSES: dict[str, str | None] = {"NOASSERTION": "NOASSERTION", "NONE": "NONE"}
_MISSING = object()
_ACTORS: dict[str, str] = {"NOASSERTION": "NOASSERTION"}
_CACHE_LIMIT = 200_000


def _license(value: str) -> str | None:
    """A licence expression as spdx-tools' model renders it (``license_expression``'s
    canonical form), ``None`` for an empty one; one ``license_expression`` cannot parse is
    kept as written (spdx-tools refuses the document)."""
    from license_expression import ExpressionError  # type: ignore[import-untyped]
    from spdx_tools.common.spdx_licensing import spdx_licensing

    try:
        parsed = spdx_licensing.parse(value)
    except (ExpressionError, ValueError, TypeError, RecursionError):
        out: str | None = value
    else:
        out = None if parsed is None else str(parsed)
    if len(_LICENSES) < _CACHE_LIMIT:
        _LICENSES[value] = out
    return out


def normalise_license(value: str) -> str | None:
    """:func:`_license` through its cache: for other readers (the RDF reader), which are
    not worth the cache lookup inlined as the tag-value loop has it."""
    lic = _LICENSES.get(value, _MISSING)
    return _license(value) if lic is _MISSING else lic  # type: ignore[return-value]


def normalise_actor(value: str) -> str:
    """:func:`_actor` through its cache (see :func:`normalise_license`)."""
    a = _ACTORS.get(value)
    return _actor(value) if a is None else a


def _actor(value: str) -> str:
    """An actor as spdx-tools parses and writes it back (its ``ActorParser`` and
    ``Actor.to_serialized_string``); anything it would refuse stays as written.

    >>> _actor("Organization:Acme  ( sales@acme.example )"), _actor("Person: Jane ()")
    ('Organization: Acme (sales@acme.example)', 'Person: Jane')
    >>> _actor("Tool: scanner (1.0)"), _actor("Acme Inc"), _actor("Organization: ZTE (China) Ltd")
    ('Tool: scanner (1.0)', 'Acme Inc', 'Organization: ZTE (China) Ltd')
    """
    out = value
    m = _ACTOR_TOOL.match(value)
    if m:
        name = m.group(1).strip()
        if name:
            out = f"Tool: {name}"
    else:
        kind = "Person"
        m = _ACTOR_PERSON.match(value)
        if m is None:
            kind = "Organization"
            m = _ACTOR_ORG.match(value)
        if m is not None:
            if m.group(3):
                out = f"{kind}: {m.group(3).strip()}"
            elif m.group(1):
                email = m.group(2).strip()
                out = f"{kind}: {m.group(1).strip()}" + (f" ({email})" if email else "")
    if len(_ACTORS) < _CACHE_LIMIT:
        _ACTORS[value] = out
    return out


def _checksum_of(value: str) -> tuple[dict[str, str] | None, str]:
    """``ALG: hex`` as spdx-tools' lexer reads it, and what follows the digits on the line.

    An algorithm outside spdx-tools' list, or digits it would not take, are read leniently:
    the algorithm as written and the first word after the colon."""
    alg, sep, rest = value.partition(":")
    if sep and alg in _CHECKSUM_ALGORITHMS:
        digest = rest.lstrip()
        hexrun = _HEX_PREFIX.match(digest)
        n = hexrun.end() if hexrun else 0
        residue = digest[n:].lstrip(" \t")
        if not residue or residue[0] == "#" or _is_known_tag_line(residue):
            return {"algorithm": alg, "checksumValue": digest[:n]}, residue
    alg = alg.strip()
    words = rest.split()
    if not sep or not alg or not words:
        return None, ""
    return {"algorithm": alg, "checksumValue": words[0]}, ""


def _hex_on_next_line(lines: list[str], i: int) -> tuple[str, int]:
    """Hex digits at the start of the next non-blank line (``lines[i]`` on), for a checksum
    written ``ALG:`` with nothing after: spdx-tools' checksum token is ``ALG:\\s*[a-f0-9]*``,
    and ``\\s*`` spans line ends (no tag line starts with a lower-case hex digit). The rest
    of that line is read on as a line of its own. Returns the digits and where to go on."""
    n = len(lines)
    j = i
    while j < n and not lines[j].strip():
        j += 1
    if j == n:
        return "", i
    rest = lines[j].lstrip()
    m = _HEX_PREFIX.match(rest)
    if m is None or not m.end():
        return "", i
    lines[j] = rest[m.end() :]
    return m.group(), j


def _is_known_tag_line(text: str) -> bool:
    m = _TAG_LINE.match(text)
    return m is not None and m.group(1) in _TAGS


# -- the reader ---------------------------------------------------------------------------


class _Notes:
    """What could not be read, one diagnostic per kind: how many, the first line, examples."""

    def __init__(self) -> None:
        self._tally = Tally[int]()
        self.add = self._tally.add

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        out = []
        for code, line, count, shown in self._tally.entries():
            severity, what = _NOTE_TEXT[code]
            n = f"{count} line{'s' if count != 1 else ''}"
            out.append(Diagnostic(severity, code, f"{n} {what}: {shown}", f"line {line}"))
        return tuple(out)


_NOTE_TEXT = {
    "unreadable-line": (
        Severity.WARNING,
        "not of the form 'Tag: value' outside <text>...</text> (a value spread over lines without "
        "<text>?) could not be read and were skipped",
    ),
    "unterminated-text": (
        Severity.WARNING,
        "open <text> without a closing </text>; only the rest of the opening line was read as the value",
    ),
    "unknown-tag": (Severity.INFO, "with tags that SPDX 2.3 tag-value does not define were skipped"),
    "tag-out-of-scope": (
        Severity.WARNING,
        "with a package, file or snippet tag came where no element of that kind was open and were skipped",
    ),
    "bad-relationship": (
        Severity.WARNING,
        "with a Relationship that is not 'element TYPE element' were skipped",
    ),
    "bad-external-ref": (
        Severity.WARNING,
        "with an ExternalRef that is not 'CATEGORY type locator' were skipped",
    ),
    "bad-checksum": (Severity.WARNING, "with a checksum that is not 'ALGORITHM: value' were skipped"),
    "bad-external-document-ref": (
        Severity.WARNING,
        "with an ExternalDocumentRef that is not 'DocumentRef-id namespace [ALGORITHM: value]' were skipped",
    ),
}


def _clip(text: str) -> str:
    text = text.strip()
    return repr(text if len(text) <= 60 else text[:57] + "...")


def parse(text: str) -> TagValue:
    """Read SPDX 2 tag-value ``text`` (line ends ``\\n``; a ``\\r`` before one is whitespace).

    Never raises for any text: what it cannot read is in :attr:`TagValue.notes`.
    """
    return parse_lines(text.split("\n"))


def parse_lines(lines: list[str]) -> TagValue:
    """:func:`parse` of the text split at ``\\n``, *consuming* the list: each line is
    replaced by ``""`` once read, so a line's text is freed as the dict that holds its value
    grows (the lines of a large document take about as much memory as the dict built from
    them). Pass a copy to keep the list."""
    # The dicts built here live as long as the document; the cyclic collector would rescan
    # them again and again while finding nothing to free (a third of the time, unchecked).
    with gc_paused():
        return _parse(lines)


def _parse(lines: list[str]) -> TagValue:
    return _Parser(lines).run()


class _Parser:
    """One tag-value read: the dicts being built and the scope the next line falls in.

    :meth:`run` is the loop over the lines; each operation of :data:`_TAGS` is a method of
    one screen, called through :attr:`_ops` (a list indexed by the operation), except the
    few that are most of a document's lines: ``_SET``, and the usual cases of ``_LIC``,
    ``_ACTOR`` and ``_REL``, stay written out in the loop (with the element in scope a
    local there), and ``_CHECKSUM`` is called directly since it moves the line cursor. A
    method that opens an element sets :attr:`el` and :attr:`kind`, which the loop reads
    back after every call."""

    __slots__ = (
        "_ops",
        "annotations",
        "contained",
        "contained_seen",
        "doc",
        "el",
        "ext_docs",
        "file_package",
        "files",
        "in_annotation",
        "in_block",
        "info",
        "kind",
        "last_package",
        "lines",
        "notes",
        "packages",
        "pending_id",
        "rels",
        "snippets",
        "spdxid_lines",
    )

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.notes = _Notes()
        self.doc: dict[str, Any] = {}
        self.info: dict[str, Any] = {}
        self.packages: list[dict[str, Any]] = []
        self.files: list[dict[str, Any]] = []
        self.snippets: list[dict[str, Any]] = []
        self.rels: list[dict[str, Any]] = []
        self.contained: list[dict[str, Any]] = []  # a file after a package: spdx-tools' implicit CONTAINS
        self.contained_seen: set[tuple[str, str]] = set()
        self.ext_docs: list[dict[str, Any]] = []
        self.spdxid_lines: dict[str, int] = {}
        self.el: dict[str, Any] = self.doc  # the element in scope (the document until one starts)
        self.kind = _DOC
        self.last_package: dict[str, Any] | None = None
        self.file_package: dict[str, Any] | None = None  # the package the file in scope follows
        self.pending_id: str | None = None  # an SPDXID before any element, after the document's
        self.in_block = False  # in an annotation or extracted licence: an SPDXID there is not an element's
        self.annotations: list[dict[str, str]] = []  # SPDXREF and AnnotationComment of each annotation
        self.in_annotation = False  # the block in_block is in is an annotation
        ops: list[Callable[[str, str, str, int], None]] = [self._ignore] * len(_OP_NAMES)
        for op, name in _OP_NAMES.items():
            if name:
                ops[op] = getattr(self, name)
        self._ops = ops

    def run(self) -> TagValue:
        """Read every line (consuming the list), then put the document together."""
        lines, notes, tags = self.lines, self.notes, _TAGS
        n = len(lines)
        set_, checksum_, lic_, actor_, rel_, ops = _SET, _CHECKSUM, _LIC, _ACTOR, _REL, self._ops
        licenses, actors, missing, rels = _LICENSES, _ACTORS, _MISSING, self.rels
        el, kind = self.el, self.kind
        i = 0
        while i < n:
            line = lines[i]
            if not line:
                i += 1
                continue
            lines[i] = ""  # consumed (a value rewritten onto this line is stored back first)
            i += 1
            ln = i
            c = line.find(":")
            if c < 0:
                i = _no_colon(lines, i, line, notes)
                continue
            tag = line[:c]
            h = tags.get(tag)
            if h is None:
                tag = tag.strip()
                h = tags.get(tag)
                if h is None:
                    i = _unknown(lines, i, line, c, tag, notes)
                    continue
            value = line[c + 1 :].strip()
            if not value or (value[0] == "<" and value.startswith("<text>")):
                value, i = _special_value(lines, i, line[c + 1 :], notes)
            need, key, op = h
            if need and need != kind:
                notes.add("tag-out-of-scope", ln, f"{tag} (no {_SCOPE_NAMES[need]} open)")
            elif op == set_:
                if key not in el:
                    el[key] = value
            # The three next are _lic, _actor and _rel (its usual case) written out: with
            # _SET they are most lines of a document, and a method call each cost the
            # whole loop 10% (docs/performance.md, target 4).
            elif op == lic_:
                if key not in el:
                    lic = licenses.get(value, missing)
                    if lic is missing:
                        lic = _license(value)
                    if lic is not None:
                        el[key] = lic
            elif op == actor_:
                if key not in el:
                    a = actors.get(value)
                    el[key] = _actor(value) if a is None else a
            elif op == rel_ and value.count(" ") == 2:
                a, t, z = value.split(" ")
                rels.append({"spdxElementId": a, "relationshipType": t, "relatedSpdxElement": z})
            elif op == checksum_:
                i = self._checksum(key, value, tag, ln, i)
            else:
                ops[op](key, value, tag, ln)
                el, kind = self.el, self.kind
        return self._finish()

    def _finish(self) -> TagValue:
        """Close the last element and put the lists into the document dict."""
        doc = self.doc
        self._close()
        if self.annotations:
            _annotate(self.annotations, self.packages, self.files)
        doc["creationInfo"] = self.info
        if self.ext_docs:
            doc["externalDocumentRefs"] = self.ext_docs
        if self.packages:
            doc["packages"] = self.packages
        if self.files:
            doc["files"] = self.files
        if self.snippets:
            doc["snippets"] = self.snippets
        if self.contained or self.rels:
            doc["relationships"] = self.contained + self.rels
        return TagValue(doc, self.spdxid_lines, self.notes.diagnostics())

    # -- elements: opening one closes the one in scope ------------------------------------

    def _close(self) -> None:
        if self.kind:
            _close(self.kind, self.el, self.file_package, self.contained, self.contained_seen)
        self.in_block = self.in_annotation = False

    def _start_pkg(self, key: str, value: str, tag: str, ln: int) -> None:
        self._close()
        el = self.el = {"name": value, "filesAnalyzed": True}
        if self.pending_id is not None:
            el["SPDXID"], self.pending_id = self.pending_id, None
        self.packages.append(el)
        self.kind = _PKG
        self.last_package = el

    def _start_file(self, key: str, value: str, tag: str, ln: int) -> None:
        self._close()
        el = self.el = {"fileName": value}
        if self.pending_id is not None:
            el["SPDXID"], self.pending_id = self.pending_id, None
        self.files.append(el)
        self.kind = _FILE
        self.file_package = self.last_package

    def _start_snip(self, key: str, value: str, tag: str, ln: int) -> None:
        self._close()
        if value not in self.spdxid_lines:
            self.spdxid_lines[value] = ln
        self.el = {"SPDXID": value}
        self.pending_id = None
        self.snippets.append(self.el)
        self.kind = _SNIP

    def _spdxid(self, key: str, value: str, tag: str, ln: int) -> None:
        if self.in_block:
            if self.in_annotation:
                self.annotations[-1]["SPDXREF"] = value  # spdx-tools: the last id wins
            return  # spdx-tools gives it to the annotation (or refuses the licence)
        if value not in self.spdxid_lines:
            self.spdxid_lines[value] = ln
        if self.kind:
            self.el["SPDXID"] = value  # the last one wins, as in spdx-tools
        elif "SPDXID" not in self.doc:
            self.doc["SPDXID"] = value
        else:
            self.pending_id = value  # spdx-tools gives it to the next package or file

    def _ignore(self, key: str, value: str, tag: str, ln: int) -> None:
        """Annotations and extracted licences: only what places an ``SPDXID`` is kept,
        and the annotation comments (matching reads them)."""
        if tag in _BLOCK_STARTS:
            self.in_block = True
            self.pending_id = None  # spdx-tools gives it to the annotation
            self.in_annotation = tag == "Annotator"
            if self.in_annotation:
                self.annotations.append({})
        elif self.in_annotation and tag in ("SPDXREF", "AnnotationComment"):
            self.annotations[-1][tag] = value

    # -- values of the element in scope ---------------------------------------------------

    def _append(self, key: str, value: str, tag: str, ln: int) -> None:
        self.el.setdefault(key, []).append(value)

    def _lic_append(self, key: str, value: str, tag: str, ln: int) -> None:
        lic = _LICENSES.get(value, _MISSING)
        if lic is _MISSING:
            lic = _license(value)
        if lic is not None:
            self.el.setdefault(key, []).append(lic)

    def _files_analyzed(self, key: str, value: str, tag: str, ln: int) -> None:
        if value == "true" or value == "false":
            self.el[key] = value == "true"

    def _checksum(self, key: str, value: str, tag: str, ln: int, i: int) -> int:
        """``ALG: hex``; returns where the loop goes on (the digits may be on the next line,
        and what follows them on the line is read as a line of its own)."""
        alg, sep, digest = value.partition(":")
        digest = digest.strip()
        if sep and digest and alg in _CHECKSUM_ALGORITHMS and not digest.strip("0123456789abcdef"):
            cs: dict[str, str] | None = {"algorithm": alg, "checksumValue": digest}
            residue = ""
        else:
            cs, residue = _checksum_of(value)
            if (
                cs is not None
                and not cs["checksumValue"]
                and not residue
                and cs["algorithm"] in _CHECKSUM_ALGORITHMS
            ):
                cs["checksumValue"], i = _hex_on_next_line(self.lines, i)
        if cs is None:
            self.notes.add("bad-checksum", ln, f"{tag}: {_clip(value)}")
            return i
        el = self.el
        if key in el:
            el[key].append(cs)
        else:
            el[key] = [cs]
        if residue and residue[0] != "#":
            i -= 1
            self.lines[i] = residue  # spdx-tools reads on after the digits
        return i

    def _extref(self, key: str, value: str, tag: str, ln: int) -> None:
        parts = value.split(" ")
        if len(parts) != 3:
            parts = value.split(None, 2)
        if len(parts) != 3:
            self.notes.add("bad-external-ref", ln, _clip(value))
            return
        cat = parts[0]
        if cat not in _CATEGORIES:
            cat = cat.replace("-", "_")
            if cat not in _CATEGORIES:
                cat = parts[0]
        ref = {"referenceCategory": cat, "referenceType": parts[1], "referenceLocator": parts[2]}
        el = self.el
        if key in el:
            el[key].append(ref)
        else:
            el[key] = [ref]

    def _extref_comment(self, key: str, value: str, tag: str, ln: int) -> None:
        refs = self.el.get("externalRefs")
        if refs and "comment" not in refs[-1]:
            refs[-1]["comment"] = value

    def _purpose(self, key: str, value: str, tag: str, ln: int) -> None:
        if key not in self.el:
            p = value.replace("-", "_")
            self.el[key] = p if p in _PURPOSES else value

    def _range(self, key: str, value: str, tag: str, ln: int) -> None:
        m = _RANGE_VALUE.match(value)
        if m and key not in self.el:
            self.el[key] = (int(m.group(1)), int(m.group(2)))

    def _verification(self, key: str, value: str, tag: str, ln: int) -> None:
        if key in self.el:
            return
        m = _VERIFICATION_CODE.match(value)
        if m:
            code: dict[str, Any] = {"packageVerificationCodeValue": m.group(1)}
            if m.group(3):
                code["packageVerificationCodeExcludedFiles"] = m.group(3).split(",")
        else:
            code = {"packageVerificationCodeValue": value}
        self.el[key] = code

    # -- relationships and the document's own tags -----------------------------------------

    def _rel(self, key: str, value: str, tag: str, ln: int) -> None:
        parts = value.split(" ")
        if len(parts) != 3:
            parts = value.split()
        if len(parts) == 3:
            self.rels.append(
                {"spdxElementId": parts[0], "relationshipType": parts[1], "relatedSpdxElement": parts[2]}
            )
        else:
            self.notes.add("bad-relationship", ln, _clip(value))

    def _rel_comment(self, key: str, value: str, tag: str, ln: int) -> None:
        if self.rels and "comment" not in self.rels[-1]:
            self.rels[-1]["comment"] = value

    def _doc_set(self, key: str, value: str, tag: str, ln: int) -> None:
        if key not in self.doc:
            self.doc[key] = value

    def _creator(self, key: str, value: str, tag: str, ln: int) -> None:
        a = _ACTORS.get(value)
        self.info.setdefault("creators", []).append(_actor(value) if a is None else a)

    def _extdoc(self, key: str, value: str, tag: str, ln: int) -> None:
        ext = _external_document_ref(value)
        if ext is None:
            self.notes.add("bad-external-document-ref", ln, _clip(value))
        else:
            self.ext_docs.append(ext)

    def _creation(self, key: str, value: str, tag: str, ln: int) -> None:
        if key not in self.info:
            self.info[key] = value

    def _license_list(self, key: str, value: str, tag: str, ln: int) -> None:
        if key not in self.info:
            m = _LICENSE_LIST_VERSION.match(value)
            self.info[key] = f"{int(m.group(1))}.{int(m.group(2))}" if m else value


_OP_NAMES: dict[int, str] = {
    _SET: "",  # in the loop
    _CHECKSUM: "",  # in the loop (it moves the line cursor)
    _APPEND: "_append",
    _LIC: "",  # in the loop
    _LIC_APPEND: "_lic_append",
    _ACTOR: "",  # in the loop
    _EXTREF: "_extref",
    _EXTREF_COMMENT: "_extref_comment",
    _START_PKG: "_start_pkg",
    _START_FILE: "_start_file",
    _START_SNIP: "_start_snip",
    _SPDXID: "_spdxid",
    _REL: "_rel",  # what is not three words apart by single spaces; the rest in the loop
    _REL_COMMENT: "_rel_comment",
    _IGNORE: "_ignore",
    _CREATOR: "_creator",
    _CREATION: "_creation",
    _EXTDOC: "_extdoc",
    _LICENSE_LIST: "_license_list",
    _FILES_ANALYZED: "_files_analyzed",
    _PURPOSE: "_purpose",
    _FILE_TYPE: "_append",  # the same as _APPEND
    _RANGE: "_range",
    _VERIFICATION: "_verification",
    _DOC_SET: "_doc_set",
}
"""Operation -> the :class:`_Parser` method that does it."""


def _annotate(
    annotations: list[dict[str, str]], packages: list[dict[str, Any]], files: list[dict[str, Any]]
) -> None:
    """Give each package and file the comments of the annotations naming it, in order."""
    by_id = {el["SPDXID"]: el for el in (*packages, *files) if "SPDXID" in el}
    for a in annotations:
        el = by_id.get(a.get("SPDXREF", ""))
        if el is not None and a.get("AnnotationComment"):
            el.setdefault("annotations", []).append({"comment": a["AnnotationComment"]})


def _close(
    kind: int,
    el: dict[str, Any],
    package: dict[str, Any] | None,
    contained: list[dict[str, Any]],
    seen: set[tuple[str, str]],
) -> None:
    """End the element in scope: a file written after a package is contained in it (the
    relationship spdx-tools adds, once per pair); a snippet gets its ranges."""
    if kind == _FILE:
        if package is not None:
            pid, fid = package.get("SPDXID"), el.get("SPDXID")
            if pid is not None and fid is not None and (pid, fid) not in seen:
                seen.add((pid, fid))
                contained.append(
                    {"spdxElementId": pid, "relationshipType": "CONTAINS", "relatedSpdxElement": fid}
                )
    elif kind == _SNIP:
        byte_range, line_range = el.pop("offset", None), el.pop("lineNumber", None)
        if byte_range is not None:
            ranges = [_range(byte_range, el.get("snippetFromFile"), "offset")]
            if line_range is not None:
                ranges.append(_range(line_range, el.get("snippetFromFile"), "lineNumber"))
            el["ranges"] = ranges


def _range(value: tuple[int, int], file_id: Any, pointer: str) -> dict[str, Any]:
    return {
        "startPointer": {"reference": file_id, pointer: value[0]},
        "endPointer": {"reference": file_id, pointer: value[1]},
    }


def _external_document_ref(value: str) -> dict[str, Any] | None:
    """``DocumentRef-x namespace SHA1: hex`` as spdx-tools reads it; other checksum
    spellings, or none, leniently."""
    m = _EXT_DOC_REF.match(value)
    if m:
        parts = m.group(1).strip().split(" ")
        if len(parts) == 2:
            alg, _, digest = m.group(2).strip().partition(":")
            return {
                "externalDocumentId": parts[0],
                "spdxDocument": parts[1],
                "checksum": {"algorithm": alg, "checksumValue": digest.strip()},
            }
    parts = value.split(None, 2)
    if len(parts) < 2:
        return None
    ref: dict[str, Any] = {"externalDocumentId": parts[0], "spdxDocument": parts[1]}
    if len(parts) == 3:
        alg, sep, digest = parts[2].partition(":")
        words = digest.split()
        if sep and alg.strip() and words:
            ref["checksum"] = {"algorithm": alg.strip(), "checksumValue": words[0]}
    return ref


def _special_value(lines: list[str], i: int, raw: str, notes: _Notes) -> tuple[str, int]:
    """A value that starts ``<text>``, or none on the tag's own line; ``i`` is the index of
    the next line. Returns the value and the index to go on from.

    spdx-tools' value tokens start with ``:\\s*``, so when the tag's line has no value the
    value may stand on a later line: a ``<text>`` block, an actor, a checksum or a date
    (anything else leaves the value empty)."""
    v = raw.strip()
    if v.startswith("<text>"):
        return _text_block(lines, i, raw.lstrip()[6:], notes)
    n = len(lines)
    j = i
    while j < n and not lines[j].strip():
        j += 1
    if j < n:
        nxt = lines[j].lstrip()
        if nxt.startswith("<text>"):
            return _text_block(lines, j + 1, nxt[6:], notes)
        if _LOOKAHEAD_VALUE.match(nxt):
            return nxt.strip(), j + 1
    return "", i


def _text_block(lines: list[str], i: int, first: str, notes: _Notes) -> tuple[str, int]:
    """The value of a ``<text>`` block that starts with ``first`` (after ``<text>``) on line
    ``i`` (1-based; ``lines[i]`` is the next one). What follows ``</text>`` on its line is
    read as a line of its own, as spdx-tools' lexer does."""
    end = first.find("</text>")
    if end >= 0:
        return _text_end(lines, i - 1, first[:end], first[end + 7 :])
    parts = [first]
    n = len(lines)
    j = i
    while j < n:
        line = lines[j]
        j += 1
        end = line.find("</text>")
        if end >= 0:
            parts.append(line[:end])
            lines[i:j] = [""] * (j - i)  # consumed, as the main loop consumes lines
            return _text_end(lines, j - 1, "\n".join(parts), line[end + 7 :])
        parts.append(line)
    notes.add("unterminated-text", i, _clip(first))
    return first.strip(), i


def _text_end(lines: list[str], index: int, content: str, after: str) -> tuple[str, int]:
    """Finish a text value whose ``</text>`` is on ``lines[index]``; ``after`` is the rest of
    that line, read again as a line when there is anything but a comment."""
    after = after.strip()
    value = content if content else "<text></text>"  # spdx-tools keeps an empty block as written
    if after and after[0] != "#":
        lines[index] = after
        return value, index
    return value, index + 1


def _no_colon(lines: list[str], i: int, line: str, notes: _Notes) -> int:
    """A line without ``:``: blank, a comment, a tag whose value starts on a later line
    (spdx-tools' lexer is not line-based: ``PackageName`` then ``: x`` is a name), or
    unreadable."""
    s = line.strip()
    if not s or s[0] == "#":
        return i
    if s in _TAGS:
        n = len(lines)
        j = i
        while j < n and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
            j += 1
        if j < n and lines[j].lstrip().startswith(":"):
            lines[j] = s + lines[j].lstrip()
            return j
    notes.add("unreadable-line", i, _clip(s))
    return i


def _unknown(lines: list[str], i: int, line: str, c: int, tag: str, notes: _Notes) -> int:
    """A line with a ``:`` whose tag is not one this reader knows: a comment, an unknown tag
    or an unreadable line. A ``<text>`` value is skipped whole, so that its lines are not
    read as tags."""
    if line.lstrip().startswith("#"):
        return i
    raw = line[c + 1 :]
    if raw.lstrip().startswith("<text>") or not raw.strip():
        _, i = _special_value(lines, i, raw, notes)
    if tag.isascii() and tag.isalpha():
        notes.add("unknown-tag", i, tag)
    else:
        notes.add("unreadable-line", i, _clip(line))
    return i
