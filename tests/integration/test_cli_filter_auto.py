"""``synthcraft fit --model auto --time-budget`` and ``synthcraft run --privacy-filter``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from synthcraft.cli import app

SEED = 1618


def cli(*args: str | Path | int) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def make_csv(path: Path, n_rows: int = 300) -> Path:
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=n_rows)
    pd.DataFrame(
        {
            "x": np.round(x, 3),
            "y": np.round(2 * x + rng.normal(size=n_rows), 3),
            "c": rng.choice(["a", "b", "c"], n_rows),
        }
    ).to_csv(path, index=False)
    return path


def assert_one_line_error(result: Any, match: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = [s for s in result.stderr.strip().splitlines() if not s.endswith(" ...")]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    assert match.lower() in lines[0].lower(), lines[0]


def test_fit_auto_prints_the_choice_and_inspect_shows_it(tmp_path: Path) -> None:
    data = make_csv(tmp_path / "t.csv")
    out = tmp_path / "m.synth"
    result = cli("fit", data, "-o", out, "--model", "auto", "--time-budget", "30s", "--seed", 1)
    assert result.exit_code == 0, result.output
    assert "auto: chose " in result.stderr
    manifest = json.loads((tmp_path / "m.synth.manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"] in ("copula", "independent", "cart")
    shown = cli("inspect", out)
    assert shown.exit_code == 0, shown.output
    assert "auto" in shown.stdout
    assert manifest["model"] in shown.stdout


def test_fit_time_budget_errors_are_one_line(tmp_path: Path) -> None:
    data = make_csv(tmp_path / "t.csv", 50)
    out = tmp_path / "m.synth"
    assert_one_line_error(
        cli("fit", data, "-o", out, "--model", "auto", "--time-budget", "x"), "time budget"
    )
    assert_one_line_error(cli("fit", data, "-o", out, "--time-budget", "1m"), "time budget")
    assert_one_line_error(
        cli("fit", data, "-o", out, "--model", "auto", "--param", "rare_category_k=3"), "auto"
    )
    assert not out.exists()


def test_run_privacy_filter_prints_and_records_replacements(tmp_path: Path) -> None:
    data = make_csv(tmp_path / "t.csv")
    out = tmp_path / "run"
    result = cli("run", data, "-o", out, "--seed", SEED, "--privacy-filter", "0.05")
    assert result.exit_code == 0, result.output
    assert "filter ..." in result.stderr
    line = next(s for s in result.stdout.splitlines() if s.startswith("privacy filter:"))
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    f = info["privacy_filter"]
    assert f"replaced {f['replaced']:,} of {f['rows']:,}" in line
    assert info["options"]["privacy_filter"] == 0.05


def test_run_bad_privacy_filter_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    data = make_csv(tmp_path / "t.csv", 50)
    out = tmp_path / "run"
    assert_one_line_error(cli("run", data, "-o", out, "--privacy-filter", "1.5"), "quantile")
    assert not out.exists()
