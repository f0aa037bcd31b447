"""``synthcraft task`` and ``synthcraft list tasks``: rows and truth files, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner, Result

from synthcraft.cli import app


def _run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_classification_rows_and_truth(tmp_path: Path) -> None:
    out, truth = tmp_path / "data.parquet", tmp_path / "truth.json"
    result = _run(
        "task", "classification", "-n", 20_000, "--separation", 1.5, "--imbalance", 0.1,
        "--label-noise", 0.02, "-o", out, "--truth", truth, "--seed", 3,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert len(frame) == 20_000
    assert 0.07 < float((frame["y"] == 1).mean()) < 0.13
    facts = json.loads(truth.read_text())
    assert set(facts["roles"]) == set(frame.columns) - {"y"}
    assert facts["label_noise"] == 0.02
    again = tmp_path / "again.parquet"
    _run("task", "classification", "-n", 20_000, "--separation", 1.5, "--imbalance", 0.1,
         "--label-noise", 0.02, "-o", again, "--seed", 3)  # fmt: skip
    pd.testing.assert_frame_equal(frame, pd.read_parquet(again))


def test_regression_to_csv(tmp_path: Path) -> None:
    out = tmp_path / "reg.csv"
    result = _run("task", "regression", "-n", 500, "--shape", "friedman1", "-o", out, "--seed", 1)
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 500


def test_errors_exit_2_and_write_nothing(tmp_path: Path) -> None:
    out, truth = tmp_path / "d.csv", tmp_path / "t.json"
    bad = _run("task", "nope", "-n", 10, "-o", out)
    assert bad.exit_code == 2
    assert "unknown task 'nope'" in bad.output
    wrong = _run("task", "regression", "-n", 10, "--separation", 2, "-o", out)
    assert wrong.exit_code == 2
    assert "no setting 'separation'" in wrong.output
    out.write_text("keep me\n")
    refused = _run("task", "regression", "-n", 10, "-o", out, "--truth", truth, "--seed", 1)
    assert refused.exit_code == 2
    assert out.read_text() == "keep me\n"
    assert not truth.exists()


def test_list_tasks() -> None:
    result = _run("list", "tasks")
    assert result.exit_code == 0
    assert "classification" in result.output
    assert "regression" in result.output
