"""synthcraft: training data for machine learning.

Fit a model to a real table and sample a synthetic copy, declare data in a spec, simulate tasks
with known truth, and evaluate fidelity, utility and privacy against a real holdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthcraft._version import __version__
from synthcraft.errors import (
    DataError,
    MetadataError,
    ModelFileError,
    NotFittedError,
    OutputExistsError,
    SpecError,
    SynthcraftError,
    UnsupportedConditionError,
    UserInputError,
    ValidationError,
)
from synthcraft.metadata import Column, ColumnKind, Metadata

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from synthcraft.spec import Spec

__all__ = [
    "Column",
    "ColumnKind",
    "DataError",
    "Metadata",
    "MetadataError",
    "ModelFileError",
    "NotFittedError",
    "OutputExistsError",
    "SpecError",
    "SynthcraftError",
    "UnsupportedConditionError",
    "UserInputError",
    "ValidationError",
    "__version__",
    "generate",
]


def generate(
    spec: Spec | Mapping[str, Any] | str | Path,
    n: int | Mapping[str, int] | None = None,
    *,
    seed: int | None = None,
    **options: Any,
) -> pd.DataFrame | dict[str, pd.DataFrame] | Path:
    """Generate the data a spec declares (see :func:`synthcraft.api.generate` for ``options``).

    Examples
    --------
    >>> import synthcraft
    >>> frame = synthcraft.generate({"spec_version": "1.0", "tables": {"t": {"columns": {
    ...     "x": {"distribution": "normal(0, 1)"}}}}}, 3, seed=0)
    >>> frame.shape
    (3, 1)
    """
    from synthcraft import api  # imported here: `import synthcraft` stays light

    return api.generate(spec, n, seed=seed, **options)
