"""Every command and code block of README.md, docs/*.md and the examples' READMEs runs as
written, and prints what the page shows where it shows output (``tests/docblocks.py`` says
how blocks are marked). Each page runs in its own workspace: a copy of the checkout's
``examples``, ``data``, ``docs`` and ``tests/fixtures``, so that the commands may write files;
``sbomscan`` there is this checkout's (a small script on PATH running ``python -m sbomscan``)."""

from __future__ import annotations

import ast
import contextlib
import doctest
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from docblocks import ROOT, RUNNABLE, Block, blocks, commands, documents

import sbomscan

_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_DATA_INFO = frozenset({"text", "json", "yaml", "toml", "ini", "dot", "diff", "markdown", "xml"})


@contextlib.contextmanager
def _chdir(path: Path) -> Iterator[None]:
    """contextlib.chdir, which Python 3.10 lacks."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    for part in ("examples", "data", "docs", "tests/fixtures"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def _env(workspace: Path) -> dict[str, str]:
    bin_dir = workspace / ".bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "sbomscan"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sbomscan "$@"\n')
    shim.chmod(0o755)
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "80"}
    env.pop("SBOMSCAN_HYPOTHESIS_PROFILE", None)
    return env


def _missing_program(command: str, env: dict[str, str]) -> str | None:
    """The first program of a pipeline that is not installed (``dot`` is optional)."""
    for part in command.replace("&&", "|").split("|"):
        words = part.split()
        if words and not shutil.which(words[0], path=env["PATH"]) and "=" not in words[0]:
            return words[0]
    return None


def _shell(command: str, workspace: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _run_sh(block: Block, workspace: Path, env: dict[str, str]) -> None:
    for command, status in commands(block):
        missing = _missing_program(command, env)
        if missing:
            warnings.warn(f"{block.where}: not run, {missing!r} is not installed: {command}", stacklevel=1)
            continue
        proc = _shell(command, workspace, env)
        assert proc.returncode == status, (
            f"{block.where}: `{command}` exited {proc.returncode}, the page expects {status}\n"
            f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}"
        )
        assert "Traceback" not in proc.stderr, f"{block.where}: `{command}`\n{proc.stderr}"


def _run_console(block: Block, workspace: Path, env: dict[str, str]) -> None:
    checker = doctest.OutputChecker()
    steps: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    assert steps, f"{block.where}: a console block needs '$ command' lines"
    for command, shown in steps:
        (_, status), *_ = commands(block._replace(text=command + "\n"))
        proc = _shell(command, workspace, env)
        want = "\n".join(shown).strip() + "\n"
        got = proc.stdout.strip() + "\n"
        assert proc.returncode == status, (
            f"{block.where}: `{command}` exited {proc.returncode}\n{proc.stderr}"
        )
        assert checker.check_output(want, got, _FLAGS), (
            f"{block.where}: `{command}` printed something else than the page shows\n"
            + checker.output_difference(doctest.Example(command, want), got, _FLAGS)
        )


def _run_python(block: Block, workspace: Path) -> None:
    code = compile(block.text, block.where, "exec")
    with _chdir(workspace), contextlib.redirect_stdout(io.StringIO()):
        exec(code, {"__name__": "__docs__"})


def _run_pycon(block: Block, workspace: Path) -> None:
    test = doctest.DocTestParser().get_doctest(block.text, {}, block.where, str(block.path), block.line)
    runner = doctest.DocTestRunner(optionflags=_FLAGS)
    report = io.StringIO()
    with _chdir(workspace):
        result = runner.run(test, out=report.write)
    assert result.failed == 0, report.getvalue()


def _check_data(block: Block) -> None:
    if block.info == "json":
        json.loads(block.text)
    elif block.info == "yaml":
        yaml.safe_load(block.text)


def _check_not_run(block: Block, reason: str) -> None:
    assert reason.strip(), f"{block.where}: not-run needs a reason"
    if block.info == "python":
        ast.parse(block.text, block.where)
    elif block.info == "sh":
        proc = subprocess.run(["bash", "-n"], input=block.text, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"{block.where}: {proc.stderr}"


def run_page(path: Path, workspace: Path) -> int:
    """Run every block of one page in order; the number of blocks executed."""
    env = _env(workspace)
    ran = 0
    for block in blocks(path):
        assert block.info, f"{block.where}: give the block an info string (`text` if it is not code)"
        assert block.info in RUNNABLE | _DATA_INFO, f"{block.where}: unknown info string {block.info!r}"
        setup = block.directive("setup")
        if setup:
            proc = _shell(setup, workspace, env)
            assert proc.returncode == 0, f"{block.where}: setup `{setup}` failed: {proc.stderr}"
        target = block.directive("file")
        if target:
            (workspace / target).parent.mkdir(parents=True, exist_ok=True)
            (workspace / target).write_text(block.text)
        reason = block.directive("not-run")
        if reason is not None:
            _check_not_run(block, reason)
        elif block.directive("quick-start") is not None:
            continue  # tests/test_quickstart.py: in a fresh virtual environment
        elif block.info == "sh":
            _run_sh(block, workspace, env)
        elif block.info == "console":
            _run_console(block, workspace, env)
        elif block.info == "python":
            _run_python(block, workspace)
        elif block.info == "pycon":
            _run_pycon(block, workspace)
        else:
            _check_data(block)
            continue
        ran += reason is None
    return ran


@pytest.mark.parametrize("page", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_block_of_the_page_runs_as_written(page: Path, workspace: Path) -> None:
    run_page(page, workspace)


def test_the_readme_and_the_guides_have_blocks_that_run(workspace: Path) -> None:
    """The marking is not an escape hatch: the pages users start from really are executed."""
    for name in ("README.md", "docs/library-guide.md", "docs/cli.md"):
        assert run_page(ROOT / name, workspace) >= 2, name


def test_a_failing_block_fails_the_test(tmp_path: Path, workspace: Path) -> None:
    page = tmp_path / "probe.md"
    page.write_text("```sh\nsbomscan paths examples/secure-gateway --to no-such-component\n```\n")
    with pytest.raises(AssertionError, match="exited 1, the page expects 0"):
        run_page(page, workspace)
    page.write_text("```console\n$ sbomscan entities list --as-of 2026-01-01\nentity data 1999...\n```\n")
    with pytest.raises(AssertionError, match="printed something else"):
        run_page(page, workspace)
    page.write_text("```python\nimport sbomscan\nsbomscan.load('no-such-file.json')\n```\n")
    with pytest.raises(sbomscan.SbomscanError):
        run_page(page, workspace)
    page.write_text("```\nuntyped\n```\n")
    with pytest.raises(AssertionError, match="info string"):
        run_page(page, workspace)
    page.write_text("<!-- not-run: a sketch -->\n```python\nclass A:\n    x, y\n    def f() -> int\n```\n")
    with pytest.raises(SyntaxError):
        run_page(page, workspace)


def _outlined_classes(page: Path) -> Iterator[tuple[Block, ast.ClassDef]]:
    for block in blocks(page):
        if block.info == "python" and block.directive("not-run") is not None:
            for node in ast.parse(block.text).body:
                if isinstance(node, ast.ClassDef):
                    yield block, node


def test_architecture_outlines_name_the_real_fields() -> None:
    """docs/architecture.md outlines the records passed between stages: the field names,
    their order and the methods it lists must be the real ones."""
    import enum
    import inspect

    names = ("sbomscan.graph", "sbomscan.match", "sbomscan.tracing", "sbomscan.report.model")
    modules = [importlib.import_module(name) for name in names]
    outlined = list(_outlined_classes(ROOT / "docs" / "architecture.md"))
    assert {c.name for _, c in outlined} >= {"SbomGraph", "Evidence", "Match", "PathStep", "Trace"}
    for block, cls in outlined:
        real = next(getattr(m, cls.name) for m in modules if hasattr(m, cls.name))
        fields = [
            s.target.id for s in cls.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        ]
        if issubclass(real, enum.Enum):
            members = [
                t.id
                for s in cls.body
                if isinstance(s, ast.Assign)
                for t in s.targets
                if isinstance(t, ast.Name)
            ]
            assert members == [m.name for m in real], block.where
        elif hasattr(real, "_fields"):
            assert fields == list(real._fields), f"{block.where}: {cls.name}"
        else:
            params = inspect.signature(real).parameters
            for name in fields + [f.name for f in cls.body if isinstance(f, ast.FunctionDef)]:
                assert hasattr(real, name) or name in params, f"{block.where}: {cls.name}.{name}"


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (the test extra)")
def test_library_guide_type_checks_under_mypy_strict(tmp_path: Path) -> None:
    """A user's scripts written from docs/library-guide.md — each of its python blocks as a
    module, the one about annotations among them — pass ``mypy --strict`` against this
    checkout's sbomscan (tests/test_paths_display.py checks the annotations themselves)."""
    scripts = []
    for n, block in enumerate(b for b in blocks(ROOT / "docs" / "library-guide.md") if b.info == "python"):
        script = tmp_path / f"guide_block_{n}.py"
        script.write_text(block.text)
        scripts.append(str(script))
    assert len(scripts) >= 6
    config = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache")]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *config, "--no-error-summary", *scripts],
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
