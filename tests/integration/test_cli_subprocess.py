"""The real command through a subprocess: ``python -m synthcraft``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import synthcraft

SEED = 99


def synthcraft_cmd(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "synthcraft", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_version_and_a_user_error_through_a_real_process(tmp_path: Path) -> None:
    done = synthcraft_cmd("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"synthcraft {synthcraft.__version__}"
    bad = synthcraft_cmd(
        "sample", tmp_path / "missing.synth", "-n", "0", "-o", "x.csv", cwd=tmp_path
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert bad.stderr.startswith("error: ")
    assert list(tmp_path.iterdir()) == []


def test_fit_then_sample_through_a_real_process(tmp_path: Path) -> None:
    rng = np.random.default_rng(SEED)
    pd.DataFrame({"a": rng.normal(size=60), "b": rng.choice(["x", "y"], 60)}).to_csv(
        tmp_path / "real.csv", index=False
    )
    fit = synthcraft_cmd("fit", "real.csv", "-o", "real.synth", "--seed", "1", cwd=tmp_path)
    assert fit.returncode == 0, fit.stderr
    assert fit.stdout == ""
    sample = synthcraft_cmd("sample", "real.synth", "-n", "40", "-o", "syn.csv", cwd=tmp_path)
    assert sample.returncode == 0, sample.stderr
    assert "drawn; pass --seed" in sample.stderr
    assert len(pd.read_csv(tmp_path / "syn.csv")) == 40
    assert (tmp_path / "syn.csv.manifest.json").is_file()
