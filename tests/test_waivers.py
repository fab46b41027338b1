"""Waiver files: JSON and YAML, validation errors with file and pointer, selectors, expiry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomscan.errors import WaiverError
from sbomscan.waivers import Waiver, load_waivers, parse_waivers

YAML = """\
# reviewed 2026-01-10
waivers:
  - entity: kaspersky
    purl: pkg:generic/kav-sdk@8.0
    justification: Engine disabled at build time; removal tracked in TICKET-12
    approver: J. Smith, Contracting Officer
    expiry: 2027-03-31
  - entity: huawei
    name: hms-push
    version: 6.11.0
    justification: Only in the China build, not delivered
    approver: A. Buyer
    expiry: "2026-06-30"
"""


def test_yaml_file(tmp_path: Path) -> None:
    p = tmp_path / "w.yaml"
    p.write_text(YAML)
    ws = load_waivers(p)
    assert [w.entity for w in ws] == ["kaspersky", "huawei"]
    assert ws[0].expiry == date(2027, 3, 31)
    assert ws[1].expiry == date(2026, 6, 30)
    assert ws[1].selector == "name hms-push version 6.11.0"
    assert ws[0].source == str(p) and ws[1].pointer == "/waivers/1"


def test_json_file(tmp_path: Path) -> None:
    p = tmp_path / "w.json"
    p.write_text(
        '[{"entity": "zte", "bom_ref": "modem", "justification": "j", "approver": "a", "expiry": "2030-01-01"}]'
    )
    (w,) = load_waivers(p)
    assert w.bom_ref == "modem" and w.selector == "bom-ref modem"


@pytest.mark.parametrize(
    ("content", "pointer", "reason"),
    [
        (
            '[{"entity": "k", "justification": "j", "approver": "a", "expiry": "2030-01-01"}]',
            "/0",
            "selector",
        ),
        (
            '[{"entity": "k", "purl": "pkg:x/y", "approver": "a", "expiry": "2030-01-01"}]',
            "/0",
            "justification",
        ),
        ('[{"entity": "k", "purl": "pkg:x/y", "justification": "j", "approver": "a"}]', "/0", "expiry"),
        (
            '[{"entity": "k", "purl": "pkg:x/y", "justification": "j", "approver": "a", "expiry": "31/12/2030"}]',
            "/0/expiry",
            "YYYY-MM-DD",
        ),
        (
            '[{"entity": "k", "purl": "x/y", "justification": "j", "approver": "a", "expiry": "2030-01-01"}]',
            "/0/purl",
            "pkg:",
        ),
        (
            '[{"entity": "k", "name": "n", "justification": "j", "approver": "a", "expiry": "2030-01-01"}]',
            "/0",
            "version",
        ),
        (
            '[{"entity": "k", "name": "n", "version": "1", "bom_ref": "r", "justification": "j", "approver": "a", '
            '"expiry": "2030-01-01"}]',
            "/0",
            "only one",
        ),
        (
            '[{"entity": "k", "purl": "pkg:x/y", "justification": "j", "approver": "a", "expiry": "2030-01-01", '
            '"expires": "x"}]',
            "/0/expires",
            "unknown field",
        ),
        (
            '[{"entity": 3, "purl": "pkg:x/y", "justification": "j", "approver": "a", "expiry": "2030-01-01"}]',
            "/0/entity",
            "string",
        ),
        ('{"waivers": 3}', "/waivers", "list"),
        ("[1]", "/0", "object"),
    ],
)
def test_invalid_waivers_name_file_pointer_and_reason(
    tmp_path: Path, content: str, pointer: str, reason: str
) -> None:
    p = tmp_path / "bad.json"
    p.write_text(content)
    with pytest.raises(WaiverError) as info:
        load_waivers(p)
    err = info.value
    assert err.source == str(p)
    assert err.pointer == pointer
    assert reason in err.reason
    assert str(err).startswith(f"{p}: {pointer}: ")
    assert "\n" not in str(err)


def test_syntax_errors_are_waiver_errors(tmp_path: Path) -> None:
    bad_json = tmp_path / "w.json"
    bad_json.write_text('[{"entity": ')
    with pytest.raises(WaiverError, match="invalid JSON at line 1"):
        load_waivers(bad_json)
    bad_yaml = tmp_path / "w.yaml"
    bad_yaml.write_text("- entity: [unclosed\n")
    with pytest.raises(WaiverError, match="invalid YAML"):
        load_waivers(bad_yaml)
    with pytest.raises(WaiverError, match="No such file"):
        load_waivers(tmp_path / "missing.yaml")


def test_yaml_is_read_safely(tmp_path: Path) -> None:
    p = tmp_path / "w.yaml"
    p.write_text("- !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(WaiverError):
        load_waivers(p)


def test_empty_file_is_no_waivers(tmp_path: Path) -> None:
    p = tmp_path / "w.yaml"
    p.write_text("# nothing yet\n")
    assert load_waivers(p) == []


def test_selectors() -> None:
    by_purl = Waiver("k", "j", "a", date(2030, 1, 1), purl="pkg:generic/kav-sdk@8.0")
    kw = {"entity": "k", "bom_ref": "r", "name": "kav-sdk", "version": "8.0"}
    assert by_purl.selects(purl="pkg:generic/kav-sdk@8.0", **kw)
    assert by_purl.selects(purl="pkg:GENERIC/kav-sdk@8.0?arch=x86", **kw)  # type is case-insensitive
    assert not by_purl.selects(purl="pkg:generic/kav-sdk@8.1", **kw)
    assert not by_purl.selects(purl=None, **kw)
    any_version = Waiver("k", "j", "a", date(2030, 1, 1), purl="pkg:generic/kav-sdk")
    assert any_version.selects(purl="pkg:generic/kav-sdk@9.9", **kw)
    assert not any_version.selects(purl="pkg:generic/kav-sdk-extra@9.9", **kw)
    by_name = Waiver("k", "j", "a", date(2030, 1, 1), name="kav-sdk", version="8.0")
    assert by_name.selects(purl=None, **kw)
    assert not by_name.selects(purl=None, **{**kw, "version": "8.1"})
    by_ref = Waiver("k", "j", "a", date(2030, 1, 1), bom_ref="r")
    assert by_ref.selects(purl=None, **kw)
    assert not by_ref.selects(purl=None, **{**kw, "entity": "zte"})


def test_expiry_is_inclusive() -> None:
    w = Waiver("k", "j", "a", date(2026, 1, 1), bom_ref="r")
    assert not w.expired(date(2026, 1, 1))
    assert w.expired(date(2026, 1, 2))


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_arbitrary_data_is_accepted_or_a_waiver_error(obj: object) -> None:
    try:
        ws = parse_waivers(obj, "x.json")
    except WaiverError as exc:
        assert exc.source == "x.json"
    else:
        assert all(isinstance(w, Waiver) for w in ws)
