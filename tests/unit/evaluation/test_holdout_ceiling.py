"""The like-for-like comparison: sizes, the holdout ceiling, intervals and determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import UserInputError
from synthcraft.evaluation.fidelity import column_shapes, compare_fidelity
from synthcraft.metadata import Column, ColumnKind, Metadata

MD = Metadata(
    (
        Column("x", ColumnKind.FLOAT, "float64"),
        Column("n", ColumnKind.INTEGER, "int64"),
        Column("c", ColumnKind.CATEGORICAL, "str"),
    )
)


def _frame(rng: np.random.Generator, n: int, shift: float = 0.0) -> pd.DataFrame:
    x = rng.normal(size=n) + shift
    return pd.DataFrame(
        {
            "x": x,
            "n": rng.poisson(3, n),
            "c": np.where(x + rng.normal(size=n) > 0, "a", "b"),
        }
    )


def test_sizes_follow_the_holdout_and_the_ceiling_sits_beside_the_figures() -> None:
    seed = 21
    rng = np.random.default_rng(seed)
    train, syn, hold = _frame(rng, 3000), _frame(rng, 2000, shift=0.5), _frame(rng, 400)
    out = compare_fidelity(train, syn, MD, holdout=hold, seed=seed, bootstrap=8)
    assert out.rows == 400
    assert (
        set(out.metrics)
        == set(out.ceiling)
        == {
            "column_shapes",
            "missing_values",
            "column_pair_trends",
        }
    )
    shapes, ceiling = out.metrics["column_shapes"], out.ceiling["column_shapes"]
    assert shapes.details["rows"] == ceiling.details["rows"] == 400
    assert shapes.details["n_real"] == shapes.details["n_synthetic"] == 400
    # fresh real rows match the training rows better than shifted synthetic rows
    assert ceiling.score > shapes.score + 0.05
    for result in (shapes, ceiling, out.metrics["column_pair_trends"]):
        assert result.interval is not None
        assert result.interval[0] <= result.score <= result.interval[1]
    assert out.metrics["missing_values"].score == 1.0


def test_same_seed_same_figures_and_no_holdout_means_no_ceiling() -> None:
    seed = 22
    rng = np.random.default_rng(seed)
    train, syn = _frame(rng, 600), _frame(rng, 500)
    first = compare_fidelity(train, syn, MD, seed=seed, bootstrap=3, max_rows=300)
    again = compare_fidelity(train, syn, MD, seed=seed, bootstrap=3, max_rows=300)
    assert first == again
    assert first.ceiling == {}
    assert first.rows == 300
    other = compare_fidelity(train, syn, MD, seed=seed + 1, bootstrap=3, max_rows=300)
    assert other.metrics["column_shapes"].score != first.metrics["column_shapes"].score


def test_without_subsampling_the_figure_equals_the_plain_metric() -> None:
    seed = 23
    rng = np.random.default_rng(seed)
    train, syn = _frame(rng, 300), _frame(rng, 300)
    out = compare_fidelity(train, syn, MD, seed=seed, bootstrap=0)
    assert out.metrics["column_shapes"].score == pytest.approx(column_shapes(train, syn, MD).score)
    assert out.metrics["column_shapes"].interval is None


def test_progress_is_reported_per_replicate() -> None:
    seed = 24
    rng = np.random.default_rng(seed)
    calls: list[tuple[int, int]] = []
    frame = _frame(rng, 50)
    compare_fidelity(
        frame, frame, MD, seed=seed, bootstrap=2, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("kwargs", [{"bootstrap": -1}, {"max_rows": 0}, {"bootstrap": 2.5}])
def test_bad_sizes_are_refused(kwargs: dict[str, object]) -> None:
    seed = 25
    frame = _frame(np.random.default_rng(seed), 10)
    with pytest.raises(UserInputError, match="whole number"):
        compare_fidelity(frame, frame, MD, seed=seed, **kwargs)  # type: ignore[arg-type]
