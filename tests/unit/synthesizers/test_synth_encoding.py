"""Column encodings round-trip within the stored bounds and resolution."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from synthcraft.metadata import Column, ColumnKind
from synthcraft.synthesizers._encoding import MISSING, POOLED, ColumnCodec


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-(10**6), 10**6)), min_size=1, max_size=40))
def test_integer_round_trip(values: list[int | None]) -> None:
    series = pd.Series(pd.array(values, dtype="Int64"))
    codec = ColumnCodec(Column("n", ColumnKind.INTEGER, "Int64", minimum=-(10**6), maximum=10**6))
    pd.testing.assert_series_equal(codec.decode(codec.encode(series)), series, check_names=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=30))
def test_datetime_round_trip_at_second_resolution(seconds: list[int]) -> None:
    stamps = pd.Series(np.array(seconds, dtype="datetime64[s]").astype("datetime64[us]"))
    stamps = stamps.dt.tz_localize("UTC")
    column = Column(
        "t", ColumnKind.DATETIME, "datetime64[us, UTC]", minimum=0.0, maximum=1e9, timezone="UTC"
    )
    codec = ColumnCodec(column, step_us=1_000_000)
    pd.testing.assert_series_equal(codec.decode(codec.encode(stamps)), stamps, check_names=False)


def test_categories_missing_and_pooled_codes() -> None:
    column = Column("c", ColumnKind.CATEGORICAL, "str", categories=("a", "b"))
    codec = ColumnCodec(column)
    codes = codec.encode(pd.Series(["a", None, "zz", "b"], dtype="str"))
    assert codes.tolist() == [0, MISSING, POOLED, 1]
    out = codec.decode(np.array([1, 0, MISSING]))
    assert out.dtype == "str"
    assert out.iloc[:2].tolist() == ["b", "a"]
    assert pd.isna(out.iloc[2])


def test_boolean_and_integer_categories_decode_to_their_dtypes() -> None:
    flags = ColumnCodec(Column("f", ColumnKind.BOOLEAN, "boolean", categories=(False, True)))
    out = flags.decode(np.array([1, 0, MISSING]))
    assert out.dtype == "boolean"
    assert out.tolist()[:2] == [True, False]
    years = ColumnCodec(Column("y", ColumnKind.CATEGORICAL, "Int64", categories=(2020, 2021)))
    encoded = years.encode(pd.Series(pd.array([2021, None, 2020], dtype="Int64")))
    assert encoded.tolist() == [1, MISSING, 0]
    assert years.decode(encoded).tolist()[0] == 2021


def test_decode_rounds_and_clips() -> None:
    codec = ColumnCodec(
        Column("p", ColumnKind.FLOAT, "float64", minimum=1.0, maximum=2.0, decimals=1)
    )
    out = codec.decode(np.array([0.5, 1.234, 1.26, 9.0, np.nan]))
    assert out.iloc[:4].tolist() == [1.0, 1.2, 1.3, 2.0]
    assert np.isnan(out.iloc[4])
