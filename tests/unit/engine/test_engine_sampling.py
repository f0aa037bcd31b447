"""The sampling engine: fixed seeded blocks, any worker count, streaming atomic output."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from synthcraft import engine, storage
from synthcraft._rng import BLOCK_ROWS, block_seeds, blocks
from synthcraft.errors import DataError, OutputExistsError, UserInputError

HERE = Path(__file__).parent

SEED = 20240611


@pytest.fixture
def sm(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The sampler module, importable here and in spawned workers (they inherit sys.path)."""
    monkeypatch.syspath_prepend(str(HERE))
    return importlib.import_module("_engine_samplers")


def _by_hand(sm: ModuleType, n_rows: int, seed: int) -> pd.DataFrame:
    spans = list(blocks(n_rows))
    children = block_seeds(seed, len(spans))
    parts = [sm.RowSampler().sample_block(children[i], b - a, start=a) for i, a, b in spans]
    return pd.concat(parts, ignore_index=True)


def test_frame_is_the_blocks_in_order(sm: ModuleType) -> None:
    n = BLOCK_ROWS + 17
    got = engine.sample_frame(sm.RowSampler(), n, seed=SEED)
    pd.testing.assert_frame_equal(got, _by_hand(sm, n, SEED))
    assert isinstance(got.index, pd.RangeIndex)
    assert got["row"].tolist()[:3] == [0, 1, 2]


def test_prefix_of_a_longer_sample_is_the_shorter_sample(sm: ModuleType) -> None:
    long = engine.sample_frame(sm.RowSampler(), BLOCK_ROWS + 50, seed=SEED)
    short = engine.sample_frame(sm.RowSampler(), 10, seed=SEED)
    pd.testing.assert_frame_equal(long.head(10), short)


def test_same_seed_same_rows_other_seed_other_rows(sm: ModuleType) -> None:
    a = engine.sample_frame(sm.RowSampler(), 500, seed=SEED)
    b = engine.sample_frame(sm.RowSampler(), 500, seed=SEED)
    c = engine.sample_frame(sm.RowSampler(), 500, seed=SEED + 1)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["x"], c["x"])


def test_two_workers_give_the_rows_of_one(sm: ModuleType, tmp_path: Path) -> None:
    n = 2 * BLOCK_ROWS + 5
    one = engine.sample_frame(sm.RowSampler(), n, seed=SEED, workers=1)
    two = engine.sample_frame(sm.RowSampler(), n, seed=SEED, workers=2)
    pd.testing.assert_frame_equal(one, two)
    out = engine.sample_to_file(sm.RowSampler(), n, tmp_path / "two.parquet", seed=SEED, workers=2)
    pd.testing.assert_frame_equal(storage.read_table(out), one)


def test_progress_is_reported_per_block(sm: ModuleType) -> None:
    calls: list[tuple[int, int]] = []
    n = 2 * BLOCK_ROWS + 1
    engine.sample_frame(sm.RowSampler(), n, seed=SEED, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, n), (BLOCK_ROWS, n), (2 * BLOCK_ROWS, n), (n, n)]


def test_conditions_are_cut_per_block(sm: ModuleType) -> None:
    n = BLOCK_ROWS + 3
    cond = pd.DataFrame({"cond": np.arange(n) * 2})
    got = engine.sample_frame(sm.RowSampler(), n, seed=SEED, conditions=cond)
    assert got["cond"].tolist() == (np.arange(n) * 2).tolist()
    fixed = engine.sample_frame(sm.RowSampler(), 5, seed=SEED, conditions={"cond": 7})
    assert fixed["cond"].tolist() == [7] * 5
    with pytest.raises(UserInputError, match="one row of conditions per output row"):
        engine.sample_frame(sm.RowSampler(), n, seed=SEED, conditions=cond.head(3))


@pytest.mark.parametrize("n_rows", [0, -1, 1.5, "10", True, None])
def test_bad_row_counts_are_refused(sm: ModuleType, n_rows: Any) -> None:
    with pytest.raises(UserInputError, match="number of rows"):
        engine.sample_frame(sm.RowSampler(), n_rows, seed=SEED)


@pytest.mark.parametrize("workers", [0, -2, "2", 1.0])
def test_bad_worker_counts_are_refused(sm: ModuleType, workers: Any) -> None:
    with pytest.raises(UserInputError, match="workers"):
        engine.sample_frame(sm.RowSampler(), 10, seed=SEED, workers=workers)


def test_more_workers_than_cores_warns_but_works(sm: ModuleType) -> None:
    many = (os.cpu_count() or 1) + 1
    with pytest.warns(RuntimeWarning, match="CPU cores"):
        got = engine.sample_frame(sm.RowSampler(), 20, seed=SEED, workers=many)
    assert len(got) == 20


def test_unpicklable_sampler_with_workers_says_use_one(sm: ModuleType) -> None:
    with pytest.raises(UserInputError, match="workers=1"):
        engine.sample_frame(sm.UnpicklableSampler(), BLOCK_ROWS + 1, seed=SEED, workers=2)


def test_file_matches_frame_and_refuses_to_overwrite(sm: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    engine.sample_to_file(sm.RowSampler(), 300, out, seed=SEED)
    pd.testing.assert_frame_equal(
        storage.read_table(out), engine.sample_frame(sm.RowSampler(), 300, seed=SEED)
    )
    before = out.read_bytes()
    with pytest.raises(OutputExistsError):
        engine.sample_to_file(sm.RowSampler(), 10, out, seed=SEED)
    assert out.read_bytes() == before
    engine.sample_to_file(sm.RowSampler(), 10, out, seed=SEED, overwrite=True)
    assert len(storage.read_table(out)) == 10


@pytest.mark.parametrize("workers", [1, 2])
def test_failure_mid_stream_leaves_no_file(sm: ModuleType, tmp_path: Path, workers: int) -> None:
    out = tmp_path / "rows.parquet"
    with pytest.raises(UserInputError, match="planted failure"):
        engine.sample_to_file(
            sm.RowSampler(fail_at_block=1), 2 * BLOCK_ROWS, out, seed=SEED, workers=workers
        )
    assert list(tmp_path.iterdir()) == []


def test_too_many_rows_for_excel_are_refused_before_sampling(
    sm: ModuleType, tmp_path: Path
) -> None:
    out = tmp_path / "rows.xlsx"
    failing = sm.RowSampler(fail_at_block=0)  # any sampled block would raise "planted failure"
    with pytest.raises(DataError, match="1,048,576 rows but an Excel sheet holds at most"):
        engine.sample_to_file(failing, 1_048_576, out, seed=SEED)
    assert list(tmp_path.iterdir()) == []
