"""Shared fixtures for the privacy metric tests: a seed and a small mixed table generator."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from synthcraft.metadata import Column, ColumnKind, Metadata

MakeFrame = Callable[[int, int], pd.DataFrame]


@pytest.fixture
def seed() -> int:
    """The one seed these tests draw from."""
    return 20_240_611


@pytest.fixture
def mixed_metadata() -> Metadata:
    """An id, three numbers (one with missing values), a datetime, two categories, a boolean."""
    return Metadata(
        (
            Column("id", ColumnKind.ID, "Int64", unique=True),
            Column("age", ColumnKind.INTEGER, "Int64"),
            Column("income", ColumnKind.FLOAT, "float64"),
            Column("score", ColumnKind.FLOAT, "float64"),
            Column("joined", ColumnKind.DATETIME, "datetime64[us]"),
            Column("city", ColumnKind.CATEGORICAL, "str"),
            Column("member", ColumnKind.BOOLEAN, "boolean"),
            Column("plan", ColumnKind.CATEGORICAL, "str"),
        ),
        primary_key="id",
    )


@pytest.fixture
def make_frame() -> MakeFrame:
    """``make_frame(n_rows, seed)``: an independent sample of one fixed mixed distribution."""

    def make(n_rows: int, seed: int) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        age = rng.integers(18, 90, size=n_rows)
        income = np.round(np.exp(rng.normal(10 + 0.01 * age, 0.5)), 2)
        score = rng.normal(size=n_rows)
        score[rng.random(n_rows) < 0.1] = np.nan
        joined = pd.Timestamp("2020-01-01") + pd.to_timedelta(
            rng.integers(0, 1_000, size=n_rows), unit="D"
        )
        city = rng.choice(["Lyon", "Oslo", "Porto", "Graz"], size=n_rows, p=[0.4, 0.3, 0.2, 0.1])
        plan = np.where(income > np.exp(10.5), "gold", rng.choice(["basic", "plus"], size=n_rows))
        return pd.DataFrame(
            {
                "id": pd.array(np.arange(n_rows) + 1_000 * seed, dtype="Int64"),
                "age": pd.array(age, dtype="Int64"),
                "income": income,
                "score": score,
                "joined": joined.astype("datetime64[us]"),
                "city": pd.array(city, dtype="str"),
                "member": pd.array(rng.random(n_rows) < 0.3, dtype="boolean"),
                "plan": pd.array(plan, dtype="str"),
            }
        )

    return make
