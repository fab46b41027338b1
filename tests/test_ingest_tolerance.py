"""Tolerance, with a warning, for real files seen refused or unlinked (issue 8 item 7): a
BOM-Link written ``urn:uuid:<serial>/<version>#ref``, SPDX 2.2 YAML wrapped in a top-level
``Document:`` key, and the legacy ``.xls`` SPDX spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, requires_corpus

import sbomscan
from sbomscan.errors import MalformedSbomError
from sbomscan.graph import build_graph
from sbomscan.model import Component, Document

FIXTURES = Path(__file__).parent / "fixtures"
TIER2 = FIXTURES / "bundles" / "tier2"
YAML = FIXTURES / "spdx2" / "router.spdx.yaml"
XLS = CORPUS / "spdx" / "2.3" / "spec-examples" / "SPDXSpreadsheetExample-v2.3.xls"


def _key(doc: Document, ref: str) -> str:
    return f"{doc.key}#{ref}"


def _content(c: Component) -> Component:
    """A component without what depends on the document's bytes (its id and document key)."""
    return c._replace(id="", document="")


def test_a_bom_link_written_with_urn_uuid_resolves_with_a_warning(tmp_path: Path) -> None:
    docs = {}
    for name in ("isp.cdx.json", "camera.cdx.json", "prime.cdx.json"):
        path = tmp_path / name
        path.write_text((TIER2 / name).read_text().replace("urn:cdx:", "urn:uuid:"))
        docs[name] = sbomscan.load(path)
    g = build_graph(docs.values())
    prime, camera, isp = docs["prime.cdx.json"], docs["camera.cdx.json"], docs["isp.cdx.json"]
    assert not g.unresolved
    assert g.graph.has_edge(_key(prime, "ui"), _key(camera, "video-sdk"))
    assert g.graph.has_edge(_key(camera, "video-sdk"), _key(isp, "isp-driver"))
    assert g.tiers == {isp.key: 2, camera.key: 1, prime.key: 0}
    warned = [d for d in camera.diagnostics if d.code == "uuid-bom-link"]
    assert warned and all(d.severity.value == "warning" and "urn:cdx:" in d.message for d in warned)


def test_an_ordinary_urn_uuid_bom_ref_is_not_taken_for_a_link() -> None:
    bom = (
        b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {"component": '
        b'{"bom-ref": "urn:uuid:11111111-1111-4111-8111-111111111111", "name": "app"}}, "components": '
        b'[{"bom-ref": "urn:uuid:22222222-2222-4222-8222-222222222222", "name": "lib"}], "dependencies": '
        b'[{"ref": "urn:uuid:11111111-1111-4111-8111-111111111111", '
        b'"dependsOn": ["urn:uuid:22222222-2222-4222-8222-222222222222"]}]}'
    )
    doc = sbomscan.load(bom)
    assert len(doc.edges) == 1 and not doc.links
    assert not [d for d in doc.diagnostics if d.code == "uuid-bom-link"]


def test_spdx_2_2_yaml_wrapped_in_document_is_read_with_a_warning() -> None:
    plain = sbomscan.load(YAML)
    body = [line for line in YAML.read_text().splitlines() if not line.startswith("#")]
    wrapped_text = "Document:\n" + "".join(f"  {line}\n" for line in body)
    wrapped = sbomscan.load(wrapped_text.encode(), name="wrapped.spdx.yaml")
    assert (wrapped.format, wrapped.encoding, wrapped.serial) == (plain.format, plain.encoding, plain.serial)
    assert sorted(map(_content, wrapped.components), key=repr) == sorted(
        map(_content, plain.components), key=repr
    )
    (note,) = [d for d in wrapped.diagnostics if d.code == "yaml-document-wrapper"]
    assert note.severity.value == "warning" and note.location == "/Document"
    assert [d.code for d in plain.diagnostics if d.code == "yaml-document-wrapper"] == []


@requires_corpus
def test_the_legacy_xls_spreadsheet_reads_as_its_xlsx_twin() -> None:
    xls = sbomscan.load(XLS)
    xlsx = sbomscan.load(XLS.with_suffix(".xlsx"))
    assert (xls.format, xls.encoding, xls.spec_version) == ("spdx", "xls", "2.3")
    assert len(xls.components) == 10
    assert sorted(map(_content, xls.components), key=repr) == sorted(map(_content, xlsx.components), key=repr)
    assert (xls.name, xls.serial, xls.parties) == (xlsx.name, xlsx.serial, xlsx.parties)
    assert len(xls.edges) == len(xlsx.edges)


def test_a_broken_ole2_file_is_malformed_not_a_crash() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(MalformedSbomError, match=r"not a readable \.xls workbook"):
        sbomscan.load(data)
