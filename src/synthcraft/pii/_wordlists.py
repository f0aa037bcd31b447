"""Word tables per locale: built-in weighted lists, or Mimesis data sets loaded at first use.

Mimesis (MIT licence, see ``synthcraft/data/LICENSES.md``) ships JSON word lists per language in
``mimesis/datasets/<folder>/``; they are read with :mod:`importlib.resources` the first time a
locale needs them (never when synthcraft is imported) and cached. Every list is cleaned before
use: entries that fail the kind's validator (digits in street names, lower-case junk, ...) are
dropped, so every drawn value validates. Built-in weighted lists (:mod:`._data`,
:mod:`._data_intl`) are preferred where they exist: names for en_US, en_GB, de_DE, es_ES, it_IT
and ja_JP, cities for en_US, en_GB, de_DE and es_ES.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from synthcraft.errors import MissingDependencyError
from synthcraft.pii import _data as d
from synthcraft.pii import _data_intl as di
from synthcraft.pii import _text_validators as tv
from synthcraft.pii import _validators as v
from synthcraft.pii._forms import IntArray, StrArray

__all__ = [
    "Table",
    "ascii_fold",
    "ascii_names",
    "cities",
    "countries",
    "first_names",
    "job_titles",
    "last_names",
    "romaji",
    "sentences",
    "street_names",
    "weighted",
    "words",
]

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SPECIAL = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss"}
)


_SLOTS = 1 << 16
"""Slots of the lookup table that weighted draws index uniformly (weights kept to 1/65,536)."""


def _slots(p: npt.NDArray[np.float64]) -> IntArray:
    """Value ``i`` repeated about ``p[i] * 65,536`` times (at least once; largest remainders)."""
    exact = p * _SLOTS
    counts = np.maximum(np.floor(exact).astype(np.int64), 1)
    short = _SLOTS - int(counts.sum())
    if short > 0:
        counts[np.argsort(counts - exact, kind="stable")[:short]] += 1
    return np.repeat(np.arange(len(p), dtype=np.int64), counts)


@dataclass(frozen=True, eq=False)
class Table:
    """Values and their probabilities (``None``: uniform).

    Weighted draws pick a uniform slot of a 65,536-slot lookup table (ten times faster than
    ``Generator.choice`` with ``p``); each value's share is its weight to within 1/65,536.
    """

    values: StrArray
    p: npt.NDArray[np.float64] | None = None

    @cached_property
    def _lookup(self) -> IntArray:
        return _slots(self.p) if self.p is not None else np.arange(len(self.values))

    def index(self, rng: np.random.Generator, n: int) -> IntArray:
        if self.p is None:
            return rng.integers(0, len(self.values), size=n)
        return self._lookup[rng.integers(0, len(self._lookup), size=n)]

    def draw(self, rng: np.random.Generator, n: int) -> StrArray:
        out: StrArray = self.values[self.index(rng, n)]
        return out


def weighted(pairs: Iterable[tuple[str, int]]) -> Table:
    """A :class:`Table` of ``(value, weight)`` pairs."""
    pairs = tuple(pairs)
    p = np.asarray([w for _, w in pairs], dtype=np.float64)
    return Table(np.asarray([x for x, _ in pairs], dtype=np.str_), p / p.sum())


def _uniform(values: Iterable[str]) -> Table:
    return Table(np.asarray(list(dict.fromkeys(values)), dtype=np.str_))


@cache
def _load(folder: str, name: str) -> dict[str, Any]:
    try:
        root = importlib.resources.files("mimesis") / "datasets" / folder / f"{name}.json"
        data: dict[str, Any] = json.loads(root.read_text(encoding="utf-8"))
    except ModuleNotFoundError:
        raise MissingDependencyError(
            "fake values for this locale need the word lists of the 'mimesis' package; "
            "install it with: pip install 'mimesis>=22,<23'"
        ) from None
    except FileNotFoundError:
        return {}
    return data


def _mimesis(locale: str, name: str, *path: str) -> list[str]:
    """The first non-empty list at ``path`` in the locale's Mimesis folders."""
    for folder in di.MIMESIS_DIRS[locale]:
        node: Any = _load(folder, name)
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if isinstance(node, list) and node:
            return [str(x).strip() for x in node]
    return []


def _valid(values: Iterable[str], check: Callable[[object], v.BoolArray]) -> list[str]:
    items = list(values)
    ok = check(np.asarray(items, dtype=object))
    return [x for x, good in zip(items, ok, strict=True) if good]


def _streets(names: list[str], line: Callable[[str], str], pattern: re.Pattern[str]) -> Table:
    """The names whose street line (``line(name)``) matches the locale's street pattern."""
    return _uniform(x for x in names if pattern.fullmatch(line(x)) is not None)


@cache
def first_names(locale: str) -> Table:
    """Given names (weighted where a built-in list exists)."""
    if locale in d.FIRST_NAMES:
        return weighted(d.FIRST_NAMES[locale])
    if locale in di.FIRST_NAMES_INTL:
        return weighted(di.FIRST_NAMES_INTL[locale])
    raw = _mimesis(locale, "person", "names", "female") + _mimesis(
        locale, "person", "names", "male"
    )
    return _uniform(x for x in _valid(raw, v.is_first_name) if len(x) > 1)


@cache
def last_names(locale: str) -> Table:
    """Surnames (weighted where a built-in list exists)."""
    if locale in d.LAST_NAMES:
        return weighted(d.LAST_NAMES[locale])
    if locale in di.LAST_NAMES_INTL:
        return weighted(di.LAST_NAMES_INTL[locale])
    raw = _mimesis(locale, "person", "surnames")
    return _uniform(x for x in _valid(raw, v.is_last_name) if len(x) > 1)


@cache
def cities(locale: str) -> Table:
    """Cities and towns (weighted by population where a built-in list exists)."""
    if locale in d.CITIES:
        return weighted(d.CITIES[locale])
    if locale in di.CITIES_INTL:
        return weighted(di.CITIES_INTL[locale])
    return _uniform(_valid(_mimesis(locale, "address", "city"), v.is_city))


def _typed(name: str, prefixes: tuple[str, ...], default: str) -> str:
    """``name`` with a street type in front unless it starts with one."""
    return name if name.split(" ", 1)[0] in prefixes else f"{default} {name}"


@cache
def street_names(locale: str) -> Table:
    """Street names as written next to the house number (see :mod:`._addresses`)."""
    if locale in d.STREET_NAMES:
        return _uniform(d.STREET_NAMES[locale])
    raw = [x for x in _mimesis(locale, "address", "street", "name") if not any(map(str.isdigit, x))]
    if locale in di.STREET_PREFIXES:
        prefixes, default = di.STREET_PREFIXES[locale]
        typed = [_typed(x, prefixes, default) for x in raw]
        return _streets(typed, lambda x: f"{x}, 1", v._STREET_SOUTH)
    if locale == "fr_FR":
        return _streets(raw, lambda x: f"1 Rue {x}", v._STREET_FR)
    if locale == "it_IT":
        return _streets(raw, lambda x: f"Via {x}, 1", v._STREET_SOUTH)
    if locale == "ja_JP":
        return _streets(raw, lambda x: f"{x}1丁目1-1", v._STREET_JA)
    return _streets(raw, lambda x: f"{x} 1", v._STREET_NL)


@cache
def job_titles(locale: str) -> Table:
    """Occupations in the locale's language."""
    return _uniform(_valid(_mimesis(locale, "person", "occupation"), tv.is_job_title))


@cache
def countries(locale: str) -> Table:
    """Country names in the locale's language."""
    return _uniform(_valid(_mimesis(locale, "address", "country", "name"), tv.is_country))


_SENTENCE_POOLS: dict[str, tuple[str, ...]] = {
    "de_DE": ("text", "quotes"),
    "es_ES": ("text",),
    "fr_FR": ("quotes",),
    "it_IT": ("text", "quotes"),
    "ja_JP": ("text", "quotes"),
    "nl_NL": ("text",),
}
"""Locales whose Mimesis texts are everyday sentences (and which lists); the others build
sentences from words."""


def _end(text: str, locale: str) -> str:
    """``text`` with a full stop (or the ``?``/``!`` its opening ``¿``/``¡`` asks for)."""
    if text[-1:] in ".!?…。！？":
        return text
    if locale == "ja_JP":
        return text + "。"
    return text + {"¿": "?", "¡": "!"}.get(text[:1], ".")


@cache
def sentences(locale: str) -> Table | None:
    """Whole sentences (texts and quotes), or None where the locale builds them from words."""
    if locale not in _SENTENCE_POOLS:
        return None
    raw = [x for key in _SENTENCE_POOLS[locale] for x in _mimesis(locale, "text", key)]
    cleaned = [_end(" ".join(x.split()), locale) for x in raw if x.strip()]
    return _uniform(_valid(cleaned, tv.is_sentence))


@cache
def words(locale: str) -> StrArray:
    """Lower-case words of three or more letters, for sentences made of words."""
    raw = _mimesis(locale, "text", "words")
    kept = [w for w in raw if len(w) >= 3 and w.isalpha() and w.islower()]
    return np.asarray(sorted(set(kept)), dtype=np.str_)


@lru_cache(maxsize=1 << 16)
def ascii_fold(text: str, locale: str) -> str:
    """Lower-case ASCII letters of ``text`` (``"Jürgen"`` -> ``"juergen"`` in de_DE, else
    ``"jurgen"``; accents dropped, other characters removed). Cached: names repeat."""
    lowered = text.lower()
    if locale == "de_DE":
        lowered = lowered.translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_SPECIAL))
    return "".join(c for c in decomposed if "a" <= c <= "z")


@cache
def romaji() -> dict[str, str]:
    """Hepburn romanisation of the built-in Japanese names."""
    return {kanji: roman for kanji, roman, _ in (*di.JA_FAMILY, *di.JA_GIVEN)}


@cache
def ascii_names(locale: str, last: bool) -> StrArray:
    """ASCII forms of :func:`first_names` (or :func:`last_names`), aligned with the table."""
    table = last_names(locale) if last else first_names(locale)
    if locale == "ja_JP":
        names = romaji()
        return np.asarray([names[x] for x in table.values.tolist()], dtype=np.str_)
    folded = [ascii_fold(x, locale) or "user" for x in table.values.tolist()]
    return np.asarray(folded, dtype=np.str_)


def _single_words(values: Iterable[str]) -> StrArray:
    """Distinct entries without whitespace, sorted (so decoding by index is stable)."""
    return np.asarray(sorted({x for x in values if x and len(x.split()) == 1}), dtype=np.str_)


_MORE_NAMES = frozenset({"de_DE", "en_GB", "en_US", "ja_JP"})
"""Locales whose built-in name lists are extended by Mimesis for unique values (elsewhere
the built-in lists are the better ones, or Mimesis is the only source already)."""


@cache
def unique_names(locale: str, last: bool) -> StrArray:
    """One-word given names (or surnames) from every source, for unique values."""
    table = last_names(locale) if last else first_names(locale)
    extra: list[str] = []
    if locale in _MORE_NAMES:
        if last:
            extra = _valid(_mimesis(locale, "person", "surnames"), v.is_last_name)
        else:
            raw = _mimesis(locale, "person", "names", "female")
            extra = _valid(raw + _mimesis(locale, "person", "names", "male"), v.is_first_name)
    return _single_words([*table.values.tolist(), *(x for x in extra if len(x) > 1)])


@cache
def unique_ascii(locale: str, last: bool) -> StrArray:
    """Distinct non-empty ASCII forms of the given names (or surnames), for unique e-mails."""
    if locale == "ja_JP":
        return _single_words(
            romaji()[x] for x in unique_names(locale, last).tolist() if x in romaji()
        )
    return _single_words(ascii_fold(x, locale) for x in unique_names(locale, last).tolist())


@cache
def unique_streets(locale: str) -> StrArray:
    """Distinct street names from every source, for unique street lines."""
    names = street_names(locale).values.tolist()
    if locale in ("en_US", "en_GB"):
        raw = [x for x in _mimesis("en_US", "address", "street", "name") if x.isalpha()]
        names += [x for x in raw if v._STREET_EN.fullmatch(f"1 {x} St") is not None]
    elif locale == "de_DE":
        raw = [x for x in _mimesis(locale, "address", "street", "name") if x.isalpha()]
        names += [x for x in raw if v._STREET_DE.fullmatch(f"{x} 1") is not None]
    return np.asarray(sorted({x for x in names if "," not in x}), dtype=np.str_)
