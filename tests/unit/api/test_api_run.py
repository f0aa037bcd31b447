"""split_holdout, evaluate and run through the API, on a small mixed table made here."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import synthcraft
from synthcraft import api, storage
from synthcraft.api._run import RUN_FILES, hashed_copy_counts
from synthcraft.errors import DataError, OutputExistsError, UserInputError
from synthcraft.evaluation import Report
from synthcraft.metadata import Metadata, detect

SEED = 2718


def mixed(n_rows: int = 250, seed: int = SEED) -> pd.DataFrame:
    """Numbers, a category, a boolean and a target that depends on them."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n_rows)
    income = np.round(age * 900 + rng.normal(0, 6_000, n_rows), 2)
    return pd.DataFrame(
        {
            "age": age,
            "income": income,
            "segment": rng.choice(["retail", "pro", "gov"], n_rows, p=[0.5, 0.3, 0.2]),
            "member": rng.random(n_rows) < 0.4,
            "label": np.where(income + rng.normal(0, 8_000, n_rows) > 45_000, "high", "low"),
        }
    )


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> api.RunResult:
    folder = tmp_path_factory.mktemp("run") / "new" / "out"  # parents created
    return api.run(mixed(), folder, target="label", seed=SEED, command="synthcraft run x")


# -- split_holdout ---------------------------------------------------------------------------


def test_split_is_seeded_disjoint_and_complete() -> None:
    data = pd.DataFrame({"i": np.arange(50), "x": np.arange(50) * 0.5})
    train, holdout = api.split_holdout(data, 0.2, seed=SEED)
    assert (len(train), len(holdout)) == (40, 10)
    assert sorted([*train["i"], *holdout["i"]]) == list(range(50))
    assert list(train["i"]) == sorted(train["i"])  # each part keeps the table's order
    assert isinstance(holdout.index, pd.RangeIndex)
    again, _ = api.split_holdout(data, 0.2, seed=SEED)
    other, _ = api.split_holdout(data, 0.2, seed=SEED + 1)
    pd.testing.assert_frame_equal(train, again)
    assert list(other["i"]) != list(train["i"])


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.1, "x", True, math.nan, None])
def test_split_refuses_fractions_outside_zero_one(fraction: object) -> None:
    with pytest.raises(UserInputError, match="holdout fraction"):
        api.split_holdout(mixed(20), fraction, seed=SEED)  # type: ignore[arg-type]


def test_split_refuses_tables_too_small_to_split() -> None:
    with pytest.raises(DataError, match="too few"):
        api.split_holdout(mixed(5), 0.2, seed=SEED)  # 1 holdout row
    with pytest.raises(DataError, match="too few"):
        api.split_holdout(mixed(5), 0.9, seed=SEED)  # 0 training rows after rounding
    with pytest.raises(UserInputError, match="DataFrame"):
        api.split_holdout("data.csv", 0.2, seed=SEED)  # type: ignore[arg-type]


# -- run ---------------------------------------------------------------------------------------


def test_run_writes_the_six_files(done: api.RunResult) -> None:
    assert sorted(p.name for p in done.output_dir.iterdir()) == sorted(RUN_FILES.values())
    model = api.load_model(done.paths["model"])
    assert model.n_training_rows_ == done.rows["train"] == 200  # the holdout was never seen
    assert model.fit_seed_ == done.seeds["fit"]
    synthetic = storage.read_table(done.paths["synthetic"])
    assert len(synthetic) == done.rows["train"]
    assert list(synthetic.columns) == list(mixed().columns)
    assert Metadata.load(done.paths["metadata"]).names == list(mixed().columns)
    report = Report.from_json(done.paths["report_json"].read_text(encoding="utf-8"))
    assert report.seed == done.seeds["evaluate"]
    assert report.sizes["holdout_rows"] == done.rows["holdout"] == 50
    assert "utility" in report.metrics
    assert done.paths["report_html"].read_text(encoding="utf-8").lstrip().startswith("<!")


def test_run_json_records_seed_sizes_timings_summary_and_command(done: api.RunResult) -> None:
    info = json.loads(done.paths["run"].read_text(encoding="utf-8"))
    assert info["seed"] == SEED
    assert set(info["seeds"]) == {"split", "fit", "sample", "evaluate"}
    assert len(set(info["seeds"].values())) == 4
    assert info["model"] == "copula"
    assert info["settings"]["seed"] == info["seeds"]["fit"]
    assert info["rows"] == {"data": 250, "train": 200, "holdout": 50, "synthetic": 200}
    for stage in ("split", "fit", "sample", "evaluate", "total"):
        assert info["timings"][stage] >= 0
    assert info["command"] == "synthcraft run x"
    assert info["versions"]["synthcraft"] == synthcraft.__version__
    summary = info["summary"]
    assert summary["checks"] == done.report.counts()
    assert sum(summary["checks"].values()) == len(done.report.checks)
    copies = summary["exact_copies"]
    assert copies["synthetic"]["rows"] == 200
    assert copies["holdout"]["rows"] == 50
    assert set(summary["scores"]) == {
        "column_shapes",
        "column_pair_trends",
        "detection_gbm",
        "utility",
        "dcr_share",
    }
    assert summary["scores"]["column_shapes"]["basis"] == "ceiling"


def test_exact_copies_agree_with_a_hash_of_rows(done: api.RunResult) -> None:
    report = done.report
    assert done.copies.count == report.metrics["exact_copies"].details["count"]
    data = storage.canonicalize(mixed())
    train, holdout = api.split_holdout(data, 0.2, seed=done.seeds["split"])
    synthetic = storage.read_table(done.paths["synthetic"])
    hashed = hashed_copy_counts(train, synthetic, holdout, detect(train))
    assert hashed == (done.copies, done.copies_holdout)
    copied = pd.concat([synthetic.iloc[:190], train.iloc[:10]], ignore_index=True)
    leak, _ = hashed_copy_counts(train, copied, holdout, detect(train))
    assert leak.count >= 10
    assert leak.share == leak.count / 200


def test_summary_text_ends_with_the_report_path(done: api.RunResult) -> None:
    lines = done.to_text().splitlines()
    assert lines[-1] == f"report: {done.paths['report_html']}"
    text = "\n".join(lines)
    assert "synthetic rows equal to a training row: " in text
    assert "holdout rows equal to a training row: " in text
    assert "column shapes" in text
    assert "ceiling" in text


def test_existing_run_is_refused_then_replaced_with_the_same_rows(
    done: api.RunResult, tmp_path: Path
) -> None:
    folder = tmp_path / "again"
    folder.mkdir()
    (folder / "report.html").write_text("old", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError, match=r"report\.html.*--overwrite"):
        api.run(tmp_path / "missing.csv", folder, seed=SEED)  # refused before reading data
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "report.html"]
    assert (folder / "report.html").read_text(encoding="utf-8") == "old"

    stages: list[str] = []

    def progress(stage: str, done_: int, total: int) -> None:
        if not stages or stages[-1] != stage:
            stages.append(stage)

    again = api.run(mixed(), folder, target="label", seed=SEED, overwrite=True, progress=progress)
    assert stages == ["split", "fit", "sample", "evaluate"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "report.html").read_text(encoding="utf-8") != "old"
    pd.testing.assert_frame_equal(
        storage.read_table(again.paths["synthetic"]), storage.read_table(done.paths["synthetic"])
    )
    assert again.seeds == done.seeds


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"target": "nope"}, UserInputError, "name one of its columns: age, income"),
        ({"holdout_fraction": 0}, UserInputError, "holdout fraction"),
        ({"holdout_fraction": 1}, UserInputError, "holdout fraction"),
        ({"holdout_fraction": 1.5}, UserInputError, "holdout fraction"),
        ({"holdout_fraction": "x"}, UserInputError, "holdout fraction"),
        ({"n_rows": 0}, UserInputError, "at least 1"),
        ({"params": {"seed": 3}}, UserInputError, "--seed"),
        ({"params": {"rare_k": 3}}, UserInputError, "rare_category_k"),
        ({"model": "nope"}, UserInputError, "unknown model"),
    ],
)
def test_run_refuses_bad_requests_before_writing(
    tmp_path: Path, kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        api.run(mixed(40), tmp_path / "out", seed=SEED, **kwargs)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_run_refuses_tiny_tables_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="too few"):
        api.run(mixed(6), tmp_path / "out", seed=SEED)
    with pytest.raises(DataError, match="does not exist"):
        api.run(tmp_path / "missing.csv", tmp_path / "out", seed=SEED)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UserInputError, match="is a file"):
        api.run(mixed(40), tmp_path / "file", seed=SEED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# -- evaluate ----------------------------------------------------------------------------------


def test_evaluate_reads_files_and_writes_reports(done: api.RunResult, tmp_path: Path) -> None:
    data = storage.canonicalize(mixed())
    train, holdout = api.split_holdout(data, 0.2, seed=done.seeds["split"])
    storage.write_table(train, tmp_path / "train.csv")
    html, out_json = tmp_path / "r.html", tmp_path / "r.json"
    report = api.evaluate(
        tmp_path / "train.csv",
        done.paths["synthetic"],
        holdout=holdout,
        target="label",
        seed=done.seeds["evaluate"],
        html=html,
        json=out_json,
    )
    assert report.seed == done.seeds["evaluate"]
    assert report.metrics["exact_copies"].details == done.report.metrics["exact_copies"].details
    assert Report.from_json(out_json.read_text(encoding="utf-8")).counts() == report.counts()
    assert "<html" in html.read_text(encoding="utf-8")
    with pytest.raises(OutputExistsError):  # checked before the (missing) tables are read
        api.evaluate(tmp_path / "missing.csv", tmp_path / "missing.csv", html=html)


def test_evaluate_refuses_unknown_targets_and_one_path_for_two_reports(tmp_path: Path) -> None:
    data = mixed(40)
    with pytest.raises(UserInputError, match=r"'nope'.*age, income, segment, member, label"):
        api.evaluate(data, data, target="nope")
    same = tmp_path / "r.out"
    with pytest.raises(UserInputError, match="two different"):
        api.evaluate(data, data, html=same, json=same)
    assert list(tmp_path.iterdir()) == []
