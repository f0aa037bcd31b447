"""Databases with declared keys (SQLite, DuckDB) and folders of table files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import DataError, OutputExistsError, UserInputError
from synthcraft.storage import read_table, write_database, write_table
from synthcraft.storage._database import ForeignKeyDecl, dependency_order, write_tables

DATABASES = ["shop.sqlite", "shop.duckdb"]


def shop(seed: int) -> dict[str, pd.DataFrame]:
    """stores(region, store_no) <- sales; customers <- orders (one of them without customer)."""
    rng = np.random.default_rng(seed)
    customers = pd.DataFrame(
        {
            "customer_id": pd.array([1, 2, 3], dtype="Int64"),
            "name": pd.Series(["Zoë", "Ann", None], dtype="str"),
            "vip": pd.array([True, False, None], dtype="boolean"),
            "signup": pd.Series(
                pd.to_datetime(
                    pd.Series(["2020-01-01", "2021-06-30 12:34:56", None]), format="ISO8601"
                )
            ).dt.as_unit("us"),
        }
    )
    orders = pd.DataFrame(
        {
            "order_id": pd.Series([f"ORD-{i:03d}" for i in range(6)], dtype="str"),
            "customer_id": pd.array([1, 1, 2, 3, None, 2], dtype="Int64"),
            "total": rng.gamma(2.0, 10.0, 6),
            "at": pd.Series(
                pd.to_datetime(["2024-01-01T10:00Z"] * 6, utc=True, format="ISO8601")
            ).dt.as_unit("us"),
        }
    )
    stores = pd.DataFrame(
        {
            "region_id": pd.array([1, 1, 2], dtype="Int64"),
            "store_no": pd.array([1, 2, 1], dtype="Int64"),
            "city": pd.Series(["Berlin", "Bonn", "Paris"], dtype="str"),
        }
    )
    sales = pd.DataFrame(
        {
            "sale_id": pd.array(range(1, 5), dtype="Int64"),
            "region_id": pd.array([1, 2, 1, None], dtype="Int64"),
            "store_no": pd.array([2, 1, 1, None], dtype="Int64"),
            "amount": rng.normal(50.0, 5.0, 4),
        }
    )
    # children first: the writer must order the tables itself
    return {"orders": orders, "sales": sales, "customers": customers, "stores": stores}


PRIMARY_KEYS: dict[str, str | list[str]] = {
    "customers": "customer_id",
    "orders": ["order_id"],
    "stores": ["region_id", "store_no"],
    "sales": "sale_id",
}
FOREIGN_KEYS: dict[str, list[ForeignKeyDecl]] = {
    "orders": [("customer_id", "customers", "customer_id")],
    "sales": [(["region_id", "store_no"], "stores", ["region_id", "store_no"])],
}


def write_shop(path: Path, tables: dict[str, pd.DataFrame], *, overwrite: bool = False) -> Path:
    return write_database(
        path, tables, primary_keys=PRIMARY_KEYS, foreign_keys=FOREIGN_KEYS, overwrite=overwrite
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("name", DATABASES)
def test_tables_read_back_with_canonical_dtypes(tmp_path: Path, name: str, seed: int) -> None:
    tables = shop(seed)
    out = write_shop(tmp_path / name, tables)
    assert out == tmp_path / name
    for table, frame in tables.items():
        pd.testing.assert_frame_equal(read_table(out, table=table), frame)
    assert leftovers(tmp_path) == []


def test_sqlite_schema_declares_keys(tmp_path: Path, seed: int) -> None:
    out = write_shop(tmp_path / "shop.sqlite", shop(seed))
    con = sqlite3.connect(out)
    try:
        sql = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        assert 'PRIMARY KEY ("region_id", "store_no")' in sql["stores"]
        assert 'FOREIGN KEY ("customer_id") REFERENCES "customers" ("customer_id")' in sql["orders"]
        refs = con.execute("PRAGMA foreign_key_list(sales)").fetchall()
        assert sorted((r[2], r[3], r[4]) for r in refs) == [
            ("stores", "region_id", "region_id"),
            ("stores", "store_no", "store_no"),
        ]
        con.execute("PRAGMA foreign_keys=ON")
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO orders VALUES ('ORD-999', 99, 1.0, NULL)")
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO customers (customer_id) VALUES (1)")
    finally:
        con.close()


def test_duckdb_schema_declares_keys(tmp_path: Path, seed: int) -> None:
    out = write_shop(tmp_path / "shop.duckdb", shop(seed))
    con = duckdb.connect(str(out))
    try:
        rows = con.execute(
            "SELECT table_name, constraint_type, constraint_column_names "
            "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
        ).fetchall()
        found = {(t, c, tuple(cols)) for t, c, cols in rows}
        assert ("stores", "PRIMARY KEY", ("region_id", "store_no")) in found
        assert ("orders", "FOREIGN KEY", ("customer_id",)) in found
        assert ("sales", "FOREIGN KEY", ("region_id", "store_no")) in found
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO orders VALUES ('ORD-999', 99, 1.0, NULL)")
    finally:
        con.close()


@pytest.mark.parametrize("name", DATABASES)
def test_broken_reference_fails_and_leaves_nothing(tmp_path: Path, name: str, seed: int) -> None:
    tables = shop(seed)
    tables["orders"].loc[2, "customer_id"] = 42
    with pytest.raises(DataError, match="'orders' breaks its keys"):
        write_shop(tmp_path / name, tables)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", DATABASES)
def test_composite_reference_must_exist(tmp_path: Path, name: str, seed: int) -> None:
    tables = shop(seed)
    tables["sales"].loc[0, "store_no"] = 7  # (1, 7) is no store
    with pytest.raises(DataError, match="'sales' breaks its keys"):
        write_shop(tmp_path / name, tables)


@pytest.mark.parametrize("name", DATABASES)
def test_duplicate_primary_key_fails(tmp_path: Path, name: str, seed: int) -> None:
    tables = shop(seed)
    tables["customers"].loc[1, "customer_id"] = 1
    with pytest.raises(DataError, match="'customers' breaks its keys"):
        write_shop(tmp_path / name, tables)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", DATABASES)
def test_overwrite_refused_and_existing_file_kept_on_failure(
    tmp_path: Path, name: str, seed: int
) -> None:
    path = tmp_path / name
    write_shop(path, shop(seed))
    before = path.read_bytes()
    with pytest.raises(OutputExistsError, match="overwrite"):
        write_shop(path, shop(seed))
    broken = shop(seed)
    broken["orders"].loc[0, "customer_id"] = 42
    with pytest.raises(DataError):
        write_shop(path, broken, overwrite=True)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []
    smaller = {"customers": shop(seed)["customers"].iloc[:1]}
    write_database(path, smaller, primary_keys={"customers": "customer_id"}, overwrite=True)
    assert len(read_table(path)) == 1  # the whole file was replaced: one table left


def test_referenced_non_key_columns_become_unique(tmp_path: Path) -> None:
    tables = {
        "users": pd.DataFrame({"id": [1, 2], "email": ["a@x.org", "b@x.org"]}),
        "logins": pd.DataFrame({"email": ["a@x.org", "a@x.org", "b@x.org"]}),
    }
    out = write_database(
        tmp_path / "u.sqlite", tables, foreign_keys={"logins": [("email", "users", "email")]}
    )
    con = sqlite3.connect(out)
    try:
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'users'").fetchone()[0]
    finally:
        con.close()
    assert 'UNIQUE ("email")' in sql


def test_self_reference_in_sqlite(tmp_path: Path) -> None:
    staff = pd.DataFrame({"id": [1, 2, 3], "boss": pd.array([None, 1, 1], dtype="Int64")})
    keys = {"primary_keys": {"staff": "id"}, "foreign_keys": {"staff": [("boss", "staff", "id")]}}
    out = write_database(tmp_path / "staff.sqlite", {"staff": staff}, **keys)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(read_table(out), staff.astype({"id": "Int64"}))
    with pytest.raises(DataError, match="'staff' breaks its keys"):
        write_database(tmp_path / "bad.sqlite", {"staff": staff.iloc[::-1]}, **keys)  # type: ignore[arg-type]
    with pytest.raises(UserInputError, match="references itself"):
        write_database(tmp_path / "staff.duckdb", {"staff": staff}, **keys)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"primary_keys": {"nope": "id"}}, "table 'nope', which is not among"),
        ({"primary_keys": {"a": "nope"}}, "table 'a' has no column 'nope'"),
        ({"foreign_keys": {"a": [("id", "zzz", "id")]}}, "table 'zzz' is not among"),
        ({"foreign_keys": {"a": [(["id", "id"], "a", "id")]}}, "2 columns reference 1"),
        ({"foreign_keys": {"a": [("id", "a")]}}, r"\(columns, parent_table, parent_columns\)"),
        ({"primary_keys": {"a": []}}, "a column name or a list"),
    ],
)
def test_bad_key_declarations(tmp_path: Path, keys: dict[str, object], message: str) -> None:
    with pytest.raises(UserInputError, match=message):
        write_database(tmp_path / "x.sqlite", {"a": pd.DataFrame({"id": [1]})}, **keys)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": [1]})
    with pytest.raises(UserInputError, match="write_tables"):
        write_database(tmp_path / "x.parquet", {"a": frame})
    with pytest.raises(UserInputError, match="non-empty mapping"):
        write_database(tmp_path / "x.sqlite", {})
    with pytest.raises(UserInputError, match="must be a DataFrame"):
        write_database(tmp_path / "x.sqlite", {"a": [1, 2]})  # type: ignore[dict-item]
    with pytest.raises(DataError, match="no columns"):
        write_database(tmp_path / "x.sqlite", {"a": pd.DataFrame()})


def test_cycle_between_tables_is_refused(tmp_path: Path) -> None:
    assert dependency_order({"c": ["b"], "b": ["a"], "a": ["a"]}) == ["a", "b", "c"]
    frame = pd.DataFrame({"id": [1], "other": [1]})
    with pytest.raises(UserInputError, match="cycle"):
        write_database(
            tmp_path / "x.duckdb",
            {"a": frame, "b": frame},
            primary_keys={"a": "id", "b": "id"},
            foreign_keys={"a": [("other", "b", "id")], "b": [("other", "a", "id")]},
        )


def test_empty_tables_are_written(tmp_path: Path) -> None:
    empty = pd.DataFrame({"id": pd.array([], dtype="Int64"), "x": pd.Series([], dtype="str")})
    for name in DATABASES:
        out = write_database(tmp_path / name, {"t": empty}, primary_keys={"t": "id"})
        back = read_table(out, table="t")
        assert list(back.columns) == ["id", "x"]
        assert len(back) == 0


@pytest.mark.parametrize(("fmt", "ext"), [("csv", ".csv"), ("parquet", ".parquet")])
def test_write_tables_into_new_folder(tmp_path: Path, fmt: str, ext: str, seed: int) -> None:
    tables = shop(seed)
    out = tmp_path / "tables"
    files = write_tables(out, tables, format=fmt)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}{ext}" for t in tables)
    for table, frame in tables.items():
        assert files[table] == out / f"{table}{ext}"
        pd.testing.assert_frame_equal(read_table(files[table]), frame)
    assert leftovers(tmp_path) == []


def test_write_tables_is_all_or_nothing(tmp_path: Path, seed: int) -> None:
    tables: dict[str, object] = {"a": shop(seed)["stores"], "b": "not a frame"}
    with pytest.raises(UserInputError, match="DataFrame"):
        write_tables(tmp_path / "new", tables)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    out = tmp_path / "old"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    write_tables(out, {"a": shop(seed)["stores"]})
    before = (out / "a.parquet").read_bytes()
    with pytest.raises(OutputExistsError, match=r"'a\.parquet' already exist"):
        write_tables(out, {"a": shop(seed)["customers"]})
    with pytest.raises(UserInputError, match="DataFrame"):
        write_tables(out, tables, overwrite=True)  # type: ignore[arg-type]
    assert (out / "a.parquet").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["a.parquet", "keep.txt"]
    write_tables(out, {"a": shop(seed)["customers"]}, overwrite=True)
    pd.testing.assert_frame_equal(read_table(out / "a.parquet"), shop(seed)["customers"])


def test_write_tables_bad_arguments(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [1]})
    with pytest.raises(UserInputError, match="write_database"):
        write_tables(tmp_path / "o", {"a": frame}, format="sqlite")
    with pytest.raises(UserInputError, match="cannot be a file name"):
        write_tables(tmp_path / "o", {"../a": frame})
    with pytest.raises(UserInputError, match="differ only in case"):
        write_tables(tmp_path / "o", {"A": frame, "a": frame})
    with pytest.raises(UserInputError, match="does not exist"):
        write_tables(tmp_path / "no" / "o", {"a": frame})
    (tmp_path / "f").write_text("x")
    with pytest.raises(UserInputError, match="is a file"):
        write_tables(tmp_path / "f", {"a": frame})


@pytest.mark.parametrize("suffix", [".sqlite", ".duckdb"])
def test_names_that_differ_only_in_case_are_refused_for_databases(
    tmp_path: Path, suffix: str
) -> None:
    frame = pd.DataFrame({"a": [1], "A": [2]})
    with pytest.raises(DataError, match="'a' and 'A'"):
        write_table(frame, tmp_path / f"t{suffix}")
    assert not (tmp_path / f"t{suffix}").exists()
    write_table(frame, tmp_path / "t.csv")  # files keep both
