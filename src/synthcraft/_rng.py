"""Seed policy: one way to turn a seed into random streams.

Every random function accepts ``int | numpy.random.Generator | None``, converts it once with
:func:`check_rng` and passes the Generator down. Sampling cuts ``n`` rows into fixed blocks of
:data:`BLOCK_ROWS`; block ``i`` draws from child ``i`` of ``SeedSequence(seed)``, so the same seed
gives the same rows on any number of workers and the first ``k`` rows of a sample of ``n`` equal
a sample of ``k``. Global random state (``np.random.seed``, ``random.seed``) is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from synthcraft._types import Conditions, ProgressCallback, SeedLike
from synthcraft.errors import UserInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BLOCK_ROWS",
    "SeedLike",
    "block_seeds",
    "blocks",
    "check_rng",
    "draw_seed",
    "sample_in_blocks",
    "seed_sequence",
]

BLOCK_ROWS = 65_536
"""Rows per sampling block; part of the determinism contract, never change it."""

_MAX_SEED = 2**63 - 1


def draw_seed() -> int:
    """Draw a fresh seed from the operating system's entropy (printed so a run can be repeated)."""
    return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] & _MAX_SEED)


def _check_int_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise UserInputError(f"seed must be a whole number, got {seed!r}; pass e.g. --seed 42")
    if int(seed) < 0:
        raise UserInputError(f"seed must not be negative, got {seed}; pass e.g. --seed 42")
    return int(seed)


def check_rng(seed: SeedLike = None) -> np.random.Generator:
    """Return a Generator for ``seed``: an int, SeedSequence, Generator (returned as is) or None.

    Examples
    --------
    >>> check_rng(0).integers(10) == check_rng(0).integers(10)
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.Generator(np.random.PCG64(seed))
    if seed is None:
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence()))
    return np.random.Generator(np.random.PCG64(_check_int_seed(seed)))


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """A SeedSequence for ``seed``; a Generator is asked for one fresh integer first."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, _MAX_SEED)))
    if seed is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(_check_int_seed(seed))


def block_seeds(seed: SeedLike, n_blocks: int) -> list[np.random.SeedSequence]:
    """Child seed sequences ``0 .. n_blocks-1`` of ``seed``; child ``i`` is independent of n."""
    return seed_sequence(seed).spawn(n_blocks)


def blocks(n_rows: int, block_rows: int = BLOCK_ROWS) -> Iterator[tuple[int, int, int]]:
    """Yield ``(block_index, start, stop)`` covering ``range(n_rows)`` in fixed blocks."""
    for i, start in enumerate(range(0, n_rows, block_rows)):
        yield i, start, min(start + block_rows, n_rows)


BlockFunction = Callable[..., "pd.DataFrame"]
"""``sample_block(seed, n_rows, *, start, conditions) -> DataFrame`` of a BlockSampler."""


def sample_in_blocks(
    sample_block: BlockFunction,
    n_rows: int,
    seed: SeedLike,
    conditions: Conditions = None,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """``n_rows`` rows made block by block in this process: the in-memory ``sample`` of a
    BlockSampler. Block ``i`` gets child ``i`` of ``seed`` and its slice of a conditions frame;
    ``progress(rows_done, n_rows)`` is called after each block. ``n_rows`` must be >= 1."""
    import pandas as pd

    spans = list(blocks(n_rows))
    seeds = block_seeds(seed, len(spans))
    frames = []
    for i, start, stop in spans:
        part = conditions
        if isinstance(conditions, pd.DataFrame):
            part = conditions.iloc[start:stop].reset_index(drop=True)
        frames.append(sample_block(seeds[i], stop - start, start=start, conditions=part))
        if progress is not None:
            progress(stop, n_rows)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
