"""Token encoding of the ``argn`` model: every modelled column becomes one token sub-column.

* Categories and booleans: one token per stored category, plus a missing token when the
  training column had missing values. Values of pooled rare categories are resampled from the
  kept categories by frequency, so rare values never reach the model.
* Numbers and datetimes: the index of an equal-probability quantile bin of the column's
  empirical CDF (``bins`` bins), plus a missing token. Training values are placed by their
  empirical CDF with random tie-breaking (an atom spanning several bins is shared among them);
  sampling draws a uniform position inside the bin and maps it through the smoothed empirical
  inverse CDF (:func:`synthcraft.synthesizers._marginals.empirical_table`, clipped to the
  privatised bounds), so values are not stuck on bin edges and no stored value is a single
  training value. The codec then rounds (whole numbers, decimals, datetime resolution).
* Numbers with at most ``bins`` distinct values (counts, codes, ratings): one token per value
  seen in at least ``k`` rows (a level); values of rarer ones go to the nearest level, so a
  token fixes the value exactly and no rare value is stored.

Pure numpy; no torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

from synthcraft.synthesizers._dp_release import DpRelease, cdf_positions
from synthcraft.synthesizers._encoding import MISSING, POOLED, ColumnCodec
from synthcraft.synthesizers._marginals import (
    U_GRID,
    Z_MAX,
    category_probs,
    empirical_table,
    lookup,
    score_interval,
)

__all__ = ["TokenColumn", "dp_token_column", "fit_token_column"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TokenColumn:
    """How one modelled column maps to tokens.

    Parameters
    ----------
    name : str
        Column name.
    numeric : bool
        True for numbers and datetimes (bin tokens), False for categories.
    n_tokens : int
        Token count, the missing token included.
    missing : int
        The missing token, or -1 when the column had no missing values.
    bins : int
        Quantile bins (or levels) of a numeric column (0 for categories and all-missing ones).
    table : ndarray
        Smoothed inverse CDF at ``U_GRID`` of a binned numeric column, the sorted levels of a
        discrete one, empty otherwise.
    discrete : bool
        True when the tokens are levels (``table`` holds their values).
    """

    name: str
    numeric: bool
    n_tokens: int
    missing: int
    bins: int
    table: F64
    discrete: bool = False

    def to_state(self) -> dict[str, Any]:
        """JSON-ready description (the table is stored as an array)."""
        return {
            "name": self.name,
            "numeric": self.numeric,
            "n_tokens": self.n_tokens,
            "missing": self.missing,
            "bins": self.bins,
            "discrete": self.discrete,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], table: F64) -> TokenColumn:
        """Rebuild from :meth:`to_state` and the stored table; checks consistency."""
        column = cls(
            name=str(state["name"]),
            numeric=bool(state["numeric"]),
            n_tokens=int(state["n_tokens"]),
            missing=int(state["missing"]),
            bins=int(state["bins"]),
            table=np.asarray(table, dtype=np.float64),
            discrete=bool(state.get("discrete", False)),
        )
        expected = column.bins + (1 if column.missing >= 0 else 0)
        ok = column.n_tokens >= 1 and column.missing < column.n_tokens
        if column.numeric:
            ok = ok and column.n_tokens == expected
            size = column.bins if column.discrete else U_GRID.size
            ok = ok and (column.bins == 0 or column.table.size == size)
        if not ok:
            raise ValueError(f"the argn token state of column {column.name!r} is inconsistent")
        return column

    # -- encode --------------------------------------------------------------------------------

    def tokens(self, values: npt.NDArray[Any], rng: np.random.Generator) -> I64:
        """Training tokens of encoded ``values`` (codes or float64)."""
        if self.numeric:
            return self._numeric_tokens(np.asarray(values, dtype=np.float64), rng)
        return np.asarray(values, dtype=np.int64).copy()  # resolved in fit_token_column

    def _numeric_tokens(self, values: F64, rng: np.random.Generator) -> I64:
        out = np.full(values.size, max(self.missing, 0), dtype=np.int64)
        seen = ~np.isnan(values)
        if self.bins == 0 or not seen.any():
            return out
        if self.discrete:
            out[seen] = self._nearest(values[seen])
            return out
        x = np.clip(values[seen], self.table[0], self.table[-1])
        ordered = np.sort(x)
        left = np.searchsorted(ordered, x, side="left")
        right = np.searchsorted(ordered, x, side="right")
        u = (left + rng.random(x.size) * (right - left)) / ordered.size
        out[seen] = np.minimum((u * self.bins).astype(np.int64), self.bins - 1)
        return out

    def condition_tokens(self, values: npt.NDArray[Any], draws: F64, half: float) -> I64:
        """Tokens that produce the condition ``values`` (codes, or numbers with ``half`` step).

        A number is given the bin of a point drawn (``draws``, uniforms) from the CDF interval
        its value covers, so an atom spanning several bins is spread among them.
        """
        if not self.numeric:
            return np.asarray(values, dtype=np.int64)
        if self.bins == 0:
            return np.full(np.shape(values), max(self.missing, 0), dtype=np.int64)
        x = np.asarray(values, dtype=np.float64)
        if self.discrete:
            return self._nearest(x)
        z_lo, z_hi = score_interval(self.table, x - half, x + half)
        p_lo = special.ndtr(np.clip(z_lo, -Z_MAX, Z_MAX))
        p_hi = special.ndtr(np.clip(z_hi, -Z_MAX, Z_MAX))
        u = p_lo + draws * (p_hi - p_lo)
        bins = np.floor(u * self.bins).astype(np.int64)
        return np.asarray(np.clip(bins, 0, self.bins - 1), dtype=np.int64)

    def _nearest(self, x: F64) -> I64:
        """The level nearest to each value (levels are sorted)."""
        right = np.clip(np.searchsorted(self.table, x), 1, max(self.table.size - 1, 1))
        left = right - 1
        if self.table.size == 1:
            return np.zeros(x.size, dtype=np.int64)
        pick = np.where(np.abs(x - self.table[left]) <= np.abs(self.table[right] - x), left, right)
        return np.asarray(pick, dtype=np.int64)

    # -- decode --------------------------------------------------------------------------------

    def values(self, tokens: I64, positions: F64) -> npt.NDArray[Any]:
        """Encoded values (codes or float64) of ``tokens``; ``positions`` are uniforms in bins."""
        absent = tokens == self.missing
        if not self.numeric:
            codes = tokens.astype(np.int64)
            codes[absent] = MISSING
            return codes
        out = np.full(tokens.size, np.nan)
        if self.bins == 0:
            return out
        keep = ~absent
        if self.discrete:
            out[keep] = self.table[tokens[keep]]
            return out
        u = (tokens[keep] + positions[keep]) / self.bins
        z = special.ndtri(np.clip(u, U_GRID[0], U_GRID[-1]))
        out[keep] = lookup(np.asarray(z, dtype=np.float64), self.table)
        return out


def fit_token_column(
    codec: ColumnCodec,
    values: npt.NDArray[Any],
    *,
    bins: int,
    k: int,
    rng: np.random.Generator,
) -> tuple[TokenColumn, I64]:
    """The token encoding of one column and its training tokens.

    Parameters
    ----------
    codec : ColumnCodec
        The column's codec (privatised bounds and categories).
    values : ndarray
        Its encoded training values (float64 numbers or int64 codes).
    bins : int
        Quantile bins of a numeric column (fewer for columns with few distinct values).
    k : int
        Smoothing window of the inverse CDF (the rare-category threshold).
    rng : Generator
        Tie-breaking and resampling of pooled categories.
    """
    if codec.numeric:
        seen = ~np.isnan(values)
        has_missing = bool((~seen).any())
        bounds = codec.bounds
        if not seen.any() or bounds is None:
            column = TokenColumn(codec.name, True, 1, 0, 0, np.zeros(0))
            return column, np.zeros(values.size, dtype=np.int64)
        lo, hi = bounds
        levels, counts = np.unique(np.clip(values[seen], lo, hi), return_counts=True)
        if levels.size <= bins and (counts >= k).any():
            kept = np.asarray(levels[counts >= k], dtype=np.float64)
            n_kept = int(kept.size)
            column = TokenColumn(
                codec.name,
                True,
                n_kept + int(has_missing),
                n_kept if has_missing else -1,
                n_kept,
                kept,
                discrete=True,
            )
            return column, column.tokens(values, rng)
        table = empirical_table(values[seen], lo, hi, k)
        width = int(max(1, min(bins, levels.size)))
        column = TokenColumn(
            codec.name, True, width + int(has_missing), width if has_missing else -1, width, table
        )
        return column, column.tokens(values, rng)
    codes = np.asarray(values, dtype=np.int64).copy()
    size = len(codec.categories)
    pooled = codes == POOLED
    if pooled.any() and size:
        probs = category_probs(codes, size)
        codes[pooled] = rng.choice(size, int(pooled.sum()), p=probs)
    absent = codes < 0
    has_missing = bool(absent.any()) or size == 0
    codes[absent] = size
    column = TokenColumn(
        codec.name, False, size + int(has_missing), size if has_missing else -1, 0, np.zeros(0)
    )
    return column, codes


def dp_token_column(
    codec: ColumnCodec,
    values: npt.NDArray[Any],
    release: DpRelease,
    *,
    bins: int,
    rng: np.random.Generator,
) -> tuple[TokenColumn, I64, F64]:
    """Under DP: the token encoding from the released metadata, training tokens and prior.

    Nothing here looks at the data except to map each row to its token by released quantities
    (bins at quantiles of the released CDF, pooled or unreleased categories resampled from the
    released frequencies), which DP-SGD then pays for. The prior (token probabilities from the
    release) starts the network's output biases.
    """
    missing_share = float(codec.column.missing_share)
    has_missing = missing_share > 0.0
    if codec.numeric:
        cdf = release.cdfs.get(codec.name)
        bounds = codec.bounds
        if cdf is None or bounds is None:
            column = TokenColumn(codec.name, True, 1, 0, 0, np.zeros(0))
            return column, np.zeros(values.size, dtype=np.int64), np.ones(1)
        points, probs = cdf
        table = np.clip(np.interp(U_GRID, probs, points), bounds[0], bounds[1])
        table = np.maximum.accumulate(table)
        width = int(max(1, bins))
        column = TokenColumn(
            codec.name, True, width + int(has_missing), width if has_missing else -1, width, table
        )
        seen = ~np.isnan(values)
        u = cdf_positions(points, probs, values[seen], rng)
        tokens = np.full(values.size, max(column.missing, 0), dtype=np.int64)
        if not has_missing:  # the release saw no missing values: give them a drawn bin
            tokens[~seen] = rng.integers(0, width, int((~seen).sum()))
        tokens[seen] = np.minimum((u * width).astype(np.int64), width - 1)
        prior = np.full(width, (1.0 - missing_share) / width)
        return column, tokens, _with_missing(prior, missing_share, has_missing)
    size = len(codec.categories)
    probs = np.asarray(release.probs.get(codec.name, np.ones(size) / max(size, 1)))
    codes = np.asarray(values, dtype=np.int64).copy()
    unknown = (codes == POOLED) | ((codes == MISSING) & (not has_missing))
    if unknown.any() and size:
        codes[unknown] = rng.choice(size, int(unknown.sum()), p=probs / probs.sum())
    codes[codes < 0] = size
    with_missing = has_missing or size == 0
    column = TokenColumn(
        codec.name, False, size + int(with_missing), size if with_missing else -1, 0, np.zeros(0)
    )
    prior = probs * (1.0 - missing_share)
    return column, codes, _with_missing(prior, missing_share, with_missing)


def _with_missing(prior: F64, share: float, has_missing: bool) -> F64:
    return np.concatenate([prior, [share]]) if has_missing else prior
