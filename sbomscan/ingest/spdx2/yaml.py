"""Load SPDX 2 YAML without running code and without letting aliases multiply.

PyYAML's safe loader (its C version, ``CSafeLoader``, when PyYAML was built with libyaml)
never constructs arbitrary Python objects, but it still expands anchors and aliases, which
is how a few hundred bytes become gigabytes ("billion laughs"). SPDX YAML has no use for
them, so a document that uses any alias is refused before it is constructed.

>>> load_yaml(b"spdxVersion: SPDX-2.3\\nname: x\\n", source="x.yaml")
{'spdxVersion': 'SPDX-2.3', 'name': 'x'}
>>> load_yaml(b"a: &x [1]\\nb: *x\\n", source="x.yaml")
Traceback (most recent call last):
...
sbomscan.errors.MalformedSbomError: x.yaml: line 2, column 4: YAML aliases (*x) are not accepted in SPDX documents
"""

from __future__ import annotations

from typing import Any

import yaml

from ...errors import MalformedSbomError

__all__ = ["load_yaml"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 200
"""Deepest nesting accepted; an SPDX document needs about six levels."""


def load_yaml(data: bytes, *, source: str) -> Any:
    """The single YAML document in ``data``; :class:`~sbomscan.errors.MalformedSbomError`
    for invalid YAML, several documents, any alias, or absurd nesting."""
    try:
        _check_events(data, source)
        loader = _Loader(data)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise MalformedSbomError(
            source,
            f"invalid YAML: {exc.problem or exc.context or 'syntax error'}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise MalformedSbomError(source, f"invalid YAML: {exc}") from None


def _check_events(data: bytes, source: str) -> None:
    """One pass over the parser's events (no nodes are built, so nothing expands and nothing
    recurses): refuse aliases, and nesting deeper than :data:`MAX_DEPTH` — PyYAML's composer
    recurses once per level, and the C one overflows the stack (a crash, not an exception)
    on a few tens of thousands of ``[``."""
    depth = 0
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    for event in yaml.parse(data, Loader=_Loader):
        if isinstance(event, starts):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise MalformedSbomError(
                    source,
                    f"YAML nested more than {MAX_DEPTH} levels deep",
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
        elif isinstance(event, ends):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise MalformedSbomError(
                source,
                f"YAML aliases (*{event.anchor}) are not accepted in SPDX documents",
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
