"""Name and identifier normalisation shared by the entity index and the matcher.

Matching compares *whole tokens* and *exact identifiers*, never raw substrings, so that
"aztec-barcode" is not ZTE and "Kasper Skyline Games" is not Kaspersky. Both sides — the
aliases in the entity data and the text in an SBOM — go through the same functions here,
so an alias matches however the SBOM spells case, width, punctuation or legal form.

>>> normalize_name("Huawei Technologies Co., Ltd.")
'huawei technologies'
>>> normalize_name("АО «Лаборатория Касперского»")
'лаборатория касперского'
>>> normalize_name("ＨＵＡＷＥＩ  Technologies")
'huawei technologies'
>>> name_tokens("华为技术有限公司")
('华为技术',)
>>> host_of("git+https://user@dnl.Kaspersky-Labs.com:443/x")
'dnl.kaspersky-labs.com'
>>> domain_matches("dnl.kaspersky-labs.com", "kaspersky-labs.com"), domain_matches("notkaspersky.com", "kaspersky.com")
(True, False)
>>> vcs_org("git@github.com:KasperskyLab/Kaspresso.git")
('github.com', 'kasperskylab')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

__all__ = [
    "LEADING_LEGAL_FORMS",
    "LEGAL_FORMS",
    "VCS_HOSTS",
    "domain_matches",
    "domain_suffixes",
    "email_domain",
    "fast_tokens",
    "host_of",
    "name_tokens",
    "normalize_name",
    "normalize_text",
    "vcs_org",
]

# Legal-form words, as tokens after normalisation (dots removed from dotted abbreviations).
# Dropped at the end of a name, in any order and any number ("Co., Ltd." drops both).
LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "ag", "co", "company", "corp",
        "corporation", "sa", "bv", "nv", "plc", "lp", "llp", "kg", "kk", "srl", "sarl", "spa",
        "sas", "oy", "ab", "as", "aps", "pte", "pty", "bhd", "sdn", "se", "mbh",
        "sau", "slu", "ltda", "pvt", "oyj", "kgaa",
        "ao", "zao", "oao", "pao", "ooo",
        "ао", "зао", "оао", "пао", "ооо", "нао",
        "有限公司", "股份有限公司", "有限责任公司", "株式会社", "有限會社",
    }
)  # fmt: skip
# The Russian forms are also written before the name ("АО «Лаборатория Касперского»").
LEADING_LEGAL_FORMS: frozenset[str] = frozenset(
    {"ao", "zao", "oao", "pao", "ooo", "ао", "зао", "оао", "пао", "ооо", "нао", "株式会社"}
)
# Suffixes glued to a CJK name without a space ("华为技术有限公司"), longest first.
_CJK_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "有限會社", "株式会社")
_CJK_PREFIXES = ("株式会社",)

VCS_HOSTS: frozenset[str] = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "sourceforge.net", "sr.ht"}
)

# Every character that is not a letter, digit or mark becomes a separator, except "." which
# is handled separately so that "L.L.C." becomes "llc" but "kaspersky.com" two tokens.
_SEPARATORS = re.compile(r"[^\w.]+|_+")
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.){2,}|(?:[^\W\d_]\.)+[^\W\d_]")
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)")

# ASCII fast path: punctuation (including ".") to space; used only to decide whether a text
# can contain an alias at all, before paying for the full normalisation.
_ASCII_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})


def normalize_text(text: str) -> str:
    """NFKC, casefold, punctuation/quotes/dashes to spaces, dotted abbreviations joined,
    whitespace collapsed. Legal forms are kept (see :func:`normalize_name`).

    >>> normalize_text("  Kaspersky\u2014Lab, L.L.C.  ")
    'kaspersky lab llc'
    """
    return " ".join(_raw_tokens(text))


def _raw_tokens(text: str) -> Iterator[str]:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    for chunk in _SEPARATORS.split(folded):
        if not chunk:
            continue
        if "." in chunk:
            if _DOTTED_ABBREVIATION.fullmatch(chunk):
                chunk = chunk.replace(".", "")
                if chunk:
                    yield from _split_cjk(chunk)
                continue
            for part in chunk.split("."):
                if part:
                    yield from _split_cjk(part)
        else:
            yield from _split_cjk(chunk)


def _split_cjk(chunk: str) -> Iterator[str]:
    """Keep a CJK run as one token, separate from adjoining Latin letters or digits, and
    with a glued legal form ("华为技术有限公司") split off as a token of its own."""
    if chunk.isascii():
        yield chunk
        return
    for piece in _CJK.split(chunk):
        if piece:
            yield from _peel_cjk_legal(piece)


def _peel_cjk_legal(token: str) -> Iterator[str]:
    if token.isascii() or len(token) < 3:
        yield token
        return
    head: list[str] = []
    tail: list[str] = []
    changed = True
    while changed and token not in LEGAL_FORMS:
        changed = False
        for suffix in _CJK_SUFFIXES:
            if token.endswith(suffix) and len(token) > len(suffix):
                token, changed = token[: -len(suffix)], True
                tail.insert(0, suffix)
                break
        for prefix in _CJK_PREFIXES:
            if token.startswith(prefix) and len(token) > len(prefix):
                token, changed = token[len(prefix) :], True
                head.append(prefix)
                break
    yield from head
    yield token
    yield from tail


@lru_cache(maxsize=131072)
def name_tokens(text: str) -> tuple[str, ...]:
    """The tokens of a name with legal forms dropped at the end (and Russian ones at the
    start). One token always survives, so "Ltd" alone stays "ltd".

    >>> name_tokens("Zhejiang Dahua Technology Co., Ltd.")
    ('zhejiang', 'dahua', 'technology')
    >>> name_tokens("OOO Kaspersky Group")
    ('kaspersky', 'group')
    """
    tokens = list(_raw_tokens(text))
    end = len(tokens)
    while end > 1 and tokens[end - 1] in LEGAL_FORMS:
        end -= 1
    start = 0
    while end - start > 1 and tokens[start] in LEADING_LEGAL_FORMS:
        start += 1
    return tuple(tokens[start:end])


def normalize_name(text: str) -> str:
    """A name as one comparable string: :func:`name_tokens` joined by single spaces."""
    return " ".join(name_tokens(text))


def fast_tokens(text: str) -> list[str] | None:
    """Cheap tokens of an ASCII text (lower-case, punctuation split), or ``None`` when the
    text is not ASCII and needs the full normalisation. Used as a pre-filter only.

    >>> fast_tokens("Kasper-Skyline_Games.com")
    ['kasper', 'skyline', 'games', 'com']
    """
    if not text.isascii():
        return None
    return text.lower().translate(_ASCII_PUNCT).split()


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
