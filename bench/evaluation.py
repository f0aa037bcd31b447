"""Evaluation benchmark: time of a full report at the issue's scale.

A full report (fidelity with the holdout ceiling, detection, utility, privacy) of 100,000 x 20
training rows, 25,000 holdout rows and 100,000 synthetic rows; target: at most 60 s on 2 cores.
The table is the core benchmark's fixed recipe (``bench/core.py``) plus a binary target, and
the synthetic rows come from the copula fitted on the training rows. Median of ``--repeats``
runs. Writes ``bench/results/evaluation.json``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_results, save_results
from core import recipe
from synthcraft import api
from synthcraft.evaluation import evaluate


def table(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """The recipe's first 19 columns and a target that depends on a few of them."""
    df = recipe(n_rows, seed).iloc[:, :19].copy()
    rng = np.random.default_rng(seed + 1)
    score = (
        df["normal_0"].fillna(50).to_numpy(float) / 10 - df["gamma_0"].fillna(6).to_numpy(float) / 3
    )
    prob = 1 / (1 + np.exp(-(score - np.median(score))))
    df["target"] = pd.array(np.where(rng.random(n_rows) < prob, "yes", "no"), dtype="str")
    return df


def main() -> None:
    """Run and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=100_000)
    parser.add_argument("--holdout", type=int, default=25_000)
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    data = table(args.train + args.holdout)
    train, holdout = data.iloc[: args.train], data.iloc[args.train :].reset_index(drop=True)
    synthetic = api.fit(train, model="copula", seed=0).sample(args.synthetic, seed=1)
    times = []
    report = None
    for i in range(args.repeats):
        t0 = time.perf_counter()
        report = evaluate(train, synthetic, holdout, target="target", seed=i)
        times.append(time.perf_counter() - t0)
        print(f"run {i + 1}: {times[-1]:.1f} s", flush=True)
    assert report is not None
    results = load_results("evaluation")
    results["title"] = "Evaluation: a full report at scale"
    results["sections"] = {
        "Full report time": {
            "columns": [
                "train rows",
                "holdout rows",
                "synthetic rows",
                "columns",
                "median s",
                "min s",
                "max s",
                "target s",
            ],
            "rows": [
                [
                    args.train,
                    args.holdout,
                    args.synthetic,
                    train.shape[1],
                    statistics.median(times),
                    min(times),
                    max(times),
                    60.0,
                ]
            ],
            "notes": [
                f"Median of {args.repeats} runs; every section (fidelity with holdout ceiling "
                "and bootstrap intervals, GBM and logistic detection, utility, privacy).",
                "Sizes used: " + ", ".join(f"{k} {v}" for k, v in report.sizes.items()) + ".",
            ],
        }
    }
    save_results("evaluation", results)
    print("done; now run python bench/render.py")


if __name__ == "__main__":
    main()
