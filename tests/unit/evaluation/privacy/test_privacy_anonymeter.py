"""Singling out, linkability and inference: query semantics, guesses and contrasts."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from synthcraft.evaluation.privacy._anonymeter import guess_is_right, inference, linkability
from synthcraft.evaluation.privacy._singling_out import (
    EQ,
    GE,
    ISNA,
    LE,
    _multivariate,
    _Table,
    _univariate,
    count_matches,
    singling_out,
)
from synthcraft.metadata import Metadata

MakeFrame = Callable[[int, int], pd.DataFrame]

NUMS = np.array([1.0, 2.0, 2.0, np.nan, 5.0])
CODES = np.array([0, 1, 1, 2, -1])


def test_conditions_are_boolean_masks() -> None:
    table = _Table([NUMS, CODES], [True, False])
    assert count_matches(table, ((0, EQ, 2.0),)) == 2
    assert count_matches(table, ((0, LE, 1.0),)) == 1
    assert count_matches(table, ((0, GE, 2.0),)) == 3  # NaN never matches a comparison
    assert count_matches(table, ((0, ISNA, 0.0),)) == 1
    assert count_matches(table, ((1, ISNA, 0.0),)) == 1
    assert count_matches(table, ((0, EQ, 2.0), (1, EQ, 1.0))) == 2
    assert count_matches(table, ((0, GE, 2.0), (1, EQ, 2.0))) == 0


def test_univariate_queries_single_out_a_synthetic_row(seed: int) -> None:
    table = _Table([NUMS, CODES], [True, False])
    queries = _univariate(table, 50, np.random.default_rng(seed))
    # x: 1 and 5 rare, unique min and max, one missing; c: codes 0 and 2 rare, one missing
    assert len(queries) == 8
    assert all(count_matches(table, q) == 1 for q in queries)


def test_multivariate_queries_single_out_and_are_distinct(seed: int) -> None:
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 4, 400).astype(float), rng.integers(0, 5, 400), rng.random(400)]
    table = _Table(arrays, [True, False, True])
    queries, attempts = _multivariate(table, 30, 2, np.random.default_rng(seed))
    assert 0 < len(queries) <= 30
    assert attempts <= 30 * 40
    assert len(set(queries)) == len(queries)
    assert all(len(q) == 2 and count_matches(table, q) == 1 for q in queries)


def test_guess_is_right() -> None:
    truth = np.array([100.0, 100.0, np.nan, np.nan, 0.0])
    guess = np.array([104.0, 106.0, np.nan, 1.0, 0.0])
    right = guess_is_right(guess, truth, numeric=True, tolerance=0.05 * np.abs(truth))
    assert right.tolist() == [True, False, True, False, True]
    codes = guess_is_right(np.array([1, 2, -1]), np.array([1, 3, -1]), numeric=False, tolerance=0)
    assert codes.tolist() == [True, False, True]


@pytest.fixture
def frames(make_frame: MakeFrame, seed: int) -> tuple[pd.DataFrame, ...]:
    return make_frame(600, seed), make_frame(600, seed + 1), make_frame(600, seed + 2)


def _attacks(
    train: pd.DataFrame, synthetic: pd.DataFrame, holdout: pd.DataFrame, md: Metadata, seed: int
) -> dict[str, float]:
    qis = [c for c in md.names if c != "id"]
    rng = np.random.default_rng(seed)
    return {
        "singling_out": singling_out(train, synthetic, holdout, md, qis, rng).score,
        "linkability": linkability(train, synthetic, holdout, md, qis, rng).score,
        "inference": inference(train, synthetic, holdout, md, qis, "plan", rng).score,
    }


def test_copy_has_high_risks_and_independent_sample_low(
    frames: tuple[pd.DataFrame, ...], mixed_metadata: Metadata, seed: int
) -> None:
    train, independent, holdout = frames
    copied = _attacks(train, train, holdout, mixed_metadata, seed)
    fresh = _attacks(train, independent, holdout, mixed_metadata, seed)
    assert copied["singling_out"] > 0.5
    assert copied["linkability"] > 0.8
    assert copied["inference"] > 0.5
    assert all(v < 0.25 for v in fresh.values()), fresh


def test_inference_details_and_numeric_secret(
    frames: tuple[pd.DataFrame, ...], mixed_metadata: Metadata, seed: int
) -> None:
    train, _, holdout = frames
    qis = ["age", "income", "joined", "score"]
    rng = np.random.default_rng(seed)
    result = inference(train, train, holdout, mixed_metadata, qis, "income", rng)
    assert result.details["secret"] == "income"
    assert result.details["auxiliary_columns"] == ["age", "joined", "score"]
    assert result.details["n_attacks"] == 500
    assert result.details["n_success_main"] == 500  # the copy of each target is its neighbour
    assert result.score > 0.5


def test_linkability_needs_two_columns(
    frames: tuple[pd.DataFrame, ...], mixed_metadata: Metadata, seed: int
) -> None:
    train, synthetic, holdout = frames
    result = linkability(
        train, synthetic, holdout, mixed_metadata, ["age"], np.random.default_rng(seed)
    )
    assert not result.ok
    assert "2 quasi-identifiers" in result.details["reason"]
