"""The geometry of a path diagram: where each box, arrow, relation label and supplier
boundary goes. The SVG itself is written by the ``diagram.svg.j2`` template from these
records, so every text in it passes through the same autoescaping as the rest of the page.

A path is drawn top to bottom — product root first, the finding's component last — so a
path of any depth fits the width of a laptop screen (it grows down, never sideways). The
steps listed in one SBOM sit inside one frame; where the path follows a link into another
supplier's SBOM, a new frame starts, headed with that SBOM's tier, supplier and file: the
boundary is a visible line a reader can point at.

>>> from sbomscan.report.model import PathStep
>>> d = layout((PathStep("a", "Kiosk", "3", None, document="p.json", tier=0),
...             PathStep("b", "camera", "2.0", "depends_on", document="p.json", tier=0),
...             PathStep("c", "camera", "2.0", "links to", document="cam.json", tier=1),
...             PathStep("d", "isp-fw", "1", "contains", document="cam.json", tier=1)), {})
>>> [(f.label, f.file) for f in d.frames], [b.text for b in d.boxes]
([('Tier 0 SBOM · supplier not named', 'p.json'), ('Tier 1 SBOM · supplier not named', 'cam.json')], ['Kiosk 3', 'camera 2.0', 'camera 2.0', 'isp-fw 1'])
>>> [(a.relation, a.crosses) for a in d.arrows]
[('depends on', False), ('links to', True), ('contains', False)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .. import escape
from ..model import ChainDocument, DocumentInfo, PathStep

__all__ = ["WIDTH", "Arrow", "Box", "Diagram", "Frame", "layout"]

WIDTH = 600
"""The diagram's width in SVG user units; the page scales it to the column it sits in."""

_PAD = 12  # frame inset from the diagram's edge
_HEAD = 40  # height of a frame's heading band (two lines: tier and supplier; file)
_BOX_H = 34
_GAP = 40  # vertical room for an arrow and its relation label
_BOX_X = 44
_BOX_W = WIDTH - 2 * _BOX_X
_BOX_CHARS = 60  # characters that fit in a box at the template's font size
_HEAD_CHARS = 64  # characters that fit in a line of a frame heading
# Texts are also clipped to their box by the template (a nested <svg>), so a run of wide
# characters that the character counts above underestimate cannot spill out of it.


class Box(NamedTuple):
    """One step: ``text`` as shown (cut to fit), ``title`` the whole label (shown on hover)."""

    x: int
    y: int
    w: int
    h: int
    text: str
    title: str
    role: str  # "root", "step" or "target" (the finding's component)


class Arrow(NamedTuple):
    """The edge from one box down to the next, with the relation that brings the next in;
    ``crosses`` when it crosses into another SBOM's frame."""

    x: int
    y1: int
    y2: int
    relation: str
    crosses: bool

    @property
    def label_y(self) -> int:
        """Where the relation's text sits: mid-arrow, or in the space between two frames."""
        return self.y1 + 24 if self.crosses else (self.y1 + self.y2) // 2 + 4


class Frame(NamedTuple):
    """The steps listed in one SBOM, and its heading: ``label`` (tier and supplier) over
    ``file``, both cut to fit; ``title`` the whole heading (shown on hover)."""

    x: int
    y: int
    w: int
    h: int
    label: str
    file: str
    title: str
    tier: int | None


class Diagram(NamedTuple):
    width: int
    height: int
    frames: tuple[Frame, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]


def fit(text: str, chars: int) -> str:
    """``text`` cut to ``chars`` characters with an ellipsis, controls shown visibly.

    >>> fit("a" * 10, 6), fit("ok\\x1b", 10)
    ('aaaaa…', 'ok\\\\x1b')
    """
    text = escape.visible_controls(text)
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _frame_heading(
    step: PathStep, documents: Mapping[str, DocumentInfo | ChainDocument]
) -> tuple[str, str, str]:
    """A frame's heading lines (tier and supplier; file — cut to fit) and its whole text."""
    info = documents.get(step.document or "")
    tier = step.tier if step.tier is not None else (info.tier if info else None)
    label = f"Tier {tier} SBOM" if tier is not None else "SBOM"
    label += f" · {info.supplier}" if info is not None and info.supplier else " · supplier not named"
    label = escape.visible_controls(escape.shorten(label))
    file = escape.visible_controls(escape.shorten(step.document or ""))
    return fit(label, _HEAD_CHARS), fit(file, _HEAD_CHARS + 8), f"{label} · {file}"


def _groups(path: tuple[PathStep, ...]) -> list[list[PathStep]]:
    """Consecutive steps listed in the same SBOM: a new group starts where a step names
    another SBOM than the group's (a step that names none stays in the group it is in)."""
    groups: list[list[PathStep]] = []
    document: str | None = None
    for step in path:
        if groups and (step.document is None or document is None or step.document == document):
            groups[-1].append(step)
        else:
            groups.append([step])
            document = None
        document = document or step.document
    return groups


def layout(path: tuple[PathStep, ...], documents: Mapping[str, DocumentInfo | ChainDocument]) -> Diagram:
    """Place ``path`` (root first) top to bottom; ``documents`` are the report's documents by
    path, for the suppliers' names in the frame headings."""
    frames: list[Frame] = []
    boxes: list[Box] = []
    arrows: list[Arrow] = []
    y = _PAD
    last = len(path) - 1
    framed = any(s.document for s in path)
    for group in _groups(path):
        top = y
        if framed:
            y += _HEAD + 8
        for step in group:
            i = len(boxes)
            if boxes:
                prev = boxes[-1]
                relation = (step.relation or "").replace("_", " ")
                crosses = len(frames) > 0 and step is group[0]
                arrows.append(Arrow(WIDTH // 2, prev.y + prev.h, y, relation, crosses))
            title = escape.visible_controls(escape.shorten(step.label()))
            role = "target" if i == last else ("root" if i == 0 else "step")
            boxes.append(Box(_BOX_X, y, _BOX_W, _BOX_H, fit(title, _BOX_CHARS), title, role))
            y += _BOX_H + _GAP
        y -= _GAP
        if framed:
            head = next((s for s in group if s.document), group[0])
            label, file, whole = _frame_heading(head, documents)
            y += 10
            frames.append(Frame(_PAD, top, WIDTH - 2 * _PAD, y - top, label, file, whole, head.tier))
        y += _GAP
    return Diagram(WIDTH, y - _GAP + _PAD, tuple(frames), tuple(boxes), tuple(arrows))
