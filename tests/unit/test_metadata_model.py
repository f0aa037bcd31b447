"""The metadata model: frozen columns, JSON round trip, versions, clear errors."""

from __future__ import annotations

import json

import pytest

from synthcraft.errors import MetadataError, OutputExistsError
from synthcraft.metadata import Column, ColumnKind, Metadata, Provenance


def _metadata() -> Metadata:
    return Metadata(
        (
            Column("id", ColumnKind.ID, "Int64", unique=True),
            Column("age", ColumnKind.INTEGER, "Int64", minimum=17, maximum=90, missing_share=0.1),
            Column("colour", ColumnKind.CATEGORICAL, "str", categories=("red", "blue")),
            Column("year", ColumnKind.CATEGORICAL, "Int64", categories=(2007, 2008)),
            Column("flag", ColumnKind.BOOLEAN, "boolean", categories=(False, True)),
            Column("when", ColumnKind.DATETIME, "datetime64[us, UTC]", timezone="UTC"),
            Column("mail", ColumnKind.PII, "str", pii_kind="email", provenance=Provenance.DECLARED),
        ),
        primary_key="id",
    )


def test_json_round_trip() -> None:
    md = _metadata()
    again = Metadata.from_json(md.to_json())
    assert again == md
    assert again["year"].categories == (2007, 2008)
    assert json.loads(md.to_json())["metadata_version"] == "1.0"


def test_save_and_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    md = _metadata()
    path = md.save(tmp_path / "m.json")
    assert Metadata.load(path) == md
    with pytest.raises(OutputExistsError, match="overwrite"):
        md.save(path)
    md.save(path, overwrite=True)


def test_newer_major_version_is_refused() -> None:
    data = _metadata().to_dict()
    data["metadata_version"] = "2.0"
    with pytest.raises(MetadataError, match="upgrade synthcraft"):
        Metadata.from_dict(data)


def test_older_minor_loads() -> None:
    data = _metadata().to_dict()
    data["metadata_version"] = "1.0"
    assert Metadata.from_dict(data) == _metadata()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "number"}, "columns\\[1\\].kind"),
        ({"minimum": "x"}, "columns\\[1\\].minimum"),
        ({"missing_share": 2}, "missing_share"),
        ({"colour": 1}, "unknown field 'colour'"),
        ({"minimum": 100}, "greater than maximum"),
    ],
)
def test_bad_columns_name_the_field(change: dict[str, object], message: str) -> None:
    data = _metadata().to_dict()
    data["columns"][1].update(change)
    with pytest.raises(MetadataError, match=message):
        Metadata.from_dict(data)


def test_duplicate_names_and_bad_key() -> None:
    col = Column("a", ColumnKind.FLOAT, "float64")
    with pytest.raises(MetadataError, match="twice"):
        Metadata((col, col))
    with pytest.raises(MetadataError, match="primary_key"):
        Metadata((col,), primary_key="b")


def test_bad_json_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MetadataError, match="not valid JSON"):
        Metadata.from_json("{")
    with pytest.raises(MetadataError, match="does not exist"):
        Metadata.load(tmp_path / "nope.json")


def test_lookup_and_select() -> None:
    md = _metadata()
    assert md.names[:2] == ["id", "age"]
    assert "age" in md
    assert [c.name for c in md.of_kind(ColumnKind.CATEGORICAL)] == ["colour", "year"]
    sub = md.select(["age", "colour"])
    assert sub.primary_key is None
    assert sub.names == ["age", "colour"]
    with pytest.raises(MetadataError, match="no column"):
        md["nope"]
