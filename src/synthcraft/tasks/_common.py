"""Parts shared by the task simulators: argument checks, streams, missingness, block sampling."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import numpy as np
import pandas as pd
from scipy.special import ndtr

from synthcraft._rng import sample_in_blocks, seed_sequence
from synthcraft._types import Conditions, ProgressCallback, SeedLike
from synthcraft.errors import UnsupportedConditionError, UserInputError

__all__ = [
    "MECHANISMS",
    "BlockTask",
    "apply_missing",
    "check_count",
    "check_missing",
    "check_share",
    "check_rows",
    "frame",
    "mixture_cdf",
    "stream",
]

MECHANISMS = ("mcar", "mar", "mnar")
"""Missing-value mechanisms: completely at random, at random (driven by the first feature,
which stays complete), not at random (driven by the cell's own value)."""


def check_count(name: str, value: object, minimum: int = 0) -> int:
    """``value`` as an int >= ``minimum`` or a :class:`UserInputError`."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise UserInputError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def check_share(name: str, value: object, high: float = 1.0, *, closed: bool = False) -> float:
    """``value`` as a float in ``[0, high)`` (``[0, high]`` when ``closed``)."""
    ok = isinstance(value, int | float | np.number) and not isinstance(value, bool)
    number = float(value) if ok else float("nan")  # type: ignore[arg-type]
    if not (0.0 <= number < high or (closed and number == high)):
        bracket = "]" if closed else ")"
        raise UserInputError(f"{name} must be a number in [0, {high:g}{bracket}, got {value!r}")
    return number


def check_rows(n_rows: object) -> int:
    """The number of rows to sample, checked."""
    if isinstance(n_rows, bool) or not isinstance(n_rows, int | np.integer) or n_rows < 0:
        raise UserInputError(
            f"the number of rows must be a whole number >= 0, got {n_rows!r}; pass e.g. -n 1000"
        )
    return int(n_rows)


def stream(seed: np.random.SeedSequence, key: int) -> np.random.Generator:
    """Sub-stream ``key`` of a block seed; the same for every call (``spawn`` is not used)."""
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, key))
    return np.random.Generator(np.random.PCG64(child))


def mixture_cdf(values: np.ndarray, means: np.ndarray, sd: float, probs: np.ndarray) -> np.ndarray:
    """CDF of a Gaussian mixture (component means ``means``, common ``sd``) at ``values``."""
    if sd <= 0:
        return np.asarray((values[:, None] >= means[None, :]) @ probs, dtype=np.float64)
    return np.asarray(ndtr((values[:, None] - means[None, :]) / sd) @ probs, dtype=np.float64)


def check_missing(missing: object, mechanism: object) -> tuple[float, str]:
    """Checked ``(missing share, mechanism)``; mar and mnar allow shares up to 0.5."""
    if mechanism not in MECHANISMS:
        raise UserInputError(
            f"missing_mechanism must be one of {', '.join(MECHANISMS)}, got {mechanism!r}"
        )
    high = 1.0 if mechanism == "mcar" else 0.5
    return check_share("missing", missing, high, closed=high < 1.0), str(mechanism)


def apply_missing(
    columns: dict[str, np.ndarray],
    cdfs: dict[str, np.ndarray],
    share: float,
    mechanism: str,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Masks (True = missing) per feature column, expected share ``share`` in each masked column.

    ``cdfs`` holds each column's true CDF at its values (uniform on [0, 1]): mar masks with
    probability ``2 * share * cdf(first column)`` (that column stays complete), mnar with
    ``2 * share * cdf(own value)``, mcar with ``share``.
    """
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    if share == 0.0 or not names:
        return {}
    u = rng.random((n, len(names)))
    masks: dict[str, np.ndarray] = {}
    for j, name in enumerate(names):
        if mechanism == "mcar":
            prob: np.ndarray | float = share
        elif mechanism == "mar":
            if j == 0:
                continue
            prob = 2.0 * share * cdfs[names[0]]
        else:
            prob = 2.0 * share * cdfs[name]
        masks[name] = u[:, j] < prob
    return masks


def frame(
    names: Sequence[str],
    matrix: np.ndarray,
    categorical: Mapping[str, tuple[np.ndarray, Sequence[str]]],
    masks: Mapping[str, np.ndarray],
    extra: Mapping[str, np.ndarray],
) -> pd.DataFrame:
    """The output table: numeric float64 columns (rows of ``matrix``, changed in place by the
    masks), categorical columns, then ``extra``."""
    for i, name in enumerate(names):
        if name in masks:
            matrix[i, masks[name]] = np.nan
    df = pd.DataFrame(matrix.T, columns=list(names), copy=False)
    for name, (codes, levels) in categorical.items():
        codes = np.where(masks[name], -1, codes) if name in masks else codes
        df[name] = pd.Categorical.from_codes(codes, categories=pd.Index(list(levels)))
    for name, values in extra.items():
        df[name] = values
    return df


class BlockTask:
    """Base of a task: ``sample`` cut into the project's fixed blocks (a BlockSampler).

    Subclasses implement ``_block(seed, n_rows, with_truth) -> DataFrame``.
    """

    _block: Callable[[np.random.SeedSequence, int, bool], pd.DataFrame]

    def sample(
        self,
        n_rows: int,
        *,
        seed: SeedLike = None,
        conditions: Conditions = None,
        progress: ProgressCallback | None = None,
        with_truth: bool = False,
    ) -> pd.DataFrame:
        """``n_rows`` rows; the same seed gives the same rows, and the first ``k`` rows of a
        sample of ``n`` equal a sample of ``k`` (fixed blocks of 65,536 rows).

        With ``with_truth=True`` the task's truth columns follow the data columns (``y_clean``;
        ``p_true_<class>`` for classification). ``conditions`` are not supported.
        """
        n = check_rows(n_rows)
        _no_conditions(conditions)
        if n == 0:
            return self._block(seed_sequence(seed), 0, with_truth)
        block = partial(self.sample_block, with_truth=with_truth)
        return sample_in_blocks(block, n, seed, None, progress)

    def sample_block(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        *,
        start: int = 0,
        conditions: Conditions = None,
        with_truth: bool = False,
    ) -> pd.DataFrame:
        """The rows of one block drawn from its own seed sequence (``start`` is not used)."""
        _no_conditions(conditions)
        return self._block(seed_sequence(seed), check_rows(n_rows), with_truth)


def _no_conditions(conditions: Conditions) -> None:
    if conditions is None or (not isinstance(conditions, pd.DataFrame) and not conditions):
        return
    raise UnsupportedConditionError(
        "task simulators cannot sample under conditions; sample without them and filter the rows"
    )
