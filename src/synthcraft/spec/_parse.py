"""Turn a spec mapping (or YAML file/text) into a typed :class:`~synthcraft.spec._model.Spec`.

Every problem is collected with its dotted path (``tables.users.columns.age.distribution.scale:
must be > 0, got -1``) and all are raised together as one :class:`~synthcraft.errors.SpecError`.

Examples
--------
>>> spec = parse({"spec_version": "1.0", "tables": {"users": {"rows": 10, "columns": {
...     "age": {"distribution": "normal(40, 12)", "truncate": [18, None]}}}}})
>>> spec.tables["users"].columns[0].generator.distribution.params
{'loc': 40.0, 'scale': 12.0}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from synthcraft import pii
from synthcraft._config import Problems, join, load_yaml
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec._model import ColumnSpec, Correlation, Spec, TableSpec
from synthcraft.spec._parse_checks import check_columns, parse_correlations
from synthcraft.spec._parse_columns import parse_column, resolve_model_path
from synthcraft.spec._parse_generators import TableContext
from synthcraft.spec._parse_keys import (
    ForeignKeyDraft,
    check_primary_key,
    names_of,
    parse_foreign_key,
    reference_dtype,
    resolve_foreign_keys,
    table_cycles,
)

__all__ = ["load", "parse"]

SUPPORTED_MAJOR = 1
_SPEC_KEYS = ("spec_version", "locale", "seed", "tables")
_TABLE_KEYS = ("rows", "primary_key", "foreign_keys", "columns", "correlations", "from_model")
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")
_MAX_NODES = 1_000_000
_MAX_DEPTH = 64


def load(path_or_text: str | Path) -> Spec:
    """Read and parse a spec from a ``.yaml``/``.yml``/``.json`` file or from YAML text.

    Parameters
    ----------
    path_or_text : str or pathlib.Path
        A path, or YAML text when it is a ``str`` containing a newline. Relative ``from_model``
        paths in a file are resolved against the file's folder.

    Returns
    -------
    Spec

    Raises
    ------
    UserInputError
        The file is missing, too large or not a .yaml/.yml/.json file.
    SpecError
        The YAML is invalid or the spec has problems (all of them are listed).

    Examples
    --------
    >>> spec = load("spec_version: '1.0'\\ntables: {t: {rows: 3, columns: {x: {value: 1}}}}\\n")
    >>> spec.tables["t"].rows
    3
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return parse(_document(load_yaml(path_or_text)))
    path = Path(path_or_text)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise UserInputError(f"spec file {path} must end in .yaml, .yml or .json; rename it")
    return parse(_document(load_yaml(path)), base_dir=path.resolve().parent)


def _document(value: Any) -> Mapping[str, Any]:
    if value is None:
        raise SpecError(["spec: the document is empty; start with spec_version: '1.0' and tables:"])
    if not isinstance(value, Mapping):
        raise SpecError(["spec: must be a mapping with spec_version and tables"])
    return value


def _jsonable(value: Any, path: str, problems: Problems, budget: list[int], depth: int = 0) -> Any:
    """A JSON-ready copy: dates as ISO text, tuples as lists, keys as text.

    ``categories`` mappings whose keys are not all text (``{1: 0.5, 2: 0.5}``) become lists of
    pairs, so the values keep their type through JSON.
    """
    budget[0] -= 1
    if budget[0] < 0 or depth > _MAX_DEPTH:
        raise SpecError([f"{path or 'spec'}: the document is too large or too deeply nested"])
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, np.generic):
        return _jsonable(value.item(), path, problems, budget, depth + 1)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            item_path = join(path, _key_text(key))
            if (
                key == "categories"
                and isinstance(item, Mapping)
                and not all(isinstance(k, str) for k in item)
            ):
                item = [[k, w] for k, w in item.items()]
            text = _key_text(key)
            if (isinstance(key, bool) or key is None) and not path.endswith("cases"):
                problems.add(item_path, f"YAML reads this key as {text}; quote it (e.g. 'yes')")
            if text in result:
                problems.add(item_path, "appears twice (as different YAML values); keep one")
            result[text] = _jsonable(item, item_path, problems, budget, depth + 1)
        return result
    if isinstance(value, list | tuple):
        return [
            _jsonable(item, f"{path}[{i}]", problems, budget, depth + 1)
            for i, item in enumerate(value)
        ]
    problems.add(path, f"{type(value).__name__} is not a YAML/JSON value; use text or numbers")
    return None


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, datetime | date):
        return key.isoformat()
    return str(key)


def _resolve_paths(document: dict[str, Any], base_dir: Path | None) -> None:
    """Make ``from_model`` paths absolute against ``base_dir`` (in place)."""
    tables = document.get("tables")
    if base_dir is None or not isinstance(tables, dict):
        return
    for table in tables.values():
        if not isinstance(table, dict):
            continue
        if isinstance(table.get("from_model"), str):
            table["from_model"] = resolve_model_path(table["from_model"], base_dir)
        columns = table.get("columns")
        for column in columns.values() if isinstance(columns, dict) else ():
            if isinstance(column, dict) and isinstance(column.get("from_model"), str):
                column["from_model"] = resolve_model_path(column["from_model"], base_dir)


@dataclass
class _Draft:
    """A table after its own checks, before checks across tables."""

    name: str
    path: str
    ctx: TableContext
    columns: dict[str, ColumnSpec]
    rows: int | None
    primary_key: tuple[str, ...]
    key_path: str
    foreign_keys: list[ForeignKeyDraft]
    raw_correlations: Any
    from_model: str | None
    known: frozenset[str] | None
    correlations: tuple[Correlation, ...] = ()
    extra: list[str] = field(default_factory=list)


def parse(source: Mapping[str, Any], *, base_dir: Path | None = None) -> Spec:
    """Check a spec mapping and build its typed :class:`Spec`.

    Parameters
    ----------
    source : Mapping
        The spec as loaded from YAML/JSON (or built in Python).
    base_dir : pathlib.Path or None
        Folder that relative ``from_model`` paths are resolved against (they become absolute);
        None keeps them as written.

    Returns
    -------
    Spec
        ``Spec.source`` is the validated mapping in JSON-ready form; ``parse(spec.source)``
        gives an equal Spec.

    Raises
    ------
    SpecError
        With every problem found, each as ``"path: message"``, in document order.
    """
    if not isinstance(source, Mapping):
        raise SpecError(
            [f"spec: must be a mapping with spec_version and tables, got {type(source).__name__}"]
        )
    scratch = Problems()
    document = _jsonable(source, "", scratch, [_MAX_NODES])
    _resolve_paths(document, base_dir)
    problems = Problems(document)
    problems.extend(scratch.messages())
    problems.check_keys(document, _SPEC_KEYS, "")
    version = _version(problems, document)
    locale = "en_US"
    if "locale" in document:
        locale = problems.choice(document["locale"], "locale", pii.LOCALES) or locale
    seed = None
    if document.get("seed") is not None:
        seed = problems.number(document["seed"], "seed", low=0, integer=True)
    tables_raw = problems.mapping(problems.required(document, "tables", ""), "tables")
    if tables_raw is not None and not tables_raw:
        problems.add("tables", "must declare at least one table")
    tables_raw = tables_raw or {}
    names = _table_names(tables_raw)
    drafts: dict[str, _Draft] = {}
    for name, raw in tables_raw.items():
        path = join("tables", name)
        if problems.identifier(name, path) is None:
            continue
        draft = _table(problems, name, raw, path, locale, names)
        if draft is not None:
            drafts[name] = draft
    tables = _assemble(problems, drafts, names)
    problems.raise_if_any()
    return Spec(
        tables=tables,
        spec_version=version or "1.0",
        locale=locale,
        seed=None if seed is None else int(seed),
        source=document,
    )


def _version(problems: Problems, document: Mapping[str, Any]) -> str | None:
    value = problems.required(document, "spec_version", "")
    if value is None:
        return None
    text = str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
    text = problems.string(text, "spec_version")
    match = _VERSION.fullmatch(text.strip()) if text else None
    if text is None:
        return None
    if match is None or int(match.group(1)) < 1:
        problems.add("spec_version", f"{text!r} is not a version; write spec_version: '1.0'")
        return None
    if int(match.group(1)) > SUPPORTED_MAJOR:
        problems.add(
            "spec_version",
            f"{text} was written by a newer synthcraft (this one reads {SUPPORTED_MAJOR}.x);"
            " upgrade it",
        )
        return None
    return text.strip()


def _table_names(tables: Mapping[str, Any]) -> dict[str, tuple[set[str], set[str], set[str], bool]]:
    """Per table, leniently: declared columns, foreign-key columns, parents, has from_model."""
    names: dict[str, tuple[set[str], set[str], set[str], bool]] = {}
    for name, raw in tables.items():
        if not isinstance(raw, Mapping):
            names[name] = (set(), set(), set(), False)
            continue
        columns = raw.get("columns")
        declared = {str(c) for c in columns} if isinstance(columns, Mapping) else set()
        fk_columns: set[str] = set()
        parents: set[str] = set()
        fks = raw.get("foreign_keys")
        for fk in fks if isinstance(fks, list) else ():
            if not isinstance(fk, Mapping):
                continue
            cols = fk.get("columns")
            fk_columns.update([cols] if isinstance(cols, str) else [str(c) for c in cols or ()])
            ref = fk.get("references")
            if isinstance(ref, str):
                parents.add(ref.partition(".")[0])
            elif isinstance(ref, Mapping) and isinstance(ref.get("table"), str):
                parents.add(ref["table"])
        names[name] = (declared, fk_columns, parents, raw.get("from_model") is not None)
    return names


def _formula_names(
    name: str, names: Mapping[str, tuple[set[str], set[str], set[str], bool]]
) -> frozenset[str] | None:
    """Names a formula in table ``name`` may use, or None when a model supplies columns."""
    declared, fk_columns, parents, from_model = names[name]
    if from_model or any(names.get(p, (set(), set(), set(), False))[3] for p in parents):
        return None
    allowed = set(declared) | fk_columns
    for parent in parents:
        if parent in names and parent != name:
            p_declared, p_fk, _, _ = names[parent]
            allowed.update(f"{parent}.{column}" for column in p_declared | p_fk)
    return frozenset(allowed)


def _table(
    problems: Problems,
    name: str,
    value: Any,
    path: str,
    locale: str,
    names: Mapping[str, tuple[set[str], set[str], set[str], bool]],
) -> _Draft | None:
    raw = problems.mapping(value, path)
    if raw is None:
        return None
    problems.check_keys(raw, _TABLE_KEYS, path)
    from_model = None
    if "from_model" in raw:
        from_model = problems.string(raw["from_model"], join(path, "from_model"))
    rows = None
    if raw.get("rows") is not None:
        number = problems.number(raw["rows"], join(path, "rows"), low=0, integer=True)
        rows = None if number is None else int(number)
    foreign_keys: list[ForeignKeyDraft] = []
    if "foreign_keys" in raw:
        fpath = join(path, "foreign_keys")
        items = problems.sequence(raw["foreign_keys"], fpath) or []
        for i, item in enumerate(items):
            fk = parse_foreign_key(problems, item, f"{fpath}[{i}]")
            if fk is not None:
                foreign_keys.append(fk)
    open_columns = _formula_names(name, names) is None
    ctx = TableContext(names=_formula_names(name, names), locale=locale)
    columns: dict[str, ColumnSpec] = {}
    cpath = join(path, "columns")
    raw_columns = problems.mapping(raw.get("columns", {}), cpath) or {}
    if not raw_columns and from_model is None:
        problems.add(cpath, "declare at least one column (or from_model for the table)")
    for column_name, column_raw in raw_columns.items():
        column_path = join(cpath, column_name)
        if problems.identifier(column_name, column_path) is None:
            continue
        column = parse_column(problems, ctx, column_name, column_raw, column_path)
        if column is not None:
            columns[column_name] = column
    key: tuple[str, ...] = ()
    key_path = join(path, "primary_key")
    if raw.get("primary_key") is not None:
        key = names_of(problems, raw["primary_key"], key_path) or ()
    return _Draft(
        name=name,
        path=path,
        ctx=ctx,
        columns=columns,
        rows=rows,
        primary_key=key,
        key_path=key_path,
        foreign_keys=foreign_keys,
        raw_correlations=raw.get("correlations"),
        from_model=from_model,
        known=None if open_columns else frozenset(raw_columns),
    )


def _assemble(
    problems: Problems,
    drafts: Mapping[str, _Draft],
    names: Mapping[str, tuple[set[str], set[str], set[str], bool]],
) -> dict[str, TableSpec]:
    """Checks across columns and tables, then the typed tables in declared order."""
    primary_keys: dict[str, tuple[str, ...] | None] = {name: None for name in names}
    primary_keys.update({name: draft.primary_key for name, draft in drafts.items()})
    keys = resolve_foreign_keys(
        problems, {n: d.foreign_keys for n, d in drafts.items()}, primary_keys
    )
    table_cycles(problems, {name: [fk.parent for fk in keys.get(name, ())] for name in drafts})
    all_columns = {name: draft.columns for name, draft in drafts.items()}
    tables: dict[str, TableSpec] = {}
    for name, draft in drafts.items():
        fks = keys.get(name, ())
        fk_columns = {c for fk in fks for c in fk.columns}
        for column_name, column in list(draft.columns.items()):
            is_reference = column_name in draft.ctx.references
            if column_name in fk_columns and not is_reference:
                problems.add(
                    column.path,
                    "is a foreign-key column; declare it as {type: reference} or leave it out",
                )
            elif is_reference and column_name not in fk_columns:
                problems.add(
                    join(column.path, "type"),
                    "reference needs a foreign key with this column; add one",
                )
            elif is_reference:
                dtype = reference_dtype(name, column_name, all_columns, keys)
                if dtype is not None:
                    draft.columns[column_name] = ColumnSpec(
                        name=column.name,
                        path=column.path,
                        dtype=dtype,
                        generator=column.generator,
                        missing=column.missing,
                        outliers=column.outliers,
                        unique=column.unique,
                    )
        check_columns(
            problems,
            draft.ctx,
            draft.columns,
            join(draft.path, "columns"),
            known=draft.known,
        )
        driving = next((fk for fk in fks if fk.cardinality is not None), None)
        if driving is not None and draft.rows is not None:
            problems.add(
                join(draft.path, "rows"),
                f"rows follow the cardinality of {driving.parent}; remove rows",
            )
        if draft.primary_key:
            check_primary_key(
                problems,
                draft.primary_key,
                draft.key_path,
                draft.columns,
                fks,
                known=draft.known,
            )
        correlations: tuple[Correlation, ...] = ()
        if draft.raw_correlations is not None:
            correlations = parse_correlations(
                problems,
                draft.raw_correlations,
                join(draft.path, "correlations"),
                draft.columns,
                known=draft.known,
            )
        tables[name] = TableSpec(
            name=name,
            columns=tuple(draft.columns.values()),
            rows=draft.rows,
            primary_key=draft.primary_key,
            foreign_keys=tuple(fks),
            correlations=correlations,
            from_model=draft.from_model,
            path=draft.path,
        )
    return tables
