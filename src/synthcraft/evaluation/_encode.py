"""Array views of frames for the fidelity metrics: numbers as floats, categories as shared codes.

Frames compared with each other are encoded together, so a category has the same code in every
frame. Numbers (integers, floats, datetimes as seconds since the epoch) become float columns with
NaN for missing (infinities count as missing); categories and booleans become int64 codes with -1
for missing. Ids, PII and free text are left out of every fidelity metric.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.errors import DataError, UserInputError
from synthcraft.evaluation._features import datetime_seconds
from synthcraft.metadata import ColumnKind, Metadata

__all__ = ["Encoded", "Schema", "check_frame", "encode_frames", "evaluable_columns"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]

NUMERIC_KINDS = (ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.DATETIME)
CATEGORICAL_KINDS = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)


def evaluable_columns(metadata: Metadata) -> list[str]:
    """Names of the columns the fidelity metrics compare (not ids, PII or free text)."""
    return [c.name for c in metadata if c.kind in NUMERIC_KINDS + CATEGORICAL_KINDS]


def check_frame(data: object, what: str, metadata: Metadata) -> pd.DataFrame:
    """Check that ``data`` is a non-empty DataFrame holding every column of ``metadata``."""
    if not isinstance(data, pd.DataFrame):
        raise UserInputError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    if data.columns.has_duplicates:
        dup = str(data.columns[data.columns.duplicated()][0])
        raise DataError(f"{what} has the column {dup!r} twice; give each column a unique name")
    if len(data) == 0:
        raise DataError(f"{what} has no rows; evaluate needs at least one row in each table")
    missing = [name for name in metadata.names if name not in data.columns]
    if missing:
        raise DataError(
            f"{what} lacks column {missing[0]!r} of the metadata"
            f"{f' (and {len(missing) - 1} more)' if len(missing) > 1 else ''}; "
            "pass tables with the same columns"
        )
    return data


@dataclass(frozen=True)
class Schema:
    """Which columns are numbers and which are categories, and the shared category levels."""

    columns: tuple[str, ...]
    kinds: tuple[ColumnKind, ...]
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    levels: tuple[tuple[object, ...], ...]

    def is_numeric(self, name: str) -> bool:
        """True when ``name`` is encoded as a number."""
        return name in self.numeric


@dataclass(frozen=True)
class Encoded:
    """The rows of one frame: ``numbers`` (n, p) floats and ``codes`` (n, q) int64."""

    numbers: FloatArray
    codes: IntArray

    def __len__(self) -> int:
        return int(self.numbers.shape[0])

    def take(self, rows: IntArray) -> Encoded:
        """The rows at positions ``rows`` (repeats allowed)."""
        return Encoded(self.numbers[rows], self.codes[rows])


def _numbers(series: pd.Series, kind: ColumnKind) -> FloatArray:
    if kind is ColumnKind.DATETIME:
        x = datetime_seconds(series)
    else:
        x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isfinite(x), x, np.nan)


def _objects(series: pd.Series) -> np.ndarray[Any, np.dtype[np.object_]]:
    values = series.astype(object).to_numpy(copy=True)
    values[pd.isna(values)] = None
    return values


def encode_frames(
    metadata: Metadata, frames: Sequence[pd.DataFrame]
) -> tuple[Schema, list[Encoded]]:
    """Encode ``frames`` (all holding the metadata's columns) into one shared :class:`Schema`."""
    columns = evaluable_columns(metadata)
    kinds = tuple(metadata[c].kind for c in columns)
    numeric = tuple(c for c, k in zip(columns, kinds, strict=True) if k in NUMERIC_KINDS)
    categorical = tuple(c for c in columns if c not in numeric)
    levels: list[tuple[object, ...]] = []
    per_frame_codes: list[list[IntArray]] = [[] for _ in frames]
    for name in categorical:
        values = [_objects(f[name]) for f in frames]
        joined = np.concatenate(values)
        uniq = pd.unique(joined[pd.notna(joined)])
        index = pd.Index(uniq, dtype=object)
        levels.append(tuple(index))
        for i, v in enumerate(values):
            per_frame_codes[i].append(index.get_indexer(v).astype(np.int64))
    encoded = []
    for i, frame in enumerate(frames):
        n = len(frame)
        nums = [_numbers(frame[c], metadata[c].kind) for c in numeric]
        numbers = np.column_stack(nums) if nums else np.zeros((n, 0))
        codes = (
            np.column_stack(per_frame_codes[i])
            if per_frame_codes[i]
            else np.zeros((n, 0), dtype=np.int64)
        )
        encoded.append(Encoded(np.ascontiguousarray(numbers, dtype=float), codes))
    schema = Schema(tuple(columns), kinds, numeric, categorical, tuple(levels))
    return schema, encoded
