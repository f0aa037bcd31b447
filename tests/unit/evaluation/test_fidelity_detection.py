"""Detection AUC: near 0.5 for the same distribution, near 1 for clearly different tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import UserInputError
from synthcraft.evaluation.fidelity import detection
from synthcraft.evaluation.fidelity._detection import DetectionModel, auc_interval
from synthcraft.metadata import Column, ColumnKind, Metadata

MD = Metadata(
    (
        Column("x", ColumnKind.FLOAT, "float64"),
        Column("y", ColumnKind.FLOAT, "float64"),
        Column("c", ColumnKind.CATEGORICAL, "str"),
    )
)


def _frame(rng: np.random.Generator, n: int, shift: float = 0.0) -> pd.DataFrame:
    x = rng.normal(size=n) + shift
    return pd.DataFrame(
        {
            "x": x,
            "y": x + rng.normal(size=n),
            "c": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
        }
    )


@pytest.mark.parametrize("model", ["gbm", "logistic"])
def test_same_distribution_scores_near_one_half(model: DetectionModel) -> None:
    seed = 3
    rng = np.random.default_rng(seed)
    result = detection(_frame(rng, 800), _frame(rng, 800), MD, model=model, seed=seed)
    assert result.name == f"detection_{model}"
    assert result.goal == 0.5
    assert abs(result.score - 0.5) < 0.08  # sd of the AUC here is about 0.02
    assert result.interval is not None
    assert result.interval[0] < result.score < result.interval[1]
    assert len(result.details["fold_auc"]) == 3


@pytest.mark.parametrize("model", ["gbm", "logistic"])
def test_clearly_different_tables_score_near_one(model: DetectionModel) -> None:
    seed = 4
    rng = np.random.default_rng(seed)
    real, syn = _frame(rng, 400), _frame(rng, 400, shift=4.0)
    result = detection(real, syn, MD, model=model, seed=seed)
    assert result.score > 0.95


def test_rows_are_capped_per_side_and_the_seed_reproduces_the_score() -> None:
    seed = 9
    rng = np.random.default_rng(seed)
    real, syn = _frame(rng, 500), _frame(rng, 300)
    first = detection(real, syn, MD, seed=seed, max_rows=200)
    second = detection(real, syn, MD, seed=seed, max_rows=200)
    assert first.details["rows_per_side"] == 200
    assert first == second


def test_tiny_tables_give_nan_with_a_reason() -> None:
    seed = 1
    rng = np.random.default_rng(seed)
    result = detection(_frame(rng, 4), _frame(rng, 4), MD, seed=seed)
    assert math.isnan(result.score)
    assert "too few rows" in result.details["reason"]


def test_bad_arguments_are_refused() -> None:
    seed = 2
    rng = np.random.default_rng(seed)
    frame = _frame(rng, 20)
    with pytest.raises(UserInputError, match="detection model 'svm'"):
        detection(frame, frame, MD, model="svm", seed=seed)  # type: ignore[arg-type]
    with pytest.raises(UserInputError, match="max_rows"):
        detection(frame, frame, MD, seed=seed, max_rows=0)


def test_hanley_mcneil_interval_by_hand() -> None:
    # AUC 0.5, 100 per class: Q1 = Q2 = 1/3, var = (0.25 + 2 * 99 / 12) / 10^4 = 0.001675
    lo, hi = auc_interval(0.5, 100, 100)
    half = 1.959963984540054 * math.sqrt(0.001675)
    assert lo == pytest.approx(0.5 - half)
    assert hi == pytest.approx(0.5 + half)
    assert auc_interval(1.0, 50, 50) == (1.0, 1.0)


def test_a_column_without_values_is_left_out_of_the_fit() -> None:
    seed = 5
    rng = np.random.default_rng(seed)
    real = _frame(rng, 300).assign(x=np.nan)
    syn = _frame(rng, 300).assign(x=np.nan)
    result = detection(real, syn, MD, seed=seed)
    assert 0.3 < result.score < 0.7
