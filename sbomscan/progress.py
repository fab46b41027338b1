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

Reading one huge file is a single long stage whose length is not known until it ends (a
file's component count is only known once it is read), and the readers' loops are the
hottest code there is. So a reader does not count: it hands the list it fills to
:func:`counting` once per document, and while a listener is there a watcher thread tells
it every :data:`POLL_SECONDS` how many items those lists hold — the components read so
far — and once more, exactly, when the stage ends. Nobody listening: one
``ContextVar.get`` per document, no thread.

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

import threading
from collections.abc import Iterator, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any, ClassVar, Protocol, runtime_checkable

__all__ = ["POLL_SECONDS", "Progress", "TerminalProgress", "advance", "counting", "reporting", "stage"]

POLL_SECONDS = 0.25
"""How often the lists given to :func:`counting` are counted for the listener."""


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


class _Run:
    """One :func:`reporting` block: its listener, and the lists counted in the current stage.

    Every call to the listener holds the lock, so the watcher thread and the run's own
    thread never draw at once."""

    def __init__(self, listener: Progress) -> None:
        self.listener = listener
        self.lock = threading.Lock()
        self.counted: list[Sized] = []
        self.told = 0
        self.stopping: threading.Event | None = None
        self.watcher: threading.Thread | None = None

    def stage(self, name: str, total: int | None) -> None:
        with self.lock:
            self._tell()
            self.counted, self.told = [], 0
            self.listener.stage(name, total)

    def advance(self, steps: int) -> None:
        with self.lock:
            self.listener.advance(steps)

    def count(self, items: Sized) -> None:
        with self.lock:
            self.counted.append(items)
        if self.watcher is None:
            self.stopping = threading.Event()
            self.watcher = threading.Thread(
                target=self._watch, args=(self.stopping,), name="sbomscan-progress", daemon=True
            )
            self.watcher.start()

    def _watch(self, stopping: threading.Event) -> None:
        while not stopping.wait(POLL_SECONDS):
            with self.lock:
                self._tell()

    def _tell(self) -> None:
        """Advance the listener by what the counted lists gained (the lock is held)."""
        n = sum(len(items) for items in self.counted)
        if n > self.told:
            self.listener.advance(n - self.told)
            self.told = n

    def close(self) -> None:
        if self.stopping is not None and self.watcher is not None:
            self.stopping.set()
            self.watcher.join()
        with self.lock:
            self._tell()
            self.listener.close()


_current: ContextVar[_Run | None] = ContextVar("sbomscan_progress", default=None)


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Send the :func:`stage`, :func:`advance` and :func:`counting` calls made in the block
    to ``progress`` (``None``: to nobody), and close it when the block ends, however it
    ends."""
    run = _Run(progress) if progress is not None else None
    token = _current.set(run)
    try:
        yield
    finally:
        _current.reset(token)
        if run is not None:
            run.close()


def stage(name: str, total: int | None = None) -> None:
    """Tell the current listener, if any, that a stage begins."""
    run = _current.get()
    if run is not None:
        run.stage(name, total)


def advance(steps: int = 1) -> None:
    """Tell the current listener, if any, that ``steps`` more steps are done."""
    run = _current.get()
    if run is not None:
        run.advance(steps)


def counting(items: Sized) -> None:
    """Count ``items`` — a list the caller goes on filling, such as the components of the
    document being read — as steps of the current stage: the listener, if any, hears how
    many it holds as it grows (see the module's docstring)."""
    run = _current.get()
    if run is not None:
        run.count(items)


class TerminalProgress:
    """One tqdm bar per stage, on ``stream`` (standard error), erased when the stage ends.

    A stage with a total shows a bar, a count and a rate; one without shows the time spent
    and, once it has counted anything, the count (``reading: 120000 components, 00:07``),
    so a long read of a huge file is seen to be alive and getting on. Only the CLI makes
    one, and only for a terminal: a log file or a pipe gets no carriage returns.
    """

    UNITS: ClassVar[dict[str, str]] = {"reading": "component"}
    """What a stage counts when it is not the listener's ``unit`` (reading: components)."""

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
            unit=self.UNITS.get(name, self._unit),
            file=self._stream,
            leave=False,
            dynamic_ncols=True,
            # a stage of unknown length shows that it is alive and for how long, not "0it"
            bar_format=None if total is not None else "{desc} {elapsed}",
        )

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            first = self._bar.total is None and self._bar.n == 0
            if first:  # a stage of unknown length that counts: show the count from now on
                self._bar.bar_format = "{desc}: {n_fmt} {unit}s, {elapsed}"
            self._bar.update(steps)
            if first:
                self._bar.refresh()

    def close(self) -> None:
        self._end_bar()

    def _end_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
