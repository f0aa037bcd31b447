"""Fidelity: how closely a synthetic table follows the real one, column by column and pairwise."""

from synthcraft.evaluation.fidelity._ceiling import FidelityComparison, compare_fidelity
from synthcraft.evaluation.fidelity._detection import detection
from synthcraft.evaluation.fidelity._shapes import (
    column_distributions,
    column_shapes,
    missing_values,
)
from synthcraft.evaluation.fidelity._trends import column_pair_trends, pairwise_pearson
from synthcraft.evaluation.fidelity._validity import validity

__all__ = [
    "FidelityComparison",
    "column_distributions",
    "column_pair_trends",
    "column_shapes",
    "compare_fidelity",
    "detection",
    "missing_values",
    "pairwise_pearson",
    "validity",
]
