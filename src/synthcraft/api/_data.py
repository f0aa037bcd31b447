"""Turn what users pass (a frame, a file path, a model path) into canonical objects."""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any

import pandas as pd

from synthcraft import storage
from synthcraft._rng import draw_seed
from synthcraft.errors import UserInputError
from synthcraft.metadata import Metadata

__all__ = ["load_metadata", "read_data", "resolve_seed"]

DataLike = pd.DataFrame | str | Path


def read_data(
    data: DataLike,
    *,
    table: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    format: str | None = None,
) -> pd.DataFrame:
    """A canonical frame from a DataFrame or a table file (see :func:`storage.read_table`)."""
    if isinstance(data, pd.DataFrame):
        return storage.canonicalize(data)
    if isinstance(data, (str, Path)):
        return storage.read_table(data, table=table, sheet=sheet, encoding=encoding, format=format)
    raise UserInputError(
        f"data must be a pandas DataFrame or a file path, got {type(data).__name__}"
    )


def load_metadata(metadata: Metadata | str | Path | None) -> Metadata | None:
    """Metadata as given, read from a JSON file path, or None."""
    if metadata is None or isinstance(metadata, Metadata):
        return metadata
    if isinstance(metadata, (str, Path)):
        return Metadata.load(metadata)
    raise UserInputError(
        f"metadata must be a Metadata, a JSON file path or None, got {type(metadata).__name__}"
    )


def resolve_seed(seed: Any = None) -> int:
    """The seed to use: ``seed`` checked (a whole number >= 0), or a fresh one when None.

    Examples
    --------
    >>> resolve_seed(42)
    42
    """
    if seed is None:
        return draw_seed()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise UserInputError(f"seed must be a whole number, got {seed!r}; pass e.g. --seed 42")
    if int(seed) < 0:
        raise UserInputError(f"seed must not be negative, got {seed}; pass e.g. --seed 42")
    return int(seed)
