"""A forgiving SPDX 2 tag-value reader, used when spdx-tools refuses a document.

spdx-tools' tag-value parser has no lenient mode: one supplier written without
``Organization:``, one checksum in an odd form, and the whole document is refused. For a
scanner that would mean seeing *nothing* of a product because of one typo, so in lenient
mode a refused document is read again by this line-based reader, which knows the tags that
carry identity (names, versions, suppliers, originators, copyrights, checksums, external
references, relationships) and skips the rest. It produces the same JSON-shaped dict as
spdx-tools' converter, so :func:`~sbomscan.ingest.spdx2.read_spdx2_dict` maps it the same
way, and the SPDXID -> line map for ``line N`` pointers.

Tag-value semantics kept: a ``<text>...</text>`` value may span lines; a file written after
a package belongs to that package (SPDX 2.3 §4 "files ... follow the package they belong to",
as spdx-tools reads it); tags of extracted licences (after ``LicenseID:``) and annotations
are not element data.

>>> obj, lines = parse_tag_value("SPDXVersion: SPDX-2.3\\nSPDXID: SPDXRef-DOCUMENT\\n"
...     "PackageName: a\\nSPDXID: SPDXRef-a\\nPackageSupplier: Acme\\n"
...     "FileName: ./a.c\\nSPDXID: SPDXRef-f\\n")
>>> obj["packages"], obj["files"], lines
([{'name': 'a', 'SPDXID': 'SPDXRef-a', 'supplier': 'Acme', 'hasFiles': ['SPDXRef-f']}], [{'fileName': './a.c', 'SPDXID': 'SPDXRef-f'}], {'SPDXRef-a': 4, 'SPDXRef-f': 7})
"""

from __future__ import annotations

from typing import Any

__all__ = ["parse_tag_value"]

_DOC = {
    "SPDXVersion": "spdxVersion",
    "DataLicense": "dataLicense",
    "DocumentName": "name",
    "DocumentNamespace": "documentNamespace",
}
_PACKAGE = {
    "PackageVersion": "versionInfo",
    "PackageFileName": "packageFileName",
    "PackageSupplier": "supplier",
    "PackageOriginator": "originator",
    "PackageDownloadLocation": "downloadLocation",
    "PackageHomePage": "homepage",
    "PackageLicenseConcluded": "licenseConcluded",
    "PackageLicenseDeclared": "licenseDeclared",
    "PackageCopyrightText": "copyrightText",
    "PackageSummary": "summary",
    "PackageDescription": "description",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
}
_FILE = {
    "LicenseConcluded": "licenseConcluded",
    "FileCopyrightText": "copyrightText",
    "FileComment": "comment",
}
_SNIPPET = {
    "SnippetFromFileSPDXID": "snippetFromFile",
    "SnippetName": "name",
    "SnippetCopyrightText": "copyrightText",
    "SnippetLicenseConcluded": "licenseConcluded",
}
_STARTS = {"PackageName", "FileName", "SnippetSPDXID", "LicenseID"}
_ENDS = {"Annotator", "Reviewer"}


def _lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, tag, value) with ``<text>`` values joined across lines."""
    out: list[tuple[int, str, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        start = i + 1
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        tag, sep, value = stripped.partition(":")
        if not sep or " " in tag:
            continue  # not a tag line (text outside <text>): ignored
        value = value.strip()
        if value.startswith("<text>"):
            body = value[6:]
            parts = []
            while "</text>" not in body and i < len(lines):
                parts.append(body)
                body = lines[i]
                i += 1
            parts.append(body.split("</text>", 1)[0])
            value = "\n".join(parts).strip()
        out.append((start, tag, value))
    return out


def _checksum(value: str) -> dict[str, str] | None:
    alg, sep, digest = value.partition(":")
    if not sep or not alg.strip() or not digest.strip():
        return None
    return {"algorithm": alg.strip(), "checksumValue": digest.strip()}


def parse_tag_value(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The SPDX 2 JSON-shaped dict of a tag-value document, and SPDXID -> line number."""
    doc: dict[str, Any] = {"creationInfo": {"creators": []}}
    packages: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    snippets: list[dict[str, Any]] = []
    rels: list[dict[str, Any]] = []
    lines: dict[str, int] = {}
    current: dict[str, Any] | None = None
    kind = "document"
    package: dict[str, Any] | None = None
    for n, tag, value in _lines(text):
        if tag in _STARTS or tag in _ENDS:
            kind = {"PackageName": "package", "FileName": "file", "SnippetSPDXID": "snippet"}.get(
                tag, "other"
            )
            if kind == "package":
                current = {"name": value}
                packages.append(current)
                package = current
            elif kind == "file":
                current = {"fileName": value}
                files.append(current)
            elif kind == "snippet":
                current = {"SPDXID": value}
                snippets.append(current)
                lines.setdefault(value, n)
            else:
                current = None
            continue
        if tag == "Relationship":
            parts = value.split()
            if len(parts) == 3:
                rels.append(
                    {"spdxElementId": parts[0], "relationshipType": parts[1], "relatedSpdxElement": parts[2]}
                )
            continue
        if tag == "SPDXID":
            if kind == "document" and "SPDXID" not in doc:
                doc["SPDXID"] = value
            elif current is not None and kind in ("package", "file"):
                current["SPDXID"] = value
                lines.setdefault(value, n)
                if kind == "file" and package is not None and "SPDXID" in package:
                    package.setdefault("hasFiles", []).append(value)
            continue
        if tag == "Creator":
            doc["creationInfo"]["creators"].append(value)
        elif tag == "Created":
            doc["creationInfo"]["created"] = value
        elif tag == "ExternalDocumentRef":
            parts = value.split(None, 2)
            if len(parts) >= 2:
                ref: dict[str, Any] = {"externalDocumentId": parts[0], "spdxDocument": parts[1]}
                cs = _checksum(parts[2]) if len(parts) == 3 else None
                if cs:
                    ref["checksum"] = cs
                doc.setdefault("externalDocumentRefs", []).append(ref)
        elif tag in _DOC and kind == "document":
            doc[_DOC[tag]] = value
        elif current is None:
            continue
        elif kind == "package":
            if tag in _PACKAGE:
                current[_PACKAGE[tag]] = value
            elif tag == "PackageChecksum":
                cs = _checksum(value)
                if cs:
                    current.setdefault("checksums", []).append(cs)
            elif tag == "ExternalRef":
                parts = value.split(None, 2)
                if len(parts) == 3:
                    current.setdefault("externalRefs", []).append(
                        {
                            "referenceCategory": parts[0],
                            "referenceType": parts[1],
                            "referenceLocator": parts[2],
                        }
                    )
            elif tag == "ExternalRefComment" and current.get("externalRefs"):
                current["externalRefs"][-1]["comment"] = value
        elif kind == "file":
            if tag in _FILE:
                current[_FILE[tag]] = value
            elif tag == "FileChecksum":
                cs = _checksum(value)
                if cs:
                    current.setdefault("checksums", []).append(cs)
            elif tag == "FileContributor":
                current.setdefault("fileContributors", []).append(value)
        elif kind == "snippet" and tag in _SNIPPET:
            current[_SNIPPET[tag]] = value
    doc["packages"] = packages
    doc["files"] = files
    doc["snippets"] = snippets
    doc["relationships"] = rels
    return doc, lines
