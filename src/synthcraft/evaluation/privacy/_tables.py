"""Input checks, column selection, shared value codes and row sampling for privacy metrics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthcraft.errors import UserInputError
from synthcraft.evaluation._features import datetime_seconds
from synthcraft.metadata import Column, ColumnKind, Metadata

__all__ = [
    "MIN_ROWS",
    "Encoded",
    "check_inputs",
    "encode_column",
    "resolve_quasi_identifiers",
    "resolve_secret",
    "sample_rows",
]

MIN_ROWS = 10
"""Fewest rows (per frame, after pairing) a statistical privacy metric is computed on."""

_NOT_COMPARED = (ColumnKind.ID, ColumnKind.PII)


def _names(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


def check_inputs(
    train: object, synthetic: object, holdout: object, metadata: Metadata
) -> list[str]:
    """Check the three frames against ``metadata``; return the compared (non-id, non-PII) columns.

    Raises
    ------
    UserInputError
        A frame is not a DataFrame, has no rows, or lacks a compared column.
    """
    if not isinstance(metadata, Metadata):
        raise UserInputError(
            f"metadata must be a synthcraft Metadata, got {type(metadata).__name__}; "
            "build it with synthcraft.metadata.detect"
        )
    frames = {"train": train, "synthetic": synthetic, "holdout": holdout}
    for label, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise UserInputError(
                f"{label} must be a pandas DataFrame, got {type(frame).__name__}; "
                "read it with synthcraft.storage.read_table"
            )
        if len(frame) == 0:
            raise UserInputError(
                f"{label} has no rows; privacy metrics need rows in train, synthetic and holdout"
            )
    compared = [c.name for c in metadata if c.kind not in _NOT_COMPARED]
    if not compared:
        raise UserInputError(
            "metadata has only id and PII columns, so there is nothing to compare; "
            "describe at least one other column"
        )
    for label, frame in frames.items():
        assert isinstance(frame, pd.DataFrame)
        missing = [n for n in compared if n not in frame.columns]
        if missing:
            raise UserInputError(
                f"{label} lacks column(s) {_names(missing)} described by the metadata; "
                "pass train, synthetic and holdout with the same columns"
            )
    return compared


def resolve_quasi_identifiers(
    metadata: Metadata, compared: Sequence[str], quasi_identifiers: Sequence[str] | None
) -> list[str]:
    """The attacker's columns: ``quasi_identifiers`` checked, or every compared column."""
    if quasi_identifiers is None:
        return list(compared)
    if isinstance(quasi_identifiers, str):
        raise UserInputError(
            f"quasi_identifiers must be a list of column names, got the string "
            f"{quasi_identifiers!r}; pass [{quasi_identifiers!r}]"
        )
    qis = list(quasi_identifiers)
    if not qis:
        raise UserInputError("quasi_identifiers is empty; name at least one column or pass None")
    if len(set(qis)) != len(qis):
        raise UserInputError("quasi_identifiers names a column twice; name each column once")
    unknown = [q for q in qis if q not in compared]
    if unknown:
        raise UserInputError(
            f"quasi_identifiers {_names(unknown)} are not non-id, non-PII columns of the metadata; "
            f"choose among {_names(compared)}"
        )
    return qis


def resolve_secret(
    metadata: Metadata,
    compared: Sequence[str],
    quasi_identifiers: Sequence[str],
    secret: str | None,
) -> str | None:
    """The inference target: ``secret`` checked, else the last categorical quasi-identifier.

    Falls back to the last boolean, then the last quasi-identifier; None when there is none.
    """
    if secret is not None:
        if secret not in compared:
            raise UserInputError(
                f"secret {secret!r} is not a non-id, non-PII column of the metadata; "
                f"choose among {_names(compared)}"
            )
        return secret
    for kinds in ((ColumnKind.CATEGORICAL,), (ColumnKind.BOOLEAN,)):
        found = [q for q in quasi_identifiers if metadata[q].kind in kinds]
        if found:
            return found[-1]
    return quasi_identifiers[-1] if quasi_identifiers else None


@dataclass(frozen=True)
class Encoded:
    """One column of several frames as comparable arrays.

    ``numeric`` columns (numbers, datetimes as epoch seconds) hold float64 with NaN for missing;
    the others hold int64 codes from one shared codebook, -1 for missing.
    """

    name: str
    numeric: bool
    arrays: tuple[np.ndarray, ...]


def _as_float(series: pd.Series, column: Column) -> np.ndarray:
    if column.kind is ColumnKind.DATETIME:
        return datetime_seconds(series)
    values = pd.to_numeric(series, errors="coerce")
    return np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=float)


def _as_text(series: pd.Series) -> pd.Series:
    missing = series.isna().to_numpy()
    text = np.array([str(v) for v in series.astype(object).to_numpy()], dtype=object)
    text[missing] = None
    return pd.Series(text, dtype=object)


def encode_column(column: Column, frames: Sequence[pd.DataFrame]) -> Encoded:
    """Encode ``column`` of every frame on one scale (see :class:`Encoded`)."""
    series = [f[column.name] for f in frames]
    if column.kind.is_numeric or column.kind is ColumnKind.DATETIME:
        return Encoded(column.name, True, tuple(_as_float(s, column) for s in series))
    if len({str(s.dtype) for s in series}) > 1:
        series = [_as_text(s) for s in series]
    joined = pd.concat([s.reset_index(drop=True) for s in series], ignore_index=True)
    codes, _ = pd.factorize(joined, use_na_sentinel=True)
    cuts = np.cumsum([len(s) for s in series])[:-1]
    parts = np.split(np.asarray(codes, dtype=np.int64), cuts)
    return Encoded(column.name, False, tuple(parts))


def sample_rows(n_total: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted positions of ``n`` rows drawn without replacement (all rows when ``n >= n_total``)."""
    if n >= n_total:
        return np.arange(n_total)
    return np.sort(rng.choice(n_total, size=n, replace=False))
