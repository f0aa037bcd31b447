"""Several tables at once: a SQLite/DuckDB database with declared keys, or a folder of files.

:func:`write_database` creates every table with its column types (the mapping of the single-table
writers), ``PRIMARY KEY`` and ``FOREIGN KEY ... REFERENCES`` constraints, and fills the tables in
dependency order (parents first) in one transaction, into a temporary file that replaces the
output only on success. :func:`write_tables` writes one file per table into a folder, as a set.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

import pandas as pd

from synthcraft._files import atomic_path
from synthcraft.errors import DataError, OutputExistsError, UserInputError
from synthcraft.storage._dtypes import Kind, check_names, kind_of, to_kind
from synthcraft.storage._duckdb import DUCK_TYPES, _connect, _duckdb, _first_line, wal_path
from synthcraft.storage._formats import DATABASE_FORMATS, FORMATS, detect_format, show
from synthcraft.storage._parquet import arrow_schema, frame_to_arrow
from synthcraft.storage._sqlite import SQL_TYPES, _sql_values, quote_ident
from synthcraft.storage._write import CHUNK_ROWS, write_table

__all__ = ["ForeignKeyDecl", "tables_output", "write_database", "write_tables"]

ForeignKeyDecl: TypeAlias = tuple[Sequence[str], str, Sequence[str]]
"""``(columns, parent_table, parent_columns)``: ``columns`` of a table reference the parent's."""

_FILE_EXTENSIONS: dict[str, str] = {
    "csv": ".csv",
    "tsv": ".tsv",
    "parquet": ".parquet",
    "jsonl": ".jsonl",
    "excel": ".xlsx",
}


class _Table:
    """One table ready to write: canonical columns, storage kinds and its constraints."""

    def __init__(self, name: str, frame: pd.DataFrame) -> None:
        self.name = name
        self.names = check_names(frame.columns, fold_case=True)
        self.kinds = [kind_of(frame.iloc[:, i]) for i in range(len(self.names))]
        columns = {
            n: to_kind(frame.iloc[:, i].reset_index(drop=True), k)
            for i, (n, k) in enumerate(zip(self.names, self.kinds, strict=True))
        }
        self.frame = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
        self.primary_key: tuple[str, ...] = ()
        self.unique: list[tuple[str, ...]] = []
        self.foreign_keys: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = []

    def ddl(self, types: Mapping[Kind, str]) -> str:
        """The CREATE TABLE statement."""
        parts = [
            f"{quote_ident(n)} {types[k]}" + (" NOT NULL" if n in self.primary_key else "")
            for n, k in zip(self.names, self.kinds, strict=True)
        ]
        if self.primary_key:
            parts.append(f"PRIMARY KEY ({_idents(self.primary_key)})")
        parts.extend(f"UNIQUE ({_idents(u)})" for u in self.unique)
        parts.extend(
            f"FOREIGN KEY ({_idents(cols)}) REFERENCES {quote_ident(parent)} ({_idents(pcols)})"
            for cols, parent, pcols in self.foreign_keys
        )
        return f"CREATE TABLE {quote_ident(self.name)} ({', '.join(parts)})"


def _idents(names: Sequence[str]) -> str:
    return ", ".join(quote_ident(n) for n in names)


def _names(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, Sequence) or not value or not all(isinstance(v, str) for v in value):
        raise UserInputError(f"{what} must be a column name or a list of them, got {value!r}")
    return tuple(value)


def _prepare(
    tables: Mapping[str, pd.DataFrame],
    primary_keys: Mapping[str, Sequence[str] | str],
    foreign_keys: Mapping[str, Sequence[ForeignKeyDecl]],
) -> dict[str, _Table]:
    """Check the tables and keys (every problem at once) and attach the constraints."""
    if not isinstance(tables, Mapping) or not tables:
        raise UserInputError("tables must be a non-empty mapping of table name to DataFrame")
    prepared: dict[str, _Table] = {}
    for name, frame in tables.items():
        if not isinstance(name, str) or not name:
            raise UserInputError(f"table names must be non-empty strings, got {name!r}")
        if not isinstance(frame, pd.DataFrame):
            raise UserInputError(f"table {name!r} must be a DataFrame, got {type(frame).__name__}")
        if frame.shape[1] == 0:
            raise DataError(f"table {name!r} has no columns; give at least one column")
        prepared[name] = _Table(name, frame)
    problems: list[str] = []

    def missing(table: str, columns: tuple[str, ...], what: str) -> bool:
        absent = [c for c in columns if c not in prepared[table].names]
        if absent:
            problems.append(f"{what}: table {table!r} has no column {', '.join(map(repr, absent))}")
        return bool(absent)

    for name, key in primary_keys.items():
        if name not in prepared:
            problems.append(f"primary_keys names table {name!r}, which is not among the tables")
            continue
        cols = _names(key, f"primary key of {name!r}")
        if not missing(name, cols, f"primary key of {name!r}"):
            prepared[name].primary_key = cols
    for name, decls in foreign_keys.items():
        if name not in prepared:
            problems.append(f"foreign_keys names table {name!r}, which is not among the tables")
            continue
        for decl in decls:
            if not isinstance(decl, Sequence) or isinstance(decl, str) or len(decl) != 3:
                raise UserInputError(
                    f"a foreign key of {name!r} must be (columns, parent_table, parent_columns), "
                    f"got {decl!r}"
                )
            cols = _names(decl[0], f"foreign key columns of {name!r}")
            parent, pcols = decl[1], _names(decl[2], f"referenced columns of {name!r}")
            what = f"foreign key {name}({', '.join(cols)}) -> {parent}({', '.join(pcols)})"
            if parent not in prepared:
                problems.append(f"{what}: table {parent!r} is not among the tables")
                continue
            if len(cols) != len(pcols):
                problems.append(f"{what}: {len(cols)} columns reference {len(pcols)}")
                continue
            if missing(name, cols, what) | missing(parent, pcols, what):
                continue
            prepared[name].foreign_keys.append((cols, parent, pcols))
            target = prepared[parent]
            if pcols != target.primary_key and pcols not in target.unique:
                target.unique.append(pcols)  # a referenced key must be declared unique
    if problems:
        raise UserInputError("; ".join(problems) + "; fix the key declarations")
    return prepared


def dependency_order(prepared: Mapping[str, Sequence[str]]) -> list[str]:
    """Table names with every parent before its children (ties in the given order).

    ``prepared`` maps each table to the tables it references; a table referencing itself is
    allowed, a cycle among several tables raises :class:`UserInputError` naming it.
    """
    order: list[str] = []
    done: set[str] = set()
    pending = list(prepared)
    while pending:
        ready = [t for t in pending if all(p in done or p == t for p in prepared[t])]
        if not ready:
            shown = " -> ".join(pending)
            raise UserInputError(
                f"tables {shown} reference each other in a cycle; they cannot be filled in "
                "dependency order: drop one of the foreign keys"
            )
        order.extend(ready)
        done.update(ready)
        pending = [t for t in pending if t not in done]
    return order


def write_database(
    path: str | os.PathLike[str],
    tables: Mapping[str, pd.DataFrame],
    *,
    primary_keys: Mapping[str, Sequence[str] | str] | None = None,
    foreign_keys: Mapping[str, Sequence[ForeignKeyDecl]] | None = None,
    overwrite: bool = False,
    format: str | None = None,
) -> Path:
    """Write several tables into a new SQLite or DuckDB database with declared keys.

    Column types follow :func:`~synthcraft.storage.write_table` (SQLite: INTEGER, REAL,
    BOOLEAN, TIMESTAMP, TIMESTAMPTZ, TEXT; DuckDB native types), so
    ``read_table(path, table=name)`` gives each frame back with the canonical dtypes. Primary
    key columns are ``NOT NULL``; referenced columns that are not the parent's primary key get a
    ``UNIQUE`` constraint. Tables are created and filled parents first, in one transaction, with
    the keys enforced (SQLite runs with ``PRAGMA foreign_keys=ON``; DuckDB checks them itself),
    so a duplicate key or a reference to a missing parent row fails with a :class:`DataError`
    and leaves nothing behind. In SQLite a table may reference itself (referenced rows first).

    Parameters
    ----------
    path : str or path-like
        Output database (``.sqlite``, ``.sqlite3``, ``.db`` or ``.duckdb``). The file is written
        whole: with ``overwrite`` an existing database is replaced, not merged into.
    tables : mapping of str to pandas.DataFrame
        The tables (their index is not written).
    primary_keys : mapping of str to column name(s), optional
        Primary key of each table that has one.
    foreign_keys : mapping of str to list of (columns, parent_table, parent_columns), optional
        Foreign keys of each table; columns may be one name or a list (composite key).
    overwrite : bool
        Replace an existing file.
    format : str, optional
        ``"sqlite"`` or ``"duckdb"``, overriding the extension.

    Returns
    -------
    pathlib.Path
        The written database.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "shop.sqlite"
    >>> users = pd.DataFrame({"id": [1, 2]})
    >>> orders = pd.DataFrame({"id": [1, 2, 3], "user_id": [1, 1, 2]})
    >>> _ = write_database(db, {"users": users, "orders": orders},
    ...     primary_keys={"users": "id", "orders": "id"},
    ...     foreign_keys={"orders": [("user_id", "users", "id")]})
    >>> from synthcraft.storage import read_table
    >>> len(read_table(db, table="orders"))
    3
    """
    fmt = detect_format(path, format)
    if fmt not in DATABASE_FORMATS:
        raise UserInputError(
            f"write_database writes SQLite or DuckDB files, not {fmt}; name the file .sqlite or "
            ".duckdb, or write one file per table with write_tables(folder, tables)"
        )
    prepared = _prepare(tables, primary_keys or {}, foreign_keys or {})
    order = dependency_order({t: [fk[1] for fk in p.foreign_keys] for t, p in prepared.items()})
    final = Path(path)
    busy = Path(f"{final}-wal") if fmt == "sqlite" else wal_path(final)
    if busy.exists():
        raise DataError(
            f"database {show(final)} is open in another program (its {busy.name} file exists); "
            "close it and try again"
        )
    selfish = [t for t, p in prepared.items() if any(fk[1] == t for fk in p.foreign_keys)]
    if fmt == "duckdb" and selfish:
        raise UserInputError(
            f"table {selfish[0]!r} references itself, which DuckDB cannot check while the "
            "table is being filled; write it to SQLite (.sqlite) or drop that foreign key"
        )
    with atomic_path(final, overwrite=overwrite) as tmp:
        if fmt == "sqlite":
            _write_sqlite(tmp, [prepared[t] for t in order])
        else:
            _write_duckdb(tmp, [prepared[t] for t in order])
    if fmt == "duckdb":
        wal_path(final).unlink(missing_ok=True)  # a stale log would replay onto the new file
    return final


def _chunks(table: _Table) -> Iterator[pd.DataFrame]:
    for start in range(0, len(table.frame), CHUNK_ROWS):
        yield table.frame.iloc[start : start + CHUNK_ROWS]


def _key_error(table: _Table, detail: str) -> DataError:
    return DataError(
        f"table {table.name!r} breaks its keys ({detail}); make primary keys unique and non-null "
        "and give every foreign key value a parent row"
    )


def _write_sqlite(path: Path, tables: list[_Table]) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("BEGIN")
        for table in tables:
            con.execute(table.ddl(SQL_TYPES))
        for table in tables:
            marks = ", ".join("?" for _ in table.names)
            insert = f"INSERT INTO {quote_ident(table.name)} VALUES ({marks})"
            for chunk in _chunks(table):
                columns = [
                    _sql_values(s, k) for (_, s), k in zip(chunk.items(), table.kinds, strict=True)
                ]
                try:
                    con.executemany(insert, zip(*columns, strict=True))
                except sqlite3.IntegrityError as exc:
                    raise _key_error(table, str(exc)) from None
        try:
            con.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            raise _key_error(tables[-1], str(exc)) from None
    finally:
        con.close()


def _write_duckdb(path: Path, tables: list[_Table]) -> None:
    duckdb = _duckdb()
    path.unlink(missing_ok=True)  # DuckDB refuses the empty placeholder file
    try:
        with _connect(path, read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            for table in tables:
                con.execute(table.ddl(DUCK_TYPES))
            for table in tables:
                schema = arrow_schema(table.names, table.kinds)
                for chunk in _chunks(table):
                    con.register("_synthcraft_chunk", frame_to_arrow(chunk, schema))
                    try:
                        con.execute(
                            f"INSERT INTO {quote_ident(table.name)} SELECT * FROM _synthcraft_chunk"
                        )
                    except duckdb.ConstraintException as exc:
                        raise _key_error(table, _first_line(exc)) from None
                    finally:
                        with contextlib.suppress(duckdb.Error):  # fails once the txn is aborted
                            con.unregister("_synthcraft_chunk")
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
    finally:
        wal_path(path).unlink(missing_ok=True)


def _check_file_name(name: object) -> str:
    if (
        not isinstance(name, str)
        or not name
        or name.startswith(".")
        or any(c in name for c in "/\\\0:")
    ):
        raise UserInputError(
            f"table name {name!r} cannot be a file name; use letters, digits and _ (no path "
            "separators, no leading dot)"
        )
    return name


def tables_output(
    directory: str | os.PathLike[str],
    names: Sequence[str],
    *,
    format: str = "parquet",
    overwrite: bool = False,
) -> tuple[str, dict[str, Path]]:
    """Check that :func:`write_tables` may write ``names`` into ``directory``, before any work.

    Returns the format and the file of each table; raises what :func:`write_tables` would.
    """
    fmt = detect_format("", format)
    if fmt not in _FILE_EXTENSIONS:
        other = ", ".join(f for f in FORMATS if f in _FILE_EXTENSIONS)
        raise UserInputError(
            f"write_tables writes one file per table ({other}), not {fmt}; for a database use "
            "write_database(path, tables)"
        )
    if not names:
        raise UserInputError("tables must be a non-empty mapping of table name to DataFrame")
    names = [_check_file_name(t) for t in names]
    folded = [n.casefold() for n in names]
    clash = sorted({n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1})
    if clash:
        raise UserInputError(
            f"table names {', '.join(map(repr, clash))} differ only in case; rename them so their "
            "files do not collide"
        )
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise UserInputError(f"output {show(out)} is a file; give a folder for write_tables")
    if not out.parent.exists():
        raise UserInputError(f"output folder {show(out.parent)} does not exist; create it first")
    ext = _FILE_EXTENSIONS[fmt]
    targets = {n: out / f"{n}{ext}" for n in names}
    existing = [p.name for p in targets.values() if p.exists()]
    if existing and not overwrite:
        raise OutputExistsError(
            f"{', '.join(map(repr, existing))} already exist in {show(out)}; pass --overwrite "
            "(overwrite=True) to replace them"
        )
    return fmt, targets


def write_tables(
    directory: str | os.PathLike[str],
    tables: Mapping[str, pd.DataFrame],
    *,
    format: str = "parquet",
    overwrite: bool = False,
    excel_safe: bool = False,
) -> dict[str, Path]:
    """Write each table to ``<directory>/<table>.<ext>``, all or nothing.

    Every file is written into a temporary folder first. A new ``directory`` is then renamed
    into place in one step; into an existing folder the files are moved one by one (each move
    is atomic), after every table was written. Files of the folder not named by ``tables`` are
    left alone.

    Parameters
    ----------
    directory : str or path-like
        Output folder; its parent must exist. Created when absent.
    tables : mapping of str to pandas.DataFrame
        The tables; their names become file names.
    format : str
        ``"parquet"`` (default), ``"csv"``, ``"tsv"``, ``"jsonl"`` or ``"excel"``.
    overwrite : bool
        Replace existing files of the same names.
    excel_safe : bool
        As for :func:`~synthcraft.storage.write_table` (CSV/TSV formula escaping).

    Returns
    -------
    dict of str to pathlib.Path
        The written file of each table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tables"
    >>> files = write_tables(out, {"a": pd.DataFrame({"x": [1]})}, format="csv")
    >>> files["a"].name
    'a.csv'
    """
    if not isinstance(tables, Mapping) or not tables:
        raise UserInputError("tables must be a non-empty mapping of table name to DataFrame")
    fmt, targets = tables_output(directory, list(tables), format=format, overwrite=overwrite)
    out = Path(directory)
    fresh = not out.exists()
    staging = Path(
        tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent if fresh else out)
    )
    try:
        for name, frame in tables.items():
            write_table(frame, staging / targets[name].name, format=fmt, excel_safe=excel_safe)
        if fresh:
            os.chmod(staging, 0o755)
            os.rename(staging, out)
        else:
            for target in targets.values():
                os.replace(staging / target.name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staging)
    return targets
