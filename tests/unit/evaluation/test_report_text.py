"""The text renderer, pinned against an exact expected string for a fixed report."""

from __future__ import annotations

from collections.abc import Callable

from synthcraft.evaluation import Report, render_text
from synthcraft.evaluation.render._text import clean, number

EXPECTED = """\
synthcraft evaluation report
============================
status: WARN (7 pass, 1 warn, 0 fail, 1 info, 1 n/a)
rows: train 1,000 | synthetic 1,000 | holdout 250
seed: 42

Fidelity
--------
metric                   score  95% interval        reference  status
column_shapes           0.9450  [0.9401, 0.9603]       0.9700  pass  (ceiling)
column_pair_trends      0.9300  [0.9100, 0.9500]       0.9500  pass  (ceiling)
missing_values          1.0000  [1.0000, 1.0000]       1.0000  pass  (ceiling)
validity                0.9900  -                      1.0000  pass  (ceiling)
detection_gbm           0.6200  [0.6000, 0.6400]       0.5100  warn  (ceiling)
detection_logistic         n/a  -                           -  n/a

Utility
-------
utility skipped: no target

Privacy
-------
metric                   score  95% interval        reference  status
exact_copies            0.0040  -                      0.0000  pass  (exact_copies_holdout)
exact_copies_holdout    0.0000  -                           -  info
dcr_share               0.5500  [0.5200, 0.5800]       0.5000  pass  (ideal)
dcr_median_ratio        0.9700  -                      1.0000  pass  (ideal)

Weakest columns (column shapes)
-------------------------------
age                             ks     0.9000
city                            tvd    0.9900

Warnings
--------
- utility skipped: no target
- detection_logistic not computed: too few rows

Rows used
---------
train_rows                     1,000
synthetic_rows                 1,000
holdout_rows                     250
fidelity_rows                    250
bootstrap                         20
detection_rows                 1,000
"""


def test_fixed_report_renders_exactly(small_report: Report) -> None:
    assert render_text(small_report) == EXPECTED
    assert small_report.to_text() == EXPECTED


def test_names_from_data_stay_on_one_line(make_report: Callable[..., Report]) -> None:
    report = make_report(column="a\nvery long\tcolumn name that goes on and on")
    text = report.to_text()
    line = next(x for x in text.splitlines() if x.startswith("a?very"))
    assert line == "a?very long?column name that …  ks     0.9000"


def test_helpers() -> None:
    assert number(float("nan")) == "n/a"
    assert number(None) == "n/a"
    assert number(0.123456) == "0.1235"
    assert clean("abc", 2) == "a…"
