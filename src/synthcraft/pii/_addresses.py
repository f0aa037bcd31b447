"""Street lines and postcodes per locale: random draws and index-to-value forms.

Street lines follow each country's order: ``12 Rue de la Paix`` (fr_FR), ``Calle Mayor, 3``
(es_ES), ``Via Roma, 12`` (it_IT), ``Kerkstraat 5a`` (nl_NL), ``Rua Augusta, 1500`` (pt_BR),
``丸の内1丁目9-1`` (ja_JP; town, chōme, block and house). House numbers are log-uniform (small
numbers are common). Postcodes have the country's format; the numbers are drawn, so a postcode
may or may not exist.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import numpy.typing as npt

from synthcraft.pii import _data as d
from synthcraft.pii import _data_intl as di
from synthcraft.pii import _wordlists as w
from synthcraft.pii._forms import Form, Number, Product, StrArray, Union, choice, join, num_str

__all__ = ["house_numbers", "postcode_form", "street_address", "street_form"]

_NL_LETTERS = tuple(
    a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a + b not in {"SA", "SD", "SS"}
)  # fmt: skip
_UK_INWARD = tuple("ABDEFGHJLNPQRSTUWXYZ")
_HOUSE_LIMITS = {"en_US": 9_999, "en_GB": 250, "de_DE": 150, "fr_FR": 200, "es_ES": 150,
                 "it_IT": 200, "nl_NL": 300, "pt_BR": 2_000}  # fmt: skip


def house_numbers(rng: np.random.Generator, n: int, high: int) -> StrArray:
    """House numbers 1..high, log-uniform (small numbers are common)."""
    numbers = np.floor(np.exp(rng.uniform(0.0, math.log(high), size=n))).astype(np.int64)
    return num_str(numbers)


@cache
def _numbered(high: int, before: str = "", after: str = "") -> StrArray:
    """``before + str(i) + after`` for i in 1..high (index i - 1): house numbers as text."""
    return np.asarray([f"{before}{i}{after}" for i in range(1, high + 1)], dtype=np.str_)


def _house_index(rng: np.random.Generator, n: int, high: int) -> npt.NDArray[np.int64]:
    """Indices 0..high-1 of log-uniform house numbers 1..high."""
    return np.floor(np.exp(rng.uniform(0.0, math.log(high), size=n))).astype(np.int64) - 1


@cache
def _typed_names(locale: str) -> StrArray:
    """Every street type joined to every street name (``"Rue Victor Hugo"``), type-major."""
    kinds = [x for x, _ in di.STREET_TYPES[locale]]
    names = w.street_names(locale).values.tolist()
    return np.asarray([f"{k} {x}" for k in kinds for x in names], dtype=np.str_)


def street_address(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    """Street lines for fr_FR, es_ES, it_IT, nl_NL, pt_BR and ja_JP."""
    names = w.street_names(locale)
    if locale == "ja_JP":
        block = join(_numbered(9, after="丁目")[rng.integers(0, 9, size=n)],
                     _numbered(30, after="-")[rng.integers(0, 30, size=n)])  # fmt: skip
        return join(names.draw(rng, n), block, num_str(rng.integers(1, 21, size=n)))
    high = _HOUSE_LIMITS[locale]
    house = _house_index(rng, n, high)
    if locale in ("fr_FR", "it_IT"):
        kind = w.weighted(di.STREET_TYPES[locale]).index(rng, n)
        street = _typed_names(locale)[kind * len(names.values) + names.index(rng, n)]
        if locale == "it_IT":
            return join(street, _numbered(high, ", ")[house])
        bis = (rng.random(n) < 0.05).astype(np.int64) * high  # "12 bis" on one line in twenty
        numbers = np.concatenate([_numbered(high, after=" "), _numbered(high, after=" bis ")])
        return join(numbers[house + bis], street)
    if locale == "nl_NL":
        letter = rng.integers(0, 30, size=n)  # a, b or c on one house in ten
        number = _numbered(high, " ")[house]
        return join(names.draw(rng, n), number, np.asarray(["a", "b", "c"] + [""] * 27)[letter])
    return join(names.draw(rng, n), _numbered(high, ", ")[house])


@cache
def street_form(locale: str) -> Form:
    """An injective form of street lines (names from the largest word lists, uniform)."""
    names = choice(w.unique_streets(locale))
    high = _HOUSE_LIMITS.get(locale, 0)
    if locale in ("en_US", "en_GB"):
        suffixes = choice(x for x, _ in d.STREET_SUFFIXES[locale])
        return Product((Number(1, high), " ", names, " ", suffixes))
    if locale == "de_DE":
        plain = Product((names, " ", Number(1, high)))
        return Union((plain, Product((names, " ", Number(1, high), choice("abc")))))
    if locale == "fr_FR":
        kinds = choice(x for x, _ in di.STREET_TYPES[locale])
        return Product((Number(1, high), " ", kinds, " ", names))
    if locale == "it_IT":
        kinds = choice(x for x, _ in di.STREET_TYPES[locale])
        return Product((kinds, " ", names, ", ", Number(1, high)))
    if locale == "nl_NL":
        return Product((names, " ", Number(1, high)))
    if locale == "ja_JP":
        return Product((names, Number(1, 9), "丁目", Number(1, 30), "-", Number(1, 20)))
    return Product((names, ", ", Number(1, high)))


@cache
def postcode_form(locale: str) -> Form:
    """An injective form of the locale's postcode format."""
    if locale == "en_US":
        return Product((Number(1_001, 98_999, 5),))
    if locale == "en_GB":
        inward = choice(_UK_INWARD)
        return Product((choice(d.UK_OUTWARD_CODES), " ", Number(0, 10), inward, inward))
    if locale == "de_DE":
        return Product((Number(1_067, 98_933, 5),))
    if locale == "fr_FR":
        return Product((Number(1_000, 95_000, 5),))
    if locale == "es_ES":
        return Product((Number(1_000, 52_000, 5),))
    if locale == "it_IT":
        return Product((Number(10, 98_159, 5),))
    if locale == "nl_NL":
        return Product((Number(1_000, 9_000), " ", choice(_NL_LETTERS)))
    if locale == "pt_BR":
        return Product((Number(1_000, 99_000, 5), "-", Number(0, 1_000, 3)))
    return Product((Number(100, 900, 3), "-", Number(0, 10**4, 4)))
