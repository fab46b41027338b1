"""Normalisation: the properties matching relies on (hypothesis) and hand-picked cases."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomscan.identifiers.hosts import domain_matches, email_domain, host_of, vcs_org
from sbomscan.identifiers.text import LEGAL_FORMS, name_tokens, normalize_name, normalize_text

SETTINGS = settings(max_examples=150, deadline=None)
words = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=8)
names = st.lists(words, min_size=1, max_size=5).map(" ".join)
seps = st.sampled_from([" ", "  ", "\t", "\n ", " \u3000 "])
any_text = st.text(max_size=40)


@SETTINGS
@given(any_text)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@SETTINGS
@given(any_text)
def test_normalize_name_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@SETTINGS
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30))
def test_case_insensitive(text: str) -> None:
    assert normalize_name(text.upper()) == normalize_name(text) == normalize_name(text.title())


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@SETTINGS
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -", max_size=30))
def test_width_insensitive(text: str) -> None:
    assert normalize_name(_fullwidth(text)) == normalize_name(text)


@SETTINGS
@given(st.lists(words, min_size=1, max_size=5), st.lists(seps, min_size=6, max_size=6))
def test_whitespace_insensitive(parts: list[str], gaps: list[str]) -> None:
    spaced = gaps[0] + "".join(p + g for p, g in zip(parts, gaps[1:] * 2, strict=False))
    assert normalize_name(spaced) == normalize_name(" ".join(parts))


SUFFIXES = ["Inc", "Inc.", ", Inc.", "LLC", "L.L.C.", "Ltd", "Ltd.", "Limited", "GmbH", "AG", "Co.", "Company",
            "Corp.", "Corporation", "S.A.", "SA", "B.V.", "N.V.", "PLC", "Co., Ltd.", "Ltd. Co.", "ZAO", "OOO",
            "ООО", "АО", "ЗАО", "НАО", "ПАО", "S.A.U.", "S.L.U.", "Ltda.", "Pvt. Ltd.", "Oyj", "GmbH & Co. KGaA",
            "有限公司", "股份有限公司", "株式会社"]  # fmt: skip


@SETTINGS
@given(names, st.sampled_from(SUFFIXES))
def test_legal_suffix_invariant(name: str, suffix: str) -> None:
    base = name_tokens(name)
    if not base or all(t in LEGAL_FORMS for t in base):
        return  # a name made only of legal forms keeps one of them by design
    assert name_tokens(f"{name} {suffix}") == base


@SETTINGS
@given(names, st.sampled_from(["AO", "ZAO", "OAO", "PAO", "OOO", "АО", "ЗАО", "ОАО", "ПАО", "ООО", "НАО"]))
def test_leading_russian_forms_dropped(name: str, form: str) -> None:
    base = name_tokens(name)
    if not base or base[0] in LEGAL_FORMS or all(t in LEGAL_FORMS for t in base):
        return
    assert name_tokens(f"{form} «{name}»") == base


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Huawei Technologies Co., Ltd.", "huawei technologies"),
        ("HUAWEI TECHNOLOGIES CO.,LTD", "huawei technologies"),
        ("Zhejiang Dahua Technology Co., Ltd.", "zhejiang dahua technology"),
        ("AO Kaspersky Lab", "kaspersky lab"),
        ("Kaspersky Lab ZAO", "kaspersky lab"),
        ("ЗАО «Лаборатория Касперского»", "лаборатория касперского"),
        ("НАО «Лаборатория Касперского»", "лаборатория касперского"),
        ("Teltronic S.A.U.", "teltronic"),
        ("“Kaspersky” — Lab", "kaspersky lab"),
        ("Hytera Communications Corporation Limited", "hytera communications"),
        ("华为技术有限公司", "华为技术"),
        ("中兴通讯股份有限公司", "中兴通讯"),
        ("株式会社カスペルスキー", "カスペルスキー"),
        ("Acme L.L.C.", "acme"),
        ("Acme S.A.", "acme"),
        ("Ltd", "ltd"),
        ("kaspersky-labs.com", "kaspersky labs com"),
        ("version 1.2.3", "version 1 2 3"),
        ("Huawei华为Cloud", "huawei 华为 cloud"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_nfkc_ligature_and_casefold() -> None:
    assert normalize_name("Straße ﬁrm") == "strasse firm"
    assert unicodedata.is_normalized("NFKC", normalize_text("ｶｽﾍﾟﾙｽｷｰ"))


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://dnl.kaspersky-labs.com/a/b?c#d", "dnl.kaspersky-labs.com"),
        ("git+https://github.com/KasperskyLab/Kaspresso.git", "github.com"),
        ("git@github.com:KasperskyLab/Kaspresso.git", "github.com"),
        ("scm:git:git@github.com:huaweicloud/sdk.git", "github.com"),
        ("http://user:pw@Huawei.COM:8080/x", "huawei.com"),
        ("github.com/huaweicloud/x", "github.com"),
        ("NOASSERTION", None),
        ("", None),
        ("mailto:a@b.com", None),
        ("http://[::1]/", None),
    ],
)
def test_host_of(url: str, host: str | None) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("host", "domain", "ok"),
    [
        ("dnl.kaspersky-labs.com", "kaspersky-labs.com", True),
        ("kaspersky.com", "kaspersky.com", True),
        ("notkaspersky.com", "kaspersky.com", False),
        ("kaspersky.com.evil.example", "kaspersky.com", False),
        ("KASPERSKY.COM.", "kaspersky.com", True),
    ],
)
def test_domain_matches(host: str, domain: str, ok: bool) -> None:
    assert domain_matches(host, domain) is ok


def test_email_domain() -> None:
    assert email_domain("mailto:someone@Sub.Huawei.com") == "sub.huawei.com"
    assert email_domain("no at sign") is None
    assert email_domain("a@localhost") is None


@pytest.mark.parametrize(
    ("url", "org"),
    [
        ("https://github.com/KasperskyLab/Kaspresso", ("github.com", "kasperskylab")),
        ("git+https://github.com/KasperskyLab/Kaspresso.git", ("github.com", "kasperskylab")),
        ("git@github.com:KasperskyLab/Kaspresso.git", ("github.com", "kasperskylab")),
        ("scm:git:git@gitlab.com:huawei/x.git", ("gitlab.com", "huawei")),
        ("https://www.github.com/huaweicloud", ("github.com", "huaweicloud")),
        ("https://bitbucket.org/zte/x/src", ("bitbucket.org", "zte")),
        ("https://github.com/", None),
        ("https://example.com/KasperskyLab/x", None),
        ("not a url", None),
    ],
)
def test_vcs_org(url: str, org: tuple[str, str] | None) -> None:
    assert vcs_org(url) == org


@SETTINGS
@given(any_text)
def test_url_helpers_never_crash(text: str) -> None:
    host_of(text)
    vcs_org(text)
    email_domain(text)
