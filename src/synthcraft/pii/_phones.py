"""Telephone numbers per locale: index-to-number forms and how numbers are written.

Numbers come from ranges reserved for fiction wherever a regulator has them:

- en_US: ``555-0100`` to ``555-0199`` under real area codes (NANPA, reserved for fiction);
- en_GB: Ofcom drama ranges (``07700 900xxx``, ``020 7946 0xxx``, ``0113 496 0xxx``, ...);
- de_DE: Bundesnetzagentur drama numbers (Berlin, Frankfurt, Hamburg, Köln, München);
- fr_FR: ARCEP numbers for audiovisual fiction ``01 99 00 xx xx``, ``02 61 91 xx xx``,
  ``03 53 01 xx xx``, ``04 65 71 xx xx``, ``05 36 49 xx xx``, ``06 39 98 xx xx``,
  ``09 99 00 xx xx``.

es_ES, it_IT, nl_NL, pt_BR and ja_JP have no published fiction range we know of: their numbers
are format-valid only (real mobile and landline prefixes with random subscriber digits) and may
reach a real subscriber. Do not dial them, and prefer the locales above where that matters.

A form yields a canonical number written after the country code (``"1 99 00 12 34"``); a style
writes it nationally (``"01 99 00 12 34"``) or internationally (``"+33 1 99 00 12 34"``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

from synthcraft.pii import _data as d
from synthcraft.pii._forms import Form, IntArray, Number, Product, StrArray, Union, choice, join
from synthcraft.pii._forms import select as _select

__all__ = ["phone_form", "phone_style"]

_FR_FICTION = ("1 99 00", "2 61 91", "3 53 01", "4 65 71", "5 36 49", "6 39 98", "9 99 00")
_BR_AREAS = ("11", "21", "31", "41", "51", "61", "71", "81", "85", "91", "27", "48", "62", "19")
_COUNTRY_CODES = {
    "de_DE": "+49 ",
    "en_GB": "+44 ",
    "es_ES": "+34 ",
    "fr_FR": "+33 ",
    "it_IT": "+39 ",
    "ja_JP": "+81 ",
    "nl_NL": "+31 ",
    "pt_BR": "+55 ",
}
_TRUNK_ZERO = frozenset({"de_DE", "en_GB", "fr_FR", "ja_JP", "nl_NL"})
"""Locales whose national format puts a trunk ``0`` before the canonical number."""


def _ranges(prefixes: tuple[str, ...], tail: int) -> Form:
    return Product((choice(prefixes), Number(0, 10**tail, tail)))


@cache
def phone_form(locale: str) -> Form:
    """An injective form of the locale's canonical numbers (see the module docstring)."""
    n = Number
    if locale == "en_US":
        return Product((choice(d.US_AREA_CODES), " 555 01", n(0, 100, 2)))
    if locale == "en_GB":
        return _ranges(tuple(r[0] for r in d.GB_DRAMA_NUMBERS), 3)
    if locale == "de_DE":
        return _ranges(tuple(r[0] for r in d.DE_DRAMA_NUMBERS), 3)
    if locale == "fr_FR":
        return Product((choice(_FR_FICTION), " ", n(0, 100, 2), " ", n(0, 100, 2)))
    if locale == "es_ES":
        mobile = Product(("6", n(0, 100, 2), " ", n(0, 1000, 3), " ", n(0, 1000, 3)))
        land = Product((choice(("91", "93")), " ", n(0, 1000, 3), " ", n(0, 100, 2), " ",
                        n(0, 100, 2)))  # fmt: skip
        return Union((mobile, land))
    if locale == "it_IT":
        mobile = Product(("3", n(20, 80, 2), " ", n(0, 1000, 3), " ", n(0, 10**4, 4)))
        land = Product((choice(("02", "06")), " ", n(0, 10**4, 4), " ", n(0, 10**4, 4)))
        return Union((mobile, land))
    if locale == "nl_NL":
        mobile = Product(("6 ", n(10**7, 5 * 10**7, 8)))
        land = Product((choice(("10", "20", "30")), " ", n(0, 1000, 3), " ", n(0, 10**4, 4)))
        return Union((mobile, land))
    if locale == "pt_BR":
        areas = choice(_BR_AREAS)
        mobile = Product((areas, " 9", n(6000, 4000, 4), "-", n(0, 10**4, 4)))
        land = Product((areas, " ", n(2000, 4000, 4), "-", n(0, 10**4, 4)))
        return Union((mobile, land))
    mobile = Product((choice(("90", "80", "70")), "-", n(0, 10**4, 4), "-", n(0, 10**4, 4)))
    land = Product((choice(("3", "6")), "-", n(0, 10**4, 4), "-", n(0, 10**4, 4)))
    return Union((mobile, land))


def _national(locale: str, canonical: StrArray) -> StrArray:
    if locale in _TRUNK_ZERO:
        return join("0", canonical)
    if locale == "pt_BR":
        return join(
            "(", np.strings.slice(canonical, 0, 2), ")", np.strings.slice(canonical, 2, None)
        )
    return canonical


def _us_style(canonical: StrArray, selector: IntArray) -> StrArray:
    area = np.strings.slice(canonical, 0, 3)
    line = np.strings.slice(canonical, 8, 12)
    return _select(
        (selector % 4).astype(np.intp),
        join("(", area, ") 555-", line),
        join(area, "-555-", line),
        join("+1 ", area, " 555 ", line),
        join(area, ".555.", line),
    )


def phone_style(locale: str) -> Callable[[StrArray, IntArray], StrArray]:
    """Writes canonical numbers: selector 0 national format, 1 international (US: four ways)."""
    if locale == "en_US":
        return _us_style

    def style(canonical: StrArray, selector: IntArray) -> StrArray:
        international = join(_COUNTRY_CODES[locale], canonical)
        return _select((selector % 2).astype(np.intp), _national(locale, canonical), international)

    return style
