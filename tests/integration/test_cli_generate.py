"""``synthcraft generate`` and ``synthcraft spec`` end to end, with their bad-input errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from synthcraft import pii
from synthcraft.cli import app
from synthcraft.storage import read_table

SPEC = """\
spec_version: "1.0"
tables:
  people:
    rows: 500
    columns:
      person_id: {type: id}
      age: {distribution: "normal(40, 10)", truncate: [18, 90], type: integer}
      income: {formula: "1200 + 45*age + normal(0, 300)", decimals: 2}
      segment: {categories: {a: 0.7, b: 0.3}}
"""


def run(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_line_error(result: object, match: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert match in lines[0], lines[0]
    assert "Traceback" not in result.output


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "people.yaml"
    path.write_text(SPEC)
    return path


def test_generate_writes_rows_manifest_and_truth(spec_file: Path, tmp_path: Path) -> None:
    out, truth = tmp_path / "people.parquet", tmp_path / "truth.json"
    result = run("generate", spec_file, "-n", "2000", "-o", out, "--seed", "3", "--truth", truth)
    assert result.exit_code == 0, result.output
    frame = read_table(out)
    assert len(frame) == 2000
    assert frame["person_id"].is_unique
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["seed"] == 3
    assert manifest["rows"] == {"people": 2000}
    facts = json.loads(truth.read_text())
    assert facts["tables"]["people"]["income"]["derivatives"]["age"] == "45"
    again = tmp_path / "again.parquet"
    assert run("generate", spec_file, "-n", "2000", "-o", again, "--seed", "3").exit_code == 0
    pd.testing.assert_frame_equal(frame, read_table(again))


def test_generate_uses_the_spec_rows_and_draws_a_seed(spec_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.csv"
    result = run("generate", spec_file, "-o", out)
    assert result.exit_code == 0, result.output
    assert "seed:" in result.stderr
    assert len(read_table(out)) == 500


def test_generate_refuses_existing_output(spec_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.csv"
    out.write_text("keep me\n")
    assert_one_line_error(run("generate", spec_file, "-o", out, "--seed", "1"), "--overwrite")
    assert out.read_text() == "keep me\n"


def test_generate_reports_every_problem_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'spec_version: "1.0"\ntables:\n  users:\n    columns:\n'
        "      age: {distribution: {family: normal, loc: 40, scale: -1}}\n"
        "      score: {formula: \"__import__('os').system('true')\"}\n"
    )
    result = run("generate", bad, "-n", "10", "-o", tmp_path / "out.csv")
    assert_one_line_error(result, "tables.users.columns.age.distribution.scale")
    assert "tables.users.columns.score" in result.stderr
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize(
    ("rows", "match"),
    [(["abc"], "whole number"), (["5", "7"], "once"), (["x=5"], "'x'")],
)
def test_generate_row_count_errors(
    spec_file: Path, tmp_path: Path, rows: list[str], match: str
) -> None:
    counts = [part for value in rows for part in ("-n", value)]
    result = run("generate", spec_file, *counts, "-o", tmp_path / "o.csv")
    assert_one_line_error(result, match)
    assert not (tmp_path / "o.csv").exists()


def test_spec_drafts_a_spec_that_generates_without_copying_pii(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    n = 400
    x = rng.normal(50, 10, n)
    data = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "email": pii.generate("email", n, 8),
            "x": x.round(2),
            "y": (2 * x + rng.normal(0, 5, n)).round(2),
            "colour": rng.choice(["red", "green", "blue"], n, p=[0.5, 0.3, 0.2]),
        }
    )
    source = tmp_path / "real.csv"
    data.to_csv(source, index=False)
    spec = tmp_path / "real.yaml"
    result = run("spec", source, "-o", spec)
    assert result.exit_code == 0, result.output
    text = spec.read_text()
    assert not any(email in text for email in data["email"])
    assert "AIC" in text
    mapping = yaml.safe_load(text)
    assert "real" in mapping["tables"]
    out = tmp_path / "synthetic.parquet"
    assert run("generate", spec, "-n", "1000", "-o", out, "--seed", "1").exit_code == 0
    synthetic = read_table(out)
    assert set(synthetic.columns) >= {"email", "x", "y", "colour"}
    assert pii.validate("email", synthetic["email"].to_numpy(object)).all()
    rho = synthetic[["x", "y"]].corr(method="spearman").iloc[0, 1]
    assert rho > 0.8


def test_spec_refuses_a_non_yaml_output(tmp_path: Path) -> None:
    source = tmp_path / "real.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0]}).to_csv(source, index=False)
    assert_one_line_error(run("spec", source, "-o", tmp_path / "spec.json"), ".yaml")
