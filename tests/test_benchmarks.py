"""The benchmark generators write one product in every encoding.

``benchmarks/bench_ingest.py`` compares formats by their ratios to a raw parse; that only
means something if each encoding holds the same components, suppliers, identifiers and
edges. These tests read each generated encoding and compare them.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import sbomscan
from sbomscan.entities import load_entities
from sbomscan.match import Matcher
from sbomscan.model import Document

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
pytestmark = pytest.mark.skipif(
    not (BENCH / "generate.py").is_file(), reason="benchmarks/ is not in this installation"
)


def _generators() -> dict[str, Callable[[int], bytes]]:
    spec = importlib.util.spec_from_file_location("sbomscan_bench_generate", BENCH / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return dict(module.GENERATORS)


N = 1200  # enough for every kind of covered-vendor hit (one every N // 3 components)


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {fmt: sbomscan.load(gen(N), name=f"bench.{fmt}") for fmt, gen in _generators().items()}


def _local(doc: Document, cid: str) -> str:
    """A component id without its document key and format-specific prefix."""
    ref = cid.split("#", 1)[1]
    return ref.rsplit("/", 1)[-1].removeprefix("SPDXRef-")


def test_every_encoding_is_generated(documents: dict[str, Document]) -> None:
    assert set(documents) == {
        "cyclonedx.json",
        "cyclonedx.xml",
        "spdx.json",
        "spdx3.jsonld",
        "spdx.tag-value.spdx",
    }


def test_every_encoding_reads_cleanly(documents: dict[str, Document]) -> None:
    for fmt, doc in documents.items():
        assert [d.code for d in doc.diagnostics] == [], fmt
        assert len(doc.roots) == 1 and not doc.synthetic_root, fmt


def test_every_encoding_holds_the_same_components(documents: dict[str, Document]) -> None:
    def view(doc: Document) -> list[tuple[object, ...]]:
        return sorted(
            (
                c.name,
                c.version,
                c.purl,
                c.cpes,
                tuple(p.name for p in c.parties if p.role == "supplier"),
                tuple(h.value for h in c.hashes),
            )
            for c in doc.components
        )

    want = view(documents["cyclonedx.json"])
    assert len(want) == N + 1
    for fmt, doc in documents.items():
        assert view(doc) == want, fmt


def test_every_encoding_holds_the_same_edges(documents: dict[str, Document]) -> None:
    # the generator draws some dependencies twice: every format keeps such an edge once
    def edges(doc: Document) -> list[tuple[str, str, str]]:
        return sorted(
            (_local(doc, e.source), e.kind.value, _local(doc, e.target))
            for e in doc.edges
            if e.kind.value in ("contains", "depends_on")
        )

    want = edges(documents["cyclonedx.json"])
    assert len(want) > N
    for fmt, doc in documents.items():
        assert edges(doc) == want, fmt


def test_every_encoding_matches_the_same_entities(documents: dict[str, Document]) -> None:
    matcher = Matcher(load_entities(), as_of=date(2026, 1, 1))
    found = {
        fmt: sorted((_local(doc, m.component_id), m.entity_id) for m in matcher.match_document(doc))
        for fmt, doc in documents.items()
    }
    assert {e for _, e in found["cyclonedx.json"]} >= {"kaspersky", "huawei", "hikvision"}
    for fmt, hits in found.items():
        assert hits == found["cyclonedx.json"], fmt


def test_spdx3_encoding_is_valid_spdx_3() -> None:
    doc = sbomscan.load(_generators()["spdx3.jsonld"](50), strict=True)
    assert len(doc.components) == 51
