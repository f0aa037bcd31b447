"""Atomic file writes that never overwrite without being asked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from synthcraft.errors import OutputExistsError, UserInputError

__all__ = ["atomic_path", "atomic_write_text", "check_output_path"]


def check_output_path(path: Path, *, overwrite: bool) -> Path:
    """Check that ``path`` may be written: its folder exists and it is absent or ``overwrite``."""
    path = Path(path)
    if path.is_dir():
        raise UserInputError(f"output {str(path)!r} is a folder; give a file name")
    if not path.parent.exists():
        raise UserInputError(f"output folder {str(path.parent)!r} does not exist; create it first")
    if path.exists() and not overwrite:
        raise OutputExistsError(
            f"output {str(path)!r} already exists; pass --overwrite (overwrite=True) to replace it"
        )
    return path


@contextlib.contextmanager
def atomic_path(path: Path, *, overwrite: bool) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    On any error the temporary file is removed and ``path`` is left as it was.
    """
    path = check_output_path(Path(path), overwrite=overwrite)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if path.exists() and not overwrite:  # appeared while we wrote
            raise OutputExistsError(
                f"output {str(path)!r} already exists; pass --overwrite to replace it"
            )
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_text(path: Path, text: str, *, overwrite: bool) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
