"""SPDX 2 tag-value, RDF/XML, XML and XLSX: parse, convert to the JSON shape, read once.

Each encoding is turned into the dict shape of SPDX 2 JSON and handed to
:func:`~sbomscan.ingest.spdx2.dict.read_spdx2_dict`, so there is one mapping from SPDX 2 to the
model whatever the encoding:

- **tag-value**, in lenient mode (the default), is read by sbomscan's line-based reader
  (:mod:`sbomscan.ingest.spdx2.tagvalue`), which gives the same dict as spdx-tools for
  every document spdx-tools accepts and reads on where it would refuse; in strict mode it
  is parsed and validated by spdx-tools (the SPDX project's Python library) and converted
  with spdx-tools' own JSON converter (``spdx_tools.spdx.jsonschema``);
- **RDF/XML** is parsed into a graph by rdflib, read by spdx-tools and converted the same way;
  in lenient mode a graph spdx-tools refuses is read by sbomscan's own RDF reader
  (:mod:`sbomscan.ingest.spdx2.rdf`, which builds the same dict for every document
  spdx-tools accepts), and the document says so in a ``spdx-tools-refused`` warning with
  spdx-tools' first messages;
- **XML** is the JSON structure spelt in elements, so it is read with xmltodict the way
  spdx-tools does it (single items become lists for the list-valued fields) and the dict is
  read directly — leniently, as JSON is; strict mode hands the same dict to spdx-tools;
- **XLSX** has no reader in spdx-tools 0.8; :mod:`sbomscan.ingest.spdx2.xlsx` reads the
  SPDX spreadsheet layout with openpyxl.

XML and RDF/XML are first checked with defusedxml: a DTD, an entity declaration or an
external reference is refused before any other parser sees the bytes, so neither entity
expansion ("billion laughs") nor external entities (XXE) can happen.

spdx-tools refuses a document at the first rule it breaks (it has no lenient mode): a
tag-value or RDF document it refuses is refused in strict mode, as
:class:`~sbomscan.errors.MalformedSbomError` with its messages. Lenient mode reads both on:
tag-value never goes to spdx-tools, RDF goes to sbomscan's RDF reader when spdx-tools
refuses. RDF/XML that rdflib cannot parse is refused in either mode.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ...errors import MalformedSbomError
from ...model import Diagnostic, Document, Severity
from .dict import read_spdx2_dict
from .strict import raise_parsing_error, stable_message, validate_dict, validate_model

__all__ = [
    "read_rdf_xml",
    "read_tag_value",
    "read_tag_value_fast",
    "read_tag_value_spdx_tools",
    "read_xml",
    "tag_value_text",
]

_VERSION_LINE = re.compile(r"^[ \t]*SPDXVersion[ \t]*:[ \t]*(\S+)", re.MULTILINE)
_REL_LINE = re.compile(r"[ \t]*Relationship(?:Comment)?[ \t]*:")
_TEXT_OPEN = re.compile(r"[^:\n]*:\s*<text>|\s*<text>")
"""Where spdx-tools' lexer starts a ``<text>`` value: right after a tag's ``:`` (spaces
allowed), or at the start of the line after a tag with nothing after its ``:``."""


# -- conversion of an spdx-tools Document --------------------------------------------------


def _to_dict(document: Any, source: str) -> dict[str, Any]:
    from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter

    try:
        converter: Any = DocumentConverter
        obj: dict[str, Any] = converter().convert(document)
    except Exception as exc:  # a model spdx-tools built but cannot convert back: refuse
        raise MalformedSbomError(
            source,
            f"spdx-tools could not convert the document: {type(exc).__name__}: {stable_message(str(exc))}",
        ) from None
    return obj


# -- tag-value -----------------------------------------------------------------------------


def _decode(data: bytes, source: str) -> str:
    text = data[3:] if data[:3] == b"\xef\xbb\xbf" else data
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = text[: exc.start].count(b"\n") + 1
        raise MalformedSbomError(source, f"not UTF-8 text: {exc.reason}", line=line) from None


def read_tag_value(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """The reader table's row ``spdx2-tag-value``: sbomscan's line-based reader in lenient
    mode, spdx-tools' parser and validator in strict mode."""
    text = tag_value_text(data, source)
    if strict:
        return read_tag_value_spdx_tools(text, source=source, sha256=sha256, strict=True)
    # The text is dropped once split, and the reader consumes the lines: neither is held
    # beside the dict built from them (each is about the size of the file again).
    lines = text.split("\n")
    del text
    return _read_lines_fast(lines, source=source, sha256=sha256)


def tag_value_text(data: bytes, source: str) -> str:
    """Tag-value bytes as the text both readers take: UTF-8 (a byte order mark dropped),
    CRLF line ends as LF (spdx-tools' lexer stumbles over CRLF inside values; line numbers
    stay the same). A document that says ``SPDXVersion: SPDX-3...`` is refused: SPDX 3 has
    no tag-value form."""
    text = _decode(data, source)
    if "\r" in text:  # a scan ten times quicker than replace()'s, for the usual text with none
        text = text.replace("\r\n", "\n")
    m = _VERSION_LINE.search(text)
    if m is not None and not m.group(1).upper().startswith("SPDX-2."):
        raise MalformedSbomError(
            source,
            f"SPDXVersion {m.group(1)!r}: only SPDX 2.x is written in tag-value",
            line=text[: m.start()].count("\n") + 1,
        )
    return text


def read_tag_value_fast(text: str, *, source: str, sha256: str) -> Document:
    """Lenient mode: sbomscan's line-based reader (:mod:`sbomscan.ingest.spdx2.tagvalue`),
    which reads what spdx-tools reads to the same document, much faster, and reads on where
    spdx-tools would refuse; what it could not read comes first among the diagnostics."""
    return _read_lines_fast(text.split("\n"), source=source, sha256=sha256)


def _read_lines_fast(lines: list[str], *, source: str, sha256: str) -> Document:
    """:func:`read_tag_value_fast` of the text's lines, consumed as they are read."""
    from .tagvalue import parse_lines

    tv = parse_lines(lines)
    doc = read_spdx2_dict(
        tv.obj, source=source, sha256=sha256, encoding="tag-value", strict=False, lines=tv.lines, consume=True
    )
    if tv.notes:
        doc = doc._replace(diagnostics=(*tv.notes, *doc.diagnostics))
    return doc


def read_tag_value_spdx_tools(text: str, *, source: str, sha256: str, strict: bool) -> Document:
    """Strict mode (and the reference the fast reader is tested against): spdx-tools'
    tag-value parser, its validator when ``strict``, its JSON converter, then the common
    reader. Raises :class:`~sbomscan.errors.MalformedSbomError` when spdx-tools refuses the
    document, with its messages and the line when one names it."""
    from .tagvalue import parse

    document = _parse_tag_value(text, source)
    if strict:
        validate_model(document, source=source)
    obj = _to_dict(document, source)
    lines = parse(text).lines  # the SPDXID lines, <text> blocks told apart
    return read_spdx2_dict(
        obj, source=source, sha256=sha256, encoding="tag-value", strict=strict, lines=lines, consume=True
    )


def _parse_tag_value(text: str, source: str) -> Any:
    """spdx-tools' Document of ``text``, or :class:`~sbomscan.errors.MalformedSbomError`.

    A syntax error is refused too. spdx-tools' grammar recovers from one silently (its
    ``p_error`` does nothing), and what the recovery drops depends on the tokens around it:
    a stray ``RelationshipComment`` can make it skip an unknown tag or a whole attribute
    and accept the rest. A validator that quietly reads less than the document says is no
    validator, so such a document is refused with the unexpected token and its line."""
    from ply import yacc  # type: ignore[import-untyped]
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.tagvalue.parser import Parser

    _share_licensing()
    moved = _relationships_last(text)
    syntax_errors: list[Any] = []
    try:
        parser_cls: Any = Parser
        parser = parser_cls(write_tables=False, debug=False, errorlog=yacc.NullLogger())
        parser.yacc.errorfunc = syntax_errors.append
        document = parser.parse(moved if moved is not None else text)
    except SPDXParsingError as exc:
        messages = list(exc.messages)
        if moved is not None:
            # line numbers are of the reordered text; say so rather than point wrongly
            messages = [re.sub(r"\bLine: \d+", "", str(x)).strip() for x in messages]
        raise_parsing_error(messages, source=source, what="spdx-tools could not parse the tag-value document")
        raise AssertionError("unreachable") from None
    except RecursionError:
        raise MalformedSbomError(source, "the tag-value document nests too deeply to parse") from None
    except Exception as exc:  # the ply grammar and spdx-tools' builders fail in their own ways
        raise MalformedSbomError(
            source,
            f"spdx-tools could not parse the tag-value document: {type(exc).__name__}: {stable_message(str(exc))}",
        ) from None
    if syntax_errors:
        tok = syntax_errors[0]
        what = "the end of the document" if tok is None else f"{tok.type} {str(tok.value)[:60]!r}"
        more = f" (and {len(syntax_errors) - 1} more)" if len(syntax_errors) > 1 else ""
        line = tok.lineno if tok is not None and moved is None else None
        raise MalformedSbomError(
            source,
            f"spdx-tools' tag-value grammar met {what} where it does not belong{more}; "
            "it would skip what it cannot place",
            line=line,
        )
    return document


def _share_licensing() -> None:
    """Make spdx-tools' tag-value parser reuse one licence index.

    spdx-tools 0.8's tag-value grammar calls ``license_expression.get_spdx_licensing()`` for
    every licence field, which rebuilds the whole SPDX licence index each time (about 0.1 s
    a call: 20 s for a 160-file document). The rest of spdx-tools already shares one index
    (``spdx_tools.common.spdx_licensing``); pointing the tag-value module at it gives the
    same results at a fraction of the cost.
    """
    from spdx_tools.common.spdx_licensing import spdx_licensing
    from spdx_tools.spdx.parser.tagvalue import parser as tv

    if getattr(tv, "get_spdx_licensing", None) is not _shared:
        _SHARED[:] = [spdx_licensing]
        setattr(tv, "get_spdx_licensing", _shared)  # noqa: B010


_SHARED: list[Any] = []


def _shared() -> Any:
    return _SHARED[0]


def _relationships_last(text: str) -> str | None:
    """The text with every ``Relationship:`` line moved to the end, or ``None`` when there
    is nothing to move.

    spdx-tools closes the current package or file when it meets a relationship, so a
    document that writes a package's relationships in the middle of the package (real
    tools do: Source Auditor writes ``Relationship:`` before ``FilesAnalyzed:``) is
    refused for the package's remaining tags. Relationships mean the same wherever they
    stand, so moving them changes nothing else. ``<text>`` blocks are kept intact. Lines are
    told apart as spdx-tools' lexer does: by ``\\n`` only, a tag possibly indented and with
    spaces before its ``:``, a ``<text>`` value only where a value starts.
    """
    if "Relationship" not in text:
        return None
    keep: list[str] = []
    rels: list[str] = []
    target = keep
    in_text = False
    moved_before_other = False
    lines = text.split("\n")
    for k, bare in enumerate(lines):
        line = bare + "\n" if k < len(lines) - 1 else bare
        if in_text:  # a multi-line <text> value stays with the tag it belongs to
            target.append(line)
            if "</text>" in line:
                in_text = False
            continue
        stripped = line.lstrip()
        if _REL_LINE.match(line):
            target = rels
        else:
            target = keep
            if rels and stripped and not stripped.startswith("#"):
                moved_before_other = True
        target.append(line)
        m = _TEXT_OPEN.match(line)
        if m is not None and "</text>" not in line[m.end() :]:
            in_text = True
    if not moved_before_other:
        return None
    if keep and not keep[-1].endswith("\n"):
        keep[-1] += "\n"
    return "".join(keep) + "".join(rels)


# -- XML and RDF/XML -----------------------------------------------------------------------


def _refuse_dtd(data: bytes, source: str) -> None:
    """Parse once with defusedxml, forbidding DTDs, entities and external references."""
    import xml.etree.ElementTree as ET

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedSbomError(
            source, f"XML with a DTD, entity declarations or external references is refused ({exc})"
        ) from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise MalformedSbomError(source, f"invalid XML: {exc}", line=line, column=column) from None
    except (ValueError, RecursionError) as exc:
        raise MalformedSbomError(source, f"invalid XML: {exc}") from None


def read_rdf_xml(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """The reader table's row ``spdx2-rdf-xml``: rdflib's graph (after the defusedxml check),
    read by spdx-tools; in lenient mode a graph spdx-tools refuses is read by
    :mod:`sbomscan.ingest.spdx2.rdf` instead, with a ``spdx-tools-refused`` warning that
    gives spdx-tools' first messages."""
    from rdflib import Graph

    _refuse_dtd(data, source)
    graph = Graph()
    with _RDFLIB_LOG.capture() as messages:
        try:
            graph.parse(data=data, format="xml")
        except Exception as exc:  # rdflib raises many types for bad RDF/XML
            raise MalformedSbomError(
                source, f"invalid RDF/XML: {type(exc).__name__}: {stable_message(str(exc))}"
            ) from None
    doc = _read_rdf_graph(graph, source=source, sha256=sha256, strict=strict)
    if messages:
        said = messages[0]
        more = f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""
        note = Diagnostic(Severity.WARNING, "rdf-parser-warning", f"rdflib: {said}{more}")
        doc = doc._replace(diagnostics=(*doc.diagnostics, note))
    return doc


class _RdflibCapture(logging.Handler):
    """What rdflib logs while a thread parses RDF/XML (a literal that does not fit its
    datatype is logged with a whole traceback), collected for that thread alone, to become
    one diagnostic of that thread's document instead of reaching the user's terminal
    through Python's last-resort handler.

    One handler on the ``rdflib`` logger serves every thread, there only while at least one
    thread captures (a count under a lock). A logger calls its handlers in the thread that
    logs, so each record is filed under that thread: parses running side by side never see
    each other's warnings, and records of threads that are not capturing go on untouched.
    A captured record is then marked below every level (``levelno`` -1), so the handlers
    above (the root's, and the last-resort one), which each compare it with their own
    level, pass it by. Nothing global is switched: not ``propagate``, not a level, not
    ``disabled`` — whatever happens in other threads, rdflib's logging ends as it was.
    The handler list is replaced, never changed in place, so a record being handed round
    in another thread meanwhile still reaches every other handler.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._logger = logging.getLogger("rdflib")
        self._captures: dict[int, list[str]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def capture(self) -> Iterator[list[str]]:
        """Collect the first line of every warning rdflib logs in this thread meanwhile."""
        messages: list[str] = []
        ident = threading.get_ident()
        with self._lock:
            outer = self._captures.get(ident)
            if not self._captures:
                self._logger.handlers = [*self._logger.handlers, self]
            self._captures[ident] = messages
        try:
            yield messages
        finally:
            with self._lock:
                if outer is not None:
                    self._captures[ident] = outer
                else:
                    del self._captures[ident]
                if not self._captures:
                    self._logger.handlers = [h for h in self._logger.handlers if h is not self]

    def handle(self, record: logging.LogRecord) -> bool:
        """File a record of a capturing thread and hide it from the handlers above (no
        handler lock: nothing shared changes but that thread's own list)."""
        messages = self._captures.get(threading.get_ident())
        if messages is None:
            return False
        if record.levelno >= logging.WARNING and len(messages) < 1000:
            messages.append((record.getMessage().splitlines() or [""])[0][:300])
        record.levelno = -1
        return True

    def emit(self, record: logging.LogRecord) -> None:  # pragma: no cover - handle() does it all
        self.handle(record)


_RDFLIB_LOG = _RdflibCapture()


def _read_rdf_graph(graph: Any, *, source: str, sha256: str, strict: bool) -> Document:
    """The parsed graph, read as :func:`read_rdf_xml` says."""
    try:
        document = _rdf_document(graph, source)
        if strict:
            validate_model(document, source=source)
        obj = _to_dict(document, source)
    except MalformedSbomError as exc:
        if strict:
            raise
        from .rdf import read_rdf_graph

        said = exc.reason.removeprefix(_RDF_REFUSED).removeprefix("spdx-tools ")
        why = Diagnostic(
            Severity.WARNING,
            "spdx-tools-refused",
            f"spdx-tools refused the RDF document ({said}); it was read by sbomscan's lenient "
            "RDF reader instead, which reads what is there and leaves out what it cannot read",
        )
        return read_rdf_graph(graph, source=source, sha256=sha256, before=(why,))
    return read_spdx2_dict(obj, source=source, sha256=sha256, encoding="rdf-xml", strict=strict, consume=True)


_RDF_REFUSED = "spdx-tools could not read the RDF document: "


def _rdf_document(graph: Any, source: str) -> Any:
    """spdx-tools' Document of an RDF graph, or :class:`~sbomscan.errors.MalformedSbomError`
    with its first messages.

    spdx-tools 0.8 ends the process (``sys.exit(1)``, after logging) when the graph has no
    single ``spdx:SpdxDocument`` node named ``<namespace>#<SPDXID>``; such a graph is refused
    here before spdx-tools sees it."""
    from rdflib import RDF, URIRef
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.rdf.rdf_parser import translate_graph_to_document

    docs = list(graph.subjects(RDF.type, URIRef("http://spdx.org/rdf/terms#SpdxDocument")))
    if len(docs) != 1:
        raise MalformedSbomError(
            source, f"{_RDF_REFUSED}{'more than one' if docs else 'no'} spdx:SpdxDocument node"
        )
    if not isinstance(docs[0], URIRef) or not str(docs[0]).partition("#")[0] or "#" not in docs[0]:
        raise MalformedSbomError(
            source,
            f"{_RDF_REFUSED}the spdx:SpdxDocument node {str(docs[0])[:200]!r} is not named "
            "<namespace>#<SPDXID>",
        )
    try:
        return translate_graph_to_document(graph)
    except SPDXParsingError as exc:
        raise_parsing_error(list(exc.messages), source=source, what=_RDF_REFUSED[:-2])
        raise AssertionError("unreachable") from None
    except (Exception, SystemExit) as exc:  # spdx-tools' own failures on odd graphs
        raise MalformedSbomError(
            source, f"{_RDF_REFUSED}{type(exc).__name__}: {stable_message(str(exc))}"
        ) from None


def read_xml(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """The reader table's row ``spdx2-xml``: the JSON structure spelt in elements, read with
    xmltodict (after the defusedxml check) the way spdx-tools reads it, then as a dict."""
    import xmltodict  # type: ignore[import-untyped]
    from spdx_tools.spdx.parser.xml.xml_parser import _fix_list_like_fields

    _refuse_dtd(data, source)
    try:
        parsed = xmltodict.parse(data, disable_entities=True)
    except Exception as exc:  # expat errors, and xmltodict's own
        raise MalformedSbomError(source, f"invalid XML: {exc}") from None
    if not isinstance(parsed, dict) or len(parsed) != 1:
        raise MalformedSbomError(source, "an SPDX XML document has one root element")
    ((root_name, body),) = parsed.items()
    if not isinstance(body, dict):
        raise MalformedSbomError(source, f"the root element <{root_name}> is empty")
    try:
        obj = _fix_list_like_fields(body)
    except RecursionError:
        raise MalformedSbomError(source, "the XML document nests too deeply") from None
    if strict:
        validate_dict(obj, source=source)
    return read_spdx2_dict(obj, source=source, sha256=sha256, encoding="xml", strict=strict, consume=True)
