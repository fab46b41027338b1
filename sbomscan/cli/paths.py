"""``sbomscan paths``: why is this component in the product? Every path from a root to it,
written as each is made (100,000 paths are never held as text at once)."""

from __future__ import annotations

import argparse
from typing import IO, Any

import orjson

from .options import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    Subcommands,
    add_bundle,
    add_paths,
    load_bundle_for,
    path_options,
)
from .output import verbose_graph


def register(sub: Subcommands) -> None:
    p = sub.add_parser("paths", help="why is this component in the product? (every path from a root)")
    add_bundle(p)
    p.add_argument("--to", required=True, metavar="NAME|PURL|ID", help="component name, purl or id")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_paths(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..graph import build_graph
    from ..report.text import one_line
    from ..tracing import paths_to

    docs, incomplete = load_bundle_for(args, stderr)
    graph = build_graph(docs)
    verbose_graph(args, stderr, graph)
    targets = paths_to(graph, args.to)
    if not targets:
        stderr.write(
            one_line(f"sbomscan: no component matches {args.to!r} (give a name, a purl or a component id)")
            + "\n"
        )
        return EXIT_ERROR if incomplete else EXIT_FINDINGS
    write = _paths_json if args.format == "json" else _paths_text
    write(graph, targets, args, stdout)
    return EXIT_ERROR if incomplete else EXIT_OK


def _paths_text(graph: Any, targets: list[str], args: argparse.Namespace, stdout: IO[str]) -> None:
    """One block per component, one line per path, each written as it is made: 100,000
    paths are never held as text at once."""
    from ..report import escape
    from ..report.text import format_path, listed_only_note
    from ..tracing import trace

    documents = _path_documents(graph)
    for cid in targets:
        t = trace(graph, cid, **path_options(args))
        ref = _component_ref(graph, cid)
        stdout.write(escape.terminal(f"{ref.label()} ({ref.document}, tier {graph.tier_of(cid)})") + "\n")
        for p in t.paths:
            stdout.write("  " + escape.terminal(format_path(p, documents), None) + "\n")
        if t.truncated:
            stdout.write("  … more paths exist (raise --max-paths / --max-depth, or use --all-paths)\n")
        if t.listed_only and t.paths:
            note = listed_only_note(t.paths[0], cid)
            stdout.write(escape.terminal(f"  (listed only: {note})") + "\n")


def _paths_json(graph: Any, targets: list[str], args: argparse.Namespace, stdout: IO[str]) -> None:
    """The same as JSON — a list of ``{component, tier, truncated, listed_only, paths}`` —
    written one path per line as each is made."""
    from ..report.escape import json_text
    from ..report.json import step_dict
    from ..tracing import trace

    stdout.write("[")
    for i, cid in enumerate(targets):
        t = trace(graph, cid, **path_options(args))
        ref = _component_ref(graph, cid)
        head = {
            "component": {
                "id": ref.id,
                "name": ref.name,
                "group": ref.group,
                "version": ref.version,
                "purl": ref.purl,
                "bom_ref": ref.bom_ref,
                "document": ref.document,
            },
            "tier": graph.tier_of(cid),
            "truncated": t.truncated,
            "listed_only": t.listed_only,
        }
        stdout.write(("," if i else "") + "\n" + json_text(orjson.dumps(head).decode()[:-1]) + ', "paths": [')
        for j, p in enumerate(t.paths):
            line = json_text(orjson.dumps([step_dict(s) for s in p]).decode())
            stdout.write(("," if j else "") + "\n  " + line)
        stdout.write("\n]}")
    stdout.write("\n]\n")


def _component_ref(graph: Any, cid: str) -> Any:
    from ..report.model import ComponentRef
    from ..tracing import component_group

    c = graph.components[cid]
    source = graph.document_of(cid).source
    return ComponentRef(cid, c.name, c.version, c.purl, c.ref, source, c.pointer, group=component_group(c))


def _path_documents(graph: Any) -> dict[str, Any]:
    """The documents by path, with their names, suppliers and tiers, for path boundaries."""
    from ..graph import document_supplier
    from ..report.model import ChainDocument

    return {
        d.source: ChainDocument(
            d.source, d.name, document_supplier(d, graph.components), graph.tiers.get(d.key, 0)
        )
        for d in graph.documents.values()
    }
