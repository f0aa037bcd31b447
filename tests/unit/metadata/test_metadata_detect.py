"""Kind detection: one test per rule, plus the JSON round trip of what it learns."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import UserInputError
from synthcraft.metadata import ColumnKind, Metadata, Provenance, detect


def test_boolean_dtype_and_object_bools() -> None:
    data = pd.DataFrame(
        {
            "flag": pd.array([True, False, None], dtype="boolean"),
            "np_flag": np.array([True, True, False]),
            "obj_flag": pd.Series([True, None, False], dtype=object),
        }
    )
    md = detect(data)
    for name in data.columns:
        assert md[name].kind is ColumnKind.BOOLEAN
        assert md[name].categories == (False, True)
    assert md["flag"].missing_share == pytest.approx(1 / 3)
    assert md["flag"].dtype == "boolean"
    assert md["np_flag"].dtype == "bool"
    assert md["obj_flag"].dtype == "object"


def test_every_column_is_learned_with_its_dtype() -> None:
    data = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": [0.5, 1.5, 2.5]})
    md = detect(data)
    assert all(c.provenance is Provenance.LEARNED for c in md)
    assert [c.dtype for c in md] == ["Int64", "float64"]
    assert md["a"].missing_share == pytest.approx(1 / 3)


def test_datetime_naive_bounds_are_epoch_seconds() -> None:
    data = pd.DataFrame({"when": pd.to_datetime(pd.Series(["2013-01-01", "2013-12-31", None]))})
    col = detect(data)["when"]
    assert col.kind is ColumnKind.DATETIME
    assert col.timezone is None
    assert col.minimum == pd.Timestamp("2013-01-01", tz="UTC").timestamp()
    assert col.maximum == pd.Timestamp("2013-12-31", tz="UTC").timestamp()


@pytest.mark.parametrize("unit", ["us", "ns", "s"])
def test_datetime_aware_records_zone(unit: Literal["s", "ms", "us", "ns"]) -> None:
    stamps = pd.to_datetime(["2013-01-01T06:00:00Z", "2013-01-02T06:00:00Z"]).as_unit(unit)
    data = pd.DataFrame({"t": stamps, "berlin": stamps.tz_convert("Europe/Berlin")})
    md = detect(data)
    assert md["t"].timezone == "UTC"
    assert md["t"].dtype == f"datetime64[{unit}, UTC]"
    assert md["berlin"].timezone == "Europe/Berlin"
    assert md["t"].minimum == md["berlin"].minimum == 1357020000.0


def test_object_dates_are_datetimes() -> None:
    data = pd.DataFrame({"d": pd.Series([dt.date(2020, 1, 2), dt.date(2020, 1, 1)], dtype=object)})
    col = detect(data)["d"]
    assert col.kind is ColumnKind.DATETIME
    assert col.minimum == pd.Timestamp("2020-01-01", tz="UTC").timestamp()


@pytest.mark.parametrize(
    "name", ["id", "ID", "user_id", "userId", "customerID", "key", "uuid", "pk", "order_key"]
)
def test_integer_id_names_unique(name: str) -> None:
    data = pd.DataFrame({"x": [5, 5, 6, 7], name: [10, 11, 12, 13]})
    md = detect(data)
    assert md[name].kind is ColumnKind.ID
    assert md[name].unique
    assert md.primary_key == name


def test_integer_id_name_with_repeats_is_a_foreign_key() -> None:
    data = pd.DataFrame({"order_id": [1, 2, 3, 4], "customer_id": [7, 7, 8, 9]})
    md = detect(data)
    assert md["customer_id"].kind is ColumnKind.ID
    assert not md["customer_id"].unique
    assert md.primary_key == "order_id"


@pytest.mark.parametrize("name", ["paid", "valid", "keyboard", "monkey", "idle"])
def test_words_ending_like_id_are_not_ids(name: str) -> None:
    data = pd.DataFrame({name: np.arange(30)})
    assert detect(data)[name].kind is ColumnKind.INTEGER


def test_number_names_are_ids_only_when_unique() -> None:
    data = pd.DataFrame(
        {"invoice_no": [101, 102, 103, 104, 105, 106], "number": [3, 3, 4, 9, 12, 15]}
    )
    md = detect(data)
    assert md["invoice_no"].kind is ColumnKind.ID
    assert md["invoice_no"].unique
    assert md["number"].kind is ColumnKind.INTEGER


def test_id_with_missing_value_is_not_unique() -> None:
    data = pd.DataFrame({"id": pd.array([1, 2, None, 4], dtype="Int64")})
    md = detect(data)
    assert md["id"].kind is ColumnKind.ID
    assert not md["id"].unique
    assert md.primary_key is None


def test_few_integer_values_are_categorical(seed: int) -> None:
    rng = np.random.default_rng(seed)
    years = rng.choice([2007, 2008, 2009], size=300, p=[0.5, 0.3, 0.2])
    data = pd.DataFrame({"year": years, "survey": np.full(300, 2013), "flag": years % 2})
    md = detect(data)
    assert md["year"].kind is ColumnKind.CATEGORICAL
    assert md["year"].categories == (2007, 2008, 2009)
    assert all(type(c) is int for c in md["year"].categories or ())
    assert md["survey"].categories == (2013,)
    assert md["flag"].kind is ColumnKind.CATEGORICAL


def test_integer_bounds_and_many_values(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ages = rng.integers(17, 91, size=500)
    col = detect(pd.DataFrame({"age": ages}))["age"]
    assert col.kind is ColumnKind.INTEGER
    assert (col.minimum, col.maximum) == (int(ages.min()), int(ages.max()))
    assert type(col.minimum) is int


def test_few_distinct_integers_in_a_tiny_table_stay_integers() -> None:
    col = detect(pd.DataFrame({"age": [30, 41, 52]}))["age"]
    assert col.kind is ColumnKind.INTEGER


@pytest.mark.parametrize(
    ("values", "decimals"),
    [
        ([0.23, 0.21, 1.5, 3.0], 2),
        ([61.5, 59.8, 62.0], 1),
        ([129.0, 131.0, 200.0], 0),
        ([10.35702, 8.05546, 11.5078], 5),
        ([2.675, 1.005, 0.001], 3),
        ([1e-7, 2.0], None),
        ([1 / 3, 2 / 3, 0.5], None),
    ],
)
def test_float_decimals(values: list[float], decimals: int | None) -> None:
    col = detect(pd.DataFrame({"x": values}))["x"]
    assert col.kind is ColumnKind.FLOAT
    assert col.decimals == decimals
    assert (col.minimum, col.maximum) == (min(values), max(values))


def test_float32_decimals_use_its_precision() -> None:
    col = detect(pd.DataFrame({"x": np.array([0.1, 2.25, 3.7], dtype=np.float32)}))["x"]
    assert col.kind is ColumnKind.FLOAT
    assert col.decimals == 2
    assert col.dtype == "float32"


def test_continuous_floats_have_no_decimals(seed: int) -> None:
    values = np.random.default_rng(seed).normal(size=20_000)
    col = detect(pd.DataFrame({"x": values}))["x"]
    assert col.decimals is None
    assert col.minimum == values.min()


def test_category_dtype_is_categorical_by_frequency() -> None:
    values = pd.Categorical(["b", "a", "b", "c", None], categories=["a", "b", "c", "unused"])
    col = detect(pd.DataFrame({"c": values}))["c"]
    assert col.kind is ColumnKind.CATEGORICAL
    assert col.categories == ("b", "a", "c")
    assert col.dtype == "category"


def test_text_categories_ordered_by_frequency_then_value() -> None:
    data = pd.DataFrame({"color": ["red", "blue", "red", "green", "blue", "azure", None]})
    col = detect(data)["color"]
    assert col.kind is ColumnKind.CATEGORICAL
    assert col.categories == ("blue", "red", "azure", "green")


def test_text_pii_is_detected() -> None:
    emails = [f"person{i}@example.com" for i in range(40)]
    col = detect(pd.DataFrame({"contact": emails}))["contact"]
    assert col.kind is ColumnKind.PII
    assert col.pii_kind == "email"


def test_integer_pii_with_a_name_hint() -> None:
    zips = [10001, 94105, 2134, 60601, 73301, 30301] * 5
    md = detect(pd.DataFrame({"zip": zips, "n": zips}))
    assert md["zip"].kind is ColumnKind.PII
    assert md["zip"].pii_kind == "postcode"
    assert md["n"].kind is ColumnKind.INTEGER


def test_text_ids_by_name_and_by_shape() -> None:
    n = 200
    data = pd.DataFrame(
        {
            "ref": [str(uuid.UUID(int=i * 7919 + 13)) for i in range(n)],
            "code": [f"C-{i:05d}" for i in range(n)],
            "user": [f"user_{i}" for i in range(n)],
            "hash": [f"{i * 2654435761 % 2**32:08x}" for i in range(n)],
            "account_key": [f"k{i % 50}" for i in range(n)],
        }
    )
    md = detect(data)
    for name in ("ref", "code", "user"):
        assert md[name].kind is ColumnKind.ID, name
        assert md[name].unique
    assert md["hash"].kind is ColumnKind.ID
    assert md["account_key"].kind is ColumnKind.ID
    assert not md["account_key"].unique
    assert md.primary_key == "ref"


def test_short_distinct_words_are_not_codes() -> None:
    md = detect(pd.DataFrame({"airport": ["EWR", "JFK", "LGA"], "sex": ["M", "F", "X"]}))
    assert md["airport"].kind is ColumnKind.CATEGORICAL
    assert md["sex"].kind is ColumnKind.CATEGORICAL


def test_free_text_and_high_cardinality_codes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    words = np.array(["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog"])
    notes = [" ".join(rng.choice(words, size=6)) + f" {i}" for i in range(300)]
    skus = [f"S{i % 150}X" if i % 2 else f"{i % 150}" for i in range(300)]
    md = detect(pd.DataFrame({"note": notes, "sku": skus}))
    assert md["note"].kind is ColumnKind.TEXT
    assert md["sku"].kind is ColumnKind.ID
    assert not md["sku"].unique


def test_default_category_limit_scales_with_rows(seed: int) -> None:
    rng = np.random.default_rng(seed)
    countries = [f"Country{chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(41)]
    values = rng.choice(countries, size=48_000)
    col = detect(pd.DataFrame({"native_country": values}))["native_country"]
    assert col.kind is ColumnKind.CATEGORICAL
    assert len(col.categories or ()) == 41


def test_max_categories_argument() -> None:
    data = pd.DataFrame({"c": [f"v{i % 30}" for i in range(600)]})
    assert detect(data)["c"].kind is ColumnKind.CATEGORICAL
    assert detect(data, max_categories=10)["c"].kind is ColumnKind.ID
    with pytest.raises(UserInputError, match="max_categories"):
        detect(data, max_categories=0)


def test_given_primary_key_is_marked_unique() -> None:
    data = pd.DataFrame({"row": [3, 1, 2], "id": [9, 9, 8]})
    md = detect(data, primary_key="row")
    assert md.primary_key == "row"
    assert md["row"].kind is ColumnKind.ID
    assert md["row"].unique
    assert md["row"].minimum is None


def test_json_round_trip_of_detected_metadata() -> None:
    data = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "year": [2007, 2008, 2007, 2008, 2007, 2008],
            "flag": [True, False, True, True, False, None],
            "color": ["red", "blue", "red", "ünï", "blue", None],
            "t": pd.to_datetime(["2013-01-01T06:00:00.5Z"] * 6),
            "naive": pd.to_datetime(["2013-01-01", "2014-05-06"] * 3),
            "price": [1.25, 2.5, 3.75, 5.0, 6.25, 7.5],
            "count": [10, 200, 3000, 4, 50, 600],
        }
    )
    md = detect(data)
    assert Metadata.from_json(md.to_json()) == md
    assert md["t"].minimum == md["t"].maximum == 1357020000.5
