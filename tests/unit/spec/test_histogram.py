"""The empirical ``histogram`` family: parsing, generation, copula and drafting."""

from __future__ import annotations

from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from synthcraft.errors import SpecError
from synthcraft.spec._draft import draft
from synthcraft.spec._histogram import (
    HistogramQuantile,
    draft_histogram,
    histogram_cdf,
    histogram_distance,
)
from synthcraft.spec._model import DistributionGen, Histogram
from synthcraft.spec._parse import load, parse
from synthcraft.spec._sampler import TableSampler
from synthcraft.spec._schema import json_schema

HIST = {"family": "histogram", "edges": [0, 0, 1, 1, 3], "weights": [2, 1, 0, 1]}


def spec(columns: dict[str, Any], **table: Any) -> dict[str, Any]:
    return {"spec_version": "1.0", "tables": {"t": {"rows": 10, "columns": columns, **table}}}


def problems(mapping: dict[str, Any]) -> list[str]:
    with pytest.raises(SpecError) as info:
        parse(mapping)
    return list(info.value.problems)


# -- parsing ----------------------------------------------------------------------------------


def test_a_histogram_parses_normalised_and_round_trips() -> None:
    parsed = parse(spec({"x": {"distribution": HIST, "truncate": [0, 2]}}))
    column = parsed.tables["t"].columns[0]
    assert isinstance(column.generator, DistributionGen)
    dist = column.generator.distribution
    assert dist.family == "histogram"
    assert dict(dist.params) == {}
    assert dist.histogram == Histogram((0.0, 0.0, 1.0, 1.0, 3.0), (0.5, 0.25, 0.0, 0.25))
    assert column.dtype == "float"
    assert parse(parsed.source) == parsed


def test_type_integer_and_decimals_apply() -> None:
    parsed = parse(
        spec(
            {
                "n": {"distribution": HIST, "type": "integer"},
                "y": {"distribution": HIST, "decimals": 1},
            }
        )
    )
    n, y = parsed.tables["t"].columns
    assert n.dtype == "integer"
    assert y.dtype == "float"
    assert isinstance(y.generator, DistributionGen)
    assert y.generator.decimals == 1


@pytest.mark.parametrize(
    ("dist", "where", "text"),
    [
        ({"edges": [0, 2, 1], "weights": [1, 1]}, "distribution.edges[2]", "must not decrease"),
        ({"edges": [0, 1, 2], "weights": [1, -1]}, "distribution.weights[1]", "must be >= 0"),
        ({"edges": [0, 1, 2], "weights": [0, 0]}, "distribution.weights", "must not all be 0"),
        ({"edges": [0, 1, 2], "weights": [1]}, "distribution.weights", "one weight per bin"),
        ({"edges": [0], "weights": [1]}, "distribution.edges", "at least 2 numbers"),
        ({"edges": [0, "a"], "weights": [1]}, "distribution.edges[1]", "must be a number"),
        ({"edges": 3, "weights": [1]}, "distribution.edges", "must be a list"),
        ({"weights": [1]}, "distribution.edges", "required"),
        ({"edges": [0, 1], "weights": [1], "bins": 3}, "distribution.bins", "unknown key"),
        ({"edges": [0, 1], "weight": [1]}, "distribution.weight", "did you mean 'weights'"),
    ],
)
def test_bad_histograms_name_the_path(dist: dict[str, Any], where: str, text: str) -> None:
    found = problems(spec({"x": {"distribution": {"family": "histogram", **dist}}}))
    path = f"tables.t.columns.x.{where}: "
    assert any(p.startswith(path) and text in p for p in found), found


def test_truncation_without_mass_is_refused() -> None:
    gap = {"family": "histogram", "edges": [0, 1, 2, 3], "weights": [1, 0, 1]}
    found = problems(spec({"x": {"distribution": gap, "truncate": [1.2, 1.5]}}))
    assert any(p.startswith("tables.t.columns.x.truncate: ") for p in found), found


def test_histogram_is_only_for_column_distributions() -> None:
    outliers = {"rate": 0.1, "distribution": HIST}
    found = problems(spec({"x": {"distribution": "normal(0, 1)", "outliers": outliers}}))
    assert any(
        p.startswith("tables.t.columns.x.outliers.distribution.family: ")
        and "only as a column's distribution" in p
        for p in found
    ), found


def test_schema_accepts_a_histogram_and_refuses_a_bad_one() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    assert validator.is_valid(spec({"x": {"distribution": HIST}}))
    bad = {"family": "histogram", "edges": [0, 1], "weights": [-1]}
    assert not validator.is_valid(spec({"x": {"distribution": bad}}))


# -- generation -------------------------------------------------------------------------------


def test_generation_reproduces_the_histogram(seed: int) -> None:
    parsed = parse(spec({"x": {"distribution": HIST}}))
    x = TableSampler(parsed, "t").sample(20_000, seed=seed)["x"].to_numpy(np.float64)
    hist = Histogram((0.0, 0.0, 1.0, 1.0, 3.0), (0.5, 0.25, 0.0, 0.25))
    assert histogram_distance(hist, x) < 0.02
    assert np.mean(x == 0.0) == pytest.approx(0.5, abs=0.02)
    assert x.min() >= 0.0
    assert x.max() <= 3.0
    assert not ((x > 1.0) & (x < 1.0 + 1e-9)).any()


def test_truncation_and_integers_work_as_for_other_families(seed: int) -> None:
    columns = {
        "x": {"distribution": HIST, "truncate": [0.5, 2.5]},
        "n": {"distribution": {**HIST, "edges": [0, 0, 10, 10, 30]}, "type": "integer"},
    }
    frame = TableSampler(parse(spec(columns)), "t").sample(5_000, seed=seed)
    x = frame["x"].to_numpy(np.float64)
    assert x.min() >= 0.5
    assert x.max() <= 2.5
    # truncated mass: [0.5, 1] has 0.125 and [1, 2.5] has 0.1875 of the 0.3125 kept
    assert np.mean(x <= 1.0) == pytest.approx(0.4, abs=0.03)
    assert str(frame["n"].dtype) == "Int64"
    n = frame["n"].to_numpy(np.float64)
    assert np.mean(n == 0) == pytest.approx(0.5, abs=0.03)
    assert n.max() <= 30


def test_same_seed_same_values_and_prefix_stable(seed: int) -> None:
    sampler = TableSampler(parse(spec({"x": {"distribution": HIST}})), "t")
    long = sampler.sample(1_000, seed=seed)
    assert long.equals(sampler.sample(1_000, seed=seed))
    assert sampler.sample(100, seed=seed).equals(long.head(100))


def test_copula_with_a_histogram_column_keeps_spearman(seed: int) -> None:
    hist = {"family": "histogram", "edges": [0, 1, 5, 6, 20], "weights": [1, 3, 1, 2]}
    columns = {"h": {"distribution": hist}, "y": {"distribution": "gamma(2, scale=3)"}}
    corr = [{"columns": ["h", "y"], "rho": 0.6}]
    frame = TableSampler(parse(spec(columns, correlations=corr)), "t").sample(20_000, seed=seed)
    rho = stats.spearmanr(frame["h"], frame["y"]).statistic
    assert rho == pytest.approx(0.6, abs=0.03)
    parsed_hist = Histogram((0.0, 1.0, 5.0, 6.0, 20.0), (1 / 7, 3 / 7, 1 / 7, 2 / 7))
    assert histogram_distance(parsed_hist, frame["h"].to_numpy(np.float64)) < 0.02


def test_condition_on_a_histogram_column_is_honoured(seed: int) -> None:
    columns = {"h": {"distribution": HIST}, "y": {"distribution": "normal(0, 1)"}}
    corr = [{"columns": ["h", "y"], "rho": 0.8}]
    sampler = TableSampler(parse(spec(columns, correlations=corr)), "t")
    high = sampler.sample(2_000, seed=seed, conditions={"h": 2.5})
    low = sampler.sample(2_000, seed=seed, conditions={"h": 0.0})
    assert (high["h"] == 2.5).all()
    assert high["y"].mean() > low["y"].mean() + 0.5


def test_quantile_and_uniform_are_inverse_off_the_atoms(seed: int) -> None:
    hist = Histogram((0.0, 0.0, 1.0, 1.0, 3.0), (0.5, 0.25, 0.0, 0.25))
    quantile = HistogramQuantile(hist, None, None, path="x")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.01, 3.0, 1_000)
    x = x[(x < 0.99) | (x > 1.01)]
    assert np.allclose(quantile(quantile.to_uniform(x, rng)), x, atol=1e-9)
    u = quantile.to_uniform(np.zeros(2_000), rng)
    assert u.min() >= 0.0
    assert u.max() <= 0.5
    assert u.mean() == pytest.approx(0.25, abs=0.02)
    assert np.isnan(quantile.to_uniform(np.array([np.nan]), rng)[0])


def test_cdf_counts_atoms_at_and_before() -> None:
    hist = Histogram((0.0, 0.0, 2.0), (0.4, 0.6))
    at = histogram_cdf(hist, np.array([-1.0, 0.0, 1.0, 2.0, 5.0]))
    before = histogram_cdf(hist, np.array([0.0]), left=True)
    assert at.tolist() == pytest.approx([0.0, 0.4, 0.7, 1.0, 1.0])
    assert before.tolist() == [0.0]


# -- drafting ---------------------------------------------------------------------------------


def frame_of(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 4_000
    gain = np.where(rng.random(n) < 0.85, 0, np.round(rng.lognormal(8.0, 1.0, n))).astype(int)
    bimodal = np.where(rng.random(n) < 0.5, rng.normal(-3, 1, n), rng.normal(5, 0.7, n))
    return pd.DataFrame({"gain": gain, "bimodal": bimodal})


def test_draft_picks_a_histogram_for_spikes_and_two_modes(seed: int) -> None:
    frame = frame_of(seed)
    result = draft(frame, seed=seed)
    cols = result.mapping["tables"]["data"]["columns"]
    for name in ("gain", "bimodal"):
        assert cols[name]["distribution"]["family"] == "histogram"
        assert "truncate" not in cols[name]
    assert cols["gain"]["type"] == "integer"
    gain = cols["gain"]["distribution"]
    atom = [
        w
        for a, b, w in zip(gain["edges"], gain["edges"][1:], gain["weights"], strict=False)
        if a == b == 0
    ]
    assert atom == [pytest.approx(0.85, abs=0.02)]
    assert "histogram of" in result.text
    assert "no family fits (best" in result.text
    chosen = {f.column: f for f in result.fits if f.chosen}
    assert chosen["gain"].family == chosen["bimodal"].family == "histogram"


def test_drafted_histograms_round_trip_closely(seed: int) -> None:
    frame = frame_of(seed)
    result = draft(frame, seed=seed)
    parsed = load(result.text)
    synthetic = TableSampler(parsed, "data").sample(len(frame), seed=seed + 1)
    for name in frame.columns:
        d = stats.ks_2samp(frame[name], synthetic[name].astype(float)).statistic
        assert d < 0.05, (name, d)
    assert str(synthetic["gain"].dtype) == "Int64"


def test_drafted_histograms_do_not_copy_extremes(seed: int) -> None:
    frame = frame_of(seed)
    text = draft(frame, seed=seed).text
    numbers = {
        float(v)
        for v in yaml.safe_load(text)["tables"]["data"]["columns"]["bimodal"]["distribution"][
            "edges"
        ]
    }
    for value in (frame["bimodal"].min(), frame["bimodal"].max()):
        assert f"{value:.6g}" not in text
        assert float(f"{value:.6g}") not in numbers
    assert str(int(frame["gain"].max())) not in text


def test_histograms_can_be_left_out(seed: int) -> None:
    frame = frame_of(seed)
    result = draft(frame, seed=seed, families=["norm", "lognorm", "gamma"])
    cols = result.mapping["tables"]["data"]["columns"]
    assert cols["bimodal"]["distribution"]["family"] != "histogram"


def test_draft_histogram_merges_small_bins_and_keeps_bounds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.concatenate([np.zeros(50), rng.normal(10.0, 1.0, 60)])
    hist = draft_histogram(x, 0.0, 13.0, 0.0)
    edges, weights = np.array(hist.edges), np.array(hist.weights)
    assert edges[0] == 0.0
    assert edges[1] == 0.0
    assert edges[-1] == 13.0
    assert np.all(np.diff(edges) >= 0)
    assert np.all(weights[weights > 0] * len(x) >= 5 - 1e-9)
    assert weights.sum() == pytest.approx(1.0, abs=1e-5)
