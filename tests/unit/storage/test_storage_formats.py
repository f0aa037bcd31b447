"""Formats by extension, input paths, JSON Lines, Parquet, Excel and database reading."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pytest

from synthcraft.errors import DataError, UserInputError
from synthcraft.storage import FORMATS, DataWarning, detect_format, read_table, write_table


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", "csv"),
        ("A.CSV.GZ", "csv"),
        ("a.txt.zst", "csv"),
        ("a.tsv", "tsv"),
        ("a.tsv.gz", "tsv"),
        ("a.parquet", "parquet"),
        ("a.pq", "parquet"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson.zst", "jsonl"),
        ("a.xlsx", "excel"),
        ("a.sqlite", "sqlite"),
        ("a.sqlite3", "sqlite"),
        ("a.db", "sqlite"),
        ("a.DuckDB", "duckdb"),
    ],
)
def test_detect_format_by_extension(name: str, expected: str) -> None:
    assert detect_format(name) == expected


def test_format_override_and_aliases() -> None:
    assert detect_format("data.bin", format="PARQUET") == "parquet"
    assert detect_format("data.bin", format="xlsx") == "excel"
    assert FORMATS == ("csv", "tsv", "parquet", "jsonl", "excel", "sqlite", "duckdb")
    with pytest.raises(UserInputError, match="unknown format 'feather'; use one of csv, tsv"):
        detect_format("a.csv", format="feather")


@pytest.mark.parametrize("name", ["data.bin", "data", "a.parquet.gz", "a.xlsx.zst"])
def test_unknown_extension_lists_formats_and_says_format(name: str) -> None:
    with pytest.raises(UserInputError, match=r"csv, tsv, parquet.*pass format= \(--format\)"):
        detect_format(name)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"file '.*nope\.csv' does not exist; check the path"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DataError, match="is a folder"):
        read_table(tmp_path / "dir.csv")


@pytest.mark.parametrize("name", ["e.parquet", "e.xlsx", "e.sqlite", "e.duckdb", "e.jsonl"])
def test_empty_files_of_every_format(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(DataError, match="is empty"):
        read_table(tmp_path / name)


@pytest.mark.parametrize("name", ["x.parquet", "x.xlsx", "x.sqlite", "x.duckdb"])
def test_corrupt_binary_files_are_data_errors(tmp_path: Path, name: str, seed: int) -> None:
    (tmp_path / name).write_bytes(np.random.default_rng(seed).bytes(2048))
    with pytest.raises(DataError, match="check the file"):
        read_table(tmp_path / name)


def test_jsonl_types_keys_and_nesting(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"i": 1, "f": 1.5, "b": true, "s": "x", "d": "2020-01-01"}\n'
        "\n"
        '{"i": null, "f": 2, "b": null, "s": "NA", "extra": {"k": [1, 2]}}\n',
        encoding="utf-8",
    )
    out = read_table(path)
    assert list(out.columns) == ["i", "f", "b", "s", "d", "extra"]
    assert {c: str(t) for c, t in out.dtypes.items()} == {
        "i": "Int64",
        "f": "float64",
        "b": "boolean",
        "s": "str",
        "d": "datetime64[us]",
        "extra": "str",
    }
    assert out["extra"].tolist()[1] == '{"k": [1, 2]}'


@pytest.mark.parametrize(
    ("text", "match"),
    [('{"a": 1}\n{"a": \n', "line 2 .* not valid JSON"), ("[1, 2]\n", "not an object")],
)
def test_bad_jsonl_lines(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=match):
        read_table(path)


def test_parquet_sources_follow_the_text_rules(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "cat": pd.Categorical(["1", "2", None]),
            "obj": np.array(["true", "FALSE", "n/a"], dtype=object),
            "i": pd.array([None, None, None], dtype="Int64"),
            "f": [1.0, 2.0, np.inf],
        },
        index=pd.Index([5, 6, 7], name="key"),
    )
    frame.to_parquet(tmp_path / "p.parquet")
    with pytest.warns(DataWarning, match="column 'f': 1 infinite value read as missing"):
        out = read_table(tmp_path / "p.parquet")
    assert list(out.columns) == ["key", "cat", "obj", "i", "f"]
    assert [str(t) for t in out.dtypes] == ["Int64", "Int64", "boolean", "Int64", "float64"]


def test_excel_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "people"
    first.append(["name", "age", "joined"])
    first.append(["Ann", 31, "2020-01-02"])
    first.append(["Bob", "N/A", None])
    second = book.create_sheet("other")
    second.append(["x"])
    second.append([1.5])
    book.save(tmp_path / "b.xlsx")
    out = read_table(tmp_path / "b.xlsx")
    assert out["age"].tolist() == [31, pd.NA]
    assert str(out["joined"].dtype) == "datetime64[us]"
    assert read_table(tmp_path / "b.xlsx", sheet="other")["x"].tolist() == [1.5]
    with pytest.raises(DataError, match=r"sheet 'nope' not found .* 'people', 'other'"):
        read_table(tmp_path / "b.xlsx", sheet="nope")


def test_sqlite_tables_and_declared_types(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    con = sqlite3.connect(path)
    with con:
        # pandas' sqlite3 fallback declares booleans INTEGER (0/1 stay Int64, by the policy)
        pd.DataFrame({"flag": [True, False], "when": pd.to_datetime(["2020-01-01"] * 2)}).to_sql(
            "pandas_made", con, index=False
        )
        con.execute("CREATE TABLE other (a INTEGER, r REAL, t TEXT, ts TIMESTAMP, b BOOLEAN)")
        con.execute(
            "INSERT INTO other VALUES (NULL, 1, '3', NULL, 1), (NULL, NULL, NULL, NULL, NULL)"
        )
    con.close()
    with pytest.raises(DataError, match=r"has 2 tables \('other', 'pandas_made'\); pass table="):
        read_table(path)
    with pytest.raises(DataError, match=r"table 'nope' not found .* 'other', 'pandas_made'"):
        read_table(path, table="nope")
    made = read_table(path, table="pandas_made")
    assert [str(t) for t in made.dtypes] == ["Int64", "datetime64[us]"]
    other = read_table(path, table="other")
    assert [str(t) for t in other.dtypes] == [
        "Int64",
        "float64",
        "Int64",
        "datetime64[us]",
        "boolean",
    ]
    assert other["b"].tolist() == [True, pd.NA]


def test_duckdb_tables(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE a (i INTEGER, d DOUBLE, t TIMESTAMPTZ, s VARCHAR)")
    con.execute("INSERT INTO a VALUES (NULL, 1, '2020-01-01 01:00:00+01', '1,234')")
    con.execute("CREATE TABLE b (x INTEGER)")
    con.close()
    with pytest.raises(DataError, match=r"has 2 tables \('a', 'b'\); pass table="):
        read_table(path)
    out = read_table(path, table="a")
    assert [str(t) for t in out.dtypes] == ["Int64", "float64", "datetime64[us, UTC]", "Int64"]
    assert out["t"].iloc[0] == pd.Timestamp("2020-01-01T00:00Z")
    with pytest.raises(DataError, match="table 'c' not found"):
        read_table(path, table="c")


def test_a_duckdb_file_named_db_hints_at_format(tmp_path: Path) -> None:
    write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.duckdb")
    (tmp_path / "x.duckdb").rename(tmp_path / "x.db")
    with pytest.raises(DataError, match="format='duckdb'"):
        read_table(tmp_path / "x.db")
    assert read_table(tmp_path / "x.db", format="duckdb")["a"].tolist() == [1]
