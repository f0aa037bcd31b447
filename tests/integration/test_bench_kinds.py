"""The detected kind of every column of every benchmark table, read the way users read files."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcraft.metadata import ColumnKind, Metadata, check, detect
from synthcraft.storage import read_table

BENCH = Path(__file__).resolve().parents[2] / "bench" / "data"

INT, FLT, CAT, DTM = (
    ColumnKind.INTEGER,
    ColumnKind.FLOAT,
    ColumnKind.CATEGORICAL,
    ColumnKind.DATETIME,
)

EXPECTED: dict[str, dict[str, ColumnKind]] = {
    "adult": {
        "age": INT,
        "workclass": CAT,
        "fnlwgt": INT,
        "education": CAT,
        "education_num": INT,
        "marital_status": CAT,
        "occupation": CAT,
        "relationship": CAT,
        "race": CAT,
        "sex": CAT,
        "capital_gain": INT,
        "capital_loss": INT,
        "hours_per_week": INT,
        "native_country": CAT,
        "income": CAT,
    },
    "credit": {
        "Status": CAT,
        "Seniority": INT,
        "Home": CAT,
        "Time": INT,
        "Age": INT,
        "Marital": CAT,
        "Records": CAT,
        "Job": CAT,
        "Expenses": INT,
        "Income": FLT,  # written as "129.0" in the file: read as float64
        "Assets": FLT,
        "Debt": FLT,
        "Amount": INT,
        "Price": INT,
    },
    "diamonds": {
        "carat": FLT,
        "cut": CAT,
        "color": CAT,
        "clarity": CAT,
        "depth": FLT,
        "table": FLT,
        "price": INT,
        "x": FLT,
        "y": FLT,
        "z": FLT,
    },
    "penguins": {
        "species": CAT,
        "island": CAT,
        "bill_length_mm": FLT,
        "bill_depth_mm": FLT,
        "flipper_length_mm": FLT,
        "body_mass_g": FLT,
        "sex": CAT,
        "year": CAT,
    },
    "weather": {
        "origin": CAT,
        "year": CAT,
        "month": INT,
        "day": INT,
        "hour": INT,
        "temp": FLT,
        "dewp": FLT,
        "humid": FLT,
        "wind_dir": FLT,
        "wind_speed": FLT,
        "wind_gust": FLT,
        "precip": FLT,
        "pressure": FLT,
        "visib": FLT,
        "time_hour": DTM,
    },
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def table(request: pytest.FixtureRequest) -> tuple[str, Metadata]:
    name = str(request.param)
    data = read_table(BENCH / f"{name}.csv.gz")
    metadata = detect(data)
    check(data, metadata)  # what was learned from a table fits that table
    return name, metadata


def test_every_column_kind(table: tuple[str, Metadata]) -> None:
    name, metadata = table
    assert {c.name: c.kind for c in metadata} == EXPECTED[name]
    assert metadata.primary_key is None
    assert Metadata.from_json(metadata.to_json()) == metadata


def test_facts_of_notable_columns(table: tuple[str, Metadata]) -> None:
    name, md = table
    if name == "adult":
        assert len(md["native_country"].categories or ()) == 41
        assert (md["age"].minimum, md["age"].maximum) == (17, 90)
        assert md["workclass"].missing_share > 0
    elif name == "penguins":
        assert sorted(md["year"].categories or ()) == [2007, 2008, 2009]
        assert set(md["species"].categories or ()) == {"Adelie", "Chinstrap", "Gentoo"}
    elif name == "weather":
        assert md["year"].categories == (2013,)
        assert md["time_hour"].timezone == "UTC"
        assert md["time_hour"].dtype == "datetime64[us, UTC]"
        assert md["time_hour"].minimum == 1357020000.0  # 2013-01-01T06:00:00Z
        assert md["wind_gust"].missing_share == pytest.approx(0.796, abs=0.01)
    elif name == "diamonds":
        assert md["carat"].decimals == 2
        assert len(md["cut"].categories or ()) == 5
    elif name == "credit":
        assert md["Records"].categories == ("no", "yes")
        for column in ("Income", "Assets", "Debt"):
            assert md[column].kind.is_numeric
