"""Finding a JSON pointer's line and column in the original text (sbomscan.locate)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.entities import EntityDatabase, load_entities
from sbomscan.locate import json_positions, line_of_pointer, locate_report, yaml_positions
from sbomscan.report import to_sarif

KEYS = st.text(alphabet=st.sampled_from([*'ab/~"\\ é中\n\t', "\u2028", "\U0001f600"]), min_size=0, max_size=4)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def containers(value: Any, here: str = "") -> dict[str, Any]:
    """Every object and array below the root, by JSON pointer (the first of equal keys)."""
    out: dict[str, Any] = {}
    todo = [(here, value)]
    while todo:
        ptr, v = todo.pop()
        if isinstance(v, (dict, list)) and ptr:
            out[ptr] = v
        items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
        for k, child in items:
            todo.append((f"{ptr}/{_escape(str(k))}", child))
    return out


def offset_of(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES, indent=st.sampled_from([None, 0, 2, "\t"]), ascii_only=st.booleans())
def test_every_container_is_found_where_it_is_written(value: Any, indent: Any, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    wanted = containers(value)
    got = json_positions(text.encode("utf-8"), wanted)
    assert set(got) == set(wanted)
    for ptr, (line, column) in got.items():
        decoded, _end = json.JSONDecoder().raw_decode(text, offset_of(text, line, column))
        assert decoded == wanted[ptr], ptr


@settings(max_examples=300)
@given(value=VALUES, pick=st.integers(0, 50))
def test_a_single_pointer_is_found_with_everything_else_skipped(value: Any, pick: int) -> None:
    wanted = containers(value)
    if not wanted:
        return
    ptr = sorted(wanted)[pick % len(wanted)]
    text = json.dumps(value, indent=1)
    got = json_positions(text.encode(), [ptr, ptr + "/9999", "/not-there/0"])
    assert list(got) == [ptr]
    (line, column) = got[ptr]
    assert json.JSONDecoder().raw_decode(text, offset_of(text, line, column))[0] == wanted[ptr]


@given(st.binary(max_size=300), st.lists(st.text(max_size=8), max_size=4))
def test_arbitrary_bytes_never_raise(data: bytes, pointers: list[str]) -> None:
    assert isinstance(json_positions(data, pointers), dict)
    assert isinstance(yaml_positions(data, pointers), dict)


def test_truncated_json_reports_what_came_before() -> None:
    text = b'{"components": [{"name": "a"}, {"name": "b", "components": [{'
    assert json_positions(text, ["/components/0", "/components/1/components/0", "/components/2"]) == {
        "/components/0": (1, 17),
        "/components/1/components/0": (1, 61),
    }


def test_yaml_positions() -> None:
    text = b"spdxVersion: SPDX-2.3\npackages:\n  - name: a\n    SPDXID: SPDXRef-a\n  - name: b\n"
    assert yaml_positions(text, ["/packages/1", "/packages/0", "/files/0"]) == {
        "/packages/0": (3, 5),
        "/packages/1": (5, 5),
    }


def _container_paths(value: Any, here: str = "") -> list[str]:
    """Every pointer to a mapping or sequence inside ``value`` (the root excluded)."""
    out: list[str] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        child = f"{here}/{_escape(str(k))}"
        if isinstance(v, (dict, list)):
            out.append(child)
            out.extend(_container_paths(v, child))
    return out


def _yaml_files() -> list[Path]:
    from conftest import CORPUS

    found = sorted(HERE.glob("fixtures/**/*.yaml")) + sorted(HERE.glob("fixtures/**/*.yml"))
    if CORPUS.is_dir():
        found += sorted(CORPUS.rglob("*.yaml")) + sorted(CORPUS.rglob("*.yml"))
    return found


def test_yaml_events_find_what_the_node_tree_finds_on_every_yaml_file() -> None:
    # the event walk (issue 9: no node tree held) against the node walk it replaced
    from sbomscan.locate import _composed_positions

    files = _yaml_files()
    assert files, "no YAML fixture"
    for path in files:
        text = path.read_bytes()
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        wanted = set(_container_paths(value)) | {"/nope", "/packages/99999"}
        assert yaml_positions(text, wanted) == _composed_positions(text, wanted), path


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.booleans(), st.data())
def test_yaml_events_find_what_the_node_tree_finds(value: Any, flow: bool, data: st.DataObject) -> None:
    from sbomscan.locate import _composed_positions

    text = yaml.safe_dump({"top": value, "packages": [value, {"k": value}]}, default_flow_style=flow).encode()
    paths = _container_paths(yaml.safe_load(text))
    wanted = set(data.draw(st.lists(st.sampled_from(paths), max_size=6))) if paths else set()
    wanted |= {"/missing/0"}
    assert yaml_positions(text, wanted) == _composed_positions(text, wanted)


def test_yaml_edge_cases_match_the_node_tree() -> None:
    from sbomscan.locate import _composed_positions

    cases = [
        b"a: [1, {b: 2}]\na: [{c: 3}]\n",  # a repeated key: the first one's place
        b"? [x, y]\n: {z: [1]}\nq: [2]\n",  # a key that is not a scalar
        b"--- {a: [1]}\n--- {a: [2]}\n",  # two documents: compose refuses the stream
        b"base: &b {x: [1]}\nuse: *b\n",  # an alias: composed as before
        b"a: [1\n",  # cut short
    ]
    for text in cases:
        wanted = {"/a", "/a/1", "/a/0", "/q", "/use", "/use/x", "/base/x", "/? [x, y]"}
        assert yaml_positions(text, wanted) == _composed_positions(text, wanted), text


def test_yaml_positions_hold_no_node_tree() -> None:
    # issue 9: the node tree of a YAML SBOM took about eight times the document's memory
    # and was the peak of a whole scan; the event walk keeps only the path being read
    import tracemalloc

    packages = [{"SPDXID": f"SPDXRef-{i}", "name": f"p{i}", "versionInfo": "1.0"} for i in range(20_000)]
    text = yaml.safe_dump({"spdxVersion": "SPDX-2.3", "packages": packages}).encode()
    tracemalloc.start()
    try:
        found = yaml_positions(text, ["/packages/19999", "/packages/0"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found["/packages/0"] == (2, 3) and len(found) == 2  # keys sorted: packages first
    assert peak < len(text) // 10, (peak, len(text))


def test_line_written_by_the_reader() -> None:
    assert line_of_pointer("/bom/components/component[2] (line 61)") == 61
    assert line_of_pointer("line 7") == 7
    assert line_of_pointer("line 0") is None
    assert line_of_pointer("/packages/0") is None
    assert line_of_pointer("/bom/x (line 3) and more") is None


# ------------------------------------------------------------------ in scan reports

HERE = Path(__file__).resolve().parent
E2E = HERE / "fixtures" / "e2e"
AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def db() -> EntityDatabase:
    return load_entities([HERE / "fixtures" / "entities" / "base.json"], include_default=False)


def _object_at(path: Path, line: int, column: int) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.JSONDecoder().raw_decode(text, offset_of(text, line, column))[0]


@pytest.mark.parametrize(("bundle", "ref_key"), [("oem", "bom-ref"), ("tiers", "bom-ref")])
def test_cyclonedx_json_findings_carry_the_line_of_their_component(
    db: EntityDatabase, bundle: str, ref_key: str
) -> None:
    report = sbomscan.scan([E2E / bundle], entities=db, as_of=AS_OF)
    assert report.findings
    for f in report.findings:
        c = f.component
        assert c.line is not None and c.column is not None, c
        assert _object_at(Path(c.document), c.line, c.column)[ref_key] == c.bom_ref


def test_spdx_json_yaml_and_tag_value_findings_carry_lines(db: EntityDatabase, tmp_path: Path) -> None:
    src = E2E / "spdx" / "router.spdx.json"
    as_yaml = tmp_path / "router.spdx.yaml"
    as_yaml.write_text(yaml.safe_dump(json.loads(src.read_text(encoding="utf-8")), sort_keys=False))
    for path in (src, as_yaml, E2E / "spdx" / "router.spdx"):
        report = sbomscan.scan([path], entities=db, as_of=AS_OF)
        assert report.findings, path
        lines = path.read_text(encoding="utf-8").splitlines()
        for f in report.findings:
            c = f.component
            assert c.line is not None, (path, c)
            if path.suffix == ".json":
                assert _object_at(path, c.line, c.column or 1)["SPDXID"] == c.bom_ref
            elif path.suffix == ".yaml":
                # the mapping of the package starts on its line; its SPDXID is in the next lines
                block = "\n".join(lines[c.line - 1 : c.line + 30])
                assert f"SPDXID: {c.bom_ref}" in block.split("\n- ")[0]
            else:
                # tag-value: the reader's own "line N", the package's SPDXID line
                assert c.pointer == f"line {c.line}"
                assert lines[c.line - 1].strip() == f"SPDXID: {c.bom_ref}"


def test_sarif_regions_and_relative_uris(db: EntityDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE.parent)
    report = sbomscan.scan([(E2E / "oem").resolve()], entities=db, as_of=AS_OF)
    run = to_sarif(report)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "tests/fixtures/e2e/oem/gateway.cdx.json"
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1


def test_no_line_when_the_file_is_not_what_was_scanned(db: EntityDatabase, tmp_path: Path) -> None:
    src = E2E / "oem" / "gateway.cdx.json"
    copy = tmp_path / "gateway.cdx.json"
    copy.write_bytes(src.read_bytes())
    report = sbomscan.scan([copy], entities=db, as_of=AS_OF, locate=False)
    assert all(f.component.line is None for f in report.findings)
    copy.write_bytes(b"\n\n" + src.read_bytes())  # changed since the scan
    assert all(f.component.line is None for f in locate_report(report).findings)
    from_bytes = sbomscan.scan([src.read_bytes()], entities=db, as_of=AS_OF)
    assert from_bytes.findings and all(f.component.line is None for f in from_bytes.findings)


def test_files_over_the_locate_limit_keep_their_pointer_only(db: EntityDatabase, tmp_path: Path) -> None:
    src = E2E / "oem" / "gateway.cdx.json"
    report = sbomscan.scan([src], entities=db, as_of=AS_OF, locate=False)
    size = src.stat().st_size
    assert all(f.component.line is None for f in locate_report(report, max_file_bytes=size - 1).findings)
    located = locate_report(report, max_file_bytes=size).findings
    assert located and all(f.component.line is not None for f in located)
