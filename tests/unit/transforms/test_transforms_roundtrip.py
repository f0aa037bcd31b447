"""Property tests: inverse_transform(transform(x)) == x for every kind but ids and PII."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthcraft.metadata import Column, ColumnKind
from synthcraft.transforms import (
    BooleanEncoder,
    CategoricalEncoder,
    DatetimeEncoder,
    Encoder,
    NumericEncoder,
    TextEncoder,
)

SETTINGS = settings(max_examples=40, deadline=None)
US_1900, US_2100 = -2_208_988_800 * 10**6, 4_102_444_800 * 10**6


def roundtrip(encoder: Encoder, series: pd.Series, column: Column) -> pd.Series:
    """Fit, encode, check the encoded array, decode; also through a saved and loaded copy."""
    encoder.fit(series, column)
    encoded = encoder.transform(series)
    assert encoded.dtype == np.float64
    assert encoded.shape == (len(series), len(encoder.output_names))
    assert np.isfinite(encoded).all()
    decoded = encoder.inverse_transform(encoded)
    loaded = Encoder.from_state(*encoder.get_state())
    np.testing.assert_array_equal(loaded.transform(series), encoded)
    pd.testing.assert_series_equal(loaded.inverse_transform(encoded), decoded)
    return decoded


@SETTINGS
@given(
    st.integers(-(2**61), 2**61) | st.just(0),
    st.lists(st.none() | st.integers(-(2**52), 2**52), min_size=1, max_size=30),
)
def test_integers_with_missing_round_trip_exactly(shift: int, values: list[int | None]) -> None:
    s = pd.Series([None if v is None else v + shift for v in values], dtype="Int64", name="n")
    out = roundtrip(NumericEncoder(), s, Column("n", ColumnKind.INTEGER, "Int64"))
    pd.testing.assert_series_equal(out, s)


@SETTINGS
@given(st.lists(st.none() | st.floats(allow_nan=False, allow_infinity=False), min_size=1))
def test_floats_without_decimals_round_trip_exactly(values: list[float | None]) -> None:
    s = pd.Series([np.nan if v is None else v for v in values], dtype="float64", name="x")
    out = roundtrip(NumericEncoder(), s, Column("x", ColumnKind.FLOAT, "float64"))
    pd.testing.assert_series_equal(out, s)


@SETTINGS
@given(
    st.integers(0, 4),
    st.lists(st.none() | st.integers(-(10**9), 10**9), min_size=1, max_size=30),
)
def test_floats_round_trip_to_their_decimals(decimals: int, steps: list[int | None]) -> None:
    values = [np.nan if k is None else k / 10**decimals for k in steps]
    s = pd.Series(values, dtype="float64", name="x")
    column = Column("x", ColumnKind.FLOAT, "float64", decimals=decimals)
    pd.testing.assert_series_equal(roundtrip(NumericEncoder(), s, column), s)


def test_float_inverse_rounds_to_the_declared_decimals(seed: int) -> None:
    s = pd.Series(np.random.default_rng(seed).normal(50, 10, 200), name="x")
    enc = NumericEncoder().fit(s, Column("x", ColumnKind.FLOAT, "float64", decimals=1))
    out = enc.inverse_transform(enc.transform(s))
    pd.testing.assert_series_equal(out, s.round(1))


def test_integer_inverse_rounds_model_output_and_keeps_int64() -> None:
    s = pd.Series([10, 20, 30], dtype="Int64", name="n")
    enc = NumericEncoder().fit(s, Column("n", ColumnKind.INTEGER, "Int64"))
    out = enc.inverse_transform(enc.transform(s) + 0.01)
    assert str(out.dtype) == "Int64"
    assert out.tolist() == [10, 20, 30]


@SETTINGS
@given(st.lists(st.none() | st.booleans(), min_size=1, max_size=30))
def test_booleans_with_missing_round_trip(values: list[bool | None]) -> None:
    s = pd.Series(values, dtype="boolean", name="b")
    out = roundtrip(BooleanEncoder(), s, Column("b", ColumnKind.BOOLEAN, "boolean"))
    pd.testing.assert_series_equal(out, s)


@SETTINGS
@given(
    st.sampled_from(["onehot", "ordinal"]),
    st.lists(st.none() | st.sampled_from(["red", "green", "blue", "", "ünï"]), min_size=1),
)
def test_text_categories_with_missing_round_trip(mode: str, values: list[str | None]) -> None:
    s = pd.Series(values, dtype="str", name="c")
    column = Column("c", ColumnKind.CATEGORICAL, "str")
    pd.testing.assert_series_equal(roundtrip(CategoricalEncoder(mode=mode), s, column), s)


@SETTINGS
@given(
    st.sampled_from(["onehot", "ordinal"]),
    st.lists(st.none() | st.integers(-5, 5), min_size=1, max_size=30),
)
def test_integer_categories_with_missing_round_trip(mode: str, values: list[int | None]) -> None:
    s = pd.Series(values, dtype="Int64", name="k")
    column = Column("k", ColumnKind.CATEGORICAL, "Int64")
    pd.testing.assert_series_equal(roundtrip(CategoricalEncoder(mode=mode), s, column), s)


def test_declared_categories_keep_their_order_and_pandas_categoricals_round_trip() -> None:
    s = pd.Series(pd.Categorical(["lo", "hi", None, "mid"], categories=["lo", "mid", "hi"]))
    s.name = "level"
    enc = CategoricalEncoder().fit(s, Column("level", ColumnKind.CATEGORICAL, "category"))
    assert enc.categories_ == ["lo", "mid", "hi"]
    pd.testing.assert_series_equal(enc.inverse_transform(enc.transform(s)), s)
    col = Column("level", ColumnKind.CATEGORICAL, "str", categories=("mid", "zz"))
    plain = pd.Series(["hi", "mid"], dtype="str", name="level")
    assert CategoricalEncoder().fit(plain, col).categories_ == ["mid", "zz", "hi"]


def test_onehot_decodes_by_argmax_and_ordinal_by_clipped_rounding() -> None:
    s = pd.Series(["a", "b", "c"], dtype="str", name="c")
    column = Column("c", ColumnKind.CATEGORICAL, "str")
    onehot = CategoricalEncoder().fit(s, column)
    scores = np.array([[0.2, 0.7, 0.1], [0.5, 0.5, 0.0], [np.nan, 0.1, 0.3]])
    assert onehot.inverse_transform(scores).tolist() == ["b", "a", "c"]
    ordinal = CategoricalEncoder(mode="ordinal").fit(s, column)
    assert ordinal.inverse_transform(np.array([[-3.0], [1.4], [9.0]])).tolist() == ["a", "b", "c"]


@SETTINGS
@given(st.lists(st.none() | st.text(max_size=12), min_size=1, max_size=30))
def test_free_text_round_trips(values: list[str | None]) -> None:
    s = pd.Series(values, dtype="str", name="t")
    out = roundtrip(TextEncoder(), s, Column("t", ColumnKind.TEXT, "str"))
    pd.testing.assert_series_equal(out, s)


@SETTINGS
@given(
    st.sampled_from([None, "UTC", "Europe/Berlin"]),
    st.sampled_from([1, 10**6, 86_400 * 10**6]),
    st.lists(st.none() | st.integers(US_1900, US_2100), min_size=1, max_size=30),
)
def test_datetimes_with_missing_round_trip(
    tz: str | None, resolution: int, ticks: list[int | None]
) -> None:
    raw = np.array(
        [np.iinfo(np.int64).min if t is None else t // resolution * resolution for t in ticks],
        dtype=np.int64,
    )
    s = pd.Series(raw.view("M8[us]"), name="d")
    if tz is not None:
        s = s.dt.tz_localize("UTC").dt.tz_convert(tz)
    column = Column("d", ColumnKind.DATETIME, str(s.dtype), timezone=tz)
    out = roundtrip(DatetimeEncoder(), s, column)
    assert str(out.dtype) == str(s.dtype)
    pd.testing.assert_series_equal(out, s)


@SETTINGS
@given(st.lists(st.none() | st.integers(0, 2**52), min_size=1, max_size=30))
def test_nanosecond_datetimes_far_from_the_epoch_round_trip(offsets: list[int | None]) -> None:
    base = 978_307_200 * 10**9  # 2001-01-01 in nanoseconds
    raw = [np.iinfo(np.int64).min if k is None else base + k for k in offsets]
    s = pd.Series(np.array(raw, dtype=np.int64).view("M8[ns]"), name="d")
    column = Column("d", ColumnKind.DATETIME, "datetime64[ns]")
    pd.testing.assert_series_equal(roundtrip(DatetimeEncoder(), s, column), s)


def test_datetime_decodes_to_the_fitted_resolution() -> None:
    s = pd.Series(pd.to_datetime(["2024-01-01", "2024-03-15", "2025-07-04"]), name="d")
    s = s.astype("datetime64[us]")
    enc = DatetimeEncoder().fit(s, Column("d", ColumnKind.DATETIME, "datetime64[us]"))
    assert enc.step_ == 86_400 * 10**6
    noisy = enc.transform(s) + np.array([[0.013], [-0.02], [0.001]])
    out = enc.inverse_transform(noisy)
    assert (out == out.dt.normalize()).all()


@pytest.mark.parametrize(
    ("dtype", "values"),
    [("float32", [1.5, np.nan, -2.25]), ("int64", [3, 1, 2]), ("bool", [True, False, True])],
)
def test_non_canonical_dtypes_come_back_unchanged(dtype: str, values: list[object]) -> None:
    s = pd.Series(values, dtype=dtype, name="v")
    kind = ColumnKind.BOOLEAN if dtype == "bool" else ColumnKind.FLOAT
    enc: Encoder = BooleanEncoder() if dtype == "bool" else NumericEncoder()
    pd.testing.assert_series_equal(roundtrip(enc, s, Column("v", kind, dtype)), s)
