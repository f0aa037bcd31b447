"""``synthcraft fit``: fit a model to a table and save it as a ``.synth`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from synthcraft.cli._common import (
    DataArg,
    EncodingOpt,
    FormatOpt,
    MetadataOpt,
    ModelOpt,
    OverwriteOpt,
    ParamOpt,
    ParamsOpt,
    SeedOpt,
    SheetOpt,
    TableOpt,
    info,
    progress_bar,
    state,
)

__all__ = ["fit_command"]


def fit_command(
    ctx: typer.Context,
    data: DataArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Model file to write (.synth).",
            show_default=False,
        ),
    ],
    model: ModelOpt = "copula",
    param: ParamOpt = None,
    params: ParamsOpt = None,
    metadata: MetadataOpt = None,
    seed: SeedOpt = None,
    time_budget: Annotated[
        str | None,
        typer.Option(
            "--time-budget",
            metavar="DURATION",
            help="Time to fit in: 90s, 2m, 1h or seconds; for --model auto, the time to choose "
            "and fit (default 60 s); passed to models with a time_budget setting.",
            show_default=False,
        ),
    ] = None,
    table: TableOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    format: FormatOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Fit a model to DATA and save it to a .synth file (with a manifest next to it).

    --model auto chooses a model from the table's size and shape and --time-budget, prints the
    choice and why, and records both in the model file.

    Examples:

      synthcraft fit adult.csv -o adult.synth

      synthcraft fit adult.csv -o adult.synth --model independent --seed 7

      synthcraft fit shop.sqlite --table orders -o orders.synth --param rare_category_k=10

      synthcraft fit adult.csv -o adult.synth --model auto --time-budget 2m
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    settings = api.load_params(params) if params is not None else {}
    settings.update(api.parse_param_pairs(param or []))
    with progress_bar(ctx, "fitting") as progress:
        synth = api.fit(
            data,
            model=model,
            params=settings,
            metadata=metadata,
            table=table,
            sheet=sheet,
            encoding=encoding,
            format=format,
            progress=progress,
            seed=seed,
            time_budget=time_budget,
            output=output,
            overwrite=overwrite,
            command=state(ctx).command,
        )
    summary = synth.training_summary_
    auto = summary.get("auto")
    if isinstance(auto, dict):
        info(ctx, f"auto: chose {auto['chosen']}: {auto['reason']}")
        for row in auto.get("candidates", []):
            scores = ", ".join(
                f"{k} {row[k]}" for k in ("detection_auc", "pair_trends", "shapes") if k in row
            )
            info(ctx, f"  candidate {row['name']}: {scores or row.get('error')}")
    info(
        ctx,
        f"fitted {api.model_name(synth)} on {summary.get('rows')} rows x "
        f"{summary.get('columns')} columns in {summary.get('seconds', 0.0):.2f} s",
        verbose_only=True,
    )
    if seed is None:
        used = synth.fit_seed_
        info(ctx, f"fit seed: {used} (drawn; pass --seed {used} to repeat)")
    info(ctx, f"wrote model to {output} and {api.manifest_path(output)}")
