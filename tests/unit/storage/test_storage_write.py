"""Writers: streaming, atomicity, overwrite rules, Excel limits and formula escaping."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from synthcraft.errors import DataError, OutputExistsError, UserInputError
from synthcraft.storage import (
    DataWarning,
    formula_columns,
    open_writer,
    read_table,
    write_table,
)
from synthcraft.storage._excel import EXCEL_MAX_ROWS, check_excel_size

ALL = ["t.csv", "t.tsv.gz", "t.jsonl.zst", "t.parquet", "t.xlsx", "t.sqlite", "t.duckdb"]


def chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)]


def write_then_fail(path: Path, *parts: pd.DataFrame, overwrite: bool = False) -> None:
    with open_writer(path, overwrite=overwrite) as writer:
        for part in parts:
            writer.write(part)
        raise RuntimeError("boom")


def write_parts(path: Path, *parts: pd.DataFrame) -> None:
    with open_writer(path) as writer:
        for part in parts:
            writer.write(part)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("name", ALL)
def test_streamed_chunks_equal_one_shot(tmp_path: Path, name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "i": pd.array(rng.integers(-5, 5, 23), dtype="Int64"),
            "f": rng.normal(size=23),
            "s": pd.Series(rng.choice(["a", "b", "=c"], 23), dtype="str"),
        }
    )
    one, many = tmp_path / "one", tmp_path / "many"
    one.mkdir()
    many.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        write_table(frame, one / name)
        with open_writer(many / name) as writer:
            for part in chunks(frame, 5):
                writer.write(part)
    assert writer.rows_written == 23
    pd.testing.assert_frame_equal(read_table(many / name), read_table(one / name))
    if name.endswith((".csv", ".gz", ".zst", ".parquet")):
        assert (many / name).read_bytes() == (one / name).read_bytes() or name.endswith("parquet")


@pytest.mark.parametrize("name", ALL)
def test_exception_mid_stream_leaves_nothing(tmp_path: Path, name: str) -> None:
    part = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail(tmp_path / name, part, part)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ALL)
def test_exception_mid_stream_keeps_existing_file(tmp_path: Path, name: str) -> None:
    path = write_table(pd.DataFrame({"a": [1, 2]}), tmp_path / name)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail(path, pd.DataFrame({"a": [7, 8, 9]}), overwrite=True)
    assert path.read_bytes() == before
    assert read_table(path)["a"].tolist() == [1, 2]
    assert leftovers(tmp_path) == []


def test_existing_output_is_refused_without_overwrite(tmp_path: Path) -> None:
    path = write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
    with pytest.raises(OutputExistsError, match="pass --overwrite"):
        write_table(pd.DataFrame({"a": [2]}), path)
    with pytest.raises(OutputExistsError):
        open_writer(path)
    write_table(pd.DataFrame({"a": [2]}), path, overwrite=True)
    assert read_table(path)["a"].tolist() == [2]


def test_missing_output_folder(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="does not exist; create it first"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "no" / "t.csv")


@pytest.mark.parametrize("name", ["d.sqlite", "d.duckdb"])
def test_database_tables_are_added_and_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_table(pd.DataFrame({"a": [1]}), path, table="first")
    write_table(pd.DataFrame({"b": ["x"]}), path, table="second")
    with pytest.raises(OutputExistsError, match="table 'first' already exists"):
        write_table(pd.DataFrame({"a": [2]}), path, table="first")
    write_table(pd.DataFrame({"a": [3, 4]}), path, table="first", overwrite=True)
    assert read_table(path, table="first")["a"].tolist() == [3, 4]
    assert read_table(path, table="second")["b"].tolist() == ["x"]
    assert leftovers(tmp_path) == []


def test_default_table_name_is_the_file_stem(tmp_path: Path) -> None:
    write_table(pd.DataFrame({"a": [1]}), tmp_path / "people.sqlite")
    assert read_table(tmp_path / "people.sqlite", table="people")["a"].tolist() == [1]


def test_excel_row_limit_is_checked_before_writing(tmp_path: Path) -> None:
    check_excel_size(EXCEL_MAX_ROWS, 3)
    with pytest.raises(DataError, match="at most 3 data rows"):
        check_excel_size(4, 1, max_rows=3)
    with pytest.raises(DataError, match="at most 16,384"):
        check_excel_size(1, 16_385)
    huge = pd.DataFrame({"a": np.zeros(EXCEL_MAX_ROWS + 1, dtype=np.int8)})
    with pytest.raises(
        DataError, match="1,048,576 rows but an Excel sheet holds at most 1,048,575"
    ):
        write_table(huge, tmp_path / "big.xlsx")
    with pytest.raises(DataError, match="Excel sheet"):
        write_parts(tmp_path / "s.xlsx", huge)
    assert list(tmp_path.iterdir()) == []


def test_excel_escapes_formula_text_but_not_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "t": pd.Series(["=SUM(A1:A2)", "+1 555", "@cmd", "-5", "plain", None], dtype="str"),
            "n": [-5, 3, 1, 0, 2, 7],
            "=head": ["ok"] * 6,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # Excel is always escaped: no warning
        write_table(frame, tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    sheet = book.active
    assert sheet["C1"].value == "'=head"
    assert [sheet.cell(r, 1).value for r in range(2, 8)] == [
        "'=SUM(A1:A2)",
        "'+1 555",
        "'@cmd",
        "-5",
        "plain",
        None,
    ]
    assert all(sheet.cell(r, 1).data_type != "f" for r in range(1, 8))
    assert [sheet.cell(r, 2).value for r in range(2, 8)] == [-5, 3, 1, 0, 2, 7]


def test_csv_warns_about_formulas_unless_excel_safe(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": ["=1+1", "x"], "b": ["\tTAB", "y"], "c": ["-1", "z"], "n": [-1, 2]})
    assert formula_columns(frame) == ["a", "b"]
    with pytest.warns(DataWarning, match=r"'a', 'b' .* pass excel_safe=True \(--excel-safe\)"):
        write_table(frame, tmp_path / "plain.csv")
    assert read_table(tmp_path / "plain.csv")["a"].tolist() == ["=1+1", "x"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        write_table(frame, tmp_path / "safe.csv", excel_safe=True)
    text = (tmp_path / "safe.csv").read_text(encoding="utf-8")
    assert text == "a,b,c,n\n'=1+1,'\tTAB,-1,-1\nx,y,z,2\n"
    with pytest.warns(DataWarning, match="'@name'"):
        write_table(pd.DataFrame({"@name": [1]}), tmp_path / "head.tsv")
    assert (tmp_path / "safe.tsv").exists() is False
    write_table(pd.DataFrame({"@name": ["+x"]}), tmp_path / "safe.tsv", excel_safe=True)
    assert (tmp_path / "safe.tsv").read_text(encoding="utf-8") == "'@name\n'+x\n"


def test_formula_columns_looks_only_at_text() -> None:
    frame = pd.DataFrame(
        {
            "num": [-1.5, 2.0],
            "obj": pd.Series([-3, "@x"], dtype=object),
            "cat": pd.Categorical(["=a", "b"]),
            "ok": ["1e5", "-2.5"],
        }
    )
    assert formula_columns(frame) == ["obj", "cat"]
    with pytest.raises(UserInputError):
        formula_columns("not a frame")  # type: ignore[arg-type]


def test_chunks_must_share_columns_and_dtypes(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="same columns"):
        write_parts(tmp_path / "t.csv", pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]}))
    with pytest.raises(DataError, match="column 'a' cannot be written as Int64"):
        write_parts(tmp_path / "t.parquet", pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [1.5]}))
    assert list(tmp_path.iterdir()) == []


def test_later_chunks_are_converted_to_the_first_chunks_dtypes(tmp_path: Path) -> None:
    with open_writer(tmp_path / "t.parquet") as w:
        w.write(pd.DataFrame({"a": pd.array([1], dtype="Int64"), "s": ["x"]}))
        w.write(pd.DataFrame({"a": [2.0], "s": [3]}))
    out = read_table(tmp_path / "t.parquet")
    assert out["a"].tolist() == [1, 2]
    assert out["s"].tolist() == ["x", "3"]


def test_writer_misuse(tmp_path: Path) -> None:
    with (
        pytest.raises(UserInputError, match="nothing was written"),
        open_writer(tmp_path / "t.csv"),
    ):
        pass
    writer = open_writer(tmp_path / "u.csv")
    writer.write(pd.DataFrame({"a": [1]}))
    assert writer.close() == tmp_path / "u.csv"
    with pytest.raises(UserInputError, match="closed"):
        writer.write(pd.DataFrame({"a": [1]}))
    with pytest.raises(UserInputError, match="DataFrame"):
        write_table([1, 2], tmp_path / "v.csv")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="no columns"):
        write_table(pd.DataFrame(), tmp_path / "w.csv")
    with pytest.raises(UserInputError, match="table= applies"):
        open_writer(tmp_path / "x.csv", table="t")
    with pytest.raises(UserInputError, match="not a valid Excel sheet name"):
        open_writer(tmp_path / "y.xlsx", table="a/b")
    with pytest.raises(DataError, match="duplicate column names 'a'"):
        write_table(pd.DataFrame([[1, 2]], columns=["a", "a"]), tmp_path / "z.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u.csv"]


def test_non_canonical_frames_are_written_by_kind(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "np_int": np.array([1, 2], dtype=np.int32),
            "obj_int": np.array([1, None], dtype=object),
            "np_bool": [True, False],
            "cat": pd.Categorical(["a", "b"]),
            "ns": pd.to_datetime(["2020-01-01 00:00:00.5", "2021-01-01"], format="ISO8601"),
            "paris": pd.to_datetime(["2020-01-01 01:00", "2020-07-01 02:00"]).tz_localize(
                "Europe/Paris"
            ),
        },
        index=[9, 3],
    )
    for name in ("k.csv", "k.sqlite", "k.xlsx"):
        out = read_table(write_table(frame, tmp_path / name))
        assert [str(t) for t in out.dtypes] == [
            "Int64",
            "Int64",
            "boolean",
            "str",
            "datetime64[us]",
            "datetime64[us, UTC]",
        ]
        assert out["paris"].tolist() == [
            pd.Timestamp("2020-01-01T00:00Z"),
            pd.Timestamp("2020-07-01T00:00Z"),
        ]


def test_gzip_output_is_reproducible(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": range(100)})
    first = write_table(frame, tmp_path / "a.csv.gz").read_bytes()
    second = write_table(frame, tmp_path / "a.csv.gz", overwrite=True).read_bytes()
    assert first == second
