"""PrivBayes building blocks: mutual information, the greedy network, noisy conditional tables.

The network is learned as in PrivBayes (Zhang et al., "PrivBayes: private data release via
Bayesian networks", TODS 2017): attributes are placed one at a time, each with a parent set of
at most ``degree`` attributes placed before it, choosing the (attribute, parents) pair of
highest mutual information, or, under differential privacy, drawing it with the exponential
mechanism. Conditional tables come from the joint counts of each family (parents and child),
with Laplace noise under differential privacy.

Sensitivities (natural logarithms; ``n`` rows, treated as public as in
:mod:`synthcraft.synthesizers._dp_release`):

* mutual information: the larger of the paper's bound for neighbours that replace one row
  (Lemma 4.1, general case: ``(2/n) log((n+1)/2) + ((n-1)/n) log((n+1)/(n-1))``) and a bound
  for neighbours that add or remove one row, ``((n log n - (n-1) log(n-1)) + log m) / n`` with
  ``m`` the largest child domain (from ``n I = sum g(c_xp) - sum g(c_x) - sum g(c_p) + g(n)``,
  ``g(t) = t log t``), so the guarantee holds under either notion of neighbours;
* a family's normalised joint distribution: L1 sensitivity ``2 / n`` (both notions), so
  releasing ``m`` of them with ``epsilon`` takes Laplace noise of scale ``2 m / (n epsilon)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from synthcraft.synthesizers._marginals import U_GRID

__all__ = [
    "bin_spans",
    "bin_values",
    "USEFULNESS",
    "conditional_table",
    "greedy_network",
    "marginal",
    "maximal_families",
    "mi_sensitivity",
    "mutual_information",
    "noisy_joint",
    "parent_codes",
    "table_noise_scale",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

USEFULNESS = 4.0
"""Under DP a family's table may have at most ``n eps_tables / (2 (d - k) USEFULNESS)`` cells, so
an average cell holds this many noise scales (PrivBayes' theta-usefulness)."""
MAX_PARENT_SETS = 256
"""Most candidate parent sets scored per step (drawn at random when there are more)."""


def mi_sensitivity(n_rows: int, max_domain: int) -> float:
    """Sensitivity of the mutual information of ``n_rows`` rows (see the module docstring).

    Examples
    --------
    >>> round(mi_sensitivity(1000, 2), 5)
    0.01443
    """
    n = max(int(n_rows), 3)
    paper = (2.0 / n) * math.log((n + 1) / 2.0) + ((n - 1) / n) * math.log((n + 1) / (n - 1))
    delta_g = n * math.log(n) - (n - 1) * math.log(n - 1)
    add_remove = (delta_g + math.log(max(int(max_domain), 1))) / n
    return max(paper, add_remove)


def table_noise_scale(n_rows: int, n_tables: int, epsilon: float) -> float:
    """Laplace scale on normalised joint distributions: ``2 n_tables / (n_rows epsilon)``."""
    return 2.0 * max(int(n_tables), 1) / (max(int(n_rows), 1) * float(epsilon))


def parent_codes(codes: Sequence[I64], sizes: Sequence[int], parents: Sequence[int]) -> I64:
    """Mixed-radix code of each row's parent values (0 for an empty parent set)."""
    out = np.zeros(codes[0].size if codes else 0, dtype=np.int64)
    for p in parents:
        out = out * sizes[p] + codes[p]
    return out


def mutual_information(parents: I64, child: I64, n_parent: int, n_child: int) -> float:
    """Empirical mutual information (nats) between parent codes and child codes."""
    counts = np.bincount(parents * n_child + child, minlength=n_parent * n_child)
    joint = counts.reshape(n_parent, n_child).astype(np.float64)
    total = joint.sum()
    if total <= 0:
        return 0.0
    joint /= total
    outer = joint.sum(axis=1, keepdims=True) @ joint.sum(axis=0, keepdims=True)
    seen = joint > 0
    return float(max(np.sum(joint[seen] * np.log(joint[seen] / outer[seen])), 0.0))


def _parent_sets(placed: list[int], degree: int, rng: np.random.Generator) -> list[tuple[int, ...]]:
    top = min(degree, len(placed))
    sets = [s for r in range(1, top + 1) for s in itertools.combinations(sorted(placed), r)]
    if len(sets) > MAX_PARENT_SETS:
        keep = rng.choice(len(sets), MAX_PARENT_SETS, replace=False)
        sets = [sets[i] for i in np.sort(keep)]
    return sets


def greedy_network(
    codes: Sequence[I64],
    sizes: Sequence[int],
    *,
    degree: int,
    max_cells: float,
    rng: np.random.Generator,
    epsilon_step: float | None = None,
    first: int | None = None,
) -> tuple[list[int], list[tuple[int, ...]]]:
    """The PrivBayes greedy network: an order of attributes and each one's parents.

    Parameters
    ----------
    codes, sizes : sequences
        Each attribute's codes (``0 .. size - 1``) and domain size.
    degree : int
        Most parents of an attribute.
    max_cells : float
        Most cells of a family's table (parent sets past it are not candidates).
    rng : Generator
        Draws the first attribute (under DP), capped candidate lists and the mechanism.
    epsilon_step : float, optional
        Epsilon of each choice (exponential mechanism); the highest score wins when None.
    first : int, optional
        The first attribute; under DP drawn at random, otherwise the one with the strongest
        pairwise dependence.

    Returns
    -------
    order : list of int
        Attributes in sampling order.
    parents : list of tuple
        Parents of each attribute (indexed by attribute), sorted.
    """
    d = len(codes)
    n_rows = codes[0].size if d else 0
    sensitivity = mi_sensitivity(n_rows, max(sizes, default=1))
    cache: dict[tuple[int, tuple[int, ...]], float] = {}

    def score(child: int, pset: tuple[int, ...]) -> float:
        key = (child, pset)
        if key not in cache:
            n_parent = int(np.prod([sizes[p] for p in pset]))
            pc = parent_codes(codes, sizes, pset)
            cache[key] = mutual_information(pc, codes[child], n_parent, sizes[child])
        return cache[key]

    if first is None:
        if epsilon_step is not None:
            first = int(rng.integers(d))
        else:
            strength = [
                max((score(j, (i,)) for j in range(d) if j != i), default=0.0) for i in range(d)
            ]
            first = int(np.argmax(strength))
    order = [first]
    parents: list[tuple[int, ...]] = [()] * d
    while len(order) < d:
        rest = [j for j in range(d) if j not in order]
        candidates: list[tuple[int, tuple[int, ...]]] = [(j, ()) for j in rest]
        for pset in _parent_sets(order, degree, rng):
            cells = int(np.prod([sizes[p] for p in pset]))
            candidates += [(j, pset) for j in rest if cells * sizes[j] <= max_cells]
        scores = np.array([score(j, ps) if ps else 0.0 for j, ps in candidates])
        if epsilon_step is None:
            pick = int(np.argmax(scores))
        else:
            logits = epsilon_step * scores / (2.0 * sensitivity)
            weights = np.exp(logits - logits.max())
            pick = int(rng.choice(len(candidates), p=weights / weights.sum()))
        child, pset = candidates[pick]
        order.append(child)
        parents[child] = pset
    return order, parents


def maximal_families(order: Sequence[int], parents: Sequence[tuple[int, ...]]) -> list[int]:
    """Attributes whose family (parents and itself) is in no other family: the tables released.

    Every other family's joint distribution is a marginal of a released one (PrivBayes
    releases ``d - k`` tables this way).
    """
    families = {j: frozenset((*parents[j], j)) for j in order}
    out: list[int] = []
    for j in order:
        if not any(families[j] < families[i] for i in order if i != j):
            out.append(j)
    return out


def marginal(
    joint: F64, variables: Sequence[int], sizes: Sequence[int], keep: Sequence[int]
) -> F64:
    """The joint over ``keep`` (in that order) of a joint over ``variables`` (in that order)."""
    table = np.asarray(joint, dtype=np.float64).reshape([sizes[v] for v in variables])
    drop = tuple(a for a, v in enumerate(variables) if v not in keep)
    summed = table.sum(axis=drop) if drop else table
    left = [v for v in variables if v in keep]
    return np.asarray(np.transpose(summed, [left.index(v) for v in keep]), dtype=np.float64)


def noisy_joint(counts: F64, n_rows: int, scale: float, rng: np.random.Generator) -> F64:
    """``counts / n_rows`` plus Laplace noise of ``scale`` per cell (not clipped)."""
    joint = np.asarray(counts, dtype=np.float64) / max(int(n_rows), 1)
    return np.asarray(joint + rng.laplace(0.0, scale, joint.shape), dtype=np.float64)


def conditional_table(joint: F64, n_parent: int, n_child: int) -> F64:
    """Rows ``P(child | parents)`` from a (noisy) joint: negatives clipped, rows normalised.

    Parent values without mass take the child's marginal (uniform when that is empty too).
    """
    table = np.clip(np.asarray(joint, dtype=np.float64), 0.0, None).reshape(n_parent, n_child)
    marginal = table.sum(axis=0)
    marginal = marginal / marginal.sum() if marginal.sum() > 0 else np.full(n_child, 1 / n_child)
    mass = table.sum(axis=1, keepdims=True)
    safe = np.where(mass > 0, mass, 1.0)
    return np.asarray(np.where(mass > 0, table / safe, marginal[None, :]), dtype=np.float64)


def bin_spans(inverse: F64, edges: F64) -> tuple[F64, F64]:
    """Each bin's ``[low, high)`` share of an inverse CDF table (:data:`U_GRID` points).

    Shares are left-continuous, so a flat run of the table at an edge (a spike such as a
    column's zeros) belongs to the bin starting there. Empty arrays without a table.
    """
    size = inverse.size
    if not size or not edges.size:
        return np.zeros(0), np.zeros(0)
    idx = np.searchsorted(inverse, edges, side="left")
    hi = np.clip(idx, 1, size - 1)
    x0, x1 = inverse[hi - 1], inverse[hi]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.clip(np.where(x1 > x0, (edges - x0) / (x1 - x0), 1.0), 0.0, 1.0)
    at = U_GRID[hi - 1] + t * (U_GRID[hi] - U_GRID[hi - 1])
    at = np.where(idx == 0, U_GRID[0], np.where(idx >= size, U_GRID[-1], at))
    at[0], at[-1] = U_GRID[0], U_GRID[-1]
    return at[:-1], at[1:]


def bin_values(edges: F64, spans: tuple[F64, F64], inverse: F64, bins: I64, positions: F64) -> F64:
    """Values inside ``bins`` at uniforms ``positions``: through the inverse CDF restricted to
    the bin, or uniform in the bin when it has no table or no mass there."""
    left, right = edges[bins], edges[bins + 1]
    values = left + positions * (right - left)
    low, high = spans
    if low.size:
        span = high[bins] - low[bins]
        inside = np.interp(low[bins] + positions * span, U_GRID, inverse)
        values = np.where(span > 1e-12, np.clip(inside, left, right), values)
    return np.asarray(values, dtype=np.float64)
