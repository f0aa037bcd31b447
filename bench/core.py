"""Core models benchmark: fit and sampling speed, memory, and fidelity on the bench tables.

Writes ``bench/results/core.json``. Sections:

* speed on the fixed 1,000,000 x 20 recipe (12 floats: normal, gamma, lognormal, bimodal;
  4 integers; categoricals with 5 / 50 / 1,000 levels; 1 datetime; 5% missing everywhere),
  in one process and with 2 workers: fit seconds, rows/s into a DataFrame and into Parquet,
  peak RSS above the post-import baseline (each step in a fresh process, median of runs);
* fidelity and speed of every core model on every table in ``bench/data/`` (80/20 split with
  seed 0, as many synthetic rows as training rows), resumable per table (``--force`` redoes).

Usage: ``python bench/core.py [--rows 1000000] [--repeats 3] [--skip-speed] [--force]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import TABLES, TARGETS, load_results, load_table, save_results, split

MODELS = ("independent", "copula")
SDV_COPULA = {"fit_s": 192.0, "rows_per_s": 48_900.0, "peak_rss_gb": 2.3}


def recipe(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """The fixed speed table: 20 columns, 5% missing in every column."""
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {}
    for i in range(3):
        cols[f"normal_{i}"] = rng.normal(50 * (i + 1), 10 * (i + 1), n_rows)
        cols[f"gamma_{i}"] = rng.gamma(2.0 + i, 3.0, n_rows)
        cols[f"lognormal_{i}"] = rng.lognormal(3.0, 0.5 + 0.2 * i, n_rows)
        mode = rng.random(n_rows) < 0.4
        cols[f"bimodal_{i}"] = np.where(mode, rng.normal(-5, 1, n_rows), rng.normal(8, 2, n_rows))
    for i in range(4):
        cols[f"int_{i}"] = pd.array(rng.poisson(5 * (i + 1), n_rows), dtype="Int64")
    for levels in (5, 50, 1000):
        weights = rng.dirichlet(np.ones(levels))
        codes = rng.choice(levels, n_rows, p=weights)
        cols[f"cat_{levels}"] = pd.array(np.char.add("c", codes.astype(str)), dtype="str")
    start = np.datetime64("2020-01-01T00:00:00", "us")
    seconds = rng.integers(0, 4 * 365 * 86_400, n_rows)
    cols["when"] = pd.Series(start + seconds.astype("timedelta64[s]"), dtype="datetime64[us]")
    df = pd.DataFrame(cols)
    for name in df.columns:
        df.loc[rng.random(n_rows) < 0.05, name] = None
    return df


_STEP = r"""
import json, resource, sys, time
import synthcraft.api, synthcraft.engine, synthcraft.persistence  # imports before the baseline
import pandas as pd
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
step, data_path, model_path, out_path, rows, workers = sys.argv[1:7]
rows, workers = int(rows), int(workers)
out = {}
if step == "fit":
    df = pd.read_parquet(data_path)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    model = synthcraft.api.fit(df, model="copula", seed=0)
    out["seconds"] = time.perf_counter() - t0
    synthcraft.persistence.save(model, model_path, overwrite=True)
else:
    model = synthcraft.persistence.load(model_path)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if step == "frame":
        synthcraft.engine.sample_frame(model, rows, seed=1, workers=workers)
    else:
        synthcraft.engine.sample_to_file(model, rows, out_path, seed=1, workers=workers,
                                         overwrite=True)
    out["seconds"] = time.perf_counter() - t0
out["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
# a forked worker starts as a copy of this process: count what it grew beyond the baseline
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
out["worker_peak_mb"] = max(0, child - base) / 1024 if child else 0.0
print(json.dumps(out))
"""


def _run_step(step: str, paths: dict[str, Path], rows: int, workers: int) -> dict[str, float]:
    cmd = [sys.executable, "-c", _STEP, step, str(paths["data"]), str(paths["model"])]
    cmd += [str(paths["out"]), str(rows), str(workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def speed(rows: int, repeats: int) -> dict[str, object]:
    """The 1M x 20 speed section."""
    df = recipe(rows)
    in_memory_mb = df.memory_usage(deep=True).sum() / 2**20
    out_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = {
            "data": Path(tmp) / "recipe.parquet",
            "model": Path(tmp) / "recipe.synth",
            "out": Path(tmp) / "synthetic.parquet",
        }
        df.to_parquet(paths["data"])
        del df
        fits = [_run_step("fit", paths, rows, 1) for _ in range(repeats)]
        fit_s = statistics.median(f["seconds"] for f in fits)
        fit_mb = max(f["peak_mb"] for f in fits)
        out_rows.append(["fit (1 process)", fit_s, None, fit_mb, fit_mb / in_memory_mb])
        for workers in (1, 2):
            for step in ("frame", "parquet"):
                runs = [_run_step(step, paths, rows, workers) for _ in range(repeats)]
                secs = statistics.median(r["seconds"] for r in runs)
                peak = max(r["peak_mb"] + r["worker_peak_mb"] for r in runs)
                label = f"sample to {'DataFrame' if step == 'frame' else 'Parquet'}"
                label += f", {workers} worker{'s' if workers > 1 else ''}"
                out_rows.append([label, secs, rows / secs, peak, peak / in_memory_mb])
    sdv = SDV_COPULA
    out_rows.append(
        ["SDV 2.0 GaussianCopula, fit (peer)", sdv["fit_s"], None, sdv["peak_rss_gb"] * 1024, None]
    )
    out_rows.append(["SDV 2.0 GaussianCopula, sample (peer)", None, sdv["rows_per_s"], None, None])
    return {
        "columns": [
            "step",
            "seconds",
            "rows/s",
            "peak RSS above baseline, parent + worker (MiB)",
            "x input",
        ],
        "rows": out_rows,
        "notes": [
            f"Copula on the fixed recipe, {rows:,} rows x 20 columns; input in memory: "
            f"{in_memory_mb:.0f} MiB. Targets on 2 cores: fit <= 30 s, >= 1,000,000 rows/s "
            "with 2 workers, peak memory <= 3x the input. Peer figures (SDV 2.0 GaussianCopula "
            "on a comparable 1M x 20 table, same machine) are from the issue.",
            (
                "Gap: sampling does not reach 1,000,000 rows/s with 2 workers here. One process "
                "samples the copula at 0.6-1.3M rows/s (standard normals for every copula "
                "dimension dominate); a second process adds little on this 2-core machine, "
                "because each 10 MB block must cross a pipe that moves about 270 MB/s and both "
                "processes share the memory bandwidth. Parquet output is bounded by the single "
                "writer (about 0.4M rows/s). Memory stays flat as -n grows (blocks are streamed),"
                " and fitting is well within its target."
            ),
        ],
    }


def fidelity(table: str) -> list[list[object]]:
    """Fit each core model on one bench table and evaluate it against the holdout."""
    from synthcraft import api
    from synthcraft.evaluation import evaluate

    df = load_table(table)
    train, holdout = split(df)
    rows = []
    for name in MODELS:
        t0 = time.perf_counter()
        model = api.fit(train, model=name, seed=0)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        synthetic = model.sample(len(train), seed=1)
        sample_s = time.perf_counter() - t0
        report = evaluate(train, synthetic, holdout, target=TARGETS[table], seed=0)
        m = report.metrics

        def score(key: str, metrics: dict[str, object] = m) -> object:
            res = metrics.get(key)
            return None if res is None else getattr(res, "score", None)

        rows.append(
            [
                table,
                name,
                fit_s,
                len(train) / sample_s,
                score("column_shapes"),
                score("column_pair_trends"),
                score("detection_gbm"),
                score("utility"),
                score("dcr_share"),
            ]
        )
    return rows


def main() -> None:
    """Run the benchmark and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--force", action="store_true", help="redo tables already measured")
    parser.add_argument("--tables", nargs="*", default=list(TABLES))
    args = parser.parse_args()

    results = load_results("core")
    results["title"] = "Core models: independent and copula"
    sections = results.setdefault("sections", {})
    if not args.skip_speed:
        print(f"speed on {args.rows:,} rows ...", flush=True)
        sections["Speed and memory, 1M x 20 recipe"] = speed(args.rows, args.repeats)
        save_results("core", results)
    fid = sections.setdefault(
        "Fidelity on the bench tables (holdout 20%, seed 0)",
        {
            "columns": [
                "table",
                "model",
                "fit s",
                "sample rows/s",
                "column shapes",
                "pair trends",
                "detection AUC (GBM)",
                "TSTR/TRTR",
                "DCR share",
            ],
            "rows": [],
            "notes": ["Detection AUC: 0.5 is perfect; DCR share: 0.5 is ideal."],
        },
    )
    for table in args.tables:
        if not args.force and any(r[0] == table for r in fid["rows"]):
            print(f"{table}: already measured (use --force)", flush=True)
            continue
        print(f"{table} ...", flush=True)
        fid["rows"] = [r for r in fid["rows"] if r[0] != table] + fidelity(table)
        save_results("core", results)
    print("done; now run python bench/render.py")


if __name__ == "__main__":
    main()
