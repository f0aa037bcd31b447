"""Regressions found by review: each test pins one bug a user hit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from synthcraft import api
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec import draft, parse


def _spec(columns: dict[str, Any]) -> dict[str, Any]:
    return {"spec_version": "1.0", "tables": {"t": {"rows": 5, "columns": columns}}}


def test_multi_table_spec_refuses_a_one_table_file_name(tmp_path: Path) -> None:
    seed = 1
    spec = {
        "spec_version": "1.0",
        "tables": {
            "p": {"rows": 3, "primary_key": "id", "columns": {"id": {"type": "id"}}},
            "c": {
                "foreign_keys": [
                    {"columns": "pid", "references": "p.id", "cardinality": "poisson(2)"}
                ],
                "columns": {"x": {"value": 1}},
            },
        },
    }
    out = tmp_path / "shop.csv"
    with pytest.raises(UserInputError, match=r"-o shop/ --format csv"):
        api.generate(spec, seed=seed, output=out)
    assert not out.exists()
    written = api.generate(spec, seed=seed, output=tmp_path / "shop", format="csv")
    assert isinstance(written, Path)
    assert sorted(p.name for p in written.iterdir()) == ["c.csv", "p.csv"]


@pytest.mark.parametrize("unit", ["D", "s"])
def test_draft_of_a_single_row_datetime_generates(unit: str) -> None:
    seed = 3
    stamp = pd.Timestamp("2021-03-04") if unit == "D" else pd.Timestamp("2021-03-04 10:00")
    frame = pd.DataFrame({"when": pd.Series([stamp], dtype="datetime64[us]")})
    drafted = draft(frame, table="one", seed=seed)
    column = drafted.mapping["tables"]["one"]["columns"]["when"]
    assert column["unit"] == unit
    assert column["end"] > column["start"]
    rows = api.generate(drafted.mapping, 20, seed=seed)
    assert isinstance(rows, pd.DataFrame)
    assert rows["when"].notna().all()


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ('x == "abc"', "'x' holds float values, never the text 'abc'"),
        ('s == "c"', "'c' is not a category of s"),
        ('where(s in ("a", "bb"), 1, 0)', "'bb' is not a category of s; did you mean 'b'?"),
        ('k == "1"', "its values are not text, so write k == 1"),
    ],
)
def test_formula_text_must_match_the_column(formula: str, message: str) -> None:
    columns = {
        "x": {"distribution": "normal(0, 1)"},
        "s": {"categories": ["a", "b"]},
        "k": {"categories": [1, 2]},
        "y": {"formula": formula},
    }
    with pytest.raises(SpecError) as caught:
        parse(_spec(columns))
    (problem,) = caught.value.problems
    assert problem.startswith("tables.t.columns.y.formula: ")
    assert message in problem


def test_formula_text_is_checked_in_missing_rates_and_cases() -> None:
    columns = {
        "s": {"categories": ["a", "b"]},
        "y": {"value": 1.0, "missing": {"formula": '0.5 * (s == "z")'}},
        "w": {
            "by": "s",
            "cases": {"a": {"formula": 'where(s != "q", 1, 2)'}},
            "default": {"value": 0},
        },
    }
    with pytest.raises(SpecError) as caught:
        parse(_spec(columns))
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "tables.t.columns.y.missing.formula",
        "tables.t.columns.w.cases.a.formula",
    ]


def test_formula_text_against_categories_and_text_columns_is_accepted() -> None:
    seed = 5
    columns = {
        "s": {"categories": ["a", "b"]},
        "n": {"pii": "first_name"},
        "y": {"formula": 's in ("a", "b") and n != "Bob"'},
    }
    frame = api.generate(_spec(columns), 50, seed=seed)
    assert isinstance(frame, pd.DataFrame)
    assert frame["y"].dtype == "boolean"


@pytest.mark.parametrize(
    "column",
    [
        {"distribution": "normal(0, 1e300)", "type": "integer"},
        {"formula": "exp(1000 + x)", "type": "integer"},
    ],
)
def test_integer_column_refuses_values_beyond_int64(column: dict[str, Any]) -> None:
    seed = 2
    spec = _spec({"x": {"distribution": "normal(0, 1)"}, "a": column})
    with pytest.raises(SpecError, match=r"^tables\.t\.columns\.a: drew .* integer column"):
        api.generate(spec, 20, seed=seed)


def test_draft_names_differ_ignoring_case_so_databases_take_them(tmp_path: Path) -> None:
    seed = 4
    values = pd.Series(range(30), dtype="float64")
    frame = pd.DataFrame({"my col": values, "my_col": values, "My-Col": values, "A": values})
    frame["a"] = values
    drafted = draft(frame, table="t", seed=seed)
    names = list(drafted.mapping["tables"]["t"]["columns"])
    assert len({n.casefold() for n in names}) == len(names) == 5
    assert "my_col" in names
    written = api.generate(drafted.mapping, 10, seed=seed, output=tmp_path / "t.sqlite")
    assert isinstance(written, Path)
