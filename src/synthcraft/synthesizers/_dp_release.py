"""What a differentially private model learns outside DP-SGD: metadata from noisy histograms.

Under DP (the ``argn`` model with ``epsilon``), nothing a model stores may come from the data
except through a mechanism the budget pays for. Every column's description is released here by
the Gaussian mechanism, under add/remove-one-row adjacency:

* **declared** columns (``provenance: declared`` in the metadata the user passes) keep their
  declared bounds and categories, which cost nothing;
* otherwise a number's bounds are **paid for**: a noisy histogram of magnitudes
  (``±2^k`` buckets) gives a coarse range, a noisy histogram of up to 32 cells inside it gives
  the ``0.1%`` and ``99.9%`` quantiles, and the final histogram inside those (up to 64 cells,
  fewer when rows are few, so cells hold several noise deviations of rows) gives the CDF the
  model's bins and values come from (its noisy ``bounds_quantile`` quantiles are the stored
  bounds); values held by at least 2% of rows (noisy counts, selected like categories) are
  atoms of that CDF, so a spike such as zero stays a spike;
* a category column's categories are paid for: noisy counts of the values seen, keeping those
  above a threshold ``max(k, 1 + sigma * z)`` where ``z`` makes the chance that any value held
  by a single row is released at most ``delta_select`` (Gaussian partition selection); booleans'
  categories are always ``False, True``;
* every column's missing share is a noisy count too.

Each row adds one to one cell of every histogram, so ``H`` histograms with noise ``sigma`` per
cell form one Gaussian release of L2 sensitivity ``sqrt(H)``: noise multiplier
``sigma / sqrt(H)``, which the caller composes with the DP-SGD steps in the RDP accountant.
The row count, the column names and kinds, float decimals, datetime resolution and id styles are
the schema and are treated as public.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from synthcraft.errors import DataError
from synthcraft.metadata import Column, ColumnKind, Metadata, Provenance, Scalar
from synthcraft.synthesizers._encoding import (
    CATEGORY_KINDS,
    NUMERIC_KINDS,
    ColumnCodec,
    category_scalar,
    datetime_steps,
    numeric_values,
)
from synthcraft.synthesizers._privatise import rounded_bounds

__all__ = [
    "DpRelease",
    "cdf_positions",
    "count_histograms",
    "declared",
    "default_delta",
    "paid_release",
    "release",
]

F64 = npt.NDArray[np.float64]

CELLS = 64
"""Most cells of the final histogram of a number (its CDF); fewer when rows are few."""
_COARSE_CELLS = 32
_COARSE_QUANTILE = 0.001
_K_MIN, _K_MAX = -20, 62
"""Magnitude buckets ``[2^k, 2^(k+1))`` for k in this range, both signs, and a zero bucket."""
_ATOM_SHARE = 0.02
"""A number's value held by at least this share of rows (noisy) becomes an atom of its CDF."""
_BUCKET_Z = 5.0
"""A magnitude bucket counts as occupied when its noisy count exceeds this many sigmas."""
_ROWS_PER_CELL = 8.0
_MIN_CELLS = 4
_CELL_Z = 2.0
"""Cells of the final histogram whose noisy count is below this many sigmas count as empty (so
noise does not spread mass over the whole range)."""
_COARSE_Z = 3.0
"""The same for the coarse histogram, which only places the final one."""


def declared(column: Column) -> bool:
    """True when the user declared the column (its bounds and categories are free)."""
    return column.provenance in (Provenance.DECLARED, Provenance.DP)


def _declared_bounds(column: Column) -> bool:
    return declared(column) and column.minimum is not None and column.maximum is not None


def count_histograms(metadata: Metadata) -> int:
    """Histograms :func:`release` makes for ``metadata`` (each row adds one to one cell of each)."""
    total = 0
    for column in metadata:
        if column.kind in NUMERIC_KINDS:
            total += 2 if _declared_bounds(column) else 4
        else:
            total += 1
    return total


@dataclass(frozen=True)
class DpRelease:
    """The released metadata and marginals.

    Parameters
    ----------
    metadata : Metadata
        Column descriptions (provenance ``dp``): bounds, categories, missing shares.
    cdfs : dict
        Number column -> ``(edges, cdf)``: a piecewise-linear CDF of its present values,
        strictly increasing from 0 to 1 over ``edges``.
    probs : dict
        Category column -> probabilities of its categories among present values.
    sigma : float
        Noise standard deviation of every histogram cell.
    declared : tuple of str
        Columns whose bounds or categories were declared (not paid for).
    """

    metadata: Metadata
    cdfs: dict[str, tuple[F64, F64]]
    probs: dict[str, F64]
    sigma: float
    declared: tuple[str, ...] = ()


def release(
    data: pd.DataFrame,
    metadata: Metadata,
    *,
    noise_multiplier: float,
    delta_select: float,
    rare_category_k: int,
    bounds_quantile: float,
    steps_us: dict[str, int],
    rng: np.random.Generator,
) -> DpRelease:
    """Release the metadata of ``data`` under DP (see the module docstring).

    Parameters
    ----------
    data : DataFrame
        The training table.
    metadata : Metadata
        Its description; declared columns keep their bounds and categories.
    noise_multiplier : float
        Noise multiplier of the whole release (per-cell sigma over ``sqrt(H)``).
    delta_select : float
        Delta spent on releasing seen categories of undeclared category columns.
    rare_category_k : int
        No category is released with a noisy count below this.
    bounds_quantile : float
        The stored bounds are this noisy quantile and its complement.
    steps_us : dict
        Datetime resolutions by column (microseconds).
    rng : Generator
        Source of the noise.
    """
    n_rows = len(data)
    sigma = float(noise_multiplier) * math.sqrt(count_histograms(metadata))
    open_categories = sum(
        1
        for c in metadata
        if (c.kind in CATEGORY_KINDS and c.kind is not ColumnKind.BOOLEAN and not _known(c))
        or c.kind in NUMERIC_KINDS
    )
    z = float(special.ndtri(1.0 - delta_select / max(open_categories, 1)))
    threshold = max(float(rare_category_k), 1.0 + sigma * z)
    columns: list[Column] = []
    cdfs: dict[str, tuple[F64, F64]] = {}
    probs: dict[str, F64] = {}
    for column in metadata:
        series = data[column.name]
        if column.kind in NUMERIC_KINDS:
            values = numeric_values(series, column)
            step = steps_us.get(column.name)
            atom_floor = max(threshold, _ATOM_SHARE * n_rows)
            out, cdf = _numeric(column, values, sigma, atom_floor, bounds_quantile, step, rng)
            if cdf is not None:
                cdfs[column.name] = cdf
        elif column.kind in CATEGORY_KINDS:
            out, p = _categorical(column, series, sigma, threshold, rng)
            probs[column.name] = p
        else:
            out = column.replace(minimum=None, maximum=None, decimals=None, categories=None)
            missing = int(series.isna().sum())
            out = out.replace(missing_share=_share(missing, n_rows, sigma, rng))
        columns.append(out.replace(provenance=Provenance.DP))
    free = tuple(c.name for c in metadata if _declared_bounds(c) or _known(c))
    return DpRelease(Metadata(tuple(columns), metadata.primary_key), cdfs, probs, sigma, free)


def default_delta(n_rows: int) -> float:
    """The DP delta when none is given: ``1 / (10 n)``."""
    return 1.0 / (10.0 * n_rows)


def paid_release(
    data: pd.DataFrame,
    metadata: Metadata,
    *,
    epsilon: float,
    delta: float,
    fit_seed: int,
    stream: int,
    rare_category_k: int,
    bounds_quantile: float,
) -> tuple[DpRelease, float, dict[str, int]]:
    """The metadata release of a DP model, its noise multiplier and the datetime resolutions.

    The release gets the Gaussian noise that spends ``epsilon`` at ``delta / 2`` on its own (the
    caller composes it with the rest of training); the other ``delta / 2`` pays for releasing
    seen categories. The noise comes from child ``stream`` of ``fit_seed``.
    """
    from synthcraft.synthesizers import _dp

    noise = _dp.gaussian_noise_for(epsilon, delta / 2)
    rng = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(fit_seed, spawn_key=(stream,)))
    )
    steps = datetime_steps(data, metadata)
    out = release(
        data,
        metadata,
        noise_multiplier=noise,
        delta_select=delta / 2,
        rare_category_k=rare_category_k,
        bounds_quantile=bounds_quantile,
        steps_us=steps,
        rng=rng,
    )
    return out, noise, steps


def _known(column: Column) -> bool:
    return declared(column) and bool(column.categories)


def _share(count: int, n_rows: int, sigma: float, rng: np.random.Generator) -> float:
    noisy = count + sigma * rng.standard_normal()
    return float(np.clip(noisy / max(n_rows, 1), 0.0, 1.0))


def _noisy(counts: npt.NDArray[np.int64], sigma: float, rng: np.random.Generator) -> F64:
    return np.asarray(counts, dtype=np.float64) + sigma * rng.standard_normal(counts.size)


def _unit(column: Column, step_us: int | None) -> float:
    if column.kind is ColumnKind.INTEGER:
        return 1.0
    if column.kind is ColumnKind.FLOAT and column.decimals is not None:
        return float(10.0**-column.decimals)
    if column.kind is ColumnKind.DATETIME and step_us is not None:
        return step_us / 1e6
    return 0.0


def _numeric(
    column: Column,
    values: F64,
    sigma: float,
    atom_floor: float,
    q: float,
    step_us: int | None,
    rng: np.random.Generator,
) -> tuple[Column, tuple[F64, F64] | None]:
    present = values[np.isfinite(values)]
    n_rows = values.size
    atoms, masses = _atoms(present, sigma, atom_floor, rng)
    rest = present[~np.isin(present, atoms)]
    if _declared_bounds(column):
        lo, hi = float(column.minimum), float(column.maximum)  # type: ignore[arg-type]
        inside = (atoms >= lo) & (atoms <= hi)
        atoms, masses = atoms[inside], masses[inside]
    else:
        lo, hi = _magnitude_range(column.name, present, sigma, rng)
        coarse = _cells(rest.size, sigma, _COARSE_CELLS)
        edges, cdf = _histogram_cdf(rest, lo, hi, coarse, sigma, _COARSE_Z, rng)
        lo, hi = (float(v) for v in np.interp([_COARSE_QUANTILE, 1 - _COARSE_QUANTILE], cdf, edges))
        if atoms.size:
            lo, hi = min(lo, float(atoms[0])), max(hi, float(atoms[-1]))
    unit = _unit(column, step_us)
    if unit and hi - lo < unit:
        hi = lo + unit
    cells = _cells(rest.size, sigma, CELLS)
    if unit and (hi - lo) / unit + 1 <= cells:  # one cell per representable value
        lo, hi = round(lo / unit) * unit - unit / 2, round(hi / unit) * unit + unit / 2
        cells = max(1, round((hi - lo) / unit))
    edges, cdf = _histogram_cdf(rest, lo, hi, cells, sigma, _CELL_Z, rng)
    edges, cdf = _with_atoms(edges, cdf, rest.size, atoms, masses)
    missing = _share(n_rows - present.size, n_rows, sigma, rng)
    if _declared_bounds(column):
        out = column.replace(categories=None)
    else:
        lo_q, hi_q = (float(v) for v in np.interp([q, 1.0 - q], cdf, edges))
        middle = float(np.interp(0.5, cdf, edges))
        out = rounded_bounds(column.replace(categories=None), lo_q, hi_q, step_us, middle)
    return out.replace(missing_share=missing), (edges, cdf)


def _cells(n_rows: int, sigma: float, most: int) -> int:
    """Cells of a histogram: few enough that an average cell holds :data:`_ROWS_PER_CELL`
    noise standard deviations of rows, so the noise does not swamp the shape."""
    return int(np.clip(n_rows / (_ROWS_PER_CELL * max(sigma, 1e-9)), _MIN_CELLS, most))


def _atoms(present: F64, sigma: float, floor: float, rng: np.random.Generator) -> tuple[F64, F64]:
    """Values held by many rows (released like categories) and their noisy counts, sorted."""
    values, counts = np.unique(present, return_counts=True)
    noisy = _noisy(counts, sigma, rng)
    keep = noisy >= floor
    return values[keep], noisy[keep]


def _with_atoms(edges: F64, cdf: F64, n_rest: int, atoms: F64, masses: F64) -> tuple[F64, F64]:
    """The CDF of the histogram (``n_rest`` rows) with jumps of ``masses`` rows at ``atoms``."""
    if atoms.size == 0:
        return edges, cdf
    counts = cdf * max(n_rest, 1)
    points = np.concatenate([edges, atoms, atoms])
    below = np.interp(atoms, edges, counts)
    cum = np.cumsum(masses)
    level = np.concatenate([counts, below, below])
    order = np.argsort(points, kind="stable")
    # every point gets the atom mass at or below it: before the jump (first copy) or after
    steps = np.searchsorted(atoms, points, side="left")
    steps_after = np.searchsorted(atoms, points, side="right")
    held = np.where(np.arange(points.size) >= edges.size + atoms.size, steps_after, steps)
    extra = np.concatenate([[0.0], cum])[held]
    total = level + extra
    points, total = points[order], total[order]
    total = np.maximum.accumulate(total) + np.arange(points.size) * 1e-9 * total.max()
    return points, total / total[-1]


def _magnitude_range(
    name: str, present: F64, sigma: float, rng: np.random.Generator
) -> tuple[float, float]:
    """A coarse ``[lo, hi]`` from a noisy histogram of signed powers of two."""
    ks = np.arange(_K_MIN, _K_MAX + 1)
    size = ks.size
    # cells: negative buckets from the largest magnitude down, zero, positive buckets upwards
    index = np.full(present.size, size, dtype=np.int64)  # the zero bucket
    magnitude = np.abs(present)
    big = magnitude >= 2.0**_K_MIN
    k = np.clip(np.floor(np.log2(magnitude[big])), _K_MIN, _K_MAX).astype(np.int64) - _K_MIN
    index[big] = np.where(present[big] > 0, size + 1 + k, size - 1 - k)
    noisy = _noisy(np.bincount(index, minlength=2 * size + 1), sigma, rng)
    occupied = np.flatnonzero(noisy > _BUCKET_Z * sigma)
    if occupied.size == 0:
        raise DataError(
            f"column {name!r}: too few rows to learn its range privately at this epsilon; "
            "declare its minimum and maximum in the metadata (provenance: declared) or raise "
            "epsilon"
        )
    lows = np.concatenate([-(2.0 ** (ks[::-1] + 1)), [-(2.0**_K_MIN)], 2.0**ks])
    highs = np.concatenate([-(2.0 ** ks[::-1]), [2.0**_K_MIN], 2.0 ** (ks + 1)])
    return float(lows[occupied[0]]), float(highs[occupied[-1]])


def _histogram_cdf(
    present: F64,
    lo: float,
    hi: float,
    cells: int,
    sigma: float,
    floor_z: float,
    rng: np.random.Generator,
) -> tuple[F64, F64]:
    """A strictly increasing piecewise-linear CDF from a noisy histogram on ``[lo, hi]``."""
    edges = np.linspace(lo, hi, cells + 1)
    index = np.clip(((present - lo) / (hi - lo) * cells).astype(np.int64), 0, cells - 1)
    noisy = _noisy(np.bincount(index, minlength=cells), sigma, rng)
    noisy[noisy < floor_z * sigma] = 0.0
    noisy += 1e-6 * max(float(noisy.sum()), 1.0) / cells  # strictly increasing
    cdf = np.concatenate([[0.0], np.cumsum(noisy)])
    return edges, cdf / cdf[-1]


def _categorical(
    column: Column,
    series: pd.Series,
    sigma: float,
    threshold: float,
    rng: np.random.Generator,
) -> tuple[Column, F64]:
    column = column.replace(minimum=None, maximum=None, decimals=None)
    present = series.dropna()
    missing = _share(len(series) - len(present), len(series), sigma, rng)
    if column.kind is ColumnKind.BOOLEAN and not column.categories:
        column = column.replace(categories=(False, True))
    if column.kind is ColumnKind.BOOLEAN or _known(column):
        codes = ColumnCodec(column).encode(present)
        counts = np.bincount(codes[codes >= 0], minlength=len(column.categories or ()))
        noisy = np.maximum(_noisy(counts, sigma, rng), 0.0)
        kept: tuple[Scalar, ...] = tuple(column.categories or ())
    else:
        tally = present.value_counts(sort=True)
        values = [category_scalar(v) for v in tally.index]
        all_noisy = _noisy(np.asarray(tally.to_numpy(), dtype=np.int64), sigma, rng)
        keep = all_noisy >= threshold
        if not keep.any() and len(present):
            raise DataError(
                f"column {column.name!r}: no category is frequent enough to release privately "
                "at this epsilon; declare its categories in the metadata (provenance: "
                "declared), raise epsilon, or drop the column"
            )
        order = np.argsort(-all_noisy[keep], kind="stable")
        kept = tuple(values[i] for i in np.flatnonzero(keep)[order])
        noisy = all_noisy[keep][order]
    total = float(noisy.sum())
    probs = noisy / total if total > 0 else np.full(noisy.size, 1.0 / max(noisy.size, 1))
    return column.replace(categories=kept, missing_share=missing), probs


def cdf_positions(points: F64, cdf: F64, x: F64, rng: np.random.Generator) -> F64:
    """CDF values of ``x`` (clipped to the range); a value on an atom gets a uniform point of
    its jump, so the atom's mass spreads over every bin it spans."""
    x = np.clip(x, points[0], points[-1])
    left = np.searchsorted(points, x, side="left")
    right = np.searchsorted(points, x, side="right")
    on_point = right > left
    hi_idx = np.clip(left, 1, points.size - 1)
    lo_idx = hi_idx - 1
    span = points[hi_idx] - points[lo_idx]
    frac = np.where(span > 0, (x - points[lo_idx]) / np.where(span > 0, span, 1.0), 0.0)
    u = cdf[lo_idx] + frac * (cdf[hi_idx] - cdf[lo_idx])
    first = cdf[np.minimum(left, points.size - 1)]
    last = cdf[np.maximum(right - 1, 0)]
    jump = first + rng.random(x.size) * (last - first)
    return np.asarray(np.where(on_point, jump, u), dtype=np.float64)
