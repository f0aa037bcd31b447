"""The conformance suite itself: it passes good models and names what broken ones get wrong."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from synthcraft import metadata
from synthcraft.synthesizers import IndependentSynthesizer
from synthcraft.testing import check_synthesizer, mixed_frame


class _TouchesGlobalState(IndependentSynthesizer):
    """Draws from numpy's global random state while sampling (forbidden)."""

    def _sample_model(
        self, seed: np.random.SeedSequence, n_rows: int, conditions: Any
    ) -> dict[str, npt.NDArray[Any]]:
        np.random.random()  # noqa: NPY002
        return super()._sample_model(seed, n_rows, conditions)


class _ImpureConstructor(IndependentSynthesizer):
    """Derives state in its constructor (forbidden)."""

    def __init__(self, *, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self.cache_ = {}


class _IgnoresSeed(IndependentSynthesizer):
    """Samples the same rows whatever the seed."""

    def sample_block(
        self, seed: np.random.SeedSequence, n_rows: int, *, start: int = 0, conditions: Any = None
    ) -> pd.DataFrame:
        fixed = np.random.SeedSequence(0, spawn_key=seed.spawn_key)
        return super().sample_block(fixed, n_rows, start=start, conditions=conditions)


class _NotPrefixStable(IndependentSynthesizer):
    """Consumes its stream in an order that depends on the number of rows."""

    def _sample_model(
        self, seed: np.random.SeedSequence, n_rows: int, conditions: Any
    ) -> dict[str, npt.NDArray[Any]]:
        out = super()._sample_model(seed, n_rows, conditions)
        rng = np.random.default_rng(seed)
        return {k: v[rng.permutation(n_rows)] for k, v in out.items()}


def _frame() -> tuple[pd.DataFrame, metadata.Metadata]:
    return mixed_frame(120, seed=7)


def test_mixed_frame_matches_its_metadata() -> None:
    frame, md = mixed_frame(80, seed=0)
    assert metadata.validate(frame, md) == []
    assert list(frame.columns) == md.names
    assert [str(frame[c].dtype) for c in frame.columns] == [c.dtype for c in md]
    assert frame["age"].isna().any()
    assert frame["account"].duplicated().any()


def test_passes_a_conforming_model(tmp_path: Path) -> None:
    frame, md = _frame()
    check_synthesizer(lambda: IndependentSynthesizer(seed=2), frame, md, tmp_path=tmp_path)


@pytest.mark.parametrize(
    ("model", "needle"),
    [
        (_TouchesGlobalState, "global random state"),
        (_ImpureConstructor, "constructor"),
        (_IgnoresSeed, "different seeds"),
        (_NotPrefixStable, "prefix stability"),
    ],
)
def test_names_what_a_broken_model_gets_wrong(
    model: type[IndependentSynthesizer], needle: str, tmp_path: Path
) -> None:
    frame, md = _frame()
    with pytest.raises(AssertionError, match=needle) as info:
        check_synthesizer(lambda: model(), frame, md, tmp_path=tmp_path)
    assert "check_synthesizer found" in str(info.value)


def test_unregistered_model_fails_the_registry_and_save_checks(tmp_path: Path) -> None:
    class _Local(IndependentSynthesizer):
        pass

    frame, md = _frame()
    with pytest.raises(AssertionError) as info:
        check_synthesizer(lambda: _Local(seed=1), frame, md, tmp_path=tmp_path)
    assert "not registered" in str(info.value)
    assert "save and load" in str(info.value)


def test_mapping_state_hooks_are_used(tmp_path: Path) -> None:
    frame, md = _frame()
    model = IndependentSynthesizer(seed=0).fit(frame, md)
    state, arrays = model.get_state()
    assert isinstance(state, Mapping)
    assert all(isinstance(a, np.ndarray) for a in arrays.values())
