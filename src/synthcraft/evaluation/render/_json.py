"""The report as JSON: strict JSON (no NaN), readable back with ``Report.from_json``."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from synthcraft.evaluation._report import Report

__all__ = ["json_ready", "render_json"]


def json_ready(value: Any) -> Any:
    """``value`` as JSON-ready data: NaN becomes null, infinities ``"inf"``/``"-inf"``.

    Mappings become dicts with string keys, tuples and arrays lists, numpy scalars Python ones,
    and anything else its ``str``.
    """
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_ready(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if value is None or isinstance(value, str):
        return value
    return str(value)


def render_json(report: Report) -> str:
    """Indented JSON text of ``report.to_dict()``, ending in a newline."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
