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

import importlib
import sys
import types
from importlib.machinery import ModuleSpec
from typing import TYPE_CHECKING, Any, cast

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
from .model import Component, Diagnostic, Document, Edge, EdgeKind, ExternalLink, InputRecord, Party

__version__ = "0.1.0"

if TYPE_CHECKING:
    from importlib.abc import Loader  # importlib.abc itself imports importlib.resources: 10+ ms

    from .attest.intoto import build_statement
    from .entities import EntityDatabase, load_entities
    from .graph import SbomGraph, build_graph
    from .ingest import load
    from .match import Matcher
    from .portfolio import Portfolio
    from .report import Finding, PathStep, Report, Verdict, render
    from .scan import scan
    from .tracing import Trace, paths_to, trace
    from .waivers import Waiver, load_waivers

# The pipeline and its stages, imported on first use (PEP 562): a command imports only the
# stages it runs, so ``sbomscan --version`` does not pay for networkx, Jinja2, lxml, SQLite
# or cryptography (tests/test_startup.py; docs/performance.md, "Start-up").
_LAZY = {
    "build_statement": "attest.intoto",
    "EntityDatabase": "entities",
    "load_entities": "entities",
    "SbomGraph": "graph",
    "build_graph": "graph",
    "load": "ingest",
    "Matcher": "match",
    "Portfolio": "portfolio",
    "Finding": "report",
    "PathStep": "report",
    "Report": "report",
    "Verdict": "report",
    "render": "report",
    "scan": "scan",
    "Trace": "tracing",
    "paths_to": "tracing",
    "trace": "tracing",
    "Waiver": "waivers",
    "load_waivers": "waivers",
}


def __getattr__(name: str) -> Any:
    """A stage's export, imported from its module the first time it is asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Facade(types.ModuleType):
    """This package's module type: Python binds each submodule it imports on the package
    (``sbomscan.scan`` the module, once anything imports it), which would hide the function
    of the same name; a name of the public API keeps meaning the function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


class _FormerTraceModule:
    """``sbomscan.trace`` is the function; its module is ``sbomscan.tracing``. Old imports of
    the module by its former name (``from sbomscan.trace import Trace``) keep working at run
    time: this finder, asked last, answers that one name with the module."""

    name = f"{__name__}.trace"

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        return ModuleSpec(fullname, cast("Loader", self)) if fullname == self.name else None

    def create_module(self, spec: ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(f"{__name__}.tracing")
        self.own_spec = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run (the module was imported under its own name) but to give it back
        its own spec, which the import system has just replaced by this name's."""
        module.__spec__ = self.own_spec


sys.modules[__name__].__class__ = _Facade
if not any(isinstance(f, _FormerTraceModule) for f in sys.meta_path):
    sys.meta_path.append(_FormerTraceModule())

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
