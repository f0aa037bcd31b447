"""``evaluate`` end to end on small generated tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft.errors import DataError, UserInputError
from synthcraft.evaluation import Report, Sizes, evaluate
from synthcraft.metadata import Column, ColumnKind, Metadata, detect

FAST = Sizes(bootstrap=3)
MD = Metadata(
    (
        Column("age", ColumnKind.INTEGER, "int64", minimum=18, maximum=90),
        Column("income", ColumnKind.FLOAT, "float64"),
        Column("city", ColumnKind.CATEGORICAL, "str", categories=("Oslo", "Rome", "Lima")),
        Column("member", ColumnKind.BOOLEAN, "bool", categories=(False, True)),
    )
)


def _frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    age = rng.integers(18, 91, n)
    city = rng.choice(["Oslo", "Rome", "Lima"], n, p=[0.5, 0.3, 0.2])
    return pd.DataFrame(
        {
            "age": age,
            "income": 1000 + 40 * age + (city == "Oslo") * 800 + rng.normal(0, 300, n),
            "city": pd.Series(city, dtype="str"),
            "member": age + rng.normal(0, 10, n) > 50,
        }
    )


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    seed = 41
    rng = np.random.default_rng(seed)
    return _frame(rng, 400), _frame(rng, 400), _frame(rng, 200)


@pytest.fixture(scope="module")
def full_report(tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> Report:
    train, syn, hold = tables
    return evaluate(train, syn, hold, MD, target="member", seed=5, sizes=FAST)


def test_every_section_is_filled_with_a_holdout_and_a_target(full_report: Report) -> None:
    names = {s.name: s for s in full_report.sections}
    assert names["fidelity"].metrics == (
        "column_shapes",
        "column_pair_trends",
        "missing_values",
        "validity",
        "detection_gbm",
        "detection_logistic",
    )
    assert names["utility"].metrics == ("utility", "utility_augmented")
    assert "dcr_share" in names["privacy"].metrics
    assert names["privacy"].note is None
    assert set(full_report.ceiling) >= {"column_shapes", "detection_gbm", "validity", "utility"}
    assert full_report.checks["column_shapes"].basis == "ceiling"
    assert full_report.sizes["fidelity_rows"] == 200
    assert full_report.sizes["bootstrap"] == 3
    assert full_report.sizes["detection_rows"] == 400
    assert full_report.sizes["utility_test_rows"] == 200
    assert set(full_report.distributions) == {"age", "income", "city", "member"}
    assert not any("skipped" in w for w in full_report.warnings)
    # independent samples of one distribution: nothing should fail
    assert full_report.checks["column_shapes"].status == "pass"
    assert full_report.checks["detection_gbm"].status == "pass"
    assert abs(full_report.metrics["utility"].score - 1.0) < 0.1


def test_same_seed_same_report(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], full_report: Report
) -> None:
    train, syn, hold = tables
    again = evaluate(train, syn, hold, MD, target="member", seed=5, sizes=FAST)
    assert again.to_json() == full_report.to_json()


def test_a_drawn_seed_is_recorded_and_reproduces_the_report(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    train, syn, _ = tables
    first = evaluate(train, syn, metadata=MD, sizes=FAST)
    assert isinstance(first.seed, int)
    assert evaluate(train, syn, metadata=MD, seed=first.seed, sizes=FAST).to_json() == (
        first.to_json()
    )


def test_a_holdout_that_repeats_train_is_flagged(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], full_report: Report
) -> None:
    train, syn, _ = tables
    report = evaluate(train, syn, train.iloc[:200], MD, seed=5, sizes=FAST)
    assert any("100% of the holdout rows also appear in train" in w for w in report.warnings)
    assert not any("holdout rows also appear" in w for w in full_report.warnings)


def test_without_holdout_or_target_the_report_says_what_was_skipped(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], capsys: pytest.CaptureFixture[str]
) -> None:
    train, syn, _ = tables
    calls: list[tuple[int, int]] = []
    report = evaluate(
        train, syn, metadata=MD, seed=6, sizes=FAST, progress=lambda d, t: calls.append((d, t))
    )
    assert "privacy skipped: no holdout" in report.warnings
    assert "utility skipped: no target" in report.warnings
    sections = {s.name: s for s in report.sections}
    assert sections["privacy"].note == "privacy skipped: no holdout"
    assert sections["utility"].metrics == ()
    assert report.ceiling == {}
    assert report.checks["column_shapes"].basis == "ideal"
    assert "privacy skipped: no holdout" in report.to_text()
    # progress: one call per step, counting up to the announced total; nothing printed
    assert [d for d, _ in calls] == list(range(1, len(calls) + 1))
    assert {t for _, t in calls} == {len(calls)}
    assert capsys.readouterr() == ("", "")
    with_target = evaluate(train, syn, metadata=MD, target="income", seed=6, sizes=FAST)
    assert "utility skipped: no holdout to test on" in with_target.warnings


def test_metadata_is_detected_when_not_given(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    train, syn, _ = tables
    report = evaluate(train, syn, seed=7, sizes=FAST)
    assert {"age", "income"} <= set(report.distributions)
    assert (
        report.to_json()
        == evaluate(train, syn, metadata=detect(train), seed=7, sizes=FAST).to_json()
    )


def test_thresholds_from_a_file(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], tmp_path: Path
) -> None:
    train, syn, _ = tables
    strict = tmp_path / "strict.yaml"
    strict.write_text("column_shapes: {pass: -1, warn: -0.5}\n", encoding="utf-8")
    report = evaluate(train, syn, metadata=MD, seed=8, sizes=FAST, thresholds=strict)
    assert report.checks["column_shapes"].status == "fail"
    assert report.status == "fail"


def test_script_in_names_and_values_is_escaped_in_html() -> None:
    seed = 43
    rng = np.random.default_rng(seed)
    evil = "<script>alert(1)</script>"
    md = Metadata(
        (
            Column(evil, ColumnKind.CATEGORICAL, "str", categories=("a",)),
            Column("x", ColumnKind.FLOAT, "float64"),
        )
    )

    def frame(n: int) -> pd.DataFrame:
        values = rng.choice(["a", evil], n)
        return pd.DataFrame({evil: pd.Series(values, dtype="str"), "x": rng.normal(size=n)})

    report = evaluate(frame(120), frame(120), frame(60), md, seed=seed, sizes=FAST)
    page = report.to_html()
    assert "<script" not in page.lower()
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # column, bar, heatmap, e.g.


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"target": "nope"}, UserInputError, "'nope' is not a column"),
        ({"thresholds": 3}, UserInputError, "thresholds must be"),
        ({"sizes": Sizes(bootstrap=-1)}, UserInputError, "sizes.bootstrap"),
        ({"seed": -3}, UserInputError, "seed must not be negative"),
        ({"progress": "bar"}, UserInputError, "progress must be a function"),
        ({"metadata": {"age": "integer"}}, UserInputError, "metadata must be"),
    ],
)
def test_bad_arguments_are_refused(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    kwargs: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    train, syn, _ = tables
    args: dict[str, object] = {"metadata": MD} | kwargs
    with pytest.raises(error, match=message):
        evaluate(train, syn, **args)  # type: ignore[arg-type]


def test_tiny_tables_give_nan_figures_with_reasons_not_errors() -> None:
    seed = 44
    rng = np.random.default_rng(seed)
    report = evaluate(
        _frame(rng, 5), _frame(rng, 5), _frame(rng, 4), MD, target="member", seed=seed, sizes=FAST
    )
    assert report.checks["detection_gbm"].status == "n/a"
    assert any(w.startswith("detection_gbm not computed: too few rows") for w in report.warnings)
    page = report.to_html()
    assert page.count("<svg ") == len(report.distributions) + 1  # and the heatmap
    assert "No distance histograms" in page  # DCR needs more rows


def test_metadata_without_comparable_columns_is_refused() -> None:
    ids = Metadata((Column("key", ColumnKind.ID, "int64", unique=True),))
    frame = pd.DataFrame({"key": [1, 2, 3]})
    with pytest.raises(UserInputError, match="no column to compare"):
        evaluate(frame, frame, metadata=ids)


def test_tables_that_do_not_match_are_refused(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    train, syn, hold = tables
    with pytest.raises(DataError, match="synthetic table lacks column 'city'"):
        evaluate(train, syn.drop(columns="city"), metadata=MD)
    with pytest.raises(DataError, match="holdout table has no rows"):
        evaluate(train, syn, hold.iloc[:0], MD)
    with pytest.raises(UserInputError, match="must be a pandas DataFrame"):
        evaluate(train.to_dict(), syn, metadata=MD)  # type: ignore[arg-type]
