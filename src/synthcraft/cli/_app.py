"""The ``synthcraft`` command: global options, verbs, and one error policy for all of them.

Every :class:`SynthcraftError` becomes one line on stderr (``error: <message>``) and exit status
2; usage errors (unknown option, ``-n abc``) too. Anything else is a bug: one line and exit status
1, with the traceback only under ``--verbose``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer import _click
from typer.core import TyperGroup

from synthcraft._version import __version__
from synthcraft.cli import _evaluate, _fit, _generate, _inspect, _list, _run, _sample, _task
from synthcraft.cli._common import CliState, error_line, shown_warnings, state
from synthcraft.errors import SynthcraftError

__all__ = ["app", "main"]

EXIT_BUG = 1
EXIT_USER = 2


class _Group(TyperGroup):
    """Runs a verb under the error and warning policy; prints usage errors as one line."""

    def invoke(self, ctx: _click.Context) -> Any:
        st = state(ctx)
        try:
            with shown_warnings(st):
                return super().invoke(ctx)
        except (_click.exceptions.ClickException, typer.Exit, typer.Abort, BrokenPipeError):
            raise
        except SynthcraftError as exc:
            typer.echo(error_line(exc), err=True)
            raise typer.Exit(EXIT_USER) from None
        except Exception as exc:
            if st.verbose:
                traceback.print_exc(file=sys.stderr)
            hint = "" if st.verbose else "; rerun with --verbose for the traceback"
            line = error_line(f"unexpected {type(exc).__name__}: {exc} (this is a bug{hint})")
            typer.echo(line, err=True)
            raise typer.Exit(EXIT_BUG) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        extra.setdefault("obj", CliState(argv=argv))
        try:
            code = super().main(
                argv,
                prog_name or "synthcraft",
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except _click.exceptions.NoArgsIsHelpError as exc:
            typer.echo(exc.format_message())
            code = 0
        except _click.exceptions.ClickException as exc:
            typer.echo(error_line(_usage_message(exc)), err=True)
            code = exc.exit_code if exc.exit_code else EXIT_USER
        except typer.Abort:
            typer.echo(error_line("aborted"), err=True)
            code = EXIT_BUG
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _usage_message(exc: _click.exceptions.ClickException) -> str:
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, _click.exceptions.UsageError) and ctx is not None:
        message = f"{message.rstrip('.')}; see '{ctx.command_path} --help'"
    return message


app = typer.Typer(
    cls=_Group,
    name="synthcraft",
    help="Training data for machine learning: fit a model to a real table and sample a "
    "synthetic copy, or declare the data in a spec and generate it.\n\nData goes to files; "
    "logs and progress go to stderr.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"synthcraft {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors on stderr: no logs, no progress.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="More detail, and tracebacks of bugs.")
    ] = False,
) -> None:
    """Training data for machine learning: fit a model to a real table and sample a copy."""
    st = state(ctx)
    st.quiet = quiet
    st.verbose = verbose and not quiet


app.command("inspect", no_args_is_help=True)(_inspect.inspect_command)
app.command("list")(_list.list_command)
app.command("fit", no_args_is_help=True)(_fit.fit_command)
app.command("sample", no_args_is_help=True)(_sample.sample_command)
app.command("run", no_args_is_help=True)(_run.run_command)
app.command("evaluate", no_args_is_help=True)(_evaluate.evaluate_command)
app.command("spec", no_args_is_help=True)(_generate.spec_command)
app.command("generate", no_args_is_help=True)(_generate.generate_command)
app.command("task", no_args_is_help=True)(_task.task_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``synthcraft`` console script."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="synthcraft")
    except BrokenPipeError:  # stdout closed early (``synthcraft generate --help | head``)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BUG)
