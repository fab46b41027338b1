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

from .fold import fold_text
from .normalize import host_of

__all__ = ["look_alike_host", "normalize_host", "url_host"]


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
    host = _raw_host(url)
    return normalize_host(host) if host else None


def _raw_host(url: str) -> str | None:
    """The host part of a URL as written (not yet decoded or mapped)."""
    text = url.strip()
    if "\\" in text:
        text = text.replace("\\", "/")
    if text.startswith("//"):
        rest = text[2:]
    else:
        _scheme, sep, rest = text.partition("://")
        if not sep:
            return host_of(text)
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        return None  # an IPv6 literal names no domain
    return host.split(":", 1)[0] or None


def look_alike_host(url: str) -> str | None:
    """For a URL whose host is written with look-alike or invisible characters
    (``kаspersky.com`` with a Cyrillic ``а``: an IDN homograph, which resolves to another
    name), the host it imitates, folded as names are (:func:`sbomscan.fold.fold_text`);
    ``None`` when the host is plain or folds to itself.

    >>> look_alike_host("https://k\u0430spersky.com/"), look_alike_host("https://kaspersky.com/")
    ('kaspersky.com', None)
    """
    host = _raw_host(url)
    if host is None:
        return None
    if "%" in host:
        host = unquote(host)
    if "xn--" in host.lower():  # an A-label: the Unicode name it stands for
        try:
            host = idna.decode(host)
        except (idna.IDNAError, UnicodeError):
            return None
    if host.isascii():
        return None
    folded = fold_text(host)
    if folded is None:
        return None
    imitated = normalize_host(folded)
    return imitated if imitated is not None and imitated != normalize_host(host) else None
