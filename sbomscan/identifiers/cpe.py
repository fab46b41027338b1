"""CPE 2.2 URIs and CPE 2.3 formatted strings, parsed into vendor / product / version.

Matching compares the CPE *vendor field* with the entity data, so the vendor has to be
read exactly, never grepped: ``cpe:2.3:a:acme:kaspersky_scanner`` is made by Acme, and in a
2.3 string ``\\:`` is a literal colon inside a field, not a separator (NISTIR 7695 §6.2).

Values are returned unescaped and lower-case (CPE matching is case-insensitive); the
logical values ANY (``*``, or an empty 2.2 field) and NA (``-``) come back as ``None``.

>>> parse_cpe("cpe:2.3:a:kaspersky:anti-virus:16.0.0.614:*:*:*:*:*:*:*")
Cpe(part='a', vendor='kaspersky', product='anti-virus', version='16.0.0.614')
>>> parse_cpe("cpe:/a:kaspersky_lab:kaspersky_anti-virus:2009")
Cpe(part='a', vendor='kaspersky_lab', product='kaspersky_anti-virus', version='2009')
>>> parse_cpe(r"cpe:2.3:a:acme\\:corp:tool\\!x:1\\.0:*:*:*:*:*:*:*").vendor
'acme:corp'
>>> parse_cpe("cpe:/h:zte%3acorp:f660").vendor
'zte:corp'
>>> parse_cpe("not a cpe") is None
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

__all__ = ["Cpe", "parse_cpe"]

_PARTS = frozenset({"a", "o", "h"})


class Cpe(NamedTuple):
    """The fields of a CPE name that matching needs; ``None`` means ANY or NA."""

    part: str | None
    vendor: str | None
    product: str | None
    version: str | None


def _split_23(body: str) -> list[str]:
    """Split a 2.3 formatted string on colons that are not escaped by a backslash."""
    fields: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in body:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
    if escaped:
        current.append("\\")
    fields.append("".join(current))
    return fields


def _value_23(raw: str) -> str | None:
    if raw in ("*", "-", ""):
        return None
    if "\\" not in raw:
        return raw.lower()
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            out.append(raw[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out).lower()


def _value_22(raw: str) -> str | None:
    if raw in ("", "*", "-"):
        return None
    try:
        value = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        value = raw
    return value.lower()


@lru_cache(maxsize=65536)
def parse_cpe(text: str) -> Cpe | None:
    """Parse a CPE 2.3 formatted string or a CPE 2.2 URI; ``None`` if it is neither.

    Never raises: anything that is not a recognisable CPE is ``None``.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    lower = text[:8].lower()
    if lower.startswith("cpe:2.3:"):
        fields = _split_23(text[8:])
        if len(fields) < 2:
            return None
        part = fields[0].lower()
        if part not in _PARTS and part not in ("*", "-"):
            return None
        values = [_value_23(f) for f in fields[1:4]]
        values += [None] * (3 - len(values))
        return Cpe(part if part in _PARTS else None, values[0], values[1], values[2])
    if lower.startswith("cpe:/"):
        fields = text[5:].split(":")
        part = fields[0].lower()
        if part not in _PARTS and part != "":
            return None
        values = [_value_22(f) for f in fields[1:4]]
        values += [None] * (3 - len(values))
        return Cpe(part or None, values[0], values[1], values[2])
    return None
