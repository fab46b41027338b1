"""The CycloneDX part of the developer corpus, in detail (``tests/test_corpus.py`` covers
every format through the MANIFEST; this one checks CycloneDX-specific promises).

- every file under ``cyclonedx/*/valid/`` and every CycloneDX document under ``wild/`` loads
  leniently, reads at least as many components as it declares, and keeps graph invariants;
- every file under ``cyclonedx/*/invalid/`` is refused in strict mode with an
  ``IngestError``, except ``skip_invalid-*`` / ``informal-invalid-*`` (rules outside the
  schemas; we refuse them where we can but do not promise it);
- nothing raises anything but ``SbomscanError``, in either mode.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import orjson
import pytest
from conftest import CORPUS, corpus_files, requires_corpus

import sbomscan
from sbomscan.errors import IngestError, SbomscanError

pytestmark = requires_corpus

_CDX = corpus_files("cyclonedx")
VALID = [p for p in _CDX if "/valid/" in p.as_posix()]
INVALID = [
    p
    for p in _CDX
    if "/invalid/" in p.as_posix() and not p.name.startswith(("skip_invalid-", "informal-invalid-"))
]


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
    assert len(VALID) > 400 and len(INVALID) > 250 and len(WILD) > 20


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


@pytest.mark.parametrize("path", INVALID, ids=_ids(INVALID))
def test_invalid_cyclonedx_is_refused_in_strict_mode(path: Path) -> None:
    with pytest.raises(IngestError) as info:
        sbomscan.load(path, strict=True)
    assert str(path) in str(info.value) and info.value.reason


@pytest.mark.parametrize("path", _CDX, ids=_ids(_CDX))
def test_no_cyclonedx_file_raises_anything_else(path: Path) -> None:
    for strict in (False, True):
        with contextlib.suppress(SbomscanError):
            sbomscan.load(path, strict=strict)
