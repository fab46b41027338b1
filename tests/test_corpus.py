"""Every file of the developer corpus, read the way its MANIFEST says it should be read.

The corpus (``../shared/corpus``, ~950 real SBOMs written by others) is not shipped with
sbomscan; these tests skip with a reason when it is absent. Its ``MANIFEST.md`` labels
each file ``valid`` or ``invalid`` and gives the number of components the document
declares (nested ones counted). For each file:

- a ``valid`` file loads leniently without any exception and yields at least as many
  components as it declares (SPDX 2.1 where spdx-tools cannot read it may be refused with
  an ``IngestError`` that says why; the legacy binary XLS spreadsheet is read, with xlrd);
- an ``invalid`` file is refused in strict mode with an ``IngestError``;
- no file, in either mode, raises anything but ``SbomscanError``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import CORPUS, requires_corpus

import sbomscan
from sbomscan.errors import IngestError, SbomscanError

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


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_no_file_raises_anything_else(entry: Entry) -> None:
    for strict in (False, True):
        with contextlib.suppress(SbomscanError):
            sbomscan.load(entry.path, strict=strict)
