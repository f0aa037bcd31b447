"""``synthcraft task``: rows of a simulated ML task into a file, its truth into JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from synthcraft.cli._common import FormatOpt, OverwriteOpt, SeedOpt, TableOpt, info, progress_bar
from synthcraft.cli._common import parse_rows as _parse_rows
from synthcraft.cli._common import state as cli_state

__all__ = ["task_command"]

_OPTIONAL = {"show_default": False}


def task_command(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(help="The task: classification or regression (synthcraft list tasks)."),
    ],
    rows: Annotated[
        str, typer.Option("--rows", "-n", metavar="N", help="Rows to write, e.g. 100000 or 1e6.")
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="PATH", help="Output file (.csv, .parquet, ...)."),
    ],
    truth: Annotated[
        Path | None,
        typer.Option("--truth", metavar="PATH", help="Write the task's truth here (JSON)."),
    ] = None,
    n_features: Annotated[int | None, typer.Option(help="Number of features.", **_OPTIONAL)] = None,
    n_informative: Annotated[
        int | None, typer.Option(help="Features that carry the signal.", **_OPTIONAL)
    ] = None,
    separation: Annotated[
        float | None, typer.Option(help="Class separation (classification).", **_OPTIONAL)
    ] = None,
    imbalance: Annotated[
        float | None, typer.Option(help="Minority class share (classification).", **_OPTIONAL)
    ] = None,
    label_noise: Annotated[
        float | None, typer.Option(help="Share of labels redrawn (classification).", **_OPTIONAL)
    ] = None,
    n_classes: Annotated[
        int | None, typer.Option(help="Number of classes (classification).", **_OPTIONAL)
    ] = None,
    noise: Annotated[
        float | None, typer.Option(help="Noise share of the target (regression).", **_OPTIONAL)
    ] = None,
    shape: Annotated[
        str | None,
        typer.Option(help="linear, friedman1, sine or interaction (regression).", **_OPTIONAL),
    ] = None,
    missing: Annotated[
        float | None, typer.Option(help="Share of missing values.", **_OPTIONAL)
    ] = None,
    missing_mechanism: Annotated[
        str | None, typer.Option(help="mcar, mar or mnar.", **_OPTIONAL)
    ] = None,
    task_seed: Annotated[
        int | None,
        typer.Option(help="Seed of the task's truth (default: the --seed).", **_OPTIONAL),
    ] = None,
    seed: SeedOpt = None,
    table: TableOpt = None,
    format: FormatOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write N rows of a simulated ML task with known truth to a file.

    Examples:

      synthcraft task classification -n 100000 --separation 1.5 --imbalance 0.05
      --label-noise 0.02 -o data.parquet --truth truth.json

      synthcraft task regression -n 10000 --shape friedman1 --noise 0.1 -o reg.csv --seed 3
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    n_rows = _parse_rows(rows)
    used = api.resolve_seed(seed)
    given: dict[str, Any] = {
        "n_features": n_features,
        "n_informative": n_informative,
        "separation": separation,
        "imbalance": imbalance,
        "label_noise": label_noise,
        "n_classes": n_classes,
        "noise": noise,
        "shape": shape,
        "missing": missing,
        "missing_mechanism": missing_mechanism,
    }
    params = {k: v for k, v in given.items() if v is not None}
    task = api.make_task(kind, seed=used if task_seed is None else task_seed, **params)
    with progress_bar(ctx, "writing") as progress:
        out = api.write_task(
            task,
            n_rows,
            output,
            seed=used,
            truth=truth,
            overwrite=overwrite,
            table=table,
            format=format,
            progress=progress,
            command=cli_state(ctx).command,
        )
    if seed is None:
        info(ctx, f"seed: {used} (drawn; pass --seed {used} to repeat)")
    done = f"wrote {n_rows:,} rows to {out}"
    info(ctx, done + (f" and the truth to {truth}" if truth is not None else ""))
