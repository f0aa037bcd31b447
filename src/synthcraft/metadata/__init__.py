"""Metadata: column kinds, detection, validation and a JSON round trip."""

from synthcraft.metadata._detect import detect
from synthcraft.metadata._model import (
    METADATA_VERSION,
    Column,
    ColumnKind,
    Metadata,
    Provenance,
    Scalar,
)
from synthcraft.metadata._summary import kind_summary
from synthcraft.metadata._validate import check, validate

__all__ = [
    "Column",
    "ColumnKind",
    "METADATA_VERSION",
    "Metadata",
    "Provenance",
    "Scalar",
    "check",
    "detect",
    "kind_summary",
    "validate",
]
