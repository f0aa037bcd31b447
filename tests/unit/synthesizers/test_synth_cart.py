"""The ``cart`` model: conformance, learned dependence, leaf sizes, determinism, conditions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import persistence
from synthcraft.errors import UserInputError
from synthcraft.synthesizers.cart import CartSynthesizer
from synthcraft.testing import check_synthesizer, mixed_frame


def _linked(seed: int, n: int = 2_000) -> pd.DataFrame:
    """x is normal; y is "hi" exactly when x > 0; z is a count with missing values."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.poisson(3, n).astype(object)
    z[rng.random(n) < 0.1] = None
    return pd.DataFrame(
        {
            "x": x,
            "y": pd.Series(np.where(x > 0, "hi", "lo"), dtype="str"),
            "z": pd.array(z, dtype="Int64"),
        }
    )


def test_conformance(tmp_path: Path, seed: int) -> None:
    frame, md = mixed_frame(300, seed=seed)
    check_synthesizer(lambda: CartSynthesizer(seed=4), frame, md, tmp_path=tmp_path)


def test_conformance_with_column_order(tmp_path: Path, seed: int) -> None:
    frame, md = mixed_frame(200, seed=seed)
    check_synthesizer(
        lambda: CartSynthesizer(column_order=["segment", "score"], min_leaf=5, seed=4),
        frame,
        md,
        tmp_path=tmp_path,
    )


def test_learns_dependence_and_keeps_missing_share(seed: int) -> None:
    data = _linked(seed)
    out = CartSynthesizer(seed=seed).fit(data).sample(4_000, seed=1)
    agree = float(((out["x"] > 0) == (out["y"] == "hi")).mean())
    assert agree > 0.95
    assert abs(float(out["z"].isna().mean()) - float(data["z"].isna().mean())) < 0.03
    assert abs(float(out["x"].mean()) - float(data["x"].mean())) < 0.1


def test_numbers_are_smoothed_not_copied(seed: int) -> None:
    data = _linked(seed, 1_000)
    out = CartSynthesizer(seed=seed).fit(data).sample(2_000, seed=1)
    copied = np.isin(out["x"].to_numpy(), data["x"].to_numpy())
    assert float(copied.mean()) < 0.01


def test_every_leaf_holds_min_leaf_rows(seed: int) -> None:
    data = _linked(seed, 1_500)
    for min_leaf in (5, 40):
        synth = CartSynthesizer(min_leaf=min_leaf, seed=seed).fit(data)
        assert any(node.tree.n_leaves > 1 for node in synth.nodes_)
        for node in synth.nodes_:
            assert node.sizes.sum() > 0
            assert int(node.sizes.min()) >= min_leaf
    shallow = CartSynthesizer(max_depth=1, seed=seed).fit(data)
    assert max(node.tree.n_leaves for node in shallow.nodes_) == 2


def test_same_seed_same_rows_and_prefix(seed: int) -> None:
    data = _linked(seed, 800)
    a = CartSynthesizer(seed=seed).fit(data)
    b = CartSynthesizer(seed=seed).fit(data)
    assert a.order_ == b.order_
    pd.testing.assert_frame_equal(a.sample(500, seed=2), b.sample(500, seed=2))
    assert not a.sample(500, seed=2).equals(a.sample(500, seed=3))
    long = a.sample(700, seed=5)
    pd.testing.assert_frame_equal(a.sample(40, seed=5), long.head(40))


def test_round_trip_through_model_file(tmp_path: Path, seed: int) -> None:
    data = _linked(seed, 800)
    synth = CartSynthesizer(column_order=["z"], seed=seed).fit(data)
    path = persistence.save(synth, tmp_path / "cart.synth")
    loaded = persistence.load(path)
    assert isinstance(loaded, CartSynthesizer)
    assert loaded.order_[0] == "z"
    pd.testing.assert_frame_equal(loaded.sample(300, seed=1), synth.sample(300, seed=1))
    rows = pd.DataFrame({"x": [1.0, -1.0] * 50})
    pd.testing.assert_frame_equal(
        loaded.sample(100, seed=2, conditions=rows), synth.sample(100, seed=2, conditions=rows)
    )


def test_column_order_comes_first(seed: int) -> None:
    data = _linked(seed, 600)
    synth = CartSynthesizer(column_order=["z", "y"], seed=seed).fit(data)
    assert synth.order_[:2] == ["z", "y"]
    assert sorted(synth.order_) == ["x", "y", "z"]


def test_conditions_on_leading_and_later_columns(seed: int) -> None:
    data = _linked(seed)
    synth = CartSynthesizer(column_order=["y", "x", "z"], seed=seed).fit(data)
    hi = synth.sample(1_000, seed=2, conditions={"y": "hi"})
    assert (hi["y"] == "hi").all()
    assert float((hi["x"] > 0).mean()) > 0.95
    later = synth.sample(1_000, seed=3, conditions={"x": -1.5})
    assert (later["x"] == -1.5).all()
    assert float((later["y"] == "lo").mean()) > 0.95
    rows = pd.DataFrame({"x": [2.0, -2.0] * 100})
    by_row = synth.sample(200, seed=4, conditions=rows)
    assert np.array_equal(by_row["x"].to_numpy(), rows["x"].to_numpy())
    expected = np.where(rows["x"] > 0, "hi", "lo")
    assert float((by_row["y"].to_numpy() == expected).mean()) > 0.95
    counted = synth.sample(300, seed=5, conditions={"z": 3})
    assert (counted["z"] == 3).all()


def test_conditions_are_prefix_stable(seed: int) -> None:
    data = _linked(seed, 800)
    synth = CartSynthesizer(column_order=["y", "x", "z"], seed=seed).fit(data)
    short = synth.sample(30, seed=7, conditions={"x": 0.5})
    long = synth.sample(3_000, seed=7, conditions={"x": 0.5})
    pd.testing.assert_frame_equal(short, long.head(30))


def test_bad_condition_value_is_refused(seed: int) -> None:
    synth = CartSynthesizer(seed=seed).fit(_linked(seed, 300))
    with pytest.raises(UserInputError, match="y"):
        synth.sample(10, seed=1, conditions={"y": "middle"})


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"min_leaf": 4}, "min_leaf"),
        ({"min_leaf": 2.5}, "min_leaf"),
        ({"max_depth": 0}, "max_depth"),
        ({"column_order": "x"}, "column_order"),
        ({"column_order": ["x", "x"]}, "column_order"),
        ({"column_order": ["nope"]}, "nope"),
        ({"rare_category_k": 0}, "rare_category_k"),
        ({"bounds_quantile": 0.5}, "bounds_quantile"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_settings_raise(settings: dict[str, object], message: str) -> None:
    with pytest.raises(UserInputError, match=message):
        CartSynthesizer(**settings).fit(_linked(0, 100))  # type: ignore[arg-type]


def test_progress_once_per_column(seed: int) -> None:
    calls: list[tuple[int, int]] = []
    CartSynthesizer(seed=seed).fit(_linked(seed, 300), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_corrupt_tree_arrays_are_refused(tmp_path: Path, seed: int) -> None:
    synth = CartSynthesizer(column_order=["x"], seed=seed).fit(_linked(seed, 600))
    state, arrays = synth.get_state()
    key = next(k for k in arrays if k.endswith(".left") and arrays[k].size > 1)
    broken = dict(arrays)
    broken[key] = np.zeros_like(arrays[key])
    with pytest.raises(ValueError, match="tree"):
        CartSynthesizer.from_state(state, broken)
