"""The report's JSON: strict, complete, and readable back into the same report."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from synthcraft.errors import OutputExistsError, UserInputError
from synthcraft.evaluation import Report, render_json


def _strict(text: str) -> object:
    def refuse(name: str) -> None:
        raise AssertionError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def test_json_is_strict_and_keeps_every_value(small_report: Report) -> None:
    data = _strict(small_report.to_json())
    assert isinstance(data, dict)
    assert data["format"] == "synthcraft-report/1"
    assert data["seed"] == 42
    assert data["status"] == "warn"
    assert data["metrics"]["column_shapes"]["score"] == 0.945
    assert data["metrics"]["column_shapes"]["interval"] == [0.9401, 0.9603]
    assert data["metrics"]["detection_logistic"]["score"] is None  # NaN
    assert data["metrics"]["dcr_median_ratio"]["bounds"] == [0.0, "inf"]
    assert data["ceiling"]["detection_gbm"]["score"] == 0.51
    assert data["checks"]["detection_gbm"]["status"] == "warn"
    assert data["checks"]["detection_gbm"]["gap"] == pytest.approx(0.11)
    assert data["thresholds"]["column_shapes"] == {"pass": 0.05, "warn": 0.1}
    assert data["sections"][1]["note"] == "utility skipped: no target"
    assert render_json(small_report) == small_report.to_json()


def test_round_trip_gives_the_same_report(small_report: Report) -> None:
    back = Report.from_json(small_report.to_json())
    assert back.to_dict() == small_report.to_dict()
    assert back.to_text() == small_report.to_text()
    assert back.to_html() == small_report.to_html()
    assert math.isnan(back.metrics["detection_logistic"].score)
    assert back.metrics["dcr_median_ratio"].bounds == (0.0, math.inf)
    assert back.metrics["column_shapes"] == small_report.metrics["column_shapes"]
    assert back.checks["exact_copies"] == small_report.checks["exact_copies"]
    assert back.sections == small_report.sections
    assert back.thresholds == small_report.thresholds


def test_save_is_atomic_and_never_overwrites_unasked(small_report: Report, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    small_report.save_json(target)
    assert Report.from_json(target.read_text(encoding="utf-8")).seed == 42
    with pytest.raises(OutputExistsError, match="overwrite"):
        small_report.save_json(target)
    small_report.save_json(target, overwrite=True)
    page = small_report.save_html(tmp_path / "report.html")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.json"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "not a synthcraft report"),
        ('{"format": "synthcraft-report/1", "metrics": {}}', "incomplete or malformed"),
    ],
)
def test_bad_report_json_is_refused(text: str, message: str) -> None:
    with pytest.raises(UserInputError, match=message):
        Report.from_json(text)
