"""Run manifests next to outputs; seeds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import synthcraft
from synthcraft.api import manifest_path, resolve_seed, write_manifest
from synthcraft.api._manifest import pending_manifest
from synthcraft.errors import OutputExistsError, UserInputError


def test_manifest_sits_next_to_the_output(tmp_path: Path) -> None:
    assert manifest_path(tmp_path / "out.csv") == tmp_path / "out.csv.manifest.json"
    assert manifest_path(tmp_path / "db.sqlite", "people") == (
        tmp_path / "db.sqlite.people.manifest.json"
    )


def test_manifest_records_versions_time_and_info(tmp_path: Path) -> None:
    path = write_manifest(tmp_path / "out.csv", {"seed": 7, "rows": 3}, command="synthcraft x")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["seed"] == 7
    assert data["rows"] == 3
    assert data["command"] == "synthcraft x"
    assert data["versions"]["synthcraft"] == synthcraft.__version__
    assert data["versions"]["numpy"] == np.__version__
    assert data["versions"]["pandas"] == pd.__version__
    assert data["created"].endswith("Z")


def test_manifest_is_not_overwritten_without_asking(tmp_path: Path) -> None:
    path = write_manifest(tmp_path / "out.csv", {"seed": 1})
    with pytest.raises(OutputExistsError):
        write_manifest(tmp_path / "out.csv", {"seed": 2})
    assert json.loads(path.read_text(encoding="utf-8"))["seed"] == 1
    write_manifest(tmp_path / "out.csv", {"seed": 2}, overwrite=True)
    assert json.loads(path.read_text(encoding="utf-8"))["seed"] == 2


def test_pending_manifest_is_written_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(ValueError, match="boom"), pending_manifest(out) as finish:
        raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []
    with pending_manifest(out) as finish:
        finish({"seed": 3}, None)
    assert json.loads(manifest_path(out).read_text(encoding="utf-8"))["seed"] == 3
    with pytest.raises(OutputExistsError), pending_manifest(out):
        pytest.fail("the body must not run when the manifest exists")


def test_seeds_are_checked_or_drawn() -> None:
    assert resolve_seed(np.int64(5)) == 5
    drawn = {resolve_seed(None) for _ in range(3)}
    assert len(drawn) == 3
    assert all(isinstance(s, int) and s >= 0 for s in drawn)
    for bad in (-1, 1.5, "3", True):
        with pytest.raises(UserInputError, match="seed"):
            resolve_seed(bad)
