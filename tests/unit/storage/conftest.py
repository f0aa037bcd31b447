"""Shared fixtures of the storage tests: a seed and one frame with every canonical dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def seed() -> int:
    return 20240601


@pytest.fixture
def canonical_frame() -> pd.DataFrame:
    """Every canonical dtype, with missing values, unicode and awkward text."""
    return pd.DataFrame(
        {
            "count": pd.array([3, None, -12, 1_234_567], dtype="Int64"),
            "score": [0.5, np.nan, -2.25, 1e-7],
            "flag": pd.array([True, None, False, True], dtype="boolean"),
            "name": pd.Series(["Zoë", None, 'comma, "quote"\nnew line', "東京"], dtype="str"),
            "when": pd.Series(
                pd.to_datetime(
                    ["2020-01-01", "2021-06-30 12:34:56", None, "1850-03-04 05:06:07.123456"],
                    format="ISO8601",
                )
            ).dt.as_unit("us"),
            "at": pd.Series(
                pd.to_datetime(
                    ["2020-01-01T00:00Z", None, "2021-06-30T12:34:56.5+02:00", "2022-12-31T23:59Z"],
                    format="ISO8601",
                    utc=True,
                )
            ).dt.as_unit("us"),
        }
    )
