"""Strict validation of SPDX 3 JSON-LD with the SPDX project's own bindings.

``spdx-python-model`` is generated from the SPDX 3.0.1 SHACL model, so it is the closest
thing to the specification that runs in Python. Deserializing with it refuses an unknown
``@context``, unknown properties on known classes and values of the wrong kind; it does
*not* refuse unknown classes (it keeps them as extension objects) or check required
properties until it serializes. Both are checked here, plus references to elements that
are neither in the document nor listed in its imports.

Only strict mode pays for this: the bindings build one Python object per element, which
is far slower than the dict walk of the lenient reader. Whatever the bindings raise —
their own errors, ``KeyError``, ``TypeError``, ``ValueError``, a ``RecursionError`` on
absurd nesting — becomes :class:`~sbomscan.errors.MalformedSbomError`.

>>> validate({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
...           "@graph": [{"type": "software_Package", "spdxId": "urn:p", "name": "p", "colour": 1}]},
...          source="x.json")
Traceback (most recent call last):
...
sbomscan.errors.MalformedSbomError: x.json: SPDX 3.0.1 bindings refused the document: Unknown property 'colour'
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import MalformedSbomError

__all__ = ["validate"]

_OBJECT_ADDRESS = re.compile(r"\s*\(\d{6,}\)")


def _reason(exc: BaseException) -> str:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    text = _OBJECT_ADDRESS.sub("", text).strip() or type(exc).__name__
    return text if len(text) <= 300 else text[:300] + "…"


def validate(obj: Any, *, source: str) -> None:
    """Raise :class:`MalformedSbomError` unless spdx-python-model accepts ``obj`` completely."""
    try:
        import spdx_python_model
        from spdx_python_model import v3_0_1 as model
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise MalformedSbomError(source, f"strict SPDX 3 validation needs spdx-python-model: {exc}") from None
    try:
        _, objset = spdx_python_model.load_data(obj)
    except Exception as exc:
        raise MalformedSbomError(
            source, f"SPDX 3.0.1 bindings refused the document: {_reason(exc)}"
        ) from None
    try:
        imported: set[str] = set()
        for o in objset.foreach():
            if type(o) is model.SHACLExtensibleObject:
                raise MalformedSbomError(source, f"unknown SPDX 3.0.1 class {o.get_type()!r}")
            if isinstance(o, model.SpdxDocument):
                for m in o.import_:
                    if isinstance(m, model.ExternalMap) and m.externalSpdxId:
                        imported.add(m.externalSpdxId)
        missing = sorted(set(objset.missing_ids) - imported)
        if missing:
            raise MalformedSbomError(
                source,
                f"{len(missing)} element id(s) are used but neither defined nor imported, e.g. {missing[0]!r}",
            )
        model.JSONLDSerializer().serialize_data(objset)
    except MalformedSbomError:
        raise
    except Exception as exc:
        raise MalformedSbomError(
            source, f"SPDX 3.0.1 bindings refused the document: {_reason(exc)}"
        ) from None
