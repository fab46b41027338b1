"""sbomscan: find covered-vendor code anywhere in an SBOM's supply chain, and the path to it.

The one call most users need is :func:`scan`; the stages underneath (:func:`load`,
:func:`build_graph`, :func:`load_entities`, :class:`Matcher`, :func:`trace`) are exported
for tools that want them, and :func:`render` turns a :class:`Report` into JSON, text,
SARIF or Markdown (see ``docs/library-guide.md``).

>>> import sbomscan
>>> sbomscan.render  # doctest: +ELLIPSIS
<function render at ...>
"""

from __future__ import annotations

import sys

from .errors import (
    AttestationError,
    EntityDataError,
    IngestError,
    InputTooLargeError,
    MalformedSbomError,
    PortfolioError,
    SbomscanError,
    UnsupportedFormatError,
    UsageError,
    WaiverError,
)
from .ingest import load
from .model import Component, Diagnostic, Document, Edge, EdgeKind, ExternalLink, InputRecord, Party

__version__ = "0.1.0"

# The pipeline and its stages (their modules read __version__ lazily, at call time).
from . import tracing as _tracing
from .attest.intoto import build_statement
from .entities import EntityDatabase, load_entities
from .graph import SbomGraph, build_graph
from .match import Matcher
from .portfolio import Portfolio
from .report import Finding, PathStep, Report, Verdict, render
from .scan import scan
from .tracing import Trace, paths_to, trace
from .waivers import Waiver, load_waivers

# ``sbomscan.trace`` is the function; its module is ``sbomscan.tracing``. Old imports of the
# module by its former name (``from sbomscan.trace import Trace``) keep working at run time.
sys.modules.setdefault(f"{__name__}.trace", _tracing)

__all__ = [
    "AttestationError",
    "Component",
    "Diagnostic",
    "Document",
    "Edge",
    "EdgeKind",
    "EntityDataError",
    "EntityDatabase",
    "ExternalLink",
    "Finding",
    "IngestError",
    "InputRecord",
    "InputTooLargeError",
    "MalformedSbomError",
    "Matcher",
    "Party",
    "PathStep",
    "Portfolio",
    "PortfolioError",
    "Report",
    "SbomGraph",
    "SbomscanError",
    "Trace",
    "UnsupportedFormatError",
    "UsageError",
    "Verdict",
    "Waiver",
    "WaiverError",
    "__version__",
    "build_graph",
    "build_statement",
    "load",
    "load_entities",
    "load_waivers",
    "paths_to",
    "render",
    "scan",
    "trace",
]
