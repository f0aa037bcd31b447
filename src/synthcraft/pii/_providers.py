"""Fake-value providers: small vectorised functions ``provider(n, rng, locale) -> array``.

Safe by construction: values come from ranges reserved for fiction or documentation wherever
such ranges exist, so no provider can emit a real person's contact or account.

- e-mail and URLs: only the RFC 2606 domains ``example.com``, ``example.org``, ``example.net``;
- phones: US ``555-0100``..``555-0199`` (reserved for fiction) under real area codes; UK Ofcom
  drama ranges (``07700 900xxx``, ``020 7946 0xxx``, ``0113 496 0xxx``, ...); German
  Bundesnetzagentur drama numbers (``030 23125xxx``, ``069 90009xxx``, ``040 66969xxx``,
  ``0221 4710xxx``, ``089 99998xxx``);
- card numbers: issuers' test IINs (``411111``, ``401288``, ``555555``, ``378282``, ``371449``,
  ``601111``) with a valid Luhn digit;
- IP addresses: RFC 5737 ``192.0.2.0/24``, ``198.51.100.0/24``, ``203.0.113.0/24`` and RFC 3849
  ``2001:db8::/32``;
- IBANs: correct check digits with bank codes no bank uses (GB bank code ``X...``, German bank
  codes starting ``00``: real ones start 1-8);
- US SSNs: area 900-999 with group 01-49, never issued as an SSN (9xx) and outside the ITIN groups;
- UK National Insurance numbers and German Steuer-IDs: no range is reserved, so these are only
  format- and check-digit-valid; they may coincide with an issued number (treat as identifiers,
  not as anyone's).

Names, streets and cities are drawn from small built-in word lists (:mod:`._data`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from synthcraft.pii import _data as d
from synthcraft.pii._validators import iban_check_digits, luhn_check_digit, steuer_id_check_digit

__all__ = ["PROVIDERS", "Provider"]

StrArray: TypeAlias = npt.NDArray[np.str_]
Provider: TypeAlias = Callable[[int, np.random.Generator, str], npt.NDArray[Any]]

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": "", " ": "", "-": ""})


@cache
def _table(values: tuple[str, ...]) -> StrArray:
    return np.asarray(values, dtype=np.str_)


@cache
def _weights(pairs: tuple[tuple[str, int], ...]) -> tuple[StrArray, npt.NDArray[np.float64]]:
    weights = np.asarray([w for _, w in pairs], dtype=np.float64)
    return np.asarray([v for v, _ in pairs], dtype=np.str_), weights / weights.sum()


@cache
def _hextets() -> StrArray:
    return np.asarray([f"{i:x}" for i in range(65_536)], dtype=np.str_)


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int) -> StrArray:
    """``n`` values drawn uniformly from ``values``."""
    return _table(values)[rng.integers(0, len(values), size=n)]


def _index(
    rng: np.random.Generator, pairs: tuple[tuple[str, int], ...], n: int
) -> npt.NDArray[np.intp]:
    """``n`` indices into ``pairs`` drawn with the pairs' weights."""
    values, p = _weights(pairs)
    index: npt.NDArray[np.intp] = rng.choice(len(values), size=n, p=p)
    return index


def _choose(rng: np.random.Generator, pairs: tuple[tuple[str, int], ...], n: int) -> StrArray:
    """``n`` values drawn from ``(value, weight)`` pairs."""
    return _weights(pairs)[0][_index(rng, pairs, n)]


def _digits(rng: np.random.Generator, n: int, width: int, low: int = 0) -> StrArray:
    """``n`` zero-padded decimal strings of ``width`` digits, each at least ``low``."""
    out: StrArray = np.strings.zfill(rng.integers(low, 10**width, size=n).astype(np.str_), width)
    return out


def _join(*parts: StrArray | str) -> StrArray:
    out = np.asarray(parts[0], dtype=np.str_)
    for part in parts[1:]:
        out = np.strings.add(out, part)
    return out


def _select(which: npt.NDArray[np.intp], *options: StrArray) -> StrArray:
    """Row ``i`` of the result is ``options[which[i]][i]``."""
    width = max(max(o.dtype.itemsize for o in options) // 4, 1)
    out = options[0].astype(f"<U{width}")
    for k, option in enumerate(options[1:], start=1):
        mask = which == k
        out[mask] = option[mask]
    return out


@cache
def _ascii_table(locale: str, last: bool) -> StrArray:
    """Lower-case ASCII forms of the locale's names, for e-mail local parts."""
    pairs = (d.LAST_NAMES if last else d.FIRST_NAMES)[locale]
    return np.asarray([v.lower().translate(_UMLAUTS) for v, _ in pairs], dtype=np.str_)


def first_name(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return _choose(rng, d.FIRST_NAMES[locale], n)


def last_name(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return _choose(rng, d.LAST_NAMES[locale], n)


def full_name(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return _join(first_name(n, rng, locale), " ", last_name(n, rng, locale))


def email(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    first = _ascii_table(locale, False)[_index(rng, d.FIRST_NAMES[locale], n)]
    last = _ascii_table(locale, True)[_index(rng, d.LAST_NAMES[locale], n)]
    number = rng.integers(1, 100, size=n).astype(np.str_)
    local = _select(
        rng.integers(0, 6, size=n),
        _join(first, ".", last),
        _join(first, "_", last),
        _join(np.strings.slice(first, 0, 1), last),
        _join(first, ".", last, number),
        _join(last, ".", first),
        _join(first, number),
    )
    return _join(local, "@", _choose(rng, d.EMAIL_DOMAINS, n))


def phone(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale == "en_US":
        area = _pick(rng, d.US_AREA_CODES, n)
        line = _join("01", _digits(rng, n, 2))
        return _select(
            rng.integers(0, 4, size=n),
            _join("(", area, ") 555-", line),
            _join(area, "-555-", line),
            _join("+1 ", area, " 555 ", line),
            _join(area, ".555.", line),
        )
    ranges = d.GB_DRAMA_NUMBERS if locale == "en_GB" else d.DE_DRAMA_NUMBERS
    which = rng.integers(0, len(ranges), size=n)
    international = _table(tuple(r[0] for r in ranges))[which]
    national = _table(tuple(r[1] for r in ranges))[which]
    tail = _digits(rng, n, 3)
    code = "+44 " if locale == "en_GB" else "+49 "
    return _select(
        (rng.random(n) < 0.3).astype(np.intp),
        _join(national, tail),
        _join(code, international, tail),
    )


def credit_card(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    pairs = tuple((prefix, weight) for prefix, _, weight in d.CARD_PREFIXES)
    which = _index(rng, pairs, n)
    lengths = np.asarray([length for _, length, _ in d.CARD_PREFIXES])[which]
    prefix = _weights(pairs)[0][which]
    body = _digits(rng, n, 9)
    payload = _join(prefix, np.where(lengths == 16, body, np.strings.slice(body, 0, 8)))
    check = luhn_check_digit(payload.tolist()).astype(np.str_)
    return _join(payload, check)


def ip_address(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    nets = _pick(rng, ("192.0.2.", "198.51.100.", "203.0.113."), n)
    v4 = _join(nets, rng.integers(1, 255, size=n).astype(np.str_))
    groups = _hextets()[rng.integers(0, 65_536, size=(6, n))]
    v6 = _join("2001:db8:", *[_join(g, ":") for g in groups[:5]], groups[5])
    return _select((rng.random(n) < 0.2).astype(np.intp), v4, v6)


def url(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    scheme = np.where(rng.random(n) < 0.8, "https://", "http://")
    host = _join(_choose(rng, d.URL_HOSTS, n), _choose(rng, d.EMAIL_DOMAINS, n))
    first, second = _pick(rng, d.URL_WORDS, n), _pick(rng, d.URL_WORDS, n)
    query = _join("?id=", rng.integers(1, 100_000, size=n).astype(np.str_))
    path = _select(
        rng.integers(0, 4, size=n),
        np.full(n, "/"),
        _join("/", first),
        _join("/", first, "/", second),
        _join("/", first, query),
    )
    return _join(scheme, host, path)


def iban(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    country = _choose(rng, d.IBAN_COUNTRIES[locale], n)
    gb = _join(_pick(rng, d.IBAN_GB_BANKS, n), _digits(rng, n, 6), _digits(rng, n, 8))
    de = _join("00", _digits(rng, n, 6), _digits(rng, n, 10))
    bban = np.where(country == "GB", gb, de)
    out = np.empty(n, dtype="<U22")
    for code in ("GB", "DE"):
        mask = country == code
        if mask.any():
            checks = np.asarray(iban_check_digits(code, bban[mask].tolist()), dtype=np.str_)
            out[mask] = _join(code, checks, bban[mask])
    return out


def _steuer_ids(n: int, rng: np.random.Generator) -> StrArray:
    """Ten digits with one digit twice and nine others once, not starting with 0, plus check."""
    rows = np.empty((n, 10), dtype=np.int64)
    cols = np.arange(10)
    todo = np.arange(n)
    while todo.size:  # redraw the rows that start with 0 (about one in ten)
        m = todo.size
        distinct = rng.permuted(np.tile(cols, (m, 1)), axis=1)[:, :9]
        dup = distinct[np.arange(m), rng.integers(0, 9, size=m)][:, None]
        pos = rng.integers(0, 10, size=m)[:, None]
        before = distinct[:, np.minimum(cols, 8)]  # column k < pos holds distinct[k]
        after = distinct[:, np.maximum(cols - 1, 0)]  # column k > pos holds distinct[k - 1]
        rows[todo] = np.where(cols < pos, before, np.where(cols == pos, dup, after))
        todo = todo[rows[todo, 0] == 0]
    first_ten = ["".join(map(str, r)) for r in rows.tolist()]
    check = steuer_id_check_digit(first_ten).astype(np.str_)
    return _join(np.asarray(first_ten, dtype=np.str_), check)


@cache
def _nino_prefixes() -> tuple[str, ...]:
    first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
    banned = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    return tuple(a + b for a in first for b in second if a + b not in banned)


def national_id(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale == "en_US":
        area = rng.integers(900, 1000, size=n).astype(np.str_)
        group = np.strings.zfill(rng.integers(1, 50, size=n).astype(np.str_), 2)
        return _join(area, "-", group, "-", _digits(rng, n, 4, low=1))
    if locale == "en_GB":
        prefix = _pick(rng, _nino_prefixes(), n)
        return _join(prefix, _digits(rng, n, 6), _pick(rng, ("A", "B", "C", "D"), n))
    return _steuer_ids(n, rng)


def postcode(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale == "en_GB":
        inward = _join(
            rng.integers(0, 10, size=n).astype(np.str_),
            _pick(rng, tuple("ABDEFGHJLNPQRSTUWXYZ"), n),
            _pick(rng, tuple("ABDEFGHJLNPQRSTUWXYZ"), n),
        )
        return _join(_pick(rng, d.UK_OUTWARD_CODES, n), " ", inward)
    if locale == "de_DE":
        return _digits(rng, n, 5, low=1_067)
    zips = _digits(rng, n, 5, low=1_001)
    plus4 = _join(zips, "-", _digits(rng, n, 4, low=1))
    return np.where(rng.random(n) < 0.1, plus4, zips)


def _house_numbers(rng: np.random.Generator, n: int, high: int) -> StrArray:
    """House numbers 1..high, log-uniform (small numbers are common)."""
    return (
        np.floor(np.exp(rng.uniform(0.0, math.log(high), size=n))).astype(np.int64).astype(np.str_)
    )


def street_address(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    street = _pick(rng, d.STREET_NAMES[locale], n)
    if locale == "de_DE":
        letter = np.where(rng.random(n) < 0.1, _pick(rng, ("a", "b", "c"), n), "")
        return _join(street, " ", _house_numbers(rng, n, 150), letter)
    high = 9_999 if locale == "en_US" else 250
    suffix = _choose(rng, d.STREET_SUFFIXES[locale], n)
    return _join(_house_numbers(rng, n, high), " ", street, " ", suffix)


def city(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return _choose(rng, d.CITIES[locale], n)


PROVIDERS: dict[str, Provider] = {
    "city": city,
    "credit_card": credit_card,
    "email": email,
    "first_name": first_name,
    "full_name": full_name,
    "iban": iban,
    "ip_address": ip_address,
    "last_name": last_name,
    "national_id": national_id,
    "phone": phone,
    "postcode": postcode,
    "street_address": street_address,
    "url": url,
}
"""Provider of each kind: ``provider(n, rng, locale)`` returns ``n`` valid fake values."""
