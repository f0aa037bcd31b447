"""Bad inputs and unfitted use: every failure is a SynthcraftError with a clear message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import DataError, MetadataError, NotFittedError, UserInputError
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.transforms import (
    BooleanEncoder,
    CategoricalEncoder,
    DatetimeEncoder,
    Encoder,
    IdEncoder,
    NumericEncoder,
    PiiEncoder,
    TableEncoder,
    TextEncoder,
)

ALL = [
    BooleanEncoder,
    CategoricalEncoder,
    DatetimeEncoder,
    IdEncoder,
    NumericEncoder,
    PiiEncoder,
    TextEncoder,
]


@pytest.mark.parametrize("cls", ALL)
def test_unfitted_encoders_raise_not_fitted(cls: type[Encoder]) -> None:
    enc = cls()
    s = pd.Series([1.0], name="x")
    with pytest.raises(NotFittedError, match="not fitted"):
        enc.transform(s)
    with pytest.raises(NotFittedError):
        enc.inverse_transform(np.zeros((1, 1)))
    with pytest.raises(NotFittedError):
        _ = enc.output_names
    with pytest.raises(NotFittedError):
        enc.get_state()


def test_unfitted_table_encoder_raises_not_fitted() -> None:
    enc = TableEncoder()
    with pytest.raises(NotFittedError):
        enc.transform(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(NotFittedError):
        enc.inverse_transform(np.zeros((1, 1)))
    with pytest.raises(NotFittedError):
        _ = enc.column_slices
    with pytest.raises(NotFittedError):
        enc.get_state()


def test_constructors_store_settings_only() -> None:
    enc = CategoricalEncoder(mode="bogus")
    assert enc.get_params() == {"mode": "bogus"}
    assert repr(enc) == "CategoricalEncoder(mode='bogus')"
    with pytest.raises(UserInputError, match="mode must be"):
        enc.fit(pd.Series(["a"], dtype="str", name="c"), Column("c", ColumnKind.CATEGORICAL))


@pytest.mark.parametrize(
    ("encoder", "series", "kind", "message"),
    [
        (NumericEncoder(), pd.Series(["a"], dtype="str"), ColumnKind.FLOAT, "not numbers"),
        (NumericEncoder(), pd.Series([True]), ColumnKind.FLOAT, "not numbers"),
        (NumericEncoder(), pd.Series([1.0, np.inf]), ColumnKind.FLOAT, "infinite"),
        (NumericEncoder(), pd.Series([2**62], dtype="Int64"), ColumnKind.INTEGER, "2\\*\\*62"),
        (NumericEncoder(), pd.Series([-(2**60), 2**60], dtype="Int64"), ColumnKind.INTEGER, "53"),
        (BooleanEncoder(), pd.Series(["yes"], dtype="str"), ColumnKind.BOOLEAN, "not booleans"),
        (DatetimeEncoder(), pd.Series(["2024"], dtype="str"), ColumnKind.DATETIME, "to_datetime"),
        (TextEncoder(), pd.Series([1.5]), ColumnKind.TEXT, "not text"),
        (CategoricalEncoder(), pd.Series([[1]], dtype=object), ColumnKind.CATEGORICAL, "as lists"),
        (NumericEncoder(), pd.Series([], dtype="float64"), ColumnKind.FLOAT, "no rows"),
    ],
)
def test_fit_refuses_unusable_columns(
    encoder: Encoder, series: pd.Series, kind: ColumnKind, message: str
) -> None:
    with pytest.raises(DataError, match=message):
        encoder.fit(series.rename("x"), Column("x", kind, str(series.dtype)))


def test_fit_needs_a_series_and_a_column() -> None:
    with pytest.raises(DataError, match="pandas Series"):
        NumericEncoder().fit([1.0, 2.0], Column("x", ColumnKind.FLOAT))  # type: ignore[arg-type]
    with pytest.raises(MetadataError, match="Column"):
        NumericEncoder().fit(pd.Series([1.0]), {"name": "x"})  # type: ignore[arg-type]


def test_transform_refuses_what_fit_did_not_see() -> None:
    col = Column("c", ColumnKind.CATEGORICAL, "str")
    enc = CategoricalEncoder().fit(pd.Series(["a", "b"], dtype="str", name="c"), col)
    with pytest.raises(DataError, match=r"not seen when the encoder was fitted, e\.g\. 'z'"):
        enc.transform(pd.Series(["a", "z"], dtype="str"))
    with pytest.raises(DataError, match="missing values but had none"):
        enc.transform(pd.Series(["a", None], dtype="str"))
    num = NumericEncoder().fit(pd.Series([1.5, 2.5], name="x"), Column("x", ColumnKind.FLOAT))
    with pytest.raises(DataError, match="dtype str"):
        num.transform(pd.Series(["1"], dtype="str"))
    day = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"]).as_unit("us"), name="d")
    dt = DatetimeEncoder().fit(day, Column("d", ColumnKind.DATETIME))
    with pytest.raises(DataError, match="finer than"):
        dt.transform(day + pd.Timedelta(seconds=1))


def test_inverse_refuses_bad_arrays() -> None:
    enc = NumericEncoder().fit(
        pd.Series([1, 2], dtype="Int64", name="n"), Column("n", ColumnKind.INTEGER)
    )
    with pytest.raises(DataError, match=r"shape \(n, 1\)"):
        enc.inverse_transform(np.zeros((2, 3)))
    with pytest.raises(DataError, match="NaN or infinite"):
        enc.inverse_transform(np.array([[np.nan]]))
    with pytest.raises(DataError, match="too large"):
        enc.inverse_transform(np.array([[1e300]]))
    with pytest.raises(DataError, match="must be numbers"):
        enc.inverse_transform(np.array([["a"]], dtype=object))
    with pytest.raises(DataError, match="start"):
        enc.inverse_transform(np.zeros((1, 1)), start=-1)
    day = pd.Series(pd.to_datetime(["2024-01-01"]).as_unit("us"), name="d")
    dt = DatetimeEncoder().fit(day, Column("d", ColumnKind.DATETIME))
    with pytest.raises(DataError, match="out of range"):
        dt.inverse_transform(np.array([[1e30]]))


def test_table_encoder_refuses_bad_frames_and_metadata() -> None:
    md = Metadata((Column("x", ColumnKind.FLOAT, "float64"),))
    with pytest.raises(DataError, match="DataFrame"):
        TableEncoder().fit(pd.Series([1.0]), md)  # type: ignore[arg-type]
    with pytest.raises(MetadataError, match="Metadata"):
        TableEncoder().fit(pd.DataFrame({"x": [1.0]}), {"x": "float"})  # type: ignore[arg-type]
    twice = pd.DataFrame([[1.0, 2.0]], columns=["x", "x"])
    with pytest.raises(DataError, match="appears twice"):
        TableEncoder().fit(twice, md)
    with pytest.raises(DataError, match="column names must be text"):
        TableEncoder().fit(pd.DataFrame({0: [1.0]}), md)
