"""``sbomscan batch`` from the command line: the JSON-lines result set equals each bundle's
own scan, the exit status is the worst bundle's, errors reach stderr even with ``-q``,
progress bars only on a terminal, and usage errors are one line before anything starts."""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import orjson
import pytest
from conftest import FIXTURES, ROOT
from dask.distributed import Client, LocalCluster

from sbomscan.cli import main
from sbomscan.portfolio import open_portfolio
from sbomscan.report.json import render_json
from sbomscan.scan import scan

GATEWAY = ROOT / "examples" / "secure-gateway"
TIER2 = FIXTURES / "bundles" / "tier2"
NO_SBOM = FIXTURES / "csl"  # a folder with no SBOM in it
AS_OF = "2026-06-01"


class Terminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        return True


def run(*argv: str, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def alone(bundle: Path) -> Any:
    return orjson.loads(render_json(scan([bundle], as_of=AS_OF)))


def test_a_batch_writes_one_line_per_bundle_equal_to_its_own_scan(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    code, stdout, stderr = run(
        "batch", str(GATEWAY), str(TIER2), str(NO_SBOM), "--as-of", AS_OF, "--workers", "1", "-o", str(out)
    )
    assert code == 1 and stdout == ""
    lines = [orjson.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["bundle"] for line in lines] == [str(GATEWAY), str(TIER2), str(NO_SBOM)]
    assert [line["outcome"] for line in lines] == ["fail", "pass-with-gaps", "incomplete"]
    assert lines[0]["report"] == alone(GATEWAY) and lines[1]["report"] == alone(TIER2)
    assert lines[2]["report"] is None and lines[2]["error"].startswith("no SBOM to scan")
    assert stderr.splitlines() == [
        f"sbomscan: error: {NO_SBOM}: {lines[2]['error']}",
        f"sbomscan: 3 bundles: 1 fail, 1 incomplete, 1 pass-with-gaps; wrote {out}",
    ]


def test_quiet_keeps_the_errors_and_drops_the_summary() -> None:
    code, stdout, stderr = run("batch", str(TIER2), str(NO_SBOM), "-q", "--workers", "1")
    assert code == 2
    assert len(stdout.splitlines()) == 2
    assert stderr.startswith("sbomscan: error: ") and "bundles:" not in stderr


def test_bundles_from_a_list_file_and_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = tmp_path / "bundles.txt"
    listed.write_text(f"{TIER2}\n\n{GATEWAY}\n", encoding="utf-8")
    code, stdout, _ = run("batch", "--from", str(listed), "--workers", "1", "--as-of", AS_OF)
    assert code == 1
    assert [orjson.loads(line)["bundle"] for line in stdout.splitlines()] == [str(TIER2), str(GATEWAY)]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{TIER2}\n"))
    code, stdout, _ = run("batch", str(TIER2), "--from", "-", "--workers", "1")
    assert code == 0 and len(stdout.splitlines()) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["batch"], "no bundle to scan"),
        (["batch", "-"], "give paths, not '-'"),
        (
            ["batch", "x.json", "--from", "/no/such/list.txt"],
            "/no/such/list.txt: cannot read the list of bundles",
        ),
        (["batch", "x.json", "--as-of", "2026-13-01"], "month 13 is out of range"),
        (
            ["batch", "x.json", "--entities", str(FIXTURES / "entities" / "bad-syntax.json")],
            "bad-syntax.json",
        ),
        (["batch", "x.json", "--scheduler", "localhost"], "cannot reach the Dask scheduler 'localhost'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(argv: list[str], message: str) -> None:
    code, stdout, stderr = run(*argv)
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and message in stderr, stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_scheduler_nobody_answers_is_a_usage_error() -> None:
    port = _closed_port()
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, _, stderr = run("batch", str(TIER2), "--scheduler", f"tcp://127.0.0.1:{port}")
    assert code == 2 and "cannot reach the Dask scheduler" in stderr and stderr.count("\n") == 1


@pytest.fixture
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0", silence_logs=logging.ERROR
    ) as c:
        yield c


def test_an_existing_cluster_by_its_address_is_used_and_left_running(cluster: LocalCluster) -> None:
    code, stdout, _ = run("batch", str(GATEWAY), "--scheduler", cluster.scheduler_address, "--as-of", AS_OF)
    assert code == 1
    (line,) = stdout.splitlines()
    assert orjson.loads(line)["report"] == alone(GATEWAY)
    with Client(cluster.scheduler_address) as client:  # still there: the batch did not start it
        assert client.submit(sum, [1, 2]).result() == 3


def test_progress_bars_on_a_terminal_only_and_never_with_quiet() -> None:
    err = Terminal()
    run("batch", str(TIER2), str(TIER2), "--workers", "1", stderr=err)
    assert "bundles:" in err.getvalue() and "/2" in err.getvalue()
    err = Terminal()
    run("batch", str(TIER2), "--workers", "1", "-q", stderr=err)
    assert err.getvalue() == ""
    _, _, plain = run("batch", str(TIER2), "--workers", "1")
    assert "\r" not in plain


def test_a_batch_into_a_portfolio_on_two_worker_processes(tmp_path: Path) -> None:
    store = tmp_path / "office.db"
    code, stdout, stderr = run(
        "batch",
        str(GATEWAY),
        str(TIER2),
        str(NO_SBOM),
        "--portfolio",
        str(store),
        "--workers",
        "2",
        "--as-of",
        AS_OF,
    )
    assert code == 1 and stdout == ""
    assert (
        stderr.splitlines()[-1]
        == f"sbomscan: 3 bundles: 1 fail, 1 incomplete, 1 pass-with-gaps; added to {store}"
    )
    with open_portfolio(store) as pf:
        assert sorted((s.product, s.outcome) for s in pf.submissions()) == [
            ("secure-gateway", "fail"),
            ("tier2", "pass-with-gaps"),
        ]


def test_the_portfolio_from_the_environment_and_what_it_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SBOMSCAN_PORTFOLIO", str(tmp_path / "env.db"))
    code, stdout, _ = run("batch", str(TIER2), "--portfolio", "--workers", "1")
    assert code == 0 and stdout == "" and (tmp_path / "env.db").is_file()
    code, _, stderr = run("batch", str(TIER2), "--portfolio", "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "with --scheduler, write a result set" in stderr
    code, _, stderr = run("batch", str(TIER2), "--portfolio", "--fail-on", "review")
    assert code == 2 and "--fail-on: not with a portfolio" in stderr
    code, _, stderr = run("batch", str(TIER2), "--portfolio", "-o", "x.jsonl")
    assert code == 2 and "-o/--output: not allowed with argument --portfolio" in stderr
