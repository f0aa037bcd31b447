"""Sample a table into memory or stream it into a file, block by block."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from synthcraft import storage
from synthcraft._types import BlockSampler, Conditions, ProgressCallback, SeedLike
from synthcraft.engine._blocks import (
    check_conditions,
    check_n_rows,
    check_workers,
    iter_blocks,
    plan_blocks,
)
from synthcraft.storage._excel import check_excel_size

__all__ = ["sample_frame", "sample_to_file"]


def sample_frame(
    sampler: BlockSampler,
    n_rows: int,
    *,
    seed: SeedLike,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    conditions: Conditions = None,
) -> pd.DataFrame:
    """Sample ``n_rows`` rows into one DataFrame, in fixed seeded blocks.

    Parameters
    ----------
    sampler : BlockSampler
        A fitted model or compiled spec that can sample one block on its own.
    n_rows : int
        Rows to sample (at least 1).
    seed : int, SeedSequence, Generator or None
        Seed of the whole sample; block ``i`` draws from its child ``i``.
    workers : int
        Worker processes (1 samples in this process); the rows do not depend on it.
    progress : callable, optional
        Called as ``progress(rows_done, n_rows)`` at the start and after each block.
    conditions : mapping or DataFrame, optional
        Fixed values, or a DataFrame with one row per output row.

    Returns
    -------
    DataFrame
        ``n_rows`` rows with a ``RangeIndex``.

    Examples
    --------
    >>> frame = sample_frame(model, 1_000, seed=42)  # doctest: +SKIP
    """
    n_rows = check_n_rows(n_rows)
    workers = check_workers(workers)
    check_conditions(conditions, n_rows)
    plan = plan_blocks(n_rows, seed)
    if progress is not None:
        progress(0, n_rows)
    frames = []
    for frame in iter_blocks(sampler, plan, workers=workers, conditions=conditions):
        frames.append(frame)
        if progress is not None:
            progress(int(frame.index[-1]) + 1, n_rows)
    out = frames[0] if len(frames) == 1 else pd.concat(frames)
    return out.reset_index(drop=True)


def sample_to_file(
    sampler: BlockSampler,
    n_rows: int,
    path: str | os.PathLike[str],
    *,
    seed: SeedLike,
    workers: int = 1,
    overwrite: bool = False,
    table: str | None = None,
    format: str | None = None,
    excel_safe: bool = False,
    progress: ProgressCallback | None = None,
    conditions: Conditions = None,
) -> Path:
    """Sample ``n_rows`` rows straight into a file, one block at a time (memory stays flat).

    The file appears atomically when every block is written; on any error nothing is left behind
    and an existing file is untouched. The rows equal :func:`sample_frame` with the same seed.

    Parameters
    ----------
    sampler, n_rows, seed, workers, progress, conditions
        As in :func:`sample_frame`.
    path : str or PathLike
        Output file; its extension picks the format (see :func:`synthcraft.storage.write_table`).
    overwrite : bool
        Replace an existing output.
    table : str, optional
        Table name for database outputs (SQLite, DuckDB).
    format : str, optional
        Output format when the extension does not say it.
    excel_safe : bool
        Escape text cells that a spreadsheet would run as formulas (CSV/TSV).

    Returns
    -------
    Path
        The output path.

    Examples
    --------
    >>> sample_to_file(model, 1_000_000, "out.parquet", seed=42, workers=2)  # doctest: +SKIP
    """
    n_rows = check_n_rows(n_rows)
    workers = check_workers(workers)
    check_conditions(conditions, n_rows)
    plan = plan_blocks(n_rows, seed)
    out = Path(path)
    with storage.open_writer(
        out, overwrite=overwrite, excel_safe=excel_safe, table=table, format=format
    ) as writer:
        if writer.format == "excel":  # refuse before sampling, not after a million rows
            check_excel_size(n_rows, 0)  # columns: checked per block
        if progress is not None:
            progress(0, n_rows)
        for frame in iter_blocks(sampler, plan, workers=workers, conditions=conditions):
            writer.write(frame.reset_index(drop=True))
            if progress is not None:
                progress(int(frame.index[-1]) + 1, n_rows)
    return out
