"""Streaming, atomic table writers: ``open_writer`` and ``write_table``."""

from __future__ import annotations

import contextlib
import os
import warnings
from pathlib import Path
from types import TracebackType
from typing import Protocol

import pandas as pd

from synthcraft._files import atomic_path, check_output_path
from synthcraft._rng import BLOCK_ROWS
from synthcraft.errors import DataError, OutputExistsError, SynthcraftError, UserInputError
from synthcraft.storage._csv import CsvSink
from synthcraft.storage._dtypes import Kind, check_names, kind_of, to_kind
from synthcraft.storage._duckdb import DuckdbSink, existing_duckdb_tables, wal_path
from synthcraft.storage._excel import EXCEL_MAX_ROWS, ExcelSink, check_excel_size, check_sheet_name
from synthcraft.storage._formats import DATABASE_FORMATS, DataWarning, detect_format, show
from synthcraft.storage._formula import escape_formulas, formula_mask, is_formula
from synthcraft.storage._jsonl import JsonlSink
from synthcraft.storage._parquet import ParquetSink
from synthcraft.storage._sqlite import SqliteSink, existing_sqlite_tables

__all__ = ["CHUNK_ROWS", "TableWriter", "open_writer", "write_table"]

CHUNK_ROWS = BLOCK_ROWS
"""Rows per chunk when :func:`write_table` streams a frame (65,536)."""


class _Sink(Protocol):
    def write(self, frame: pd.DataFrame, kinds: list[Kind]) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


class TableWriter:
    """Write a table chunk by chunk; the file appears, complete, only when the writer closes.

    Use it as a context manager (see :func:`open_writer`). Every chunk must have the columns
    of the first; dtypes are fixed by the first chunk and later chunks are converted to them.
    On an exception inside the ``with`` block (or in :meth:`write`) nothing is left behind and
    an existing file is untouched.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        excel_safe: bool = False,
        table: str | None = None,
        format: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.format = detect_format(self.path, format)
        self.rows_written = 0
        self._overwrite = bool(overwrite)
        self._excel_safe = bool(excel_safe)
        self._table = self._table_name(table)
        self._names: list[str] | None = None
        self._kinds: list[Kind] = []
        self._sink: _Sink | None = None
        self._formula_columns: list[str] = []
        self._closed = False
        self._stack = contextlib.ExitStack()
        self._tmp = self._stack.enter_context(
            atomic_path(self.path, overwrite=self._overwrite or self._is_database)
        )

    @property
    def _is_database(self) -> bool:
        return self.format in DATABASE_FORMATS

    def _table_name(self, table: str | None) -> str | None:
        if self.format == "excel":
            return check_sheet_name(table if table is not None else "Sheet1")
        if not self._is_database:
            if table is not None:
                raise UserInputError(
                    f"table= applies to SQLite, DuckDB and Excel output, not {self.format}; drop it"
                )
            return None
        name = table if table is not None else self.path.name.split(".")[0]
        if not isinstance(name, str) or not name:
            raise UserInputError("the table name is empty; pass table= (--table)")
        check_output_path(self.path, overwrite=True)
        if self.path.exists() and not self._overwrite:
            lister = existing_sqlite_tables if self.format == "sqlite" else existing_duckdb_tables
            if name in lister(self.path):
                raise OutputExistsError(
                    f"table {name!r} already exists in {show(self.path)}; pass --overwrite "
                    "(overwrite=True) to replace it"
                )
        return name

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
        else:
            self.abort(exc)

    def write(self, chunk: pd.DataFrame) -> None:
        """Append the rows of ``chunk`` (its index is not written)."""
        if self._closed:
            raise UserInputError(f"the writer for {show(self.path)} is closed; open a new one")
        try:
            self._write(chunk)
        except BaseException as exc:
            self.abort(exc)
            raise

    def _write(self, chunk: pd.DataFrame) -> None:
        if not isinstance(chunk, pd.DataFrame):
            raise UserInputError(f"write() takes a pandas DataFrame, got {type(chunk).__name__}")
        names = check_names(chunk.columns, fold_case=self.format in DATABASE_FORMATS)
        if self._names is None:
            if not names:
                raise DataError("the table has no columns; give at least one column to write")
            self._names = names
            self._kinds = [kind_of(chunk.iloc[:, i]) for i in range(len(names))]
            if self.format in ("csv", "tsv") and not self._excel_safe:
                self._formula_columns = [n for n in names if is_formula(n)]
        elif names != self._names:
            raise DataError(
                f"chunk columns {names[:5]} differ from the first chunk's {self._names[:5]}; give "
                "every chunk the same columns in the same order"
            )
        if self.format == "excel":
            check_excel_size(self.rows_written + len(chunk), len(names), max_rows=EXCEL_MAX_ROWS)
        frame = self._prepare(chunk)
        if self._sink is None:
            self._sink = self._open_sink(list(frame.columns))
        self._sink.write(frame, self._kinds)
        self.rows_written += len(frame)

    def _prepare(self, chunk: pd.DataFrame) -> pd.DataFrame:
        assert self._names is not None
        escape = self.format == "excel" or (self._excel_safe and self.format in ("csv", "tsv"))
        watch = self.format in ("csv", "tsv") and not self._excel_safe
        columns = {}
        for i, (name, kind) in enumerate(zip(self._names, self._kinds, strict=True)):
            try:
                s = to_kind(chunk.iloc[:, i].reset_index(drop=True), kind)
            except (ValueError, TypeError, OverflowError) as exc:
                raise DataError(
                    f"column {name!r} cannot be written as {kind.value} like in the first chunk "
                    f"({exc}); give every chunk the same dtypes"
                ) from None
            if kind is Kind.TEXT and escape:
                s = escape_formulas(s)
            elif (
                kind is Kind.TEXT
                and watch
                and name not in self._formula_columns
                and formula_mask(s).any()
            ):
                self._formula_columns.append(name)
            columns[name] = s
        frame = pd.DataFrame(columns, index=pd.RangeIndex(len(chunk)))
        if escape:
            frame.columns = pd.Index(["'" + n if is_formula(n) else n for n in self._names])
        return frame

    def _open_sink(self, names: list[str]) -> _Sink:
        tmp, final, kinds = self._tmp, self.path, self._kinds
        if self.format in ("csv", "tsv"):
            return CsvSink(tmp, final=final, sep="\t" if self.format == "tsv" else ",")
        if self.format == "jsonl":
            return JsonlSink(tmp, final=final)
        if self.format == "parquet":
            return ParquetSink(tmp, names=names, kinds=kinds)
        if self.format == "excel":
            assert self._table is not None
            return ExcelSink(tmp, sheet=self._table)
        assert self._table is not None
        sink = SqliteSink if self.format == "sqlite" else DuckdbSink
        return sink(
            tmp, final=final, table=self._table, overwrite=self._overwrite, names=names, kinds=kinds
        )

    def close(self) -> Path:
        """Finish the file and move it into place; returns its path."""
        if self._closed:
            return self.path
        try:
            if self._sink is None:
                raise UserInputError(
                    f"nothing was written to {show(self.path)}; call write() with at least one "
                    "(possibly empty) DataFrame"
                )
            self._sink.close()
            self._closed = True
            self._stack.close()
        except BaseException as exc:
            self.abort(exc)
            raise
        if self.format == "duckdb":
            wal_path(self.path).unlink(missing_ok=True)  # a stale log would replay onto the copy
        if self._formula_columns:
            shown = ", ".join(repr(c) for c in self._formula_columns)
            warnings.warn(
                f"column(s) {shown} in {show(self.path)} have cells (or names) a spreadsheet "
                "would run as formulas; pass excel_safe=True (--excel-safe) to escape them",
                DataWarning,
                stacklevel=2,
            )
        return self.path

    def abort(self, exc: BaseException | None = None) -> None:
        """Give up: remove the partial output and leave any existing file as it was."""
        if self._closed:
            return
        self._closed = True
        if self._sink is not None:
            self._sink.abort()
        error = exc if exc is not None else SynthcraftError("writing was aborted")
        with contextlib.suppress(BaseException):
            self._stack.__exit__(type(error), error, error.__traceback__)


def open_writer(
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    excel_safe: bool = False,
    table: str | None = None,
    format: str | None = None,
) -> TableWriter:
    """Open a streaming, atomic writer for a table file.

    Parameters
    ----------
    path : str or path-like
        Output file; its format comes from the extension (see :func:`detect_format`).
    overwrite : bool
        Replace an existing file (for SQLite/DuckDB: an existing table; other tables are kept).
    excel_safe : bool
        CSV/TSV: prefix text cells a spreadsheet would run as formulas with ``'``. Without it a
        :class:`DataWarning` names such columns. Excel output is always escaped.
    table : str, optional
        Table name in a SQLite/DuckDB file (default: the file name without extensions) or the
        sheet name of an Excel workbook (default ``"Sheet1"``).
    format : str, optional
        One of :data:`FORMATS`, overriding the extension.

    Returns
    -------
    TableWriter
        Call ``write(chunk)`` for each chunk; the file appears on a clean exit from ``with``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> with open_writer(path) as w:
    ...     w.write(pd.DataFrame({"a": [1, 2]}))
    ...     w.write(pd.DataFrame({"a": [3]}))
    >>> path.read_text()
    'a\\n1\\n2\\n3\\n'
    """
    return TableWriter(path, overwrite=overwrite, excel_safe=excel_safe, table=table, format=format)


def write_table(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    excel_safe: bool = False,
    table: str | None = None,
    format: str | None = None,
) -> Path:
    """Write a frame to a file atomically, streaming it in chunks of 65,536 rows.

    Canonical dtypes (see :func:`read_table`) are written so that reading the file back gives
    an equal frame: CSV/JSONL write ISO 8601 datetimes (UTC with ``Z``), ``true``/``false`` and
    empty cells (``null``) for missing; SQLite declares INTEGER/REAL/BOOLEAN/TIMESTAMP/TEXT;
    DuckDB and Parquet use native types; Excel writes time-zone-aware datetimes as ISO text.
    The index is not written. Options are those of :func:`open_writer`.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_table(pd.DataFrame({"a": [1]}), pathlib.Path(tempfile.mkdtemp()) / "a.parquet")
    >>> out.name
    'a.parquet'
    """
    if not isinstance(df, pd.DataFrame):
        raise UserInputError(f"write_table takes a pandas DataFrame, got {type(df).__name__}")
    if detect_format(path, format) == "excel":
        check_excel_size(len(df), df.shape[1])
    with open_writer(
        path, overwrite=overwrite, excel_safe=excel_safe, table=table, format=format
    ) as writer:
        for start in range(0, max(len(df), 1), CHUNK_ROWS):
            writer.write(df.iloc[start : start + CHUNK_ROWS])
    return writer.path
