"""``synthcraft sample``: sample synthetic rows from a model file into a data file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

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

__all__ = ["sample_command"]


def sample_command(
    ctx: typer.Context,
    model: Annotated[
        Path, typer.Argument(help="A model file made by 'synthcraft fit'.", show_default=False)
    ],
    rows: Annotated[
        str,
        typer.Option(
            "--rows",
            "-n",
            metavar="N",
            help="Rows to sample (at least 1), e.g. 1000, 1_000_000 or 1e6.",
            show_default=False,
        ),
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
    overwrite: OverwriteOpt = False,
) -> None:
    """Sample synthetic rows from MODEL into a file (with a manifest next to it).

    Examples:

      synthcraft sample adult.synth -n 10000 -o synthetic.csv --seed 1

      synthcraft sample adult.synth -n 5000000 -o synthetic.parquet --workers 2

      synthcraft sample adult.synth -n 1000 -o synthetic.sqlite --table people
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    n_rows = parse_rows(rows)
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
            progress=progress,
            command=cli_state(ctx).command,
        )
    seconds = time.perf_counter() - started
    rate = n_rows / seconds if seconds > 0 else float("inf")
    info(ctx, f"sampled in {seconds:.2f} s ({rate:,.0f} rows/s)", verbose_only=True)
    if seed is None:
        info(ctx, f"seed: {used} (drawn; pass --seed {used} to repeat)")
    info(ctx, f"wrote {n_rows:,} rows to {out} and {api.manifest_path(output, table)}")
