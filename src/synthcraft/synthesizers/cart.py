"""The ``cart`` model: sequential decision trees, one column after another (like R's synthpop).

Columns are visited in an order (the user's first, then greedily by mutual information); the
first is drawn from its marginal and each next one from the leaf that a decision tree, fitted on
the columns before it, sends the row to. Trees are stored as plain arrays and evaluated in numpy
(:mod:`synthcraft.synthesizers._cart_tree`), so no pickle and no scikit-learn are needed to sample.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from synthcraft._types import ProgressCallback
from synthcraft.errors import UserInputError
from synthcraft.metadata import ColumnKind
from synthcraft.synthesizers._base import (
    BaseSynthesizer,
    Constraint,
    EncodedConditions,
    names_or_none,
    whole,
)
from synthcraft.synthesizers._cart_tree import (
    TreeArrays,
    category_leaf_table,
    draw_category,
    draw_numeric,
    nearest_level,
    numeric_leaf_table,
    numeric_mass,
)
from synthcraft.synthesizers._encoding import MISSING, POOLED, ColumnCodec
from synthcraft.synthesizers._marginals import category_probs
from synthcraft.synthesizers._registry import register
from synthcraft.synthesizers._resample import (
    CANDIDATES,
    CHUNK_ROWS,
    chunk_forced,
    forced_prefix,
    pick,
)
from synthcraft.synthesizers._tags import Tags

__all__ = ["CartSynthesizer"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
_ROOT_POINTS = 257
"""Quantile points of a column drawn from its marginal (a tree of one leaf)."""
_LEAF_POINTS = 33
"""Quantile points of each leaf of a numeric column's tree."""
_MI_BINS = 16
"""Quantile bins of numeric columns when ordering columns by mutual information."""
_WINDOW = 0.005
"""Half-width, as a share of the range, of a numeric condition's window when resampling."""
_LEVEL_SHARE = 0.9
"""A number column whose frequent values (each in at least ``rare_category_k`` rows) hold this
share of its values is drawn as those levels (like categories), not from smoothed quantiles."""
_MAX_LEVELS = 1_024
"""Most levels a number column drawn as levels may have."""
_Forced = dict[int, tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]]


@dataclass(frozen=True)
class _Node:
    """One column's model: its tree over the columns before it and its leaf tables."""

    tree: TreeArrays
    table: F64
    """Numbers: quantiles (leaves x points); categories and levels: cumulative frequencies
    from missing (leaves x codes + 1)."""
    missing: F64
    """Numbers: missing share per leaf (empty for categories and levels)."""
    sizes: I64
    """Training rows per leaf."""
    levels: F64
    """A number column's levels (empty unless drawn as levels)."""


def _feature(codec: ColumnCodec, values: npt.NDArray[Any]) -> F32:
    """A column as a tree feature: numbers scaled into [0, 1] (missing -1), categories' codes."""
    if not codec.numeric:
        return np.asarray(values, dtype=np.float32)
    bounds = codec.bounds
    if bounds is None:
        return np.full(values.shape, -1.0, dtype=np.float32)
    lo, hi = bounds
    scaled = (np.clip(values, lo, hi) - lo) / (hi - lo if hi > lo else 1.0)
    return np.where(np.isnan(scaled), -1.0, scaled).astype(np.float32)


def frequent_levels(values: F64, k: int, bounds: tuple[float, float] | None) -> F64:
    """Sorted values seen in at least ``k`` rows when they hold most values, else empty."""
    present = values[~np.isnan(values)]
    if not present.size or bounds is None:
        return np.zeros(0)
    unique, counts = np.unique(present, return_counts=True)
    kept = counts >= k
    if not kept.any() or kept.sum() > _MAX_LEVELS:
        return np.zeros(0)
    if counts[kept].sum() < _LEVEL_SHARE * present.size:
        return np.zeros(0)
    return np.unique(np.clip(unique[kept], *bounds))


def _half_step(codec: ColumnCodec) -> float:
    """Half the resolution of a numeric column, at least :data:`_WINDOW` of its range."""
    kind, bounds = codec.column.kind, codec.bounds
    span = 0.0 if bounds is None else bounds[1] - bounds[0]
    half = 0.0
    if kind is ColumnKind.INTEGER:
        half = 0.5
    elif kind is ColumnKind.FLOAT and codec.column.decimals is not None:
        half = 0.5 * 10.0**-codec.column.decimals
    elif kind is ColumnKind.DATETIME and codec.step_us:
        half = 0.5 * codec.step_us / 1e6
    return max(half, _WINDOW * span, 1e-12)


def _binned(codec: ColumnCodec, values: npt.NDArray[Any]) -> I64:
    """Small non-negative codes of a column for mutual information (missing its own code)."""
    if not codec.numeric:
        return np.asarray(values, dtype=np.int64) + 1
    present = ~np.isnan(values)
    if not present.any():
        return np.zeros(values.size, dtype=np.int64)
    cuts = np.unique(np.quantile(values[present], np.linspace(0, 1, _MI_BINS + 1)[1:-1]))
    binned = np.searchsorted(cuts, np.where(present, values, 0.0), side="right") + 1
    return np.where(present, binned, 0).astype(np.int64)


def _mutual_information(a: I64, b: I64) -> float:
    size_b = int(b.max()) + 1
    counts = np.bincount(a * size_b + b, minlength=(int(a.max()) + 1) * size_b)
    joint = counts.reshape(-1, size_b) / a.size
    pa, pb = joint.sum(axis=1, keepdims=True), joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / (pa @ pb)[nz])))


def dependence_order(binned: Sequence[I64], first: Sequence[int] = ()) -> list[int]:
    """Column order: ``first``, then greedily the column sharing most information with the
    columns placed (the column with the most in total with all others when none is placed)."""
    width = len(binned)
    info = np.zeros((width, width))
    for i in range(width):
        for j in range(i + 1, width):
            info[i, j] = info[j, i] = _mutual_information(binned[i], binned[j])
    order = list(first)
    while len(order) < width:
        rest = [j for j in range(width) if j not in order]
        score = info[rest][:, order].sum(axis=1) if order else info[rest].sum(axis=1)
        order.append(rest[int(np.argmax(score))])
    return order


@register("cart")
class CartSynthesizer(BaseSynthesizer):
    """Sequential decision trees (CART), one column after another, like R's synthpop.

    The first column is drawn from its marginal; each next column is drawn from the leaf that
    a decision tree fitted on the columns before it sends the row to (a regression tree for
    numbers and datetimes, a classification tree for categories, with missing values as their
    own code). A numeric leaf stores a small quantile table of its values, each point the mean
    of ``rare_category_k`` neighbouring values, and its share of missing values; a categorical
    leaf stores its category frequencies. Every leaf holds at least ``min_leaf`` training rows,
    rare categories are pooled and resampled from the kept ones, and values are clipped to the
    privatised bounds. Conditions (fixed values or one row per output row) force the
    conditioned columns; columns placed before a conditioned column follow it by
    sampling-importance-resampling over 32 candidate rows.

    Parameters
    ----------
    column_order : list of str, optional
        Modelled columns to visit first, in this order; the others follow by dependence.
    min_leaf : int
        Fewest training rows in a leaf (at least 5), so no leaf describes a single person.
    max_depth : int, optional
        Deepest tree (unlimited when None: leaves are bounded by ``min_leaf``).
    seed : int, optional
        Fit seed (tie-breaking, resampling of pooled categories); drawn and recorded when None.
    rare_category_k : int
        Categories seen in fewer rows are pooled; numeric quantiles average this many values.
    bounds_quantile : float
        Stored bounds are this quantile and its complement of the training values.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = np.random.default_rng(0).normal(size=200)
    >>> data = pd.DataFrame({"x": x, "y": np.where(x > 0, "a", "b")})
    >>> CartSynthesizer(seed=0).fit(data).sample(3, seed=1).shape
    (3, 2)
    """

    tags = Tags(conditions=frozenset({"fixed", "rows"}), deterministic_fit=True)
    constraints: ClassVar[Mapping[str, Constraint]] = {
        "column_order": names_or_none,
        "min_leaf": whole(5, 10_000_000),
        "max_depth": whole(1, 1_000, none=True),
    }

    def __init__(
        self,
        *,
        column_order: list[str] | None = None,
        min_leaf: int = 20,
        max_depth: int | None = None,
        seed: int | None = None,
        rare_category_k: int = 5,
        bounds_quantile: float = 0.001,
    ) -> None:
        self.column_order = column_order
        self.min_leaf = min_leaf
        self.max_depth = max_depth
        self.seed = seed
        self.rare_category_k = rare_category_k
        self.bounds_quantile = bounds_quantile

    # -- fit -----------------------------------------------------------------------------------

    def _first_columns(self, codecs: Sequence[ColumnCodec]) -> list[int]:
        names = [c.name for c in codecs]
        first = list(self.column_order or [])
        unknown = [n for n in first if n not in names]
        if unknown:
            raise UserInputError(
                f"column_order names {unknown[0]!r}, which is not a modelled column; "
                f"use names from: {', '.join(names)}"
            )
        return [names.index(n) for n in first]

    def _fit_model(
        self,
        codecs: Sequence[ColumnCodec],
        data: Mapping[str, npt.NDArray[Any]],
        rng: np.random.Generator,
        progress: ProgressCallback | None,
    ) -> None:
        first = self._first_columns(codecs)
        columns = [_training_values(c, data[c.name], rng) for c in codecs]
        order = dependence_order(
            [_binned(c, v) for c, v in zip(codecs, columns, strict=True)], first
        )
        features = np.empty((columns[0].size, len(order)), dtype=np.float32)
        nodes: list[_Node] = []
        for j, index in enumerate(order):
            codec, values = codecs[index], columns[index]
            node, values = self._fit_node(codec, values, features[:, :j], rng)
            nodes.append(node)
            features[:, j] = _feature(codec, values)
            if progress is not None:
                progress(j + 1, len(order))
        self.order_ = [codecs[i].name for i in order]
        self.nodes_ = nodes

    def _fit_node(
        self, codec: ColumnCodec, values: npt.NDArray[Any], features: F32, rng: np.random.Generator
    ) -> tuple[_Node, npt.NDArray[Any]]:
        """One column's tree and leaves, and its values as later columns see them."""
        classifier, regressor = _sklearn_trees()
        leaf = int(self.min_leaf)
        state = int(rng.integers(2**31 - 1))
        settings = {"min_samples_leaf": leaf, "max_depth": self.max_depth, "random_state": state}
        empty = np.zeros(0)
        levels = empty
        if codec.numeric:
            levels = frequent_levels(values, int(self.rare_category_k), codec.bounds)
        if levels.size:
            codes = nearest_level(levels, values)
            values = np.where(codes >= 0, levels[np.maximum(codes, 0)], np.nan)
        if codec.numeric and not levels.size:
            present = ~np.isnan(values)
            tree = TreeArrays.single()
            if features.shape[1] and present.sum() >= 2 * leaf:
                model = regressor(**settings)  # type: ignore[arg-type]
                tree = TreeArrays.from_sklearn(model.fit(features[present], values[present]).tree_)
            leaves = tree.apply(features)
            n_leaves = tree.n_leaves
            sizes = np.bincount(leaves[present], minlength=n_leaves)
            totals = np.maximum(np.bincount(leaves, minlength=n_leaves), 1)
            points = _ROOT_POINTS if n_leaves == 1 else _LEAF_POINTS
            table = numeric_leaf_table(
                values[present], leaves[present], n_leaves, points, int(self.rare_category_k)
            )
            missing = 1.0 - sizes / totals
            if codec.bounds is not None:
                table = np.clip(table, *codec.bounds)
            node = _Node(tree, table, missing.astype(np.float64), sizes.astype(np.int64), empty)
            return node, values
        target = codes if levels.size else values
        tree = TreeArrays.single()
        if features.shape[1] and values.size >= 2 * leaf and np.unique(target).size > 1:
            if levels.size:  # the mean is the better split target for ordered levels
                present = codes >= 0
                model = regressor(**settings)  # type: ignore[arg-type]
                if present.sum() >= 2 * leaf:
                    model.fit(features[present], values[present])
                    tree = TreeArrays.from_sklearn(model.tree_)
            else:
                model = classifier(**settings)  # type: ignore[arg-type]
                tree = TreeArrays.from_sklearn(model.fit(features, target).tree_)
        leaves = tree.apply(features)
        n_codes = levels.size if levels.size else len(codec.categories)
        table = category_leaf_table(target, leaves, tree.n_leaves, n_codes)
        sizes = np.bincount(leaves, minlength=tree.n_leaves).astype(np.int64)
        return _Node(tree, table, empty, sizes, levels), values

    # -- sample --------------------------------------------------------------------------------

    def _sample_model(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        conditions: EncodedConditions | None,
    ) -> dict[str, npt.NDArray[Any]]:
        forced = self._forced(conditions or {})
        width = len(self.nodes_)
        if forced and not forced_prefix(forced, n_rows):
            return self._resampled(seed, n_rows, forced)
        draws = self._stream(seed, 0).random((n_rows, 2 * width))
        values, _ = self._run(draws, forced)
        return values

    def _forced(self, conditions: EncodedConditions) -> _Forced:
        forced: _Forced = {}
        for j, name in enumerate(self.order_):
            if name in conditions:
                given, mask = conditions[name]
                forced[j] = (np.asarray(given), np.asarray(mask, dtype=bool))
        return forced

    def _run(self, draws: F64, forced: _Forced) -> tuple[dict[str, npt.NDArray[Any]], F64]:
        """Columns drawn in order at uniforms ``draws`` (two per column), and the
        log-likelihood of the forced values given the columns drawn before them."""
        codecs = {c.name: c for c in self.codecs_}
        n_rows, width = draws.shape[0], len(self.nodes_)
        features = np.empty((n_rows, width), dtype=np.float32)
        log_weight = np.zeros(n_rows)
        out: dict[str, npt.NDArray[Any]] = {}
        for j, (name, node) in enumerate(zip(self.order_, self.nodes_, strict=True)):
            codec = codecs[name]
            leaves = node.tree.apply(features[:, :j])
            pick, gap = draws[:, 2 * j], draws[:, 2 * j + 1]
            values: npt.NDArray[Any]
            if node.levels.size:
                index = draw_category(node.table, leaves, pick)
                values = np.where(index >= 0, node.levels[np.maximum(index, 0)], np.nan)
                values = codec.finish(values)
            elif codec.numeric:
                values = draw_numeric(node.table, leaves, pick)
                values[gap < node.missing[leaves]] = np.nan
                values = codec.finish(values)
            else:
                values = draw_category(node.table, leaves, pick)
            if j in forced:
                given, mask = forced[j]
                values = np.where(mask, given, values)
                if mask.any():
                    log_weight[mask] += np.log(
                        np.maximum(self._likelihood(j, codec, leaves[mask], given[mask]), 1e-300)
                    )
            features[:, j] = _feature(codec, values)
            out[name] = values
        return out, log_weight

    def _likelihood(self, j: int, codec: ColumnCodec, leaves: I64, given: npt.NDArray[Any]) -> F64:
        node = self.nodes_[j]
        if not codec.numeric or node.levels.size:
            cumulative = node.table[leaves]
            if node.levels.size:
                codes = nearest_level(node.levels, np.asarray(given, np.float64)) + 1
            else:
                codes = np.asarray(given, dtype=np.int64) + 1
            rows = np.arange(leaves.size)
            below = np.where(codes > 0, cumulative[rows, np.maximum(codes - 1, 0)], 0.0)
            out: F64 = cumulative[rows, codes] - below
            return out
        mass = numeric_mass(node.table, leaves, np.asarray(given, np.float64), _half_step(codec))
        result: F64 = mass * (1.0 - node.missing[leaves])
        return result

    def _resampled(
        self, seed: np.random.SeedSequence, n_rows: int, forced: _Forced
    ) -> dict[str, npt.NDArray[Any]]:
        """Rows given forced values anywhere, by sampling-importance-resampling.

        Each row draws 32 candidates (:mod:`._resample`) with the forced values in place, weighted
        by the likelihood of those values given the columns drawn before them, and keeps one in
        proportion to its weight. Rows go in fixed chunks from row 0, so output is prefix-stable.
        """
        width = len(self.nodes_)
        draws = self._stream(seed, 1)
        picks = self._stream(seed, 2).random(n_rows)
        parts: dict[str, list[npt.NDArray[Any]]] = {name: [] for name in self.order_}
        for start in range(0, n_rows, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, n_rows)
            chunk = chunk_forced(forced, start, stop)
            uniforms = draws.random(((stop - start) * CANDIDATES, 2 * width))
            values, log_weight = self._run(uniforms, chunk)
            rows = pick(log_weight, picks[start:stop])
            for name in self.order_:
                parts[name].append(values[name][rows])
        return {name: np.concatenate(chunks) for name, chunks in parts.items()}

    # -- state ---------------------------------------------------------------------------------

    def _model_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        arrays: dict[str, npt.NDArray[Any]] = {}
        for j, node in enumerate(self.nodes_):
            arrays.update({f"tree{j}.{k}": v for k, v in node.tree.to_arrays().items()})
            arrays[f"table{j}"] = node.table
            arrays[f"missing{j}"] = node.missing
            arrays[f"sizes{j}"] = node.sizes
            arrays[f"levels{j}"] = node.levels
        return {"order": list(self.order_)}, arrays

    def _load_model_state(
        self, state: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        order = [str(name) for name in state["order"]]
        codecs = {c.name: c for c in self.codecs_}
        if sorted(order) != sorted(codecs):
            raise ValueError("the cart state does not match the stored metadata")
        nodes: list[_Node] = []
        for j, name in enumerate(order):
            prefix = f"tree{j}."
            tree = TreeArrays.from_arrays(
                {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
            )
            table = np.asarray(arrays[f"table{j}"], dtype=np.float64)
            missing = np.asarray(arrays[f"missing{j}"], dtype=np.float64)
            codec = codecs[name]
            slots = table.shape[1] if table.ndim == 2 else -1
            ok = table.ndim == 2 and table.shape[0] == tree.n_leaves and slots >= 1
            ok = ok and (j > 0 or tree.left[0] < 0) and int(tree.feature.max()) < max(j, 1)
            levels = np.asarray(arrays[f"levels{j}"], dtype=np.float64)
            if levels.size:
                ok = ok and codec.numeric and slots == levels.size + 1
            elif codec.numeric:
                ok = ok and missing.shape == (tree.n_leaves,)
            else:
                ok = ok and slots == len(codec.categories) + 1
            if not ok:
                raise ValueError(f"the cart arrays of column {name!r} do not fit its tree")
            sizes = np.asarray(arrays[f"sizes{j}"], dtype=np.int64)
            nodes.append(_Node(tree, table, missing, sizes, levels))
        self.order_ = order
        self.nodes_ = nodes


def _sklearn_trees() -> tuple[Any, Any]:
    """scikit-learn's tree classes, imported without moving Python's global random state
    (importing ``sklearn.tree`` draws from it)."""
    state = random.getstate()
    try:
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
    finally:
        random.setstate(state)
    return DecisionTreeClassifier, DecisionTreeRegressor


def _training_values(
    codec: ColumnCodec, values: npt.NDArray[Any], rng: np.random.Generator
) -> npt.NDArray[Any]:
    """A column as trees learn it: pooled categories resampled from the kept ones."""
    if codec.numeric:
        return np.asarray(values, dtype=np.float64)
    codes = np.asarray(values, dtype=np.int64).copy()
    pooled = codes == POOLED
    n_categories = len(codec.categories)
    if pooled.any():
        if n_categories == 0:
            codes[pooled] = MISSING
        else:
            probs = category_probs(codes, n_categories)
            codes[pooled] = rng.choice(n_categories, size=int(pooled.sum()), p=probs)
    return codes
