"""Progress hooks (issue 12, part 3): a scan of one SBOM tells a listener each stage as it
begins and each finding traced (the hooks a batch uses per bundle); a listener hears only
what is reported inside ``reporting`` and is closed however the block ends; the terminal
listener draws tqdm bars and erases them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from conftest import FIXTURES, ROOT

from sbomscan.errors import UsageError
from sbomscan.progress import Progress, TerminalProgress, advance, reporting, stage
from sbomscan.scan import scan


class Listener:
    def __init__(self) -> None:
        self.heard: list[Any] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.heard.append((name, total))

    def advance(self, steps: int = 1) -> None:
        self.heard.append(steps)

    def close(self) -> None:
        self.heard.append("closed")


def test_a_scan_reports_each_stage_and_each_finding() -> None:
    listener = Listener()
    report = scan([ROOT / "examples" / "secure-gateway"], as_of="2026-06-01", progress=listener)
    n = len(report.findings)
    assert n >= 2
    assert listener.heard == [
        ("reading", None),
        ("linking", None),
        ("matching", None),
        ("tracing", n),
        *[1] * n,
        ("locating", n),
        "closed",
    ]


def test_without_locate_there_is_no_locating_stage() -> None:
    listener = Listener()
    scan([FIXTURES / "cyclonedx" / "full-1.6.json"], locate=False, progress=listener)
    assert [h[0] for h in listener.heard if isinstance(h, tuple)] == [
        "reading",
        "linking",
        "matching",
        "tracing",
    ]
    assert listener.heard[-1] == "closed"


def test_the_listener_is_closed_when_the_scan_fails() -> None:
    listener = Listener()
    with pytest.raises(UsageError):
        scan([FIXTURES / "csl"], progress=listener)  # a folder with no SBOM
    assert listener.heard == [("reading", None), "closed"]


def test_nobody_listens_outside_reporting() -> None:
    listener = Listener()
    with reporting(listener):
        stage("a", 1)
    stage("b")
    advance()
    assert listener.heard == [("a", 1), "closed"]
    assert isinstance(listener, Progress)


def test_terminal_progress_draws_a_bar_per_stage_and_erases_it() -> None:
    out = io.StringIO()
    bars = TerminalProgress(out, unit="bundle")
    with reporting(bars):
        stage("bundles", 3)
        advance()
        advance(2)
        stage("locating")
    text = out.getvalue()
    drawn = [part.strip() for part in text.split("\r") if part.strip()]
    assert drawn[0].startswith("bundles:") and "0/3" in drawn[0] and "bundle/s" in drawn[0]
    assert drawn[-1] == "locating 00:00"  # no count for a stage of unknown length
    assert text.endswith(" \r")  # the last bar erased: the terminal is left as it was


class Terminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_scan_command_draws_its_stages_on_a_terminal_only() -> None:
    from sbomscan.cli import main

    gateway = str(ROOT / "examples" / "secure-gateway")
    err = Terminal()
    assert main(["scan", gateway, "--format", "json"], stdout=io.StringIO(), stderr=err) == 1
    drawn = err.getvalue()
    for name in ("reading", "linking", "matching", "tracing:", "locating:"):
        assert name in drawn, (name, drawn)
    assert drawn.endswith(" \r")  # the bars are erased: what follows starts on a clean line
    quiet = Terminal()
    main(["scan", gateway, "-q"], stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""
    plain = io.StringIO()
    main(["scan", gateway, "--format", "json"], stdout=io.StringIO(), stderr=plain)
    assert "\r" not in plain.getvalue()
