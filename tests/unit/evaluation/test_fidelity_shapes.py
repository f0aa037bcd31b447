"""Column shapes, missing values and plot data, pinned on frames small enough to check by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import DataError, UserInputError
from synthcraft.evaluation.fidelity import column_distributions, column_shapes, missing_values
from synthcraft.evaluation.fidelity._shapes import MAX_BARS, ks_statistic
from synthcraft.metadata import Column, ColumnKind, Metadata


def _md(*cols: Column) -> Metadata:
    return Metadata(cols)


def test_ks_complement_by_hand() -> None:
    md = _md(Column("x", ColumnKind.FLOAT, "float64"))
    real = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
    syn = pd.DataFrame({"x": [3.0, 4.0, 5.0, 6.0]})
    # ECDFs differ most at 2 (real 0.5, synthetic 0) and at 4 (1 vs 0.5): KS = 0.5
    result = column_shapes(real, syn, md)
    assert result.score == pytest.approx(0.5)
    assert result.details["columns"]["x"] == {"kind": "float", "statistic": "ks", "score": 0.5}
    assert result.goal == "maximize"
    assert result.bounds == (0.0, 1.0)


def test_ks_statistic_handles_ties() -> None:
    assert ks_statistic(np.array([1.0, 1.0, 2.0]), np.array([1.0, 2.0, 2.0])) == pytest.approx(
        1 / 3
    )
    assert ks_statistic(np.array([5.0]), np.array([5.0])) == 0.0


def test_tvd_complement_by_hand_for_categories_and_booleans() -> None:
    md = _md(
        Column("c", ColumnKind.CATEGORICAL, "str"),
        Column("b", ColumnKind.BOOLEAN, "boolean"),
    )
    real = pd.DataFrame(
        {"c": ["a", "a", "b", "b"], "b": pd.array([True, True, True, False], dtype="boolean")}
    )
    syn = pd.DataFrame(
        {"c": ["a", "b", "b", "b"], "b": pd.array([False, False, True, False], dtype="boolean")}
    )
    result = column_shapes(real, syn, md)
    # c: p = (.5, .5), q = (.25, .75): TVD .25; b: p(True) .75 vs .25: TVD .5
    assert result.details["columns"]["c"]["score"] == pytest.approx(0.75)
    assert result.details["columns"]["b"]["score"] == pytest.approx(0.5)
    assert result.score == pytest.approx(0.625)


def test_missing_values_are_dropped_per_column_and_compared_separately() -> None:
    md = _md(Column("x", ColumnKind.FLOAT, "float64"), Column("c", ColumnKind.CATEGORICAL, "str"))
    real = pd.DataFrame({"x": [1.0, np.nan, 2.0, np.nan], "c": ["a", None, "a", "b"]})
    syn = pd.DataFrame({"x": [1.0, 2.0, 1.0, 2.0], "c": ["a", "a", "b", "b"]})
    shapes = column_shapes(real, syn, md)
    assert shapes.details["columns"]["x"]["score"] == 1.0  # same values once NaN is dropped
    # c real without missing: a 2/3, b 1/3; synthetic: 1/2, 1/2 -> TVD 1/6
    assert shapes.details["columns"]["c"]["score"] == pytest.approx(5 / 6)
    missing = missing_values(real, syn, md)
    assert missing.details["columns"]["x"] == {"real": 0.5, "synthetic": 0.0, "score": 0.5}
    assert missing.details["columns"]["c"]["score"] == pytest.approx(0.75)
    assert missing.score == pytest.approx(0.625)


def test_datetimes_compare_as_numbers_and_ids_are_skipped() -> None:
    md = _md(
        Column("id", ColumnKind.ID, "int64", unique=True),
        Column("when", ColumnKind.DATETIME, "datetime64[us]"),
    )
    days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"])
    real = pd.DataFrame({"id": [1, 2, 3, 4], "when": days})
    syn = pd.DataFrame({"id": [9, 9, 9, 9], "when": days[[0, 0, 1, 1]]})
    result = column_shapes(real, syn, md)
    assert list(result.details["columns"]) == ["when"]
    assert result.score == pytest.approx(0.5)


def test_tz_aware_datetimes_are_compared_in_utc() -> None:
    md = _md(Column("when", ColumnKind.DATETIME, "datetime64[us, UTC]"))
    utc = pd.Series(pd.to_datetime(["2024-01-01 10:00", "2024-01-02 10:00"]).tz_localize("UTC"))
    berlin = utc.dt.tz_convert("Europe/Berlin")
    result = column_shapes(pd.DataFrame({"when": utc}), pd.DataFrame({"when": berlin}), md)
    assert result.score == 1.0


def test_a_column_empty_on_one_side_is_skipped_with_a_reason() -> None:
    md = _md(Column("x", ColumnKind.FLOAT, "float64"))
    real = pd.DataFrame({"x": [1.0, 2.0]})
    syn = pd.DataFrame({"x": [np.nan, np.nan]})
    result = column_shapes(real, syn, md)
    assert math.isnan(result.score)
    assert result.details["skipped"] == {"x": "no values on one side"}
    assert "reason" in result.details


def test_bad_inputs_raise_clear_errors() -> None:
    md = _md(Column("x", ColumnKind.FLOAT, "float64"))
    with pytest.raises(UserInputError, match="DataFrame"):
        column_shapes([1, 2], pd.DataFrame({"x": [1.0]}), md)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="lacks column 'x'"):
        column_shapes(pd.DataFrame({"x": [1.0]}), pd.DataFrame({"y": [1.0]}), md)
    with pytest.raises(DataError, match="no rows"):
        column_shapes(pd.DataFrame({"x": [1.0]}), pd.DataFrame({"x": []}), md)


def test_distributions_give_shares_per_bin_and_pool_rare_categories() -> None:
    seed = 7
    rng = np.random.default_rng(seed)
    md = _md(Column("x", ColumnKind.FLOAT, "float64"), Column("c", ColumnKind.CATEGORICAL, "str"))
    cats = [f"v{i}" for i in range(MAX_BARS + 5)]
    real = pd.DataFrame({"x": rng.normal(size=300), "c": rng.choice(cats, 300)})
    syn = pd.DataFrame({"x": rng.normal(size=200) + 10, "c": rng.choice(cats, 200)})
    plots = column_distributions(real, syn, md)
    hist = plots["x"]
    assert hist["type"] == "histogram"
    assert hist["edges"][0] == pytest.approx(real["x"].min())
    assert hist["edges"][-1] == pytest.approx(syn["x"].max())  # range of both samples
    assert sum(hist["real"]) == pytest.approx(1.0)
    assert sum(hist["synthetic"]) == pytest.approx(1.0)
    bars = plots["c"]
    assert len(bars["labels"]) == MAX_BARS + 1
    assert bars["labels"][-1] == "other (5 values)"
    assert sum(bars["real"]) == pytest.approx(1.0)
    assert bars["real"][0] == max(bars["real"][:-1])  # most frequent real value first
