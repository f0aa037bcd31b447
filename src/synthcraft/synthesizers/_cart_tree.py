"""Decision trees as plain arrays for the ``cart`` model: traversal, leaf tables, leaf draws.

A fitted scikit-learn tree is copied into a :class:`TreeArrays` (feature, threshold, children and
the leaf number of every node) and evaluated here by a vectorised numpy traversal, so a stored
model never needs pickle or scikit-learn to sample. Features are ``float32`` like scikit-learn's,
so the traversal sends every row to the leaf scikit-learn would. Each leaf holds either category
frequencies (missing is a category) or a small smoothed quantile table of its numeric values and
its share of missing values, sampled by inverse CDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "TreeArrays",
    "category_leaf_table",
    "draw_category",
    "draw_numeric",
    "nearest_level",
    "numeric_leaf_table",
    "numeric_mass",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
_GATHER_SLOTS = 24
"""Up to this many codes, a draw compares against the row's own table (faster than a search)."""


@dataclass(frozen=True)
class TreeArrays:
    """A binary decision tree: node ``i`` sends ``x[feature[i]] <= threshold[i]`` left.

    Parameters
    ----------
    feature, threshold, left, right : ndarray
        Per node; ``left`` is -1 at a leaf.
    leaf : ndarray
        Leaf number of each node (0 .. n_leaves - 1), -1 for inner nodes.
    """

    feature: I32
    threshold: F64
    left: I32
    right: I32
    leaf: I32

    @property
    def n_leaves(self) -> int:
        """Number of leaves."""
        return int(self.leaf.max()) + 1

    @classmethod
    def single(cls) -> TreeArrays:
        """A tree of one leaf (every row reaches leaf 0)."""
        zero = np.zeros(1, dtype=np.int32)
        return cls(zero, np.zeros(1), np.full(1, -1, np.int32), np.full(1, -1, np.int32), zero)

    @classmethod
    def from_sklearn(cls, tree: Any) -> TreeArrays:
        """The arrays of a fitted scikit-learn tree (its ``tree_`` attribute)."""
        left = np.asarray(tree.children_left, dtype=np.int32)
        is_leaf = left < 0
        leaf = np.full(left.size, -1, dtype=np.int32)
        leaf[is_leaf] = np.arange(int(is_leaf.sum()), dtype=np.int32)
        return cls(
            np.where(is_leaf, 0, tree.feature).astype(np.int32),
            np.asarray(tree.threshold, dtype=np.float64),
            left,
            np.asarray(tree.children_right, dtype=np.int32),
            leaf,
        )

    @classmethod
    def from_arrays(cls, arrays: dict[str, npt.NDArray[Any]]) -> TreeArrays:
        """Rebuild from :meth:`to_arrays` output, checking that the nodes form a tree."""
        tree = cls(
            np.asarray(arrays["feature"], dtype=np.int32),
            np.asarray(arrays["threshold"], dtype=np.float64),
            np.asarray(arrays["left"], dtype=np.int32),
            np.asarray(arrays["right"], dtype=np.int32),
            np.asarray(arrays["leaf"], dtype=np.int32),
        )
        size = tree.left.size
        shapes = {a.shape for a in (tree.feature, tree.threshold, tree.right, tree.leaf)}
        ok = size > 0 and shapes == {(size,)}
        if ok:  # children come after their parent (so traversal ends) and inside the tree
            inner = np.flatnonzero(tree.left >= 0)
            children = np.concatenate([tree.left[inner], tree.right[inner]])
            ok = bool(np.all(children > np.tile(inner, 2))) and bool(np.all(children < size))
            ok = ok and np.unique(children).size == children.size
            ok = ok and bool(np.all((tree.leaf >= 0) == (tree.left < 0)))
            ok = ok and bool(np.all(tree.feature >= 0))
        if not ok:
            raise ValueError("the cart tree arrays do not form a tree")
        return tree

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Named arrays for a model file."""
        return {
            "feature": self.feature,
            "threshold": self.threshold,
            "left": self.left,
            "right": self.right,
            "leaf": self.leaf,
        }

    def apply(self, features: npt.NDArray[np.float32]) -> I64:
        """Leaf number of every row of ``features`` (float32, one column per feature).

        Rows still inside the tree move one level per step; rows that reach a leaf leave.
        """
        n_rows = features.shape[0]
        if self.left[0] < 0:
            return np.zeros(n_rows, dtype=np.int64)
        width = features.shape[1]
        flat = np.ascontiguousarray(features).ravel()
        children = np.column_stack([self.left, self.right]).astype(np.intp).ravel()
        feature = self.feature.astype(np.intp)
        inner = self.left >= 0
        reached = np.zeros(n_rows, dtype=np.intp)
        active = np.arange(n_rows, dtype=np.intp)
        at = np.zeros(n_rows, dtype=np.intp)
        while active.size:
            right = flat[active * width + feature[at]] > self.threshold[at]
            at = children[2 * at + right]
            going = inner[at]
            if not going.all():
                done = ~going
                reached[active[done]] = at[done]
                active, at = active[going], at[going]
        return self.leaf[reached].astype(np.int64)


def numeric_leaf_table(values: F64, leaves: I64, n_leaves: int, points: int, k: int) -> F64:
    """Smoothed quantiles of each leaf's values: ``(n_leaves, points)``, rows non-decreasing.

    Point ``i`` of a leaf is its quantile ``i / (points - 1)`` taken from the moving means of
    ``k`` neighbouring sorted values (interpolated), so no point is a single training value.
    Leaves without values get zeros.
    """
    order = np.lexsort((values, leaves))
    ordered, owner = values[order], leaves[order]
    counts = np.bincount(owner, minlength=n_leaves)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    base = float(ordered.min()) if ordered.size else 0.0
    sums = np.concatenate([[0.0], np.cumsum(ordered - base)])
    width = np.maximum(np.minimum(k, counts), 1)
    n_means = np.maximum(counts - width + 1, 1)
    share = np.linspace(0.0, 1.0, points)
    centre = share[None, :] * np.maximum(counts - 1, 0)[:, None] - (width[:, None] - 1) / 2.0
    pos = np.clip(centre, 0.0, (n_means - 1)[:, None].astype(np.float64))
    below = np.floor(pos).astype(np.int64)
    above = np.minimum(below + 1, (n_means - 1)[:, None])
    first, w = starts[:, None], width[:, None]

    def mean_at(i: I64) -> F64:
        top = np.minimum(first + i + w, sums.size - 1)
        low = np.minimum(first + i, sums.size - 1)
        out: F64 = (sums[top] - sums[low]) / w
        return out

    lower = mean_at(below)
    table = lower + (pos - below) * (mean_at(above) - lower) + base
    table[counts == 0] = 0.0
    out: F64 = np.maximum.accumulate(table, axis=1)
    return out


def category_leaf_table(codes: I64, leaves: I64, n_leaves: int, n_codes: int) -> F64:
    """Cumulative frequencies per leaf of codes -1 (missing) .. ``n_codes - 1``."""
    slots = n_codes + 1
    counts = np.bincount(leaves * slots + codes + 1, minlength=n_leaves * slots)
    counts = counts.reshape(n_leaves, slots).astype(np.float64)
    totals = np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    out: F64 = np.cumsum(counts / totals, axis=1)
    out[:, -1] = 1.0
    return out


def draw_category(cumulative: F64, leaves: I64, u: F64) -> I64:
    """A code per row (-1 missing) from its leaf's cumulative frequencies at uniform ``u``.

    One search over all leaves' tables laid end to end (leaf ``l`` spans ``[l, l + 1]``), so
    memory stays at a few values per row however many codes there are.
    """
    n_leaves, slots = cumulative.shape
    if slots <= _GATHER_SLOTS:
        counted = (cumulative[leaves] <= u[:, None]).sum(axis=1)
        small: I64 = np.minimum(counted, slots - 1).astype(np.int64) - 1
        return small
    flat = (cumulative + np.arange(n_leaves, dtype=np.float64)[:, None]).ravel()
    target = leaves + np.minimum(u, 1.0 - 1e-9)
    picked = np.searchsorted(flat, target, side="right") - leaves * slots
    codes: I64 = np.clip(picked, 0, slots - 1).astype(np.int64) - 1
    return codes


def nearest_level(levels: F64, values: F64) -> I64:
    """Index of the nearest of the sorted ``levels`` for each value (NaN gives -1)."""
    if levels.size == 1:
        index = np.zeros(values.size, dtype=np.int64)
    else:
        mids = (levels[1:] + levels[:-1]) / 2.0
        index = np.searchsorted(mids, np.where(np.isnan(values), 0.0, values)).astype(np.int64)
    return np.where(np.isnan(values), -1, index)


def draw_numeric(table: F64, leaves: I64, u: F64) -> F64:
    """A value per row by inverse CDF of its leaf's quantile table at uniform ``u``."""
    points = table.shape[1]
    pos = u * (points - 1)
    below = np.minimum(pos.astype(np.int64), points - 2) if points > 1 else np.zeros_like(leaves)
    frac = pos - below
    left = table[leaves, below]
    if points == 1:
        return np.asarray(left, dtype=np.float64)
    out: F64 = left + frac * (table[leaves, below + 1] - left)
    return out


def numeric_mass(table: F64, leaves: I64, values: F64, half: F64 | float) -> F64:
    """Probability that a leaf's draw falls within ``half`` of ``values`` (for resampling)."""

    def cdf(x: F64) -> F64:
        rows = table[leaves]
        points = rows.shape[1]
        idx = (rows <= x[:, None]).sum(axis=1)
        at = np.clip(idx, 1, points - 1)
        lo, hi = rows[np.arange(x.size), at - 1], rows[np.arange(x.size), at]
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(hi > lo, (x - lo) / (hi - lo), 1.0)
        out: F64 = (at - 1 + np.clip(frac, 0.0, 1.0)) / max(points - 1, 1)
        out = np.where(idx == 0, 0.0, np.where(idx >= points, 1.0, out))
        return out

    mass: F64 = cdf(values + half) - cdf(values - half)
    return mass
