"""Small inline SVG charts for the HTML report: histograms, bar charts and a heatmap.

No plotting library: each chart is a few rectangles and text elements. Every text that may come
from data (column names, category values, titles) is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

__all__ = ["PALETTE", "bars_svg", "heatmap_svg", "histogram_svg"]

PALETTE = ("#3b6ea5", "#e0813a")
"""Colours of the first (real) and second (synthetic) series."""

_W, _H = 360, 210
_LEFT, _RIGHT, _TOP = 46, 10, 28


def esc(text: object) -> str:
    """``text`` escaped for HTML and SVG (quotes included)."""
    return html.escape(str(text), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%" if share >= 0.1 else f"{100 * share:.1f}%"


def _frame(width: int, height: int, title: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">'
        f"<title>{esc(title)}</title>"
        f'<text x="{width / 2:.1f}" y="16" class="t" text-anchor="middle">'
        f"{esc(_short(title, 48))}</text>"
    )
    return head + "".join(body) + "</svg>"


def _legend(names: Sequence[str], width: int) -> list[str]:
    out = []
    x = width - _RIGHT - 150
    for i, name in enumerate(names):
        xi = x + 75 * i
        out.append(
            f'<rect x="{xi}" y="{_TOP - 2}" width="9" height="9" fill="{PALETTE[i]}"/>'
            f'<text x="{xi + 12}" y="{_TOP + 6}" class="s">{esc(_short(name, 11))}</text>'
        )
    return out


def _y_axis(top: float, bottom: float, peak: float) -> list[str]:
    return [
        f'<line x1="{_LEFT}" y1="{top}" x2="{_LEFT}" y2="{bottom}" class="ax"/>',
        f'<line x1="{_LEFT}" y1="{bottom}" x2="{_W - _RIGHT}" y2="{bottom}" class="ax"/>',
        f'<text x="{_LEFT - 4}" y="{bottom:.1f}" class="s" text-anchor="end">0</text>',
        f'<text x="{_LEFT - 4}" y="{top + 8:.1f}" class="s" text-anchor="end">{_pct(peak)}</text>',
    ]


def histogram_svg(
    title: str,
    edges: Sequence[float],
    series: Sequence[Sequence[float]],
    names: Sequence[str] = ("real", "synthetic"),
    tick: Callable[[float], str] = lambda x: f"{x:.4g}",
) -> str:
    """Overlaid histograms of up to two series over shared bin ``edges`` (heights as given)."""
    top, bottom = _TOP + 14, _H - 30
    n = max(len(edges) - 1, 1)
    peak = max([max(s, default=0.0) for s in series] + [1e-12])
    width = (_W - _LEFT - _RIGHT) / n
    body = _y_axis(top, bottom, peak) + _legend(names, _W)
    for k, values in enumerate(series):
        step = []  # the second series is drawn as a step line over the first's bars
        for i, v in enumerate(values):
            h = (bottom - top) * (v / peak if math.isfinite(v) else 0.0)
            x0, y = _LEFT + i * width, bottom - h
            label = f"{names[k]}: {tick(edges[i])} to {tick(edges[i + 1])}: {_pct(v)}"
            if k == 0:
                body.append(
                    f'<rect x="{x0:.2f}" y="{y:.2f}" width="{width:.2f}" height="{h:.2f}" '
                    f'fill="{PALETTE[0]}" fill-opacity="0.55"><title>{esc(label)}</title></rect>'
                )
            else:
                step.append(f"{x0:.2f},{y:.2f} {x0 + width:.2f},{y:.2f}")
        if step:
            points = f"{_LEFT:.2f},{bottom:.2f} {' '.join(step)} {_W - _RIGHT:.2f},{bottom:.2f}"
            body.append(
                f'<polyline points="{points}" fill="none" stroke="{PALETTE[k % 2]}" '
                f'stroke-width="2"><title>{esc(names[k])}</title></polyline>'
            )
    if len(edges) >= 2:
        body.append(
            f'<text x="{_LEFT}" y="{bottom + 14}" class="s">{esc(tick(edges[0]))}</text>'
            f'<text x="{_W - _RIGHT}" y="{bottom + 14}" class="s" text-anchor="end">'
            f"{esc(tick(edges[-1]))}</text>"
        )
    return _frame(_W, _H, title, body)


def bars_svg(
    title: str,
    labels: Sequence[str],
    series: Sequence[Sequence[float]],
    names: Sequence[str] = ("real", "synthetic"),
) -> str:
    """Grouped bars: one group per label, one bar per series (shares)."""
    height = _H + 40
    top, bottom = _TOP + 14, height - 64
    n = max(len(labels), 1)
    peak = max([max(s, default=0.0) for s in series] + [1e-12])
    group = (_W - _LEFT - _RIGHT) / n
    bar = group * 0.8 / max(len(series), 1)
    body = _y_axis(top, bottom, peak) + _legend(names, _W)
    for i, label in enumerate(labels):
        x0 = _LEFT + i * group + group * 0.1
        for k, values in enumerate(series):
            v = values[i] if i < len(values) else 0.0
            h = (bottom - top) * (v / peak)
            body.append(
                f'<rect x="{x0 + k * bar:.2f}" y="{bottom - h:.2f}" width="{bar:.2f}" '
                f'height="{h:.2f}" fill="{PALETTE[k]}">'
                f"<title>{esc(f'{names[k]}: {label}: {_pct(v)}')}</title></rect>"
            )
        cx = _LEFT + (i + 0.5) * group
        body.append(
            f'<text x="{cx:.2f}" y="{bottom + 10}" class="s" text-anchor="end" '
            f'transform="rotate(-40 {cx:.2f} {bottom + 10})">{esc(_short(label, 14))}</text>'
        )
    return _frame(_W, height, title, body)


def _heat(value: float) -> str:
    v = min(max(value, 0.0), 1.0) ** 0.5  # emphasise small differences
    r, g, b = 255, round(255 - 200 * v), round(255 - 220 * v)
    return f"rgb({r},{g},{b})"


def heatmap_svg(title: str, columns: Sequence[str], matrix: Sequence[Sequence[float]]) -> str:
    """Square heatmap of ``matrix`` (values in [0, 1], NaN drawn grey) with column labels."""
    n = max(len(columns), 1)
    cell = max(8.0, min(40.0, 560 / n))
    longest = max((len(_short(c, 16)) for c in columns), default=1)
    label = 14 + 6 * longest
    size = label + cell * n
    width, height = max(int(size + 6 * longest), 320), int(size + 62)
    y0 = 30 + label
    body = []
    for i, name in enumerate(columns):
        y = y0 + (i + 0.5) * cell + 4
        x = label + (i + 0.5) * cell
        body.append(
            f'<text x="{label - 4}" y="{y:.1f}" class="s" text-anchor="end">'
            f"{esc(_short(name, 16))}</text>"
            f'<text x="{x:.1f}" y="{y0 - 4}" class="s" transform="rotate(-60 {x:.1f} {y0 - 4})">'
            f"{esc(_short(name, 16))}</text>"
        )
        for j, other in enumerate(columns):
            value = matrix[i][j]
            fill = "#dddddd" if not math.isfinite(value) else _heat(value)
            shown = f"{value:.3f}" if math.isfinite(value) else "n/a"
            body.append(
                f'<rect x="{label + j * cell:.1f}" y="{y0 + i * cell:.1f}" width="{cell:.1f}" '
                f'height="{cell:.1f}" fill="{fill}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{esc(f'{name} × {other}: {shown}')}</title></rect>"
            )
    ly = y0 + n * cell + 14
    for k in range(11):
        body.append(
            f'<rect x="{label + k * 14}" y="{ly}" width="14" height="8" fill="{_heat(k / 10)}"/>'
        )
    body.append(
        f'<text x="{label - 4}" y="{ly + 8}" class="s" text-anchor="end">0</text>'
        f'<text x="{label + 158}" y="{ly + 8}" class="s">1</text>'
    )
    return _frame(width, height, title, body)
