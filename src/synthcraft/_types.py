"""Protocols shared across parts: what produces a table, and how progress is reported."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BlockSampler",
    "Conditions",
    "ProgressCallback",
    "Sampler",
    "SeedLike",
    "StatefulSampler",
    "report",
]

SeedLike: TypeAlias = "int | np.random.Generator | np.random.SeedSequence | None"

Conditions: TypeAlias = "Mapping[str, Any] | pd.DataFrame | None"
"""Fixed values for every row, or a DataFrame with one row per output row."""

ProgressCallback: TypeAlias = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while work advances (rows sampled, epochs trained, ...).

Library code never prints; the command line turns these calls into a progress bar. Training
loops also pass figures (the loss) as a keyword ``metrics`` mapping to callbacks that accept one
(see :func:`report`).
"""


def report(progress: ProgressCallback, done: int, total: int, metrics: Mapping[str, float]) -> None:
    """Call ``progress(done, total)``, with ``metrics=`` when the callback takes that keyword."""
    import inspect

    try:
        params = inspect.signature(progress).parameters
    except (TypeError, ValueError):
        params = {}  # type: ignore[assignment]
    takes = "metrics" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
    if takes:
        progress(done, total, metrics=dict(metrics))  # type: ignore[call-arg]
    else:
        progress(done, total)


@runtime_checkable
class Sampler(Protocol):
    """Anything that produces one table."""

    def sample(
        self,
        n_rows: int,
        *,
        seed: SeedLike = None,
        conditions: Conditions = None,
        progress: ProgressCallback | None = None,
    ) -> pd.DataFrame:
        """Return ``n_rows`` rows; the same seed gives the same rows."""
        ...


@runtime_checkable
class BlockSampler(Sampler, Protocol):
    """A Sampler that can produce one fixed block on its own (for parallel, streaming engines).

    ``sample(n, seed=s)`` must equal the concatenation of
    ``sample_block(children[i], stop_i - start_i, start=start_i)`` over the blocks
    ``(i, start_i, stop_i)`` of :func:`synthcraft._rng.blocks`, where
    ``children = synthcraft._rng.block_seeds(s, n_blocks)``. ``start`` is the block's first row
    number in the whole sample (used for regenerated keys, which must be unique across blocks).
    Children spawned from one seed share ``entropy``, so a key derived from it is the same in
    every block (consistent pseudonyms).
    """

    def sample_block(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        *,
        start: int = 0,
        conditions: Conditions = None,
    ) -> pd.DataFrame:
        """Return the rows of one block drawn from its own seed sequence."""
        ...


@runtime_checkable
class StatefulSampler(BlockSampler, Protocol):
    """A BlockSampler that can be rebuilt from JSON-ready state and arrays (no pickle).

    This is how worker processes receive a sampler: ``type(s).from_state(*s.get_state())``
    must sample exactly as ``s`` does. Fitted synthesizers implement it (it is also what model
    files store).
    """

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON-ready settings and learned state, plus named numeric arrays."""
        ...

    @classmethod
    def from_state(
        cls, state: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> StatefulSampler:
        """Rebuild the sampler from :meth:`get_state` output."""
        ...
