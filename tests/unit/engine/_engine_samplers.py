"""Block samplers for the engine tests, in a module worker processes can import.

The tests run with ``--import-mode=importlib``, so classes defined in a test module cannot be
unpickled in a spawned worker; the tests put this folder on ``sys.path`` (which spawned workers
inherit) and import this module by its plain name. Workers rebuild a sampler from its
``get_state()`` through ``from_state`` (JSON and arrays, never a pickle).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from synthcraft import engine
from synthcraft._rng import BLOCK_ROWS
from synthcraft.errors import UserInputError


class RowSampler:
    """A tiny block sampler: row numbers, a seeded normal and a seeded category."""

    def __init__(self, fail_at_block: int | None = None) -> None:
        self.fail_at_block = fail_at_block

    def sample_block(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        *,
        start: int = 0,
        conditions: Mapping[str, Any] | pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        if self.fail_at_block is not None and start >= self.fail_at_block * BLOCK_ROWS:
            raise UserInputError("planted failure")
        x = np.random.default_rng(seed).normal(size=n_rows)  # row i depends on i only
        frame = pd.DataFrame(
            {
                "row": pd.array(np.arange(start, start + n_rows), dtype="Int64"),
                "x": x,
                "c": pd.array(np.where(x < -0.4, "a", np.where(x < 0.4, "b", "c")), dtype="str"),
            }
        )
        if isinstance(conditions, pd.DataFrame):
            frame["cond"] = conditions["cond"].to_numpy()
        elif conditions is not None:
            frame["cond"] = conditions["cond"]
        return frame

    def sample(self, n_rows: int, **kwargs: Any) -> pd.DataFrame:
        return engine.sample_frame(self, n_rows, **kwargs)

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {"fail_at_block": self.fail_at_block}, {}

    @classmethod
    def from_state(cls, state: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> RowSampler:
        return cls(fail_at_block=state["fail_at_block"])


class UnpicklableSampler(RowSampler):
    """Its state holds a function, which cannot travel to a worker as JSON."""

    def __init__(self) -> None:
        super().__init__()
        self.hook = lambda: None

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {"hook": self.hook}, {}
