"""docs/architecture.md's "Layout" tree is the package as it is: everything it names exists,
and every package (folder) of ``sbomscan/`` is in it with its ``__init__.py``. A package added
or a module moved or removed without the tree following fails here, naming it.

Every module must be listed too (:data:`NOT_YET_REQUIRED` is False); set it to True only
while several people add modules at once, where that rule would fail whoever merges second."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def _tree_block() -> list[str]:
    """The lines of the first ``text`` block after the "## Layout" heading."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1]
    block = re.search(r"```text\n(.*?)\n```", section, re.S)
    assert block, "docs/architecture.md: no text block under '## Layout'"
    return block.group(1).splitlines()


def documented() -> set[str]:
    """The paths the tree names: two spaces of indent a level, a package ends in ``/``, the
    words after the name say what it is."""
    out: set[str] = set()
    stack: list[str] = []
    for line in _tree_block():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, f"odd indent: {line!r}"
        depth = indent // 2
        name = line.split()[0]
        assert depth <= len(stack), f"indented too far: {line!r}"
        del stack[depth:]
        path = "/".join([*stack, name.rstrip("/")])
        out.add(path + ("/" if name.endswith("/") else ""))
        if name.endswith("/"):
            stack.append(name.rstrip("/"))
    return out


def actual() -> set[str]:
    """Every ``.py`` module below ``sbomscan/`` and every folder holding one."""
    out: set[str] = set()
    for p in (ROOT / "sbomscan").rglob("*.py"):
        rel = p.relative_to(ROOT)
        out.add(rel.as_posix())
        for parent in rel.parents:
            if parent != Path("."):
                out.add(parent.as_posix() + "/")
    return out


NOT_YET_REQUIRED = False
"""Whether a module inside a listed package may be missing from the tree (see the module
docstring); when False, every module must be listed."""


def test_layout_tree_names_nothing_that_is_not_there() -> None:
    doc, real = documented(), actual()
    assert "sbomscan/" in doc and "sbomscan/cli/__init__.py" in doc  # the tree was read
    stale = sorted(doc - real)
    assert not stale, f"no longer in sbomscan/, remove from the Layout tree: {stale}"


def test_layout_tree_names_every_package_and_module() -> None:
    doc, real = documented(), actual()
    packages = {p for p in real if p.endswith("/")}
    missing = sorted(p for p in real - doc if p in packages or p.endswith("/__init__.py"))
    assert not missing, f"add to the Layout tree in docs/architecture.md: {missing}"
    if not NOT_YET_REQUIRED:
        assert not sorted(real - doc), f"add to the Layout tree in docs/architecture.md: {sorted(real - doc)}"
