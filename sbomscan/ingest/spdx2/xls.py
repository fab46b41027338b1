"""The legacy SPDX 2 spreadsheet (Excel 97-2003 ``.xls``, OLE2), read with xlrd into the SPDX 2
JSON shape.

The SPDX project published its spreadsheet examples as ``.xls`` until 2.3, and the Java SPDX
tools still write it; openpyxl reads only ``.xlsx``. The layout is the one
:mod:`sbomscan.ingest.spdx2.xlsx` reads (one sheet per kind of element, columns found by
their header text), so each xlrd sheet is shown to that module's sheet readers through a
small adapter, and both encodings give the same dict.

xlrd is given ``ragged_rows=True`` so that a row holds only the cells it has: a file that
declares one cell in the last column of each row does not make every row that wide.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ...errors import MalformedSbomError
from ...model import Document
from .xlsx import _key, read_sheets, sheets_dict

__all__ = ["read_xls", "read_xls_dict"]


class _Sheet:
    """An xlrd sheet as the spreadsheet readers of :mod:`~sbomscan.ingest.spdx2.xlsx` take
    it: a ``title``, and ``rows_present()`` giving each row's non-empty cells as
    ``[(column number, value)]``; dates become ``datetime`` values as openpyxl gives them."""

    def __init__(self, sheet: Any, datemode: int) -> None:
        self.title = sheet.name
        self._sheet = sheet
        self._datemode = datemode

    def rows_present(self) -> Iterator[list[tuple[int, Any]]]:
        import xlrd

        empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR)
        sheet = self._sheet
        for r in range(sheet.nrows):
            cells: list[tuple[int, Any]] = []
            for col, cell in enumerate(sheet.row_slice(r), start=1):
                if cell.ctype in empty:
                    continue
                value: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                        value = xlrd.xldate_as_datetime(cell.value, 1 if self._datemode else 0)
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                    value = int(cell.value)
                cells.append((col, value))
            if cells:
                yield cells


def read_xls(data: bytes, *, source: str, sha256: str, strict: bool) -> Document:
    """The reader table's row ``spdx2-xls``: a legacy SPDX spreadsheet, read as its dict."""
    obj = read_xls_dict(data, source=source)
    return read_sheets(obj, source=source, sha256=sha256, encoding="xls", strict=strict)


def read_xls_dict(data: bytes, *, source: str) -> dict[str, Any]:
    """The SPDX 2 JSON-shaped dict of a legacy ``.xls`` SPDX spreadsheet."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, ragged_rows=True, logfile=_Discard())
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, ... on a broken file
        raise MalformedSbomError(
            source, f"not a readable .xls workbook: {type(exc).__name__}: {exc}"
        ) from None
    try:
        return sheets_dict(
            lambda: {_key(s.name): _Sheet(s, book.datemode) for s in book.sheets()},
            source=source,
            kind=".xls",
        )
    finally:
        book.release_resources()


class _Discard:
    """A file-like sink for xlrd's log (it writes warnings about odd records to stdout)."""

    def write(self, text: str) -> int:
        return len(text)
