"""TableSampler: one table of a spec, block by block, with conditions, models and determinism."""

from __future__ import annotations

import copy
import random
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from synthcraft._rng import block_seeds, blocks
from synthcraft._types import StatefulSampler
from synthcraft.errors import UnsupportedConditionError, UserInputError
from synthcraft.spec._parse import parse
from synthcraft.spec._sampler import TableSampler

COLUMNS: dict[str, Any] = {
    "customer_id": {"type": "id"},
    "invoice_no": {"type": "id", "format": "INV-{n:06d}"},
    "token": {"type": "uuid"},
    "age": {"distribution": "normal(40, 12)", "truncate": [18, 90], "type": "integer"},
    "segment": {"categories": {"retail": 0.6, "business": 0.3, "public": 0.1}},
    "vip": {"type": "boolean", "p": 0.1},
    "signup": {
        "type": "datetime",
        "start": "2020-01-01",
        "end": "2024-12-31T23:59:59",
        "timezone": "Europe/Berlin",
        "weekdays": [5, 5, 5, 5, 5, 1, 1],
    },
    "country": {"value": "DE"},
    "name": {"pii": "full_name"},
    "income": {"formula": "1200 + 45*age + normal(0, 300)", "decimals": 2},
    "churn": {"formula": "sigmoid(0.03*age - 2) > uniform()"},
    "spend": {
        "by": "segment",
        "cases": {
            "retail": {"distribution": "lognorm(0.5, scale=50)"},
            "business": {"distribution": "lognorm(0.7, scale=400)"},
        },
        "default": {"value": 0},
    },
    "amount": {
        "distribution": "gamma(2, scale=30)",
        "outliers": {"rate": 0.02, "factor": 10, "marker": "amount_is_outlier"},
        "missing": {"formula": "0.05 + 0.3*(age > 60)"},
    },
    "phone": {"pii": "phone", "missing": 0.25},
}
CORRELATIONS = [
    {
        "columns": ["age", "segment", "signup"],
        "matrix": [[1, 0.5, 0.2], [0.5, 1, 0.0], [0.2, 0.0, 1]],
    }
]


def _spec(columns: dict[str, Any] | None = None, **table: Any) -> Any:
    body = {"primary_key": "customer_id", "columns": columns or COLUMNS, **table}
    return parse({"spec_version": "1.0", "tables": {"customers": body}})


@pytest.fixture(scope="module")
def sampler() -> TableSampler:
    return TableSampler(_spec(correlations=CORRELATIONS), "customers")


@pytest.fixture(scope="module")
def frame(sampler: TableSampler) -> pd.DataFrame:
    return sampler.sample(30_000, seed=20261129)


def test_columns_and_canonical_dtypes(sampler: TableSampler, frame: pd.DataFrame) -> None:
    expected = [*[*COLUMNS][:-1], "amount_is_outlier", "phone"]
    assert list(frame.columns) == sampler.columns == expected
    assert {k: str(v) for k, v in frame.dtypes.items()} == sampler.dtypes
    assert sampler.dtypes == {
        "customer_id": "Int64", "invoice_no": "str", "token": "str", "age": "Int64",
        "segment": "str", "vip": "boolean", "signup": "datetime64[us, Europe/Berlin]",
        "country": "str", "name": "str", "income": "float64", "churn": "boolean",
        "spend": "float64", "amount": "float64", "amount_is_outlier": "boolean", "phone": "str",
    }  # fmt: skip
    assert isinstance(sampler, StatefulSampler)


def test_values_follow_the_spec(frame: pd.DataFrame) -> None:
    assert frame["customer_id"].tolist()[:3] == [1, 2, 3]
    assert frame["customer_id"].is_unique
    assert frame["invoice_no"].iloc[0] == "INV-000001"
    assert frame["token"].is_unique
    assert frame["age"].between(18, 90).all()
    assert (frame["country"] == "DE").all()
    residual = frame["income"] - (1200 + 45 * frame["age"].astype(float))
    assert residual.std() == pytest.approx(300, rel=0.05)
    np.testing.assert_allclose(frame["income"], frame["income"].round(2))
    assert frame["vip"].mean() == pytest.approx(0.1, abs=0.01)
    by = frame.groupby("segment")["spend"].median()
    assert by["retail"] == pytest.approx(50, rel=0.05)
    assert by["business"] == pytest.approx(400, rel=0.1)
    assert (frame.loc[frame["segment"] == "public", "spend"] == 0).all()


def test_copula_reproduces_spearman(frame: pd.DataFrame) -> None:
    age = frame["age"].astype(float)
    stamps = frame["signup"].astype("int64")
    assert stats.spearmanr(age, stamps).statistic == pytest.approx(0.2, abs=0.03)
    shares = frame["segment"].value_counts(normalize=True)
    assert shares["retail"] == pytest.approx(0.6, abs=0.015)


def test_missing_rates_and_outliers(frame: pd.DataFrame) -> None:
    assert frame["phone"].isna().mean() == pytest.approx(0.25, abs=0.015)
    old = frame["age"] > 60
    holes = frame["amount"].isna()
    assert holes[old].mean() == pytest.approx(0.35, abs=0.06)  # ~1,400 rows over 60
    assert holes[~old].mean() == pytest.approx(0.05, abs=0.01)
    marked = frame["amount_is_outlier"]
    assert marked.mean() == pytest.approx(0.02, abs=0.005)
    assert frame.loc[marked, "amount"].median() > 5 * frame.loc[~marked, "amount"].median()


def test_same_seed_same_rows_and_prefix(sampler: TableSampler, seed: int) -> None:
    a = sampler.sample(70_000, seed=seed)
    assert a.equals(sampler.sample(70_000, seed=seed))
    assert not a["age"].equals(sampler.sample(70_000, seed=seed + 1)["age"])
    for k in (100, 66_000):
        assert a.iloc[:k].equals(sampler.sample(k, seed=seed))


def test_blocks_equal_the_whole(sampler: TableSampler, seed: int) -> None:
    n = 70_000
    spans = list(blocks(n))
    seeds = block_seeds(seed, len(spans))
    parts = [sampler.sample_block(seeds[i], b - a, start=a) for i, a, b in spans]
    assert pd.concat(parts, ignore_index=True).equals(sampler.sample(n, seed=seed))


def test_state_round_trip_gives_the_same_rows(sampler: TableSampler, seed: int) -> None:
    state, arrays = sampler.get_state()
    rebuilt = TableSampler.from_state(copy.deepcopy(state), arrays)
    assert rebuilt.sample(500, seed=seed).equals(sampler.sample(500, seed=seed))


def test_worker_processes_give_the_same_rows(sampler: TableSampler, seed: int) -> None:
    from synthcraft.engine import sample_frame

    n = 70_000
    assert sample_frame(sampler, n, seed=seed, workers=2).equals(sampler.sample(n, seed=seed))


def test_the_spec_seed_is_the_default(seed: int) -> None:
    spec = parse({"spec_version": "1.0", "seed": seed, "tables": {"t": {"columns": {
        "x": {"distribution": "normal(0, 1)"}}}}})  # fmt: skip
    sampler = TableSampler(spec, "t")
    assert sampler.sample(50).equals(sampler.sample(50, seed=seed))


def test_adding_a_column_keeps_the_others(seed: int) -> None:
    base = {k: COLUMNS[k] for k in ("customer_id", "age", "segment", "income", "name")}
    more = {"customer_id": base["customer_id"], "extra": {"distribution": "uniform(0, 1)"}, **base}
    a = TableSampler(_spec(base), "customers").sample(2_000, seed=seed)
    b = TableSampler(_spec(more), "customers").sample(2_000, seed=seed)
    assert a.equals(b[a.columns])


def test_global_random_state_is_untouched(sampler: TableSampler, seed: int) -> None:
    np_state: Any = np.random.get_state()  # noqa: NPY002
    py_state = random.getstate()
    sampler.sample(1_000, seed=seed)
    after: Any = np.random.get_state()  # noqa: NPY002
    assert py_state == random.getstate()
    assert np.array_equal(np_state[1], after[1])


def test_fixed_values_drive_dependent_columns(sampler: TableSampler, seed: int) -> None:
    out = sampler.sample(5_000, seed=seed, conditions={"age": 30, "segment": "business"})
    assert (out["age"] == 30).all()
    assert (out["segment"] == "business").all()
    assert out["income"].mean() == pytest.approx(1200 + 45 * 30, abs=30)
    assert out["spend"].median() == pytest.approx(400, rel=0.1)


def test_row_conditions_with_gaps_are_drawn(sampler: TableSampler, seed: int) -> None:
    ages = pd.Series([25.0, np.nan] * 500)
    out = sampler.sample(1_000, seed=seed, conditions=pd.DataFrame({"age": ages}))
    assert (out["age"].iloc[::2] == 25).all()
    assert out["age"].iloc[1::2].nunique() > 10


def test_fixed_values_condition_the_copula(seed: int) -> None:
    columns = {"customer_id": {"type": "id"}, "a": {"distribution": "normal(0, 1)"},
               "b": {"distribution": "normal(0, 1)"}}  # fmt: skip
    corr = [{"columns": ["a", "b"], "rho": 0.8}]
    sampler = TableSampler(_spec(columns, correlations=corr), "customers")
    out = sampler.sample(10_000, seed=seed, conditions={"a": 1.0})
    pearson = 2 * np.sin(np.pi * 0.8 / 6)
    assert out["b"].mean() == pytest.approx(pearson, abs=0.03)
    assert out["b"].std() == pytest.approx(np.sqrt(1 - pearson**2), abs=0.03)


def _orders(**extra: Any) -> Any:
    return parse({"spec_version": "1.0", "tables": {
        "customers": {"primary_key": "customer_id", "columns": {
            "customer_id": {"type": "id"}, "vip": {"type": "boolean", "p": 0.3}}},
        "orders": {"primary_key": "order_id", "foreign_keys": [
            {"columns": "customer_id", "references": "customers.customer_id"}],
            "columns": {"order_id": {"type": "id", "format": "ORD-{n:04d}"},
                        "total": {"formula": "10 + 100*customers.vip + normal(0, 1)"}, **extra}},
    }})  # fmt: skip


def test_foreign_keys_pass_through_after_the_primary_key(seed: int) -> None:
    sampler = TableSampler(_orders(), "orders")
    given = pd.DataFrame(
        {
            "customer_id": pd.array([7, 8, None], dtype="Int64"),
            "customers.vip": pd.array([True, False, None], dtype="boolean"),
        }
    )
    out = sampler.sample(3, seed=seed, conditions=given)
    assert list(out.columns) == sampler.columns == ["order_id", "customer_id", "total"]
    assert out["customer_id"].dtype == "Int64"
    assert out["customer_id"].tolist()[:2] == [7, 8]
    assert out["total"].iloc[0] > 100 > out["total"].iloc[1]
    assert np.isnan(out["total"].iloc[2])
    alone = sampler.sample(2, seed=seed, conditions={"customers.vip": True})
    assert alone["customer_id"].isna().all()
    with pytest.raises(UserInputError, match=r"customers\.vip"):
        sampler.sample(2, seed=seed)


def test_bad_conditions(sampler: TableSampler) -> None:
    with pytest.raises(UnsupportedConditionError, match="'nope'"):
        sampler.sample(5, seed=1, conditions={"nope": 1})
    with pytest.raises(UserInputError, match="3 rows but 5"):
        sampler.sample(5, seed=1, conditions=pd.DataFrame({"age": [1, 2, 3]}))
    with pytest.raises(UserInputError, match="cannot be read as integer"):
        sampler.sample(5, seed=1, conditions={"age": "old"})
    with pytest.raises(UserInputError, match="one value"):
        sampler.sample(5, seed=1, conditions={"age": [1, 2]})


def test_hybrid_columns_and_tables_from_models(seed: int) -> None:
    model_spec = parse({"spec_version": "1.0", "tables": {"m": {"columns": {
        "age": {"distribution": "normal(50, 1)"}, "score": {"formula": "age * 2"}}}}})  # fmt: skip
    model = TableSampler(model_spec, "m")
    spec = parse({"spec_version": "1.0", "tables": {
        "t": {"columns": {"age": {"distribution": "uniform(0, 10)"},
              "score": {"from_model": "m.synth", "conditions": ["age"]}}},
        "u": {"from_model": "m.synth", "columns": {"risk": {"formula": "age + 1"}}},
    }})  # fmt: skip
    t = TableSampler(spec, "t", models={"m.synth": model}).sample(200, seed=seed)
    np.testing.assert_allclose(t["score"], 2 * t["age"])
    hybrid = TableSampler(spec, "u", models={"m.synth": model})
    u = hybrid.sample(200, seed=seed)
    assert list(u.columns) == hybrid.columns == ["age", "score", "risk"]
    np.testing.assert_allclose(u["risk"], u["age"] + 1)
    with pytest.raises(UserInputError, match="workers=1"):
        hybrid.get_state()
    with pytest.raises(UserInputError, match="not loaded"):
        TableSampler(spec, "t")


def test_unique_emails_match_names_across_blocks(seed: int) -> None:
    columns = {"customer_id": {"type": "id"}, "name": {"pii": "full_name"},
               "email": {"pii": "email", "from": "name", "unique": True}}  # fmt: skip
    out = TableSampler(_spec(columns), "customers").sample(66_000, seed=seed)
    assert out["email"].is_unique
    parts = out["name"].str.lower().str.split().tolist()
    made = [p[0] in e or p[-1] in e for p, e in zip(parts, out["email"].tolist(), strict=True)]
    assert np.mean(made) > 0.95  # local parts come from the names: first.last, flast, ...
    again = TableSampler(_spec(columns), "customers").sample(10, seed=seed)
    assert out["email"].iloc[:10].tolist() == again["email"].tolist()


def test_zero_rows_and_progress(sampler: TableSampler, seed: int) -> None:
    empty = sampler.sample(0, seed=seed)
    assert len(empty) == 0
    assert {k: str(v) for k, v in empty.dtypes.items()} == sampler.dtypes
    calls: list[tuple[int, int]] = []
    sampler.sample(70_000, seed=seed, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(65_536, 70_000), (70_000, 70_000)]


def test_bad_inputs() -> None:
    spec = _spec({"customer_id": {"type": "id"}})
    with pytest.raises(UserInputError, match="'nope' is not in the spec"):
        TableSampler(spec, "nope")
    with pytest.raises(UserInputError, match="whole number"):
        TableSampler(spec, "customers").sample(-1)
