"""What a fitted model stores is privatised: clipped bounds, pooled rare categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import DataError
from synthcraft.metadata import Column, ColumnKind, Metadata, Provenance
from synthcraft.synthesizers import GaussianCopulaSynthesizer, IndependentSynthesizer
from synthcraft.synthesizers._privatise import privatise


def _frame(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, Metadata]:
    rng = np.random.default_rng(seed)
    values = rng.normal(50.0, 10.0, n)
    values[0], values[1] = -1234.5678, 98765.4321
    colour = rng.choice(np.array(["red", "green", "blue"], dtype=object), n)
    colour[:2] = "ZEBRA_RARE"
    ints = rng.integers(10, 90, n)
    ints[5] = 777_777
    frame = pd.DataFrame(
        {
            "value": values,
            "count": pd.array(ints, dtype="Int64"),
            "colour": pd.Series(colour, dtype="str"),
            "day": pd.Series(
                (
                    np.datetime64("2020-01-01") + rng.integers(0, 900, n).astype("timedelta64[D]")
                ).astype("datetime64[us]")
            ),
        }
    )
    md = Metadata(
        (
            Column("value", ColumnKind.FLOAT, "float64", decimals=4),
            Column("count", ColumnKind.INTEGER, "Int64"),
            Column(
                "colour",
                ColumnKind.CATEGORICAL,
                "str",
                categories=("red", "green", "blue", "ZEBRA_RARE"),
                provenance=Provenance.DECLARED,
            ),
            Column("day", ColumnKind.DATETIME, "datetime64[us]"),
        )
    )
    return frame, md


def test_bounds_are_clipped_quantiles_on_the_column_grid(seed: int) -> None:
    frame, md = _frame(seed=seed)
    private, steps = privatise(frame, md, rare_category_k=5, bounds_quantile=0.01)
    value, count, day = private["value"], private["count"], private["day"]
    assert value.minimum is not None
    assert value.maximum is not None
    assert frame["value"].min() < value.minimum < value.maximum < frame["value"].max()
    assert round(value.minimum, 4) == value.minimum
    assert isinstance(count.minimum, int)
    assert count.maximum is not None
    assert count.maximum < 777_777
    assert steps == {"day": 86_400_000_000}
    assert day.minimum is not None
    assert day.minimum % 86_400 == 0
    assert all(c.provenance is Provenance.LEARNED for c in private)


def test_rare_categories_are_pooled_and_never_emitted(seed: int) -> None:
    frame, md = _frame(seed=seed)
    private, _ = privatise(frame, md, rare_category_k=5, bounds_quantile=0.001)
    assert private["colour"].categories == ("red", "green", "blue")
    for model in (IndependentSynthesizer, GaussianCopulaSynthesizer):
        out = model(seed=0).fit(frame, md).sample(5_000, seed=1)
        assert "ZEBRA_RARE" not in set(out["colour"])
        shares = out["colour"].value_counts(normalize=True)
        assert shares.min() > 0.25


def test_sampled_values_stay_within_privatised_bounds(seed: int) -> None:
    frame, md = _frame(seed=seed)
    model = GaussianCopulaSynthesizer(seed=0).fit(frame, md)
    out = model.sample(20_000, seed=2)
    stored = model.metadata_["value"]
    assert out["value"].min() >= stored.minimum
    assert out["value"].max() <= stored.maximum
    assert out["count"].max() < 777_777
    assert not np.isin(out["value"].to_numpy(), [-1234.5678, 98765.4321]).any()


def test_no_category_frequent_enough_is_a_clear_error() -> None:
    frame = pd.DataFrame(
        {"x": np.arange(30.0), "code": pd.Series([f"c{i % 10}" for i in range(30)], dtype="str")}
    )
    with pytest.raises(DataError, match="rare_category_k"):
        IndependentSynthesizer(rare_category_k=5).fit(frame)
    model = IndependentSynthesizer(rare_category_k=3, seed=0).fit(frame)
    assert len(model.metadata_["code"].categories or ()) == 10


def test_numbers_are_not_copied_verbatim(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(size=300)})
    for model in (IndependentSynthesizer, GaussianCopulaSynthesizer):
        out = model(seed=0).fit(frame).sample(3_000, seed=1)
        assert np.isin(out["x"].to_numpy(), frame["x"].to_numpy()).mean() < 0.01


def test_empirical_tables_average_k_values(seed: int) -> None:
    from synthcraft.synthesizers._marginals import empirical_table

    values = np.random.default_rng(seed).normal(size=60)
    table = empirical_table(values, float(values.min()), float(values.max()), k=5)
    assert not np.isin(table, values).any()
    ordered = np.sort(values)
    assert table[0] == pytest.approx(ordered[:5].mean())
    assert table[-1] == pytest.approx(ordered[-5:].mean())
