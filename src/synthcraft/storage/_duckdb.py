"""DuckDB: read a table through Arrow, write one with native types in a single transaction."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from synthcraft.errors import DataError, MissingDependencyError, OutputExistsError
from synthcraft.storage._dtypes import Kind
from synthcraft.storage._formats import show
from synthcraft.storage._parquet import arrow_schema, arrow_to_frame, frame_to_arrow
from synthcraft.storage._sqlite import choose_table, quote_ident

__all__ = ["DuckdbSink", "existing_duckdb_tables", "read_duckdb", "wal_path"]

DUCK_TYPES: dict[Kind, str] = {
    Kind.INT: "BIGINT",
    Kind.FLOAT: "DOUBLE",
    Kind.BOOL: "BOOLEAN",
    Kind.DATETIME: "TIMESTAMP",
    Kind.DATETIME_UTC: "TIMESTAMPTZ",
    Kind.TEXT: "VARCHAR",
}
_TABLES = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name"
)


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise MissingDependencyError(
            "DuckDB files need the duckdb package; pip install 'synthcraft[sql]'"
        ) from None
    return duckdb


def wal_path(path: Path) -> Path:
    """The write-ahead log DuckDB keeps beside ``path`` while it has unsaved changes."""
    return path.with_name(path.name + ".wal")


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool) -> Iterator[Any]:
    duckdb = _duckdb()
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise DataError(
            f"file {show(path)} is not a readable DuckDB database ({_first_line(exc)}); check "
            "the file, close other programs using it, or pass format="
        ) from None
    try:
        with contextlib.suppress(duckdb.Error):
            con.execute("SET TimeZone = 'UTC'")
        yield con
    finally:
        con.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def existing_duckdb_tables(path: Path) -> list[str]:
    """Tables and views of an existing database file, sorted."""
    with _connect(path, read_only=True) as con:
        return [str(r[0]) for r in con.execute(_TABLES).fetchall()]


def read_duckdb(path: Path, table: str | None) -> pd.DataFrame:
    """Read one table (native types kept: integers, doubles, booleans, timestamps)."""
    with _connect(path, read_only=True) as con:
        tables = [str(r[0]) for r in con.execute(_TABLES).fetchall()]
        name = choose_table(tables, table, path)
        arrow = con.sql(f"SELECT * FROM {quote_ident(name)}").to_arrow_table()
    return arrow_to_frame(arrow)


class DuckdbSink:
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
        if wal_path(final).exists():
            raise DataError(
                f"database {show(final)} has unsaved changes in its .wal file (open in another "
                "program?); close it and try again"
            )
        self._path = path
        path.unlink(missing_ok=True)  # DuckDB refuses an empty placeholder file
        if final.exists():
            shutil.copyfile(final, path)
        self._stack = contextlib.ExitStack()
        self._con = self._stack.enter_context(_connect(path, read_only=False))
        try:
            self._con.execute("BEGIN TRANSACTION")
            tables = [str(r[0]) for r in self._con.execute(_TABLES).fetchall()]
            if table in tables:
                if not overwrite:
                    raise OutputExistsError(
                        f"table {table!r} already exists in {show(final)}; pass --overwrite "
                        "(overwrite=True) to replace it"
                    )
                self._con.execute(f"DROP TABLE {quote_ident(table)}")
            columns = ", ".join(
                f"{quote_ident(n)} {DUCK_TYPES[k]}" for n, k in zip(names, kinds, strict=True)
            )
            self._con.execute(f"CREATE TABLE {quote_ident(table)} ({columns})")
        except BaseException:
            self.abort()
            raise
        self._table = table
        self._schema = arrow_schema(names, kinds)

    def write(self, frame: pd.DataFrame, kinds: list[Kind]) -> None:
        """Insert a batch of rows."""
        self._con.register("_synthcraft_chunk", frame_to_arrow(frame, self._schema))
        try:
            self._con.execute(
                f"INSERT INTO {quote_ident(self._table)} SELECT * FROM _synthcraft_chunk"
            )
        finally:
            self._con.unregister("_synthcraft_chunk")

    def close(self) -> None:
        """Commit, write everything into the file and close."""
        self._con.execute("COMMIT")
        self._con.execute("CHECKPOINT")
        self._stack.close()

    def abort(self) -> None:
        """Roll back and close after an error (the caller removes the copy)."""
        with contextlib.suppress(Exception):
            self._stack.close()
        wal_path(self._path).unlink(missing_ok=True)
