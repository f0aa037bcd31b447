"""Look at data files and model files; list what synthcraft offers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synthcraft import metadata as _metadata
from synthcraft import persistence, pii, synthesizers
from synthcraft.api._data import DataLike, read_data
from synthcraft.errors import UserInputError
from synthcraft.metadata import Metadata

__all__ = [
    "column_table",
    "inspect_data",
    "inspect_model",
    "is_model_file",
    "list_models",
    "list_pii_kinds",
]

MODEL_SUFFIX = ".synth"


def is_model_file(path: str | Path) -> bool:
    """True when ``path`` names a model file (extension ``.synth``)."""
    return Path(path).suffix.lower() == MODEL_SUFFIX


def inspect_data(
    data: DataLike,
    *,
    table: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    format: str | None = None,
    metadata_out: str | Path | None = None,
    overwrite: bool = False,
) -> Metadata:
    """Detect the metadata of a table (a frame or a file); optionally save it as JSON.

    Parameters
    ----------
    data : DataFrame, str or Path
        The table or a file to read.
    table, sheet, encoding, format : str, optional
        How to read a file (see :func:`synthcraft.storage.read_table`).
    metadata_out : str or Path, optional
        Write the detected metadata here as JSON, to edit and pass back with ``--metadata``.
    overwrite : bool
        Replace an existing ``metadata_out``.

    Examples
    --------
    >>> md = inspect_data("adult.csv", metadata_out="adult.json")  # doctest: +SKIP
    """
    if metadata_out is not None:
        from synthcraft._files import check_output_path

        check_output_path(Path(metadata_out), overwrite=overwrite)
    frame = read_data(data, table=table, sheet=sheet, encoding=encoding, format=format)
    md = _metadata.detect(frame)
    if metadata_out is not None:
        md.save(metadata_out, overwrite=overwrite)
    return md


def column_table(md: Metadata) -> list[dict[str, str]]:
    """One row per column (name, kind, dtype, missing, details), ready to print."""
    return [dict(row) for row in _metadata.kind_summary(md)]


def inspect_model(path: str | Path) -> dict[str, Any]:
    """What a ``.synth`` file holds, read from its manifest without loading its arrays.

    Returns
    -------
    dict
        ``model``, ``format_version``, ``synthcraft_version``, ``seed``, ``epsilon`` (the
        epsilon spent; None unless a DP model), ``settings``, ``training_summary``,
        ``metadata`` (a :class:`Metadata`, the privatised column descriptions the model stores).
    """
    if not is_model_file(path):
        raise UserInputError(f"{str(path)!r} is not a model file; model files end in .synth")
    manifest = persistence.read_manifest(path)
    settings = dict(manifest.get("settings") or {})
    summary = dict(manifest.get("training_summary") or {})
    md = manifest.get("metadata")
    return {
        "model": manifest.get("class"),
        "format_version": manifest.get("format_version"),
        "synthcraft_version": manifest.get("library_version"),
        "seed": manifest.get("seed"),
        "epsilon": summary.get("epsilon_spent", settings.get("epsilon")),
        "settings": settings,
        "training_summary": summary,
        "metadata": Metadata.from_dict(md) if isinstance(md, dict) else None,
    }


def list_models() -> list[dict[str, str]]:
    """Registered models: ``name`` and one-line ``description``."""
    names = synthesizers.list_synthesizers()
    return [{"name": n, "description": synthesizers.describe(n)} for n in names]


def list_pii_kinds() -> list[dict[str, str]]:
    """Fake-PII kinds: ``name`` and ``description``."""
    return [{"name": n, "description": pii.get_kind(n).description} for n in pii.list_kinds()]
