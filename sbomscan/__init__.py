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

from .errors import (
    EntityDataError,
    IngestError,
    InputTooLargeError,
    MalformedSbomError,
    SbomscanError,
    UnsupportedFormatError,
    UsageError,
    WaiverError,
)
from .ingest import load
from .model import Component, Diagnostic, Document, Edge, EdgeKind, ExternalLink, InputRecord, Party

__version__ = "0.1.0"

# The pipeline and its stages (their modules read __version__ lazily, at call time).
from .entities import EntityDatabase, load_entities
from .graph import SbomGraph, build_graph
from .match import Matcher
from .report import Finding, Report, Verdict, render
from .scan import scan
from .trace import trace
from .waivers import Waiver, load_waivers

__all__ = [
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
    "Report",
    "SbomGraph",
    "SbomscanError",
    "UnsupportedFormatError",
    "UsageError",
    "Verdict",
    "Waiver",
    "WaiverError",
    "__version__",
    "build_graph",
    "load",
    "load_entities",
    "load_waivers",
    "render",
    "scan",
    "trace",
]
