"""The report as fixed-width plain text (for terminals, logs and diffs)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synthcraft.evaluation._report import Report

__all__ = ["clean", "number", "render_text"]

_NAME = 22
_WEAKEST = 5


def clean(text: object, width: int | None = None) -> str:
    """``text`` on one line (control characters as ``?``), cut to ``width`` with ``…``."""
    out = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    if width is not None and len(out) > width:
        out = out[: width - 1] + "…"
    return out


def number(value: float | None, digits: int = 4) -> str:
    """``value`` with ``digits`` decimals, or ``n/a``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.{digits}f}"


def _title(text: str, underline: str = "-") -> list[str]:
    return [text, underline * len(text)]


def _metric_lines(report: Report, names: tuple[str, ...]) -> list[str]:
    lines = [f"{'metric':<{_NAME}}{'score':>8}  {'95% interval':<18}{'reference':>11}  status"]
    for name in names:
        result = report.metrics[name]
        check = report.checks.get(name)
        interval = (
            f"[{number(result.interval[0])}, {number(result.interval[1])}]"
            if result.interval
            else "-"
        )
        ref: str
        status: str
        if check is None or check.status in ("info", "n/a"):
            ref, status = "-", check.status if check else "-"
        else:
            ref, status = number(check.reference), f"{check.status}  ({clean(check.basis)})"
        line = f"{clean(name, _NAME - 1):<{_NAME}}{number(result.score):>8}  {interval:<18}"
        lines.append(f"{line}{ref:>11}  {status}")
    return lines


def _utility_lines(report: Report) -> list[str]:
    if "utility" not in report.metrics:
        return []
    d: dict[str, Any] = dict(report.metrics["utility"].details)
    target = clean(d.get("target", ""), 40)
    lines = [f"task: {d.get('task', '?')} of {target!r}; model {d.get('model', '?')}"]
    for key in ("trtr", "tstr", "augmented"):
        figures = d.get(key)
        if isinstance(figures, dict):
            shown = ", ".join(f"{clean(k)} {number(v)}" for k, v in figures.items())
            lines.append(f"{key:<10}{shown}")
    return lines


def _weakest(report: Report) -> list[str]:
    shapes = report.metrics.get("column_shapes")
    columns = shapes.details.get("columns", {}) if shapes else {}
    if not isinstance(columns, dict) or not columns:
        return []
    ranked = sorted(columns.items(), key=lambda kv: (kv[1].get("score", 1.0), kv[0]))
    lines = _title("Weakest columns (column shapes)")
    for name, info in ranked[:_WEAKEST]:
        stat = clean(info.get("statistic", ""), 4)
        lines.append(f"{clean(name, 30):<32}{stat:<5}{number(info.get('score')):>8}")
    return [*lines, ""]


def render_text(report: Report) -> str:
    """The report as fixed-width text: verdicts, figures beside their reference, sizes.

    Examples
    --------
    The first lines of every report::

        synthcraft evaluation report
        ============================
    """
    counts = report.counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in ("pass", "warn", "fail", "info", "n/a"))
    sizes = report.sizes
    lines = [
        *_title("synthcraft evaluation report", "="),
        f"status: {report.status.upper()} ({summary})",
        f"rows: train {sizes.get('train_rows', 0):,} | synthetic {sizes.get('synthetic_rows', 0):,}"
        f" | holdout {sizes.get('holdout_rows', 0):,}",
        f"seed: {report.seed}",
    ]
    if report.target is not None:
        lines.append(f"target: {clean(report.target, 60)}")
    lines.append("")
    for section in report.sections:
        lines += _title(section.title)
        if section.note:
            lines.append(clean(section.note))
        if section.metrics:
            lines += _metric_lines(report, section.metrics)
        if section.name == "utility":
            lines += _utility_lines(report)
        lines.append("")
    lines += _weakest(report)
    if report.warnings:
        lines += _title("Warnings")
        lines += [f"- {clean(w)}" for w in report.warnings]
        lines.append("")
    lines += _title("Rows used")
    lines += [f"{clean(k, 23):<24}{v:>12,}" for k, v in sizes.items()]
    return "\n".join(lines) + "\n"
