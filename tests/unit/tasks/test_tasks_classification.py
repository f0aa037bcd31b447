"""Tests of synthcraft.tasks.classification: determinism, truth, calibration, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from synthcraft import tasks
from synthcraft._types import BlockSampler
from synthcraft.errors import UnsupportedConditionError, UserInputError

SEEDS = range(4)


def _accuracy(task: tasks.ClassificationTask, seed: int, n: int = 6000) -> float:
    train = task.sample(n, seed=seed)
    test = task.sample(n, seed=seed + 1000)
    features = [c for c in train.columns if c != "y"]
    model = LogisticRegression(max_iter=500).fit(train[features], train["y"])
    return float(model.score(test[features], test["y"]))


def test_same_seed_same_rows_and_prefix_stable(seed: int) -> None:
    task = tasks.classification(n_features=8, n_categorical=1, missing=0.1, seed=seed)
    assert isinstance(task, BlockSampler)
    full = task.sample(70_000, seed=seed, with_truth=True)
    assert full.equals(task.sample(70_000, seed=seed, with_truth=True))
    assert full.iloc[:66_000].equals(task.sample(66_000, seed=seed, with_truth=True))
    assert not full["x0"].equals(task.sample(70_000, seed=seed + 1, with_truth=True)["x0"])
    again = tasks.classification(n_features=8, n_categorical=1, missing=0.1, seed=seed)
    assert np.array_equal(again.truth.centroids, task.truth.centroids)
    assert len(task.sample(0, seed=seed).columns) == 10


def test_roles_columns_and_truth_shapes(seed: int) -> None:
    task = tasks.classification(
        n_features=8,
        n_informative=3,
        n_redundant=2,
        n_repeated=1,
        n_classes=3,
        clusters_per_class=2,
        n_categorical=2,
        n_levels=3,
        seed=seed,
    )
    t = task.truth
    assert (
        list(t.roles.values())
        == ["informative"] * 3
        + ["redundant"] * 2
        + ["repeated"]
        + ["noise"] * 2
        + ["categorical"] * 2
    )
    assert t.centroids.shape == (6, 3)
    assert set(np.abs(t.centroids).ravel()) == {1.0}
    assert t.redundant_weights.shape == (3, 2)
    assert t.categorical_effects["c0"].shape == (3, 3)
    df = task.sample(500, seed=seed, with_truth=True)
    assert list(df.columns[-5:]) == ["y", "y_clean", "p_true_0", "p_true_1", "p_true_2"]
    np.testing.assert_allclose(df[["p_true_0", "p_true_1", "p_true_2"]].sum(axis=1), 1.0)
    src = t.repeated_from["x5"]
    assert df["x5"].equals(df[src].rename("x5"))
    np.testing.assert_allclose(df[["x0", "x1", "x2"]] @ t.redundant_weights, df[["x3", "x4"]])
    assert str(df["c0"].dtype) == "category"
    assert df["y"].dtype == np.int64
    assert json.loads(json.dumps(t.to_dict()))["roles"]["x5"] == "repeated"


@pytest.mark.parametrize("offset", SEEDS)
def test_accuracy_rises_with_separation(seed: int, offset: int) -> None:
    acc = [
        _accuracy(
            tasks.classification(
                n_features=6,
                n_informative=3,
                n_redundant=0,
                clusters_per_class=1,
                separation=sep,
                seed=seed + offset,
            ),
            seed + offset,
        )
        for sep in (0.3, 1.0, 2.0)
    ]
    assert acc[0] + 0.05 < acc[1] < acc[2] - 0.02, acc


@pytest.mark.parametrize("offset", SEEDS)
def test_label_noise_accuracy_near_cap(seed: int, offset: int) -> None:
    f = 0.3
    task = tasks.classification(
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        clusters_per_class=1,
        separation=4.0,
        label_noise=f,
        seed=seed + offset,
    )
    cap = 1 - f * (1 - 1 / 3)
    assert task.truth.accuracy_cap == pytest.approx(cap)
    acc = _accuracy(task, seed + offset)
    assert cap - 0.04 < acc < cap + 0.03
    df = task.sample(20_000, seed=seed + offset, with_truth=True)
    assert (df["y"] != df["y_clean"]).mean() == pytest.approx(f * 2 / 3, abs=0.02)


@pytest.mark.parametrize("offset", SEEDS)
def test_true_probabilities_are_calibrated(seed: int, offset: int) -> None:
    task = tasks.classification(n_features=4, n_informative=2, n_redundant=0, seed=seed + offset)
    df = task.sample(40_000, seed=seed + offset, with_truth=True)
    bins = np.digitize(df["p_true_1"], [0.2, 0.4, 0.6, 0.8])
    for b in range(5):
        part = df[bins == b]
        if len(part) > 500:  # 5 standard errors of a Bernoulli mean
            p = part["p_true_1"]
            tol = 5 * float(np.sqrt((p * (1 - p)).mean() / len(part))) + 1e-3
            assert part["y_clean"].mean() == pytest.approx(p.mean(), abs=tol)


@pytest.mark.parametrize("offset", SEEDS)
def test_imbalance_gives_minority_share(seed: int, offset: int) -> None:
    task = tasks.classification(n_features=8, imbalance=0.1, seed=seed + offset)
    assert task.sample(40_000, seed=seed + offset)["y"].mean() == pytest.approx(0.1, abs=0.01)
    task = tasks.classification(n_features=8, n_classes=3, weights=[1, 2, 7], seed=seed + offset)
    labels = task.sample(40_000, seed=seed)["y"].to_numpy()
    shares = np.bincount(labels, minlength=3) / len(labels)
    np.testing.assert_allclose(shares, [0.1, 0.2, 0.7], atol=0.015)


@pytest.mark.parametrize("mechanism", ["mcar", "mar", "mnar"])
def test_missing_share_and_mechanism(seed: int, mechanism: str) -> None:
    task = tasks.classification(
        n_features=5,
        n_informative=2,
        n_redundant=1,
        n_categorical=1,
        missing=0.3,
        missing_mechanism=mechanism,
        imbalance=0.3,
        seed=seed,
    )
    miss = task.truth.missing
    assert (miss.share, miss.mechanism) == (0.3, mechanism)
    df = task.sample(30_000, seed=seed, with_truth=True)
    for name in miss.columns:
        assert df[name].isna().mean() == pytest.approx(0.3, abs=0.015), name
    assert df[["y", "y_clean", "p_true_0"]].notna().all().all()
    clean = tasks.classification(
        n_features=5, n_informative=2, n_redundant=1, n_categorical=1, imbalance=0.3, seed=seed
    ).sample(30_000, seed=seed)

    def gap(column: str) -> float:
        values = clean[column]
        return float(values[df["x2"].isna()].mean() - values[df["x2"].notna()].mean()) / float(
            values.std()
        )

    if mechanism == "mar":
        assert miss.driver == "x0"
        assert df["x0"].notna().all()
        assert gap("x0") > 0.3
    elif mechanism == "mnar":
        assert gap("x2") > 0.3
    else:
        assert abs(gap("x0")) < 0.1
        assert abs(gap("x2")) < 0.1


def test_scale_multiplies_numeric_columns(seed: int) -> None:
    base = tasks.classification(n_features=3, n_informative=2, n_redundant=0, seed=seed)
    scaled = tasks.classification(
        n_features=3, n_informative=2, n_redundant=0, scale=[1.0, 10.0, 0.5], seed=seed
    )
    a, b = base.sample(100, seed=seed), scaled.sample(100, seed=seed)
    np.testing.assert_allclose(b[["x0", "x1", "x2"]], a[["x0", "x1", "x2"]] * [1.0, 10.0, 0.5])
    assert b["y"].equals(a["y"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_features": 0},
        {"n_features": 3, "n_informative": 2, "n_redundant": 2},
        {"n_informative": 1, "n_classes": 2, "clusters_per_class": 2},
        {"n_classes": 1},
        {"separation": -1.0},
        {"imbalance": 0.7},
        {"imbalance": 0.1, "weights": [1, 1]},
        {"n_classes": 3, "imbalance": 0.1},
        {"weights": [1, -1]},
        {"label_noise": 1.0},
        {"missing": 0.6, "missing_mechanism": "mar"},
        {"missing_mechanism": "random"},
        {"scale": [1.0, 2.0]},
        {"n_features": True},
        {"seed": -1},
    ],
)
def test_bad_arguments_raise_one_line(kwargs: dict[str, object]) -> None:
    with pytest.raises(UserInputError) as info:
        tasks.classification(**kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_bad_sample_calls(seed: int) -> None:
    task = tasks.classification(n_features=3, n_informative=2, n_redundant=0, seed=seed)
    with pytest.raises(UserInputError):
        task.sample(-1, seed=seed)
    with pytest.raises(UnsupportedConditionError):
        task.sample(5, seed=seed, conditions={"y": 1})
