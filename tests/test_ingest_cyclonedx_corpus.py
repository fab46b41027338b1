"""The CycloneDX part of the developer corpus, in detail (``tests/test_corpus.py`` checks
every file's expected outcome through the MANIFEST, valid and invalid, lenient and strict;
this one checks CycloneDX-specific promises): every file under ``cyclonedx/*/valid/`` and
every CycloneDX document under ``wild/`` reads as CycloneDX, reads at least as many
components as it declares, and keeps graph invariants (links from known components too).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from conftest import CORPUS, corpus_files, requires_corpus

import sbomscan

pytestmark = requires_corpus

_CDX = corpus_files("cyclonedx")
VALID = [p for p in _CDX if "/valid/" in p.as_posix()]


def _is_cyclonedx(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".xml":
        return b"cyclonedx.org/schema/bom" in data[:4096]
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    return isinstance(obj, dict) and obj.get("bomFormat") == "CycloneDX"


WILD = [p for p in corpus_files("wild") if p.suffix in (".json", ".xml", ".golden") and _is_cyclonedx(p)]


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(CORPUS)) for p in paths]


def test_corpus_selection_is_not_empty() -> None:
    assert len(VALID) > 400 and len(WILD) > 20


@pytest.mark.parametrize("path", VALID + WILD, ids=_ids(VALID + WILD))
def test_valid_cyclonedx_loads(path: Path) -> None:
    doc = sbomscan.load(path)
    assert doc.format == "cyclonedx"
    real = [c for c in doc.components if c.origin != "synthetic-root"]
    assert doc.declared_components is not None
    assert len(real) >= doc.declared_components
    ids = {c.id for c in doc.components}
    assert len(ids) == len(doc.components)
    assert all(e.source in ids and e.target in ids for e in doc.edges)
    assert all(lk.source in ids for lk in doc.links)
    if doc.components:
        assert doc.roots and set(doc.roots) <= ids
