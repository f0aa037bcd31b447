"""Generate declared data from a spec, and draft a spec from a real table.

The spec part compiles a spec into samplers but never loads model files; this module resolves
``from_model`` references (fitted ``.synth`` files) and writes single tables, whole databases
(with their keys declared in the schema) and formula truth files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from synthcraft import engine, storage
from synthcraft._files import atomic_write_text, check_output_path
from synthcraft._types import ProgressCallback, Sampler
from synthcraft.api._data import load_metadata, read_data, resolve_seed
from synthcraft.api._fit import load_model
from synthcraft.api._manifest import pending_manifest
from synthcraft.errors import UserInputError
from synthcraft.metadata import ColumnKind, Metadata
from synthcraft.spec import (
    Draft,
    Dtype,
    ModelGen,
    MultiTableSampler,
    Spec,
    TableSampler,
    draft,
    formula_truth,
    load,
    parse,
)

__all__ = ["draft_spec", "generate", "load_spec", "spec_models", "spec_truth"]

SpecLike = Spec | Mapping[str, Any] | str | Path
Counts = int | Mapping[str, int] | None

_DATABASES = {"sqlite", "duckdb"}


def load_spec(spec: SpecLike) -> Spec:
    """A parsed spec from a :class:`Spec`, a mapping, a YAML/JSON file path or YAML text."""
    if isinstance(spec, Spec):
        return spec
    if isinstance(spec, Mapping):
        return parse(spec)
    if isinstance(spec, (str, Path)):
        return load(spec)
    raise UserInputError(
        f"spec must be a Spec, a mapping or a YAML file path, got {type(spec).__name__}"
    )


def spec_models(spec: Spec) -> dict[str, Sampler]:
    """Load every fitted model the spec names (``from_model``), keyed by the path as written."""
    paths: list[str] = []
    for table in spec.tables.values():
        if table.from_model is not None:
            paths.append(table.from_model)
        for column in table.columns:
            gen = column.generator
            if isinstance(gen, ModelGen):
                paths.append(gen.path)
    models: dict[str, Sampler] = {}
    for path in dict.fromkeys(paths):
        if not Path(path).is_file():
            raise UserInputError(
                f"from_model: model file {path!r} does not exist; fit one first "
                "(synthcraft fit DATA -o MODEL.synth) or fix the path in the spec"
            )
        models[path] = load_model(path)
    return models


def _model_dtype(model: Sampler, column: str) -> Dtype | None:
    """The spec type of a fitted model's column (from its metadata), or None when unknown."""
    metadata = getattr(model, "metadata_", None)
    if not isinstance(metadata, Metadata) or column not in metadata.names:
        return None
    described = metadata.columns[metadata.names.index(column)]
    dtype = described.dtype
    if dtype == "Int64":
        return "integer"
    if dtype == "float64":
        return "float"
    if dtype == "boolean":
        return "boolean"
    if dtype.startswith("datetime64"):
        return "datetime"
    if described.kind == ColumnKind.CATEGORICAL:
        return "categorical"
    return "string"


def with_model_dtypes(spec: Spec, models: Mapping[str, Sampler]) -> Spec:
    """The spec with each ``from_model`` column typed like the model's column (unless the spec
    gives its ``type``), so fitted integers, categories and dates keep their dtype."""
    tables = {}
    for name, table in spec.tables.items():
        raw = spec.source.get("tables", {}).get(name, {}).get("columns", {}) or {}
        columns = []
        for column in table.columns:
            gen = column.generator
            declared = raw.get(column.name)
            if isinstance(gen, ModelGen) and not (
                isinstance(declared, Mapping) and "type" in declared
            ):
                dtype = _model_dtype(models[gen.path], gen.column or column.name)
                if dtype is not None:
                    column = replace(column, dtype=dtype)
            columns.append(column)
        tables[name] = replace(table, columns=tuple(columns))
    return replace(spec, tables=tables)


def _is_single(spec: Spec) -> bool:
    return len(spec.tables) == 1 and not any(t.foreign_keys for t in spec.tables.values())


def _single_rows(spec: Spec, n: Counts) -> int:
    (table,) = spec.tables.values()
    if isinstance(n, Mapping):
        unknown = sorted(set(n) - {table.name})
        if unknown:
            raise UserInputError(
                f"the spec has one table, {table.name!r}, but counts name {unknown}; "
                f"pass -n N or -n {table.name}=N"
            )
        n = n.get(table.name)
    if n is None:
        n = table.rows
    if n is None:
        raise UserInputError(
            f"table {table.name!r} has no 'rows' in the spec; pass a row count (-n 1000)"
        )
    return engine.check_n_rows(n)


def spec_truth(spec: Spec) -> dict[str, Any]:
    """The known truth of a spec: each formula column with its partial derivatives."""
    return {"spec_version": spec.spec_version, "tables": formula_truth(spec)}


def generate(
    spec: SpecLike,
    n: Counts = None,
    *,
    seed: int | None = None,
    output: str | Path | None = None,
    workers: int = 1,
    overwrite: bool = False,
    format: str | None = None,
    table: str | None = None,
    excel_safe: bool = False,
    truth: str | Path | None = None,
    progress: ProgressCallback | None = None,
    command: str | None = None,
) -> pd.DataFrame | dict[str, pd.DataFrame] | Path:
    """Generate the data a spec declares.

    Parameters
    ----------
    spec : Spec, mapping, str or Path
        The spec, or a YAML/JSON spec file.
    n : int or mapping, optional
        Rows. For a one-table spec, its row count; for a database, counts of the root tables
        (an int for every root, or ``{"customers": 1000}``); children follow their cardinality.
        Defaults to the ``rows`` the spec gives.
    seed : int, optional
        Seed; drawn when None and recorded in the manifest (or ``attrs["seed"]``).
    output : str or Path, optional
        Where to write. One table: a data file, streamed block by block with flat memory. A
        database: an ``.sqlite``/``.duckdb`` file with the keys declared in its schema, or a
        directory of one file per table (``format``, default Parquet).
    workers : int
        Worker processes for one-table specs; the rows do not depend on it.
    overwrite : bool
        Replace existing outputs.
    format, table, excel_safe
        Output options of :func:`synthcraft.engine.sample_to_file` (one-table specs; ``format``
        also names the per-table file format of a database directory).
    truth : str or Path, optional
        Also write the spec's formulas and their partial derivatives to this JSON file.
    progress : callable, optional
        Called as ``progress(done, total)``.
    command : str, optional
        The command line, recorded in the manifest.

    Returns
    -------
    DataFrame, dict of DataFrames, or Path
        The table, the tables by name, or the output path when ``output`` is given.

    Examples
    --------
    >>> from synthcraft import api
    >>> frame = api.generate({"spec_version": "1.0", "tables": {"t": {"columns": {
    ...     "x": {"distribution": "normal(0, 1)"}}}}}, 5, seed=1)
    >>> len(frame)
    5
    """
    parsed = load_spec(spec)
    used = resolve_seed(seed if seed is not None else parsed.seed)
    workers = engine.check_workers(workers)
    truth_path = None
    if truth is not None:
        truth_path = check_output_path(Path(truth), overwrite=overwrite)
    models = spec_models(parsed)
    parsed = with_model_dtypes(parsed, models)
    result: pd.DataFrame | dict[str, pd.DataFrame] | Path
    if _is_single(parsed):
        result = _generate_table(
            parsed,
            n,
            seed=used,
            models=models,
            output=output,
            workers=workers,
            overwrite=overwrite,
            format=format,
            table=table,
            excel_safe=excel_safe,
            progress=progress,
            command=command,
        )
    else:
        if workers > 1:
            raise UserInputError(
                "a spec with several tables generates in one process; use workers=1 (--workers 1)"
            )
        result = _generate_database(
            parsed,
            n,
            seed=used,
            models=models,
            output=output,
            overwrite=overwrite,
            format=format,
            progress=progress,
            command=command,
        )
    if truth_path is not None:
        text = json.dumps(spec_truth(parsed), indent=2, ensure_ascii=False) + "\n"
        atomic_write_text(truth_path, text, overwrite=overwrite)
    return result


def _generate_table(
    spec: Spec,
    n: Counts,
    *,
    seed: int,
    models: Mapping[str, Sampler],
    output: str | Path | None,
    workers: int,
    overwrite: bool,
    format: str | None,
    table: str | None,
    excel_safe: bool,
    progress: ProgressCallback | None,
    command: str | None,
) -> pd.DataFrame | Path:
    (name,) = spec.tables
    n_rows = _single_rows(spec, n)
    sampler = TableSampler(spec, name, models=models or None)
    if output is None:
        frame = engine.sample_frame(sampler, n_rows, seed=seed, workers=workers, progress=progress)
        frame.attrs["seed"] = seed
        return frame
    out = Path(output)
    with pending_manifest(out, table=table, overwrite=overwrite) as finish:
        engine.sample_to_file(
            sampler,
            n_rows,
            out,
            seed=seed,
            workers=workers,
            overwrite=overwrite,
            table=table or (name if storage.detect_format(out) in _DATABASES else None),
            format=format,
            excel_safe=excel_safe,
            progress=progress,
        )
        info = {"kind": "generate", "output": out.name, "rows": {name: n_rows}, "seed": seed}
        finish({**info, "spec": dict(spec.source)}, command)
    return out


def _generate_database(
    spec: Spec,
    n: Counts,
    *,
    seed: int,
    models: Mapping[str, Sampler],
    output: str | Path | None,
    overwrite: bool,
    format: str | None,
    progress: ProgressCallback | None,
    command: str | None,
) -> dict[str, pd.DataFrame] | Path:
    sampler = MultiTableSampler(spec, models=models or None)
    out = None if output is None else Path(output)
    database = out is not None and _database_format(out, format)
    if out is not None and database:  # refuse an existing output before generating anything
        check_output_path(out, overwrite=overwrite)
    elif out is not None:
        _refuse_table_file(out, len(spec.tables))
        storage.tables_output(
            out, list(spec.tables), format=format or "parquet", overwrite=overwrite
        )
    tables = sampler.sample(n, seed=seed, progress=progress)
    if out is None:
        for frame in tables.values():
            frame.attrs["seed"] = seed
        return tables
    keys = {t.name: list(t.primary_key) for t in spec.tables.values() if t.primary_key}
    foreign = {
        t.name: [(list(fk.columns), fk.parent, list(fk.parent_columns)) for fk in t.foreign_keys]
        for t in spec.tables.values()
        if t.foreign_keys
    }
    with pending_manifest(out, overwrite=overwrite) as finish:
        if database:
            storage.write_database(
                out,
                tables,
                primary_keys=keys,
                foreign_keys=foreign,
                overwrite=overwrite,
                format=format,
            )
        else:
            storage.write_tables(out, tables, format=format or "parquet", overwrite=overwrite)
        rows = {name: len(frame) for name, frame in tables.items()}
        info = {"kind": "generate", "output": out.name, "rows": rows, "seed": seed}
        finish({**info, "spec": dict(spec.source)}, command)
    return out


def _refuse_table_file(out: Path, n_tables: int) -> None:
    """Refuse a one-table file name (``shop.csv``) as the folder of several tables."""
    if out.is_dir():
        return
    try:
        fmt = storage.detect_format(out)
    except UserInputError:
        return  # no table-file extension: a folder name
    folder = out.name.split(".")[0] or "tables"
    raise UserInputError(
        f"the spec declares {n_tables} tables, so {str(out)!r} cannot be one file; give a "
        f".sqlite or .duckdb file, or a folder (e.g. -o {folder}/ --format {fmt})"
    )


def _database_format(out: Path, format: str | None) -> bool:
    if format is not None:
        return format in _DATABASES
    try:
        return storage.detect_format(out) in _DATABASES
    except UserInputError:
        return False


def draft_spec(
    data: pd.DataFrame | str | Path,
    *,
    output: str | Path | None = None,
    metadata: Metadata | str | Path | None = None,
    name: str | None = None,
    seed: int = 0,
    overwrite: bool = False,
    table: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    format: str | None = None,
    progress: ProgressCallback | None = None,
) -> Draft:
    """Draft an editable spec from a real table (families by AIC, PII kinds, keys, correlations).

    Parameters
    ----------
    data : DataFrame, str or Path
        The real table, or a file to read (``table``/``sheet``/``encoding``/``format`` as in
        :func:`synthcraft.storage.read_table`).
    output : str or Path, optional
        Write the spec's YAML text (with the fit report in comments) here.
    metadata : Metadata, str or Path, optional
        Column kinds to use instead of detecting them.
    name : str, optional
        Table name in the spec; defaults to the file's stem (or ``data``).
    seed : int
        Seed of the subsample the families are fitted on.

    Returns
    -------
    Draft
        ``mapping`` (the spec), ``text`` (its YAML) and ``fits`` (per-column family fits).
    """
    frame = read_data(data, table=table, sheet=sheet, encoding=encoding, format=format)
    out = None if output is None else check_output_path(Path(output), overwrite=overwrite)
    if name is None:
        name = table or (Path(data).name.split(".")[0] if isinstance(data, (str, Path)) else "data")
    result = draft(
        frame, load_metadata(metadata), table=_identifier(name), seed=seed, progress=progress
    )
    if out is not None:
        atomic_write_text(out, result.text, overwrite=overwrite)
    return result


def _identifier(name: str) -> str:
    """A spec table name made from a file name: letters, digits and ``_``, not starting with one."""
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "data"
    return cleaned if not cleaned[0].isdigit() else f"t_{cleaned}"
