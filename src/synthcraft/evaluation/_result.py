"""The one result type every metric returns."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

__all__ = ["Goal", "MetricResult"]

Goal: TypeAlias = Literal["maximize", "minimize"] | float
"""What a good score is: as high as possible, as low as possible, or close to a target value."""


@dataclass(frozen=True)
class MetricResult:
    """A metric's value with what it means.

    Parameters
    ----------
    name : str
        Stable metric name (``"column_shapes"``, ``"dcr_share"``, ...).
    score : float
        The value; NaN when it could not be computed (``details["reason"]`` says why).
    goal : "maximize", "minimize" or float
        Direction of better, or a target value (0.5 for detection AUC and DCR share).
    bounds : tuple of float
        Smallest and largest possible values.
    details : mapping
        JSON-ready extra figures (per-column scores, counts, sample sizes).
    interval : tuple of float or None
        A confidence interval for ``score`` when one was computed (95% unless details say).
    """

    name: str
    score: float
    goal: Goal
    bounds: tuple[float, float] = (0.0, 1.0)
    details: Mapping[str, Any] = field(default_factory=dict)
    interval: tuple[float, float] | None = None

    @property
    def ok(self) -> bool:
        """True when the score is a finite number."""
        return math.isfinite(self.score)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN written as null)."""
        return {
            "name": self.name,
            "score": self.score if self.ok else None,
            "goal": self.goal,
            "bounds": list(self.bounds),
            "interval": list(self.interval) if self.interval is not None else None,
            "details": dict(self.details),
        }
