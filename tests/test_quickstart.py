"""The README's two quick-start commands, exactly as written, in a fresh virtual environment
made the way the README makes it, from a copy of this checkout.

The install steps fetch the dependencies from the package index, so this takes a minute or
two: it runs when ``SBOMSCAN_QUICKSTART=1``, which ``.ci/run`` sets (CI), and is skipped with
that reason otherwise (a developer's ``CI=true python -m pytest`` stays fast). The second command runs the test suite, which would
include this test again: inside it, ``PYTEST_ADDOPTS`` narrows that run to a few quick tests
(the whole suite is the run this test belongs to) and marks it so this test skips itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docblocks import ROOT, quick_start

_NESTED = "SBOMSCAN_QUICKSTART_NESTED"


def _wanted() -> bool:
    return os.environ.get("SBOMSCAN_QUICKSTART", "") not in ("", "0", "false", "no")


pytestmark = [
    pytest.mark.quickstart,
    pytest.mark.skipif(bool(os.environ.get(_NESTED)), reason="already inside the quick-start run"),
    pytest.mark.skipif(
        not _wanted(), reason="takes 1-2 minutes: runs in CI (.ci/run sets SBOMSCAN_QUICKSTART=1)"
    ),
]


def _copy_checkout(target: Path) -> Path:
    ignore = shutil.ignore_patterns(
        ".git",
        ".venv",
        "venv",
        "__pycache__",
        "*.pyc",
        ".*_cache",
        ".hypothesis",
        "build",
        "dist",
        "_generated",
    )
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def _clean_env() -> dict[str, str]:
    """The environment of a new shell: no active virtual environment, nothing on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    venv = os.environ.get("VIRTUAL_ENV")
    if venv:
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(venv))
    env.pop("PYTEST_ADDOPTS", None)
    return env


def test_readme_quick_start_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    first, second = quick_start()
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert second.startswith(". .venv/bin/activate && ")
    checkout = _copy_checkout(tmp_path / "checkout")
    env = _clean_env()

    proc = subprocess.run(
        ["bash", "-c", first], cwd=checkout, env=env, capture_output=True, text=True, timeout=900
    )
    # the example holds covered-vendor code: exit 1, with the report on stdout
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "PROHIBITED" in proc.stdout and "av-scan-core" in proc.stdout
    version = subprocess.run(
        [str(checkout / ".venv" / "bin" / "sbomscan"), "--version"], env=env, capture_output=True, text=True
    )
    assert "(distribution sbomscan-covered-vendors)" in version.stdout, version.stderr
    # the wheel carries the HTML report's templates (package data, not only modules): the
    # installed command renders the example's page from outside the checkout
    page = tmp_path / "report.html"
    example = str(checkout / "examples" / "secure-gateway")
    html = subprocess.run(
        [str(checkout / ".venv" / "bin" / "sbomscan"), "scan", "--format", "html", "-o", str(page), example],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert html.returncode == 1, html.stderr
    assert "<svg" in page.read_text(encoding="utf-8") and "av-scan-core" in page.read_text(encoding="utf-8")

    nested = {
        **env,
        _NESTED: "1",
        "PYTEST_ADDOPTS": "tests/test_conventions.py -k version -p no:cacheprovider",
    }
    proc = subprocess.run(
        ["bash", "-c", second], cwd=checkout, env=nested, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert " passed" in proc.stdout and " failed" not in proc.stdout
    # the tests ran from the virtual environment the README made, on the installed sbomscan
    probe = subprocess.run(
        [
            str(checkout / ".venv" / "bin" / "python"),
            "-c",
            "import pytest, hypothesis, sbomscan; print(sbomscan.__file__)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 0 and str(checkout / ".venv") in probe.stdout, probe.stderr
