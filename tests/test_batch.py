"""Batch scans on Dask (issue 12, part 3): every bundle's result equals what ``scan`` gives it
alone, in the order given, on a real local cluster of worker processes that the test starts
and that is gone afterwards; a bundle that cannot be scanned gives a result that says why.

Most tests share one in-process cluster (threads: quick to start); the end-to-end test
starts and stops a cluster of processes, as ``sbomscan batch`` does.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import dask
import jsonschema_rs
import orjson
import psutil
import pytest
from conftest import FIXTURES, ROOT, corpus_files
from dask.distributed import Client, LocalCluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sbomscan.batch as batch
from sbomscan.batch import BatchOptions, BatchSummary, BundleResult, result_line, run_batch, scan_bundle
from sbomscan.entities import load_entities
from sbomscan.errors import EntityDataError, SbomscanError, UsageError, WaiverError
from sbomscan.portfolio import open_portfolio
from sbomscan.report.json import render_json
from sbomscan.scan import scan
from sbomscan.waivers import load_waivers

AS_OF = date(2026, 6, 1)
OVERLAY = ROOT / "examples" / "entities-overlay.json"
WAIVERS = ROOT / "examples" / "waivers.yaml"
BUNDLES = [
    ROOT / "examples" / "secure-gateway",  # a folder: a product SBOM linking to a subcontractor's
    FIXTURES / "bundles" / "tier2",
    FIXTURES / "bundles" / "missing",  # a sub-SBOM not supplied
    FIXTURES / "bundles" / "spdx2",
    FIXTURES / "bundles" / "spdx3",
    FIXTURES / "cyclonedx" / "full-1.6.json",  # a single file
    ROOT / "README.md",  # named but not an SBOM: a report whose input was not read
    FIXTURES / "csl",  # a folder holding no SBOM at all: no report can be made
    FIXTURES / "no-such-bundle.json",  # not there: a report that says so
]


def _schema() -> Any:
    report = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    line = json.loads((ROOT / "docs" / "batch-result.schema.json").read_text())
    return jsonschema_rs.validator_for(line, registry=jsonschema_rs.Registry([(report["$id"], report)]))


LINE_SCHEMA = _schema()


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A cluster of worker threads in this process, shared by the quick tests."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def options() -> BatchOptions:
    return BatchOptions.prepare(as_of=AS_OF, entities=[OVERLAY], waivers=WAIVERS)


def alone(bundle: Path | str) -> dict[str, Any] | str:
    """What ``scan`` makes of ``bundle`` on its own, as the CLI's JSON report parsed (or the
    error it raises), with the same options as the batch's."""
    try:
        report = scan([str(bundle)], entities=load_entities([OVERLAY]), as_of=AS_OF, waivers=str(WAIVERS))
    except SbomscanError as e:
        return str(e)
    parsed: dict[str, Any] = orjson.loads(render_json(report))
    return parsed


def as_line(result: BundleResult) -> dict[str, Any] | str:
    """The result set's line for ``result``, checked against its schema, as ``alone`` gives it."""
    line = orjson.loads(result_line(result))
    errors = [f"{list(e.instance_path)}: {e.message}" for e in LINE_SCHEMA.iter_errors(line)]
    assert not errors, errors
    return line["error"] if line["report"] is None else line["report"]


def _children() -> set[int]:
    """This process's children, but multiprocessing's resource tracker (started with the
    first worker process, it stays for the life of the interpreter, whatever is closed)."""
    return {
        p.pid
        for p in psutil.Process().children(recursive=True)
        if not any("resource_tracker" in part for part in p.cmdline())
    }


def test_local_cluster_end_to_end_equals_scanning_each_bundle_alone(options: BatchOptions) -> None:
    """Start a local cluster of two worker processes, scan, compare, and see it shut down."""
    before = _children()
    results = list(run_batch(BUNDLES, options, workers=2))
    assert _children() == before, "the local cluster's processes outlived the batch"
    assert [r.bundle for r in results] == [str(b) for b in BUNDLES]
    assert [r.position for r in results] == list(range(len(BUNDLES)))
    for bundle, result in zip(BUNDLES, results, strict=True):
        assert as_line(result) == alone(bundle), bundle
    outcomes = [r.outcome for r in results]
    assert outcomes[0] == "fail" and outcomes[-3:] == ["incomplete"] * 3
    assert results[-2].report is None and results[-2].error is not None
    assert results[-2].error.startswith("no SBOM to scan: none of the 3 file(s)")
    assert results[-1].report is not None and results[-1].error is None  # not there: an input not read


def test_the_overlay_and_waivers_reach_the_workers(client: Client, options: BatchOptions) -> None:
    (gateway,) = run_batch([BUNDLES[0]], options, client=client)
    assert gateway.report is not None
    assert [o["path"] for o in gateway.report["entity_data"]["overlays"]] == [str(OVERLAY)]
    assert gateway.report["waivers"], "the waivers file was not applied"
    plain = next(run_batch([BUNDLES[0]], BatchOptions.prepare(as_of=AS_OF), client=client))
    assert plain.report is not None and plain.report != gateway.report
    assert plain.report["entity_data"]["overlays"] == [] and plain.report["waivers"] == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    order=st.permutations(range(len(BUNDLES))),
    chunk=st.integers(1, 4),
    window=st.integers(1, 9),
)
def test_results_come_in_input_order_whatever_the_chunks_and_window(
    client: Client, options: BatchOptions, order: list[int], chunk: int, window: int
) -> None:
    bundles = [BUNDLES[i] for i in order]
    results = list(run_batch(bundles, options, client=client, chunk=chunk, window=window))
    assert [r.bundle for r in results] == [str(b) for b in bundles]
    assert [r.position for r in results] == list(range(len(bundles)))


def test_a_task_that_fails_gives_each_of_its_bundles_an_error_result(
    client: Client, options: BatchOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers are threads of this process, so the patched task is the one they run."""

    def dies(items: Any, opts: BatchOptions) -> Any:
        raise MemoryError("worker ran out of memory")

    monkeypatch.setattr(batch, "_scan_chunk", dies)
    results = list(run_batch(BUNDLES[:3], options, client=client, chunk=2))
    assert [r.outcome for r in results] == ["incomplete"] * 3
    for r in results:
        assert r.report is None and r.error is not None
        assert r.error.startswith("not scanned: the Dask task failed (MemoryError: worker ran out of memory")
    summary = BatchSummary()
    for r in results:
        summary.add(r)
    assert summary.exit_status == 2 and len(summary.errors) == 3


def _generate() -> Any:
    """benchmarks/generate.py, for an SBOM big enough that its scan takes seconds."""
    spec = importlib.util.spec_from_file_location(
        "sbomscan_bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kill_when_started(c: Client, key: str, pids: dict[str, int], killed: list[int]) -> None:
    """SIGKILL the worker process that the task ``key`` is running on, a moment after it
    started: late enough that the worker has begun it, early enough that the scan (about
    1.7 s for the test's 80,000 components on an idle core, more in a fresh worker) cannot
    have finished. At 40,000 components and a 1 s wait the scan sometimes won the race on
    a quiet machine, and the kill then hit an idle worker: no retry to observe."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        on = [w for w, keys in c.processing().items() if key in keys]
        if on:
            time.sleep(0.25)
            os.kill(pids[on[0]], signal.SIGKILL)
            killed.append(pids[on[0]])
            return
        time.sleep(0.05)


@pytest.mark.parametrize("allowed_failures", [3, 0])
def test_a_worker_process_killed_mid_task_costs_no_bundle(
    options: BatchOptions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allowed_failures: int
) -> None:
    """SIGKILL the worker process scanning a big bundle. Dask retries a task whose worker
    died (``allowed-failures`` times; the nanny starts a new worker): the batch still gives
    every bundle the result ``scan`` gives it alone. When no retry is allowed, the bundle
    (and any task queued behind it on that worker) gets an ``incomplete`` result saying the
    task failed, and the others their reports. No hang, no bundle missing."""
    big = tmp_path / "big.cdx.json"
    big.write_bytes(_generate().cyclonedx_json(80_000, seed=5))
    bundles = [big, BUNDLES[0], BUNDLES[5], BUNDLES[1]]
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as c,
    ):
        pids: dict[str, int] = c.run(os.getpid)
        submitted: list[str] = []
        submit = c.submit

        def recording(*args: Any, **kwargs: Any) -> Any:
            future = submit(*args, **kwargs)
            submitted.append(future.key)
            return future

        monkeypatch.setattr(c, "submit", recording)
        killed: list[int] = []
        results: list[BundleResult] = []
        batch_run = threading.Thread(
            target=lambda: results.extend(run_batch(bundles, options, client=c, chunk=1)), daemon=True
        )
        batch_run.start()
        while not submitted:
            time.sleep(0.01)
        _kill_when_started(c, submitted[0], pids, killed)
        batch_run.join(timeout=300)
        assert not batch_run.is_alive(), "the batch hung after its worker was killed"
        starts = c.run_on_scheduler(
            lambda dask_scheduler: [t[2] for t in dask_scheduler.story(submitted[0])].count("processing")
        )
    assert len(killed) == 1, "the big bundle's task never reached a worker"
    assert [r.bundle for r in results] == [str(b) for b in bundles]
    killed_task = "not scanned: the Dask task failed (KilledWorker"
    if allowed_failures:
        assert starts == 2, "the big bundle's task was not started again after its worker died"
        for bundle, result in zip(bundles, results, strict=True):
            assert as_line(result) == alone(bundle), bundle
    else:
        assert starts == 1
        assert results[0].outcome == "incomplete" and results[0].report is None
        assert results[0].error is not None and results[0].error.startswith(killed_task), results[0].error
        # a task waiting in the dead worker's queue dies with it: an error result too
        for bundle, result in zip(bundles[1:], results[1:], strict=True):
            if result.error is None or not result.error.startswith(killed_task):
                assert as_line(result) == alone(bundle), bundle


def test_a_defect_costs_one_bundle_not_the_batch(
    options: BatchOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_module = importlib.import_module("sbomscan.scan")  # the attribute sbomscan.scan is the function
    real = scan_module.scan

    def flaky(sources: Any, **kwargs: Any) -> Any:
        if "tier2" in str(sources[0]):
            raise KeyError("oops")
        return real(sources, **kwargs)

    monkeypatch.setattr(scan_module, "scan", flaky)
    results = [scan_bundle(str(b), options, i) for i, b in enumerate(BUNDLES[:3])]
    assert [r.outcome for r in results] == ["fail", "incomplete", results[2].outcome]
    assert results[1].error == "internal error while scanning: KeyError: 'oops'"
    assert results[2].report is not None


def test_a_worker_with_other_entity_data_gives_errors_not_reports(options: BatchOptions) -> None:
    other = options._replace(provenance=("2000.01.01", None, ()))
    result = scan_bundle(str(BUNDLES[0]), other)
    assert result.outcome == "incomplete" and result.report is None
    assert result.error is not None and "is not the data the batch was started with" in result.error


def test_options_are_checked_before_any_bundle(tmp_path: Path) -> None:
    bad = tmp_path / "overlay.json"
    bad.write_text("{")
    with pytest.raises(EntityDataError, match=r"overlay\.json"):
        BatchOptions.prepare(entities=[bad])
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: [{entity: kaspersky}]\n")
    with pytest.raises(WaiverError, match=r"waivers\.yaml"):
        BatchOptions.prepare(waivers=waivers)
    with pytest.raises(UsageError, match="as-of date"):
        BatchOptions.prepare(as_of="01/02/2026")
    with pytest.raises(UsageError, match="unknown batch option"):
        BatchOptions.prepare(colour="red")
    with pytest.raises(UsageError, match="workers must be at least 1"):
        list(run_batch(BUNDLES[:1], BatchOptions.prepare(), workers=0))


def test_as_of_is_fixed_once_for_the_whole_batch() -> None:
    assert BatchOptions.prepare().as_of == date.today()
    assert BatchOptions.prepare(as_of="2020-02-29").as_of == date(2020, 2, 29)


def test_batch_progress_hears_one_step_per_bundle(client: Client, options: BatchOptions) -> None:
    heard: list[Any] = []

    class Listener:
        def stage(self, name: str, total: int | None = None) -> None:
            heard.append((name, total))

        def advance(self, steps: int = 1) -> None:
            heard.append(steps)

        def close(self) -> None:
            heard.append("closed")

    list(run_batch(BUNDLES[:5], options, client=client, chunk=2, progress=Listener()))
    assert heard == [("bundles", 5), 1, 1, 1, 1, 1, "closed"]


def test_an_empty_batch_yields_nothing_and_starts_nothing() -> None:
    before = _children()
    assert list(run_batch([], BatchOptions.prepare())) == []
    assert _children() == before


def test_the_summary_line_and_exit_status() -> None:
    def summary(*outcomes: str) -> BatchSummary:
        s = BatchSummary()
        for o in outcomes:
            s.add(BundleResult(0, "b", o, 0, {}, None, None))
        return s

    assert summary().exit_status == 0 and summary().line() == "0 bundles: none"
    assert summary("pass", "pass-with-gaps").exit_status == 0
    assert summary("pass", "incomplete").exit_status == 2
    assert summary("incomplete", "fail").exit_status == 1  # a finding stands, as in one scan
    assert summary("pass", "pass").line() == "2 bundles: 2 pass"


def test_a_result_line_escapes_invisible_characters() -> None:
    line = result_line(BundleResult(0, "evil\u202egnp.json", "incomplete", 2, {}, "x", None))
    assert "\u202e" not in line and "\\u202e" in line and line.endswith("\n") and line.count("\n") == 1
    assert orjson.loads(line)["bundle"] == "evil\u202egnp.json"


@pytest.mark.skipif(not corpus_files("wild"), reason="the developer corpus is not here")
def test_real_sboms_from_the_corpus_give_the_single_scan_results(client: Client) -> None:
    files = corpus_files("wild")[:: max(1, len(corpus_files("wild")) // 24)]
    opts = BatchOptions.prepare(as_of=AS_OF)
    for result in run_batch(files, opts, client=client, chunk=3):
        bundle = Path(result.bundle)
        try:
            expected: Any = orjson.loads(render_json(scan([bundle], as_of=AS_OF)))
        except SbomscanError as e:
            expected = str(e)
        assert as_line(result) == expected, bundle


def test_into_a_portfolio_each_bundle_is_added_as_portfolio_add_does(client: Client, tmp_path: Path) -> None:
    store = tmp_path / "office.db"
    opts = BatchOptions.prepare(as_of=AS_OF, entities=[OVERLAY], waivers=WAIVERS, portfolio=store)
    assert store.is_file()  # made (and checked) before the first bundle
    bundles = [BUNDLES[0], BUNDLES[1], FIXTURES / "csl"]
    results = list(run_batch(bundles, opts, client=client))
    assert [r.report for r in results] == [None, None, None]
    assert results[2].error is not None and results[2].submission is None
    with open_portfolio(store) as pf:
        kept = {s.id: s for s in pf.submissions()}
        for bundle, result in zip(bundles[:2], results[:2], strict=True):
            assert result.submission in kept and result.error is None
            sub = pf.submission(result.submission)
            alone_report = scan(
                [bundle], entities=load_entities([OVERLAY]), as_of=AS_OF, waivers=str(WAIVERS)
            )
            assert (sub.product, sub.outcome) == (bundle.name, alone_report.outcome)
            assert sorted((f.id, f.waived) for f in sub.findings) == sorted(
                (f.id, f.waived) for f in alone_report.findings
            )
            assert result.counts == {
                "prohibited": alone_report.summary.prohibited,
                "review": alone_report.summary.review,
                "notice": alone_report.summary.notice,
                "waived": alone_report.summary.waived,
            }
            assert pf.run(sub.run).waivers == tuple(load_waivers(WAIVERS))
        assert any(f.waived for s in kept.values() for f in pf.submission(s.id).findings)
        assert len(kept) == 2  # the bundle with no SBOM is an error result, not a submission
    with pytest.raises(ValueError, match="kept in a portfolio has no line"):
        result_line(results[0])


def test_a_portfolio_refuses_options_it_does_not_keep(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"--fail-on, --buyer: not with a portfolio"):
        BatchOptions.prepare(portfolio=tmp_path / "p.db", waivers=WAIVERS, fail_on="review", buyer="dod")
    assert not (tmp_path / "p.db").exists()
    BatchOptions.prepare(
        portfolio=tmp_path / "p.db", exclude=[], max_bytes=1000
    )  # defaults and max_bytes: fine


def _fork_server_pid() -> int | None:
    from multiprocessing import forkserver

    pid: int | None = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    return pid


@pytest.mark.skipif(
    "forkserver" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork server here"
)
@pytest.mark.parametrize("ran_before", [False, True])
def test_local_workers_come_from_the_fork_server_which_stops_with_the_batch_it_started(
    ran_before: bool,
) -> None:
    """The batch's own cluster forks its workers from the fork server (their parent), in
    the caller's directory; the server stops with the cluster when the batch started it,
    and is left running — and used — when the program ran it before."""
    from contextlib import ExitStack
    from multiprocessing import forkserver

    if ran_before:
        forkserver.ensure_running()
    before = _fork_server_pid()
    assert (before is not None) == ran_before
    try:
        with ExitStack() as stack:
            client = batch._client(stack, None, 2)
            server = _fork_server_pid()
            assert server is not None
            parents = client.run(os.getppid)
            assert sorted(parents.values()) == [server, server]
            assert set(client.run(os.getcwd).values()) == {os.getcwd()}
        after = _fork_server_pid()
        assert after == before
        if ran_before:
            assert psutil.pid_exists(server)
        else:
            assert not psutil.pid_exists(server) or psutil.Process(server).status() == psutil.STATUS_ZOMBIE
    finally:
        if ran_before:
            forkserver._forkserver._stop()  # type: ignore[attr-defined]
