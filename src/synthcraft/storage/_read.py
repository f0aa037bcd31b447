"""``read_table``: any supported file into a frame with the canonical dtypes."""

from __future__ import annotations

import os

import pandas as pd

from synthcraft.errors import UserInputError
from synthcraft.storage._csv import read_delimited
from synthcraft.storage._dtypes import canonicalize
from synthcraft.storage._duckdb import read_duckdb
from synthcraft.storage._excel import read_excel
from synthcraft.storage._formats import DATABASE_FORMATS, check_input_file, detect_format
from synthcraft.storage._jsonl import read_jsonl
from synthcraft.storage._parquet import read_parquet
from synthcraft.storage._sqlite import read_sqlite

__all__ = ["read_table"]


def read_table(
    path: str | os.PathLike[str],
    *,
    table: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    format: str | None = None,
) -> pd.DataFrame:
    """Read a table file into a DataFrame with one canonical set of dtypes for every format.

    Formats by extension (case-insensitive; ``format=`` overrides): ``.csv``, ``.tsv``,
    ``.txt`` and ``.jsonl`` / ``.ndjson``, each optionally compressed (``.gz``, ``.zst``);
    ``.parquet`` / ``.pq``; ``.xlsx``; ``.sqlite`` / ``.sqlite3`` / ``.db``; ``.duckdb``.

    **The canonical dtype policy** (the same for every format, and for
    :func:`canonicalize` on in-memory frames):

    - Column names are strings (others converted with ``str``), unicode kept; duplicate names
      raise :class:`~synthcraft.errors.DataError`.
    - In text (CSV/TSV cells, JSON strings, Excel text, SQLite/DuckDB/Parquet text columns), a
      value that is, after stripping surrounding whitespace, one of ``""``, ``NA``, ``N/A``,
      ``n/a``, ``NaN``, ``nan``, ``NULL``, ``null``, ``None``, ``#N/A``, ``?``, ``-``, ``—``,
      ``–`` is missing. Other text is kept exactly as written.
    - A text column whose non-missing values are all whole numbers (``"1,234"`` style thousands
      separators allowed) is ``Int64``; all numbers with some fraction, exponent or infinity:
      ``float64``. Numbers written with a leading zero (``"007"``, ZIP codes) and whole numbers
      beyond 64 bits stay text. In a semicolon-separated file, as European spreadsheets write
      them, a column of numbers with decimal commas (``"3,14"``, ``"1.234,5"``) is read with
      the comma as the decimal mark and dots grouping thousands. Source integer columns are
      ``Int64`` (even all missing), source
      float columns (Parquet, SQLite ``REAL``, DuckDB ``DOUBLE``, JSON numbers with a fraction)
      ``float64`` with NaN for missing.
    - Infinite values (``inf``, ``-inf``, ``Infinity``) become missing, with one
      :class:`DataWarning` naming the columns and counts.
    - ``boolean`` (nullable): source booleans (SQLite columns declared ``BOOLEAN``) and text
      columns whose values are all ``true`` / ``false`` in any case (not 0/1, not yes/no).
    - Datetimes: naive ones are ``datetime64[us]``, time-zone-aware ones are converted to UTC,
      ``datetime64[us, UTC]``. A text column whose values all parse as ISO 8601 (date, or date
      and time with ``T`` or a space, optional fraction, optional ``Z``/offset) is a datetime
      column, in UTC when the values carry offsets (mixed offsets are converted). Some values
      with an offset and some without: kept as text, with a :class:`DataWarning`. Also read:
      ``%d/%m/%Y``, ``%m/%d/%Y``, ``%Y/%m/%d``, ``%d.%m.%Y`` when exactly one of them fits every
      value (``01/02/2020``-style columns that fit both day-first and month-first stay text).
      Dates without a time are midnight.
    - Everything else is text, pandas ``str`` dtype with NaN for missing (categorical and object
      columns follow the text rules).

    A CSV file's separator is sniffed among ``,`` ``;`` tab and ``|``; its encoding is
    ``encoding=``, else the one a byte-order mark names, else UTF-8, else cp1252 (with a
    :class:`DataWarning`). A header-only file gives 0 rows of ``str`` columns. Excel: numbers
    are doubles, so whole-valued float columns read back as ``Int64``; trailing empty rows are
    ignored.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    table : str, optional
        Table of a SQLite or DuckDB file; needed when it has more than one. For a workbook, a
        sheet name when ``sheet`` is not given.
    sheet : str, optional
        Sheet of an Excel workbook (default: the first).
    encoding : str, optional
        Text encoding of a CSV/TSV/JSONL file (default: detected).
    format : str, optional
        One of :data:`FORMATS`, overriding the extension.

    Returns
    -------
    pandas.DataFrame
        The table with a RangeIndex and canonical dtypes.

    Raises
    ------
    DataError
        Missing, empty, binary or malformed file; unknown table or sheet; duplicate names.
    UserInputError
        Unknown format, or an option that does not apply to the format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("id;score;when\\n1;2.5;2024-01-31\\n2;N/A;2024-02-01\\n")
    >>> [str(t) for t in read_table(path).dtypes]
    ['Int64', 'float64', 'datetime64[us]']
    """
    file = check_input_file(path)
    fmt = detect_format(file, format)
    if sheet is not None and fmt != "excel":
        raise UserInputError(f"sheet= applies to Excel workbooks only, not {fmt} files; drop it")
    if table is not None and fmt not in DATABASE_FORMATS and fmt != "excel":
        raise UserInputError(f"table= applies to SQLite and DuckDB files only, not {fmt}; drop it")
    if encoding is not None and fmt not in ("csv", "tsv", "jsonl"):
        raise UserInputError(f"encoding= applies to text files only, not {fmt}; drop it")
    if fmt in ("csv", "tsv"):
        raw = read_delimited(file, tsv=fmt == "tsv", encoding=encoding)
    elif fmt == "jsonl":
        raw = read_jsonl(file, encoding=encoding)
    elif fmt == "parquet":
        raw = read_parquet(file)
    elif fmt == "excel":
        raw = read_excel(file, sheet if sheet is not None else table)
    elif fmt == "sqlite":
        raw = read_sqlite(file, table)
    else:
        raw = read_duckdb(file, table)
    return canonicalize(raw.reset_index(drop=True))
