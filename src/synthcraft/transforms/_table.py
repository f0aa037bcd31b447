"""A whole table: one encoder per column, side by side, in table order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Self

import numpy as np
import pandas as pd

from synthcraft._rng import check_rng
from synthcraft.errors import DataError, MetadataError, ModelFileError, NotFittedError
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.transforms._base import Encoder, check_array
from synthcraft.transforms._boolean import BooleanEncoder
from synthcraft.transforms._categorical import CategoricalEncoder
from synthcraft.transforms._datetime import DatetimeEncoder
from synthcraft.transforms._identity import IdEncoder
from synthcraft.transforms._numeric import NumericEncoder
from synthcraft.transforms._pii import PiiEncoder
from synthcraft.transforms._text import TextEncoder

__all__ = ["DEFAULT_ENCODERS", "TableEncoder", "encoder_for"]

DEFAULT_ENCODERS: Mapping[ColumnKind, Callable[[], Encoder]] = MappingProxyType(
    {
        ColumnKind.INTEGER: NumericEncoder,
        ColumnKind.FLOAT: NumericEncoder,
        ColumnKind.CATEGORICAL: CategoricalEncoder,
        ColumnKind.BOOLEAN: BooleanEncoder,
        ColumnKind.DATETIME: DatetimeEncoder,
        ColumnKind.ID: IdEncoder,
        ColumnKind.PII: PiiEncoder,
        ColumnKind.TEXT: TextEncoder,
    }
)
"""A new, unfitted encoder for each column kind."""


def encoder_for(
    column: Column, overrides: Mapping[ColumnKind, Callable[[], Encoder]] | None = None
) -> Encoder:
    """A new, unfitted encoder for ``column``: from ``overrides`` by kind, else the default.

    Examples
    --------
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> encoder_for(Column("n", ColumnKind.FLOAT, "float64"))
    NumericEncoder()
    """
    factories = {**DEFAULT_ENCODERS, **(overrides or {})}
    try:
        factory = factories[column.kind]
    except KeyError:
        raise MetadataError(
            f"column {column.name!r} has kind {column.kind!r}, which has no encoder"
        ) from None
    encoder = factory()
    if not isinstance(encoder, Encoder):
        raise MetadataError(f"the encoder factory for kind {column.kind.value!r} gave no Encoder")
    return encoder


def _clone(encoder: Encoder) -> Encoder:
    """A new, unfitted encoder with the same settings."""
    return type(encoder)(**encoder.get_params())


class TableEncoder:
    """Encode every column of a table with its own encoder and put the results side by side.

    Parameters
    ----------
    encoders : mapping of str to Encoder, optional
        Encoders for some columns by name, used as templates (copies are fitted; the given
        encoders are not changed). Other columns get :func:`encoder_for` their kind.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind, Metadata
    >>> df = pd.DataFrame({"x": [1.5, 2.5], "c": pd.Series(["a", "b"], dtype="str")})
    >>> md = Metadata((Column("x", ColumnKind.FLOAT, "float64"),
    ...                Column("c", ColumnKind.CATEGORICAL, "str")))
    >>> enc = TableEncoder().fit(df, md)
    >>> enc.column_slices
    {'x': slice(0, 1, None), 'c': slice(1, 3, None)}
    >>> enc.inverse_transform(enc.transform(df)).equals(df)
    True
    """

    columns_: list[str]
    encoders_: list[Encoder]

    def __init__(self, encoders: Mapping[str, Encoder] | None = None) -> None:
        self.encoders = encoders

    def fit(self, df: pd.DataFrame, metadata: Metadata) -> Self:
        """Fit one encoder per column of ``df``, described by ``metadata``; returns self."""
        _check_frame(df)
        if not isinstance(metadata, Metadata):
            raise MetadataError(
                f"metadata must be a synthcraft Metadata, not {type(metadata).__name__}"
            )
        names = list(df.columns)
        if not all(isinstance(name, str) for name in names):
            raise DataError("column names must be text; rename the columns with df.columns = ...")
        unknown = [name for name in names if name not in metadata]
        absent = [name for name in metadata.names if name not in names]
        if unknown or absent:
            problem = (
                f"column {unknown[0]!r} is not in the metadata"
                if unknown
                else f"metadata column {absent[0]!r} is not in the data"
            )
            raise MetadataError(f"{problem}; make the metadata describe exactly the data columns")
        overrides = dict(self.encoders or {})
        stray = sorted(set(overrides) - set(names))
        if stray:
            raise MetadataError(f"an encoder is given for {stray[0]!r}, which is not a column")
        for name, template in overrides.items():
            if not isinstance(template, Encoder):
                raise MetadataError(f"the encoder for {name!r} is not an Encoder")
        encoders = []
        for name in names:
            column = metadata[name]
            given = overrides.get(name)
            encoder = _clone(given) if given is not None else encoder_for(column)
            encoders.append(encoder.fit(df[name], column))
        self.encoders_ = encoders
        self.columns_ = names
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "columns_"):
            raise NotFittedError("this TableEncoder is not fitted yet; call fit(df, metadata)")

    @property
    def column_slices(self) -> dict[str, slice]:
        """Where each column's encoded values lie in the encoded array."""
        self._check_fitted()
        slices, at = {}, 0
        for name, encoder in zip(self.columns_, self.encoders_, strict=True):
            width = len(encoder.output_names)
            slices[name] = slice(at, at + width)
            at += width
        return slices

    @property
    def output_names(self) -> list[str]:
        """Names of all encoded columns, in order."""
        self._check_fitted()
        return [name for encoder in self.encoders_ for name in encoder.output_names]

    def transform(self, df: pd.DataFrame) -> np.ndarray:
        """Encode ``df`` (it must have the fitted columns) as one float64 array."""
        self._check_fitted()
        _check_frame(df)
        absent = [name for name in self.columns_ if name not in df.columns]
        if absent:
            raise DataError(f"column {absent[0]!r} is missing from the data to encode")
        parts = [
            enc.transform(df[name]) for name, enc in zip(self.columns_, self.encoders_, strict=True)
        ]
        if not parts:
            return np.zeros((len(df), 0), dtype=np.float64)
        return np.hstack(parts)

    def inverse_transform(
        self, array: np.ndarray, *, rng: np.random.Generator | None = None, start: int = 0
    ) -> pd.DataFrame:
        """Decode an encoded array into a table with the fitted columns, order and dtypes.

        ``rng`` is shared by the encoders that generate values (ids, PII), in column order;
        ``start`` is the row number of the first row in the whole sample (see
        :meth:`Encoder.inverse_transform`).
        """
        self._check_fitted()
        slices = self.column_slices
        width = sum(s.stop - s.start for s in slices.values())
        arr = check_array(array, width, "<table>")
        generator = check_rng(rng)
        columns = {
            name: encoder.inverse_transform(arr[:, slices[name]], rng=generator, start=start)
            for name, encoder in zip(self.columns_, self.encoders_, strict=True)
        }
        return pd.DataFrame(columns, index=pd.RangeIndex(len(arr)))

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON-able state and arrays; array keys are prefixed by the column position."""
        self._check_fitted()
        states, arrays = [], {}
        for i, encoder in enumerate(self.encoders_):
            state, own = encoder.get_state()
            states.append(state)
            arrays.update({f"{i}/{key}": value for key, value in own.items()})
        return {"columns": list(self.columns_), "encoders": states}, arrays

    @classmethod
    def from_state(cls, state: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Self:
        """Rebuild a fitted TableEncoder from :meth:`get_state` output."""
        columns = state.get("columns") if isinstance(state, Mapping) else None
        states = state.get("encoders") if isinstance(state, Mapping) else None
        if (
            not isinstance(columns, list)
            or not isinstance(states, list)
            or len(columns) != len(states)
            or not all(isinstance(name, str) for name in columns)
        ):
            raise ModelFileError("table encoder state is malformed; the model file is corrupt")
        encoders = []
        for i, own in enumerate(states):
            prefix = f"{i}/"
            mine = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
            encoders.append(Encoder.from_state(own, mine))
        table = cls()
        table.columns_ = list(columns)
        table.encoders_ = encoders
        return table


def _check_frame(df: object) -> None:
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"expected a pandas DataFrame, got {type(df).__name__}")
    if df.columns.has_duplicates:
        name = df.columns[df.columns.duplicated()][0]
        raise DataError(f"column {name!r} appears twice; give every column a distinct name")
