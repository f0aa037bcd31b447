"""``synthcraft run``: split, fit, sample and evaluate in one step, into one folder."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from synthcraft.cli._common import (
    DataArg,
    MetadataOpt,
    ModelOpt,
    OverwriteOpt,
    ParamOpt,
    ParamsOpt,
    SeedOpt,
    SheetOpt,
    TableOpt,
    info,
    parse_rows,
    state,
)

__all__ = ["run_command"]

StageCallback = Callable[[str, int, int], None]


@contextlib.contextmanager
def _stages(ctx: typer.Context) -> Iterator[StageCallback]:
    """Report each stage on stderr: a line as it starts, and a bar when stderr is a terminal."""
    console = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    bar = None
    if not state(ctx).quiet and console.is_terminal:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        bar = Progress(*columns, TimeElapsedColumn(), console=console, transient=True)
    tasks: dict[str, TaskID] = {}
    started: set[str] = set()

    def update(stage: str, done: int, total: int) -> None:
        if stage not in started:
            started.add(stage)
            if bar is None:
                info(ctx, f"{stage} ...")
            else:
                bar.console.print(f"{stage} ...", markup=False)
        if bar is not None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.update(tasks[stage], completed=done, total=total or None)

    if bar is None:
        yield update
        return
    with bar:
        yield update


def run_command(
    ctx: typer.Context,
    data: DataArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Folder for the run's files (created if missing).",
            show_default=False,
        ),
    ],
    model: ModelOpt = "copula",
    param: ParamOpt = None,
    params: ParamsOpt = None,
    metadata: MetadataOpt = None,
    target: Annotated[
        str | None,
        typer.Option("--target", metavar="COL", help="Column to predict for the utility scores."),
    ] = None,
    holdout_fraction: Annotated[
        float,
        typer.Option(
            "--holdout-fraction",
            metavar="F",
            help="Share of rows held out (never seen by the model), between 0 and 1.",
        ),
    ] = 0.2,
    seed: SeedOpt = None,
    rows: Annotated[
        str | None,
        typer.Option(
            "--rows",
            "-n",
            metavar="N",
            help="Synthetic rows (default: as many as the training rows).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", metavar="W", help="Sampling processes; the rows do not depend on it."
        ),
    ] = 1,
    privacy_filter: Annotated[
        float | None,
        typer.Option(
            "--privacy-filter",
            metavar="Q",
            help="Replace synthetic rows closer to a training row than this share of holdout "
            "rows (e.g. 0.05) with fresh ones, before evaluating.",
            show_default=False,
        ),
    ] = None,
    table: TableOpt = None,
    sheet: SheetOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Hold out part of DATA, fit a model on the rest, sample it and evaluate the sample.

    Writes model.synth, synthetic.parquet, metadata.json, report.json, report.html and run.json
    into DIR, then prints a summary whose last line is the path of the HTML report.

    Examples:

      synthcraft run adult.csv -o demo-output --target income --seed 0

      synthcraft run shop.sqlite --table orders -o orders-run --model independent

      synthcraft run adult.csv -o demo-output --privacy-filter 0.05
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    settings = api.load_params(params) if params is not None else {}
    settings.update(api.parse_param_pairs(param or []))
    n_rows = parse_rows(rows) if rows is not None else None
    used = api.resolve_seed(seed)
    with _stages(ctx) as progress:
        result = api.run(
            data,
            output,
            model=model,
            params=settings,
            metadata=metadata,
            target=target,
            holdout_fraction=holdout_fraction,
            seed=used,
            n_rows=n_rows,
            table=table,
            sheet=sheet,
            overwrite=overwrite,
            workers=workers,
            privacy_filter=privacy_filter,
            progress=progress,
            command=state(ctx).command,
        )
    if seed is None:
        info(ctx, f"seed: {used} (drawn; pass --seed {used} to repeat)")
    typer.echo(result.to_text(), nl=False)
