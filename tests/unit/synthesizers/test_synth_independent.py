"""The independent baseline: each column's own distribution, nothing between them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthcraft.synthesizers import IndependentSynthesizer
from synthcraft.testing import mixed_frame


def test_marginals_are_kept_and_dependence_is_not(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(10.0, 2.0, 3_000)
    frame = pd.DataFrame(
        {
            "x": x,
            "y": x + rng.normal(0, 0.5, 3_000),
            "c": pd.Series(
                rng.choice(np.array(["a", "b"], dtype=object), 3_000, p=[0.7, 0.3]), dtype="str"
            ),
        }
    )
    out = IndependentSynthesizer(seed=0).fit(frame).sample(20_000, seed=1)
    assert abs(out["x"].mean() - 10.0) < 0.1
    assert abs(out["x"].std() - 2.0) < 0.1
    assert abs((out["c"] == "a").mean() - (frame["c"] == "a").mean()) < 0.02
    assert abs(out["x"].corr(out["y"])) < 0.05


def test_integers_round_and_decimals_are_kept(seed: int) -> None:
    frame, md = mixed_frame(400, seed=seed)
    out = IndependentSynthesizer(seed=0).fit(frame, md).sample(3_000, seed=3)
    income = out["income"].to_numpy()
    np.testing.assert_allclose(income, np.round(income, 2))
    assert out["age"].dropna().between(18, 90).all()
    assert (out["joined"].dt.normalize() == out["joined"]).all()
    assert (out["last_seen"].dt.microsecond == 0).all()


def test_conditions_fix_columns(seed: int) -> None:
    frame, md = mixed_frame(300, seed=seed)
    model = IndependentSynthesizer(seed=0).fit(frame, md)
    out = model.sample(100, seed=0, conditions={"segment": "pro", "account": "AC-0001"})
    assert (out["segment"] == "pro").all()
    assert (out["account"] == "AC-0001").all()
    rows = pd.DataFrame({"age": [30, None] * 50})
    out = model.sample(100, seed=0, conditions=rows)
    assert (out["age"].iloc[::2] == 30).all()
