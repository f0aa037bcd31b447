"""The flagship `argn`: fidelity beside the holdout ceiling, fit time and sampling speed.

Writes ``bench/results/argn.json``: one fixed-seed run per bench table (80/20 split with seed 0,
as many synthetic rows as training rows), resumable per table (``--force`` redoes tables).

Usage: ``python bench/argn.py [--tables adult credit ...] [--force]``
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from _common import TABLES, TARGETS, load_results, load_table, save_results, split

SECTION = "Fidelity beside the holdout ceiling (holdout 20%, seed 0)"
KEYS = ("column_shapes", "column_pair_trends", "detection_gbm", "utility", "dcr_share")


def measure(table: str) -> list[Any]:
    """Fit argn on one bench table, sample as many rows, evaluate against the holdout."""
    from synthcraft import api
    from synthcraft.evaluation import evaluate

    train, holdout = split(load_table(table))
    t0 = time.perf_counter()
    model = api.fit(train, model="argn", seed=0)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    synthetic = model.sample(len(train), seed=1)
    rate = len(train) / (time.perf_counter() - t0)
    report = evaluate(train, synthetic, holdout, target=TARGETS[table], seed=0)
    summary = dict(getattr(model, "training_summary_", {}) or {})
    row: list[Any] = [table, len(train), fit_s, summary.get("epochs_done"), rate]
    for key in KEYS:
        got = report.metrics.get(key)
        ceiling = report.ceiling.get(key)
        row.append(None if got is None else got.score)
        row.append(None if ceiling is None else ceiling.score)
    return row


def main() -> None:
    """Run the benchmark and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="*", default=list(TABLES))
    parser.add_argument("--force", action="store_true", help="redo tables already measured")
    args = parser.parse_args()

    results = load_results("argn")
    results["title"] = "Flagship model: argn"
    section = results.setdefault("sections", {}).setdefault(
        SECTION,
        {
            "columns": [
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
            ],
            "rows": [],
            "notes": [
                "Ceiling: the same score for the real holdout (what a fresh real sample gets). "
                "Targets for tables of at least 4,000 rows (issue 6): column shapes >= ceiling - "
                "0.01, pair trends >= ceiling - 0.02, detection AUC <= 0.70, TSTR/TRTR >= 0.97, "
                "DCR share <= 0.55; Adult fitted in <= 3 min; sampling >= 20,000 rows/s. "
                "Default settings, 2 cores; timings are one run.",
            ],
        },
    )
    for table in args.tables:
        if not args.force and any(r[0] == table for r in section["rows"]):
            print(f"{table}: already measured (use --force)", flush=True)
            continue
        print(f"{table} ...", flush=True)
        row = measure(table)
        print(row, flush=True)
        section["rows"] = [r for r in section["rows"] if r[0] != table] + [row]
        save_results("argn", results)
    print("done; now run python bench/render.py")


if __name__ == "__main__":
    main()
