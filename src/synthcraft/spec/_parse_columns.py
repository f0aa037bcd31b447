"""Parse one declared column of a spec table into a :class:`ColumnSpec`.

Checks that depend only on the column itself happen here; checks across columns (``by`` cases
against the values of their column, ``from`` sources, cycles, correlations, keys) happen in
:mod:`synthcraft.spec._parse` once every column of the table is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from synthcraft._config import Problems, did_you_mean, join
from synthcraft.spec._model import (
    ByGen,
    ColumnSpec,
    ConstantGen,
    Dtype,
    Generator,
    IdGen,
    PiiGen,
    UuidGen,
)
from synthcraft.spec._parse_generators import (
    READERS,
    Parsed,
    TableContext,
    parse_missing,
    parse_outliers,
)

__all__ = [
    "ALLOWED_KEYS",
    "CASE_GENERATORS",
    "COLUMN_KEYS",
    "DTYPE_TYPES",
    "MODIFIERS",
    "GENERATOR_KEYS",
    "TYPE_GENERATORS",
    "TYPES",
    "common_dtype",
    "parse_column",
    "resolve_model_path",
]

GENERATOR_KEYS = ("distribution", "categories", "value", "pii", "formula", "by", "from_model")
"""Keys that choose a column's generator (besides ``type: boolean|id|uuid|datetime|reference``)."""
TYPE_GENERATORS = ("boolean", "id", "uuid", "datetime", "reference")
"""Values of ``type`` that are generators on their own."""
TYPES = (*TYPE_GENERATORS, "integer", "float", "string", "categorical")
"""Every value ``type`` accepts."""

ALLOWED_KEYS: dict[str, tuple[str, ...]] = {
    "distribution": ("distribution", "type", "truncate", "decimals"),
    "categories": ("categories", "type"),
    "value": ("value", "type"),
    "pii": ("pii", "locale", "from", "type"),
    "formula": ("formula", "type", "decimals"),
    "by": ("by", "cases", "default"),
    "from_model": ("from_model", "column", "conditions", "type"),
    "boolean": ("type", "p"),
    "id": ("type", "start", "step", "format"),
    "uuid": ("type",),
    "datetime": ("type", "start", "end", "timezone", "weekdays", "hours", "distribution", "unit"),
    "reference": ("type",),
}
DTYPE_TYPES: dict[str, tuple[str, ...]] = {
    "distribution": ("integer", "float"),
    "categories": ("categorical",),
    "value": ("integer", "float", "boolean", "categorical", "string"),
    "pii": ("string",),
    "formula": ("integer", "float", "boolean"),
    "from_model": ("integer", "float", "boolean", "categorical", "datetime", "string"),
}
MODIFIERS = ("missing", "outliers", "unique")
CASE_GENERATORS = ("distribution", "categories", "value", "pii", "formula", "boolean", "datetime")
COLUMN_KEYS = tuple(sorted({key for keys in ALLOWED_KEYS.values() for key in keys} | {*MODIFIERS}))
"""Every key a column mapping may hold."""


def _kind(raw: Mapping[str, Any], problems: Problems, path: str, *, case: bool) -> str | None:
    """Which generator a column mapping declares, recording conflicts and unknown keys."""
    keys = [key for key in GENERATOR_KEYS if key in raw]
    kind_type = raw.get("type")
    type_name = problems.choice(kind_type, join(path, "type"), TYPES) if "type" in raw else None
    if "type" in raw and type_name is None:
        return None
    if type_name == "datetime" and keys == ["distribution"]:
        keys = []
    if type_name in TYPE_GENERATORS and keys and type_name not in DTYPE_TYPES.get(keys[0], ()):
        keys.append(f"type: {type_name}")
    if len(keys) > 1:
        problems.add(path, f"more than one generator ({', '.join(keys)}); keep one")
        return None
    kind = keys[0] if keys else type_name if type_name in TYPE_GENERATORS else None
    allowed_kinds = CASE_GENERATORS if case else tuple(ALLOWED_KEYS)
    unknown = [key for key in raw if key not in COLUMN_KEYS]
    for key in unknown:
        problems.add(join(path, key), f"unknown key{did_you_mean(key, COLUMN_KEYS)}")
    if kind is None:
        if not unknown:
            gens = ", ".join(GENERATOR_KEYS)
            problems.add(
                path,
                f"no generator; give one of {gens} or type: {'|'.join(TYPE_GENERATORS)}",
            )
        return None
    if kind not in allowed_kinds:
        where = "a case" if case else "a column"
        problems.add(
            path, f"{kind} cannot be used in {where}; use one of {', '.join(allowed_kinds)}"
        )
        return None
    allowed = set(ALLOWED_KEYS[kind]) | (set() if case else set(MODIFIERS))
    ok = not unknown
    for key in raw:
        if key in COLUMN_KEYS and key not in allowed:
            problems.add(join(path, key), f"does not apply to {kind} columns; remove it")
            ok = False
    if type_name is not None and type_name not in TYPE_GENERATORS + DTYPE_TYPES.get(kind, ()):
        options = ", ".join(DTYPE_TYPES.get(kind, ())) or "no type"
        problems.add(
            join(path, "type"), f"{type_name} does not apply to {kind} columns ({options})"
        )
        ok = False
    return kind if ok else None


def parse_column(
    problems: Problems, ctx: TableContext, name: str, value: Any, path: str
) -> ColumnSpec | None:
    """A :class:`ColumnSpec` from the column mapping ``value`` at ``path`` (None if invalid)."""
    raw = problems.mapping(value, path)
    if raw is None:
        return None
    start = len(problems)
    parsed = _generator(problems, ctx, name, raw, path, case=False)
    missing = parse_missing(problems, ctx, raw.get("missing"), join(path, "missing"), name)
    unique = False
    if "unique" in raw:
        unique = bool(problems.boolean(raw["unique"], join(path, "unique")))
        if (
            unique
            and parsed is not None
            and not isinstance(parsed.generator, PiiGen | IdGen | UuidGen)
        ):
            problems.add(
                join(path, "unique"), "only id, uuid and pii columns can promise unique values"
            )
    if parsed is None:
        return None
    dtype: Dtype = parsed.dtype or "float"
    outliers = None
    if "outliers" in raw:
        outliers = parse_outliers(
            problems, ctx, raw["outliers"], join(path, "outliers"), name, dtype
        )
    ctx.inputs[name] = parsed.inputs + ctx.inputs.get(name, [])
    if len(problems) > start:
        return None
    return ColumnSpec(
        name=name,
        path=path,
        dtype=dtype,
        generator=parsed.generator,
        missing=missing,
        outliers=outliers,
        unique=unique or isinstance(parsed.generator, IdGen | UuidGen),
    )


def _generator(
    problems: Problems,
    ctx: TableContext,
    name: str,
    raw: Mapping[str, Any],
    path: str,
    *,
    case: bool,
) -> Parsed | None:
    kind = _kind(raw, problems, path, case=case)
    if kind is None:
        return None
    type_name: str | None = raw.get("type")
    if kind in TYPE_GENERATORS:
        type_name = None
    if kind == "by":
        return _by(problems, ctx, name, raw, path)
    if kind in READERS:
        return READERS[kind](problems, ctx, raw, path, type_name)
    ctx.references.add(name)
    return Parsed(ConstantGen(None), "integer", [])


def _by(
    problems: Problems, ctx: TableContext, name: str, raw: Mapping[str, Any], path: str
) -> Parsed | None:
    column = problems.identifier(raw["by"], join(path, "by"))
    cpath = join(path, "cases")
    cases_raw = problems.mapping(problems.required(raw, "cases", path), cpath)
    cases: list[tuple[str, Generator]] = []
    dtypes: list[Dtype] = []
    inputs: list[str] = [column] if column else []
    ok = column is not None and cases_raw is not None
    for key, case in (cases_raw or {}).items():
        case_path = join(cpath, key)
        case_map = problems.mapping(case, case_path)
        parsed = (
            None
            if case_map is None
            else _generator(problems, ctx, name, case_map, case_path, case=True)
        )
        if parsed is None:
            ok = False
            continue
        cases.append((key, parsed.generator))
        inputs += parsed.inputs
        if parsed.dtype is not None:
            dtypes.append(parsed.dtype)
    if cases_raw is not None and not cases_raw:
        problems.add(cpath, "must have at least one case")
        ok = False
    default = None
    if "default" in raw:
        dpath = join(path, "default")
        dmap = problems.mapping(raw["default"], dpath)
        parsed = None if dmap is None else _generator(problems, ctx, name, dmap, dpath, case=True)
        if parsed is None:
            ok = False
        else:
            default = parsed.generator
            inputs += parsed.inputs
            if parsed.dtype is not None:
                dtypes.append(parsed.dtype)
    if not ok or column is None:
        return None
    dtype = common_dtype(dtypes)
    if dtype is None:
        problems.add(cpath, f"cases give different types ({', '.join(sorted(set(dtypes)))})")
        return None
    return Parsed(ByGen(column=column, cases=tuple(cases), default=default), dtype, inputs)


def common_dtype(dtypes: list[Dtype]) -> Dtype | None:
    """The one dtype that holds all ``dtypes`` (float for integers and floats), else None."""
    kinds = set(dtypes)
    if not kinds:
        return "float"
    if len(kinds) == 1:
        return dtypes[0]
    if kinds <= {"integer", "float"}:
        return "float"
    if kinds <= {"categorical", "string"}:
        return "categorical"
    return None


def resolve_model_path(path: str, base_dir: Path | None) -> str:
    """``path`` made absolute against ``base_dir`` (unchanged when absolute or no base)."""
    if base_dir is None or Path(path).is_absolute():
        return path
    return str((Path(base_dir) / path).resolve())
