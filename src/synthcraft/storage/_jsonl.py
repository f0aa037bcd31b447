"""JSON Lines: one JSON object per line, read into columns and written row by row."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import IO, Any

import pandas as pd

from synthcraft.errors import DataError
from synthcraft.storage._dtypes import Kind, python_values
from synthcraft.storage._formats import compression_of, show
from synthcraft.storage._textio import (
    SAMPLE_BYTES,
    bom_encoding,
    decode_sample,
    looks_binary,
    open_bytes,
    open_text_sink,
)

__all__ = ["JsonlSink", "read_jsonl"]


def read_jsonl(path: Path, *, encoding: str | None) -> pd.DataFrame:
    """Read a JSON Lines file into object columns (typed later by the canonical policy).

    Keys are columns in order of first appearance; a key missing from a line is missing there;
    nested objects and arrays are kept as JSON text.
    """
    with open_bytes(path) as stream:
        sample = stream.read(SAMPLE_BYTES)
    chosen = encoding or bom_encoding(sample) or "utf-8"
    if looks_binary(sample, decode_sample(sample, chosen), chosen):
        raise DataError(
            f"file {show(path)} does not look like JSON Lines text (binary or not "
            f"{chosen}); check the file, pass encoding= or pass format="
        )
    columns: dict[str, list[Any]] = {}
    n_rows = 0
    with open_bytes(path) as stream:
        text = io.TextIOWrapper(stream, encoding=chosen, newline=None)
        try:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                row = _parse_line(line, number, path)
                for key in row:
                    if key not in columns:
                        columns[key] = [None] * n_rows
                for key, values in columns.items():
                    values.append(_cell(row.get(key)))
                n_rows += 1
        except UnicodeDecodeError as exc:
            raise DataError(
                f"file {show(path)} is not valid {chosen} text ({exc.reason}); pass encoding="
            ) from None
        finally:
            text.detach()
    if n_rows == 0:
        raise DataError(f"file {show(path)} is empty; give a file with one JSON object per line")
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})


def _parse_line(line: str, number: int, path: Path) -> dict[str, Any]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"line {number} of {show(path)} is not valid JSON ({exc.msg}); fix the line"
        ) from None
    if not isinstance(row, dict):
        raise DataError(
            f"line {number} of {show(path)} is a JSON {type(row).__name__}, not an object; "
            "JSON Lines tables need one object per line"
        )
    return row


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


class JsonlSink:
    """Write chunks of a canonical frame as JSON Lines (missing values as ``null``)."""

    def __init__(self, path: Path, *, final: Path) -> None:
        self._stack = contextlib.ExitStack()
        self._out: IO[str] = self._stack.enter_context(open_text_sink(path, compression_of(final)))

    def write(self, frame: pd.DataFrame, kinds: list[Kind]) -> None:
        """Append one line per row."""
        names = [str(c) for c in frame.columns]
        columns = [python_values(s, k) for (_, s), k in zip(frame.items(), kinds, strict=True)]
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        lines = [dumps(dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)]
        if lines:
            self._out.write("\n".join(lines) + "\n")

    def close(self) -> None:
        """Finish the file."""
        self._stack.close()

    def abort(self) -> None:
        """Release the file after an error (the caller removes it)."""
        with contextlib.suppress(Exception):
            self._stack.close()
