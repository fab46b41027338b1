"""The command line: exit codes 0/1/2, one-line errors naming the file, -o, every format,
the other commands, and one real ``python -m sbomscan`` run."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sbomscan.cli import main

HERE = Path(__file__).resolve().parent
E2E = HERE / "fixtures" / "e2e"
ENTITIES = HERE / "fixtures" / "entities" / "base.json"
DATA = ["--entities", str(ENTITIES), "--as-of", "2026-01-01"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_exit_1_on_prohibited_findings() -> None:
    code, out, err = run("scan", str(E2E / "oem"), *DATA)
    assert code == 1
    assert "PROHIBITED" in out and "kav-sdk" in out and err == ""


def test_exit_0_when_nothing_at_fail_on() -> None:
    # tiers: only a review finding (scope-limited §889)
    assert run("scan", str(E2E / "tiers"), *DATA)[0] == 0
    assert run("scan", str(E2E / "tiers"), *DATA, "--fail-on", "review")[0] == 1
    assert run("scan", str(E2E / "oem"), *DATA, "--fail-on", "never")[0] == 0


def test_waived_findings_do_not_fail(tmp_path: Path) -> None:
    waivers = tmp_path / "w.json"
    waivers.write_text(
        json.dumps(
            [
                {
                    "entity": "kaspersky",
                    "bom_ref": r,
                    "justification": "j",
                    "approver": "a",
                    "expiry": "2099-01-01",
                }
                for r in ("kav-sdk", "signatures")
            ]
        )
    )
    code, out, _ = run("scan", str(E2E / "oem"), *DATA, "--waivers", str(waivers))
    assert code == 0
    assert "~~ WAIVED (prohibited) ~~" in out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "html"])
def test_every_format_to_output_file(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, err = run("scan", str(E2E / "oem"), *DATA, "--format", fmt, "-o", str(target))
    assert code == 1 and out == ""
    assert f"wrote {target}" in err
    text = target.read_text()
    if fmt in ("json", "sarif"):
        obj = json.loads(text)
        assert obj["version" if fmt == "sarif" else "schema_version"] in ("2.1.0", 2)
    assert "kav-sdk" in text
    assert "\033[" not in text


def _one_line_error(code: int, err: str, name: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert name in lines[0]
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    code, _, err = run("scan", str(missing), *DATA)
    _one_line_error(code, err, str(missing))


def test_malformed_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cdx.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [')
    code, _, err = run("scan", str(bad), *DATA)
    _one_line_error(code, err, str(bad))
    assert "line 1" in err


def test_not_an_sbom(tmp_path: Path) -> None:
    other = tmp_path / "package.json"
    other.write_text('{"name": "x", "version": "1", "dependencies": {}}')
    code, _, err = run("scan", str(other), *DATA)
    _one_line_error(code, err, str(other))
    assert "not CycloneDX or SPDX" in err


def test_bad_overlay(tmp_path: Path) -> None:
    bad = tmp_path / "overlay.json"
    bad.write_text('{"schema_version": 1, "version": "x", "entities": [{"id": "Bad Id!", "name": "x"}]}')
    code, _, err = run("scan", str(E2E / "oem"), "--entities", str(bad))
    _one_line_error(code, err, str(bad))
    code, _, err = run("entities", "check", str(bad))
    _one_line_error(code, err, str(bad))


def test_bad_waivers(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("- entity: kaspersky\n  purl: pkg:generic/x\n  approver: a\n  expiry: 2030-01-01\n")
    code, _, err = run("scan", str(E2E / "oem"), *DATA, "--waivers", str(bad))
    _one_line_error(code, err, str(bad))
    assert "/0" in err and "justification" in err


def test_usage_errors_exit_2() -> None:
    assert run("scan")[0] == 2
    code, out, err = run("scan", str(E2E / "oem"), "--format", "pdf")
    # argparse's usage line and error go to the stream main() was given, not to sys.stderr
    assert (code, out) == (2, "")
    assert err.startswith("sbomscan scan: error: argument --format: invalid choice: 'pdf'")
    assert err.endswith("(see sbomscan scan --help)\n") and err.count("\n") == 1
    assert run("scan", str(E2E / "oem"), "--max-paths", "0")[0] == 2
    code, _, err = run("scan", str(E2E / "oem"), *DATA[:2], "--as-of", "01/01/2026")
    _one_line_error(code, err, "01/01/2026")
    assert run("frobnicate")[0] == 2


def test_cannot_write_output(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "r.json"
    code, _, err = run("scan", str(E2E / "oem"), *DATA, "-o", str(target))
    _one_line_error(code, err, str(target))


def test_paths_command() -> None:
    code, out, _ = run("paths", str(E2E / "tiers"), "--to", "video-sdk")
    assert code == 0
    assert "Perimeter Appliance 4.2 → depends on → camera-module 2.0 ⇒ [tier 1 SBOM " in out
    code, out, _ = run("paths", str(E2E / "oem"), "--to", "pkg:generic/kav-sdk", "--format", "json")
    (item,) = json.loads(out)
    assert [s["name"] for s in item["paths"][0]][-1] == "kav-sdk"
    code, _, err = run("paths", str(E2E / "oem"), "--to", "no-such-thing")
    assert code == 1 and "no component matches" in err


def test_graph_command(tmp_path: Path) -> None:
    code, out, _ = run("graph", str(E2E / "tiers"), "--format", "dot")
    assert code == 0 and out.startswith("digraph sbom {")
    assert '[label="links to"]' in out
    code, out, _ = run("graph", str(E2E / "tiers"), "--format", "json")
    obj = json.loads(out)
    assert len(obj["documents"]) == 3
    assert any(e["kind"] == "links_to" for e in obj["edges"])


def test_entities_commands() -> None:
    code, out, _ = run("entities", "list", *DATA)
    assert code == 0 and "kaspersky" in out and "ndaa-fy18-1634" in out
    code, out, _ = run("entities", "show", "kaspersky", *DATA)
    assert code == 0 and "Лаборатория Касперского" in out
    code, _, err = run("entities", "show", "no-such-entity", *DATA)
    _one_line_error(code, err, "no-such-entity")


def test_entities_show_says_scope_and_start_of_each_coverage() -> None:
    # the shipped data: AO Kaspersky Lab's own FCC Covered List entry dates from 2022-03-25
    code, out, _ = run("entities", "show", "kaspersky", "--as-of", "2023-01-01")
    assert code == 0
    fcc = [line for line in out.splitlines() if "47 CFR 1.50002" in line]
    assert fcc == [
        "  covered on 2023-01-01 by 47 CFR 1.50002 (named) [scope infosec, from 2022-03-25, list entry]"
    ]
    code, out, _ = run("entities", "show", "kaspersky", "--as-of", "2022-01-01")
    assert code == 0 and "47 CFR 1.50002" not in out and "scope all, from 2018-10-01" in out


def test_attest(tmp_path: Path) -> None:
    target = tmp_path / "attestation.json"
    code, _, err = run("attest", str(E2E / "tiers"), *DATA, "--format", "record", "-o", str(target))
    # tiers refers to a sub-SBOM it does not supply: never a plain pass
    assert code == 0 and "pass-with-gaps" in err
    rec = json.loads(target.read_text())
    assert rec["result"]["status"] == "pass-with-gaps" and rec["result"]["review"] == 1
    assert {i["sha256"] for i in rec["inputs"]} == {
        __import__("hashlib").sha256(p.read_bytes()).hexdigest() for p in (E2E / "tiers").glob("*.json")
    }
    assert rec["as_of"] == "2026-01-01" and rec["findings"][0]["entity"] == "hikvision"
    assert rec["unresolved_links"]
    code, _, _ = run("attest", str(E2E / "oem"), *DATA, "--format", "record", "-o", str(target))
    assert code == 1 and json.loads(target.read_text())["result"]["status"] == "fail"


def test_version() -> None:
    code, out, err = run("--version")
    assert (code, err) == (0, "")
    assert out.startswith("sbomscan ") and "entity data" in out


def test_python_dash_m_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "sbomscan", "scan", str(E2E / "oem"), *DATA, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["prohibited"] == 2
    proc = subprocess.run(
        [sys.executable, "-m", "sbomscan", "scan", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "missing.json" in proc.stderr and "Traceback" not in proc.stderr


def test_terminal_controls_in_an_sbom_never_reach_the_terminal(tmp_path: Path) -> None:
    bom = tmp_path / "hostile.cdx.json"
    bom.write_text(
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {"component": {"bom-ref": "r", '
        '"name": "prod\\u001b[2J"}}, "components": [{"bom-ref": "a", "name": "lib\\u001b]0;x\\u0007"}], '
        '"dependencies": [{"ref": "r", "dependsOn": ["a"]}]}',
        encoding="utf-8",
    )
    code, out, _ = run("paths", str(bom), "--to", "a")
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "prod\\x1b[2J" in out
    bad = tmp_path / "bad.json"
    bad.write_text('{"\\u001b[2Jkey": 1}', encoding="utf-8")
    code, _, err = run("scan", str(bad))
    # the keys of a file that is not an SBOM are never quoted, controls or not
    assert code == 2 and "\x1b" not in err and "2Jkey" not in err and "not CycloneDX or SPDX" in err
