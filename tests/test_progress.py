"""Progress hooks (issue 12, part 3): a listener hears the stages reported inside
``reporting`` and nothing outside it, and is closed however the block ends; the terminal
listener draws tqdm bars and erases them."""

from __future__ import annotations

import io
from typing import Any

from sbomscan.progress import Progress, TerminalProgress, advance, reporting, stage


class Listener:
    def __init__(self) -> None:
        self.heard: list[Any] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.heard.append((name, total))

    def advance(self, steps: int = 1) -> None:
        self.heard.append(steps)

    def close(self) -> None:
        self.heard.append("closed")


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
