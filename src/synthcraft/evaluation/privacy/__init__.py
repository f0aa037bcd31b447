"""Privacy metrics of a synthetic table against the training rows and a real holdout.

See ``docs/privacy-metrics.md`` for the definition of every figure.
"""

from synthcraft.evaluation.privacy._closest import closest_record_distance
from synthcraft.evaluation.privacy._metrics import privacy_metrics

__all__ = ["closest_record_distance", "privacy_metrics"]
