"""Hostile inputs stop at their bounds (issue 9): endless and binary streams, FIFOs and
devices, gzip and ZIP bombs, links out of a folder, and the content of files that are not
SBOMs never quoted.

Each run is a real ``sbomscan`` process with its address space capped (``RLIMIT_AS``) and a
timeout, so a regression shows as a failure, not as a machine that swaps or a run that hangs.
"""

from __future__ import annotations

import gzip
import io
import os
import resource
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
KASPERSKY = FIXTURES / "e2e" / "oem" / "gateway.cdx.json"
ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits and devices are POSIX")


def run_capped(
    args: list[str], *, stdin: object = subprocess.DEVNULL, memory: int = 768 * MiB, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``sbomscan ARGS`` in a child whose address space is capped at ``memory`` bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = dict(os.environ, PYTHONPATH=str(ROOT), MALLOC_ARENA_MAX="2")
    return subprocess.run(
        [sys.executable, "-m", "sbomscan", *args],
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
        env=env,
        check=False,
    )


def _gzip_stream(pieces: Iterator[bytes]) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(p) for p in pieces]
    out.append(z.flush())
    return b"".join(out)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_named_is_refused_unread(device: str) -> None:
    proc = run_capped(["scan", device])
    assert proc.returncode == 2 and "character device" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_binary_stdin_stops_after_one_chunk(device: str) -> None:
    with open(device, "rb") as fh:
        proc = run_capped(["scan", "-"], stdin=fh, memory=512 * MiB, timeout=30)
    assert proc.returncode == 2 and "<stdin>" in proc.stderr and "Traceback" not in proc.stderr


def test_endless_text_stdin_stops_at_the_size_limit_in_bounded_memory() -> None:
    feeder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nwhile True: sys.stdout.buffer.write(b' \\n' * 65536)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc = run_capped(["scan", "-", "--max-bytes", "64M"], stdin=feeder.stdout, memory=512 * MiB)
    finally:
        feeder.kill()
        feeder.wait()
    assert proc.returncode == 2 and "over the limit" in proc.stderr and "<stdin>" in proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_with_no_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "bom.json"
    os.mkfifo(fifo)
    proc = run_capped(["scan", str(fifo)], timeout=20)
    assert proc.returncode == 2 and "FIFO" in proc.stderr


def test_a_gzip_bomb_is_stopped_while_streaming(tmp_path: Path) -> None:
    bomb = tmp_path / "bom.json.gz"
    bomb.write_bytes(gzip.compress(b"\0" * MiB) * 2048)  # 2 GiB of zeros in 2048 gzip members, ~2 MB
    assert bomb.stat().st_size < 4 * MiB
    proc = run_capped(["scan", str(bomb)], memory=512 * MiB)
    assert proc.returncode == 2 and "compression bomb" in proc.stderr


def test_a_gz_of_many_valid_components_does_not_blow_memory(tmp_path: Path) -> None:
    head = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ['
    comp = b'{"type": "library", "name": "left-pad", "version": "1.3.0"},' * 4096
    tail = b'{"type": "library", "name": "last", "version": "1"}]}'
    pieces = iter([head, *([comp] * 1200), tail])  # ~280 MB of JSON, a few hundred kB compressed
    bomb = tmp_path / "many.cdx.json.gz"
    bomb.write_bytes(_gzip_stream(pieces))
    assert bomb.stat().st_size < 2 * MiB
    proc = run_capped(["scan", str(bomb)], memory=768 * MiB)
    assert proc.returncode == 2 and "compression bomb" in proc.stderr and "Traceback" not in proc.stderr


def test_a_zip_bomb_member_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bom.json", KASPERSKY.read_bytes())
        with zf.open("zeros.json", "w", force_zip64=True) as fh:
            for _ in range(512):
                fh.write(b" " * MiB)
    (tmp_path / "bundle.zip").write_bytes(buf.getvalue())
    proc = run_capped(["scan", str(tmp_path / "bundle.zip")], memory=512 * MiB)
    # the Kaspersky SBOM beside it is read, so the outcome is fail (1), before incomplete (2)
    assert proc.returncode == 1 and "kav-sdk" in proc.stdout
    assert "zeros.json: not read (too-large)" in proc.stderr and "compression bomb" in proc.stderr


def test_a_zip_with_too_many_members_is_refused_before_listing(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"m/{i}.txt", b"")
    (tmp_path / "many.zip").write_bytes(buf.getvalue())
    proc = run_capped(["scan", str(tmp_path / "many.zip")])
    assert proc.returncode == 2 and "10001 members" in proc.stderr


PASSWD_LINE = "root:x:0:0:root:/root:/bin/bash"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "html"])
def test_content_of_files_that_are_not_sboms_is_never_quoted(tmp_path: Path, fmt: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSWD_LINE + "\n")
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "gateway.cdx.json").write_bytes(KASPERSKY.read_bytes())
    (folder / "passwd").write_text(PASSWD_LINE + "\n")
    (folder / "users.json").write_text('{"' + PASSWD_LINE + '": 1}')
    (folder / "settings.xml").write_text(f"<{PASSWD_LINE.split(':')[0]}>{PASSWD_LINE}</root>")
    (folder / "link.json").symlink_to(secret)
    for target in ([str(folder)], [str(secret)], [str(folder / "users.json"), str(KASPERSKY)]):
        proc = run_capped(["scan", *target, "--format", fmt])
        assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr
        for text in (proc.stdout, proc.stderr):
            assert PASSWD_LINE not in text and "root:x" not in text and "/bin/bash" not in text
