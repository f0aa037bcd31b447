"""Evaluation: fidelity, utility and privacy of a synthetic table against real data."""

from synthcraft.evaluation._result import Goal, MetricResult

__all__ = ["Goal", "MetricResult"]
