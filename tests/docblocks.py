"""The fenced code blocks of the Markdown documentation, and what the tests do with each.

Used by ``tests/test_docs.py`` (runs every block), ``tests/test_quickstart.py`` and
``.ci/run`` (run the README's quick-start commands: ``python3 tests/docblocks.py
quick-start`` prints them, one per line).

A block's info string says what it is: ``sh`` (commands, one per line), ``console``
(``$ command`` lines, each followed by the output it prints), ``python``, ``pycon``
(``>>>`` prompts and their output, checked like a doctest); anything else (``text``,
``json``, ``yaml``, ...) is data, never executed — ``json`` and ``yaml`` blocks must parse. A
block with no info string is an error: say what it is.

HTML comments on the lines right above a fence steer the test (they are invisible when
the Markdown is rendered):

- ``<!-- not-run: REASON -->`` — the block is not executed (``python`` and ``sh`` blocks
  are still checked for syntax); the reason is required.
- ``<!-- quick-start -->`` — one of the README's two install commands: run in a fresh
  virtual environment by ``tests/test_quickstart.py`` and by ``.ci/run``, not by test_docs.
- ``<!-- setup: COMMAND -->`` — a shell command run first, in the page's workspace (e.g.
  ``cp -r examples/secure-gateway submitted`` for a page about "the bundle you received").
- ``<!-- file: PATH -->`` — the block's text is written to PATH in the workspace, for the
  commands after it (a waivers file shown on the page, then used).
- ``<!-- exit: N -->`` — every command of the block exits N (default 0). A single command
  says its own status in its trailing comment instead: ``sbomscan scan x   # exits 1: ...``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

RUNNABLE = frozenset({"sh", "console", "python", "pycon"})
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*([a-z-]+)\s*(?::\s*(.*?))?\s*-->\s*$")
_EXIT = re.compile(r"#.*\bexits?\s+(\d+)\b")


class Block(NamedTuple):
    """One fenced block: where it is, its info string, the directives above it, its text."""

    path: Path
    line: int  # of the opening fence, 1-based
    info: str
    directives: tuple[tuple[str, str], ...]
    text: str

    @property
    def where(self) -> str:
        path = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{path}:{self.line}"

    def directive(self, name: str) -> str | None:
        """The value of directive ``name`` ("" when it has none), or None when absent."""
        return next((v for k, v in self.directives if k == name), None)


def documents() -> list[Path]:
    """The Markdown a user reads: README.md, docs/*.md and the examples' READMEs."""
    return [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "examples").rglob("*.md")),
    ]


def blocks(path: Path) -> Iterator[Block]:
    """The fenced blocks of one Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3)
        directives: list[tuple[str, str]] = []
        j = i - 1
        while j >= 0 and (d := _DIRECTIVE.match(lines[j])):
            directives.insert(0, (d.group(1), d.group(2) or ""))
            j -= 1
        body: list[str] = []
        k = i + 1
        while k < len(lines) and not (
            lines[k].strip().startswith(fence[0] * len(fence)) and not lines[k].strip().strip(fence[0])
        ):
            body.append(lines[k][indent:] if lines[k][:indent].isspace() else lines[k])
            k += 1
        yield Block(path, i + 1, info, tuple(directives), "\n".join(body) + "\n")
        i = k + 1


def commands(block: Block) -> list[tuple[str, int]]:
    """The commands of an ``sh`` block with the exit status each must give.

    One command per line (a trailing backslash continues it); comment lines are skipped.
    """
    default = int(block.directive("exit") or 0)
    out: list[tuple[str, int]] = []
    pending = ""
    for raw in block.text.splitlines():
        line = pending + raw
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        pending = ""
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _EXIT.search(line)
        out.append((line.strip(), int(m.group(1)) if m else default))
    return out


def quick_start() -> list[str]:
    """The README's quick-start commands, in order (each one line)."""
    found = [b for b in blocks(ROOT / "README.md") if b.directive("quick-start") is not None]
    cmds = [c for b in found for c, _ in commands(b)]
    if len(found) != 2 or len(cmds) != 2:
        raise SystemExit(f"README.md: expected two quick-start blocks of one command each, found {cmds}")
    return cmds


if __name__ == "__main__":
    if sys.argv[1:] != ["quick-start"]:
        raise SystemExit("usage: python3 tests/docblocks.py quick-start")
    print("\n".join(quick_start()))
