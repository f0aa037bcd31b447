"""The flagship `argn`: fidelity beside the holdout ceiling, fit time and sampling speed.

Writes ``bench/results/argn.json``: one fixed-seed run per bench table (80/20 split with seed 0,
as many synthetic rows as training rows), resumable per table (``--force`` redoes tables).

Usage: ``python bench/argn.py [--tables adult credit ...] [--dp] [--force]``
"""

from __future__ import annotations

import argparse
from typing import Any

from _common import FIDELITY_COLUMNS, TABLES, fidelity_row, load_results, save_results

SECTION = "Fidelity beside the holdout ceiling (holdout 20%, seed 0)"
DP_SECTION = "Adult under differential privacy (epsilon = 1, holdout 20%, seed 0)"
FIT_REPEATS = {"adult": 3}
"""Tables whose fit time is the median of several fits (the fit-time target is on Adult)."""
DP_PARAMS = {"epsilon": 1.0, "batch_size": 4_096, "max_epochs": 20, "learning_rate": 0.005}


def measure(table: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Fit argn on one bench table, sample as many rows, evaluate against the holdout."""
    repeats = 1 if params else FIT_REPEATS.get(table, 1)
    row, summary = fidelity_row(table, "argn", params, fit_repeats=repeats)
    if params:
        row.append(summary.get("epsilon_spent"))
    return row


PEER_SECTION = "Adult beside the peers (figures for the peers as given in issue 6)"
PEERS = [
    ["SDV 2.0 TVAE", "20,000", 105, 0.891, 0.844, 0.956, 0.958],
    ["SDV 2.0 CTGAN", "20,000", 810, 0.886, 0.801, 0.941, 0.949],
    ["independent marginals", "20,000", None, 0.996, 0.921, 0.991, 0.43],
]


def peers(adult: list[Any]) -> dict[str, Any]:
    """Our Adult row beside the peers' published figures (same metrics, same machine class)."""
    ours = ["synthcraft argn", f"{adult[1]:,}", adult[2], adult[5], adult[7], adult[9], adult[11]]
    return {
        "columns": [
            "model",
            "training rows",
            "fit s",
            "column shapes",
            "pair trends",
            "detection AUC (GBM)",
            "TSTR/TRTR",
        ],
        "rows": [ours, *PEERS],
        "notes": [
            "Peers: SDV 2.0 on a 2-core machine, Adult split 80/20 with seed 0, 20,000 training "
            "rows, as quoted in issue 6 (not re-run here). MOSTLY AI reports its own accuracy "
            "metric at 0.98 on Adult after 1.5 minutes on a CPU for TabularARGN, a different "
            "metric, so it is not in the table.",
        ],
    }


def main() -> None:
    """Run the benchmark and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="*", default=list(TABLES))
    parser.add_argument("--force", action="store_true", help="redo tables already measured")
    parser.add_argument("--dp", action="store_true", help="also measure Adult with epsilon = 1")
    args = parser.parse_args()

    results = load_results("argn")
    results["title"] = "Flagship model: argn"
    sections = results.setdefault("sections", {})
    section = sections.setdefault(SECTION, {"rows": []})
    section["columns"] = FIDELITY_COLUMNS
    section["notes"] = [
        "Ceiling: the same score for the real holdout (what a fresh real sample gets). "
        "Targets for tables of at least 4,000 rows (issue 6): column shapes >= ceiling - "
        "0.01, pair trends >= ceiling - 0.02, detection AUC <= 0.70, TSTR/TRTR >= 0.97, "
        "DCR share <= 0.55, exact copies (share of synthetic rows equal to a training row) "
        "no more than the holdout's; Adult fitted in <= 3 min; sampling >= 20,000 rows/s. "
        "Default settings, 2 cores; fit time is the median of 3 fits on Adult and one fit "
        "elsewhere; sampling speed is the median of 3 runs.",
        "Gap: weather's detection AUC (0.707) misses <= 0.70. Its time_hour column is an exact "
        "function of month, day and hour, which argn models at bin resolution; a classifier "
        "without that column scores 0.62. Tried: 64 instead of 32 bins (diamonds 0.726 -> "
        "0.627), exact values for level columns (weather 0.868 -> 0.707), 128 bins (weather "
        "0.80 before the level fix; slower sampling). Not tried: a predicted position inside "
        "the bin, detecting derived columns.",
    ]
    for table in args.tables:
        if not args.force and any(r[0] == table for r in section["rows"]):
            print(f"{table}: already measured (use --force)", flush=True)
            continue
        print(f"{table} ...", flush=True)
        row = measure(table)
        print(row, flush=True)
        section["rows"] = [r for r in section["rows"] if r[0] != table] + [row]
        save_results("argn", results)
    adult = next((r for r in section["rows"] if r[0] == "adult"), None)
    if adult is not None:
        sections[PEER_SECTION] = peers(adult)
    dp = sections.setdefault(DP_SECTION, {"rows": []})
    dp["columns"] = [*FIDELITY_COLUMNS, "epsilon spent"]
    dp["notes"] = [
        "The same measures with epsilon = 1 (delta = 1 / (10 n)): DP-SGD plus metadata from "
        f"noisy histograms, nothing declared. Settings: {DP_PARAMS}. No targets.",
    ]
    if args.dp and (args.force or not dp["rows"]):
        print("adult (epsilon = 1) ...", flush=True)
        dp["rows"] = [measure("adult", DP_PARAMS)]
        print(dp["rows"][0], flush=True)
    save_results("argn", results)
    print("done; now run python bench/render.py")


if __name__ == "__main__":
    main()
