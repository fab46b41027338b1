"""Every input of a bundle accounted for: folders walked, archives opened, each file read or
listed as not read with the reason.

A verdict is only as good as what was read. So a folder is walked in full — every regular
file, whatever its name (hidden files and ``exclude`` globs aside) — and ZIP and tar
archives are opened like folders; each file, named or found, gets one
:class:`~sbomscan.model.InputRecord`. One bad file never stops the others.

Whether a file that was not read *counts* (leaves the check incomplete) depends on what it
is. A path named by the caller always counts. A file found in a folder counts when it
carries SBOM markers (:func:`~sbomscan.ingest.detect.sbom_markers`) but cannot be read,
when it could not be looked at (too large, unreadable, compressed in a format sbomscan
does not open) or when it is a link out of the folder; a README or an image with no sign
of an SBOM is only listed. Messages about files that are not SBOMs say what the file
looks like and never quote it.

Limits: links inside a folder are followed only when they stay inside it; a FIFO, device
or socket is refused unopened; an archive may hold at most :data:`MAX_MEMBERS` members,
decompress to at most ``max_bytes`` in all and to at most
:data:`~sbomscan.ingest.MAX_GZIP_RATIO` times its size, members with absolute or ``..``
paths are not read and links inside archives are never followed.
"""

from __future__ import annotations

import fnmatch
import io
import os
import re
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import (
    IngestError,
    InputTooLargeError,
    MalformedSbomError,
    NotRegularFileError,
    UnsupportedFormatError,
    UsageError,
)
from ..model import Document, InputRecord
from . import DEFAULT_MAX_BYTES, GZIP_RATIO_FLOOR, MAX_GZIP_RATIO, file_kind, parse, read_bytes
from .detect import COMPRESSED_KINDS, binary_kind, sbom_markers, zip_kind

__all__ = ["MAX_ARCHIVE_DEPTH", "MAX_MEMBERS", "load_inputs"]

MAX_MEMBERS = 10_000
"""Most members read from one archive (nested archives included)."""
MAX_ARCHIVE_DEPTH = 3
"""Deepest nesting of archives opened (an archive in an archive in an archive)."""


def load_inputs(
    sources: Iterable[Any],
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[str] = (),
) -> tuple[list[Document], list[InputRecord]]:
    """Read every input: paths (files and folders), ``"-"``, bytes or Documents.

    Returns the documents read and one record per input considered. Never raises for one
    bad input; raises :class:`~sbomscan.errors.UsageError` for something that is not an
    input at all (an ``int``, say).
    """
    loader = _Loader(strict=strict, max_bytes=max_bytes, exclude=tuple(exclude))
    for src in sources:
        loader.add(src)
    return loader.docs, loader.inputs


class _Budget:
    """What one top-level archive may still cost: members and decompressed bytes."""

    def __init__(self, max_bytes: int, packed: int) -> None:
        self.members = MAX_MEMBERS
        self.bytes = max_bytes
        self.packed = max(packed, 1)
        self.inflated = 0


class _Loader:
    def __init__(self, *, strict: bool, max_bytes: int, exclude: tuple[str, ...]) -> None:
        self.strict = strict
        self.max_bytes = max_bytes
        self.exclude = exclude
        self.docs: list[Document] = []
        self.inputs: list[InputRecord] = []
        self.seen: set[str] = set()

    # ------------------------------------------------------------------ records

    def not_read(self, path: str, reason: str, message: str, counts: bool) -> None:
        one_line = " ".join(message.split())  # a reader's message may span lines (PyYAML's do)
        self.inputs.append(InputRecord(path, "not-read", reason, one_line, counts))

    def read(self, doc: Document) -> None:
        self.docs.append(doc)
        self.inputs.append(InputRecord(doc.source, "read", sha256=doc.sha256))

    def first_time(self, label: str) -> bool:
        """False for a path already considered (named twice, or named and inside a folder
        also named): each input is read, and listed, once."""
        if label in self.seen:
            return False
        self.seen.add(label)
        return True

    def failed(self, label: str, exc: IngestError, evidence: _Evidence | None, *, named: bool) -> None:
        """Record an input that raised ``exc``: the reason, a message that quotes nothing
        of a file that is not an SBOM, and whether it counts."""
        reason, message, counts = _classify(exc, evidence)
        if reason == "not-sbom" and not counts and named_like_sbom(label):
            counts = True
            message = (
                "named like an SBOM, but unreadable and without any CycloneDX or SPDX marker "
                "(cut short? if it is not an SBOM, --exclude it)"
            )
        self.not_read(label, reason, message, counts or named)

    # ------------------------------------------------------------------ sources

    def add(self, src: Any) -> None:
        if isinstance(src, Document):
            self.read(src)
        elif isinstance(src, (bytes, bytearray, memoryview)):
            self.read_source(bytes(src), "<bytes>", named=True)
        elif isinstance(src, (str, os.PathLike)):
            self.add_path(os.fspath(src))
        else:
            raise UsageError(f"cannot scan a {type(src).__name__}; give paths, bytes or Documents")

    def add_path(self, path: str) -> None:
        """A path the caller named: a folder is walked; anything else is read, and counts."""
        if path == "-":
            self.read_source("-", "<stdin>", named=True)
            return
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            self.not_read(path, "unreadable", (exc.strerror or str(exc)).lower(), True)
            return
        if stat.S_ISDIR(mode):
            self.walk(path)
        elif not stat.S_ISREG(mode):
            self.not_read(path, "not-regular", f"is {file_kind(mode)}, not a regular file: not read", True)
        else:
            self.read_source(path, path, named=True)

    def read_source(self, source: str | bytes, label: str, *, named: bool) -> None:
        """Read one file, ``"-"`` or bytes, and hand its content on."""
        if isinstance(source, str) and source != "-" and not self.first_time(label):
            return
        try:
            data, label = read_bytes(source, max_bytes=self.max_bytes, name=label)
        except IngestError as exc:
            self.failed(label, exc, None, named=named)
            return
        owned = [data]  # handed over: see read_data
        del data
        self.read_data(owned, label, named=named, depth=0, budget=None)

    def read_data(
        self, owned: list[bytes], label: str, *, named: bool, depth: int, budget: _Budget | None
    ) -> None:
        """The bytes in the one-item list ``owned`` (already decompressed): an archive is
        opened, anything else parsed.

        The bytes are handed over (the list is emptied and the caller keeps no other
        reference), and what a refusal needs of them (:class:`_Evidence`) is taken first:
        so once a JSON document is decoded its bytes are freed, and a scan's peak is not
        the bytes, the decoded tree and the records at once (issue 9; docs/performance.md,
        "Memory").
        """
        data = owned[0]
        kind = _archive_kind(data)
        if kind is not None:
            if depth >= MAX_ARCHIVE_DEPTH:
                self.not_read(
                    label,
                    "unsupported",
                    f"an archive nested more than {MAX_ARCHIVE_DEPTH} deep: not opened",
                    True,
                )
                return
            budget = budget or _Budget(self.max_bytes, len(data))
            if budget.members <= 0:
                self.not_read(
                    label, "too-large", f"the archive holds more than {MAX_MEMBERS} members: not read", True
                )
                return
            if kind == "zip":
                self.read_zip(data, label, depth, budget)
            else:
                self.read_tar(data, label, depth, budget)
            return
        evidence = _evidence(data)
        del data
        try:
            self.read(parse(owned, source=label, strict=self.strict))
        except IngestError as exc:
            self.failed(label, exc, evidence, named=named)

    # ------------------------------------------------------------------ folders

    def excluded(self, rel: str) -> bool:
        """True when ``rel`` (a path relative to the folder or archive, ``/``-separated) or its
        last part matches an ``exclude`` glob, or a folder above it does."""
        parts = rel.split("/")
        for glob in self.exclude:
            g = glob.rstrip("/")
            if fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(parts[-1], g):
                return True
            if any(fnmatch.fnmatchcase("/".join(parts[: i + 1]), g) for i in range(len(parts) - 1)):
                return True
        return False

    def walk(self, root: str) -> None:
        """Every file below ``root``, sorted, depth first; hidden files and folders, and
        excluded ones, aside. Links are followed only to files inside ``root``."""
        top = os.path.realpath(root)
        considered = 0
        stack: list[tuple[str, str]] = [(root, "")]
        while stack:
            folder, prefix = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.not_read(
                    folder,
                    "unreadable",
                    f"folder cannot be listed: {(exc.strerror or str(exc)).lower()}",
                    True,
                )
                continue
            subfolders: list[tuple[str, str]] = []
            for entry in entries:
                rel = prefix + entry.name
                if entry.name.startswith(".") or self.excluded(rel):
                    continue
                label = str(Path(root) / rel)
                considered += 0 if entry.is_dir(follow_symlinks=False) else 1
                if entry.is_symlink():
                    self.link(entry.path, label, top)
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append((entry.path, rel + "/"))
                else:
                    self.found(entry, label)
            stack.extend(reversed(subfolders))
        if not considered:
            self.not_read(
                root,
                "unreadable",
                "the folder holds no files, so no SBOM files (hidden and excluded files aside)",
                True,
            )

    def found(self, entry: os.DirEntry[str], label: str) -> None:
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            self.not_read(label, "unreadable", (exc.strerror or str(exc)).lower(), True)
            return
        if not stat.S_ISREG(mode):
            self.not_read(label, "not-regular", f"is {file_kind(mode)}, not a regular file: not read", False)
            return
        self.read_source(entry.path, label, named=False)

    def link(self, path: str, label: str, top: str) -> None:
        """A symbolic link found in a folder: read only if it leads to a file inside it."""
        target = os.path.realpath(path)
        if os.path.commonpath([top, target]) != top:
            self.not_read(
                label,
                "link-outside",
                "a symbolic link to something outside the given folder: not followed",
                True,
            )
            return
        try:
            mode = os.stat(target).st_mode
        except OSError:
            self.not_read(label, "unreadable", "a symbolic link to nothing (its target does not exist)", True)
            return
        if stat.S_ISDIR(mode):
            self.not_read(
                label,
                "not-regular",
                "a link to a folder inside the given folder: its files are read there",
                False,
            )
        elif not stat.S_ISREG(mode):
            self.not_read(
                label, "not-regular", f"a link to {file_kind(mode)}, not a regular file: not read", False
            )
        else:
            self.read_source(target, label, named=False)

    # ------------------------------------------------------------------ archives

    def member(self, label: str, name: str, size: int, packed: int | None, budget: _Budget) -> str | None:
        """Why member ``name`` of an archive is not read (a message), or ``None`` to read it."""
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or (len(parts[0]) == 2 and parts[0][1] == ":"):
            return "its path is absolute or climbs out of the archive with '..': not read"
        if size > budget.bytes:
            return f"the archive's members decompress to more than {self.max_bytes} bytes in all: not read"
        if packed is not None and size > GZIP_RATIO_FLOOR and size > MAX_GZIP_RATIO * max(packed, 1):
            return (
                f"decompresses to more than {MAX_GZIP_RATIO} times its compressed size (a compression bomb?)"
            )
        if (
            size + budget.inflated > GZIP_RATIO_FLOOR
            and size + budget.inflated > MAX_GZIP_RATIO * budget.packed
        ):
            return (
                f"the archive decompresses to more than {MAX_GZIP_RATIO} times its size (a compression bomb?)"
            )
        return None

    def take(self, budget: _Budget, size: int) -> None:
        budget.members -= 1
        budget.bytes -= size
        budget.inflated += size

    def read_zip(self, data: bytes, label: str, depth: int, budget: _Budget) -> None:
        entries = _zip_entries(data)
        if entries is not None and entries > budget.members:
            self.not_read(
                label,
                "too-large",
                f"the archive holds {entries} members, more than {MAX_MEMBERS}: not read",
                True,
            )
            return
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = sorted(zf.infolist(), key=lambda i: i.filename)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            self.not_read(label, "malformed", f"not a readable ZIP archive: {exc}", True)
            return
        before = len(self.inputs)
        with zf:
            for info in infos:
                name = info.filename
                if info.is_dir() or _hidden(name) or self.excluded(name.strip("/")):
                    continue
                mlabel = f"{label}!{name}"
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    self.not_read(
                        mlabel, "not-regular", "a link inside the archive: links are not followed", False
                    )
                    continue
                why = self.member(label, name, info.file_size, info.compress_size, budget)
                if why is not None:
                    reason = "unsupported" if "climbs out" in why else "too-large"
                    self.not_read(mlabel, reason, why, True)
                    continue
                if info.flag_bits & 0x1:
                    self.not_read(mlabel, "unreadable", "the member is encrypted", True)
                    continue
                self.take(budget, info.file_size)
                try:
                    with zf.open(info) as fh:
                        content = fh.read(info.file_size + 1)
                except (
                    zipfile.BadZipFile,
                    OSError,
                    ValueError,
                    EOFError,
                    NotImplementedError,
                    RuntimeError,
                ) as exc:
                    self.not_read(mlabel, "malformed", f"cannot be read from the archive: {exc}", True)
                    continue
                if len(content) > info.file_size:  # pragma: no cover - zipfile checks sizes itself
                    self.not_read(mlabel, "malformed", "the member is larger than the archive says", True)
                    continue
                self.read_member(content, mlabel, depth, budget)
        if len(self.inputs) == before:
            self.not_read(
                label, "not-sbom", "an archive with no files (hidden and excluded files aside)", True
            )

    def read_tar(self, data: bytes, label: str, depth: int, budget: _Budget) -> None:
        before = len(self.inputs)
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
                while True:
                    info = tf.next()
                    if info is None:
                        break
                    if budget.members <= 0:
                        self.not_read(
                            label,
                            "too-large",
                            f"the archive holds more than {MAX_MEMBERS} members: the rest are not read",
                            True,
                        )
                        break
                    self.tar_member(tf, info, label, depth, budget)
        except (tarfile.TarError, OSError, ValueError, EOFError) as exc:
            self.not_read(label, "malformed", f"not a readable tar archive: {exc}", True)
            return
        if len(self.inputs) == before:
            self.not_read(
                label, "not-sbom", "an archive with no files (hidden and excluded files aside)", True
            )

    def tar_member(
        self, tf: tarfile.TarFile, info: tarfile.TarInfo, label: str, depth: int, budget: _Budget
    ) -> None:
        name = info.name
        if info.isdir() or _hidden(name) or self.excluded(name.strip("/")):
            return
        mlabel = f"{label}!{name}"
        if info.issym() or info.islnk():
            self.not_read(mlabel, "not-regular", "a link inside the archive: links are not followed", False)
            return
        if not info.isreg():
            self.not_read(mlabel, "not-regular", "not a regular file inside the archive: not read", False)
            return
        why = self.member(label, name, info.size, None, budget)
        if why is not None:
            self.not_read(mlabel, "unsupported" if "climbs out" in why else "too-large", why, True)
            return
        self.take(budget, info.size)
        fh = tf.extractfile(info)
        content = fh.read(info.size) if fh is not None else b""
        self.read_member(content, mlabel, depth, budget)

    def read_member(self, content: bytes, label: str, depth: int, budget: _Budget) -> None:
        """A member's bytes: gzip unpacked (within what the archive may still cost), then read."""
        if content[:2] == b"\x1f\x8b":
            try:
                content, label = read_bytes(content, max_bytes=max(budget.bytes, 0), name=label)
            except IngestError as exc:
                self.failed(label, exc, None, named=False)
                return
            self.take(budget, len(content))
            budget.members += 1
        self.read_data([content], label, named=False, depth=depth + 1, budget=budget)


def _zip_entries(data: bytes) -> int | None:
    """How many entries a ZIP's end-of-central-directory record declares, read before
    ``zipfile`` builds an object for each of them (``None`` when the record is not found)."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if pos < 0 or pos + 22 > len(data):
        return None
    count = int.from_bytes(data[pos + 10 : pos + 12], "little")
    if count == 0xFFFF:  # ZIP64: bound the count by the central directory's size
        return int.from_bytes(data[pos + 12 : pos + 16], "little") // 46
    return count


def _hidden(name: str) -> bool:
    # "." and ".." are not hidden names: a member climbing out must be listed, not skipped
    return any(p.startswith(".") and p not in (".", "..") for p in name.replace("\\", "/").split("/"))


def _archive_kind(data: bytes) -> str | None:
    """``"zip"`` (a ZIP that is not an Excel workbook), ``"tar"`` or ``None``."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06") and zip_kind(data) != "xlsx":
        return "zip"  # a damaged ZIP too: the archive reader says it cannot be read
    if data[257:262] == b"ustar":
        return "tar"
    return None


_SBOM_NAME = re.compile(r"(?:^|[._-])(?:s?bom|cdx|cyclonedx|spdx)(?:[._-]|$)", re.IGNORECASE)


def named_like_sbom(path: str) -> bool:
    """Whether a file's name says it is an SBOM (``*.cdx.json``, ``*.spdx``, ``bom.xml``,
    ``product-sbom.json``...). A name never decides how a file is read, but a file named
    like an SBOM that shows no SBOM marker — cut before its first key, say — has not
    shown that it is *not* one: not reading it counts.

    >>> [named_like_sbom(p) for p in ("a/gateway.cdx.json", "x.spdx", "bom.xml", "SBOM", "a.zip!app-sbom.json")]
    [True, True, True, True, True]
    >>> [named_like_sbom(p) for p in ("README.md", "bombay.txt", "logo.png", "spdx/notes.txt")]
    [False, False, False, False]
    """
    name = path.rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    return _SBOM_NAME.search(name) is not None


class _Evidence(NamedTuple):
    """What a refusal needs to know of an input's bytes, taken before they are handed to
    the reader (which frees them): the SBOM family whose marker it carries, and what kind of
    binary its first bytes say it is."""

    family: str | None
    binary: str | None


def _evidence(data: bytes) -> _Evidence:
    return _Evidence(sbom_markers(data), binary_kind(data[:8192]))


def _classify(exc: IngestError, evidence: _Evidence | None) -> tuple[str, str, bool]:
    """(reason, message, counts) for an input that raised ``exc``; ``evidence`` is what
    its content showed, when it was read. A file that is not an SBOM is described, never
    quoted."""
    where = f"{exc.location}: " if exc.location else ""
    if isinstance(exc, InputTooLargeError):
        return "too-large", exc.reason, True
    if isinstance(exc, NotRegularFileError):
        return "not-regular", exc.reason, False
    if not isinstance(exc, (UnsupportedFormatError, MalformedSbomError)):
        return "unreadable", where + exc.reason, True
    if evidence is None:  # a damaged gzip stream: what it held cannot be told
        return "malformed", where + exc.reason, True
    family = evidence.family
    if family is not None:
        if isinstance(exc, MalformedSbomError):
            return "malformed", f"{where}{exc.reason}", True
        return (
            "malformed",
            f"carries {family} markers but is not a readable {family} document "
            "(does something come before the document's first line?)",
            True,
        )
    kind = evidence.binary
    if kind in COMPRESSED_KINDS:
        return "unsupported", f"{kind}, which sbomscan does not open (it reads gzip, ZIP and tar)", True
    if isinstance(exc, UnsupportedFormatError):
        return "not-sbom", exc.reason, False
    return (
        "not-sbom",
        "not valid JSON, XML or SPDX text, with no CycloneDX or SPDX markers: not an SBOM",
        False,
    )
