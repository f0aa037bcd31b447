"""Excel workbooks (.xlsx, openpyxl): read one sheet, write with the write-only mode."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

from synthcraft.errors import DataError, UserInputError
from synthcraft.storage._dtypes import Kind, iso_strings, scalar_text
from synthcraft.storage._formats import show

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "ExcelSink",
    "check_excel_size",
    "check_sheet_name",
    "read_excel",
]

EXCEL_MAX_ROWS = 1_048_575
"""Data rows an Excel sheet holds below its header row."""
EXCEL_MAX_COLUMNS = 16_384
_MAX_CELL_CHARS = 32_767
_EXACT_FLOAT_INT = 2**53
_FIRST_SAFE_DATE = dt.datetime(1900, 3, 1)
_BAD_TITLE = frozenset("[]:*?/\\")


def check_excel_size(n_rows: int, n_columns: int, *, max_rows: int = EXCEL_MAX_ROWS) -> None:
    """Refuse a table larger than an Excel sheet holds, before anything is written."""
    if n_rows > max_rows:
        raise DataError(
            f"the table has {n_rows:,} rows but an Excel sheet holds at most {max_rows:,} data "
            "rows; write CSV or Parquet instead, or fewer rows"
        )
    if n_columns > EXCEL_MAX_COLUMNS:
        raise DataError(
            f"the table has {n_columns:,} columns but an Excel sheet holds at most "
            f"{EXCEL_MAX_COLUMNS:,}; write CSV or Parquet instead"
        )


def check_sheet_name(name: str) -> str:
    """Check an Excel sheet name (1-31 characters, none of ``[]:*?/\\``)."""
    if not name or len(name) > 31 or _BAD_TITLE.intersection(name):
        raise UserInputError(
            f"{name!r} is not a valid Excel sheet name; use 1-31 characters without []:*?/\\"
        )
    return name


def read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    """Read one sheet (default: the first) into object columns; the first row is the header."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise DataError(
            f"file {show(path)} is not a readable .xlsx workbook ({exc}); check the file or pass "
            "format="
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            sheet = names[0]
        elif sheet not in names:
            shown = ", ".join(repr(n) for n in names)
            raise DataError(
                f"sheet {sheet!r} not found in {show(path)}; its sheets are {shown}: "
                "pass one of them as sheet= (--sheet)"
            )
        return _read_rows(book[sheet].iter_rows(values_only=True), path, sheet)
    finally:
        book.close()


def _read_rows(rows: Any, path: Path, sheet: str) -> pd.DataFrame:
    header = list(next(rows, None) or [])
    while header and header[-1] is None:
        header.pop()
    if not header:
        raise DataError(f"sheet {sheet!r} of {show(path)} is empty; give a header row and data")
    width = len(header)
    columns: list[list[Any]] = [[] for _ in range(width)]
    blank = 0
    for number, row in enumerate(rows, start=2):
        cells = list(row)
        if any(v is not None for v in cells[width:]):
            raise DataError(
                f"row {number} of sheet {sheet!r} in {show(path)} has cells beyond the header; "
                "give every column a header"
            )
        if all(v is None for v in cells[:width]):
            blank += 1
            continue
        for _ in range(blank):  # blank rows inside the data are rows of missing values
            for values in columns:
                values.append(None)
        blank = 0
        cells = cells[:width] + [None] * (width - len(cells))
        for values, cell in zip(columns, cells, strict=True):
            values.append(_cell_value(cell))
    names = ["" if h is None else scalar_text(h) for h in header]
    return pd.DataFrame({i: pd.Series(v, dtype=object) for i, v in enumerate(columns)}).set_axis(
        names, axis=1
    )


def _cell_value(value: Any) -> Any:
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return value


class ExcelSink:
    """Write chunks of a canonical frame into one sheet of a new workbook."""

    def __init__(self, path: Path, *, sheet: str) -> None:
        self._path = path
        self._book = openpyxl.Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=check_sheet_name(sheet))
        self._header = True

    def write(self, frame: pd.DataFrame, kinds: list[Kind]) -> None:
        """Append rows (the header with the first chunk)."""
        if self._header:
            self._sheet.append([_text(str(c), str(c)) for c in frame.columns])
            self._header = False
        columns = [
            _cells(s, kind, str(name)) for (name, s), kind in zip(frame.items(), kinds, strict=True)
        ]
        for row in zip(*columns, strict=True):
            self._sheet.append(list(row))

    def close(self) -> None:
        """Save the workbook."""
        self._book.save(self._path)

    def abort(self) -> None:
        """Drop the workbook after an error (the caller removes the file)."""
        with contextlib.suppress(Exception):
            self._sheet.close()  # ends openpyxl's row stream while its temporary file is open
        writer = getattr(self._sheet, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.cleanup()


def _cells(s: pd.Series, kind: Kind, name: str) -> list[Any]:
    if kind is Kind.DATETIME_UTC:
        return iso_strings(s)  # Excel has no time zones: ISO text with its offset
    if kind is Kind.DATETIME:
        return [_datetime_cell(v) for v in s.tolist()]
    values = s.tolist()
    if kind is Kind.INT:  # Excel numbers are doubles: keep larger integers exact as text
        return [
            None if v is pd.NA else (v if abs(v) <= _EXACT_FLOAT_INT else str(v)) for v in values
        ]
    if kind is Kind.FLOAT:
        return [None if math.isnan(v) else (v if math.isfinite(v) else repr(v)) for v in values]
    if kind is Kind.BOOL:
        return [None if v is pd.NA else bool(v) for v in values]
    return [None if not isinstance(v, str) else _text(v, name) for v in values]


def _datetime_cell(value: Any) -> Any:
    if value is pd.NaT:
        return None
    # Excel keeps milliseconds and no dates before March 1900: write other values as ISO text
    if value.microsecond % 1000 or value.nanosecond or value < _FIRST_SAFE_DATE:
        return value.isoformat()
    return value.to_pydatetime()


def _text(value: str, name: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise DataError(
            f"column {name!r} has control characters that Excel cannot store; remove them or "
            "write CSV or Parquet instead"
        )
    if len(value) > _MAX_CELL_CHARS:
        raise DataError(
            f"column {name!r} has a text longer than Excel's {_MAX_CELL_CHARS:,} characters per "
            "cell; shorten it or write CSV or Parquet instead"
        )
    return value
