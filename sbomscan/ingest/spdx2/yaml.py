"""Load SPDX 2 YAML without running code and without letting aliases multiply.

PyYAML's safe loader (its C version, ``CSafeLoader``, when PyYAML was built with libyaml)
never constructs arbitrary Python objects, but it still expands anchors and aliases, which
is how a few hundred bytes become gigabytes ("billion laughs"). SPDX YAML has no use for
them, so a document that uses any alias is refused before it is constructed.

The values are built straight from the parser's events (:func:`_from_events`), without
PyYAML's node tree: the nodes and their marks took 32 times the file at the peak, and their
freed pages stayed pinned among the records (issue 9, docs/performance.md "Memory"). Each
scalar is resolved and constructed by PyYAML's own safe resolver and constructor, so the
values are the ones ``CSafeLoader`` gives; anything outside plain mappings, sequences and
untagged scalars (a tag, a merge key, a complex key, several documents, an alias, absurd
nesting, a scalar the constructor refuses) is loaded the old way, which also words any error.

>>> load_yaml(b"spdxVersion: SPDX-2.3\\nname: x\\n", source="x.yaml")
{'spdxVersion': 'SPDX-2.3', 'name': 'x'}
>>> load_yaml(b"a: &x [1]\\nb: *x\\n", source="x.yaml")
Traceback (most recent call last):
...
sbomscan.errors.MalformedSbomError: x.yaml: line 2, column 4: YAML aliases (*x) are not accepted in SPDX documents
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from ...errors import MalformedSbomError
from ...memory import make_room

__all__ = ["load_yaml"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 200
"""Deepest nesting accepted; an SPDX document needs about six levels."""
_STR = "tag:yaml.org,2002:str"
_BUILT = frozenset("tag:yaml.org,2002:" + t for t in ("int", "float", "bool", "null", "timestamp"))
"""Implicit scalar types made by :data:`_CONSTRUCT` (``merge`` and ``value``, the other two
implicit tags, are the old path's)."""
_RESOLVE: Callable[..., str] = Resolver().resolve
_CONSTRUCT = SafeConstructor()


class _Unusual(Exception):
    """Something :func:`_from_events` leaves to PyYAML's own loader."""


def load_yaml(data: bytes, *, source: str) -> Any:
    """The single YAML document in ``data``; :class:`~sbomscan.errors.MalformedSbomError`
    for invalid YAML, several documents, any alias, or absurd nesting."""
    try:
        return _from_events(data)
    except (_Unusual, yaml.YAMLError, ValueError, RecursionError):
        return _load_nodes(data, source)  # it decides, and words any error


def _load_nodes(data: bytes, source: str) -> Any:
    """The document through PyYAML's node tree, after one pass over the events that refuses
    aliases and absurd nesting (:func:`_check_events`)."""
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


_NO_KEY = object()


def _from_events(data: bytes) -> Any:
    """The single document's value, built from the parser's events: each mapping or
    sequence made when it starts and filled as its items end, each scalar made at once.
    Raises :class:`_Unusual` for what PyYAML's loader must decide (see the module)."""
    memo: dict[str, Any] = {}
    open_: list[Any] = []  # the mappings and sequences being filled, innermost last
    keys: list[Any] = []  # per open mapping: its pending key, or _NO_KEY
    documents, out = 0, None
    loader = _Loader(data)
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                value = _scalar(event, memo)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.tag is not None or len(open_) >= MAX_DEPTH:
                    raise _Unusual
                open_.append({} if kind is yaml.MappingStartEvent else [])
                keys.append(_NO_KEY)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = open_.pop()
                keys.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                continue
            elif kind is yaml.AliasEvent:
                raise _Unusual
            else:
                continue
            if not open_:
                out = value
            elif type(inner := open_[-1]) is list:
                inner.append(value)
            elif keys[-1] is _NO_KEY:
                if type(value) is dict or type(value) is list:
                    raise _Unusual  # a complex key: PyYAML refuses it as unhashable
                keys[-1] = value
            else:
                inner[keys[-1]] = value
                keys[-1] = _NO_KEY
    finally:
        loader.dispose()
    if documents != 1:
        raise _Unusual
    return out


def _scalar(event: Any, memo: dict[str, Any]) -> Any:
    """An untagged scalar's value, as PyYAML's safe loader makes it: quoted ones are
    strings; plain ones are resolved by their text (remembered: most repeat)."""
    if event.tag is not None:
        raise _Unusual
    text = event.value
    if not event.implicit[0]:
        return text
    value = memo.get(text, memo)
    if value is memo:
        tag = _RESOLVE(ScalarNode, text, event.implicit)
        if tag == _STR:
            value = text
        elif tag in _BUILT:
            try:
                make = cast(Callable[[Any, Any], Any], _CONSTRUCT.yaml_constructors[tag])
                value = make(_CONSTRUCT, ScalarNode(tag, text))
            except Exception:  # e.g. a timestamp with month 13: the old path words it
                raise _Unusual from None
        else:
            raise _Unusual
        make_room(memo)
        memo[text] = value
    return value
