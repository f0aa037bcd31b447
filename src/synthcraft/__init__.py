"""synthcraft: training data for machine learning.

Fit a model to a real table and sample a synthetic copy, declare data in a spec, simulate tasks
with known truth, and evaluate fidelity, utility and privacy against a real holdout.
"""

from synthcraft._version import __version__
from synthcraft.errors import (
    DataError,
    MetadataError,
    ModelFileError,
    NotFittedError,
    OutputExistsError,
    SynthcraftError,
    UnsupportedConditionError,
    UserInputError,
    ValidationError,
)
from synthcraft.metadata import Column, ColumnKind, Metadata

__all__ = [
    "Column",
    "ColumnKind",
    "DataError",
    "Metadata",
    "MetadataError",
    "ModelFileError",
    "NotFittedError",
    "OutputExistsError",
    "SynthcraftError",
    "UnsupportedConditionError",
    "UserInputError",
    "ValidationError",
    "__version__",
]
