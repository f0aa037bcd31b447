"""ML task simulators with known truth.

A factory draws a task's truth once from its ``seed``; the task is then a Sampler whose
``sample(n, seed=..., with_truth=False)`` gives rows in the project's fixed blocks. With
``with_truth=True`` the truth columns per row follow (``y_clean``, and ``p_true_<class>`` for
classification). ``task.truth.to_dict()`` is JSON-ready.
"""

from __future__ import annotations

from synthcraft.tasks._classification import ClassificationTask, classification
from synthcraft.tasks._regression import RegressionTask, regression
from synthcraft.tasks._truth import ClassificationTruth, MissingTruth, RegressionTruth

__all__ = [
    "ClassificationTask",
    "ClassificationTruth",
    "MissingTruth",
    "RegressionTask",
    "RegressionTruth",
    "classification",
    "regression",
]
