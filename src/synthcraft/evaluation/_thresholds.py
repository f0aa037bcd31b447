"""Pass / warn / fail rules for the report's figures, and loading them from a YAML or JSON file.

Each figure is compared with a *reference*: the holdout ceiling when the report has one (what
fresh real rows score), else the metric named by the rule's ``reference``, else the metric's
ideal (its target value, or its best bound). The *gap* is how much worse than the reference the
figure is: ``reference - score`` for "maximize", ``score - reference`` for "minimize", and
``|score - target| - |reference - target|`` for a target value. A figure passes when
``gap <= pass``, warns when ``gap <= warn`` and fails otherwise; a NaN figure is "n/a", and a
metric whose rule is ``None`` is shown for information only ("info").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from synthcraft.errors import MissingDependencyError, UserInputError
from synthcraft.evaluation._result import MetricResult

__all__ = [
    "DEFAULT_RULES",
    "KNOWN_METRICS",
    "Check",
    "Rule",
    "Status",
    "Thresholds",
    "assess",
    "load_thresholds",
]

Status = Literal["pass", "warn", "fail", "info", "n/a"]


@dataclass(frozen=True)
class Rule:
    """Largest gaps that pass and warn, and optionally the metric to compare with."""

    pass_gap: float
    warn_gap: float
    reference: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the thresholds-file format."""
        out: dict[str, Any] = {"pass": self.pass_gap, "warn": self.warn_gap}
        if self.reference is not None:
            out["reference"] = self.reference
        return out


DEFAULT_RULES: Mapping[str, Rule | None] = MappingProxyType(
    {
        "column_shapes": Rule(0.05, 0.10),
        "column_pair_trends": Rule(0.05, 0.10),
        "missing_values": Rule(0.02, 0.05),
        "validity": Rule(0.01, 0.05),
        "detection_gbm": Rule(0.10, 0.20),
        "detection_logistic": Rule(0.10, 0.20),
        "utility": Rule(0.10, 0.20),
        "utility_augmented": Rule(0.05, 0.10),
        "exact_copies": Rule(0.01, 0.05, reference="exact_copies_holdout"),
        "exact_copies_holdout": None,
        "dcr_share": Rule(0.05, 0.10),
        "dcr_median_ratio": Rule(0.10, 0.20),
        "nndr": Rule(0.05, 0.10, reference="nndr_holdout"),
        "nndr_holdout": None,
        "singling_out": Rule(0.05, 0.10),
        "linkability": Rule(0.05, 0.10),
        "inference": Rule(0.05, 0.10),
        "membership_auc": Rule(0.05, 0.10),
    }
)
"""The default rule of every figure the report computes (see ``docs/metrics.md``)."""

KNOWN_METRICS: tuple[str, ...] = tuple(DEFAULT_RULES)


def _rule_from(data: object, where: str, problems: list[str]) -> Rule | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        problems.append(f"{where}: must be a mapping with 'pass' and 'warn', or null")
        return None
    unknown = sorted(set(map(str, data)) - {"pass", "warn", "reference"})
    if unknown:
        problems.append(f"{where}: unknown field {unknown[0]!r} (allowed: pass, warn, reference)")
    values: dict[str, float] = {}
    for key in ("pass", "warn"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{where}.{key}: must be a number, got {value!r}")
        elif not math.isfinite(value):
            problems.append(f"{where}.{key}: must be a finite number")
        else:
            values[key] = float(value)
    ref = data.get("reference")
    if ref is not None and ref not in KNOWN_METRICS:
        problems.append(f"{where}.reference: {ref!r} is not a metric name")
    if len(values) < 2:
        return None
    if values["pass"] > values["warn"]:
        problems.append(f"{where}: pass ({values['pass']}) must not exceed warn ({values['warn']})")
        return None
    return Rule(values["pass"], values["warn"], ref if isinstance(ref, str) else None)


@dataclass(frozen=True)
class Thresholds:
    """The rule of each figure; ``default`` applies to figures without a rule of their own.

    Examples
    --------
    >>> t = Thresholds.from_dict({"column_shapes": {"pass": 0.02, "warn": 0.05}})
    >>> t.rule("column_shapes")
    Rule(pass_gap=0.02, warn_gap=0.05, reference=None)
    """

    rules: Mapping[str, Rule | None] = field(default_factory=lambda: dict(DEFAULT_RULES))
    default: Rule = Rule(0.05, 0.10)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))

    def rule(self, name: str) -> Rule | None:
        """The rule of figure ``name`` (``None``: information only)."""
        return self.rules.get(name, self.default)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the thresholds-file format."""
        out: dict[str, Any] = {k: (r.to_dict() if r else None) for k, r in self.rules.items()}
        out["default"] = self.default.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: object, where: str = "thresholds") -> Thresholds:
        """Defaults overridden by ``data``; every problem is reported in one message."""
        if not isinstance(data, Mapping):
            raise UserInputError(f"{where}: must be a mapping of metric names to rules")
        problems: list[str] = []
        rules = dict(DEFAULT_RULES)
        default = Rule(0.05, 0.10)
        for key, value in data.items():
            name = str(key)
            if name == "default":
                rule = _rule_from(value, f"{where}.default", problems)
                if value is None:
                    problems.append(f"{where}.default: must be a rule, not null")
                elif rule is not None:
                    default = rule
            elif name not in KNOWN_METRICS:
                known = ", ".join(KNOWN_METRICS)
                problems.append(f"{where}: unknown metric {name!r} (known: {known}, default)")
            else:
                rules[name] = _rule_from(value, f"{where}.{name}", problems)
        if problems:
            more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:])})"
            raise UserInputError(problems[0] + (more if len(problems) > 1 else ""))
        return cls(rules, default)


def load_thresholds(path: str | Path) -> Thresholds:
    """Read thresholds from a ``.yaml``, ``.yml`` or ``.json`` file (see :class:`Thresholds`).

    The file maps metric names to ``{pass: GAP, warn: GAP}`` (optionally ``reference: NAME``) or
    to ``null`` (information only); figures it does not name keep their defaults.
    """
    p = Path(path)
    where = f"thresholds file {str(p)!r}"
    if not p.is_file():
        raise UserInputError(f"{where} does not exist; check the path")
    suffix = p.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise UserInputError(f"{where} must end in .yaml, .yml or .json")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserInputError(f"{where} is not UTF-8 text; save it as UTF-8") from None
    data: Any
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserInputError(
                f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
    else:
        try:
            import yaml
        except ImportError:  # pragma: no cover - pyyaml is a dependency
            raise MissingDependencyError("reading YAML needs PyYAML; pip install pyyaml") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            raise UserInputError(f"{where} is not valid YAML{at}; fix its syntax") from None
    if data is None:
        data = {}
    return Thresholds.from_dict(data, where)


@dataclass(frozen=True)
class Check:
    """The verdict on one figure: status, the reference it was compared with, and the gap."""

    metric: str
    status: Status
    score: float
    reference: float
    basis: str
    gap: float
    rule: Rule | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN written as null)."""

        def num(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return {
            "metric": self.metric,
            "status": self.status,
            "score": num(self.score),
            "reference": num(self.reference),
            "basis": self.basis,
            "gap": num(self.gap),
            "rule": self.rule.to_dict() if self.rule else None,
        }


def _ideal(result: MetricResult) -> float:
    if not isinstance(result.goal, str):
        return float(result.goal)
    return result.bounds[1] if result.goal == "maximize" else result.bounds[0]


def _gap(result: MetricResult, reference: float) -> float:
    goal = result.goal
    if goal == "maximize":
        return reference - result.score
    if goal == "minimize":
        return result.score - reference
    target = float(goal)
    return abs(result.score - target) - abs(reference - target)


def assess(
    result: MetricResult,
    thresholds: Thresholds,
    ceiling: MetricResult | None = None,
    others: Mapping[str, MetricResult] | None = None,
) -> Check:
    """Compare ``result`` with its reference (ceiling, rule's reference metric, or ideal)."""
    rule = thresholds.rule(result.name)
    basis, reference = "ideal", _ideal(result)
    named = (others or {}).get(rule.reference) if rule and rule.reference else None
    if ceiling is not None and ceiling.ok:
        basis, reference = "ceiling", ceiling.score
    elif named is not None and named.ok:
        basis, reference = named.name, named.score
    if not result.ok:
        return Check(result.name, "n/a", result.score, reference, basis, math.nan, rule)
    gap = _gap(result, reference)
    if rule is None:
        return Check(result.name, "info", result.score, reference, basis, gap, None)
    tol = 1e-12  # so that a gap equal to a threshold up to rounding counts as equal
    status: Status = (
        "pass" if gap <= rule.pass_gap + tol else "warn" if gap <= rule.warn_gap + tol else "fail"
    )
    return Check(result.name, status, result.score, reference, basis, gap, rule)
