"""CPE 2.2 URI and 2.3 formatted-string parsing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomscan.identifiers.cpe import Cpe, parse_cpe


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "cpe:2.3:a:kaspersky:anti-virus:16.0.0.614:*:*:*:*:*:*:*",
            Cpe("a", "kaspersky", "anti-virus", "16.0.0.614"),
        ),
        ("cpe:2.3:h:zte:f660:-:*:*:*:*:*:*:*", Cpe("h", "zte", "f660", None)),
        ("cpe:2.3:o:Huawei:EulerOS:2.0:*:*:*:*:*:*:*", Cpe("o", "huawei", "euleros", "2.0")),
        (r"cpe:2.3:a:acme\:corp:scanner:1.0:*:*:*:*:*:*:*", Cpe("a", "acme:corp", "scanner", "1.0")),
        (r"cpe:2.3:a:at\&t:x\!y:1\.0\-beta:*:*:*:*:*:*:*", Cpe("a", "at&t", "x!y", "1.0-beta")),
        (r"cpe:2.3:a:back\\slash:p:*:*:*:*:*:*:*:*", Cpe("a", "back\\slash", "p", None)),
        ("cpe:2.3:a:*:*:*:*:*:*:*:*:*:*", Cpe("a", None, None, None)),
        ("cpe:2.3:a:hikvision", Cpe("a", "hikvision", None, None)),
        ("CPE:2.3:A:Dahua:NVR:*:*:*:*:*:*:*:*", Cpe("a", "dahua", "nvr", None)),
        (
            "cpe:/a:kaspersky_lab:kaspersky_anti-virus:2009",
            Cpe("a", "kaspersky_lab", "kaspersky_anti-virus", "2009"),
        ),
        ("cpe:/h:hikvision:ds-2cd2032-i", Cpe("h", "hikvision", "ds-2cd2032-i", None)),
        ("cpe:/a:acme%3acorp:tool%21:1.0", Cpe("a", "acme:corp", "tool!", "1.0")),
        ("cpe:/a:kaspersky", Cpe("a", "kaspersky", None, None)),
        ("cpe:/::", Cpe(None, None, None, None)),
        ("cpe:/a:x:y:1.0:sp1:~~~windows~~", Cpe("a", "x", "y", "1.0")),
    ],
)
def test_parse(text: str, expected: Cpe) -> None:
    assert parse_cpe(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "kaspersky",
        "cpe:",
        "cpe:2.3:",
        "cpe:2.3:q:kaspersky:x",
        "cpe:/q:kaspersky",
        "pkg:npm/kaspersky",
        "cpe:2.2:a:x",
    ],
)
def test_not_a_cpe(text: str) -> None:
    assert parse_cpe(text) is None


def test_escaped_colon_is_not_a_separator() -> None:
    # the vendor here is "acme:kaspersky", not "acme": matching must not see "kaspersky" as vendor
    cpe = parse_cpe(r"cpe:2.3:a:acme\:kaspersky:tool:*:*:*:*:*:*:*:*")
    assert cpe is not None and cpe.vendor == "acme:kaspersky" and cpe.product == "tool"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_never_crashes(text: str) -> None:
    result = parse_cpe(text)
    assert result is None or isinstance(result, Cpe)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40).map(lambda s: "cpe:2.3:a:" + s))
def test_never_crashes_on_cpe_prefix(text: str) -> None:
    parse_cpe(text)
    parse_cpe(text.replace("cpe:2.3:", "cpe:/"))


_FIELD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.:!&\\*?", min_size=1, max_size=12)


def _escape(value: str) -> str:
    return "".join("\\" + c if not (c.isalnum() or c == "_") else c for c in value)


@settings(max_examples=200, deadline=None)
@given(_FIELD, _FIELD)
def test_roundtrip_escaped_23(vendor: str, product: str) -> None:
    cpe = parse_cpe(f"cpe:2.3:a:{_escape(vendor)}:{_escape(product)}:1:*:*:*:*:*:*:*")
    assert cpe is not None
    assert (cpe.vendor, cpe.product) == (vendor, product)
