"""Ids, keys and PII are regenerated, never copied; id multiplicities are kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthcraft import pii
from synthcraft._rng import block_seeds
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.synthesizers import GaussianCopulaSynthesizer, IndependentSynthesizer
from synthcraft.synthesizers._identity import pool_multiplicities
from synthcraft.synthesizers._keys import IdStyle, derive_keys, format_ids, infer_style, permute


def _orders(n: int, seed: int) -> tuple[pd.DataFrame, Metadata]:
    rng = np.random.default_rng(seed)
    customers = rng.integers(0, n // 5, n)
    frame = pd.DataFrame(
        {
            "order_id": pd.Series([f"ORD-{i:06d}" for i in range(n)], dtype="str"),
            "customer": pd.Series([f"CU{c:04d}" for c in customers], dtype="str"),
            "amount": np.round(rng.gamma(2.0, 20.0, n), 2),
            "email": pd.Series(
                [None if i % 10 == 0 else f"buyer{i}@shop-real.com" for i in range(n)],
                dtype="str",
            ),
        }
    )
    md = Metadata(
        (
            Column("order_id", ColumnKind.ID, "str", unique=True),
            Column("customer", ColumnKind.ID, "str"),
            Column("amount", ColumnKind.FLOAT, "float64", decimals=2),
            Column("email", ColumnKind.PII, "str", pii_kind="email"),
        ),
        primary_key="order_id",
    )
    return frame, md


@pytest.fixture
def orders_model(seed: int) -> tuple[pd.DataFrame, GaussianCopulaSynthesizer]:
    frame, md = _orders(2_000, seed=seed)
    return frame, GaussianCopulaSynthesizer(seed=seed).fit(frame, md)


def test_text_primary_key_is_regenerated_in_the_same_shape(orders_model: tuple) -> None:
    _, model = orders_model
    out = model.sample(70_000, seed=3)
    keys = out["order_id"]
    assert keys.is_unique
    assert keys.notna().all()
    assert bool(keys.str.fullmatch(r"ORD-\d{6}").all())
    # real keys go up to ORD-001999: regenerated ones count on from the next power of ten
    assert keys.iloc[0] == "ORD-010001"
    assert keys.iloc[65_536] == "ORD-075537"


def test_integer_primary_key_counts_across_blocks() -> None:
    frame = pd.DataFrame(
        {"id": pd.array(np.arange(500, 600), dtype="Int64"), "x": np.linspace(0, 1, 100)}
    )
    model = IndependentSynthesizer(seed=0).fit(frame)
    assert model.metadata_.primary_key == "id"
    out = model.sample(65_540, seed=0)
    assert out["id"].dtype == "Int64"
    assert out["id"].tolist() == list(range(1_001, 66_541))  # real ids end at 599


def test_repeated_ids_keep_their_multiplicity_and_never_reuse_real_ids(
    orders_model: tuple,
) -> None:
    frame, model = orders_model
    out = model.sample(20_000, seed=5)
    real = frame["customer"].value_counts()
    fake = out["customer"].value_counts()
    assert abs(fake.mean() - real.mean()) < 0.15 * real.mean()
    assert bool(out["customer"].str.fullmatch(r"CU\d{5}").all())
    assert not set(out["customer"]) & set(frame["customer"])
    assert not set(out["order_id"]) & set(frame["order_id"])


def test_pseudonyms_are_consistent_within_a_sample_and_change_with_the_seed(
    orders_model: tuple,
) -> None:
    _, model = orders_model
    seeds = block_seeds(9, 2)
    first = model.sample_block(seeds[0], 500, start=0)
    again = model.sample_block(seeds[0], 500, start=0)
    pd.testing.assert_frame_equal(first, again)
    other = model.sample(500, seed=10)
    assert not set(first["customer"]) & set(other["customer"])


def test_pii_gets_valid_fake_values_with_missing_share(orders_model: tuple) -> None:
    frame, model = orders_model
    out = model.sample(5_000, seed=7)
    emails = out["email"].dropna()
    assert abs(out["email"].isna().mean() - 0.1) < 0.03
    assert bool(pii.validate("email", emails.to_numpy()).all())
    assert not set(emails) & set(frame["email"].dropna())
    assert not emails.str.contains("shop-real").any()


def test_identity_state_holds_no_ids(orders_model: tuple) -> None:
    frame, model = orders_model
    state, arrays = model.get_state()
    text = repr(state) + repr({k: v.tolist() for k, v in arrays.items()})
    for value in list(frame["customer"].unique()[:50]) + list(frame["order_id"].iloc[:50]):
        assert value not in text
    sizes, counts = arrays["identity.mult1"]
    assert abs(int((sizes * counts).sum()) - len(frame)) < 0.02 * len(frame)
    assert counts.min() >= 5


def test_multiplicities_are_pooled_to_k_ids() -> None:
    counts = np.array([1] * 10 + [2] * 3 + [3] * 3 + [50, 70], dtype=np.int64)
    sizes, ids = pool_multiplicities(counts, 5)
    assert ids.tolist() == [10, 8]
    assert sizes[0] == 1
    assert abs(int((sizes * ids).sum()) - int(counts.sum())) <= 8
    assert pool_multiplicities(np.array([4, 9], dtype=np.int64), 5).tolist() == [[6], [2]]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["C-0001", "C-0420", "C-9999"], IdStyle("digits", prefix="C-", width=4)),
        (["user_7", "user_123"], IdStyle("digits", prefix="user_", width=0)),
        (["a3f9c2d1e0", "0b1c2d3e4f"], IdStyle("chars", width=10, charset="0123456789abcdef")),
        (
            ["XK12AB", "ZZ99QQ"],
            IdStyle("chars", width=6, charset="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        ),
        (["123e4567-e89b-12d3-a456-426614174000"], IdStyle("uuid")),
    ],
)
def test_infer_style(values: list[str], expected: IdStyle) -> None:
    assert infer_style(pd.Series(values, dtype="str")) == expected


def test_infer_style_of_numbers_and_a_single_value() -> None:
    assert infer_style(pd.Series([10_234, 99_120], dtype="Int64")) == IdStyle("int", width=5)
    style = infer_style(pd.Series(["ABC", "ABC"], dtype="str"))
    assert style.prefix == "AB"
    assert style.type == "chars"


def test_uuid_keys_are_unique_and_well_formed() -> None:
    style = IdStyle("uuid")
    keys = derive_keys(123, 0)
    numbers = permute(np.arange(1, 5_001, dtype=np.uint64), keys, 2**64)
    out = pd.Series(format_ids(style, numbers, keys))
    assert out.is_unique
    assert bool(
        out.str.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").all()
    )


@settings(max_examples=40, deadline=None)
@given(domain=st.integers(2, 5_000), entropy=st.integers(0, 2**32))
def test_permute_is_a_bijection_of_the_domain(domain: int, entropy: int) -> None:
    codes = np.arange(domain, dtype=np.uint64)
    out = permute(codes, derive_keys(entropy, 3), domain)
    assert sorted(out.tolist()) == list(range(domain))


def test_format_ids_never_collides_past_the_width() -> None:
    style = IdStyle("digits", prefix="K", width=2)
    numbers = np.array([5, 99, 100, 12_345, 10**7], dtype=np.uint64)
    out = format_ids(style, numbers, derive_keys(1, 0)).tolist()
    assert out == ["K05", "K99", "K100", "K12345", "K10000000"]
