"""Properties of generation from any valid spec: dtypes, bounds, keys and determinism."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthcraft.spec import TableSampler, parse

DTYPES = {"integer": "Int64", "float": "float64", "boolean": "boolean", "categorical": "str"}

continuous = st.sampled_from(
    [
        "normal(0, 1)",
        "normal(100, 15)",
        "lognorm(0.5, scale=20)",
        "gamma(2, scale=3)",
        "expon(scale=5)",
        "beta(2, 5)",
        "uniform(-3, 6)",
        "t(4)",
    ]
)
discrete = st.sampled_from(["poisson(3)", "nbinom(3, 0.4)", "geom(0.3)", "randint(0, 7)"])


@st.composite
def column(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["continuous", "discrete", "categories", "boolean"]))
    if kind == "categories":
        k = draw(st.integers(1, 6))
        weights = draw(st.lists(st.integers(1, 9), min_size=k, max_size=k))
        return {"categories": {f"v{i}": w for i, w in enumerate(weights)}}
    if kind == "boolean":
        return {"type": "boolean", "p": draw(st.floats(0, 1))}
    spec: dict[str, Any] = {"distribution": draw(continuous if kind == "continuous" else discrete)}
    if kind == "continuous" and draw(st.booleans()):
        spec["decimals"] = draw(st.integers(0, 3))
    if draw(st.booleans()):
        spec["missing"] = draw(st.floats(0, 0.5))
    return spec


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    columns: dict[str, Any] = {"row_id": {"type": "id", "start": draw(st.integers(0, 10**6))}}
    for i in range(n):
        columns[f"c{i}"] = draw(column())
    numeric = [f"c{i}" for i in range(n) if "distribution" in columns[f"c{i}"]]
    if len(numeric) >= 2 and draw(st.booleans()):
        rho = draw(st.floats(-0.9, 0.9))
        columns_ = numeric[:2]
        return {
            "spec_version": "1.0",
            "tables": {
                "t": {
                    "primary_key": "row_id",
                    "columns": columns,
                    "correlations": [{"columns": columns_, "rho": rho}],
                }
            },
        }
    return {
        "spec_version": "1.0",
        "tables": {"t": {"primary_key": "row_id", "columns": columns}},
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(), st.integers(0, 2**32 - 1), st.integers(1, 300))
def test_any_valid_spec_generates_typed_deterministic_rows(
    source: dict[str, Any], seed: int, n: int
) -> None:
    spec = parse(source)
    sampler = TableSampler(spec, "t")
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - checks it stays untouched
    frame = sampler.sample(n, seed=seed)
    assert (np.random.get_state()[1] == before).all()  # noqa: NPY002
    assert frame.columns.tolist() == list(source["tables"]["t"]["columns"])
    assert len(frame) == n
    for col in spec.tables["t"].columns:
        assert str(frame[col.name].dtype) == DTYPES.get(col.dtype, str(frame[col.name].dtype))
    assert frame["row_id"].is_unique
    assert frame["row_id"].notna().all()
    pd.testing.assert_frame_equal(frame, sampler.sample(n, seed=seed))
    k = max(1, n // 3)
    pd.testing.assert_frame_equal(frame.head(k), sampler.sample(k, seed=seed))
    for name, raw in source["tables"]["t"]["columns"].items():
        if "decimals" in raw:
            values = frame[name].dropna().to_numpy(float)
            assert np.allclose(values, np.round(values, raw["decimals"]))
        if "categories" in raw:
            assert set(frame[name].dropna()) <= set(raw["categories"])


@settings(max_examples=15, deadline=None)
@given(
    st.floats(-50, 50),
    st.floats(0.1, 20),
    st.floats(-3, 3),
    st.floats(0.1, 3),
    st.integers(0, 2**32 - 1),
)
def test_truncation_always_holds(
    loc: float, scale: float, a: float, width: float, seed: int
) -> None:
    low, high = loc + a * scale, loc + (a + width) * scale
    spec = parse(
        {
            "spec_version": "1.0",
            "tables": {
                "t": {
                    "columns": {
                        "x": {
                            "distribution": {"family": "normal", "loc": loc, "scale": scale},
                            "truncate": [low, high],
                        }
                    }
                }
            },
        }
    )
    values = TableSampler(spec, "t").sample(500, seed=seed)["x"].to_numpy(float)
    assert values.min() >= low
    assert values.max() <= high
