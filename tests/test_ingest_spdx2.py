"""SPDX 2.x ingest: every encoding, every field that names a maker, every relationship direction.

The fixtures under ``tests/fixtures/spdx2/`` are written by hand: ``router.*`` is one small
product written in JSON, YAML, tag-value, XML and RDF/XML (and, generated here with
openpyxl, XLSX), which must all read to the same components, edges and links;
``product.spdx.json`` exercises every package, file and snippet field the reader maps.
"""

from __future__ import annotations

import importlib
import io
import threading
import time
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pytest
from bounded import run_bounded
from conftest import FIXTURES

import sbomscan
from sbomscan.errors import MalformedSbomError
from sbomscan.ingest.spdx2.dict import read_spdx2_dict
from sbomscan.model import Document, EdgeKind, Hash, LinkKind, PartyKind, Severity, Swid

HERE = FIXTURES / "spdx2"
SHA = "ab" * 32


def load(data: Any, **kw: Any) -> Document:
    if isinstance(data, dict):
        data = orjson.dumps(data)
    return sbomscan.load(data, **kw)


def by_ref(doc: Document) -> dict[str, Any]:
    return {c.ref: c for c in doc.components}


def edges(doc: Document) -> set[tuple[str, str, str, str | None]]:
    return {(e.source.split("#", 1)[1], e.kind.value, e.target.split("#", 1)[1], e.detail) for e in doc.edges}


def codes(doc: Document) -> list[str]:
    return [d.code for d in doc.diagnostics]


def spdx(
    packages: list[dict[str, Any]], relationships: list[Any] | None = None, **extra: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "t",
        "documentNamespace": "https://sbomscan.example/t",
        "creationInfo": {"created": "2026-11-01T00:00:00Z", "creators": ["Tool: t"]},
        "packages": packages,
    }
    if relationships is not None:
        doc["relationships"] = relationships
    doc.update(extra)
    return doc


def pkg(ref: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"SPDXID": f"SPDXRef-{ref}", "name": name or ref, "downloadLocation": "NOASSERTION", **fields}


def rel(a: str, t: str, b: str) -> dict[str, str]:
    return {"spdxElementId": a, "relationshipType": t, "relatedSpdxElement": b}


# -- the router product in every encoding --------------------------------------------------


def summary(doc: Document) -> tuple[Any, ...]:
    comps = sorted(
        (
            c.ref,
            c.name,
            c.version,
            c.type,
            c.purl,
            c.cpes,
            tuple((p.name, p.role, p.kind, p.emails) for p in c.parties),
            c.copyright,
            c.hashes,
            c.origin,
        )
        for c in doc.components
    )
    links = sorted((lk.source.split("#")[1], lk.uri, lk.document, lk.ref, lk.checksum) for lk in doc.links)
    return (
        comps,
        sorted(edges(doc)),
        links,
        [r.split("#")[1] for r in doc.roots],
        doc.name,
        doc.serial,
        doc.parties,
    )


def test_router_json_reads_what_it_says() -> None:
    doc = sbomscan.load(HERE / "router.spdx.json")
    assert (doc.format, doc.encoding, doc.spec_version) == ("spdx", "json", "2.3")
    assert doc.serial == "https://sbomscan.example/spdx2/router-os-1.0" and doc.name == "router-os-1.0"
    assert [(p.name, p.role, p.kind) for p in doc.parties] == [
        ("handmade", "tool", PartyKind.TOOL),
        ("Acme Widgets GmbH", "creator", PartyKind.ORGANIZATION),
    ]
    c = by_ref(doc)
    assert [r.split("#")[1] for r in doc.roots] == ["SPDXRef-router"]
    radio = c["SPDXRef-radio"]
    # "(ZTE Corporation)" is not an email address: it stays part of the name
    assert [(p.name, p.role, p.kind, p.emails) for p in radio.parties] == [
        ("中兴通讯股份有限公司 (ZTE Corporation)", "supplier", PartyKind.ORGANIZATION, ()),
        ("Li Wei", "originator", PartyKind.PERSON, ("li.wei@zte.example",)),
    ]
    assert radio.cpes == ("cpe:2.3:a:zte:radio_driver:5.4:*:*:*:*:*:*:*",)
    assert radio.hashes == (
        Hash("SHA-256", "11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd"),
    )
    assert c["SPDXRef-crypto"].purl == "pkg:generic/hytera/crypto-lib@2.2"
    assert c["SPDXRef-crypto"].external_refs == ()  # downloadLocation NONE is no locator
    assert c["SPDXRef-cfg"].parties[0].role == "contributor"
    assert c["SPDXRef-snip"].type == "snippet" and c["SPDXRef-snip"].origin == "snippet"
    assert edges(doc) == {
        ("SPDXRef-router", "contains", "SPDXRef-radio", "CONTAINS"),
        ("SPDXRef-radio", "depends_on", "SPDXRef-crypto", "DEPENDENCY_OF"),
        ("SPDXRef-radio", "contains", "SPDXRef-cfg", "CONTAINS"),
        ("SPDXRef-cfg", "contains", "SPDXRef-snip", "snippetFromFile"),
    }
    (link,) = doc.links
    assert link.kind is LinkKind.SPDX_EXTERNAL_DOCUMENT
    assert link.source.endswith("#SPDXRef-radio")
    assert (link.uri, link.document, link.ref) == (
        "DocumentRef-modem:SPDXRef-modem-fw",
        "https://sbomscan.example/spdx2/modem-2.0",
        "SPDXRef-modem-fw",
    )
    assert link.checksum == Hash("SHA-1", "aa0e0b4c5b1d7b7e0ee1c1bd6ef0e5e0c1d2e3f4")
    assert doc.declared_components == 5 and doc.diagnostics == ()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("router.spdx.yaml", "yaml"),
        ("router.spdx", "tag-value"),
        ("router.spdx.xml", "xml"),
        ("router.spdx.rdf.xml", "rdf-xml"),
    ],
)
def test_router_every_encoding_reads_the_same(name: str, encoding: str) -> None:
    want = summary(sbomscan.load(HERE / "router.spdx.json"))
    doc = sbomscan.load(HERE / name)
    assert doc.encoding == encoding
    assert summary(doc) == want
    assert doc.diagnostics == ()


@pytest.mark.parametrize(
    "name", ["router.spdx.json", "router.spdx.yaml", "router.spdx", "router.spdx.xml", "router.spdx.rdf.xml"]
)
def test_router_is_valid_in_strict_mode(name: str) -> None:
    assert sbomscan.load(HERE / name, strict=True).components


def test_tag_value_points_at_lines() -> None:
    doc = sbomscan.load(HERE / "router.spdx")
    text = (HERE / "router.spdx").read_text(encoding="utf-8").splitlines()
    for c in doc.components:
        assert c.pointer is not None and c.pointer.startswith("line ")
        line = text[int(c.pointer[5:]) - 1]
        assert line.endswith(c.ref) and "SPDXID" in line


# -- XLSX, generated here (spdx-tools has no spreadsheet writer) ---------------------------


def router_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Document Info"
    ws.append(
        [
            "Spreadsheet Version",
            "SPDX Version",
            "Data License",
            "SPDX Identifier",
            "Document Name",
            "Document Namespace",
            "Document Contents",
            "External Document References",
            "Creator",
            "Created",
        ]
    )
    ws.append(
        [
            "2.3",
            "SPDX-2.3",
            "CC0-1.0",
            "SPDXRef-DOCUMENT",
            "router-os-1.0",
            "https://sbomscan.example/spdx2/router-os-1.0",
            "SPDXRef-router",
            "DocumentRef-modem https://sbomscan.example/spdx2/modem-2.0 SHA1: aa0e0b4c5b1d7b7e0ee1c1bd6ef0e5e0c1d2e3f4",
            "Tool: handmade",
            "2026-11-02T08:00:00Z",
        ]
    )
    ws.append([None] * 8 + ["Organization: Acme Widgets GmbH"])
    ws = wb.create_sheet("Package Info")
    ws.append(
        [
            "Package Name",
            "SPDX Identifier",
            "Package Version",
            "Package Supplier",
            "Package Originator",
            "Package Download Location",
            "Package Checksum",
            "License Concluded",
            "Package Copyright Text",
        ]
    )
    ws.append(
        [
            "router-os",
            "SPDXRef-router",
            "1.0",
            "Organization: Acme Widgets GmbH (ops@acme.example)",
            None,
            "NOASSERTION",
            None,
            "NOASSERTION",
            "NOASSERTION",
        ]
    )
    ws.append(
        [
            "radio-driver",
            "SPDXRef-radio",
            "5.4",
            "Organization: 中兴通讯股份有限公司 (ZTE Corporation)",
            "Person: Li Wei (li.wei@zte.example)",
            "NOASSERTION",
            "SHA256: 11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd",
            "NOASSERTION",
            "NOASSERTION",
        ]
    )
    ws.append(
        [
            "crypto-lib",
            "SPDXRef-crypto",
            "2.2",
            "Organization: Hytera Communications Corporation Limited",
            None,
            "NONE",
            None,
            "NOASSERTION",
            "Copyright 2019 Hytera Communications Corporation Limited",
        ]
    )
    ws = wb.create_sheet("External Refs")
    ws.append(["Package ID", "Category", "Type", "Locator", "Comment"])
    ws.append(["SPDXRef-router", "PACKAGE_MANAGER", "purl", "pkg:generic/acme/router-os@1.0"])
    ws.append(["SPDXRef-radio", "SECURITY", "cpe23Type", "cpe:2.3:a:zte:radio_driver:5.4:*:*:*:*:*:*:*"])
    ws.append(["SPDXRef-crypto", "PACKAGE_MANAGER", "purl", "pkg:generic/hytera/crypto-lib@2.2"])
    ws = wb.create_sheet("Per File Info")
    ws.append(
        [
            "File Name",
            "SPDX Identifier",
            "Package Identifier",
            "File Checksum(s)",
            "License Concluded",
            "File Copyright Text",
            "Contributors",
        ]
    )
    ws.append(
        [
            "./etc/radio.conf",
            "SPDXRef-cfg",
            "SPDXRef-radio",
            "SHA1: 85ed0817af83a24ad8da68c2b5094de69833983c",
            "NOASSERTION",
            "Copyright ZTE Corporation",
            '"ZTE Corporation"',
        ]
    )
    ws = wb.create_sheet("Snippets")
    ws.append(["ID", "Name", "From File ID", "Byte Range", "License Concluded", "Snippet Copyright Text"])
    ws.append(["SPDXRef-snip", "tx power table", "SPDXRef-cfg", "10:90", "NOASSERTION", "NOASSERTION"])
    ws = wb.create_sheet("Relationships")
    ws.append(["SPDX Identifier A", "Relationship", "SPDX Identifier B", "Relationship Comment"])
    ws.append(["SPDXRef-router", "CONTAINS", "SPDXRef-radio"])
    ws.append(["SPDXRef-crypto", "DEPENDENCY_OF", "SPDXRef-radio"])
    ws.append(["SPDXRef-radio", "DYNAMIC_LINK", "DocumentRef-modem:SPDXRef-modem-fw"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_router_xlsx_reads_the_same() -> None:
    want = summary(sbomscan.load(HERE / "router.spdx.json"))
    doc = sbomscan.load(router_xlsx(), name="router.xlsx")
    assert doc.encoding == "xlsx"
    got = summary(doc)
    # the file belongs to its package through the "Package Identifier" column (hasFiles)
    want_edges = {
        e if e[1:] != ("contains", "SPDXRef-cfg", "CONTAINS") else (*e[:3], "hasFiles") for e in want[1]
    }
    assert got[0] == want[0] and set(got[1]) == want_edges and got[2:] == want[2:]


def test_xlsx_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (50 * 1024 * 1024))
    with pytest.raises(MalformedSbomError, match="zip bomb"):
        sbomscan.load(out.getvalue())


def far_cell_xlsx(rows: int = 0) -> bytes:
    """A small SPDX spreadsheet whose every sheet declares itself A1:XFD1048576 (one cell
    in the last column of the last row); when asked, its Relationships sheet has a header
    in the last column too and ``rows`` more rows that each hold one cell there."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Document Info"
    ws.append(["SPDX Version", "SPDX Identifier", "Document Name", "Document Namespace", "Creator"])
    ws.append(["SPDX-2.3", "SPDXRef-DOCUMENT", "far", "https://x.example/far", "Tool: handmade"])
    ws["XFD1048576"] = "far"
    ws = wb.create_sheet("Package Info")
    ws.append(["Package Name", "SPDX Identifier", "Package Version", "Package Supplier"])
    ws.append(["camera-sdk", "SPDXRef-cam", "1.0", "Organization: Hangzhou Hikvision"])
    ws["XFD1048576"] = "far"
    ws = wb.create_sheet("Relationships")
    ws.append(["SPDX Identifier A", "Relationship", "SPDX Identifier B"])
    ws.append(["SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-cam"])
    if rows:
        ws["XFD1"] = "Relationship Comment"
    for row in range(3, rows + 3):
        ws.cell(row, 16384, "far")
    ws["XFD1048576"] = "far"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_work_follows_the_cells_present_not_the_declared_size() -> None:
    """openpyxl pads every row to the declared dimension: a 5.6 kB file with one cell at
    XFD1048576 took about a quarter of an hour a sheet. It is read in well under a second
    now (a minute allowed for a busy CI machine, in a child with 1 GiB of address space),
    and so is one with 2,000 rows each holding a cell in the last column."""
    assert len(far_cell_xlsx()) < 8000
    code = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_ingest_spdx2 import far_cell_xlsx
import sbomscan
for rows in (0, 2000):
    data = far_cell_xlsx(rows)
    t = time.perf_counter()
    doc = sbomscan.load(data)
    took = time.perf_counter() - t
    assert [(c.name, [p.name for p in c.parties]) for c in doc.components] == [
        ("camera-sdk", ["Hangzhou Hikvision"])
    ], doc.components
    assert took < 20, (rows, took)
_report()
"""
    got = run_bounded(code, seconds=60, address_space=1024**3)
    assert got["peak_kib"] < 400 * 1024


def test_xlsx_without_spdx_sheets_is_refused() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["just", "numbers"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(MalformedSbomError, match="Document Info"):
        sbomscan.load(out.getvalue())


def test_a_sheet_that_cannot_be_read_is_one_error_naming_the_file() -> None:
    """A workbook that opens but whose sheet is cut short: the library's error while the
    sheet is read becomes one MalformedSbomError naming the file (both spreadsheet readers
    hand their sheets to ``sheets_dict``, which says so for the two)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Document Info"
    wb.active.append(["SPDX Version", "Data License"])
    wb.active.append(["SPDX-2.3", "CC0-1.0"])
    whole = io.BytesIO()
    wb.save(whole)
    cut = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(whole.getvalue())) as src, zipfile.ZipFile(cut, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(
                info, data[: len(data) // 2] if info.filename == "xl/worksheets/sheet1.xml" else data
            )
    with pytest.raises(
        MalformedSbomError, match=r"^cut\.xlsx: could not read the SPDX spreadsheet: ParseError"
    ):
        sbomscan.load(cut.getvalue(), name="cut.xlsx")


# -- every field of product.spdx.json ------------------------------------------------------


@pytest.fixture(scope="module")
def product() -> Document:
    return sbomscan.load(HERE / "product.spdx.json")


def test_product_packages(product: Document) -> None:
    c = by_ref(product)
    fw = c["SPDXRef-firmware"]
    assert (fw.type, fw.version, fw.description) == (
        "firmware",
        "4.2",
        "Firmware image for the BM-200 camera.",
    )
    assert fw.copyright == ("Copyright 2026 Blue Meridian Software Ltd",)
    assert fw.licenses == ("LicenseRef-Proprietary",)  # licenseDeclared NOASSERTION dropped
    assert [(r.type, r.url) for r in fw.external_refs] == [
        ("website", "https://bluemeridian.example/firmware")
    ]
    av = c["SPDXRef-av-engine"]
    assert [(p.name, p.role, p.kind, p.emails) for p in av.parties] == [
        ("Лаборатория Касперского", "supplier", PartyKind.ORGANIZATION, ("info@kaspersky.example",)),
        ("Kaspersky Lab, JSC (Moscow)", "originator", PartyKind.ORGANIZATION, ()),
    ]
    assert av.cpes == (
        "cpe:2.3:a:kaspersky:anti-virus_engine:21.3:*:*:*:*:*:*:*",
        "cpe:/a:kaspersky:anti-virus_engine:21.3",
    )
    assert av.purl == "pkg:generic/kaspersky/av-engine@21.3"
    assert av.hashes[0] == Hash("SHA-256", "a3f1c0de" + "0" * 55 + "1")
    assert av.hashes[1].algorithm == "BLAKE2B-256"
    assert av.copyright == () and av.licenses == ("LicenseRef-KL-EULA",) and av.type == "package"
    assert [(r.type, r.url, r.category, r.comment) for r in av.external_refs] == [
        ("advisory", "https://advisories.example/KL-2026-01", "SECURITY", "fixed in 21.4"),
        ("distribution", "https://downloads.kaspersky.example/av-engine-21.3.tgz", None, None),
    ]
    codec = c["SPDXRef-video-codec"]
    assert [(p.name, p.role) for p in codec.parties] == [
        ("华为技术有限公司", "supplier"),
        ("Huawei Device Co., Ltd. (Dongguan)", "originator"),
    ]
    assert codec.swid == Swid(tag_id="2df9de35-0aff-4a86-ace6-f7dddd1ade4c", name=None, regid=None)
    assert codec.purl == "pkg:maven/com.huawei.media/video-codec@3.0.1"
    assert codec.description == "H.265 codec" and codec.external_refs == ()
    lib = c["SPDXRef-libjson"]
    assert [(p.name, p.kind, p.emails) for p in lib.parties] == [
        ("Ivan Petrov", PartyKind.PERSON, ("ivan@petrov.example",))
    ]
    assert lib.purl is None and ("purl", "libjson 1.7") in [(r.type, r.url) for r in lib.external_refs]
    assert c["SPDXRef-gcc"].parties == ()


def test_product_files_snippets_and_document(product: Document) -> None:
    c = by_ref(product)
    main = c["SPDXRef-main-c"]
    assert (main.name, main.type, main.origin) == ("./src/main.c", "file", "file")
    assert [(p.name, p.role) for p in main.parties] == [
        ("Blue Meridian Software Ltd", "contributor"),
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", "contributor"),
    ]
    assert main.hashes == (Hash("SHA-1", "85ed0817af83a24ad8da68c2b5094de69833983c"),)
    assert c["SPDXRef-decoder-c"].copyright == ()  # NONE
    snip = c["SPDXRef-snippet-1"]
    assert snip.copyright == ("Copyright Zhejiang Dahua Technology Co., Ltd.",)
    assert product.declared_components == 8 and len(product.components) == 8
    assert [(p.name, p.role) for p in product.parties] == [
        ("firmware-sbom-builder-1.0", "tool"),
        ("Blue Meridian Software Ltd", "creator"),
        ("Jane Roe", "creator"),
    ]
    assert product.parties[1].emails == ("sbom@bluemeridian.example",)


def test_product_edges_links_and_diagnostics(product: Document) -> None:
    assert edges(product) == {
        ("SPDXRef-firmware", "contains", "SPDXRef-main-c", "hasFiles"),  # CONTAINS relationship not repeated
        ("SPDXRef-decoder-c", "contains", "SPDXRef-snippet-1", "snippetFromFile"),
        ("SPDXRef-firmware", "contains", "SPDXRef-av-engine", "CONTAINS"),
        ("SPDXRef-firmware", "contains", "SPDXRef-video-codec", "PACKAGE_OF"),
        ("SPDXRef-video-codec", "depends_on", "SPDXRef-libjson", "DEPENDENCY_OF"),
        ("SPDXRef-firmware", "depends_on", "SPDXRef-gcc", "BUILD_TOOL_OF"),
        ("SPDXRef-video-codec", "contains", "SPDXRef-decoder-c", "CONTAINED_BY"),
    }
    used, unused = product.links
    assert used.source.endswith("#SPDXRef-av-engine") and used.ref == "SPDXRef-sdk"
    assert used.checksum == Hash("SHA-1", "d6a770ba38583ed4bb4525bd96e50461655d2759")
    # an ExternalDocumentRef no relationship uses is kept, from the root, for the whole document
    assert unused.source == product.roots[0] and unused.ref is None
    assert (
        unused.document == "https://sbomscan.example/spdx2/unused-1.0" and unused.uri == "DocumentRef-unused"
    )
    # relationships to NOASSERTION / NONE are skipped silently; the bad purl is the one note
    assert [(d.code, d.location) for d in product.diagnostics] == [("bad-purl", "/packages/3/externalRefs/0")]


def test_product_is_refused_in_strict_mode() -> None:
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(HERE / "product.spdx.json", strict=True)
    assert "product.spdx.json" in str(info.value) and "checksums" in str(info.value)


# -- relationship directions ----------------------------------------------------------------

# (kind, True when the edge runs from relatedSpdxElement to spdxElementId), written out here
# independently of sbomscan.ingest.spdx2.vocab so that a change there has to be made twice.
DIRECTIONS: dict[str, tuple[str, bool]] = {
    "CONTAINS": ("contains", False),
    "CONTAINED_BY": ("contains", True),
    "PACKAGE_OF": ("contains", True),
    "FILE_ADDED": ("contains", True),
    "EXPANDED_FROM_ARCHIVE": ("contains", True),
    "OPTIONAL_COMPONENT_OF": ("contains", True),
    "DEPENDS_ON": ("depends_on", False),
    "DEPENDENCY_OF": ("depends_on", True),
    "BUILD_DEPENDENCY_OF": ("depends_on", True),
    "DEV_DEPENDENCY_OF": ("depends_on", True),
    "OPTIONAL_DEPENDENCY_OF": ("depends_on", True),
    "PROVIDED_DEPENDENCY_OF": ("depends_on", True),
    "TEST_DEPENDENCY_OF": ("depends_on", True),
    "RUNTIME_DEPENDENCY_OF": ("depends_on", True),
    "BUILD_TOOL_OF": ("depends_on", True),
    "DEV_TOOL_OF": ("depends_on", True),
    "TEST_TOOL_OF": ("depends_on", True),
    "PREREQUISITE_FOR": ("depends_on", True),
    "HAS_PREREQUISITE": ("depends_on", False),
    "DISTRIBUTION_ARTIFACT": ("depends_on", False),
    "STATIC_LINK": ("static_link", False),
    "DYNAMIC_LINK": ("dynamic_link", False),
    "ANCESTOR_OF": ("derived_from", True),
    "DESCENDANT_OF": ("derived_from", False),
    "VARIANT_OF": ("variant_of", False),
    "GENERATED_FROM": ("generated_from", False),
    "GENERATES": ("generated_from", True),
    "COPY_OF": ("copy_of", False),
    "DESCRIBES": ("describes", False),
    "DESCRIBED_BY": ("describes", True),
    "DEPENDENCY_MANIFEST_OF": ("other", True),
    "PATCH_FOR": ("other", True),
    "PATCH_APPLIED": ("other", True),
    "FILE_DELETED": ("other", True),
    "FILE_MODIFIED": ("other", False),
    "DATA_FILE_OF": ("other", True),
    "TEST_CASE_OF": ("other", True),
    "TEST_OF": ("other", True),
    "EXAMPLE_OF": ("other", True),
    "METAFILE_OF": ("other", True),
    "DOCUMENTATION_OF": ("other", True),
    "SPECIFICATION_FOR": ("other", True),
    "REQUIREMENT_DESCRIPTION_FOR": ("other", True),
    "AMENDS": ("other", True),
    "OTHER": ("other", False),
}


def test_every_spdx_relationship_type_has_a_direction() -> None:
    model: Any = importlib.import_module("spdx_tools.spdx.model")
    assert set(DIRECTIONS) == {t.name for t in model.RelationshipType}


@pytest.mark.parametrize("rtype", sorted(DIRECTIONS))
def test_relationship_direction(rtype: str) -> None:
    kind, flipped = DIRECTIONS[rtype]
    doc = load(
        spdx(
            [pkg("root"), pkg("a"), pkg("b")],
            [rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-root"), rel("SPDXRef-a", rtype, "SPDXRef-b")],
        )
    )
    src, dst = ("SPDXRef-b", "SPDXRef-a") if flipped else ("SPDXRef-a", "SPDXRef-b")
    assert edges(doc) == {(src, kind, dst, rtype)}
    assert doc.diagnostics == ()


def test_relationship_type_spelling_is_tolerated_and_unknown_kept_as_other() -> None:
    doc = load(
        spdx(
            [pkg("a"), pkg("b"), pkg("c")],
            [rel("SPDXRef-a", "dependency-of", "SPDXRef-b"), rel("SPDXRef-a", "MADE_UP", "SPDXRef-c")],
            documentDescribes=["SPDXRef-a"],
        )
    )
    assert edges(doc) == {
        ("SPDXRef-b", "depends_on", "SPDXRef-a", "dependency-of"),
        ("SPDXRef-a", "other", "SPDXRef-c", "MADE_UP"),
    }
    assert codes(doc) == ["unknown-relationship"]


def test_described_by_makes_a_root() -> None:
    doc = load(spdx([pkg("a"), pkg("b")], [rel("SPDXRef-b", "DESCRIBED_BY", "SPDXRef-DOCUMENT")]))
    assert [r.split("#")[1] for r in doc.roots] == ["SPDXRef-b"] and not doc.synthetic_root


def test_document_contains_makes_roots_only_without_describes() -> None:
    doc = load(spdx([pkg("a"), pkg("b")], [rel("SPDXRef-DOCUMENT", "CONTAINS", "SPDXRef-b")]))
    assert [r.split("#")[1] for r in doc.roots] == ["SPDXRef-b"]
    doc = load(
        spdx(
            [pkg("a"), pkg("b")],
            [
                rel("SPDXRef-DOCUMENT", "CONTAINS", "SPDXRef-b"),
                rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-a"),
            ],
        )
    )
    assert [r.split("#")[1] for r in doc.roots] == ["SPDXRef-a"]
    assert "document-relationship" in codes(doc) and not doc.edges


def test_missing_describes_gives_a_synthetic_root_over_the_top_level() -> None:
    doc = load(spdx([pkg("a"), pkg("b"), pkg("c")], [rel("SPDXRef-a", "DEPENDS_ON", "SPDXRef-b")]))
    assert doc.synthetic_root and "synthetic-root" in codes(doc)
    (root,) = doc.roots
    assert {e.target.split("#")[1] for e in doc.edges if e.source == root} == {"SPDXRef-a", "SPDXRef-c"}


def test_duplicate_ids_and_dangling_relationships() -> None:
    data = spdx(
        [pkg("a", "first"), pkg("a", "second"), pkg("b")],
        [
            rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-a"),
            rel("SPDXRef-a", "DEPENDS_ON", "SPDXRef-gone"),
            rel("SPDXRef-a", "CONTAINS", "SPDXRef-b"),
        ],
        documentDescribes=["SPDXRef-missing"],
    )
    doc = load(data)
    assert [(c.ref, c.name) for c in doc.components] == [
        ("SPDXRef-a", "first"),
        ("SPDXRef-a~2", "second"),
        ("SPDXRef-b", "b"),
    ]
    assert edges(doc) == {("SPDXRef-a", "contains", "SPDXRef-b", "CONTAINS")}
    diags = {(d.code, d.location) for d in doc.diagnostics}
    assert diags == {
        ("duplicate-ref", "/packages/1"),
        ("dangling-ref", "/documentDescribes/0"),
        ("dangling-ref", "/relationships/1"),
    }
    with pytest.raises(MalformedSbomError) as info:
        load(data, strict=True)
    assert "<bytes>" in str(info.value)


def test_repeated_edges_are_kept_once_in_document_order() -> None:
    """The same edge twice, the flipped spelling of it, and a CONTAINS that hasFiles
    already gave: one edge each, the first spelling kept, in the order first written."""
    data = spdx(
        [pkg("a", hasFiles=["SPDXRef-f"]), pkg("b"), pkg("c")],
        [
            rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-a"),
            rel("SPDXRef-a", "DEPENDS_ON", "SPDXRef-c"),
            rel("SPDXRef-a", "DEPENDS_ON", "SPDXRef-b"),
            rel("SPDXRef-b", "DEPENDENCY_OF", "SPDXRef-a"),
            rel("SPDXRef-a", "DEPENDS_ON", "SPDXRef-c"),
            rel("SPDXRef-a", "CONTAINS", "SPDXRef-f"),
            rel("SPDXRef-a", "CONTAINS", "SPDXRef-b"),
        ],
        files=[{"SPDXID": "SPDXRef-f", "fileName": "./f.c"}],
    )
    doc = load(data)
    got = [(e.source.split("#")[1], e.kind.value, e.target.split("#")[1], e.detail) for e in doc.edges]
    assert got == [
        ("SPDXRef-a", "depends_on", "SPDXRef-c", "DEPENDS_ON"),
        ("SPDXRef-a", "depends_on", "SPDXRef-b", "DEPENDS_ON"),
        ("SPDXRef-a", "contains", "SPDXRef-b", "CONTAINS"),
        ("SPDXRef-a", "contains", "SPDXRef-f", "hasFiles"),
    ]


def test_package_fast_paths_read_what_the_general_ones_do() -> None:
    """Checksums are stripped and lower-cased (digits-only values too); a purl the quick
    pattern does not recognise but packageurl-python accepts is still the purl; a supplier
    repeated with and without an originator is the same party."""
    ref = {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl"}
    data = spdx(
        [
            pkg(
                "a",
                checksums=[{"algorithm": "SHA256", "checksumValue": " AB12CD "}],
                supplier="Organization: Acme",
            ),
            pkg(
                "b",
                checksums=[{"algorithm": "SHA1", "checksumValue": "0123456789"}],
                supplier="Organization: Acme",
                originator="Person: Jo (jo@acme.example)",
            ),
            pkg(
                "c",
                externalRefs=[{**ref, "referenceLocator": "pkg:generic/x y@1"}],
                supplier="Organization: Acme",
            ),
            pkg("d", externalRefs=[{**ref, "referenceLocator": "pkg:npm/"}]),
        ]
    )
    c = by_ref(load(data))
    assert c["SPDXRef-a"].hashes == (Hash("SHA-256", "ab12cd"),)
    assert c["SPDXRef-b"].hashes == (Hash("SHA-1", "0123456789"),)
    assert c["SPDXRef-a"].parties[0] is c["SPDXRef-b"].parties[0] is c["SPDXRef-c"].parties[0]
    assert [p.role for p in c["SPDXRef-b"].parties] == ["supplier", "originator"]
    assert c["SPDXRef-b"].parties[1].emails == ("jo@acme.example",)
    assert c["SPDXRef-c"].purl == "pkg:generic/x y@1"
    assert c["SPDXRef-d"].purl is None
    assert [r.type for r in c["SPDXRef-d"].external_refs] == ["purl"]


def test_document_refs_known_and_unknown() -> None:
    doc = load(
        spdx(
            [pkg("a")],
            [
                rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-a"),
                rel("DocumentRef-lib:SPDXRef-x", "DEPENDENCY_OF", "SPDXRef-a"),
                rel("SPDXRef-a", "DEPENDS_ON", "DocumentRef-nowhere:SPDXRef-y"),
                rel("SPDXRef-DOCUMENT", "AMENDS", "DocumentRef-lib:SPDXRef-DOCUMENT"),
            ],
            externalDocumentRefs=[
                {
                    "externalDocumentId": "DocumentRef-lib",
                    "spdxDocument": "https://sbomscan.example/lib",
                    "checksum": {"algorithm": "SHA1", "checksumValue": "ABCDEF0123"},
                }
            ],
        )
    )
    assert [(lk.source.split("#")[1], lk.uri, lk.ref) for lk in doc.links] == [
        ("SPDXRef-a", "DocumentRef-lib:SPDXRef-x", "SPDXRef-x"),
        ("SPDXRef-a", "DocumentRef-lib:SPDXRef-DOCUMENT", None),  # the other document as a whole
    ]
    assert all(lk.document == "https://sbomscan.example/lib" for lk in doc.links)
    assert doc.links[0].checksum == Hash("SHA-1", "abcdef0123")
    assert [(d.code, d.location) for d in doc.diagnostics] == [("unknown-document-ref", "/relationships/2")]


def test_document_of_only_external_references_gets_a_document_root() -> None:
    doc = load(
        spdx(
            [],
            [rel("SPDXRef-DOCUMENT", "AMENDS", "DocumentRef-pkg:SPDXRef-DOCUMENT")],
            externalDocumentRefs=[
                {"externalDocumentId": "DocumentRef-pkg", "spdxDocument": "https://x.example/p"}
            ],
        )
    )
    (root,) = doc.components
    assert (root.ref, root.type, doc.roots) == ("SPDXRef-DOCUMENT", "document", (root.id,))
    assert [lk.source for lk in doc.links] == [root.id]


# -- wrong types: diagnostics in lenient mode, never a crash --------------------------------


def test_wrong_types_are_diagnostics_with_pointers() -> None:
    doc = load(
        {
            "spdxVersion": "SPDX-2.3",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": ["n"],
            "creationInfo": {"creators": "Tool: lone"},
            "documentDescribes": "SPDXRef-a",
            "packages": [
                "not a package",
                {
                    "SPDXID": "SPDXRef-a",
                    "name": ["x"],
                    "versionInfo": 1.5,
                    "supplier": {"name": "x"},
                    "externalRefs": {"referenceType": "purl", "referenceLocator": "pkg:npm/x@1"},
                    "checksums": [{"algorithm": 1}],
                    "primaryPackagePurpose": 3,
                    "hasFiles": [5],
                },
            ],
            "files": {"SPDXID": "SPDXRef-f"},
            "relationships": [["SPDXRef-a", "CONTAINS", "SPDXRef-f"], {"spdxElementId": 1}],
        }
    )
    a = by_ref(doc)["SPDXRef-a"]
    assert (a.name, a.version, a.purl, a.type) == ("", "1.5", "pkg:npm/x@1", "package")
    assert [p.name for p in doc.parties] == ["lone"]
    assert "SPDXRef-f" in by_ref(doc) and doc.roots == (a.id,)
    got = {(d.code, d.location) for d in doc.diagnostics}
    assert {
        ("bad-type", "/name"),
        ("bad-type", "/creationInfo/creators"),
        ("bad-type", "/documentDescribes"),
        ("bad-type", "/packages/0"),
        ("bad-type", "/packages/1/name"),
        ("bad-type", "/packages/1/supplier"),
        ("bad-type", "/packages/1/externalRefs"),
        ("bad-checksum", "/packages/1/checksums/0"),
        ("bad-type", "/packages/1/primaryPackagePurpose"),
        ("bad-type", "/packages/1/hasFiles/0"),
        ("bad-type", "/files"),
        ("bad-type", "/relationships/0"),
        ("bad-relationship", "/relationships/1"),
    } <= got
    assert all(d.severity in (Severity.WARNING, Severity.INFO) for d in doc.diagnostics)


@pytest.mark.parametrize("top", [[], "x", 3, None])
def test_top_level_not_an_object_is_malformed(top: Any) -> None:
    with pytest.raises(MalformedSbomError, match="must be an object"):
        read_spdx2_dict(top, source="t.json", sha256=SHA, encoding="json", strict=False)


def test_not_spdx_2_version_is_noted() -> None:
    doc = load({"spdxVersion": "SPDX-9.0", "packages": [pkg("a")]})
    assert "unknown-version" in codes(doc) and doc.spec_version == "9.0"


# -- YAML, tag-value, XML specifics --------------------------------------------------------


def test_yaml_aliases_are_refused() -> None:
    bomb = b"spdxVersion: SPDX-2.3\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b]\n"
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(bomb)
    assert "aliases" in str(info.value) and info.value.line == 3


@pytest.mark.parametrize("nest", [b"[" * 50_000, b"{a: " * 50_000, b"[" * 50_000 + b"]" * 50_000])
def test_deep_yaml_is_refused_not_a_crash(nest: bytes) -> None:
    # PyYAML's C composer recurses once per level and would overflow the stack
    with pytest.raises(MalformedSbomError, match=r"nested more than|nesting depth"):
        sbomscan.load(b"spdxVersion: SPDX-2.3\npackages: " + nest)


def test_invalid_yaml_says_where() -> None:
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(b"spdxVersion: SPDX-2.3\npackages: [\n  - {name: x\n")
    assert info.value.line is not None and "invalid YAML" in str(info.value)


def test_yaml_numbers_are_read_as_text() -> None:
    doc = sbomscan.load(
        b"spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\npackages:\n  - SPDXID: SPDXRef-a\n"
        b"    name: a\n    versionInfo: 1.10\n"
    )
    assert doc.components[0].version == "1.1"  # YAML has already made a float of it; kept, not dropped


TV_HEAD = (
    "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: t\n"
    "DocumentNamespace: https://sbomscan.example/tv\nCreator: Tool: t\nCreated: 2026-11-01T00:00:00Z\n\n"
)


def test_tag_value_relationship_inside_a_package_is_read() -> None:
    text = TV_HEAD + (
        "PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NOASSERTION\n"
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\r\n"
        "FilesAnalyzed: false\nPackageSupplier: Organization: Dahua Technology (x@dahua.example)\n\n"
        "PackageName: b\nSPDXID: SPDXRef-b\nPackageDownloadLocation: NOASSERTION\n"
        "Relationship: SPDXRef-b DEPENDENCY_OF SPDXRef-a\n"
        "RelationshipComment: <text>two\nlines</text>\nFilesAnalyzed: false\n"
    )
    doc = sbomscan.load(text.encode())
    assert [p.name for p in by_ref(doc)["SPDXRef-a"].parties] == ["Dahua Technology"]
    assert edges(doc) == {("SPDXRef-a", "depends_on", "SPDXRef-b", "DEPENDENCY_OF")}
    assert [r.split("#")[1] for r in doc.roots] == ["SPDXRef-a"]


def test_tag_value_spdx_tools_refuses_strict_says_line_lenient_reads() -> None:
    text = TV_HEAD + (
        "PackageName: a\nSPDXID: SPDXRef-a\nPackageSupplier: Acme without a type\n"
        "PackageDownloadLocation: NOASSERTION\nExternalRef: SECURITY cpe23Type cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*\n"
        "PackageName: b\nSPDXID: SPDXRef-b\nPackageSupplier: Organization: Hytera (x@hytera.example)\n"
        "Relationship: SPDXRef-a DEPENDS_ON SPDXRef-b\n"
    )
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(text.encode(), name="bad.spdx", strict=True)
    assert str(info.value).startswith("bad.spdx: ") and info.value.line == 11
    doc = sbomscan.load(text.encode(), name="bad.spdx")
    # lenient mode reads tag-value with sbomscan's own reader, which reads all of this
    assert "spdx-tools-refused" not in codes(doc)
    c = by_ref(doc)
    assert [(p.name, p.kind) for p in c["SPDXRef-a"].parties] == [("Acme without a type", PartyKind.UNKNOWN)]
    assert c["SPDXRef-a"].cpes == ("cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*",)
    assert [(p.name, p.emails) for p in c["SPDXRef-b"].parties] == [("Hytera", ("x@hytera.example",))]
    assert ("SPDXRef-a", "depends_on", "SPDXRef-b", "DEPENDS_ON") in edges(doc)
    assert doc.synthetic_root  # no DESCRIBES: the synthetic root holds the top level, "a"
    assert c["SPDXRef-a"].pointer == "line 10"  # its SPDXID line


def test_forgiving_tag_value_reader_reads_the_router_like_spdx_tools() -> None:
    from sbomscan.ingest.spdx2.tagvalue import parse_tag_value

    text = (HERE / "router.spdx").read_text(encoding="utf-8")
    obj, lines = parse_tag_value(text)
    doc = read_spdx2_dict(
        obj, source="router.spdx", sha256=SHA, encoding="tag-value", strict=False, lines=lines
    )
    want = summary(sbomscan.load(HERE / "router.spdx.json"))
    got = summary(doc)
    # the file follows its package: containment comes from position (hasFiles) as well as the relationship
    assert got[0] == want[0] and got[2:] == want[2:]
    assert {e[:3] for e in got[1]} == {e[:3] for e in want[1]}
    assert doc.diagnostics == ()


def test_tag_value_spdx3_version_is_refused() -> None:
    with pytest.raises(MalformedSbomError, match="SPDX 2"):
        sbomscan.load(TV_HEAD.replace("SPDX-2.3", "SPDX-3.0").encode())


def test_tag_value_not_utf8_is_malformed() -> None:
    with pytest.raises(MalformedSbomError, match="UTF-8") as info:
        sbomscan.load((TV_HEAD + "PackageName: caf\xe9\n").encode("latin-1"))
    assert info.value.line == 9


@pytest.mark.parametrize(
    "dtd", ['<!DOCTYPE Document [<!ENTITY x "y">]>', '<!DOCTYPE Document SYSTEM "http://x/d.dtd">']
)
def test_xml_with_dtd_is_refused(dtd: str) -> None:
    data = (HERE / "router.spdx.xml").read_bytes().replace(b"<Document>", dtd.encode() + b"\n<Document>", 1)
    with pytest.raises(MalformedSbomError, match="DTD"):
        sbomscan.load(data)


def test_broken_xml_says_where() -> None:
    data = (HERE / "router.spdx.xml").read_bytes().replace(b"</packages>", b"</package>", 1)
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(data)
    assert info.value.line is not None


def test_xml_single_items_are_lists() -> None:
    doc = sbomscan.load(
        b"<Document><spdxVersion>SPDX-2.3</spdxVersion><SPDXID>SPDXRef-DOCUMENT</SPDXID>"
        b"<packages><SPDXID>SPDXRef-a</SPDXID><name>a</name>"
        b"<externalRefs><referenceCategory>SECURITY</referenceCategory><referenceType>cpe23Type</referenceType>"
        b"<referenceLocator>cpe:2.3:a:hikvision:x:1:*:*:*:*:*:*:*</referenceLocator></externalRefs></packages>"
        b"<documentDescribes>SPDXRef-a</documentDescribes></Document>"
    )
    (a,) = doc.components
    assert a.cpes == ("cpe:2.3:a:hikvision:x:1:*:*:*:*:*:*:*",) and doc.roots == (a.id,)


def test_rdf_spdx_tools_refuses_is_malformed_in_strict_mode_read_leniently() -> None:
    data = (
        (HERE / "router.spdx.rdf.xml")
        .read_bytes()
        .replace(b"<spdx:creator>Tool: handmade</spdx:creator>", b"")
    )
    data = data.replace(b"<spdx:creator>Organization: Acme Widgets GmbH</spdx:creator>", b"")
    with pytest.raises(MalformedSbomError, match="creators"):
        sbomscan.load(data, strict=True)
    # lenient mode: sbomscan's own RDF reader (tests/test_ingest_spdx2_rdf.py) reads the rest
    doc = sbomscan.load(data)
    assert codes(doc)[0] == "spdx-tools-refused" and "creators" in doc.diagnostics[0].message
    assert summary(doc)[0] == summary(sbomscan.load(HERE / "router.spdx.rdf.xml"))[0]


def test_spdx_2_1_tag_value_is_read() -> None:
    text = TV_HEAD.replace("SPDX-2.3", "SPDX-2.1") + (
        "PackageName: old\nSPDXID: SPDXRef-old\nPackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n"
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-old\n"
    )
    doc = sbomscan.load(text.encode())
    assert doc.spec_version == "2.1" and [c.name for c in doc.components] == ["old"]


def _fixture_paths() -> list[Path]:
    return sorted(HERE.iterdir())


def test_fixtures_are_all_used() -> None:
    assert {p.name for p in _fixture_paths()} == {
        "router.spdx.json",
        "router.spdx.yaml",
        "router.spdx",
        "router.spdx.xml",
        "router.spdx.rdf.xml",
        "product.spdx.json",
    }


def test_kinds_are_model_kinds() -> None:
    assert {k for k, _ in DIRECTIONS.values()} <= {k.value for k in EdgeKind}


def test_many_packages_keep_their_own_fields() -> None:
    # the hot loop has shortcuts for one checksum / one external reference: same results
    packages = [
        pkg(
            f"p{i}",
            f"name-{i}",
            versionInfo=f"1.{i}",
            checksums=[{"algorithm": "SHA256", "checksumValue": f"{i:064X}"}],
            externalRefs=[
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": f"pkg:npm/n{i}@1",
                }
                if i % 2
                else {
                    "referenceCategory": "SECURITY",
                    "referenceType": "cpe23Type",
                    "referenceLocator": f"cpe:2.3:a:v:n{i}",
                }
            ],
        )
        for i in range(6)
    ]
    doc = load(spdx(packages, [rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-p0")]))
    for i, c in enumerate(doc.components):
        assert (c.name, c.version, c.hashes) == (f"name-{i}", f"1.{i}", (Hash("SHA-256", f"{i:064x}"),))
        assert (c.purl, c.cpes) == ((f"pkg:npm/n{i}@1", ()) if i % 2 else (None, (f"cpe:2.3:a:v:n{i}",)))


@pytest.mark.parametrize("rtype", [["cpe23Type"], {"t": 1}, 7, None])
def test_non_string_reference_type_is_a_diagnostic(rtype: object) -> None:
    # the one-reference fast path once hashed referenceType and raised TypeError on a list
    pkg = {
        "SPDXID": "SPDXRef-p",
        "name": "p",
        "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": rtype, "referenceLocator": "x"}],
    }
    doc = sbomscan.load(
        orjson.dumps(
            {
                "spdxVersion": "SPDX-2.3",
                "SPDXID": "SPDXRef-DOCUMENT",
                "name": "d",
                "dataLicense": "CC0-1.0",
                "documentNamespace": "https://example.com/d",
                "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: t"]},
                "packages": [pkg],
            }
        )
    )
    (comp,) = [c for c in doc.components if c.name == "p"]
    assert comp.cpes == ()
    assert "bad-external-ref" in {d.code for d in doc.diagnostics}


@pytest.mark.parametrize(
    "spelling", ["NOASSERTION      ", "\u00a0NONE", "\x0bnone", "\u3000noassertion\u2029", "\x1c NONE \x85"]
)
def test_odd_spellings_of_no_value_are_no_value_for_packages_and_files(spelling: str) -> None:
    # str.strip removes every Unicode whitespace character: so does the packages' quick test
    doc = read_spdx2_dict(
        spdx(
            [pkg("app", copyrightText=spelling, licenseConcluded=spelling, versionInfo="1")],
            files=[{"SPDXID": "SPDXRef-f", "fileName": "./f", "copyrightText": spelling}],
        ),
        source="t.json",
        sha256="0" * 64,
        encoding="json",
        strict=False,
    )
    got = {c.ref: (c.copyright, c.licenses) for c in doc.components if c.origin != "synthetic-root"}
    assert got == {"SPDXRef-app": ((), ()), "SPDXRef-f": ((), ())}


def test_the_whitespace_table_is_pythons() -> None:
    from sbomscan.ingest.spdx2.dict import WHITESPACE

    assert sorted(WHITESPACE) == [chr(c) for c in range(0x110000) if chr(c).isspace()]


def _unstyled_xlsx() -> bytes:
    """:func:`router_xlsx` with an empty stylesheet: openpyxl warns ("Workbook contains no
    stylesheet", "no default style") while it opens it."""
    src = zipfile.ZipFile(io.BytesIO(router_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            body = src.read(name)
            if name == "xl/styles.xml":
                body = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
            z.writestr(name, body)
    return out.getvalue()


def test_xlsx_warnings_are_hidden_in_the_reading_threads_only() -> None:
    """24 spreadsheets read on 8 threads while a bystander thread warns: openpyxl's remarks
    about the workbooks reach nobody, every one of the bystander's warnings is shown, and
    the process's warning filters end as they began (but for the one entry that hides the
    readers' warnings, which is never removed). With catch_warnings() around each read,
    threads restored each other's filter lists: "ignore everything" could stay installed."""
    import openpyxl

    from sbomscan.ingest.spdx2 import xlsx

    data = _unstyled_xlsx()
    with warnings.catch_warnings(record=True) as probe:
        warnings.simplefilter("always")
        openpyxl.load_workbook(io.BytesIO(data), read_only=True).close()
    assert any("stylesheet" in str(w.message) for w in probe), "the fixture must make openpyxl warn"
    want = summary(sbomscan.load(router_xlsx(), name="router.xlsx"))
    shown: list[int] = []
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        before = [f for f in warnings.filters if f[3] is not xlsx._QUIET]
        stop = threading.Event()

        def bystander() -> None:
            n = 0
            while not stop.is_set() or n < 50:
                warnings.warn(f"bystander {n}", UserWarning, stacklevel=1)
                n += 1
                time.sleep(0.0002)
            shown.append(n)

        thread = threading.Thread(target=bystander)
        thread.start()
        with ThreadPoolExecutor(8) as pool:
            docs = list(pool.map(lambda i: sbomscan.load(data, name=f"{i}.xlsx"), range(24)))
        stop.set()
        thread.join()
        after = [f for f in warnings.filters if f[3] is not xlsx._QUIET]
    assert all(summary(d) == want for d in docs)
    messages = [str(w.message) for w in rec]
    assert not [m for m in messages if not m.startswith("bystander ")]
    assert len(messages) == shown[0]
    assert after == before


def test_a_user_s_error_filter_does_not_refuse_a_spreadsheet_openpyxl_remarks_on() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = sbomscan.load(_unstyled_xlsx(), name="router.xlsx")
    assert summary(doc) == summary(sbomscan.load(router_xlsx(), name="router.xlsx"))
