"""The report as one self-contained HTML page: inline CSS and SVG, no script, no request.

Every value that comes from data (column names, categories, targets, warnings, examples) goes
through :func:`html.escape`, in text and in SVG alike.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from synthcraft.evaluation.render._svg import bars_svg, esc, heatmap_svg, histogram_svg
from synthcraft.evaluation.render._text import number

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from synthcraft.evaluation._report import Report

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:20px 28px 40px}
h1{font-size:1.6em;margin:0.2em 0}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:0.5em 0;background:#fff}
th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:left;font-size:0.92em}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:9px;font-weight:600;font-size:0.85em}
.pass{background:#d7f0d9;color:#1b5e20}.warn{background:#fff1c2;color:#7a5a00}
.fail{background:#f9d0cd;color:#8e1c12}.info,.na{background:#e8e8e8;color:#444}
.grid{display:flex;flex-wrap:wrap;gap:14px}
figure{margin:0;background:#fff;border:1px solid #e4e4e4;border-radius:6px;padding:6px}
figcaption{font-size:0.82em;color:#555;max-width:360px;overflow-wrap:anywhere}
svg.chart text{font-family:inherit;fill:#333}svg.chart .t{font-size:12px;font-weight:600}
svg.chart .s{font-size:9.5px}svg.chart .ax{stroke:#999;stroke-width:1}
.note{color:#555;font-style:italic}
"""


def _badge(status: str) -> str:
    css = "na" if status == "n/a" else status
    return f'<span class="badge {esc(css)}">{esc(status)}</span>'


def _interval(interval: tuple[float, float] | None) -> str:
    return f"[{number(interval[0])}, {number(interval[1])}]" if interval else "–"


def _section_table(report: Report, names: Sequence[str]) -> str:
    rows = []
    for name in names:
        m = report.metrics[name]
        c = report.checks.get(name)
        ceiling = report.ceiling.get(name)
        ref = number(c.reference) if c and c.status not in ("info", "n/a") else "–"
        rows.append(
            f"<tr><td>{esc(name)}</td><td class='n'>{number(m.score)}</td>"
            f"<td class='n'>{_interval(m.interval)}</td>"
            f"<td class='n'>{number(ceiling.score) if ceiling else '–'}</td>"
            f"<td class='n'>{ref}</td><td>{esc(c.basis) if c else '–'}</td>"
            f"<td class='n'>{number(c.gap) if c else '–'}</td>"
            f"<td>{_badge(c.status if c else 'n/a')}</td></tr>"
        )
    head = (
        "<tr><th>metric</th><th>synthetic</th><th>95% interval</th><th>holdout ceiling</th>"
        "<th>reference</th><th>basis</th><th>gap</th><th>status</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def _utility_table(report: Report) -> str:
    if "utility" not in report.metrics:
        return ""
    d: dict[str, Any] = dict(report.metrics["utility"].details)
    trtr = d.get("trtr")
    if not isinstance(trtr, dict):
        return ""
    head = "".join(f"<th>{esc(k)}</th>" for k in trtr)
    rows = []
    for key, label in (
        ("trtr", "real → real"),
        ("tstr", "synthetic → real"),
        ("augmented", "real + synthetic → real"),
    ):
        figures = d.get(key, {})
        cells = "".join(f"<td class='n'>{number(figures.get(k))}</td>" for k in trtr)
        rows.append(f"<tr><td>{esc(key)} ({esc(label)})</td>{cells}</tr>")
    caption = (
        f"<p>Target <b>{esc(d.get('target'))}</b> ({esc(d.get('task'))}), "
        f"{esc(d.get('model'))}, tested on the holdout.</p>"
    )
    return f"{caption}<table><tr><th>training data</th>{head}</tr>{''.join(rows)}</table>"


def _date_tick(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        return f"{seconds:.4g}"


def _column_figures(report: Report) -> str:
    shapes = report.metrics.get("column_shapes")
    scores = shapes.details.get("columns", {}) if shapes else {}
    figures = []
    for name, plot in report.distributions.items():
        if plot.get("type") == "histogram":
            tick: Callable[[float], str] = (
                _date_tick if plot.get("kind") == "datetime" else lambda x: f"{x:.4g}"
            )
            svg = histogram_svg(name, plot["edges"], [plot["real"], plot["synthetic"]], tick=tick)
        else:
            svg = bars_svg(name, plot["labels"], [plot["real"], plot["synthetic"]])
        info = scores.get(name, {}) if isinstance(scores, dict) else {}
        caption = (
            f"{esc(plot.get('kind'))}; shape score {number(info.get('score'))} "
            f"({esc(info.get('statistic', '–'))}); missing {number(plot.get('missing_real'), 3)}"
            f" real, {number(plot.get('missing_synthetic'), 3)} synthetic"
        )
        figures.append(f"<figure>{svg}<figcaption>{caption}</figcaption></figure>")
    if not figures:
        return "<p class='note'>No column to plot.</p>"
    return f"<div class='grid'>{''.join(figures)}</div>"


def _heatmap(report: Report) -> str:
    trends = report.metrics.get("column_pair_trends")
    if trends is None or not trends.details.get("columns"):
        return "<p class='note'>No pair of columns to compare.</p>"
    columns = list(trends.details["columns"])
    index = {c: i for i, c in enumerate(columns)}
    matrix = [[math.nan] * len(columns) for _ in columns]
    for pair in trends.details.get("pairs", []):
        a, b = pair["columns"]
        score = pair.get("score")
        value = 1.0 - score if score is not None else math.nan
        matrix[index[a]][index[b]] = matrix[index[b]][index[a]] = value
    for i in range(len(columns)):
        matrix[i][i] = 0.0
    svg = heatmap_svg("pair trend difference (1 - score)", columns, matrix)
    return (
        f"<div class='grid'><figure>{svg}<figcaption>1 - pair trend score: "
        "|r_real - r_syn| / 2 for numeric pairs, TVD of the contingency tables for the "
        "others; 0 is a perfect match.</figcaption>"
        "</figure></div>"
    )


def _dcr(report: Report) -> str:
    dcr = report.metrics.get("dcr_share")
    d = dcr.details if dcr else {}
    if not d.get("bin_edges") or not d.get("hist_train") or not d.get("hist_holdout"):
        why = d.get("reason") if dcr else "privacy needs a holdout"
        return f"<p class='note'>No distance histograms ({esc(why or 'not computed')}).</p>"
    edges = [float(e) for e in d["bin_edges"]]
    train = [float(v) for v in d["hist_train"]]
    hold = [float(v) for v in d["hist_holdout"]]
    total_t, total_h = sum(train) or 1.0, sum(hold) or 1.0
    svg = histogram_svg(
        "distance of synthetic rows to closest record",
        edges,
        [[v / total_t for v in train], [v / total_h for v in hold]],
        names=("to training", "to holdout"),
    )
    return (
        f"<div class='grid'><figure>{svg}<figcaption>Synthetic rows much closer to training "
        "rows than to holdout rows suggest copying.</figcaption></figure></div>"
    )


def _validity_table(report: Report) -> str:
    checks = report.metrics.get("validity")
    failed = [c for c in (checks.details.get("checks", []) if checks else []) if c["share"] < 1]
    if not failed:
        return "<p>Every declared range, category, key and format holds.</p>"
    rows = "".join(
        f"<tr><td>{esc(c['column'])}</td><td>{esc(c['check'])}</td>"
        f"<td class='n'>{number(c['share'])}</td><td class='n'>{int(c['invalid']):,}</td>"
        f"<td>{esc(c.get('example') or '')}</td></tr>"
        for c in failed
    )
    head = "<tr><th>column</th><th>check</th><th>share valid</th><th>invalid</th><th>e.g.</th>"
    return f"<table>{head}</tr>{rows}</table>"


def render_html(report: Report) -> str:
    """One self-contained HTML page: summary, figures, per-column plots, heatmap, DCR, sizes."""
    counts = report.counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in ("pass", "warn", "fail", "info", "n/a"))
    s = report.sizes
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<link rel='icon' href='data:,'><title>synthcraft evaluation report</title>",
        f"<style>{_CSS}</style></head><body><main>",
        "<h1>synthcraft evaluation report</h1>",
        f"<p>{_badge(report.status)} {esc(summary)}</p>",
        f"<p>Rows: train {s.get('train_rows', 0):,}, synthetic {s.get('synthetic_rows', 0):,}, "
        f"holdout {s.get('holdout_rows', 0):,}. Seed {report.seed}."
        + (f" Target <b>{esc(report.target)}</b>." if report.target is not None else "")
        + "</p>",
    ]
    for section in report.sections:
        parts.append(f"<h2>{esc(section.title)}</h2>")
        if section.note:
            parts.append(f"<p class='note'>{esc(section.note)}</p>")
        if section.metrics:
            parts.append(_section_table(report, section.metrics))
        if section.name == "utility":
            parts.append(_utility_table(report))
    if report.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in report.warnings)
        parts.append(f"<h2>Warnings</h2><ul>{items}</ul>")
    parts += [
        "<h2>Columns: real vs synthetic</h2>",
        _column_figures(report),
        "<h2>Pair trends</h2>",
        _heatmap(report),
        "<h2>Distance to closest record</h2>",
        _dcr(report),
        "<h2>Validity</h2>",
        _validity_table(report),
        "<h2>Rows used</h2><table>",
        "".join(f"<tr><td>{esc(k)}</td><td class='n'>{v:,}</td></tr>" for k, v in s.items()),
        "</table>",
        "<p class='note'>Figures are defined in docs/metrics.md and docs/privacy-metrics.md.</p>",
        "</main></body></html>\n",
    ]
    return "".join(parts)
