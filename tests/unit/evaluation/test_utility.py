"""Utility: TSTR against TRTR for classification and regression targets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import UserInputError
from synthcraft.evaluation import utility
from synthcraft.evaluation._utility import macro_auc
from synthcraft.metadata import Column, ColumnKind, Metadata

MD = Metadata(
    (
        Column("id", ColumnKind.ID, "int64", unique=True),
        Column("x", ColumnKind.FLOAT, "float64"),
        Column("z", ColumnKind.FLOAT, "float64"),
        Column("c", ColumnKind.CATEGORICAL, "str"),
        Column("label", ColumnKind.CATEGORICAL, "str"),
        Column("amount", ColumnKind.FLOAT, "float64"),
    )
)


def _frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    x, z = rng.normal(size=n), rng.normal(size=n)
    c = rng.choice(["p", "q", "r"], n)
    signal = 1.5 * x - z + (c == "p") + rng.normal(scale=0.7, size=n)
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "x": x,
            "z": z,
            "c": c,
            "label": np.where(signal > 0.5, "yes", np.where(signal > -1.0, "maybe", "no")),
            "amount": 3 * x + z + rng.normal(scale=0.5, size=n),
        }
    )


def test_real_like_synthetic_gives_a_ratio_near_one() -> None:
    seed = 31
    rng = np.random.default_rng(seed)
    train, syn, hold = _frame(rng, 1500), _frame(rng, 1500), _frame(rng, 800)
    metrics, ceiling = utility(train, syn, hold, MD, "label", seed=seed)
    result = metrics["utility"]
    assert result.details["task"] == "classification"
    assert result.details["trtr"]["roc_auc"] > 0.8
    assert abs(result.score - 1.0) < 0.05
    assert result.score == pytest.approx(
        result.details["tstr"]["roc_auc"] / result.details["trtr"]["roc_auc"]
    )
    assert abs(metrics["utility_augmented"].score - 1.0) < 0.05
    assert ceiling["utility"].score == 1.0
    assert result.details["rows"] == {"real": 1500, "synthetic": 1500, "test": 800}


def test_synthetic_rows_with_shuffled_labels_lose_utility() -> None:
    seed = 32
    rng = np.random.default_rng(seed)
    train, hold = _frame(rng, 1500), _frame(rng, 800)
    shuffled = train.assign(label=rng.permutation(train["label"].to_numpy()))
    metrics, _ = utility(train, shuffled, hold, MD, "label", seed=seed)
    assert metrics["utility"].score < 0.75


def test_regression_uses_r2_and_the_seed_reproduces_it() -> None:
    seed = 33
    rng = np.random.default_rng(seed)
    train, syn, hold = _frame(rng, 1200), _frame(rng, 1200), _frame(rng, 600)
    first, _ = utility(train, syn, hold, MD, "amount", seed=seed)
    again, _ = utility(train, syn, hold, MD, "amount", seed=seed)
    assert first == again
    result = first["utility"]
    assert result.details["primary"] == "r2"
    assert result.details["trtr"]["r2"] > 0.9
    assert abs(result.score - 1.0) < 0.05


def test_rows_without_a_target_are_dropped_and_one_class_still_scores() -> None:
    seed = 34
    rng = np.random.default_rng(seed)
    train, hold = _frame(rng, 600), _frame(rng, 300)
    train.loc[:99, "label"] = None
    one_class = train.assign(label="yes")
    metrics, _ = utility(train, one_class, hold, MD, "label", seed=seed)
    assert metrics["utility"].details["rows"]["real"] == 500
    assert metrics["utility"].details["tstr"]["roc_auc"] == pytest.approx(0.5)


def test_unusable_targets_are_refused() -> None:
    seed = 35
    frame = _frame(np.random.default_rng(seed), 30)
    with pytest.raises(UserInputError, match="'nope' is not a column"):
        utility(frame, frame, frame, MD, "nope", seed=seed)
    with pytest.raises(UserInputError, match="'id' has kind id"):
        utility(frame, frame, frame, MD, "id", seed=seed)


def test_unpredictable_target_gives_nan_with_a_reason() -> None:
    seed = 36
    rng = np.random.default_rng(seed)
    train, hold = _frame(rng, 400), _frame(rng, 200)
    noise = train.assign(amount=rng.normal(size=400))
    metrics, ceiling = utility(
        noise, noise, hold.assign(amount=rng.normal(size=200)), MD, "amount", seed=seed
    )
    assert math.isnan(metrics["utility"].score)
    assert "barely predict" in metrics["utility"].details["reason"]
    assert ceiling == {}


def test_macro_auc_by_hand() -> None:
    y = np.array([0, 0, 1, 1, 2])
    proba = np.array(
        [[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.3, 0.6, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]]
    )
    # class 0: positives .9 .2 vs negatives .3 .1 .1 -> 5/6 of pairs ranked right;
    # class 1: positives .6 .8 vs negatives .1 .7 .1 -> 5/6; class 2: .8 above all -> 1
    assert macro_auc(y, proba) == pytest.approx((5 / 6 + 5 / 6 + 1) / 3)


def test_a_class_seen_once_does_not_break_early_stopping() -> None:
    seed = 37
    rng = np.random.default_rng(seed)
    train, syn, hold = _frame(rng, 1200), _frame(rng, 1200), _frame(rng, 400)
    train.loc[0, "label"] = "rare"
    metrics, _ = utility(train, syn, hold, MD, "label", seed=seed)
    assert metrics["utility"].ok
