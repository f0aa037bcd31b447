"""IBANs per country: national check digits, validation and index-to-value forms.

Every IBAN has correct ISO 13616 check digits; the national parts carry their own checks too:
the French RIB key, the Spanish control digits (DC) and the Italian CIN letter. Bank codes:
GB uses made-up codes starting with ``X``, DE bank codes starting ``00`` (real ones start 1-8),
NL made-up codes starting with ``X``. FR, ES, IT and BR have no reserved bank codes, so their
IBANs are format- and check-digit-valid only and may coincide with a real account. Japan and the
US have no IBANs; those locales draw British and German ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from synthcraft.pii import _validators as v
from synthcraft.pii._forms import (
    Form,
    Number,
    Part,
    Product,
    StrArray,
    Union,
    choice,
    join,
    num_str,
)
from synthcraft.pii._national_ids import cf_check

__all__ = ["IBAN_COUNTRIES", "iban_form", "is_iban"]

IBAN_COUNTRIES: dict[str, tuple[str, ...]] = {
    "de_DE": ("DE",),
    "en_GB": ("GB",),
    "en_US": ("GB", "DE"),
    "es_ES": ("ES",),
    "fr_FR": ("FR",),
    "it_IT": ("IT",),
    "ja_JP": ("GB", "DE"),
    "nl_NL": ("NL",),
    "pt_BR": ("BR",),
}
"""Countries whose IBANs each locale draws."""

_RIB_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")
_ES_WEIGHTS = np.asarray([1, 2, 4, 8, 5, 10, 9, 7, 3, 6], dtype=np.int64)
_s = np.strings.slice


def rib_key(bank: StrArray, branch: StrArray, account: StrArray) -> StrArray:
    """French RIB key: ``97 - (89 bank + 15 branch + 3 account) mod 97`` (letters as digits)."""
    acc = np.strings.translate(account, cast(Any, _RIB_LETTERS)).astype(np.int64)
    total = 89 * bank.astype(np.int64) + 15 * branch.astype(np.int64) + 3 * acc
    return num_str(97 - total % 97, 2)


def _es_digit(digits: StrArray) -> npt.NDArray[np.int64]:
    matrix = digits.astype("<U10").view(np.uint32).reshape(-1, 10).astype(np.int64) - 48
    rem = 11 - (matrix @ _ES_WEIGHTS) % 11
    return np.where(rem == 11, 0, np.where(rem == 10, 1, rem))


def es_control(bank: StrArray, branch: StrArray, account: StrArray) -> StrArray:
    """The two Spanish control digits (DC) of a bank, branch and ten-digit account."""
    first = _es_digit(join("00", bank, branch))
    return join(num_str(first), num_str(_es_digit(account)))


def _fr_bban(body: StrArray) -> StrArray:
    bank, branch, account = _s(body, 0, 5), _s(body, 5, 10), _s(body, 10, 21)
    return join(body, rib_key(bank, branch, account))


def _es_bban(body: StrArray) -> StrArray:
    bank, branch, account = _s(body, 0, 4), _s(body, 4, 8), _s(body, 8, 18)
    return join(bank, branch, es_control(bank, branch, account), account)


def _it_bban(body: StrArray) -> StrArray:
    return join(cf_check(body), body)


def _iban(
    country: str, national: Callable[[StrArray], StrArray] | None
) -> Callable[[StrArray], StrArray]:
    def finish(body: StrArray) -> StrArray:
        bban = national(body) if national is not None else body
        return join(country, v.iban_check_digits(country, bban), bban)

    return finish


@cache
def _country_form(country: str) -> Form:
    parts: tuple[Part, ...]
    national: Callable[[StrArray], StrArray] | None = None
    if country == "GB":
        parts = (choice(("XBNK", "XFIN", "XSAV", "XMPL")), Number(0, 10**6, 6),
                 Number(0, 10**8, 8))  # fmt: skip
    elif country == "DE":
        parts = ("00", Number(0, 10**6, 6), Number(0, 10**10, 10))
    elif country == "FR":
        parts = (Number(10_000, 90_000, 5), Number(0, 10**5, 5), Number(0, 10**8, 11))
        national = _fr_bban
    elif country == "ES":
        parts = (Number(0, 10**4, 4), Number(0, 10**4, 4), Number(0, 10**10, 10))
        national = _es_bban
    elif country == "IT":
        parts = (Number(0, 10**5, 5), Number(0, 10**5, 5), Number(0, 10**8, 12))
        national = _it_bban
    elif country == "NL":
        parts = (choice(("XBNK", "XFIN", "XSAV", "XMPL")), Number(0, 10**10, 10))
    else:  # BR: bank (ISPB), branch, account, account type, holder
        parts = (Number(90_000_000, 10_000, 8), Number(0, 10**5, 5), Number(0, 10**7, 10),
                 choice("CP"), "1")  # fmt: skip
    return Product(parts, finish=_iban(country, national))


@cache
def iban_form(locale: str) -> Form:
    """An injective form of the IBANs ``locale`` draws (see :data:`IBAN_COUNTRIES`)."""
    forms = tuple(_country_form(c) for c in IBAN_COUNTRIES[locale])
    return forms[0] if len(forms) == 1 else Union(forms)


def _national_ok(compact: list[str]) -> v.BoolArray:
    """National checks of FR, ES and IT IBANs (other countries pass)."""
    arr = np.asarray(compact, dtype=np.str_)
    country = _s(arr, 0, 2)
    ok = np.ones(len(arr), dtype=np.bool_)
    fr = country == "FR"
    if fr.any():
        part = arr[fr]
        key = rib_key(_s(part, 4, 9), _s(part, 9, 14), _s(part, 14, 25))
        ok[fr] = key == _s(part, 25, 27)
    es = country == "ES"
    if es.any():
        part = arr[es]
        dc = es_control(_s(part, 4, 8), _s(part, 8, 12), _s(part, 14, 24))
        ok[es] = dc == _s(part, 12, 14)
    it = country == "IT"
    if it.any():
        part = arr[it]
        ok[it] = cf_check(_s(part, 5, 27)) == _s(part, 4, 5)
    return ok


def _compact_iban(value: str) -> str | None:
    compact = value.replace(" ", "").upper()
    return compact if v._iban_text(value) is not None else None


_NATIONAL_SHAPE = {
    "FR": re.compile(r"\d{10}[0-9A-Z]{11}\d{2}"),
    "ES": re.compile(r"\d{20}"),
    "IT": re.compile(r"[A-Z]\d{10}[0-9A-Z]{12}"),
}


def _shape_ok(compact: list[str]) -> v.BoolArray:
    patterns = _NATIONAL_SHAPE
    shape = np.fromiter(
        (c[:2] not in patterns or patterns[c[:2]].fullmatch(c[4:]) is not None for c in compact),
        dtype=np.bool_,
        count=len(compact),
    )
    out = shape.copy()
    if shape.any():
        out[shape] = _national_ok([c for c, ok in zip(compact, shape, strict=True) if ok])
    return out


def is_iban(values: object) -> v.BoolArray:
    """IBANs (spaces allowed): country, length and mod-97 check, plus the FR/ES/IT national
    checks (RIB key, DC digits, CIN letter)."""
    return v.is_iban(values) & v._apply_numeric(values, _compact_iban, _shape_ok)
