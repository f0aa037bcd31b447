"""Exact copies: hand-counted shares, missing equals missing, numbers compared by value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.evaluation.privacy._copies import exact_copies
from synthcraft.metadata import Column, ColumnKind, Metadata

METADATA = Metadata(
    (
        Column("id", ColumnKind.ID, "Int64"),
        Column("email", ColumnKind.PII, "str", pii_kind="email"),
        Column("x", ColumnKind.FLOAT, "float64"),
        Column("c", ColumnKind.CATEGORICAL, "str"),
    )
)
COMPARED = ["x", "c"]


def _frame(x: list[float], c: list[str | None], id_start: int) -> pd.DataFrame:
    n = len(x)
    return pd.DataFrame(
        {
            "id": pd.array(range(id_start, id_start + n), dtype="Int64"),
            "email": pd.array([f"p{id_start + i}@example.org" for i in range(n)], dtype="str"),
            "x": np.array(x, dtype=float),
            "c": pd.array(c, dtype="str"),
        }
    )


def test_counts_copies_ignoring_ids_and_pii_with_missing_equal_to_missing() -> None:
    train = _frame([1.0, 2.0, np.nan, 4.0], ["a", "b", "c", None], 0)
    synthetic = _frame(
        [1.0, 2.0, np.nan, 4.0, 1.0, 9.0],
        ["a", "a", "c", None, "a", "a"],  # copies: rows 0, 2, 3, 4 (4 of 6)
        100,
    )
    holdout = _frame([2.0, 5.0, np.nan], ["b", "b", None], 200)  # copies: row 0 (1 of 3)
    copies, copies_holdout = exact_copies(train, synthetic, holdout, METADATA, COMPARED)
    assert copies.name == "exact_copies"
    assert copies.score == pytest.approx(4 / 6)
    assert copies.details["count"] == 4
    assert copies.goal == "minimize"
    assert copies_holdout.name == "exact_copies_holdout"
    assert copies_holdout.score == pytest.approx(1 / 3)
    assert copies_holdout.details["count"] == 1


def test_numbers_compare_by_value_across_dtypes() -> None:
    md = Metadata((Column("n", ColumnKind.INTEGER, "Int64"), Column("c", ColumnKind.CATEGORICAL)))
    train = pd.DataFrame({"n": pd.array([1, 2, None], dtype="Int64"), "c": ["a", "b", "c"]})
    synthetic = pd.DataFrame({"n": [1.0, 2.5, np.nan], "c": ["a", "b", "c"]})
    holdout = pd.DataFrame({"n": [7.0], "c": ["z"]})
    copies, copies_holdout = exact_copies(train, synthetic, holdout, md, ["n", "c"])
    assert copies.details["count"] == 2
    assert copies_holdout.score == 0.0


def test_categories_of_different_dtypes_compare_as_text() -> None:
    md = Metadata((Column("c", ColumnKind.CATEGORICAL),))
    train = pd.DataFrame({"c": pd.array(["1", "2", None], dtype="str")})
    synthetic = pd.DataFrame({"c": pd.array([1, 3, None], dtype="Int64")})
    copies, _ = exact_copies(train, synthetic, train, md, ["c"])
    assert copies.details["count"] == 2


def test_a_full_copy_scores_one() -> None:
    train = _frame([1.0, 2.0, 3.0], ["a", "b", "c"], 0)
    copies, copies_holdout = exact_copies(train, train, train.iloc[:1], METADATA, COMPARED)
    assert copies.score == 1.0
    assert copies_holdout.score == 1.0
