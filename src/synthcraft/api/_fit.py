"""Fit a model to a table, and save or load model files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from synthcraft import persistence, synthesizers
from synthcraft._files import check_output_path
from synthcraft._types import ProgressCallback
from synthcraft.api._auto import AUTO, choose_model, parse_time_budget
from synthcraft.api._data import DataLike, load_metadata, read_data, resolve_seed
from synthcraft.api._manifest import manifest_path, pending_manifest
from synthcraft.api._params import coerce_params
from synthcraft.errors import UserInputError
from synthcraft.metadata import Metadata, detect
from synthcraft.synthesizers import BaseSynthesizer

__all__ = ["fit", "load_model", "model_name", "save_model"]


def model_name(synth: object) -> str:
    """The registry name of a model (``"copula"``), or its class name if it is not registered."""
    cls = type(synth)
    name = getattr(cls, "registry_name", "")
    return name if isinstance(name, str) and name else cls.__name__


def fit(
    data: DataLike,
    *,
    model: str = "copula",
    params: Mapping[str, Any] | None = None,
    metadata: Metadata | str | Path | None = None,
    table: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    format: str | None = None,
    progress: ProgressCallback | None = None,
    seed: int | None = None,
    time_budget: float | str | None = None,
    output: str | Path | None = None,
    overwrite: bool = False,
    command: str | None = None,
) -> BaseSynthesizer:
    """Fit a model to a table, or let ``model="auto"`` choose one.

    Parameters
    ----------
    data : DataFrame, str or Path
        The real table, or a file to read (CSV, Parquet, JSONL, Excel, SQLite, DuckDB).
    model : str
        Registered model name (``synthcraft list models``), or ``"auto"``: a model chosen from
        the table's size and shape and ``time_budget`` (see :func:`synthcraft.api.choose_model`);
        the choice, its reason and the candidates' scores are recorded under ``auto`` in the
        model's ``training_summary_`` (and so in the model file).
    params : mapping, optional
        Model settings; unknown names raise :class:`UserInputError` listing the valid ones. Text
        values are converted by the setting's type (see :mod:`synthcraft.api._params`). Not
        allowed with ``"auto"``.
    metadata : Metadata, str or Path, optional
        Column descriptions, or a metadata JSON file; detected from the data when None.
    table, sheet, encoding, format : str, optional
        How to read ``data`` when it is a file (see :func:`synthcraft.storage.read_table`).
    progress : callable, optional
        Called as ``progress(done, total)`` while fitting.
    seed : int, optional
        Fit seed (the model's ``seed`` setting); drawn and recorded in the model when None.
        With ``"auto"`` it also seeds the validation split and the candidates' fits.
    time_budget : float or str, optional
        Seconds, or ``"90s"``, ``"2m"``, ``"1h"``: passed to a model with a ``time_budget``
        setting (others refuse it); with ``"auto"``, the time to choose and fit in (60 s when
        None).
    output : str or Path, optional
        Save the fitted model here (a ``.synth`` file) with its manifest; checked before fitting.
    overwrite : bool
        Replace an existing ``output``.
    command : str, optional
        The command line, recorded in the manifest.

    Returns
    -------
    BaseSynthesizer
        The fitted model (its ``fit_seed_`` is the seed used).

    Examples
    --------
    >>> model = fit("adult.csv", model="copula", params={"rare_category_k": "10"}, seed=0)
    ... # doctest: +SKIP
    >>> fit("adult.csv", model="auto", time_budget="2m").training_summary_["auto"]["chosen"]
    ... # doctest: +SKIP
    'copula'
    """
    budget = parse_time_budget(time_budget)
    auto = isinstance(model, str) and model.strip().lower() == AUTO
    if auto:
        if params:
            raise UserInputError(
                "model settings cannot be given with --model auto; name a model to set them"
            )
        settings: dict[str, Any] = {"seed": resolve_seed(seed)}
    else:
        settings = _named_settings(model, params, seed, budget)
    md = load_metadata(metadata)
    if output is not None:
        check_output_path(Path(output), overwrite=overwrite)
        check_output_path(manifest_path(output), overwrite=overwrite)
    frame = read_data(data, table=table, sheet=sheet, encoding=encoding, format=format)
    if auto:
        md = detect(frame) if md is None else md
        choice = choose_model(frame, md, time_budget=budget, seed=settings["seed"])
        cls = synthesizers.get(choice.chosen)
        if "seed" not in cls().get_params():
            settings.pop("seed")
        synth = cls(**{**settings, **choice.settings})
        synth.fit(frame, md, progress=progress)
        summary: dict[str, Any] = synth.training_summary_  # JSON-ready; saved in the file
        summary["auto"] = choice.to_dict()
    else:
        synth = synthesizers.get(model)(**settings)
        synth.fit(frame, md, progress=progress)
    if output is not None:
        save_model(synth, output, overwrite=overwrite, command=command)
    return synth


def _named_settings(
    model: str, params: Mapping[str, Any] | None, seed: int | None, budget: float | None
) -> dict[str, Any]:
    """Checked settings of a named model with the seed and time budget applied."""
    cls = synthesizers.get(model)
    defaults = cls().get_params()
    settings = coerce_params(cls, defaults, dict(params or {}), model=model)
    if seed is not None:
        if "seed" not in defaults:
            raise UserInputError(f"model {model!r} takes no seed; leave --seed out")
        settings["seed"] = resolve_seed(seed)
    if budget is not None:
        if "time_budget" not in defaults:
            raise UserInputError(
                f"model {model!r} takes no time budget; leave --time-budget out or use --model auto"
            )
        settings["time_budget"] = budget
    return settings


def save_model(
    synth: BaseSynthesizer,
    path: str | Path,
    *,
    overwrite: bool = False,
    command: str | None = None,
) -> Path:
    """Save a fitted model as a ``.synth`` file, with ``<path>.manifest.json`` next to it.

    Both appear only when the model file was written; neither replaces an existing file unless
    ``overwrite``.
    """
    out = Path(path)
    if out.suffix.lower() != ".synth":
        raise UserInputError(f"model file {str(out)!r} should end in .synth; e.g. model.synth")
    with pending_manifest(out, overwrite=overwrite) as finish:
        persistence.save(synth, out, overwrite=overwrite, extra={"command": command})
        summary = dict(getattr(synth, "training_summary_", {}) or {})
        info = {
            "kind": "model",
            "output": out.name,
            "model": model_name(synth),
            "seed": getattr(synth, "fit_seed_", None),
            "rows": summary.get("rows"),
            "settings": synth.get_params(),
        }
        finish(info, command)
    return out


def load_model(path: str | Path) -> BaseSynthesizer:
    """Load a ``.synth`` model file (never executes code from the file)."""
    return persistence.load(path)
