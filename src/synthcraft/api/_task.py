"""Simulated ML tasks from the API and the command line: build one, write its rows and truth."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from synthcraft import tasks
from synthcraft._files import atomic_write_text, check_output_path
from synthcraft._types import ProgressCallback
from synthcraft.errors import UserInputError

__all__ = ["TASKS", "list_tasks", "make_task", "write_task"]

TASKS: dict[str, Callable[..., Any]] = {
    "classification": tasks.classification,
    "regression": tasks.regression,
}
"""Task factories by name."""


def list_tasks() -> list[dict[str, str]]:
    """Name and one-line description of every task, for ``synthcraft list tasks``."""
    rows = []
    for name, factory in TASKS.items():
        doc = (inspect.getdoc(factory) or "").strip().splitlines()
        rows.append({"name": name, "description": doc[0] if doc else ""})
    return rows


def make_task(kind: str, **params: Any) -> Any:
    """Build the task ``kind`` (see :data:`TASKS`) from keyword settings.

    Raises
    ------
    UserInputError
        An unknown task or setting (the message lists the valid ones).
    """
    if kind not in TASKS:
        raise UserInputError(f"unknown task {kind!r}; choose one of: {', '.join(TASKS)}")
    factory = TASKS[kind]
    accepted = set(inspect.signature(factory).parameters)
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise UserInputError(
            f"task {kind!r} has no setting {unknown[0]!r}; its settings are: "
            f"{', '.join(sorted(accepted))}"
        )
    return factory(**params)


def write_task(
    task: Any,
    n_rows: int,
    output: str | Path,
    *,
    seed: int,
    truth: str | Path | None = None,
    overwrite: bool = False,
    table: str | None = None,
    format: str | None = None,
    progress: ProgressCallback | None = None,
    command: str | None = None,
) -> Path:
    """Sample ``n_rows`` rows of ``task`` into ``output`` and its truth into ``truth`` (JSON).

    Both paths are checked before any work, so a refused run leaves nothing behind; the truth
    file is written only after the rows were.
    """
    from synthcraft.api._sample import sample

    truth_path = None if truth is None else Path(truth)
    if truth_path is not None:
        check_output_path(truth_path, overwrite=overwrite)
        if truth_path.resolve() == Path(output).resolve():
            raise UserInputError("--truth must name a different file than the output")
    out = sample(
        task,
        n_rows,
        seed=seed,
        output=output,
        overwrite=overwrite,
        table=table,
        format=format,
        progress=progress,
        command=command,
    )
    if truth_path is not None:
        text = json.dumps(_jsonable(task.truth.to_dict()), indent=2, sort_keys=True)
        atomic_write_text(truth_path, text + "\n", overwrite=overwrite)
    assert isinstance(out, Path)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value
