"""The host of a URL as a browser reads it, for matching against the entity data's domains.

A supplier can write a covered vendor's domain so that a plain comparison misses it while
every browser still goes there: ``kaspersky。com`` (an ideographic full stop),
``kaspersky．com`` or ``ｋａｓｐｅｒｓｋｙ.com`` (full-width forms), ``kaspersky%2Ecom``
(percent-encoded), ``https:\\\\kaspersky.com\\`` (backslashes, which browsers read as
slashes in web URLs) or ``//kaspersky.com/`` (scheme-relative). :func:`url_host` reads all
of them as ``kaspersky.com``: the host is cut out of the URL, percent-decoded, and mapped
by IDNA UTS #46 (the ``idna`` package: full-width and other compatible forms to their
plain form, the ideographic and full-width full stops to ".", case folded); a label that
is still not ASCII is given as its IDNA A-label (``xn--...``), which is what it resolves as.

This is the one place where the matcher turns a URL or e-mail domain into a host.

>>> url_host("https://kaspersky\u3002com/x"), url_host("https://kaspersky%2Ecom/"), url_host("//Kaspersky.com./")
('kaspersky.com', 'kaspersky.com', 'kaspersky.com')
>>> url_host("https:\\\\\\\\kaspersky.com\\\\x"), url_host("git@github.com:org/repo"), url_host("not a url")
('kaspersky.com', 'github.com', None)
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote

import idna

from .normalize import host_of

__all__ = ["normalize_host", "url_host"]


@lru_cache(maxsize=65536)
def normalize_host(host: str) -> str | None:
    """A host name as DNS resolves it: percent-decoded, IDNA UTS #46 mapped, lower case, no
    trailing dot; non-ASCII labels as A-labels. ``None`` when nothing host-like is left.

    >>> normalize_host("ＫＡＳＰＥＲＳＫＹ．ＣＯＭ"), normalize_host("b\u00fccher.example")
    ('kaspersky.com', 'xn--bcher-kva.example')
    """
    if "%" in host:
        host = unquote(host)
    if not host.isascii():
        try:
            host = idna.uts46_remap(host, std3_rules=False, transitional=False)
        except idna.IDNAError:
            return None
    host = host.strip().rstrip(".").lower()
    if not host or "." not in host or any(c in host for c in " /\\@"):
        return None
    if host.isascii():
        return host
    labels = []
    for label in host.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append(idna.encode(label, uts46=False).decode("ascii"))
        except idna.IDNAError:
            labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=65536)
def url_host(url: str) -> str | None:
    """The host of a URL (also ``git+https://``, scheme-relative ``//host/``, backslashed
    ``https:\\\\host\\``, scp-style ``git@host:org/repo`` and a bare ``host/path``), as
    :func:`normalize_host` gives it; ``None`` when there is none."""
    text = url.strip()
    if "\\" in text:
        text = text.replace("\\", "/")
    if text.startswith("//"):
        rest = text[2:]
    else:
        _scheme, sep, rest = text.partition("://")
        if not sep:
            found = host_of(text)
            return normalize_host(found) if found is not None else None
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        return None  # an IPv6 literal names no domain
    host = host.split(":", 1)[0]
    return normalize_host(host) if host else None
