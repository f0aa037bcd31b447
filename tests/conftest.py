"""Shared fixtures: one seed for every test that needs randomness."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def seed() -> int:
    """The seed tests use; statistical tests must pass for any seed, not just this one."""
    return 20261129


@pytest.fixture
def rng(seed: int) -> np.random.Generator:
    """A Generator from the shared seed."""
    return np.random.default_rng(seed)
