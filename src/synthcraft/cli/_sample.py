"""``synthcraft sample``: sample synthetic rows from a model file into a data file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from synthcraft.cli._common import (
    FormatOpt,
    OverwriteOpt,
    SeedOpt,
    TableOpt,
    WorkersOpt,
    info,
    parse_rows,
    progress_bar,
)
from synthcraft.cli._common import state as cli_state
from synthcraft.errors import UserInputError

__all__ = ["sample_command"]


ConditionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--condition",
        metavar="COL=VALUE",
        help="Fix COL to VALUE in every row, e.g. --condition sex=Female; repeat for several.",
        show_default=False,
    ),
]
SeedRowsOpt = Annotated[
    Path | None,
    typer.Option(
        "--seed-rows",
        metavar="FILE",
        help="Data file of conditions: one output row per seed row, its columns fixed to the "
        "row's values (empty cells are sampled). -n defaults to its row count.",
        show_default=False,
    ),
]
RebalanceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--rebalance",
        metavar="COL=VALUE:SHARE",
        help="Give VALUE of category column COL this share of the rows, e.g. "
        "--rebalance income=>50K:0.5; repeat for several. Other values share the rest in the "
        "model's proportions.",
        show_default=False,
    ),
]
TemperatureOpt = Annotated[
    float | None,
    typer.Option(
        "--temperature",
        metavar="T",
        help="Sampling temperature (models with one, e.g. argn): below 1 sharper, above 1 flatter.",
        show_default=False,
    ),
]


def sample_command(
    ctx: typer.Context,
    model: Annotated[
        Path, typer.Argument(help="A model file made by 'synthcraft fit'.", show_default=False)
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Output file; the extension picks the format (.csv, .parquet, .sqlite, ...).",
            show_default=False,
        ),
    ],
    rows: Annotated[
        str | None,
        typer.Option(
            "--rows",
            "-n",
            metavar="N",
            help="Rows to sample (at least 1), e.g. 1000, 1_000_000 or 1e6; required unless "
            "--seed-rows is given.",
            show_default=False,
        ),
    ] = None,
    seed: SeedOpt = None,
    workers: WorkersOpt = 1,
    table: TableOpt = None,
    format: FormatOpt = None,
    excel_safe: Annotated[
        bool,
        typer.Option(
            "--excel-safe", help="Escape text cells a spreadsheet would run as formulas (CSV)."
        ),
    ] = False,
    condition: ConditionOpt = None,
    seed_rows: SeedRowsOpt = None,
    rebalance: RebalanceOpt = None,
    temperature: TemperatureOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Sample synthetic rows from MODEL into a file (with a manifest next to it).

    Examples:

      synthcraft sample adult.synth -n 10000 -o synthetic.csv --seed 1

      synthcraft sample adult.synth -n 5000000 -o synthetic.parquet --workers 2

      synthcraft sample adult.synth -n 1000 -o synthetic.sqlite --table people

      synthcraft sample adult.synth -n 1000 -o women.csv --condition sex=Female --condition age=40

      synthcraft sample adult.synth -o matched.csv --seed-rows seeds.csv

      synthcraft sample adult.synth -n 10000 -o balanced.csv --rebalance "income=>50K:0.5"

      synthcraft sample adult.synth -n 10000 -o sharp.csv --temperature 0.8
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    seeds = api.read_data(seed_rows) if seed_rows is not None else None
    if seeds is not None and len(seeds) == 0:
        raise UserInputError(f"--seed-rows file {str(seed_rows)!r} has no rows; give at least one")
    if rows is not None:
        n_rows = parse_rows(rows)
        if seeds is not None and n_rows != len(seeds):
            raise UserInputError(
                f"-n {n_rows} differs from the {len(seeds)} rows of --seed-rows; leave -n out "
                "(one output row per seed row)"
            )
    elif seeds is not None:
        n_rows = len(seeds)
    else:
        raise UserInputError("missing option -n/--rows; pass e.g. -n 1000 (or --seed-rows FILE)")
    fixed: dict[str, Any] = {}
    balance = None
    if condition or rebalance:
        metadata = api.model_metadata(model)
        fixed = api.parse_conditions(condition or [], metadata)
        balance = api.parse_rebalances(rebalance or [], metadata) or None
    conditions = api.merge_conditions(fixed, seeds) if seeds is not None else fixed or None
    used = api.resolve_seed(seed)
    started = time.perf_counter()
    with progress_bar(ctx, "sampling") as progress:
        out = api.sample(
            model,
            n_rows,
            seed=used,
            output=output,
            workers=workers,
            overwrite=overwrite,
            table=table,
            format=format,
            excel_safe=excel_safe,
            conditions=conditions,
            temperature=temperature,
            rebalance=balance,
            progress=progress,
            command=cli_state(ctx).command,
        )
    seconds = time.perf_counter() - started
    rate = n_rows / seconds if seconds > 0 else float("inf")
    info(ctx, f"sampled in {seconds:.2f} s ({rate:,.0f} rows/s)", verbose_only=True)
    if seed is None:
        info(ctx, f"seed: {used} (drawn; pass --seed {used} to repeat)")
    info(ctx, f"wrote {n_rows:,} rows to {out} and {api.manifest_path(output, table)}")
