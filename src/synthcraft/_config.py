"""YAML loading and typed reading of config mappings that collects every problem with its path.

Shared by specs (:mod:`synthcraft.spec`) and scene configs. :func:`load_yaml` reads a file or YAML
text with the safe loader only. :class:`Problems` collects ``"path: message"`` problems while a
parser walks a mapping; its readers (``number``, ``string``, ``choice``, ...) return the typed
value, or ``None`` after recording a problem, so a parser reports everything in one
:class:`~synthcraft.errors.SpecError`.

Examples
--------
>>> problems = Problems()
>>> problems.number(-1, "age.scale", low=0, low_open=True) is None
True
>>> problems.check_keys({"familly": "norm"}, ["family", "loc", "scale"], "age.distribution")
False
>>> for problem in problems.messages():
...     print(problem)
age.scale: must be > 0, got -1
age.distribution.familly: unknown key; did you mean 'family'?
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from synthcraft.errors import SpecError, UserInputError

__all__ = [
    "MAX_CONFIG_BYTES",
    "Problems",
    "at",
    "did_you_mean",
    "join",
    "load_yaml",
]

MAX_CONFIG_BYTES = 10 * 1024 * 1024
"""Config files and texts larger than this are refused (10 MB)."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PATH_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def join(path: str, key: object) -> str:
    """The dotted path of ``key`` inside ``path`` (``join("a", "b") == "a.b"``)."""
    return f"{path}.{key}" if path else str(key)


def at(path: str, index: int) -> str:
    """The path of item ``index`` of the list at ``path`` (``at("a", 0) == "a[0]"``)."""
    return f"{path}[{index}]"


def did_you_mean(word: object, options: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest option to ``word``, or ``""`` if none is close."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _describe(value: object) -> str:
    """Short description of a value for messages (``null``, ``a list``, ``'abc'``, ``3``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _format_number(value: float) -> str:
    """``3`` for 3.0, else the shortest repr."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


class Problems:
    """Collector of ``"path: message"`` problems with typed readers that record, never raise.

    Parameters
    ----------
    document : Mapping or None
        The mapping being read; when given, :meth:`messages` lists problems in the order their
        paths appear in it (document order) instead of the order they were found.
    root : str
        Name used for problems about the whole document (path ``""``).
    """

    def __init__(self, document: Mapping[str, Any] | None = None, *, root: str = "spec") -> None:
        self._document = document
        self._root = root
        self._found: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        """Record ``message`` at ``path`` (``""`` for the whole document)."""
        self._found.append((path, message))

    def extend(self, problems: Iterable[str]) -> None:
        """Record already formatted ``"path: message"`` problems (e.g. another SpecError's)."""
        for problem in problems:
            path, sep, message = problem.partition(": ")
            if sep:
                self._found.append((path, message))
            else:
                self._found.append(("", problem))

    def __bool__(self) -> bool:
        return bool(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def __iter__(self) -> Iterator[str]:
        return iter(self.messages())

    def messages(self) -> list[str]:
        """Every problem as ``"path: message"``, in document order, duplicates dropped."""
        found = list(dict.fromkeys(self._found))
        if self._document is not None:
            found.sort(key=lambda item: self._position(item[0]))
        return [f"{path or self._root}: {message}" for path, message in found]

    def raise_if_any(self) -> None:
        """Raise :class:`SpecError` with every problem, if any was recorded."""
        if self._found:
            raise SpecError(self.messages())

    def _position(self, path: str) -> tuple[int, ...]:
        """Where ``path`` appears in the document: indices of keys/items along it."""
        node: Any = self._document
        position: list[int] = []
        for index, key in _PATH_TOKEN.findall(path):
            if isinstance(node, Mapping) and not index:
                keys = [str(k) for k in node]
                if key not in keys:
                    position.append(len(keys))
                    break
                i = keys.index(key)
                position.append(i)
                node = list(node.values())[i]
            elif isinstance(node, Sequence) and not isinstance(node, str) and index:
                i = int(index)
                if i >= len(node):
                    position.append(len(node))
                    break
                position.append(i)
                node = node[i]
            else:
                position.append(1 << 30)
                break
        return tuple(position)

    # -- typed readers: return the value, or None after recording a problem ------------------

    def mapping(self, value: Any, path: str) -> Mapping[str, Any] | None:
        """``value`` if it is a mapping with string keys."""
        if not isinstance(value, Mapping):
            self.add(path, f"must be a mapping (key: value), got {_describe(value)}")
            return None
        bad = [key for key in value if not isinstance(key, str)]
        if bad:
            self.add(path, f"keys must be text, got {_describe(bad[0])}; quote it")
            return None
        return value

    def sequence(self, value: Any, path: str, *, length: int | None = None) -> list[Any] | None:
        """``value`` as a list if it is a list (of ``length`` items when given)."""
        if not isinstance(value, (list, tuple)):
            self.add(path, f"must be a list, got {_describe(value)}")
            return None
        if length is not None and len(value) != length:
            self.add(path, f"must be a list of {length} items, got {len(value)}")
            return None
        return list(value)

    def number(
        self,
        value: Any,
        path: str,
        *,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        high_open: bool = False,
        integer: bool = False,
    ) -> float | int | None:
        """A finite number (not a bool) in the given bounds; ``int`` when ``integer``.

        ``low_open``/``high_open`` make the bound exclusive. A float with a whole value such as
        ``3.0`` is accepted where an integer is asked for.
        """
        kind = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"must be {kind}, got {_describe(value)}")
            return None
        if not math.isfinite(value):
            self.add(path, f"must be a finite number, got {value}")
            return None
        if integer:
            if not float(value).is_integer():
                self.add(path, f"must be a whole number, got {value!r}")
                return None
            value = int(value)
        shown = _format_number(value)
        if low is not None and (value <= low if low_open else value < low):
            op = ">" if low_open else ">="
            self.add(path, f"must be {op} {_format_number(low)}, got {shown}")
            return None
        if high is not None and (value >= high if high_open else value > high):
            op = "<" if high_open else "<="
            self.add(path, f"must be {op} {_format_number(high)}, got {shown}")
            return None
        result: float | int = value
        return result

    def boolean(self, value: Any, path: str) -> bool | None:
        """``value`` if it is ``true`` or ``false``."""
        if not isinstance(value, bool):
            self.add(path, f"must be true or false, got {_describe(value)}")
            return None
        return value

    def string(self, value: Any, path: str, *, empty: bool = False) -> str | None:
        """``value`` if it is text (non-empty unless ``empty``)."""
        if not isinstance(value, str):
            self.add(path, f"must be text, got {_describe(value)}")
            return None
        if not empty and not value.strip():
            self.add(path, "must not be empty")
            return None
        return value

    def identifier(self, value: Any, path: str) -> str | None:
        """``value`` if it is a name of letters, digits and ``_``, not starting with a digit."""
        text = self.string(value, path)
        if text is None:
            return None
        if not _IDENTIFIER.fullmatch(text):
            self.add(
                path, f"{text!r} is not a valid name; use letters, digits and _ (not a digit first)"
            )
            return None
        return text

    def choice(self, value: Any, path: str, options: Collection[str]) -> str | None:
        """``value`` if it is one of ``options`` (an unknown value gets a did-you-mean)."""
        text = self.string(value, path)
        if text is None:
            return None
        if text not in options:
            hint = did_you_mean(text, options)
            if not hint:
                shown = sorted(options)
                listed = ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
                hint = f"; use one of {listed}"
            self.add(path, f"unknown value {text!r}{hint}")
            return None
        return text

    def check_keys(self, mapping: Mapping[str, Any], allowed: Collection[str], path: str) -> bool:
        """Record each key of ``mapping`` not in ``allowed``; True when all keys are allowed."""
        ok = True
        for key in mapping:
            if key not in allowed:
                ok = False
                self.add(join(path, key), f"unknown key{did_you_mean(key, allowed)}")
        return ok

    def required(self, mapping: Mapping[str, Any], key: str, path: str) -> Any:
        """``mapping[key]``, or None after recording that it is missing."""
        if key not in mapping:
            self.add(join(path, key), "required; add it")
            return None
        return mapping[key]


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, refusing a key that appears twice in one mapping."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def load_yaml(source: str | Path, *, what: str = "spec") -> Any:
    """Read YAML (or JSON) from a file or from text with the safe loader.

    Parameters
    ----------
    source : str or pathlib.Path
        A path, or YAML text when it is a ``str`` containing a newline. Files ending in
        ``.json`` are read as JSON.
    what : str
        What is being read, for messages ("spec", "scene config").

    Returns
    -------
    Any
        The loaded value (``None`` for an empty document).

    Raises
    ------
    UserInputError
        The file does not exist, is not a file, or is larger than 10 MB.
    SpecError
        The text is not valid YAML/JSON (the problem names line and column) or repeats a key.
    """
    if isinstance(source, str) and "\n" in source:
        label = f"{what} text"
        text = source
        if len(text.encode("utf-8", "surrogatepass")) > MAX_CONFIG_BYTES:
            raise UserInputError(f"the {what} text is larger than 10 MB; split or shorten it")
        is_json = False
    else:
        path = Path(source)
        label = path.name
        if not path.exists():
            raise UserInputError(f"{what} file not found: {path}; check the path")
        if not path.is_file():
            raise UserInputError(f"{what} path is not a file: {path}; give a .yaml file")
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise UserInputError(
                f"{what} file {path} is {size / 1e6:.1f} MB; files over 10 MB are refused"
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise SpecError([f"{label}: not UTF-8 text ({exc.reason}); save it as UTF-8"]) from exc
        is_json = path.suffix.lower() == ".json"
    if is_json:
        try:
            return json.loads(text, object_pairs_hook=_json_pairs)
        except json.JSONDecodeError as exc:
            raise SpecError(
                [f"{label}: JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
            ) from exc
        except ValueError as exc:
            raise SpecError([f"{label}: {exc}; keep one of them"]) from exc
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "; keep one of them" if problem.startswith("duplicate key") else ""
        raise SpecError([f"{label}: YAML syntax error{where}: {problem}{hint}"]) from exc
    except yaml.YAMLError as exc:
        raise SpecError([f"{label}: not valid YAML: {exc}"]) from exc
