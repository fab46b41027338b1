"""The one table of readers: for each encoding that :mod:`.detect` can name, the function
that reads it.

Detection looks at the content and returns a key (``"cyclonedx-xml"``, ``"spdx2-tag-value"``,
...) with what it found (the decoded JSON value, or the bytes); :func:`read_document` looks
the key up in :data:`READERS` and calls that row's function, always the same way::

    read(payload, source=..., sha256=..., strict=...) -> Document

Adding an input encoding is a reader module in its family folder, one row here, a rule in
:mod:`.detect` naming the new key, and tests (docs/architecture.md, "How to add an input
encoding"); nothing else dispatches on encodings.

A row names its module rather than holding the function, so each reader is imported when
first used: ``import sbomscan`` does not load lxml, rdflib, openpyxl or spdx-tools for
encodings a run never meets.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Literal, NamedTuple, cast

from ..model import Document
from .detect import detect

__all__ = ["READERS", "Reader", "read_document", "reader"]

ReadFunction = Callable[..., Document]
"""``read(payload, *, source: str, sha256: str, strict: bool) -> Document``."""


class Reader(NamedTuple):
    """One row of the reader table."""

    key: str
    """The name :func:`.detect.detect` gives the encoding."""
    takes: Literal["json", "bytes"]
    """``json``: the value detection decoded, which the reader may empty as it reads (a JSON
    document is decoded once); ``bytes``: the input as UTF-8."""
    module: str
    """The reader's module, imported on first use."""
    function: str
    """The function in ``module`` called as ``read(payload, source=, sha256=, strict=)``."""


READERS: dict[str, Reader] = {
    row.key: row
    for row in (
        Reader("cyclonedx-json", "json", "sbomscan.ingest.cyclonedx.json", "read_decoded"),
        Reader("cyclonedx-xml", "bytes", "sbomscan.ingest.cyclonedx.xml", "read_cyclonedx_xml"),
        Reader("spdx2-json", "json", "sbomscan.ingest.spdx2.dict", "read_decoded"),
        Reader("spdx2-yaml", "bytes", "sbomscan.ingest.spdx2.dict", "read_yaml"),
        Reader("spdx2-tag-value", "bytes", "sbomscan.ingest.spdx2.tools", "read_tag_value"),
        Reader("spdx2-rdf-xml", "bytes", "sbomscan.ingest.spdx2.tools", "read_rdf_xml"),
        Reader("spdx2-xml", "bytes", "sbomscan.ingest.spdx2.tools", "read_xml"),
        Reader("spdx2-xlsx", "bytes", "sbomscan.ingest.spdx2.xlsx", "read_xlsx"),
        Reader("spdx2-xls", "bytes", "sbomscan.ingest.spdx2.xls", "read_xls"),
        Reader("spdx3-jsonld", "json", "sbomscan.ingest.spdx3.jsonld", "read_spdx3"),
    )
}
"""Every input encoding sbomscan reads, by the key detection gives it."""


def reader(key: str) -> ReadFunction:
    """The function of ``key``'s row (its module imported now if it was not yet)."""
    row = READERS[key]
    return cast(ReadFunction, getattr(importlib.import_module(row.module), row.function))


def read_document(data: bytes | list[bytes], *, source: str, sha256: str, strict: bool) -> Document:
    """Detect the encoding of ``data`` and read it with that encoding's row of :data:`READERS`.

    ``data`` may be handed over as a one-item list, which is emptied: then, once detection
    has decoded a JSON document, nothing here holds its bytes while the reader builds the
    records (for SPDX 3 JSON-LD, whose reader keeps the whole decoded tree to the end, the
    bytes were a sixth of the peak; docs/performance.md, "Memory").

    Raises :class:`~sbomscan.errors.UnsupportedFormatError` when no encoding fits, and
    whatever the reader raises (:class:`~sbomscan.errors.MalformedSbomError`).
    """
    key, payload = detect(data.pop() if isinstance(data, list) else data, source=source)
    return reader(key)(payload, source=source, sha256=sha256, strict=strict)
