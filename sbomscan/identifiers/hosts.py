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

This is the one place where a URL or an e-mail address is turned into a host: the plain
readings (:func:`host_of`, :func:`email_domain`, :func:`vcs_org` for a forge organisation)
and the careful ones a browser applies (:func:`url_host`).

>>> url_host("https://kaspersky\u3002com/x"), url_host("https://kaspersky%2Ecom/"), url_host("//Kaspersky.com./")
('kaspersky.com', 'kaspersky.com', 'kaspersky.com')
>>> url_host("https:\\\\\\\\kaspersky.com\\\\x"), url_host("git@github.com:org/repo"), url_host("not a url")
('kaspersky.com', 'github.com', None)
>>> host_of("git+https://user@dnl.Kaspersky-Labs.com:443/x")
'dnl.kaspersky-labs.com'
>>> domain_matches("dnl.kaspersky-labs.com", "kaspersky-labs.com"), domain_matches("notkaspersky.com", "kaspersky.com")
(True, False)
>>> vcs_org("git@github.com:KasperskyLab/Kaspresso.git")
('github.com', 'kasperskylab')
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote

import idna

from .fold import fold_text

__all__ = [
    "VCS_HOSTS",
    "domain_matches",
    "domain_suffixes",
    "email_domain",
    "host_of",
    "look_alike_host",
    "normalize_host",
    "url_host",
    "vcs_org",
]

VCS_HOSTS: frozenset[str] = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "sourceforge.net", "sr.ht"}
)


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
    name), the host it imitates, folded as names are (:func:`sbomscan.identifiers.fold.fold_text`);
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


@lru_cache(maxsize=65536)
def host_of(url: str) -> str | None:
    """The lower-case host of a URL, also for ``git+https://``, ``scm:git:`` and scp-style
    ``git@host:org/repo``; ``None`` when there is none.

    >>> host_of("https://WWW.Huawei.com./en/"), host_of("mailto:x@y.com"), host_of("not a url")
    ('www.huawei.com', None, None)
    """
    text = url.strip()
    if not text:
        return None
    _scheme, sep, rest = text.partition("://")
    if not sep:
        # scp-like "git@github.com:org/repo" or a bare "github.com/org/repo"
        if "@" in text and ":" in text and " " not in text and not text.startswith("mailto:"):
            rest = text.split("@", 1)[1].split(":", 1)[0]
        elif "/" in text and " " not in text and "." in text.split("/", 1)[0] and ":" not in text:
            rest = text
        else:
            return None
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rpartition("@")[2]
    if host.startswith("["):
        return None
    host = host.split(":", 1)[0].strip().rstrip(".").lower()
    if not host or "." not in host or " " in host:
        return None
    return host


def email_domain(email: str) -> str | None:
    """The lower-case domain of an e-mail address (``mailto:`` and ``<...>`` tolerated).

    >>> email_domain("Jane Doe <jane@Kaspersky.COM>"), email_domain("nobody")
    ('kaspersky.com', None)
    """
    text = email.strip().rstrip(">").strip()
    if text.startswith("mailto:"):
        text = text[7:]
    _, at, domain = text.rpartition("@")
    if not at:
        return None
    domain = domain.split("?", 1)[0].strip().rstrip(".").lower()
    if not domain or "." not in domain or " " in domain:
        return None
    return domain


def domain_suffixes(host: str) -> Iterator[str]:
    """The host and each parent domain: ``a.b.com``, ``b.com``, ``com``."""
    yield host
    while True:
        dot = host.find(".")
        if dot < 0:
            return
        host = host[dot + 1 :]
        yield host


def domain_matches(host: str, domain: str) -> bool:
    """``host`` is ``domain`` or one of its subdomains (label-wise, not by substring)."""
    host, domain = host.lower().rstrip("."), domain.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)


@lru_cache(maxsize=65536)
def vcs_org(url: str) -> tuple[str, str] | None:
    """``(host, org)`` for a repository URL on a known forge; org is case-folded because the
    forges treat organisation names case-insensitively.

    >>> vcs_org("https://gitlab.com/huawei/foo/-/tree/main"), vcs_org("https://example.com/a/b")
    (('gitlab.com', 'huawei'), None)
    """
    host = host_of(url)
    if host is None:
        return None
    if host.startswith("www."):
        host = host[4:]
    if host not in VCS_HOSTS:
        return None
    text = url.strip()
    if "://" in text:
        rest = (text.split("://", 1)[1].split("/", 1)[1:] or [""])[0]
    elif "@" in text:
        after = text.split("@", 1)[1]
        rest = after.split(":", 1)[1] if ":" in after else (after.split("/", 1)[1:] or [""])[0]
    else:
        rest = (text.split("/", 1)[1:] or [""])[0]
    rest = rest.split("?", 1)[0].split("#", 1)[0]
    org = rest.split("/", 1)[0].strip()
    if host == "sourceforge.net" and org in ("projects", "p") and "/" in rest:
        org = rest.split("/", 2)[1]
    if org.endswith(".git"):
        org = org[:-4]
    org = org.lstrip("~").casefold()
    return (host, org) if org else None
