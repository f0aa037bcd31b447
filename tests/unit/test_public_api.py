"""The public surface: a sorted ``__all__`` whose names all exist."""

from __future__ import annotations

import importlib

import pytest

import synthcraft

PUBLIC_MODULES = [
    "synthcraft",
    "synthcraft.errors",
    "synthcraft.metadata",
    "synthcraft.storage",
    "synthcraft.pii",
    "synthcraft.transforms",
    "synthcraft.synthesizers",
    "synthcraft.evaluation",
    "synthcraft.spec",
    "synthcraft.api",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported), f"{name}.__all__ is not sorted"
    assert len(set(exported)) == len(exported), f"{name}.__all__ has duplicates"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ names {attr!r}, which does not exist"


def test_version_is_a_string() -> None:
    assert isinstance(synthcraft.__version__, str)
    assert synthcraft.__version__[0].isdigit()


def test_errors_share_one_root() -> None:
    from synthcraft import errors

    for attr in errors.__all__:
        cls = getattr(errors, attr)
        assert issubclass(cls, errors.SynthcraftError)
