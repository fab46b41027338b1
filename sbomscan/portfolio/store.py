"""The portfolio store: one SQLite file holding every submitted bundle byte-exact, the graph
model read from it, and the result of every scan of it.

Why SQLite: one file a buying office can copy, back up and open anywhere, with transactions —
an ``add`` is one transaction, so a process killed in the middle leaves the store as it was
before, and two processes adding at once are serialised by the database's own write lock
(``BEGIN IMMEDIATE``, waiting up to :data:`BUSY_TIMEOUT` seconds) without losing either.
The file is opened in WAL mode: a long ``rescan`` reads one consistent snapshot while others
add. The tables and their versions are in :mod:`sbomscan.portfolio.schema`.

An ``add`` reads and scans the bundle *before* it takes the write lock (the slow part runs in
parallel with other writers), then stores the files, the documents and the result in one
transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from ..entities import EntityDatabase
from ..errors import PortfolioError, UsageError
from ..ingest import DEFAULT_MAX_BYTES
from ..model import Component, Document, InputRecord
from ..policy import verdict
from ..report.model import DataFileInfo, EntityDataInfo, Finding, Report
from ..scan import load_bundle, scan_documents
from ..waivers import Waiver, load_waivers
from . import codec
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_V1, SCHEMA_VERSION

__all__ = [
    "BUSY_TIMEOUT",
    "ENV_VAR",
    "Portfolio",
    "RunInfo",
    "StoredFile",
    "StoredFinding",
    "Submission",
]

ENV_VAR = "SBOMSCAN_PORTFOLIO"
"""The environment variable naming the store when ``--db`` is not given."""

BUSY_TIMEOUT = 600.0
"""Seconds a writer waits for another writer's transaction before giving up."""

_ZLIB_LEVEL = 1  # 3-4x smaller SBOM JSON at a few hundred MB/s; see docs/performance.md


class StoredFile(NamedTuple):
    """One file of a submission: its path as submitted, sha256 and size of its bytes."""

    path: str
    sha256: str
    size: int


class RunInfo(NamedTuple):
    """One scan of the store: an ``add`` (one submission) or a ``rescan`` (all of them).

    ``waivers`` are the waivers the run was given and applied to every submission; when
    ``waivers_kept``, the run (a rescan given none) applied each submission's own, those of
    its previous result instead (:meth:`Portfolio.waivers` says which)."""

    id: int
    kind: str
    started: str
    as_of: date
    data_version: str
    data_files: tuple[DataFileInfo, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    waivers_kept: bool = False


class StoredFinding(NamedTuple):
    """What the store keeps of a finding: enough to say what appeared, disappeared or
    changed severity (the full finding, with paths, comes from ``report``)."""

    id: str
    severity: str
    confidence: str
    waived: bool
    entity: str
    entity_name: str
    component: str
    component_version: str | None
    purl: str | None
    document: str
    tier: int


class Submission(NamedTuple):
    """A submitted bundle and its latest result (``outcome`` and ``run`` are ``None`` only
    while nothing has been recorded, which a committed ``add`` never leaves)."""

    id: int
    product: str
    version: str | None
    supplier: str | None
    received: date
    added: str
    files: tuple[StoredFile, ...]
    documents: int
    components: int
    outcome: str | None
    run: int | None
    findings: tuple[StoredFinding, ...] = ()


_RUN_COLUMNS = "id, kind, started, as_of, data_version, data_files, waivers, waivers_kept"
_FINDING_COLUMNS = "id, severity, confidence, waived, entity, entity_name, component, component_version, purl, document, tier"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _received(value: date | str | None) -> date:
    if value is None:
        return datetime.now(timezone.utc).date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"date received must be YYYY-MM-DD, not {value!r}") from None


def store_path(path: str | os.PathLike[str] | None) -> str:
    """The store to use: ``path``, else ``$SBOMSCAN_PORTFOLIO``; a usage error if neither."""
    if path is not None:
        return os.fspath(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    raise UsageError(f"no portfolio store: give --db PATH or set {ENV_VAR}")


class Portfolio:
    """An open portfolio store. Use as a context manager, or call :meth:`close`.

    ``Portfolio(path)`` creates the store when the file does not exist, brings an older
    store up to :data:`~sbomscan.portfolio.schema.SCHEMA_VERSION`, and refuses a file that is
    not an sbomscan store or was written by a newer sbomscan
    (:class:`~sbomscan.errors.PortfolioError`).
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = os.fspath(path)
        if not create and not os.path.exists(self.path):
            raise PortfolioError(f"{self.path}: no such portfolio store")
        try:
            self.con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise PortfolioError(f"{self.path}: cannot open the store: {exc}") from None
        try:
            self._setup()
        except sqlite3.DatabaseError as exc:
            self.con.close()
            raise PortfolioError(f"{self.path}: not a usable portfolio store: {exc}") from None
        except BaseException:
            self.con.close()
            raise

    # ------------------------------------------------------------------ setup

    def _setup(self) -> None:
        con = self.con
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        if self._version() == SCHEMA_VERSION:
            return  # the common case reads two numbers and takes no lock
        with self.transaction():  # make or migrate, re-checked under the write lock
            version = self._version()
            if version == 0:
                _create_v1(con)
                version = 1
            for step in MIGRATIONS[version - 1 :]:
                step(con)
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _version(self) -> int:
        """The store's schema version (0: an empty new file); refuses a file that is not an
        sbomscan store or is newer than this sbomscan."""
        con = self.con
        app = con.execute("PRAGMA application_id").fetchone()[0]
        version = int(con.execute("PRAGMA user_version").fetchone()[0])
        if app == 0 and version == 0 and con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
            return 0
        if app != APPLICATION_ID:
            raise PortfolioError(f"{self.path}: not an sbomscan portfolio store")
        if version > SCHEMA_VERSION:
            raise PortfolioError(
                f"{self.path}: store schema version {version} is newer than this sbomscan's "
                f"({SCHEMA_VERSION}); upgrade sbomscan to use it"
            )
        return version

    @contextlib.contextmanager
    def transaction(self, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back on any exception.
        ``IMMEDIATE`` (the default) takes the write lock at once; ``DEFERRED`` reads one
        consistent snapshot."""
        self.con.execute(f"BEGIN {mode}")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Portfolio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.con.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------------ add

    def add(
        self,
        sources: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
        *,
        product: str,
        version: str | None = None,
        supplier: str | None = None,
        received: date | str | None = None,
        entities: EntityDatabase | str | os.PathLike[str] | Sequence[Any] | None = None,
        as_of: date | str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        waivers: WaiversLike = None,
    ) -> Submission:
        """Read and scan a bundle (files and folders, as :func:`sbomscan.scan` takes them),
        then keep its files byte-exact, its documents and the result, in one transaction.
        ``waivers`` (a file, or records) apply as in a scan and are kept with the run.

        Returns the stored :class:`Submission`. Raises
        :class:`~sbomscan.errors.UsageError` for a bad argument or a bundle with nothing to
        scan, :class:`~sbomscan.errors.PortfolioError` when a file changed between being
        scanned and being stored.
        """
        if not product.strip():
            raise UsageError("a submission needs a product name")
        day = _received(received)
        paths = [os.fspath(s) for s in ([sources] if isinstance(sources, (str, os.PathLike)) else sources)]
        if "-" in paths:
            raise UsageError("a portfolio keeps files: give paths, not '-' (standard input)")
        for path in paths:  # a mistyped path must not become a submission that was "not read"
            if not os.path.lexists(path):
                raise UsageError(f"{path}: no such file or folder")
        kept = waiver_list(waivers)
        docs, inputs, _ = load_bundle(paths, max_bytes=max_bytes)
        report = scan_documents(docs, inputs, entities, as_of, kept)  # as scan() does, lines not located
        blobs = list(_read_files(inputs, max_bytes))
        with self.transaction() as con:
            run = new_run(con, "add", report.as_of, report.entity_data_version, report.entity_data, kept)
            sid = self._insert_submission(con, product, version, supplier, day, inputs, report)
            for path, sha, size, data in blobs:
                con.execute(
                    "INSERT OR IGNORE INTO blobs (sha256, size, codec, data) VALUES (?, ?, 'zlib', ?)",
                    (sha, size, data),
                )
                con.execute("INSERT INTO files (submission, path, sha256) VALUES (?, ?, ?)", (sid, path, sha))
            for seq, doc in enumerate(docs):
                try:
                    insert_document(con, sid, seq, doc)
                except (UnicodeEncodeError, TypeError) as exc:  # readers refuse lone surrogates; kept safe
                    raise PortfolioError(f"{doc.source}: cannot be stored: {exc}") from None
            record_result(con, run, sid, report.outcome, [stored_finding(f) for f in report.findings])
        return self.submission(sid)

    def _insert_submission(
        self,
        con: sqlite3.Connection,
        product: str,
        version: str | None,
        supplier: str | None,
        received: date,
        inputs: Sequence[InputRecord],
        report: Report,
    ) -> int:
        v = report.verdict
        clean = verdict([], report.coverage, fail_on=v.fail_on, require_complete=v.require_complete).outcome
        cur = con.execute(
            "INSERT INTO submissions (product, version, supplier, received, added, inputs, clean_outcome)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                product,
                version,
                supplier,
                received.isoformat(),
                _now(),
                orjson.dumps([list(i) for i in inputs]),
                clean,
            ),
        )
        return int(cur.lastrowid or 0)

    # ------------------------------------------------------------------ read

    def submissions(self) -> list[Submission]:
        """Every submission, oldest first, with its latest outcome (no findings listed)."""
        ids = [r[0] for r in self.con.execute("SELECT id FROM submissions ORDER BY id")]
        return [self.submission(i, findings=False) for i in ids]

    def submission(self, sid: int, *, findings: bool = True) -> Submission:
        """One submission, its files and its latest result (with its findings)."""
        con = self.con
        row = con.execute(
            "SELECT id, product, version, supplier, received, added FROM submissions WHERE id = ?", (sid,)
        ).fetchone()
        if row is None:
            raise PortfolioError(f"{self.path}: no submission {sid}")
        files = tuple(
            StoredFile(p, s, n)
            for p, s, n in con.execute(
                "SELECT f.path, f.sha256, b.size FROM files f JOIN blobs b USING (sha256)"
                " WHERE f.submission = ? ORDER BY f.path",
                (sid,),
            )
        )
        ndocs, ncomps = con.execute(
            "SELECT count(*), coalesce(sum(components), 0) FROM documents WHERE submission = ?", (sid,)
        ).fetchone()
        last = con.execute(
            "SELECT run, outcome FROM results WHERE submission = ? ORDER BY run DESC LIMIT 1", (sid,)
        ).fetchone()
        run, outcome = last if last else (None, None)
        found = self.findings(sid, run) if findings and run is not None else ()
        return Submission(
            row[0],
            row[1],
            row[2],
            row[3],
            date.fromisoformat(row[4]),
            row[5],
            files,
            ndocs,
            ncomps,
            outcome,
            run,
            found,
        )

    def findings(self, sid: int, run: int) -> tuple[StoredFinding, ...]:
        """The findings recorded for a submission by one run, by id."""
        rows = self.con.execute(
            f"SELECT {_FINDING_COLUMNS} FROM findings WHERE submission = ? AND run = ? ORDER BY id",
            (sid, run),
        )
        return tuple(StoredFinding(r[0], r[1], r[2], bool(r[3]), *r[4:]) for r in rows)

    def waivers(self, sid: int, run: int | None = None) -> tuple[Waiver, ...]:
        """The waivers applied to a submission by one run (default: its latest result) —
        the ones a ``rescan`` given no waivers keeps for it."""
        con = self.con
        if run is None:
            run = con.execute("SELECT max(run) FROM results WHERE submission = ?", (sid,)).fetchone()[0]
        row = con.execute(
            "SELECT coalesce(r.waivers, u.waivers) FROM results r JOIN runs u ON u.id = r.run"
            " WHERE r.submission = ? AND r.run = ?",
            (sid, run),
        ).fetchone()
        if row is None:
            raise PortfolioError(f"{self.path}: no result of submission {sid} in run {run}")
        return decode_waivers(row[0])

    def file_bytes(self, sid: int, path: str) -> bytes:
        """A submitted file's bytes, exactly as submitted (checked against its sha256)."""
        row = self.con.execute(
            "SELECT b.sha256, b.codec, b.data FROM files f JOIN blobs b USING (sha256)"
            " WHERE f.submission = ? AND f.path = ?",
            (sid, path),
        ).fetchone()
        if row is None:
            raise PortfolioError(f"{self.path}: submission {sid} has no file {path!r}")
        sha, how, data = row
        raw = zlib.decompress(data) if how == "zlib" else bytes(data)
        if hashlib.sha256(raw).hexdigest() != sha:
            raise PortfolioError(
                f"{self.path}: stored file {path!r} of submission {sid} is damaged (sha256 differs)"
            )
        return raw

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first."""
        rows = self.con.execute(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id")
        return [_run_info(r) for r in rows]

    def run(self, run_id: int) -> RunInfo:
        row = self.con.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            raise PortfolioError(f"{self.path}: no run {run_id}")
        return _run_info(row)

    def documents(self, sid: int) -> tuple[list[Document], list[InputRecord]]:
        """The documents of a submission, rebuilt from the store exactly as they were read,
        and the records of every input of the bundle."""
        if self.con.execute("SELECT 1 FROM submissions WHERE id = ?", (sid,)).fetchone() is None:
            raise PortfolioError(f"{self.path}: no submission {sid}")
        inputs = load_inputs(self.con, sid)
        heads = self.con.execute(
            "SELECT id, head FROM documents WHERE submission = ? ORDER BY seq", (sid,)
        ).fetchall()
        return [load_document(self.con, did, head) for did, head in heads], inputs

    # ------------------------------------------------------------------ remove

    def remove(self, sid: int) -> None:
        """Delete a submission, its documents and results, and every file no other
        submission shares."""
        with self.transaction() as con:
            if con.execute("DELETE FROM submissions WHERE id = ?", (sid,)).rowcount == 0:
                raise PortfolioError(f"{self.path}: no submission {sid}")
            con.execute("DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM files)")
            con.execute("DELETE FROM runs WHERE id NOT IN (SELECT run FROM results)")

    # ------------------------------------------------------------------ checks

    def check(self) -> list[str]:
        """Every inconsistency found (an empty list for a sound store): SQLite's own
        integrity and foreign-key checks, component counts, a latest result per submission,
        and each file's bytes against its sha256."""
        con = self.con
        problems = [r[0] for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in con.execute("PRAGMA foreign_key_check")]
        for did, n, real in con.execute(
            "SELECT d.id, d.components, (SELECT count(*) FROM components c WHERE c.document = d.id)"
            " FROM documents d"
        ):
            if n != real:
                problems.append(f"document {did}: {real} components stored, {n} expected")
        for (sid,) in con.execute(
            "SELECT id FROM submissions WHERE id NOT IN (SELECT submission FROM results)"
        ):
            problems.append(f"submission {sid}: no result")
        for sha, how, data in con.execute("SELECT sha256, codec, data FROM blobs"):
            raw = zlib.decompress(data) if how == "zlib" else bytes(data)
            if hashlib.sha256(raw).hexdigest() != sha:
                problems.append(f"blob {sha}: bytes differ from their sha256")
        return problems


def _create_v1(con: sqlite3.Connection) -> None:
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")


WaiversLike = str | os.PathLike[str] | Sequence[Waiver] | None
"""Waivers as ``scan`` takes them: a waivers file (JSON or YAML), records, or none."""


def waiver_list(waivers: WaiversLike) -> list[Waiver]:
    """The waiver records of ``waivers``: read from the file when it is one (a bad file
    raises :class:`~sbomscan.errors.WaiverError` naming it, before anything is stored)."""
    if waivers is None:
        return []
    if isinstance(waivers, (str, os.PathLike)):
        return load_waivers(waivers)
    return list(waivers)


def new_run(
    con: sqlite3.Connection,
    kind: str,
    as_of: date,
    data_version: str,
    data: EntityDataInfo | None,
    waivers: Sequence[Waiver] = (),
    *,
    waivers_kept: bool = False,
) -> int:
    """Record a run (``add`` or ``rescan``), the entity data and the waivers it used (or,
    ``waivers_kept``, that each submission kept its own); its id."""
    files = ([data.shipped] if data.shipped else []) + list(data.overlays) if data else []
    cur = con.execute(
        "INSERT INTO runs (kind, started, as_of, data_version, data_files, waivers, waivers_kept)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            _now(),
            as_of.isoformat(),
            data_version,
            orjson.dumps([list(f) for f in files]),
            encode_waivers(waivers),
            int(waivers_kept),
        ),
    )
    return int(cur.lastrowid or 0)


def encode_waivers(waivers: Sequence[Waiver]) -> bytes:
    """Waivers as the store keeps them: each one's fields in order, the expiry as ISO text."""
    return orjson.dumps([[*w[:3], w.expiry.isoformat(), *w[4:]] for w in waivers])


def decode_waivers(text: str | bytes) -> tuple[Waiver, ...]:
    """The waivers :func:`encode_waivers` kept."""
    return tuple(_waiver(w) for w in orjson.loads(text))


def _waiver(row: list[Any]) -> Waiver:
    entity, justification, approver, expiry, *rest = row
    return Waiver(entity, justification, approver, date.fromisoformat(expiry), *rest)


def latest_waivers(con: sqlite3.Connection) -> dict[int, tuple[Waiver, ...]]:
    """Per submission, the waivers its latest result applied (none recorded: absent) — what
    a rescan given no waivers keeps. Each distinct list is decoded once."""
    rows = con.execute(
        "SELECT r.submission, coalesce(r.waivers, u.waivers) FROM results r JOIN runs u ON u.id = r.run"
        " WHERE r.run = (SELECT max(p.run) FROM results p WHERE p.submission = r.submission)"
    )
    decoded: dict[str | bytes, tuple[Waiver, ...]] = {}
    out: dict[int, tuple[Waiver, ...]] = {}
    for sid, text in rows:
        if text not in decoded:
            decoded[text] = decode_waivers(text)
        if decoded[text]:
            out[sid] = decoded[text]
    return out


def _run_info(r: Sequence[Any]) -> RunInfo:
    files = tuple(DataFileInfo(*f) for f in orjson.loads(r[5]))
    return RunInfo(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], files, decode_waivers(r[6]), bool(r[7]))


def insert_document(con: sqlite3.Connection, sid: int, seq: int, doc: Document) -> None:
    cur = con.execute(
        "INSERT INTO documents (submission, seq, key, sha256, head, components) VALUES (?, ?, ?, ?, ?, ?)",
        (sid, seq, doc.key, doc.sha256, codec.encode_head(doc), len(doc.components)),
    )
    did = cur.lastrowid
    key = doc.key
    enc = codec.encode_component
    con.executemany(
        "INSERT INTO components (document, seq, ref, name, version, type, grp, purl, rest)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((did, i, *enc(c, key)) for i, c in enumerate(doc.components)),
    )
    con.executemany(
        "INSERT INTO edges (document, seq, source, target, kind, detail) VALUES (?, ?, ?, ?, ?, ?)",
        ((did, i, *codec.encode_edge(e)) for i, e in enumerate(doc.edges)),
    )


def load_document(
    con: sqlite3.Connection, did: int, head: bytes | str, components: Sequence[Component] | None = None
) -> Document:
    """One stored document, whole: head, components and edges (``components``: the
    document's components when they were already decoded, by a rescan's pass 1)."""
    doc = codec.decode_head(head)
    if components is None:
        rows = con.execute(
            "SELECT ref, name, version, type, grp, purl, rest FROM components WHERE document = ? ORDER BY seq",
            (did,),
        )
        components = codec.decode_components(rows, doc.key)
    edges = codec.decode_edges(
        con.execute("SELECT source, target, kind, detail FROM edges WHERE document = ? ORDER BY seq", (did,))
    )
    return doc._replace(components=tuple(components), edges=edges)


def load_inputs(con: sqlite3.Connection, sid: int) -> list[InputRecord]:
    """The records of every input of a submission's bundle (read or not, and why)."""
    row = con.execute("SELECT inputs FROM submissions WHERE id = ?", (sid,)).fetchone()
    if row is None:
        raise PortfolioError(f"no submission {sid}")
    return [InputRecord(*i) for i in orjson.loads(row[0])]


def record_result(
    con: sqlite3.Connection,
    run: int,
    sid: int,
    outcome: str,
    findings: Iterable[StoredFinding],
    waivers: Sequence[Waiver] | None = None,
) -> None:
    """One submission's outcome and findings for one run, and the waivers applied to it
    when they are not the run's (``None``: the run's)."""
    kept = None if waivers is None else encode_waivers(waivers)
    con.execute(
        "INSERT INTO results (submission, run, outcome, waivers) VALUES (?, ?, ?, ?)",
        (sid, run, outcome, kept),
    )
    con.executemany(
        f"INSERT INTO findings (submission, run, {_FINDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((sid, run, *f) for f in findings),
    )


def stored_finding(f: Finding) -> StoredFinding:
    """What the store keeps of a report's finding."""
    c = f.component
    return StoredFinding(
        f.id,
        f.severity,
        f.confidence,
        f.waived,
        f.entity.id,
        f.entity.name,
        c.name,
        c.version,
        c.purl,
        c.document,
        f.tier,
    )


def _file_of(label: str) -> str | None:
    """The submitted file an input label names: itself, or the archive holding a member
    (``bundle.zip!sboms/a.json``); ``None`` for standard input and bytes."""
    if os.path.isfile(label):
        return label
    head = label
    while "!" in head:
        head = head.rsplit("!", 1)[0]
        if os.path.isfile(head):
            return head
    return None


def _read_files(inputs: Iterable[InputRecord], max_bytes: int) -> Iterator[tuple[str, str, int, bytes]]:
    """(path, sha256, size, compressed bytes) of every regular file the bundle's inputs
    came from, each once; a plain file read as an SBOM is checked to still hold the bytes
    that were scanned."""
    seen: set[str] = set()
    for record in inputs:
        path = _file_of(record.path)
        if path is None or path in seen:
            continue
        if record.path == path and record.reason in ("too-large", "not-regular", "link-outside"):
            continue
        seen.add(path)
        try:
            size = Path(path).stat().st_size
            if size > max_bytes:
                continue
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise PortfolioError(f"{path}: cannot be read to be stored: {exc.strerror or exc}") from None
        sha = hashlib.sha256(raw).hexdigest()
        if record.path == path and record.sha256 and raw[:2] != b"\x1f\x8b" and record.sha256 != sha:
            raise PortfolioError(f"{path}: changed between being scanned and being stored; add it again")
        yield path, sha, len(raw), zlib.compress(raw, _ZLIB_LEVEL)
