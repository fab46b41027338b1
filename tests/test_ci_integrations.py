"""The GitHub Action and the pre-commit hook, run as CI would run them: action.yml parsed, its
`run:` steps executed by bash with the environment the action sets, against the bundled
example, with the sbomscan installed here."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "secure-gateway"
_EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def expand(value: str, context: dict[str, str]) -> str:
    """GitHub's ``${{ ... }}`` expressions, for the few names the action uses."""
    return _EXPR.sub(lambda m: context[m.group(1)], value)


def context_for(inputs: dict[str, str], outputs: dict[str, str]) -> dict[str, str]:
    spec = action()["inputs"]
    ctx = {f"inputs.{k}": inputs.get(k, str(v.get("default", ""))) for k, v in spec.items()}
    ctx["github.action_path"] = str(ROOT)
    ctx.update({f"steps.scan.outputs.{k}": v for k, v in outputs.items()})
    return ctx


def run_step(step: dict[str, Any], ctx: dict[str, str], workdir: Path, github_output: Path) -> int:
    """One `run:` step, by bash, with its env expanded and the installed sbomscan on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)
    env["GITHUB_OUTPUT"] = str(github_output)
    env.update({k: expand(str(v), ctx) for k, v in (step.get("env") or {}).items()})
    assert "${{" not in step["run"], "inputs reach scripts through env only (no script injection)"
    proc = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=workdir, env=env, capture_output=True, text=True
    )
    return proc.returncode


def outputs_of(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines)


def test_action_installs_from_its_own_checkout() -> None:
    steps = action()["runs"]["steps"]
    assert action()["runs"]["using"] == "composite"
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert install["run"].strip().endswith('"$SBOMSCAN_ACTION_PATH"')
    assert install["env"]["SBOMSCAN_ACTION_PATH"] == "${{ github.action_path }}"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert not re.search(r"pip install[^\n]*\bsbomscan\b(?![-_/])", text)  # never PyPI's "sbomscan"
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}" and upload["if"].startswith("always()")


def test_action_steps_scan_and_gate(tmp_path: Path) -> None:
    """The scan step writes SARIF and records the exit status; the gate step fails the job
    with it — on the example (fail), and with --fail-on never (pass)."""
    steps = [s for s in action()["runs"]["steps"] if "run" in s and "pip install" not in s["run"]]
    assert steps[0].get("id") == "scan"
    for fail_on, status in (("prohibited", 1), ("never", 0)):
        out = tmp_path / f"out-{fail_on}"
        inputs = {
            "paths": str(EXAMPLE),
            "fail-on": fail_on,
            "as-of": "2026-01-01",
            "sarif-file": f"{fail_on}.sarif",
        }
        assert run_step(steps[0], context_for(inputs, {}), tmp_path, out) == 0  # the step itself never fails
        assert outputs_of(out) == {"exit-status": str(status)}
        sarif = json.loads((tmp_path / f"{fail_on}.sarif").read_text(encoding="utf-8"))
        assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
        assert run_step(steps[1], context_for(inputs, outputs_of(out)), tmp_path, out) == status
    # a path with a space and a waivers file pass through the environment unharmed
    odd = tmp_path / "my sboms"
    odd.mkdir()
    inputs = {
        "paths": str(EXAMPLE / "camera-module.cdx.json"),
        "waivers": str(ROOT / "examples" / "waivers.yaml"),
    }
    out = tmp_path / "out-waivers"
    assert run_step(steps[0], context_for(inputs, {}), odd, out) == 0
    assert (odd / "sbomscan.sarif").exists() and outputs_of(out)["exit-status"] in {"0", "1"}


def test_pre_commit_hook_scans_the_bundle(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sbomscan")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert all(
        pattern.search(p) for p in ("sboms/a.cdx.json", "x/bom.xml", "y.spdx.json", "z.spdx", "q.cdx.json.gz")
    )
    assert not pattern.search("README.md")
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    argv = [*shlex.split(hook["entry"]), str(EXAMPLE), "--as-of", "2026-01-01", "-q"]
    proc = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr  # the example holds a prohibited engine: the commit stops


def test_sarif_rules_carry_help_and_no_invented_home(tmp_path: Path) -> None:
    """Each rule explains itself in text and Markdown; ``informationUri`` is left out: the
    project has no public home, and SARIF wants a real page there (docs/cli.md)."""
    from sbomscan import scan
    from sbomscan.report import render

    report = scan(EXAMPLE, as_of="2026-01-01")
    run = json.loads(render(report, "sarif"))["runs"][0]
    assert "informationUri" not in run["tool"]["driver"]
    rules = run["tool"]["driver"]["rules"]
    assert rules
    for rule in rules:
        assert "Evidence, not legal advice." in rule["help"]["text"]
        assert rule["help"]["markdown"].startswith("A component made, supplied or licensed by **")
        assert "**What to do:**" in rule["help"]["markdown"]
    f = report.findings[0]
    hostile = f._replace(entity=f.entity._replace(name="Evil <img src=x> [x](http://e.vil)", id="e`v"))
    md = json.loads(render(report._replace(findings=(hostile,)), "sarif"))["runs"][0]["tool"]["driver"][
        "rules"
    ][0]
    assert "<img" not in md["help"]["markdown"] and "](http://" not in md["help"]["markdown"]
    assert "(`e'v`)" in md["help"]["markdown"]
