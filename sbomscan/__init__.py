"""sbomscan: find covered-vendor code anywhere in an SBOM's supply chain, and the path to it."""

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
from .model import Component, Diagnostic, Document, Edge, EdgeKind, ExternalLink, Party

__version__ = "0.1.0"

__all__ = [
    "Component",
    "Diagnostic",
    "Document",
    "Edge",
    "EdgeKind",
    "EntityDataError",
    "ExternalLink",
    "IngestError",
    "InputTooLargeError",
    "MalformedSbomError",
    "Party",
    "SbomscanError",
    "UnsupportedFormatError",
    "UsageError",
    "WaiverError",
    "__version__",
    "load",
]
