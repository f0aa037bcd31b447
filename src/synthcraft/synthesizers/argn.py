"""The ``argn`` model: an autoregressive network over discretised columns (TabularARGN-like).

torch is needed to fit (the ``deep`` extra) and is imported only then; sampling runs the
learned network in numpy (float64), so a fitted or loaded model samples without torch and the
first ``k`` rows of a sample never depend on how many rows were asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthcraft._types import ProgressCallback
from synthcraft.errors import MissingDependencyError, UserInputError
from synthcraft.metadata import ColumnKind, Metadata
from synthcraft.synthesizers._argn_data import TokenColumn, dp_token_column, fit_token_column
from synthcraft.synthesizers._base import (
    BaseSynthesizer,
    Constraint,
    EncodedConditions,
    names_or_none,
    number,
    whole,
)
from synthcraft.synthesizers._dp_release import DpRelease
from synthcraft.synthesizers._encoding import ColumnCodec
from synthcraft.synthesizers._identity import IdentityModel
from synthcraft.synthesizers._registry import register
from synthcraft.synthesizers._resample import (
    CANDIDATES,
    CHUNK_ROWS,
    chunk_forced,
    forced_prefix,
    pick,
)
from synthcraft.synthesizers._tags import Tags

__all__ = ["ArgnSynthesizer"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_DEVICES = ("auto", "cpu", "cuda")
_INSTALL = "pip install 'synthcraft[deep]'"
_Forced = dict[int, tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]]
_METADATA_SHARE = 0.2
"""Under DP, the metadata release gets the noise that would spend this share of epsilon alone."""
_DP_STREAM = 0xD9


def _one_of(options: Sequence[str]) -> Constraint:
    def check(name: str, value: Any) -> str | None:
        if isinstance(value, str) and value in options:
            return None
        return f"setting {name!r} must be one of {', '.join(options)}, got {value!r}"

    return check


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            f"the argn model needs torch to fit, which is not installed; install it: {_INSTALL}"
        ) from None


@register("argn")
class ArgnSynthesizer(BaseSynthesizer):
    """Autoregressive network over discretised columns (TabularARGN-like; needs torch to fit).

    Every modelled column becomes a token sub-column (categories; or quantile bins of numbers
    and datetimes, with a uniform position inside the bin at sampling), missing values have
    their own token, and each sub-column's distribution is predicted by a small MLP over the
    embeddings of the sub-columns before it. Rare categories are resampled from the others and
    numeric tables are clipped to the privatised bounds, so neither reaches the model file.
    Conditions (fixed values or one row per output row) force the tokens of conditioned columns.

    Parameters
    ----------
    max_epochs : int
        Most passes over the training rows.
    batch_size : int
        Rows per optimiser step (smaller on small tables, at least 10 steps per epoch).
    embedding_dim : int
        Width of every token embedding.
    hidden : int
        Hidden units of each sub-column's MLP.
    learning_rate : float
        Adam step size.
    bins : int
        Quantile bins per number or datetime column (fewer when it has fewer values).
    validation_share : float
        Share of rows held out for early stopping (0 disables it).
    patience : int
        Epochs without a better validation loss before stopping.
    time_budget : float, optional
        Seconds of training after which training stops (recorded in the training summary).
    temperature : float
        Sampling temperature: logits are divided by it (below 1 sharper, above 1 flatter).
    device : {"auto", "cpu", "cuda"}
        Where to train; "auto" uses a CUDA GPU when one is available.
    column_order : list of str, optional
        Modelled columns to put first, in this order; the others follow in table order.
    seed : int, optional
        Fit seed (weights, shuffling, split); drawn and recorded when None.
    rare_category_k : int
        Categories seen in fewer rows are pooled and never emitted.
    bounds_quantile : float
        Stored bounds are this quantile and its complement of the training values.
    epsilon : float, optional
        Train under (epsilon, delta)-differential privacy: DP-SGD (per-row clipping to
        ``max_grad_norm``, Gaussian noise, Poisson batches of expected size ``batch_size``, no
        validation split) and metadata released from noisy histograms, or taken from columns
        declared in the metadata (``provenance: declared``). The spent epsilon (RDP accountant)
        is in the training summary and the model file.
    delta : float, optional
        The DP delta; ``1 / (10 * rows)`` when None.
    max_grad_norm : float
        DP-SGD clipping norm of each row's gradient.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = np.random.default_rng(0).normal(size=200)
    >>> data = pd.DataFrame({"x": x, "y": np.where(x > 0, "a", "b")})
    >>> ArgnSynthesizer(max_epochs=2, seed=0).fit(data).sample(3, seed=1).shape
    (3, 2)
    """

    tags = Tags(
        needs_torch=True, conditions=frozenset({"fixed", "rows"}), dp=True, deterministic_fit=True
    )
    constraints: ClassVar[Mapping[str, Constraint]] = {
        "max_epochs": whole(1, 100_000),
        "batch_size": whole(1, 1_000_000),
        "embedding_dim": whole(1, 1_024),
        "hidden": whole(1, 8_192),
        "learning_rate": number(0.0, 1.0, lo_open=True),
        "bins": whole(1, 1_024),
        "validation_share": number(0.0, 0.5),
        "patience": whole(1, 100_000),
        "time_budget": number(0.0, 1e9, lo_open=True, none=True),
        "temperature": number(0.0, 100.0, lo_open=True),
        "device": _one_of(_DEVICES),
        "column_order": names_or_none,
        "epsilon": number(0.0, 1e6, lo_open=True, none=True),
        "delta": number(0.0, 0.1, lo_open=True, none=True),
        "max_grad_norm": number(0.0, 1e6, lo_open=True),
    }

    def __init__(
        self,
        *,
        max_epochs: int = 40,
        batch_size: int = 512,
        embedding_dim: int = 16,
        hidden: int = 128,
        learning_rate: float = 0.001,
        bins: int = 64,
        validation_share: float = 0.1,
        patience: int = 6,
        time_budget: float | None = None,
        temperature: float = 1.0,
        device: str = "auto",
        column_order: list[str] | None = None,
        seed: int | None = None,
        rare_category_k: int = 5,
        bounds_quantile: float = 0.001,
        epsilon: float | None = None,
        delta: float | None = None,
        max_grad_norm: float = 1.0,
    ) -> None:
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.embedding_dim = embedding_dim
        self.hidden = hidden
        self.learning_rate = learning_rate
        self.bins = bins
        self.validation_share = validation_share
        self.patience = patience
        self.time_budget = time_budget
        self.temperature = temperature
        self.device = device
        self.column_order = column_order
        self.seed = seed
        self.rare_category_k = rare_category_k
        self.bounds_quantile = bounds_quantile
        self.epsilon = epsilon
        self.delta = delta
        self.max_grad_norm = max_grad_norm

    # -- fit -----------------------------------------------------------------------------------

    def fit(
        self,
        data: pd.DataFrame,
        metadata: Metadata | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> Self:
        """Learn ``data`` (see :meth:`BaseSynthesizer.fit`); needs torch.

        The training summary adds ``epochs_done``, ``stopped_by`` and the best validation loss.

        Raises
        ------
        MissingDependencyError
            torch is not installed.
        """
        self._validate_settings()
        _require_torch()
        if self.epsilon is not None:
            from synthcraft.synthesizers._dp import require_accountant

            require_accountant("argn")
        try:
            super().fit(data, metadata, progress=progress)
        finally:  # the release is only handed from _privatise to _fit_model
            self.__dict__.pop("release_", None)
            self.__dict__.pop("release_noise_", None)
        self.training_summary_.update(self.train_info_)
        return self

    # -- differential privacy ------------------------------------------------------------------

    def _dp_delta(self, n_rows: int) -> float:
        from synthcraft.synthesizers._dp_release import default_delta

        return float(self.delta) if self.delta is not None else default_delta(n_rows)

    def _privatise(
        self, data: pd.DataFrame, metadata: Metadata, fit_seed: int
    ) -> tuple[Metadata, dict[str, int]]:
        if self.epsilon is None:
            return super()._privatise(data, metadata, fit_seed)
        from synthcraft.synthesizers import _dp_release

        release, release_noise, steps = _dp_release.paid_release(
            data,
            metadata,
            epsilon=_METADATA_SHARE * float(self.epsilon),
            delta=self._dp_delta(len(data)),
            fit_seed=fit_seed,
            stream=_DP_STREAM,
            rare_category_k=int(self.rare_category_k),
            bounds_quantile=float(self.bounds_quantile),
        )
        self.release_ = release
        self.release_noise_ = release_noise
        return release.metadata, steps

    def _fit_identity(self, data: pd.DataFrame, private: Metadata, k: int) -> IdentityModel:
        return IdentityModel.fit(data, private, k=k, dp=self.epsilon is not None)

    def _order(self, codecs: Sequence[ColumnCodec]) -> list[int]:
        names = [c.name for c in codecs]
        first = list(self.column_order or [])
        unknown = [n for n in first if n not in names]
        if unknown:
            raise UserInputError(
                f"column_order names {unknown[0]!r}, which is not a modelled column; "
                f"use names from: {', '.join(names)}"
            )
        rest = [n for n in names if n not in first]
        return [names.index(n) for n in first + rest]

    def _fit_model(
        self,
        codecs: Sequence[ColumnCodec],
        data: Mapping[str, npt.NDArray[Any]],
        rng: np.random.Generator,
        progress: ProgressCallback | None,
    ) -> None:
        from synthcraft.synthesizers import _argn_net

        device = _argn_net.resolve_device(self.device)
        if self.device == "cuda" and device == "cuda":
            import torch

            if not torch.cuda.is_available():
                raise UserInputError(
                    "device 'cuda' was asked for but no CUDA GPU is available; "
                    "use device='auto' or 'cpu'"
                )
        order = self._order(codecs)
        release: DpRelease | None = self.__dict__.get("release_")
        columns: list[TokenColumn] = []
        tokens: list[I64] = []
        priors: list[npt.NDArray[np.float64]] = []
        for j in order:
            codec = codecs[j]
            if release is None:
                column, toks = fit_token_column(
                    codec, data[codec.name], bins=self.bins, k=self.rare_category_k, rng=rng
                )
            else:
                column, toks, prior = dp_token_column(
                    codec, data[codec.name], release, bins=self.bins, rng=rng
                )
                priors.append(prior)
            columns.append(column)
            tokens.append(toks)
        dp = None
        if release is not None:
            n_rows = len(tokens[0])
            dp = _argn_net.DpConfig(
                epsilon=float(self.epsilon),  # type: ignore[arg-type]
                delta=self._dp_delta(n_rows) / 2,
                max_grad_norm=float(self.max_grad_norm),
                release_noise=float(self.release_noise_),
                priors=priors,
            )
        config = _argn_net.TrainConfig(
            dim=self.embedding_dim,
            hidden=self.hidden,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            learning_rate=float(self.learning_rate),
            validation_share=float(self.validation_share),
            patience=self.patience,
            time_budget=None if self.time_budget is None else float(self.time_budget),
            device=device,
            dp=dp,
        )
        weights, info = _argn_net.train(
            np.column_stack(tokens), [c.n_tokens for c in columns], config, rng, progress
        )
        if release is not None:
            info["delta"] = self._dp_delta(len(tokens[0]))
            info["declared_columns"] = list(release.declared)
        self.train_info_ = info
        self._set_model(columns, dict(weights))

    def _set_model(
        self, columns: list[TokenColumn], weights: dict[str, npt.NDArray[np.float32]]
    ) -> None:
        """Store the token columns and weights; derive the float64 sampling layers."""
        sizes = [c.n_tokens for c in columns]
        dim = int(self.embedding_dim)
        first = np.asarray(weights["first"], dtype=np.float64)
        if first.shape != (sizes[0],):
            raise ValueError("the argn weights do not match the token columns")
        embeds, layers = [], []
        for j in range(1, len(columns)):
            emb = np.asarray(weights[f"embeds.{j - 1}.weight"], dtype=np.float64)
            w1 = np.asarray(weights[f"heads.{j - 1}.0.weight"], dtype=np.float64)
            b1 = np.asarray(weights[f"heads.{j - 1}.0.bias"], dtype=np.float64)
            w2 = np.asarray(weights[f"heads.{j - 1}.2.weight"], dtype=np.float64)
            b2 = np.asarray(weights[f"heads.{j - 1}.2.bias"], dtype=np.float64)
            ok = emb.shape == (sizes[j - 1], dim) and w1.shape == (b1.size, j * dim)
            if not (ok and w2.shape == (sizes[j], b1.size) and b2.shape == (sizes[j],)):
                raise ValueError("the argn weights do not match the token columns")
            embeds.append(emb)
            layers.append((np.ascontiguousarray(w1.T), b1, np.ascontiguousarray(w2.T), b2))
        self.columns_ = columns
        self.weights_ = weights
        self.first_ = first
        self.embeds_ = embeds
        self.layers_ = layers
        # a float column whose tokens are its stored levels gives those values exactly: rounding
        # them to the detected decimals would turn a level stored as 13.809359999999998 into
        # 13.80936, a value the column never holds
        levels = {c.name for c in columns if c.numeric and c.discrete}
        self.codecs_ = [
            replace(c, column=c.column.replace(decimals=None))
            if c.name in levels and c.column.kind is ColumnKind.FLOAT
            else c
            for c in self.codecs_
        ]

    # -- sample --------------------------------------------------------------------------------

    def _sample_model(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        conditions: EncodedConditions | None,
    ) -> dict[str, npt.NDArray[Any]]:
        problem = self.constraints["temperature"]("temperature", self.temperature)
        if problem is not None:
            raise UserInputError(problem)
        columns = self.columns_
        width = len(columns)
        positions = self._stream(seed, 1).random((n_rows, width))
        forced = self._forced_tokens(seed, n_rows, conditions or {})
        if forced and not forced_prefix(forced, n_rows):
            tokens = self._conditioned_tokens(seed, n_rows, forced)
        elif forced:  # conditioned columns come first in every row: forcing them is exact
            tokens, _ = self._run(self._stream(seed, 0).random((n_rows, width)), forced)
        else:
            tokens, _ = self._run(self._stream(seed, 0).random((n_rows, width)), {})
        return {c.name: c.values(tokens[:, j], positions[:, j]) for j, c in enumerate(columns)}

    def _run(self, draws: F64, forced: _Forced) -> tuple[I64, F64]:
        """Tokens drawn in order at uniforms ``draws``, and the log-probability of forced ones."""
        n_rows, width = draws.shape
        dim = int(self.embedding_dim)
        context = np.empty((n_rows, max(width - 1, 1) * dim))
        inv_t = 1.0 / float(self.temperature)
        tokens = np.empty((n_rows, width), dtype=np.int64)
        log_weight = np.zeros(n_rows)
        for j in range(width):
            if j == 0:
                logits = np.broadcast_to(self.first_, (n_rows, self.first_.size)) * inv_t
            else:
                w1, b1, w2, b2 = self.layers_[j - 1]
                hidden = context[:, : j * dim] @ w1
                hidden += b1
                np.maximum(hidden, 0.0, out=hidden)
                logits = hidden @ w2
                logits += b2
                logits *= inv_t
            picked = _draw(logits, draws[:, j])
            if j in forced:
                given, mask = forced[j]
                picked = np.where(mask, given, picked)
                shifted = logits[mask] - logits[mask].max(axis=1, keepdims=True)
                log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
                log_weight[mask] += np.take_along_axis(log_p, given[mask][:, None], 1)[:, 0]
            tokens[:, j] = picked
            if j < width - 1:
                context[:, j * dim : (j + 1) * dim] = self.embeds_[j][picked]
        return tokens, log_weight

    def _conditioned_tokens(
        self, seed: np.random.SeedSequence, n_rows: int, forced: _Forced
    ) -> I64:
        """Tokens given forced ones, by sampling-importance-resampling over earlier columns.

        Each row draws 32 candidate rows (:mod:`._resample`) with the conditioned tokens forced,
        weighted by the model's probability of those tokens given the columns drawn before
        them, and keeps one in proportion to its weight; so columns before a conditioned one
        follow it too. Rows are handled in fixed chunks from row 0, so results are
        prefix-stable.
        """
        width = len(self.columns_)
        draws = self._stream(seed, 3)
        picks = self._stream(seed, 4).random(n_rows)
        out = np.empty((n_rows, width), dtype=np.int64)
        for start in range(0, n_rows, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, n_rows)
            chunk = chunk_forced(forced, start, stop)
            tokens, log_weight = self._run(
                draws.random(((stop - start) * CANDIDATES, width)), chunk
            )
            out[start:stop] = tokens[pick(log_weight, picks[start:stop])]
        return out

    def _forced_tokens(
        self, seed: np.random.SeedSequence, n_rows: int, conditions: EncodedConditions
    ) -> _Forced:
        if not conditions:
            return {}
        draws = self._stream(seed, 2).random((n_rows, len(self.columns_)))
        codecs = {c.name: c for c in self.codecs_}
        forced: _Forced = {}
        for j, column in enumerate(self.columns_):
            if column.name not in conditions:
                continue
            values, mask = conditions[column.name]
            mask = np.asarray(mask, dtype=bool)
            tokens = np.zeros(n_rows, dtype=np.int64)
            if mask.any():
                half = _half_step(codecs[column.name])
                picked = np.asarray(values)[mask]
                tokens[mask] = column.condition_tokens(picked, draws[mask, j], half)
            forced[j] = (tokens, mask)
        return forced

    # -- state ---------------------------------------------------------------------------------

    def _model_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        arrays: dict[str, npt.NDArray[Any]] = {
            f"table{j}": c.table for j, c in enumerate(self.columns_)
        }
        arrays.update({f"net.{k}": v for k, v in self.weights_.items()})
        return {"columns": [c.to_state() for c in self.columns_]}, arrays

    def _load_model_state(
        self, state: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        specs = list(state["columns"])
        if sorted(str(s["name"]) for s in specs) != sorted(c.name for c in self.codecs_):
            raise ValueError("the argn state does not match the stored metadata")
        columns = [
            TokenColumn.from_state(dict(spec), arrays[f"table{j}"]) for j, spec in enumerate(specs)
        ]
        weights = {
            k[len("net.") :]: np.asarray(v, dtype=np.float32)
            for k, v in arrays.items()
            if k.startswith("net.")
        }
        self._set_model(columns, weights)


def _draw(logits: F64, u: F64) -> I64:
    """One token per row from softmax(``logits``) by inverse CDF at uniforms ``u``."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    cdf = np.cumsum(probs, axis=1)
    target = u[:, None] * cdf[:, -1:]
    tokens = (cdf <= target).sum(axis=1)
    return np.asarray(np.minimum(tokens, logits.shape[1] - 1), dtype=np.int64)


def _half_step(codec: ColumnCodec) -> float:
    kind = codec.column.kind
    if kind is ColumnKind.INTEGER:
        return 0.5
    if kind is ColumnKind.FLOAT and codec.column.decimals is not None:
        return 0.5 * 10.0**-codec.column.decimals
    if kind is ColumnKind.DATETIME and codec.step_us:
        return 0.5 * codec.step_us / 1e6
    return 0.0
