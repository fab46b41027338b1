"""Tell the format of an SBOM from its content and hand it to the right reader.

Detection looks at the first bytes (``{``, ``<``, ``PK``, text) and, for JSON, at the
top-level keys of the one parse that the reader then reuses: a JSON document is never
decoded twice. When nothing fits, :class:`~sbomscan.errors.UnsupportedFormatError` says
what was seen, e.g. ``JSON object with keys name, version, dependencies — not CycloneDX
or SPDX``.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from ..errors import MalformedSbomError, UnsupportedFormatError
from ..model import Document

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")
_XMLNS = re.compile(rb"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']""")
_TAG_VALUE = re.compile(rb"^\s*SPDXVersion\s*:", re.MULTILINE)
_YAML_SPDX = re.compile(rb"^[\"']?spdxVersion[\"']?\s*:", re.MULTILINE)

CDX_XML_NS = "http://cyclonedx.org/schema/bom/"
SPDX3_CONTEXT = "spdx.org/rdf/3"


def read_document(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """Detect the format of ``data`` and read it with the matching reader."""
    data = to_utf8(data, source=source)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise UnsupportedFormatError(source, "the input is empty")
    first = head[:1]
    if first in (b"{", b"["):
        return _read_json(data, source=source, sha256=sha256, strict=strict)
    if first == b"<":
        return _read_xml(data, head, source=source, sha256=sha256, strict=strict)
    if head[:4] == b"PK\x03\x04":
        from .spdx2_tools import read_spdx_tools

        return read_spdx_tools(data, source=source, sha256=sha256, encoding="xlsx", strict=strict)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedFormatError(
            source,
            "legacy Excel 97-2003 (.xls, OLE2) workbook; SPDX spreadsheets are read only as "
            ".xlsx — re-save it as .xlsx",
        )
    if _TAG_VALUE.search(data[:65536]):
        from .spdx2_tools import read_spdx_tools

        return read_spdx_tools(data, source=source, sha256=sha256, encoding="tag-value", strict=strict)
    if _YAML_SPDX.search(data[:65536]):
        from .spdx2 import read_yaml

        return read_yaml(data, source=source, sha256=sha256, strict=strict)
    raise UnsupportedFormatError(source, f"{_describe_text(head)} — not CycloneDX or SPDX")


_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_ZERO_PATTERNS: dict[tuple[bool, ...], tuple[str, int]] = {
    (True, True, True, False): ("utf-32-be", 0),
    (False, True, True, True): ("utf-32-le", 0),
    (True, False, True, False): ("utf-16-be", 0),
    (False, True, False, True): ("utf-16-le", 0),
}
_XML_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2""")


def _wide_encoding(data: bytes) -> tuple[str, int] | None:
    """The UTF-16/32 encoding of ``data`` and the length of its byte order mark, by the BOM
    or, without one, by where the zero bytes of the first ASCII character fall (the rule
    RFC 4627 gave for JSON, which holds for XML and tag-value too)."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name, len(bom)
    zeros = tuple(x == 0 for x in data[:4])
    if len(zeros) < 4:
        return None
    return _ZERO_PATTERNS.get(zeros)


def to_utf8(data: bytes, *, source: str) -> bytes:
    """``data`` re-encoded as UTF-8 without a byte order mark when it is UTF-16 or UTF-32 (Windows PowerShell 5's
    ``>`` and ``Out-File`` write UTF-16LE with a byte order mark, so SBOMs saved that way
    are common); anything else is returned as it is. An XML declaration that names the
    old encoding is rewritten to say UTF-8, or the XML parser would refuse the text.

    >>> to_utf8('{"a": 1}'.encode("utf-16"), source="x")
    b'{"a": 1}'
    >>> to_utf8('<?xml version="1.0" encoding="UTF-16"?><bom/>'.encode("utf-16-be"), source="x")
    b'<?xml version="1.0" encoding="UTF-8"?><bom/>'
    >>> to_utf8(b'{"a": 1}', source="x")
    b'{"a": 1}'
    """
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:]  # a UTF-8 byte order mark: orjson, the tag-value and YAML tests refuse it
    found = _wide_encoding(data)
    if found is None:
        return data
    encoding, bom = found
    try:
        text = data[bom:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise MalformedSbomError(
            source,
            f"the input looks like {encoding.upper()} but byte {exc.start + bom} is not valid {encoding.upper()}",
        ) from None
    out = text.encode("utf-8", "surrogatepass")
    return _XML_DECL_ENCODING.sub(rb"\1\2UTF-8\2", out, count=1)


def _read_json(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]  # a UTF-8 byte order mark (Windows tools write one); orjson refuses it
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise MalformedSbomError(
            source, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    kind = json_kind(obj)
    if kind == "cyclonedx":
        from .cyclonedx_json import read_cyclonedx_json

        return read_cyclonedx_json(obj, source=source, sha256=sha256, strict=strict, consume=True)
    if kind == "spdx2":
        from .spdx2 import read_spdx2_dict

        return read_spdx2_dict(
            obj, source=source, sha256=sha256, encoding="json", strict=strict, consume=True
        )
    if kind == "spdx3":
        from .spdx3 import read_spdx3

        return read_spdx3(obj, data, source=source, sha256=sha256, strict=strict)
    if isinstance(obj, dict) and "bomFormat" in obj:
        raise UnsupportedFormatError(
            source,
            f"JSON object whose bomFormat is {obj['bomFormat']!r}, not 'CycloneDX' — not CycloneDX or SPDX",
        )
    raise UnsupportedFormatError(source, f"{describe_json(obj)} — not CycloneDX or SPDX")


def json_kind(obj: Any) -> str | None:
    """``"cyclonedx"``, ``"spdx2"``, ``"spdx3"`` or ``None`` for a decoded JSON value.

    >>> json_kind({"bomFormat": "CycloneDX", "specVersion": "1.5"})
    'cyclonedx'
    >>> json_kind({"spdxVersion": "SPDX-2.3"})
    'spdx2'
    >>> json_kind({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []})
    'spdx3'
    >>> json_kind({"name": "x"}) is None
    True
    """
    if not isinstance(obj, dict):
        return None
    if obj.get("bomFormat") == "CycloneDX":
        return "cyclonedx"
    schema = obj.get("$schema")
    if isinstance(schema, str) and "cyclonedx" in schema.lower():
        return "cyclonedx"
    if "spdxVersion" in obj or (isinstance(obj.get("SPDXID"), str) and "SPDXRef-DOCUMENT" in obj["SPDXID"]):
        return "spdx2"
    ctx = obj.get("@context")
    ctx_text = orjson.dumps(ctx).decode() if ctx is not None else ""
    if SPDX3_CONTEXT in ctx_text or (isinstance(obj.get("@graph"), list) and _looks_spdx3(obj["@graph"])):
        return "spdx3"
    return None


def _looks_spdx3(graph: list[Any]) -> bool:
    for item in graph[:50]:
        if (
            isinstance(item, dict)
            and isinstance(item.get("type"), str)
            and (item["type"] in {"SpdxDocument", "CreationInfo", "software_Package", "Relationship"})
        ):
            return True
    return False


def describe_json(obj: Any) -> str:
    """A short description of a JSON value for error messages.

    >>> describe_json({"name": "x", "version": "1", "dependencies": {}})
    'JSON object with keys name, version, dependencies'
    >>> describe_json([1, 2])
    'JSON array of 2 items'
    """
    if isinstance(obj, dict):
        keys = list(obj)[:8]
        more = ", …" if len(obj) > 8 else ""
        return (
            "JSON object with keys " + ", ".join(str(k) for k in keys) + more if keys else "empty JSON object"
        )
    if isinstance(obj, list):
        return f"JSON array of {len(obj)} items"
    return f"JSON {type(obj).__name__}"


def _read_xml(data: bytes, head: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    root = _xml_root_name(data)
    namespaces = [m.decode("utf-8", "replace") for m in _XMLNS.findall(data[:8192])]
    if any(ns.startswith(CDX_XML_NS) for ns in namespaces) and root == "bom":
        from .cyclonedx_xml import read_cyclonedx_xml

        return read_cyclonedx_xml(data, source=source, sha256=sha256, strict=strict)
    if root == "bom":
        from .cyclonedx_xml import read_cyclonedx_xml

        # A <bom> with a foreign or missing namespace: the reader reports the exact problem.
        return read_cyclonedx_xml(data, source=source, sha256=sha256, strict=strict)
    if root == "RDF" and any("spdx.org/rdf/terms" in ns for ns in namespaces):
        from .spdx2_tools import read_spdx_tools

        return read_spdx_tools(data, source=source, sha256=sha256, encoding="rdf-xml", strict=strict)
    if root in {"Document", "SpdxDocument", "SPDXDocument", "spdxDocument"}:
        from .spdx2_tools import read_spdx_tools

        return read_spdx_tools(data, source=source, sha256=sha256, encoding="xml", strict=strict)
    ns_text = f" in namespace {namespaces[0]}" if namespaces else ""
    raise UnsupportedFormatError(
        source, f"XML document with root element <{root or '?'}>{ns_text} — not CycloneDX or SPDX"
    )


def _xml_root_name(data: bytes) -> str | None:
    """The local name of the first element, skipping the prolog, comments and doctype."""
    pos = 0
    n = min(len(data), 65536)
    while pos < n:
        lt = data.find(b"<", pos, n)
        if lt < 0:
            return None
        nxt = data[lt + 1 : lt + 2]
        if nxt in (b"?", b"!"):
            if data[lt : lt + 4] == b"<!--":
                close = data.find(b"-->", lt, n)
                end = close + 3 if close >= 0 else 0  # unterminated comment: give up, do not loop
            else:
                end = data.find(b">", lt, n) + 1
            if end <= 0:
                return None
            pos = end
            continue
        m = _XML_ROOT.match(data, lt)
        return m.group(1).decode("utf-8", "replace") if m else None
    return None


def _describe_text(head: bytes) -> str:
    text = head[:60].decode("utf-8", "replace").splitlines()[0] if head else ""
    if not text.isprintable():
        return f"binary data starting with bytes {head[:8].hex(' ')}"
    return f"text starting {text!r}"
