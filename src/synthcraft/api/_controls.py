"""Generation controls for sampling: text conditions, rebalanced categories, temperature.

``COL=VALUE`` conditions and ``COL=VALUE:SHARE`` rebalance targets are parsed against a model's
metadata (values coerced to the column's kind). A rebalance becomes one column of row-by-row
conditions whose values are drawn from the target shares, the rest of each column spread over
its other categories in the model's own proportions (estimated from a pilot sample).
"""

from __future__ import annotations

import copy
import inspect
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthcraft import engine, synthesizers
from synthcraft._types import BlockSampler, Conditions
from synthcraft.api._fit import model_name
from synthcraft.api._inspect import inspect_model
from synthcraft.errors import UnsupportedConditionError, UserInputError
from synthcraft.metadata import Column, ColumnKind, Metadata

__all__ = [
    "PILOT_ROWS",
    "check_rebalance",
    "describe_rebalance",
    "merge_conditions",
    "model_metadata",
    "parse_condition",
    "parse_conditions",
    "parse_rebalance",
    "parse_rebalances",
    "rebalance_conditions",
    "with_temperature",
]

PILOT_ROWS = 8_192
"""Rows of the pilot sample that estimates a model's own category proportions."""

Rebalance = Mapping[str, Mapping[Any, float]]
_TAG = 0x5EBA1A
"""Spawn-key tag of the rebalance streams: ``(tag, 0)`` pilot, ``(tag, 1 + i)`` column ``i``."""
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})
_SHOWN = 10
_BALANCED_KINDS = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)


# -- parsing -----------------------------------------------------------------------------------


def _column(metadata: Metadata, name: str) -> Column:
    if name not in metadata:
        raise UserInputError(
            f"unknown column {name!r}; the columns are: {', '.join(metadata.names)}"
        )
    return metadata[name]


def _split_pair(text: str, what: str, form: str, example: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UserInputError(f"{what} {text!r} is not of the form {form}; e.g. {example}")
    return name, value


def _shown(column: Column) -> str:
    cats = list(column.categories or ())
    shown = ", ".join(str(c) for c in cats[:_SHOWN]) or "(none)"
    more = f" (and {len(cats) - _SHOWN} more)" if len(cats) > _SHOWN else ""
    return shown + more


def _parse_bool(text: str) -> bool | None:
    low = text.strip().lower()
    return True if low in _TRUE else False if low in _FALSE else None


def _same(category: Any, value: Any) -> bool:
    if isinstance(value, np.generic):
        value = value.item()
    if not pd.api.types.is_scalar(value):
        return False
    if isinstance(category, bool) != isinstance(value, bool):
        return False
    if isinstance(category, str) != isinstance(value, str):
        return False
    return bool(category == value)


def _category(column: Column, value: Any) -> Any:
    """The stored category ``value`` stands for (itself, or text naming it)."""
    cats = list(column.categories or ())
    for cat in cats:
        if _same(cat, value):
            return cat
    if isinstance(value, str):
        flag = _parse_bool(value) if column.kind is ColumnKind.BOOLEAN else None
        for cat in cats:
            if (flag is not None and isinstance(cat, bool) and cat == flag) or str(cat) == value:
                return cat
    raise UserInputError(
        f"{value!r} is not a category of column {column.name!r}; use one of: {_shown(column)}"
    )


def _coerce(column: Column, text: str) -> Any:
    name, kind = column.name, column.kind
    if kind is ColumnKind.INTEGER:
        try:
            number = float(text.strip().replace("_", ""))
        except ValueError:
            number = math.nan
        if not number.is_integer():
            raise UserInputError(f"value for {name!r} must be a whole number, got {text!r}")
        return int(number)
    if kind is ColumnKind.FLOAT:
        try:
            real = float(text.strip())
        except ValueError:
            real = math.nan
        if not math.isfinite(real):
            raise UserInputError(f"value for {name!r} must be a number, got {text!r}")
        return real
    if kind is ColumnKind.BOOLEAN:
        flag = _parse_bool(text)
        if flag is None:
            raise UserInputError(
                f"value for {name!r} must be true or false (or 1/0, yes/no), got {text!r}"
            )
        return flag
    if kind is ColumnKind.DATETIME:
        try:
            stamp: Any = pd.Timestamp(text.strip())
        except (ValueError, TypeError):
            stamp = None
        if stamp is None or pd.isna(stamp):
            raise UserInputError(
                f"value for {name!r} must be a date or time, got {text!r}; e.g. 2024-01-31"
            )
        return stamp
    if kind is ColumnKind.CATEGORICAL:
        return _category(column, text)
    return text


def parse_condition(text: str, metadata: Metadata) -> tuple[str, Any]:
    """Parse ``COL=VALUE`` (split at the first ``=``) into the column and its typed value.

    Numbers become int or float, booleans come from true/false/1/0/yes/no, datetimes become a
    ``pandas.Timestamp`` and categories the stored category whose text equals ``VALUE``.

    Examples
    --------
    >>> parse_condition("age=40", model.metadata_)  # doctest: +SKIP
    ('age', 40)
    """
    name, value = _split_pair(text, "condition", "COL=VALUE", "age=40")
    return name, _coerce(_column(metadata, name), value)


def parse_rebalance(text: str, metadata: Metadata) -> tuple[str, Any, float]:
    """Parse ``COL=VALUE:SHARE`` (column at the first ``=``, share at the last ``:``).

    Examples
    --------
    >>> parse_rebalance("income=>50K:0.5", model.metadata_)  # doctest: +SKIP
    ('income', '>50K', 0.5)
    """
    name, rest = _split_pair(text, "rebalance", "COL=VALUE:SHARE", "income=>50K:0.5")
    value, sep, share_text = rest.rpartition(":")
    if not sep:
        raise UserInputError(
            f"rebalance {text!r} has no share; write COL=VALUE:SHARE, e.g. income=>50K:0.5"
        )
    column = _balanced_column(metadata, name)
    try:
        share = float(share_text.strip())
    except ValueError:
        share = math.nan
    _check_share(name, share_text, share)
    return name, _coerce(column, value), share


def parse_conditions(texts: Sequence[str], metadata: Metadata) -> dict[str, Any]:
    """A mapping of fixed values from several ``COL=VALUE`` texts (each column once)."""
    out: dict[str, Any] = {}
    for text in texts:
        name, value = parse_condition(text, metadata)
        if name in out:
            raise UserInputError(f"column {name!r} is conditioned twice; give it one value")
        out[name] = value
    return out


def parse_rebalances(texts: Sequence[str], metadata: Metadata) -> dict[str, dict[Any, float]]:
    """A rebalance mapping ``{column: {value: share}}`` from several ``COL=VALUE:SHARE`` texts."""
    out: dict[str, dict[Any, float]] = {}
    for text in texts:
        name, value, share = parse_rebalance(text, metadata)
        targets = out.setdefault(name, {})
        if value in targets:
            raise UserInputError(f"rebalance gives {name}={value} twice; give each value once")
        targets[value] = share
    return out


def model_metadata(model: BlockSampler | str | Path) -> Metadata:
    """The (privatised) metadata of a fitted model or a ``.synth`` file (read without loading)."""
    if isinstance(model, (str, Path)):
        md = inspect_model(model)["metadata"]
    else:
        md = getattr(model, "metadata_", None)
    if not isinstance(md, Metadata):
        raise UserInputError(
            f"the model ({model_name(model)}) has no column metadata; conditions and rebalancing "
            "need a fitted synthesizer"
        )
    return md


def merge_conditions(fixed: Mapping[str, Any] | None, rows: pd.DataFrame) -> pd.DataFrame:
    """Row-by-row conditions: ``rows`` with the ``fixed`` values broadcast as more columns."""
    out = rows.reset_index(drop=True).copy()
    for name, value in (fixed or {}).items():
        if str(name) in out.columns:
            raise UserInputError(
                f"column {name!r} is given both as a fixed value and row by row; give it once"
            )
        if pd.api.types.is_list_like(value) or pd.isna(value):
            raise UserInputError(f"condition for {name!r} must be one value, got {value!r}")
        out[str(name)] = pd.Series([value] * len(out))  # typed: object bools fail to match
    return out


# -- temperature -------------------------------------------------------------------------------


def _tempered_models() -> list[str]:
    return [
        name
        for name in synthesizers.list_synthesizers()
        if "temperature" in inspect.signature(synthesizers.get(name).__init__).parameters
    ]


def with_temperature(model: BlockSampler, temperature: float | None) -> BlockSampler:
    """A shallow copy of ``model`` sampling at ``temperature`` (``model`` itself when None)."""
    if temperature is None:
        return model
    get_params = getattr(model, "get_params", None)
    params = get_params() if callable(get_params) else {}
    if "temperature" not in params:
        raise UserInputError(
            f"model {model_name(model)} has no temperature setting; models that have one: "
            f"{', '.join(_tempered_models()) or '(none)'}"
        )
    check = dict(getattr(type(model), "constraints", {}) or {}).get("temperature")
    bad = isinstance(temperature, bool) or not isinstance(temperature, (int, float))
    bad = bad or not (math.isfinite(temperature) and temperature > 0)
    problem = "it must be a number > 0" if bad else None
    if problem is None and check is not None:
        problem = check("temperature", temperature)
    if problem is not None:
        raise UserInputError(f"temperature {temperature!r} is not valid: {problem}")
    tempered = copy.copy(model)
    tempered.set_params(temperature=temperature)  # type: ignore[attr-defined]
    return tempered


# -- rebalance ---------------------------------------------------------------------------------


def _balanced_column(metadata: Metadata, name: str) -> Column:
    column = _column(metadata, name)
    if column.kind not in _BALANCED_KINDS or not column.categories:
        raise UserInputError(
            f"column {name!r} is {column.kind.value}; only category and boolean columns can be "
            "rebalanced"
        )
    return column


def _check_share(name: str, given: object, share: float) -> None:
    if not (math.isfinite(share) and 0.0 < share <= 1.0):
        raise UserInputError(f"rebalance share for {name!r} must be in (0, 1], got {given!r}")


def check_rebalance(metadata: Metadata, rebalance: Rebalance) -> dict[str, dict[Any, float]]:
    """``rebalance`` checked against ``metadata``, values replaced by the stored categories."""
    if not isinstance(rebalance, Mapping):
        raise UserInputError(
            f"rebalance must be a mapping {{column: {{value: share}}}}, got "
            f"{type(rebalance).__name__}"
        )
    out: dict[str, dict[Any, float]] = {}
    for name, targets in rebalance.items():
        column = _balanced_column(metadata, str(name))
        if not isinstance(targets, Mapping) or not targets:
            raise UserInputError(
                f"rebalance for {name!r} must map values to shares, e.g. {{'>50K': 0.5}}"
            )
        checked: dict[Any, float] = {}
        for value, share in targets.items():
            cat = _category(column, value)
            if isinstance(share, bool) or not isinstance(share, (int, float, np.number)):
                raise UserInputError(
                    f"rebalance share for {name!r} must be a number, got {share!r}"
                )
            _check_share(str(name), share, float(share))
            if cat in checked:
                raise UserInputError(f"rebalance gives {name}={cat} twice; give each value once")
            checked[cat] = float(share)
        total = sum(checked.values())
        if total > 1.0 + 1e-9:
            raise UserInputError(
                f"rebalance shares for {name!r} sum to {total:g}; they must sum to at most 1"
            )
        if total < 1.0 - 1e-9 and len(checked) == len(column.categories or ()):
            raise UserInputError(
                f"rebalance shares for {name!r} cover every category but sum to {total:g}; "
                "make them sum to 1"
            )
        out[str(name)] = checked
    return out


def describe_rebalance(rebalance: Mapping[str, Mapping[Any, float]] | None) -> object:
    """A JSON-ready description of a (checked) rebalance, for manifests."""
    if rebalance is None:
        return None
    return {col: {str(v): float(s) for v, s in t.items()} for col, t in rebalance.items()}


def _codes(series: pd.Series, cats: Sequence[Any]) -> npt.NDArray[np.int64]:
    keys = [str(c) for c in cats] if pd.api.types.is_string_dtype(series.dtype) else list(cats)
    found = pd.Index(keys, dtype=object).get_indexer(pd.Index(series.astype(object)))
    return np.asarray(found, dtype=np.int64)


def _probabilities(
    cats: Sequence[Any], targets: Mapping[Any, float], pilot: pd.Series | None
) -> npt.NDArray[np.float64]:
    p = np.array([targets.get(c, 0.0) for c in cats], dtype=np.float64)
    rest = 1.0 - float(p.sum())
    if rest > 1e-12 and pilot is not None:
        others = np.array([c not in targets for c in cats])
        codes = _codes(pilot, cats)
        counts = np.bincount(codes[codes >= 0], minlength=len(cats)).astype(np.float64)
        counts[~others] = 0.0
        if counts.sum() == 0.0:  # the model never made the others: spread the rest evenly
            counts = others.astype(np.float64)
        p += rest * counts / counts.sum()
    out: npt.NDArray[np.float64] = p / p.sum()
    return out


def rebalance_conditions(
    model: BlockSampler,
    rebalance: Rebalance,
    n_rows: int,
    *,
    seed: int,
    conditions: Conditions = None,
) -> pd.DataFrame:
    """Row-by-row conditions that make ``model`` sample with the rebalanced shares.

    Each rebalanced column gets values drawn row by row (one uniform per row, from a Generator
    derived from ``seed``), so the first ``k`` rows do not depend on ``n_rows``; ``conditions``
    (fixed values or a frame of ``n_rows`` rows) are merged in.
    """
    metadata = model_metadata(model)
    checked = check_rebalance(metadata, rebalance)
    tags = getattr(model, "tags", None)
    if "rows" not in getattr(tags, "conditions", frozenset()):
        raise UnsupportedConditionError(
            f"{type(model).__name__} cannot sample with row-by-row conditions, which rebalancing "
            "needs; sample without rebalancing or use a model that supports them (e.g. argn)"
        )
    if isinstance(conditions, pd.DataFrame):
        if len(conditions) != n_rows:
            raise UserInputError(
                f"conditions have {len(conditions)} rows but {n_rows} rows were asked for; "
                "give one row of conditions per output row, or a mapping of fixed values"
            )
        frame = conditions.reset_index(drop=True).copy()
    elif conditions is None or isinstance(conditions, Mapping):
        frame = merge_conditions(conditions, pd.DataFrame(index=pd.RangeIndex(n_rows)))
    else:
        raise UserInputError(
            f"conditions must be a mapping of fixed values or a DataFrame, "
            f"got {type(conditions).__name__}"
        )
    clash = [name for name in checked if name in frame.columns]
    if clash:
        raise UserInputError(
            f"column {clash[0]!r} is both conditioned and rebalanced; give it one or the other"
        )
    needs_pilot = any(sum(t.values()) < 1.0 - 1e-9 for t in checked.values())
    pilot = None
    if needs_pilot:
        pilot_seed = np.random.SeedSequence(seed, spawn_key=(_TAG, 0))
        pilot = engine.sample_frame(model, PILOT_ROWS, seed=pilot_seed)
    for i, name in enumerate(sorted(checked)):
        cats = list(metadata[name].categories or ())
        p = _probabilities(cats, checked[name], None if pilot is None else pilot[name])
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(_TAG, 1 + i)))
        )
        picks = np.searchsorted(np.cumsum(p), rng.random(n_rows), side="right")
        picks = np.minimum(picks, len(cats) - 1)
        frame[name] = pd.Series([cats[j] for j in picks.tolist()])  # typed, as cats are
    return frame
