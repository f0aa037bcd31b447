"""``synthcraft inspect``: the columns of a data file, or what a model file holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from synthcraft.cli._common import (
    EncodingOpt,
    FormatOpt,
    OverwriteOpt,
    SheetOpt,
    TableOpt,
    info,
    print_table,
)
from synthcraft.errors import UserInputError

__all__ = ["inspect_command"]

COLUMNS = ("name", "kind", "dtype", "missing", "details")


def inspect_command(
    ctx: typer.Context,
    data: Annotated[
        Path,
        typer.Argument(
            help="A data file (CSV, Parquet, JSONL, Excel, SQLite, DuckDB) or a "
            "model file (.synth).",
            show_default=False,
        ),
    ],
    metadata_out: Annotated[
        Path | None,
        typer.Option(
            "--metadata-out",
            metavar="FILE.json",
            help="Write the detected metadata as JSON, to edit and pass to 'fit --metadata'.",
        ),
    ] = None,
    table: TableOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    format: FormatOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Show each column of DATA with its detected kind, or what a model file holds.

    Examples:

      synthcraft inspect adult.csv

      synthcraft inspect shop.sqlite --table orders --metadata-out orders.json

      synthcraft inspect adult.synth
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    if api.is_model_file(data):
        if metadata_out is not None:
            raise UserInputError(
                "--metadata-out works with data files; a model file already stores its metadata"
            )
        _print_model(api.inspect_model(data), data)
        return
    md = api.inspect_data(
        data,
        table=table,
        sheet=sheet,
        encoding=encoding,
        format=format,
        metadata_out=metadata_out,
        overwrite=overwrite,
    )
    print_table(f"{data.name}: {len(md)} columns", api.column_table(md), COLUMNS)
    if metadata_out is not None:
        info(ctx, f"wrote metadata to {metadata_out}")


def _print_model(model: dict[str, Any], path: Path) -> None:
    from synthcraft import api

    summary = model["training_summary"]
    rows = [
        {"field": "model", "value": model["model"]},
        {"field": "synthcraft version", "value": model["synthcraft_version"]},
        {"field": "format version", "value": model["format_version"]},
        {"field": "fit seed", "value": model["seed"]},
    ]
    if model["epsilon"] is not None:
        rows.append({"field": "epsilon spent (DP)", "value": _short(model["epsilon"])})
    rows += [{"field": f"training {k}", "value": _short(v)} for k, v in summary.items()]
    rows += [{"field": f"setting {k}", "value": _short(v)} for k, v in model["settings"].items()]
    print_table(f"{path.name}: model file", rows, ("field", "value"))
    md = model["metadata"]
    if md is not None:
        print_table(f"{path.name}: {len(md)} columns", api.column_table(md), COLUMNS)


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str)
    return str(value)
