"""Parquet (pyarrow): reading through Arrow, writing row groups with ParquetWriter."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import cast

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from synthcraft.errors import DataError
from synthcraft.storage._dtypes import Kind
from synthcraft.storage._formats import show

__all__ = [
    "ARROW_TYPES",
    "ParquetSink",
    "arrow_schema",
    "arrow_to_frame",
    "frame_to_arrow",
    "read_parquet",
]

ARROW_TYPES: dict[Kind, pa.DataType] = {
    Kind.INT: pa.int64(),
    Kind.FLOAT: pa.float64(),
    Kind.BOOL: pa.bool_(),
    Kind.DATETIME: pa.timestamp("us"),
    Kind.DATETIME_UTC: pa.timestamp("us", tz="UTC"),
    Kind.TEXT: pa.large_string(),
}


def _pandas_type(arrow_type: pa.DataType) -> object | None:
    if pa.types.is_integer(arrow_type) and arrow_type != pa.uint64():
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as pandas with nullable integers and booleans (integers stay integers)."""
    frame = table.to_pandas(types_mapper=_pandas_type, date_as_object=False)
    frame = cast(pd.DataFrame, frame)
    if isinstance(frame.index, pd.RangeIndex):
        return frame.reset_index(drop=True)
    return frame.reset_index()


def read_parquet(path: Path) -> pd.DataFrame:
    """Read a Parquet file (any row groups) into pandas, before the canonical policy."""
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(
            f"file {show(path)} is not a readable Parquet file ({exc}); check the file or pass "
            "format="
        ) from None
    return arrow_to_frame(table)


def arrow_schema(names: list[str], kinds: list[Kind]) -> pa.Schema:
    """The Arrow schema of a canonical frame with these columns."""
    return pa.schema([pa.field(n, ARROW_TYPES[k]) for n, k in zip(names, kinds, strict=True)])


def frame_to_arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """A canonical chunk as an Arrow table of ``schema`` (no pandas index)."""
    arrays = [
        pa.Array.from_pandas(s, type=f.type)
        for (_, s), f in zip(frame.items(), schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


class ParquetSink:
    """Write chunks of a canonical frame as Parquet row groups."""

    def __init__(self, path: Path, *, names: list[str], kinds: list[Kind]) -> None:
        self.schema = arrow_schema(names, kinds)
        self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    def write(self, frame: pd.DataFrame, kinds: list[Kind]) -> None:
        """Write one row group."""
        self._writer.write_table(frame_to_arrow(frame, self.schema))

    def close(self) -> None:
        """Finish the file (writes the footer)."""
        self._writer.close()

    def abort(self) -> None:
        """Release the file after an error (the caller removes it)."""
        with contextlib.suppress(Exception):
            self._writer.close()
