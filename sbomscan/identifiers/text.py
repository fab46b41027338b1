"""Name normalisation shared by the entity index and the matcher (URL hosts, e-mail
domains and forge organisations are read in :mod:`sbomscan.identifiers.hosts`).

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
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

__all__ = [
    "LEADING_LEGAL_FORMS",
    "LEGAL_FORMS",
    "fast_tokens",
    "name_tokens",
    "normalize_name",
    "normalize_text",
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
