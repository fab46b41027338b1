"""``sbomscan graph``: the combined component graph of a bundle, as Graphviz DOT or JSON."""

from __future__ import annotations

import argparse
from typing import IO, TYPE_CHECKING

import orjson

from .options import EXIT_ERROR, EXIT_OK, Subcommands, add_bundle, add_output, load_bundle_for
from .output import verbose_graph, write

if TYPE_CHECKING:
    from ..model import Edge


def register(sub: Subcommands) -> None:
    p = sub.add_parser("graph", help="export the combined component graph")
    add_bundle(p)
    p.add_argument("--format", choices=("dot", "json"), default="dot")
    add_output(p, "write here instead of stdout")
    p.set_defaults(func=run)


def _dot_quote(*lines: str) -> str:
    r"""A DOT double-quoted string showing each of ``lines`` as written, one per line of the
    label (see :func:`sbomscan.report.escape.dot`: a newline, a Graphviz escape or a terminal
    control in an SBOM value is shown, never acted on).

    >>> print(_dot_quote('a"b\\N\x1b[2J', "1.0\n"))
    "a\"b\\N\\x1b[2J\n1.0\\n"
    """
    from ..report import escape

    return '"' + "\\n".join(escape.dot(line) for line in lines) + '"'


def _edge_order(edge: Edge) -> tuple[str, str, str]:
    """Edges by source, target and kind (as ``str`` of the kind: the order of every release)."""
    return edge.source, edge.target, str(edge.kind)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..graph import build_graph
    from ..report.model import qualified_name
    from ..tracing import component_group

    docs, incomplete = load_bundle_for(args, stderr)
    graph = build_graph(docs)
    verbose_graph(args, stderr, graph)
    # the graph's own edges, not its networkx view: the same edges, without importing networkx
    edges = [(e.source, e.target, e.kind.value) for e in sorted(graph.edges(), key=_edge_order)]
    if args.format == "json":
        obj = {
            "documents": [
                {"key": d.key, "path": d.source, "format": d.format, "tier": graph.tiers.get(d.key, 0)}
                for d in graph.documents.values()
            ],
            "roots": list(graph.roots),
            "nodes": [
                {
                    "id": c.id,
                    "name": c.name,
                    "version": c.version,
                    "purl": c.purl,
                    "document": c.document,
                    "tier": graph.tiers.get(c.document, 0),
                }
                for c in graph.components.values()
            ],
            "edges": [{"source": s, "target": t, "kind": k} for s, t, k in edges],
        }
        from ..report.escape import json_text

        write(json_text(orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode()) + "\n", args.output, stdout)
        return EXIT_ERROR if incomplete else EXIT_OK
    lines = ["digraph sbom {", "  rankdir=LR;", "  node [shape=box];"]
    roots = set(graph.roots)
    for c in graph.components.values():
        name = qualified_name(c.name, component_group(c))
        label = _dot_quote(name, c.version) if c.version else _dot_quote(name)
        style = ", style=bold" if c.id in roots else ""
        lines.append(f"  {_dot_quote(c.id)} [label={label}{style}];")
    for s, t, k in edges:
        lines.append(f"  {_dot_quote(s)} -> {_dot_quote(t)} [label={_dot_quote(k.replace('_', ' '))}];")
    lines.append("}")
    write("\n".join(lines) + "\n", args.output, stdout)
    return EXIT_ERROR if incomplete else EXIT_OK
