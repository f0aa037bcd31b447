"""Thresholds: verdicts against the ceiling, a reference metric or the ideal; loading files."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from synthcraft.errors import UserInputError
from synthcraft.evaluation import MetricResult, Rule, Thresholds, load_thresholds
from synthcraft.evaluation._thresholds import DEFAULT_RULES, assess


def _m(
    name: str, score: float, goal: object = "maximize", bounds: tuple[float, float] = (0.0, 1.0)
) -> MetricResult:
    return MetricResult(name, score, goal, bounds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "status"),
    [(0.92, "pass"), (0.90, "pass"), (0.86, "warn"), (0.85, "warn"), (0.80, "fail")],
)
def test_maximize_against_the_ceiling(score: float, status: str) -> None:
    check = assess(_m("column_shapes", score), Thresholds(), ceiling=_m("column_shapes", 0.95))
    assert check.basis == "ceiling"
    assert check.reference == 0.95
    assert check.gap == pytest.approx(0.95 - score)
    assert check.status == status


def test_target_goal_compares_distances_to_the_target() -> None:
    ceiling = _m("detection_gbm", 0.52, goal=0.5)
    close = assess(_m("detection_gbm", 0.60, goal=0.5), Thresholds(), ceiling=ceiling)
    assert close.gap == pytest.approx(0.08)
    assert close.status == "pass"
    far = assess(_m("detection_gbm", 0.25, goal=0.5), Thresholds(), ceiling=ceiling)
    assert far.gap == pytest.approx(0.23)
    assert far.status == "fail"


def test_without_ceiling_the_ideal_or_the_named_reference_is_used() -> None:
    risk = assess(_m("singling_out", 0.07, goal="minimize"), Thresholds())
    assert (risk.basis, risk.reference, risk.status) == ("ideal", 0.0, "warn")
    holdout = _m("exact_copies_holdout", 0.02, goal="minimize")
    copies = assess(
        _m("exact_copies", 0.025, goal="minimize"),
        Thresholds(),
        others={"exact_copies_holdout": holdout},
    )
    assert (copies.basis, copies.reference, copies.status) == ("exact_copies_holdout", 0.02, "pass")
    shapes = assess(_m("column_shapes", 0.93), Thresholds())
    assert (shapes.basis, shapes.reference, shapes.status) == ("ideal", 1.0, "warn")


def test_info_only_nan_and_unknown_metrics() -> None:
    info = assess(_m("exact_copies_holdout", 0.1, goal="minimize"), Thresholds())
    assert info.status == "info"
    nan = assess(_m("column_shapes", math.nan), Thresholds())
    assert nan.status == "n/a"
    other = assess(_m("some_new_metric", 0.97), Thresholds())
    assert other.rule == Thresholds().default
    assert other.status == "pass"


def test_defaults_cover_every_figure_the_report_computes() -> None:
    assert Thresholds().rule("column_shapes") == Rule(0.05, 0.10)
    assert Thresholds().rule("detection_gbm") == Rule(0.10, 0.20)
    assert set(DEFAULT_RULES) >= {
        "column_shapes",
        "column_pair_trends",
        "missing_values",
        "validity",
        "detection_gbm",
        "detection_logistic",
        "utility",
        "utility_augmented",
        "dcr_share",
        "membership_auc",
    }


def test_load_yaml_and_json(tmp_path: Path) -> None:
    yaml_file = tmp_path / "t.yaml"
    yaml_file.write_text(
        "column_shapes: {pass: 0.02, warn: 0.04}\n"
        "exact_copies: {pass: 0, warn: 0.01, reference: exact_copies_holdout}\n"
        "nndr: null\n"
        "default: {pass: 0.1, warn: 0.3}\n",
        encoding="utf-8",
    )
    loaded = load_thresholds(yaml_file)
    assert loaded.rule("column_shapes") == Rule(0.02, 0.04)
    assert loaded.rule("exact_copies") == Rule(0.0, 0.01, "exact_copies_holdout")
    assert loaded.rule("nndr") is None
    assert loaded.rule("validity") == DEFAULT_RULES["validity"]
    assert loaded.default == Rule(0.1, 0.3)
    json_file = tmp_path / "t.json"
    json_file.write_text('{"utility": {"pass": 0.2, "warn": 0.3}}', encoding="utf-8")
    assert load_thresholds(json_file).rule("utility") == Rule(0.2, 0.3)
    assert Thresholds.from_dict(loaded.to_dict()) == loaded
    empty = tmp_path / "empty.yml"
    empty.write_text("", encoding="utf-8")
    assert load_thresholds(empty) == Thresholds()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("t.yaml", "column_shapes: {pass: 0.1, warn: [1\n", r"not valid YAML \(line 2"),
        ("t.json", '{"utility": ', r"not valid JSON \(line 1"),
        ("t.yaml", "- 1\n- 2\n", "must be a mapping of metric names"),
        ("t.yaml", "colum_shapes: {pass: 0.1, warn: 0.2}\n", "unknown metric 'colum_shapes'"),
        ("t.yaml", "utility: {pass: 0.3, warn: 0.2}\n", r"pass \(0.3\) must not exceed warn"),
        ("t.yaml", "utility: {pass: high, warn: 0.2}\n", "utility.pass: must be a number"),
        ("t.yaml", "utility: {pass: 0.1, warn: 0.2, fail: 1}\n", "unknown field 'fail'"),
        ("t.yaml", "utility: 0.1\n", "must be a mapping with 'pass' and 'warn'"),
        ("t.yaml", "exact_copies: {pass: 0, warn: 1, reference: nope}\n", "'nope' is not a metric"),
        ("t.yaml", "default: null\n", "default: must be a rule"),
        ("t.txt", "utility: {pass: 0.1, warn: 0.2}\n", r"must end in \.yaml, \.yml or \.json"),
    ],
)
def test_file_errors_are_clear(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserInputError, match=message):
        load_thresholds(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("utility: {pass: x, warn: 0.2}\nvalidity: {pass: 0.5, warn: 0.1}\n")
    with pytest.raises(UserInputError, match=r"utility.pass.*and 1 more.*validity") as info:
        load_thresholds(path)
    assert "\n" not in str(info.value)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="does not exist"):
        load_thresholds(tmp_path / "absent.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("utility: {pass: 0.1, warn: 0.2} # caf\xe9\n".encode("latin-1"))
    with pytest.raises(UserInputError, match="not UTF-8"):
        load_thresholds(bad)
