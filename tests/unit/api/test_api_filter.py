"""The privacy filter (api.privacy_filter) and its use in api.run, on small tables made here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import api, storage, synthesizers
from synthcraft.errors import UserInputError
from synthcraft.evaluation.privacy import closest_record_distance
from synthcraft.metadata import Column, ColumnKind, Metadata, detect

SEED = 4242

Parts = tuple[pd.DataFrame, pd.DataFrame, synthesizers.BaseSynthesizer]


def table(n_rows: int = 300, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n_rows)
    return pd.DataFrame(
        {
            "x": x,
            "y": np.round(2 * x + rng.normal(size=n_rows), 3),
            "c": rng.choice(["a", "b", "c"], n_rows),
        }
    )


@pytest.fixture(scope="module")
def parts() -> Parts:
    train, holdout = api.split_holdout(table(), 0.3, seed=SEED)
    model = synthesizers.get("copula")(seed=SEED).fit(train)
    return train, holdout, model


def leaky(train: pd.DataFrame, model: synthesizers.BaseSynthesizer) -> pd.DataFrame:
    """40 model rows then 20 exact training rows: the copies must go."""
    fresh = model.sample(40, seed=1)
    return pd.concat([fresh, train.iloc[:20]], ignore_index=True).astype(fresh.dtypes.to_dict())


def test_copies_are_replaced_and_every_row_passes(parts: Parts) -> None:
    train, holdout, model = parts
    synthetic = leaky(train, model)
    out, report = api.privacy_filter(
        synthetic, train, holdout, resample=lambda k, s: model.sample(k, seed=s), seed=SEED
    )
    assert len(out) == len(synthetic)
    assert isinstance(out.index, pd.RangeIndex)
    assert out.dtypes.to_dict() == synthetic.dtypes.to_dict()
    distance = closest_record_distance(train, detect(train))
    threshold = float(np.quantile(distance(holdout), 0.05))
    assert report["threshold"] == pytest.approx(threshold)
    assert threshold > 0
    before, after = distance(synthetic), distance(out)
    assert (after >= threshold).all()
    assert report["replaced"] == int((before < threshold).sum()) >= 20
    assert report["rounds"] >= 1
    assert report["rows"] == 60
    assert report["quantile"] == 0.05
    assert report["drawn"] >= report["replaced"]
    kept = before >= threshold  # rows that passed stay where they were
    pd.testing.assert_frame_equal(
        out[kept].reset_index(drop=True), synthetic[kept].reset_index(drop=True)
    )


def test_same_seed_same_rows_other_seed_other_rows(parts: Parts) -> None:
    train, holdout, model = parts
    synthetic = leaky(train, model)

    def draw(k: int, s: int) -> pd.DataFrame:
        return model.sample(k, seed=s)

    a, ra = api.privacy_filter(synthetic, train, holdout, resample=draw, seed=1)
    b, rb = api.privacy_filter(synthetic, train, holdout, resample=draw, seed=1)
    c, _ = api.privacy_filter(synthetic, train, holdout, resample=draw, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert ra == rb
    assert not a.equals(c)


def test_nothing_to_replace_returns_the_rows(parts: Parts) -> None:
    train, holdout, model = parts
    far = pd.DataFrame({"x": [50.0] * 5, "y": [-50.0] * 5, "c": ["a"] * 5})
    far = far.astype(train.dtypes.to_dict())
    calls: list[int] = []

    def draw(k: int, s: int) -> pd.DataFrame:
        calls.append(k)
        return model.sample(k, seed=s)

    out, report = api.privacy_filter(far, train, holdout, resample=draw, seed=0)
    pd.testing.assert_frame_equal(out, far)
    assert (report["replaced"], report["rounds"], report["drawn"], calls) == (0, 0, 0, [])


def test_a_model_that_keeps_copying_raises_after_the_last_round(parts: Parts) -> None:
    train, holdout, _ = parts

    def copies(k: int, s: int) -> pd.DataFrame:
        rows = np.random.default_rng(s).integers(0, len(train), k)
        return train.iloc[rows].reset_index(drop=True)

    with pytest.raises(api.PrivacyFilterError, match="after 3 rounds") as caught:
        api.privacy_filter(train.iloc[:10], train, holdout, resample=copies, seed=0, max_rounds=3)
    assert "\n" not in str(caught.value)


def test_id_and_pii_columns_keep_their_first_values(parts: Parts) -> None:
    train, holdout, model = parts
    md = Metadata(
        (
            Column("id", ColumnKind.ID, "int64"),
            *detect(train),
        ),
        primary_key="id",
    )

    def with_ids(frame: pd.DataFrame, start: int) -> pd.DataFrame:
        ids = frame.assign(id=np.arange(start, start + len(frame)))
        return ids.loc[:, ["id", *frame.columns]]

    synthetic = with_ids(leaky(train, model), 0)

    def draw(k: int, s: int) -> pd.DataFrame:
        return with_ids(model.sample(k, seed=s), 0)  # keys restart: would collide if copied

    out, report = api.privacy_filter(
        synthetic,
        with_ids(train, 10_000),
        with_ids(holdout, 20_000),
        resample=draw,
        seed=0,
        metadata=md,
    )
    assert report["replaced"] >= 20
    assert out["id"].tolist() == list(range(60))


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, float("nan"), "0.05", True])
def test_bad_quantile_is_refused(parts: Parts, bad: object) -> None:
    train, holdout, model = parts
    with pytest.raises(UserInputError, match="quantile"):
        api.privacy_filter(
            train,
            train,
            holdout,
            quantile=bad,
            resample=model.sample,
            seed=0,  # type: ignore[arg-type]
        )


def test_bad_rounds_empty_holdout_and_uncomparable_columns(parts: Parts) -> None:
    train, holdout, model = parts
    with pytest.raises(UserInputError, match="max_rounds"):
        api.privacy_filter(train, train, holdout, resample=model.sample, seed=0, max_rounds=0)
    with pytest.raises(UserInputError, match="holdout"):
        api.privacy_filter(train, train, holdout.iloc[:0], resample=model.sample, seed=0)
    ids = pd.DataFrame({"id": np.arange(20)})
    md = Metadata((Column("id", ColumnKind.ID, "int64"),))
    with pytest.raises(UserInputError, match="no column"):
        api.privacy_filter(ids, ids, ids, resample=model.sample, seed=0, metadata=md)


def test_wrong_resample_output_is_refused(parts: Parts) -> None:
    train, holdout, _ = parts
    with pytest.raises(UserInputError, match="resample"):
        api.privacy_filter(
            train.iloc[:10], train, holdout, resample=lambda k, s: train.iloc[:1], seed=0
        )


# -- in api.run --------------------------------------------------------------------------------


def test_run_filters_the_sample_and_records_it(tmp_path: Path) -> None:
    data = table(400)
    out = tmp_path / "run"
    done = api.run(data, out, seed=SEED, privacy_filter=0.1)
    f = done.privacy_filter
    assert f is not None
    assert f["rows"] == len(data) - 80
    assert f["quantile"] == 0.1
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["privacy_filter"] == json.loads(json.dumps(f))
    assert info["options"]["privacy_filter"] == 0.1
    assert set(info["seeds"]) == {"split", "fit", "sample", "evaluate", "filter"}
    assert "timings" in info
    assert "filter" in info["timings"]
    assert "privacy filter: replaced" in done.to_text()
    train, _ = api.split_holdout(data, 0.2, seed=done.seeds["split"])
    written = storage.read_table(out / "synthetic.parquet")
    assert len(written) == f["rows"]
    distance = closest_record_distance(train, detect(train))
    assert (distance(written) >= f["threshold"]).all()
    # 10% of fresh real rows fail the check; the unfiltered model rows fail about as often.
    assert 0 < f["replaced"] < len(written)


def test_run_without_filter_has_no_filter_seed(tmp_path: Path) -> None:
    done = api.run(table(100), tmp_path / "r", model="independent", seed=SEED)
    assert done.privacy_filter is None
    assert "filter" not in done.seeds
    assert "privacy filter" not in done.to_text()


def test_run_refuses_a_bad_filter_before_any_output(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="quantile"):
        api.run(table(100), tmp_path / "r", seed=SEED, privacy_filter=2.0)
    assert not (tmp_path / "r").exists()
