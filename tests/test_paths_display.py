"""How paths and components are shown: containers kept when nothing connects them to the
root (issue 8 item 5), npm scopes and Maven groups in names, the boundary where a path
crosses into a supplier's SBOM, one PathStep type, and the smaller display items of
issue 14 (``Report.failing`` with a bad severity, ``entities show``)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import sbomscan
import sbomscan.report.model
from sbomscan.cli import main
from sbomscan.errors import UsageError
from sbomscan.report import render

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PATHS = HERE / "fixtures" / "paths"
ENTITIES = HERE / "fixtures" / "entities" / "base.json"
DATA = ["--entities", str(ENTITIES), "--as-of", "2026-01-01"]
EXAMPLE = ROOT / "examples" / "secure-gateway"

CONTAINED = ["SecureGate 5000", "gateway-firmware", "threat-scanner", "avengine"]
CONTAINED_RELATIONS = [None, "listed", "contains", "contains"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- containers (issue 8.5)


@pytest.mark.parametrize("fixture", ["nested-assemblies.cdx.json", "undescribed-container.spdx.json"])
def test_containers_stay_in_the_path_in_every_format(fixture: str, tmp_path: Path) -> None:
    """root → listed → gateway-firmware → contains → threat-scanner → contains → avengine:
    "listed" attaches to the top-most unconnected component only; CycloneDX nested
    assemblies without ``dependencies``, and SPDX packages that contain others but are not
    described, alike."""
    bom = str(PATHS / fixture)
    expected = (
        "SecureGate 5000 5.0 → listed → gateway-firmware 2.1 → contains → threat-scanner 3.0 → "
        "contains → avengine 8.0"
    )
    for fmt in ("text", "json", "sarif", "markdown"):
        out_file = tmp_path / f"report.{fmt}"
        code, _, err = run("scan", bom, *DATA, "--format", fmt, "-o", str(out_file))
        assert code == 1, err
        out = out_file.read_text(encoding="utf-8")
        if fmt == "json":
            (finding,) = json.loads(out)["findings"]
            assert [s["name"] for s in finding["paths"][0]] == CONTAINED
            assert [s["relation"] for s in finding["paths"][0]] == CONTAINED_RELATIONS
            assert finding["listed_only"] is True
        elif fmt == "sarif":
            (result,) = json.loads(out)["runs"][0]["results"]
            assert result["properties"]["paths"] == [expected]
            steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
            assert [s["location"]["message"]["text"] for s in steps] == [
                "SecureGate 5000 5.0",
                "listed gateway-firmware 2.1",
                "contains threat-scanner 3.0",
                "contains avengine 8.0",
            ]
        elif fmt == "text":
            assert expected in " ".join(line.strip() for line in out.splitlines())
            assert "lists gateway-firmware, which holds it" in " ".join(out.split())
        else:
            assert f"1. {expected}" in out
    code, out, _ = run("paths", bom, "--to", "avengine")
    assert code == 0 and expected in out
    code, out, _ = run("paths", bom, "--to", "avengine", "--format", "json")
    (item,) = json.loads(out)
    assert [s["name"] for s in item["paths"][0]] == CONTAINED and item["listed_only"]


def test_listed_only_diagnostic_names_the_container() -> None:
    db = sbomscan.load_entities([ENTITIES], include_default=False)
    report = sbomscan.scan([PATHS / "nested-assemblies.cdx.json"], entities=db, as_of="2026-01-01")
    (diag,) = [d for d in report.diagnostics if d.code == "listed-only"]
    assert "avengine is inside gateway-firmware" in diag.message


# ---------------------------------------------------------------- namespaces (issue 14)


def test_npm_scopes_and_maven_groups_are_shown_and_selectable() -> None:
    bom = str(PATHS / "namespaced.cdx.json")
    code, out, _ = run("paths", bom, "--to", "core")
    assert code == 0
    heads = [line.split(" (")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert heads == [
        "@babel/core 7.22.0",
        "@angular/core 17.0.0",  # scope from the purl: the document gives no group
        "com.huawei.hms:core 6.11.0",
        "@nuxt/core 3.0.0",
        "core 1.0.0",
    ]
    for selector, head in (
        ("@babel/core", "@babel/core 7.22.0"),
        ("@angular/core@17.0.0", "@angular/core 17.0.0"),
        ("com.huawei.hms:push", "com.huawei.hms:push 6.11.0.300"),
        ("COM.HUAWEI.HMS:PUSH@6.11.0.300", "com.huawei.hms:push 6.11.0.300"),
    ):
        code, out, _ = run("paths", bom, "--to", selector)
        assert code == 0 and out.splitlines()[0].startswith(head + " ("), selector
        assert sum(1 for line in out.splitlines() if not line.startswith(" ")) == 1
    code, out, _ = run("scan", bom, *DATA)
    assert "in com.huawei.hms:push 6.11.0.300" in out and "→ com.huawei.hms:core 6.11.0" in out
    code, out, _ = run("scan", bom, *DATA, "--format", "json")
    comps = {f["component"]["name"] + "@" + f["component"]["group"] for f in json.loads(out)["findings"]}
    assert comps == {"core@com.huawei.hms", "push@com.huawei.hms"}


def test_qualified_name_rules() -> None:
    q = sbomscan.report.model.qualified_name
    assert q("core", "@babel") == "@babel/core"
    assert q("push", "com.huawei.hms") == "com.huawei.hms:push"
    assert q("y", "github.com/x") == "github.com/x/y"
    assert q("@babel/core", "@babel") == "@babel/core"
    assert q("core", None) == q("core", "") == "core"


# ---------------------------------------------------------------- document boundaries


def test_a_path_into_a_suppliers_sbom_shows_the_boundary() -> None:
    code, out, _ = run("paths", str(EXAMPLE), "--to", "ipc-firmware")
    assert code == 0
    assert "lobby-camera-module 2.0 → links to → lobby-camera-module 2.0" not in out
    assert (
        "NW-4000 Secure Mail Gateway 7.2 → depends on → lobby-camera-module 2.0 ⇒ [tier 1 SBOM "
        f"{EXAMPLE / 'camera-module.cdx.json'}, Harbor Optics LLC] → depends on → HX-220 sensor board B3"
    ) in out
    code, out, _ = run("scan", str(EXAMPLE), "--format", "markdown")
    assert "lobby-camera-module 2.0 → links to →" not in out
    assert "lobby-camera-module 2.0 ⇒ \\[tier 1 SBOM" in out
    code, out, _ = run("scan", str(EXAMPLE), "--format", "json")
    (hik,) = [f for f in json.loads(out)["findings"] if f["entity"]["id"] == "hikvision"]
    assert [(s["tier"], s["relation"]) for s in hik["paths"][0]][1:3] == [(0, "depends on"), (1, "links to")]


def test_a_boundary_between_differently_named_components_keeps_both() -> None:
    code, out, _ = run("paths", str(HERE / "fixtures" / "e2e" / "tiers"), "--to", "video-sdk")
    assert code == 0
    line = out.splitlines()[1]
    assert "camera-module 2.0 ⇒ [tier 1 SBOM " in line and "] camera-module-firmware 2.0" in line
    assert "codec-pack 7.3 ⇒ [tier 2 SBOM 'codec-bundle' (" in line and "Codec Works Co] video-sdk" in line


# ---------------------------------------------------------------- one PathStep type


def test_one_path_step_type_and_the_trace_names() -> None:
    graph = sbomscan.build_graph([sbomscan.load(EXAMPLE / "gateway-appliance.cdx.json")])
    t = sbomscan.trace(graph, next(iter(graph.components)))
    assert isinstance(t, sbomscan.Trace)
    assert sbomscan.PathStep is sbomscan.report.model.PathStep is sbomscan.tracing.PathStep
    assert all(isinstance(s, sbomscan.report.model.PathStep) for p in t.paths for s in p)
    # the module's old name keeps working at run time
    from sbomscan.trace import Trace, paths_to  # type: ignore[import-not-found, unused-ignore]

    assert Trace is sbomscan.Trace and paths_to is sbomscan.paths_to


def test_annotations_from_the_library_guide_pass_mypy_strict(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(
        "import sbomscan\n"
        "from sbomscan.report.model import PathStep\n\n\n"
        "def best(graph: sbomscan.SbomGraph, cid: str) -> sbomscan.Trace:\n"
        "    t: sbomscan.Trace = sbomscan.trace(graph, cid)\n"
        "    return t\n\n\n"
        "def names(report: sbomscan.Report) -> list[str]:\n"
        "    out: list[str] = []\n"
        "    for f in report.findings:\n"
        "        for path in f.paths:\n"
        "            step: sbomscan.PathStep = path[-1]\n"
        "            same: PathStep = step\n"
        "            out.append(same.label())\n"
        "    for cid in sbomscan.paths_to(sbomscan.build_graph([]), 'x'):\n"
        "        out.append(cid)\n"
        "    return out\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------------- small display items


def test_report_failing_with_a_misspelt_severity_is_a_usage_error() -> None:
    report = sbomscan.scan([EXAMPLE])
    with pytest.raises(UsageError, match="prohbited"):
        report.failing("prohbited")
    assert report.failing("prohibited")


def test_entities_show_prints_readable_text_not_tuples() -> None:
    code, out, _ = run("entities", "show", "huawei")
    assert code == 0
    assert "('" not in out and "')" not in out and "(False" not in out
    assert "  purl: pkg:maven/com.huawei.hms/* (sources: " in out
    assert "  CPE vendor: huawei (sources: " in out
    assert "  VCS organisation: github.com/huaweicloud (sources: " in out


def test_rendering_keeps_paths_of_every_finding() -> None:
    report = sbomscan.scan([EXAMPLE])
    text = render(report, "text")
    assert "av-scan-core 8.9.2" in text and "⇒ [tier 1 SBOM" in text


def test_written_in_pieces_is_the_rendered_text() -> None:
    from sbomscan.report import write_report

    db = sbomscan.load_entities([ENTITIES], include_default=False)
    reports = [
        sbomscan.scan([EXAMPLE]),
        sbomscan.scan([PATHS], entities=db, as_of="2026-01-01", all_paths=True),
        sbomscan.scan([HERE / "fixtures" / "e2e" / "flat"], entities=db, as_of="2026-01-01"),
    ]
    for report in reports:
        for fmt in ("json", "markdown", "text", "sarif"):
            pieces: list[str] = []
            write_report(report, fmt, pieces.append)
            assert "".join(pieces) == render(report, fmt), fmt
        data = json.loads(render(report, "json"))
        assert data == json.loads(json.dumps(sbomscan.report.to_dict(report)))
