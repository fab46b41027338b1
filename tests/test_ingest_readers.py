"""The one table of readers (:mod:`sbomscan.ingest.readers`): every encoding detection names
is a row, every row is reached from a real document of its encoding, and reading goes through
the table alone — replacing or adding a row changes what is read, with no other dispatch to
update (docs/architecture.md, "How to add an input encoding")."""

from __future__ import annotations

import datetime
import hashlib
import inspect
import sys
import tracemalloc
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS
from test_ingest_spdx2 import router_xlsx

import sbomscan
from sbomscan.errors import UnsupportedFormatError
from sbomscan.ingest import detect as detect_module
from sbomscan.ingest import readers
from sbomscan.ingest.builder import DocumentBuilder
from sbomscan.ingest.detect import detect
from sbomscan.ingest.readers import READERS, Reader, reader
from sbomscan.model import Document

FIXTURES = Path(__file__).parent / "fixtures"
XLS = CORPUS / "spdx" / "2.3" / "spec-examples" / "SPDXSpreadsheetExample-v2.3.xls"


def _file(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        if not path.is_file():
            pytest.skip(f"{path} is not here (the developer corpus)")
        return path.read_bytes()

    return read


SAMPLES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    # key: (a real document of that encoding, Document.format, Document.encoding)
    "cyclonedx-json": (_file(FIXTURES / "cyclonedx" / "full-1.6.json"), "cyclonedx", "json"),
    "cyclonedx-xml": (_file(FIXTURES / "cyclonedx" / "full-1.6.xml"), "cyclonedx", "xml"),
    "spdx2-json": (_file(FIXTURES / "spdx2" / "router.spdx.json"), "spdx", "json"),
    "spdx2-yaml": (_file(FIXTURES / "spdx2" / "router.spdx.yaml"), "spdx", "yaml"),
    "spdx2-tag-value": (_file(FIXTURES / "spdx2" / "router.spdx"), "spdx", "tag-value"),
    "spdx2-rdf-xml": (_file(FIXTURES / "spdx2" / "router.spdx.rdf.xml"), "spdx", "rdf-xml"),
    "spdx2-xml": (_file(FIXTURES / "spdx2" / "router.spdx.xml"), "spdx", "xml"),
    "spdx2-xlsx": (router_xlsx, "spdx", "xlsx"),
    "spdx2-xls": (_file(XLS), "spdx", "xls"),
    "spdx3-jsonld": (_file(FIXTURES / "spdx3" / "product.spdx3.json"), "spdx", "json-ld"),
}


def test_every_row_has_a_sample_here() -> None:
    # a new row without a document of its encoding in SAMPLES fails here
    assert set(SAMPLES) == set(READERS)
    assert all(key == row.key for key, row in READERS.items())


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_each_encoding_is_detected_as_its_row_and_read_by_it(key: str) -> None:
    make, fmt, encoding = SAMPLES[key]
    data = make()
    found, payload = detect(data, source="t")
    assert found == key
    # a JSON row is handed the value detection decoded (never the bytes: one decode);
    # every other row the bytes
    assert isinstance(payload, bytes) is (READERS[key].takes == "bytes")
    doc = sbomscan.load(data, name=f"sample-{key}")
    assert (doc.format, doc.encoding) == (fmt, encoding)
    assert doc.components and doc.roots


@pytest.mark.parametrize("key", sorted(READERS))
def test_each_row_names_a_function_called_the_one_way(key: str) -> None:
    read = reader(key)
    params = inspect.signature(read).parameters
    first, *rest = params.values()
    assert first.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    keyword = {p.name for p in rest if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert {"source", "sha256", "strict"} <= keyword
    required = {p.name for p in rest if p.default is inspect.Parameter.empty}
    assert required <= {"source", "sha256", "strict"}, f"{key}: the table passes no {required}"


def _register(monkeypatch: pytest.MonkeyPatch, function: Callable[..., Document]) -> str:
    module = types.ModuleType("sbomscan_test_reader")
    module.read = function  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module.__name__


def _marker(payload: Any, *, source: str, sha256: str, strict: bool) -> Document:
    b = DocumentBuilder(source=source, sha256=sha256, format="test", encoding="test", spec_version="0")
    b.add_root(b.add_component("marker", name=f"read {type(payload).__name__} strict={strict}", pointer=None))
    return b.finish()


def test_reading_goes_through_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # the tag-value row pointed elsewhere: load() follows the row, nothing else dispatches
    module = _register(monkeypatch, _marker)
    monkeypatch.setitem(READERS, "spdx2-tag-value", Reader("spdx2-tag-value", "bytes", module, "read"))
    doc = sbomscan.load(FIXTURES / "spdx2" / "router.spdx", strict=True)
    assert doc.format == "test" and [c.name for c in doc.components] == ["read bytes strict=True"]
    # its SHA-1 and SHA-256 are still taken by ingest, whatever the reader
    assert doc.sha1 is not None and len(doc.sha1) == 40 and len(doc.sha256) == 64


def test_a_new_encoding_is_one_row_and_one_detection_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # a made-up encoding: detect names a new key for the JSON it recognises, the table
    # gains a row, and load() reads it — with no other change anywhere
    data = b'{"made-up-sbom": 1}'
    with pytest.raises(UnsupportedFormatError):
        sbomscan.load(data)
    original = detect_module._json_key

    def json_key(obj: Any, *, source: str) -> str:
        return (
            "made-up-json"
            if isinstance(obj, dict) and "made-up-sbom" in obj
            else original(obj, source=source)
        )

    monkeypatch.setattr(detect_module, "_json_key", json_key)
    module = _register(monkeypatch, _marker)
    monkeypatch.setitem(READERS, "made-up-json", Reader("made-up-json", "json", module, "read"))
    doc = sbomscan.load(data)
    assert [c.name for c in doc.components] == ["read dict strict=False"]
    assert readers.READERS is READERS  # the table load() read is the one patched here


@pytest.mark.parametrize("padding", [0, 1 << 22])
def test_the_sha1_and_sha256_are_of_the_bytes_read(padding: int) -> None:
    # 4 MiB and more: the SHA-1 is computed on another thread while the document is read
    data = (FIXTURES / "spdx2" / "router.spdx.json").read_bytes() + b" " * padding
    doc = sbomscan.load(data)
    assert doc.sha1 == hashlib.sha1(data).hexdigest()
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("how", ["load", "scan"])
def test_load_drops_the_input_bytes_once_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    # load() of a file hands the bytes down and keeps no reference: while a JSON row's
    # reader runs they are freed (issue 9: the SPDX 3 peak was the bytes, the decoded tree
    # and the records at once). Padded to 3 MiB, under the SHA-1 thread's threshold, so
    # the hash is done before the read rather than beside it.
    pad = 3 << 20
    path = tmp_path / "padded.spdx.json"
    path.write_bytes((FIXTURES / "spdx2" / "router.spdx.json").read_bytes() + b" " * pad)
    held: list[int] = []

    def measuring(payload: Any, *, source: str, sha256: str, strict: bool) -> Document:
        held.append(tracemalloc.get_traced_memory()[0] - start)
        return _marker(payload, source=source, sha256=sha256, strict=strict)

    monkeypatch.setitem(
        READERS, "spdx2-json", Reader("spdx2-json", "json", _register(monkeypatch, measuring), "read")
    )
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        if how == "load":
            doc = sbomscan.load(path)
        else:  # a scan's bundle reader hands the bytes down the same way
            (doc,) = sbomscan.scan([path], as_of=datetime.date(2026, 1, 1)).documents
    finally:
        tracemalloc.stop()
    assert doc.format == "test" and doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    # a scan has read its entity data by then (about 1 MB); the bytes would be 3 MiB more
    assert len(held) == 1 and held[0] < (pad // 4 if how == "load" else pad // 2), held
