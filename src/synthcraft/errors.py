"""The one exception tree of synthcraft.

Every user-facing failure is a :class:`SynthcraftError` whose message says what happened and what
to do. The command line prints the message on one line and exits with status 2; any other
exception is a bug (exit status 1).
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "MetadataError",
    "MissingDependencyError",
    "ModelFileError",
    "NotFittedError",
    "OutputExistsError",
    "PrivacyFilterError",
    "ResourceError",
    "SpecError",
    "SynthcraftError",
    "UnsupportedConditionError",
    "UserInputError",
    "ValidationError",
]


class SynthcraftError(Exception):
    """Root of every error synthcraft raises on purpose."""


class UserInputError(SynthcraftError, ValueError):
    """An argument or setting given by the user is not valid."""


class DataError(SynthcraftError, ValueError):
    """A data file or table cannot be read or is not usable as given."""


class MetadataError(SynthcraftError, ValueError):
    """Metadata is malformed or does not fit the data."""


class ValidationError(MetadataError):
    """Data breaks its metadata; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = self.problems[0] if self.problems else "no problems"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        super().__init__(head + suffix)

    def __reduce__(self) -> tuple[type[ValidationError], tuple[list[str]]]:
        return (type(self), (self.problems,))


class OutputExistsError(SynthcraftError, FileExistsError):
    """The output path exists and overwriting was not asked for."""


class ModelFileError(SynthcraftError, ValueError):
    """A model file is missing, corrupt, unsafe or of an unsupported version."""


class NotFittedError(SynthcraftError, ValueError, AttributeError):
    """A synthesizer was used before ``fit``."""


class UnsupportedConditionError(SynthcraftError, ValueError):
    """A sampler was asked for a condition it cannot honour."""


class MissingDependencyError(SynthcraftError, ImportError):
    """An optional dependency (an extra) is not installed."""


class PrivacyFilterError(SynthcraftError, RuntimeError):
    """Rows still lay too close to training rows after the last round of the privacy filter."""


class ResourceError(SynthcraftError, MemoryError):
    """A job would need more memory than the machine has; the message says what to shrink."""


class SpecError(SynthcraftError, ValueError):
    """A spec (or scene config) has problems; ``problems`` lists each as ``"path: message"``.

    The message holds every problem on one line, separated by ``"; "``.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems) or ["the spec is not valid"]
        super().__init__("; ".join(self.problems))

    def __reduce__(self) -> tuple[type[SpecError], tuple[list[str]]]:
        return (type(self), (self.problems,))
