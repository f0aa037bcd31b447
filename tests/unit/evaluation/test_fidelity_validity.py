"""Validity: each declared constraint gives the share of values that keep it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.evaluation.fidelity import validity
from synthcraft.metadata import Column, ColumnKind, Metadata


def _checks(result: object) -> dict[tuple[str, str], dict[str, object]]:
    details = result.details  # type: ignore[attr-defined]
    return {(c["column"], c["check"]): c for c in details["checks"]}


def test_each_check_by_hand() -> None:
    md = Metadata(
        (
            Column("id", ColumnKind.ID, "Int64", unique=True),
            Column("age", ColumnKind.INTEGER, "float64", minimum=0, maximum=120),
            Column("price", ColumnKind.FLOAT, "float64", decimals=2),
            Column("color", ColumnKind.CATEGORICAL, "str", categories=("red", "blue")),
            Column(
                "day",
                ColumnKind.DATETIME,
                "str",
                datetime_format="%d/%m/%Y",
                minimum=0.0,
                maximum=1.7e9,
            ),
        ),
        primary_key="id",
    )
    data = pd.DataFrame(
        {
            "id": pd.array([1, 2, 2, None], dtype="Int64"),
            "age": [30.0, 150.0, 40.5, np.nan],
            "price": [1.25, 3.5, 2.125, 4.0],
            "color": pd.Series(["red", "green", None, "blue"], dtype="str"),
            "day": pd.Series(["01/02/2020", "2020-02-01", "31/12/2099", None], dtype="str"),
        }
    )
    checks = _checks(validity(data, md))
    assert checks["id", "unique"]["share"] == 0.5  # a repeat and a missing key
    assert checks["id", "dtype"]["share"] == 1.0
    assert checks["age", "range"]["share"] == pytest.approx(2 / 3)
    assert checks["age", "range"]["example"] == "150.0"
    assert checks["age", "whole"]["share"] == pytest.approx(2 / 3)
    assert checks["price", "decimals"]["share"] == 0.75
    assert checks["color", "categories"]["share"] == pytest.approx(2 / 3)
    assert checks["color", "categories"]["example"] == "green"
    assert checks["day", "format"]["share"] == pytest.approx(2 / 3)
    # the unparseable day counts as out of range; 2099 is past the maximum
    assert checks["day", "range"]["share"] == pytest.approx(1 / 3)


def test_score_is_the_mean_share_and_dtype_changes_count() -> None:
    md = Metadata((Column("n", ColumnKind.INTEGER, "Int64", minimum=0, maximum=9),))
    good = pd.DataFrame({"n": pd.array([1, 2, 3, 4], dtype="Int64")})
    assert validity(good, md).score == 1.0
    wrong_dtype = pd.DataFrame({"n": [1, 2, 3, 40]})  # int64 and one value out of range
    result = validity(wrong_dtype, md)
    shares = {c["check"]: c["share"] for c in result.details["checks"]}
    assert shares == {"range": 0.75, "whole": 1.0, "dtype": 0.0}
    assert result.score == pytest.approx((0.75 + 1.0 + 0.0) / 3)
    assert "instead of Int64" in _checks(result)["n", "dtype"]["example"]  # type: ignore[operator]
