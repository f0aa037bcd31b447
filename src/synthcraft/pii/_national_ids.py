"""National identifiers per locale: check digits, validation and index-to-value forms.

========  ===============================  ==========================================
locale    identifier                       check
========  ===============================  ==========================================
en_US     SSN ``9dd-dd-dddd``              none (area 900-999 is never issued)
en_GB     National Insurance number        letter rules only
de_DE     Steuer-ID (11 digits)            ISO 7064 MOD 11,10 and the digit rule
fr_FR     NIR (numéro de sécurité sociale)  key = 97 - (first 13 digits mod 97)
es_ES     DNI ``12345678Z`` / NIE          letter = table[number mod 23]
it_IT     codice fiscale (16 characters)   odd/even table check letter
nl_NL     BSN (9 digits)                   "11-proof" (elfproef)
pt_BR     CPF ``123.456.789-09``           two mod-11 check digits
ja_JP     My Number (12 digits)            mod-11 check digit
========  ===============================  ==========================================

Only the US SSNs come from a range that is never issued; every other identifier is format- and
check-digit-valid only and may coincide with a real one: treat them as identifiers, not as
anyone's. Italian codici fiscali use random letters for the name and surname parts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from synthcraft.pii import _validators as v
from synthcraft.pii._forms import (
    Form,
    IntArray,
    Number,
    Part,
    Product,
    StrArray,
    Union,
    choice,
    digit_matrix,
    digits_to_str,
    join,
    num_str,
    select,
)

__all__ = ["is_national_id", "national_id_form", "national_id_style", "nino_prefixes"]

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CF_ODD = np.asarray([1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16,
                      10, 22, 25, 24, 23], dtype=np.int64)  # fmt: skip
_CF_MONTHS = "ABCDEHLMPRST"
_ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MY_NUMBER_WEIGHTS = np.asarray([6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2], dtype=np.int64)
_BSN_WEIGHTS = np.asarray([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)

_NIR = re.compile(
    r"[12] ?\d{2} ?(?:0[1-9]|1[0-2]|20|3\d|4[0-2]|[5-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}"
)
_DNI = re.compile(r"[XYZ]?\d{7,8}-?[A-Z]")
_CF = re.compile(r"[A-Z]{6}[\dLMNP-V]{2}[ABCDEHLMPRST][\dLMNP-V]{2}[A-Z][\dLMNP-V]{3}[A-Z]")
_CPF = re.compile(r"\d{3}\.\d{3}\.\d{3}-\d{2}|\d{11}")
_MY_NUMBER = re.compile(r"\d{12}|\d{4} \d{4} \d{4}")
_BSN = re.compile(r"\d{9}")


def _codes(strings: list[str] | StrArray, width: int) -> npt.NDArray[np.int64]:
    arr = np.asarray(strings, dtype=f"<U{width}")
    return arr.view(np.uint32).reshape(len(arr), width).astype(np.int64)


# --- check digits (vectorised) -------------------------------------------------------------


def nir_key(first13: StrArray) -> StrArray:
    """The two-digit key of French NIRs (Corsica ``2A``/``2B`` read as 19/18)."""
    numeric = np.strings.replace(np.strings.replace(first13, "2A", "19"), "2B", "18")
    key = 97 - numeric.astype(np.int64) % 97
    return num_str(key, 2)


def _dni_letter(numbers: npt.NDArray[np.int64]) -> StrArray:
    out: StrArray = np.asarray(list(_DNI_LETTERS), dtype=np.str_)[numbers % 23]
    return out


def cf_check(first15: list[str] | StrArray) -> StrArray:
    """Check letter of Italian codici fiscali (and, on 22 characters, the IBAN CIN)."""
    arr = np.asarray(first15, dtype=np.str_)
    width = max(int(np.strings.str_len(arr).max()) if arr.size else 1, 1)
    codes = _codes(arr, width)
    index = np.where(codes >= 65, codes - 65, codes - 48)
    total = _CF_ODD[index[:, 0::2]].sum(axis=1) + index[:, 1::2].sum(axis=1)
    out: StrArray = (total % 26 + 65).astype(np.uint32).view("<U1")
    return out


def _cpf_digits(nine: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The two CPF check digits appended to each row of nine digits."""
    d10 = (nine @ np.arange(10, 1, -1)) * 10 % 11 % 10
    ten = np.column_stack([nine, d10])
    d11 = (ten @ np.arange(11, 1, -1)) * 10 % 11 % 10
    return np.column_stack([ten, d11])


def _my_number_check(eleven: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    rem = (eleven @ _MY_NUMBER_WEIGHTS) % 11
    return np.where(rem <= 1, 0, 11 - rem)


# --- validation ----------------------------------------------------------------------------


def _nir_ok(items: list[str]) -> v.BoolArray:
    arr = np.asarray(items, dtype=np.str_)
    return np.asarray(nir_key(np.strings.slice(arr, 0, 13)) == np.strings.slice(arr, 13, 15))


def _dni_ok(items: list[str]) -> v.BoolArray:
    arr = np.asarray(items, dtype=np.str_)
    body = np.strings.slice(arr, 0, -1)
    for letter, digit in (("X", "0"), ("Y", "1"), ("Z", "2")):
        body = np.strings.replace(body, letter, digit)
    return np.asarray(_dni_letter(body.astype(np.int64)) == np.strings.slice(arr, -1, None))


def _cf_ok(items: list[str]) -> v.BoolArray:
    arr = np.asarray(items, dtype=np.str_)
    return np.asarray(cf_check(np.strings.slice(arr, 0, 15)) == np.strings.slice(arr, 15, 16))


def _bsn_ok(items: list[str]) -> v.BoolArray:
    digits = _codes(items, 9) - 48
    return np.asarray(((digits @ _BSN_WEIGHTS) % 11 == 0) & (digits.sum(axis=1) > 0))


def _cpf_ok(items: list[str]) -> v.BoolArray:
    digits = _codes(items, 11) - 48
    repdigit = (digits == digits[:, :1]).all(axis=1)
    return np.asarray((_cpf_digits(digits[:, :9]) == digits).all(axis=1) & ~repdigit)


def _my_number_ok(items: list[str]) -> v.BoolArray:
    digits = _codes(items, 12) - 48
    return np.asarray(_my_number_check(digits[:, :11]) == digits[:, 11])


def _compact(pattern: re.Pattern[str], drop: str = " ") -> Callable[[str], str | None]:
    table = str.maketrans("", "", drop)

    def prepare(value: str) -> str | None:
        return value.translate(table) if pattern.fullmatch(value) is not None else None

    return prepare


_CHECKS: tuple[tuple[Callable[[str], str | None], Callable[[list[str]], v.BoolArray]], ...] = (
    (_compact(_NIR), _nir_ok),
    (_compact(_DNI, "-"), _dni_ok),
    (lambda s: s.upper() if _CF.fullmatch(s.upper()) is not None else None, _cf_ok),
    (_compact(_BSN), _bsn_ok),
    (_compact(_CPF, ".-"), _cpf_ok),
    (_compact(_MY_NUMBER), _my_number_ok),
)


def is_national_id(values: object) -> v.BoolArray:
    """Any supported national identifier with a valid check (see the module table).

    US SSN, UK National Insurance number, German Steuer-ID, French NIR (spaces allowed),
    Spanish DNI/NIE, Italian codice fiscale, Dutch BSN, Brazilian CPF, Japanese My Number.
    """
    out = v.is_national_id(values)
    for prepare, check in _CHECKS:
        out |= v._apply_numeric(values, prepare, check)
    return out


# --- forms ---------------------------------------------------------------------------------


@cache
def nino_prefixes() -> tuple[str, ...]:
    """The two-letter prefixes a UK National Insurance number may start with."""
    first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
    banned = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    return tuple(a + b for a in first for b in second if a + b not in banned)


@dataclass(frozen=True)
class _SteuerForm:
    """Steuer-IDs: nine distinct digits (first not 0), then a copy of one of them, then check."""

    size: int = 81 * math.factorial(8) * 9

    def decode(self, index: IntArray) -> StrArray:
        n = index.shape[0]
        rows = np.arange(n)
        pairs = np.asarray([(o, f) for o in range(10) for f in range(1, 10) if f != o])
        dup_pos, rest = index % 9, index // 9
        rank, lead = rest % math.factorial(8), rest // math.factorial(8)
        omitted, first = pairs[lead, 0], pairs[lead, 1]
        everything = np.tile(np.arange(10), (n, 1))
        keep = (everything != omitted[:, None]) & (everything != first[:, None])
        remaining = everything[keep].reshape(n, 8)
        order = np.empty((n, 8), dtype=np.int64)
        for i in range(8):  # Lehmer code: the rank picks the order of the other eight digits
            fact = math.factorial(7 - i)
            pick, rank = rank // fact, rank % fact
            order[:, i] = remaining[rows, pick]
            mask = np.arange(remaining.shape[1]) != pick[:, None]
            remaining = remaining[mask].reshape(n, -1)
        nine = np.column_stack([first, order])
        ten = np.column_stack([nine, nine[rows, dup_pos]])
        return digits_to_str(np.column_stack([ten, v._steuer_id_check(ten)]))


@dataclass(frozen=True)
class _BsnForm:
    """BSNs: seven digits (first not 0), then one of the nine eighth digits that pass 11-proof."""

    size: int = 9_000_000 * 9

    def decode(self, index: IntArray) -> StrArray:
        choice_, prefix = index % 9, index // 9 + 1_000_000
        seven = digit_matrix(prefix, 7)
        s = (seven @ _BSN_WEIGHTS[:7]) % 11
        bad = (6 * (10 - s)) % 11  # the eighth digit that would need a ninth digit of 10
        d8 = choice_ + (choice_ >= bad)
        d9 = (s + 2 * d8) % 11
        return digits_to_str(np.column_stack([seven, d8, d9]))


@dataclass(frozen=True)
class _CpfForm:
    """CPFs ``ddd.ddd.ddd-dd`` from nine-digit bases, skipping the ten repeated-digit bases."""

    size: int = 10**9 - 10

    def decode(self, index: IntArray) -> StrArray:
        base = np.asarray(index, dtype=np.int64).copy()
        for k in range(10):  # skip 000000000, 111111111, ... in increasing order
            base += base >= k * 111_111_111
        text = digits_to_str(_cpf_digits(digit_matrix(base, 9)))
        s = np.strings.slice
        return join(s(text, 0, 3), ".", s(text, 3, 6), ".", s(text, 6, 9), "-", s(text, 9, 11))


def _with(check: Callable[[StrArray], StrArray]) -> Callable[[StrArray], StrArray]:
    return lambda body: join(body, check(body))


def _dni_finish(body: StrArray) -> StrArray:
    return join(body, _dni_letter(body.astype(np.int64)))


def _nie_finish(body: StrArray) -> StrArray:
    lead = (np.strings.slice(body, 0, 1).astype("<U1").view(np.uint32) - ord("X")).astype(np.int64)
    numeric = lead * 10**7 + np.strings.slice(body, 1, None).astype(np.int64)
    return join(body, _dni_letter(numeric))


def _my_number_finish(body: StrArray) -> StrArray:
    return join(body, num_str(_my_number_check(digit_matrix(body.astype(np.int64), 11))))


@cache
def national_id_form(locale: str) -> Form:
    """An injective form of the locale's national identifiers (see the module table)."""
    if locale == "en_US":
        return Product((Number(900, 100), "-", Number(1, 49, 2), "-", Number(1, 9_999, 4)))
    if locale == "en_GB":
        return Product((choice(nino_prefixes()), Number(0, 10**6, 6), choice("ABCD")))
    if locale == "de_DE":
        return _SteuerForm()
    parts: tuple[Part, ...]
    if locale == "fr_FR":
        departments = [f"{d:02d}" for d in range(1, 96) if d != 20]
        parts = (choice("12"), Number(0, 100, 2), Number(1, 12, 2), choice(departments),
                 Number(1, 990, 3), Number(1, 999, 3))  # fmt: skip
        return Product(parts, finish=_with(nir_key))
    if locale == "es_ES":
        dni = Product((Number(0, 10**8, 8),), finish=_dni_finish)
        return Union((dni, Product((choice("XYZ"), Number(0, 10**7, 7)), finish=_nie_finish)))
    if locale == "it_IT":
        letters = choice(a + b + c for a in _ALPHA for b in _ALPHA for c in _ALPHA)
        days = choice([f"{d:02d}" for d in (*range(1, 32), *range(41, 72))])
        parts = (letters, letters, Number(0, 100, 2), choice(_CF_MONTHS), days,
                 choice("ABCDEFGHILM"), Number(1, 999, 3))  # fmt: skip
        return Product(parts, finish=_with(cf_check))
    if locale == "nl_NL":
        return _BsnForm()
    if locale == "pt_BR":
        return _CpfForm()
    return Product((Number(10**10, 9 * 10**10, 11),), finish=_my_number_finish)


def _spaced(groups: tuple[tuple[int, int], ...]) -> Callable[[StrArray, IntArray], StrArray]:
    """Write the value compact (selector 0) or with spaces between the given slices (1)."""

    def style(values: StrArray, selector: IntArray) -> StrArray:
        pieces: list[StrArray | str] = []
        for a, b in groups:
            pieces += [np.strings.slice(values, a, b), " "]
        return select((selector % 2).astype(np.intp), values, join(*pieces[:-1]))

    return style


def national_id_style(locale: str) -> Callable[[StrArray, IntArray], StrArray] | None:
    """How identifiers of ``locale`` may be written (compact or grouped), by a selector."""
    if locale == "fr_FR":
        return _spaced(((0, 1), (1, 3), (3, 5), (5, 7), (7, 10), (10, 13), (13, 15)))
    if locale == "ja_JP":
        return _spaced(((0, 4), (4, 8), (8, 12)))
    return None
