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

import gzip
import hashlib
import io
import os
import stat
import sys
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import (
    IngestError,
    InputTooLargeError,
    MalformedSbomError,
    NotRegularFileError,
    UnsupportedFormatError,
)
from ..memory import gc_paused
from ..model import Document
from .detect import describe_binary, looks_binary
from .readers import read_document

DEFAULT_MAX_BYTES = 2 * 1024**3
"""Largest input (after gzip decompression) read by default: 2 GiB."""

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]
"""What :func:`load` accepts: a path, ``"-"`` for standard input, raw bytes, or a binary file object."""


__all__ = ["DEFAULT_MAX_BYTES", "Source", "iter_sources", "load", "open_regular", "parse", "read_bytes"]


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
    # The bytes are handed over, not kept here: once detection has decoded them nothing
    # holds them, so a JSON document's peak is not its bytes, its tree and its records at
    # once (issue 9; docs/performance.md, "Memory").
    owned = [data]
    del data
    return _parse_owned(owned, source=label, strict=strict)


def parse(data: bytes | list[bytes], *, source: str, strict: bool = False) -> Document:
    """Read ``data`` (already decompressed) as one SBOM named ``source`` in messages.

    ``data`` may be handed over as a one-item list, which is emptied: a caller that keeps
    no other reference then frees the bytes once they are decoded, as :func:`load` does
    (issue 9: the bytes, the decoded tree and the records are not all held at the peak).
    """
    return _parse_owned(data if isinstance(data, list) else [data], source=source, strict=strict)


def _parse_owned(owned: list[bytes], *, source: str, strict: bool) -> Document:
    """:func:`parse` of the bytes in the one-item list ``owned``, which it empties: what the
    caller no longer holds is freed once decoded (see :func:`~.readers.read_document`)."""
    sha256 = hashlib.sha256(owned[0]).hexdigest()
    sha1 = _Sha1(owned[0])
    # The cyclic garbage collector is paused for the one read. Decoding and reading allocate
    # millions of containers and free none, so every collection it would run meanwhile walks
    # the whole growing heap and finds nothing: on a large JSON document that costs about
    # twice the decoding itself. The previous state is restored however the read ends.
    with gc_paused():
        doc = read_document(owned, source=source, sha256=sha256, strict=strict)
    return doc._replace(sha1=sha1.hexdigest())


class _Sha1:
    """The SHA-1 of an input, which SPDX 2 ExternalDocumentRefs name the documents they link
    to by (the graph stage compares the two; it reads no file).

    It costs about 4% of reading a large JSON document, so for a large input it is computed
    on another thread while the document is read: hashlib releases the GIL while it hashes a
    buffer, so the two run on two cores where there are two (benchmarks/bench_ingest.py)."""

    THREAD_FROM = 1 << 22
    """Inputs of 4 MiB and more are hashed beside the read; smaller ones at once."""

    def __init__(self, data: bytes) -> None:
        self._value: str | None = None
        self._thread: threading.Thread | None = None
        if len(data) < self.THREAD_FROM:
            self._run(data)
        else:
            self._thread = threading.Thread(target=self._run, args=(data,), name="sbomscan-sha1", daemon=True)
            self._thread.start()

    def _run(self, data: bytes) -> None:
        self._value = hashlib.sha1(data, usedforsecurity=False).hexdigest()

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
        assert self._value is not None
        return self._value


def read_bytes(
    source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None
) -> tuple[bytes, str]:
    """Return the (decompressed) bytes of ``source`` and the label to use in messages.

    A path must name a regular file (or be ``"-"``): a FIFO, a device or a socket is refused
    at once, without being opened for reading, since reading one can block forever
    (a FIFO with no writer) or never end (``/dev/zero``). A regular file larger than
    ``max_bytes`` is refused from its size, unread.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "<bytes>"
        raw = bytes(source)
        if _is_gzip(raw):
            return _gunzip(_pieces(raw), label, max_bytes), label
        if len(raw) > max_bytes:
            raise InputTooLargeError(label, f"input is {len(raw)} bytes, over the limit of {max_bytes}")
        return raw, label
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if path == "-":
            label = name or "<stdin>"
            return _read_stream(sys.stdin.buffer, label, max_bytes), label
        label = name or path
        with open_regular(path, label) as fh:
            return _read_stream(fh, label, max_bytes), label
    if hasattr(source, "read"):
        label = name or str(getattr(source, "name", "<stream>"))
        return _read_stream(source, label, max_bytes), label
    raise TypeError(f"cannot read an SBOM from {type(source).__name__}")


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (``"a named pipe (FIFO)"``)."""
    for test, words in _FILE_KINDS:
        if test(mode):
            return words
    return "not a regular file"


def open_regular(path: str, label: str) -> IO[bytes]:
    """``path`` opened for binary reading, if it is a regular file.

    Opened without blocking (a FIFO with no writer would otherwise hang ``open`` itself),
    then checked with ``fstat`` on the open descriptor, so that what is read is what was
    checked; anything but a regular file raises :class:`~sbomscan.errors.NotRegularFileError`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise NotRegularFileError(
            label, "is a directory; give its files, or use scan() which walks directories"
        ) from None
    except OSError as exc:
        raise IngestError(label, (exc.strerror or str(exc)).lower()) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise NotRegularFileError(
                    label, "is a directory; give its files, or use scan() which walks directories"
                )
            raise NotRegularFileError(label, f"is {file_kind(mode)}, not a regular file: not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def iter_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Expand directories into every regular file below them (sorted, so runs are
    deterministic; hidden files and folders and links aside); files and ``"-"`` pass
    through as given. :func:`sbomscan.scan.load_bundle` walks folders with more care
    (links inside the folder, archives, a record for every file)."""
    for p in paths:
        path = Path(p)
        if os.fspath(p) != "-" and path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if any(part.startswith(".") for part in rel) or child.is_symlink():
                    continue
                if child.is_file():
                    yield str(child)
        else:
            yield os.fspath(p)


_CHUNK = 1 << 20
MAX_GZIP_RATIO = 100
"""Largest ratio of decompressed to compressed size accepted once the output passes
:data:`GZIP_RATIO_FLOOR`. Real SBOMs compress 5 to 30 times (the developer corpus at most
27); a gzip bomb, or a small file of a million repeated components, far more."""
GZIP_RATIO_FLOOR = 16 * 1024 * 1024
"""Output below which any ratio is accepted: a small file, however repetitive, is harmless."""


def _read_stream(fh: IO[bytes], label: str, max_bytes: int) -> bytes:
    """All of ``fh`` (decompressed when it is gzip), refusing more than ``max_bytes``.

    A regular file is sized first: one larger than the limit is refused unread, and the
    rest are read in one call. Anything else (a pipe, standard input, a socket) is read in
    chunks, never more than the limit, and a stream whose first chunk is binary data that
    no SBOM format starts with (``/dev/zero``, ``/dev/urandom``) is refused after that one
    chunk. gzip input is decompressed as it is read, with the size and ratio limits
    checked on the way, so a bomb is stopped early and the compressed bytes are never
    all held at once.
    """
    hint = _size_hint(fh)
    if hint is not None:
        first = _read_regular(fh, label, hint, max_bytes)
        if first is None:  # gzip: the first two bytes were put back
            return _gunzip(_stream_pieces(b"", fh, label), label, max_bytes)
        if len(first) <= hint:  # the whole file, read in one call and never copied
            return first
    else:
        first = _read_some(fh, label, _CHUNK)
        if _is_gzip(first):
            return _gunzip(_stream_pieces(first, fh, label), label, max_bytes)
        if first and looks_binary(first):
            raise UnsupportedFormatError(
                label, f"{describe_binary(first)} on a stream — not CycloneDX or SPDX; read no further"
            )
    # a stream, or a file that grew while it was read: gather chunks up to the limit
    out = io.BytesIO()
    out.write(first)
    for chunk in _stream_pieces(b"", fh, label):
        out.write(chunk)
        if out.tell() > max_bytes:
            raise InputTooLargeError(label, f"input is over the limit of {max_bytes} bytes")
    if out.tell() > max_bytes:
        raise InputTooLargeError(label, f"input is over the limit of {max_bytes} bytes")
    return out.getvalue()


def _read_regular(fh: IO[bytes], label: str, size: int, max_bytes: int) -> bytes | None:
    """A regular file of ``size`` bytes: ``None`` when it is gzip (its first bytes put back
    for the decompressor), else its content read in one call — after refusing, unread, a
    file larger than ``max_bytes``. One byte more than ``size`` is asked for, so that a file
    that grows while it is read is noticed."""
    head = _read_some(fh, label, 2)
    try:
        fh.seek(-len(head), io.SEEK_CUR)
        rewound = True
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        rewound = False
    if _is_gzip(head):
        if not rewound:
            raise IngestError(label, "a gzip file that cannot be read from its start again")
        return None
    if size > max_bytes:
        raise InputTooLargeError(label, f"input is {size} bytes, over the limit of {max_bytes}")
    if rewound:
        return _read_some(fh, label, size + 1)
    return head + _read_some(fh, label, max(size - len(head), 0) + 1)


def _read_some(fh: IO[bytes], label: str, want: int) -> bytes:
    """Up to ``want`` bytes, looping over short reads (pipes and raw streams return fewer)."""
    parts: list[bytes] = []
    got = 0
    while got < want:
        chunk = fh.read(want - got)
        if chunk is None:
            raise IngestError(
                label, "the stream is non-blocking and had no data ready; give a blocking stream"
            )
        if not isinstance(chunk, (bytes, bytearray)):
            raise IngestError(label, "the file object must be opened in binary mode")
        if not chunk:
            break
        parts.append(bytes(chunk))
        got += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _stream_pieces(first: bytes, fh: IO[bytes], label: str) -> Iterator[bytes]:
    if first:
        yield first
    while True:
        chunk = _read_some(fh, label, _CHUNK)
        if not chunk:
            return
        yield chunk


def _pieces(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for i in range(0, len(data), _CHUNK):
        yield bytes(view[i : i + _CHUNK])


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


def _gunzip(pieces: Iterable[bytes], label: str, max_bytes: int) -> bytes:
    """Decompress gzip (several members allowed) as it arrives, never holding more than
    ``max_bytes`` of output and refusing a ratio over :data:`MAX_GZIP_RATIO` once the
    output passes :data:`GZIP_RATIO_FLOOR`."""
    out = io.BytesIO()
    consumed = 0
    d: Any = None
    try:
        for piece in pieces:
            consumed += len(piece)
            data = piece
            while data:
                if d is None:
                    data = data.lstrip(b"\x00")  # padding after the last member
                    if not data:
                        break
                    d = zlib.decompressobj(wbits=31)
                out.write(d.decompress(data, _CHUNK))
                _check_inflated(out.tell(), consumed, label, max_bytes)
                if d.eof:
                    data, d = d.unused_data, None
                else:
                    data = d.unconsumed_tail
            while d is not None and not d.eof and d.unconsumed_tail:  # pragma: no cover - drained above
                out.write(d.decompress(d.unconsumed_tail, _CHUNK))
        if d is not None:
            while not d.eof:
                chunk = d.decompress(b"", _CHUNK)
                if not chunk:
                    raise MalformedSbomError(label, "gzip stream is truncated")
                out.write(chunk)
                _check_inflated(out.tell(), consumed, label, max_bytes)
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise MalformedSbomError(label, f"invalid gzip data: {exc}") from None
    return out.getvalue()


def _check_inflated(size: int, consumed: int, label: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputTooLargeError(label, f"decompressed input is over the limit of {max_bytes} bytes")
    if size > GZIP_RATIO_FLOOR and size > MAX_GZIP_RATIO * consumed:
        raise InputTooLargeError(
            label,
            f"decompresses to more than {MAX_GZIP_RATIO} times its compressed size "
            "(a compression bomb?); not read further",
        )
