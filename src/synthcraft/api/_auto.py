"""``auto``: choose a registered model from the table's size and shape and a time budget.

Not a model itself: :func:`choose_model` returns the name and settings of a registered model,
with the reason and the scores of any candidates tried; :func:`synthcraft.api.fit` fits that
model and records the choice in its training summary. See ``docs/cli.md`` (``fit``).
"""

from __future__ import annotations

import importlib.util
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from synthcraft import synthesizers
from synthcraft.errors import SynthcraftError, UserInputError
from synthcraft.evaluation.fidelity import column_pair_trends, column_shapes, detection
from synthcraft.metadata import ColumnKind, Metadata, detect

__all__ = [
    "AUTO",
    "DEFAULT_BUDGET",
    "PREFERENCE",
    "AutoChoice",
    "choose_model",
    "fit_seconds",
    "parse_time_budget",
]

AUTO = "auto"
"""The model name that asks for a choice."""
DEFAULT_BUDGET = 60.0
"""Seconds assumed when no time budget is given."""
PREFERENCE = ("cart", "argn", "copula", "independent")
"""Models considered, strongest first; names not registered are skipped."""

_COST = {"independent": 0.01, "copula": 0.05, "cart": 0.1, "argn": 0.5}
"""Fit seconds per 1,000 rows x 15 columns (argn: 40 epochs on 2 cores), measured roughly."""
_EVAL_COST = 0.15
"""Seconds to score one candidate per 1,000 validation rows x 15 columns."""
_ARGN_EPOCHS = 40
_ARGN_MIN_ROWS = 1_000
_ARGN_MIN_EPOCHS = 5
_ARGN_SHARE = 0.6
"""Share of the budget that argn trains for, at most."""
_TINY_ROWS = 200
_QUICK_BUDGET = 10.0
_TRIAL_MIN_ROWS = 500
_TRIAL_MAX_ROWS = 20_000
_TRIAL_SHARE = 0.4
"""Share of the budget that trying candidates may take (by the estimates)."""
_VALIDATION_SHARE = 0.2
_MAX_CANDIDATES = 3
_MAX_SEED = 2**63 - 1
_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(s|sec|m|min|h)?\s*$", re.IGNORECASE)
_UNIT = {"": 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_time_budget(value: str | float | None) -> float | None:
    """Seconds from ``90s``, ``2m``, ``1h``, ``"45"`` or a number; None stays None.

    Examples
    --------
    >>> parse_time_budget("2m"), parse_time_budget("90s"), parse_time_budget(1.5)
    (120.0, 90.0, 1.5)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        seconds = math.nan
    elif isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNIT[(match.group(2) or "").lower()]
    else:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise UserInputError(
            f"time budget {value!r} is not a positive duration; use e.g. 90s, 2m, 1h or seconds"
        )
    return seconds


def fit_seconds(model: str, rows: int, columns: int, *, epochs: int = _ARGN_EPOCHS) -> float:
    """Rough fit time of a known model (argn: for ``epochs`` epochs); NaN for others."""
    if model not in _COST:
        return math.nan
    scale = _COST[model] * (rows / 1_000) * (max(columns, 1) / 15)
    return scale * epochs / _ARGN_EPOCHS if model == "argn" else scale


@dataclass(frozen=True)
class AutoChoice:
    """The model ``auto`` chose.

    Parameters
    ----------
    chosen : str
        Registered model name.
    reason : str
        Why, in one sentence.
    settings : mapping
        Settings to fit it with (e.g. argn's ``time_budget``), besides the seed.
    candidates : tuple of mapping
        The candidates tried on a validation split: ``name``, ``detection_auc``,
        ``pair_trends``, ``shapes`` and ``seconds`` (or ``error``), best first; empty when
        the choice was made by rule.
    time_budget : float
        The budget in seconds the choice was made for.
    """

    chosen: str
    reason: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    candidates: tuple[Mapping[str, Any], ...] = ()
    time_budget: float = DEFAULT_BUDGET

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (as recorded in the model's training summary under ``auto``)."""
        return {
            "chosen": self.chosen,
            "reason": self.reason,
            "time_budget": self.time_budget,
            "settings": dict(self.settings),
            "candidates": [dict(c) for c in self.candidates],
        }


def _torch_installed() -> bool:
    return importlib.util.find_spec("torch") is not None


def _pool(available: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """Known models that are registered (and usable), strongest first, and notes on the rest."""
    registered = set(synthesizers.list_synthesizers())
    wanted = PREFERENCE if available is None else tuple(available)
    pool, notes = [], []
    for name in wanted:
        if name not in registered or name not in _COST:
            continue
        if synthesizers.get(name).tags.needs_torch and not _torch_installed():
            notes.append(f"{name} skipped: torch is not installed")
            continue
        pool.append(name)
    if not pool:
        raise UserInputError(
            "no model to choose from: none of "
            f"{', '.join(wanted) or '(none)'} is registered and usable; name a model with --model"
        )
    return pool, notes


def _child_seeds(seed: int, n: int) -> list[int]:
    children = np.random.SeedSequence(seed).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0]) & _MAX_SEED for c in children]


def _trial_settings(name: str, rows: int, columns: int, seconds: float) -> dict[str, Any] | None:
    """Settings for a trial fit in about ``seconds`` (None when the model does not fit there)."""
    if name != "argn":
        return {} if fit_seconds(name, rows, columns) <= seconds else None
    per_epoch = fit_seconds("argn", rows, columns, epochs=1)
    epochs = min(_ARGN_EPOCHS, int(seconds / per_epoch)) if per_epoch > 0 else _ARGN_EPOCHS
    if epochs < _ARGN_MIN_EPOCHS:
        return None
    # max_epochs keeps the trial repeatable; the time budget only guards a wrong estimate.
    return {"max_epochs": epochs, "time_budget": max(2 * seconds, 1.0)}


def _score(row: Mapping[str, Any]) -> tuple[float, float, float]:
    """Sort key, best first: detection AUC (lower), then pair trends, then shapes (higher)."""

    def finite(key: str, worst: float) -> float:
        value = row.get(key)
        return float(value) if isinstance(value, float) and math.isfinite(value) else worst

    return (
        round(max(finite("detection_auc", 1.0), 0.5), 2),
        -round(finite("pair_trends", 0.0), 2),
        -round(finite("shapes", 0.0), 2),
    )


def _finite_or_none(value: float) -> float | None:
    return round(value, 4) if math.isfinite(value) else None


def _try(
    name: str,
    settings: Mapping[str, Any],
    part: pd.DataFrame,
    validation: pd.DataFrame,
    metadata: Metadata,
    seed: int,
) -> dict[str, Any]:
    """Fit ``name`` on ``part``, sample as many rows as ``validation`` and score them."""
    started = time.perf_counter()
    cls = synthesizers.get(name)
    fit_seed, sample_seed, score_seed = _child_seeds(seed, 3)
    params = {**settings}
    if "seed" in cls().get_params():
        params["seed"] = fit_seed
    try:
        model = cls(**params).fit(part, metadata)
        synthetic = model.sample(len(validation), seed=sample_seed)
    except SynthcraftError as exc:
        return {"name": name, "settings": dict(settings), "error": str(exc)}
    auc = detection(validation, synthetic, metadata, seed=score_seed).score
    trends = column_pair_trends(validation, synthetic, metadata).score
    shapes = column_shapes(validation, synthetic, metadata).score
    return {
        "name": name,
        "settings": dict(settings),
        "detection_auc": _finite_or_none(auc),
        "pair_trends": _finite_or_none(trends),
        "shapes": _finite_or_none(shapes),
        "seconds": round(time.perf_counter() - started, 3),
    }


def _final_settings(name: str, budget: float) -> dict[str, Any]:
    return {"time_budget": round(budget * _ARGN_SHARE, 3)} if name == "argn" else {}


def choose_model(
    data: pd.DataFrame,
    metadata: Metadata | None = None,
    *,
    time_budget: float | str | None = None,
    seed: int = 0,
    available: Sequence[str] | None = None,
) -> AutoChoice:
    """Choose a registered model for ``data`` within ``time_budget`` seconds.

    Rules, in order: a tiny table (under 200 rows) or a budget under 10 s gets ``copula`` (or
    ``independent`` when copula would not fit in the budget or is not registered). Otherwise
    the models of :data:`PREFERENCE` that are registered (and have torch when they need it) and
    whose estimated fit (:func:`fit_seconds`) fits in the budget are candidates; ``argn`` also
    needs 1,000 rows and gets ``time_budget`` = 60% of the budget. When the table has 500 rows
    or more and the estimates leave room, up to three candidates are fitted on 80% of the rows
    (at most 20,000) and scored on the other 20%: lowest detection AUC (at least 0.5, to two
    decimals) wins, ties go to column pair trends, then column shapes, then preference.
    Otherwise the strongest candidate by preference is chosen. The same seed and data give the
    same choice (trials use argn's ``max_epochs``; its time budget only guards the estimate).

    Parameters
    ----------
    data : DataFrame
        The training table.
    metadata : Metadata, optional
        Column kinds; detected when None.
    time_budget : float or str, optional
        Seconds (or ``90s``, ``2m``, ``1h``) for choosing and fitting, by the estimates (not a
        hard limit); 60 when None.
    seed : int
        Seed of the validation split and of the trial fits.
    available : sequence of str, optional
        Model names to consider, strongest first (default :data:`PREFERENCE`); names that are
        not registered are skipped.

    Returns
    -------
    AutoChoice

    Raises
    ------
    UserInputError
        A bad budget, or no model to choose from.
    """
    budget = parse_time_budget(time_budget) or DEFAULT_BUDGET
    md = detect(data) if metadata is None else metadata
    rows = len(data)
    columns = sum(1 for c in md if c.kind not in (ColumnKind.ID, ColumnKind.PII)) or 1
    pool, notes = _pool(available)
    note = f" ({'; '.join(notes)})" if notes else ""

    if rows < _TINY_ROWS or budget < _QUICK_BUDGET:
        why = f"{rows} rows" if rows < _TINY_ROWS else f"a budget of {budget:g} s"
        quick = [m for m in ("copula", "independent") if m in pool]
        fits = [m for m in quick if fit_seconds(m, rows, columns) <= budget]
        name = (fits or quick or pool[-1:])[0]
        return AutoChoice(name, f"{why}: a fast model{note}", {}, (), budget)

    eligible = []
    for name in pool:
        if name == "argn":
            if rows < _ARGN_MIN_ROWS:
                notes.append(f"argn skipped: fewer than {_ARGN_MIN_ROWS} rows")
                continue
            if fit_seconds("argn", rows, columns, epochs=_ARGN_MIN_EPOCHS) > budget * _ARGN_SHARE:
                notes.append("argn skipped: the budget is too short for its training")
                continue
        elif fit_seconds(name, rows, columns) > budget:
            continue
        eligible.append(name)
    note = f" ({'; '.join(notes)})" if notes else ""
    if not eligible:
        name = pool[-1]
        return AutoChoice(name, f"only {name} fits a budget of {budget:g} s{note}", {}, (), budget)

    trial_rows = min(int(rows * (1 - _VALIDATION_SHARE)), _TRIAL_MAX_ROWS)
    n_valid = rows - int(rows * (1 - _VALIDATION_SHARE))
    share = budget * _TRIAL_SHARE / min(len(eligible), _MAX_CANDIDATES)
    plan: list[tuple[str, dict[str, Any]]] = []
    for name in eligible:
        settings = _trial_settings(name, trial_rows, columns, share)
        if settings is not None and len(plan) < _MAX_CANDIDATES:
            plan.append((name, settings))
    scoring = _EVAL_COST * (n_valid / 1_000) * (columns / 15) * len(plan)
    if rows < _TRIAL_MIN_ROWS or len(plan) < 2 or scoring > budget * _TRIAL_SHARE / 2:
        name = eligible[0]
        why = "strongest model that fits the budget; no room to compare candidates"
        return AutoChoice(name, f"{why}{note}", _final_settings(name, budget), (), budget)

    split_seed, *trial_seeds = _child_seeds(seed, 1 + len(plan))
    order = np.random.default_rng(split_seed).permutation(rows)
    cut = rows - n_valid
    part = data.iloc[np.sort(order[:cut][:trial_rows])].reset_index(drop=True)
    validation = data.iloc[np.sort(order[cut:])].reset_index(drop=True)
    tried = [
        _try(name, settings, part, validation, md, s)
        for (name, settings), s in zip(plan, trial_seeds, strict=True)
    ]
    rank = {name: i for i, name in enumerate(eligible)}
    scored = sorted(
        (t for t in tried if "error" not in t), key=lambda t: (*_score(t), rank[t["name"]])
    )
    ranked = tuple(scored) + tuple(t for t in tried if "error" in t)
    if not scored:
        name = eligible[-1]
        why = f"every candidate failed on a validation split; falling back to {name}"
        return AutoChoice(name, f"{why}{note}", _final_settings(name, budget), ranked, budget)
    best = scored[0]
    name = str(best["name"])
    why = (
        f"best of {len(scored)} candidates on a validation split of {len(validation)} rows "
        f"(detection AUC {best['detection_auc']}, pair trends {best['pair_trends']}, "
        f"shapes {best['shapes']})"
    )
    return AutoChoice(name, f"{why}{note}", _final_settings(name, budget), ranked, budget)
