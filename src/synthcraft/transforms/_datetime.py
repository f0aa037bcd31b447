"""Datetimes: scaled time since the epoch, exact to the tick, time zone kept."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from synthcraft.errors import DataError
from synthcraft.metadata import Column
from synthcraft.transforms._base import (
    Encoder,
    check_finite,
    missing_from,
    power_of_two_exponent,
    restore_dtype,
)

__all__ = ["DatetimeEncoder"]

_TICKS_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_EXACT = 2**53
_NAT = np.iinfo(np.int64).min


class DatetimeEncoder(Encoder, registry_name="datetime"):
    """Encode datetimes as ``(t - center) / (step * 2**exponent)``, plus a missing indicator.

    ``t`` is time since the Unix epoch (UTC for time-zone-aware columns) in ticks of the
    column's unit; ``step`` is the coarsest resolution every fitted value has (a tick, a power of
    ten of ticks up to a second, a minute, an hour or a day), so dates decode as dates. The
    center is a whole number of steps and the scale a power of two, so the round trip restores
    every value exactly, with its unit and time zone, when it lies within 2**53 steps of the
    center. Missing values become the mean (0 after scaling) and 1 in ``<name>.missing``, a
    column that exists when the fit data had missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> s = pd.Series(pd.to_datetime(["2024-01-01", None]), name="d").astype("datetime64[us]")
    >>> enc = DatetimeEncoder().fit(s, Column("d", ColumnKind.DATETIME, "datetime64[us]"))
    >>> enc.inverse_transform(enc.transform(s)).equals(s)
    True
    """

    _learned: ClassVar[dict[str, type | tuple[type, ...]]] = {
        "step_": int,
        "center_": int,
        "exponent_": int,
        "fill_": (int, float),
    }

    step_: int
    center_: int
    exponent_: int
    fill_: float

    def __init__(self) -> None:
        pass

    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        ticks = _ticks(series, column.name)[~missing]
        unit = _unit(series.dtype)
        self.step_ = _detect_step(ticks, _TICKS_PER_SECOND[unit])
        steps = ticks // self.step_
        mean = float(steps.mean()) if steps.size else 0.0
        self.center_ = round(mean)
        self.exponent_ = power_of_two_exponent(float(steps.std())) if steps.size else 0
        self.fill_ = float(np.ldexp(mean - self.center_, -self.exponent_))
        self._offsets(ticks, column.name)

    def _offsets(self, ticks: np.ndarray, name: str) -> np.ndarray:
        steps = ticks // self.step_
        big = steps.size and (
            float(steps.max()) - self.center_ > _EXACT or self.center_ - float(steps.min()) > _EXACT
        )
        if big:
            raise DataError(
                f"column {name!r} spans more than 2**53 steps of {self.step_} ticks, which "
                "float64 cannot hold exactly; use a coarser datetime unit such as 'us'"
            )
        if (ticks % self.step_).any():
            raise DataError(
                f"column {name!r} has times finer than the {self.step_}-tick resolution seen "
                "when the encoder was fitted; refit on data with that resolution"
            )
        return steps - np.int64(self.center_)

    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        ticks = _ticks(series, self.column_.name)
        if str(series.dtype) != self.dtype_:
            raise DataError(
                f"column {self.column_.name!r} has dtype {series.dtype}, but the encoder was "
                f"fitted on {self.dtype_}; convert the column or refit"
            )
        ticks = np.where(missing, np.int64(self.center_) * np.int64(self.step_), ticks)
        value = self._offsets(ticks, self.column_.name).astype(np.float64)
        value = np.ldexp(value, -self.exponent_)
        value[missing] = self.fill_
        if not self.has_missing_:
            return value[:, None]
        return np.column_stack([value, missing.astype(np.float64)])

    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        scaled, missing = missing_from(array, self.has_missing_)
        check_finite(scaled, missing, self.column_.name)
        offsets = np.rint(np.ldexp(np.where(missing, 0.0, scaled), self.exponent_))
        limit = float(np.iinfo(np.int64).max) / self.step_ / 2
        if _steps_out_of_range(offsets, self.center_, limit):
            raise DataError(
                f"column {self.column_.name!r}: decoded datetimes are out of range; check the "
                "model output"
            )
        steps = offsets.astype(np.int64) + np.int64(self.center_)
        ticks = steps * np.int64(self.step_)
        ticks[missing] = _NAT
        dtype = pd.api.types.pandas_dtype(self.dtype_)
        naive = pd.Series(ticks.view(f"M8[{_unit(dtype)}]"))
        tz = getattr(dtype, "tz", None)
        if tz is not None:
            naive = naive.dt.tz_localize("UTC").dt.tz_convert(tz)
        return restore_dtype(naive, self.dtype_, self.column_.name)

    def _output_names(self) -> list[str]:
        name = self.column_.name
        return [name, f"{name}.missing"] if self.has_missing_ else [name]


def _ticks(series: pd.Series, name: str) -> np.ndarray:
    """Ticks since the epoch (UTC) in the column's unit; NaT gives the int64 minimum."""
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        raise DataError(
            f"column {name!r} has dtype {series.dtype}, not datetimes; parse it with "
            "pandas.to_datetime or declare its kind to match its values"
        )
    return np.asarray(series.array.asi8, dtype=np.int64)  # type: ignore[attr-defined]


def _steps_out_of_range(offsets: np.ndarray, center: int, limit: float) -> bool:
    """Whether ``center + offsets`` (in steps) could overflow int64 ticks."""
    return bool(offsets.size) and float(np.abs(offsets).max()) + abs(center) >= limit


def _unit(dtype: object) -> str:
    """The time unit (``"s"``, ``"ms"``, ``"us"`` or ``"ns"``) of a datetime dtype."""
    if isinstance(dtype, pd.DatetimeTZDtype):
        return str(dtype.unit)
    return str(np.datetime_data(dtype)[0])  # type: ignore[arg-type]


def _detect_step(ticks: np.ndarray, per_second: int) -> int:
    """The coarsest of 1, 10, ... ticks, a second, minute, hour or day that divides every tick."""
    candidates = [10**k for k in range(len(str(per_second)))]
    candidates += [60 * per_second, 3600 * per_second, 86400 * per_second]
    best = 1
    for step in candidates:
        if ticks.size and (ticks % step).any():
            break
        best = step
    return best
