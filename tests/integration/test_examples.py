"""Every example spec generates, is deterministic for a seed and passes its own checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import api
from synthcraft.spec import MultiTableSampler
from synthcraft.storage import read_table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = {
    "shop.yaml": {"customers": 300, "products": 50},
    "bank.yaml": {"customers": 150},
    "clinic.yaml": {"patients": 200, "doctors": 10},
    "sensors.yaml": 20_000,
}


def _generate(name: str, seed: int) -> dict[str, pd.DataFrame]:
    out = api.generate(EXAMPLES / name, SMALL[name], seed=seed)
    if isinstance(out, pd.DataFrame):
        spec = api.load_spec(EXAMPLES / name)
        return {next(iter(spec.tables)): out}
    assert isinstance(out, dict)
    return out


def _unique_columns(name: str) -> dict[str, list[str]]:
    spec = api.load_spec(EXAMPLES / name)
    return {
        t.name: [c.name for c in t.columns if c.unique] + list(t.primary_key)
        for t in spec.tables.values()
    }


def test_every_example_is_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(SMALL)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_example_generates_deterministically_with_keys_and_uniqueness(name: str) -> None:
    tables = _generate(name, seed=11)
    again = _generate(name, seed=11)
    other = _generate(name, seed=12)
    spec = api.load_spec(EXAMPLES / name)
    assert list(tables) == list(spec.tables)
    for table, frame in tables.items():
        assert len(frame) > 0, table
        pd.testing.assert_frame_equal(frame, again[table])
    assert any(not frame.equals(other[t]) for t, frame in tables.items())
    for table, columns in _unique_columns(name).items():
        frame = tables[table]
        if len(columns) > 1 and set(columns) == set(spec.tables[table].primary_key):
            assert not frame.duplicated(subset=columns).any(), table
            continue
        for column in dict.fromkeys(columns):
            values = frame[column].dropna()
            assert values.is_unique, f"{table}.{column} repeats values"
    if len(tables) > 1:
        assert MultiTableSampler(spec).check(tables) == []


def test_shop_orders_follow_customers_and_items_reference_products() -> None:
    tables = _generate("shop.yaml", seed=3)
    customers, orders, items = tables["customers"], tables["orders"], tables["order_items"]
    assert set(orders["customer_id"]) <= set(customers["customer_id"])
    assert set(items["product_id"]) <= set(tables["products"]["product_id"])
    per_order = items.groupby("order_id").size()
    assert per_order.min() >= 1
    assert per_order.max() <= 10
    vip = orders.merge(customers[["customer_id", "vip"]], on="customer_id")
    assert (vip.loc[vip["vip"], "shipping"] == 0).all()
    assert (vip.loc[~vip["vip"], "shipping"] == 4.99).all()
    assert tables["products"]["product_id"].str.fullmatch(r"SKU-\d{5}").all()


def test_bank_fraud_follows_its_rule_and_income_its_formula() -> None:
    tables = _generate("bank.yaml", seed=5)
    customers, tx = tables["customers"], tables["transactions"]
    residual = np.log(customers["income"].to_numpy(float)) - (
        9.6 + 0.012 * customers["age"].to_numpy(float)
    )
    assert abs(residual.std() - 0.45) < 0.1
    assert tx["is_fraud"].dtype == "boolean"
    rate = tx["is_fraud"].mean()
    assert 0.0 < rate < 0.2
    risky = tx["night"] & tx["new_device"]
    if risky.sum() >= 20:
        assert tx.loc[risky, "is_fraud"].mean() > tx.loc[~risky, "is_fraud"].mean()
    assert tx["amount_outlier"].dtype == "boolean"


def test_clinic_blood_pressure_rises_with_age_as_declared() -> None:
    tables = _generate("clinic.yaml", seed=7)
    visits = tables["visits"].merge(tables["patients"], on="patient_id")
    fitted = 105 + 0.5 * visits["age"].to_numpy(float) + 8 * visits["smoker"].to_numpy(float)
    residual = visits["systolic"].to_numpy(float) - fitted
    assert abs(residual.mean()) < 2.0
    assert abs(residual.std() - 10) < 1.5
    assert tables["visits"]["doctor_id"].isna().mean() < 0.15
    at = tables["visits"]["at"]
    assert (at.dt.day_of_week < 5).all()
    assert ((at.dt.hour >= 9) & (at.dt.hour < 17)).all()


def test_sensors_dew_point_holds_up_to_its_noise() -> None:
    (frame,) = _generate("sensors.yaml", seed=9).values()
    expected = frame["temperature"] - (1 - frame["humidity"]) * 20
    residual = (frame["dew_point"] - expected).to_numpy(float)
    assert abs(residual.std() - 0.5) < 0.05
    assert (frame["reading_ok"] == ~frame["fault"]).all()
    rho = frame[["temperature", "humidity"]].corr(method="spearman").iloc[0, 1]
    assert abs(rho + 0.6) < 0.05


def test_shop_database_declares_its_keys(tmp_path: Path) -> None:
    out = tmp_path / "shop.sqlite"
    api.generate(EXAMPLES / "shop.yaml", SMALL["shop.yaml"], seed=1, output=out)
    with sqlite3.connect(out) as con:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = con.execute("PRAGMA foreign_key_list(order_items)").fetchall()
        assert {row[2] for row in fks} == {"orders", "products"}
    orders = read_table(out, table="orders")
    assert orders["order_id"].is_unique
