"""Commented YAML for a drafted spec: readable flow style for small mappings, wrapped comments."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from typing import Any

import yaml

__all__ = ["WIDTH", "render"]

WIDTH = 100
"""Longest line of the drafted YAML."""


def _flow(value: Any) -> str:
    """One YAML flow node for ``value``."""
    if isinstance(value, (dict, list)):
        return yaml.safe_dump(
            value, default_flow_style=True, width=10**9, sort_keys=False, allow_unicode=True
        ).strip()
    return _flow([value])[1:-1]


def _item(key: str, value: Any, indent: int) -> list[str]:
    head = " " * indent + _flow(key) + ":"
    line = f"{head} {_flow(value)}"
    if len(line) <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return [line]
    if isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
        lines = [f"{head} ["]  # a long list of scalars: one flow sequence over several lines
        for item in (_flow(v) for v in value):
            if len(lines[-1]) + len(item) + 2 > WIDTH:
                lines.append(" " * (indent + 2))
            lines[-1] += ("" if lines[-1].endswith(("[", " ")) else " ") + item + ","
        return [*lines[:-1], lines[-1][:-1] + "]"]
    if isinstance(value, dict):
        return [head] + [ln for k, v in value.items() for ln in _item(k, v, indent + 2)]
    return [head] + [" " * (indent + 2) + "- " + _flow(v) for v in value]


def _comments(notes: Sequence[str]) -> list[str]:
    """Comment lines above a column, wrapped at :data:`WIDTH`."""
    return [f"      # {part}" for note in notes for part in textwrap.wrap(note, WIDTH - 8)]


def render(
    mapping: dict[str, Any],
    table: str,
    columns: Sequence[tuple[str, Any, Sequence[str]]],
    corr_notes: Sequence[str],
    n: int,
    rare_k: int,
) -> str:
    """The drafted spec as commented YAML: ``columns`` are ``(name, entry, notes)`` in order."""
    body = mapping["tables"][table]
    header = (
        f"Draft spec for table {table!r}, learned from {n:,} rows and {len(columns)} columns by "
        f"synthcraft on {date.today().isoformat()}. Privatised: bounds are clipped quantiles, "
        f"values seen in fewer than {rare_k} rows are pooled, ids and personal data are never "
        "copied. Edit freely: the comment above each column says how it was drafted."
    )
    lines = [
        *(f"# {part}" for part in textwrap.wrap(header, WIDTH - 2)),
        f"spec_version: {_flow(mapping['spec_version'])}",
        "tables:",
        f"  {_flow(table)}:",
    ]
    for key in ("rows", "primary_key"):
        if key in body:
            lines += _item(key, body[key], 4)
    lines.append("    columns:")
    for name, entry, notes in columns:
        lines += _comments(notes)
        lines += _item(name, entry, 6)
    if "correlations" in body:
        block = body["correlations"][0]
        lines += ["    correlations:", *_comments(corr_notes)]
        lines += [f"      - columns: {_flow(block['columns'])}", "        matrix:"]
        lines += [f"          - {_flow(row)}" for row in block["matrix"]]
    return "\n".join(lines) + "\n"
