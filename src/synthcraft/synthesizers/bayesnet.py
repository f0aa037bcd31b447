"""The ``bayesnet`` model: a PrivBayes-style Bayesian network over discretised columns.

Columns become small domains (categories as their codes, numbers and datetimes as equal-width
bins on their stored bounds, missing values as a value of their own), a greedy network of
degree ``degree`` links them (:mod:`synthcraft.synthesizers._bayesnet_structure`), and rows are
drawn ancestrally from the conditional tables; a number's value is then drawn inside its bin
through the column's smoothed inverse CDF. With ``epsilon`` the whole fit is
``(epsilon, delta)``-differentially private: metadata from the Gaussian release of
:mod:`synthcraft.synthesizers._dp_release`, the network from the exponential mechanism and the
tables from the Laplace mechanism, composed by basic composition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthcraft._types import ProgressCallback
from synthcraft.metadata import ColumnKind, Metadata
from synthcraft.synthesizers import _bayesnet_structure as bn
from synthcraft.synthesizers._base import (
    BaseSynthesizer,
    Constraint,
    EncodedConditions,
    number,
    whole,
)
from synthcraft.synthesizers._dp_release import DpRelease
from synthcraft.synthesizers._encoding import (
    MISSING,
    POOLED,
    ColumnCodec,
)
from synthcraft.synthesizers._identity import IdentityModel
from synthcraft.synthesizers._marginals import U_GRID, category_probs, empirical_table
from synthcraft.synthesizers._registry import register
from synthcraft.synthesizers._resample import CANDIDATES, CHUNK_ROWS, chunk_forced, pick
from synthcraft.synthesizers._tags import Tags

__all__ = ["BayesNetSynthesizer"]

_BINS = 16
_DP_BINS = 8

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_METADATA_SHARE = 0.2
"""Under DP, the metadata release spends this share of epsilon; structure and tables the rest."""
_DP_STREAM = 0xB7
_SLOT_Z = 3.0
"""Under DP a column has a missing value when its noisy missing count exceeds this many sigmas."""
_CELL_Z = 2.0
"""Under DP, noisy joint cells below this many Laplace scales are read as empty."""


@register("bayesnet")
class BayesNetSynthesizer(BaseSynthesizer):
    """Bayesian network of degree ``degree`` over discretised columns (PrivBayes-style).

    The network is built greedily: after a first column, each step adds the (column, parent
    set of at most ``degree`` placed columns) pair of highest mutual information. Numbers and
    datetimes use ``bins`` equal-width bins on their stored bounds (one bin per value for
    integers with few values), and missing values are a value of their own. Conditions (fixed
    values or one row per output row) are exact when the conditioned columns have no
    unconditioned ancestors, and otherwise drawn by sampling-importance-resampling.

    With ``epsilon``, the fit is ``(epsilon, delta)``-differentially private (basic
    composition): 20% of epsilon pays for the metadata (noisy histograms, Gaussian mechanism;
    columns declared in the metadata are free), ``beta`` of the rest for the network (the
    first column drawn at random, each later choice by the exponential mechanism) and the
    remainder for the tables (Laplace noise on the joint distribution of each family). The
    split and the spent epsilon are in the training summary.

    Parameters
    ----------
    degree : int
        Most parents of a column.
    bins : int, optional
        Equal-width bins of a number or datetime column; None means 16, or 8 with ``epsilon``
        (fewer cells hold more rows each, so the noise weighs less).
    epsilon : float, optional
        Differential privacy budget; None fits without DP.
    beta : float
        Share of the non-metadata budget spent on the network (the rest on the tables).
    delta : float, optional
        DP delta of the metadata release; ``1 / (10 * rows)`` when None.
    seed : int, optional
        Fit seed (DP noise, capped candidate lists); drawn and recorded when None.
    rare_category_k : int
        Categories seen in fewer rows are pooled and never emitted.
    bounds_quantile : float
        Stored bounds are this quantile and its complement of the training values.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = np.random.default_rng(0).normal(size=300)
    >>> data = pd.DataFrame({"x": x, "y": np.where(x > 0, "a", "b")})
    >>> out = BayesNetSynthesizer(seed=0).fit(data).sample(1000, seed=1)
    >>> bool((out["x"][out["y"] == "a"] > -0.3).mean() > 0.9)
    True
    """

    tags = Tags(conditions=frozenset({"fixed", "rows"}), dp=True, deterministic_fit=True)
    constraints: ClassVar[Mapping[str, Constraint]] = {
        "degree": whole(0, 6),
        "bins": whole(2, 1_024, none=True),
        "epsilon": number(0.0, 1e6, lo_open=True, none=True),
        "beta": number(0.0, 1.0, lo_open=True, hi_open=True),
        "delta": number(0.0, 0.1, lo_open=True, none=True),
    }

    def __init__(
        self,
        *,
        degree: int = 2,
        bins: int | None = None,
        epsilon: float | None = None,
        beta: float = 0.3,
        delta: float | None = None,
        seed: int | None = None,
        rare_category_k: int = 5,
        bounds_quantile: float = 0.001,
    ) -> None:
        self.degree = degree
        self.bins = bins
        self.epsilon = epsilon
        self.beta = beta
        self.delta = delta
        self.seed = seed
        self.rare_category_k = rare_category_k
        self.bounds_quantile = bounds_quantile

    # -- fit -----------------------------------------------------------------------------------

    def fit(
        self,
        data: pd.DataFrame,
        metadata: Metadata | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> Self:
        """Learn ``data`` (see :meth:`BaseSynthesizer.fit`).

        The training summary adds the network (``structure``) and, under DP, ``epsilon``,
        ``epsilon_spent``, ``epsilon_metadata``, ``epsilon_structure``, ``epsilon_tables`` and
        ``delta``.

        Raises
        ------
        MissingDependencyError
            ``epsilon`` is set and dp-accounting is not installed.
        """
        self._validate_settings()
        if self.epsilon is not None:
            from synthcraft.synthesizers._dp import require_accountant

            require_accountant("bayesnet")
        try:
            super().fit(data, metadata, progress=progress)
        finally:
            self.__dict__.pop("release_", None)
        self.training_summary_.update(self.train_info_)
        return self

    def _split(self) -> tuple[float, float, float]:
        """Epsilon of the metadata, the network and the tables."""
        eps = float(self.epsilon)  # type: ignore[arg-type]
        rest = (1.0 - _METADATA_SHARE) * eps
        return _METADATA_SHARE * eps, float(self.beta) * rest, (1.0 - float(self.beta)) * rest

    def _privatise(
        self, data: pd.DataFrame, metadata: Metadata, fit_seed: int
    ) -> tuple[Metadata, dict[str, int]]:
        if self.epsilon is None:
            return super()._privatise(data, metadata, fit_seed)
        from synthcraft.synthesizers import _dp_release

        delta = (
            float(self.delta) if self.delta is not None else _dp_release.default_delta(len(data))
        )
        self.release_, _, steps = _dp_release.paid_release(
            data,
            metadata,
            epsilon=self._split()[0],
            delta=delta,
            fit_seed=fit_seed,
            stream=_DP_STREAM,
            rare_category_k=int(self.rare_category_k),
            bounds_quantile=float(self.bounds_quantile),
        )
        self.delta_ = delta
        return self.release_.metadata, steps

    def _fit_identity(self, data: pd.DataFrame, private: Metadata, k: int) -> IdentityModel:
        return IdentityModel.fit(data, private, k=k, dp=self.epsilon is not None)

    def _fit_model(
        self,
        codecs: Sequence[ColumnCodec],
        data: Mapping[str, npt.NDArray[Any]],
        rng: np.random.Generator,
        progress: ProgressCallback | None,
    ) -> None:
        release: DpRelease | None = self.__dict__.get("release_")
        n_rows = len(next(iter(data.values())))
        self.edges_: list[F64] = []
        self.inverse_: list[F64] = []
        self.levels_: list[int] = []
        self.slots_: list[bool] = []
        codes = [self._discretise(c, data[c.name], release, rng) for c in codecs]
        sizes = self._sizes()
        d, k = len(codecs), int(self.degree)
        if release is None:
            eps_step = None
            max_cells = float(max(n_rows, 64))
        else:
            eps_meta, eps_structure, eps_tables = self._split()
            eps_step = eps_structure / max(d - 1, 1)
            max_cells = n_rows * eps_tables / (2.0 * max(d - k, 1) * bn.USEFULNESS)
        order, parents = bn.greedy_network(
            codes, sizes, degree=k, max_cells=max_cells, rng=rng, epsilon_step=eps_step
        )
        if progress is not None:
            progress(1, 2)
        tables: list[F64] = [np.zeros(0)] * d
        released = order if release is None else bn.maximal_families(order, parents)
        scale = 0.0 if release is None else bn.table_noise_scale(n_rows, len(released), eps_tables)
        joints: dict[int, F64] = {}
        for j in released:
            family = (*parents[j], j)
            counts = np.bincount(
                bn.parent_codes(codes, sizes, family), minlength=int(np.prod(_at(sizes, family)))
            ).astype(np.float64)
            if release is not None:
                counts = bn.noisy_joint(counts, n_rows, scale, rng)
                counts[counts < _CELL_Z * scale] = 0.0
            joints[j] = counts
        for j in order:
            family = (*parents[j], j)
            owner = next(i for i in released if set(family) <= {*parents[i], i})
            joint = bn.marginal(joints[owner], (*parents[owner], owner), sizes, family)
            tables[j] = bn.conditional_table(joint, int(np.prod(_at(sizes, parents[j]))), sizes[j])
        self.order_, self.parents_, self.tables_ = order, parents, tables
        names = [c.name for c in codecs]
        info: dict[str, Any] = {
            "structure": [[names[j], [names[p] for p in parents[j]]] for j in order]
        }
        if release is not None:
            spent = eps_meta + (eps_structure if d > 1 else 0.0) + eps_tables
            info.update(
                epsilon=float(self.epsilon),  # type: ignore[arg-type]
                epsilon_spent=spent,
                epsilon_metadata=eps_meta,
                epsilon_structure=eps_structure if d > 1 else 0.0,
                epsilon_tables=eps_tables,
                delta=self.delta_,
                table_noise_scale=scale,
                declared_columns=list(release.declared),
            )
        self.train_info_ = info
        self._prepare()
        if progress is not None:
            progress(2, 2)

    def _discretise(
        self,
        codec: ColumnCodec,
        values: npt.NDArray[Any],
        release: DpRelease | None,
        rng: np.random.Generator,
    ) -> I64:
        """Codes ``0 .. size - 1`` of one column; records its bins and inverse CDF."""
        if release is None:
            slot = bool(np.any(np.isnan(values) if codec.numeric else values == MISSING))
        else:
            # a noisy missing share within noise of zero is read as "no missing values"
            slot = codec.column.missing_share * len(values) > _SLOT_Z * release.sigma
        if codec.numeric:
            bounds = codec.bounds
            seen = ~np.isnan(values)
            if bounds is None:
                edges, inverse = np.zeros(0), np.zeros(0)
            else:
                edges = self._edges(codec, *bounds)
                if not seen.any():
                    inverse = np.zeros(0)
                elif release is None:
                    inverse = empirical_table(values[seen], *bounds, k=int(self.rare_category_k))
                else:
                    points, cdf = release.cdfs[codec.name]
                    inverse = np.clip(np.interp(U_GRID, cdf, points), *bounds)
                    inverse = np.maximum.accumulate(inverse)
            self.edges_.append(edges)
            self.inverse_.append(inverse)
            levels = max(edges.size - 1, 0)
            slot = slot or levels == 0
            self._store(levels, slot)
            return self._numeric_codes(len(self.levels_) - 1, values, rng)
        levels = len(codec.categories)
        slot = slot or levels == 0
        self.edges_.append(np.zeros(0))
        self.inverse_.append(np.zeros(0))
        self._store(levels, slot)
        codes = np.asarray(values, dtype=np.int64).copy()
        if levels:
            probs = release.probs.get(codec.name) if release is not None else None
            if probs is None:
                probs = category_probs(codes, levels)
            probs = np.asarray(probs, dtype=np.float64)
            unknown = (codes == POOLED) | ((codes == MISSING) & (not slot))
            codes[unknown] = rng.choice(levels, int(unknown.sum()), p=probs / probs.sum())
        codes[codes < 0] = levels
        return codes

    def _store(self, levels: int, slot: bool) -> None:
        self.levels_.append(levels)
        self.slots_.append(slot)

    def _bins(self) -> int:
        if self.bins is not None:
            return int(self.bins)
        return _DP_BINS if self.epsilon is not None else _BINS

    def _edges(self, codec: ColumnCodec, lo: float, hi: float) -> F64:
        bins = self._bins()
        if codec.column.kind is ColumnKind.INTEGER and hi - lo + 1 <= bins:
            return np.arange(lo - 0.5, hi + 1.0, 1.0)
        if hi <= lo:
            return np.array([lo, lo], dtype=np.float64)
        return np.linspace(lo, hi, bins + 1)

    def _numeric_codes(self, j: int, values: F64, rng: np.random.Generator | None) -> I64:
        """Bin codes of numbers (missing: the slot, or a drawn bin when there is none)."""
        edges, levels = self.edges_[j], self.levels_[j]
        seen = ~np.isnan(values)
        codes = np.full(values.size, levels, dtype=np.int64)
        if levels:
            found = np.searchsorted(edges, values[seen], side="right") - 1
            codes[seen] = np.clip(found, 0, levels - 1)
            if not self.slots_[j] and rng is not None:
                codes[~seen] = rng.integers(0, levels, int((~seen).sum()))
        return codes

    def _sizes(self) -> list[int]:
        return [lv + int(s) for lv, s in zip(self.levels_, self.slots_, strict=True)]

    def _prepare(self) -> None:
        """Derived sampling tables: row-offset cumulative CDFs and each bin's CDF span."""
        self.cumulative_ = []
        for table in self.tables_:
            cdf = np.cumsum(table, axis=1)
            cdf[:, -1] = 1.0
            self.cumulative_.append((cdf + np.arange(table.shape[0])[:, None]).ravel())
        self.spans_ = [bn.bin_spans(i, e) for e, i in zip(self.edges_, self.inverse_, strict=True)]

    # -- sample --------------------------------------------------------------------------------

    def _sample_model(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        conditions: EncodedConditions | None,
    ) -> dict[str, npt.NDArray[Any]]:
        width = len(self.codecs_)
        positions = self._stream(seed, 1).random((n_rows, width))
        forced = self._forced(conditions or {}, n_rows)
        if forced and not self._closed(forced):
            codes = self._resampled(seed, n_rows, forced)
        else:
            codes, _ = self._draw(self._stream(seed, 0).random((n_rows, width)), forced)
        return {
            c.name: self._values(j, codes[:, j], positions[:, j])
            for j, c in enumerate(self.codecs_)
        }

    def _draw(
        self, draws: F64, forced: dict[int, tuple[I64, npt.NDArray[np.bool_]]]
    ) -> tuple[I64, F64]:
        """Codes drawn ancestrally at uniforms ``draws``; log-probability of the forced ones."""
        n_rows, width = draws.shape
        sizes = self._sizes()
        codes = np.zeros((n_rows, width), dtype=np.int64)
        log_weight = np.zeros(n_rows)
        columns = [codes[:, i] for i in range(width)]
        for j in self.order_:
            pc = bn.parent_codes(columns, sizes, self.parents_[j])
            flat = np.searchsorted(self.cumulative_[j], pc + draws[:, j], side="right")
            picked = np.clip(flat - pc * sizes[j], 0, sizes[j] - 1)
            if j in forced:
                given, mask = forced[j]
                picked = np.where(mask, given, picked)
                with np.errstate(divide="ignore"):
                    log_weight[mask] += np.log(self.tables_[j][pc[mask], given[mask]])
            codes[:, j] = picked
            columns[j] = codes[:, j]
        return codes, log_weight

    def _values(self, j: int, codes: I64, positions: F64) -> npt.NDArray[Any]:
        levels = self.levels_[j]
        absent = codes >= levels
        if not self.codecs_[j].numeric:
            return np.where(absent, MISSING, codes).astype(np.int64)
        out = np.full(codes.size, np.nan)
        if not levels:
            return out
        keep = ~absent
        spans = self.spans_[j]
        out[keep] = bn.bin_values(
            self.edges_[j], spans, self.inverse_[j], codes[keep], positions[keep]
        )
        return out

    def _forced(
        self, conditions: EncodedConditions, n_rows: int
    ) -> dict[int, tuple[I64, npt.NDArray[np.bool_]]]:
        forced: dict[int, tuple[I64, npt.NDArray[np.bool_]]] = {}
        for j, codec in enumerate(self.codecs_):
            if codec.name not in conditions:
                continue
            values, mask = conditions[codec.name]
            mask = np.asarray(mask, dtype=bool)
            codes = np.zeros(n_rows, dtype=np.int64)
            if mask.any():
                given = np.asarray(values)[mask]
                if codec.numeric:
                    codes[mask] = self._numeric_codes(j, given.astype(np.float64), None)
                else:
                    codes[mask] = given.astype(np.int64)
            forced[j] = (codes, mask)
        return forced

    def _closed(self, forced: dict[int, tuple[I64, npt.NDArray[np.bool_]]]) -> bool:
        """True when, in every row, every ancestor of a forced column is forced (exact)."""
        for j, (_, mask) in forced.items():
            for p in self._ancestors(j):
                if p not in forced or np.any(mask & ~forced[p][1]):
                    return False
        return True

    def _ancestors(self, j: int) -> set[int]:
        seen: set[int] = set()
        todo = list(self.parents_[j])
        while todo:
            p = todo.pop()
            if p not in seen:
                seen.add(p)
                todo.extend(self.parents_[p])
        return seen

    def _resampled(
        self, seed: np.random.SeedSequence, n_rows: int, forced: dict[int, tuple[I64, Any]]
    ) -> I64:
        """Codes given forced ones by sampling-importance-resampling (fixed chunks from row 0)."""
        width = len(self.codecs_)
        draws = self._stream(seed, 3)
        picks = self._stream(seed, 4).random(n_rows)
        out = np.empty((n_rows, width), dtype=np.int64)
        for start in range(0, n_rows, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, n_rows)
            chunk = chunk_forced(forced, start, stop)
            codes, log_weight = self._draw(
                draws.random(((stop - start) * CANDIDATES, width)), chunk
            )
            out[start:stop] = codes[pick(log_weight, picks[start:stop])]
        return out

    # -- state ---------------------------------------------------------------------------------

    def _model_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        arrays: dict[str, npt.NDArray[Any]] = {}
        for j in range(len(self.tables_)):
            arrays[f"table{j}"] = self.tables_[j]
            arrays[f"edges{j}"] = self.edges_[j]
            arrays[f"inverse{j}"] = self.inverse_[j]
        state = {
            "order": list(self.order_),
            "parents": [list(p) for p in self.parents_],
            "levels": list(self.levels_),
            "slots": list(self.slots_),
        }
        return state, arrays

    def _load_model_state(
        self, state: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        d = len(self.codecs_)
        order = [int(j) for j in state["order"]]
        if sorted(order) != list(range(d)):
            raise ValueError("the bayesnet state does not match the stored metadata")
        self.order_ = order
        self.parents_ = [tuple(int(p) for p in ps) for ps in state["parents"]]
        self.levels_ = [int(v) for v in state["levels"]]
        self.slots_ = [bool(v) for v in state["slots"]]
        self.tables_ = [np.asarray(arrays[f"table{j}"], dtype=np.float64) for j in range(d)]
        self.edges_ = [np.asarray(arrays[f"edges{j}"], dtype=np.float64) for j in range(d)]
        self.inverse_ = [np.asarray(arrays[f"inverse{j}"], dtype=np.float64) for j in range(d)]
        sizes = self._sizes()
        for j in range(d):
            n_parent = int(np.prod(_at(sizes, self.parents_[j])))
            if self.tables_[j].shape != (n_parent, sizes[j]):
                raise ValueError("the bayesnet tables do not match the stored network")
        self._prepare()


def _at(sizes: Sequence[int], columns: Sequence[int]) -> list[int]:
    return [sizes[c] for c in columns]
