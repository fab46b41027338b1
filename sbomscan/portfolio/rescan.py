"""Scan a bundle for the store, and rescan the whole store without parsing a file again.

A rescan after new entity data, an overlay or a new as-of date asks the same question of
every stored product, and almost every product's answer is "nothing found". So it runs in
two passes over the store, both through the public stages:

1. **Match, in chunks.** Every stored component is rebuilt from its row
   (:mod:`sbomscan.portfolio.codec`) and given to :meth:`Matcher.match_components
   <sbomscan.match.Matcher.match_components>`, :data:`CHUNK` rows at a time, with the
   document's own parties for its roots, as the full scan matches them. A product none of
   whose components matches has no finding: a finding is made only from a match. Its
   outcome is then the one its coverage alone gives, kept at ``add``
   (``clean_outcome``); a product with a match is marked and the rest of it skipped.
2. **The full pipeline, for the marked products only.** Their documents are rebuilt whole
   (components and edges) and go through :func:`sbomscan.scan.scan_documents` — graph,
   match, trace, policy, waivers, report: the very stages a scan of the files runs, so the
   findings are the ones a scan of the original files gives (``tests/test_portfolio.py``
   checks this on the corpus). A marked product goes through it as soon as pass 1 has read
   it, with the components pass 1 decoded (decoding rows is most of a rescan: each is
   decoded once); one of more than :data:`CHUNK` components is read again instead.

Memory is bounded by one chunk of rows in pass 1 and one product in pass 2, never the store.
Both passes read one snapshot of the store; the results are written in one transaction.

Waivers: a rescan given none keeps each submission's own — those its latest result applied —
because a buying office approved them for that submission, and a change of the lists must
not quietly undo them. A kept waiver still expires: its expiry is checked on the rescan's
as-of date, as a scan checks it. Given waivers replace them for every submission; an empty
list rescans with none.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

import orjson

from ..entities import EntityDatabase
from ..errors import PortfolioError
from ..match import Matcher
from ..memory import gc_paused
from ..model import Component, Document
from ..policy import entity_data_info
from ..scan import entity_database, parse_as_of, scan_documents, shared_matcher
from ..waivers import Waiver
from . import codec
from .store import (
    Portfolio,
    RunInfo,
    StoredFinding,
    WaiversLike,
    latest_waivers,
    load_document,
    load_inputs,
    new_run,
    record_result,
    stored_finding,
    waiver_list,
)

__all__ = ["CHUNK", "RescanResult", "rescan"]

CHUNK = 20_000
"""Component rows matched per batch in pass 1: large enough that SQLite's per-call cost
vanishes, small enough that the rows in memory stay a few megabytes."""

EntitiesLike = EntityDatabase | str | os.PathLike[str] | Sequence[Any] | None


class RescanResult(NamedTuple):
    """What a rescan did: the run it recorded, how many submissions and components it
    covered, and which submissions went through the full pipeline (those with a match)."""

    run: RunInfo
    submissions: int
    components: int
    scanned: tuple[int, ...]


def rescan(
    portfolio: Portfolio,
    entities: EntitiesLike = None,
    as_of: date | str | None = None,
    *,
    waivers: WaiversLike = None,
    chunk: int = CHUNK,
) -> RescanResult:
    """Scan every stored submission again with ``entities`` (default: the shipped data) on
    ``as_of`` (default: today), from the store alone, and record the results as one run.

    ``waivers``: ``None`` (the default) keeps each submission's own, the ones its latest
    result applied; a file or records replace them for every submission, and an empty list
    (``()``) applies none. They apply as in a scan (an expired one waives nothing) and are
    recorded with each result (:meth:`Portfolio.waivers`).

    ``changes`` (:func:`sbomscan.portfolio.changes`) then says what this run changed.
    """
    day = parse_as_of(as_of)
    db = entity_database(entities)
    keep = waivers is None
    given = [] if keep else waiver_list(waivers)
    own: dict[int, tuple[Waiver, ...]] = {}
    matcher = shared_matcher(db, day)  # the one scan_documents finds below
    results: dict[int, tuple[str, tuple[StoredFinding, ...]]] = {}
    with portfolio.transaction("DEFERRED") as con:
        clean = dict(con.execute("SELECT id, clean_outcome FROM submissions").fetchall())
        if keep:
            own = latest_waivers(con)
        components = con.execute("SELECT coalesce(sum(components), 0) FROM documents").fetchone()[0]
        scanned: dict[int, tuple[str, tuple[StoredFinding, ...]]] = {}
        for sid, docs in _matched(con, matcher, chunk):
            inputs = load_inputs(con, sid)
            report = scan_documents(docs, inputs, db, day, list(own.get(sid, ())) if keep else given)
            scanned[sid] = (report.outcome, tuple(stored_finding(f) for f in report.findings))
        for sid in sorted(clean):
            results[sid] = scanned.get(sid) or (clean[sid], ())
    with portfolio.transaction() as con:
        run = new_run(con, "rescan", day, db.version, entity_data_info(db), given, waivers_kept=keep)
        existing = {r[0] for r in con.execute("SELECT id FROM submissions")}
        for sid, (outcome, findings) in results.items():
            if sid in existing:  # removed by another process since the snapshot: nothing to record
                record_result(con, run, sid, outcome, findings, own.get(sid))
    return RescanResult(portfolio.run(run), len(results), components, tuple(sorted(scanned)))


def _matched(con: Any, matcher: Matcher, chunk: int) -> Iterator[tuple[int, list[Document]]]:
    """Pass 1, yielding each submission at least one of whose components matches, with its
    documents whole, for pass 2 — in the order of the submissions.

    A submission's components, decoded to be matched, are kept for its pass 2 as long as
    they fit in one chunk (decoding is most of a rescan: a product is decoded once), so
    memory stays one chunk in pass 1 and one product in pass 2. A larger submission is read
    again, and the rest of it is skipped once a chunk holds a match."""
    heads = con.execute("SELECT id, submission, head FROM documents ORDER BY submission, seq").fetchall()
    for sid, group in groupby(heads, key=itemgetter(1)):
        docs = [(did, head) for did, _, head in group]
        with gc_paused():  # rows and components are freed by reference counting; no cycles to collect
            found, kept = _submission(con, sid, docs, matcher, chunk)
        if found:
            if kept is None:
                yield sid, [load_document(con, did, head) for did, head in docs]
            else:
                yield (
                    sid,
                    [
                        load_document(con, did, head, comps)
                        for (did, head), comps in zip(docs, kept, strict=True)
                    ],
                )


def _submission(
    con: Any, sid: int, docs: list[tuple[int, str]], matcher: Matcher, chunk: int
) -> tuple[bool, list[list[Component]] | None]:
    """Whether any component of one submission's documents matches, and those components
    per document while they fit in one chunk (``None`` when they did not: read them again)."""
    match = matcher.match_components  # a chunk at a time: the rules' quick tests ask it at once
    decode = codec.decode_components
    found = False
    kept: list[list[Component]] | None = []
    size = 0
    for did, head in docs:
        if found and kept is None:
            break
        h = orjson.loads(head)
        key, roots = h["key"], frozenset(h["roots"])
        root_parties = codec.decode_head(head).parties if h["parties"] else ()
        on_roots = dict.fromkeys(roots, root_parties) if root_parties else {}
        comps: list[Component] = []
        cur = con.execute(
            "SELECT ref, name, version, type, grp, purl, rest FROM components WHERE document = ? ORDER BY seq",
            (did,),
        )
        try:
            while rows := cur.fetchmany(chunk):
                part = decode(rows, key)
                found = found or bool(match(part, root_parties=on_roots))
                size += len(part)
                if kept is not None and size <= chunk:
                    comps += part
                elif found:
                    kept = None
                    break
                else:
                    kept = None
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            raise PortfolioError(f"stored document {did} (submission {sid}) is damaged: {exc}") from None
        finally:
            cur.close()
        if kept is not None:
            kept.append(comps)
    return found, kept
