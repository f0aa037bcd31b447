"""DP-SGD building blocks: privacy accounting, Poisson batches and one private optimiser step.

DP-SGD (Abadi et al. 2016) clips each row's gradient to ``max_grad_norm``, sums the clipped
gradients, adds Gaussian noise of standard deviation ``noise_multiplier * max_grad_norm`` and
divides by the batch size. With batches drawn by Poisson sampling (each row joins a batch with
probability ``sample_rate``), the privacy spent over ``steps`` steps is tracked with the Rényi DP
accountant of ``dp-accounting`` (Mironov et al. 2019; RDP converted to ``(epsilon, delta)`` with
the tighter conversion of Balle et al. 2020, so values are a little below the classic
``min_a rdp(a) + log(1/delta)/(a - 1)`` that older tools print).

torch and ``dp-accounting`` (the ``deep`` extra) are imported only when a function needs them, so
importing :mod:`synthcraft.synthesizers` never imports either. Random draws use the
``torch.Generator`` passed in; the global torch random state is never touched.
"""

from __future__ import annotations

import importlib.util
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from synthcraft.errors import MissingDependencyError, UserInputError

if TYPE_CHECKING:
    import torch

__all__ = [
    "MAX_NOISE_MULTIPLIER",
    "epsilon_spent",
    "gaussian_noise_for",
    "noise_multiplier_for",
    "noisy_step",
    "poisson_batch",
    "private_step",
    "require_accountant",
]

MAX_NOISE_MULTIPLIER = 1_000.0
"""Largest noise multiplier :func:`noise_multiplier_for` searches; beyond it nothing is learned."""

_MIN_NOISE_MULTIPLIER = 1e-2
_BISECTION_RTOL = 1e-4
_NORM_EPS = 1e-6
_ORDERS = (1.25, 1.5, 1.75, *range(2, 65), 80.0, 96.0, 128.0, 256.0, 512.0)
"""RDP orders tracked: whole orders have closed forms (fast); a few fractional ones help small
budgets."""
_INSTALL_HINT = "pip install 'synthcraft[deep]'"


def _require_torch() -> None:
    if importlib.util.find_spec("torch") is None:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            f"differentially private training needs torch; {_INSTALL_HINT}"
        )


def require_accountant(model: str) -> None:
    """Raise a clear error when ``dp-accounting`` (needed to train ``model`` with epsilon) is
    missing."""
    if importlib.util.find_spec("dp_accounting") is None:
        raise MissingDependencyError(
            f"training {model} with epsilon needs dp-accounting, which is not installed; "
            f"{_INSTALL_HINT}"
        )


def _check_accounting_args(
    noise_multiplier: float, sample_rate: float, steps: int, delta: float
) -> None:
    if not (isinstance(sample_rate, (int, float)) and 0.0 < sample_rate <= 1.0):
        raise UserInputError(
            f"sample_rate must be in (0, 1], got {sample_rate!r}; use batch_size / n_rows"
        )
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise UserInputError(f"steps must be a whole number >= 0, got {steps!r}")
    if not (isinstance(delta, (int, float)) and 0.0 < delta < 1.0):
        raise UserInputError(f"delta must be in (0, 1), got {delta!r}; e.g. 1 / n_rows**1.1")
    if not (isinstance(noise_multiplier, (int, float)) and noise_multiplier >= 0.0):
        raise UserInputError(
            f"noise_multiplier must be a number >= 0, got {noise_multiplier!r}; e.g. 1.0"
        )


def _accountant_epsilon(
    sgd: tuple[float, float, int] | None, releases: tuple[float, ...], delta: float
) -> float:
    """Epsilon at ``delta`` of DP-SGD steps ``(sigma, rate, steps)`` and Gaussian releases."""
    try:
        from dp_accounting import dp_event  # type: ignore[import-untyped]
        from dp_accounting.rdp import RdpAccountant  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            f"privacy accounting needs dp-accounting; {_INSTALL_HINT}"
        ) from None
    accountant = RdpAccountant(orders=_ORDERS)
    # orders whose series does not converge are dropped by the accountant (it logs each one)
    absl = logging.getLogger("absl")
    level = absl.level
    absl.setLevel(logging.ERROR)
    try:
        for sigma in releases:
            accountant.compose(dp_event.GaussianDpEvent(float(sigma)))
        if sgd is not None and sgd[2] > 0:
            sigma, rate, steps = sgd
            inner = dp_event.GaussianDpEvent(float(sigma))
            accountant.compose(dp_event.PoissonSampledDpEvent(float(rate), inner), int(steps))
        return float(accountant.get_epsilon(float(delta)))
    finally:
        absl.setLevel(level)


def _check_releases(releases: tuple[float, ...]) -> tuple[float, ...]:
    out = tuple(releases)
    if not all(isinstance(r, (int, float)) and 0.0 < r < math.inf for r in out):
        raise UserInputError(f"release noise multipliers must be positive numbers, got {out!r}")
    return out


def epsilon_spent(
    noise_multiplier: float,
    sample_rate: float,
    steps: int,
    delta: float,
    *,
    releases: tuple[float, ...] = (),
) -> float:
    """Return the epsilon spent by ``steps`` DP-SGD steps with Poisson sampling (RDP accountant).

    Parameters
    ----------
    noise_multiplier : float
        Noise standard deviation divided by the clipping norm (sigma); 0 means no privacy.
    sample_rate : float
        Probability that a row joins a batch (``batch_size / n_rows``).
    steps : int
        Number of optimiser steps.
    delta : float
        Target delta, in (0, 1).
    releases : tuple of float
        Noise multipliers (noise standard deviation over L2 sensitivity) of Gaussian releases
        made besides the steps (e.g. noisy histograms of the metadata); composed with them.

    Returns
    -------
    float
        The epsilon of the ``(epsilon, delta)`` guarantee; ``inf`` without noise.

    Examples
    --------
    >>> round(epsilon_spent(1.1, 256 / 60_000, 14_063, 1e-5), 2)
    2.6
    """
    _check_accounting_args(noise_multiplier, sample_rate, steps, delta)
    releases = _check_releases(releases)
    if steps == 0 and not releases:
        return 0.0
    if noise_multiplier == 0.0 and steps > 0:
        return math.inf
    return _accountant_epsilon((noise_multiplier, sample_rate, steps), releases, delta)


def gaussian_noise_for(epsilon: float, delta: float) -> float:
    """Return the smallest noise multiplier (to a relative 1e-4) of one Gaussian release.

    A release of L2 sensitivity ``s`` with noise of standard deviation ``sigma * s`` then spends
    at most ``epsilon`` at ``delta`` (RDP accountant).

    Examples
    --------
    >>> round(gaussian_noise_for(1.0, 1e-5), 2)
    4.05
    """
    if not (isinstance(epsilon, (int, float)) and 0.0 < epsilon < math.inf):
        raise UserInputError(f"epsilon must be a positive number, got {epsilon!r}; e.g. 1.0")
    _check_accounting_args(1.0, 1.0, 0, delta)
    return _bisect(lambda sigma: _accountant_epsilon(None, (sigma,), delta) <= epsilon)


def _bisect(ok: Callable[[float], bool]) -> float:
    """Smallest noise multiplier in range for which ``ok`` holds (``ok`` is monotone)."""
    low, high = _MIN_NOISE_MULTIPLIER, MAX_NOISE_MULTIPLIER
    if ok(low):
        return low
    # epsilon decreases in the noise multiplier; bisect in log space, keep the safe end.
    while high / low - 1.0 > _BISECTION_RTOL:
        middle = math.sqrt(low * high)
        if ok(middle):
            high = middle
        else:
            low = middle
    return high


def noise_multiplier_for(
    epsilon: float,
    delta: float,
    sample_rate: float,
    steps: int,
    *,
    releases: tuple[float, ...] = (),
) -> float:
    """Return the smallest noise multiplier (to a relative 1e-4) that spends at most ``epsilon``.

    Parameters
    ----------
    epsilon : float
        Privacy budget, > 0.
    delta : float
        Target delta, in (0, 1).
    sample_rate : float
        Probability that a row joins a batch (``batch_size / n_rows``).
    steps : int
        Number of optimiser steps, >= 1.
    releases : tuple of float
        Noise multipliers of Gaussian releases made besides the steps (see
        :func:`epsilon_spent`); the steps get what they leave of the budget.

    Returns
    -------
    float
        A noise multiplier ``s`` with ``epsilon_spent(s, sample_rate, steps, delta) <= epsilon``.

    Raises
    ------
    UserInputError
        When even :data:`MAX_NOISE_MULTIPLIER` spends more than ``epsilon``.

    Examples
    --------
    >>> sigma = noise_multiplier_for(3.0, 1e-5, 256 / 60_000, 14_063)
    >>> round(sigma, 2)
    1.01
    """
    if not (isinstance(epsilon, (int, float)) and 0.0 < epsilon < math.inf):
        raise UserInputError(f"epsilon must be a positive number, got {epsilon!r}; e.g. 1.0")
    _check_accounting_args(1.0, sample_rate, steps, delta)
    if steps < 1:
        raise UserInputError(f"steps must be at least 1, got {steps}; train for at least one step")
    releases = _check_releases(releases)

    def ok(sigma: float) -> bool:
        return epsilon_spent(sigma, sample_rate, steps, delta, releases=releases) <= epsilon

    if not ok(MAX_NOISE_MULTIPLIER):
        raise UserInputError(
            f"epsilon={epsilon:g} cannot be reached with delta={delta:g} over {steps} steps at "
            f"sample rate {sample_rate:g} (the noise would drown the data); train fewer epochs, "
            "use a larger batch, or raise epsilon or delta"
        )
    return _bisect(ok)


def poisson_batch(n_rows: int, sample_rate: float, generator: torch.Generator) -> torch.Tensor:
    """Draw one Poisson-sampled batch: each row index joins with probability ``sample_rate``.

    Parameters
    ----------
    n_rows : int
        Number of rows to sample from.
    sample_rate : float
        Probability that a row joins, in (0, 1].
    generator : torch.Generator
        Source of randomness (its device is used for the draw).

    Returns
    -------
    torch.Tensor
        Sorted int64 row indices on the generator's device; may be empty.

    Examples
    --------
    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> poisson_batch(10, 1.0, g).tolist()
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    _require_torch()
    import torch

    if isinstance(n_rows, bool) or not isinstance(n_rows, int) or n_rows < 0:
        raise UserInputError(f"n_rows must be a whole number >= 0, got {n_rows!r}")
    if not (isinstance(sample_rate, (int, float)) and 0.0 < sample_rate <= 1.0):
        raise UserInputError(
            f"sample_rate must be in (0, 1], got {sample_rate!r}; use batch_size / n_rows"
        )
    draws = torch.rand(n_rows, generator=generator, device=generator.device)
    indices: torch.Tensor = torch.nonzero(draws < sample_rate).flatten()
    return indices


def _as_tuple(batch: torch.Tensor | tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    return batch if isinstance(batch, tuple) else (batch,)


def _clipped_grad_sum(
    model: torch.nn.Module,
    loss_per_sample_fn: Callable[..., torch.Tensor],
    tensors: tuple[torch.Tensor, ...],
    names: list[str],
    max_grad_norm: float,
) -> tuple[dict[str, torch.Tensor], float]:
    """Return the sum of per-sample gradients each clipped to ``max_grad_norm``, and loss sum."""
    _require_torch()
    import torch
    from torch.func import functional_call, grad, vmap

    params = {n: p.detach() for n, p in model.named_parameters() if n in names}
    frozen = {n: p.detach() for n, p in model.named_parameters() if n not in names}
    frozen.update({n: b.detach() for n, b in model.named_buffers()})

    def sample_loss(
        trained: dict[str, torch.Tensor], sample: tuple[torch.Tensor, ...]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        state = {**frozen, **trained}

        def call(*args: Any, **kwargs: Any) -> Any:
            return functional_call(model, state, args, kwargs)

        loss = loss_per_sample_fn(call, tuple(t.unsqueeze(0) for t in sample)).sum()
        return loss, loss.detach()

    per_sample_grads, losses = vmap(grad(sample_loss, has_aux=True), in_dims=(None, 0))(
        params, tensors
    )
    squared = [per_sample_grads[n].flatten(1).pow(2).sum(1) for n in names]
    norms = torch.stack(squared, dim=1).sum(1).sqrt()
    factors = (max_grad_norm / (norms + _NORM_EPS)).clamp(max=1.0)
    summed = {n: torch.einsum("b,b...->...", factors, per_sample_grads[n]) for n in names}
    return summed, float(losses.sum())


def private_step(
    model: torch.nn.Module,
    loss_per_sample_fn: Callable[..., torch.Tensor],
    batch: torch.Tensor | tuple[torch.Tensor, ...],
    *,
    max_grad_norm: float,
    noise_multiplier: float,
    generator: torch.Generator,
    optimizer: torch.optim.Optimizer,
    expected_batch_size: float | None = None,
    chunk_size: int = 256,
) -> float:
    """Take one DP-SGD step: clip per-sample gradients, add Gaussian noise, step the optimiser.

    Per-sample gradients come from ``torch.func`` (``vmap(grad(...))`` over ``functional_call``).
    Each row's gradient (L2 norm over all trainable parameters) is clipped to ``max_grad_norm``;
    the clipped gradients are summed, noise ``N(0, (noise_multiplier * max_grad_norm)^2)`` drawn
    from ``generator`` is added, and the result is divided by the batch size and written into
    each parameter's ``.grad`` before ``optimizer.step()``.

    Parameters
    ----------
    model : torch.nn.Module
        The network; it must not draw random numbers in ``forward`` (no dropout) nor use batch
        statistics (no batch norm).
    loss_per_sample_fn : callable
        ``loss_per_sample_fn(call, sample)``: ``call(*args)`` runs ``model(*args)`` with the
        parameters being differentiated; ``sample`` is a tuple of the batch's tensors for one row,
        each with a leading dimension of 1. Returns the row's loss (summed if not a scalar).
    batch : torch.Tensor or tuple of torch.Tensor
        The rows of this step, all tensors sharing the leading (row) dimension.
    max_grad_norm : float
        Clipping norm C, > 0.
    noise_multiplier : float
        sigma, >= 0; the noise standard deviation is ``sigma * C``.
    generator : torch.Generator
        Source of the noise; draws happen on its device and are moved to each parameter's.
    optimizer : torch.optim.Optimizer
        Optimiser over the model's parameters.
    expected_batch_size : float, optional
        Divide by this instead of the actual batch size; use ``sample_rate * n_rows`` with
        Poisson batches, so the batch size itself stays private (an empty batch then still steps).
    chunk_size : int
        Rows whose per-sample gradients are held in memory at once.

    Returns
    -------
    float
        The mean loss over the batch (before the step); ``nan`` for an empty batch.
    """
    _require_torch()
    import torch

    if not (isinstance(max_grad_norm, (int, float)) and 0.0 < max_grad_norm < math.inf):
        raise UserInputError(f"max_grad_norm must be a positive number, got {max_grad_norm!r}")
    if not (isinstance(noise_multiplier, (int, float)) and 0.0 <= noise_multiplier < math.inf):
        raise UserInputError(
            f"noise_multiplier must be a number >= 0, got {noise_multiplier!r}; e.g. 1.0"
        )
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise UserInputError(f"chunk_size must be a whole number >= 1, got {chunk_size!r}")
    tensors = _as_tuple(batch)
    n_rows = int(tensors[0].shape[0]) if tensors else 0
    if not tensors or any(int(t.shape[0]) != n_rows for t in tensors):
        raise UserInputError("the batch tensors must share their first (row) dimension")
    if expected_batch_size is not None and not expected_batch_size > 0:
        raise UserInputError(f"expected_batch_size must be > 0, got {expected_batch_size!r}")
    denominator = float(expected_batch_size) if expected_batch_size is not None else n_rows
    if denominator == 0:
        raise UserInputError("the batch is empty; pass expected_batch_size with Poisson batches")

    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    names = [n for n, _ in trainable]
    totals = {n: torch.zeros_like(p) for n, p in trainable}
    loss_total = 0.0
    for start in range(0, n_rows, chunk_size):
        chunk = tuple(t[start : start + chunk_size] for t in tensors)
        summed, loss_sum = _clipped_grad_sum(model, loss_per_sample_fn, chunk, names, max_grad_norm)
        for n in names:
            totals[n] += summed[n]
        loss_total += loss_sum

    noisy_step(
        trainable,
        totals,
        std=float(noise_multiplier) * float(max_grad_norm),
        denominator=denominator,
        generator=generator,
        optimizer=optimizer,
    )
    return loss_total / n_rows if n_rows else math.nan


def noisy_step(
    trainable: Sequence[tuple[str, torch.Tensor]],
    sums: Mapping[str, torch.Tensor],
    *,
    std: float,
    denominator: float,
    generator: torch.Generator,
    optimizer: torch.optim.Optimizer,
) -> None:
    """Add Gaussian noise of ``std`` to clipped gradient ``sums``, divide, step the optimiser.

    Models that compute their clipped sums faster than :func:`private_step` (e.g. from
    per-row gradient norms of their own layers) finish the DP-SGD step with this.
    """
    _require_torch()
    import torch

    for n, p in trainable:
        noise = torch.randn(p.shape, generator=generator, device=generator.device, dtype=p.dtype)
        p.grad = (sums[n] + std * noise.to(p.device)) / denominator
    optimizer.step()
