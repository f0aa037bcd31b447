"""Readers for the values inside a spec column: distributions, categories, dates and id formats.

Each reader takes the :class:`~synthcraft._config.Problems` collector, the raw value and its path,
and returns the typed object or ``None`` after recording what is wrong.
"""

from __future__ import annotations

import ast
import math
import re
import string
import zoneinfo
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import numpy as np
import scipy.stats

from synthcraft._config import Problems, at, did_you_mean, join
from synthcraft.spec._histogram import HISTOGRAM, histogram_mass, parse_histogram
from synthcraft.spec._model import CategoricalGen, Distribution, Dtype

__all__ = [
    "FAMILY_ALIASES",
    "family_names",
    "family_parameters",
    "parse_categories",
    "parse_datetime",
    "parse_distribution",
    "parse_id_format",
    "parse_timezone",
    "parse_weights",
    "resolve_family",
    "truncated_mass",
]

FAMILY_ALIASES: dict[str, str] = {
    "normal": "norm",
    "gaussian": "norm",
    "lognormal": "lognorm",
    "log_normal": "lognorm",
    "exponential": "expon",
    "exp": "expon",
    "binomial": "binom",
    "negative_binomial": "nbinom",
    "negbinom": "nbinom",
    "geometric": "geom",
    "weibull": "weibull_min",
    "student_t": "t",
    "studentt": "t",
    "chisquare": "chi2",
    "chi_squared": "chi2",
    "half_normal": "halfnorm",
    "halfnormal": "halfnorm",
    "hypergeometric": "hypergeom",
    "discrete_uniform": "randint",
    "triangular": "triang",
    "gumbel": "gumbel_r",
    "inverse_gamma": "invgamma",
    "inverse_gaussian": "invgauss",
    "skew_normal": "skewnorm",
    "beta_binomial": "betabinom",
}
"""Friendly family names and the scipy.stats family each stands for."""

_EXCLUDED = frozenset({"poisson_binom"})  # takes an array parameter
_PARAM_HINTS = {
    "mean": "loc",
    "mu": "loc",
    "sd": "scale",
    "std": "scale",
    "sigma": "scale",
    "lam": "mu",
    "lambda": "mu",
    "rate": "mu",
}
_MAX_SHORTHAND = 300


@cache
def family_names() -> tuple[str, ...]:
    """Every scipy.stats family usable in a spec, sorted."""
    return tuple(
        sorted(
            name
            for name in dir(scipy.stats)
            if name not in _EXCLUDED
            and isinstance(
                getattr(scipy.stats, name), scipy.stats.rv_continuous | scipy.stats.rv_discrete
            )
        )
    )


def resolve_family(name: str) -> str | None:
    """The scipy family for ``name`` (aliases and case resolved), or None if there is none."""
    key = name.strip().lower()
    key = FAMILY_ALIASES.get(key, key)
    return key if key in family_names() else None


def family_parameters(family: str) -> tuple[tuple[str, ...], bool]:
    """``(parameter names, discrete)``: shape names, then ``loc`` (and ``scale`` if continuous)."""
    dist = getattr(scipy.stats, family)
    shapes = tuple(s.strip() for s in (dist.shapes or "").split(",") if s.strip())
    discrete = isinstance(dist, scipy.stats.rv_discrete)
    return (*shapes, "loc") if discrete else (*shapes, "loc", "scale"), discrete


def _number_node(node: ast.expr) -> float | None:
    """The number a ``3``, ``-1.5`` or ``+2`` node stands for, else None."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return sign * node.value
    return None


def _shorthand(
    problems: Problems, text: str, path: str
) -> tuple[str, list[float], dict[str, float]] | None:
    """``"gamma(2, scale=3)"`` -> ``("gamma", [2], {"scale": 3})`` (numbers only, via ``ast``)."""
    example = "write it as family(positional, name=value), e.g. 'normal(40, 12)'"
    if len(text) > _MAX_SHORTHAND:
        problems.add(path, f"is longer than {_MAX_SHORTHAND} characters; {example}")
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        problems.add(path, f"{text!r} is not a distribution; {example}")
        return None
    if isinstance(tree, ast.Name):
        return tree.id, [], {}
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
        problems.add(path, f"{text!r} is not a distribution; {example}")
        return None
    args: list[float] = []
    for arg in tree.args:
        value = _number_node(arg)
        if value is None:
            problems.add(path, f"arguments must be numbers, got {ast.unparse(arg)!r}; {example}")
            return None
        args.append(value)
    keywords: dict[str, float] = {}
    for keyword in tree.keywords:
        value = _number_node(keyword.value)
        if keyword.arg is None or value is None:
            problems.add(path, f"arguments must be numbers, got {ast.unparse(keyword)!r}")
            return None
        keywords[keyword.arg] = value
    return tree.func.id, args, keywords


def parse_distribution(
    problems: Problems,
    value: Any,
    path: str,
    *,
    discrete_only: bool = False,
    histogram: bool = False,
) -> Distribution | None:
    """A :class:`Distribution` from ``{family: ..., name: value}`` or a ``"family(...)"`` text.

    Checks the family exists (aliases allowed), the parameter names are the family's, every
    shape parameter is given and the values are valid for the family. ``{family: histogram,
    edges, weights}`` is accepted where ``histogram`` is True (column distributions).
    """
    start = len(problems)
    args: list[float] = []
    given: dict[str, Any] = {}
    if isinstance(value, str):
        parsed = _shorthand(problems, value, path)
        if parsed is None:
            return None
        name, args, numbers = parsed
        given = dict(numbers)
    else:
        mapping = problems.mapping(value, path)
        if mapping is None:
            return None
        family_name = problems.string(
            problems.required(mapping, "family", path), join(path, "family")
        )
        if family_name is None:
            return None
        name = family_name
        if name.strip().lower() == HISTOGRAM:
            if histogram and not discrete_only:
                return parse_histogram(problems, mapping, path)
            problems.add(
                join(path, "family"),
                "histogram is allowed only as a column's distribution; use a scipy family here",
            )
            return None
        given = {key: item for key, item in mapping.items() if key != "family"}
    family = resolve_family(name)
    where = join(path, "family") if isinstance(value, Mapping) else path
    if family is None:
        options = [*family_names(), *FAMILY_ALIASES]
        hint = did_you_mean(name.lower(), options) or "; see scipy.stats for the families"
        problems.add(where, f"unknown distribution family {name!r}{hint}")
        return None
    names, discrete = family_parameters(family)
    if discrete_only and not discrete:
        problems.add(
            where, f"{family} is continuous; use a discrete family such as poisson, nbinom"
        )
        return None
    params: dict[str, float] = {}
    if len(args) > len(names):
        problems.add(path, f"{family} takes at most {len(names)} values ({', '.join(names)})")
        return None
    params.update(zip(names, args, strict=False))
    for key, item in given.items():
        if key not in names:
            hint = did_you_mean(key, names)
            if not hint and _PARAM_HINTS.get(key) in names:
                hint = f"; did you mean '{_PARAM_HINTS[key]}'?"
            problems.add(
                join(path, key),
                f"{family} has no parameter {key!r}{hint} (its parameters: {', '.join(names)})",
            )
        elif key in params:
            problems.add(join(path, key), "given twice (by position and by name)")
        else:
            number = problems.number(item, join(path, key))
            params[key] = math.nan if number is None else float(number)
    shape_names = names[: len(names) - (1 if discrete else 2)]
    for shape in shape_names:
        if shape not in params:
            problems.add(join(path, shape), f"required by {family}; add it")
    if len(problems) > start:
        return None
    params.setdefault("loc", 0.0)
    if not discrete:
        params.setdefault("scale", 1.0)
        if params["scale"] <= 0:
            problems.add(join(path, "scale"), f"must be > 0, got {_num(params['scale'])}")
            return None
    elif not float(params["loc"]).is_integer():
        problems.add(join(path, "loc"), f"must be a whole number, got {params['loc']}")
        return None
    shapes = [params[shape] for shape in shape_names]
    if shapes and not _argcheck(family, shapes):
        listed = ", ".join(f"{shape}={_num(params[shape])}" for shape in shape_names)
        target = join(path, shape_names[0]) if len(shape_names) == 1 else path
        problems.add(target, f"{listed} is outside the valid range of {family}")
        return None
    ordered = {key: float(params[key]) for key in names}
    return Distribution(family=family, params=ordered, discrete=discrete)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _argcheck(family: str, shapes: list[float]) -> bool:
    dist = getattr(scipy.stats, family)
    try:
        with np.errstate(all="ignore"):
            return bool(np.all(dist._argcheck(*shapes)))
    except (TypeError, ValueError, ArithmeticError):
        return False


def truncated_mass(dist: Distribution, low: float | None, high: float | None) -> float:
    """Probability that ``dist`` gives a value in ``[low, high]`` (None = unbounded)."""
    if dist.histogram is not None:
        return histogram_mass(dist.histogram, low, high)
    frozen = getattr(scipy.stats, dist.family)(**dist.params)
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high
    with np.errstate(all="ignore"):
        upper = float(frozen.cdf(hi))
        lower = float(frozen.cdf(math.ceil(lo) - 1 if dist.discrete else lo))
    mass = upper - lower
    return mass if math.isfinite(mass) else 0.0


def parse_weights(
    problems: Problems,
    value: Any,
    path: str,
    *,
    length: int,
    named: Mapping[str, tuple[float, ...]],
) -> tuple[float, ...] | None:
    """``length`` relative weights >= 0, not all 0, or one of the ``named`` presets."""
    if isinstance(value, str):
        chosen = problems.choice(value, path, named)
        return None if chosen is None else named[chosen]
    items = problems.sequence(value, path, length=length)
    if items is None:
        return None
    weights = [problems.number(w, at(path, i), low=0) for i, w in enumerate(items)]
    if any(w is None for w in weights):
        return None
    result = tuple(float(w) for w in weights if w is not None)
    if sum(result) <= 0:
        problems.add(path, "weights must not all be 0")
        return None
    return result


def _scalar_key(value: object) -> tuple[str, object]:
    """Key that tells ``1``, ``1.0``-as-float and ``True`` apart for uniqueness checks."""
    return (type(value).__name__, value)


def parse_categories(
    problems: Problems, value: Any, path: str
) -> tuple[CategoricalGen, Dtype] | None:
    """Categories from ``{value: weight}``, ``[[value, weight], ...]`` or ``[value, ...]``.

    Weights are normalised to sum 1. Values keep their type when all are numbers (integer or
    float) or all booleans; otherwise they become text (dtype categorical).
    """
    pairs: list[tuple[Any, Any, str]] = []
    if isinstance(value, Mapping):
        pairs = [(key, weight, join(path, key)) for key, weight in value.items()]
    else:
        items = problems.sequence(value, path)
        if items is None:
            return None
        is_pairs = bool(items) and all(
            isinstance(item, list | tuple) and len(item) == 2 for item in items
        )
        for i, item in enumerate(items):
            if is_pairs:
                pairs.append((item[0], item[1], at(path, i)))
            else:
                pairs.append((item, 1.0, at(path, i)))
    if not pairs:
        problems.add(path, "must list at least one category")
        return None
    values: list[Any] = []
    weights: list[float] = []
    seen: set[tuple[str, object]] = set()
    ok = True
    for item, weight, item_path in pairs:
        if isinstance(item, float) and not math.isfinite(item):
            problems.add(item_path, f"a category must be finite, got {item}")
            ok = False
        elif item is None or not isinstance(item, str | int | float | bool):
            problems.add(
                item_path,
                "a category must be text, a number or true/false (use missing: for nulls)",
            )
            ok = False
        elif _scalar_key(item) in seen:
            problems.add(item_path, f"category {item!r} is listed twice; list each value once")
            ok = False
        else:
            seen.add(_scalar_key(item))
        number = problems.number(weight, item_path, low=0)
        ok = ok and number is not None
        values.append(item)
        weights.append(float(number or 0.0))
    if not ok:
        return None
    total = sum(weights)
    if total <= 0:
        problems.add(path, "weights must not all be 0")
        return None
    dtype: Dtype
    if all(isinstance(v, bool) for v in values):
        dtype = "boolean"
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        dtype = "integer"
    elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        dtype = "float"
        values = [float(v) for v in values]
    else:
        dtype = "categorical"
        values = [v if isinstance(v, str) else _text(v) for v in values]
        if len(set(values)) < len(values):
            problems.add(path, "categories must stay distinct as text (e.g. 1 and '1')")
            return None
    norm = tuple(w / total for w in weights)
    return CategoricalGen(values=tuple(values), weights=norm), dtype


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def parse_timezone(problems: Problems, value: Any, path: str) -> str | None:
    """An IANA time zone name that exists (``Europe/Berlin``)."""
    name = problems.string(value, path)
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        hint = did_you_mean(name, _zones()) or "; use an IANA name such as Europe/Berlin or UTC"
        problems.add(path, f"unknown time zone {name!r}{hint}")
        return None
    return name


def parse_datetime(
    problems: Problems, value: Any, path: str, *, timezone: str | None
) -> datetime | None:
    """A naive datetime from ISO text; a UTC offset is converted into ``timezone``."""
    text = problems.string(value, path)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        problems.add(path, f"{text!r} is not a date; write e.g. 2024-01-31 or 2024-01-31T08:00:00")
        return None
    if moment.tzinfo is not None:
        if timezone is None:
            problems.add(path, f"{text!r} has a UTC offset; remove it and set timezone: instead")
            return None
        moment = moment.astimezone(zoneinfo.ZoneInfo(timezone)).replace(tzinfo=None)
    return moment


def days_in_range(start: datetime, end: datetime) -> set[int]:
    """Weekdays (0 = Monday) that occur between ``start`` and ``end``."""
    days = (end.date() - start.date()).days
    if days >= 6:
        return set(range(7))
    return {(start.date() + timedelta(days=i)).weekday() for i in range(days + 1)}


_WIDTH = re.compile(r"(0?[1-9][0-9]?)?d?")


def parse_id_format(problems: Problems, value: Any, path: str) -> str | None:
    """A format with exactly one ``{n}``, ``{n:0Wd}`` or ``{n:Wd}`` field and nothing else."""
    text = problems.string(value, path)
    if text is None:
        return None
    example = "use one {n} field, e.g. 'INV-{n:06d}'"
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        problems.add(path, f"{text!r} is not a valid format ({exc}); {example}")
        return None
    fields = [(name, spec, conv) for _, name, spec, conv in parts if name is not None]
    if len(fields) != 1:
        problems.add(path, f"{text!r} has {len(fields)} fields; {example}")
        return None
    name, spec, conversion = fields[0]
    if name != "n" or conversion is not None or not _WIDTH.fullmatch(spec or ""):
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        problems.add(path, f"field {shown + '}'!r} is not allowed; {example}")
        return None
    return text
