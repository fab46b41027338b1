"""No input crashes, hangs or exhausts memory: :func:`sbomscan.load` returns a Document or
raises :class:`~sbomscan.errors.SbomscanError`, whatever it is given.

Covers arbitrary bytes, mutations of small valid documents of every format, the ways an
input can arrive (bytes, path, ``-``, file objects, gzip), the size limit (gzip bombs
included), hostile XML (entity expansion, external entities) and the wording of
``UnsupportedFormatError``. A reader that is not in the tree yet skips its cases with a reason.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib
import io
import signal
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

import sbomscan
from sbomscan.errors import (
    IngestError,
    InputTooLargeError,
    MalformedSbomError,
    SbomscanError,
    UnsupportedFormatError,
)
from sbomscan.model import Document

# -- small valid documents, one per format ---------------------------------------------------

CDX_JSON = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6",
 "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
 "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app", "version": "1.0",
   "supplier": {"name": "Acme Widgets GmbH", "url": ["https://acme.example"]}}},
 "components": [{"type": "library", "bom-ref": "lib", "name": "lib", "version": "2.0",
   "purl": "pkg:npm/lib@2.0", "cpe": "cpe:2.3:a:acme:lib:2.0:*:*:*:*:*:*:*",
   "components": [{"type": "file", "bom-ref": "f", "name": "f.js"}]}],
 "dependencies": [{"ref": "app", "dependsOn": ["lib"]}, {"ref": "lib", "dependsOn": []}]}"""

CDX_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <component type="application" bom-ref="app"><name>app</name><version>1.0</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="lib">
      <supplier><name>Acme Widgets GmbH</name></supplier>
      <name>lib</name><version>2.0</version><purl>pkg:npm/lib@2.0</purl>
      <components><component type="file" bom-ref="f"><name>f.js</name></component></components>
    </component>
  </components>
  <dependencies><dependency ref="app"><dependency ref="lib"/></dependency></dependencies>
</bom>
"""

SPDX_JSON = b"""{"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
 "name": "app", "documentNamespace": "https://sbomscan.example/spdx/app-1.0",
 "creationInfo": {"created": "2026-11-01T00:00:00Z", "creators": ["Tool: handwritten", "Organization: Acme"]},
 "documentDescribes": ["SPDXRef-app"],
 "packages": [
  {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.0", "downloadLocation": "NOASSERTION",
   "supplier": "Organization: Acme Widgets GmbH (ops@acme.example)"},
  {"SPDXID": "SPDXRef-lib", "name": "lib", "versionInfo": "2.0", "downloadLocation": "NOASSERTION",
   "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                     "referenceLocator": "pkg:npm/lib@2.0"}]}],
 "relationships": [{"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON",
                    "relatedSpdxElement": "SPDXRef-lib"}]}"""

SPDX_YAML = b"""spdxVersion: SPDX-2.3
dataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
name: app
documentNamespace: https://sbomscan.example/spdx/app-1.0-yaml
creationInfo:
  created: "2026-11-01T00:00:00Z"
  creators:
    - "Tool: handwritten"
documentDescribes:
  - SPDXRef-app
packages:
  - SPDXID: SPDXRef-app
    name: app
    versionInfo: "1.0"
    downloadLocation: NOASSERTION
    supplier: "Organization: Acme Widgets GmbH"
  - SPDXID: SPDXRef-lib
    name: lib
    versionInfo: "2.0"
    downloadLocation: NOASSERTION
relationships:
  - spdxElementId: SPDXRef-app
    relationshipType: DEPENDS_ON
    relatedSpdxElement: SPDXRef-lib
"""

SPDX_TV = b"""SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: app
DocumentNamespace: https://sbomscan.example/spdx/app-1.0-tv
Creator: Tool: handwritten
Created: 2026-11-01T00:00:00Z

PackageName: app
SPDXID: SPDXRef-app
PackageVersion: 1.0
PackageSupplier: Organization: Acme Widgets GmbH
PackageDownloadLocation: NOASSERTION
FilesAnalyzed: false

PackageName: lib
SPDXID: SPDXRef-lib
PackageVersion: 2.0
PackageDownloadLocation: NOASSERTION
FilesAnalyzed: false
ExternalRef: PACKAGE-MANAGER purl pkg:npm/lib@2.0

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app
Relationship: SPDXRef-app DEPENDS_ON SPDXRef-lib
"""

SPDX3 = b"""{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
 {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2026-11-01T00:00:00Z",
  "createdBy": ["urn:sbomscan:org"]},
 {"type": "Organization", "spdxId": "urn:sbomscan:org", "creationInfo": "_:ci", "name": "Acme Widgets GmbH"},
 {"type": "SpdxDocument", "spdxId": "urn:sbomscan:doc", "creationInfo": "_:ci", "rootElement": ["urn:sbomscan:app"]},
 {"type": "software_Package", "spdxId": "urn:sbomscan:app", "creationInfo": "_:ci", "name": "app",
  "software_packageVersion": "1.0", "suppliedBy": "urn:sbomscan:org"},
 {"type": "software_Package", "spdxId": "urn:sbomscan:lib", "creationInfo": "_:ci", "name": "lib",
  "software_packageUrl": "pkg:npm/lib@2.0"},
 {"type": "Relationship", "spdxId": "urn:sbomscan:rel", "creationInfo": "_:ci", "relationshipType": "dependsOn",
  "from": "urn:sbomscan:app", "to": ["urn:sbomscan:lib"]}]}"""

SPDX_RDF = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#">
  <spdx:SpdxDocument rdf:about="https://sbomscan.example/spdx/app-1.0-rdf#SPDXRef-DOCUMENT">
    <spdx:specVersion>SPDX-2.3</spdx:specVersion>
    <spdx:name>app</spdx:name>
  </spdx:SpdxDocument>
</rdf:RDF>
"""

SEEDS: dict[str, tuple[bytes, str]] = {
    "cyclonedx-json": (CDX_JSON, "sbomscan.ingest.cyclonedx.json"),
    "cyclonedx-xml": (CDX_XML, "sbomscan.ingest.cyclonedx.xml"),
    "spdx-json": (SPDX_JSON, "sbomscan.ingest.spdx2.dict"),
    "spdx-yaml": (SPDX_YAML, "sbomscan.ingest.spdx2.dict"),
    "spdx-tag-value": (SPDX_TV, "sbomscan.ingest.spdx2.tools"),
    "spdx3-jsonld": (SPDX3, "sbomscan.ingest.spdx3.jsonld"),
}
READERS = sorted({m for _, m in SEEDS.values()})


def need(module: str) -> None:
    """Import the reader a test exercises. A renamed or missing module fails the test: it is
    never turned into a skip, which would let a refactoring silently switch the test off."""
    importlib.import_module(module)


def need_all() -> None:
    for m in READERS:
        need(m)


def test_every_reader_module_named_here_exists() -> None:
    """The seeds name the modules that read them; each must import (a rename updates SEEDS)."""
    for m in READERS:
        assert importlib.import_module(m).__name__ == m


# -- a hang guard (not a timing assertion: a generous bound that only a hang reaches) --------


@contextlib.contextmanager
def no_hang(seconds: int = 30) -> Iterator[None]:
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def _fail(signum: int, frame: Any) -> None:
        raise AssertionError(f"input took more than {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, _fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def load_or_refuse(data: bytes, strict: bool = False) -> Document | None:
    """The contract: a Document, or a SbomscanError (returned as None); anything else fails.

    Inside a hypothesis test, an input that would go to a reader not yet in the tree is
    discarded (hypothesis ``reject``) rather than failing for the wrong reason."""
    with no_hang():
        try:
            doc = sbomscan.load(data, strict=strict, max_bytes=1 << 20)
        except SbomscanError as exc:
            assert str(exc), "an error must say what went wrong"
            return None
        except ModuleNotFoundError as exc:
            if (exc.name or "").startswith("sbomscan.ingest.") and currently_in_test_context():
                reject()
            raise
    assert isinstance(doc, Document)
    ids = {c.id for c in doc.components}
    assert len(ids) == len(doc.components)
    assert all(e.source in ids and e.target in ids for e in doc.edges)
    assert not doc.components or doc.roots
    return doc


# -- the seeds themselves are valid ----------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_seed_documents_load(fmt: str) -> None:
    data, module = SEEDS[fmt]
    need(module)
    doc = sbomscan.load(data)
    names = sorted(c.name for c in doc.components if c.origin != "synthetic-root")
    assert {"app", "lib"} <= set(names)


# -- arbitrary bytes --------------------------------------------------------------------------

HEADS = st.sampled_from(
    [
        b"",
        b"{",
        b"[",
        b"<",
        b'{"bomFormat": "CycloneDX", "specVersion": "1.6", ',
        b'{"spdxVersion": "SPDX-2.3", ',
        b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": ',
        b"<?xml version='1.0'?><bom xmlns='http://cyclonedx.org/schema/bom/1.6'>",
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns:spdx='http://spdx.org/rdf/terms#'>",
        b"SPDXVersion: SPDX-2.3\n",
        b"spdxVersion: SPDX-2.3\n",
        b"PK\x03\x04",
        b"\x1f\x8b",
        b"\xef\xbb\xbf",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(HEADS, st.binary(max_size=600), st.booleans())
def test_arbitrary_bytes(head: bytes, tail: bytes, strict: bool) -> None:
    load_or_refuse(head + tail, strict=strict)


# -- mutations of valid documents -------------------------------------------------------------

EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate", "swap-lines"]),
        st.integers(0, 4000),
        st.integers(1, 40),
        st.binary(min_size=0, max_size=6)
        | st.sampled_from([b"{", b"}", b"[", b"]", b'"', b"<", b">", b"\n", b":", b"&", b"\x00", b"\xff"]),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, edits: list[tuple[str, int, int, bytes]]) -> bytes:
    for op, pos, length, chunk in edits:
        pos %= max(len(data), 1)
        if op == "delete":
            data = data[:pos] + data[pos + length :]
        elif op == "insert":
            data = data[:pos] + chunk + data[pos:]
        elif op == "replace":
            data = data[:pos] + chunk + data[pos + len(chunk) :]
        elif op == "truncate":
            data = data[:pos]
        elif op == "duplicate":
            data = data[:pos] + data[pos : pos + length] * 3 + data[pos:]
        else:
            lines = data.split(b"\n")
            i, j = pos % len(lines), (pos + length) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
    return data


@pytest.mark.parametrize("fmt", sorted(SEEDS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS, strict=st.booleans())
def test_byte_mutations(fmt: str, edits: list[tuple[str, int, int, bytes]], strict: bool) -> None:
    data, module = SEEDS[fmt]
    need(module)
    load_or_refuse(mutate(data, edits), strict=strict)


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
        st.sampled_from(["", "NOASSERTION", "SPDXRef-lib", "lib", "app", "pkg:", "urn:sbomscan:lib", "_:ci"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any, op: str) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "wrap":
        parent[last] = [parent[last]]
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    else:
        parent[last] = value
    return doc


JSON_SEEDS = ["cyclonedx-json", "spdx-json", "spdx3-jsonld"]


@pytest.mark.parametrize("fmt", JSON_SEEDS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, 10_000), st.sampled_from(["set", "delete", "wrap", "duplicate"]), JSON_VALUES
        ),
        min_size=1,
        max_size=3,
    ),
    strict=st.booleans(),
)
def test_json_structure_mutations(fmt: str, edits: list[tuple[int, str, Any]], strict: bool) -> None:
    data, module = SEEDS[fmt]
    need(module)
    doc = orjson.loads(data)
    for pick, op, value in edits:
        paths = _paths(doc)
        doc = _set(doc, paths[pick % len(paths)], value, op)
    load_or_refuse(orjson.dumps(doc), strict=strict)


# -- how inputs arrive ------------------------------------------------------------------------


def test_gzip_input_of_every_format() -> None:
    for fmt, (data, module) in SEEDS.items():
        need(module)
        plain = sbomscan.load(data)
        zipped = sbomscan.load(gzip.compress(data))
        assert [c.name for c in zipped.components] == [c.name for c in plain.components], fmt
        # the document key is the content's, not the wrapper's
        assert zipped.key == plain.key


def test_gzip_with_several_members() -> None:
    data = gzip.compress(SPDX3[:100]) + gzip.compress(SPDX3[100:])
    assert [c.name for c in sbomscan.load(data).components] == ["app", "lib"]


def test_truncated_gzip_is_malformed() -> None:
    with pytest.raises(MalformedSbomError, match="gzip"):
        sbomscan.load(gzip.compress(SPDX3)[:-20])


@pytest.mark.parametrize("fmt", JSON_SEEDS)
def test_json_with_a_byte_order_mark(fmt: str) -> None:
    data, module = SEEDS[fmt]
    need(module)
    plain = sbomscan.load(data)
    with_bom = sbomscan.load(b"\xef\xbb\xbf" + data)
    assert [c.name for c in with_bom.components] == [c.name for c in plain.components]


def test_path_and_name(tmp_path: Path) -> None:
    p = tmp_path / "bom.weird-extension"
    p.write_bytes(SPDX3)
    doc = sbomscan.load(p)
    assert doc.source == str(p)
    assert sbomscan.load(str(p), name="shown.json").source == "shown.json"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as info:
        sbomscan.load(tmp_path / "absent.json")
    assert "absent.json" in str(info.value)
    with pytest.raises(IngestError, match="directory"):
        sbomscan.load(tmp_path)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(gzip.compress(SPDX3))

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    doc = sbomscan.load("-")
    assert doc.source == "<stdin>"
    assert sorted(c.name for c in doc.components) == ["app", "lib"]


def test_file_objects() -> None:
    doc = sbomscan.load(io.BytesIO(SPDX3))
    assert sorted(c.name for c in doc.components) == ["app", "lib"]
    with pytest.raises(IngestError, match="binary mode"):
        sbomscan.load(io.StringIO(SPDX3.decode()))  # type: ignore[arg-type]


class _Trickle(io.RawIOBase):
    """A raw stream that hands out a few bytes per read, as pipes and sockets may."""

    def __init__(self, data: bytes, step: int = 7) -> None:
        self.data, self.step = data, step

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        n = min(len(buf), self.step, len(self.data))
        buf[:n], self.data = self.data[:n], self.data[n:]
        return n


def test_short_reads_are_read_to_the_end() -> None:
    for data in (SPDX3, gzip.compress(SPDX3)):
        doc = sbomscan.load(_Trickle(data))  # type: ignore[arg-type]
        assert sorted(c.name for c in doc.components) == ["app", "lib"]
    with pytest.raises(InputTooLargeError):
        sbomscan.load(_Trickle(SPDX3), max_bytes=len(SPDX3) - 1)  # type: ignore[arg-type]


def test_reading_a_small_file_does_not_reserve_the_size_limit(tmp_path: Path) -> None:
    # read(max_bytes + 1) would allocate the whole 2 GiB default limit for a 1 kB file
    p = tmp_path / "bom.json"
    p.write_bytes(SPDX3)
    tracemalloc.start()
    try:
        for source in (p, io.BytesIO(SPDX3), _Trickle(SPDX3)):
            sbomscan.load(source)  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, f"peak {peak} bytes"


WIDE_ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"]


@pytest.mark.parametrize("fmt", sorted(SEEDS))
@pytest.mark.parametrize("encoding", WIDE_ENCODINGS)
def test_utf16_and_utf32_inputs_read_like_utf8(fmt: str, encoding: str) -> None:
    # Windows PowerShell 5 writes `>` redirections as UTF-16LE with a byte order mark
    data, module = SEEDS[fmt]
    need(module)
    text = data.decode("utf-8")
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        text = text.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    want = sbomscan.load(data)
    got = sbomscan.load(text.encode(encoding))

    def same(doc: Document) -> tuple[object, ...]:
        # everything but the document key, which is the hash of the bytes as given
        local = doc.key + "#"
        comps = [
            c._replace(id=c.ref, document="", name=c.name.replace(doc.source, "")) for c in doc.components
        ]
        edges = [(e.source.replace(local, ""), e.target.replace(local, ""), e.kind) for e in doc.edges]
        return comps, edges, doc.parties, [d.code for d in doc.diagnostics]

    assert same(got) == same(want)


@pytest.mark.parametrize("encoding", ["utf-8", *WIDE_ENCODINGS])
def test_json_error_columns_count_characters(encoding: str) -> None:
    # the column a person sees in an editor, whatever the encoding: not UTF-8 or UTF-16 units
    text = '{"bomFormat": "CycloneDX",\n "сайт": "日本語 😀", oops}'
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(text.encode(encoding), name="bom.json")
    line2 = text.splitlines()[1]
    assert (info.value.line, info.value.column) == (2, line2.index("oops") + 1) == (2, 19)


def test_broken_utf16_says_where() -> None:
    with pytest.raises(MalformedSbomError, match="UTF-16-LE") as info:
        sbomscan.load("{}".encode("utf-16") + b"\x00\xd8", name="win.json")
    assert "win.json" in str(info.value) and "byte" in str(info.value)


# -- size limits ------------------------------------------------------------------------------


def test_max_bytes_for_every_kind_of_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = len(SPDX3) - 1
    p = tmp_path / "bom.json"
    p.write_bytes(SPDX3)

    class FakeStdin:
        buffer = io.BytesIO(SPDX3)

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    for source in (SPDX3, p, io.BytesIO(SPDX3), "-"):
        with pytest.raises(InputTooLargeError, match=str(limit)):
            sbomscan.load(source, max_bytes=limit)
    assert sbomscan.load(SPDX3, max_bytes=len(SPDX3)).components


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b" " * (4 << 20), compresslevel=9)
    assert len(bomb) < 8 << 10
    for source in (bomb, io.BytesIO(bomb)):
        with pytest.raises(InputTooLargeError, match="decompressed"):
            sbomscan.load(source, max_bytes=100_000)


class _EndlessGzip(io.RawIOBase):
    """A stream that never ends: a reader that asks for "everything" would never return."""

    def __init__(self) -> None:
        self.head = gzip.compress(b"x")[:10]
        self.unbounded_reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            self.unbounded_reads += 1
            raise AssertionError("read() without a size on an unbounded stream")
        out, self.head = self.head[:size], self.head[size:]
        return out + b"\x00" * (size - len(out))


def test_endless_compressed_stream_is_refused() -> None:
    stream = _EndlessGzip()
    with pytest.raises((InputTooLargeError, MalformedSbomError)):
        sbomscan.load(stream, max_bytes=10_000)  # type: ignore[arg-type]
    assert stream.unbounded_reads == 0


# -- hostile XML ------------------------------------------------------------------------------

LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
DTD_LAUGHS = f'<!DOCTYPE r [<!ENTITY lol0 "lol">{LAUGHS}]>'
DTD_XXE = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'

CDX_XML_HOSTILE = (
    '<?xml version="1.0"?>\n{dtd}\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>'
    '<component type="library"><name>{ref}</name></component></components></bom>'
)
RDF_HOSTILE = (
    '<?xml version="1.0"?>\n{dtd}\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument rdf:about="https://x.example/d#SPDXRef-DOCUMENT">'
    "<spdx:specVersion>SPDX-2.3</spdx:specVersion><spdx:name>{ref}</spdx:name></spdx:SpdxDocument></rdf:RDF>"
)


@pytest.mark.parametrize(
    ("template", "module"),
    [(CDX_XML_HOSTILE, "sbomscan.ingest.cyclonedx.xml"), (RDF_HOSTILE, "sbomscan.ingest.spdx2.tools")],
    ids=["cyclonedx-xml", "spdx-rdf-xml"],
)
@pytest.mark.parametrize(("dtd", "ref"), [(DTD_LAUGHS, "&lol9;"), (DTD_XXE, "&xxe;")], ids=["laughs", "xxe"])
@pytest.mark.parametrize("strict", [False, True])
def test_hostile_xml_is_refused(template: str, module: str, dtd: str, ref: str, strict: bool) -> None:
    need(module)
    data = template.format(dtd=dtd, ref=ref).encode()
    with no_hang(), pytest.raises(MalformedSbomError) as info:
        sbomscan.load(data, strict=strict)
    assert "<bytes>" in str(info.value)


def test_yaml_alias_bomb_does_not_expand() -> None:
    """YAML's answer to billion laughs: aliases of aliases, 10 ** 24 packages if walked."""
    need("sbomscan.ingest.spdx2.dict")
    lines = [
        "spdxVersion: SPDX-2.3",
        "SPDXID: SPDXRef-DOCUMENT",
        "name: x",
        "documentNamespace: https://sbomscan.example/bomb",
        "a0: &a0 {SPDXID: SPDXRef-p, name: p, downloadLocation: NOASSERTION}",
    ]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 25)]
    lines.append("packages: *a24")
    for strict in (False, True):
        doc = load_or_refuse("\n".join(lines).encode(), strict=strict)
        assert doc is None or len(doc.components) < 1000


# -- what UnsupportedFormatError says ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            b'{"name": "x", "version": "1", "dependencies": {}}',
            "a JSON object of 3 keys with no bomFormat, spdxVersion or @context key — not CycloneDX or SPDX",
        ),
        (b"{}", "an empty JSON object with no bomFormat"),
        (
            b'{"bomFormat": "AnotherFormat", "specVersion": "1.5"}',
            "JSON object whose bomFormat is 'AnotherFormat', not 'CycloneDX'",
        ),
        (b"[1, 2, 3]", "a JSON array of 3 items with no bomFormat"),
        (
            b"<html><body/></html>",
            "XML whose root element is not <bom>, <rdf:RDF> or an SPDX <Document> — not CycloneDX or SPDX",
        ),
        (
            b'<?xml version="1.0"?><!-- c --><project xmlns="http://maven.apache.org/POM/4.0.0"/>',
            "XML whose root element is not <bom>",
        ),
        (
            b"requests==2.31.0\nurllib3==2.0.7\n",
            "text with no SPDXVersion (tag-value) or spdxVersion (YAML) line — not CycloneDX or SPDX",
        ),
        (b"\x7fELF\x02\x01\x01\x00", "looks like an ELF executable — not CycloneDX or SPDX"),
        (b"   \n\t ", "the input is only blank space"),
    ],
    ids=[
        "json-keys",
        "json-empty",
        "json-bomformat",
        "json-array",
        "xml",
        "xml-ns",
        "text",
        "binary",
        "empty",
    ],
)
def test_unsupported_format_says_what_it_saw(data: bytes, said: str) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        sbomscan.load(data, name="input.bin")
    assert said in str(info.value)
    assert str(info.value).startswith("input.bin: ")


def test_invalid_json_says_where() -> None:
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(b'{"bomFormat": "CycloneDX",\n "specVersion": }')
    assert info.value.line == 2 and "invalid JSON" in str(info.value)


def test_deep_nesting_is_refused_or_read() -> None:
    need_all()
    for head in (b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ', b""):
        load_or_refuse(head + b"[" * 5000 + b"]" * 5000 + (b"}" if head else b""))
    deep_xml = (
        b'<bom xmlns="http://cyclonedx.org/schema/bom/1.6">' + b"<a>" * 5000 + b"</a>" * 5000 + b"</bom>"
    )
    load_or_refuse(deep_xml)
    nested = b'{"type": "software_Package", "spdxId": "urn:x", "name": "x", "suppliedBy": ' + (
        b'{"type": "Organization", "spdxId": "urn:o", "name": "o", "creationInfo": ' * 200
    )
    load_or_refuse(nested + b"null" + b"}" * 200 + b"}")
