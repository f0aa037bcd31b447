"""The ``synthcraft`` command end to end: inspect, list, fit, sample, on small real files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import synthcraft
from synthcraft import storage
from synthcraft._rng import BLOCK_ROWS
from synthcraft.cli import app

SEED = 8128


def run(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def make_csv(path: Path, n_rows: int = 300, seed: int = SEED) -> Path:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n_rows)
    frame = pd.DataFrame(
        {
            "age": age,
            "income": np.round(age * 900 + rng.normal(0, 5_000, n_rows), 2),
            "segment": rng.choice(["retail", "pro", "gov"], n_rows, p=[0.5, 0.3, 0.2]),
            "member": rng.random(n_rows) < 0.4,
        }
    )
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("fitted")
    data = make_csv(folder / "people.csv")
    model = folder / "people.synth"
    result = run("fit", data, "-o", model, "--seed", SEED, "--param", "rare_category_k=2")
    assert result.exit_code == 0, result.output
    return data, model


def test_version_prints_the_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"synthcraft {synthcraft.__version__}"


def test_list_shows_models_and_pii_kinds() -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    assert "copula" in result.stdout
    assert "independent" in result.stdout
    assert "email" in result.stdout
    only = run("list", "models")
    assert "copula" in only.stdout
    assert "email" not in only.stdout


def test_inspect_prints_every_column_with_its_kind(tmp_path: Path) -> None:
    data = make_csv(tmp_path / "people.csv")
    md_out = tmp_path / "people.json"
    result = run("inspect", data, "--metadata-out", md_out)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for name, kind in [
        ("age", "integer"),
        ("income", "float"),
        ("segment", "categorical"),
        ("member", "boolean"),
    ]:
        assert any(name in line and kind in line for line in lines), (name, result.stdout)
    saved = json.loads(md_out.read_text(encoding="utf-8"))
    assert [c["name"] for c in saved["columns"]] == ["age", "income", "segment", "member"]


def test_inspect_a_model_file_shows_its_settings(fitted: tuple[Path, Path]) -> None:
    _, model = fitted
    result = run("inspect", model)
    assert result.exit_code == 0, result.output
    assert "copula" in result.stdout
    assert str(SEED) in result.stdout
    assert "rare_category_k" in result.stdout
    assert "income" in result.stdout


def test_fit_writes_model_and_manifest(fitted: tuple[Path, Path]) -> None:
    _, model = fitted
    manifest = json.loads(Path(f"{model}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == SEED
    assert manifest["model"] == "copula"
    assert manifest["rows"] == 300
    assert manifest["command"].startswith("synthcraft fit")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".sqlite"])
def test_sample_to_each_format_with_a_manifest(
    fitted: tuple[Path, Path], tmp_path: Path, suffix: str
) -> None:
    data, model = fitted
    out = tmp_path / f"synthetic{suffix}"
    extra = ["--table", "people"] if suffix == ".sqlite" else []
    result = run("sample", model, "-n", 250, "-o", out, "--seed", 3, *extra)
    assert result.exit_code == 0, result.output
    got = storage.read_table(out, table="people" if extra else None)
    real = storage.read_table(data)
    assert len(got) == 250
    assert list(got.columns) == list(real.columns)
    assert got.dtypes.to_dict() == real.dtypes.to_dict()
    name = f"{out.name}.people" if extra else out.name
    manifest = json.loads((tmp_path / f"{name}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == 250
    assert manifest["seed"] == 3
    assert manifest["model"] == "copula"
    assert manifest["versions"]["synthcraft"] == synthcraft.__version__
    if suffix == ".sqlite":
        with sqlite3.connect(out) as con:
            assert con.execute("select count(*) from people").fetchone() == (250,)


def test_same_seed_same_file_and_drawn_seed_is_printed(
    fitted: tuple[Path, Path], tmp_path: Path
) -> None:
    _, model = fitted
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("sample", model, "-n", 50, "-o", a, "--seed", 11).exit_code == 0
    assert run("sample", model, "-n", 50, "-o", b, "--seed", 11).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    drawn = run("sample", model, "-n", 5, "-o", tmp_path / "c.csv")
    assert drawn.exit_code == 0, drawn.output
    assert "drawn; pass --seed" in drawn.stderr
    seed = json.loads((tmp_path / "c.csv.manifest.json").read_text(encoding="utf-8"))["seed"]
    assert f"seed: {seed} " in drawn.stderr
    quiet = run("--quiet", "sample", model, "-n", 5, "-o", tmp_path / "d.csv")
    assert quiet.exit_code == 0
    assert quiet.stderr == ""


def test_two_workers_write_the_rows_of_one(fitted: tuple[Path, Path], tmp_path: Path) -> None:
    _, model = fitted
    n = BLOCK_ROWS + 100
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    first = run("sample", model, "-n", n, "-o", one, "--seed", 5)
    assert first.exit_code == 0, first.output
    result = run("sample", model, "-n", n, "-o", two, "--seed", 5, "--workers", 2)
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(storage.read_table(one), storage.read_table(two))


def test_progress_bars_on_a_terminal(fitted: tuple[Path, Path], tmp_path: Path) -> None:
    data, model = fitted
    runner = CliRunner()
    terminal = {"TTY_COMPATIBLE": "1", "COLUMNS": "100"}
    out = tmp_path / "t.csv"
    result = runner.invoke(app, ["sample", str(model), "-n", "70000", "-o", str(out)], env=terminal)
    assert result.exit_code == 0, result.output
    assert "sampling" in result.stderr
    assert "70000/70000" in result.stderr
    refit = runner.invoke(app, ["fit", str(data), "-o", str(tmp_path / "m.synth")], env=terminal)
    assert refit.exit_code == 0, refit.output
    assert "fitting" in refit.stderr
