"""Metadata: column kinds, detection, validation and a JSON round trip."""

from synthcraft.metadata._model import (
    METADATA_VERSION,
    Column,
    ColumnKind,
    Metadata,
    Provenance,
    Scalar,
)

__all__ = [
    "METADATA_VERSION",
    "Column",
    "ColumnKind",
    "Metadata",
    "Provenance",
    "Scalar",
]
