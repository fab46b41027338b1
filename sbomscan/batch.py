"""Many bundles scanned in parallel on a Dask cluster, each result accounted for.

A buying office holds thousands of submitted bundles (a product's SBOM and its
subcontractors' SBOMs: a file, a folder or an archive each). :func:`run_batch` scans every
bundle exactly as :func:`sbomscan.scan` scans it alone — one bundle per Dask task, on a
local cluster of worker processes (:class:`dask.distributed.LocalCluster`, one per core by
default) or on an existing cluster named by its scheduler's address — and yields one
:class:`BundleResult` per bundle, **in the order given**, whatever order the workers finish
in. A bundle that cannot be scanned (not an SBOM, a worker that died on it, a worker whose
entity data differs from the caller's) is not dropped: its result says why, with the
outcome ``incomplete``, so a batch in which a supplier's bundle went missing never looks
clean.

What is decided once, before anything is sent: the as-of date (a batch that runs past
midnight judges every bundle on the same day), the entity data (loaded and checked here, so
a bad overlay stops the batch with one line instead of failing ten thousand tasks) and the
waivers (read here, sent as records). Each worker loads the entity data once — the overlay
files are read by path, so on a remote cluster they and the bundles must be where the
workers can read them under the same names — and every result is checked against the
caller's data provenance (version and sha256 of each file): a worker with other data gives
an error result, not a report decided by other lists.

Results go to the caller (from ``sbomscan batch``, to a JSON-lines result set) or, with
``BatchOptions.prepare(portfolio=PATH)``, into a portfolio store: each worker adds its
bundles there as ``sbomscan portfolio add`` does (:mod:`sbomscan.portfolio`).

:func:`result_line` writes a result as one line of the JSON-lines result set
(``docs/batch-result.schema.json``); :class:`BatchSummary` counts the outcomes and gives
the batch's exit status. The CLI front end is ``sbomscan batch`` (``docs/batch.md``).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date
from typing import Any, NamedTuple

import orjson

from .errors import SbomscanError, UsageError
from .progress import Progress, reporting
from .progress import advance as _advance
from .progress import stage as _stage

__all__ = [
    "BATCH_SCHEMA_VERSION",
    "BatchOptions",
    "BatchSummary",
    "BundleResult",
    "default_chunk",
    "default_workers",
    "portfolio_store",
    "product_name",
    "result_line",
    "run_batch",
    "scan_bundle",
]

BATCH_SCHEMA_VERSION = 1
"""The version of one JSON-lines result (``docs/batch-result.schema.json``)."""

DEFAULT_WINDOW = 512
"""Bundles handed to the cluster ahead of the oldest result not yet yielded. Results are
yielded in input order, so finished results wait for a slow one; this bounds how many wait
(and how much memory they hold) while keeping every worker busy."""


class BatchOptions(NamedTuple):
    """How every bundle of a batch is scanned: the options of :func:`sbomscan.scan`, with
    the as-of date, the entity data and the waivers fixed before the batch starts.

    Build it with :meth:`prepare`, which resolves and checks them; ``provenance`` is what
    each worker's entity data must equal (see :func:`scan_bundle`).
    """

    as_of: date
    entities: tuple[str, ...] = ()
    provenance: tuple[Any, ...] = ()
    waivers: tuple[Any, ...] = ()
    strict: bool = False
    all_paths: bool = False
    max_paths: int = 10
    max_depth: int | None = None
    max_bytes: int | None = None
    exclude: tuple[str, ...] = ()
    fail_on: str = "prohibited"
    require_complete: bool = False
    count_skipped: bool = False
    buyer: str | None = None
    locate: bool = True
    portfolio: str | None = None

    def scan_keywords(self) -> dict[str, Any]:
        """The keywords of :func:`sbomscan.scan` these options give, beside the entity data:
        one place that turns the batch's options into a scan's, for a report and for a
        portfolio's ``add`` alike."""
        from .ingest import DEFAULT_MAX_BYTES

        keywords = {name: getattr(self, name) for name in _SCAN_FIELDS}
        keywords.update(
            as_of=self.as_of,
            waivers=list(self.waivers),
            exclude=list(self.exclude),
            max_bytes=self.max_bytes if self.max_bytes is not None else DEFAULT_MAX_BYTES,
        )
        return keywords

    @classmethod
    def prepare(
        cls,
        *,
        as_of: date | str | None = None,
        entities: Sequence[str | os.PathLike[str]] = (),
        waivers: str | os.PathLike[str] | None = None,
        portfolio: str | os.PathLike[str] | None = None,
        **scan_options: Any,
    ) -> BatchOptions:
        """Resolve the as-of date (``None``: today, once), load and check the entity data
        (the shipped data plus ``entities`` overlay files) and read ``waivers``; the other
        keywords are :func:`sbomscan.scan`'s. With ``portfolio`` (a store's path) each bundle
        is added to that store instead (see :func:`portfolio_store`). Raises
        :class:`~sbomscan.errors.SbomscanError` naming the file or option that is wrong,
        before any bundle is touched."""
        from .entities import load_entities
        from .scan import parse_as_of
        from .waivers import load_waivers

        unknown = set(scan_options) - set(cls._fields)
        if unknown:
            raise UsageError(f"unknown batch option(s): {', '.join(sorted(unknown))}")
        overlays = tuple(os.fspath(e) for e in entities)
        day = parse_as_of(as_of)
        db = load_entities(list(overlays))
        store = None
        if portfolio is not None:
            store = portfolio_store(portfolio, {**scan_options, "waivers": waivers})
        return cls(
            as_of=day,
            entities=overlays,
            provenance=provenance(db),
            waivers=tuple(load_waivers(waivers)) if waivers is not None else (),
            portfolio=store,
            **scan_options,
        )


_SCAN_FIELDS = (
    "strict",
    "all_paths",
    "max_paths",
    "max_depth",
    "locate",
    "fail_on",
    "require_complete",
    "count_skipped",
    "buyer",
)
"""The options passed to :func:`sbomscan.scan` as they are (the others are converted)."""

# What ``Portfolio.add`` decides a bundle's stored result with: the defaults of a scan. A
# batch asked to decide otherwise (other waivers, another threshold) would store results
# that say something else than what was asked, so those options are refused with a store.
_PORTFOLIO_DEFAULTS: dict[str, Any] = {
    "strict": False,
    "all_paths": False,
    "max_paths": 10,
    "max_depth": None,
    "exclude": (),
    "fail_on": "prohibited",
    "require_complete": False,
    "count_skipped": False,
    "buyer": None,
}


def portfolio_store(path: str | os.PathLike[str], options: Mapping[str, Any]) -> str:
    """Check that a batch can go into the portfolio store at ``path`` — opened (made when
    missing, brought up to the current schema) once, here, so a bad store stops the batch
    before it starts — and that ``options`` are ones ``sbomscan portfolio add`` keeps a
    bundle with (the entity data, the as-of date, the waivers, ``max_bytes``); return its
    path."""
    from .portfolio import open_portfolio

    changed = [k for k, default in _PORTFOLIO_DEFAULTS.items() if (options.get(k) or default) != default]
    if changed:
        names = ", ".join("--" + k.replace("_", "-") for k in changed)
        raise UsageError(
            f"{names}: not with a portfolio, which keeps each bundle as 'sbomscan portfolio add' does "
            "(entity data, as-of date, waivers and --max-bytes only); write a result set instead"
        )
    with open_portfolio(path):
        pass
    return os.fspath(path)


class BundleResult(NamedTuple):
    """The result of one bundle: its place in the batch, the path as given, the outcome
    (``pass``, ``pass-with-gaps``, ``fail``, ``incomplete``), the scan's exit status, the
    report's finding counts, ``error`` (one line) when no report could be made, and the
    JSON report as :func:`sbomscan.report.json.to_dict` gives it (``None`` with an error,
    and when the result went into a portfolio: then ``submission`` is its id there).

    ``line`` is the result's line of the result set as the worker that scanned the bundle
    wrote it (:func:`result_line` gives it back as is, so ten thousand reports are not
    encoded twice), or ``None``: a result changed with ``_replace`` must set it to ``None``
    too, or its line would say what the result no longer does."""

    position: int
    bundle: str
    outcome: str
    exit_status: int
    counts: Mapping[str, int]
    error: str | None
    report: Mapping[str, Any] | None
    submission: int | None = None
    line: str | None = None


def provenance(db: Any) -> tuple[Any, ...]:
    """What identifies the entity data that decides a finding: the merged version, the
    shipped file's version and sha256 (not its path: that is only where sbomscan is
    installed) and each overlay's path, version and sha256."""
    shipped = (db.shipped.version, db.shipped.sha256) if db.shipped is not None else None
    return (db.version, shipped, tuple((o.path, o.version, o.sha256) for o in db.overlays))


@functools.lru_cache(maxsize=4)
def _database(overlays: tuple[str, ...], expected: tuple[Any, ...]) -> Any:
    """The entity data on this worker, loaded once per process for a batch's overlays and
    the provenance expected (a changed overlay file is a new key, so it is read again)."""
    from .entities import load_entities

    db = load_entities(list(overlays))
    if expected and provenance(db) != expected:
        raise UsageError(
            f"this worker's entity data ({db.version}, pid {os.getpid()}) is not the data the batch "
            "was started with: install the same sbomscan and overlay files on every worker"
        )
    return db


def _error(position: int, bundle: str, message: str) -> BundleResult:
    return BundleResult(position, bundle, "incomplete", 2, {}, " ".join(message.split()), None)


def scan_bundle(bundle: str, options: BatchOptions, position: int = 0) -> BundleResult:
    """Scan one bundle (the unit of work a worker runs): :func:`sbomscan.scan` of
    ``[bundle]`` with the batch's options. Never raises: a bundle that cannot be scanned
    gives an ``incomplete`` result whose ``error`` says why."""
    from .report.json import to_dict
    from .scan import scan

    try:
        db = _database(options.entities, options.provenance)
        if options.portfolio is not None:
            return _added(bundle, options, db, position)
        report = scan([bundle], entities=db, **options.scan_keywords())
    except SbomscanError as e:
        return _error(position, bundle, str(e))
    except Exception as e:  # a defect must cost one bundle its result, not the batch its others
        return _error(position, bundle, f"internal error while scanning: {type(e).__name__}: {e}")
    s = report.summary
    counts = {"prohibited": s.prohibited, "review": s.review, "notice": s.notice, "waived": s.waived}
    return BundleResult(
        position, bundle, report.outcome, report.verdict.exit_status, counts, None, to_dict(report)
    )


def product_name(bundle: str) -> str:
    """The product a bundle is kept under in a portfolio: its file or folder name.

    >>> product_name("intake/acme/gateway-7.2/")
    'gateway-7.2'
    """
    return os.path.basename(os.path.normpath(bundle)) or bundle


_stores = threading.local()


def _added(bundle: str, options: BatchOptions, db: Any, position: int) -> BundleResult:
    """Add ``bundle`` to the batch's portfolio (``Portfolio.add``: read, scanned, kept in
    one transaction; several workers write to one store safely), through one connection per
    worker thread."""
    from .portfolio import open_portfolio
    from .report.model import Verdict

    path = options.portfolio
    assert path is not None
    open_stores: dict[str, Any] = _stores.__dict__.setdefault("open", {})
    if path not in open_stores:
        open_stores[path] = open_portfolio(path)
    keywords = options.scan_keywords()
    sub = open_stores[path].add(
        [bundle],
        product=product_name(bundle),
        entities=db,
        as_of=keywords["as_of"],
        max_bytes=keywords["max_bytes"],
        waivers=keywords["waivers"],
    )
    outcome = sub.outcome or "incomplete"
    counts = {"prohibited": 0, "review": 0, "notice": 0, "waived": 0}
    for f in sub.findings:
        counts["waived" if f.waived else f.severity] += 1
    return BundleResult(position, bundle, outcome, Verdict(outcome).exit_status, counts, None, None, sub.id)


def _scan_chunk(items: Sequence[tuple[int, str]], options: BatchOptions) -> list[BundleResult]:
    """The task a worker runs: a few bundles in a row (see ``chunk`` in :func:`run_batch`).

    Each result goes back with its line of the result set already written and without its
    report dict: a string crosses to the caller for a fraction of what a nested dict costs
    Dask (measured per bundle: sizing the dict for the scheduler 0.28 ms, pickling both ways
    0.1 ms, writing the line 0.17 ms — that last on the caller's one process, while the
    workers run in parallel); the caller reads the report back from the line
    (:func:`_with_report`)."""
    results = []
    for position, bundle in items:
        result = scan_bundle(bundle, options, position)
        if result.report is not None:
            result = result._replace(report=None, line=result_line(result))
        results.append(result)
    return results


def _with_report(result: BundleResult) -> BundleResult:
    """A worker's result as :func:`scan_bundle` gave it, its report read back from its line
    (the line itself kept for :func:`result_line`)."""
    if result.line is None or result.report is not None:
        return result
    report: dict[str, Any] = orjson.loads(result.line)["report"]
    return result._replace(report=report)


def result_line(result: BundleResult) -> str:
    r"""One line of the JSON-lines result set (``docs/batch-result.schema.json``), ending in
    a newline; invisible and reordering characters inside strings are written as ``\u``
    escapes, as in the JSON report.

    >>> result_line(BundleResult(0, "a.json", "incomplete", 2, {}, "not an SBOM", None))
    '{"batch_schema_version":1,"bundle":"a.json","outcome":"incomplete","error":"not an SBOM","report":null}\n'
    """
    from .report.escape import json_text

    if result.line is not None:
        return result.line
    if result.report is None and result.error is None:
        raise ValueError(
            f"{result.bundle}: a result kept in a portfolio has no line (its report is in the store)"
        )
    line = {
        "batch_schema_version": BATCH_SCHEMA_VERSION,
        "bundle": result.bundle,
        "outcome": result.outcome,
        "error": result.error,
        "report": result.report,
    }
    return json_text(orjson.dumps(line).decode()) + "\n"


class BatchSummary:
    """The outcomes of a batch so far, and its exit status: 1 when any bundle fails (a
    finding stands, as in a single scan), else 2 when any bundle is incomplete or could not
    be scanned, else 0.

    >>> s = BatchSummary()
    >>> for outcome in ("pass", "fail", "incomplete"):
    ...     s.add(BundleResult(0, "b", outcome, 0, {}, None, None))
    >>> s.exit_status, s.line()
    (1, '3 bundles: 1 fail, 1 incomplete, 1 pass')
    """

    def __init__(self) -> None:
        self.outcomes: dict[str, int] = {}
        self.errors: list[BundleResult] = []

    def add(self, result: BundleResult) -> None:
        """Count one result."""
        self.outcomes[result.outcome] = self.outcomes.get(result.outcome, 0) + 1
        if result.error is not None:
            self.errors.append(result)

    @property
    def exit_status(self) -> int:
        """The batch's exit status (see the class)."""
        if self.outcomes.get("fail"):
            return 1
        return 2 if self.outcomes.get("incomplete") else 0

    def line(self) -> str:
        """``"3 bundles: 1 fail, 1 incomplete, 1 pass"`` (outcomes worst first)."""
        order = ("fail", "incomplete", "pass-with-gaps", "pass")
        total = sum(self.outcomes.values())
        parts = [f"{self.outcomes[o]} {o}" for o in order if self.outcomes.get(o)]
        return f"{total} bundle{'s' if total != 1 else ''}: " + (", ".join(parts) or "none")


def default_workers() -> int:
    """A local cluster's size when none is given: one worker process per core this process
    may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


MAX_CHUNK = 128
"""The most bundles :func:`default_chunk` puts in one task: Dask's cost per task measured
5-10 ms of CPU (2,000 small bundles on two workers: 8 bundles a task 1.3-1.9 s more than
32; 10,000: 128 a task 1.7-2.3 s less than 32, 64 a task 1.1-1.7 s less)."""


def default_chunk(bundles: int, workers: int) -> int:
    """Bundles per task when none is given: enough that Dask's own cost per task (a few ms
    of CPU between the scheduler, the worker and the caller, measured on a local cluster —
    as much as a small bundle's scan) is spread over many scans, yet few enough that each
    worker gets at least four tasks, so the last ones end close together.

    >>> default_chunk(10_000, 2), default_chunk(100, 2), default_chunk(3, 2)
    (128, 12, 1)
    """
    return max(1, min(MAX_CHUNK, bundles // (4 * max(1, workers))))


_fork_server_lock = threading.Lock()
_fork_server_users = 0
_fork_server_ours = False


@contextmanager
def _start_method() -> Iterator[str]:
    """How a local cluster's worker processes are started, for as long as it runs:
    ``forkserver`` where the platform has one, else ``spawn`` (Dask's default).

    A spawned worker is a new interpreter that imports Dask for itself (about half a second
    of CPU per worker before its first scan; its exit is as slow). A fork server imports
    Dask once, in a process of its own with no other threads, and forks each worker from it
    (the worker then takes the caller's current directory and ``sys.path``, as a spawned
    one does); unlike a plain ``fork`` of the caller, whose Dask event loop runs in a
    thread whose held locks would stay held in the child, that is safe.

    The standard library keeps one fork server per process and leaves it running; when no
    fork server ran before, the last batch to end stops it (and waits for it), so no process
    outlives the batch — and the next batch's workers get the environment of their day, not
    the server's. (A fork server started by the caller itself is left alone.)"""
    global _fork_server_users, _fork_server_ours
    if "forkserver" not in multiprocessing.get_all_start_methods():
        yield "spawn"
        return
    from multiprocessing import forkserver

    server: Any = getattr(forkserver, "_forkserver", None)
    with _fork_server_lock:
        if _fork_server_users == 0:
            _fork_server_ours = getattr(server, "_forkserver_pid", 0) is None and hasattr(server, "_stop")
        _fork_server_users += 1
    try:
        yield "forkserver"
    finally:
        with _fork_server_lock:
            _fork_server_users -= 1
            if _fork_server_users == 0 and _fork_server_ours:
                server._stop()


def _client(stack: ExitStack, scheduler: str | None, workers: int | None) -> Any:
    """A Dask client for the batch: connected to ``scheduler`` when given, else to a new
    local cluster of ``workers`` processes (one thread each: scanning is pure Python, so
    threads would wait on each other), closed when ``stack`` closes."""
    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        # how long to keep trying is Dask's own setting, distributed.comm.timeouts.connect
        # (30 s unless DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT says otherwise)
        try:
            return stack.enter_context(Client(scheduler))
        except (OSError, TimeoutError, ValueError) as e:
            raise UsageError(f"cannot reach the Dask scheduler {scheduler!r}: {e}") from None
    n = workers if workers is not None else default_workers()
    if n < 1:
        raise UsageError(f"workers must be at least 1, not {n}")
    # the workers' statistical profiler (a stack sample every 10 ms, for the dashboard's
    # profile page) costs CPU the scans need; a batch's own cluster does without it. Each
    # server's event loop also wakes every 20 ms ("tick") only to notice when it was held up
    # (a warning past 3 s): once a second notices that as well, at a fraction of the CPU an
    # idle cluster burns by the clock, whatever its bundles
    method = stack.enter_context(_start_method())  # entered first: left after the cluster
    stack.enter_context(
        dask.config.set(
            {
                "distributed.worker.profile.enabled": False,
                "distributed.admin.tick.interval": "1s",
                "distributed.worker.multiprocessing-method": method,
            }
        )
    )
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # the scheduler always serves HTTP (health, metrics); on a port of its own, never
            # a fixed one that another cluster on the machine may hold
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
    )
    return stack.enter_context(Client(cluster))


def run_batch(
    bundles: Iterable[str | os.PathLike[str]],
    options: BatchOptions | None = None,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    client: Any = None,
    progress: Progress | None = None,
    chunk: int | None = None,
    window: int = DEFAULT_WINDOW,
) -> Iterator[BundleResult]:
    """Scan each bundle on a Dask cluster and yield its :class:`BundleResult`, in the order
    the bundles were given.

    The cluster is ``client`` (a :class:`dask.distributed.Client` the caller manages), else
    the scheduler at ``scheduler`` (``tcp://host:port``), else a local cluster of
    ``workers`` processes (default :func:`default_workers`) started here and shut down when
    the last result is yielded or the caller stops early. ``chunk`` bundles go to a worker
    in one task (default :func:`default_chunk` for the bundles and the cluster's worker
    threads: more per task cuts Dask's share on small bundles); at most ``window`` bundles
    (but at least two tasks per worker thread) are out ahead of the oldest result not yet
    yielded. ``progress``
    hears one stage, ``bundles``, advanced once per bundle done.
    """
    paths = [os.fspath(b) for b in bundles]
    opts = options if options is not None else BatchOptions.prepare()
    if (chunk is not None and chunk < 1) or window < 1:
        raise UsageError(f"chunk and window must be at least 1, not {chunk} and {window}")
    with ExitStack() as stack:
        stack.enter_context(reporting(progress))
        _stage("bundles", len(paths))
        if not paths:
            return
        dask_client = client if client is not None else _client(stack, scheduler, workers)
        threads = sum(dask_client.nthreads().values())
        if chunk is None:
            chunk = default_chunk(len(paths), threads)
        # results are yielded in order, so a window of fewer than two tasks per worker
        # thread would leave a worker idle while the oldest task runs
        yield from _ordered(dask_client, paths, opts, chunk, max(window, 2 * chunk * threads))


def _ordered(
    client: Any, paths: list[str], options: BatchOptions, chunk: int, window: int
) -> Iterator[BundleResult]:
    """Submit chunks while fewer than ``window`` bundles are out, collect them as they
    finish, and yield every result whose predecessors have all been yielded."""
    from dask.distributed import as_completed

    numbered = list(enumerate(paths))
    chunks = [numbered[i : i + chunk] for i in range(0, len(numbered), chunk)]
    done: dict[int, BundleResult] = {}
    pending = as_completed()
    owner: dict[str, list[tuple[int, str]]] = {}
    submitted = next_out = 0
    while next_out < len(paths):
        while submitted < len(chunks) and chunks[submitted][0][0] - next_out < window:
            items = chunks[submitted]
            future = client.submit(_scan_chunk, items, options, pure=False)
            owner[future.key] = items
            pending.add(future)
            submitted += 1
        future = next(pending)
        for result in _collect(future, owner.pop(future.key)):
            done[result.position] = _with_report(result)
            _advance()
        future.release()
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1


def _collect(future: Any, items: list[tuple[int, str]]) -> list[BundleResult]:
    """A finished task's results, or an error result for each of its bundles when the task
    itself failed (its worker died on it every time it was tried, or the scheduler went)."""
    try:
        results: list[BundleResult] = future.result()
        return results
    except Exception as e:
        reason = f"the Dask task failed ({type(e).__name__}: {e})"
        return [_error(position, bundle, f"not scanned: {reason}") for position, bundle in items]
