"""DCR share, median ratio and NNDR pinned on a one-dimensional example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.evaluation import MetricResult
from synthcraft.evaluation._features import fit_feature_space
from synthcraft.evaluation.privacy._dcr import distance_metrics, nn_distance_ratio
from synthcraft.evaluation.privacy._neighbors import nearest
from synthcraft.metadata import Column, ColumnKind, Metadata

METADATA = Metadata((Column("x", ColumnKind.FLOAT, "float64"),))
TRAIN = pd.DataFrame({"x": np.arange(10) * 10.0})  # 0, 10, ..., 90
HOLDOUT = pd.DataFrame({"x": np.arange(10) * 10.0 + 5})  # 5, 15, ..., 95
# nearest train / holdout distance: 0/5 T, 1/4 T, 2.5/2.5 tie, 4/1 H, 5/0 H, 2.5/2.5 tie,
# 0/5 T, 2/3 T, 0/5 T, 3/2 H  ->  5 closer to train, 2 ties, 3 closer to holdout
SYNTHETIC = pd.DataFrame({"x": [0.0, 1.0, 2.5, 4.0, 5.0, 7.5, 10.0, 12.0, 30.0, 47.0]})


def _run(seed: int) -> dict[str, MetricResult]:
    space = fit_feature_space(TRAIN, METADATA)
    results = distance_metrics(space, TRAIN, SYNTHETIC, HOLDOUT, np.random.default_rng(seed))
    return {r.name: r for r in results}


def test_dcr_share_counts_ties_as_half(seed: int) -> None:
    dcr = _run(seed)["dcr_share"]
    assert dcr.score == pytest.approx((5 + 0.5 * 2) / 10)
    assert dcr.details["n_closer_to_train"] == 5
    assert dcr.details["n_ties"] == 2
    assert dcr.goal == 0.5
    assert dcr.interval is not None
    assert dcr.interval[0] < 0.6 < dcr.interval[1]
    assert dcr.details["n_synthetic_used"] == 10
    assert dcr.details["n_train_used"] == dcr.details["n_holdout_used"] == 10


def test_histograms_share_edges(seed: int) -> None:
    details = _run(seed)["dcr_share"].details
    edges = details["bin_edges"]
    assert len(edges) == len(details["hist_train"]) + 1 == len(details["hist_holdout"]) + 1
    assert edges == sorted(edges)
    assert sum(details["hist_train"]) == sum(details["hist_holdout"]) == 10
    assert all(isinstance(v, float) for v in edges)


def test_median_ratio(seed: int) -> None:
    ratio = _run(seed)["dcr_median_ratio"]
    # to train, sorted: 0,0,0,1,2,2.5,2.5,3,4,5 -> 2.25; to holdout: 0,1,2,2.5,2.5,3,4,5,5,5 -> 2.75
    assert ratio.score == pytest.approx(2.25 / 2.75)
    assert ratio.goal == 1.0
    assert ratio.bounds == (0.0, float("inf"))


def test_nndr_against_holdout_value(seed: int) -> None:
    nndr = _run(seed)["nndr"]
    # d1/d2: 0, 1/9, 1/3, 2/3, 1, 1/3, 0, 1/4, 0, 3/7 -> median (1/4 + 1/3) / 2
    assert nndr.score == pytest.approx((1 / 4 + 1 / 3) / 2)
    # holdout rows sit halfway between two training rows (ratio 1) except 95 (5/15)
    assert nndr.goal == "maximize"
    assert nndr.details["nndr_holdout"] == pytest.approx(1.0)
    assert _run(seed)["nndr_holdout"].score == pytest.approx(1.0)


def test_nn_distance_ratio_of_two_identical_neighbours_is_one() -> None:
    ratios = nn_distance_ratio(np.array([[0.0, 0.0], [0.0, 2.0], [1.0, 4.0]]))
    assert ratios.tolist() == [1.0, 0.0, 0.25]


def test_nearest_is_exact_sorted_and_chunked() -> None:
    rng = np.random.default_rng(3)
    reference = rng.random((300, 4))
    queries = np.vstack([reference[:5], rng.random((50, 4))])
    dist, pos = nearest(reference, queries, 2, chunk_rows=7)
    full = np.sqrt(((queries[:, None, :] - reference[None, :, :]) ** 2).sum(-1))
    expected = np.sort(full, axis=1)[:, :2]
    assert np.allclose(dist, expected, rtol=0, atol=1e-12)
    assert dist[:5, 0].tolist() == [0.0] * 5
    assert pos[:5, 0].tolist() == [0, 1, 2, 3, 4]


def test_tiny_frames_give_nan_with_reason(seed: int) -> None:
    space = fit_feature_space(TRAIN, METADATA)
    results = distance_metrics(
        space, TRAIN.iloc[:4], SYNTHETIC, HOLDOUT.iloc[:4], np.random.default_rng(seed)
    )
    assert [r.name for r in results] == ["dcr_share", "dcr_median_ratio", "nndr", "nndr_holdout"]
    for r in results:
        assert not r.ok
        assert "at least" in r.details["reason"]


def test_subsamples_training_to_the_holdout_size(seed: int) -> None:
    big_train = pd.DataFrame({"x": np.arange(40) * 2.5})
    space = fit_feature_space(big_train, METADATA)
    dcr = distance_metrics(space, big_train, SYNTHETIC, HOLDOUT, np.random.default_rng(seed))[0]
    assert dcr.details["n_train_used"] == 10
    assert dcr.details["n_holdout_used"] == 10
