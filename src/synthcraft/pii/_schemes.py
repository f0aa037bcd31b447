"""The value space of each kind for unique values: tiers of injective forms.

A :class:`Scheme` lists tiers; row ``r`` of a table takes the tier its number falls in (tiers
fill one after another), so small tables get the plain values of the first tier (``anna.smith@``)
and only large ones reach the numbered tiers (``anna.smith42@``). Within a tier the values are
uniform over the largest word lists (:func:`._wordlists.unique_names`), not weighted.

Every form keeps its parts apart in the text (separators that no part contains, fixed widths,
trailing digits after letters), so distinct indices give distinct values; tests check this on
whole tiers and samples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from synthcraft.errors import UserInputError
from synthcraft.pii import _data as d
from synthcraft.pii import _data_intl as di
from synthcraft.pii import _wordlists as w
from synthcraft.pii._addresses import postcode_form, street_form
from synthcraft.pii._banking import iban_form
from synthcraft.pii._forms import (
    Choice,
    Form,
    IntArray,
    Number,
    Product,
    StrArray,
    Union,
    choice,
    join,
    num_str,
)
from synthcraft.pii._national_ids import national_id_form, national_id_style
from synthcraft.pii._phones import phone_form, phone_style
from synthcraft.pii._validators import luhn_check_digit

__all__ = ["NOT_UNIQUE", "Scheme", "scheme"]

NOT_UNIQUE: dict[str, str] = {
    "city": "many people share a city",
    "country": "there are only about 250 countries",
    "job_title": "many people share a job title",
    "sentence": "sentences come from a fixed list of texts",
}
"""Kinds without unique values, and why."""

_DOMAINS = ("@example.com", "@example.org", "@example.net")
_NAME_SUFFIX_TIERS = ((1, 99), (100, 9_900), (10_000, 990_000), (1_000_000, 999_000_000))
"""Numbers appended to name-made e-mails and usernames, tier by tier (after no number)."""


@dataclass(frozen=True, eq=False)
class Scheme:
    """Tiers of injective forms and an optional style that writes values several ways."""

    tiers: tuple[Form, ...]
    style: Callable[[StrArray, IntArray], StrArray] | None = None
    size: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "size", sum(t.size for t in self.tiers))


def _numbered(
    parts: tuple[Choice | Number | str, ...], tail: tuple[Choice | str, ...]
) -> tuple[Form, ...]:
    """``parts + tail``, then ``parts + 1..99 + tail``, then ``parts + 100..999 + tail``."""
    return (
        Product((*parts, *tail)),
        Product((*parts, Number(1, 99), *tail)),
        Product((*parts, Number(100, 900), *tail)),
    )


def _ascii(locale: str, last: bool, longest: int) -> Choice:
    names = w.unique_ascii(locale, last)
    return Choice(names[np.strings.str_len(names) <= longest])


def _suffixes(tail: tuple[Choice | str, ...]) -> tuple[Form, ...]:
    plain: tuple[Form, ...] = (Product(tail or ("",)),)
    return plain + tuple(Product((Number(lo, count), *tail)) for lo, count in _NAME_SUFFIX_TIERS)


def _people(kind: str, locale: str) -> Scheme:
    first = choice(w.unique_names(locale, False).tolist())
    last = choice(w.unique_names(locale, True).tolist())
    if kind == "first_name":
        return Scheme((Product((first,)),))
    if kind == "last_name":
        return Scheme((Product((last,)),))
    if locale == "ja_JP":
        return Scheme((Product((last, " ", first)),))
    if locale == "es_ES":
        return Scheme((Product((first, " ", last, " ", last)),))
    return Scheme((Product((first, " ", last)),))


def _company(locale: str) -> Scheme:
    names = [x for x in w.unique_names(locale, True).tolist() if "&" not in x]
    last = choice(names)
    forms = choice(x for x, _ in di.LEGAL_FORMS[locale])
    if locale == "ja_JP":
        return Scheme((Product((forms, last)), Product((last, forms))))
    return Scheme((Product((last, " ", forms)), Product((last, " & ", last, " ", forms))))


def _luhn(payload: StrArray) -> StrArray:
    return join(payload, num_str(luhn_check_digit(payload)))


def _cards() -> Scheme:
    forms = tuple(
        Product((prefix, Number(0, 10 ** (length - 7), length - 7)), finish=_luhn)
        for prefix, length, _ in d.CARD_PREFIXES
    )
    return Scheme((Union(forms),))


def _ips() -> Scheme:
    v4 = Product((choice(("192.0.2.", "198.51.100.", "203.0.113.")), Number(1, 254)))
    hextet = choice(f"{i:x}" for i in range(65_536))
    v6 = Product(("2001:db8:", hextet, ":", hextet, ":", hextet, "::1"))
    return Scheme((v4, v6))


def _urls() -> Scheme:
    hosts = choice(f"https://{h}{dom}/" for h, _ in d.URL_HOSTS for dom, _ in d.EMAIL_DOMAINS)
    words = choice(d.URL_WORDS)
    return Scheme((
        Product((hosts, words)),
        Product((hosts, words, "/", words)),
        Product((hosts, words, "?id=", Number(1, 10**9))),
    ))  # fmt: skip


def _phone_style(locale: str) -> Callable[[StrArray, IntArray], StrArray]:
    style = phone_style(locale)
    if locale == "en_US":
        return style
    return lambda values, selector: style(values, (selector % 10 < 3).astype(np.int64))


@cache
def scheme(kind: str, locale: str, from_names: bool = False) -> Scheme:
    """The tiers of unique values of ``kind`` in ``locale`` (``from_names``: the number and
    domain that follow a local part made from the row's name)."""
    if kind in NOT_UNIQUE:
        raise UserInputError(
            f"unique values are not available for PII kind {kind!r} ({NOT_UNIQUE[kind]}); "
            "drop unique: true for this column"
        )
    if from_names and kind not in ("email", "username"):
        raise UserInputError(
            f"values made from names exist for 'email' and 'username' only, not {kind!r}; "
            "drop from: for this column"
        )
    domains = choice(_DOMAINS)
    if kind == "email":
        if from_names:
            return Scheme(_suffixes((domains,)))
        parts = (_ascii(locale, False, 20), choice("._"), _ascii(locale, True, 30))
        return Scheme(_numbered(parts, (domains,)))
    if kind == "username":
        if from_names:
            return Scheme(_suffixes(()))
        parts = (_ascii(locale, False, 12), choice("._"), _ascii(locale, True, 15))
        return Scheme(_numbered(parts, ()))
    if kind in ("first_name", "last_name", "full_name"):
        return _people(kind, locale)
    if kind == "company":
        return _company(locale)
    if kind == "phone":
        return Scheme((phone_form(locale),), _phone_style(locale))
    if kind == "national_id":
        return Scheme((national_id_form(locale),), national_id_style(locale))
    single: dict[str, Callable[[str], Form]] = {
        "street_address": street_form,
        "postcode": postcode_form,
        "iban": iban_form,
    }
    if kind in single:
        return Scheme((single[kind](locale),))
    return {"credit_card": _cards, "ip_address": _ips, "url": _urls}[kind]()
