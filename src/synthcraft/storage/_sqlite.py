"""SQLite (stdlib sqlite3): read a table by declared types, write one in a single transaction."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from synthcraft.errors import DataError, OutputExistsError
from synthcraft.storage._dtypes import Kind, python_values
from synthcraft.storage._formats import show

__all__ = [
    "SQL_TYPES",
    "SqliteSink",
    "choose_table",
    "existing_sqlite_tables",
    "quote_ident",
    "read_sqlite",
    "sqlite_tables",
]

SQL_TYPES: dict[Kind, str] = {
    Kind.INT: "INTEGER",
    Kind.FLOAT: "REAL",
    Kind.BOOL: "BOOLEAN",
    Kind.DATETIME: "TIMESTAMP",
    Kind.DATETIME_UTC: "TIMESTAMPTZ",
    Kind.TEXT: "TEXT",
}
_FETCH_ROWS = 65_536


def quote_ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def choose_table(tables: list[str], table: str | None, path: Path) -> str:
    """The table to read: ``table`` if given (and present), else the only one."""
    shown = ", ".join(repr(t) for t in tables)
    if table is not None:
        if table not in tables:
            raise DataError(
                f"table {table!r} not found in {show(path)}; its tables are {shown or '(none)'}: "
                "pass one of them as table= (--table)"
            )
        return table
    if not tables:
        raise DataError(f"database {show(path)} has no tables; check the file")
    if len(tables) > 1:
        raise DataError(
            f"database {show(path)} has {len(tables)} tables ({shown}); pass table= (--table) "
            "to choose one"
        )
    return tables[0]


@contextlib.contextmanager
def _connect_ro(path: Path) -> Iterator[sqlite3.Connection]:
    uri = path.resolve().as_uri() + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        yield con
    except sqlite3.DatabaseError as exc:
        raise DataError(
            f"file {show(path)} is not a readable SQLite database ({exc}); check the file or "
            "pass format='duckdb'"
        ) from None
    finally:
        con.close()


def sqlite_tables(con: sqlite3.Connection) -> list[str]:
    """Names of the tables and views of a database, sorted."""
    rows = con.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def existing_sqlite_tables(path: Path) -> list[str]:
    """Tables of an existing database file (for the overwrite check)."""
    with _connect_ro(path) as con:
        return sqlite_tables(con)


def read_sqlite(path: Path, table: str | None) -> pd.DataFrame:
    """Read one table; declared types pick Int64 / float64 / boolean / datetime columns."""
    with _connect_ro(path) as con:
        name = choose_table(sqlite_tables(con), table, path)
        declared = {
            str(r[1]): str(r[2] or "").upper()
            for r in con.execute(f"PRAGMA table_info({quote_ident(name)})")
        }
        cursor = con.execute(f"SELECT * FROM {quote_ident(name)}")
        names = [str(d[0]) for d in cursor.description]
        columns: list[list[Any]] = [[] for _ in names]
        while batch := cursor.fetchmany(_FETCH_ROWS):
            for values, column in zip(columns, zip(*batch, strict=True), strict=True):
                values.extend(column)
    data = {
        i: _typed(values, declared.get(n, ""))
        for i, (n, values) in enumerate(zip(names, columns, strict=True))
    }
    return pd.DataFrame(data, index=pd.RangeIndex(len(columns[0]) if columns else 0)).set_axis(
        names, axis=1
    )


def _typed(values: list[Any], declared: str) -> pd.Series:
    """A column by its declared type where its values fit it; otherwise plain objects."""
    present = [v for v in values if v is not None]
    if "BOOL" in declared and all(isinstance(v, int) and v in (0, 1) for v in present):
        return pd.Series([None if v is None else bool(v) for v in values], dtype="boolean")
    if "INT" in declared and all(type(v) is int for v in present):
        with contextlib.suppress(OverflowError, TypeError, ValueError):
            return pd.Series(values, dtype="Int64")
    if any(t in declared for t in ("REAL", "FLOA", "DOUB")) and all(
        isinstance(v, (int, float)) for v in present
    ):
        return pd.Series([float("nan") if v is None else float(v) for v in values], dtype="float64")
    if ("TIME" in declared or "DATE" in declared) and not present:
        utc = "TZ" in declared or "ZONE" in declared
        return pd.Series(values, dtype="datetime64[us, UTC]" if utc else "datetime64[us]")
    return pd.Series(values, dtype=object)


class SqliteSink:
    """Write a canonical frame as one table, in one transaction, into a copy of the database."""

    def __init__(
        self,
        path: Path,
        *,
        final: Path,
        table: str,
        overwrite: bool,
        names: list[str],
        kinds: list[Kind],
    ) -> None:
        if Path(f"{final}-wal").exists():
            raise DataError(
                f"database {show(final)} is open in another program (its -wal file exists); "
                "close it and try again"
            )
        self._con = sqlite3.connect(path, isolation_level=None)
        try:
            if final.exists():
                with _connect_ro(final) as source:
                    source.backup(self._con)
            self._con.execute("BEGIN")
            if table in sqlite_tables(self._con):
                if not overwrite:
                    raise OutputExistsError(
                        f"table {table!r} already exists in {show(final)}; pass --overwrite "
                        "(overwrite=True) to replace it"
                    )
                self._con.execute(f"DROP TABLE {quote_ident(table)}")
            columns = ", ".join(
                f"{quote_ident(n)} {SQL_TYPES[k]}" for n, k in zip(names, kinds, strict=True)
            )
            self._con.execute(f"CREATE TABLE {quote_ident(table)} ({columns})")
        except BaseException:
            self._con.close()
            raise
        marks = ", ".join("?" for _ in names)
        self._insert = f"INSERT INTO {quote_ident(table)} VALUES ({marks})"

    def write(self, frame: pd.DataFrame, kinds: list[Kind]) -> None:
        """Insert a batch of rows."""
        columns = [_sql_values(s, k) for (_, s), k in zip(frame.items(), kinds, strict=True)]
        self._con.executemany(self._insert, zip(*columns, strict=True))

    def close(self) -> None:
        """Commit and close."""
        self._con.execute("COMMIT")
        self._con.close()

    def abort(self) -> None:
        """Roll back and close after an error (the caller removes the copy)."""
        with contextlib.suppress(Exception):
            self._con.close()


def _sql_values(s: pd.Series, kind: Kind) -> list[Any]:
    values = python_values(s, kind)
    if kind is Kind.BOOL:
        return [None if v is None else int(v) for v in values]
    return values
