"""The one purl reader (sbomscan.identifiers.purl): its fast path reads every purl exactly
as packageurl-python does, and the readers that used to parse purls by hand (waivers,
tracing, the matcher) now agree with it — the versionless npm-scope waiver among them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sbomscan.entities import load_entities
from sbomscan.identifiers import purl as purl_module
from sbomscan.identifiers.purl import Purl, name_key, parse_purl, split_purl
from sbomscan.match import Matcher
from sbomscan.model import Component
from sbomscan.waivers import Waiver, parse_waivers

TYPES = ["npm", "NPM", "pypi", "maven", "github", "golang", "generic", "pub", "hackage", "huggingface"]
TYPES += ["oci", "cpan", "mlflow", "conan", "gem", "cargo", "nuget", "bitbucket", "swift", "x"]
SEGMENT_CHARS = "aAbBzZ09._-~+!$&'()*,;=@:% /?#\u00e9"
segment = st.text(alphabet=SEGMENT_CHARS, min_size=0, max_size=6)


@st.composite
def purls(draw: st.DrawFn) -> str:
    """Purl-like text around the fast path's edges: every type rule the library has, "@"
    and "%" and ":" in any part, empty segments, qualifiers and subpaths."""
    text = "pkg:" + draw(st.sampled_from(["", "/", "//"])) + draw(st.sampled_from(TYPES))
    for part in draw(st.lists(segment, min_size=0, max_size=3)):
        text += "/" + draw(st.sampled_from(["", "@", "%40"])) + part
    text += "/" + draw(segment)
    if draw(st.booleans()):
        text += "@" + draw(segment)
    if draw(st.booleans()):
        text += draw(st.sampled_from(["?a=1", "?x", "?a=1&b", "#sub/p", "?=#"]))
    return text


@settings(max_examples=600, deadline=None)
@given(purls())
@example("pkg:npm/@huawei/push")
@example("pkg:npm/@huawei/sub/push")
@example("pkg:maven/@x/push")
@example("pkg:pypi/Huawei_Cloud.SDK@1.0")
@example("pkg:pub/Huawei_Push")
@example("pkg:huggingface/Org/Model@ABC")
@example("pkg:maven/com.huawei.hms/")
@example("pkg:npm/0@")
@example("pkg:npm/@@")
def test_fast_path_reads_as_the_library_does(text: str) -> None:
    fast = parse_purl.__wrapped__(text)  # type: ignore[attr-defined]
    assert fast == purl_module._library(text)
    split = split_purl(text)
    if split is not None:  # the matcher's pieces name the same package
        assert fast is not None
        assert purl_module.purl_head(split[0]) == (fast.type, fast.namespace)
        assert (split[2] is None) == (fast.version is None)
        assert name_key(fast.type, split[1]) == name_key(fast.type, fast.name)


def test_fast_path_takes_the_common_shapes() -> None:
    for text in ("pkg:npm/%40babel/core@7.22.0", "pkg:maven/com.huawei.hms/push@6.11.0", "pkg:pypi/x_y@1"):
        assert split_purl(text) is not None, text
    # left to the library: escapes in the name, qualifiers, a type it normalises otherwise
    for text in ("pkg:npm/a%62c@1", "pkg:maven/a/b@1?type=jar", "pkg:pub/Abc", "pkg:hackage/a_b"):
        assert split_purl(text) is None, text
        assert parse_purl(text) == purl_module._library(text)


def test_a_malformed_qualifier_does_not_hide_the_package() -> None:
    assert parse_purl("pkg:maven/com.huawei.hms/push@6.11?x") == Purl(
        "maven", "com.huawei.hms", "push", "6.11"
    )
    db = load_entities()
    m = Matcher(db, as_of=date(2026, 12, 5))
    c = Component("d#1", "1", "d", "push", purl="pkg:maven/com.huawei.hms/push@6.11?x")
    assert [x.entity_id for x in m.match_component(c)] == ["huawei"]


# -- waivers -----------------------------------------------------------------------------

KW = {"bom_ref": "r", "name": "push", "version": None}


@pytest.mark.parametrize(
    ("waiver_purl", "component_purl", "selected"),
    [
        ("pkg:npm/@huawei/push", "pkg:npm/@huawei/push@6.1.0", True),  # the bug: "@" was a version
        ("pkg:npm/@huawei/push", "pkg:npm/%40huawei/push@6.1.0", True),
        ("pkg:npm/%40huawei/push", "pkg:npm/@huawei/push", True),
        ("pkg:npm/@huawei/push", "pkg:npm/@huawei/push-kit@6.1.0", False),
        ("pkg:npm/@huawei/push", "pkg:npm/@other/push@6.1.0", False),
        ("pkg:npm/@huawei/push@6.1.0", "pkg:npm/@huawei/push@6.1.0?x=1", True),
        ("pkg:npm/@huawei/push@6.1.0", "pkg:npm/@huawei/push@6.2.0", False),
        ("pkg:pypi/Huawei_Cloud", "pkg:pypi/huawei-cloud@3", True),
        ("pkg:generic/kav-sdk", "pkg:generic/kav-sdk-extra@9.9", False),
    ],
)
def test_waiver_purl_selects_by_package(waiver_purl: str, component_purl: str, selected: bool) -> None:
    w = Waiver("huawei", "j", "a", date(2030, 1, 1), purl=waiver_purl)
    assert w.selects(entity="huawei", purl=component_purl, **KW) is selected


def test_versionless_scoped_waiver_applies_in_a_scan(tmp_path: object) -> None:
    """End to end: the waiver from the bug report waives the finding it names."""
    import json
    from pathlib import Path

    import sbomscan

    folder = Path(str(tmp_path))
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [
            {"type": "library", "bom-ref": "p", "name": "push", "group": "@huawei", "version": "6.1.0",
             "purl": "pkg:npm/%40huawei/push@6.1.0", "supplier": {"name": "Huawei Technologies Co., Ltd."}}
        ],
    }  # fmt: skip
    (folder / "bom.json").write_text(json.dumps(bom))
    (folder / "w.yaml").write_text(
        "- entity: huawei\n  purl: pkg:npm/@huawei/push\n  justification: j\n  approver: a\n  expiry: 2030-01-01\n"
    )
    waivers = sbomscan.load_waivers(folder / "w.yaml")
    report = sbomscan.scan([folder / "bom.json"], waivers=waivers, as_of=date(2026, 12, 5))
    huawei = [f for f in report.findings if f.entity.id == "huawei"]
    assert huawei and all(f.waiver is not None for f in huawei)


def test_a_waiver_purl_that_is_no_purl_is_refused() -> None:
    from sbomscan.errors import WaiverError

    entry = {
        "entity": "k",
        "purl": "pkg:npm/@huawei",
        "justification": "j",
        "approver": "a",
        "expiry": "2030-01-01",
    }
    with pytest.raises(WaiverError, match=r"w.yaml: /0/purl: 'purl' 'pkg:npm/@huawei' is not a package URL"):
        parse_waivers([entry], "w.yaml")
