"""``evaluate``: every fidelity, utility and privacy figure of a synthetic table, in one Report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from synthcraft._rng import check_rng, draw_seed
from synthcraft._types import ProgressCallback, SeedLike
from synthcraft.errors import UserInputError
from synthcraft.evaluation._encode import check_frame, evaluable_columns
from synthcraft.evaluation._report import Report, Section
from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation._thresholds import Check, Thresholds, assess, load_thresholds
from synthcraft.evaluation._utility import task_of, utility
from synthcraft.evaluation.fidelity import (
    column_distributions,
    compare_fidelity,
    detection,
    validity,
)
from synthcraft.evaluation.fidelity._detection import DETECTION_MODELS
from synthcraft.evaluation.privacy import privacy_metrics
from synthcraft.metadata import Metadata, detect

__all__ = ["Sizes", "evaluate"]

_SHARED_HOLDOUT = 0.5
"""Share of holdout rows found in train above which the report warns that they overlap."""

FIDELITY = (
    "column_shapes",
    "column_pair_trends",
    "missing_values",
    "validity",
    "detection_gbm",
    "detection_logistic",
)
_STREAMS = 8  # child seed streams, one per stage, so skipping a stage changes no other figure


@dataclass(frozen=True)
class Sizes:
    """Most rows each computation uses (a table with fewer rows is used whole).

    Parameters
    ----------
    fidelity_rows : int
        Rows per side for shapes, missing values and pair trends when there is no holdout (with
        a holdout, its size sets the rows, capped by this).
    bootstrap : int
        Bootstrap replicates behind the fidelity intervals.
    detection_rows : int
        Rows per side for the detection classifiers.
    utility_rows : int
        Training rows (real, and as many synthetic) and test rows for utility.
    """

    fidelity_rows: int = 100_000
    bootstrap: int = 20
    detection_rows: int = 50_000
    utility_rows: int = 100_000

    def check(self) -> Sizes:
        """Return self when every size is a whole number (>= 1; bootstrap >= 0)."""
        for name, value in asdict(self).items():
            least = 0 if name == "bootstrap" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise UserInputError(f"sizes.{name} must be a whole number >= {least}")
        return self


class _Progress:
    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        if callback is not None and not callable(callback):
            raise UserInputError("progress must be a function called as progress(done, total)")
        self.callback, self.total, self.done = callback, total, 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.callback is not None:
            self.callback(self.done, self.total)


def _resolve_seed(seed: SeedLike) -> int:
    if seed is None:
        return draw_seed()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        check_rng(seed)  # validates
        return int(seed)
    return int(check_rng(seed).integers(0, 2**63 - 1))


def _resolve_thresholds(thresholds: Thresholds | str | Path | None) -> Thresholds:
    if thresholds is None:
        return Thresholds()
    if isinstance(thresholds, Thresholds):
        return thresholds
    if isinstance(thresholds, (str, Path)):
        return load_thresholds(thresholds)
    raise UserInputError("thresholds must be a Thresholds, a path to a YAML/JSON file, or None")


def _detections(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame | None,
    metadata: Metadata,
    streams: list[np.random.Generator],
    limits: Sizes,
    tick: _Progress,
) -> dict[str, tuple[MetricResult, MetricResult | None]]:
    """Each detection model on synthetic rows, and on holdout rows for the ceiling."""
    out: dict[str, tuple[MetricResult, MetricResult | None]] = {}
    for i, model in enumerate(DETECTION_MODELS):
        found = detection(
            train,
            synthetic,
            metadata,
            model=model,
            seed=streams[1 + i],
            max_rows=limits.detection_rows,
        )
        tick.step()
        found_ceiling = None
        if holdout is not None:
            found_ceiling = detection(
                train,
                holdout,
                metadata,
                model=model,
                seed=streams[3 + i],
                max_rows=limits.detection_rows,
            )
            tick.step()
        out[found.name] = (found, found_ceiling)
    return out


def evaluate(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame | None = None,
    metadata: Metadata | None = None,
    target: str | None = None,
    seed: SeedLike = None,
    thresholds: Thresholds | str | Path | None = None,
    progress: ProgressCallback | None = None,
    *,
    sizes: Sizes | None = None,
    quasi_identifiers: Sequence[str] | None = None,
    secret: str | None = None,
) -> Report:
    """Fidelity, utility and privacy of ``synthetic`` against real ``train`` (and ``holdout``).

    Parameters
    ----------
    train : DataFrame
        The real rows the synthetic data was made from.
    synthetic : DataFrame
        The synthetic rows.
    holdout : DataFrame, optional
        Real rows the model never saw. Gives the fidelity ceiling, the utility test rows and the
        privacy metrics; without it those are skipped and the report says so.
    metadata : Metadata, optional
        Column kinds; detected from ``train`` when not given.
    target : str, optional
        Column to predict for utility (TSTR vs TRTR); without it utility is skipped.
    seed : int, Generator or None
        Reproduces every figure; drawn (and recorded in the report) when not given.
    thresholds : Thresholds, path or None
        Pass / warn / fail rules, or a YAML/JSON file of them; defaults when None.
    progress : callable, optional
        Called as ``progress(done, total)`` as stages finish; nothing is printed.
    sizes : Sizes, optional
        Row limits of each computation.
    quasi_identifiers, secret : optional
        Passed to the privacy metrics (``secret`` defaults to ``target``).

    Returns
    -------
    Report
        Render with ``to_text()``, ``to_html()`` or ``to_json()``.
    """
    limits = (sizes if sizes is not None else Sizes()).check()
    if not isinstance(train, pd.DataFrame):
        raise UserInputError(f"training table must be a pandas DataFrame, got {type(train)}")
    if metadata is None:
        metadata = detect(train)
    elif not isinstance(metadata, Metadata):
        raise UserInputError("metadata must be a synthcraft Metadata or None (to detect it)")
    if not evaluable_columns(metadata):
        raise UserInputError(
            "the metadata has no column to compare (ids, PII and free text are left out); "
            "describe at least one number, date or category"
        )
    rules = _resolve_thresholds(thresholds)
    check_frame(train, "training table", metadata)
    check_frame(synthetic, "synthetic table", metadata)
    if holdout is not None:
        check_frame(holdout, "holdout table", metadata)
    if target is not None:
        task_of(metadata, target)
    seed_int = _resolve_seed(seed)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed_int).spawn(_STREAMS)]
    has_holdout = holdout is not None
    n_utility = int(has_holdout and target is not None)
    total = limits.bootstrap + 1 + 2 + 2 * has_holdout + 1 + n_utility + int(has_holdout)
    tick = _Progress(progress, total)

    warnings: list[str] = []
    fid = compare_fidelity(
        train,
        synthetic,
        metadata,
        holdout=holdout,
        seed=streams[0],
        max_rows=limits.fidelity_rows,
        bootstrap=limits.bootstrap,
        progress=lambda _done, _total: tick.step(),
    )
    metrics: dict[str, MetricResult] = dict(fid.metrics)
    ceiling: dict[str, MetricResult] = dict(fid.ceiling)
    metrics["validity"] = validity(synthetic, metadata)
    if holdout is not None:
        ceiling["validity"] = validity(holdout, metadata)
    distributions = column_distributions(train, synthetic, metadata)
    tick.step()
    for name, (result, result_ceiling) in _detections(
        train, synthetic, holdout, metadata, streams, limits, tick
    ).items():
        metrics[name] = result
        if result_ceiling is not None:
            ceiling[name] = result_ceiling
    if holdout is None:
        warnings.append(
            "no holdout: fidelity is compared with ideal scores, not with a holdout ceiling"
        )

    utility_names: tuple[str, ...] = ()
    utility_note = None
    if target is None:
        utility_note = "utility skipped: no target"
    elif holdout is None:
        utility_note = "utility skipped: no holdout to test on"
    else:
        found, found_ceiling = utility(
            train,
            synthetic,
            holdout,
            metadata,
            target,
            seed=streams[5],
            max_rows=limits.utility_rows,
        )
        metrics |= found
        ceiling |= found_ceiling
        utility_names = tuple(found)
        tick.step()
    if utility_note:
        warnings.append(utility_note)

    privacy_names: tuple[str, ...] = ()
    privacy_note = None
    if holdout is None:
        privacy_note = "privacy skipped: no holdout"
        warnings.append(privacy_note)
    else:
        results = privacy_metrics(
            train,
            synthetic,
            holdout,
            metadata,
            seed=streams[6],
            quasi_identifiers=quasi_identifiers,
            secret=secret if secret is not None else target,
        )
        for r in results:
            metrics[r.name] = r
        privacy_names = tuple(r.name for r in results)
        tick.step()
        shared = metrics.get("exact_copies_holdout")
        if shared is not None and shared.ok and shared.score > _SHARED_HOLDOUT:
            warnings.append(
                f"{shared.score:.0%} of the holdout rows also appear in train: the holdout must "
                "be real rows kept away from the model, or every comparison with it is void"
            )

    sections = (
        Section("fidelity", "Fidelity", FIDELITY),
        Section("utility", "Utility", utility_names, utility_note),
        Section("privacy", "Privacy", privacy_names, privacy_note),
    )
    checks: dict[str, Check] = {
        name: assess(metrics[name], rules, ceiling.get(name), metrics)
        for section in sections
        for name in section.metrics
    }
    for check in checks.values():
        if check.status == "n/a":
            reason = metrics[check.metric].details.get("reason", "not computable")
            warnings.append(f"{check.metric} not computed: {reason}")
    det = metrics["detection_gbm"].details.get("rows_per_side", 0)
    sizes_used = {
        "train_rows": len(train),
        "synthetic_rows": len(synthetic),
        "holdout_rows": len(holdout) if holdout is not None else 0,
        "fidelity_rows": fid.rows,
        "bootstrap": fid.bootstrap,
        "detection_rows": int(det),
    }
    if utility_names:
        rows = metrics["utility"].details["rows"]
        sizes_used |= {f"utility_{k}_rows": int(v) for k, v in rows.items()}
    return Report(
        metrics=metrics,
        ceiling=ceiling,
        checks=checks,
        sections=sections,
        warnings=warnings,
        sizes=sizes_used,
        seed=seed_int,
        distributions=distributions,
        thresholds=rules,
        target=target,
    )
