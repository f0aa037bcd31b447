"""Bad and awkward tables given to ``detect``: clear one-line errors or a stated handling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import DataError, UserInputError
from synthcraft.metadata import ColumnKind, Metadata, detect, validate


def _one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert ";" in message  # what happened; what to do
    return message


def test_no_columns() -> None:
    with pytest.raises(DataError, match="no columns") as exc:
        detect(pd.DataFrame())
    _one_line(exc)


def test_header_only() -> None:
    with pytest.raises(DataError, match="header but no rows") as exc:
        detect(pd.DataFrame({"a": pd.Series([], dtype="Int64"), "b": pd.Series([], dtype="str")}))
    assert "at least one row" in _one_line(exc)


def test_not_a_frame() -> None:
    with pytest.raises(UserInputError, match="DataFrame"):
        detect([[1, 2]])  # type: ignore[arg-type]


def test_one_row() -> None:
    data = pd.DataFrame(
        {"id": [7], "age": [33], "w": [1.5], "c": ["x"], "code": ["A1"], "b": [True]}
    )
    md = detect(data)
    kinds = {c.name: c.kind for c in md}
    assert kinds == {
        "id": ColumnKind.ID,
        "age": ColumnKind.INTEGER,
        "w": ColumnKind.FLOAT,
        "c": ColumnKind.CATEGORICAL,
        "code": ColumnKind.CATEGORICAL,
        "b": ColumnKind.BOOLEAN,
    }
    assert (md["age"].minimum, md["age"].maximum) == (33, 33)
    assert md.primary_key == "id"
    assert validate(data, md) == []


def test_all_null_columns_keep_their_dtype_kind() -> None:
    n = 4
    data = pd.DataFrame(
        {
            "i": pd.array([None] * n, dtype="Int64"),
            "f": np.full(n, np.nan),
            "b": pd.array([None] * n, dtype="boolean"),
            "t": pd.Series([pd.NaT] * n, dtype="datetime64[us]"),
            "s": pd.Series([None] * n, dtype="str"),
            "o": pd.Series([None] * n, dtype=object),
        }
    )
    md = detect(data)
    expected = {
        "i": ColumnKind.INTEGER,
        "f": ColumnKind.FLOAT,
        "b": ColumnKind.BOOLEAN,
        "t": ColumnKind.DATETIME,
        "s": ColumnKind.CATEGORICAL,
        "o": ColumnKind.CATEGORICAL,
    }
    assert {c.name: c.kind for c in md} == expected
    assert all(c.missing_share == 1.0 for c in md)
    assert md["s"].categories == md["o"].categories == ()
    assert md["i"].minimum is None
    assert md["f"].decimals is None
    assert Metadata.from_json(md.to_json()) == md


def test_constant_columns() -> None:
    data = pd.DataFrame({"n": [5.5] * 10, "c": ["same"] * 10, "k": [2013] * 10})
    md = detect(data)
    assert (md["n"].minimum, md["n"].maximum, md["n"].decimals) == (5.5, 5.5, 1)
    assert md["c"].categories == ("same",)
    assert md["k"].kind is ColumnKind.CATEGORICAL
    assert md["k"].categories == (2013,)


def test_mixed_object_column_is_text_never_parsed() -> None:
    # Rule: an object column is numeric only when every value is a number; anything else is
    # text compared as str(value). Parsing "1,234" or "N/A" is storage's job.
    values = pd.Series([12, 15.5, "1,234", "N/A", "—", 12, 15.5, None], dtype=object)
    md = detect(pd.DataFrame({"amount": values}))
    col = md["amount"]
    assert col.kind is ColumnKind.CATEGORICAL
    assert col.categories == ("12", "15.5", "1,234", "N/A", "—")
    assert col.missing_share == pytest.approx(1 / 8)
    assert validate(pd.DataFrame({"amount": values}), md) == []


def test_object_numbers_are_numbers() -> None:
    data = pd.DataFrame(
        {
            "whole": pd.Series([1, 2, None, 40, 50, 60], dtype=object),
            "real": pd.Series([1, 2.5, None, 4, 5, 6], dtype=object),
        }
    )
    md = detect(data)
    assert md["whole"].kind is ColumnKind.INTEGER
    assert (md["whole"].minimum, md["whole"].maximum) == (1, 60)
    assert md["real"].kind is ColumnKind.FLOAT
    assert md["real"].decimals == 1


def test_infinities_are_ignored_by_bounds() -> None:
    data = pd.DataFrame({"x": [1.5, np.inf, -np.inf, 2.25, np.nan]})
    col = detect(data)["x"]
    assert col.kind is ColumnKind.FLOAT
    assert (col.minimum, col.maximum, col.decimals) == (1.5, 2.25, 2)
    assert col.missing_share == pytest.approx(0.2)
    only_inf = detect(pd.DataFrame({"x": [np.inf, -np.inf]}))["x"]
    assert only_inf.minimum is None
    assert only_inf.maximum is None


def test_duplicate_column_names() -> None:
    data = pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"])
    with pytest.raises(DataError, match="duplicate column names 'a'") as exc:
        detect(data)
    _one_line(exc)


def test_non_string_column_names() -> None:
    data = pd.DataFrame([[1, 2]], columns=[0, "b"])
    with pytest.raises(DataError, match="rename") as exc:
        detect(data)
    assert "0" in _one_line(exc)


def test_unicode_column_names() -> None:
    data = pd.DataFrame({"größe_cm": [170, 180, 165], "名前": ["a", "b", "a"], "🙂": [1.5, 2, 3]})
    md = detect(data)
    assert md.names == ["größe_cm", "名前", "🙂"]
    assert Metadata.from_json(md.to_json()) == md


def test_unknown_primary_key() -> None:
    with pytest.raises(UserInputError, match="not a column"):
        detect(pd.DataFrame({"a": [1, 2]}), primary_key="b")


def test_primary_key_with_repeats() -> None:
    data = pd.DataFrame({"a": [1, 1, None]})
    with pytest.raises(DataError, match="1 repeated and 1 missing") as exc:
        detect(data, primary_key="a")
    _one_line(exc)


def test_hundred_thousand_distinct_ids() -> None:
    n = 100_000
    data = pd.DataFrame(
        {
            "row": np.arange(n, dtype=np.int64),
            "customer_id": np.arange(n, dtype=np.int64) * 3,
            "token": [f"T{i:07d}" for i in range(n)],
        }
    )
    md = detect(data)
    assert md["customer_id"].kind is ColumnKind.ID
    assert md["customer_id"].unique
    assert md["token"].kind is ColumnKind.ID
    assert md["row"].kind is ColumnKind.INTEGER
    assert md.primary_key == "customer_id"


def test_mixed_time_zones_become_utc() -> None:
    values = pd.Series(
        [
            pd.Timestamp("2020-01-01 00:00", tz="UTC"),
            pd.Timestamp("2020-01-01 00:00", tz="Europe/Berlin"),
            pd.Timestamp("2020-06-01 00:00", tz="America/New_York"),
            None,
        ],
        dtype=object,
    )
    col = detect(pd.DataFrame({"t": values}))["t"]
    assert col.kind is ColumnKind.DATETIME
    assert col.timezone == "UTC"
    assert col.minimum == pd.Timestamp("2019-12-31 23:00", tz="UTC").timestamp()
    assert col.maximum == pd.Timestamp("2020-06-01 04:00", tz="UTC").timestamp()


def test_aware_and_naive_mixed_is_an_error() -> None:
    values = pd.Series([pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2020-01-02")])
    with pytest.raises(DataError, match="with and without a time zone") as exc:
        detect(pd.DataFrame({"t": values.astype(object)}))
    _one_line(exc)


def test_two_thousand_columns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 1_000
    columns: dict[str, object] = {}
    for i in range(2_000):
        kind = i % 4
        if kind == 0:
            columns[f"i{i}"] = rng.integers(0, 1_000, n)
        elif kind == 1:
            columns[f"f{i}"] = rng.normal(size=n).round(3)
        elif kind == 2:
            columns[f"s{i}"] = pd.Series(rng.choice(["x", "y", "z"], n), dtype="str")
        else:
            columns[f"b{i}"] = rng.random(n) < 0.5
    data = pd.DataFrame(columns)
    md = detect(data)
    assert len(md) == 2_000
    assert md["i0"].kind is ColumnKind.INTEGER
    assert md["f1"].decimals == 3
    assert md["s2"].kind is ColumnKind.CATEGORICAL
    assert md["b3"].kind is ColumnKind.BOOLEAN
