"""What every verb shares: global options, messages on stderr, progress bars, tables."""

from __future__ import annotations

import contextlib
import shlex
import sys
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from typer import _click

from synthcraft._types import ProgressCallback
from synthcraft.errors import UserInputError

__all__ = [
    "CliState",
    "EncodingOpt",
    "FormatOpt",
    "OverwriteOpt",
    "SeedOpt",
    "SheetOpt",
    "TableOpt",
    "error_line",
    "info",
    "parse_rows",
    "print_table",
    "progress_bar",
    "shown_warnings",
    "state",
]


@dataclass
class CliState:
    """Global options and the command line, shared by the verbs through the click context."""

    argv: list[str] = field(default_factory=list)
    quiet: bool = False
    verbose: bool = False

    @property
    def command(self) -> str:
        """The command line as typed, for manifests."""
        return shlex.join(["synthcraft", *self.argv])


def state(ctx: _click.Context) -> CliState:
    """The :class:`CliState` of this run (created if the app was called without one)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def _stderr_console() -> Console:
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def error_line(message: object) -> str:
    """``error: <message>`` on one line."""
    text = " ".join(str(message).split())
    return f"error: {text}"


def info(ctx: typer.Context, message: str, *, verbose_only: bool = False) -> None:
    """A log line on stderr, hidden with ``--quiet`` (and without ``--verbose`` if asked)."""
    st = state(ctx)
    if st.quiet or (verbose_only and not st.verbose):
        return
    typer.echo(message, err=True)


def parse_rows(text: str) -> int:
    """A row count from the command line: ``1000``, ``1_000`` or ``1e6``; checked by the API."""
    value = text.strip()
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number.is_integer():
        return int(number)
    raise UserInputError(f"-n must be a whole number of rows, got {text!r}; pass e.g. -n 1000")


@contextlib.contextmanager
def shown_warnings(st: CliState) -> Iterator[None]:
    """Collect Python warnings raised inside; print each once as ``warning: ...`` on stderr.

    Printed at the end (before any error line), unless ``--quiet`` was given.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            if not st.quiet:
                seen: set[str] = set()
                for w in caught:
                    text = " ".join(str(w.message).split())
                    if text not in seen:
                        seen.add(text)
                        typer.echo(f"warning: {text}", err=True)


@contextlib.contextmanager
def progress_bar(ctx: typer.Context, label: str) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr, or None with ``--quiet`` or when stderr is not a terminal."""
    console = _stderr_console()
    if state(ctx).quiet or not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, metrics: Mapping[str, float] | None = None) -> None:
            shown = [f"{k} {v:.4g}" for k, v in (metrics or {}).items() if v == v]
            label_now = f"{label} ({', '.join(shown)})" if shown else label
            bar.update(task, completed=done, total=total, description=label_now)

        yield update


def print_table(title: str | None, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Print ``rows`` as a table on stdout; cells fold rather than being cut."""
    console = Console(highlight=False)
    table = Table(title=title, title_justify="left", show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(col)) for col in columns))
    console.print(table)


def _cell(value: Any) -> str:
    from rich.markup import escape

    return escape("" if value is None else str(value))


TableOpt = Annotated[
    str | None,
    typer.Option(
        "--table", metavar="NAME", help="Table name inside a database file (SQLite, DuckDB)."
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", metavar="NAME", help="Sheet of an Excel workbook (default: the first)."
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding", metavar="NAME", help="Text encoding of a CSV file (default: detected)."
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="NAME",
        help="File format when the extension does not say it: csv, tsv, parquet, jsonl, "
        "excel, sqlite, duckdb.",
    ),
]
OverwriteOpt = Annotated[bool, typer.Option("--overwrite", help="Replace existing output files.")]
SeedOpt = Annotated[
    int | None,
    typer.Option(
        "--seed", metavar="S", help="Seed for a repeatable run; drawn and printed when left out."
    ),
]
DataArg = Annotated[
    Path,
    typer.Argument(
        help="The real table: CSV, Parquet, JSONL, Excel, SQLite or DuckDB file.",
        show_default=False,
    ),
]
ModelOpt = Annotated[
    str,
    typer.Option("--model", metavar="NAME", help="Model name; see 'synthcraft list models'."),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        metavar="KEY=VALUE",
        help="Model setting KEY=VALUE; repeat for several (wins over --params).",
        show_default=False,
    ),
]
ParamsOpt = Annotated[
    Path | None,
    typer.Option(
        "--params", metavar="FILE.yaml", help="Model settings from a YAML (or JSON) file."
    ),
]
MetadataOpt = Annotated[
    Path | None,
    typer.Option(
        "--metadata",
        metavar="FILE.json",
        help="Column metadata JSON (from 'inspect --metadata-out').",
    ),
]
WorkersOpt = Annotated[
    int,
    typer.Option("--workers", metavar="W", help="Worker processes; the rows do not depend on it."),
]
