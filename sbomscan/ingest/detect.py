"""Tell the encoding of an SBOM from its content: the key of its row in the reader table
(:data:`~sbomscan.ingest.readers.READERS`).

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
from .jsondecode import decode_json

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")
_XMLNS = re.compile(rb"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']""")
_TAG_VALUE = re.compile(rb"^[ \t]*SPDXVersion[ \t]*:", re.MULTILINE)
_YAML_SPDX = re.compile(rb"^[ \t]*(?:- +)?[\"']?spdxVersion[\"']?[ \t]*:", re.MULTILINE)
_NOT_BLANK = re.compile(rb"[^ \t\r\n]")
_START_TAG = re.compile(rb"""<[^\s>/]+(?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")

CDX_XML_NS = "http://cyclonedx.org/schema/bom/"
SPDX3_CONTEXT = "spdx.org/rdf/3"


def detect(data: bytes, *, source: str) -> tuple[str, Any]:
    """The encoding of ``data``, as its key in :data:`~sbomscan.ingest.readers.READERS`, and
    what that reader takes: the decoded JSON value for JSON encodings (decoded here, once),
    else the bytes as UTF-8.

    No fixed window decides: the first byte that is not blank, however far in, tells JSON
    from XML from text; the XML root element is found past any prolog; the tag-value and
    YAML markers and the SPDX RDF namespace are searched for in the whole input (these
    searches scan, never backtrack, so they cost little beside the read itself). Raises
    :class:`~sbomscan.errors.UnsupportedFormatError` when nothing fits, saying what was seen.
    """
    data = to_utf8(data, source=source)
    m = _NOT_BLANK.search(data)
    if m is None:
        raise UnsupportedFormatError(
            source, "the input is empty" if not data else "the input is only blank space"
        )
    start = m.start()
    first = data[start : start + 1]
    if first in (b"{", b"["):
        obj = _decode_json(data, source=source)
        return _json_key(obj, source=source), obj
    if first == b"<":
        return _xml_key(data, start, source=source), data
    return _binary_or_text_key(data, start, source=source), data


def _binary_or_text_key(data: bytes, start: int, *, source: str) -> str:
    """The key of input that is neither JSON nor XML: a spreadsheet, tag-value or YAML."""
    if data[:4] == b"PK\x03\x04":
        zkind = zip_kind(data)
        if zkind == "damaged":
            raise MalformedSbomError(
                source, "a damaged ZIP file (neither a readable XLSX workbook nor archive)"
            )
        if zkind == "zip":
            raise UnsupportedFormatError(
                source,
                "a ZIP archive, not an SPDX spreadsheet: scan the archive (sbomscan scan reads ZIP and tar "
                "files as folders) rather than load() it as one document",
            )
        return "spdx2-xlsx"
    if data[:8] == OLE2_MAGIC:
        return "spdx2-xls"
    kind = binary_kind(data[:_SNIFF])
    if kind is not None and kind != "binary data":
        raise UnsupportedFormatError(source, f"looks like {kind} — not CycloneDX or SPDX")
    if _TAG_VALUE.search(data, start):
        return "spdx2-tag-value"
    if _YAML_SPDX.search(data, start):
        return "spdx2-yaml"
    if kind is not None:
        raise UnsupportedFormatError(source, "binary data — not CycloneDX or SPDX")
    raise UnsupportedFormatError(
        source, "text with no SPDXVersion (tag-value) or spdxVersion (YAML) line — not CycloneDX or SPDX"
    )


_SNIFF = 8192
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"%PDF-", "a PDF document"),
    (0, b"\x7fELF", "an ELF executable"),
    (0, b"PK\x03\x04", "a ZIP archive"),
    (0, b"PK\x05\x06", "an empty ZIP archive"),
    (0, b"\x1f\x8b", "gzip data"),
    (0, b"BZh", "bzip2-compressed data"),
    (0, b"\xfd7zXZ\x00", "xz-compressed data"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, OLE2_MAGIC, "a legacy Office (OLE2) file"),
    (257, b"ustar", "a tar archive"),
)
COMPRESSED_KINDS = frozenset(
    {
        "bzip2-compressed data",
        "xz-compressed data",
        "a 7-Zip archive",
        "zstd-compressed data",
        "a RAR archive",
    }
)
"""Binary kinds that may hold anything, an SBOM included, but that sbomscan does not open."""


def binary_kind(sample: bytes) -> str | None:
    """What ``sample`` (the first bytes of an input) looks like if it is not text, in words.

    Told by the signature of common file types, else by a zero byte, which no text SBOM
    holds once UTF-16 and UTF-32 are re-encoded (:func:`to_utf8`). ``None`` for text.

    >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
    'a PNG image'
    >>> binary_kind(b"\\x00" * 16)
    'binary data'
    >>> binary_kind(b'{"bomFormat": "CycloneDX"}') is None
    True
    """
    for offset, magic, kind in _MAGIC:
        if sample[offset : offset + len(magic)] == magic:
            return kind
    return "binary data" if b"\x00" in sample else None


def looks_binary(sample: bytes) -> bool:
    """True when ``sample`` is binary data that no SBOM format starts with: not gzip, ZIP,
    tar or OLE2 (which may hold SBOMs), and not UTF-16/32 text."""
    kind = binary_kind(sample)
    if kind is None or kind in {"gzip data", "a ZIP archive", "a tar archive", "a legacy Office (OLE2) file"}:
        return False
    return _wide_encoding(sample) is None


def describe_binary(sample: bytes) -> str:
    """``"looks like a PNG image"``, ``"binary data"``: never the bytes themselves."""
    kind = binary_kind(sample) or "binary data"
    return kind if kind == "binary data" else f"looks like {kind}"


def zip_kind(data: bytes) -> str:
    """What the ZIP file ``data`` is: ``"xlsx"`` (an Excel workbook: it has
    ``xl/workbook.xml``, or an Office ``[Content_Types].xml`` and parts under ``xl/``), ``"zip"`` (an archive of other files, a bundle) or ``"damaged"``
    (its central directory cannot be read). Reads the central directory only."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return "damaged"
    workbook = "xl/workbook.xml" in names or (
        "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
    )
    return "xlsx" if workbook else "zip"


_SBOM_MARKERS = re.compile(
    rb"bomFormat|cyclonedx\.org/schema|spdxVersion|SPDXVersion|SPDXRef-|spdx\.org/rdf|spdx\.org/spdxdocs"
)


def sbom_markers(data: bytes) -> str | None:
    """The family whose marker ``data`` carries (``"CycloneDX"`` or ``"SPDX"``), or ``None``.

    A marker is a key or namespace only an SBOM has (``bomFormat``, ``spdxVersion``,
    ``SPDXRef-``, the CycloneDX and SPDX namespaces), searched anywhere in the input; it
    tells a damaged SBOM, which leaves the check incomplete, from a README or an image,
    which is only listed.

    >>> sbom_markers(b'garbage{"bomFormat": "CycloneDX"}')
    'CycloneDX'
    >>> sbom_markers(b"# Release notes") is None
    True
    """
    m = _SBOM_MARKERS.search(data)
    if m is None:
        return None
    token = m.group(0)
    return "CycloneDX" if token in (b"bomFormat", b"cyclonedx.org/schema") else "SPDX"


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


def _decode_json(data: bytes, *, source: str) -> Any:
    return decode_json(data, source=source)  # detect has taken any byte order mark off (to_utf8)


_JSON_KEYS = {"cyclonedx": "cyclonedx-json", "spdx2": "spdx2-json", "spdx3": "spdx3-jsonld"}


def _json_key(obj: Any, *, source: str) -> str:
    kind = json_kind(obj)
    if kind is not None:
        return _JSON_KEYS[kind]
    if isinstance(obj, dict) and "bomFormat" in obj:
        raise UnsupportedFormatError(
            source,
            f"JSON object whose bomFormat is {obj['bomFormat']!r}, not 'CycloneDX' — not CycloneDX or SPDX",
        )
    raise UnsupportedFormatError(
        source, f"{describe_json(obj)} with no bomFormat, spdxVersion or @context key — not CycloneDX or SPDX"
    )


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
    """A short description of a JSON value for messages: its shape, never its content (the
    value may be anything, a file of secrets included).

    >>> describe_json({"name": "x", "version": "1", "dependencies": {}})
    'a JSON object of 3 keys'
    >>> describe_json([1, 2])
    'a JSON array of 2 items'
    """
    if isinstance(obj, dict):
        return (
            f"a JSON object of {len(obj)} key{'' if len(obj) == 1 else 's'}"
            if obj
            else "an empty JSON object"
        )
    if isinstance(obj, list):
        return f"a JSON array of {len(obj)} items"
    return f"a JSON {type(obj).__name__}"


_SPDX2_XML_ROOTS = frozenset({"Document", "SpdxDocument", "SPDXDocument", "spdxDocument"})


def _xml_key(data: bytes, start: int, *, source: str) -> str:
    found = _xml_root(data, start)
    root = found[0] if found else None
    tag = _START_TAG.match(data, found[1]) if found else None
    namespaces = [m.decode("utf-8", "replace") for m in _XMLNS.findall(tag.group(0))] if tag else []
    if root == "bom":
        # A <bom> with a foreign or missing namespace: the reader reports the exact problem.
        return "cyclonedx-xml"
    if root == "RDF" and data.find(b"spdx.org/rdf/terms", start) >= 0:
        return "spdx2-rdf-xml"
    if root in _SPDX2_XML_ROOTS:
        return "spdx2-xml"
    if any(ns.startswith(CDX_XML_NS) for ns in namespaces):
        raise MalformedSbomError(source, "XML in the CycloneDX namespace whose root element is not <bom>")
    what = (
        "RDF/XML without the SPDX namespace"
        if root == "RDF"
        else "XML whose root element is not <bom>, <rdf:RDF> or an SPDX <Document>"
    )
    raise UnsupportedFormatError(source, f"{what} — not CycloneDX or SPDX")


def _xml_root(data: bytes, pos: int) -> tuple[str, int] | None:
    """The local name and offset of the first element, past the prolog, comments,
    processing instructions and doctype, wherever it is."""
    n = len(data)
    while pos < n:
        lt = data.find(b"<", pos)
        if lt < 0:
            return None
        nxt = data[lt + 1 : lt + 2]
        if nxt in (b"?", b"!"):
            if data[lt : lt + 4] == b"<!--":
                close = data.find(b"-->", lt + 4)
                end = close + 3 if close >= 0 else 0  # unterminated comment: give up, do not loop
            else:
                end = data.find(b">", lt) + 1
            if end <= 0:
                return None
            pos = end
            continue
        m = _XML_ROOT.match(data, lt)
        return (m.group(1).decode("utf-8", "replace"), lt) if m else None
    return None
