"""A small, fixed report built by hand, shared by the renderer and JSON tests."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from synthcraft.evaluation import MetricResult, Report, Section, Thresholds
from synthcraft.evaluation._thresholds import assess


def build_report(column: str = "age", category: str = "Paris") -> Report:
    """A report with every kind of entry: ceiling, reference metric, info, n/a, skipped section."""
    shapes_cols = {
        column: {"kind": "integer", "statistic": "ks", "score": 0.9},
        "city": {"kind": "categorical", "statistic": "tvd", "score": 0.99},
    }
    metrics = {
        "column_shapes": MetricResult(
            "column_shapes",
            0.945,
            "maximize",
            (0.0, 1.0),
            {"columns": shapes_cols},
            (0.9401, 0.9603),
        ),
        "column_pair_trends": MetricResult(
            "column_pair_trends",
            0.93,
            "maximize",
            (0.0, 1.0),
            {
                "columns": [column, "city"],
                "pairs": [
                    {
                        "columns": [column, "city"],
                        "metric": "contingency",
                        "score": 0.93,
                        "real": None,
                        "synthetic": None,
                    }
                ],
            },
            (0.91, 0.95),
        ),
        "missing_values": MetricResult(
            "missing_values", 1.0, "maximize", (0.0, 1.0), {}, (1.0, 1.0)
        ),
        "validity": MetricResult(
            "validity",
            0.99,
            "maximize",
            (0.0, 1.0),
            {
                "checks": [
                    {
                        "column": "city",
                        "check": "categories",
                        "share": 0.98,
                        "invalid": 20,
                        "example": category,
                    }
                ]
            },
        ),
        "detection_gbm": MetricResult("detection_gbm", 0.62, 0.5, (0.0, 1.0), {}, (0.6, 0.64)),
        "detection_logistic": MetricResult(
            "detection_logistic", math.nan, 0.5, (0.0, 1.0), {"reason": "too few rows"}
        ),
        "exact_copies": MetricResult("exact_copies", 0.004, "minimize", (0.0, 1.0), {"count": 4}),
        "exact_copies_holdout": MetricResult("exact_copies_holdout", 0.0, "minimize"),
        "dcr_share": MetricResult(
            "dcr_share",
            0.55,
            0.5,
            (0.0, 1.0),
            {
                "hist_train": [5.0, 3.0, 2.0],
                "hist_holdout": [3.0, 4.0, 3.0],
                "bin_edges": [0.0, 0.5, 1.0, 1.5],
            },
            (0.52, 0.58),
        ),
        "dcr_median_ratio": MetricResult(
            "dcr_median_ratio", 0.97, 1.0, (0.0, math.inf), {"n_synthetic_used": 1000}
        ),
    }
    ceiling = {
        "column_shapes": MetricResult("column_shapes", 0.97, "maximize"),
        "column_pair_trends": MetricResult("column_pair_trends", 0.95, "maximize"),
        "missing_values": MetricResult("missing_values", 1.0, "maximize"),
        "validity": MetricResult("validity", 1.0, "maximize"),
        "detection_gbm": MetricResult("detection_gbm", 0.51, 0.5),
    }
    fidelity = (
        "column_shapes",
        "column_pair_trends",
        "missing_values",
        "validity",
        "detection_gbm",
        "detection_logistic",
    )
    privacy = ("exact_copies", "exact_copies_holdout", "dcr_share", "dcr_median_ratio")
    sections = (
        Section("fidelity", "Fidelity", fidelity),
        Section("utility", "Utility", (), "utility skipped: no target"),
        Section("privacy", "Privacy", privacy),
    )
    rules = Thresholds()
    checks = {
        name: assess(metrics[name], rules, ceiling.get(name), metrics)
        for name in fidelity + privacy
    }
    return Report(
        metrics=metrics,
        ceiling=ceiling,
        checks=checks,
        sections=sections,
        warnings=["utility skipped: no target", "detection_logistic not computed: too few rows"],
        sizes={
            "train_rows": 1000,
            "synthetic_rows": 1000,
            "holdout_rows": 250,
            "fidelity_rows": 250,
            "bootstrap": 20,
            "detection_rows": 1000,
        },
        seed=42,
        distributions={
            column: {
                "kind": "integer",
                "type": "histogram",
                "edges": [0.0, 50.0, 100.0],
                "real": [0.4, 0.6],
                "synthetic": [0.5, 0.5],
                "missing_real": 0.0,
                "missing_synthetic": 0.1,
            },
            "city": {
                "kind": "categorical",
                "type": "bars",
                "labels": [category, "Rome"],
                "real": [0.7, 0.3],
                "synthetic": [0.6, 0.4],
                "missing_real": 0.0,
                "missing_synthetic": 0.0,
            },
        },
        thresholds=rules,
    )


@pytest.fixture
def small_report() -> Report:
    """The fixed report of :func:`build_report`."""
    return build_report()


@pytest.fixture
def make_report() -> Callable[..., Report]:
    """:func:`build_report`, to build the report with other column and category names."""
    return build_report
