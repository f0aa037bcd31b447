"""The HTML report in a real browser: headless Chromium draws every plot and logs no error."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft.evaluation import Sizes, evaluate
from synthcraft.metadata import Column, ColumnKind, Metadata

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
)

pytestmark = [
    pytest.mark.browser,
    # CI installs chromium (.ci/run), so there a missing browser fails instead of skipping
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs Debian chromium (/usr/bin/chromium)",
    ),
]


def _tables(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, Metadata]:
    rng = np.random.default_rng(seed)

    def frame(n: int, shift: float) -> pd.DataFrame:
        age = rng.integers(18, 80, n)
        plan = rng.choice(["basic", "plus", "<b>pro</b>"], n, p=[0.5, 0.3, 0.2])
        return pd.DataFrame(
            {
                "age": age,
                "spend": 20 + 1.5 * age + (plan == "plus") * 30 + rng.normal(shift, 15, n),
                "plan": pd.Series(plan, dtype="str"),
                "joined": pd.Timestamp("2021-01-01")
                + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
                "churned": rng.random(n) < 0.2 + 0.004 * (80 - age),
            }
        )

    md = Metadata(
        (
            Column("age", ColumnKind.INTEGER, "int64", minimum=18, maximum=79),
            Column("spend", ColumnKind.FLOAT, "float64"),
            Column(
                "plan", ColumnKind.CATEGORICAL, "str", categories=("basic", "plus", "<b>pro</b>")
            ),
            Column("joined", ColumnKind.DATETIME, "datetime64[us]"),
            Column("churned", ColumnKind.BOOLEAN, "bool", categories=(False, True)),
        )
    )
    return frame(600, 0.0), frame(600, 5.0), frame(300, 0.0), md


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    seed = 61
    train, syn, hold, md = _tables(seed)
    report = evaluate(train, syn, hold, md, target="churned", seed=seed, sizes=Sizes(bootstrap=5))
    page = report.save_html(tmp_path / "report.html")

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.get(page.as_uri())
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg')).map(function (e) {"
            " var r = e.getBoundingClientRect(); return [r.width, r.height]; });"
        )
        requests = driver.execute_script(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"
        )
        title = driver.title
        height = driver.execute_script("return document.documentElement.scrollHeight;")
        driver.set_window_size(1280, min(int(height) + 40, 6000))
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot))
        logs = driver.get_log("browser")  # type: ignore[no-untyped-call]
    finally:
        driver.quit()

    assert title == "synthcraft evaluation report"
    # five columns, the pair-trend heatmap and the DCR histograms
    assert len(sizes) == len(report.distributions) + 2 == 7
    assert all(w > 0 and h > 0 for w, h in sizes), sizes
    assert requests == []  # self-contained: the page asked for nothing
    errors = [entry for entry in logs if entry["level"] == "SEVERE"]
    assert errors == []
    assert shot.stat().st_size > 10_000
