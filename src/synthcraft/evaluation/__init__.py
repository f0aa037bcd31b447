"""Evaluation: fidelity, utility and privacy of a synthetic table against real data.

:func:`evaluate` computes every figure into a :class:`Report`, which renders to text, JSON and
one self-contained HTML page. The figures are defined in ``docs/metrics.md``.
"""

from synthcraft.evaluation._evaluate import Sizes, evaluate
from synthcraft.evaluation._report import Report, Section
from synthcraft.evaluation._result import Goal, MetricResult
from synthcraft.evaluation._thresholds import Check, Rule, Thresholds, load_thresholds
from synthcraft.evaluation._utility import utility
from synthcraft.evaluation.fidelity import (
    column_pair_trends,
    column_shapes,
    compare_fidelity,
    detection,
    missing_values,
    validity,
)
from synthcraft.evaluation.render import render_html, render_json, render_text

__all__ = [
    "Check",
    "Goal",
    "MetricResult",
    "Report",
    "Rule",
    "Section",
    "Sizes",
    "Thresholds",
    "column_pair_trends",
    "column_shapes",
    "compare_fidelity",
    "detection",
    "evaluate",
    "load_thresholds",
    "missing_values",
    "render_html",
    "render_json",
    "render_text",
    "utility",
    "validity",
]
