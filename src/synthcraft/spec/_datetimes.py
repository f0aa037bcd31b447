"""Datetime columns of a spec, and the dtype conversions at the edges of a block.

Block values are working arrays (see :mod:`._columns`); :func:`to_pandas` turns them into the
canonical pandas dtypes (``Int64``, ``float64``, ``boolean``, ``str``, ``datetime64[us]`` with
its zone), :func:`from_condition` reads condition columns into them (time zones included).

Instants are drawn as naive wall-clock times (microseconds) in ``[start, end]``:

- plain: uniform in the range, or ``start`` plus an offset in days from ``distribution``
  (truncated to the range);
- with ``weekdays`` and/or ``hours`` weights: the range is cut into cells (days, or hours when
  hour weights are given); a cell's probability is its share of the offset distribution (its
  length for a uniform range) times its weekday and hour weight; a cell is chosen with ``u`` and
  the instant placed inside it with the rest of ``u`` (so one uniform gives one instant, which
  keeps copula correlations monotone).

Then instants are floored to ``unit`` (``"D"``: midnight) and kept in range. With a ``timezone``
the wall-clock times are read as local times there: a time that does not exist (spring DST gap)
is shifted forward to the first valid instant, and an ambiguous one (autumn) takes the earlier
(summer-time) instant.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from synthcraft._types import Conditions
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec._columns import (
    BlockState,
    Drawer,
    FloatArray,
    IntArray,
    Key,
    coerce,
    stream,
    strings,
)
from synthcraft.spec._copula import Quantile
from synthcraft.spec._model import DatetimeGen, Dtype

__all__ = [
    "DatetimeDrawer",
    "blank",
    "condition_columns",
    "from_condition",
    "from_wall",
    "merge",
    "pandas_dtype",
    "to_pandas",
    "to_wall",
]

_HOUR = 3_600_000_000
_DAY = 24 * _HOUR
_UNITS = {"D": _DAY, "s": 1_000_000, "ms": 1_000, "us": 1}
_MAX_CELLS = 5_000_000
_EPOCH = pd.Timestamp("1970-01-01")


def _wall_us(moment: datetime, tz: str | None) -> int:
    """Microseconds since 1970 of the wall-clock time of ``moment`` (in ``tz`` when aware)."""
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(tz or "UTC").tz_localize(None)
    return int((stamp - _EPOCH) // pd.Timedelta(microseconds=1))


class DatetimeDrawer(Drawer):
    """Instants of a :class:`~synthcraft.spec._model.DatetimeGen` (see the module docstring)."""

    dtype: Dtype = "datetime"

    def __init__(self, gen: DatetimeGen, *, path: str) -> None:
        self.gen, self.tz = gen, gen.timezone
        self.unit = _UNITS[gen.unit]
        self.start = _wall_us(gen.start, gen.timezone)
        self.end = _wall_us(gen.end, gen.timezone)
        self.lo = -(-self.start // self.unit) * self.unit
        self.hi = self.end // self.unit * self.unit
        if self.lo > self.hi:
            raise SpecError(
                [f"{path}: no {gen.unit!r} instant lies between start and end; widen the range"]
            )
        span = (self.end - self.start) / _DAY
        self.offset = None
        if gen.distribution is not None:
            self.offset = Quantile(gen.distribution, 0.0, span, path=f"{path}.distribution")
        self.cells: tuple[FloatArray, FloatArray, FloatArray, FloatArray] | None = None
        if gen.unit == "D" or gen.weekdays is not None or gen.hours is not None:
            self.cells = self._cells(path)

    def _share(self, t: FloatArray) -> FloatArray:
        """Probability of an offset below wall time ``t`` (the range's CDF)."""
        days = (np.clip(t, self.start, self.end) - self.start) / _DAY
        if self.offset is None:
            span = max(self.end - self.start, 1) / _DAY
            share: FloatArray = days / span
            return share
        q = self.offset
        if q.upper:
            share = (q.a - q.frozen.sf(days)) / q.mass
        else:
            below = q.frozen.cdf(np.ceil(days) - 1) if q.discrete else q.frozen.cdf(days)
            share = (below - q.a) / q.mass
        return np.clip(share, 0.0, 1.0)

    def _cells(self, path: str) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        gen = self.gen
        size = _DAY if gen.unit == "D" or gen.hours is None else _HOUR
        first = self.lo if gen.unit == "D" else self.start // size * size
        count = (self.hi - first) // size + 1 if gen.unit == "D" else -(-(self.end - first) // size)
        if count > _MAX_CELLS:
            raise SpecError(
                [
                    f"{path}: the range holds {count:,} weekday/hour cells (at most "
                    f"{_MAX_CELLS:,}); shorten the range or drop the hour weights"
                ]
            )
        edges = first + size * np.arange(max(count, 1), dtype=np.float64)
        lo = np.maximum(edges, self.start)
        hi = np.minimum(edges + size, self.end)
        if gen.unit == "D":
            lo, hi = edges, np.minimum(edges + _DAY, self.end + 1)
        mass = np.maximum(self._share(hi) - self._share(lo), 0.0)
        if self.offset is None and gen.unit == "D":
            mass = np.ones_like(edges)
        if gen.weekdays is not None:
            mass = (
                mass
                * np.asarray(gen.weekdays, dtype=np.float64)[
                    ((edges // _DAY + 3) % 7).astype(np.intp)
                ]
            )
        if gen.hours is not None and size == _HOUR:
            mass = (
                mass
                * np.asarray(gen.hours, dtype=np.float64)[(edges % _DAY // _HOUR).astype(np.intp)]
            )
        total = mass.sum()
        if not total > 0:
            raise SpecError(
                [
                    f"{path}: no day/hour in the range has a positive weight; widen the range or "
                    "change the weekday/hour weights"
                ]
            )
        cum = np.cumsum(mass / total)
        cum[-1] = 1.0
        return lo, hi, cum, mass / total

    def draw(
        self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None
    ) -> npt.NDArray[np.datetime64]:
        if u is None:
            u = stream(state.seed, *key).random(state.n if rows is None else len(rows))
        if self.cells is not None:
            lo, hi, cum, mass = self.cells
            k = np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
            before = cum[k] - mass[k]
            frac = np.clip((u - before) / np.where(mass[k] > 0, mass[k], 1.0), 0.0, 1.0)
            t = lo[k] if self.gen.unit == "D" else lo[k] + frac * (hi[k] - lo[k])
        elif self.offset is not None:
            t = self.start + self.offset(u) * _DAY
        else:
            t = self.start + u * (self.end - self.start)
        whole = np.floor(t / self.unit).astype(np.int64) * self.unit
        out: npt.NDArray[np.datetime64] = np.clip(whole, self.lo, self.hi).astype("datetime64[us]")
        return out

    def to_uniform(self, values: Any, rng: np.random.Generator) -> FloatArray:
        """Uniforms that give the (wall-clock) times ``values``; NaN for missing ones."""
        times = np.asarray(values, dtype="datetime64[us]")
        t = times.astype(np.int64).astype(np.float64)
        missing = np.isnat(times)
        if self.cells is not None:
            lo, hi, cum, mass = self.cells
            k = np.clip(np.searchsorted(lo, t, side="right") - 1, 0, len(lo) - 1)
            if self.gen.unit == "D":
                frac = rng.random(len(t))
            else:
                frac = np.clip((t - lo[k]) / np.maximum(hi[k] - lo[k], 1.0), 0.0, 1.0)
            u = cum[k] - mass[k] + frac * mass[k]
        elif self.offset is not None:
            u = self.offset.to_uniform((t - self.start) / _DAY, rng)
        else:
            u = (t - self.start) / max(self.end - self.start, 1)
        return np.where(missing, np.nan, np.clip(u, 0.0, 1.0))


# -- pandas at the edges of a block -------------------------------------------------------

_PANDAS = {
    "integer": "Int64",
    "float": "float64",
    "boolean": "boolean",
    "categorical": "str",
    "string": "str",
    "datetime": "datetime64[us]",
}
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def pandas_dtype(dtype: Dtype, tz: str | None = None) -> str:
    """The canonical pandas dtype name of a spec dtype (``"datetime64[us, tz]"`` when zoned)."""
    if dtype == "datetime" and tz:
        return f"datetime64[us, {tz}]"
    return _PANDAS[dtype]


def to_pandas(values: Any, dtype: Dtype, tz: str | None) -> Any:
    """A working array (or a model's Series) as a pandas array of the canonical dtype."""
    if isinstance(values, pd.Series):
        if dtype == "integer" and values.dtype.kind == "f":  # a model's floats, declared integer
            values = values.round()
        try:
            cast = values.reset_index(drop=True).astype(pandas_dtype(dtype, tz))  # type: ignore[call-overload]
            return cast.array
        except (TypeError, ValueError, OverflowError):
            return values.reset_index(drop=True).array
    if dtype in ("categorical", "string"):
        return strings(values).to_pandas(types_mapper=lambda _: _STR).array
    if dtype == "datetime":
        return from_wall(values, tz)
    arr = np.asarray(values)
    if dtype == "float":
        return arr.astype(np.float64, copy=False)
    mask = np.isnan(arr) if arr.dtype.kind == "f" else np.zeros(len(arr), dtype=bool)
    if dtype == "boolean":
        return pd.arrays.BooleanArray(
            arr > 0.5 if arr.dtype.kind == "f" else arr.astype(bool), mask
        )
    ints = np.where(mask, 0, arr).astype(np.int64) if mask.any() else arr.astype(np.int64)
    return pd.arrays.IntegerArray(ints, mask)


def from_condition(series: pd.Series, dtype: Dtype, tz: str | None, name: str) -> Any:
    """Condition values in the working form of ``dtype``; missing cells stay missing."""
    if dtype in ("categorical", "string"):
        return strings(series.astype("str").to_numpy(dtype=object, na_value=None))  # type: ignore[call-overload]
    if dtype == "datetime":
        return to_wall(series, tz)
    numbers = pd.to_numeric(series.astype(object), errors="coerce").astype(np.float64)
    bad = numbers.isna().to_numpy() & ~series.isna().to_numpy()
    if bad.any():
        example = series[bad].iloc[0]
        raise UserInputError(
            f"condition for column {name!r} holds {example!r}, which cannot be read as "
            f"{dtype}; give {dtype} values"
        )
    return numbers.to_numpy(np.float64)


def merge(drawn: Any, fixed: Any, given: np.ndarray, dtype: Dtype) -> Any:
    """``fixed`` where ``given``, else ``drawn`` (working arrays of ``dtype``)."""
    if dtype in ("categorical", "string"):
        return pc.if_else(pa.array(given), strings(fixed), strings(drawn))
    if dtype == "datetime":
        return np.where(given, fixed, np.asarray(drawn, dtype="datetime64[us]"))
    return np.where(given, fixed, coerce(drawn, "float"))


def blank(values: Any, hole: np.ndarray, dtype: Dtype) -> Any:
    """``values`` with the ``hole`` rows missing."""
    if dtype in ("categorical", "string"):
        arr = strings(values)
        return pc.if_else(pa.array(hole), pa.scalar(None, pa.large_string()), arr)
    if dtype == "datetime":
        return np.where(hole, np.datetime64("NaT"), np.asarray(values, dtype="datetime64[us]"))
    return np.where(hole, np.nan, coerce(values, "float"))


def to_wall(values: Any, tz: str | None) -> npt.NDArray[np.datetime64]:
    """Times (any pandas-readable values) as naive wall-clock ``datetime64[us]`` in ``tz``."""
    stamps = pd.to_datetime(pd.Series(values).reset_index(drop=True))
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert(tz or "UTC").dt.tz_localize(None)
    out: npt.NDArray[np.datetime64] = stamps.to_numpy("datetime64[us]")
    return out


def from_wall(values: npt.NDArray[np.datetime64], tz: str | None) -> Any:
    """Wall-clock ``datetime64[us]`` as a pandas datetime array, localised to ``tz`` if given.

    Nonexistent local times move forward to the next valid instant; ambiguous ones take the
    earlier (daylight-saving) instant.
    """
    index = pd.DatetimeIndex(np.asarray(values, dtype="datetime64[us]"))
    if tz is None:
        return index.array
    zoned = index.tz_localize(
        tz, ambiguous=np.ones(len(index), dtype=bool), nonexistent="shift_forward"
    )
    return zoned.as_unit("us").array


def condition_columns(conditions: Conditions, n: int) -> dict[str, pd.Series]:
    """``conditions`` (a mapping of fixed values or a DataFrame of ``n`` rows) as Series."""
    if conditions is None:
        return {}
    if isinstance(conditions, pd.DataFrame):
        if len(conditions) != n:
            raise UserInputError(
                f"conditions have {len(conditions)} rows but {n} rows were asked for; give "
                "one row of conditions per output row, or a mapping of fixed values"
            )
        return {str(c): conditions[c].reset_index(drop=True) for c in conditions.columns}
    if not isinstance(conditions, Mapping):
        raise UserInputError(
            "conditions must be a mapping of fixed values or a DataFrame, got "
            f"{type(conditions).__name__}"
        )
    for name, value in conditions.items():
        if pd.api.types.is_list_like(value):
            raise UserInputError(
                f"condition for {name!r} must be one value, got {value!r}; use a DataFrame for "
                "different values per row"
            )
    return {str(k): pd.Series([v] * n, dtype=object) for k, v in conditions.items()}
