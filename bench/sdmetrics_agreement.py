"""Agreement of synthcraft's column shapes and pair trends with SDMetrics on the bench tables.

For each table in ``bench/data/`` (80/20 split, seed 0), the copula is fitted on the training
rows and as many synthetic rows are sampled; both libraries then score training vs synthetic.
synthcraft's figures come from ``synthcraft.evaluation``; SDMetrics' from its single-column and
pair metrics averaged over all pairs (``bench/peers/sdmetrics_scores.py``, run in the peer
environment described in ``bench/peers/README.md``). Writes ``bench/results/sdmetrics.json``;
resumable per table (``--force`` redoes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, TABLES, load_results, load_table, save_results, split
from synthcraft import api
from synthcraft.evaluation import column_pair_trends, column_shapes
from synthcraft.metadata import ColumnKind, detect

PEER_SCRIPT = BENCH / "peers" / "sdmetrics_scores.py"


def _kinds(md: object) -> dict[str, str]:
    out = {}
    for col in md:  # type: ignore[attr-defined]
        if col.kind in (ColumnKind.ID, ColumnKind.PII, ColumnKind.TEXT):
            continue
        if col.kind.is_numeric:
            out[col.name] = "numerical"
        elif col.kind is ColumnKind.DATETIME:
            out[col.name] = "datetime"
        else:
            out[col.name] = "categorical"
    return out


def agreement(table: str, peer_python: str) -> list[object]:
    """One table's figures from both libraries."""
    train, _ = split(load_table(table))
    md = detect(train)
    synthetic = api.fit(train, model="copula", seed=0).sample(len(train), seed=1)
    ours_shapes = column_shapes(train, synthetic, md).score
    ours_trends = column_pair_trends(train, synthetic, md).score
    kinds = _kinds(md)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cols = list(kinds)
        for frame, name in ((train, "real"), (synthetic, "synthetic")):
            plain = frame[cols].copy()
            for c in cols:  # plain numpy/object dtypes: the peer env has pandas 2
                if kinds[c] == "numerical":
                    plain[c] = plain[c].astype("float64")
                elif kinds[c] == "categorical":
                    plain[c] = plain[c].astype(object).where(plain[c].notna(), None)
            plain.to_parquet(folder / f"{name}.parquet")
        (folder / "kinds.json").write_text(json.dumps(kinds))
        done = subprocess.run(
            [peer_python, str(PEER_SCRIPT), str(folder)], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"peer script failed on {table}:\n{done.stderr[-2000:]}")
        peer = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        table,
        ours_shapes,
        peer["column_shapes"],
        abs(ours_shapes - peer["column_shapes"]),
        ours_trends,
        peer["column_pair_trends"],
        abs(ours_trends - peer["column_pair_trends"]),
    ]


def main() -> None:
    """Run and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", default=str(BENCH / ".venv-peers" / "bin" / "python"))
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--tables", nargs="*", default=list(TABLES))
    args = parser.parse_args()
    if not Path(args.peer_python).exists():
        raise SystemExit(f"no peer environment at {args.peer_python}; see bench/peers/README.md")
    results = load_results("sdmetrics")
    results["title"] = "Agreement with SDMetrics (column shapes and pair trends, all pairs)"
    results["script"] = "sdmetrics_agreement.py"
    sec = results.setdefault("sections", {}).setdefault(
        "Training rows vs copula synthetic rows",
        {
            "columns": [
                "table",
                "shapes (synthcraft)",
                "shapes (SDMetrics 0.32)",
                "|diff|",
                "pair trends (synthcraft)",
                "pair trends (SDMetrics 0.32)",
                "|diff|",
            ],
            "rows": [],
            "notes": [
                "SDMetrics figures are the means of its KSComplement / TVComplement per column "
                "and CorrelationSimilarity (Pearson) / ContingencySimilarity (10 bins) over all "
                "pairs, i.e. the QualityReport definitions before 0.27 without the correlation "
                "threshold, computed in a separate environment with missing values dropped."
            ],
        },
    )
    for table in args.tables:
        if not args.force and any(r[0] == table for r in sec["rows"]):
            print(f"{table}: already measured (use --force)")
            continue
        print(f"{table} ...", flush=True)
        sec["rows"] = [r for r in sec["rows"] if r[0] != table] + [
            agreement(table, args.peer_python)
        ]
        save_results("sdmetrics", results)
    print("done; now run python bench/render.py")


if __name__ == "__main__":
    main()
