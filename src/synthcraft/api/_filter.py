"""Privacy filter: replace synthetic rows that lie closer to a training row than real rows do.

The threshold is a low quantile of how close fresh real rows (the holdout) lie to the training
rows. A synthetic row closer than that to its nearest training row is replaced by a freshly
sampled row that passes the same check. See ``docs/privacy-filter.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.errors import PrivacyFilterError, UserInputError
from synthcraft.evaluation.privacy import closest_record_distance
from synthcraft.metadata import ColumnKind, Metadata, detect

__all__ = ["PrivacyFilterError", "Resample", "check_quantile", "privacy_filter"]

Resample = Callable[[int, int], pd.DataFrame]
"""``resample(k, seed)``: ``k`` fresh synthetic rows drawn with ``seed``."""

_KEPT_KINDS = (ColumnKind.ID, ColumnKind.PII)
_MIN_PASS_RATE = 0.1
_MARGIN = 1.2
_MAX_SEED = 2**63 - 1


def check_quantile(value: object) -> float:
    """The privacy filter's quantile, checked: a number strictly between 0 and 1."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not 0.0 < value < 1.0
    ):
        raise UserInputError(
            f"the privacy filter quantile must be a number between 0 and 1, got {value!r}; "
            "e.g. 0.05"
        )
    return float(value)


def _round_seeds(seed: int, rounds: int) -> list[int]:
    children = np.random.SeedSequence(seed).spawn(rounds)
    return [int(c.generate_state(1, dtype=np.uint64)[0]) & _MAX_SEED for c in children]


def _merge(
    synthetic: pd.DataFrame,
    accepted: list[pd.DataFrame],
    targets: list[np.ndarray],
    kept: list[str],
) -> pd.DataFrame:
    """``synthetic`` with ``accepted[i]``'s rows at positions ``targets[i]``; ``kept`` unchanged."""
    base = synthetic.reset_index(drop=True)
    if not accepted:
        return base
    pool = pd.concat([base, *accepted], ignore_index=True)
    take = np.arange(len(base))
    offset = len(base)
    for rows, where in zip(accepted, targets, strict=True):
        take[where] = offset + np.arange(len(rows))
        offset += len(rows)
    out = pool.iloc[take].reset_index(drop=True)
    for name in out.columns:
        if name in kept:
            out[name] = base[name]
        elif out[name].dtype != base[name].dtype:
            out[name] = out[name].astype(base[name].dtype)
    return out


def privacy_filter(
    synthetic: pd.DataFrame,
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    *,
    quantile: float = 0.05,
    resample: Resample,
    seed: int,
    max_rounds: int = 10,
    metadata: Metadata | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Replace synthetic rows that are closer to a training row than most real rows are.

    The threshold is the ``quantile`` of the holdout rows' distances to their nearest training
    row (the distance of ``dcr_share``: Euclidean on min-max scaled numbers and one-hot
    categories fitted on ``train``, ids, PII and free text left out, every training row
    searched). Each synthetic row strictly closer than the threshold to its nearest training
    row is replaced, in place, by a fresh row from ``resample`` that is not; each round draws
    enough rows for the pass rate seen so far (with a margin), for at most ``max_rounds``
    rounds, so exactly ``len(synthetic)`` rows come out. Id and PII columns keep the values
    first sampled, so keys stay unique. The training rows are used during the call only.

    Parameters
    ----------
    synthetic : DataFrame
        The sampled rows.
    train, holdout : DataFrame
        The rows the model was fitted on, and real rows it never saw.
    quantile : float
        Share of holdout rows that would fail the check, strictly between 0 and 1.
    resample : callable
        ``resample(k, seed)`` returns ``k`` fresh rows with ``synthetic``'s columns.
    seed : int
        Seed of the rounds; round ``i`` calls ``resample`` with child ``i`` of
        ``SeedSequence(seed)``, so the output is the same for the same seed.
    max_rounds : int
        Most rounds of resampling.
    metadata : Metadata, optional
        Column kinds; detected from ``train`` when None.

    Returns
    -------
    rows : DataFrame
        ``len(synthetic)`` rows with a ``RangeIndex`` and ``synthetic``'s dtypes.
    report : dict
        ``quantile``, ``threshold``, ``rows``, ``replaced`` (synthetic rows replaced),
        ``rounds`` (rounds of resampling done), ``drawn`` and ``rejected`` (fresh rows drawn,
        and among them those that failed too).

    Raises
    ------
    PrivacyFilterError
        Some rows still fail after ``max_rounds`` rounds (the rows are not returned: keeping
        them would break the promise of the filter).
    UserInputError
        Bad arguments, empty tables, or no column that distances can use.

    Examples
    --------
    >>> rows, report = privacy_filter(syn, train, holdout, resample=draw, seed=0)
    ... # doctest: +SKIP
    >>> report["replaced"]  # doctest: +SKIP
    12
    """
    q = check_quantile(quantile)
    if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
        raise UserInputError(f"max_rounds must be a whole number >= 1, got {max_rounds!r}")
    if len(holdout) == 0:
        raise UserInputError("the holdout table is empty; the privacy filter needs real rows")
    md = detect(train) if metadata is None else metadata
    distance = closest_record_distance(train, md)
    threshold = float(np.quantile(distance(holdout), q))
    n = len(synthetic)
    failing = np.flatnonzero(distance(synthetic) < threshold)
    replaced = len(failing)
    pass_rate = 1.0 - replaced / n if n else 1.0
    kept = [c.name for c in md if c.kind in _KEPT_KINDS and c.name in synthetic.columns]
    accepted: list[pd.DataFrame] = []
    targets: list[np.ndarray] = []
    drawn = rejected = rounds = 0
    for round_seed in _round_seeds(seed, max_rounds):
        if failing.size == 0:
            break
        rounds += 1
        k = math.ceil(failing.size / max(pass_rate, _MIN_PASS_RATE) * _MARGIN)
        fresh = resample(k, round_seed)
        if len(fresh) != k or list(fresh.columns) != list(synthetic.columns):
            raise UserInputError(
                f"resample({k}, seed) returned {len(fresh)} rows with other columns than the "
                "synthetic table; it must return k rows with the same columns"
            )
        ok = np.flatnonzero(distance(fresh) >= threshold)
        drawn += k
        rejected += k - ok.size
        pass_rate = ok.size / k
        use = ok[: failing.size]
        accepted.append(fresh.iloc[use].reset_index(drop=True))
        targets.append(failing[: use.size])
        failing = failing[use.size :]
    if failing.size:
        raise PrivacyFilterError(
            f"{failing.size} of {n} synthetic rows still lay closer to a training row than "
            f"{q:.1%} of real rows after {max_rounds} rounds; the model may copy its training "
            "rows: raise max_rounds, lower the quantile or use another model"
        )
    report: dict[str, Any] = {
        "quantile": q,
        "threshold": threshold,
        "rows": n,
        "replaced": replaced,
        "rounds": rounds,
        "drawn": drawn,
        "rejected": rejected,
    }
    return _merge(synthetic, accepted, targets, kept), report
