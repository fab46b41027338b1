"""What a newcomer expects of a command-line tool and of a Python project: the distribution
name, the licence, ``--version``, ``--as-of`` messages, ``-q``/``-v``, ``--color`` and
``NO_COLOR``, and shell completion (each script loaded into the real shell)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

import pytest

from sbomscan import __version__, load_entities
from sbomscan.cli import build_parser, main
from sbomscan.cli.version import DISTRIBUTION


def _project() -> dict[str, Any]:
    """pyproject.toml's [project] table (tomllib is in the standard library from 3.11)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        tomllib = pytest.importorskip("tomli")
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "secure-gateway")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(*argv: str, stdout: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = stdout or io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# ------------------------------------------------------------------ name, licence, version


def test_distribution_name_is_ours_not_the_pypi_sbomscan() -> None:
    project = _project()
    assert project["name"] == DISTRIBUTION == "sbomscan-covered-vendors"
    assert project["scripts"] == {"sbomscan": "sbomscan.cli:main"}
    # only real project URLs: this project has no public home yet (README, "Installing")
    assert "urls" not in project


def test_no_document_tells_users_to_pip_install_the_other_sbomscan() -> None:
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *(ROOT / "examples").rglob("*.md")]
    bad = re.compile(r"pip3?\s+install\s+(-\S+\s+)*['\"]?sbomscan(\[[^\]]*\])?['\"]?(\s|$|&|;)")
    for path in texts:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            assert not bad.search(line), f"{path.name}:{n}: {line}"


def test_licence_file_is_the_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("                                 Apache License\n")
    assert "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text
    assert _project()["license"] == "Apache-2.0"


def test_version_names_tool_distribution_and_entity_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    data = load_entities().version
    assert out == f"sbomscan {__version__} (distribution {DISTRIBUTION}), entity data {data}\n"


def test_version_warns_when_the_unrelated_pypi_sbomscan_is_installed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Other:
        version = "0.1.0"
        metadata: ClassVar[dict[str, str]] = {
            "Summary": "Software Bill of Material (SBOM) vulnerability scanner"
        }

    monkeypatch.setattr(metadata, "distribution", lambda name: Other())
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert "unrelated PyPI package 'sbomscan' 0.1.0 is installed" in out
    assert "python -m pip uninstall sbomscan" in out


# ------------------------------------------------------------------ --as-of


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-01", "as-of date '2026-13-01': month 13 is out of range (01-12)"),
        ("2026-00-10", "as-of date '2026-00-10': month 00 is out of range (01-12)"),
        ("2026-02-29", "as-of date '2026-02-29': day 29 is out of range for 2026-02 (01-28)"),
        ("2026-04-31", "as-of date '2026-04-31': day 31 is out of range for 2026-04 (01-30)"),
        ("20261204", "as-of date must be YYYY-MM-DD, not '20261204'"),
        ("2026-W49-5", "as-of date must be YYYY-MM-DD, not '2026-W49-5'"),
        ("2026-12-04T00:00", "as-of date must be YYYY-MM-DD, not '2026-12-04T00:00'"),
        ("٢٠٢٦-12-04", "as-of date must be YYYY-MM-DD, not '٢٠٢٦-12-04'"),
    ],
)
def test_as_of_messages_say_what_is_wrong(value: str, message: str) -> None:
    for argv in (["entities", "list", "--as-of", value], ["scan", EXAMPLE, "--as-of", value]):
        code, out, err = run(*argv)
        assert (code, out) == (2, "")
        assert err == f"sbomscan: error: {message}\n"


def test_as_of_accepts_a_leap_day() -> None:
    code, out, _ = run("entities", "list", "--as-of", "2024-02-29")
    assert code == 0 and "as of 2024-02-29" in out


# ------------------------------------------------------------------ -q, -v


def test_quiet_drops_the_summary_line_but_not_errors(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    code, _, err = run("scan", EXAMPLE, "--format", "json", "-o", str(report))
    assert code == 1 and err.startswith(f"sbomscan: wrote {report}: fail (1 prohibited")
    for argv in (["-q", "scan", EXAMPLE], ["scan", EXAMPLE, "--quiet"]):
        code, _, err = run(*argv, "--format", "json", "-o", str(report))
        assert (code, err) == (1, "")
    code, _, err = run("attest", EXAMPLE, "-q", "-o", str(tmp_path / "a.json"))
    assert (code, err) == (1, "")  # attest exits with the outcome, like scan
    code, _, err = run("-q", "scan", str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json" in err


def test_verbose_says_what_was_read() -> None:
    code, out, err = run("scan", EXAMPLE, "-v", "--format", "json")
    assert code == 1 and out.startswith("{")
    lines = err.splitlines()
    assert [line.rsplit("/", 1)[-1] for line in lines if line.startswith("sbomscan: read ")] == [
        "camera-module.cdx.json: cyclonedx 1.5, 4 components, 4 edges, tier 1, 0 diagnostics",
        "gateway-appliance.cdx.json: cyclonedx 1.6, 9 components, 13 edges, tier 0, 0 diagnostics",
    ]
    # the example's own README is in the folder: skipped, said only with -v
    assert [line.split(" (")[0].rsplit("/", 1)[-1] for line in lines if "skipped" in line] == ["README.md"]
    assert len(lines) == 3
    code, _, err = run("-v", "paths", EXAMPLE, "--to", "av-scan-core")
    assert code == 0 and err.count("sbomscan: read ") == 2
    assert run("-v", "-q", "paths", EXAMPLE, "--to", "av-scan-core")[2] == ""


def test_verbose_lists_the_files_skipped_in_a_folder(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "bundle")
    (tmp_path / "bundle" / "notes.txt").write_text("release notes, not an SBOM\n")
    code, _, quiet = run("scan", str(tmp_path / "bundle"), "--format", "json")
    assert code == 1 and "notes.txt" not in quiet
    code, _, err = run("scan", str(tmp_path / "bundle"), "--format", "json", "-v")
    skipped = [line for line in err.splitlines() if "notes.txt" in line]
    assert code == 1 and len(skipped) == 1 and skipped[0].startswith("sbomscan: skipped ")
    assert "release notes" not in err  # never quotes a file that is not an SBOM
    for argv in (
        ["paths", str(tmp_path / "bundle"), "--to", "ipc-firmware"],
        ["graph", str(tmp_path / "bundle")],
    ):
        code, _, err = run(*argv, "-v")
        assert code == 0 and [line for line in err.splitlines() if "notes.txt" in line] == skipped, argv
        assert "notes.txt" not in run(*argv)[2]


def test_verbose_twice_adds_every_diagnostic(tmp_path: Path) -> None:
    bom = tmp_path / "b.cdx.json"
    bom.write_text(
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"bom-ref": "a", "name": "a"}],'
        ' "dependencies": [{"ref": "a", "dependsOn": ["nowhere"]}]}'
    )
    _, _, once = run("scan", str(bom), "-v")
    _, _, twice = run("scan", str(bom), "-vv")
    assert len(twice.splitlines()) > len(once.splitlines()) == 1
    assert "nowhere" in twice


# ------------------------------------------------------------------ --color, NO_COLOR


@pytest.mark.parametrize(
    ("argv", "no_color", "terminal", "coloured"),
    [
        ((), None, True, True),  # auto on a terminal
        ((), None, False, False),  # auto, not a terminal (a pipe, a file)
        ((), "1", True, False),  # NO_COLOR set: never in auto
        ((), "", True, True),  # NO_COLOR empty counts as unset (no-color.org)
        (("--color", "never"), None, True, False),
        (("--color", "always"), None, False, True),
        (("--color", "always"), "1", False, True),  # an explicit flag wins over NO_COLOR
        (("--color", "auto"), "1", True, False),
    ],
)
def test_color_auto_always_never_and_no_color(
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    no_color: str | None,
    terminal: bool,
    coloured: bool,
) -> None:
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    code, out, _ = run("scan", EXAMPLE, *argv, stdout=_Terminal() if terminal else io.StringIO())
    assert code == 1 and "PROHIBITED" in ANSI.sub("", out)
    assert bool(ANSI.search(out)) is coloured
    if coloured:  # severities are what is coloured
        assert "\x1b[1;31mPROHIBITED" in out


def test_color_never_touches_machine_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for fmt in ("json", "sarif", "markdown", "html"):
        _, out, _ = run("scan", EXAMPLE, "--color", "always", "--format", fmt, stdout=_Terminal())
        assert not ANSI.search(out), fmt


# ------------------------------------------------------------------ shell completion


def _script(shell: str) -> str:
    code, out, err = run("completion", shell)
    assert (code, err) == (0, "")
    return out


def _bash_complete(script: Path, words: list[str]) -> list[str]:
    """What the bash completion function offers after ``words`` (the last one being typed)."""
    driver = (
        f'source "{script}"; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); '
        '_sbomscan sbomscan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; '
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    proc = subprocess.run(["bash", "-c", driver, "bash", *words], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return [w for w in proc.stdout.splitlines() if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion(tmp_path: Path) -> None:
    script = tmp_path / "sbomscan.bash"
    script.write_text(_script("bash"))
    assert {"scan", "paths", "entities", "graph", "attest", "completion"} <= set(
        _bash_complete(script, ["sbomscan", ""])
    )
    assert _bash_complete(script, ["sbomscan", "sc"]) == ["scan"]
    assert _bash_complete(script, ["sbomscan", "scan", "bom.json", "--format", ""]) == [
        "text",
        "json",
        "sarif",
        "markdown",
        "html",
    ]
    assert "--fail-on" in _bash_complete(script, ["sbomscan", "scan", "--f"])
    assert _bash_complete(script, ["sbomscan", "-q", "entities", "s"]) == ["show"]
    assert _bash_complete(script, ["sbomscan", "completion", ""]) == ["bash", "zsh", "fish"]
    assert _bash_complete(script, ["sbomscan", "scan", "--color", "a"]) == ["auto", "always"]
    # a value that looks like a subcommand is still a value; file names are left to the shell
    assert _bash_complete(script, ["sbomscan", "paths", "--to", "scan", ""]) == []
    assert _bash_complete(script, ["sbomscan", "scan", "-o", ""]) == []


def test_completion_covers_every_subcommand_and_option_of_the_parser() -> None:
    """Generated from the parser: a subcommand or option added later is completed too."""
    from sbomscan.cli.completion import command_table

    table = {c.path: c for c in command_table(build_parser())}
    bash, fish = _script("bash"), _script("fish")
    for path, command in table.items():
        for name, _ in command.subcommands:
            assert name in bash and f"-a {name} " in fish, (path, name)
        for option in command.options:
            assert option in bash, (path, option)
    assert {"", "scan", "paths", "entities list", "completion"} <= set(table)
    assert all({"-q", "--verbose", "--color"} <= set(c.options) for c in table.values())


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completion(tmp_path: Path) -> None:
    script = tmp_path / "sbomscan.fish"
    script.write_text(_script("fish"))

    def complete(line: str) -> list[str]:
        proc = subprocess.run(
            ["fish", "--no-config", "-c", f"source {script}; complete -C {line!r}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        return [w.split("\t")[0] for w in proc.stdout.splitlines()]

    assert {"scan", "paths", "entities", "completion"} <= set(complete("sbomscan "))
    assert complete("sbomscan scan x --format ") == ["html", "json", "markdown", "sarif", "text"]
    assert complete("sbomscan entities sh") == ["show"]
    assert complete("sbomscan completion ") == ["bash", "fish", "zsh"]
    assert "--fail-on" in complete("sbomscan scan --fail")


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion_loads_and_registers(tmp_path: Path) -> None:
    script = tmp_path / "sbomscan.zsh"
    script.write_text(_script("zsh"))
    driver = (
        "autoload -U +X compinit && compinit -u -D; "
        f"source {script}; "
        "print -r -- ${_comps[sbomscan]}; "
        # call it as zsh's bashcompinit does (sh emulation, 0-based words)
        'emulate sh -c \'COMP_WORDS=(sbomscan scan --format ""); COMP_CWORD=3; '
        '_sbomscan sbomscan "" --format; printf "%s\\n" "${COMPREPLY[@]}"\''
    )
    proc = subprocess.run(
        ["zsh", "-f", "-c", driver], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split()
    assert lines[:5] == ["_bash_complete", "-o", "default", "-F", "_sbomscan"]
    assert lines[5:] == ["text", "json", "sarif", "markdown", "html"]


def test_completion_refuses_an_unknown_shell(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("completion", "tcsh")
    assert (code, out) == (2, "")
    assert "invalid choice: 'tcsh'" in err
    assert capsys.readouterr() == ("", "")  # argparse's message went to the stream given to main
