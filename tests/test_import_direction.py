"""The stages import forward only (docs/architecture.md, "Contracts" and "Layout"): renderers
read the Report and nothing else, no stage imports the packages on top of the stages (cli,
attest, batch, portfolio), and no two sbomscan modules import each other, directly or around
a loop. Checked on the source with ``ast`` (function-level imports included), so a new
import that looks back fails here, not in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sbomscan"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The sbomscan modules ``path`` imports (``from . import x`` as the module ``x``)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    known = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("sbomscan"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("sbomscan"):
                continue
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
            out.update(subs or [target])
    # importing a.b.c runs a.b's __init__ first: a package is a dependency too, except the
    # importer's own packages (already being imported) and the top-level facade ``sbomscan``
    # (its __version__ is read at call time by scan and cli, never at import)
    parents = {".".join(m.split(".")[:i]) for m in out for i in range(2, m.count(".") + 1)}
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 2)}
    return {m for m in out | parents if m not in own and m != "sbomscan"}


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_renderers_import_only_the_report_model() -> None:
    allowed = {"sbomscan.model", "sbomscan.errors"}
    for name, deps in GRAPH.items():
        if name.startswith("sbomscan.report"):
            bad = {d for d in deps if not d.startswith("sbomscan.report") and d not in allowed}
            assert not bad, f"{name} imports {sorted(bad)}: renderers read only the Report"


TOP = ("sbomscan.cli", "sbomscan.attest", "sbomscan.batch", "sbomscan.portfolio")
"""The packages that drive the stages (docs/architecture.md, "Layout"): they may import any
stage; no stage imports them."""


def _in(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_no_stage_imports_the_packages_on_top() -> None:
    for name, deps in GRAPH.items():
        if _in(name, TOP) or name in ("sbomscan", "sbomscan.__main__"):
            continue  # the facade exports build_statement and the portfolio's API
        bad = sorted(d for d in deps if _in(d, TOP))
        assert not bad, f"{name} imports {bad}: the stages never reach up to cli, attest, batch or portfolio"


def test_only_python_dash_m_imports_the_command_line() -> None:
    for name, deps in GRAPH.items():
        if not _in(name, ("sbomscan.cli", "sbomscan.__main__")):
            assert not any(_in(d, ("sbomscan.cli",)) for d in deps), f"{name} imports the command line"
    assert "sbomscan.cli" in GRAPH["sbomscan.__main__"]


def _cycle_from(start: str) -> list[str] | None:
    """A loop of imports through ``start``."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for dep in sorted(GRAPH.get(node, ())):
            if dep == start:
                return [*path, dep]
            if dep not in seen:
                seen.add(dep)
                stack.append((dep, [*path, dep]))
    return None


def test_no_import_cycles() -> None:
    cycles = [c for c in (_cycle_from(m) for m in GRAPH) if c]
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_graph_is_read_from_the_source() -> None:
    # a fixed point, so an empty graph (a broken walk) cannot pass the tests above
    assert "sbomscan.report.model" in GRAPH["sbomscan.report.sarif"]
    assert "sbomscan.ingest" in GRAPH["sbomscan.scan"] or "sbomscan.ingest.bundle" in GRAPH["sbomscan.scan"]


def test_graph_stage_reads_no_input() -> None:
    # the graph is built from the Documents alone (SHA-1 and SHA-256 were taken at read time):
    # it imports nothing of ingest, so it cannot open or read an input again
    assert not {d for d in GRAPH["sbomscan.graph"] if d.startswith("sbomscan.ingest")}
