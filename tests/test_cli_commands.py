"""The command registry: every subcommand is a module of ``sbomscan/cli/`` named in
``COMMANDS``, and adding one is that module plus its name (docs/architecture.md, "How to add
a command"); the option blocks the commands share are declared once."""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import types
from pathlib import Path
from typing import IO

import pytest

import sbomscan.cli
from sbomscan.cli import COMMANDS, build_parser, main
from sbomscan.cli.completion import command_table
from sbomscan.cli.options import EXIT_OK, Subcommands, add_bundle

CLI = Path(sbomscan.cli.__file__).parent
SHARED = {"__init__", "options", "output", "version"}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_every_command_module_is_registered_and_every_registered_name_is_a_module() -> None:
    modules = {p.stem for p in CLI.glob("*.py")} - SHARED
    assert set(COMMANDS) == modules
    for name in COMMANDS:
        module = importlib.import_module(f"sbomscan.cli.{name}")
        assert callable(module.register), name
    # a module's command is its name, with "-" for "_" (far_report -> far-report)
    assert list(_subcommands(build_parser())) == [n.replace("_", "-") for n in COMMANDS]


def _hello_module() -> types.ModuleType:
    """A command written the way docs/architecture.md says, as a new module would be."""

    def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
        stdout.write(f"hello {len(args.paths)} {args.max_bytes}\n")
        return EXIT_OK

    def register(sub: Subcommands) -> None:
        p = sub.add_parser("hello", help="say hello to a bundle")
        add_bundle(p)
        p.set_defaults(func=run)

    module = types.ModuleType("sbomscan.cli.hello")
    module.register = register  # type: ignore[attr-defined]
    return module


def test_a_command_added_as_a_module_and_one_name_runs_with_everything_the_others_get(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sbomscan.cli.hello", _hello_module())
    monkeypatch.setattr(sbomscan.cli, "COMMANDS", (*COMMANDS, "hello"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["hello", "a.json", "b.json", "--max-bytes", "1K", "-q"], stdout=out, stderr=err) == 0
    assert (out.getvalue(), err.getvalue()) == ("hello 2 1024\n", "")
    parser = build_parser()
    help_text = parser.format_help()
    assert "hello" in help_text and "say hello to a bundle" in help_text
    # the conventions every command takes, and shell completion, come with the registration
    table = {c.path: c for c in command_table(parser)}
    assert {"-q", "--verbose", "--color", "--strict", "--exclude", "--max-bytes"} <= set(
        table["hello"].options
    )
    assert ("hello", "say hello to a bundle") in table[""].subcommands


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in parser._actions if flag in a.option_strings), None)


@pytest.mark.parametrize(
    "flag",
    [
        "--strict",
        "--exclude",
        "--max-bytes",
        "--as-of",
        "--waivers",
        "--buyer",
        "--require-complete",
        "--count-skipped",
    ],
)
def test_an_option_shared_by_commands_is_the_same_option_in_each(flag: str) -> None:
    subs = _subcommands(build_parser())
    actions = [a for a in (_option(p, flag) for p in subs.values()) if a is not None]
    assert len(actions) >= 3, f"{flag} is shared by scan, attest and far-report at least"
    shapes = {(a.dest, a.help, repr(a.default), a.metavar, repr(a.choices), a.nargs, a.type) for a in actions}
    assert len(shapes) == 1, f"{flag} differs between commands: {shapes}"
