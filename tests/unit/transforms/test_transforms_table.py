"""TableEncoder, state round trips (JSON + arrays, no pickle) and the default encoder map."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import pii
from synthcraft.errors import DataError, MetadataError, ModelFileError
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.transforms import (
    DEFAULT_ENCODERS,
    CategoricalEncoder,
    DatetimeEncoder,
    Encoder,
    IdEncoder,
    NumericEncoder,
    PiiEncoder,
    TableEncoder,
    TextEncoder,
    encoder_for,
    registered_encoders,
)


def make_table(seed: int, n: int = 60) -> tuple[pd.DataFrame, Metadata]:
    gen = np.random.default_rng(seed)
    ages = pd.array(gen.integers(18, 90, n), dtype="Int64")
    ages[gen.random(n) < 0.1] = pd.NA
    income = np.round(gen.lognormal(10, 1, n), 2)
    income[gen.random(n) < 0.2] = np.nan
    when = pd.Series(gen.integers(0, 10**15, n).view("M8[us]")).dt.tz_localize("UTC")
    df = pd.DataFrame(
        {
            "customer id": pd.Series([f"C-{k:05d}" for k in gen.permutation(n)], dtype="str"),
            "age": ages,
            "income €": income,
            "city/region": pd.Series(gen.choice(["Oslo", "Rome", None], n), dtype="str"),
            "vip": pd.array(gen.choice([True, False, None], n), dtype="boolean"),
            "joined": when.where(gen.random(n) > 0.1),
            "note": pd.Series(gen.choice(["ok", "late payer", "asked for refund"], n), dtype="str"),
            "email": pd.Series([f"person{k}@mail.com" for k in range(n)], dtype="str"),
        }
    )
    md = Metadata(
        (
            Column("customer id", ColumnKind.ID, "str", unique=True),
            Column("age", ColumnKind.INTEGER, "Int64"),
            Column("income €", ColumnKind.FLOAT, "float64", decimals=2),
            Column("city/region", ColumnKind.CATEGORICAL, "str"),
            Column("vip", ColumnKind.BOOLEAN, "boolean"),
            Column("joined", ColumnKind.DATETIME, "datetime64[us, UTC]", timezone="UTC"),
            Column("note", ColumnKind.TEXT, "str"),
            Column("email", ColumnKind.PII, "str", pii_kind="email", unique=True),
        ),
        primary_key="customer id",
    )
    return df, md


GENERATED = ["customer id", "email"]


def test_table_round_trip_keeps_order_dtypes_and_values(seed: int) -> None:
    df, md = make_table(seed)
    enc = TableEncoder().fit(df, md)
    encoded = enc.transform(df)
    assert encoded.dtype == np.float64
    assert encoded.shape == (len(df), len(enc.output_names))
    slices = enc.column_slices
    assert list(slices) == list(df.columns)
    assert slices["customer id"] == slice(0, 0)
    assert slices["email"].stop == encoded.shape[1]
    out = enc.inverse_transform(encoded, rng=np.random.default_rng(seed))
    assert list(out.columns) == list(df.columns)
    assert out.dtypes.astype(str).tolist() == df.dtypes.astype(str).tolist()
    kept = [c for c in df.columns if c not in GENERATED]
    pd.testing.assert_frame_equal(out[kept], df[kept])
    assert out["customer id"].is_unique
    assert not set(out["customer id"]) & set(df["customer id"])
    assert pii.validate("email", out["email"].to_numpy()).all()
    assert not set(out["email"]) & set(df["email"])
    again = enc.inverse_transform(encoded, rng=np.random.default_rng(seed))
    pd.testing.assert_frame_equal(again, out)


def test_table_state_survives_json_and_npz_files(seed: int, tmp_path: Path) -> None:
    df, md = make_table(seed)
    enc = TableEncoder({"city/region": CategoricalEncoder(mode="ordinal")}).fit(df, md)
    state, arrays = enc.get_state()
    text = json.dumps(state, allow_nan=False)
    assert all(key.split("/", 1)[0].isdigit() for key in arrays)
    np.savez(tmp_path / "arrays.npz", **arrays)
    with np.load(tmp_path / "arrays.npz", allow_pickle=False) as stored:
        loaded = TableEncoder.from_state(json.loads(text), dict(stored))
    np.testing.assert_array_equal(loaded.transform(df), enc.transform(df))
    assert loaded.column_slices == enc.column_slices
    encoded = enc.transform(df)
    pd.testing.assert_frame_equal(
        loaded.inverse_transform(encoded, rng=np.random.default_rng(seed)),
        enc.inverse_transform(encoded, rng=np.random.default_rng(seed)),
    )


def test_given_encoders_are_templates_and_stay_unfitted(seed: int) -> None:
    df, md = make_table(seed)
    template = CategoricalEncoder(mode="ordinal")
    enc = TableEncoder({"city/region": template}).fit(df, md)
    assert not hasattr(template, "column_")
    assert enc.column_slices["city/region"].stop - enc.column_slices["city/region"].start == 1
    with pytest.raises(MetadataError, match="not a column"):
        TableEncoder({"nope": NumericEncoder()}).fit(df, md)


def test_table_refuses_mismatched_data_and_metadata(seed: int) -> None:
    df, md = make_table(seed)
    with pytest.raises(MetadataError, match="'extra' is not in the metadata"):
        TableEncoder().fit(df.assign(extra=1.0), md)
    with pytest.raises(MetadataError, match="'age' is not in the data"):
        TableEncoder().fit(df.drop(columns="age"), md)
    enc = TableEncoder().fit(df, md)
    with pytest.raises(DataError, match="'age' is missing"):
        enc.transform(df.drop(columns="age"))
    with pytest.raises(DataError, match="shape"):
        enc.inverse_transform(np.zeros((3, 2)))
    with pytest.raises(DataError, match="DataFrame"):
        enc.transform(df.to_numpy())  # type: ignore[arg-type]


def test_every_encoder_state_is_json_and_rebuilds_the_same_encoder(seed: int) -> None:
    df, md = make_table(seed)
    for column in md:
        enc = encoder_for(column).fit(df[column.name], column)
        state, arrays = enc.get_state()
        assert state["encoder"] == enc.registry_name
        assert all(isinstance(a, np.ndarray) and a.dtype != object for a in arrays.values())
        loaded = Encoder.from_state(json.loads(json.dumps(state, allow_nan=False)), arrays)
        assert type(loaded) is type(enc)
        assert loaded.get_params() == enc.get_params()
        assert loaded.output_names == enc.output_names
        np.testing.assert_array_equal(
            loaded.transform(df[column.name]), enc.transform(df[column.name])
        )
        assert type(enc).from_state(state, arrays).get_state() == (state, arrays)


def test_corrupt_state_is_refused_with_model_file_errors(seed: int) -> None:
    df, md = make_table(seed)
    state, arrays = NumericEncoder().fit(df["age"], md["age"]).get_state()
    with pytest.raises(ModelFileError, match="unknown encoder"):
        Encoder.from_state({**state, "encoder": "os.system"}, arrays)
    with pytest.raises(ModelFileError, match="not 'text'"):
        TextEncoder.from_state(state, arrays)
    with pytest.raises(ModelFileError, match="lacks 'center'"):
        Encoder.from_state({**state, "learned": {"integer": True}}, arrays)
    with pytest.raises(ModelFileError, match="wrong type"):
        Encoder.from_state({**state, "learned": {**state["learned"], "exponent": "3"}}, arrays)
    with pytest.raises(ModelFileError, match="malformed"):
        Encoder.from_state({**state, "params": {"bogus": 1}}, arrays)
    with pytest.raises(ModelFileError, match="not a dtype"):
        Encoder.from_state({**state, "dtype": "Int640"}, arrays)
    with pytest.raises(ModelFileError, match="corrupt"):
        TableEncoder.from_state({"columns": ["a"], "encoders": []}, {})
    id_state, _ = IdEncoder().fit(df["customer id"], md["customer id"]).get_state()
    with pytest.raises(ModelFileError, match="style"):
        Encoder.from_state({**id_state, "learned": {**id_state["learned"], "style": "x"}}, {})


def test_default_map_covers_every_kind_and_overrides_win() -> None:
    assert set(DEFAULT_ENCODERS) == set(ColumnKind)
    assert set(registered_encoders()) == {
        "boolean", "categorical", "datetime", "id", "numeric", "pii", "text",
    }  # fmt: skip
    col = Column("c", ColumnKind.CATEGORICAL, "str")
    assert isinstance(encoder_for(col), CategoricalEncoder)
    assert isinstance(encoder_for(col, {ColumnKind.CATEGORICAL: TextEncoder}), TextEncoder)
    assert isinstance(encoder_for(Column("d", ColumnKind.DATETIME)), DatetimeEncoder)
    assert isinstance(encoder_for(Column("p", ColumnKind.PII, pii_kind="email")), PiiEncoder)
    with pytest.raises(MetadataError, match="no Encoder"):
        encoder_for(col, {ColumnKind.CATEGORICAL: dict})  # type: ignore[dict-item]


def test_decoding_never_touches_global_random_state(seed: int) -> None:
    df, md = make_table(seed)
    enc = TableEncoder().fit(df, md)
    encoded = enc.transform(df)
    np_state, py_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    enc.inverse_transform(encoded)
    enc.inverse_transform(encoded, rng=np.random.default_rng(seed), start=1000)
    after = np.random.get_state()  # noqa: NPY002
    assert py_state == random.getstate()
    assert np_state[0] == after[0]
    assert np.array_equal(np_state[1], after[1])
