"""Singling out (Anonymeter): predicates built from synthetic rows that isolate one real row.

A query is a conjunction of conditions on quasi-identifiers, each a boolean mask over encoded
columns (never a string handed to ``DataFrame.query`` or ``eval``). A query is kept when it
matches exactly one synthetic row; it succeeds on a target set when it matches exactly one row
there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.privacy._stats import risk_result, unavailable
from synthcraft.evaluation.privacy._tables import MIN_ROWS, encode_column, sample_rows
from synthcraft.metadata import Metadata

__all__ = ["EQ", "GE", "ISNA", "LE", "Condition", "Query", "count_matches", "singling_out"]

ISNA, EQ, LE, GE = 0, 1, 2, 3
"""Condition operators: is missing, equals, at most, at least."""

Condition = tuple[int, int, float]
"""``(column position, operator, value)``; categorical values are codes."""
Query = tuple[Condition, ...]

N_ATTACKS = 500
N_COLS = 3
MAX_ATTEMPTS_PER_QUERY = 40
MAX_TARGET_ROWS = 100_000
MAX_SYNTHETIC = 100_000
_BATCH = 256
_SCREEN_ROWS = 4_096


class _Table:
    """Encoded quasi-identifier columns of one frame."""

    def __init__(self, arrays: Sequence[np.ndarray], numeric: Sequence[bool]) -> None:
        self.arrays = list(arrays)
        self.numeric = list(numeric)
        self.n_rows = len(self.arrays[0])

    def mask(self, condition: Condition) -> np.ndarray:
        j, op, value = condition
        a = self.arrays[j]
        if op == ISNA:
            return np.isnan(a) if self.numeric[j] else a < 0
        if op == EQ:
            return np.asarray(a == value)
        if op == LE:
            return np.asarray(a <= value)
        return np.asarray(a >= value)


def count_matches(table: _Table, query: Query) -> int:
    """Rows of ``table`` that satisfy every condition of ``query``."""
    mask = table.mask(query[0])
    for condition in query[1:]:
        mask &= table.mask(condition)
    return int(np.count_nonzero(mask))


def _univariate(syn: _Table, n_attacks: int, rng: np.random.Generator) -> list[Query]:
    """Rare values, a unique minimum or maximum, a single missing value: each singles out."""
    cols: list[np.ndarray] = []
    ops: list[np.ndarray] = []
    values: list[np.ndarray] = []

    def add(j: int, op: int, vals: np.ndarray) -> None:
        cols.append(np.full(len(vals), j))
        ops.append(np.full(len(vals), op))
        values.append(np.asarray(vals, dtype=float))

    for j, (a, numeric) in enumerate(zip(syn.arrays, syn.numeric, strict=True)):
        missing = np.isnan(a) if numeric else a < 0
        if int(missing.sum()) == 1:
            add(j, ISNA, np.zeros(1))
        uniq, counts = np.unique(a[~missing], return_counts=True)
        if uniq.size == 0:
            continue
        add(j, EQ, uniq[counts == 1])
        if numeric and counts[0] == 1:
            add(j, LE, uniq[:1])
        if numeric and counts[-1] == 1:
            add(j, GE, uniq[-1:])
    if not cols:
        return []
    all_cols, all_ops, all_vals = (np.concatenate(x) for x in (cols, ops, values))
    picked = rng.choice(len(all_cols), size=min(n_attacks, len(all_cols)), replace=False)
    return [((int(all_cols[i]), int(all_ops[i]), float(all_vals[i])),) for i in picked]


def _multivariate(
    syn: _Table, n_attacks: int, n_cols: int, rng: np.random.Generator
) -> tuple[list[Query], int]:
    """Conjunctions on ``n_cols`` columns of a random synthetic row that single it out.

    A candidate that matches another row of a random screening subset is rejected before it is
    counted on every synthetic row.
    """
    medians = [
        float(np.nanmedian(a)) if numeric and np.isfinite(a).any() else 0.0
        for a, numeric in zip(syn.arrays, syn.numeric, strict=True)
    ]
    n_qi = len(syn.arrays)
    screened = syn.n_rows > 2 * _SCREEN_ROWS
    screen_rows = sample_rows(syn.n_rows, _SCREEN_ROWS, rng)
    screen = _Table([a[screen_rows] for a in syn.arrays], syn.numeric)
    in_screen = np.zeros(syn.n_rows, dtype=bool)
    in_screen[screen_rows] = True
    max_attempts = MAX_ATTEMPTS_PER_QUERY * n_attacks
    found: list[Query] = []
    seen: set[Query] = set()
    attempts = 0
    while len(found) < n_attacks and attempts < max_attempts:
        rows = rng.integers(0, syn.n_rows, size=_BATCH)
        chosen = np.sort(np.argsort(rng.random((_BATCH, n_qi)), axis=1)[:, :n_cols], axis=1)
        for row, columns in zip(rows, chosen, strict=True):
            if len(found) == n_attacks or attempts == max_attempts:
                break
            attempts += 1
            query = tuple(_condition(syn, int(j), int(row), medians[j]) for j in columns)
            if query in seen:
                continue
            seen.add(query)
            if screened and count_matches(screen, query) > int(in_screen[row]):
                continue
            if count_matches(syn, query) == 1:
                found.append(query)
    return found, attempts


def _condition(syn: _Table, j: int, row: int, median: float) -> Condition:
    value = syn.arrays[j][row]
    if not syn.numeric[j]:
        return (j, ISNA, 0.0) if value < 0 else (j, EQ, float(value))
    if np.isnan(value):
        return (j, ISNA, 0.0)
    return (j, GE if value > median else LE, float(value))


def _score(queries: list[Query], main: _Table, control: _Table) -> tuple[int, int]:
    hits_main = sum(count_matches(main, q) == 1 for q in queries)
    hits_control = sum(count_matches(control, q) == 1 for q in queries)
    return hits_main, hits_control


def singling_out(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    quasi_identifiers: Sequence[str],
    rng: np.random.Generator,
    *,
    n_attacks: int = N_ATTACKS,
) -> MetricResult:
    """Singling-out risk of the univariate and multivariate queries together.

    Queries come from the synthetic rows; they are scored on ``n`` training rows (main) and
    ``n`` holdout rows (control), ``n = min(len(train), len(holdout))``, so both target sets
    have the same size.
    """
    n_target = min(len(train), len(holdout), MAX_TARGET_ROWS)
    n_syn = min(len(synthetic), MAX_SYNTHETIC)
    base: dict[str, Any] = {
        "n_target_rows": n_target,
        "n_synthetic_used": n_syn,
        "quasi_identifiers": list(quasi_identifiers),
    }
    if n_target < MIN_ROWS or n_syn < MIN_ROWS:
        reason = f"needs at least {MIN_ROWS} rows in train, holdout and synthetic"
        return unavailable("singling_out", "minimize", reason, details=base)
    frames = (
        train.iloc[sample_rows(len(train), n_target, rng)],
        synthetic.iloc[sample_rows(len(synthetic), n_syn, rng)],
        holdout.iloc[sample_rows(len(holdout), n_target, rng)],
    )
    encoded = [encode_column(metadata[q], frames) for q in quasi_identifiers]
    numeric = [e.numeric for e in encoded]
    main, syn, control = (_Table([e.arrays[i] for e in encoded], numeric) for i in range(3))
    n_queries = min(n_attacks, n_syn)

    queries = {"univariate": _univariate(syn, n_queries, rng)}
    n_cols = min(N_COLS, len(quasi_identifiers))
    if n_cols >= 2:
        queries["multivariate"], attempts = _multivariate(syn, n_queries, n_cols, rng)
        base["n_multivariate_attempts"] = attempts
    totals = [0, 0, 0]
    for mode, qs in queries.items():
        hits_main, hits_control = _score(qs, main, control)
        base[mode] = {
            "n_queries": len(qs),
            "n_success_main": hits_main,
            "n_success_control": hits_control,
        }
        totals = [totals[0] + len(qs), totals[1] + hits_main, totals[2] + hits_control]
    n_q, hits_main, hits_control = totals
    if n_q == 0:
        reason = "no query built from the synthetic rows singles out one of them"
        return unavailable("singling_out", "minimize", reason, details=base)
    return risk_result("singling_out", hits_main, n_q, hits_control, n_q, base)
