"""Progress hooks: how a long run says how far it has got, without knowing who listens.

Two kinds of run take long enough for a person to wonder whether anything is happening: a
batch of thousands of bundles (:mod:`sbomscan.batch`) and the scan of one huge SBOM (a
million components take a minute). Both report through the same three calls of a
:class:`Progress`: :meth:`~Progress.stage` when a stage begins (its name and, when known,
how many steps it has), :meth:`~Progress.advance` as steps are done, and
:meth:`~Progress.close` at the end. The code that does the work never draws anything: the
CLI passes a :class:`TerminalProgress` (tqdm bars on standard error) when standard error is
a terminal and ``--quiet`` was not given, and nothing otherwise; a library caller passes
its own object with the same three methods, or none.

The stages deep inside a scan reach the listener through :func:`reporting`, a context
variable set for the duration of the run, so no stage grows a ``progress`` parameter and a
scan with nobody listening pays one ``ContextVar.get`` per stage.

>>> class Log:
...     def __init__(self): self.lines = []
...     def stage(self, name, total=None): self.lines.append(f"{name} ({total})")
...     def advance(self, steps=1): self.lines.append(f"+{steps}")
...     def close(self): self.lines.append("done")
>>> log = Log()
>>> with reporting(log):
...     stage("match", 2)
...     advance()
...     advance()
>>> log.lines
['match (2)', '+1', '+1', 'done']
>>> stage("nobody listens")  # outside reporting(): nothing happens
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any, Protocol, runtime_checkable

__all__ = ["Progress", "TerminalProgress", "advance", "reporting", "stage"]


@runtime_checkable
class Progress(Protocol):
    """What a listener to a long run implements (any object with these three methods)."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A stage begins: ``name`` says what is being done, ``total`` how many steps it
        has (``None`` when that is not known before it ends)."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current stage are done."""

    def close(self) -> None:
        """The run is over (normally or not): release the terminal."""


_current: ContextVar[Progress | None] = ContextVar("sbomscan_progress", default=None)


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Send the :func:`stage` and :func:`advance` calls made in the block to ``progress``
    (``None``: to nobody), and close it when the block ends, however it ends."""
    token = _current.set(progress)
    try:
        yield
    finally:
        _current.reset(token)
        if progress is not None:
            progress.close()


def stage(name: str, total: int | None = None) -> None:
    """Tell the current listener, if any, that a stage begins."""
    progress = _current.get()
    if progress is not None:
        progress.stage(name, total)


def advance(steps: int = 1) -> None:
    """Tell the current listener, if any, that ``steps`` more steps are done."""
    progress = _current.get()
    if progress is not None:
        progress.advance(steps)


class TerminalProgress:
    """One tqdm bar per stage, on ``stream`` (standard error), erased when the stage ends.

    A stage with a total shows a bar, a count and a rate; one without shows the time spent,
    so a long read of a huge file is seen to be alive. Only the CLI makes
    one, and only for a terminal: a log file or a pipe gets no carriage returns.
    """

    def __init__(self, stream: IO[str], *, unit: str = "step") -> None:
        self._stream = stream
        self._unit = unit
        self._bar: Any = None

    def stage(self, name: str, total: int | None = None) -> None:
        from tqdm import tqdm

        self._end_bar()
        self._bar = tqdm(
            total=total,
            desc=name,
            unit=self._unit,
            file=self._stream,
            leave=False,
            dynamic_ncols=True,
            # a stage of unknown length shows that it is alive and for how long, not "0it"
            bar_format=None if total is not None else "{desc} {elapsed}",
        )

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def close(self) -> None:
        self._end_bar()

    def _end_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
