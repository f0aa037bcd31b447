"""Multi-table generation: keys, cardinalities, nullable references, seeds and counts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from synthcraft._rng import BLOCK_ROWS
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec._model import (
    BooleanGen,
    Cardinality,
    CategoricalGen,
    ColumnSpec,
    Distribution,
    DistributionGen,
    ForeignKey,
    FormulaGen,
    IdGen,
    Spec,
    TableSpec,
)
from synthcraft.spec._parse import parse
from synthcraft.spec._relations import MultiTableSampler, child_counts
from synthcraft.spec._sampler import TableSampler
from synthcraft.storage import read_table, write_database


def col(table: str, name: str, dtype: str, gen: object) -> ColumnSpec:
    return ColumnSpec(name, f"tables.{table}.columns.{name}", dtype, gen)  # type: ignore[arg-type]


def ident(table: str, name: str) -> ColumnSpec:
    return col(table, name, "integer", IdGen())


def poisson(mu: float) -> Distribution:
    return Distribution("poisson", {"mu": mu}, discrete=True)


def fk(
    table: str,
    columns: tuple[str, ...],
    parent: str,
    parent_columns: tuple[str, ...] | None = None,
    cardinality: Cardinality | None = None,
    nullable: float = 0.0,
) -> ForeignKey:
    return ForeignKey(
        columns,
        parent,
        parent_columns or columns,
        cardinality=cardinality,
        nullable=nullable,
        path=f"tables.{table}.foreign_keys[0]",
    )


def table(
    name: str,
    columns: list[ColumnSpec],
    *,
    rows: int | None = None,
    pk: tuple[str, ...] = (),
    fks: tuple[ForeignKey, ...] = (),
) -> TableSpec:
    return TableSpec(
        name, tuple(columns), rows=rows, primary_key=pk, foreign_keys=fks, path=f"tables.{name}"
    )


def shop_tables() -> list[TableSpec]:
    """customers -> orders -> order_items, products picked uniformly, profiles one-to-one,
    stores(region_id, store_no) -> sales with a nullable driving key."""
    normal = Distribution("norm", {"loc": 40.0, "scale": 12.0})
    return [
        table(
            "customers",
            [
                ident("customers", "customer_id"),
                col("customers", "age", "float", DistributionGen(normal)),
                col("customers", "vip", "boolean", BooleanGen(0.3)),
            ],
            rows=400,
            pk=("customer_id",),
        ),
        table(
            "products",
            [
                ident("products", "product_id"),
                col("products", "price", "float", DistributionGen(normal, low=1.0)),
            ],
            rows=25,
            pk=("product_id",),
        ),
        table(
            "orders",
            [
                col("orders", "order_id", "string", IdGen(format="ORD-{n:06d}")),
                col("orders", "age_twice", "float", FormulaGen("2 * customers.age")),
            ],
            pk=("order_id",),
            fks=(
                fk(
                    "orders",
                    ("customer_id",),
                    "customers",
                    cardinality=Cardinality(poisson(3.0), min=1, max=6),
                ),
                fk("orders", ("product_id",), "products", nullable=0.2),
            ),
        ),
        table(
            "order_items",
            [ident("order_items", "item_id")],
            pk=("item_id",),
            fks=(
                fk(
                    "order_items",
                    ("order_id",),
                    "orders",
                    cardinality=Cardinality(poisson(2.0)),
                ),
            ),
        ),
        table(
            "profiles",
            [col("profiles", "bio", "categorical", CategoricalGen(("a", "b"), (0.5, 0.5)))],
            pk=("customer_id",),
            fks=(
                fk(
                    "profiles",
                    ("customer_id",),
                    "customers",
                    cardinality=Cardinality(one_to_one=True, min=1, max=1),
                ),
            ),
        ),
        table(
            "cards",
            [ident("cards", "card_id")],
            pk=("card_id",),
            fks=(
                fk(
                    "cards",
                    ("holder",),
                    "customers",
                    ("customer_id",),
                    cardinality=Cardinality(one_to_one=True, min=0),
                ),
            ),
        ),
        table(
            "stores",
            [
                col("stores", "region_id", "integer", CategoricalGen((1, 2, 3), (1.0, 1.0, 1.0))),
                ident("stores", "store_no"),
            ],
            rows=30,
            pk=("region_id", "store_no"),
        ),
        table(
            "sales",
            [ident("sales", "sale_id")],
            pk=("sale_id",),
            fks=(
                fk(
                    "sales",
                    ("region_id", "store_no"),
                    "stores",
                    cardinality=Cardinality(poisson(4.0), max=9),
                    nullable=0.1,
                ),
            ),
        ),
    ]


def make_spec(tables: list[TableSpec]) -> Spec:
    return Spec(tables={t.name: t for t in tables})


@pytest.fixture(scope="module")
def shop() -> MultiTableSampler:
    return MultiTableSampler(make_spec(shop_tables()))


@pytest.fixture
def sampled(shop: MultiTableSampler, seed: int) -> dict[str, pd.DataFrame]:
    return shop.sample(seed=seed)


def per_parent(children: pd.DataFrame, cols: list[str], parent: pd.DataFrame) -> np.ndarray:
    keys = pd.MultiIndex.from_frame(parent[cols])
    codes = keys.get_indexer(pd.MultiIndex.from_frame(children[cols].dropna()))
    assert (codes >= 0).all()
    return np.bincount(codes, minlength=len(parent))


def repeat_first(frame: pd.DataFrame, column: str) -> None:
    """Give row 1 the value of row 0 in ``column`` (in place)."""
    values = frame[column].copy()
    values.iloc[1] = values.iloc[0]
    frame[column] = values


def test_roots_and_order(shop: MultiTableSampler) -> None:
    assert shop.roots == ("customers", "products", "stores")
    assert shop.order.index("orders") > shop.order.index("products")
    assert shop.order.index("order_items") > shop.order.index("orders")


def test_every_key_holds(shop: MultiTableSampler, sampled: dict[str, pd.DataFrame]) -> None:
    assert list(sampled) == [t.name for t in shop_tables()]
    assert shop.check(sampled) == []
    assert len(sampled["customers"]) == 400
    assert sampled["orders"]["order_id"].is_unique
    assert sampled["order_items"]["item_id"].is_unique


def test_children_follow_the_cardinality(sampled: dict[str, pd.DataFrame]) -> None:
    customers, orders = sampled["customers"], sampled["orders"]
    counts = per_parent(orders, ["customer_id"], customers)
    assert counts.sum() == len(orders)
    assert counts.min() >= 1
    assert counts.max() <= 6
    # poisson(3) clipped to [1, 6]: mean about 3.0, sd of the mean over 400 parents about 0.08
    assert 2.5 < counts.mean() < 3.5
    items = per_parent(sampled["order_items"], ["order_id"], orders)
    assert items.sum() == len(sampled["order_items"])
    assert (items == 0).any()  # poisson(2) without min keeps parents without children
    # children come in parent order, parents repeated by their counts
    expected = np.repeat(customers["customer_id"].to_numpy(), counts)
    np.testing.assert_array_equal(orders["customer_id"].to_numpy(), expected)


def test_parent_columns_reach_child_formulas(sampled: dict[str, pd.DataFrame]) -> None:
    customers, orders = sampled["customers"], sampled["orders"]
    age = customers.set_index("customer_id")["age"]
    expected = 2 * age.loc[orders["customer_id"].to_numpy()].to_numpy()
    np.testing.assert_allclose(orders["age_twice"].to_numpy(), expected)


def test_uniform_reference_with_missing_share(sampled: dict[str, pd.DataFrame]) -> None:
    orders, products = sampled["orders"], sampled["products"]
    ref = orders["product_id"]
    share = ref.isna().mean()
    sd = np.sqrt(0.2 * 0.8 / len(orders))
    assert abs(share - 0.2) < 6 * sd
    assert ref.dropna().isin(products["product_id"]).all()
    assert ref.dropna().nunique() == len(products)  # ~900 picks of 25 products reach them all
    assert str(ref.dtype) == str(products["product_id"].dtype)


def test_one_to_one_and_at_most_one(sampled: dict[str, pd.DataFrame]) -> None:
    customers, profiles, cards = sampled["customers"], sampled["profiles"], sampled["cards"]
    pd.testing.assert_series_equal(
        profiles["customer_id"], customers["customer_id"], check_names=False
    )
    assert cards["holder"].is_unique
    assert cards["holder"].isin(customers["customer_id"]).all()
    # each of 400 customers has a card with p = 0.5 (sd 10)
    assert 140 < len(cards) < 260


def test_composite_key_and_nullable_driving_key(sampled: dict[str, pd.DataFrame]) -> None:
    stores, sales = sampled["stores"], sampled["sales"]
    keys = ["region_id", "store_no"]
    missing = sales[keys].isna()
    assert (missing.all(axis=1) == missing.any(axis=1)).all()  # null together
    orphans = int(missing.all(axis=1).sum())
    linked = len(sales) - orphans
    assert abs(orphans - 0.1 * len(sales)) <= 1  # the share is met, not just on average
    assert per_parent(sales, keys, stores).sum() == linked
    assert missing.iloc[linked:].all(axis=None)  # orphans come last


def test_same_seed_same_tables(
    shop: MultiTableSampler, sampled: dict[str, pd.DataFrame], seed: int
) -> None:
    state = np.random.get_state()[1].copy()  # type: ignore[index]  # noqa: NPY002
    again = shop.sample(seed=seed)
    assert (np.random.get_state()[1] == state).all()  # type: ignore[index]  # noqa: NPY002
    for name, frame in sampled.items():
        pd.testing.assert_frame_equal(again[name], frame)
    other = shop.sample(seed=1)
    assert not other["customers"].equals(sampled["customers"])


def test_adding_a_table_keeps_the_earlier_ones(sampled: dict[str, pd.DataFrame], seed: int) -> None:
    extra = table(
        "reviews",
        [ident("reviews", "review_id")],
        fks=(fk("reviews", ("product_id",), "products", cardinality=Cardinality(poisson(1.0))),),
    )
    bigger = MultiTableSampler(make_spec([*shop_tables(), extra])).sample(seed=seed)
    for name, frame in sampled.items():
        pd.testing.assert_frame_equal(bigger[name], frame)
    assert len(bigger["reviews"]) > 0


def test_counts(shop: MultiTableSampler) -> None:
    small = shop.sample(10, seed=3)
    assert [len(small[t]) for t in shop.roots] == [10, 10, 10]
    mixed = shop.sample({"products": 4}, seed=3)
    assert [len(mixed[t]) for t in shop.roots] == [400, 4, 30]
    empty = shop.sample({"customers": 0}, seed=3)
    assert len(empty["orders"]) == 0
    assert len(empty["order_items"]) == 0
    assert shop.check(empty) == []


@pytest.mark.parametrize(
    ("n", "message"),
    [
        (
            {"orders": 5},
            "orders is a child of customers: its rows follow the cardinality; give counts for "
            "root tables: customers, products, stores",
        ),
        ({"nope": 5}, "unknown table 'nope'"),
        ({"customers": -1}, "whole number >= 0"),
        (2.5, "whole number >= 0"),
        (True, "whole number >= 0"),
    ],
)
def test_bad_counts(shop: MultiTableSampler, n: object, message: str) -> None:
    with pytest.raises(UserInputError, match=message):
        shop.sample(n, seed=1)  # type: ignore[arg-type]


def test_root_without_rows_needs_a_count() -> None:
    spec = make_spec([table("t", [ident("t", "id")])])
    with pytest.raises(UserInputError, match="'t' has no row count"):
        MultiTableSampler(spec).sample(seed=1)
    assert len(MultiTableSampler(spec).sample(3, seed=1)["t"]) == 3


def test_spec_seed_is_the_default() -> None:
    spec = replace(make_spec(shop_tables()[:1]), seed=5)
    sampler = MultiTableSampler(spec)
    pd.testing.assert_frame_equal(
        sampler.sample(20)["customers"], sampler.sample(20, seed=5)["customers"]
    )


def test_progress_reports_each_table(shop: MultiTableSampler) -> None:
    calls: list[tuple[int, int]] = []
    shop.sample(5, seed=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 8) for i in range(1, 9)]


def test_cycle_is_refused() -> None:
    a = table("a", [ident("a", "id")], rows=3, pk=("id",), fks=(fk("a", ("b_id",), "b", ("id",)),))
    b = table("b", [ident("b", "id")], rows=3, pk=("id",), fks=(fk("b", ("a_id",), "a", ("id",)),))
    with pytest.raises(SpecError, match="cycle"):
        MultiTableSampler(make_spec([a, b]))


def test_check_finds_broken_keys(shop: MultiTableSampler, sampled: dict[str, pd.DataFrame]) -> None:
    broken = {name: frame.copy() for name, frame in sampled.items()}
    repeat_first(broken["customers"], "customer_id")
    broken["products"] = broken["products"].iloc[1:]
    broken["sales"].loc[0, "store_no"] = pd.NA
    del broken["profiles"]
    problems = shop.check(broken)
    text = "\n".join(problems)
    assert "customers: 1 rows repeat a primary key (customer_id)" in text
    assert "orders(product_id) -> products(product_id):" in text
    assert "references have no parent row" in text
    assert "rows have a partly missing reference" in text
    assert "profiles: table is missing" in text
    orders = sampled["orders"]
    first = orders["customer_id"] == sampled["customers"]["customer_id"].iloc[0]
    items = sampled["order_items"]
    kept = items[items["order_id"].isin(orders.loc[~first, "order_id"])]
    fewer = {
        **sampled,
        "orders": orders[~first].reset_index(drop=True),
        "order_items": kept.reset_index(drop=True),
    }
    assert shop.check(fewer) == [
        "orders(customer_id) -> customers(customer_id): 1 parent rows have fewer than 1 children"
    ]
    broken["orders"].loc[0, "product_id"] = 10_000  # row 0 is the first dangling reference
    assert "have no parent row, e.g. 10000" in "\n".join(shop.check(broken))


def test_block_contract_across_blocks() -> None:
    n = BLOCK_ROWS + 10
    parent = table(
        "p",
        [ident("p", "id"), col("p", "x", "float", DistributionGen(Distribution("uniform", {})))],
        rows=n,
        pk=("id",),
    )
    child = table(
        "c",
        [ident("c", "cid"), col("c", "y", "float", FormulaGen("p.x + 1"))],
        pk=("cid",),
        fks=(fk("c", ("pid",), "p", ("id",), cardinality=Cardinality(one_to_one=True, min=1)),),
    )
    spec = make_spec([parent, child])
    tables = MultiTableSampler(spec).sample(seed=11)
    stream = np.random.SeedSequence(entropy=np.random.SeedSequence(11).entropy, spawn_key=(0,))
    pd.testing.assert_frame_equal(tables["p"], TableSampler(spec, "p").sample(n, seed=stream))
    c = tables["c"]
    assert c["cid"].is_unique
    np.testing.assert_allclose(c["y"].to_numpy(), tables["p"]["x"].to_numpy() + 1)


def test_child_counts() -> None:
    rng = np.random.default_rng(4)
    clipped = child_counts(Cardinality(poisson(3.0), min=2, max=4), 5000, rng)
    assert set(np.unique(clipped)) == {2, 3, 4}
    assert (child_counts(Cardinality(one_to_one=True, min=1), 7, rng) == 1).all()
    at_most = child_counts(Cardinality(one_to_one=True, min=0), 4000, rng)
    assert set(np.unique(at_most)) == {0, 1}
    assert abs(at_most.mean() - 0.5) < 6 * np.sqrt(0.25 / 4000)
    uniform = child_counts(Cardinality(min=1, max=3), 3000, rng)
    assert set(np.unique(uniform)) == {1, 2, 3}
    assert len(child_counts(Cardinality(poisson(3.0)), 0, rng)) == 0
    with pytest.raises(SpecError, match="0 <= min <= max"):
        child_counts(Cardinality(poisson(3.0), min=5, max=2), 3, rng, path="tables.o")
    with pytest.raises(SpecError, match="distribution"):
        child_counts(Cardinality(min=1), 3, rng)
    with pytest.raises(SpecError, match="unknown distribution family 'nope'"):
        child_counts(Cardinality(Distribution("nope", {})), 3, rng)


def test_second_one_to_one_key_picks_distinct_parents() -> None:
    users = table("users", [ident("users", "id")], rows=30, pk=("id",))
    seats = table("seats", [ident("seats", "id")], rows=40, pk=("id",))
    owner = fk(
        "tickets", ("user_id",), "users", ("id",), cardinality=Cardinality(poisson(1.0), max=1)
    )
    seat = fk(
        "tickets", ("seat_id",), "seats", ("id",), cardinality=Cardinality(one_to_one=True, min=0)
    )
    tickets = table("tickets", [], pk=("seat_id",), fks=(owner, seat))
    sampler = MultiTableSampler(make_spec([users, seats, tickets]))
    tables = sampler.sample(seed=8)
    assert 0 < len(tables["tickets"]) <= 30
    assert tables["tickets"]["seat_id"].is_unique
    assert sampler.check(tables) == []
    repeat_first(tables["tickets"], "seat_id")
    assert sampler.check(tables) == [
        "tickets: 1 rows repeat a primary key (seat_id)",
        "tickets(seat_id) -> seats(id): 1 parent rows have more than 1 children",
    ]
    with pytest.raises(UserInputError, match="one_to_one reference to seats has only 0 parent"):
        sampler.sample({"seats": 0}, seed=8)


SHOP_YAML: dict[str, Any] = {
    "spec_version": "1.0",
    "tables": {
        "customers": {
            "rows": 150,
            "primary_key": "customer_id",
            "columns": {
                "customer_id": {"type": "id"},
                "vip": {"type": "boolean", "p": 0.3},
                "name": {"pii": "full_name"},
            },
        },
        "products": {
            "rows": 12,
            "primary_key": "product_id",
            "columns": {
                "product_id": {"type": "id", "format": "P-{n:04d}"},
                "price": {"distribution": "gamma(2, scale=10)", "decimals": 2},
            },
        },
        "orders": {
            "primary_key": "order_id",
            "foreign_keys": [
                {
                    "columns": "customer_id",
                    "references": "customers.customer_id",
                    "cardinality": {"distribution": "poisson(3)", "min": 1, "max": 6},
                },
                {"columns": "product_id", "references": "products.product_id", "nullable": 0.1},
            ],
            "columns": {
                "order_id": {"type": "id", "format": "ORD-{n:08d}"},
                "total": {"formula": "10 + 2*customers.vip + products.price"},
            },
        },
        "profiles": {
            "primary_key": "customer_id",
            "foreign_keys": [
                {
                    "columns": "customer_id",
                    "references": "customers.customer_id",
                    "cardinality": "one_to_one",
                }
            ],
            "columns": {"bio": {"categories": ["a", "b"]}},
        },
        "stores": {
            "rows": 9,
            "primary_key": ["region_id", "store_no"],
            "columns": {"region_id": {"categories": [1, 2, 3]}, "store_no": {"type": "id"}},
        },
        "sales": {
            "primary_key": "sale_id",
            "foreign_keys": [
                {
                    "columns": ["region_id", "store_no"],
                    "references": {"table": "stores", "columns": ["region_id", "store_no"]},
                    "cardinality": "poisson(4)",
                    "nullable": 0.05,
                }
            ],
            "columns": {"sale_id": {"type": "id"}},
        },
    },
}


@pytest.mark.parametrize("name", ["shop.sqlite", "shop.duckdb"])
def test_parsed_spec_to_database(tmp_path: Path, name: str, seed: int) -> None:
    spec = parse(SHOP_YAML)
    sampler = MultiTableSampler(spec)
    tables = sampler.sample(seed=seed)
    assert sampler.check(tables) == []
    orders, products = tables["orders"], tables["products"]
    price = products.set_index("product_id")["price"]
    vip = tables["customers"].set_index("customer_id")["vip"].astype(float)
    has_product = orders["product_id"].notna().to_numpy()
    expected = 10 + 2 * vip.loc[orders["customer_id"].to_numpy()].to_numpy()
    expected[has_product] += price.loc[orders["product_id"].dropna().to_numpy()].to_numpy()
    expected[~has_product] = np.nan  # the parent's columns are missing with the reference
    np.testing.assert_allclose(orders["total"].to_numpy(), expected)
    out = write_database(
        tmp_path / name,
        tables,
        primary_keys={t: list(s.primary_key) for t, s in spec.tables.items()},
        foreign_keys={
            t: [(fk.columns, fk.parent, fk.parent_columns) for fk in s.foreign_keys]
            for t, s in spec.tables.items()
        },
    )
    for table_name, frame in tables.items():
        pd.testing.assert_frame_equal(read_table(out, table=table_name), frame)
