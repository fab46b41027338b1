"""Run a piece of Python in a child process under a time limit and an address-space limit,
and report how much memory it really used: how the tests show that hostile input is
refused or read in bounded time and memory without risking the test run itself."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from typing import Any

from conftest import ROOT

_PRELUDE = """
import json, resource, sys
def _status_kib(field):
    # VmHWM, not ru_maxrss: Linux carries the high-water mark of the process image before
    # exec into ru_maxrss, so a child of a large test process would report its parent's size
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)
def _peak_kib():
    try:
        return _status_kib("VmHWM")
    except (OSError, RuntimeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def _reset_peak():
    # the high-water mark set back to the current resident size (Linux, clear_refs 5)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
def _report(**extra):
    print("BOUNDED " + json.dumps({"peak_kib": _peak_kib(), **extra}))
"""


def run_bounded(code: str, *, seconds: float, address_space: int | None = None) -> dict[str, Any]:
    """Run ``code`` (which calls ``_report(**values)`` once it is done; ``_peak_kib()`` and
    ``_reset_peak()`` read and reset its resident high-water mark) in a fresh interpreter, killed after ``seconds`` and refused memory beyond ``address_space`` bytes
    of virtual memory (``RLIMIT_AS``: an allocation over it fails with MemoryError instead
    of the machine swapping). Returns what it reported plus its peak RSS (``peak_kib``);
    raises ``AssertionError`` with its stderr if it failed or reported nothing."""

    def limit() -> None:
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _PRELUDE + code],
            capture_output=True,
            text=True,
            timeout=seconds,
            preexec_fn=limit,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {seconds} s") from None
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("BOUNDED ")]
    assert proc.returncode == 0 and lines, proc.stderr[-2000:]
    return dict(json.loads(lines[-1].removeprefix("BOUNDED ")))
