"""The SPDX 2 spreadsheet (XLSX) layout, read into the SPDX 2 JSON shape.

spdx-tools 0.8 has no spreadsheet reader (the Java SPDX tools do), so this module reads the
layout of the SPDX 2.2/2.3 example spreadsheets with openpyxl: one sheet per kind of
element, a header row naming the columns, one element per row. ``Document Info`` is the
exception — one column per field, where list-valued fields (``Creator``, ``Document
Contents``) continue down their column. Columns are found by their header text, so extra
or reordered columns do not matter.

An ``.xlsx`` file is a zip archive: its declared uncompressed size is checked before
openpyxl opens it (a zip bomb is refused, not inflated), and openpyxl parses the XML inside
with defusedxml when it is installed, as it is here.
"""

from __future__ import annotations

import io
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ...errors import MalformedSbomError
from ...model import Document
from .dict import read_spdx2_dict
from .strict import validate_dict

__all__ = ["read_sheets", "read_xlsx", "read_xlsx_dict"]

MAX_UNCOMPRESSED = 512 * 1024 * 1024
"""Largest total uncompressed size of the workbook's parts."""
MAX_RATIO = 200
"""Largest compression ratio of the whole workbook (real spreadsheets stay far below)."""

_PACKAGE_COLUMNS = {
    "package name": "name",
    "spdx identifier": "SPDXID",
    "package version": "versionInfo",
    "package filename": "packageFileName",
    "package file name": "packageFileName",
    "package supplier": "supplier",
    "package originator": "originator",
    "home page": "homepage",
    "package download location": "downloadLocation",
    "license declared": "licenseDeclared",
    "license concluded": "licenseConcluded",
    "package copyright text": "copyrightText",
    "summary": "summary",
    "description": "description",
    "primary package purpose": "primaryPackagePurpose",
}
_FILE_COLUMNS = {
    "file name": "fileName",
    "spdx identifier": "SPDXID",
    "license concluded": "licenseConcluded",
    "file copyright text": "copyrightText",
    "file comment": "comment",
}
_SNIPPET_COLUMNS = {
    "id": "SPDXID",
    "name": "name",
    "from file id": "snippetFromFile",
    "license concluded": "licenseConcluded",
    "snippet copyright text": "copyrightText",
    "comment": "comment",
}


def _key(header: Any) -> str:
    return " ".join(str(header).split()).lower() if header is not None else ""


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value).strip()
    return text or None


def _check_zip(data: bytes, source: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise MalformedSbomError(source, f"not a readable XLSX (zip) file: {exc}") from None
    if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(len(data), 1):
        raise MalformedSbomError(
            source, f"the XLSX file would unpack to {total} bytes from {len(data)}: refused as a zip bomb"
        )


def _sheet_rows(ws: Any) -> Iterator[list[tuple[int, Any]]]:
    """Each row the sheet's XML holds, as its cells present: ``[(column number, value)]``.

    openpyxl's own row iteration (``iter_rows``, even in read-only mode) pads every row to
    the sheet's *declared* dimension and yields an empty row for every row number missing
    in between, so one cell at XFD1048576 makes a 5 kB file cost 16,384 × 1,048,576 steps a
    sheet (about a quarter of an hour). Here the work follows the cells present: openpyxl's
    sheet parser (the one its read-only worksheet uses) gives each ``<row>`` element's
    cells, values already converted as ``data_only`` read-only mode converts them.
    """
    present = getattr(ws, "rows_present", None)
    if present is not None:  # a legacy .xls sheet (spdx2/xls.py), read by xlrd the same way
        yield from present()
        return
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for _index, cells in parser.parse():
            # A cell written twice keeps its last value, and cells go left to right.
            yield sorted({c["column"]: c["value"] for c in cells}.items())


def _header(rows: Iterator[list[tuple[int, Any]]]) -> dict[int, str]:
    """The first row with any text in it, as {column number: header key}."""
    for row in rows:
        keys = {col: k for col, v in row if (k := _key(v))}
        if keys:
            return keys
    return {}


def _rows(ws: Any) -> Iterator[dict[str, str]]:
    """Each row after the header as {header key: text}, skipping empty rows."""
    it = _sheet_rows(ws)
    keys = _header(it)
    for row in it:
        out = {}
        for col, v in row:
            k = keys.get(col)
            t = _cell(v)
            if k and t is not None and k not in out:
                out[k] = t
        if out:
            yield out


def _checksums(text: str | None) -> list[dict[str, str]]:
    out = []
    for line in (text or "").splitlines():
        alg, sep, value = line.partition(":")
        if sep and alg.strip() and value.strip():
            out.append({"algorithm": alg.strip(), "checksumValue": value.strip()})
    return out


def read_xlsx(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """The reader table's row ``spdx2-xlsx``: an SPDX spreadsheet, read as its dict."""
    obj = read_xlsx_dict(data, source=source)
    return read_sheets(obj, source=source, sha256=sha256, encoding="xlsx", strict=strict)


def read_sheets(obj: dict[str, Any], *, source: str, sha256: str, encoding: str, strict: bool) -> Document:
    """The dict of a spreadsheet (``xlsx`` or ``xls``) read as SPDX 2, validated by
    spdx-tools first in strict mode."""
    if strict:
        validate_dict(obj, source=source)
    return read_spdx2_dict(obj, source=source, sha256=sha256, encoding=encoding, strict=strict, consume=True)


def read_xlsx_dict(data: bytes, *, source: str) -> dict[str, Any]:
    """The SPDX 2 JSON-shaped dict of an SPDX spreadsheet."""
    _check_zip(data, source)
    import openpyxl

    with _QUIET.here():  # "Workbook contains no default style", a date cell out of range...
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            raise MalformedSbomError(
                source, f"not a readable XLSX workbook: {type(exc).__name__}: {exc}"
            ) from None
        try:
            return sheets_dict(
                lambda: {_key(ws.title): ws for ws in wb.worksheets}, source=source, kind="XLSX"
            )
        finally:
            wb.close()


class _ThisThreadOnly:
    """A warnings filter that ignores every warning raised in a thread that is reading a
    workbook, and no other — thread-safe where ``warnings.catch_warnings`` is not.

    ``catch_warnings`` swaps the process's one list of filters and puts the old one back on
    exit: two threads reading spreadsheets side by side could leave "ignore everything"
    installed for the rest of the program, or drop a filter the user added meanwhile (and
    Python before 3.14 has no per-thread filters). Here one filter entry is put at the
    front of the list once and never taken out; its *module* pattern is this object, whose
    ``match`` (which the warnings machinery calls for every warning it filters) is true only
    in a thread inside :meth:`here`. Other threads' warnings pass it by to the filters
    behind it, at any time. If the entry was moved from the front (a filter added later, or
    the list reset), the next read puts it back first, so a user's ``error`` filter cannot
    turn openpyxl's remarks into a refused spreadsheet.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._entry = ("ignore", None, Warning, self, 0)

    def match(self, module: str) -> bool:
        """Whether a warning raised now, attributed to ``module``, is this thread's to hide."""
        return getattr(self._local, "depth", 0) > 0

    @contextmanager
    def here(self) -> Iterator[None]:
        """Hide every warning this thread raises meanwhile (nesting allowed)."""
        with self._lock:
            filters: list[Any] = warnings.filters  # type: ignore[assignment]  # a list at run time
            if not filters or filters[0] is not self._entry:
                if self._entry in filters:
                    filters.remove(self._entry)
                filters.insert(0, self._entry)  # any object with .match() serves as the module pattern
                getattr(warnings, "_filters_mutated", lambda: None)()  # the per-module "seen" caches
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            yield
        finally:
            self._local.depth -= 1


_QUIET = _ThisThreadOnly()


def sheets_dict(sheets: Callable[[], dict[str, Any]], *, source: str, kind: str) -> dict[str, Any]:
    """The SPDX 2 JSON-shaped dict of a workbook's sheets, which ``sheets()`` gives keyed by
    :func:`_key` of their titles. One home for the sheet layout and its errors, shared by the
    XLSX reader and the legacy ``.xls`` reader (:mod:`~sbomscan.ingest.spdx2.xls`), which only
    differ in how they open a workbook; ``kind`` names the workbook type in the error for a
    missing 'Document Info' sheet. Whatever else the workbook library raises while the
    sheets are listed or read is one :class:`MalformedSbomError` naming the file."""
    try:
        return _sheets_dict(sheets(), source=source, kind=kind)
    except MalformedSbomError:
        raise
    except Exception as exc:  # the workbook libraries raise many types for a broken sheet
        raise MalformedSbomError(
            source, f"could not read the SPDX spreadsheet: {type(exc).__name__}: {exc}"
        ) from None


def _sheets_dict(sheets: dict[str, Any], *, source: str, kind: str) -> dict[str, Any]:
    if "document info" not in sheets:
        raise MalformedSbomError(
            source, f"an {kind} workbook without a 'Document Info' sheet is not an SPDX spreadsheet"
        )
    obj = _document_info(sheets["document info"])
    packages, by_id = _packages(sheets.get("package info"))
    if "external refs" in sheets:
        _external_refs(sheets["external refs"], by_id)
    obj["files"] = _files(sheets.get("per file info"), by_id)
    obj["snippets"] = _snippets(sheets.get("snippets"))
    obj["relationships"] = _relationships(sheets.get("relationships"))
    obj["packages"] = packages
    return obj


def _document_info(ws: Any) -> dict[str, Any]:
    it = _sheet_rows(ws)
    header = _header(it)
    columns: dict[str, list[str]] = {k: [] for k in header.values()}
    for row in it:
        for col, v in row:
            k = header.get(col)
            t = _cell(v)
            if k and t is not None:
                columns[k].append(t)

    def first(name: str) -> str | None:
        vals = columns.get(name)
        return vals[0] if vals else None

    obj: dict[str, Any] = {
        "spdxVersion": first("spdx version"),
        "dataLicense": first("data license"),
        "SPDXID": first("spdx identifier") or "SPDXRef-DOCUMENT",
        "name": first("document name"),
        "documentNamespace": first("document namespace"),
        "creationInfo": {
            "creators": columns.get("creator", []),
            "created": first("created"),
        },
        "documentDescribes": columns.get("document contents", []),
    }
    refs = []
    for text in columns.get("external document references", []):
        parts = text.split(None, 2)
        if len(parts) >= 2:
            ref: dict[str, Any] = {"externalDocumentId": parts[0], "spdxDocument": parts[1]}
            cs = _checksums(parts[2] if len(parts) == 3 else None)
            if cs:
                ref["checksum"] = cs[0]
            refs.append(ref)
    if refs:
        obj["externalDocumentRefs"] = refs
    return obj


def _packages(ws: Any) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    packages: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    if ws is None:
        return packages, by_id
    for row in _rows(ws):
        p: dict[str, Any] = {field: row[col] for col, field in _PACKAGE_COLUMNS.items() if col in row}
        cs = _checksums(row.get("package checksum"))
        if cs:
            p["checksums"] = cs
        packages.append(p)
        sid = p.get("SPDXID")
        if isinstance(sid, str):
            by_id.setdefault(sid, p)
    return packages, by_id


def _external_refs(ws: Any, by_id: dict[str, dict[str, Any]]) -> None:
    for row in _rows(ws):
        p = by_id.get(row.get("package id", ""))
        if p is None or "locator" not in row or "type" not in row:
            continue
        ref = {
            "referenceCategory": row.get("category", "OTHER").replace("_", "-"),
            "referenceType": row["type"],
            "referenceLocator": row["locator"],
        }
        if "comment" in row:
            ref["comment"] = row["comment"]
        p.setdefault("externalRefs", []).append(ref)


def _files(ws: Any, by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = []
    if ws is None:
        return files
    for row in _rows(ws):
        f: dict[str, Any] = {field: row[col] for col, field in _FILE_COLUMNS.items() if col in row}
        cs = _checksums(row.get("file checksum(s)") or row.get("file checksum"))
        if cs:
            f["checksums"] = cs
        contributors = row.get("contributors")
        if contributors:
            f["fileContributors"] = _split_quoted(contributors)
        files.append(f)
        owner = by_id.get(row.get("package identifier", ""))
        sid = f.get("SPDXID")
        if owner is not None and isinstance(sid, str):
            owner.setdefault("hasFiles", []).append(sid)
    return files


def _split_quoted(text: str) -> list[str]:
    """Split ``"A, Inc.","B"`` on the commas outside quotes (names keep their commas)."""
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch in ",\n" and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [x for x in (s.strip().strip('"').strip() for s in out) if x]


def _snippets(ws: Any) -> list[dict[str, Any]]:
    if ws is None:
        return []
    return [{field: row[col] for col, field in _SNIPPET_COLUMNS.items() if col in row} for row in _rows(ws)]


def _relationships(ws: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if ws is None:
        return out
    for row in _rows(ws):
        a, r, b = row.get("spdx identifier a"), row.get("relationship"), row.get("spdx identifier b")
        if a and r and b:
            rel = {"spdxElementId": a, "relationshipType": r, "relatedSpdxElement": b}
            if "relationship comment" in row:
                rel["comment"] = row["relationship comment"]
            out.append(rel)
    return out
