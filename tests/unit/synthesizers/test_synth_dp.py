"""Tests of the DP-SGD building blocks: accounting, Poisson batches, the private step."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
from scipy.special import gammaln, logsumexp

from synthcraft.errors import UserInputError
from synthcraft.synthesizers._dp import (
    MAX_NOISE_MULTIPLIER,
    epsilon_spent,
    noise_multiplier_for,
    poisson_batch,
    private_step,
)

torch = pytest.importorskip("torch")

ORDERS = np.arange(2, 257, dtype=float)


def reference_rdp(sigma: float, q: float, steps: int) -> np.ndarray:
    """RDP of the Poisson-sampled Gaussian at integer orders (Mironov et al. 2019, closed form)."""
    values = []
    for a in ORDERS.astype(int):
        k = np.arange(a + 1, dtype=float)
        log_binom = gammaln(a + 1) - gammaln(k + 1) - gammaln(a - k + 1)
        log_q = (
            k * math.log(q) + (a - k) * math.log1p(-q) if q < 1 else np.where(k == a, 0, -np.inf)
        )
        terms = log_binom + log_q + (k * k - k) / (2 * sigma**2)
        values.append(float(logsumexp(terms)) / (a - 1))
    return np.asarray(values) * steps


def classic_epsilon(rdp: np.ndarray, delta: float) -> float:
    return float(np.min(rdp + math.log(1 / delta) / (ORDERS - 1)))


def improved_epsilon(rdp: np.ndarray, delta: float) -> float:
    """Balle et al. 2020 conversion, as used by dp-accounting and Opacus."""
    eps = rdp + np.log1p(-1 / ORDERS) - np.log(delta * ORDERS) / (ORDERS - 1)
    return float(np.min(eps))


# TensorFlow Privacy MNIST tutorial table (N=60000, batch 256, delta=1e-5, classic RDP conversion).
PUBLISHED = [(1.1, 60, 3.01), (1.3, 15, 1.19), (0.7, 45, 7.10)]


@pytest.mark.parametrize(("sigma", "epochs", "published"), PUBLISHED)
def test_reference_rdp_reproduces_published_epsilon(
    sigma: float, epochs: int, published: float
) -> None:
    q = 256 / 60_000
    steps = math.ceil(epochs / q)
    # integer orders only: up to ~0.03 looser than the published fractional-order optimum
    classic = classic_epsilon(reference_rdp(sigma, q, steps), 1e-5)
    assert published - 0.005 <= classic <= published + 0.03


@pytest.mark.parametrize(("sigma", "epochs", "published"), PUBLISHED)
def test_epsilon_spent_matches_reference(sigma: float, epochs: int, published: float) -> None:
    q = 256 / 60_000
    steps = math.ceil(epochs / q)
    spent = epsilon_spent(sigma, q, steps, 1e-5)
    reference = improved_epsilon(reference_rdp(sigma, q, steps), 1e-5)
    # dp-accounting also uses fractional orders, so it may be slightly tighter, never looser.
    assert reference * 0.98 <= spent <= reference + 1e-6
    assert spent < published


def test_epsilon_spent_known_value_and_edges() -> None:
    assert epsilon_spent(1.1, 256 / 60_000, 14_063, 1e-5) == pytest.approx(2.597, abs=0.005)
    assert epsilon_spent(1.0, 0.01, 0, 1e-5) == 0.0
    assert epsilon_spent(0.0, 0.01, 10, 1e-5) == math.inf
    # full batches, one step: the plain Gaussian mechanism
    rdp = reference_rdp(1.0, 1.0, 1)
    assert rdp[0] == pytest.approx(2 / 2)
    assert epsilon_spent(1.0, 1.0, 1, 1e-5) == pytest.approx(improved_epsilon(rdp, 1e-5), abs=0.05)


def test_epsilon_spent_monotone() -> None:
    by_sigma = [epsilon_spent(s, 0.01, 1000, 1e-5) for s in (0.6, 0.9, 1.5, 3.0)]
    by_steps = [epsilon_spent(1.0, 0.01, n, 1e-5) for n in (10, 100, 1000, 10_000)]
    assert by_sigma == sorted(by_sigma, reverse=True)
    assert by_steps == sorted(by_steps)


@pytest.mark.parametrize(
    ("epsilon", "delta", "q", "steps"),
    [(1.0, 1e-5, 0.01, 3000), (3.0, 1e-5, 256 / 60_000, 14_063), (8.0, 1e-6, 0.05, 200)],
)
def test_noise_multiplier_for_inverts_epsilon_spent(
    epsilon: float, delta: float, q: float, steps: int
) -> None:
    sigma = noise_multiplier_for(epsilon, delta, q, steps)
    assert epsilon_spent(sigma, q, steps, delta) <= epsilon
    assert epsilon_spent(sigma * (1 - 1e-4), q, steps, delta) > epsilon
    assert epsilon_spent(sigma, q, steps, delta) == pytest.approx(epsilon, rel=1e-3)


def test_noise_multiplier_for_unreachable_epsilon() -> None:
    with pytest.raises(UserInputError, match=r"fewer epochs.*larger batch"):
        noise_multiplier_for(1e-3, 1e-5, 0.01, 1000)
    assert epsilon_spent(MAX_NOISE_MULTIPLIER, 0.01, 1000, 1e-5) > 1e-3


@pytest.mark.parametrize(
    "call",
    [
        lambda: epsilon_spent(1.0, 0.0, 10, 1e-5),
        lambda: epsilon_spent(1.0, 1.5, 10, 1e-5),
        lambda: epsilon_spent(1.0, 0.1, -1, 1e-5),
        lambda: epsilon_spent(1.0, 0.1, 2.5, 1e-5),
        lambda: epsilon_spent(1.0, 0.1, 10, 0.0),
        lambda: epsilon_spent(1.0, 0.1, 10, 1.0),
        lambda: epsilon_spent(-1.0, 0.1, 10, 1e-5),
        lambda: noise_multiplier_for(0.0, 1e-5, 0.1, 10),
        lambda: noise_multiplier_for(math.inf, 1e-5, 0.1, 10),
        lambda: noise_multiplier_for(1.0, 1e-5, 0.1, 0),
        lambda: poisson_batch(-1, 0.1, torch.Generator()),
        lambda: poisson_batch(10, 0.0, torch.Generator()),
    ],
)
def test_accounting_and_sampling_reject_bad_input(call: Callable[[], object]) -> None:
    with pytest.raises(UserInputError):
        call()


def test_poisson_batch(seed: int) -> None:
    state = torch.get_rng_state()
    first = poisson_batch(10_000, 0.1, torch.Generator().manual_seed(seed))
    again = poisson_batch(10_000, 0.1, torch.Generator().manual_seed(seed))
    other = poisson_batch(10_000, 0.1, torch.Generator().manual_seed(seed + 1))
    assert torch.equal(first, again)
    assert not torch.equal(first, other)
    assert first.dtype == torch.int64
    assert bool((first[1:] > first[:-1]).all())
    assert abs(len(first) - 1000) < 5 * math.sqrt(10_000 * 0.1 * 0.9)
    assert len(poisson_batch(0, 0.5, torch.Generator())) == 0
    assert torch.equal(torch.get_rng_state(), state)


def make_model(seed: int, width: int = 4) -> torch.nn.Module:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return torch.nn.Sequential(
            torch.nn.Linear(3, width), torch.nn.Tanh(), torch.nn.Linear(width, 1)
        )


def mse(call: Callable[..., torch.Tensor], sample: tuple[torch.Tensor, ...]) -> torch.Tensor:
    x, y = sample
    return (call(x).squeeze(-1) - y).pow(2)


def make_batch(seed: int, rows: int, scale: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, 3, generator=g) * scale
    return x, torch.randn(rows, generator=g) * scale


def flat_params(model: torch.nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def sgd_update(
    model: torch.nn.Module, batch: tuple[torch.Tensor, ...], **kwargs: object
) -> torch.Tensor:
    before = flat_params(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    private_step(model, mse, batch, optimizer=optimizer, **kwargs)  # type: ignore[arg-type]
    return flat_params(model) - before


def test_clipping_matches_per_row_autograd(seed: int) -> None:
    model = make_model(seed)
    x, y = make_batch(seed, 6, scale=3.0)
    clip = 0.5
    expected = torch.zeros_like(flat_params(model))
    norms = []
    for i in range(6):
        model.zero_grad()
        mse(model, (x[i : i + 1], y[i : i + 1])).sum().backward()
        g = torch.cat([p.grad.flatten() for p in model.parameters()])  # type: ignore[union-attr]
        norms.append(float(g.norm()))
        expected += g * min(1.0, clip / (float(g.norm()) + 1e-6))
    assert max(norms) > clip > min(norms)
    update = sgd_update(
        model,
        (x, y),
        max_grad_norm=clip,
        noise_multiplier=0.0,
        generator=torch.Generator().manual_seed(seed),
        chunk_size=4,
    )
    torch.testing.assert_close(-update, expected / 6, rtol=1e-4, atol=1e-6)


def test_each_clipped_gradient_is_bounded(seed: int) -> None:
    clip = 0.25
    for i in range(5):
        model = make_model(seed + i)
        x, y = make_batch(seed + i, 1, scale=10.0)
        update = sgd_update(
            model, (x, y), max_grad_norm=clip, noise_multiplier=0.0, generator=torch.Generator()
        )
        assert float(update.norm()) <= clip * (1 + 1e-5)
    small = sgd_update(
        make_model(seed),
        make_batch(seed, 1, scale=1e-3),
        max_grad_norm=100.0,
        noise_multiplier=0.0,
        generator=torch.Generator(),
    )
    assert 0 < float(small.norm()) < 100.0


def test_noise_scale_is_sigma_clip_over_batch(seed: int) -> None:
    model = make_model(seed, width=400)
    x, y = make_batch(seed, 8)

    def zero_loss(
        call: Callable[..., torch.Tensor], sample: tuple[torch.Tensor, ...]
    ) -> torch.Tensor:
        return call(sample[0]).sum() * 0.0

    before = flat_params(model)
    sigma, clip, rows = 1.3, 0.7, 8
    private_step(
        model,
        zero_loss,
        (x, y),
        max_grad_norm=clip,
        noise_multiplier=sigma,
        generator=torch.Generator().manual_seed(seed),
        optimizer=torch.optim.SGD(model.parameters(), lr=1.0),
    )
    update = flat_params(model) - before
    assert update.numel() > 2000
    assert float(update.mean()) == pytest.approx(
        0.0, abs=5 * sigma * clip / rows / update.numel() ** 0.5
    )
    assert float(update.std()) == pytest.approx(sigma * clip / rows, rel=0.1)


def test_private_step_deterministic_and_leaves_global_rng(seed: int) -> None:
    state = torch.get_rng_state()
    results = []
    for generator_seed in (seed, seed, seed + 1):
        model = make_model(seed)
        loss = private_step(
            model,
            mse,
            make_batch(seed, 16),
            max_grad_norm=1.0,
            noise_multiplier=1.0,
            generator=torch.Generator().manual_seed(generator_seed),
            optimizer=torch.optim.Adam(model.parameters(), lr=0.01),
        )
        results.append((loss, flat_params(model)))
    assert results[0][0] == results[1][0] == results[2][0]
    assert torch.equal(results[0][1], results[1][1])
    assert not torch.equal(results[0][1], results[2][1])
    assert torch.equal(torch.get_rng_state(), state)


def test_mean_loss_chunks_and_frozen_parameters(seed: int) -> None:
    x, y = make_batch(seed, 10)
    model = make_model(seed)
    expected = float(mse(model, (x, y)).mean().detach())
    updates = []
    for chunk_size in (3, 256):
        model = make_model(seed)
        model[0].bias.requires_grad_(False)
        frozen = model[0].bias.detach().clone()
        loss = private_step(
            model,
            mse,
            (x, y),
            max_grad_norm=1.0,
            noise_multiplier=0.5,
            generator=torch.Generator().manual_seed(seed),
            optimizer=torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1),
            chunk_size=chunk_size,
        )
        assert loss == pytest.approx(expected, rel=1e-5)
        assert torch.equal(model[0].bias.detach(), frozen)
        updates.append(flat_params(model))
    torch.testing.assert_close(updates[0], updates[1])


def test_empty_poisson_batch_and_bad_step_input(seed: int) -> None:
    model = make_model(seed)
    empty = (torch.zeros(0, 3), torch.zeros(0))
    kwargs = {"max_grad_norm": 1.0, "noise_multiplier": 1.0, "generator": torch.Generator()}
    update = sgd_update(model, empty, expected_batch_size=4.0, **kwargs)
    assert float(update.abs().sum()) > 0
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    assert math.isnan(
        private_step(model, mse, empty, optimizer=optimizer, expected_batch_size=4.0, **kwargs)
    )  # type: ignore[arg-type]
    bad: list[dict[str, object]] = [
        {"batch": empty},
        {"batch": (torch.zeros(3, 3), torch.zeros(2))},
        {"max_grad_norm": 0.0},
        {"noise_multiplier": -1.0},
        {"chunk_size": 0},
        {"expected_batch_size": 0.0},
    ]
    for change in bad:
        arguments: dict[str, object] = {"batch": make_batch(seed, 3), **kwargs, **change}
        batch = arguments.pop("batch")
        with pytest.raises(UserInputError):
            private_step(model, mse, batch, optimizer=optimizer, **arguments)  # type: ignore[arg-type]


def test_import_does_not_load_torch_or_accountant() -> None:
    code = (
        "import sys, synthcraft.synthesizers, synthcraft.synthesizers._dp; "
        "print('torch' in sys.modules, 'dp_accounting' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
