"""The evaluation :class:`Report`: every figure, its ceiling and verdict, and how it renders.

A report is plain data: it round-trips through JSON (:meth:`Report.to_json` and
:meth:`Report.from_json`), so a saved report can be rendered again as text or HTML later.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from synthcraft._files import atomic_write_text
from synthcraft.errors import UserInputError
from synthcraft.evaluation._result import Goal, MetricResult
from synthcraft.evaluation._thresholds import Check, Rule, Status, Thresholds
from synthcraft.evaluation.render._json import json_ready, render_json

__all__ = ["REPORT_FORMAT", "Report", "Section"]

REPORT_FORMAT = "synthcraft-report/1"
"""Written into every report's JSON; a report of another format is refused on load."""

_SEVERITY: dict[str, int] = {"n/a": 0, "info": 0, "pass": 1, "warn": 2, "fail": 3}


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _metric_from(data: Mapping[str, Any]) -> MetricResult:
    goal = data["goal"]
    interval = data.get("interval")
    return MetricResult(
        name=str(data["name"]),
        score=_float(data.get("score")),
        goal=cast(Goal, goal if isinstance(goal, str) else float(goal)),
        bounds=(_float(data["bounds"][0]), _float(data["bounds"][1])),
        details=dict(data.get("details") or {}),
        interval=(_float(interval[0]), _float(interval[1])) if interval else None,
    )


def _check_from(data: Mapping[str, Any]) -> Check:
    rule = data.get("rule")
    return Check(
        metric=str(data["metric"]),
        status=cast(Status, data["status"]),
        score=_float(data.get("score")),
        reference=_float(data.get("reference")),
        basis=str(data["basis"]),
        gap=_float(data.get("gap")),
        rule=Rule(float(rule["pass"]), float(rule["warn"]), rule.get("reference"))
        if rule
        else None,
    )


@dataclass(frozen=True)
class Section:
    """A part of the report: its figures in order, or why it was skipped (``note``)."""

    name: str
    title: str
    metrics: tuple[str, ...]
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "name": self.name,
            "title": self.title,
            "metrics": list(self.metrics),
            "note": self.note,
        }


@dataclass(frozen=True)
class Report:
    """What :func:`synthcraft.evaluation.evaluate` found.

    Parameters
    ----------
    metrics : dict of MetricResult
        The synthetic data's figures by name.
    ceiling : dict of MetricResult
        The same figures for the real holdout against the training rows (empty without holdout).
    checks : dict of Check
        Pass / warn / fail of each figure against its reference.
    sections : tuple of Section
        Fidelity, utility and privacy, with their figures or why they were skipped.
    warnings : list of str
        What was skipped or limited, in plain words.
    sizes : dict of int
        Rows of each table and rows used by each computation.
    seed : int
        The seed that reproduces every figure.
    distributions : dict
        Per-column plot data (see :func:`synthcraft.evaluation.fidelity.column_distributions`).
    thresholds : Thresholds
        The rules the checks used.
    target : str or None
        The utility target, when one was named.
    """

    metrics: dict[str, MetricResult]
    ceiling: dict[str, MetricResult]
    checks: dict[str, Check]
    sections: tuple[Section, ...]
    warnings: list[str]
    sizes: dict[str, int]
    seed: int
    distributions: dict[str, dict[str, Any]] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    target: str | None = None

    @property
    def status(self) -> Status:
        """The worst verdict over all figures ("n/a" when none was checked)."""
        worst: Status = "n/a"
        for check in self.checks.values():
            if _SEVERITY[check.status] > _SEVERITY[worst]:
                worst = check.status
        return worst

    def counts(self) -> dict[str, int]:
        """How many figures have each verdict."""
        out = dict.fromkeys(("pass", "warn", "fail", "info", "n/a"), 0)
        for check in self.checks.values():
            out[check.status] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of everything in the report."""
        return cast(
            dict[str, Any],
            json_ready(
                {
                    "format": REPORT_FORMAT,
                    "seed": self.seed,
                    "target": self.target,
                    "status": self.status,
                    "sizes": self.sizes,
                    "warnings": self.warnings,
                    "sections": [s.to_dict() for s in self.sections],
                    "metrics": {k: m.to_dict() for k, m in self.metrics.items()},
                    "ceiling": {k: m.to_dict() for k, m in self.ceiling.items()},
                    "checks": {k: c.to_dict() for k, c in self.checks.items()},
                    "thresholds": self.thresholds.to_dict(),
                    "distributions": self.distributions,
                }
            ),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from :meth:`to_dict` output."""
        if not isinstance(data, Mapping) or data.get("format") != REPORT_FORMAT:
            raise UserInputError(
                f"not a synthcraft report (expected format {REPORT_FORMAT!r}); "
                "pass a file written by Report.save_json"
            )
        try:
            return cls(
                metrics={k: _metric_from(v) for k, v in data["metrics"].items()},
                ceiling={k: _metric_from(v) for k, v in data["ceiling"].items()},
                checks={k: _check_from(v) for k, v in data["checks"].items()},
                sections=tuple(
                    Section(s["name"], s["title"], tuple(s["metrics"]), s.get("note"))
                    for s in data["sections"]
                ),
                warnings=[str(w) for w in data["warnings"]],
                sizes={str(k): int(v) for k, v in data["sizes"].items()},
                seed=int(data["seed"]),
                distributions=dict(data.get("distributions") or {}),
                thresholds=Thresholds.from_dict(data.get("thresholds") or {}, "report thresholds"),
                target=data.get("target"),
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise UserInputError(
                f"report data is incomplete or malformed ({type(exc).__name__}: {exc}); "
                "pass a file written by Report.save_json"
            ) from None

    def to_json(self) -> str:
        """Indented JSON text (see :func:`synthcraft.evaluation.render.render_json`)."""
        return render_json(self)

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Parse :meth:`to_json` output."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserInputError(
                f"report is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
        return cls.from_dict(data)

    def to_text(self) -> str:
        """Fixed-width plain text (see :func:`synthcraft.evaluation.render.render_text`)."""
        from synthcraft.evaluation.render import render_text

        return render_text(self)

    def to_html(self) -> str:
        """One self-contained HTML page (see :func:`synthcraft.evaluation.render.render_html`)."""
        from synthcraft.evaluation.render import render_html

        return render_html(self)

    def save_json(self, path: str | Path, overwrite: bool = False) -> Path:
        """Write :meth:`to_json` atomically; refuses an existing file unless ``overwrite``."""
        return atomic_write_text(Path(path), self.to_json(), overwrite=overwrite)

    def save_html(self, path: str | Path, overwrite: bool = False) -> Path:
        """Write :meth:`to_html` atomically; refuses an existing file unless ``overwrite``."""
        return atomic_write_text(Path(path), self.to_html(), overwrite=overwrite)
