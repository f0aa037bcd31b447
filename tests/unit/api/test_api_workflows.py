"""fit, sample, inspect and list through the API, on small frames and real files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import api, storage
from synthcraft.errors import DataError, OutputExistsError, UserInputError
from synthcraft.metadata import ColumnKind, Metadata

SEED = 314


def frame(n_rows: int = 200, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, n_rows)
    return pd.DataFrame(
        {
            "x": x,
            "y": np.round(x * 2 + rng.normal(0, 3, n_rows)).astype(int),
            "grade": rng.choice(["low", "mid", "high"], n_rows),
        }
    )


@pytest.fixture(scope="module")
def fitted() -> object:
    return api.fit(frame(), model="copula", params={"rare_category_k": "2"}, seed=SEED)


def test_fit_converts_text_settings_and_records_the_seed(fitted: object) -> None:
    assert fitted.get_params()["rare_category_k"] == 2
    assert fitted.fit_seed_ == SEED
    assert api.model_name(fitted) == "copula"


def test_fit_from_a_file_equals_fit_from_the_frame(tmp_path: Path) -> None:
    path = tmp_path / "real.csv"
    frame().to_csv(path, index=False)
    from_file = api.fit(path, model="independent", seed=1)
    from_frame = api.fit(storage.read_table(path), model="independent", seed=1)
    pd.testing.assert_frame_equal(from_file.sample(40, seed=2), from_frame.sample(40, seed=2))


def test_fit_refuses_bad_requests_before_reading_data(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(UserInputError, match="unknown model 'nope'"):
        api.fit(missing, model="nope")
    with pytest.raises(UserInputError, match="rare_category_k"):
        api.fit(missing, params={"rare_k": 3})
    with pytest.raises(UserInputError, match="seed"):
        api.fit(missing, seed=-1)
    with pytest.raises(DataError, match="does not exist"):
        api.fit(missing)


def test_fit_with_output_checks_it_first_and_writes_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "m.synth"
    out.write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        api.fit(tmp_path / "missing.csv", output=out)  # refused before the data is read
    assert out.read_bytes() == b"old"
    api.fit(frame(), model="independent", seed=3, output=out, overwrite=True, command="x")
    manifest = json.loads(api.manifest_path(out).read_text(encoding="utf-8"))
    assert (manifest["kind"], manifest["model"], manifest["seed"]) == ("model", "independent", 3)
    assert manifest["rows"] == 200
    assert manifest["command"] == "x"
    loaded = api.load_model(out)
    pd.testing.assert_frame_equal(loaded.sample(30, seed=4), api.sample(out, 30, seed=4))


def test_save_model_wants_a_synth_file(fitted: object, tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match=r"\.synth"):
        api.save_model(fitted, tmp_path / "model.zip")
    assert list(tmp_path.iterdir()) == []


def test_sample_frame_records_the_seed_and_repeats(fitted: object) -> None:
    a = api.sample(fitted, 120, seed=9)
    b = api.sample(fitted, 120, seed=9)
    assert isinstance(a, pd.DataFrame)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["seed"] == 9
    drawn = api.sample(fitted, 5)
    assert isinstance(drawn.attrs["seed"], int)


def test_sample_to_file_writes_rows_and_manifest(fitted: object, tmp_path: Path) -> None:
    out = tmp_path / "syn.parquet"
    assert api.sample(fitted, 120, seed=9, output=out, command="c") == out
    pd.testing.assert_frame_equal(storage.read_table(out), api.sample(fitted, 120, seed=9))
    manifest = json.loads(api.manifest_path(out).read_text(encoding="utf-8"))
    assert (manifest["rows"], manifest["seed"], manifest["model"]) == (120, 9, "copula")


def test_sample_refuses_an_existing_manifest_before_writing(fitted: object, tmp_path: Path) -> None:
    out = tmp_path / "syn.csv"
    api.manifest_path(out).write_text("{}", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="manifest"):
        api.sample(fitted, 10, seed=1, output=out)
    assert not out.exists()


@pytest.mark.parametrize("n_rows", [0, -3, 2.5])
def test_sample_bad_row_counts(fitted: object, n_rows: object) -> None:
    with pytest.raises(UserInputError, match="number of rows"):
        api.sample(fitted, n_rows)  # type: ignore[arg-type]


def test_sample_wants_a_model(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="fitted synthesizer"):
        api.sample(frame(), 10)  # type: ignore[arg-type]


def test_inspect_data_and_model(fitted: object, tmp_path: Path) -> None:
    path = tmp_path / "real.csv"
    frame().to_csv(path, index=False)
    md_path = tmp_path / "real.json"
    md = api.inspect_data(path, metadata_out=md_path)
    assert md.names == ["x", "y", "grade"]
    assert md["grade"].kind is ColumnKind.CATEGORICAL
    assert Metadata.load(md_path) == md
    rows = api.column_table(md)
    assert [r["name"] for r in rows] == ["x", "y", "grade"]
    model_path = api.save_model(fitted, tmp_path / "m.synth")
    assert api.is_model_file(model_path)
    assert not api.is_model_file(path)
    info = api.inspect_model(model_path)
    assert info["model"] == "copula"
    assert info["seed"] == SEED
    assert info["epsilon"] is None
    assert info["settings"]["rare_category_k"] == 2
    assert info["metadata"].names == ["x", "y", "grade"]
    with pytest.raises(UserInputError, match="not a model file"):
        api.inspect_model(path)


def test_lists() -> None:
    models = {m["name"]: m["description"] for m in api.list_models()}
    assert {"copula", "independent"} <= set(models)
    assert all(models.values())
    kinds = {k["name"] for k in api.list_pii_kinds()}
    assert {"email", "phone", "iban"} <= kinds
