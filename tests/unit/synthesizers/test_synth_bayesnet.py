"""The bayesnet model: PrivBayes-style network, exponential and Laplace mechanisms, state."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import persistence
from synthcraft.errors import UserInputError
from synthcraft.synthesizers import _bayesnet_structure as bn
from synthcraft.synthesizers.bayesnet import BayesNetSynthesizer
from synthcraft.testing import check_synthesizer, mixed_frame


def _linked(seed: int, n: int = 3_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, n)
    return pd.DataFrame(
        {
            "x": x,
            "y": pd.Series(np.where(x + rng.normal(0, 0.3, n) > 0, "a", "b"), dtype="str"),
            "z": rng.integers(0, 5, n),
            "w": pd.Series(rng.choice(np.array(["p", "q", "r"]), n), dtype="str"),
        }
    )


def test_conformance(tmp_path: Path, seed: int) -> None:
    frame, md = mixed_frame(300, seed=seed)
    check_synthesizer(lambda: BayesNetSynthesizer(seed=0), frame, md, tmp_path=tmp_path)


def test_conformance_with_large_epsilon(tmp_path: Path, seed: int) -> None:
    frame, md = mixed_frame(300, seed=seed)
    check_synthesizer(
        lambda: BayesNetSynthesizer(seed=0, epsilon=1e4), frame, md, tmp_path=tmp_path
    )


def test_learns_a_dependence_and_conditions_follow_it(seed: int) -> None:
    model = BayesNetSynthesizer(seed=0).fit(_linked(seed))
    out = model.sample(20_000, seed=1)
    a = out["y"] == "a"
    assert (out.loc[a, "x"] > 0).mean() > 0.85
    assert (out.loc[~a, "x"] < 0).mean() > 0.85
    # conditioning on either end of the link moves the other (exact or by resampling)
    given_y = model.sample(2_000, seed=2, conditions={"y": "a"})
    assert (given_y["y"] == "a").all()
    assert (given_y["x"] > 0).mean() > 0.85
    given_x = model.sample(2_000, seed=2, conditions={"x": 1.5})
    assert (given_x["x"] == 1.5).all()
    assert (given_x["y"] == "a").mean() > 0.9


def test_exponential_mechanism_chooses_the_structure(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 2_000
    a = rng.integers(0, 3, n)
    b = (a + (rng.random(n) < 0.1)) % 3
    c = rng.integers(0, 4, n)
    d = (c + b) % 4
    codes = [a, b, c, d]
    sizes = [3, 3, 4, 4]

    def net(eps: float | None, s: int) -> tuple[list[int], list[tuple[int, ...]]]:
        return bn.greedy_network(
            codes,
            sizes,
            degree=2,
            max_cells=1e9,
            rng=np.random.default_rng(s),
            epsilon_step=eps,
            first=0,
        )

    greedy = net(None, 0)
    assert all(net(1e9, s) == greedy for s in range(5))
    assert len({repr(net(1e-6, s)) for s in range(20)}) > 3


def test_laplace_noise_has_the_calibrated_scale(seed: int) -> None:
    n_rows, n_tables, eps = 1_000, 4, 0.5
    scale = bn.table_noise_scale(n_rows, n_tables, eps)
    assert scale == pytest.approx(2 * n_tables / (n_rows * eps))
    counts = np.array([600.0, 300.0, 100.0, 0.0])
    rng = np.random.default_rng(seed)
    noisy = np.stack([bn.noisy_joint(counts, n_rows, scale, rng) for _ in range(4_000)])
    deviations = noisy - counts / n_rows
    assert np.abs(deviations.mean(axis=0)).max() < 0.1 * scale
    assert deviations.std() == pytest.approx(np.sqrt(2) * scale, rel=0.05)


def test_budget_is_spent_recorded_and_saved(tmp_path: Path, seed: int) -> None:
    data = _linked(seed)
    model = BayesNetSynthesizer(seed=0, epsilon=2.0, beta=0.4).fit(data)
    info = model.training_summary_
    parts = info["epsilon_metadata"] + info["epsilon_structure"] + info["epsilon_tables"]
    assert info["epsilon"] == 2.0
    assert info["epsilon_spent"] == pytest.approx(parts)
    assert info["epsilon_spent"] <= 2.0 + 1e-12
    assert info["epsilon_structure"] == pytest.approx(0.4 * 0.8 * 2.0)
    assert info["delta"] == pytest.approx(1 / (10 * len(data)))
    released = bn.maximal_families(model.order_, model.parents_)
    expected = bn.table_noise_scale(len(data), len(released), info["epsilon_tables"])
    assert info["table_noise_scale"] == pytest.approx(expected)
    path = tmp_path / "bn.synth"
    persistence.save(model, path)
    loaded = persistence.load(path)
    assert loaded.training_summary_["epsilon_spent"] == info["epsilon_spent"]
    pd.testing.assert_frame_equal(loaded.sample(500, seed=4), model.sample(500, seed=4))


def test_a_value_held_by_one_row_never_appears(seed: int) -> None:
    data = _linked(seed)
    data.loc[7, "w"] = "only-one"
    out = BayesNetSynthesizer(seed=0, epsilon=1.0).fit(data).sample(20_000, seed=3)
    assert "only-one" not in set(out["w"].dropna())


def test_fit_is_deterministic(seed: int) -> None:
    data = _linked(seed, 1_000)
    for eps in (None, 5.0):
        one = BayesNetSynthesizer(seed=3, epsilon=eps).fit(data)
        two = BayesNetSynthesizer(seed=3, epsilon=eps).fit(data)
        assert one.order_ == two.order_
        assert one.parents_ == two.parents_
        for t1, t2 in zip(one.tables_, two.tables_, strict=True):
            np.testing.assert_array_equal(t1, t2)


def test_marginal_and_maximal_families() -> None:
    joint = np.arange(24, dtype=np.float64)  # variables (0, 1, 2) of sizes (2, 3, 4)
    sizes = [2, 3, 4]
    out = bn.marginal(joint, (0, 1, 2), sizes, (2, 0))
    np.testing.assert_allclose(out, joint.reshape(2, 3, 4).sum(axis=1).T)
    # a chain 0 -> 1 -> 2 with 2 having parents (0, 1): only 2's family is released
    assert bn.maximal_families([0, 1, 2], [(), (0,), (0, 1)]) == [2]


def test_bad_settings_are_listed_together() -> None:
    data = _linked(0, 200)
    model = BayesNetSynthesizer(degree=-1, bins=1, beta=1.0, epsilon=0.0, delta=0.5)
    with pytest.raises(UserInputError) as err:
        model.fit(data)
    for name in ("degree", "bins", "beta", "epsilon", "delta"):
        assert repr(name) in str(err.value)
