"""Read and write tables (CSV, TSV, Parquet, JSON Lines, Excel, SQLite, DuckDB).

:func:`read_table` returns one canonical set of dtypes for every format (its docstring states
the policy; :func:`canonicalize` applies it to in-memory frames). :func:`write_table` and
:func:`open_writer` write atomically and stream in chunks, so that reading back gives an equal
frame.
"""

from synthcraft.storage._database import tables_output, write_database, write_tables
from synthcraft.storage._dtypes import canonicalize
from synthcraft.storage._formats import FORMATS, DataWarning, detect_format
from synthcraft.storage._formula import formula_columns
from synthcraft.storage._read import read_table
from synthcraft.storage._write import TableWriter, open_writer, write_table

__all__ = [
    "DataWarning",
    "FORMATS",
    "TableWriter",
    "canonicalize",
    "detect_format",
    "formula_columns",
    "open_writer",
    "read_table",
    "tables_output",
    "write_database",
    "write_table",
    "write_tables",
]
