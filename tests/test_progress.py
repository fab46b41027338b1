"""Progress hooks (issue 12, part 3): a scan of one SBOM tells a listener each stage as it
begins and each finding traced (the hooks a batch uses per bundle); a listener hears only
what is reported inside ``reporting`` and is closed however the block ends; the terminal
listener draws tqdm bars and erases them."""

from __future__ import annotations

import importlib.util
import io
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT

import sbomscan.progress
from sbomscan.errors import UsageError
from sbomscan.progress import Progress, TerminalProgress, advance, counting, reporting, stage
from sbomscan.scan import load_bundle, scan


class Listener:
    def __init__(self) -> None:
        self.heard: list[Any] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.heard.append((name, total))

    def advance(self, steps: int = 1) -> None:
        self.heard.append(steps)

    def close(self) -> None:
        self.heard.append("closed")


def _components(bundle: Path) -> int:
    docs, _, _ = load_bundle([str(bundle)])
    return sum(len(d.components) for d in docs)


def test_a_scan_reports_each_stage_and_each_finding() -> None:
    listener = Listener()
    gateway = ROOT / "examples" / "secure-gateway"
    report = scan([gateway], as_of="2026-06-01", progress=listener)
    n = len(report.findings)
    assert n >= 2
    assert listener.heard == [
        ("reading", None),
        _components(gateway),  # the reading stage's count, told exactly when it ends
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
    assert listener.heard[:2] == [("reading", None), _components(FIXTURES / "cyclonedx" / "full-1.6.json")]
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


def test_reading_a_large_file_counts_its_components_as_the_reader_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading stage of one big file is heard more than once while it lasts, each time
    with more components, and adds up to exactly the components read."""
    spec = importlib.util.spec_from_file_location(
        "sbomscan_bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    big = tmp_path / "big.cdx.json"
    big.write_bytes(generate.cyclonedx_json(30_000, seed=2))
    monkeypatch.setattr(sbomscan.progress, "POLL_SECONDS", 0.005)

    class Timed(Listener):
        def advance(self, steps: int = 1) -> None:
            self.heard.append((steps, time.monotonic()))

    listener = Timed()
    scan([big], locate=False, progress=listener)
    reading = listener.heard[1 : listener.heard.index(("linking", None))]
    assert len(reading) >= 2, "the count was told only when the reading ended"
    assert sum(steps for steps, _ in reading) == _components(big) == 30_001  # with the product's own
    assert all(steps > 0 for steps, _ in reading)


def test_counting_outside_reporting_or_after_close_does_nothing() -> None:
    items: list[int] = []
    counting(items)  # nobody listens: no thread, nothing told
    listener = Listener()
    with reporting(listener):
        stage("reading")
        counting(items)
        items.extend(range(5))
    items.extend(range(5))
    assert listener.heard == [("reading", None), 5, "closed"]


def test_terminal_progress_draws_a_bar_per_stage_and_erases_it() -> None:
    out = io.StringIO()
    bars = TerminalProgress(out, unit="bundle")
    with reporting(bars):
        stage("bundles", 3)
        advance()
        advance(2)
        stage("reading")
        components: list[int] = []
        counting(components)
        components.extend(range(120))
        stage("locating")
    text = out.getvalue()
    drawn = [part.strip() for part in text.split("\r") if part.strip()]
    assert drawn[0].startswith("bundles:") and "0/3" in drawn[0] and "bundle/s" in drawn[0]
    assert "reading 00:00" in drawn  # a stage of unknown length: the time, until it counts
    assert "reading: 120 components, 00:00" in drawn
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
