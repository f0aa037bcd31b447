"""``synthcraft generate`` and ``synthcraft spec``: declared data from a spec, and a spec drafted
from a real table."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from synthcraft.cli._common import (
    DataArg,
    EncodingOpt,
    FormatOpt,
    MetadataOpt,
    OverwriteOpt,
    SeedOpt,
    SheetOpt,
    TableOpt,
    WorkersOpt,
    info,
    parse_rows,
    progress_bar,
)
from synthcraft.cli._common import state as cli_state
from synthcraft.errors import UserInputError

__all__ = ["generate_command", "parse_counts", "spec_command"]


def parse_counts(values: list[str] | None) -> int | dict[str, int] | None:
    """``-n 1000`` (every root table) or ``-n customers=1000 -n products=50`` (per table)."""
    if not values:
        return None
    plain = [v for v in values if "=" not in v]
    named = [v for v in values if "=" in v]
    if plain and (named or len(plain) > 1):
        raise UserInputError(
            "give -n once as a number, or once per table as TABLE=N (e.g. -n customers=1000)"
        )
    if plain:
        return parse_rows(plain[0])
    counts: dict[str, int] = {}
    for item in named:
        name, _, number = item.partition("=")
        name = name.strip()
        if not name or name in counts:
            raise UserInputError(
                f"-n {item!r}: name each table once, as TABLE=N (e.g. -n customers=1000)"
            )
        counts[name] = parse_rows(number)
    return counts


def generate_command(
    ctx: typer.Context,
    spec: Annotated[Path, typer.Argument(help="A spec file (YAML or JSON).", show_default=False)],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="One table: a data file (.csv, .parquet, ...). Several tables: a .sqlite or "
            ".duckdb file (keys declared in its schema) or a directory of one file per table.",
            show_default=False,
        ),
    ],
    rows: Annotated[
        list[str] | None,
        typer.Option(
            "--rows",
            "-n",
            metavar="N|TABLE=N",
            help="Rows: N, or TABLE=N per root table (repeatable). Child tables follow their "
            "cardinality. Default: the spec's 'rows'.",
            show_default=False,
        ),
    ] = None,
    seed: SeedOpt = None,
    workers: WorkersOpt = 1,
    truth: Annotated[
        Path | None,
        typer.Option(
            "--truth",
            metavar="FILE",
            help="Also write each formula and its partial derivatives to this JSON file.",
            show_default=False,
        ),
    ] = None,
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
    """Generate the data SPEC declares: distributions, formulas, fake PII, keys and relations.

    Examples:

      synthcraft generate examples/sensors.yaml -n 1000000 -o readings.parquet --seed 1

      synthcraft generate examples/shop.yaml -n customers=1000 -o shop.sqlite

      synthcraft generate examples/bank.yaml -o bank/ --format csv --truth truth.json
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    counts = parse_counts(rows)
    spec_obj = api.load_spec(spec)
    used = api.resolve_seed(seed if seed is not None else spec_obj.seed)
    started = time.perf_counter()
    with progress_bar(ctx, "generating") as progress:
        api.generate(
            spec_obj,
            counts,
            seed=used,
            output=output,
            workers=workers,
            overwrite=overwrite,
            format=format,
            table=table,
            excel_safe=excel_safe,
            truth=truth,
            progress=progress,
            command=cli_state(ctx).command,
        )
    seconds = time.perf_counter() - started
    info(ctx, f"generated in {seconds:.2f} s", verbose_only=True)
    if seed is None and spec_obj.seed is None:
        info(ctx, f"seed: {used} (drawn; pass --seed {used} to repeat)")
    info(ctx, f"wrote {output} and {api.manifest_path(output)}")
    if truth is not None:
        info(ctx, f"wrote the formulas' truth to {truth}")


def spec_command(
    ctx: typer.Context,
    data: DataArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Spec file to write (.yaml).",
            show_default=False,
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name", metavar="NAME", help="Table name in the spec (default: the file name)."
        ),
    ] = None,
    metadata: MetadataOpt = None,
    seed: SeedOpt = None,
    table: TableOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    format: FormatOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Draft an editable spec from the real table DATA.

    Each numeric column gets the scipy family that fits best (by AIC, with a goodness-of-fit
    test reported in comments); PII columns get fake-data generators (no real value is
    copied); keys, missing shares and rank correlations are recorded.

    Examples:

      synthcraft spec adult.csv -o adult.yaml

      synthcraft generate adult.yaml -n 10000 -o synthetic.parquet
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    if output.suffix.lower() not in {".yaml", ".yml"}:
        raise UserInputError(f"spec file {str(output)!r} should end in .yaml; e.g. spec.yaml")
    with progress_bar(ctx, "fitting families") as progress:
        result = api.draft_spec(
            data,
            output=output,
            metadata=metadata,
            name=name,
            seed=0 if seed is None else seed,
            overwrite=overwrite,
            table=table,
            sheet=sheet,
            encoding=encoding,
            format=format,
            progress=progress,
        )
    fitted = len({fit.column for fit in result.fits})
    info(ctx, f"drafted a spec ({fitted} columns fitted to a family); wrote {output}")
    info(ctx, f"next: synthcraft generate {output} -n 1000 -o synthetic.parquet")
