"""Model settings from the command line and settings files, checked against the model class.

Values given as text (``--param epochs=10``) are converted by the type of the setting, read from
the constructor's annotation or, without one, from its default value:

* ``none`` / ``null`` -> ``None`` where the setting allows ``None``;
* ``true/false``, ``yes/no``, ``on/off``, ``1/0`` -> ``bool`` for boolean settings;
* whole numbers (``10``, ``1_000``) -> ``int``; numbers (``0.5``, ``1e-3``) -> ``float``;
* ``a,b,c`` -> a list (or tuple) of strings for list settings;
* anything else stays text for text settings.

Values that are not text (from a YAML/JSON settings file or Python) are passed on unchanged; the
model checks them at the start of ``fit``.
"""

from __future__ import annotations

import inspect
import json
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from synthcraft.errors import MissingDependencyError, UserInputError

__all__ = ["coerce_params", "load_params", "parse_param_pairs"]

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_NONE = {"none", "null"}
_NAMES: dict[str, type] = {
    "None": type(None),
    "NoneType": type(None),
    "bool": bool,
    "int": int,
    "float": float,
    "str": str,
    "list": list,
    "tuple": tuple,
    "Sequence": list,
    "Iterable": list,
    "frozenset": tuple,
}


def parse_param_pairs(pairs: list[str]) -> dict[str, str]:
    """Turn ``["epochs=10", "k=5"]`` into ``{"epochs": "10", "k": "5"}`` (later keys win)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserInputError(
                f"--param {pair!r} is not KEY=VALUE; write e.g. --param rare_category_k=10"
            )
        out[key.strip()] = value.strip()
    return out


def load_params(path: str | Path) -> dict[str, Any]:
    """Read model settings from a YAML (``.yaml``/``.yml``) or JSON file holding one mapping."""
    p = Path(path)
    if not p.is_file():
        raise UserInputError(f"settings file {str(p)!r} does not exist; check the path")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserInputError(f"settings file {str(p)!r} is not UTF-8 text") from None
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserInputError(
                f"settings file {str(p)!r} is not valid JSON (line {exc.lineno}: {exc.msg})"
            ) from None
    else:
        data = _load_yaml(p, text)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise UserInputError(
            f"settings file {str(p)!r} must hold one mapping of setting names to values, "
            "e.g. 'rare_category_k: 10'"
        )
    return dict(data)


def _load_yaml(path: Path, text: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise MissingDependencyError(
            "reading YAML settings needs PyYAML; pip install pyyaml, or give a .json file"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise UserInputError(f"settings file {str(path)!r} is not valid YAML{line}") from None


def coerce_params(
    cls: type, defaults: Mapping[str, Any], params: Mapping[str, Any], *, model: str
) -> dict[str, Any]:
    """Check ``params`` against the settings of ``cls`` and convert text values by type.

    Parameters
    ----------
    cls : type
        The model class (its constructor annotations give the setting types).
    defaults : mapping
        The model's settings with their defaults (``cls().get_params()``).
    params : mapping
        Settings given by the user.
    model : str
        Model name, for messages.
    """
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        valid = ", ".join(sorted(defaults)) or "(none)"
        raise UserInputError(
            f"model {model!r} has no setting {unknown[0]!r}; its settings are: {valid}"
        )
    hints = _annotations(cls)
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str):
            value = _coerce(key, value, hints.get(key, inspect.Parameter.empty), defaults[key])
        out[key] = value
    return out


def _annotations(cls: type) -> dict[str, Any]:
    init = cls.__init__  # type: ignore[misc]
    try:
        return dict(typing.get_type_hints(init))
    except Exception:  # unresolvable names: fall back to the annotation text
        return {
            name: p.annotation
            for name, p in inspect.signature(init).parameters.items()
            if p.annotation is not inspect.Parameter.empty
        }


def _kinds(annotation: Any, default: Any) -> set[type]:
    """The plain types a setting accepts, from its annotation (object or text) or default."""
    if annotation is inspect.Parameter.empty or annotation is Any:
        if default is None:
            return set()
        kinds = {tuple if isinstance(default, (tuple, frozenset)) else type(default)}
        return kinds | ({list} if isinstance(default, list) else set())
    if isinstance(annotation, str):
        found: set[type] = set()
        for part in _split_top(annotation):
            head = part.split("[", 1)[0].strip().rsplit(".", 1)[-1]
            if head in _NAMES:
                found.add(_NAMES[head])
            elif head == "Literal":
                found |= _literal_text_kinds(part)
        return found
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_kinds(a, default) for a in typing.get_args(annotation)))
    if origin is typing.Literal:
        return {type(a) for a in typing.get_args(annotation)}
    if origin is not None:
        return {tuple if origin in (tuple, frozenset) else list}
    if isinstance(annotation, type):
        return {annotation}
    return set()


def _split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [*parts, cur]


def _literal_text_kinds(part: str) -> set[type]:
    inner = part[part.index("[") + 1 : part.rindex("]")] if "[" in part else ""
    values = [v.strip() for v in inner.split(",") if v.strip()]
    return {str if v[:1] in "'\"" else int if v.lstrip("-").isdigit() else float for v in values}


def _coerce(key: str, text: str, annotation: Any, default: Any) -> Any:
    kinds = _kinds(annotation, default)
    low = text.strip().lower()
    if low in _NONE and (type(None) in kinds or not kinds):
        return None
    if bool in kinds and low in _TRUE | _FALSE:
        return low in _TRUE
    if int in kinds:
        try:
            return int(text)
        except ValueError:
            pass
    if float in kinds:
        try:
            return float(text)
        except ValueError:
            pass
    if list in kinds or tuple in kinds:
        items = [s.strip() for s in text.split(",") if s.strip()]
        return tuple(items) if tuple in kinds and list not in kinds else items
    if str in kinds or not kinds:
        return text
    wanted = " or ".join(sorted(k.__name__ for k in kinds if k is not type(None)))
    example = default if default is not None else "..."
    raise UserInputError(
        f"setting {key!r} must be {wanted}, got {text!r}; write e.g. --param {key}={example}"
    )
