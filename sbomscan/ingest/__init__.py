"""Read any supported SBOM into a :class:`~sbomscan.model.Document`, detecting the format
by content, never by file name.

One entry point, :func:`load`, takes a path, ``"-"`` (standard input), ``bytes`` or a
binary file object; gzip-compressed input is unpacked first (within the size limit, so a
gzip bomb cannot exhaust memory). The format readers live in one module per family and
all produce the same model.

>>> doc = load(b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": '
...            b'[{"type": "library", "name": "zlib", "version": "1.3"}]}')
>>> doc.format, doc.spec_version, [c.name for c in doc.components if c.type == "library"]
('cyclonedx', '1.6', ['zlib'])
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import IngestError, InputTooLargeError, MalformedSbomError
from ..model import Document
from .detect import read_document

DEFAULT_MAX_BYTES = 2 * 1024**3
"""Largest input (after gzip decompression) read by default: 2 GiB."""

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]
"""What :func:`load` accepts: a path, ``"-"`` for standard input, raw bytes, or a binary file object."""

SBOM_SUFFIXES = (
    ".json",
    ".xml",
    ".spdx",
    ".yaml",
    ".yml",
    ".rdf",
    ".xlsx",
    ".jsonld",
    ".gz",
    ".cdx",
    ".bom",
    ".tv",
    ".tag",
    ".txt",
)
"""File endings picked up when a *directory* is given to :func:`iter_sources`; single files
given by name are always read, whatever their name."""

__all__ = ["DEFAULT_MAX_BYTES", "Source", "iter_sources", "load", "read_bytes"]


def load(
    source: Source, *, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None
) -> Document:
    """Read one SBOM.

    Parameters
    ----------
    source:
        A path, ``"-"`` for standard input, ``bytes``, or a binary file object.
    strict:
        Validate against the official schema and raise
        :class:`~sbomscan.errors.MalformedSbomError` on any violation. By default the
        reader is lenient: it reads what is there and records diagnostics.
    max_bytes:
        Refuse inputs larger than this (after decompression) with
        :class:`~sbomscan.errors.InputTooLargeError`.
    name:
        How to name the input in messages (defaults to the path, ``<stdin>`` or ``<bytes>``).

    Raises
    ------
    UnsupportedFormatError
        The input is not CycloneDX or SPDX; the message says what it looked like.
    MalformedSbomError
        The input is broken in a way that stops it being read (or, with ``strict``,
        breaks its schema).
    """
    data, label = read_bytes(source, max_bytes=max_bytes, name=name)
    sha256 = hashlib.sha256(data).hexdigest()
    # The cyclic garbage collector is paused for the one read. Decoding and reading allocate
    # millions of containers and free none, so every collection it would run meanwhile walks
    # the whole growing heap and finds nothing: on a large JSON document that costs about
    # twice the decoding itself. The previous state is restored however the read ends.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return read_document(data, source=label, sha256=sha256, strict=strict)
    finally:
        if was_enabled:
            gc.enable()


def read_bytes(
    source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None
) -> tuple[bytes, str]:
    """Return the (decompressed) bytes of ``source`` and the label to use in messages."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "<bytes>"
        raw = bytes(source)
        if len(raw) > max_bytes and not _is_gzip(raw):
            raise InputTooLargeError(label, f"input is {len(raw)} bytes, over the limit of {max_bytes}")
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if path == "-":
            label = name or "<stdin>"
            raw = _read_limited(sys.stdin.buffer, label, max_bytes)
        else:
            label = name or path
            try:
                with open(path, "rb") as fh:
                    raw = _read_limited(fh, label, max_bytes)
            except IsADirectoryError:
                raise IngestError(
                    label, "is a directory; give its files, or use scan() which walks directories"
                ) from None
            except OSError as exc:
                raise IngestError(label, exc.strerror or str(exc)) from None
    elif hasattr(source, "read"):
        label = name or str(getattr(source, "name", "<stream>"))
        raw = _read_limited(source, label, max_bytes)
    else:
        raise TypeError(f"cannot read an SBOM from {type(source).__name__}")
    if _is_gzip(raw):
        raw = _gunzip(raw, label, max_bytes)
    return raw, label


def iter_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Expand directories into the SBOM-looking files below them (sorted, so runs are
    deterministic); files and ``"-"`` pass through as given."""
    for p in paths:
        path = Path(p)
        if os.fspath(p) != "-" and path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith(SBOM_SUFFIXES):
                    yield str(child)
        else:
            yield os.fspath(p)


_CHUNK = 1 << 20
_GZIP_SLACK = 1 << 20
"""How far a compressed input may exceed ``max_bytes``: incompressible content grows a
little when gzipped, never by much."""


def _read_limited(fh: IO[bytes], label: str, max_bytes: int) -> bytes:
    """All of ``fh``, refusing more than ``max_bytes`` (gzip input: a little more).

    Reads in a loop because raw (unbuffered) streams and pipes may return fewer bytes than
    asked for, and never asks for ``max_bytes`` in one call: ``read(n)`` allocates ``n``
    bytes up front, so every small file would briefly cost the whole limit (2 GiB by
    default). A regular file is read in one call sized from its length.
    """
    hint = _size_hint(fh)
    limit = max_bytes + 1
    chunks: list[bytes] = []
    total = 0
    gzip_checked = False
    while total < limit:
        want = _CHUNK if hint is None else max(hint + 1 - total, _CHUNK)
        chunk = fh.read(min(limit - total, want))
        if chunk is None:
            raise IngestError(
                label, "the stream is non-blocking and had no data ready; give a blocking stream"
            )
        if not isinstance(chunk, (bytes, bytearray)):
            raise IngestError(label, "the file object must be opened in binary mode")
        if not chunk:
            break
        chunks.append(bytes(chunk))
        total += len(chunk)
        if not gzip_checked and total >= 2:
            gzip_checked = True
            if _is_gzip(b"".join(chunks[:2])[:2]):
                limit = max_bytes + _GZIP_SLACK + 1
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if total > max_bytes:
        if not _is_gzip(data):
            raise InputTooLargeError(label, f"input is over the limit of {max_bytes} bytes")
        if total > max_bytes + _GZIP_SLACK:
            raise InputTooLargeError(label, f"compressed input is far over the limit of {max_bytes} bytes")
    return data


def _size_hint(fh: IO[bytes]) -> int | None:
    """Bytes left in ``fh`` when it is a regular file, else ``None``."""
    try:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            return None
        return max(st.st_size - fh.tell(), 0)
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None


def _is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def _gunzip(raw: bytes, label: str, max_bytes: int) -> bytes:
    """Decompress gzip (several members allowed) without ever holding more than ``max_bytes``."""
    out = io.BytesIO()
    data = raw
    try:
        while data:
            d = zlib.decompressobj(wbits=31)
            while not d.eof:
                chunk = d.decompress(data, 1 << 20)
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise InputTooLargeError(
                        label, f"decompressed input is over the limit of {max_bytes} bytes"
                    )
                data = d.unconsumed_tail
                if not chunk and not data:
                    break
            if not d.eof:
                raise MalformedSbomError(label, "gzip stream is truncated")
            data = d.unused_data.lstrip(b"\x00")
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise MalformedSbomError(label, f"invalid gzip data: {exc}") from None
    return out.getvalue()
