"""Simulated ML tasks: sampling speed for 20 numeric features (issue 8 target: 1,000,000 rows/s).

Writes ``bench/results/tasks.json``: rows per second for 1,000,000 rows, the median of 3 runs, in
memory and one process.

Usage: ``python bench/tasks.py``
"""

from __future__ import annotations

from _common import load_results, median_time, save_results
from synthcraft import tasks

ROWS = 1_000_000


def main() -> None:
    """Time each task and write the results file."""
    results = load_results("tasks")
    results["title"] = "Simulated ML tasks"
    rows = []
    for name, task in (
        ("classification", tasks.classification(n_features=20, seed=0)),
        ("regression", tasks.regression(n_features=20, seed=0)),
    ):
        seconds, _ = median_time(lambda t=task: t.sample(ROWS, seed=1))
        rows.append([name, 20, ROWS, seconds, ROWS / seconds])
        print(rows[-1], flush=True)
    results["sections"] = {
        "Sampling speed (20 numeric features, 1 process)": {
            "columns": ["task", "features", "rows", "seconds", "rows/s"],
            "rows": rows,
            "notes": [
                "Target (issue 8): at least 1,000,000 rows/s for 20 numeric features. Median of "
                "3 runs on 2 cores, rows in memory.",
            ],
        }
    }
    save_results("tasks", results)
    print("done; now run python bench/render.py")


if __name__ == "__main__":
    main()
