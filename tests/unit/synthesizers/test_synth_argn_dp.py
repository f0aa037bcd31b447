"""``argn`` under differential privacy: budget, paid and declared metadata, noise, hygiene."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import persistence
from synthcraft.api import inspect_model
from synthcraft.errors import DataError
from synthcraft.metadata import Column, ColumnKind, Metadata, Provenance
from synthcraft.synthesizers import ArgnSynthesizer
from synthcraft.synthesizers._dp import epsilon_spent, gaussian_noise_for
from synthcraft.synthesizers._dp_release import count_histograms, release
from synthcraft.testing import check_synthesizer, mixed_frame

torch = pytest.importorskip("torch")
pytest.importorskip("dp_accounting")


def _frame(seed: int, n: int = 3_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, n).round()
    frame = pd.DataFrame(
        {
            "x": x,
            "c": pd.Series(np.where(x > 50, "hi", "lo"), dtype="str"),
            "z": rng.gamma(2.0, 3.0, n),
        }
    )
    frame.loc[7, "c"] = "ONLY-ONE-PERSON"
    frame.loc[9, "z"] = 1e9  # one person's extreme value
    return frame


def _dp(**settings: object) -> ArgnSynthesizer:
    base: dict[str, object] = {"epsilon": 1.0, "max_epochs": 2, "batch_size": 300, "seed": 3}
    base.update(settings)
    return ArgnSynthesizer(**base)  # type: ignore[arg-type]


def test_conformance_under_dp(tmp_path: Path, seed: int) -> None:
    frame, md = mixed_frame(400, seed=seed)
    check_synthesizer(lambda: _dp(epsilon=50.0), frame, md, tmp_path=tmp_path)


def test_budget_spent_and_recorded(tmp_path: Path, seed: int) -> None:
    frame = _frame(seed)
    synth = _dp().fit(frame)
    summary = synth.training_summary_
    assert 0.9 < summary["epsilon_spent"] <= 1.0 + 1e-9
    assert summary["delta"] == pytest.approx(1 / (10 * len(frame)))
    assert summary["dp_steps"] == 2 * 10
    assert summary["best_val_loss"] is None  # no validation split under DP
    # the spent epsilon is what the accountant gives for the recorded release and steps
    again = epsilon_spent(
        summary["noise_multiplier"],
        300 / len(frame),
        summary["dp_steps"],
        summary["delta"] / 2,
        releases=(summary["release_noise_multiplier"],),
    )
    assert again == pytest.approx(summary["epsilon_spent"], rel=1e-4)
    assert all(c.provenance is Provenance.DP for c in synth.metadata_)
    path = persistence.save(synth, tmp_path / "dp.synth")
    shown = inspect_model(path)
    assert shown["epsilon"] == pytest.approx(summary["epsilon_spent"])
    loaded = persistence.load(path)
    pd.testing.assert_frame_equal(loaded.sample(200, seed=1), synth.sample(200, seed=1))


def test_rare_values_and_extremes_never_released(seed: int) -> None:
    frame = _frame(seed)
    synth = _dp().fit(frame)
    assert "ONLY-ONE-PERSON" not in synth.metadata_["c"].categories
    assert synth.metadata_["z"].maximum < 1_000
    out = synth.sample(3_000, seed=2)
    assert "ONLY-ONE-PERSON" not in set(out["c"].dropna())
    assert out["z"].max() < 1_000


def test_declared_bounds_and_categories_are_free_and_kept(seed: int) -> None:
    frame = _frame(seed).drop(index=7)
    md = Metadata(
        (
            Column(
                "x",
                ColumnKind.FLOAT,
                minimum=0.0,
                maximum=100.0,
                decimals=0,
                provenance=Provenance.DECLARED,
            ),
            Column(
                "c",
                ColumnKind.CATEGORICAL,
                categories=("lo", "hi", "mid"),
                provenance=Provenance.DECLARED,
            ),
            Column("z", ColumnKind.FLOAT),
        )
    )
    synth = _dp().fit(frame, md)
    assert (synth.metadata_["x"].minimum, synth.metadata_["x"].maximum) == (0.0, 100.0)
    assert synth.metadata_["c"].categories == ("lo", "hi", "mid")
    assert synth.training_summary_["declared_columns"] == ["x", "c"]
    # a learned (undeclared) description is paid for: its categories come from noisy counts
    assert count_histograms(md) == 2 + 1 + 4


def test_dp_fit_is_deterministic_and_uses_noise(seed: int) -> None:
    frame = _frame(seed, 800)
    a = _dp().fit(frame)
    b = _dp().fit(frame)
    c = _dp(seed=4).fit(frame)
    assert all(np.array_equal(a.weights_[k], b.weights_[k]) for k in a.weights_)
    assert a.metadata_ == b.metadata_
    assert not all(np.array_equal(a.weights_[k], c.weights_[k]) for k in a.weights_)


def test_time_budget_spends_less(seed: int) -> None:
    frame = _frame(seed)
    synth = _dp(max_epochs=500, time_budget=1.0).fit(frame)
    summary = synth.training_summary_
    assert summary["stopped_by"] == "time_budget"
    assert summary["epsilon_spent"] < 1.0


def test_release_noise_scale_matches_sigma(seed: int) -> None:
    """The missing share of an id column is a noisy count: its spread is sigma / n."""
    n = 2_000
    frame = pd.DataFrame({"k": pd.Series([f"id{i}" for i in range(n)], dtype="str")})
    frame.loc[: n // 4, "k"] = None
    md = Metadata((Column("k", ColumnKind.ID),))
    shares = []
    sigma = 0.0
    for i in range(400):
        out = release(
            frame,
            md,
            noise_multiplier=5.0,
            delta_select=1e-6,
            rare_category_k=5,
            bounds_quantile=0.001,
            steps_us={},
            rng=np.random.default_rng([seed, i]),
        )
        shares.append(out.metadata["k"].missing_share)
        sigma = out.sigma
    assert sigma == pytest.approx(5.0)  # one histogram: the multiplier is the cell noise
    spread = float(np.std(np.asarray(shares) * n))
    assert spread == pytest.approx(sigma, rel=0.15)
    assert float(np.mean(shares)) == pytest.approx((n // 4 + 1) / n, abs=0.01)


def test_gaussian_release_noise_within_classic_bound() -> None:
    # Dwork & Roth (2014), Thm A.1: sigma = sqrt(2 ln(1.25 / delta)) / epsilon suffices (eps < 1)
    for eps, delta in [(0.5, 1e-5), (0.9, 1e-6), (0.2, 1e-5)]:
        classic = math.sqrt(2 * math.log(1.25 / delta)) / eps
        sigma = gaussian_noise_for(eps, delta)
        assert 0.5 * classic < sigma <= classic
    # composing a release with the steps costs more than either alone
    alone = epsilon_spent(1.0, 0.01, 500, 1e-5)
    both = epsilon_spent(1.0, 0.01, 500, 1e-5, releases=(20.0,))
    assert alone < both < alone + epsilon_spent(1.0, 0.01, 0, 1e-5, releases=(20.0,)) + 1e-9


def test_too_few_rows_for_the_budget_is_a_clear_error(seed: int) -> None:
    frame = _frame(seed, 60)
    with pytest.raises(DataError, match="declare"):
        _dp(epsilon=0.05).fit(frame)


def test_per_row_norm_clipping_matches_per_sample_autograd(seed: int) -> None:
    """The fast clipped sum (per-row norms from layer inputs) equals clipping torch.func's
    per-sample gradients one by one."""
    from torch import nn

    from synthcraft.synthesizers._argn_net import ArgnNet
    from synthcraft.synthesizers._dp import _clipped_grad_sum

    sizes = [5, 4, 6, 3]
    with torch.device("meta"):
        net = ArgnNet(sizes, 4, 8)
    net.to_empty(device="cpu")
    net.reset_parameters(torch.Generator().manual_seed(seed))
    g = torch.Generator().manual_seed(seed + 1)
    tokens = torch.stack([torch.randint(0, s, (64,), generator=g) for s in sizes], 1)

    def row_loss(call: object, sample: tuple[torch.Tensor, ...]) -> torch.Tensor:
        (t,) = sample
        total = torch.zeros(())
        for j, logits in enumerate(call(t)):  # type: ignore[operator]
            total = total + nn.functional.cross_entropy(logits, t[:, j])
        return total

    names = [n for n, _ in net.named_parameters()]
    for clip in (0.05, 0.5, 100.0):  # most rows clipped, some, none
        fast, loss_sum = net.clipped_grad_sum(tokens, clip)
        slow, slow_loss = _clipped_grad_sum(net, row_loss, (tokens,), names, clip)
        for name in names:
            torch.testing.assert_close(fast[name], slow[name], atol=1e-5, rtol=1e-4)
        assert loss_sum == pytest.approx(slow_loss, rel=1e-5)
