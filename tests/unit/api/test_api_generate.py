"""``api.generate`` with fitted models in the spec (hybrid), outputs, truth and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import api
from synthcraft.errors import OutputExistsError, SpecError, UserInputError
from synthcraft.storage import read_table


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(20261129)
    n = 600
    age = rng.integers(18, 80, n)
    frame = pd.DataFrame(
        {
            "age": age,
            "score": (age * 2.0 + rng.normal(0, 5, n)).round(2),
            "plan": rng.choice(["basic", "plus"], n),
        }
    )
    path = tmp_path_factory.mktemp("models") / "scores.synth"
    api.fit(frame, model="copula", seed=0, output=path)
    return path


def _spec(model: Path) -> dict[str, object]:
    return {
        "spec_version": "1.0",
        "tables": {
            "people": {
                "rows": 300,
                "columns": {
                    "age": {"distribution": "uniform(20, 50)", "type": "integer"},
                    "score": {"from_model": str(model), "conditions": ["age"]},
                    "bonus": {"formula": "0.5*score + normal(0, 1)"},
                },
            }
        },
    }


def test_a_column_from_a_fitted_model_follows_its_conditions(model_file: Path) -> None:
    frame = api.generate(_spec(model_file), seed=3)
    assert isinstance(frame, pd.DataFrame)
    assert frame.columns.tolist() == ["age", "score", "bonus"]
    assert len(frame) == 300
    # the model learned score ~ 2 * age: conditioning on age must carry that through
    rho = frame[["age", "score"]].corr(method="spearman").iloc[0, 1]
    assert rho > 0.7
    residual = frame["bonus"] - 0.5 * frame["score"]
    assert abs(residual.std() - 1) < 0.25
    again = api.generate(_spec(model_file), seed=3)
    pd.testing.assert_frame_equal(frame, again)


def test_a_table_from_a_fitted_model_gets_declared_columns(model_file: Path) -> None:
    spec = {
        "spec_version": "1.0",
        "tables": {
            "members": {
                "from_model": str(model_file),
                "rows": 200,
                "columns": {"risk": {"formula": "0.1*age + normal(0, 1)"}},
            }
        },
    }
    frame = api.generate(spec, seed=1)
    assert isinstance(frame, pd.DataFrame)
    assert frame.columns.tolist()[:3] == ["age", "score", "plan"]
    assert "risk" in frame.columns
    assert len(frame) == 200


def test_a_missing_model_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="synthcraft fit"):
        api.generate(_spec(tmp_path / "nope.synth"), seed=1)


def test_fitted_columns_refuse_worker_processes(model_file: Path) -> None:
    with pytest.raises(UserInputError, match="workers"):
        api.generate(_spec(model_file), 70_000, seed=1, workers=2)


def test_relative_model_paths_resolve_from_the_spec_file(model_file: Path, tmp_path: Path) -> None:
    spec_file = model_file.parent / "hybrid.yaml"
    spec_file.write_text(
        'spec_version: "1.0"\ntables:\n  people:\n    rows: 50\n    columns:\n'
        '      age: {distribution: "uniform(20, 50)", type: integer}\n'
        f"      score: {{from_model: {model_file.name}, conditions: [age]}}\n"
    )
    out = tmp_path / "people.csv"
    api.generate(spec_file, seed=2, output=out)
    assert len(read_table(out)) == 50


def test_database_directory_output_and_truth(tmp_path: Path) -> None:
    spec = {
        "spec_version": "1.0",
        "tables": {
            "a": {"rows": 20, "primary_key": "id", "columns": {"id": {"type": "id"}}},
            "b": {
                "primary_key": "id",
                "foreign_keys": [
                    {"columns": "a_id", "references": "a.id", "cardinality": "poisson(2)"}
                ],
                "columns": {
                    "id": {"type": "id"},
                    "x": {"distribution": "normal(0, 1)"},
                    "y": {"formula": "3*x + 2 + normal(0, 0.1)"},
                },
            },
        },
    }
    out, truth = tmp_path / "db", tmp_path / "truth.json"
    api.generate(spec, seed=4, output=out, format="csv", truth=truth)
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv"]
    b = read_table(out / "b.csv")
    assert set(b["a_id"]) <= set(read_table(out / "a.csv")["id"])
    facts = json.loads(truth.read_text())
    assert facts["tables"]["b"]["y"]["derivatives"] == {"x": "3"}
    with pytest.raises(OutputExistsError):
        api.generate(spec, seed=4, output=out, format="csv")


def test_counts_for_child_tables_are_refused() -> None:
    spec = {
        "spec_version": "1.0",
        "tables": {
            "a": {"rows": 5, "primary_key": "id", "columns": {"id": {"type": "id"}}},
            "b": {
                "foreign_keys": [
                    {"columns": "a_id", "references": "a.id", "cardinality": "poisson(1)"}
                ],
                "columns": {"x": {"distribution": "normal(0, 1)"}},
            },
        },
    }
    with pytest.raises(UserInputError, match="root tables"):
        api.generate(spec, {"b": 10}, seed=1)


def test_bad_specs_list_every_problem() -> None:
    spec = {
        "spec_version": "1.0",
        "tables": {
            "t": {
                "columns": {
                    "a": {"distribution": {"family": "normal", "loc": 0, "scale": -1}},
                    "b": {"formula": "a + c"},
                    "d": {"categories": {"x": -1}},
                }
            }
        },
    }
    with pytest.raises(SpecError) as info:
        api.generate(spec, 10, seed=1)
    paths = " ".join(info.value.problems)
    assert "tables.t.columns.a.distribution.scale" in paths
    assert "tables.t.columns.b" in paths
    assert "tables.t.columns.d" in paths


def test_fitted_columns_keep_the_models_dtypes(model_file: Path) -> None:
    spec = {
        "spec_version": "1.0",
        "tables": {
            "t": {
                "rows": 30,
                "columns": {
                    "x": {"distribution": "normal(0, 1)"},
                    "age": {"from_model": str(model_file)},
                    "plan": {"from_model": str(model_file)},
                    "score": {"from_model": str(model_file), "type": "integer"},
                },
            }
        },
    }
    frame = api.generate(spec, seed=5)
    assert isinstance(frame, pd.DataFrame)
    assert str(frame["age"].dtype) == "Int64"
    assert str(frame["plan"].dtype) == "str"
    assert set(frame["plan"]) <= {"basic", "plus"}
    assert str(frame["score"].dtype) == "Int64"
