"""Column shapes and pair trends computed by SDMetrics' own single-column and pair metrics.

Runs in the peer environment only (see README.md here). Reads ``real.parquet``,
``synthetic.parquet`` and ``kinds.json`` ({column: "numerical" | "datetime" | "categorical"})
from the folder given as the first argument and prints JSON: the mean KSComplement/TVComplement
over columns and the mean CorrelationSimilarity/ContingencySimilarity over ALL pairs (no
correlation threshold), as the QualityReport computed them before version 0.27.
"""

import itertools
import json
import sys
from pathlib import Path

import pandas as pd
from sdmetrics.column_pairs import ContingencySimilarity, CorrelationSimilarity
from sdmetrics.single_column import KSComplement, TVComplement

folder = Path(sys.argv[1])
real = pd.read_parquet(folder / "real.parquet")
synthetic = pd.read_parquet(folder / "synthetic.parquet")
kinds = json.loads((folder / "kinds.json").read_text())
for col, kind in kinds.items():  # datetimes as seconds: SDMetrics' binning needs numbers
    if kind == "datetime":
        for frame in (real, synthetic):
            stamps = pd.to_datetime(frame[col], utc=True)
            frame[col] = (stamps - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()

shapes = {}
for col, kind in kinds.items():
    if kind == "categorical":
        shapes[col] = TVComplement.compute(real[col].dropna(), synthetic[col].dropna())
    else:
        shapes[col] = KSComplement.compute(real[col], synthetic[col])

pairs = {}
for a, b in itertools.combinations(kinds, 2):
    num = [c for c in (a, b) if kinds[c] != "categorical"]
    if len(num) == 2:
        score = CorrelationSimilarity.compute(
            real[[a, b]].dropna(), synthetic[[a, b]].dropna(), coefficient="Pearson"
        )
    else:
        score = ContingencySimilarity.compute(
            real[[a, b]].dropna(),
            synthetic[[a, b]].dropna(),
            continuous_column_names=num or None,
            num_discrete_bins=10,
        )
    pairs[f"{a}|{b}"] = score

print(
    json.dumps(
        {
            "column_shapes": sum(shapes.values()) / len(shapes),
            "column_pair_trends": sum(pairs.values()) / len(pairs),
            "shapes": shapes,
            "pairs": pairs,
        }
    )
)
