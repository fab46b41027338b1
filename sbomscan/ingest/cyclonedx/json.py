"""CycloneDX JSON (1.2–1.7; 1.0/1.1 documents are read too, though those versions had no
JSON encoding) into a :class:`~sbomscan.model.Document`.

The JSON was already decoded once by :mod:`sbomscan.ingest.detect`; this reader walks
the decoded dict and never parses again. With ``strict=True`` the document is first
validated against the official JSON schema of its version.

>>> doc = read_cyclonedx_json(
...     {"bomFormat": "CycloneDX", "specVersion": "1.6",
...      "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app"}},
...      "components": [{"type": "library", "bom-ref": "z", "name": "zlib",
...                      "supplier": {"name": "Acme"}}],
...      "dependencies": [{"ref": "app", "dependsOn": ["z"]}]},
...     source="bom.json", sha256="0" * 64, strict=False)
>>> [(c.name, c.origin) for c in doc.components]
[('app', 'metadata.component'), ('zlib', None)]
>>> [(e.kind.value, e.target.split("#")[1]) for e in doc.edges]
[('depends_on', 'z')]
>>> doc.components[1].parties[0].name, doc.declared_components
('Acme', 2)
"""

from __future__ import annotations

from typing import Any

from ...errors import MalformedSbomError
from ...memory import gc_paused
from ...model import Document
from ..builder import DocumentBuilder
from .common import SPEC_VERSIONS
from .walk import _Walker, raise_if_strict

__all__ = ["read_cyclonedx_json", "read_decoded"]


def read_decoded(obj: Any, *, source: str, sha256: str, strict: bool) -> Document:
    """The reader table's row ``cyclonedx-json``: the value detection decoded for this read
    alone, so the reader may empty it as it goes (``consume``)."""
    return read_cyclonedx_json(obj, source=source, sha256=sha256, strict=strict, consume=True)


def read_cyclonedx_json(
    obj: dict[str, Any], *, source: str, sha256: str, strict: bool, consume: bool = False
) -> Document:
    """Read a decoded CycloneDX JSON document.

    ``consume=True`` lets the reader empty ``obj``'s component, service and dependency
    lists as it reads them, so that each object is freed while it is still in the CPU's
    caches (freeing a large decoded document afterwards, in one sweep, costs a fifth to a
    quarter of reading it). Only for a document decoded for this read alone.

    Raises :class:`~sbomscan.errors.MalformedSbomError` when the top level is not an
    object, and in strict mode on any schema violation (naming the JSON pointer of the
    first one). In lenient mode everything else becomes a diagnostic.
    """
    if not isinstance(obj, dict):
        raise MalformedSbomError(source, "a CycloneDX JSON document must be an object at the top level")
    spec = obj.get("specVersion")
    problems: list[tuple[str, str]] = []
    if not isinstance(spec, str):
        if strict:
            raise MalformedSbomError(source, "specVersion is missing or not a string", pointer="/specVersion")
        problems.append(("missing-field", "specVersion is missing or not a string; read as CycloneDX 1.6"))
        spec = "1.6"
    elif spec not in SPEC_VERSIONS:
        if strict:
            raise MalformedSbomError(
                source,
                f"unknown CycloneDX specVersion {spec!r} (known: {', '.join(SPEC_VERSIONS)})",
                pointer="/specVersion",
            )
        problems.append(
            ("unknown-spec-version", f"unknown CycloneDX specVersion {spec!r}; read as far as possible")
        )
    if strict:
        from .schema import validate_json

        validate_json(obj, spec, source)
    if obj.get("bomFormat") != "CycloneDX":
        problems.append(("bad-format-marker", f"bomFormat is {obj.get('bomFormat')!r}, not 'CycloneDX'"))

    b = DocumentBuilder(source=source, sha256=sha256, format="cyclonedx", encoding="json", spec_version=spec)
    for code, message in problems:
        b.warn(code, message, "/specVersion" if "spec" in code or "missing" in code else "/bomFormat")
    walker = _Walker(b, consume=consume)
    serial = obj.get("serialNumber")
    version = obj.get("version")
    with gc_paused():
        name, parties = walker.run(obj)
        doc = b.finish(
            serial=serial if isinstance(serial, str) else None,
            version=version if type(version) is int else None,
            name=name,
            parties=parties,
            declared_components=walker.declared,
        )
    if strict:
        raise_if_strict(doc, source)
    return doc
