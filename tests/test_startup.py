"""Start-up: ``import sbomscan`` and each command import only what they use
(docs/performance.md, "Start-up"; issue 13 measured the CLI 8-11% slower than a63ea67, all of
it importing). The facade's names still resolve to the same objects, and what was made lazy
for it — the renderers, the relation graph of the entity data, the ``graph`` command's edges
— gives exactly what it gave before."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.cli.graph import _edge_order
from sbomscan.cli.options import FAIL_ON_CHOICES
from sbomscan.entities import RELATION_KIND, load_entities
from sbomscan.graph import build_graph
from sbomscan.policy import FAIL_ON

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = str(ROOT / "examples" / "secure-gateway")

HEAVY = frozenset(
    {
        "networkx",
        "jinja2",
        "lxml",
        "spdx_tools",
        "cryptography",
        "dask",
        "distributed",
        "rdflib",
        "openpyxl",
        "xlrd",
        "sqlite3",
        "tqdm",
        "cyclonedx",
        "defusedxml",
    }
)
"""Modules that only some inputs or commands need (networkx alone was about 0.1 s of CPU in
every command before)."""

_MARK = "--modules--"


def _imported(code: str, tmp_path: Path) -> set[str]:
    """Every module a fresh interpreter holds after running ``code`` (as ``sbomscan`` run from
    another folder: only PYTHONPATH finds this checkout)."""
    proc = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint({_MARK!r}, *sorted(sys.modules))"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith(_MARK))
    return set(line.split()[1:])


def _tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_import_sbomscan_imports_no_stage_and_nothing_heavy(tmp_path: Path) -> None:
    modules = _imported("import sbomscan", tmp_path)
    assert {m for m in modules if m.startswith("sbomscan")} == {
        "sbomscan",
        "sbomscan.errors",
        "sbomscan.model",
    }
    # not even the libraries every scan needs
    assert not _tops(modules) & (HEAVY | {"orjson", "msgspec", "yaml", "packageurl", "jsonschema_rs"})


def _cli(*argv: str) -> str:
    """A ``sbomscan argv`` run inside the child, its output swallowed, exit 0 or 1 required."""
    return (
        "import io\nfrom sbomscan.cli import main\n"
        f"code = main({list(argv)!r}, stdout=io.StringIO(), stderr=io.StringIO())\n"
        "assert code in (0, 1), code"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["completion", "bash"],
        ["entities", "list"],
        ["entities", "show", "kaspersky"],
        ["scan", EXAMPLE, "--format", "text"],
        ["scan", EXAMPLE, "--format", "markdown"],
        ["scan", EXAMPLE, "--format", "json"],
        ["scan", EXAMPLE, "--format", "sarif"],
        ["paths", EXAMPLE, "--to", "pkg:pypi/python-hikvision-viewer"],
        ["graph", EXAMPLE, "--format", "dot"],
        ["graph", EXAMPLE, "--format", "json"],
    ],
    ids=lambda argv: "-".join(a for a in argv if not a.startswith("/"))[:40],
)
def test_a_command_imports_nothing_heavy_it_does_not_use(argv: list[str], tmp_path: Path) -> None:
    modules = _imported(_cli(*argv), tmp_path)
    assert not _tops(modules) & HEAVY, sorted(_tops(modules) & HEAVY)
    if argv[0] in ("--version", "--help", "completion"):
        # the parser alone: no stage (the policy, the matcher) to list the choices of an option
        assert not {
            m for m in modules if m.startswith(("sbomscan.match", "sbomscan.policy", "sbomscan.scan"))
        }
    if argv[0] == "scan":
        assert "yaml" not in _tops(modules)  # JSON inputs, no YAML waivers file
        # one renderer: the one asked for
        asked = {"text": "text", "markdown": "markdown", "json": "json", "sarif": "sarif"}[argv[-1]]
        renderers = {m.rsplit(".", 1)[1] for m in modules if m.startswith("sbomscan.report.")}
        assert not renderers & ({"text", "markdown", "json", "sarif", "html"} - {asked, "text", "json"})


def test_the_html_report_and_signing_import_what_they_need(tmp_path: Path) -> None:
    """The other side of the above: the heavy modules are still there when asked for."""
    modules = _imported(_cli("scan", EXAMPLE, "--format", "html"), tmp_path)
    assert "jinja2" in _tops(modules)
    modules = _imported(_cli("keygen", str(tmp_path / "k.pem")), tmp_path)
    assert "cryptography" in _tops(modules)


def test_every_public_name_resolves_to_its_module_object() -> None:
    lazy: dict[str, str] = sbomscan._LAZY  # type: ignore[attr-defined]
    assert set(lazy) <= set(sbomscan.__all__)
    for name in sbomscan.__all__:
        value = getattr(sbomscan, name)
        if name in lazy:
            assert value is getattr(importlib.import_module(f"sbomscan.{lazy[name]}"), name), name
    assert set(sbomscan.__all__) <= set(dir(sbomscan))
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = sbomscan.no_such_name  # type: ignore[attr-defined]
    assert callable(sbomscan.scan) and callable(sbomscan.trace)


def test_submodules_do_not_hide_the_functions_of_the_same_name(tmp_path: Path) -> None:
    code = (
        "import importlib, sys\n"
        "import sbomscan.scan\n"
        "import sbomscan\n"
        "assert sbomscan.scan is sys.modules['sbomscan.scan'].scan\n"
        "from sbomscan.trace import Trace, paths_to\n"  # the module's former name
        "tracing = sys.modules['sbomscan.tracing']\n"
        "assert sys.modules['sbomscan.trace'] is tracing and Trace is tracing.Trace\n"
        "assert sbomscan.trace is tracing.trace and callable(sbomscan.trace)\n"
        "assert tracing.__spec__.name == 'sbomscan.tracing' and tracing.__name__ == 'sbomscan.tracing'\n"
        "importlib.reload(tracing)\n"
        "import sbomscan.trace as t\n"
        "assert t is sbomscan.trace\n"
    )
    _imported(code, tmp_path)


def test_fail_on_choices_are_the_policys() -> None:
    assert FAIL_ON_CHOICES == FAIL_ON


def test_report_exports_resolve_with_their_renderer() -> None:
    import sbomscan.report as report
    from sbomscan.report.json import to_dict
    from sbomscan.report.sarif import to_sarif

    assert report.to_dict is to_dict and report.to_sarif is to_sarif
    with pytest.raises(AttributeError, match="render_html"):
        _ = report.render_html  # type: ignore[attr-defined]


# ------------------------------------------------- the entity data's relations without networkx

REL_TYPES = sorted(RELATION_KIND)


@st.composite
def entity_files(draw: Any) -> dict[str, Any]:
    """A small entity file with random relations (several between the same two entities)."""
    n = draw(st.integers(1, 6))
    rels = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(REL_TYPES), st.integers(0, n - 1)).filter(
                lambda r: r[0] != r[2]
            ),
            max_size=14,
        )
    )
    order = draw(st.permutations(range(n)))
    ents = [{"id": f"e{i}", "name": f"E{i}", "relations": []} for i in order]
    by_id = {e["id"]: e for e in ents}
    for a, t, b in rels:
        by_id[f"e{a}"]["relations"].append({"type": t, "target": f"e{b}", "note": f"{a}-{t}-{b}"})
    ents[0]["authorities"] = ["law"]
    law = {"id": "law", "title": "Law", "effective": [{"date": "2018-10-01"}], "control": ["controls"]}
    return {
        "schema_version": 1,
        "version": "t",
        "sources": {"s": {"title": "test"}},
        "authorities": [law],
        "entities": ents,
    }


@settings(max_examples=80, deadline=None)
@given(entity_files())
def test_the_closure_walks_the_edges_the_networkx_view_has_in_its_order(data: dict[str, Any]) -> None:
    """The closure reads an index of the edges into each entity; the networkx view (built
    only when asked for) holds the same edges, and its ``in_edges`` — what the closure read
    before — come in the same order, which decides between equally short chains."""
    db = load_entities([data], include_default=False)
    g = db.graph
    assert list(g.nodes) == sorted(db.entities)
    relations = sum(len(e.relations) for e in db.entities.values())
    assert g.number_of_edges() == 2 * relations
    for node in g.nodes:
        view = [(s, d["type"], d["kind"], d["relation"]) for s, _, d in g.in_edges(node, data=True)]
        index = [(st_.source, st_.type, st_.kind, st_.relation) for st_ in db._into.get(node, [])]
        assert view == index
    for eid, entity in db.entities.items():
        for rel in entity.relations:
            assert any(d["relation"] is rel and d["type"] == rel.type for d in g[eid][rel.target].values())
            assert any(d["relation"] is rel for d in g[rel.target][eid].values())
    assert db.graph is g  # built once


def test_coverage_of_the_shipped_data_does_not_import_networkx(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom sbomscan import load_entities\n"
        "db = load_entities()\n"
        "n = sum(bool(db.coverage(e)) for e in db.entities)\n"
        "assert n > 10, n\n"
        "assert 'networkx' not in sys.modules\n"
        "assert db.graph.number_of_nodes() == len(db.entities)\n"
    )
    assert "networkx" in _tops(_imported(code, tmp_path))


# ------------------------------------------------- the graph command's edges without networkx


def _bundles() -> list[Path]:
    dirs = sorted(p for p in (FIXTURES / "bundles").iterdir() if p.is_dir())
    dirs += sorted(p for p in (FIXTURES / "e2e").iterdir() if p.is_dir())
    return [*dirs, Path(EXAMPLE)]


@pytest.mark.parametrize("bundle", _bundles(), ids=lambda p: p.name)
def test_graph_command_edges_are_the_networkx_views(bundle: Path) -> None:
    """``sbomscan graph`` lists the graph's own edges; before, it read them from the
    networkx view, sorted the same way: the two lists are equal."""
    from sbomscan.scan import load_bundle

    docs, _, _ = load_bundle([bundle])
    graph = build_graph(docs)
    ours = [(e.source, e.target, e.kind.value) for e in sorted(graph.edges(), key=_edge_order)]
    before = [
        (s, t, getattr(d.get("kind"), "value", str(d.get("kind"))))
        for s, t, d in sorted(graph.graph.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("kind"))))
    ]
    assert ours == before and ours
