"""Column pair trends: Pearson and contingency scores by hand and against plain pandas."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from synthcraft.evaluation.fidelity import column_pair_trends, pairwise_pearson
from synthcraft.metadata import Column, ColumnKind, Metadata


def _pairs(result: object) -> dict[tuple[str, str], float]:
    details = result.details  # type: ignore[attr-defined]
    return {tuple(p["columns"]): p["score"] for p in details["pairs"]}


def test_pearson_pair_by_hand() -> None:
    md = Metadata((Column("x", ColumnKind.FLOAT), Column("y", ColumnKind.FLOAT)))
    real = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 4.0]})  # r = 1
    syn = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, -1.0, -1.0, 1.0]})  # r = 0
    result = column_pair_trends(real, syn, md)
    pair = result.details["pairs"][0]
    assert pair["metric"] == "pearson"
    assert pair["real"] == pytest.approx(1.0)
    assert pair["synthetic"] == pytest.approx(0.0, abs=1e-12)
    assert result.score == pytest.approx(0.5)  # 1 - |1 - 0| / 2
    reversed_ = syn.assign(y=[4.0, 3.0, 2.0, 1.0])  # r = -1
    assert column_pair_trends(real, reversed_, md).score == pytest.approx(0.0)


def test_contingency_pair_by_hand() -> None:
    md = Metadata((Column("a", ColumnKind.CATEGORICAL), Column("b", ColumnKind.CATEGORICAL)))
    real = pd.DataFrame({"a": ["p", "p", "q", "q"], "b": ["x", "x", "y", "y"]})
    syn = pd.DataFrame({"a": ["p", "p", "q", "q"], "b": ["x", "y", "y", "y"]})
    # real cells px .5, qy .5; synthetic px .25, py .25, qy .5 -> TVD .25
    result = column_pair_trends(real, syn, md)
    assert result.details["pairs"][0]["metric"] == "contingency"
    assert result.score == pytest.approx(0.75)


def test_numbers_are_binned_on_the_real_column_with_open_outer_edges() -> None:
    md = Metadata((Column("n", ColumnKind.FLOAT), Column("c", ColumnKind.CATEGORICAL)))
    real = pd.DataFrame({"n": [0.0, 10.0, 5.0, 5.5], "c": ["a", "b", "a", "b"]})
    # values beyond the real range fall into the outer bins: same table as the real one
    beyond = pd.DataFrame({"n": [-50.0, 999.0, 5.0, 5.5], "c": ["a", "b", "a", "b"]})
    assert column_pair_trends(real, beyond, md).score == pytest.approx(1.0)
    # 5.0 sits in bin 5 ([5.0, 6.0)); 4.9 falls into bin 4: one cell of four moves, TVD .25
    shifted = real.assign(n=[0.0, 10.0, 4.9, 5.5])
    assert column_pair_trends(real, shifted, md).score == pytest.approx(0.75)


def test_missing_values_are_deleted_pairwise() -> None:
    md = Metadata((Column("x", ColumnKind.FLOAT), Column("y", ColumnKind.FLOAT)))
    real = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "y": [1.0, 2.0, 3.0, 100.0]})
    syn = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, np.nan]})
    result = column_pair_trends(real, syn, md)
    assert result.details["pairs"][0]["real"] == pytest.approx(1.0)
    assert result.score == pytest.approx(1.0)


def test_pairwise_pearson_matches_pandas_with_missing_values() -> None:
    seed = 11
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(400, 5))
    x[:, 1] += 2 * x[:, 0]
    x[:, 3] = x[:, 3] * 1e6 + 1.7e9  # large offset (datetimes in seconds)
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:, 4] = 3.0  # constant: undefined
    ours = pairwise_pearson(x)
    ref = pd.DataFrame(x).corr().to_numpy()
    np.testing.assert_allclose(ours[:4, :4], ref[:4, :4], atol=1e-10)
    assert np.isnan(ours[4, :]).all()


def _reference_score(real: pd.DataFrame, syn: pd.DataFrame, numeric: set[str]) -> float:
    """A slow, plain pandas version of the definition, to compare with."""
    scores = []
    for a, b in itertools.combinations(real.columns, 2):
        r, s = real[[a, b]].dropna(), syn[[a, b]].dropna()
        if a in numeric and b in numeric:
            scores.append(1 - abs(r[a].corr(r[b]) - s[a].corr(s[b])) / 2)
            continue
        for col in (a, b):
            if col in numeric:
                edges = np.histogram_bin_edges(real[col].dropna(), bins=10)
                edges[0], edges[-1] = -np.inf, np.inf
                r = r.assign(**{col: np.digitize(r[col], edges)})
                s = s.assign(**{col: np.digitize(s[col], edges)})
        p = r.groupby([a, b]).size() / len(r)
        q = s.groupby([a, b]).size() / len(s)
        p, q = p.align(q, fill_value=0.0)
        scores.append(1 - 0.5 * float((p - q).abs().sum()))
    return float(np.mean(scores))


@pytest.mark.parametrize("levels", [4, 300])  # 300 levels: pairs too large for a dense table
def test_matches_a_plain_pandas_version_of_the_definition(levels: int) -> None:
    seed = 5
    rng = np.random.default_rng(seed)

    def frame(n: int) -> pd.DataFrame:
        z = rng.normal(size=n)
        df = pd.DataFrame(
            {
                "u": z + rng.normal(size=n),
                "v": rng.integers(0, 50, n).astype(float),
                "c": pd.Series(rng.choice([f"k{i}" for i in range(levels)], n), dtype=object),
                "d": pd.Series(rng.choice([f"m{i}" for i in range(levels)], n), dtype=object),
                "e": pd.Series(np.where(z > 0, "hi", "lo"), dtype=object),
            }
        )
        df.loc[rng.random(n) < 0.1, "u"] = np.nan
        df.loc[rng.random(n) < 0.1, "c"] = None
        return df

    real, syn = frame(500), frame(400)
    md = Metadata(
        (
            Column("u", ColumnKind.FLOAT),
            Column("v", ColumnKind.FLOAT),
            Column("c", ColumnKind.CATEGORICAL),
            Column("d", ColumnKind.CATEGORICAL),
            Column("e", ColumnKind.CATEGORICAL),
        )
    )
    result = column_pair_trends(real, syn, md)
    assert result.details["n_pairs"] == 10
    assert result.score == pytest.approx(_reference_score(real, syn, {"u", "v"}), abs=1e-12)
