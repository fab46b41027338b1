"""A tally of what a reader passed over: one entry per kind of problem.

A broken file can hold a million unreadable lines or odd triples; one diagnostic each would
bury the report (and the memory). Readers that skip things line by line or triple by triple
count them here instead and make one diagnostic per kind from the tally: how many, where the
first was, and up to three distinct examples.

>>> t = Tally[int]()
>>> for line, text in [(3, "x"), (9, "y"), (12, "x"), (40, "z"), (41, "w")]:
...     t.add("unreadable-line", line, text)
>>> list(t.entries())
[('unreadable-line', 3, 5, 'x; y; z; ...')]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

Where = TypeVar("Where")

_EXAMPLES = 3


class Tally(Generic[Where]):
    """Counts per kind (a diagnostic code), the first place each was seen, and up to three
    distinct examples; ``Where`` is whatever the reader locates by (a line, a pointer)."""

    def __init__(self) -> None:
        self._kinds: dict[str, tuple[Where, list[int], list[str]]] = {}

    def add(self, code: str, where: Where, example: str) -> None:
        """One more of ``code``, seen at ``where``."""
        k = self._kinds.get(code)
        if k is None:
            self._kinds[code] = (where, [1], [example])
            return
        k[1][0] += 1
        examples = k[2]
        if len(examples) < _EXAMPLES and example not in examples:
            examples.append(example)

    def entries(self) -> Iterator[tuple[str, Where, int, str]]:
        """(code, first place, count, the examples joined by "; ", with "; ..." when there
        were more), in the order the kinds were first seen."""
        for code, (where, count, examples) in self._kinds.items():
            shown = "; ".join(examples) + ("; ..." if count[0] > len(examples) else "")
            yield code, where, count[0], shown
