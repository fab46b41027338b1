"""Package URL handling kept off the hot path.

Ingest only needs to know whether a purl is well-formed (a bad one is a diagnostic, not a
crash); matching needs its type, namespace and name. packageurl-python is the field's
exact parser but costs tens of microseconds a call, so :func:`check_purl` answers the
common well-formed case with one regular expression and asks packageurl-python only to
explain a failure, and :func:`parse_purl` caches its results.

>>> check_purl("pkg:maven/com.huawei.hms/push@6.11.0") is None
True
>>> check_purl("maven/com.huawei.hms/push")
"purl must start with 'pkg:'"
>>> p = parse_purl("pkg:npm/%40huaweicloud/huaweicloud-sdk-core@3.1.0")
>>> (p.type, p.namespace, p.name) if p else None
('npm', '@huaweicloud', 'huaweicloud-sdk-core')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from packageurl import PackageURL

# type, then at least a name; no whitespace anywhere; optional @version ?qualifiers #subpath.
_WELL_FORMED = re.compile(r"pkg:/*[A-Za-z.+-][A-Za-z0-9.+-]*/[^\s@?#]*[^\s/@?#][^\s]*\Z")

PURL_WELL_FORMED = _WELL_FORMED.match
"""A match (truthy) when a purl is plainly well-formed: the one regular-expression test
:func:`check_purl` starts with, for readers that check a purl per component and want to
skip the call. A miss does not make a purl malformed; ask :func:`check_purl` then."""


class Purl(NamedTuple):
    """The parts of a purl that matching uses; ``type`` is lower-case as the spec says."""

    type: str
    namespace: str | None
    name: str
    version: str | None


def check_purl(text: str) -> str | None:
    """``None`` if ``text`` is a well-formed purl, else the reason it is not."""
    if _WELL_FORMED.match(text):
        return None
    if not text.startswith("pkg:"):
        return "purl must start with 'pkg:'"
    try:
        PackageURL.from_string(text)
    except ValueError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=65536)
def parse_purl(text: str) -> Purl | None:
    """Parse with packageurl-python; ``None`` for a malformed purl (never raises)."""
    try:
        p = PackageURL.from_string(text)
    except ValueError:
        return None
    return Purl(p.type.lower(), p.namespace or None, p.name, p.version or None)
