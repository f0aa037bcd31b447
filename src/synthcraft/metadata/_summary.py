"""A short per-column overview of metadata, for the command line to print as a table."""

from __future__ import annotations

from synthcraft.metadata._model import Column, ColumnKind, Metadata
from synthcraft.metadata._values import format_number, format_seconds

__all__ = ["kind_summary"]

_SHOWN_CATEGORIES = 3


def kind_summary(metadata: Metadata) -> list[dict[str, str]]:
    """One row per column: ``name``, ``kind``, ``dtype``, ``missing`` and ``details``.

    ``kind`` carries the PII kind (``pii:email``); ``missing`` is a percentage; ``details`` is
    the range (``17 – 90``), categories (``16 categories``), datetime span
    (``2013-01-01 … 2013-12-31 UTC``) or key role (``primary key``).

    Examples
    --------
    >>> from synthcraft.metadata import Column, ColumnKind, Metadata
    >>> md = Metadata((Column("age", ColumnKind.INTEGER, "Int64", minimum=17, maximum=90),))
    >>> kind_summary(md)
    [{'name': 'age', 'kind': 'integer', 'dtype': 'Int64', 'missing': '0%', 'details': '17 – 90'}]
    """
    return [
        {
            "name": column.name,
            "kind": _kind(column),
            "dtype": column.dtype,
            "missing": _percent(column.missing_share),
            "details": _details(column, column.name == metadata.primary_key),
        }
        for column in metadata
    ]


def _kind(column: Column) -> str:
    if column.kind is ColumnKind.PII and column.pii_kind:
        return f"pii:{column.pii_kind}"
    return column.kind.value


def _percent(share: float) -> str:
    if share == 0:
        return "0%"
    if share == 1:
        return "100%"
    if share < 0.001:
        return "<0.1%"
    if share > 0.999:
        return ">99.9%"
    return f"{share * 100:.1f}%"


def _details(column: Column, is_key: bool) -> str:
    parts: list[str] = []
    if is_key:
        parts.append("primary key")
    elif column.unique:
        parts.append("unique")
    if column.kind is ColumnKind.DATETIME and column.minimum is not None:
        low = format_seconds(column.minimum, column.timezone)
        high = format_seconds(
            column.maximum if column.maximum is not None else column.minimum, column.timezone
        )
        parts.append(f"{low} … {high}" + (f" {column.timezone}" if column.timezone else ""))
    elif column.kind.is_numeric and column.minimum is not None and column.maximum is not None:
        text = f"{format_number(column.minimum)} – {format_number(column.maximum)}"
        if column.kind is ColumnKind.FLOAT and column.decimals is not None:
            text += f", {column.decimals} decimal{'' if column.decimals == 1 else 's'}"
        parts.append(text)
    elif column.kind is ColumnKind.BOOLEAN:
        parts.append("true/false")
    elif column.categories is not None and column.kind is ColumnKind.CATEGORICAL:
        parts.append(_categories(column.categories))
    return ", ".join(parts)


def _categories(categories: tuple[object, ...]) -> str:
    n = len(categories)
    if n == 0:
        return "no categories"
    noun = "category" if n == 1 else "categories"
    if n <= _SHOWN_CATEGORIES:
        return f"{n} {noun} ({', '.join(str(c) for c in categories)})"
    return f"{n} {noun}"
