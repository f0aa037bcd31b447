"""Gaussian copula: marginals by goodness of fit, dependence kept, conditional sampling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import UserInputError
from synthcraft.synthesizers import GaussianCopulaSynthesizer
from synthcraft.synthesizers.copula import nearest_correlation


def _related(n: int = 4_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = 0.8 * x + 0.6 * rng.normal(size=n)
    group = np.where(x < -0.5, "low", np.where(x < 0.5, "mid", "high"))
    group[rng.random(n) < 0.1] = "mid"
    income = np.exp(10.0 + 0.5 * x + 0.3 * rng.normal(size=n))
    income[rng.random(n) < 1 / (1 + np.exp(-3 * x)) * 0.4] = np.nan  # missing when x is high
    return pd.DataFrame(
        {
            "x": x,
            "y": y,
            "group": pd.Series(group, dtype="str"),
            "income": income,
            "level": pd.array(np.round(5 + 2 * y).astype(np.int64), dtype="Int64"),
        }
    )


@pytest.fixture
def real(seed: int) -> pd.DataFrame:
    return _related(seed=seed)


@pytest.fixture
def model(real: pd.DataFrame, seed: int) -> GaussianCopulaSynthesizer:
    return GaussianCopulaSynthesizer(seed=seed).fit(real)


@pytest.fixture
def synthetic(model: GaussianCopulaSynthesizer, seed: int) -> pd.DataFrame:
    return model.sample(20_000, seed=seed + 1)


def test_strong_correlation_is_kept(synthetic: pd.DataFrame, real: pd.DataFrame) -> None:
    assert abs(synthetic["x"].corr(synthetic["y"]) - real["x"].corr(real["y"])) < 0.05
    assert synthetic["y"].corr(synthetic["level"].astype("float64")) > 0.9


def test_categorical_numeric_dependence_is_kept(synthetic: pd.DataFrame) -> None:
    means = synthetic.groupby("group")["x"].mean()
    assert means["low"] < -0.5 < means["mid"] < 0.5 < means["high"]


def test_missingness_is_a_correlated_signal(synthetic: pd.DataFrame, real: pd.DataFrame) -> None:
    absent = synthetic["income"].isna()
    assert abs(absent.mean() - real["income"].isna().mean()) < 0.03
    assert synthetic.loc[absent, "x"].mean() > synthetic.loc[~absent, "x"].mean() + 0.2


def test_missing_at_random_needs_no_copula_dimension(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 5_000
    x = rng.normal(size=n)
    noise = np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n))  # missing at random
    linked = np.where(x > 0.8, np.nan, 2 * x)  # missing exactly when x is high
    real = pd.DataFrame({"x": x, "noise": noise, "linked": linked})
    model = GaussianCopulaSynthesizer(seed=seed).fit(real)
    dims = {c["miss_dim"] for c in model.columns_}
    assert model.corr_.shape == (4, 4)  # x, noise, linked values + linked's missingness
    assert model.columns_[1]["miss_dim"] == -1
    assert model.columns_[2]["miss_dim"] in dims - {-1}
    synthetic = model.sample(20_000, seed=seed + 1)
    assert abs(synthetic["noise"].isna().mean() - 0.2) < 0.02
    assert abs(synthetic["noise"].isna().astype(float).corr(synthetic["x"])) < 0.05
    assert synthetic.loc[synthetic["linked"].isna(), "x"].mean() > 0.4  # real: about 1.4
    fixed = model.sample(500, seed=seed + 2, conditions={"noise": 0.5})
    assert not fixed["noise"].isna().any()


def test_marginal_families_are_chosen_by_fit(model: GaussianCopulaSynthesizer, seed: int) -> None:
    families = {c.name: s["family"] for c, s in zip(model.codecs_, model.columns_, strict=True)}
    assert families["x"] in {"norm", "truncnorm"}
    assert families["income"] in {"lognorm", "gamma", "empirical"}
    assert families["group"] == "categorical"
    rng = np.random.default_rng(seed)
    bimodal = np.concatenate([rng.normal(-4, 1, 3_000), rng.normal(4, 1, 3_000)])
    fitted = GaussianCopulaSynthesizer(seed=0).fit(pd.DataFrame({"b": bimodal}))
    assert fitted.columns_[0]["family"] == "empirical"
    out = fitted.sample(10_000, seed=0)["b"]
    assert (out.abs() < 1).mean() < 0.05


def test_fixed_numeric_condition_gives_the_conditional_distribution(
    model: GaussianCopulaSynthesizer,
) -> None:
    out = model.sample(5_000, seed=2, conditions={"x": 1.5})
    assert (out["x"] == 1.5).all()
    assert abs(out["y"].mean() - 0.8 * 1.5) < 0.1
    assert (out["group"] == "high").mean() > 0.7


def test_fixed_category_condition(model: GaussianCopulaSynthesizer) -> None:
    out = model.sample(5_000, seed=3, conditions={"group": "low"})
    assert (out["group"] == "low").all()
    assert out["x"].mean() < -0.6


def test_integer_condition_keeps_the_value(model: GaussianCopulaSynthesizer) -> None:
    out = model.sample(2_000, seed=4, conditions={"level": 8})
    assert (out["level"] == 8).all()
    assert out["y"].mean() > 1.0


def test_row_conditions_with_free_cells(model: GaussianCopulaSynthesizer) -> None:
    rows = pd.DataFrame({"x": [2.0, -2.0, None, 0.0] * 500})
    out = model.sample(2_000, seed=5, conditions=rows)
    by = out.groupby(rows["x"].fillna(99.0))["y"].mean()
    assert by[2.0] > 1.2
    assert by[-2.0] < -1.2
    assert abs(by[99.0]) < 0.2
    assert out["x"].iloc[2::4].nunique() > 400


def test_row_conditions_span_blocks(model: GaussianCopulaSynthesizer) -> None:
    rows = pd.DataFrame({"group": ["high"] * 65_536 + ["low"] * 100})
    out = model.sample(65_636, seed=6, conditions=rows)
    assert (out["group"].to_numpy() == rows["group"].to_numpy()).all()


@pytest.mark.parametrize(
    ("conditions", "needle"),
    [
        ({"group": "purple"}, "not a value the model can produce"),
        ({"level": 4.5}, "whole number"),
        ({"x": 50.0}, "outside the model's range"),
        ({"missing": 1}, "unknown column"),
    ],
)
def test_impossible_conditions(
    model: GaussianCopulaSynthesizer, conditions: dict[str, object], needle: str
) -> None:
    with pytest.raises(UserInputError, match=needle):
        model.sample(10, seed=0, conditions=conditions)


def test_max_fit_rows_subsamples_deterministically(seed: int) -> None:
    frame = _related(3_000, seed)
    a = GaussianCopulaSynthesizer(max_fit_rows=500, seed=1).fit(frame)
    b = GaussianCopulaSynthesizer(max_fit_rows=500, seed=1).fit(frame)
    np.testing.assert_array_equal(a.corr_, b.corr_)
    assert abs(a.sample(5_000, seed=0)[["x", "y"]].corr().iloc[0, 1] - 0.8) < 0.1


def test_nearest_correlation_repairs_an_invalid_matrix() -> None:
    bad = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    fixed = nearest_correlation(bad)
    np.testing.assert_allclose(np.diag(fixed), 1.0)
    assert np.linalg.eigvalsh(fixed).min() > 0
    np.linalg.cholesky(fixed)
