"""The ``copula`` model: fitted marginals joined by a Gaussian copula."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from scipy import special

from synthcraft._types import ProgressCallback
from synthcraft.metadata import ColumnKind
from synthcraft.synthesizers._base import (
    BaseSynthesizer,
    Constraint,
    EncodedConditions,
    subset_of,
    whole,
)
from synthcraft.synthesizers._copula_marginals import FAMILIES, fit_marginal
from synthcraft.synthesizers._encoding import MISSING, ColumnCodec
from synthcraft.synthesizers._marginals import (
    category_codes,
    category_cuts,
    category_grid,
    category_probs,
    lookup,
    score_interval,
)
from synthcraft.synthesizers._registry import register
from synthcraft.synthesizers._tags import Tags

__all__ = ["GaussianCopulaSynthesizer"]

F64 = npt.NDArray[np.float64]
_EIG_FLOOR = 1e-6
_MIN_PAIRS = 10


def nearest_correlation(matrix: F64) -> F64:
    """The matrix made symmetric positive definite with unit diagonal (eigenvalue floor)."""
    sym = (matrix + matrix.T) / 2.0
    np.fill_diagonal(sym, 1.0)
    values, vectors = np.linalg.eigh(sym)
    fixed = (vectors * np.maximum(values, _EIG_FLOOR)) @ vectors.T
    scale = 1.0 / np.sqrt(np.diag(fixed))
    out = fixed * scale[:, None] * scale[None, :]
    np.fill_diagonal(out, 1.0)
    return np.asarray(out, dtype=np.float64)


def _pairwise_correlation(scores: F64, observed: npt.NDArray[np.bool_]) -> F64:
    """Correlation of normal scores over the rows where both columns are observed."""
    # einsum rather than BLAS: a predictable single-threaded cost (n x d^2) that does not
    # stall when BLAS threads compete for busy cores
    weights = observed.astype(np.float64)
    zm = scores * weights
    cross = np.einsum("ni,nj->ij", zm, zm)
    squares = np.einsum("ni,nj->ij", zm * zm, weights)
    pairs = np.einsum("ni,nj->ij", weights, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cross / np.sqrt(squares * squares.T)
    corr[~np.isfinite(corr) | (pairs < _MIN_PAIRS)] = 0.0
    return nearest_correlation(np.clip(corr, -1.0, 1.0))


def _lone_missing(spec: Mapping[str, Any]) -> bool:
    """A column whose missingness has no dimension of its own: drawn independently."""
    return bool(spec["miss_dim"] < 0 and 0.0 < spec["p_missing"] < 1.0)


def _drop_lone_missingness(corr: F64, specs: list[dict[str, Any]], n_rows: int) -> F64:
    """Remove missingness dimensions correlated with nothing (beyond sampling noise).

    Missing completely at random needs no dimension of the copula: such a column's missingness
    is drawn independently with its share, which keeps the model smaller and sampling faster.
    A correlation counts as real when it exceeds ``4 / sqrt(n)``, four standard errors of a zero
    correlation on ``n`` rows.
    """
    limit = 4.0 / np.sqrt(max(n_rows, 1))
    width = corr.shape[0]
    lone = set()
    for spec in specs:
        d = spec["miss_dim"]
        if d >= 0 and np.max(np.abs(np.delete(corr[d], d)), initial=0.0) < limit:
            lone.add(d)
    if not lone:
        return corr
    keep = [d for d in range(width) if d not in lone]
    new_index = {d: i for i, d in enumerate(keep)}
    for spec in specs:
        for key in ("value_dim", "miss_dim"):
            spec[key] = new_index.get(spec[key], -1) if spec[key] >= 0 else -1
    return corr[np.ix_(keep, keep)]


def _uniform_scores(u: F64) -> F64:
    """Normal scores of probabilities (clipped away from 0 and 1)."""
    return np.asarray(special.ndtri(np.clip(u, 1e-9, 1.0 - 1e-9)), dtype=np.float64)


@register("copula")
class GaussianCopulaSynthesizer(BaseSynthesizer):
    """Gaussian copula: per-column fitted distributions joined by their normal-score correlation.

    Each number or datetime column gets the scipy family (``families``) that fits it best by
    the Kolmogorov-Smirnov statistic, or smoothed empirical quantiles when none fits well
    (multimodal, few distinct values). Categories and booleans map to intervals of the normal
    scale by their frequencies, so their dependence on other columns is kept; a column with
    missing values adds a correlated missingness dimension. Sampling draws correlated normal
    scores and maps them through precomputed lookup tables (no per-row Python). Conditions
    (fixed values, or one row per output row) sample the other columns from the conditional
    normal distribution.

    Parameters
    ----------
    families : sequence of str
        Candidate families among ``norm, lognorm, gamma, beta, uniform, truncnorm``; empty
        means empirical quantiles only.
    max_fit_rows : int
        Rows (a random subset) used to fit marginals and correlations.
    seed : int, optional
        Fit seed (subsampling, tie-breaking); drawn and recorded when None.
    rare_category_k : int
        Categories seen in fewer rows are pooled and never emitted.
    bounds_quantile : float
        Stored bounds are this quantile and its complement of the training values.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = np.random.default_rng(0).normal(size=200)
    >>> data = pd.DataFrame({"x": x, "y": x + 0.1})
    >>> GaussianCopulaSynthesizer(seed=0).fit(data).sample(2, seed=1).shape
    (2, 2)
    """

    tags = Tags(conditions=frozenset({"fixed", "rows"}), deterministic_fit=True)
    constraints: ClassVar[Mapping[str, Constraint]] = {
        "families": subset_of(FAMILIES, allow_empty=True),
        "max_fit_rows": whole(100),
    }

    def __init__(
        self,
        *,
        families: tuple[str, ...] = FAMILIES,
        max_fit_rows: int = 100_000,
        seed: int | None = None,
        rare_category_k: int = 5,
        bounds_quantile: float = 0.001,
    ) -> None:
        self.families = families
        self.max_fit_rows = max_fit_rows
        self.seed = seed
        self.rare_category_k = rare_category_k
        self.bounds_quantile = bounds_quantile

    # -- fit -----------------------------------------------------------------------------------

    def _fit_model(
        self,
        codecs: Sequence[ColumnCodec],
        data: Mapping[str, npt.NDArray[Any]],
        rng: np.random.Generator,
        progress: ProgressCallback | None,
    ) -> None:
        n_rows = len(next(iter(data.values())))
        rows = None
        if n_rows > self.max_fit_rows:
            rows = np.sort(rng.choice(n_rows, self.max_fit_rows, replace=False))
        values: list[npt.NDArray[Any]] = [
            data[c.name] if rows is None else data[c.name][rows] for c in codecs
        ]
        fits: dict[int, tuple[dict[str, Any], F64, _Score | None]] = {}
        for j, codec in enumerate(codecs):  # numbers first: they anchor category orders
            if codec.numeric:
                fits[j] = self._fit_numeric(codec, values[j], rng)
                if progress is not None:
                    progress(len(fits), len(codecs))
        anchor = [score for j in sorted(fits) if (score := fits[j][2]) is not None]
        for j, codec in enumerate(codecs):
            if not codec.numeric:
                fits[j] = self._fit_categorical(codec, values[j], rng, anchor)
                if progress is not None:
                    progress(len(fits), len(codecs))
        specs: list[dict[str, Any]] = []
        dims: list[_Score] = []
        for j, codec in enumerate(codecs):
            spec, _, value_score = fits[j]
            spec["value_dim"] = spec["miss_dim"] = -1
            if value_score is not None:
                spec["value_dim"] = len(dims)
                dims.append(value_score)
            share = spec["p_missing"]
            if 0.0 < share < 1.0:
                spec["miss_dim"] = len(dims)
                dims.append(_missing_score(_absent(codec, values[j]), share, rng))
            specs.append(spec)
        corr = np.zeros((0, 0))
        if dims:
            scores = np.column_stack([z for z, _ in dims])
            corr = _pairwise_correlation(scores, np.column_stack([seen for _, seen in dims]))
            corr = _drop_lone_missingness(corr, specs, len(values[0]) if values else 0)
        self.columns_ = specs
        self.tables_ = [fits[j][1] for j in range(len(codecs))]
        self._prepare(corr)

    def _fit_numeric(
        self, codec: ColumnCodec, values: F64, rng: np.random.Generator
    ) -> tuple[dict[str, Any], F64, _Score | None]:
        seen = ~np.isnan(values)
        bounds = codec.bounds
        if not seen.any() or bounds is None:
            return {"p_missing": 1.0, "family": "none"}, np.zeros(0), None
        marginal = fit_marginal(
            values[seen],
            *bounds,
            integer=codec.column.kind is ColumnKind.INTEGER,
            families=list(self.families),
            rng=rng,
            k=self.rare_category_k,
        )
        spec: dict[str, Any] = {
            "p_missing": 1.0 - float(seen.mean()),
            "family": marginal.family,
            "params": list(marginal.params),
            "ks": marginal.ks,
        }
        if marginal.table[-1] <= marginal.table[0]:  # constant
            return spec, marginal.table, None
        ordered = np.sort(values[seen])
        left = np.searchsorted(ordered, values[seen], side="left")
        right = np.searchsorted(ordered, values[seen], side="right")
        u = (left + rng.random(left.size) * (right - left)) / ordered.size
        z = np.zeros(values.size)
        z[seen] = _uniform_scores(u)
        return spec, marginal.table, (z, seen)

    def _fit_categorical(
        self,
        codec: ColumnCodec,
        codes: npt.NDArray[np.int64],
        rng: np.random.Generator,
        anchor: list[_Score],
    ) -> tuple[dict[str, Any], F64, _Score | None]:
        share = float(np.mean(codes == MISSING))
        if not codec.categories or share >= 1.0:
            return {"p_missing": 1.0, "family": "none"}, np.zeros(0), None
        probs = category_probs(codes, len(codec.categories))
        order = _latent_order(codes, probs, anchor)
        spec: dict[str, Any] = {
            "p_missing": share,
            "family": "categorical",
            "order": order.tolist(),
        }
        if np.count_nonzero(probs) < 2:
            return spec, probs, None
        rank = np.argsort(order)
        starts = np.concatenate([[0.0], np.cumsum(probs[order])[:-1]])
        seen = codes >= 0
        picked = codes[seen]
        u = starts[rank[picked]] + rng.random(picked.size) * probs[picked]
        z = np.zeros(codes.size)
        z[seen] = _uniform_scores(u)
        return spec, probs, (z, seen)

    def _prepare(self, corr: F64) -> None:
        """Derived sampling state: Cholesky factor, category cuts, missingness cuts."""
        self.corr_ = corr
        self.chol_ = np.linalg.cholesky(corr) if corr.size else corr
        self.orders_ = [
            np.asarray(s.get("order", range(t.size)), dtype=np.int64)
            for s, t in zip(self.columns_, self.tables_, strict=True)
        ]
        self.ranks_ = [np.argsort(order) for order in self.orders_]
        self.cuts_ = [
            category_cuts(t[order]) if not c.numeric and t.size else np.zeros(0)
            for c, t, order in zip(self.codecs_, self.tables_, self.orders_, strict=True)
        ]
        self.grids_ = [category_grid(cuts) for cuts in self.cuts_]
        self.miss_cuts_ = np.array(
            [
                float(special.ndtri(1.0 - s["p_missing"])) if s["miss_dim"] >= 0 else np.inf
                for s in self.columns_
            ]
        )

    # -- sample --------------------------------------------------------------------------------

    def _sample_model(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        conditions: EncodedConditions | None,
    ) -> dict[str, npt.NDArray[Any]]:
        width = self.corr_.shape[0]
        noise = self._stream(seed, 0).standard_normal((n_rows, width))
        if conditions:
            by_row = self._condition(noise @ self.chol_.T, noise, seed, conditions)
            scores = np.ascontiguousarray(by_row.T)
        else:
            scores = self.chol_ @ noise.T  # one contiguous row per dimension
        out: dict[str, npt.NDArray[Any]] = {}
        lone = [j for j, c in enumerate(self.columns_) if _lone_missing(c)]
        coins = self._stream(seed, 2).random((n_rows, len(lone))) if lone else None
        for j, codec in enumerate(self.codecs_):
            spec, table = self.columns_[j], self.tables_[j]
            vd, md = spec["value_dim"], spec["miss_dim"]
            if codec.numeric:
                if not table.size:
                    values: npt.NDArray[Any] = np.full(n_rows, np.nan)
                elif vd >= 0:
                    values = lookup(scores[vd], table)
                else:
                    values = np.full(n_rows, table[0])
                absent_value: Any = np.nan
            else:
                if not table.size:
                    values = np.full(n_rows, MISSING, dtype=np.int64)
                elif vd >= 0:
                    latent = category_codes(scores[vd], self.cuts_[j], self.grids_[j])
                    values = self.orders_[j][latent]
                else:
                    values = np.full(n_rows, int(np.argmax(table)), dtype=np.int64)
                absent_value = MISSING
            if md >= 0:
                values[scores[md] > self.miss_cuts_[j]] = absent_value
            elif coins is not None and j in lone:
                drop = coins[:, lone.index(j)] < spec["p_missing"]
                if conditions and codec.name in conditions:
                    drop &= ~conditions[codec.name][1]  # a conditioned cell is never missing
                values[drop] = absent_value
            out[codec.name] = values
        return out

    def _condition(
        self,
        scores: F64,
        noise: F64,
        seed: np.random.SeedSequence,
        conditions: EncodedConditions,
    ) -> F64:
        """Fix the conditioned scores, then draw the others from the conditional normal."""
        n_rows, width = scores.shape
        lower = np.full((n_rows, width), -np.inf)
        upper = np.full((n_rows, width), np.inf)
        fixed = np.zeros((n_rows, width), dtype=bool)
        index = {c.name: j for j, c in enumerate(self.codecs_)}
        for name, (values, mask) in conditions.items():
            j = index[name]
            codec, spec, table = self.codecs_[j], self.columns_[j], self.tables_[j]
            vd, md = spec["value_dim"], spec["miss_dim"]
            if vd >= 0:
                if codec.numeric:
                    half = _half_step(codec)
                    x = np.asarray(values, dtype=np.float64)[mask]
                    lo, hi = score_interval(table, x - half, x + half)
                else:
                    edges = np.concatenate([[-np.inf], self.cuts_[j], [np.inf]])
                    latent = self.ranks_[j][np.asarray(values, dtype=np.int64)[mask]]
                    lo, hi = edges[latent], edges[latent + 1]
                lower[mask, vd], upper[mask, vd] = lo, hi
                fixed[mask, vd] = True
            if md >= 0:
                upper[mask, md] = self.miss_cuts_[j]
                fixed[mask, md] = True
        if not fixed.any():
            return scores
        draw = self._stream(seed, 1).random((n_rows, width))
        p_lo, p_hi = special.ndtr(lower), special.ndtr(upper)
        picked = special.ndtri(np.clip(p_lo + draw * (p_hi - p_lo), 1e-12, 1.0 - 1e-12))
        picked = np.where(np.isfinite(lower) & (lower == upper), lower, picked)
        patterns, inverse = np.unique(fixed, axis=0, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
        out = scores.copy()
        for p, pattern in enumerate(patterns):
            if not pattern.any():
                continue
            rows = np.flatnonzero(inverse == p)
            given, free = np.flatnonzero(pattern), np.flatnonzero(~pattern)
            z_given = picked[np.ix_(rows, given)]
            out[np.ix_(rows, given)] = z_given
            if free.size:
                weights, factor = _conditional(self.corr_, given, free)
                out[np.ix_(rows, free)] = z_given @ weights.T + noise[np.ix_(rows, free)] @ factor.T
        return out

    # -- state ---------------------------------------------------------------------------------

    def _model_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        arrays = {f"table{j}": t for j, t in enumerate(self.tables_)}
        arrays["corr"] = self.corr_
        return {"columns": self.columns_}, arrays

    def _load_model_state(
        self, state: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        columns = [dict(c) for c in state["columns"]]
        if len(columns) != len(self.codecs_):
            raise ValueError("the copula state does not match the stored metadata")
        width = np.asarray(arrays["corr"]).shape[0]
        for spec in columns:
            for key in ("value_dim", "miss_dim"):
                spec[key] = int(spec[key])
                if not -1 <= spec[key] < width:
                    raise ValueError("copula dimension out of range")
            spec["p_missing"] = float(spec["p_missing"])
            if "order" in spec:
                spec["order"] = [int(v) for v in spec["order"]]
        tables = [np.asarray(arrays[f"table{j}"], dtype=np.float64) for j in range(len(columns))]
        for spec, table in zip(columns, tables, strict=True):
            if "order" in spec and sorted(spec["order"]) != list(range(table.size)):
                raise ValueError("a category order in the copula state is not a permutation")
        self.columns_ = columns
        self.tables_ = tables
        self._prepare(np.asarray(arrays["corr"], dtype=np.float64))


_Score = tuple[F64, npt.NDArray[np.bool_]]


def _latent_order(
    codes: npt.NDArray[np.int64], probs: F64, anchor: list[_Score]
) -> npt.NDArray[np.int64]:
    """Order of categories on the normal scale that best follows the numeric columns.

    Each category's mean numeric scores are projected on their leading (frequency-weighted)
    principal direction; ordering by the projection lets a Gaussian copula keep how the
    numbers differ between categories. Without numeric columns, the stored order is kept.
    """
    size = probs.size
    if not anchor or size < 3:
        return np.arange(size, dtype=np.int64)
    seen = codes >= 0
    picked = codes[seen]
    means = np.zeros((size, len(anchor)))
    for d, (z, observed) in enumerate(anchor):
        w = observed[seen].astype(np.float64)
        totals = np.bincount(picked, weights=z[seen] * w, minlength=size)[:size]
        counts = np.bincount(picked, weights=w, minlength=size)[:size]
        means[:, d] = totals / np.maximum(counts, 1.0)
    centred = np.sqrt(probs)[:, None] * (means - probs @ means)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    direction = vt[0] * np.sign(vt[0][np.argmax(np.abs(vt[0]))])
    return np.argsort(means @ direction, kind="stable").astype(np.int64)


def _absent(codec: ColumnCodec, values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    absent: npt.NDArray[np.bool_] = np.isnan(values) if codec.numeric else values == MISSING
    return absent


def _missing_score(absent: npt.NDArray[np.bool_], share: float, rng: np.random.Generator) -> _Score:
    """Scores of the missingness indicator: missing rows in the top ``share`` of the scale."""
    v = rng.random(absent.size)
    u = np.where(absent, (1.0 - share) + v * share, v * (1.0 - share))
    return _uniform_scores(u), np.ones(absent.size, dtype=bool)


def _half_step(codec: ColumnCodec) -> float:
    kind = codec.column.kind
    if kind is ColumnKind.INTEGER:
        return 0.5
    if kind is ColumnKind.FLOAT and codec.column.decimals is not None:
        return 0.5 * 10.0**-codec.column.decimals
    if kind is ColumnKind.DATETIME and codec.step_us:
        return 0.5 * codec.step_us / 1e6
    return 0.0


def _conditional(
    corr: F64, given: npt.NDArray[np.intp], free: npt.NDArray[np.intp]
) -> tuple[F64, F64]:
    """Regression weights and Cholesky factor of the free scores given the fixed ones."""
    s_gg = corr[np.ix_(given, given)] + 1e-9 * np.eye(given.size)
    s_fg = corr[np.ix_(free, given)]
    weights = np.linalg.solve(s_gg, s_fg.T).T
    cov = corr[np.ix_(free, free)] - weights @ s_fg.T
    cov = (cov + cov.T) / 2.0
    values, vectors = np.linalg.eigh(cov)
    cov = (vectors * np.maximum(values, 1e-12)) @ vectors.T
    factor: F64 = np.linalg.cholesky(cov + 1e-12 * np.eye(free.size))
    return np.asarray(weights, dtype=np.float64), factor
