"""Package URLs: the one place where sbomscan reads a purl.

Ingest asks whether a purl is well-formed (a bad one is a diagnostic, not a crash);
matching, tracing and waivers need its type, namespace, name and version. The reading is
packageurl-python's, the field's reference parser, with two changes made for a scanner:

* qualifiers and subpath are cut off before it reads the rest, so a malformed qualifier
  (``pkg:maven/com.huawei.hms/push@6.11?x``, which packageurl-python refuses) cannot hide
  the package it names — no one here reads qualifiers;
* a fast path reads the plain shape most purls have (``pkg:type/namespace/name@version``,
  printable ASCII, no escapes in the name or version) without the library, because the
  library costs tens of microseconds a call and the matcher reads every component's purl.
  The fast path gives exactly what packageurl-python gives (``tests/test_purl.py`` checks
  that on generated purls): the part before the name is read by the library once per
  distinct value (cached), and a name or version is changed only as the library changes it
  for that type (learnt from the library itself, once per type: :func:`_type_rules`); a
  type whose rules it cannot copy goes to the library. Measured with
  ``benchmarks/bench_match.py``: see docs/performance.md.

:func:`split_purl` hands the fast path's pieces to callers that cache on the namespace
(the matcher), and :func:`name_key` is how purl names are compared (case-insensitively;
PyPI names as PEP 503 compares them).

>>> check_purl("pkg:maven/com.huawei.hms/push@6.11.0") is None
True
>>> check_purl("maven/com.huawei.hms/push")
"purl must start with 'pkg:'"
>>> parse_purl("pkg:npm/%40huaweicloud/huaweicloud-sdk-core@3.1.0")
Purl(type='npm', namespace='@huaweicloud', name='huaweicloud-sdk-core', version='3.1.0')
>>> parse_purl("pkg:npm/@huawei/push")
Purl(type='npm', namespace='@huawei', name='push', version=None)
>>> parse_purl("pkg:maven/com.huawei.hms/push@6.11.0?type=aar&x#sub").name
'push'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

from packageurl import PackageURL, normalize_name, normalize_namespace, normalize_version

from ..memory import make_room

__all__ = [
    "PURL_WELL_FORMED",
    "Purl",
    "check_purl",
    "name_key",
    "parse_purl",
    "plain_head",
    "plain_tail",
    "purl_head",
    "split_purl",
]

# type, then at least a name; no whitespace anywhere; optional @version ?qualifiers #subpath.
_WELL_FORMED = re.compile(r"pkg:/*[A-Za-z.+-][A-Za-z0-9.+-]*/[^\s@?#]*[^\s/@?#][^\s]*\Z")

PURL_WELL_FORMED = _WELL_FORMED.match
"""A match (truthy) when a purl is plainly well-formed: the one regular-expression test
:func:`check_purl` starts with, for readers that check a purl per component and want to
skip the call. A miss does not make a purl malformed; ask :func:`check_purl` then."""

_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9._-]*\Z")
"""A type as the library accepts it."""
_TAIL = re.compile(r'([!"$&-.0-9;->A-~]+)(?:@([!"$&-.0->A-~]*))?\Z').match
"""A plain name and version: printable ASCII; no space, "/", "?", "#", "@" or "%", and no
":" in the name. Matched from the position after the last "/"."""


class Purl(NamedTuple):
    """A purl as packageurl-python reads it (type lower case; namespace and name
    percent-decoded and normalised as the purl spec says for the type); qualifiers and
    subpath are not kept."""

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
    """The purl's parts; ``None`` when it has none a reader can use (never raises).

    >>> parse_purl("pkg:pypi/Huawei_Cloud@1.0"), parse_purl("not a purl")
    (Purl(type='pypi', namespace=None, name='huawei-cloud', version='1.0'), None)
    """
    split = split_purl(text)
    rules = _HEADS.get(split[0]) if split is not None else None
    if split is not None and rules is not None:
        head = purl_head(split[0])
        if head is not None:
            name, version = split[1], split[2]
            if rules[0]:
                name = name.lower()
                if rules[1]:
                    name = name.replace("_", "-")
            if version is not None and rules[2]:
                version = version.lower()
            return Purl(head[0], head[1], name, version)
    return _library(text)


def _library(text: str) -> Purl | None:
    """packageurl-python's reading, qualifiers and subpath cut off first."""
    if not text.startswith("pkg:"):
        return None
    cut = min((i for i in (text.find("?"), text.find("#")) if i >= 0), default=len(text))
    try:
        p = PackageURL.from_string(text[:cut])
    except ValueError:
        return None
    return Purl(p.type, p.namespace or None, p.name, p.version or None)


@lru_cache(maxsize=65536)
def purl_head(head: str) -> tuple[str, str | None] | None:
    """Type and namespace of the part of a purl before its name (``pkg:npm/%40scope``), as
    the library reads them; cached, since many purls share one."""
    p = _library(head + "/x")
    return (p.type, p.namespace) if p is not None else None


@lru_cache(maxsize=1024)
def _type_rules(written: str) -> tuple[bool, bool, bool] | None:
    """How the library changes a plain name and version of this type (as written in the
    purl): (name lower-cased, then "_" to "-" too, version lower-cased); ``None`` when it
    does anything else, or the type is not one (the fast path then leaves the purl to the
    library). Learnt by asking the library."""
    if not _TYPE.match(written):
        return None
    ptype = written.lower()
    probe = "aB_c.D-1"
    if normalize_namespace("x", ptype, encode=False) != "x":
        return None
    name = normalize_name(probe, None, ptype, encode=False)
    version = normalize_version(probe, ptype, encode=False)
    if name == probe:
        lower = dash = False
    elif name == probe.lower():
        lower, dash = True, False
    elif name == probe.lower().replace("_", "-"):
        lower = dash = True
    else:
        return None
    if version not in (probe, probe.lower()):
        return None
    return lower, dash, version != probe


def split_purl(text: str) -> tuple[str, str, str | None] | None:
    """The fast path: a plain purl (``pkg:type/namespace/name@version``) as (the text before
    the name, the name, the version) as written, or ``None`` for anything the library must
    read. For callers that cache on the namespace (the matcher): give the first to
    :func:`purl_head`; the name's :func:`name_key` is that of :func:`parse_purl`'s name.

    The part before the name is judged once per distinct value (:func:`_head_rules`), the
    name and version by one pattern (:data:`_TAIL`): printable ASCII without spaces, "?",
    "#", "@" or "%" (no escapes to decode), no ":" in the name. One pattern over the whole
    purl cost four times as much (it backtracks over the namespace), string tests on the
    tail twice as much (``timeit`` on a Maven purl, 2026-12-05); this runs per component.

    >>> split_purl("pkg:pypi/Huawei_Cloud@1.0"), split_purl("pkg:maven/a/b?x=1")
    (('pkg:pypi', 'Huawei_Cloud', '1.0'), None)
    """
    last = text.rfind("/")
    if last < 0:
        return None
    head = text[:last]
    try:
        rules = _HEADS[head]
    except KeyError:
        rules = _head_rules(head)
    if rules is None:
        return None
    m = _TAIL(text, last + 1)
    if m is None:
        return None
    name, version = m[1], m[2] or None
    return head, name, version


plain_tail = _TAIL
"""The second half of :func:`split_purl`, for a caller that inlines it in a loop over many
purls (the matcher's quick test, which caches on the text before the name):
``plain_tail(purl, last + 1)``, ``last`` the position of the purl's last "/", is a match
of its name (``[1]``) and version (``[2]``) when the fast path reads them, else ``None``."""


def plain_head(head: str) -> bool:
    """The first half of :func:`split_purl`: whether the fast path reads a purl whose text
    before its name is ``head`` (:func:`_head_rules`, remembered)."""
    try:
        return _HEADS[head] is not None
    except KeyError:
        return _head_rules(head) is not None


_HEADS: dict[str, tuple[bool, bool, bool] | None] = {}
"""The text before a purl's name -> the type's rules when the fast path may read it, else
``None`` (bounded: see :func:`_head_rules`)."""


def _head_rules(head: str) -> tuple[bool, bool, bool] | None:
    """Whether the fast path may read a purl whose text before the name is ``head``: it
    starts ``pkg:`` and a type whose rules the fast path knows, is printable ASCII without
    spaces, "?", "#", ":" (after the scheme) or empty segments, and has an "@" only as an
    npm scope (``pkg:npm/@scope``), the one place the library reads it as part of the
    namespace. The answer (the type's rules, or ``None``) is remembered."""
    rules: tuple[bool, bool, bool] | None = None
    slash = head.find("/", 4)
    ptype = head[4:slash] if slash > 4 else head[4:]
    if (
        head.startswith("pkg:")
        and head.isascii()
        and head.isprintable()
        and not any(c in head for c in " ?#")
        and "//" not in head
        and head.find(":", 4) < 0
        and (
            head.find("@") < 0
            or (ptype == "npm" and head.find("@") == 8 and head.count("/") == 1 == head.count("@"))
        )
    ):
        rules = _type_rules(ptype)
    make_room(_HEADS, 65_536)
    _HEADS[head] = rules
    return rules


_PEP503_RUN = re.compile(r"[-_.]+")


def name_key(ptype: str, name: str) -> str:
    """A purl name as purl patterns are compared with it: percent-decoded, lower case, and
    for ``pypi`` as PEP 503 compares project names (runs of ``-_.`` are one ``-``).

    >>> name_key("pypi", "HuaweiCloudSDK_Core"), name_key("npm", "%40Huawei")
    ('huaweicloudsdk-core', '@huawei')
    """
    if "%" in name:
        name = unquote(name)
    if ptype != "pypi" or ("_" not in name and "." not in name and "--" not in name):
        return name.lower()
    return _PEP503_RUN.sub("-", name).lower()
