"""Line and column of a JSON pointer in the text it points into.

Readers record where each component is written: XML and tag-value readers know the line,
JSON and YAML readers know the JSON pointer (``/components/3/components/0``), because the
fast decoders they use keep no positions. A person opening the file, and a code-scanning UI
placing an annotation (GitHub shows a SARIF result only where it has ``region.startLine``),
need the line. So, for the few components that become findings, the pointers are looked up
again in the original text by :func:`json_positions` (one pass over the tokens, stopping when
every pointer is found) or :func:`yaml_positions`.

>>> text = b'{"components": [\\n  {"name": "a"},\\n  {"name": "b", "components": [{"name": "c"}]}\\n]}'
>>> json_positions(text, ["/components/1/components/0", "/components/0", "/nope"])
{'/components/0': (2, 3), '/components/1/components/0': (3, 32)}
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable

import orjson

from .errors import SbomscanError
from .ingest import DEFAULT_MAX_BYTES, read_bytes
from .ingest.detect import to_utf8
from .report.model import Report, line_of_pointer

__all__ = ["LOCATE_MAX_BYTES", "json_positions", "line_of_pointer", "locate_report", "yaml_positions"]

# Both patterns are used anchored (``match`` at the end of the previous match), so text
# that does not tokenise stops the scan instead of being searched again from every byte.
_TOKEN = re.compile(rb'[^"{}\[\]:,]*("[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,])', re.DOTALL)
# "normal* (string normal*)* bracket", unrolled so that no two quantifiers compete for
# the same text (no catastrophic backtracking)
_BRACKET = re.compile(rb'[^"{}\[\]]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"{}\[\]]*)*([{}\[\]])', re.DOTALL)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _key(token: bytes) -> str:
    if b"\\" in token:
        try:
            value = orjson.loads(token)
        except orjson.JSONDecodeError:
            return token[1:-1].decode("utf-8", "replace")
        return value if isinstance(value, str) else ""
    return token[1:-1].decode("utf-8", "replace")


def _positions(text: bytes, offsets: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Byte offsets -> (line, column), both 1-based, the column counted in characters.

    One pass in offset order: lines are counted, and characters decoded, only between one
    offset and the next, never again from the start. A minified SBOM is one line of
    hundreds of megabytes; decoding it from its start for each of fifty findings took
    longer than the whole rest of a scan. Offsets are those of ASCII brackets, so every
    piece decoded starts and ends on a character boundary."""
    out: dict[str, tuple[int, int]] = {}
    line, column, pos = 1, 1, 0  # the line and column of byte ``pos``
    for pointer, offset in sorted(offsets.items(), key=lambda kv: kv[1]):
        newlines = text.count(b"\n", pos, offset)
        if newlines:
            line += newlines
            start = text.rfind(b"\n", pos, offset) + 1
            column = len(text[start:offset].decode("utf-8", "replace")) + 1
        else:
            column += len(text[pos:offset].decode("utf-8", "replace"))
        pos = offset
        out[pointer] = (line, column)
    return out


def json_positions(text: bytes, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Where each JSON pointer's value starts in ``text`` (UTF-8 JSON): ``{pointer: (line,
    column)}`` for the pointers that exist; the others are left out. Only objects and arrays
    are located (a component is always an object), and the root ``""`` is never reported.

    ``text`` is meant to be a document that has already been parsed (as every loaded SBOM
    has); on malformed text it never raises and reports what it found before the text
    stopped making sense. One pass over the structural tokens, skipping containers that
    hold nothing wanted at C speed, and stopping as soon as every pointer is found: on a
    100,000-component CycloneDX file, locating its last component takes about as long as
    ``orjson.loads`` of the file.
    """
    wanted = {p for p in pointers if p.startswith("/")}
    if not wanted:
        return {}
    # the proper prefixes of wanted pointers: any other container is skipped whole
    prefixes = {p[:i] for p in wanted for i in range(len(p)) if p[i] == "/"}
    found: dict[str, int] = {}
    # one frame per open container: [is_array, current segment, the container's pointer]
    stack: list[list[object]] = []
    expect_key = False
    match = _TOKEN.match
    m = match(text)
    while m is not None:
        tok = m.group(1)
        c = tok[:1]
        nxt = m.end()
        if c == b'"':
            if expect_key and stack:
                stack[-1][1] = _escape(_key(tok))
                expect_key = False
        elif c == b",":
            if stack:
                top = stack[-1]
                if top[0]:
                    top[1] = int(top[1]) + 1  # type: ignore[call-overload]
                else:
                    expect_key = True
        elif c in (b"{", b"["):
            here = f"{stack[-1][2]}/{stack[-1][1]}" if stack else ""
            if here in wanted and here not in found:
                found[here] = m.start(1)
                if len(found) == len(wanted):
                    break
            if here and here not in prefixes:
                end = _close(text, nxt)
                if end is None:
                    break
                nxt = end
            else:
                stack.append([c == b"[", 0 if c == b"[" else "", here])
                expect_key = c == b"{"
        elif c in (b"}", b"]"):
            if stack:
                stack.pop()
            expect_key = False
        m = match(text, nxt)
    return _positions(text, found)


def _close(text: bytes, start: int) -> int | None:
    """The offset just past the bracket that closes a container opened before ``start``.
    Each match of :data:`_BRACKET` swallows strings and other text in C and stops at one
    bracket, so skipping costs one Python step per bracket, not per token."""
    depth = 1
    match = _BRACKET.match
    n = match(text, start)
    while n is not None:
        if n.group(1) in (b"{", b"["):
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return n.end()
        n = match(text, n.end())
    return None


def yaml_positions(text: bytes, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Like :func:`json_positions` for YAML (SPDX 2 YAML), through PyYAML's event marks.
    Malformed or hostile YAML gives ``{}``: the reader has already refused or read it, and
    a missing line is not worth an error.

    The parser's events are walked as they come, keeping only the path to the current
    value, rather than composing the file's node tree: that tree takes about eight times
    the document's own memory, which made this lookup the peak of a whole YAML scan
    (issue 9; docs/performance.md, "Memory"). A file with aliases is composed as before,
    since an alias stands for a node written elsewhere.

    >>> yaml_positions(b"packages:\\n- name: a\\n- name: b\\n", ["/packages/1", "/nope"])
    {'/packages/1': (3, 3)}
    """
    import yaml

    wanted = {p for p in pointers if p.startswith("/")}
    if not wanted:
        return {}
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return _walk_events(yaml.parse(text, Loader=loader_cls), wanted)
    except _HasAlias:
        return _composed_positions(text, wanted)
    except (yaml.YAMLError, ValueError):
        return {}


class _HasAlias(Exception):
    """An alias event: the value it stands for is written elsewhere in the file."""


class _Frame:
    """One open mapping or sequence: its pointer (``None`` when no wanted pointer is at or
    below it), and where its next value goes (the next index, or the key just read)."""

    __slots__ = ("index", "key", "mapping", "path", "want_key")

    def __init__(self, path: str | None, mapping: bool) -> None:
        self.path, self.mapping = path, mapping
        self.index, self.want_key = 0, True
        self.key: str | None = None


def _walk_events(events: Iterable[object], wanted: set[str]) -> dict[str, tuple[int, int]]:
    """The start of each wanted mapping or sequence, from one pass over the parser's events.

    The first occurrence in document order wins when a mapping repeats a key, as the node
    walk it replaces gave; a value under a key that is not a scalar is not looked into.
    """
    import yaml

    prefixes = {p[:i] for p in wanted for i in range(len(p) + 1) if i == len(p) or p[i] == "/"}
    out: dict[str, tuple[int, int]] = {}
    stack: list[_Frame] = []
    documents = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            raise _HasAlias
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:  # compose() refuses a stream of several documents
                return {}
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            continue
        path = _place(stack, event, prefixes)
        if isinstance(event, yaml.ScalarEvent):
            continue
        mark = event.start_mark
        if path is not None and path in wanted and path not in out and mark is not None:
            out[path] = (mark.line + 1, mark.column + 1)
        stack.append(_Frame(path, isinstance(event, yaml.MappingStartEvent)))
    return out


def _place(stack: list[_Frame], event: object, prefixes: set[str]) -> str | None:
    """The pointer of the value ``event`` starts, or ``None`` when it is a key or no wanted
    pointer is at or below it; advances the enclosing frame past it."""
    import yaml

    if not stack:
        return ""
    frame = stack[-1]
    if frame.mapping and frame.want_key:
        frame.want_key = False
        frame.key = event.value if isinstance(event, yaml.ScalarEvent) else None
        return None
    if frame.mapping:
        frame.want_key, segment = True, None if frame.key is None else _escape(frame.key)
    else:
        segment, frame.index = str(frame.index), frame.index + 1
    if frame.path is None or segment is None:
        return None
    path = f"{frame.path}/{segment}"
    return path if path in prefixes else None


def _composed_positions(text: bytes, wanted: set[str]) -> dict[str, tuple[int, int]]:
    """:func:`yaml_positions` through the composed node tree, for a file with aliases."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except (yaml.YAMLError, RecursionError, ValueError):
        return {}
    out: dict[str, tuple[int, int]] = {}
    todo: list[tuple[str, object]] = [("", node)]
    while todo:
        here, n = todo.pop()
        if here in wanted and isinstance(n, (yaml.MappingNode, yaml.SequenceNode)):
            mark = n.start_mark
            out[here] = (mark.line + 1, mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    child = f"{here}/{_escape(str(k.value))}"
                    if any(p == child or p.startswith(child + "/") for p in wanted):
                        todo.append((child, v))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                child = f"{here}/{i}"
                if any(p == child or p.startswith(child + "/") for p in wanted):
                    todo.append((child, v))
    return out


LOCATE_MAX_BYTES = 64 * 1024**2
"""Largest JSON/YAML file read again for line numbers by default (64 MiB, about 100,000
components). Looking pointers up costs about one raw parse of the file; above this size the
findings keep their JSON pointer only, so that a full scan of a huge SBOM stays within its
time budget."""


def locate_report(
    report: Report, *, max_bytes: int = DEFAULT_MAX_BYTES, max_file_bytes: int = LOCATE_MAX_BYTES
) -> Report:
    """``report`` with each finding's component given its line and column.

    Lines that a reader wrote into the location (XML, tag-value) are taken from it; JSON and
    YAML files are read again and their pointers looked up — only the files that hold a
    finding, no larger than ``max_file_bytes`` (compressed size), and only when the file still
    has the sha256 it was scanned with (a file that changed since, standard input and
    in-memory bytes are left without lines). A position is a convenience: nothing here
    raises for a file it cannot read.
    """
    wanted: dict[str, set[str]] = {}
    for f in report.findings:
        c = f.component
        if c.line is None and c.pointer and c.pointer.startswith("/") and "(line " not in c.pointer:
            wanted.setdefault(c.document, set()).add(c.pointer)
    infos = {d.path: d for d in report.documents}
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for path, pointers in sorted(wanted.items()):
        info = infos.get(path)
        if info is None or path.startswith("<") or not os.path.isfile(path):
            continue
        if os.path.getsize(path) > max_file_bytes:
            continue
        try:
            data, _label = read_bytes(path, max_bytes=max_bytes)
        except SbomscanError:
            continue
        if hashlib.sha256(data).hexdigest() != info.sha256:
            continue
        try:
            text = to_utf8(data, source=path)
        except SbomscanError:
            continue
        if info.encoding == "yaml":
            found[path] = yaml_positions(text, pointers)
        elif info.encoding in ("json", "json-ld", "jsonld"):
            found[path] = json_positions(text, pointers)
    findings = []
    for f in report.findings:
        c = f.component
        line, column = c.line, c.column
        if line is None and c.pointer:
            pos = found.get(c.document, {}).get(c.pointer)
            if pos is not None:
                line, column = pos
            else:
                line = line_of_pointer(c.pointer)
        if line != c.line or column != c.column:
            f = f._replace(component=c._replace(line=line, column=column))
        findings.append(f)
    return report._replace(findings=tuple(findings))
