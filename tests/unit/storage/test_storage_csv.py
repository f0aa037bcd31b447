"""Reading CSV/TSV text: separators, encodings, quoting and every kind of bad file."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import DataError, UserInputError
from synthcraft.storage import DataWarning, read_table, write_table
from synthcraft.storage._csv import sniff_separator


def put(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separator_is_sniffed(tmp_path: Path, sep: str) -> None:
    text = sep.join(["id", "price", "city"]) + "\n"
    text += sep.join(["1", "2.5", "Köln"]) + "\n" + sep.join(["2", "3", "Berlin"]) + "\n"
    out = read_table(put(tmp_path / "t.csv", text))
    assert list(out.columns) == ["id", "price", "city"]
    assert out["price"].tolist() == [2.5, 3.0]


def test_semicolon_file_reads_decimal_commas_as_numbers(tmp_path: Path) -> None:
    text = "a;b;c;d\n1,5;x;1.234,5;1,5\n2,5;y;NA;abc\n-3;z;7;2\n"
    out = read_table(put(tmp_path / "t.csv", text))
    assert list(out.columns) == ["a", "b", "c", "d"]
    assert out["a"].dtype == "float64"
    assert out["a"].tolist() == [1.5, 2.5, -3.0]
    assert out["c"].tolist()[::2] == [1234.5, 7.0]
    assert out["c"].isna().tolist() == [False, True, False]
    assert out["d"].tolist() == ["1,5", "abc", "2"]  # not all numbers: kept as text


def test_comma_file_keeps_thousands_separators(tmp_path: Path) -> None:
    out = read_table(put(tmp_path / "t.csv", 'a,b\n"1,500",x\n"2,500",y\n'))
    assert out["a"].tolist() == [1500, 2500]


def test_sniffer_falls_back_to_consistent_counts() -> None:
    assert sniff_separator("a|b|c\n1|2|3\n4|5|6\n", complete=True) == "|"
    assert sniff_separator("only\n1\n2\n", complete=True) == ","
    assert sniff_separator('a;b\n"x, y";1\n"z, w";2\n', complete=True) == ";"
    assert sniff_separator("a\tb\n1\t2\n3\t4\npartial li", complete=False) == "\t"


def test_quoted_fields_with_newlines_and_quotes(tmp_path: Path) -> None:
    text = 'id,note\n1,"line one\nline two"\n2,"she said ""hi"", then left"\n'
    out = read_table(put(tmp_path / "t.csv", text))
    assert out["note"].tolist() == ["line one\nline two", 'she said "hi", then left']
    assert out["id"].tolist() == [1, 2]


def test_tsv_and_txt_extensions(tmp_path: Path) -> None:
    assert read_table(put(tmp_path / "t.tsv", "a\tb c\n1\tx y\n"))["b c"].tolist() == ["x y"]
    assert read_table(put(tmp_path / "t.TXT", "a;b\n1;2\n")).shape == (1, 2)


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    out = read_table(put(tmp_path / "t.csv", "\ufeffnom,âge\nZoë,3\n"))
    assert list(out.columns) == ["nom", "âge"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    out = read_table(put(tmp_path / "t.csv", "name\tn\nΩmega\t1\n", "utf-16"))
    assert out["name"].tolist() == ["Ωmega"]
    assert out["n"].tolist() == [1]


def test_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = put(tmp_path / "t.csv", "name,city\nRené,Zürich\nJosé,Málaga\n", "cp1252")
    with pytest.warns(DataWarning, match="cp1252"):
        out = read_table(path)
    assert out["name"].tolist() == ["René", "José"]
    assert out["city"].tolist() == ["Zürich", "Málaga"]


def test_explicit_encoding_is_used_without_warning(tmp_path: Path) -> None:
    path = put(tmp_path / "t.csv", "name\nRené\n", "latin-1")
    assert read_table(path, encoding="latin-1")["name"].tolist() == ["René"]
    with pytest.raises(DataError, match="not valid 'utf-8' text"):
        read_table(path, encoding="utf-8")


def test_random_bytes_are_not_a_table(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(np.random.default_rng(seed).bytes(4096))
    with pytest.raises(DataError, match=r"'.*x\.csv' does not look like a text table"):
        read_table(path)


def test_nul_bytes_are_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n1,\x002\n")
    with pytest.raises(DataError, match="pass format="):
        read_table(path)


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(DataError, match=r"file '.*e\.csv' is empty"):
        read_table(tmp_path / "e.csv")
    with pytest.raises(DataError, match="is empty"):
        read_table(put(tmp_path / "b.csv", "\n\n  \n"))


def test_header_only_gives_zero_text_rows(tmp_path: Path) -> None:
    out = read_table(put(tmp_path / "h.csv", "a,b,c\n"))
    assert out.shape == (0, 3)
    assert all(str(t) == "str" for t in out.dtypes)


def test_one_row(tmp_path: Path) -> None:
    out = read_table(put(tmp_path / "r.csv", "a,b\n1,x"))
    assert out["a"].tolist() == [1]
    assert out["b"].tolist() == ["x"]


def test_duplicate_header_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="duplicate column names 'a'; rename"):
        read_table(put(tmp_path / "d.csv", "a,b,a\n1,2,3\n"))


def test_unicode_and_numeric_header_names(tmp_path: Path) -> None:
    out = read_table(put(tmp_path / "u.csv", "2020,名前,émoji 😀\n1,x,y\n"))
    assert list(out.columns) == ["2020", "名前", "émoji 😀"]


def test_ragged_rows_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a well-formed table"):
        read_table(put(tmp_path / "r.csv", "a,b\n1,2\n3,4,5\n"))


def test_mixed_column_with_separators_and_missing_tokens(tmp_path: Path) -> None:
    text = 'n,x\n"1,234",a\nN/A,b\n—,c\n5,d\n-,e\n'
    out = read_table(put(tmp_path / "m.csv", text))
    assert str(out["n"].dtype) == "Int64"
    assert out["n"].tolist() == [1234, pd.NA, pd.NA, 5, pd.NA]


def test_all_null_and_constant_columns(tmp_path: Path) -> None:
    out = read_table(put(tmp_path / "n.csv", "a,b,c\n,7,k\nNA,7,k\n"))
    assert str(out["a"].dtype) == "str"
    assert out["a"].isna().all()
    assert out["b"].tolist() == [7, 7]
    assert out["c"].tolist() == ["k", "k"]


def test_infinite_values_warn_and_become_missing(tmp_path: Path) -> None:
    with pytest.warns(DataWarning, match="column 'x': 2 infinite values read as missing"):
        out = read_table(put(tmp_path / "i.csv", "x\n1.5\ninf\n-inf\n"))
    assert out["x"].isna().tolist() == [False, True, True]


def test_mixed_time_zones_in_csv(tmp_path: Path) -> None:
    text = "t\n2024-03-01T12:00:00+01:00\n2024-03-01T12:00:00Z\n2024-03-01T06:00:00-05:00\n"
    out = read_table(put(tmp_path / "z.csv", text))
    assert str(out["t"].dtype) == "datetime64[us, UTC]"
    assert out["t"].dt.hour.tolist() == [11, 12, 11]


def test_gzip_file_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "g.csv.gz"
    path.write_bytes(gzip.compress(b"a;b\n1;2\n"))
    assert read_table(path).to_dict("list") == {"a": [1], "b": [2]}


def test_corrupt_gzip_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "g.csv.gz"
    path.write_bytes(b"\x1f\x8b" + b"garbage" * 10)
    with pytest.raises(DataError):
        read_table(path)


def test_two_thousand_columns_round_trip(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(20, 2000)), columns=[f"c{i}" for i in range(2000)])
    frame["c7"] = pd.array(rng.integers(0, 9, 20), dtype="Int64")
    for name in ("w.csv", "w.parquet"):
        back = read_table(write_table(frame, tmp_path / name))
        pd.testing.assert_frame_equal(back, frame)


def test_options_that_do_not_apply_are_refused(tmp_path: Path) -> None:
    path = put(tmp_path / "t.csv", "a\n1\n")
    with pytest.raises(UserInputError, match="sheet= applies to Excel"):
        read_table(path, sheet="x")
    with pytest.raises(UserInputError, match="table= applies to SQLite"):
        read_table(path, table="x")
