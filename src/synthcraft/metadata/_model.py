"""Typed, frozen metadata: what each column of a table is, with a JSON round trip.

A :class:`Metadata` holds one :class:`Column` per column, in table order, and the name of the
primary key if there is one. It is built by :func:`synthcraft.metadata.detect`, edited by users as
JSON (``synthcraft inspect DATA --metadata-out FILE``) and passed back with ``--metadata FILE``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeAlias

from synthcraft.errors import MetadataError

__all__ = [
    "METADATA_VERSION",
    "Column",
    "ColumnKind",
    "Metadata",
    "Provenance",
    "Scalar",
]

METADATA_VERSION = "1.0"
"""Version written into every metadata JSON; a newer major version is refused on load."""

Scalar: TypeAlias = str | int | float | bool
"""A category value as it round-trips through JSON."""


class ColumnKind(StrEnum):
    """What a column holds; decides how it is modelled, encoded and evaluated."""

    INTEGER = "integer"
    FLOAT = "float"
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    ID = "id"
    PII = "pii"
    TEXT = "text"

    @property
    def is_numeric(self) -> bool:
        """True for integer and float columns."""
        return self in (ColumnKind.INTEGER, ColumnKind.FLOAT)


class Provenance(StrEnum):
    """Where a column's description came from."""

    DECLARED = "declared"  # written by a user (metadata JSON or spec)
    LEARNED = "learned"  # detected or fitted from real data
    DP = "dp"  # learned under differential privacy


@dataclass(frozen=True)
class Column:
    """One column's description.

    Parameters
    ----------
    name : str
        Column name as in the table.
    kind : ColumnKind
        What the column holds.
    dtype : str
        The pandas dtype of the column as :func:`synthcraft.storage.read_table` returns it
        (``"Int64"``, ``"float64"``, ``"str"``, ``"boolean"``, ``"datetime64[us]"``, ...);
        synthetic output is cast back to it.
    missing_share : float
        Share of missing values in the data it was learned from (0 when declared without data).
    minimum, maximum : float or None
        Bounds of numbers; for datetimes, seconds since the Unix epoch (UTC).
    decimals : int or None
        Decimal places of a float column (None when not fixed).
    categories : tuple or None
        Allowed values of a categorical or boolean column, in a stable order.
    datetime_format : str or None
        ``strftime`` format of a datetime that was read from text, when it is not ISO 8601.
    timezone : str or None
        IANA time zone of a time-zone-aware datetime (``"UTC"``, ``"Europe/Berlin"``).
    pii_kind : str or None
        For ``kind == "pii"``: the PII kind name (``"email"``, ``"phone"``, ...).
    unique : bool
        Values are unique (ids and keys).
    provenance : Provenance
        Where this description came from.
    """

    name: str
    kind: ColumnKind
    dtype: str = "object"
    missing_share: float = 0.0
    minimum: float | None = None
    maximum: float | None = None
    decimals: int | None = None
    categories: tuple[Scalar, ...] | None = None
    datetime_format: str | None = None
    timezone: str | None = None
    pii_kind: str | None = None
    unique: bool = False
    provenance: Provenance = Provenance.LEARNED

    def replace(self, **changes: Any) -> Column:
        """A copy with ``changes`` applied (the column is frozen)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; fields at their default are left out to keep files short."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind.value, "dtype": self.dtype}
        for f in dataclasses.fields(self):
            if f.name in out:
                continue
            value = getattr(self, f.name)
            if value == f.default:
                continue
            if isinstance(value, StrEnum):
                value = value.value
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "column") -> Column:
        """Build a column from its JSON dict; errors name the offending field."""
        if not isinstance(data, Mapping):
            raise MetadataError(f"{where}: must be an object with 'name' and 'kind'")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            allowed = ", ".join(sorted(known))
            raise MetadataError(
                f"{where}: unknown field {unknown[0]!r}; allowed fields are {allowed}"
            )
        if "name" not in data or not isinstance(data["name"], str):
            raise MetadataError(f"{where}.name: must be a string")
        try:
            kind = ColumnKind(str(data.get("kind")))
        except ValueError:
            allowed = ", ".join(k.value for k in ColumnKind)
            raise MetadataError(
                f"{where}.kind: {data.get('kind')!r} is not a column kind; use one of {allowed}"
            ) from None
        kwargs = dict(data)
        kwargs["kind"] = kind
        try:
            kwargs["provenance"] = Provenance(kwargs.get("provenance", "learned"))
        except ValueError:
            raise MetadataError(
                f"{where}.provenance: must be one of declared, learned, dp"
            ) from None
        if kwargs.get("categories") is not None:
            cats = kwargs["categories"]
            if not isinstance(cats, list) or not all(
                isinstance(c, (str, int, float, bool)) for c in cats
            ):
                raise MetadataError(f"{where}.categories: must be a list of strings or numbers")
            kwargs["categories"] = tuple(cats)
        for key in ("minimum", "maximum", "missing_share"):
            value = kwargs.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value)
            ):
                raise MetadataError(f"{where}.{key}: must be a number")
        share = kwargs.get("missing_share", 0.0)
        if not 0.0 <= share <= 1.0:
            raise MetadataError(f"{where}.missing_share: must be between 0 and 1")
        lo, hi = kwargs.get("minimum"), kwargs.get("maximum")
        if lo is not None and hi is not None and lo > hi:
            raise MetadataError(f"{where}: minimum {lo} is greater than maximum {hi}")
        decimals = kwargs.get("decimals")
        if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int)):
            raise MetadataError(f"{where}.decimals: must be a whole number")
        if kind is ColumnKind.PII and not kwargs.get("pii_kind"):
            raise MetadataError(f"{where}.pii_kind: required when kind is 'pii'")
        return cls(**kwargs)


@dataclass(frozen=True)
class Metadata:
    """The description of one table: its columns in order and its primary key.

    Examples
    --------
    >>> md = Metadata((Column("age", ColumnKind.INTEGER, "Int64", minimum=17, maximum=90),))
    >>> Metadata.from_json(md.to_json()) == md
    True
    """

    columns: tuple[Column, ...]
    primary_key: str | None = None
    metadata_version: str = METADATA_VERSION
    _index: Mapping[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        index: dict[str, Column] = {}
        for col in self.columns:
            if col.name in index:
                raise MetadataError(
                    f"column {col.name!r} is described twice; give each column one entry"
                )
            index[col.name] = col
        object.__setattr__(self, "_index", index)
        if self.primary_key is not None and self.primary_key not in index:
            raise MetadataError(
                f"primary_key {self.primary_key!r} is not a column; name one of the columns or null"
            )

    @property
    def names(self) -> list[str]:
        """Column names in table order."""
        return [c.name for c in self.columns]

    def __getitem__(self, name: str) -> Column:
        try:
            return self._index[name]
        except KeyError:
            raise MetadataError(f"no column named {name!r} in the metadata") from None

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def of_kind(self, *kinds: ColumnKind) -> list[Column]:
        """Columns whose kind is one of ``kinds``, in table order."""
        return [c for c in self.columns if c.kind in kinds]

    def replace_column(self, column: Column) -> Metadata:
        """A copy with the column of the same name replaced."""
        self[column.name]
        cols = tuple(column if c.name == column.name else c for c in self.columns)
        return dataclasses.replace(self, columns=cols)

    def select(self, names: Sequence[str]) -> Metadata:
        """A copy with only ``names``, in that order."""
        cols = tuple(self[n] for n in names)
        pk = self.primary_key if self.primary_key in names else None
        return Metadata(cols, primary_key=pk, metadata_version=self.metadata_version)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "metadata_version": self.metadata_version,
            "primary_key": self.primary_key,
            "columns": [c.to_dict() for c in self.columns],
        }

    def to_json(self) -> str:
        """Indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Metadata:
        """Build from a JSON dict; refuses newer major versions and unknown fields."""
        if not isinstance(data, Mapping):
            raise MetadataError("metadata must be a JSON object with 'columns'")
        version = str(data.get("metadata_version", ""))
        major = version.split(".")[0]
        if not major.isdigit():
            raise MetadataError(
                'metadata_version is missing or malformed; write e.g. "metadata_version": "1.0"'
            )
        if int(major) > int(METADATA_VERSION.split(".")[0]):
            raise MetadataError(
                f"metadata_version {version} is newer than this synthcraft reads "
                f"({METADATA_VERSION}); upgrade synthcraft"
            )
        unknown = sorted(set(data) - {"metadata_version", "primary_key", "columns"})
        if unknown:
            raise MetadataError(f"unknown metadata field {unknown[0]!r}")
        cols = data.get("columns")
        if not isinstance(cols, list) or not cols:
            raise MetadataError("metadata 'columns' must be a non-empty list")
        columns = tuple(Column.from_dict(c, where=f"columns[{i}]") for i, c in enumerate(cols))
        pk = data.get("primary_key")
        if pk is not None and not isinstance(pk, str):
            raise MetadataError("primary_key must be a column name or null")
        return cls(columns, primary_key=pk, metadata_version=METADATA_VERSION)

    @classmethod
    def from_json(cls, text: str) -> Metadata:
        """Parse JSON text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MetadataError(
                f"metadata is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
        return cls.from_dict(data)

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write JSON atomically; refuses an existing file unless ``overwrite``."""
        from synthcraft._files import atomic_write_text

        return atomic_write_text(Path(path), self.to_json(), overwrite=overwrite)

    @classmethod
    def load(cls, path: str | Path) -> Metadata:
        """Read a metadata JSON file."""
        p = Path(path)
        if not p.is_file():
            raise MetadataError(f"metadata file {str(p)!r} does not exist; check the path")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise MetadataError(f"metadata file {str(p)!r} is not UTF-8 JSON") from None
        return cls.from_json(text)
