"""The canonical dtype policy, applied by ``canonicalize`` to in-memory frames."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthcraft.errors import DataError, UserInputError
from synthcraft.storage import DataWarning, canonicalize


def one(values: list[object], dtype: str | None = None) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return canonicalize(pd.DataFrame({"x": pd.Series(values, dtype=dtype)}))["x"]


@pytest.mark.parametrize(
    "token",
    [
        "",
        "  ",
        "NA",
        "N/A",
        "n/a",
        "NaN",
        "nan",
        "NULL",
        "null",
        "None",
        "#N/A",
        "?",
        "-",
        "—",
        "–",
        " NA ",
    ],
)
def test_missing_tokens_become_missing(token: str) -> None:
    out = one(["1", token, "3"], "str")
    assert str(out.dtype) == "Int64"
    assert out.isna().tolist() == [False, True, False]


def test_whole_numbers_are_int64_and_fractions_float64() -> None:
    assert one(["1", "-2", "+3", " 4 "], "str").tolist() == [1, -2, 3, 4]
    out = one(["1", "2.5", "-1e3", ".5"], "str")
    assert out.dtype == np.float64
    assert out.tolist() == [1.0, 2.5, -1000.0, 0.5]
    assert one(["1.0", "2.0"], "str").dtype == np.float64


def test_thousands_separators_with_missing_tokens() -> None:
    out = one(["1,234", "N/A", "—", "12", "1,234,567"], "str")
    assert str(out.dtype) == "Int64"
    assert out.tolist() == [1234, pd.NA, pd.NA, 12, 1_234_567]
    assert one(["1,234.5", "2"], "str").tolist() == [1234.5, 2.0]


@pytest.mark.parametrize("values", [["1,23", "4"], ["1.234,5", "2"], ["007", "12"], ["12", "x"]])
def test_not_quite_numbers_stay_text(values: list[str]) -> None:
    out = one(values, "str")
    assert str(out.dtype) == "str"
    assert out.tolist() == values


def test_whole_numbers_beyond_64_bits_stay_text() -> None:
    big = "123456789012345678901234567890"
    assert one([big, "1"], "str").tolist() == [big, "1"]


def test_infinities_become_missing_with_one_warning() -> None:
    frame = pd.DataFrame({"t": ["inf", "-inf", "1.5", "Infinity"], "f": [np.inf, 1.0, -np.inf, 2]})
    with pytest.warns(DataWarning) as record:
        out = canonicalize(frame)
    assert len(record) == 1
    message = str(record[0].message)
    assert "column 't': 3 infinite values read as missing" in message
    assert "column 'f': 2 infinite values" in message
    assert out["t"].isna().tolist() == [True, True, False, True]
    assert out["f"].tolist()[1] == 1.0


def test_booleans_any_case_but_not_numbers_or_words() -> None:
    out = one(["True", "false", "TRUE", None, "N/A"], "str")
    assert str(out.dtype) == "boolean"
    assert out.tolist() == [True, False, True, pd.NA, pd.NA]
    assert str(one(["0", "1"], "str").dtype) == "Int64"
    assert str(one(["yes", "no"], "str").dtype) == "str"
    assert str(one([True, None, False], "object").dtype) == "boolean"
    assert str(one([True, False]).dtype) == "boolean"


def test_iso_datetimes_naive_and_dates_are_midnight() -> None:
    out = one(["2020-01-31", "2020-02-01T10:11:12", "2020-02-02 10:11:12.123456", "NA"], "str")
    assert str(out.dtype) == "datetime64[us]"
    assert out.tolist()[:3] == [
        pd.Timestamp("2020-01-31"),
        pd.Timestamp("2020-02-01 10:11:12"),
        pd.Timestamp("2020-02-02 10:11:12.123456"),
    ]


def test_mixed_offsets_are_converted_to_utc() -> None:
    out = one(["2020-01-01T00:00:00Z", "2020-01-01T05:30:00+05:30", "2020-01-01T00:00-0100"], "str")
    assert str(out.dtype) == "datetime64[us, UTC]"
    assert out.tolist() == [
        pd.Timestamp("2020-01-01T00:00Z"),
        pd.Timestamp("2020-01-01T00:00Z"),
        pd.Timestamp("2020-01-01T01:00Z"),
    ]


def test_offsets_on_some_values_only_stay_text_with_a_warning() -> None:
    frame = pd.DataFrame({"t": ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00"]})
    with pytest.warns(DataWarning, match="'t' mix dates with and without a time zone"):
        out = canonicalize(frame)
    assert str(out["t"].dtype) == "str"


def test_invalid_iso_dates_stay_text() -> None:
    assert str(one(["2020-02-30", "2020-01-01"], "str").dtype) == "str"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["31/12/2020", "01/02/2021"], ["2020-12-31", "2021-02-01"]),
        (["12/31/2020", "02/01/2021"], ["2020-12-31", "2021-02-01"]),
        (["2020/12/31", "2021/2/1"], ["2020-12-31", "2021-02-01"]),
        (["31.12.2020", "1.2.2021"], ["2020-12-31", "2021-02-01"]),
    ],
)
def test_unambiguous_day_month_formats(values: list[str], expected: list[str]) -> None:
    out = one(values, "str")
    assert str(out.dtype) == "datetime64[us]"
    assert out.tolist() == [pd.Timestamp(e) for e in expected]


def test_ambiguous_day_month_stays_text() -> None:
    assert str(one(["01/02/2020", "03/04/2020"], "str").dtype) == "str"


def test_text_is_kept_as_written() -> None:
    out = one(["  padded ", "Zoë", "N/A", None, "東京"], "object")
    assert str(out.dtype) == "str"
    assert out.tolist()[:2] == ["  padded ", "Zoë"]
    assert out.isna().tolist() == [False, False, True, True, False]


def test_all_missing_and_constant_columns() -> None:
    assert str(one([None, "NA", ""], "str").dtype) == "str"
    assert one([None, "NA", ""], "str").isna().all()
    assert str(one([None, None], "Int64").dtype) == "Int64"
    assert str(one([np.nan, np.nan]).dtype) == "float64"
    assert one(["7", "7", "7"], "str").tolist() == [7, 7, 7]
    assert one(["x", "x"], "str").tolist() == ["x", "x"]


def test_source_types_map_to_canonical_dtypes() -> None:
    frame = pd.DataFrame(
        {
            "i8": np.array([1, 2], dtype=np.int8),
            "u": np.array([1, 2], dtype=np.uint32),
            "f32": np.array([1.5, 2], dtype=np.float32),
            "b": np.array([True, False]),
            "ns": pd.to_datetime(["2020-01-01", "2020-01-02"]).as_unit("ns"),
            "tz": pd.to_datetime(["2020-01-01 01:00", "2020-06-01 00:00"]).tz_localize(
                "Europe/Paris"
            ),
            "cat": pd.Categorical(["1", "2"]),
            "catx": pd.Categorical(["a", None]),
            "objnum": pd.Series([1, None], dtype=object),
            "mixed": pd.Series([1, "N/A"], dtype=object),
            "dates": pd.Series([dt.date(2020, 1, 1), None], dtype=object),
            "td": pd.to_timedelta(["1D", "2D"]),
        }
    )
    out = canonicalize(frame)
    assert {c: str(t) for c, t in out.dtypes.items()} == {
        "i8": "Int64",
        "u": "Int64",
        "f32": "float64",
        "b": "boolean",
        "ns": "datetime64[us]",
        "tz": "datetime64[us, UTC]",
        "cat": "Int64",
        "catx": "str",
        "objnum": "Int64",
        "mixed": "Int64",
        "dates": "datetime64[us]",
        "td": "str",
    }
    assert out["tz"].iloc[0] == pd.Timestamp("2020-01-01T00:00Z")


def test_column_names_become_strings_and_keep_unicode() -> None:
    out = canonicalize(pd.DataFrame({1: [1], ("a", "b"): [2], "Größe 体重": [3]}))
    assert list(out.columns) == ["1", "('a', 'b')", "Größe 体重"]


def test_duplicate_names_are_refused_by_name() -> None:
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"])
    with pytest.raises(DataError, match="duplicate column names 'a'; rename"):
        canonicalize(frame)
    with pytest.raises(DataError, match="'1'"):
        canonicalize(pd.DataFrame([[1, 2]], columns=[1, "1"]))


def test_index_is_kept_and_input_untouched() -> None:
    frame = pd.DataFrame({"a": ["1", "2"]}, index=[10, 10])
    out = canonicalize(frame)
    assert out.index.tolist() == [10, 10]
    assert frame["a"].tolist() == ["1", "2"]


def test_not_a_frame_is_refused() -> None:
    with pytest.raises(UserInputError, match="expected a pandas DataFrame"):
        canonicalize([1, 2])  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(-(10**6), 10**6).map(str),
            st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
            st.sampled_from(["true", "False", "NA", "x", "2020-01-01", "1,234", "—"]),
            st.text(max_size=5),
        ),
        max_size=12,
    )
)
def test_canonicalize_is_idempotent(values: list[str | None]) -> None:
    frame = pd.DataFrame({"x": pd.Series(values, dtype=object)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        once = canonicalize(frame)
        pd.testing.assert_frame_equal(canonicalize(once), once)
