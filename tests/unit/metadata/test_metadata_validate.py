"""Validation: each problem type is found, all are reported together, ``check`` raises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import UserInputError, ValidationError
from synthcraft.metadata import Column, ColumnKind, Metadata, check, detect, validate

AGE = Column("age", ColumnKind.INTEGER, "Int64", minimum=17, maximum=90)


def _md(*columns: Column, primary_key: str | None = None) -> Metadata:
    return Metadata(columns, primary_key=primary_key)


def test_detected_metadata_fits_its_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "id": np.arange(200),
            "age": rng.integers(17, 91, 200),
            "w": rng.normal(size=200),
            "c": rng.choice(["a", "b"], 200),
            "flag": rng.random(200) < 0.3,
            "t": pd.date_range("2020-01-01", periods=200, freq="h", tz="UTC"),
        }
    )
    assert validate(data, detect(data)) == []
    check(data, detect(data))


def test_missing_and_extra_columns() -> None:
    problems = validate(pd.DataFrame({"height": [1.8]}), _md(AGE))
    assert problems == [
        "column 'height' is in the data but not in the metadata; add it to the metadata or drop it",
        "column 'age' is in the metadata but not in the data; "
        "add it to the data or remove it from the metadata",
    ]


def test_duplicate_data_columns() -> None:
    data = pd.DataFrame([[20, 30]], columns=["age", "age"])
    assert validate(data, _md(AGE)) == [
        "column 'age' appears 2 times in the data; give each column its own name"
    ]


def test_values_that_are_not_numbers() -> None:
    data = pd.DataFrame({"age": pd.Series(["20", "n/a", "33", "n/a", "?"], dtype="str")})
    assert validate(data, _md(AGE)) == [
        "column 'age' has 3 values that are not numbers, e.g. 'n/a'; "
        "declare it categorical or clean it"
    ]


def test_booleans_are_not_numbers() -> None:
    data = pd.DataFrame({"age": [True, False]})
    (problem,) = validate(data, _md(AGE))
    assert problem.startswith("column 'age' has 2 values that are not numbers")


def test_values_that_are_not_whole_numbers() -> None:
    data = pd.DataFrame({"age": [20.0, 33.5, 40.25]})
    assert validate(data, _md(AGE)) == [
        "column 'age' has 2 values that are not whole numbers, e.g. 33.5; "
        "declare it float or round it"
    ]


def test_values_outside_bounds() -> None:
    data = pd.DataFrame({"age": pd.array([16, 20, None, 95, 120], dtype="Int64")})
    assert validate(data, _md(AGE)) == [
        "column 'age' has 3 values outside 17 – 90, e.g. 16; "
        "raise the bounds in the metadata or clean the data"
    ]


def test_one_sided_bound_and_infinity() -> None:
    col = Column("w", ColumnKind.FLOAT, "float64", minimum=0.0)
    (problem,) = validate(pd.DataFrame({"w": [1.0, -np.inf, 3.0]}), _md(col))
    assert "1 value outside 0 – ∞, e.g. -inf" in problem


def test_unknown_categories() -> None:
    col = Column("color", ColumnKind.CATEGORICAL, "str", categories=("red", "blue"))
    data = pd.DataFrame({"color": ["red", "pink", None, "pink", "teal"]})
    assert validate(data, _md(col)) == [
        "column 'color' has 3 values not among its 2 categories, e.g. 'pink'; "
        "add them to the categories in the metadata or clean the data"
    ]


def test_integer_categories() -> None:
    col = Column("year", ColumnKind.CATEGORICAL, "int64", categories=(2007, 2008))
    assert validate(pd.DataFrame({"year": [2007, 2008, 2008]}), _md(col)) == []
    (problem,) = validate(pd.DataFrame({"year": [2007, 2010]}), _md(col))
    assert "1 value not among its 2 categories, e.g. 2010" in problem


def test_true_is_not_the_category_one() -> None:
    col = Column("n", ColumnKind.CATEGORICAL, "int64", categories=(0, 1))
    (problem,) = validate(pd.DataFrame({"n": [True, False, True]}), _md(col))
    assert "has 3 values not among its 2 categories, e.g. True" in problem


def test_boolean_column_with_text() -> None:
    col = Column("flag", ColumnKind.BOOLEAN, "boolean", categories=(False, True))
    assert validate(pd.DataFrame({"flag": pd.array([True, None], dtype="boolean")}), _md(col)) == []
    data = pd.DataFrame({"flag": pd.Series([True, "yes", False], dtype=object)})
    assert validate(data, _md(col)) == [
        "column 'flag' has 1 value that is not true/false, e.g. 'yes'; "
        "declare it categorical or clean it"
    ]


def test_datetime_time_zone_mismatch() -> None:
    utc = Column("t", ColumnKind.DATETIME, "datetime64[us, UTC]", timezone="UTC")
    naive = Column("t", ColumnKind.DATETIME, "datetime64[us]")
    stamps = pd.to_datetime(["2020-01-01", "2020-02-01"])
    (problem,) = validate(pd.DataFrame({"t": stamps}), _md(utc))
    assert problem.startswith("column 't' has no time zone but the metadata says 'UTC'")
    (problem,) = validate(pd.DataFrame({"t": stamps.tz_localize("UTC")}), _md(naive))
    assert problem.startswith("column 't' has time zone 'UTC' but the metadata says none")
    berlin = pd.DataFrame({"t": stamps.tz_localize("Europe/Berlin")})
    (problem,) = validate(berlin, _md(utc))
    assert "is in time zone 'Europe/Berlin' but the metadata says 'UTC'" in problem


def test_datetime_bounds_and_text() -> None:
    low = pd.Timestamp("2013-01-01", tz="UTC").timestamp()
    high = pd.Timestamp("2013-12-31", tz="UTC").timestamp()
    col = Column("t", ColumnKind.DATETIME, "datetime64[us]", minimum=low, maximum=high)
    data = pd.DataFrame({"t": pd.to_datetime(["2013-05-01", "2014-01-01 12:00"], format="ISO8601")})
    assert validate(data, _md(col)) == [
        "column 't' has 1 value outside 2013-01-01 – 2013-12-31, e.g. 2014-01-01 12:00:00; "
        "widen the bounds in the metadata or clean the data"
    ]
    text = pd.DataFrame({"t": pd.Series(["2013-02-01", "soon", "2013-03-01T10:00"], dtype="str")})
    assert validate(text, _md(col)) == [
        "column 't' has 1 value that is not a datetime, e.g. 'soon'; "
        "declare it categorical or clean it"
    ]


def test_datetime_format_for_text() -> None:
    col = Column("d", ColumnKind.DATETIME, "str", datetime_format="%d/%m/%Y")
    data = pd.DataFrame({"d": ["31/12/2020", "2020-12-31"]})
    (problem,) = validate(data, _md(col))
    assert "1 value that is not a datetime in the format '%d/%m/%Y', e.g. '2020-12-31'" in problem


def test_primary_key_duplicates_and_missing() -> None:
    key = Column("id", ColumnKind.ID, "Int64", unique=True)
    data = pd.DataFrame({"id": pd.array([1, 2, 2, None, 3, 3], dtype="Int64")})
    assert validate(data, _md(key, primary_key="id")) == [
        "primary key 'id' has 1 missing value; give every row a value",
        "primary key 'id' has 2 values repeat an earlier one, e.g. 2; its values must all differ",
    ]


def test_unique_column_duplicates() -> None:
    col = Column("email", ColumnKind.PII, "str", pii_kind="email", unique=True)
    data = pd.DataFrame({"email": ["a@x.org", "b@x.org", "a@x.org"]})
    assert validate(data, _md(col)) == [
        "unique column 'email' has 1 value repeats an earlier one, e.g. 'a@x.org'; "
        "its values must all differ"
    ]


def test_all_problems_are_reported_together() -> None:
    cols = (
        AGE,
        Column("color", ColumnKind.CATEGORICAL, "str", categories=("red",)),
        Column("id", ColumnKind.ID, "int64", unique=True),
        Column("gone", ColumnKind.FLOAT, "float64"),
    )
    data = pd.DataFrame(
        {"age": ["x", "200"], "color": ["red", "blue"], "id": [1, 1], "extra": [0, 0]}
    )
    problems = validate(data, _md(*cols, primary_key="id"))
    assert len(problems) == 6
    assert [p.split(" ")[1] for p in problems] == [
        "'extra'",
        "'age'",
        "'age'",
        "'color'",
        "key",
        "'gone'",
    ]
    with pytest.raises(ValidationError) as exc:
        check(data, _md(*cols, primary_key="id"))
    assert exc.value.problems == problems
    assert str(exc.value).endswith("(and 5 more problems)")


def test_bad_arguments() -> None:
    with pytest.raises(UserInputError, match="DataFrame"):
        validate({"age": [1]}, _md(AGE))  # type: ignore[arg-type]
    with pytest.raises(UserInputError, match="Metadata"):
        validate(pd.DataFrame({"age": [1]}), {"columns": []})  # type: ignore[arg-type]
