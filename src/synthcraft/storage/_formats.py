"""File formats by extension, input-path checks and the storage warning class."""

from __future__ import annotations

import os
from pathlib import Path

from synthcraft.errors import DataError, UserInputError

__all__ = [
    "FORMATS",
    "DataWarning",
    "check_input_file",
    "compression_of",
    "detect_format",
    "show",
]

FORMATS: tuple[str, ...] = ("csv", "tsv", "parquet", "jsonl", "excel", "sqlite", "duckdb")
"""Names of the table formats that :func:`read_table` and :func:`write_table` handle."""

TEXT_FORMATS = frozenset({"csv", "tsv", "jsonl"})
DATABASE_FORMATS = frozenset({"sqlite", "duckdb"})

_EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "excel",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
    ".duckdb": "duckdb",
}
_ALIASES: dict[str, str] = {
    "txt": "csv",
    "pq": "parquet",
    "ndjson": "jsonl",
    "json-lines": "jsonl",
    "xlsx": "excel",
    "sqlite3": "sqlite",
    "db": "sqlite",
}
_COMPRESSIONS: dict[str, str] = {".gz": "gzip", ".zst": "zstd"}


class DataWarning(UserWarning):
    """A non-fatal note about data being read or written (e.g. values read as missing)."""


def show(path: str | os.PathLike[str]) -> str:
    """The path quoted for a message."""
    return repr(str(path))


def compression_of(path: str | os.PathLike[str]) -> str | None:
    """``"gzip"`` or ``"zstd"`` for a ``.gz`` / ``.zst`` file name, else None."""
    return _COMPRESSIONS.get(Path(path).suffix.lower())


def detect_format(path: str | os.PathLike[str], format: str | None = None) -> str:
    """Name the table format of ``path`` from its extension, or check a given ``format``.

    Extensions are matched case-insensitively; ``.gz`` and ``.zst`` may follow the text formats
    (``.csv``, ``.tsv``, ``.txt``, ``.jsonl``, ``.ndjson``).

    Parameters
    ----------
    path : str or path-like
        The file name.
    format : str, optional
        One of :data:`FORMATS` (or an alias such as ``"xlsx"``); overrides the extension.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Examples
    --------
    >>> detect_format("people.CSV.gz")
    'csv'
    >>> detect_format("data.bin", format="parquet")
    'parquet'
    """
    if format is not None:
        if not isinstance(format, str):
            raise UserInputError(f"format must be a string, got {format!r}; use one of {_names()}")
        name = _ALIASES.get(format.strip().lower(), format.strip().lower())
        if name not in FORMATS:
            raise UserInputError(f"unknown format {format!r}; use one of {_names()}")
        return name
    p = Path(path)
    suffix = p.suffix.lower()
    compressed = suffix in _COMPRESSIONS
    if compressed:
        suffix = Path(p.stem).suffix.lower()
    found = _EXTENSIONS.get(suffix)
    if found is None or (compressed and found not in TEXT_FORMATS):
        shown = "".join(p.suffixes[-2:]) if compressed else p.suffix
        raise UserInputError(
            f"cannot tell the format of {show(path)} from its extension {shown or '(none)'!r}; "
            f"known formats are {_names()}: pass format= (--format)"
        )
    return found


def _names() -> str:
    return ", ".join(FORMATS)


def check_input_file(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path after checking that it is an existing, non-empty file."""
    if not isinstance(path, (str, os.PathLike)):
        raise UserInputError(f"path must be a file name, got {type(path).__name__}")
    p = Path(path)
    if not p.exists():
        raise DataError(f"file {show(p)} does not exist; check the path")
    if p.is_dir():
        raise DataError(f"{show(p)} is a folder, not a file; give the path of a table file")
    if p.stat().st_size == 0:
        raise DataError(f"file {show(p)} is empty; give a file with a header row and data")
    return p
