"""Readers for each kind of column generator and for the ``missing``/``outliers`` modifiers.

Each reader takes the problem collector, the column mapping and its path and returns a
:class:`Parsed` (generator, dtype, input columns) or None after recording what is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from synthcraft import pii
from synthcraft._config import Problems, join
from synthcraft.errors import SpecError
from synthcraft.spec._formula import Formula, parse_formula
from synthcraft.spec._model import (
    BooleanGen,
    ConstantGen,
    DatetimeGen,
    DistributionGen,
    Dtype,
    FormulaGen,
    Generator,
    IdGen,
    Missingness,
    ModelGen,
    Outliers,
    PiiGen,
    UuidGen,
)
from synthcraft.spec._parse_values import (
    days_in_range,
    parse_categories,
    parse_datetime,
    parse_distribution,
    parse_id_format,
    parse_timezone,
    parse_weights,
    truncated_mass,
)

__all__ = [
    "FROM_KINDS",
    "HOUR_PRESETS",
    "NAME_KINDS",
    "WEEKDAY_PRESETS",
    "READERS",
    "Parsed",
    "TableContext",
    "boolean_gen",
    "categories_gen",
    "datetime_gen",
    "decimals_of",
    "distribution_gen",
    "formula_gen",
    "id_gen",
    "model_gen",
    "parse_missing",
    "parse_outliers",
    "pii_gen",
    "uuid_gen",
    "value_gen",
]

FROM_KINDS = ("email", "username")
"""PII kinds that can be made from a person's name column (``from:``)."""
NAME_KINDS = ("full_name",)
"""PII kinds a ``from:`` column may name."""
_BUSINESS_DAYS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0)
_BUSINESS_HOURS = tuple(1.0 if 9 <= hour < 17 else 0.0 for hour in range(24))
WEEKDAY_PRESETS: dict[str, tuple[float, ...]] = {"business": _BUSINESS_DAYS, "all": (1.0,) * 7}
"""Named weekday weights: ``business`` is Monday to Friday."""
HOUR_PRESETS: dict[str, tuple[float, ...]] = {"business": _BUSINESS_HOURS, "all": (1.0,) * 24}
"""Named hour weights: ``business`` is 9:00 to 17:00."""


@dataclass
class TableContext:
    """What a column parser needs to know about its table.

    ``names`` are the names a formula may use (``None``: not checked, e.g. when a model supplies
    columns); ``inputs`` collects, per column, the columns it is computed from.
    """

    names: frozenset[str] | None
    locale: str
    inputs: dict[str, list[str]] = field(default_factory=dict)
    references: set[str] = field(default_factory=set)
    markers: dict[str, str] = field(default_factory=dict)


@dataclass
class Parsed:
    generator: Generator
    dtype: Dtype | None  # None: any (a null constant)
    inputs: list[str]


def decimals_of(problems: Problems, raw: Mapping[str, Any], path: str, dtype: Dtype) -> int | None:
    if "decimals" not in raw:
        return None
    if dtype != "float":
        problems.add(join(path, "decimals"), f"applies to float columns only, not {dtype}")
        return None
    value = problems.number(raw["decimals"], join(path, "decimals"), low=0, high=15, integer=True)
    return None if value is None else int(value)


def distribution_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    dist = parse_distribution(
        problems, raw["distribution"], join(path, "distribution"), histogram=True
    )
    low = high = None
    if "truncate" in raw:
        tpath = join(path, "truncate")
        bounds = problems.sequence(raw["truncate"], tpath, length=2)
        if bounds is not None:
            low, high = (
                None if b is None else problems.number(b, f"{tpath}[{i}]")
                for i, b in enumerate(bounds)
            )
            if low is not None and high is not None and low >= high:
                problems.add(tpath, f"low must be < high, got [{low}, {high}]")
            elif (
                dist is not None
                and (low is not None or high is not None)
                and truncated_mass(dist, low, high) < 1e-12
            ):
                problems.add(tpath, f"{dist.family} has (almost) no values in [{low}, {high}]")
    if dist is None:
        return None
    dtype: Dtype = "integer" if dist.discrete else "float"
    if type_name is not None:
        dtype = "integer" if type_name == "integer" else "float"
    decimals = decimals_of(problems, raw, path, dtype)
    gen = DistributionGen(
        distribution=dist,
        low=None if low is None else float(low),
        high=None if high is None else float(high),
        decimals=decimals,
    )
    return Parsed(gen, dtype, [])


def value_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    """A constant: text, number, true/false or null (dtype from the value or ``type``)."""
    value = raw["value"]
    vpath = join(path, "value")
    if isinstance(value, float) and not math.isfinite(value):
        problems.add(vpath, f"must be finite, got {value}; use null for a missing value")
        return None
    if value is not None and not isinstance(value, str | int | float | bool):
        problems.add(vpath, "must be text, a number, true/false or null")
        return None
    natural: Dtype | None
    if value is None:
        natural = None
    elif isinstance(value, bool):
        natural = "boolean"
    elif isinstance(value, int):
        natural = "integer"
    elif isinstance(value, float):
        natural = "float"
    else:
        natural = "categorical"
    if type_name is None or value is None:
        dtype = type_name or natural
        return Parsed(ConstantGen(value), dtype, [])  # type: ignore[arg-type]
    if natural == "float":
        fits: tuple[str, ...] = ("float", "integer") if float(value).is_integer() else ("float",)
    else:
        fits = {"boolean": ("boolean",), "integer": ("integer", "float")}.get(
            natural or "", ("categorical", "string")
        )
    if type_name not in fits:
        problems.add(join(path, "type"), f"{type_name} does not fit the value {value!r}")
        return None
    if type_name == "float":
        value = float(value)
    elif type_name == "integer":
        value = int(value)
    return Parsed(ConstantGen(value), type_name, [])  # type: ignore[arg-type]


def pii_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    kind = problems.choice(raw["pii"], join(path, "pii"), pii.list_kinds())
    locale = ctx.locale
    if "locale" in raw:
        locale = problems.choice(raw["locale"], join(path, "locale"), pii.LOCALES) or locale
    source = None
    if "from" in raw:
        source = problems.identifier(raw["from"], join(path, "from"))
        if kind is not None and kind not in FROM_KINDS:
            problems.add(
                join(path, "from"), f"applies to {', '.join(FROM_KINDS)} columns, not {kind}"
            )
    if kind is None:
        return None
    return Parsed(
        PiiGen(kind=kind, locale=locale, source=source), "string", [source] if source else []
    )


def _formula_at(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str
) -> tuple[str, Formula] | None:
    """The text and parsed formula under ``raw["formula"]``, or None (problems recorded)."""
    fpath = join(path, "formula")
    text = problems.string(raw["formula"], fpath)
    if text is None:
        return None
    try:
        return text, parse_formula(text, path=fpath, columns=ctx.names)
    except SpecError as exc:
        problems.extend(exc.problems)
        return None


def formula_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    parsed = _formula_at(problems, ctx, raw, path)
    if parsed is None:
        return None
    text, formula = parsed
    dtype: Dtype = "boolean" if formula.is_boolean else "float"
    if type_name == "boolean" and not formula.is_boolean:
        problems.add(join(path, "type"), "boolean needs a comparison (e.g. 'x > 3') at the top")
        return None
    if type_name is not None:
        dtype = type_name  # type: ignore[assignment]
    decimals = decimals_of(problems, raw, path, dtype)
    return Parsed(FormulaGen(expression=text, decimals=decimals), dtype, list(formula.inputs))


def model_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    model_path = problems.string(raw["from_model"], join(path, "from_model"))
    column = None
    if "column" in raw:
        column = problems.string(raw["column"], join(path, "column"))
    conditions: list[str] = []
    if "conditions" in raw:
        cpath = join(path, "conditions")
        items = problems.sequence(raw["conditions"], cpath) or []
        conditions = [
            c for i, item in enumerate(items) if (c := problems.identifier(item, f"{cpath}[{i}]"))
        ]
        if len(conditions) != len(items):
            return None
    if model_path is None:
        return None
    dtype: Dtype = type_name or "float"  # type: ignore[assignment]
    gen = ModelGen(path=model_path, column=column, conditions=tuple(conditions))
    return Parsed(gen, dtype, list(conditions))


def id_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    start = problems.number(raw.get("start", 1), join(path, "start"), integer=True)
    step = problems.number(raw.get("step", 1), join(path, "step"), integer=True)
    if step == 0:
        problems.add(join(path, "step"), "must not be 0")
        step = None
    fmt = None
    if "format" in raw:
        fmt = parse_id_format(problems, raw["format"], join(path, "format"))
        if fmt is None:
            return None
    if start is None or step is None:
        return None
    gen = IdGen(start=int(start), step=int(step), format=fmt)
    return Parsed(gen, "string" if fmt else "integer", [])


def datetime_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    count = len(problems)
    zone = None
    if "timezone" in raw:
        zone = parse_timezone(problems, raw["timezone"], join(path, "timezone"))
        if zone is None:
            return None
    start = parse_datetime(
        problems, problems.required(raw, "start", path), join(path, "start"), timezone=zone
    )
    end = parse_datetime(
        problems, problems.required(raw, "end", path), join(path, "end"), timezone=zone
    )
    if start is not None and end is not None and start >= end:
        problems.add(
            join(path, "end"), f"must be after start ({start.isoformat()}), got {end.isoformat()}"
        )
    weekdays = hours = None
    if "weekdays" in raw:
        wpath = join(path, "weekdays")
        weekdays = parse_weights(problems, raw["weekdays"], wpath, length=7, named=WEEKDAY_PRESETS)
        feasible = (
            weekdays is None
            or start is None
            or end is None
            or start >= end
            or any(weekdays[day] > 0 for day in days_in_range(start, end))
        )
        if not feasible:
            problems.add(wpath, "no day between start and end has a weight > 0")
    if "hours" in raw:
        hours = parse_weights(
            problems, raw["hours"], join(path, "hours"), length=24, named=HOUR_PRESETS
        )
    dist = None
    if "distribution" in raw:
        dpath = join(path, "distribution")
        dist = parse_distribution(problems, raw["distribution"], dpath)
        if dist is not None and start is not None and end is not None and start < end:
            span = (end - start).total_seconds() / 86400
            if truncated_mass(dist, 0.0, span) < 1e-12:
                problems.add(dpath, f"gives (almost) no offsets between 0 and {span:g} days")
    unit = problems.choice(raw.get("unit", "s"), join(path, "unit"), ("D", "s", "ms", "us"))
    if len(problems) > count or start is None or end is None or unit is None:
        return None
    gen = DatetimeGen(
        start=start,
        end=end,
        timezone=zone,
        distribution=dist,
        weekdays=weekdays,
        hours=hours,
        unit=unit,  # type: ignore[arg-type]
    )
    return Parsed(gen, "datetime", [])


def parse_missing(
    problems: Problems, ctx: TableContext, value: Any, path: str, name: str
) -> Missingness | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        rate = problems.number(value, path, low=0, high=1)
        return None if rate is None else Missingness(rate=float(rate))
    raw = problems.mapping(value, path)
    if raw is None or not problems.check_keys(raw, ("rate", "formula"), path):
        return None
    if len(raw) != 1:
        problems.add(path, "give either rate or formula")
        return None
    if "rate" in raw:
        rate = problems.number(raw["rate"], join(path, "rate"), low=0, high=1)
        return None if rate is None else Missingness(rate=float(rate))
    parsed = _formula_at(problems, ctx, raw, path)
    if parsed is None:
        return None
    text, formula = parsed
    ctx.inputs[name] = ctx.inputs.get(name, []) + list(formula.inputs)
    return Missingness(formula=text)


def parse_outliers(
    problems: Problems, ctx: TableContext, value: Any, path: str, name: str, dtype: Dtype
) -> Outliers | None:
    raw = problems.mapping(value, path)
    if raw is None or not problems.check_keys(
        raw, ("rate", "factor", "distribution", "marker"), path
    ):
        return None
    if dtype not in ("integer", "float"):
        problems.add(path, f"apply to number columns only, not {dtype}")
        return None
    rate = problems.number(
        problems.required(raw, "rate", path),
        join(path, "rate"),
        low=0,
        high=1,
        low_open=True,
        high_open=True,
    )
    factor = dist = None
    if ("factor" in raw) == ("distribution" in raw):
        problems.add(path, "give either factor or distribution")
    elif "factor" in raw:
        factor = problems.number(raw["factor"], join(path, "factor"))
        if factor == 0:
            problems.add(join(path, "factor"), "must not be 0")
    else:
        dist = parse_distribution(problems, raw["distribution"], join(path, "distribution"))
    marker = None
    if "marker" in raw:
        marker = problems.identifier(raw["marker"], join(path, "marker"))
        if marker is not None:
            if marker in ctx.markers:
                problems.add(
                    join(path, "marker"), f"{marker!r} already marks {ctx.markers[marker]}"
                )
            ctx.markers[marker] = name
    if rate is None or (factor is None and dist is None) or factor == 0:
        return None
    return Outliers(
        rate=float(rate),
        distribution=dist,
        factor=None if factor is None else float(factor),
        marker=marker,
    )


def categories_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    """Categories with weights (see :func:`parse_categories`)."""
    result = parse_categories(problems, raw["categories"], join(path, "categories"))
    if result is None:
        return None
    gen, dtype = result
    if type_name == "categorical" and dtype != "categorical":
        problems.add(join(path, "type"), f"categories are {dtype} values; remove type")
        return None
    return Parsed(gen, dtype, [])


def boolean_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    """True with probability ``p`` (default 0.5)."""
    p = problems.number(raw.get("p", 0.5), join(path, "p"), low=0, high=1)
    return None if p is None else Parsed(BooleanGen(p=float(p)), "boolean", [])


def uuid_gen(
    problems: Problems, ctx: TableContext, raw: Mapping[str, Any], path: str, type_name: str | None
) -> Parsed | None:
    """Random version-4 UUID text."""
    return Parsed(UuidGen(), "string", [])


READERS: dict[str, Callable[..., Parsed | None]] = {
    "distribution": distribution_gen,
    "categories": categories_gen,
    "value": value_gen,
    "pii": pii_gen,
    "formula": formula_gen,
    "from_model": model_gen,
    "boolean": boolean_gen,
    "id": id_gen,
    "uuid": uuid_gen,
    "datetime": datetime_gen,
}
"""The reader of each generator kind (``by`` and ``reference`` are read by the column parser)."""
