"""``synthcraft evaluate``: fidelity, utility and privacy of a synthetic table, as a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from synthcraft.cli._common import OverwriteOpt, SeedOpt, info, progress_bar

__all__ = ["evaluate_command"]


def evaluate_command(
    ctx: typer.Context,
    train: Annotated[
        Path,
        typer.Argument(
            help="The real rows the model was fitted on (a table file).", show_default=False
        ),
    ],
    synthetic: Annotated[
        Path, typer.Argument(help="The synthetic rows (a table file).", show_default=False)
    ],
    holdout: Annotated[
        Path | None,
        typer.Option(
            "--holdout",
            metavar="FILE",
            help="Real rows the model never saw: gives the ceiling, utility and privacy figures.",
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option("--target", metavar="COL", help="Column to predict for the utility scores."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE", help="Write the report as one HTML page."),
    ] = None,
    json: Annotated[
        Path | None,
        typer.Option("--json", metavar="FILE", help="Write the report as JSON."),
    ] = None,
    seed: SeedOpt = None,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            metavar="FILE.json",
            help="Column metadata JSON (default: detected from TRAIN).",
        ),
    ] = None,
    thresholds: Annotated[
        Path | None,
        typer.Option(
            "--thresholds",
            metavar="FILE.yaml",
            help="Pass / warn / fail rules (YAML or JSON); see docs/metrics.md.",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Evaluate SYNTHETIC against the real TRAIN rows and print the report.

    Examples:

      synthcraft evaluate train.csv synthetic.parquet --holdout holdout.csv --target income

      synthcraft evaluate train.csv synthetic.csv --html report.html --json report.json --seed 0
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    used = api.resolve_seed(seed)
    with progress_bar(ctx, "evaluating") as progress:
        report = api.evaluate(
            train,
            synthetic,
            holdout=holdout,
            target=target,
            metadata=metadata,
            seed=used,
            thresholds=thresholds,
            html=html,
            json=json,
            overwrite=overwrite,
            progress=progress,
        )
    if seed is None:
        info(ctx, f"seed: {used} (drawn; pass --seed {used} to repeat)")
    for path in (html, json):
        if path is not None:
            info(ctx, f"wrote the report to {path}")
    typer.echo(report.to_text(), nl=False)
