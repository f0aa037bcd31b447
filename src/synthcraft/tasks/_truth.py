"""The known truth of a task: frozen records with a JSON-ready ``to_dict``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

__all__ = ["ClassificationTruth", "MissingTruth", "RegressionTruth"]


def _plain(value: Any) -> Any:
    """``value`` with arrays, tuples, mappings and numpy scalars made JSON-ready."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (arrays become nested lists)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False)
class MissingTruth(_Record):
    """How values were hidden: expected ``share`` per masked column, ``mechanism`` and, for
    ``mar``, the complete ``driver`` column whose true CDF drives the masking."""

    share: float
    mechanism: str
    driver: str | None
    columns: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class ClassificationTruth(_Record):
    """Truth of :func:`synthcraft.tasks.classification`.

    Attributes
    ----------
    roles : mapping of str to str
        Role of every feature column: informative, redundant, repeated, noise or categorical.
    classes : tuple of int
        Class labels ``0 .. k-1``.
    weights : ndarray
        Class shares (the label's marginal distribution without categorical effects).
    centroids : ndarray
        ``(n_classes * clusters_per_class, n_informative)`` cluster centres (unscaled).
    centroid_classes : ndarray
        Class of each centroid.
    redundant_weights : ndarray
        ``(n_informative, n_redundant)``: redundant = informative @ redundant_weights.
    repeated_from : mapping of str to str
        Source column of each repeated column.
    levels, categorical_effects : mapping
        Levels of each categorical column and their ``(n_levels, n_classes)`` logit effects.
    scale : ndarray
        Factor each numeric column was multiplied by (after all truth was computed).
    label_noise : float
        Share of labels replaced by a uniformly drawn class.
    accuracy_cap : float
        ``1 - label_noise * (1 - 1/k)``: accuracy of a perfect predictor of ``y_clean``.
    missing : MissingTruth
        How values were hidden.
    """

    roles: Mapping[str, str]
    classes: tuple[int, ...]
    weights: np.ndarray
    separation: float
    centroids: np.ndarray
    centroid_classes: np.ndarray
    redundant_weights: np.ndarray
    repeated_from: Mapping[str, str]
    levels: Mapping[str, tuple[str, ...]]
    categorical_effects: Mapping[str, np.ndarray]
    scale: np.ndarray
    label_noise: float
    accuracy_cap: float
    missing: MissingTruth
    target: str = "y"


@dataclass(frozen=True, eq=False)
class RegressionTruth(_Record):
    """Truth of :func:`synthcraft.tasks.regression`: ``y = f(X) + effects + noise_sd * e``.

    Attributes
    ----------
    roles : mapping of str to str
        Role of every feature column: informative, noise or categorical.
    shape : str
        Name of the generating function (linear, friedman1, sine, interaction).
    formula : str
        The generating function written out over the informative columns.
    params : mapping of str to ndarray
        Its parameters (``coefficients`` for linear; see :func:`regression`).
    levels, categorical_effects : mapping
        Levels of each categorical column and the additive effect of each level.
    signal_variance : float
        Exact variance of the noise-free target ``y_clean``.
    noise_sd : float
        Standard deviation of the Gaussian noise; ``R^2`` of ``y_clean`` is ``1 - noise``.
    missing : MissingTruth
        How values were hidden.
    """

    roles: Mapping[str, str]
    shape: str
    formula: str
    params: Mapping[str, np.ndarray]
    levels: Mapping[str, tuple[str, ...]]
    categorical_effects: Mapping[str, np.ndarray]
    signal_variance: float
    noise: float
    noise_sd: float
    missing: MissingTruth
    target: str = "y"

    @property
    def informative(self) -> list[str]:
        """Names of the informative numeric columns, in order."""
        return [c for c, r in self.roles.items() if r == "informative"]

    @property
    def numeric(self) -> list[str]:
        """Names of all numeric feature columns, in order (the columns of ``gradient``)."""
        return [c for c, r in self.roles.items() if r != "categorical"]

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """Partial derivatives of ``f`` at each row of ``x`` (numeric columns, in order).

        Examples
        --------
        >>> from synthcraft.tasks import regression
        >>> t = regression(n_features=3, n_informative=2, shape="linear", seed=0).truth
        >>> bool((t.gradient(np.zeros((1, 3)))[0, :2] == t.params["coefficients"]).all())
        True
        """
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        grad = np.zeros_like(x)
        k = len(self.informative)
        xi = x[:, :k]
        p = self.params
        if self.shape == "linear":
            grad[:, :k] = p["coefficients"]
        elif self.shape == "sine":
            grad[:, :k] = p["amplitudes"] * p["frequencies"] * np.cos(p["frequencies"] * xi)
        elif self.shape == "interaction":
            grad[:, :k] = p["coefficients"]
            for (i, j), g in zip(p["pairs"], p["pair_coefficients"], strict=True):
                grad[:, i] += g * xi[:, j]
                grad[:, j] += g * xi[:, i]
        else:  # friedman1
            inner = np.pi * xi[:, 0] * xi[:, 1]
            grad[:, 0] = 10 * np.pi * xi[:, 1] * np.cos(inner)
            grad[:, 1] = 10 * np.pi * xi[:, 0] * np.cos(inner)
            grad[:, 2] = 40 * (xi[:, 2] - 0.5)
            grad[:, 3] = 10.0
            grad[:, 4] = 5.0
        return grad
