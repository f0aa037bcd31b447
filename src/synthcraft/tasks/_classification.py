"""Classification with known truth: Gaussian clusters on hypercube vertices (like sklearn's
``make_classification``) with exact class probabilities per row."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtr

from synthcraft._rng import check_rng
from synthcraft._types import SeedLike
from synthcraft.errors import UserInputError
from synthcraft.tasks._common import (
    BlockTask,
    apply_missing,
    check_count,
    check_missing,
    check_share,
    frame,
    mixture_cdf,
    stream,
)
from synthcraft.tasks._truth import ClassificationTruth, MissingTruth

__all__ = ["ClassificationTask", "classification"]

_COMPONENT, _NORMAL, _LEVELS, _LABEL, _MISSING = range(5)


def _vertices(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct random vertices of the ``{-1, 1}^dim`` hypercube."""
    found: dict[bytes, np.ndarray] = {}
    while len(found) < n:
        v = rng.integers(0, 2, size=dim).astype(np.float64) * 2 - 1
        found.setdefault(v.tobytes(), v)
    return np.array(list(found.values()))


def _weights(imbalance: object, weights: object, k: int) -> np.ndarray:
    if imbalance is not None and weights is not None:
        raise UserInputError("give imbalance or weights, not both")
    if imbalance is not None:
        if k != 2:
            raise UserInputError(f"imbalance is for 2 classes (got {k}); pass weights instead")
        share = check_share("imbalance", imbalance, 0.5, closed=True)
        if share == 0.0:
            raise UserInputError("imbalance must be > 0 (the minority class share), got 0")
        return np.array([1.0 - share, share])
    if weights is None:
        return np.full(k, 1.0 / k)
    w = np.asarray(weights, dtype=np.float64) if isinstance(weights, Sequence) else None
    if w is None or w.shape != (k,) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise UserInputError(
            f"weights must be {k} positive numbers (one per class), got {weights!r}"
        )
    out: np.ndarray = w / w.sum()
    return out


class ClassificationTask(BlockTask):
    """A classification task built by :func:`classification`; ``truth`` holds what made it."""

    def __init__(self, truth: ClassificationTruth) -> None:
        self.truth = truth
        t = truth
        self._numeric = [c for c, r in t.roles.items() if r != "categorical"]
        self._informative = [c for c, r in t.roles.items() if r == "informative"]
        self._noise = [c for c, r in t.roles.items() if r == "noise"]
        self._redundant = [c for c, r in t.roles.items() if r == "redundant"]
        k = len(t.classes)
        clusters = len(t.centroids) // k
        self._probs = np.repeat(t.weights / clusters, clusters)  # component shares
        self._component_class = t.centroid_classes
        self._half_sq = 0.5 * np.sum(t.centroids**2, axis=1)
        self._log_prior = np.log(self._probs)
        self._effect_odds = {c: np.exp(e) for c, e in t.categorical_effects.items()}

    def _block(self, seed: np.random.SeedSequence, n: int, with_truth: bool) -> pd.DataFrame:
        t = self.truth
        k, m = len(t.classes), len(t.centroids)
        u = stream(seed, _COMPONENT).random(n)
        comp = np.minimum(np.searchsorted(np.cumsum(self._probs), u, side="right"), m - 1)
        n_inf, n_noise = len(self._informative), len(self._noise)
        z = stream(seed, _NORMAL).standard_normal((n, n_inf + n_noise))
        informative = z[:, :n_inf] + np.take(t.centroids, comp, axis=0)
        # p(class | x) from the mixture, times the categorical effects' exp(logit shift)
        comp_logit = informative @ t.centroids.T - self._half_sq + self._log_prior
        comp_logit -= comp_logit.max(axis=1, keepdims=True)
        odds = np.exp(comp_logit, out=comp_logit).reshape(n, k, m // k).sum(axis=2)
        codes: dict[str, np.ndarray] = {}
        if t.levels:
            lv = stream(seed, _LEVELS).random((n, len(t.levels)))
            for j, (name, levels) in enumerate(t.levels.items()):
                codes[name] = (lv[:, j] * len(levels)).astype(np.int64)
                odds *= self._effect_odds[name][codes[name]]
        p_true = odds / odds.sum(axis=1, keepdims=True)
        lab = stream(seed, _LABEL).random((n, 3))
        cum = np.cumsum(p_true, axis=1)
        y_clean = np.minimum((cum < lab[:, :1]).sum(axis=1), k - 1)
        flip = lab[:, 1] < t.label_noise
        y = np.where(flip, np.minimum((lab[:, 2] * k).astype(np.int64), k - 1), y_clean)
        matrix = self._matrix(informative, z[:, n_inf:])
        masks = self._masks(matrix, codes, seed)
        matrix *= t.scale[:, None]
        categorical = {name: (codes[name], t.levels[name]) for name in t.levels}
        extra: dict[str, np.ndarray] = {t.target: y.astype(np.int64)}
        if with_truth:
            extra["y_clean"] = y_clean.astype(np.int64)
            extra.update({f"p_true_{c}": p_true[:, c] for c in t.classes})
        return frame(self._numeric, matrix, categorical, masks, extra)

    def _matrix(self, informative: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """Numeric columns (unscaled) as rows of a ``(n_features, n)`` array."""
        t = self.truth
        n_inf, n_red = len(self._informative), len(self._redundant)
        out = np.empty((len(self._numeric), len(informative)))
        out[:n_inf] = informative.T
        out[n_inf : n_inf + n_red] = (informative @ t.redundant_weights).T
        index = {name: i for i, name in enumerate(self._numeric)}
        for name, src in t.repeated_from.items():
            out[index[name]] = out[index[src]]
        out[len(out) - len(self._noise) :] = noise.T
        return out

    def _masks(
        self, matrix: np.ndarray, codes: dict[str, np.ndarray], seed: np.random.SeedSequence
    ) -> dict[str, np.ndarray]:
        miss = self.truth.missing
        if miss.share == 0.0:
            return {}
        columns: dict[str, np.ndarray] = {**dict(zip(self._numeric, matrix, strict=True)), **codes}
        need = [miss.driver] if miss.mechanism == "mar" else list(columns)
        need = [] if miss.mechanism == "mcar" else need
        cdfs = {name: self._cdf(name, columns[name]) for name in need if name is not None}
        return apply_missing(columns, cdfs, miss.share, miss.mechanism, stream(seed, _MISSING))

    def _cdf(self, name: str, values: np.ndarray) -> np.ndarray:
        """True marginal CDF of a (unscaled) column at ``values``."""
        t = self.truth
        if name in t.levels:
            return (values + 0.5) / len(t.levels[name])
        name = t.repeated_from.get(name, name)
        if name in self._noise:
            return np.asarray(ndtr(values), dtype=np.float64)
        if name in self._informative:
            b = np.zeros(len(self._informative))
            b[self._informative.index(name)] = 1.0
        else:
            b = t.redundant_weights[:, self._redundant.index(name)]
        return mixture_cdf(values, t.centroids @ b, float(np.linalg.norm(b)), self._probs)


def classification(
    *,
    n_features: int = 20,
    n_informative: int = 5,
    n_redundant: int = 2,
    n_repeated: int = 0,
    n_classes: int = 2,
    clusters_per_class: int = 2,
    separation: float = 1.0,
    imbalance: float | None = None,
    weights: Sequence[float] | None = None,
    label_noise: float = 0.0,
    n_categorical: int = 0,
    n_levels: int = 4,
    missing: float = 0.0,
    missing_mechanism: str = "mcar",
    scale: float | Sequence[float] | None = None,
    seed: SeedLike = None,
) -> ClassificationTask:
    """A classification task with known truth; its truth is drawn once from ``seed``.

    Each class has ``clusters_per_class`` Gaussian clusters (identity covariance) centred on
    distinct vertices of a hypercube with side ``2 * separation`` in the informative columns.
    Redundant columns are random linear combinations of the informative ones, repeated columns
    copy informative or redundant ones, noise columns are standard normal. Categorical columns
    (uniform levels) add per-level effects to the class logits. The clean label ``y_clean`` is
    drawn from the exact class probabilities ``p_true``; then a share ``label_noise`` of labels
    is replaced by a uniformly drawn class, so ``P(y = c | x) = (1 - f) p_true_c + f / k``.

    Parameters
    ----------
    n_features : int
        Numeric feature columns ``x0 ..`` (informative, redundant, repeated, then noise).
    n_informative, n_redundant, n_repeated : int
        Numbers of each kind of numeric column.
    n_classes, clusters_per_class : int
        Classes (labels ``0 .. k-1`` in column ``y``) and Gaussian clusters per class.
    separation : float
        Half the side of the hypercube; larger is easier.
    imbalance : float, optional
        Share of class 1 (the minority) for two classes, in (0, 0.5].
    weights : sequence of float, optional
        Class shares (normalised); give this or ``imbalance``.
    label_noise : float
        Share ``f`` in [0, 1) of labels replaced by a uniform class.
    n_categorical, n_levels : int
        Categorical columns ``c0 ..`` and their number of levels.
    missing : float
        Expected share of missing cells per feature column.
    missing_mechanism : {"mcar", "mar", "mnar"}
        See :data:`synthcraft.tasks._common.MECHANISMS`; mar and mnar allow ``missing <= 0.5``.
    scale : float or sequence of float, optional
        Factor(s) numeric columns are multiplied by after the truth is computed.
    seed : int, Generator or None
        Seed of the truth (not of the rows: ``sample`` takes its own seed).

    Examples
    --------
    >>> task = classification(n_features=4, n_informative=2, n_redundant=0, seed=0)
    >>> task.truth.roles["x0"], task.truth.accuracy_cap
    ('informative', 1.0)
    >>> task.sample(3, seed=1, with_truth=True).columns.tolist()
    ['x0', 'x1', 'x2', 'x3', 'y', 'y_clean', 'p_true_0', 'p_true_1']
    """
    n_feat = check_count("n_features", n_features, 1)
    n_inf = check_count("n_informative", n_informative, 1)
    n_red = check_count("n_redundant", n_redundant)
    n_rep = check_count("n_repeated", n_repeated)
    k = check_count("n_classes", n_classes, 2)
    per = check_count("clusters_per_class", clusters_per_class, 1)
    n_cat = check_count("n_categorical", n_categorical)
    n_lev = check_count("n_levels", n_levels, 2)
    if n_inf + n_red + n_rep > n_feat:
        raise UserInputError(
            f"n_informative + n_redundant + n_repeated ({n_inf + n_red + n_rep}) must be at most "
            f"n_features ({n_feat}); raise n_features"
        )
    if k * per > 2**n_inf:
        raise UserInputError(
            f"n_classes * clusters_per_class ({k * per}) must be at most 2**n_informative "
            f"({2**n_inf}); raise n_informative or lower clusters_per_class"
        )
    sep = check_share("separation", separation, float("inf"))
    w = _weights(imbalance, weights, k)
    f = check_share("label_noise", label_noise)
    share, mechanism = check_missing(missing, missing_mechanism)
    scales = np.ones(n_feat) if scale is None else np.asarray(scale, dtype=np.float64)
    scales = np.broadcast_to(scales, (n_feat,)) if scales.ndim == 0 else scales
    if scales.shape != (n_feat,) or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
        raise UserInputError(f"scale must be one positive number or {n_feat}, got {scale!r}")

    rng = check_rng(seed)
    names = [f"x{i}" for i in range(n_feat)]
    kinds = ["informative"] * n_inf + ["redundant"] * n_red + ["repeated"] * n_rep
    roles = dict(zip(names, kinds + ["noise"] * (n_feat - len(kinds)), strict=True))
    centroids = _vertices(k * per, n_inf, rng) * sep
    redundant_weights = rng.uniform(-1.0, 1.0, size=(n_inf, n_red))
    sources = names[: n_inf + n_red]
    picks = rng.integers(0, len(sources), size=n_rep)
    repeated = {names[n_inf + n_red + i]: sources[int(p)] for i, p in enumerate(picks)}
    cats = [f"c{i}" for i in range(n_cat)]
    roles.update({c: "categorical" for c in cats})
    levels = {c: tuple(f"L{j}" for j in range(n_lev)) for c in cats}
    effects = {}
    for c in cats:
        e = rng.normal(0.0, max(sep, 0.5), size=(n_lev, k))
        effects[c] = e - e.mean(axis=0)
    features = [c for c in roles]
    masked = tuple(features[1:] if mechanism == "mar" else features) if share > 0 else ()
    truth = ClassificationTruth(
        roles=roles,
        classes=tuple(range(k)),
        weights=w,
        separation=sep,
        centroids=centroids,
        centroid_classes=np.repeat(np.arange(k), per),
        redundant_weights=redundant_weights,
        repeated_from=repeated,
        levels=levels,
        categorical_effects=effects,
        scale=np.array(scales, dtype=np.float64),
        label_noise=f,
        accuracy_cap=1.0 - f * (1.0 - 1.0 / k),
        missing=MissingTruth(share, mechanism, features[0] if mechanism == "mar" else None, masked),
    )
    return ClassificationTask(truth)
