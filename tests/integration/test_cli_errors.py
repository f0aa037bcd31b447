"""Bad input on the command line: one line on stderr, exit status 2, no partial output."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from synthcraft.cli import app

SEED = 4242


def run(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_line_error(result: object, code: int = 2, match: str = "") -> None:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert match.lower() in lines[0].lower(), lines[0]
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    rng = np.random.default_rng(SEED)
    data = folder / "small.csv"
    pd.DataFrame(
        {"x": rng.normal(size=80), "k": rng.choice(["a", "b"], 80), "n": rng.integers(0, 9, 80)}
    ).to_csv(data, index=False)
    path = folder / "small.synth"
    result = run("fit", data, "-o", path, "--seed", SEED)
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize(("rows", "match"), [("0", "at least 1"), ("-5", "at least 1")])
def test_non_positive_row_counts(model: Path, tmp_path: Path, rows: str, match: str) -> None:
    result = run("sample", model, "-n", rows, "-o", tmp_path / "out.csv")
    assert_one_line_error(result, match=match)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("rows", ["lots", "1.5", ""])
def test_non_numeric_row_count(model: Path, tmp_path: Path, rows: str) -> None:
    result = run("sample", model, "-n", rows, "-o", tmp_path / "out.csv")
    assert_one_line_error(result, match=f"got {rows!r}")
    assert list(tmp_path.iterdir()) == []


def test_bad_workers_and_seed(model: Path, tmp_path: Path) -> None:
    assert_one_line_error(
        run("sample", model, "-n", 5, "-o", tmp_path / "o.csv", "--workers", 0), match="workers"
    )
    assert_one_line_error(
        run("sample", model, "-n", 5, "-o", tmp_path / "o.csv", "--seed", -3), match="seed"
    )
    assert list(tmp_path.iterdir()) == []


def _zip_without_manifest(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("arrays/x.npy", b"not really")


@pytest.mark.parametrize("kind", ["folder", "random", "zip", "missing"])
def test_bad_model_files(tmp_path: Path, kind: str) -> None:
    bad = tmp_path / "bad.synth"
    if kind == "folder":
        bad.mkdir()
    elif kind == "random":
        bad.write_bytes(np.random.default_rng(SEED).bytes(512))
    elif kind == "zip":
        _zip_without_manifest(bad)
    out = tmp_path / "out.csv"
    assert_one_line_error(run("sample", bad, "-n", 5, "-o", out))
    assert not out.exists()
    assert not Path(f"{out}.manifest.json").exists()
    if kind != "missing":
        assert_one_line_error(run("inspect", bad))


def test_output_in_a_missing_folder(model: Path, tmp_path: Path) -> None:
    out = tmp_path / "nope" / "out.csv"
    assert_one_line_error(run("sample", model, "-n", 5, "-o", out), match="does not exist")
    assert not out.parent.exists()


def test_existing_output_is_untouched_without_overwrite(model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("keep me\n", encoding="utf-8")
    assert_one_line_error(run("sample", model, "-n", 5, "-o", out), match="--overwrite")
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert not Path(f"{out}.manifest.json").exists()
    assert run("sample", model, "-n", 5, "-o", out, "--overwrite", "--seed", 1).exit_code == 0
    assert out.read_text(encoding="utf-8") != "keep me\n"


def test_existing_model_is_untouched_without_overwrite(model: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30) % 3}).to_csv(data, index=False)
    out = tmp_path / "m.synth"
    out.write_bytes(b"old")
    assert_one_line_error(run("fit", data, "-o", out), match="--overwrite")
    assert out.read_bytes() == b"old"


def test_missing_and_empty_data_files(tmp_path: Path) -> None:
    out = tmp_path / "m.synth"
    assert_one_line_error(run("fit", tmp_path / "none.csv", "-o", out), match="does not exist")
    assert_one_line_error(run("inspect", tmp_path / "none.csv"), match="does not exist")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert_one_line_error(run("fit", empty, "-o", out), match="empty")
    assert_one_line_error(run("inspect", empty), match="empty")
    assert not out.exists()


def test_unknown_model_and_bad_params(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30) % 3}).to_csv(data, index=False)
    out = tmp_path / "m.synth"
    assert_one_line_error(run("fit", data, "-o", out, "--model", "gan9000"), match="gan9000")
    assert_one_line_error(
        run("fit", data, "-o", out, "--param", "no_such=1"), match="rare_category_k"
    )
    assert_one_line_error(run("fit", data, "-o", out, "--param", "oops"), match="KEY=VALUE")
    assert_one_line_error(
        run("fit", data, "-o", out, "--param", "rare_category_k=many"), match="rare_category_k"
    )
    params = tmp_path / "p.yaml"
    params.write_text("- not\n- a mapping\n", encoding="utf-8")
    assert_one_line_error(run("fit", data, "-o", out, "--params", params), match="mapping")
    assert not out.exists()


def test_usage_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    assert_one_line_error(run("sample", "--bogus"), match="no such option")
    assert_one_line_error(run("frobnicate"), match="no such command")
    assert_one_line_error(run("sample", tmp_path / "m.synth", "-n", "5"), match="missing option")
    assert_one_line_error(run("list", "cars"), match="cars")


def test_every_verb_has_help_with_examples() -> None:
    top = run("--help")
    assert top.exit_code == 0
    for verb in ("inspect", "list", "fit", "sample"):
        assert verb in top.stdout
        result = run(verb, "--help")
        assert result.exit_code == 0, result.output
        assert f"synthcraft {verb}" in result.stdout
        assert "Examples" in result.stdout


def test_a_bug_exits_1_with_one_line_and_a_traceback_only_when_verbose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from synthcraft import api

    def broken() -> list[dict[str, str]]:
        raise KeyError("planted bug")

    monkeypatch.setattr(api, "list_models", broken)
    result = run("list", "models")
    assert_one_line_error(result, code=1, match="unexpected KeyError")
    assert "this is a bug" in result.stderr
    verbose = run("--verbose", "list", "models")
    assert verbose.exit_code == 1
    assert "Traceback" in verbose.stderr
    assert verbose.stderr.strip().splitlines()[-1].startswith("error: unexpected KeyError")
