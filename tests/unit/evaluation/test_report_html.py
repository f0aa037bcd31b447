"""The HTML page: self-contained, one SVG per plot, every value from data escaped."""

from __future__ import annotations

import re
from collections.abc import Callable

from synthcraft.evaluation import Report, render_html

EVIL = "<script>alert(1)</script>"


def test_page_is_self_contained(small_report: Report) -> None:
    page = render_html(small_report)
    assert page.startswith("<!DOCTYPE html>")
    links = re.findall(r"""(?:src|href|action)\s*=\s*["']([^"']*)""", page, flags=re.IGNORECASE)
    assert links == ["data:,"]  # the empty favicon, so the browser asks for nothing
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "<script" not in page.lower()
    assert "@import" not in page
    assert "url(" not in page


def test_one_svg_per_plot(small_report: Report) -> None:
    page = render_html(small_report)
    # two columns, the pair-trend heatmap and the DCR histograms
    assert page.count("<svg ") == 4
    assert page.count("</svg>") == 4
    assert 'width="360"' in page


def test_values_from_data_are_escaped(make_report: Callable[..., Report]) -> None:
    report = make_report(column=EVIL, category='"><script>alert(2)</script>')
    page = render_html(report)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;script&gt;alert(2)" in page


def test_without_privacy_or_pairs_the_page_says_so(small_report: Report) -> None:
    metrics = {
        k: v
        for k, v in small_report.metrics.items()
        if k not in ("dcr_share", "column_pair_trends")
    }
    report = Report(
        metrics=metrics,
        ceiling={},
        checks={},
        sections=(),
        warnings=[],
        sizes={},
        seed=1,
    )
    page = render_html(report)
    assert "No distance histograms" in page
    assert "No pair of columns" in page
    assert "No column to plot" in page
    assert "n/a" in page
