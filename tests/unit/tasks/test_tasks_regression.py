"""Tests of synthcraft.tasks.regression: determinism, truth, R^2, gradients, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from synthcraft import tasks
from synthcraft.errors import UserInputError

SHAPES = ["linear", "friedman1", "sine", "interaction"]


def test_same_seed_same_rows_and_prefix_stable(seed: int) -> None:
    task = tasks.regression(n_features=6, n_categorical=1, missing=0.1, seed=seed)
    full = task.sample(70_000, seed=seed, with_truth=True)
    assert full.equals(task.sample(70_000, seed=seed, with_truth=True))
    assert full.iloc[:66_000].equals(task.sample(66_000, seed=seed, with_truth=True))
    assert not full["y"].equals(task.sample(70_000, seed=seed + 1, with_truth=True)["y"])
    again = tasks.regression(n_features=6, n_categorical=1, missing=0.1, seed=seed)
    assert again.truth.formula == task.truth.formula


@pytest.mark.parametrize("shape", SHAPES)
def test_r2_of_true_function_matches_noise(seed: int, shape: str) -> None:
    for offset, noise in enumerate([0.0, 0.2, 0.6]):
        task = tasks.regression(
            n_features=7,
            n_informative=5,
            noise=noise,
            shape=shape,
            n_categorical=1,
            seed=seed + offset,
        )
        df = task.sample(40_000, seed=seed + offset, with_truth=True)
        r2 = 1 - float(((df["y"] - df["y_clean"]) ** 2).mean()) / float(df["y"].var())
        assert r2 == pytest.approx(1 - noise, abs=0.02)
        assert df["y_clean"].var() == pytest.approx(task.truth.signal_variance, rel=0.07)


def test_linear_coefficients_are_recovered(seed: int) -> None:
    task = tasks.regression(n_features=6, n_informative=3, noise=0.3, shape="linear", seed=seed)
    n = 20_000
    df = task.sample(n, seed=seed)
    features = [f"x{i}" for i in range(6)]
    fit = LinearRegression().fit(df[features], df["y"])
    expected = np.r_[task.truth.params["coefficients"], np.zeros(3)]
    np.testing.assert_allclose(fit.coef_, expected, atol=5 * task.truth.noise_sd / np.sqrt(n))
    assert list(task.truth.roles.values()) == ["informative"] * 3 + ["noise"] * 3


@pytest.mark.parametrize("shape", SHAPES)
def test_gradient_matches_finite_differences(seed: int, shape: str) -> None:
    task = tasks.regression(n_features=6, n_informative=5, shape=shape, seed=seed)
    x = task.sample(50, seed=seed)[task.truth.numeric].to_numpy()
    grad = task.truth.gradient(x)
    h = 1e-6
    for j in range(x.shape[1]):
        step = np.zeros_like(x)
        step[:, j] = h
        numeric = (task.f(x + step) - task.f(x - step)) / (2 * h)
        np.testing.assert_allclose(grad[:, j], numeric, atol=1e-5)
    assert np.all(grad[:, 5] == 0.0)


@pytest.mark.parametrize("mechanism", ["mcar", "mar", "mnar"])
def test_missing_share_and_mechanism(seed: int, mechanism: str) -> None:
    task = tasks.regression(
        n_features=4,
        n_informative=2,
        n_categorical=1,
        missing=0.25,
        missing_mechanism=mechanism,
        seed=seed,
    )
    df = task.sample(30_000, seed=seed, with_truth=True)
    miss = task.truth.missing
    assert miss.mechanism == mechanism
    for name in miss.columns:
        assert df[name].isna().mean() == pytest.approx(0.25, abs=0.015), name
    assert df["y"].notna().all()
    if mechanism == "mar":
        assert df["x0"].notna().all()
        assert df.loc[df["x3"].isna(), "x0"].mean() > df.loc[df["x3"].notna(), "x0"].mean() + 0.3
    if mechanism == "mnar":
        assert df["x0"].isna().any()
        truth_df = tasks.regression(n_features=4, n_informative=2, n_categorical=1, seed=seed)
        clean = truth_df.sample(30_000, seed=seed)["x3"]
        assert clean[df["x3"].isna()].mean() > clean[df["x3"].notna()].mean() + 0.3


def test_truth_to_dict_is_json(seed: int) -> None:
    for shape in SHAPES:
        truth = tasks.regression(shape=shape, n_categorical=2, seed=seed).truth
        data = json.loads(json.dumps(truth.to_dict()))
        assert data["shape"] == shape
        assert data["noise_sd"] == pytest.approx(truth.noise_sd)
        assert len(data["categorical_effects"]["c1"]) == 4


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_features": 3, "n_informative": 4},
        {"shape": "cubic"},
        {"shape": "friedman1", "n_informative": 4},
        {"noise": 1.0},
        {"noise": "low"},
        {"n_categorical": -1},
        {"n_levels": 1},
        {"missing": 0.7, "missing_mechanism": "mnar"},
        {"missing": -0.1},
    ],
)
def test_bad_arguments_raise_one_line(kwargs: dict[str, object]) -> None:
    with pytest.raises(UserInputError) as info:
        tasks.regression(**kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
