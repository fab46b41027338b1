"""The portfolio store's tables, one frozen layout per schema version, and the migrations.

A store made today and a store made by the first release and then migrated must be the same
database. So there is no separate "current" layout to drift from the migrations: a new
store is made by creating :data:`SCHEMA_V1` and applying every migration in order, exactly
as an old store is brought up to date. ``tests/test_portfolio_store.py`` checks that both
give the same tables, columns and indexes.

Adding a version: append a function to :data:`MIGRATIONS` (it receives a connection inside
the transaction that also records the new version), never edit an earlier entry.

What the tables hold (see docs/portfolio.md for the whole story):

``blobs``
    Every submitted file, byte-exact, keyed by the sha256 of its bytes (content-addressed: a
    file submitted twice is stored once). ``data`` is zlib-compressed when ``codec`` is
    ``zlib``; the sha256 is always of the bytes as submitted.
``submissions``, ``files``
    A bundle (product, version, supplier, date received) and the path of each of its files.
    ``inputs`` is every input the first scan considered (read or not, and why), so that a
    rescan counts a file that could not be read exactly as the first scan did;
    ``clean_outcome`` is the outcome the bundle gets when it has no finding (it depends only
    on its coverage, which entity data cannot change).
``documents``, ``components``, ``edges``
    The graph model of each document read (:class:`sbomscan.model.Document`), field by field:
    what matching, tracing and the report need, so a rescan never parses a file again.
``runs``, ``results``, ``findings``
    Each scan of the store (one ``add``, or one ``rescan`` of every submission): the date,
    entity data and waivers it used, each submission's outcome, the waivers applied to it
    when they are not the run's (a rescan that keeps each submission's own), and its findings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_V1", "SCHEMA_VERSION"]

APPLICATION_ID = 0x5342_4F4D
"""``PRAGMA application_id`` of an sbomscan store ("SBOM"): a SQLite file that is not one is
refused instead of having tables added to it."""

SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, codec TEXT NOT NULL, data BLOB NOT NULL
);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product TEXT NOT NULL, version TEXT, supplier TEXT,
    received TEXT NOT NULL, added TEXT NOT NULL,
    inputs TEXT NOT NULL, clean_outcome TEXT NOT NULL
);
CREATE TABLE files (
    submission INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (submission, path)
) WITHOUT ROWID;
CREATE INDEX files_sha256 ON files(sha256);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    submission INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, key TEXT NOT NULL, sha256 TEXT NOT NULL, head TEXT NOT NULL,
    components INTEGER NOT NULL
);
CREATE INDEX documents_submission ON documents(submission, seq);
CREATE TABLE components (
    document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    ref TEXT NOT NULL, name TEXT NOT NULL, version TEXT, type TEXT, grp TEXT, purl TEXT,
    rest TEXT,
    PRIMARY KEY (document, seq)
) WITHOUT ROWID;
CREATE TABLE edges (
    document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT,
    PRIMARY KEY (document, seq)
) WITHOUT ROWID;
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, started TEXT NOT NULL, as_of TEXT NOT NULL, data_version TEXT NOT NULL
);
CREATE TABLE results (
    submission INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    PRIMARY KEY (submission, run)
) WITHOUT ROWID;
CREATE TABLE findings (
    submission INTEGER NOT NULL, run INTEGER NOT NULL, id TEXT NOT NULL,
    severity TEXT NOT NULL, confidence TEXT NOT NULL, waived INTEGER NOT NULL,
    entity TEXT NOT NULL, entity_name TEXT NOT NULL,
    component TEXT NOT NULL, component_version TEXT, purl TEXT, document TEXT NOT NULL,
    tier INTEGER NOT NULL,
    PRIMARY KEY (submission, run, id),
    FOREIGN KEY (submission, run) REFERENCES results(submission, run) ON DELETE CASCADE
) WITHOUT ROWID;
"""
"""Version 1, the first layout (frozen: a store written by the first release has exactly it)."""


def _v1_to_v2(con: sqlite3.Connection) -> None:
    """Version 2: each run records the entity-data files it used (the shipped file and every
    overlay, with their versions and sha256), so ``changes`` can name the data on both
    sides, not only its version; and findings are indexed by entity ("which products does
    this vendor's listing touch?"). Runs made before keep an empty list."""
    con.execute("ALTER TABLE runs ADD COLUMN data_files TEXT NOT NULL DEFAULT '[]'")
    con.execute("CREATE INDEX findings_entity ON findings(entity)")


def _v2_to_v3(con: sqlite3.Connection) -> None:
    """Version 3: each run records the waivers it applied (``portfolio add --waivers``,
    ``portfolio rescan --waivers``), so a stored result says on what terms a finding was
    waived, and a report made from the store applies the same ones. Runs made before
    applied none and keep an empty list."""
    con.execute("ALTER TABLE runs ADD COLUMN waivers TEXT NOT NULL DEFAULT '[]'")


def _v3_to_v4(con: sqlite3.Connection) -> None:
    """Version 4: a rescan keeps each submission's own waivers by default (a buying office
    does not want a list change to undo the exceptions it approved), so the waivers applied
    are recorded per result, not only per run. ``results.waivers`` holds them when they
    differ from the run's (``NULL``: the run's ``waivers``, which every earlier result
    applied); ``runs.waivers_kept`` says the run applied each submission's own."""
    con.execute("ALTER TABLE results ADD COLUMN waivers TEXT")
    con.execute("ALTER TABLE runs ADD COLUMN waivers_kept INTEGER NOT NULL DEFAULT 0")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1_to_v2, _v2_to_v3, _v3_to_v4)
"""``MIGRATIONS[i]`` brings a store from version ``i + 1`` to ``i + 2``."""

SCHEMA_VERSION = 1 + len(MIGRATIONS)
"""The version this sbomscan writes; a store of a later version is refused, not guessed at."""
