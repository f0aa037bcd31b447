"""The ``argn`` network and its training loop (imports torch; imported lazily by ``argn``).

The network is autoregressive over token sub-columns: sub-column ``j`` has an embedding table,
and its logits come from a small MLP over the concatenated embeddings of sub-columns ``0 .. j-1``
(sub-column 0 has learned logits only). Output biases start at the log frequencies of each
sub-column, so an untrained network already samples the right marginals. Training minimises
the cross-entropy summed over sub-columns with Adam on shuffled mini-batches, with early stopping
on a validation split, a time budget and ``max_epochs``.

Determinism: modules are built on the meta device and initialised from a local
``torch.Generator`` (never the global torch RNG, which is not touched at all), and batches are
shuffled by a numpy Generator.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from synthcraft._types import ProgressCallback, report
from synthcraft.errors import ResourceError

__all__ = ["ArgnNet", "DpConfig", "TrainConfig", "estimate_bytes", "resolve_device", "train"]

_MIN_STEPS = 10
"""Fewest optimiser steps per epoch: small tables get smaller batches."""
_EVAL_ROWS = 8_192
_DP_CHUNK = 8_192
"""Rows whose per-row gradient norms are computed at once under DP-SGD."""


class ArgnNet(nn.Module):
    """Autoregressive network over token sub-columns of the given sizes."""

    def __init__(self, sizes: Sequence[int], dim: int, hidden: int) -> None:
        super().__init__()
        self.sizes = [int(s) for s in sizes]
        self.dim = dim
        self.first = nn.Parameter(torch.zeros(self.sizes[0]))
        self.embeds = nn.ModuleList(nn.Embedding(s, dim) for s in self.sizes[:-1])
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Linear(j * dim, hidden), nn.ReLU(), nn.Linear(hidden, size))
            for j, size in enumerate(self.sizes[1:], start=1)
        )

    def reset_parameters(self, generator: torch.Generator) -> None:
        """PyTorch's default initialisation, drawn from ``generator`` instead of the global RNG."""
        with torch.no_grad():
            self.first.zero_()
            for emb in self.embeds:
                assert isinstance(emb, nn.Embedding)
                nn.init.normal_(emb.weight, generator=generator)
            for layer in self.heads.modules():
                if isinstance(layer, nn.Linear):
                    nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
                    bound = 1 / math.sqrt(layer.in_features)
                    nn.init.uniform_(layer.bias, -bound, bound, generator=generator)

    def init_biases(self, log_freqs: Sequence[npt.NDArray[np.float64]]) -> None:
        """Start every sub-column's logits at its log frequencies (the marginals)."""
        with torch.no_grad():
            self.first.copy_(torch.as_tensor(log_freqs[0], dtype=torch.float32))
            for j, head in enumerate(self.heads, start=1):
                assert isinstance(head, nn.Sequential)
                out = head[2]
                assert isinstance(out, nn.Linear)
                out.bias.copy_(torch.as_tensor(log_freqs[j], dtype=torch.float32))
                out.weight.mul_(0.1)

    def forward(self, tokens: torch.Tensor) -> list[torch.Tensor]:
        """Logits of every sub-column given the true previous tokens (teacher forcing)."""
        n = tokens.shape[0]
        logits = [self.first.unsqueeze(0).expand(n, -1)]
        if len(self.sizes) == 1:
            return logits
        context = torch.cat(
            [emb(tokens[:, j]) for j, emb in enumerate(self.embeds)], dim=1
        )  # (n, (J - 1) * dim)
        for j, head in enumerate(self.heads, start=1):
            logits.append(head(context[:, : j * self.dim]))
        return logits

    def clipped_grad_sum(
        self, tokens: torch.Tensor, max_grad_norm: float
    ) -> tuple[dict[str, torch.Tensor], float]:
        """Sum over rows of each row's gradient clipped to ``max_grad_norm``, and the loss sum.

        Each row's full gradient norm is computed without forming per-row gradients: for a
        linear layer it is ``|delta|^2 (|input|^2 + 1)`` (weight and bias), for an embedding the
        squared gradient of the looked-up row, for the first column's logits the squared
        softmax residual. A second backward pass of the loss weighted by the clipping factors
        gives the clipped sum (as in "ghost clipping", Goodfellow 2015; Li et al. 2022).
        """
        n = tokens.shape[0]
        first = self.first.unsqueeze(0).expand(n, -1)
        embedded = [emb(tokens[:, j]) for j, emb in enumerate(self.embeds)]
        watched: list[torch.Tensor] = [first, *embedded]
        row_loss = nn.functional.cross_entropy(first, tokens[:, 0], reduction="none")
        inputs: list[tuple[torch.Tensor, torch.Tensor]] = []  # (input, pre-activation) pairs
        if embedded:
            context = torch.cat(embedded, dim=1)
            for j, head in enumerate(self.heads, start=1):
                assert isinstance(head, nn.Sequential)
                lin1, lin2 = head[0], head[2]
                assert isinstance(lin1, nn.Linear)
                assert isinstance(lin2, nn.Linear)
                x = context[:, : j * self.dim]
                pre = lin1(x)
                hidden = torch.relu(pre)
                logits = lin2(hidden)
                row_loss = row_loss + nn.functional.cross_entropy(
                    logits, tokens[:, j], reduction="none"
                )
                inputs += [(x, pre), (hidden, logits)]
        outputs = [out for _, out in inputs]
        grads = torch.autograd.grad(row_loss.sum(), watched + outputs, retain_graph=True)
        squared = torch.zeros(n, device=tokens.device)
        for g in grads[: len(watched)]:
            squared = squared + g.pow(2).sum(1)
        for (x, _), g in zip(inputs, grads[len(watched) :], strict=True):
            squared = squared + g.pow(2).sum(1) * (x.detach().pow(2).sum(1) + 1.0)
        factors = (max_grad_norm / (squared.sqrt() + 1e-6)).clamp(max=1.0).detach()
        params = dict(self.named_parameters())
        summed = torch.autograd.grad((row_loss * factors).sum(), list(params.values()))
        return dict(zip(params, summed, strict=True)), float(row_loss.detach().sum())

    def loss(self, tokens: torch.Tensor) -> torch.Tensor:
        """Mean over rows of the cross-entropy summed over sub-columns."""
        total = torch.zeros((), device=tokens.device)
        for j, logit in enumerate(self.forward(tokens)):
            total = total + nn.functional.cross_entropy(logit, tokens[:, j])
        return total


@dataclass(frozen=True)
class DpConfig:
    """DP-SGD settings: the budget, clipping and what the metadata release already spent."""

    epsilon: float
    delta: float
    max_grad_norm: float
    release_noise: float
    priors: list[npt.NDArray[np.float64]]


@dataclass(frozen=True)
class TrainConfig:
    """Training settings (already validated)."""

    dim: int
    hidden: int
    max_epochs: int
    batch_size: int
    learning_rate: float
    validation_share: float
    patience: int
    time_budget: float | None
    device: str
    dp: DpConfig | None = None


def resolve_device(device: str) -> str:
    """``"cpu"`` or ``"cuda"`` for the setting ``"auto" | "cpu" | "cuda"``."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def estimate_bytes(n_rows: int, sizes: Sequence[int], config: TrainConfig) -> int:
    """Peak memory training needs, estimated from the shapes (bytes; about 25% generous).

    Tokens (int64), weights with their gradients and Adam moments, the activations of one batch
    forward and backward (under DP, of one chunk, kept for a second backward pass).
    """
    width = len(sizes)
    dim, hidden = config.dim, config.hidden
    params = sizes[0] + sum(s * dim for s in sizes[:-1])
    params += sum((j * dim + 1) * hidden + (hidden + 1) * s for j, s in enumerate(sizes[1:], 1))
    per_row = width * dim + sum(hidden * 2 + s * 3 for s in sizes[1:])
    batch = min(config.batch_size, n_rows)
    if config.dp is not None:
        batch = min(_DP_CHUNK, batch) * 2
    total = n_rows * width * 8 + params * 4 * 4 + batch * per_row * 4 * 3
    return int(total * 1.25)


def _available_bytes(device: torch.device) -> int | None:
    """Free memory of ``device`` (None when it cannot be read)."""
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return int(free)
    try:
        import os

        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _check_memory(n_rows: int, sizes: Sequence[int], config: TrainConfig) -> None:
    device = torch.device(resolve_device(config.device))
    need = estimate_bytes(n_rows, sizes, config)
    free = _available_bytes(device)
    if free is not None and need > free:
        raise ResourceError(
            f"training argn needs about {need / 2**30:.1f} GiB but {device.type} has "
            f"{free / 2**30:.1f} GiB free; lower batch_size, hidden or bins, or fit fewer rows"
        )


def _log_freqs(tokens: npt.NDArray[np.int64], sizes: Sequence[int]) -> list[npt.NDArray[Any]]:
    out = []
    for j, size in enumerate(sizes):
        counts = np.bincount(tokens[:, j], minlength=size)[:size].astype(np.float64)
        out.append(np.log((counts + 0.5) / (counts.sum() + 0.5 * size)))
    return out


def train(
    tokens: npt.NDArray[np.int64],
    sizes: Sequence[int],
    config: TrainConfig,
    rng: np.random.Generator,
    progress: ProgressCallback | None = None,
) -> tuple[dict[str, npt.NDArray[np.float32]], dict[str, Any]]:
    """Train the network on ``tokens`` (rows x sub-columns); CPU float32 weights and a summary.

    The summary holds ``epochs_done``, ``stopped_by`` (``"max_epochs"``, ``"early_stopping"``
    or ``"time_budget"``), the best validation loss and its epoch, and the device.
    """
    started = time.perf_counter()
    _check_memory(tokens.shape[0], sizes, config)
    device = torch.device(resolve_device(config.device))
    generator = torch.Generator().manual_seed(int(rng.integers(0, 2**62)))
    with torch.device("meta"):  # shapes only: no draws from the global RNG
        net = ArgnNet(sizes, config.dim, config.hidden)
    net.to_empty(device="cpu")
    net.reset_parameters(generator)
    if config.dp is not None:
        net.init_biases([np.log(np.maximum(p, 1e-6)) for p in config.dp.priors])
        net.to(device)
        return _train_private(net, tokens, config, config.dp, generator, started, progress)
    net.init_biases(_log_freqs(tokens, sizes))
    net.to(device)
    n = tokens.shape[0]
    order = rng.permutation(n)
    n_val = round(n * config.validation_share) if n >= 20 else 0
    val_rows, fit_rows = order[:n_val], order[n_val:]
    data = torch.as_tensor(tokens, dtype=torch.long, device=device)
    batch = int(min(config.batch_size, max(16, math.ceil(fit_rows.size / _MIN_STEPS))))
    optimizer = torch.optim.Adam(net.parameters(), lr=config.learning_rate)
    best_loss, best_epoch, best_state = math.inf, 0, None
    stopped_by, epochs_done, stale = "max_epochs", 0, 0
    train_loss = math.nan
    for epoch in range(1, config.max_epochs + 1):
        net.train()
        shuffled = torch.as_tensor(rng.permutation(fit_rows), device=device)
        total, steps = 0.0, 0
        out_of_time = False
        for start in range(0, shuffled.numel(), batch):
            loss = net.loss(data[shuffled[start : start + batch]])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            optimizer.step()
            total, steps = total + float(loss.detach()), steps + 1
            budget = config.time_budget
            if budget is not None and time.perf_counter() - started > budget:
                out_of_time = True
                break
        train_loss = total / max(steps, 1)
        if out_of_time:
            stopped_by = "time_budget"
            break
        epochs_done = epoch
        val_loss = math.nan
        if n_val:
            val_loss = _evaluate(net, data[torch.as_tensor(val_rows, device=device)])
            if val_loss < best_loss - 1e-4:
                best_loss, best_epoch, stale = val_loss, epoch, 0
                best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
            else:
                stale += 1
        if progress is not None:
            report(progress, epoch, config.max_epochs, {"loss": train_loss, "val_loss": val_loss})
        if n_val and stale >= config.patience:
            stopped_by = "early_stopping"
            break
    if best_state is not None:
        net.load_state_dict(best_state)
    weights = {
        k: v.detach().to("cpu").numpy().astype(np.float32) for k, v in net.state_dict().items()
    }
    summary: dict[str, Any] = {
        "epochs_done": epochs_done,
        "stopped_by": stopped_by,
        "train_loss": round(train_loss, 5),
        "best_val_loss": round(best_loss, 5) if n_val and math.isfinite(best_loss) else None,
        "best_epoch": best_epoch if n_val else epochs_done,
        "device": device.type,
        "batch_size": batch,
    }
    return weights, summary


def _evaluate(net: ArgnNet, tokens: torch.Tensor) -> float:
    net.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, tokens.shape[0], _EVAL_ROWS):
            part = tokens[start : start + _EVAL_ROWS]
            total += float(net.loss(part)) * part.shape[0]
    return total / max(tokens.shape[0], 1)


def _private_step(
    net: ArgnNet,
    batch: torch.Tensor,
    max_grad_norm: float,
    sigma: float,
    expected: float,
    generator: torch.Generator,
    optimizer: torch.optim.Optimizer,
) -> float:
    """One DP-SGD step on ``batch`` (clipped sums from per-row norms); the mean loss."""
    from synthcraft.synthesizers import _dp

    trainable = list(net.named_parameters())
    loss_sum = 0.0
    sums = {name: torch.zeros_like(p) for name, p in trainable}
    for start in range(0, batch.shape[0], _DP_CHUNK):
        part, part_loss = net.clipped_grad_sum(batch[start : start + _DP_CHUNK], max_grad_norm)
        for name in sums:
            sums[name] += part[name]
        loss_sum += part_loss
    _dp.noisy_step(
        trainable,
        sums,
        std=sigma * max_grad_norm,
        denominator=expected,
        generator=generator,
        optimizer=optimizer,
    )
    return loss_sum / batch.shape[0] if batch.shape[0] else math.nan


def _train_private(
    net: ArgnNet,
    tokens: npt.NDArray[np.int64],
    config: TrainConfig,
    dp: DpConfig,
    generator: torch.Generator,
    started: float,
    progress: ProgressCallback | None,
) -> tuple[dict[str, npt.NDArray[np.float32]], dict[str, Any]]:
    """DP-SGD: Poisson batches, per-row clipping, Gaussian noise; no validation split.

    The noise multiplier is the smallest that keeps the planned steps and the metadata release
    within ``epsilon``; a time budget that cuts training spends less, and the summary's
    ``epsilon_spent`` counts the steps actually taken.
    """
    from synthcraft.synthesizers import _dp

    device = next(net.parameters()).device
    n = tokens.shape[0]
    rate = min(1.0, config.batch_size / n)
    per_epoch = max(1, round(1.0 / rate))
    planned = per_epoch * config.max_epochs
    releases = (dp.release_noise,)
    sigma = _dp.noise_multiplier_for(dp.epsilon, dp.delta, rate, planned, releases=releases)
    data = torch.as_tensor(tokens, dtype=torch.long, device=device)
    noise = torch.Generator(device=device).manual_seed(
        int(torch.randint(0, 2**62, (1,), generator=generator).item())
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=config.learning_rate)
    steps, epochs_done, stopped_by = 0, 0, "max_epochs"
    train_loss = math.nan
    net.train()
    for epoch in range(1, config.max_epochs + 1):
        total, counted = 0.0, 0
        out_of_time = False
        for _ in range(per_epoch):
            rows = _dp.poisson_batch(n, rate, noise).to(device)
            loss = _private_step(
                net, data[rows], dp.max_grad_norm, sigma, rate * n, noise, optimizer
            )
            steps += 1
            if math.isfinite(loss):
                total, counted = total + loss, counted + 1
            budget = config.time_budget
            if budget is not None and time.perf_counter() - started > budget:
                out_of_time = True
                break
        train_loss = total / max(counted, 1)
        if out_of_time:
            stopped_by = "time_budget"
            break
        epochs_done = epoch
        if progress is not None:
            report(progress, epoch, config.max_epochs, {"loss": train_loss})
    spent = _dp.epsilon_spent(sigma, rate, steps, dp.delta, releases=releases)
    weights = {
        k: v.detach().to("cpu").numpy().astype(np.float32) for k, v in net.state_dict().items()
    }
    summary: dict[str, Any] = {
        "epochs_done": epochs_done,
        "stopped_by": stopped_by,
        "train_loss": round(train_loss, 5),
        "best_val_loss": None,
        "best_epoch": epochs_done,
        "device": device.type,
        "batch_size": round(rate * n),
        "epsilon": dp.epsilon,
        "epsilon_spent": round(spent, 6),
        "noise_multiplier": round(sigma, 6),
        "release_noise_multiplier": round(dp.release_noise, 6),
        "max_grad_norm": dp.max_grad_norm,
        "dp_steps": steps,
    }
    return weights, summary
