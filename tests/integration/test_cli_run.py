"""``synthcraft run`` and ``synthcraft evaluate`` end to end, on small real files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from synthcraft import api, storage
from synthcraft.cli import app

SEED = 1729
FILES = ["metadata.json", "model.synth", "report.html", "report.json", "run.json"]
FILES = sorted([*FILES, "synthetic.parquet"])


def cli(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def make_csv(path: Path, n_rows: int = 250, seed: int = SEED) -> Path:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n_rows)
    income = np.round(age * 900 + rng.normal(0, 6_000, n_rows), 2)
    pd.DataFrame(
        {
            "age": age,
            "income": income,
            "segment": rng.choice(["retail", "pro", "gov"], n_rows, p=[0.5, 0.3, 0.2]),
            "member": rng.random(n_rows) < 0.4,
            "label": np.where(income > 45_000, "high", "low"),
        }
    ).to_csv(path, index=False)
    return path


def assert_one_line_error(result: object, match: str) -> None:
    """Exit 2 and one error line, after any stage lines (``split ...``)."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = [s for s in result.stderr.strip().splitlines() if not s.endswith(" ...")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert match.lower() in lines[0].lower(), lines[0]


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    folder = tmp_path_factory.mktemp("cli-run")
    data = make_csv(folder / "people.csv")
    out = folder / "demo-output"
    result = cli("run", data, "-o", out, "--target", "label", "--seed", SEED)
    assert result.exit_code == 0, result.output
    return data, out, result


def test_run_prints_stages_and_a_summary_ending_with_the_report(
    ran: tuple[Path, Path, object],
) -> None:
    _, out, result = ran
    assert sorted(p.name for p in out.iterdir()) == FILES
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == f"report: {out / 'report.html'}"
    assert lines[0].startswith("run: copula fitted on 200 training rows (50 held out)")
    assert lines[1].startswith("timings: split ")
    assert lines[2].startswith("synthetic rows equal to a training row: ")
    assert "; holdout rows equal to a training row: " in lines[2]
    assert any(line.startswith("checks: ") for line in lines)
    stages = [line for line in result.stderr.splitlines() if line.endswith(" ...")]
    assert stages == ["split ...", "fit ...", "sample ...", "evaluate ..."]
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["seed"] == SEED
    assert info["command"].startswith("synthcraft run ")
    assert info["options"]["target"] == "label"
    assert len(storage.read_table(out / "synthetic.parquet")) == 200


def test_run_refuses_an_existing_run_then_overwrites_it(
    ran: tuple[Path, Path, object], tmp_path: Path
) -> None:
    data, out, _ = ran
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = cli("run", data, "-o", out, "--seed", SEED)
    assert_one_line_error(result, "--overwrite")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    other = tmp_path / "other"
    result = cli("run", data, "-o", other, "-n", "120", "--model", "independent", "--seed", "3")
    assert result.exit_code == 0, result.output
    result = cli("-q", "run", data, "-o", other, "-n", "90", "--overwrite", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert len(storage.read_table(other / "synthetic.parquet")) == 90
    assert json.loads((other / "run.json").read_text(encoding="utf-8"))["model"] == "copula"


def test_evaluate_prints_the_text_report_and_writes_files(
    ran: tuple[Path, Path, object], tmp_path: Path
) -> None:
    data, out, _ = ran
    seeds = json.loads((out / "run.json").read_text(encoding="utf-8"))["seeds"]
    train, holdout = api.split_holdout(storage.read_table(data), 0.2, seed=seeds["split"])
    storage.write_table(train, tmp_path / "train.csv")
    storage.write_table(holdout, tmp_path / "holdout.parquet")
    html, report_json = tmp_path / "r.html", tmp_path / "r.json"
    result = cli(
        "evaluate",
        tmp_path / "train.csv",
        out / "synthetic.parquet",
        "--holdout",
        tmp_path / "holdout.parquet",
        "--target",
        "label",
        "--seed",
        seeds["evaluate"],
        "--html",
        html,
        "--json",
        report_json,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("synthcraft evaluation report\n")
    assert "Privacy" in result.stdout
    assert "exact_copies" in result.stdout
    saved = json.loads(report_json.read_text(encoding="utf-8"))
    from_run = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert saved["metrics"]["exact_copies"] == from_run["metrics"]["exact_copies"]
    assert "<html" in html.read_text(encoding="utf-8")
    again = cli(
        "evaluate", tmp_path / "train.csv", out / "synthetic.parquet", "--json", report_json
    )
    assert_one_line_error(again, "--overwrite")


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--target", "nope"], "name one of its columns: age, income"),
        (["--holdout-fraction", "0"], "holdout fraction"),
        (["--holdout-fraction", "1"], "holdout fraction"),
        (["--holdout-fraction", "1.5"], "holdout fraction"),
        (["--holdout-fraction", "x"], "--holdout-fraction"),
        (["-n", "lots"], "-n must be a whole number"),
        (["--param", "seed=3"], "--seed"),
    ],
)
def test_run_bad_options(tmp_path: Path, args: list[str], match: str) -> None:
    data = make_csv(tmp_path / "small.csv", n_rows=40)
    assert_one_line_error(cli("run", data, "-o", tmp_path / "out", *args), match)
    assert not (tmp_path / "out").exists()


def test_run_and_evaluate_bad_files(tmp_path: Path) -> None:
    tiny = make_csv(tmp_path / "tiny.csv", n_rows=6)
    assert_one_line_error(cli("run", tiny, "-o", tmp_path / "out"), "too few")
    assert_one_line_error(cli("run", tmp_path / "no.csv", "-o", tmp_path / "out"), "does not exist")
    assert not (tmp_path / "out").exists()
    result = cli("evaluate", tmp_path / "no.csv", tiny)
    assert_one_line_error(result, "does not exist")
    assert_one_line_error(cli("evaluate", tiny, tiny, "--target", "nope"), "'nope'")
