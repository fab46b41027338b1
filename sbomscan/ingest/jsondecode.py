"""JSON decoded without a second copy of the document in memory.

``orjson.loads`` builds its own parsed form of the whole input (yyjson's document, two to
two and a half times the input's size) and then, from it, the Python objects — so at its
peak it holds the input's bytes, that parsed form and the whole Python tree at once. That
was the peak of every JSON load (issue 9: a million light SPDX 2 components peaked at
2.05–2.07 times the decoded document's own size, over the 2× bound).

``msgspec``'s JSON decoder builds the Python objects directly from the bytes, as fast or
faster, so the peak is the bytes plus the tree (benchmarks/bench_memory.py; the figures
are in docs/performance.md, "Memory"). Its trees equal orjson's on every JSON file of the
corpus (``tests/test_memory_bounds.py``).

Anything it refuses — broken JSON, nesting deeper than the interpreter allows, a number out
of range — goes to ``orjson`` as before, so what is accepted is at least what was, and a
broken document gets orjson's message with its line and column.

Nesting: msgspec recurses in C once per level, guarded by the interpreter (Python 3.12 and
later: its fixed limit for C recursion, set to be safe for the C stack; before 3.12: the
recursion limit, which a program may raise as far as it likes). So before 3.12 msgspec is
used only while the recursion limit is at most orjson's own depth limit (1,024); a program
that raised it gets orjson, and hostile nesting can never take the C stack down.
"""

from __future__ import annotations

import sys
from typing import Any

import msgspec
import orjson

from ..errors import MalformedSbomError

__all__ = ["decode_json"]

_DECODER = msgspec.json.Decoder()
_ORJSON_DEPTH = 1024
"""orjson's deepest nesting: what msgspec may go to before Python 3.12 (see above)."""


def decode_json(data: bytes, *, source: str) -> Any:
    """The JSON value of ``data`` (UTF-8, no byte order mark), or
    :class:`~sbomscan.errors.MalformedSbomError` naming the line and column of the fault.

    >>> decode_json(b'{"a": [1, 2.5, "x"]}', source="x")
    {'a': [1, 2.5, 'x']}
    >>> decode_json(b'{"a": [', source="bom.json")
    Traceback (most recent call last):
    ...
    sbomscan.errors.MalformedSbomError: bom.json: line 1, column 8: invalid JSON: unexpected end of data
    """
    if sys.version_info >= (3, 12) or sys.getrecursionlimit() <= _ORJSON_DEPTH:
        try:
            return _DECODER.decode(data)
        except (msgspec.DecodeError, RecursionError):
            pass  # orjson decides, and words the error as before
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise MalformedSbomError(
            source, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
