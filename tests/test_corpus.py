"""Every file of the developer corpus, read the way its MANIFEST says it should be read.

The corpus (``../shared/corpus``, ~950 real SBOMs written by others) is not shipped with
sbomscan; these tests skip with a reason when it is absent. Its ``MANIFEST.md`` labels
each file ``valid`` or ``invalid`` and gives the number of components the document
declares (nested ones counted). For each file:

- a ``valid`` file loads leniently without any exception and yields at least as many
  components as it declares (SPDX 2.1 where spdx-tools cannot read it may be refused with
  an ``IngestError`` that says why; the legacy binary XLS spreadsheet is read, with xlrd);
- a ``valid`` file loads in strict mode too, except the ones listed in ``STRICT_REFUSES``
  with the rule each breaks (its validator's verdict, or a graph rule of ours); a listed file
  that starts loading, or an unlisted one refused, fails — a wrongly refused file is caught;
- an ``invalid`` file (``skip_invalid-*`` and ``informal-invalid-*`` included) is refused in
  strict mode with an ``IngestError``, and leniently is read or refused with an
  ``IngestError`` naming it — never another exception.

These are the corpus's only smoke tests; the per-format corpus tests check what only their
format promises.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import CORPUS, requires_corpus

import sbomscan
from sbomscan.errors import IngestError

pytestmark = requires_corpus


class Entry(NamedTuple):
    path: Path
    format: str
    version: str
    expect: str
    declared: int | None


def _manifest() -> list[Entry]:
    manifest = CORPUS / "MANIFEST.md"
    if not manifest.is_file():
        return []
    entries = []
    in_files = False
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.startswith("## Files"):
            in_files = True
            continue
        if not in_files or not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        comps = cells[5]
        entries.append(
            Entry(
                path=CORPUS / cells[0].strip("`"),
                format=cells[1],
                version=cells[2],
                expect=cells[3],
                declared=int(comps) if comps.isdigit() else None,
            )
        )
    return entries


ENTRIES = _manifest()
VALID = [e for e in ENTRIES if e.expect.startswith("valid")]
INVALID = [e for e in ENTRIES if e.expect.startswith("invalid")]


def _ids(entries: list[Entry]) -> list[str]:
    return [str(e.path.relative_to(CORPUS)) for e in entries]


def test_manifest_was_read() -> None:
    assert len(ENTRIES) > 900, "MANIFEST.md's Files table could not be read"
    assert all(e.path.is_file() for e in ENTRIES)


def _may_refuse(entry: Entry) -> bool:
    """Inputs a correct reader may refuse with a clear error instead of reading."""
    return entry.version == "2.1"


@pytest.mark.parametrize("entry", VALID, ids=_ids(VALID))
def test_valid_file_loads(entry: Entry) -> None:
    try:
        doc = sbomscan.load(entry.path)
    except IngestError as exc:
        if _may_refuse(entry):
            assert str(entry.path) in str(exc) and exc.reason
            return
        raise
    real = [c for c in doc.components if c.origin != "synthetic-root"]
    if entry.declared is not None:
        assert len(real) >= entry.declared, f"{len(real)} components read, {entry.declared} declared"
    if doc.declared_components is not None and entry.declared is not None:
        assert doc.declared_components >= entry.declared
    assert doc.roots or not doc.components, "every document with components has at least one root"
    assert set(doc.roots) <= {c.id for c in doc.components}, "roots are components of the document"
    ids = {c.id for c in doc.components}
    assert len(ids) == len(doc.components), "component ids are unique"
    assert all(e.source in ids and e.target in ids for e in doc.edges)


@pytest.mark.parametrize("entry", INVALID, ids=_ids(INVALID))
def test_invalid_file_is_refused_in_strict_mode(entry: Entry) -> None:
    with pytest.raises(IngestError) as info:
        sbomscan.load(entry.path, strict=True)
    assert str(entry.path) in str(info.value)


@pytest.mark.parametrize("entry", INVALID, ids=_ids(INVALID))
def test_invalid_file_is_read_or_refused_clearly_leniently(entry: Entry) -> None:
    try:
        sbomscan.load(entry.path)
    except IngestError as exc:
        assert str(entry.path) in str(exc) and exc.reason


# Valid files that strict mode refuses, with the rule each breaks. Every other valid file must
# load in strict mode, and each of these must stay refused: the list is the documentation.
STRICT_REFUSES: dict[str, str] = {
    "cyclonedx/1.4/valid/bom-examples/OBOM/Example-1-Decoupled/bom.json": "schema: URLs with unexpanded ${...} are not iri-references",
    "cyclonedx/1.5/valid/trustify/loop.json": "dependency names a ref that is not in the document",
    "cyclonedx/1.5/valid/trustify/simple-ext-a.json": "serialNumber is not a urn:uuid",
    "cyclonedx/1.5/valid/trustify/simple-ext-b.json": "serialNumber is not a urn:uuid",
    "spdx/2.1/ntia-real-world/spdx_sample_07.spdx": "SPDX 2.1: spdx-tools does not validate it",
    "spdx/2.2/spdx-examples/software/example9/spdx2.2/appbomination.spdx.json": "spdx-tools: file CONTAINED_BY a package",
    "spdx/2.2/spec-examples/SPDXSpreadsheetExample-v2.2.xlsx": "spdx-tools: snippet range missing",
    "spdx/2.2/trustify/loop.json": "spdx-tools: actor 'Trustify' has no type",
    "spdx/2.2/trustify/simple-ext-a.json": "spdx-tools: actor 'Trustify' has no type",
    "spdx/2.2/trustify/simple-ext-b.json": "spdx-tools: actor 'Trustify' has no type",
    "spdx/2.3/spdx-examples/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json": "spdx-tools: licence reference not declared",
    "spdx/2.3/spec-examples/SPDXSpreadsheetExample-v2.3.xls": "spdx-tools: snippet range missing",
    "spdx/2.3/spec-examples/SPDXSpreadsheetExample-v2.3.xlsx": "spdx-tools: snippet range missing",
    "spdx/2.3/tools-python/file_to_test_rdf_parser.rdf.xml": "spdx-tools: licence reference not declared",
    "wild/apko/curl.spdx.json": "spdx-tools: file names not relative",
    "wild/cdxgen/bom-metadata-components.json": "dependencies name refs that are not in the document",
    "wild/fossology/SPDX2TV_PyYAML-6.0.tar.gz.spdx.tag": "spdx-tools: LicenseRef with a character outside its grammar",
    "wild/github-dependency-graph/kubernetes_kubernetes_d61cbac69aae97db1839bd2e0e86d68f26b353a7.json": "spdx-tools: SPDXID with '+'",
    "wild/ko/go-spdx-multi-arch_1.json": "spdx-tools: download location 'https://'",
    "wild/microsoft-sbom-tool/spdx_3.0/manifest.spdx.json": "SPDX 3.0.1 bindings: unknown context URL",
    "wild/openembedded/recipe-python3-pyyaml.spdx.json": "spdx-tools: external reference type given as a URL",
    "wild/openembedded/runtime-python3-pyyaml-dbg.spdx.json": "spdx-tools: DESCRIBED_BY with several packages",
    "wild/openembedded/runtime-python3-pyyaml-dev.spdx.json": "spdx-tools: DESCRIBED_BY with several packages",
    "wild/openembedded/runtime-python3-pyyaml-src.spdx.json": "spdx-tools: DESCRIBED_BY with several packages",
    "wild/openembedded/runtime-python3-pyyaml.spdx.json": "spdx-tools: DESCRIBED_BY with several packages",
    "wild/redhat/image_index_variants/ubi9-micro-container-9.4-6.1716471860.spdx.json": "spdx-tools: checksum of 63 digits",
    "wild/redhat/image_index_variants/ubi9-micro-container-9.4-6.1716471860_amd64.spdx.json": "spdx-tools: checksum of 63 digits",
    "wild/redhat/product_component/RHEL-8.10.0.Z_curl@7.61.1-34.el8_10.2.json": "bom-ref used by more than one element",
    "wild/redhat/product_component/openssl-3.0.7-18.el9_2.cdx.json": "bom-ref used by more than one element",
    "wild/redhat/product_component/openssl-3.0.7-18.el9_2.spdx.json": "spdx-tools: SPDXID with '_'",
    "wild/redhat/product_component/rhel-9.2-eus.spdx.json": "spdx-tools: checksum with a non-hex digit",
    "wild/sbom4python/sbom4python.cdx.json": "schema: property value null",
    "wild/sbom4python/sbom4python.spdx.json": "spdx-tools: creator tool version '3.25.0' refused",
    "wild/scancode/gnu_time-v1.9.spdx.tag": "spdx-tools: licence exception used as a licence",
    "wild/scancode/serve-1.0.0.spdx.tag": "spdx-tools: DESCRIBED_BY with several packages",
    "wild/source-auditor/AppBomInation-SourceAndDependency.spdx (1).json": "spdx-tools: file CONTAINED_BY a package",
    "wild/source-auditor/AppBomInation-SourceAndDependency.spdx.rdf.xml": "spdx-tools: file CONTAINED_BY a package",
    "wild/source-auditor/AppBomInation-SourceAndDependency.spdx.tag": "spdx-tools: file CONTAINED_BY a package",
    "wild/source-auditor/AppBomInation-SourceAndDependency.spdx.yaml": "spdx-tools: file CONTAINED_BY a package",
    "wild/syft/alpine-spdx.json": "spdx-tools: files without checksums",
    "wild/syft/test-linked.spdx.json": "spdx-tools: DESCRIBED_BY with several packages",
    "wild/tern/appbomination_container.spdx.json": "spdx-tools: SPDXID with '_'",
    "wild/trivy/trivy-0.42.1_mageia-5.1.spdx.json": "spdx-tools: licence names that are not SPDX ids",
    "wild/vcpkg/spdx_sample_12.json": "spdx-tools: SPDX 2.2 mandatory file fields missing",
}


def test_strict_refusals_are_corpus_files() -> None:
    valid = {str(e.path.relative_to(CORPUS)) for e in VALID}
    assert set(STRICT_REFUSES) <= valid


@pytest.mark.parametrize("entry", VALID, ids=_ids(VALID))
def test_valid_file_in_strict_mode(entry: Entry) -> None:
    rule = STRICT_REFUSES.get(str(entry.path.relative_to(CORPUS)))
    if rule is None:
        sbomscan.load(entry.path, strict=True)
        return
    with pytest.raises(IngestError) as info:
        sbomscan.load(entry.path, strict=True)
    assert str(entry.path) in str(info.value), rule
