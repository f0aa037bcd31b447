"""``synthcraft list``: the models and the fake-PII kinds on offer."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from synthcraft.cli._common import print_table

__all__ = ["list_command"]


class What(StrEnum):
    """What ``synthcraft list`` can list."""

    models = "models"
    pii = "pii"
    tasks = "tasks"


def list_command(
    what: Annotated[
        What | None,
        typer.Argument(
            help="What to list: models, pii or tasks (default: all).", show_default=False
        ),
    ] = None,
) -> None:
    """List the models you can fit, the fake-PII kinds and the simulated tasks.

    Examples:

      synthcraft list

      synthcraft list models
    """
    from synthcraft import api  # imported here: --help and --version stay fast

    if what in (None, What.models):
        print_table("models (fit --model NAME)", api.list_models(), ("name", "description"))
    if what in (None, What.pii):
        from synthcraft.pii import LOCALES

        title = f"PII kinds (spec: pii: NAME); locales: {', '.join(LOCALES)}"
        print_table(title, api.list_pii_kinds(), ("name", "description"))
    if what in (None, What.tasks):
        print_table("tasks (synthcraft task NAME)", api.list_tasks(), ("name", "description"))
