"""``kind_summary``: the per-column rows the command line prints."""

from __future__ import annotations

import pandas as pd

from synthcraft.metadata import Column, ColumnKind, Metadata, detect, kind_summary


def test_summary_rows() -> None:
    day = 24 * 3600.0
    start = pd.Timestamp("2013-01-01", tz="UTC").timestamp()
    md = Metadata(
        (
            Column("id", ColumnKind.ID, "Int64", unique=True),
            Column("age", ColumnKind.INTEGER, "Int64", missing_share=0.125, minimum=17, maximum=90),
            Column("w", ColumnKind.FLOAT, "float64", minimum=0.2, maximum=5.01, decimals=2),
            Column("edu", ColumnKind.CATEGORICAL, "str", categories=tuple("abcdefghijklmnop")),
            Column("sex", ColumnKind.CATEGORICAL, "str", categories=("Male", "Female")),
            Column("ok", ColumnKind.BOOLEAN, "boolean", categories=(False, True)),
            Column(
                "t",
                ColumnKind.DATETIME,
                "datetime64[us, UTC]",
                minimum=start,
                maximum=start + 364 * day,
                timezone="UTC",
            ),
            Column(
                "hour",
                ColumnKind.DATETIME,
                "datetime64[us]",
                minimum=start + 6 * 3600.0,
                maximum=start + 6 * 3600.0,
            ),
            Column("mail", ColumnKind.PII, "str", missing_share=0.0004, pii_kind="email"),
            Column("empty", ColumnKind.CATEGORICAL, "str", missing_share=1.0, categories=()),
        ),
        primary_key="id",
    )
    rows = kind_summary(md)
    assert [list(r) for r in rows] == [["name", "kind", "dtype", "missing", "details"]] * len(md)
    got = {r["name"]: (r["kind"], r["missing"], r["details"]) for r in rows}
    assert got == {
        "id": ("id", "0%", "primary key"),
        "age": ("integer", "12.5%", "17 – 90"),
        "w": ("float", "0%", "0.2 – 5.01, 2 decimals"),
        "edu": ("categorical", "0%", "16 categories"),
        "sex": ("categorical", "0%", "2 categories (Male, Female)"),
        "ok": ("boolean", "0%", "true/false"),
        "t": ("datetime", "0%", "2013-01-01 … 2013-12-31 UTC"),
        "hour": ("datetime", "0%", "2013-01-01 06:00:00 … 2013-01-01 06:00:00"),
        "mail": ("pii:email", "<0.1%", ""),
        "empty": ("categorical", "100%", "no categories"),
    }


def test_summary_of_detected_table() -> None:
    data = pd.DataFrame({"code": ["A1", "B2", "C3"], "n": [1.5, None, 2.0]})
    rows = kind_summary(detect(data))
    assert rows[0]["details"] == "primary key"
    assert rows[1] == {
        "name": "n",
        "kind": "float",
        "dtype": "float64",
        "missing": "33.3%",
        "details": "1.5 – 2, 1 decimal",
    }
