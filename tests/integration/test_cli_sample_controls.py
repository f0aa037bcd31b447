"""``synthcraft sample`` controls: --condition, --seed-rows, --rebalance and --temperature."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from synthcraft import api, storage
from synthcraft.cli import app

SEED = 5150  # module-scoped fixtures cannot use the function-scoped ``seed`` fixture


def run(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_line_error(result: object, match: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert match.lower() in lines[0].lower(), lines[0]
    assert "Traceback" not in result.output


def manifest(path: Path) -> dict[str, object]:
    loaded = json.loads(api.manifest_path(path).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("controls")
    rng = np.random.default_rng(SEED)
    n_rows = 300
    age = rng.integers(18, 80, n_rows)
    data = folder / "people.csv"
    pd.DataFrame(
        {
            "age": age,
            "k": rng.choice(["a", "b", "c"], n_rows, p=[0.6, 0.3, 0.1]),
            "member": rng.random(n_rows) < 0.3,
            "income": np.where(age + rng.normal(0, 10, n_rows) > 60, ">50K", "<=50K"),
        }
    ).to_csv(data, index=False)
    argn = folder / "argn.synth"
    fit = ("fit", data, "--seed", SEED)
    params = ("--param", "max_epochs=2", "--param", "hidden=16")
    result = run(*fit, "-o", argn, "--model", "argn", *params)
    assert result.exit_code == 0, result.output
    independent = folder / "independent.synth"
    result = run(*fit, "-o", independent, "--model", "independent")
    assert result.exit_code == 0, result.output
    return argn, independent


@pytest.fixture
def argn(models: tuple[Path, Path]) -> Path:
    return models[0]


def test_condition_fixes_columns(argn: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.csv"
    result = run(
        "sample", argn, "-n", 60, "-o", out, "--seed", 1, "--condition", "k=c",
        "--condition", "age=40",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = storage.read_table(out)
    assert len(rows) == 60
    assert (rows["k"] == "c").all()
    assert (rows["age"] == 40).all()
    assert manifest(out)["conditions"] == {"k": "c", "age": 40}


def test_seed_rows_give_one_output_row_each(argn: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("k,age\na,30\nb,\n,70\nc,55\n", encoding="utf-8")
    out = tmp_path / "matched.parquet"
    result = run(
        "sample", argn, "-o", out, "--seed", 2, "--seed-rows", seeds, "--condition", "member=yes"
    )
    assert result.exit_code == 0, result.output
    rows = storage.read_table(out)
    assert len(rows) == 4
    assert rows["k"].tolist()[::3] == ["a", "c"]
    assert rows["k"][1] == "b"
    assert rows["age"].tolist()[:1] + rows["age"].tolist()[2:] == [30, 70, 55]
    assert rows["member"].all()
    same = tmp_path / "same.parquet"
    again = run("sample", argn, "-o", same, "--seed", 2, "--seed-rows", seeds, "-n", 4,
                "--condition", "member=yes")  # fmt: skip
    assert again.exit_code == 0, again.output
    pd.testing.assert_frame_equal(storage.read_table(same), rows)


def test_rebalance_sets_the_share(argn: Path, tmp_path: Path) -> None:
    out = tmp_path / "balanced.csv"
    result = run(
        "sample", argn, "-n", 3000, "-o", out, "--seed", 3, "--rebalance", "income=>50K:0.5"
    )
    assert result.exit_code == 0, result.output
    rows = storage.read_table(out)
    assert abs((rows["income"] == ">50K").mean() - 0.5) < 0.05
    assert manifest(out)["rebalance"] == {"income": {">50K": 0.5}}


def test_temperature_leaves_the_model_file_alone(argn: Path, tmp_path: Path) -> None:
    before = argn.read_bytes()
    plain, cold = tmp_path / "plain.csv", tmp_path / "cold.csv"
    assert run("sample", argn, "-n", 300, "-o", plain, "--seed", 4).exit_code == 0
    result = run("sample", argn, "-n", 300, "-o", cold, "--seed", 4, "--temperature", 0.3)
    assert result.exit_code == 0, result.output
    assert argn.read_bytes() == before
    assert not storage.read_table(cold).equals(storage.read_table(plain))
    assert manifest(cold)["temperature"] == 0.3


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((), "missing option -n/--rows"),
        (("-n", 5, "--condition", "height=3"), "unknown column 'height'"),
        (("-n", 5, "--condition", "k=z"), "use one of: a, b, c"),
        (("-n", 5, "--condition", "k"), "COL=VALUE"),
        (("-n", 5, "--condition", "age=old"), "whole number"),
        (("-n", 5, "--rebalance", "age=40:0.5"), "only category and boolean"),
        (("-n", 5, "--rebalance", "k=a:1.5"), "(0, 1]"),
        (("-n", 5, "--rebalance", "k=a:0.6", "--rebalance", "k=b:0.6"), "at most 1"),
        (("-n", 5, "--rebalance", "k=a:0.5", "--condition", "k=b"), "both"),
        (("-n", 5, "--temperature", 0), "temperature"),
        (("-n", 5, "--temperature", "warm"), "--temperature"),
        (("--seed-rows", "missing.csv"), "missing.csv"),
    ],
)
def test_bad_controls_fail_cleanly(
    argn: Path, tmp_path: Path, args: tuple[str | int, ...], match: str
) -> None:
    out = tmp_path / "out.csv"
    fixed = [str(tmp_path / a) if a == "missing.csv" else str(a) for a in args]
    assert_one_line_error(run("sample", argn, "-o", out, "--seed", 1, *fixed), match)
    assert list(tmp_path.iterdir()) == []


def test_seed_rows_errors(argn: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("k,age\na,30\nb,40\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    base = ("sample", argn, "-o", out, "--seed-rows", seeds)
    assert_one_line_error(run(*base, "-n", 3), "differs from the 2 rows")
    assert_one_line_error(run(*base, "--rebalance", "k=a:0.5"), "both conditioned and rebalanced")
    assert_one_line_error(run(*base, "--condition", "k=a"), "both")
    empty = tmp_path / "empty.csv"
    empty.write_text("k,age\n", encoding="utf-8")
    assert_one_line_error(run("sample", argn, "-o", out, "--seed-rows", empty), "no rows")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.csv", "seeds.csv"]


def test_temperature_needs_a_model_with_one(models: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run("sample", models[1], "-n", 5, "-o", out, "--temperature", 0.5)
    assert_one_line_error(result, "models that have one: argn")
    assert list(tmp_path.iterdir()) == []
