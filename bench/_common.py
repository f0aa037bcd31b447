"""Helpers shared by the benchmark scripts: results files, timing, memory, the bench tables."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
RESULTS = BENCH / "results"
TABLES = ("adult", "credit", "diamonds", "penguins", "weather")
TARGETS = {
    "adult": "income",
    "credit": "Status",
    "diamonds": "price",
    "penguins": "species",
    "weather": "temp",
}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import synthcraft

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "synthcraft": synthcraft.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "date": dt.date.today().isoformat(),
    }


def load_table(name: str) -> pd.DataFrame:
    """A bench table read through synthcraft's storage (canonical dtypes)."""
    from synthcraft.storage import read_table

    return read_table(DATA / f"{name}.csv.gz")


def split(
    df: pd.DataFrame, seed: int = 0, holdout: float = 0.2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The benchmark protocol's split: 80/20 with seed 0."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(df))
    cut = round(len(df) * (1 - holdout))
    train = df.iloc[order[:cut]].reset_index(drop=True)
    test = df.iloc[order[cut:]].reset_index(drop=True)
    return train, test


def median_time(fn: Callable[[], object], repeats: int = 3) -> tuple[float, object]:
    """Median wall time of ``repeats`` calls and the last result."""
    times = []
    out: object = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_results(area: str) -> dict[str, Any]:
    """Existing results of an area (for resumable benchmarks), or an empty skeleton."""
    path = RESULTS / f"{area}.json"
    if path.exists():
        return json.loads(path.read_text())
    return {"area": area, "machine": machine(), "sections": {}}


def save_results(area: str, results: dict[str, Any]) -> Path:
    """Write ``bench/results/<area>.json``."""
    RESULTS.mkdir(exist_ok=True)
    results["machine"] = machine()
    path = RESULTS / f"{area}.json"
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(results, indent=2, sort_keys=False, default=float) + "\n")
    tmp.replace(path)
    return path


FIDELITY_COLUMNS = [
    "table",
    "training rows",
    "fit s",
    "epochs",
    "sample rows/s",
    "column shapes",
    "ceiling",
    "pair trends",
    "ceiling",
    "detection AUC (GBM)",
    "ceiling",
    "TSTR/TRTR",
    "ceiling",
    "DCR share",
    "ceiling",
    "exact copies",
    "holdout copies",
]
"""The fidelity table's columns (the flagship protocol), filled by :func:`fidelity_row`."""

_KEYS = ("column_shapes", "column_pair_trends", "detection_gbm", "utility", "dcr_share")


def fidelity_row(
    table: str, model: str, params: dict[str, Any] | None = None, fit_repeats: int = 1
) -> tuple[list[Any], dict[str, Any]]:
    """Fit ``model`` on a bench table's 80% (seed 0), sample as many rows, score on the holdout.

    Fit time is the median of ``fit_repeats`` fits, sampling speed the median of 3 runs; the
    scores come from one fixed-seed run. Returns the row (:data:`FIDELITY_COLUMNS`) and the
    model's training summary.
    """
    from synthcraft import api
    from synthcraft.evaluation import evaluate

    train, holdout = split(load_table(table))
    fit_s, fitted = median_time(
        lambda: api.fit(train, model=model, seed=0, params=params), repeats=fit_repeats
    )
    synth: Any = fitted
    sample_s, _ = median_time(lambda: synth.sample(len(train), seed=1), repeats=3)
    synthetic = synth.sample(len(train), seed=1)
    report = evaluate(train, synthetic, holdout, target=TARGETS[table], seed=0)
    summary = dict(getattr(synth, "training_summary_", {}) or {})
    row: list[Any] = [table, len(train), fit_s, summary.get("epochs_done"), len(train) / sample_s]
    for key in _KEYS:
        got = report.metrics.get(key)
        ceiling = report.ceiling.get(key)
        row.append(None if got is None else got.score)
        row.append(None if ceiling is None else ceiling.score)
    for key in ("exact_copies", "exact_copies_holdout"):
        got = report.metrics.get(key)
        row.append(None if got is None else got.score)
    return row, summary
