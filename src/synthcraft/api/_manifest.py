"""Run manifests: a small JSON file next to every output, so any run can be repeated."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import platform
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synthcraft._files import atomic_path, atomic_write_text, check_output_path

__all__ = ["manifest_path", "pending_manifest", "run_info", "write_manifest"]

MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_VERSION = "1.0"

Finish = Callable[[Mapping[str, Any], str | None], None]
"""Writes the pending manifest: ``finish(info, command)``."""


def manifest_path(output: str | Path, table: str | None = None) -> Path:
    """Where the manifest of ``output`` goes: ``<output>.manifest.json``.

    For a table written into a database file, ``<output>.<table>.manifest.json``, so several
    tables of one database each keep their own manifest.
    """
    out = Path(output)
    name = out.name if table is None else f"{out.name}.{table}"
    return out.with_name(name + MANIFEST_SUFFIX)


def run_info(command: str | None = None) -> dict[str, Any]:
    """What every manifest records: versions, creation time (UTC) and the command, if any."""
    from synthcraft import __version__

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {
        "manifest_version": MANIFEST_VERSION,
        "created": now.isoformat().replace("+00:00", "Z"),
        "command": command,
        "versions": {
            "synthcraft": __version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "python": platform.python_version(),
        },
    }


def _text(info: Mapping[str, Any], command: str | None) -> str:
    body = {**run_info(command), **info}
    return json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"


def write_manifest(
    output: str | Path,
    info: Mapping[str, Any],
    *,
    table: str | None = None,
    command: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the manifest of ``output`` atomically and return its path.

    Parameters
    ----------
    output : str or Path
        The output file the manifest describes.
    info : mapping
        What to record (seed, model, rows, ...); JSON-ready values.
    table : str, optional
        Table name for database outputs (see :func:`manifest_path`).
    command : str, optional
        The command line that made the output.
    overwrite : bool
        Replace an existing manifest.
    """
    path = manifest_path(output, table)
    return atomic_write_text(path, _text(info, command), overwrite=overwrite)


@contextlib.contextmanager
def pending_manifest(
    output: str | Path, *, table: str | None = None, overwrite: bool = False
) -> Iterator[Finish]:
    """Reserve the manifest of ``output``; it is written only if the block succeeds.

    Yields a function ``finish(info, command)`` to call once the output is written. The
    manifest path is checked on entry (before any work), so a run never fails at the very end
    because of it; on an exception nothing is written and an existing manifest is kept.
    """
    path = check_output_path(manifest_path(output, table), overwrite=overwrite)
    with atomic_path(path, overwrite=overwrite) as tmp:
        done: list[bool] = []

        def finish(info: Mapping[str, Any], command: str | None) -> None:
            tmp.write_text(_text(info, command), encoding="utf-8")
            done.append(True)

        yield finish
        if not done:
            raise RuntimeError("pending_manifest left without calling finish()")
