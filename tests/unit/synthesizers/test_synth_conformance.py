"""Every registered synthesizer passes the conformance suite on a small mixed table."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcraft.synthesizers import get, list_synthesizers
from synthcraft.testing import check_synthesizer, mixed_frame


@pytest.mark.parametrize("name", list_synthesizers())
def test_conformance_with_declared_metadata(name: str, tmp_path: Path, seed: int) -> None:
    frame, md = mixed_frame(240, seed=seed)
    check_synthesizer(lambda: get(name)(), frame, md, tmp_path=tmp_path)


@pytest.mark.parametrize("name", list_synthesizers())
def test_conformance_with_detected_metadata(name: str, tmp_path: Path, seed: int) -> None:
    frame, _ = mixed_frame(240, seed=seed + 1)
    check_synthesizer(lambda: get(name)(seed=11), frame, None, tmp_path=tmp_path)


def test_both_builtin_models_are_registered() -> None:
    assert {"copula", "independent"} <= set(list_synthesizers())
