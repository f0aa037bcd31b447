"""Sample a synthetic table from a fitted model, into memory or into a file with a manifest."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from synthcraft import engine
from synthcraft._types import BlockSampler, Conditions, ProgressCallback
from synthcraft.api._controls import (
    check_rebalance,
    describe_rebalance,
    model_metadata,
    rebalance_conditions,
    with_temperature,
)
from synthcraft.api._data import resolve_seed
from synthcraft.api._fit import load_model, model_name
from synthcraft.api._manifest import pending_manifest
from synthcraft.errors import UserInputError

__all__ = ["sample"]


def sample(
    model: BlockSampler | str | Path,
    n_rows: int,
    *,
    seed: int | None = None,
    output: str | Path | None = None,
    workers: int = 1,
    overwrite: bool = False,
    table: str | None = None,
    format: str | None = None,
    excel_safe: bool = False,
    conditions: Conditions = None,
    temperature: float | None = None,
    rebalance: Mapping[str, Mapping[Any, float]] | None = None,
    progress: ProgressCallback | None = None,
    command: str | None = None,
) -> pd.DataFrame | Path:
    """Sample ``n_rows`` synthetic rows from a fitted model or a ``.synth`` file.

    Parameters
    ----------
    model : BlockSampler, str or Path
        A fitted model (or any block sampler), or a model file to load.
    n_rows : int
        Rows to sample (at least 1).
    seed : int, optional
        Sample seed; drawn when None. It is recorded in the output's manifest, or in
        ``frame.attrs["seed"]`` when no output is given.
    output : str or Path, optional
        Write the rows here (streamed block by block, atomically) instead of returning them, and
        write ``<output>.manifest.json`` next to it. Both appear only when sampling succeeded.
    workers : int
        Worker processes; the rows do not depend on it.
    overwrite : bool
        Replace an existing output (and its manifest).
    table, format, excel_safe
        Output options (see :func:`synthcraft.engine.sample_to_file`).
    conditions : mapping or DataFrame, optional
        Fixed values, or one row of conditions per output row.
    temperature : float, optional
        Sample from a copy of the model at this temperature (models with a ``temperature``
        setting, such as ``argn``); the model given is not changed.
    rebalance : mapping, optional
        ``{column: {value: share}}`` for category or boolean columns: each row draws its value
        from these shares (at most 1 in all); the rest goes to the other categories in the
        model's own proportions (estimated from a pilot sample). Needs a model that supports
        row-by-row conditions; combines with ``conditions`` on other columns.
    progress : callable, optional
        Called as ``progress(rows_done, n_rows)``.
    command : str, optional
        The command line, recorded in the manifest.

    Returns
    -------
    DataFrame or Path
        The rows, or the output path when ``output`` is given.

    Examples
    --------
    >>> sample("model.synth", 1_000, seed=7, output="synthetic.parquet")  # doctest: +SKIP
    PosixPath('synthetic.parquet')
    >>> sample(model, 1_000, seed=7, rebalance={"income": {">50K": 0.5}})  # doctest: +SKIP
    """
    n_rows = engine.check_n_rows(n_rows)
    workers = engine.check_workers(workers)
    used = resolve_seed(seed)
    sampler = load_model(model) if isinstance(model, (str, Path)) else model
    if not isinstance(sampler, BlockSampler):
        raise UserInputError(
            f"model must be a fitted synthesizer or a .synth file path, got {type(model).__name__}"
        )
    sampler = with_temperature(sampler, temperature)
    given = conditions
    balance = None
    if rebalance is not None:
        balance = check_rebalance(model_metadata(sampler), rebalance)
        conditions = rebalance_conditions(
            sampler, balance, n_rows, seed=used, conditions=conditions
        )
    if output is None:
        frame = engine.sample_frame(
            sampler, n_rows, seed=used, workers=workers, progress=progress, conditions=conditions
        )
        frame.attrs["seed"] = used
        return frame
    out = Path(output)
    with pending_manifest(out, table=table, overwrite=overwrite) as finish:
        engine.sample_to_file(
            sampler,
            n_rows,
            out,
            seed=used,
            workers=workers,
            overwrite=overwrite,
            table=table,
            format=format,
            excel_safe=excel_safe,
            progress=progress,
            conditions=conditions,
        )
        info = {
            "kind": "sample",
            "output": out.name,
            "table": table,
            "rows": n_rows,
            "seed": used,
            "model": model_name(sampler),
            "model_file": str(model) if isinstance(model, (str, Path)) else None,
            "conditions": _describe_conditions(given),
            "rebalance": describe_rebalance(balance),
            "temperature": None if temperature is None else float(temperature),
        }
        finish(info, command)
    return out


def _describe_conditions(conditions: Conditions) -> object:
    if conditions is None:
        return None
    if isinstance(conditions, pd.DataFrame):
        return {"rows": len(conditions), "columns": [str(c) for c in conditions.columns]}
    return {str(k): v for k, v in conditions.items()}
