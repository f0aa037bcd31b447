"""The ``synthcraft`` command line: parses, calls :mod:`synthcraft.api`, prints.

Run ``synthcraft --help`` for the verbs; ``docs/cli.md`` has examples.
"""

from synthcraft.cli._app import app, main

__all__ = ["app", "main"]
