"""Fake-value providers: small vectorised functions ``provider(n, rng, locale) -> array``.

Safe by construction: values come from ranges reserved for fiction or documentation wherever
such ranges exist, so no provider can emit a real person's contact or account.

- e-mail and URLs: only the RFC 2606 domains ``example.com``, ``example.org``, ``example.net``;
- phones: fiction ranges for en_US, en_GB, de_DE and fr_FR; format-valid only elsewhere (see
  :mod:`._phones`);
- card numbers: issuers' test IINs (``411111``, ``401288``, ``555555``, ``378282``, ``371449``,
  ``601111``) with a valid Luhn digit;
- IP addresses: RFC 5737 ``192.0.2.0/24``, ``198.51.100.0/24``, ``203.0.113.0/24`` and RFC 3849
  ``2001:db8::/32``;
- IBANs: correct check digits; made-up bank codes for GB and NL (starting with ``X``) and DE
  (starting ``00``, which no German bank code does); format- and check-digit-valid only for FR,
  ES, IT and BR (see :mod:`._banking`);
- US SSNs: area 900-999 with group 01-49, never issued as an SSN (9xx) and outside the ITIN groups;
- other national ids: no range is reserved, so these are only format- and check-digit-valid;
  they may coincide with an issued number (treat as identifiers, not as anyone's; see
  :mod:`._national_ids`).

Names, streets, cities, companies, job titles, countries and sentences come from word tables
(:mod:`._wordlists`): built-in weighted lists, or Mimesis word lists loaded at first use.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from synthcraft.pii import _data as d
from synthcraft.pii import _data_intl as di
from synthcraft.pii import _wordlists as w
from synthcraft.pii._addresses import house_numbers, postcode_form
from synthcraft.pii._addresses import street_address as _street_intl
from synthcraft.pii._banking import IBAN_COUNTRIES, iban_form
from synthcraft.pii._forms import StrArray, draw, join, num_str, select
from synthcraft.pii._national_ids import national_id_form, national_id_style, nino_prefixes
from synthcraft.pii._phones import phone_form, phone_style
from synthcraft.pii._validators import iban_check_digits, luhn_check_digit, steuer_id_check_digit

__all__ = ["PROVIDERS", "Provider", "local_parts"]

Provider: TypeAlias = Callable[[int, np.random.Generator, str], npt.NDArray[Any]]

_AT_DOMAINS = tuple(("@" + domain, weight) for domain, weight in d.EMAIL_DOMAINS)

_BUILT_IN = frozenset({"de_DE", "en_GB", "en_US"})
"""Locales with the original hand-made providers (kept so their values stay as they were)."""


@cache
def _table(values: tuple[str, ...]) -> StrArray:
    return np.asarray(values, dtype=np.str_)


@cache
def _hextets() -> StrArray:
    return np.asarray([f"{i:x}" for i in range(65_536)], dtype=np.str_)


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int) -> StrArray:
    """``n`` values drawn uniformly from ``values``."""
    return _table(values)[rng.integers(0, len(values), size=n)]


def _choose(rng: np.random.Generator, pairs: tuple[tuple[str, int], ...], n: int) -> StrArray:
    """``n`` values drawn from ``(value, weight)`` pairs."""
    return _weighted(pairs).draw(rng, n)


@cache
def _weighted(pairs: tuple[tuple[str, int], ...]) -> w.Table:
    return w.weighted(pairs)


def _digits(rng: np.random.Generator, n: int, width: int, low: int = 0) -> StrArray:
    """``n`` zero-padded decimal strings of ``width`` digits, each at least ``low``."""
    return num_str(rng.integers(low, 10**width, size=n), width)


def first_name(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return w.first_names(locale).draw(rng, n)


def last_name(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return w.last_names(locale).draw(rng, n)


def full_name(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    first = first_name(n, rng, locale)
    last = last_name(n, rng, locale)
    if locale == "ja_JP":
        return join(last, " ", first)
    if locale == "es_ES":
        return join(first, " ", last, " ", last_name(n, rng, locale))
    if locale == "pt_BR":  # half get a second surname, if five words at most come out
        other = last_name(n, rng, locale)
        short = (np.strings.count(last, " ") + np.strings.count(other, " ")) == 0
        second = np.where((rng.random(n) < 0.5) & short, join(" ", other), "")
        return join(first, " ", last, second)
    return join(first, " ", last)


_PATTERNS: tuple[Callable[[StrArray, StrArray, StrArray], StrArray], ...] = (
    lambda g, f, n: join(g, ".", f),
    lambda g, f, n: join(g, "_", f),
    lambda g, f, n: join(np.strings.slice(g, 0, 1), f),
    lambda g, f, n: join(g, ".", f, n),
    lambda g, f, n: join(f, ".", g),
    lambda g, f, n: join(g, n),
    lambda g, f, n: join(g, f),
    lambda g, f, n: join(np.strings.slice(g, 0, 1), ".", f, n),
)
"""Local parts from a given name ``g``, family name ``f`` and number ``n``."""


def local_parts(
    first: StrArray, last: StrArray, number: StrArray, which: npt.NDArray[np.intp]
) -> StrArray:
    """E-mail local parts or usernames from ASCII names, one of eight patterns per row."""
    which = which % len(_PATTERNS)
    width = (first.dtype.itemsize + last.dtype.itemsize + number.dtype.itemsize) // 4 + 2
    out = np.zeros(first.shape, dtype=f"<U{width}")
    for k, pattern in enumerate(_PATTERNS):
        rows = np.flatnonzero(which == k)
        if rows.size:
            out[rows] = pattern(first[rows], last[rows], number[rows])
    return out


def _ascii(rng: np.random.Generator, n: int, locale: str) -> tuple[StrArray, StrArray]:
    first = w.ascii_names(locale, False)[w.first_names(locale).index(rng, n)]
    last = w.ascii_names(locale, True)[w.last_names(locale).index(rng, n)]
    return first, last


def email(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    first, last = _ascii(rng, n, locale)
    number = num_str(rng.integers(1, 100, size=n))
    local = local_parts(first, last, number, rng.integers(0, 6, size=n).astype(np.intp))
    return join(local, _choose(rng, _AT_DOMAINS, n))


def username(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    first, last = _ascii(rng, n, locale)
    number = num_str(rng.integers(1, 1_000, size=n))
    local = local_parts(first, last, number, rng.integers(0, 8, size=n).astype(np.intp))
    return np.strings.rstrip(np.strings.slice(local, 0, 32), "._-")


def phone(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale not in _BUILT_IN:
        selector = (rng.random(n) < 0.3).astype(np.int64)
        return phone_style(locale)(draw(phone_form(locale), rng, n), selector)
    if locale == "en_US":
        area = _pick(rng, d.US_AREA_CODES, n)
        line = join("01", _digits(rng, n, 2))
        return select(
            rng.integers(0, 4, size=n).astype(np.intp),
            join("(", area, ") 555-", line),
            join(area, "-555-", line),
            join("+1 ", area, " 555 ", line),
            join(area, ".555.", line),
        )
    ranges = d.GB_DRAMA_NUMBERS if locale == "en_GB" else d.DE_DRAMA_NUMBERS
    which = rng.integers(0, len(ranges), size=n)
    international = _table(tuple(r[0] for r in ranges))[which]
    national = _table(tuple(r[1] for r in ranges))[which]
    tail = _digits(rng, n, 3)
    code = "+44 " if locale == "en_GB" else "+49 "
    return select(
        (rng.random(n) < 0.3).astype(np.intp),
        join(national, tail),
        join(code, international, tail),
    )


def credit_card(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    pairs = tuple((prefix, weight) for prefix, _, weight in d.CARD_PREFIXES)
    which = _weighted(pairs).index(rng, n)
    lengths = np.asarray([length for _, length, _ in d.CARD_PREFIXES])[which]
    prefix = _weighted(pairs).values[which]
    body = _digits(rng, n, 9)
    payload = join(prefix, np.where(lengths == 16, body, np.strings.slice(body, 0, 8)))
    return join(payload, num_str(luhn_check_digit(payload)))


def ip_address(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    nets = _pick(rng, ("192.0.2.", "198.51.100.", "203.0.113."), n)
    v4 = join(nets, num_str(rng.integers(1, 255, size=n)))
    groups = _hextets()[rng.integers(0, 65_536, size=(6, n))]
    v6 = join("2001:db8:", *[join(g, ":") for g in groups[:5]], groups[5])
    return select((rng.random(n) < 0.2).astype(np.intp), v4, v6)


def url(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    scheme = np.where(rng.random(n) < 0.8, "https://", "http://")
    host = join(_choose(rng, d.URL_HOSTS, n), _choose(rng, d.EMAIL_DOMAINS, n))
    first, second = _pick(rng, d.URL_WORDS, n), _pick(rng, d.URL_WORDS, n)
    query = join("?id=", num_str(rng.integers(1, 100_000, size=n)))
    path = select(
        rng.integers(0, 4, size=n).astype(np.intp),
        np.full(n, "/"),
        join("/", first),
        join("/", first, "/", second),
        join("/", first, query),
    )
    return join(scheme, host, path)


def iban(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale not in _BUILT_IN:
        countries = IBAN_COUNTRIES[locale]
        if len(countries) == 1:
            return draw(iban_form(locale), rng, n)
        return _mixed_ibans(n, rng, countries)
    country = _choose(rng, d.IBAN_COUNTRIES[locale], n)
    gb = join(_pick(rng, d.IBAN_GB_BANKS, n), _digits(rng, n, 6), _digits(rng, n, 8))
    de = join("00", _digits(rng, n, 6), _digits(rng, n, 10))
    bban = np.where(country == "GB", gb, de)
    out = np.empty(n, dtype="<U22")
    for code in ("GB", "DE"):
        mask = country == code
        if mask.any():
            out[mask] = join(code, iban_check_digits(code, bban[mask]), bban[mask])
    return out


def _mixed_ibans(n: int, rng: np.random.Generator, countries: tuple[str, ...]) -> StrArray:
    """IBANs of a country drawn uniformly from ``countries`` (locales without IBANs)."""
    which = rng.integers(0, len(countries), size=n)
    out = np.empty(n, dtype="<U34")
    for k, code in enumerate(countries):
        mask = which == k
        out[mask] = draw(iban_form({"GB": "en_GB", "DE": "de_DE"}[code]), rng, int(mask.sum()))
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
    first_ten = np.ascontiguousarray((rows + 48).astype(np.uint32)).view("<U10").reshape(n)
    return join(first_ten, num_str(steuer_id_check_digit(first_ten)))


def national_id(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale == "en_US":
        area = num_str(rng.integers(900, 1000, size=n))
        group = num_str(rng.integers(1, 50, size=n), 2)
        return join(area, "-", group, "-", _digits(rng, n, 4, low=1))
    if locale == "en_GB":
        prefix = _pick(rng, nino_prefixes(), n)
        return join(prefix, _digits(rng, n, 6), _pick(rng, ("A", "B", "C", "D"), n))
    if locale == "de_DE":
        return _steuer_ids(n, rng)
    values = draw(national_id_form(locale), rng, n)
    style = national_id_style(locale)
    return values if style is None else style(values, rng.integers(0, 2, size=n))


def postcode(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale not in _BUILT_IN:
        return draw(postcode_form(locale), rng, n)
    if locale == "en_GB":
        inward = join(
            num_str(rng.integers(0, 10, size=n)),
            _pick(rng, tuple("ABDEFGHJLNPQRSTUWXYZ"), n),
            _pick(rng, tuple("ABDEFGHJLNPQRSTUWXYZ"), n),
        )
        return join(_pick(rng, d.UK_OUTWARD_CODES, n), " ", inward)
    if locale == "de_DE":
        return _digits(rng, n, 5, low=1_067)
    zips = _digits(rng, n, 5, low=1_001)
    plus4 = join(zips, "-", _digits(rng, n, 4, low=1))
    return np.where(rng.random(n) < 0.1, plus4, zips)


def street_address(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    if locale not in _BUILT_IN:
        return _street_intl(n, rng, locale)
    street = _pick(rng, d.STREET_NAMES[locale], n)
    if locale == "de_DE":
        letter = np.where(rng.random(n) < 0.1, _pick(rng, ("a", "b", "c"), n), "")
        return join(street, " ", house_numbers(rng, n, 150), letter)
    high = 9_999 if locale == "en_US" else 250
    suffix = _choose(rng, d.STREET_SUFFIXES[locale], n)
    return join(house_numbers(rng, n, high), " ", street, " ", suffix)


def city(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return w.cities(locale).draw(rng, n)


def country(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return w.countries(locale).draw(rng, n)


def job_title(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    return w.job_titles(locale).draw(rng, n)


def company(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    form = _weighted(di.LEGAL_FORMS[locale]).draw(rng, n)
    first, second = last_name(n, rng, locale), last_name(n, rng, locale)
    if locale == "ja_JP":
        return select((rng.random(n) < 0.3).astype(np.intp), join(first, form), join(form, first))
    pair = join(first, " & ", second, " ", form)
    return select((rng.random(n) < 0.3).astype(np.intp), join(first, " ", form), pair)


def sentence(n: int, rng: np.random.Generator, locale: str) -> StrArray:
    pool = w.sentences(locale)
    if pool is not None:
        return pool.draw(rng, n)
    vocabulary = w.words(locale)
    count = rng.integers(4, 13, size=n)
    chosen = vocabulary[rng.integers(0, len(vocabulary), size=(12, n))]
    out = np.strings.capitalize(chosen[0])
    for k in range(1, 12):
        out = np.where(count > k, join(out, " ", chosen[k]), out)
    return join(out, ".")


PROVIDERS: dict[str, Provider] = {
    "city": city,
    "company": company,
    "country": country,
    "credit_card": credit_card,
    "email": email,
    "first_name": first_name,
    "full_name": full_name,
    "iban": iban,
    "ip_address": ip_address,
    "job_title": job_title,
    "last_name": last_name,
    "national_id": national_id,
    "phone": phone,
    "postcode": postcode,
    "sentence": sentence,
    "street_address": street_address,
    "url": url,
    "username": username,
}
"""Provider of each kind: ``provider(n, rng, locale)`` returns ``n`` valid fake values."""
