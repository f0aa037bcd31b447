"""Membership inference AUC: the score's direction, a memorising model, a model that is not."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from synthcraft.evaluation._features import fit_feature_space
from synthcraft.evaluation.privacy._membership import membership_auc, membership_scores
from synthcraft.metadata import Metadata

MakeFrame = Callable[[int, int], pd.DataFrame]


def test_scores_rank_by_closeness_to_synthetic_relative_to_reference() -> None:
    d_syn = np.array([0.0, 0.1, 0.1, 1.0])
    d_ref = np.array([0.5, 0.5, 0.2, 0.5])
    scores = membership_scores(d_syn, d_ref)
    assert np.argsort(-scores).tolist() == [0, 1, 2, 3]
    assert membership_scores(np.zeros(1), np.zeros(1))[0] == 0.0


@pytest.mark.parametrize(("copy", "low", "high"), [(True, 0.9, 1.0), (False, 0.4, 0.6)])
def test_auc_for_a_copy_and_an_independent_sample(
    make_frame: MakeFrame,
    mixed_metadata: Metadata,
    seed: int,
    copy: bool,
    low: float,
    high: float,
) -> None:
    train, holdout = make_frame(600, seed), make_frame(600, seed + 2)
    synthetic = train if copy else make_frame(600, seed + 1)
    space = fit_feature_space(train, mixed_metadata)
    result = membership_auc(space, train, synthetic, holdout, np.random.default_rng(seed))
    assert low <= result.score <= high
    assert result.goal == 0.5
    assert result.details["n_members"] == result.details["n_non_members"] == 300
    assert result.details["n_reference"] == 300


def test_small_holdout_gives_nan_with_reason(
    make_frame: MakeFrame, mixed_metadata: Metadata, seed: int
) -> None:
    train = make_frame(100, seed)
    space = fit_feature_space(train, mixed_metadata)
    result = membership_auc(space, train, train, train.iloc[:15], np.random.default_rng(seed))
    assert not result.ok
    assert "holdout" in result.details["reason"]
