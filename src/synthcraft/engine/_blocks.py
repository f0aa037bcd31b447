"""Fixed sampling blocks, run in this process or in a pool of worker processes, in order.

A sample of ``n`` rows is cut into blocks of :data:`synthcraft._rng.BLOCK_ROWS` rows; block ``i``
draws from child ``i`` of the sample seed. Workers only change where a block runs, never what it
holds, so every worker count gives the same rows. Results are consumed in block order with at most
``2 x workers`` blocks in flight, so memory stays flat however many rows are asked for.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import warnings
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from synthcraft._rng import block_seeds, blocks
from synthcraft._types import BlockSampler, Conditions, SeedLike, StatefulSampler
from synthcraft.errors import SynthcraftError, UserInputError

__all__ = [
    "Block",
    "check_conditions",
    "check_n_rows",
    "check_workers",
    "iter_blocks",
    "plan_blocks",
]

_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class Block:
    """One block of a sample: rows ``start .. stop-1`` drawn from ``seed``."""

    index: int
    start: int
    stop: int
    seed: np.random.SeedSequence

    @property
    def n_rows(self) -> int:
        """Rows in this block."""
        return self.stop - self.start


def check_n_rows(n_rows: object) -> int:
    """Return ``n_rows`` as an int; :class:`UserInputError` unless a whole number >= 1."""
    if isinstance(n_rows, bool) or not isinstance(n_rows, (int, np.integer)):
        raise UserInputError(
            f"the number of rows must be a whole number, got {n_rows!r}; pass e.g. -n 1000"
        )
    if n_rows < 1:
        raise UserInputError(
            f"the number of rows must be at least 1, got {n_rows}; pass e.g. -n 1000"
        )
    return int(n_rows)


def check_workers(workers: object) -> int:
    """Return ``workers`` as an int >= 1; more workers than CPU cores is allowed with a warning."""
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)):
        raise UserInputError(
            f"workers must be a whole number, got {workers!r}; pass e.g. --workers 2"
        )
    if workers < 1:
        raise UserInputError(f"workers must be at least 1, got {workers}; pass e.g. --workers 2")
    cores = os.cpu_count() or 1
    if workers > cores:
        warnings.warn(
            f"{workers} workers on {cores} CPU cores: the extra workers only add overhead; "
            f"use --workers {cores} or fewer",
            RuntimeWarning,
            stacklevel=3,
        )
    return int(workers)


def plan_blocks(n_rows: int, seed: SeedLike) -> list[Block]:
    """The blocks of a sample of ``n_rows`` rows and their seeds (child ``i`` for block ``i``)."""
    spans = list(blocks(n_rows))
    seeds = block_seeds(seed, len(spans))
    return [Block(i, start, stop, seeds[i]) for i, start, stop in spans]


def check_conditions(conditions: Conditions, n_rows: int) -> None:
    """Raise :class:`UserInputError` unless ``conditions`` fit a sample of ``n_rows`` rows."""
    if isinstance(conditions, pd.DataFrame) and len(conditions) != n_rows:
        raise UserInputError(
            f"conditions have {len(conditions)} rows but {n_rows} rows were asked for; "
            "give one row of conditions per output row, or a mapping of fixed values"
        )


def _block_conditions(conditions: Conditions, block: Block) -> Conditions:
    if isinstance(conditions, pd.DataFrame):
        return conditions.iloc[block.start : block.stop].reset_index(drop=True)
    if isinstance(conditions, Mapping):
        return dict(conditions)
    return None


# This worker's sampler, rebuilt once by the pool initializer from the parent's sampler state
# (JSON text and arrays; never a pickle), or the error that rebuilding raised (it reaches the
# parent with the first block).
_worker_sampler: BlockSampler | None = None
_worker_error: str | None = None

_Payload = tuple[type[StatefulSampler], str, dict[str, np.ndarray]]


def _init_worker(payload: _Payload) -> None:
    global _worker_sampler, _worker_error
    cls, text, arrays = payload
    try:
        _worker_sampler = cls.from_state(json.loads(text), arrays)
    except Exception as exc:
        _worker_error = f"{type(exc).__name__}: {exc}"
    # One BLAS/OpenMP thread per worker: the workers already use every core they were given,
    # and inherited thread pools would otherwise oversubscribe them.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(limits=1)


def _start_context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux with Python 3.11 (workers start at once), else ``spawn``.

    Forking is safe here: workers only run our sampling code, and the native thread pools of
    numpy's BLAS and OpenMP re-initialise in the child. Python 3.12 deprecates forking a process
    that has threads (BLAS has), so newer Pythons spawn, paying each worker's imports once.
    """
    import sys

    if (
        sys.platform.startswith("linux")
        and sys.version_info < (3, 12)
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _run_block(block: Block, conditions: Conditions) -> pd.DataFrame:
    if _worker_sampler is None:
        raise UserInputError(
            f"a worker process could not rebuild the sampler ({_worker_error}); "
            "use workers=1 (--workers 1)"
        )
    return _sample_block(_worker_sampler, block, conditions)


def _sample_block(sampler: BlockSampler, block: Block, conditions: Conditions) -> pd.DataFrame:
    frame = sampler.sample_block(
        block.seed, block.n_rows, start=block.start, conditions=_block_conditions(conditions, block)
    )
    if len(frame) != block.n_rows:
        raise RuntimeError(
            f"{type(sampler).__name__}.sample_block returned {len(frame)} rows for a block of "
            f"{block.n_rows}"
        )
    frame.index = pd.RangeIndex(block.start, block.stop)
    return frame


def _payload(sampler: BlockSampler) -> _Payload:
    """What workers rebuild the sampler from: its class, JSON state text and numeric arrays."""
    name = type(sampler).__name__
    if not isinstance(sampler, StatefulSampler):
        raise UserInputError(
            f"this {name} cannot be sent to worker processes (it has no get_state/from_state); "
            "use workers=1 (--workers 1)"
        )
    state, arrays = sampler.get_state()
    try:
        text = json.dumps(state, allow_nan=True)
    except (TypeError, ValueError) as exc:
        raise UserInputError(
            f"this {name} cannot be sent to worker processes (its state is not JSON: {exc}); "
            "use workers=1 (--workers 1)"
        ) from None
    plain = {str(k): np.asarray(v) for k, v in arrays.items()}
    if any(a.dtype.hasobject for a in plain.values()):
        raise UserInputError(
            f"this {name} cannot be sent to worker processes (its arrays hold Python objects); "
            "use workers=1 (--workers 1)"
        )
    return type(sampler), text, plain


def iter_blocks(
    sampler: BlockSampler,
    plan: list[Block],
    *,
    workers: int = 1,
    conditions: Conditions = None,
) -> Iterator[pd.DataFrame]:
    """Yield the frame of each block of ``plan`` in order; index = the rows' sample positions.

    With ``workers > 1`` (and more than one block) this process and ``min(workers, blocks) - 1``
    worker processes share the blocks; each worker rebuilds the sampler once from its state
    (:class:`~synthcraft._types.StatefulSampler`, never a pickle) and at most
    ``2 x (workers - 1)`` blocks are in flight at a time.
    """
    total = sum(b.n_rows for b in plan)
    check_conditions(conditions, total)
    workers = min(workers, len(plan))
    if workers <= 1:
        for block in plan:
            yield _sample_block(sampler, block, conditions)
        return
    yield from _iter_pool(sampler, plan, workers, conditions)


def _iter_pool(
    sampler: BlockSampler, plan: list[Block], workers: int, conditions: Conditions
) -> Iterator[pd.DataFrame]:
    """This process samples every ``workers``-th block itself; ``workers - 1`` others the rest.

    The parent would otherwise sit idle while it waits, so it takes its share: on a machine with
    as many cores as workers, every core samples.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers - 1,
        mp_context=_start_context(),
        initializer=_init_worker,
        initargs=(_payload(sampler),),
    )
    remote = iter([b for i, b in enumerate(plan) if i % workers])
    pending: deque[Future[pd.DataFrame]] = deque()

    def top_up() -> None:
        while len(pending) < (workers - 1) * _IN_FLIGHT_PER_WORKER:
            block = next(remote, None)
            if block is None:
                return
            pending.append(pool.submit(_run_block, block, conditions))

    try:
        for i, block in enumerate(plan):
            top_up()
            if i % workers == 0:
                yield _sample_block(sampler, block, conditions)
            else:
                yield _result(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future[Any]) -> pd.DataFrame:
    try:
        frame: pd.DataFrame = future.result()
    except BrokenProcessPool:
        raise SynthcraftError(
            "a sampling worker process stopped unexpectedly (often for lack of memory); "
            "run again with fewer workers (--workers 1)"
        ) from None
    return frame
