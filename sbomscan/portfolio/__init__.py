"""A portfolio of submitted SBOM bundles in one SQLite file, re-screened when the lists change.

>>> import sbomscan.portfolio as pf
>>> sorted(pf.__all__)[:3]
['CHANGE_KINDS', 'ENV_VAR', 'FindingChange']

The store (:mod:`~sbomscan.portfolio.store`) keeps every submitted file byte-exact and the
graph model read from it; :func:`rescan` re-matches and re-traces from the store without
parsing a file again (:mod:`~sbomscan.portfolio.rescan`); :func:`changes` says what a run
changed, per product (:mod:`~sbomscan.portfolio.changes`). See ``docs/portfolio.md``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import nullcontext
from datetime import date
from typing import Any

from ..report.model import Report
from ..scan import scan_documents
from .changes import CHANGE_KINDS, FindingChange, ProductChanges, changes, render_changes
from .rescan import RescanResult, rescan
from .store import (
    ENV_VAR,
    Portfolio,
    RunInfo,
    StoredFile,
    StoredFinding,
    Submission,
    WaiversLike,
    store_path,
)

__all__ = [
    "CHANGE_KINDS",
    "ENV_VAR",
    "FindingChange",
    "Portfolio",
    "ProductChanges",
    "RescanResult",
    "RunInfo",
    "StoredFile",
    "StoredFinding",
    "Submission",
    "add",
    "changes",
    "open_portfolio",
    "render_changes",
    "report",
    "rescan",
    "store_path",
]


def open_portfolio(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Portfolio:
    """Open (or create) the store at ``path``, else at ``$SBOMSCAN_PORTFOLIO``."""
    return Portfolio(store_path(path), create=create)


def add(
    store: Portfolio | str | os.PathLike[str] | None,
    sources: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    product: str,
    version: str | None = None,
    supplier: str | None = None,
    received: date | str | None = None,
    entities: Any = None,
    as_of: date | str | None = None,
    waivers: WaiversLike = None,
) -> Submission:
    """Scan a bundle and keep it in the store (a :class:`Portfolio`, or a path to open, or
    ``None`` for ``$SBOMSCAN_PORTFOLIO``, opened and closed here): :meth:`Portfolio.add` as
    one call. Safe to call from several processes at once on the same store."""
    with nullcontext(store) if isinstance(store, Portfolio) else open_portfolio(store) as pf:
        return pf.add(
            sources,
            product=product,
            version=version,
            supplier=supplier,
            received=received,
            entities=entities,
            as_of=as_of,
            waivers=waivers,
        )


def report(
    portfolio: Portfolio,
    submission: int,
    entities: Any = None,
    as_of: date | str | None = None,
    waivers: WaiversLike = None,
) -> Report:
    """The full report of one stored submission (findings with their paths, coverage,
    inputs), made from the store with ``entities`` on ``as_of`` (default: the date of its
    latest run) and ``waivers`` (default: the ones its latest result applied; ``()`` for
    none) — without reading a file."""
    docs, inputs = portfolio.documents(submission)
    last = portfolio.submission(submission, findings=False).run
    if last is not None:
        if as_of is None:
            as_of = portfolio.run(last).as_of
        if waivers is None:
            waivers = portfolio.waivers(submission, last)
    return scan_documents(docs, inputs, entities, as_of, waivers)
