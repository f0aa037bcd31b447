"""Providers: valid by their own validator, deterministic per seed, safe by construction."""

from __future__ import annotations

import ipaddress
import re

import numpy as np
import pytest

from synthcraft.errors import UserInputError
from synthcraft.pii import LOCALES, generate, list_kinds, validate
from synthcraft.pii._data import CARD_PREFIXES

KINDS = list_kinds()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", KINDS)
def test_output_validates_as_its_kind(kind: str, locale: str, seed: int) -> None:
    values = generate(kind, 2_000, seed, locale=locale)
    assert values.shape == (2_000,)
    assert values.dtype == object
    assert all(type(v) is str for v in values)
    bad = values[~validate(kind, values)]
    assert bad.tolist() == []


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_values_other_seed_other_values(kind: str, seed: int) -> None:
    first = generate(kind, 500, seed, locale="de_DE")
    again = generate(kind, 500, np.random.default_rng(seed), locale="de_DE")
    other = generate(kind, 500, seed + 1, locale="de_DE")
    assert first.tolist() == again.tolist()
    assert first.tolist() != other.tolist()
    assert len(set(first.tolist())) > 5


def test_global_random_state_is_untouched(seed: int) -> None:
    before = np.random.get_state(legacy=False)  # noqa: NPY002 - read only, to prove it is unused
    for kind in KINDS:
        generate(kind, 50, seed)
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    assert np.array_equal(after["state"]["key"], before["state"]["key"])
    assert after["state"]["pos"] == before["state"]["pos"]


def test_emails_and_urls_use_reserved_domains_only(seed: int) -> None:
    reserved = {"example.com", "example.org", "example.net"}
    for locale in LOCALES:
        emails = generate("email", 2_000, seed, locale=locale)
        assert {e.rsplit("@", 1)[1] for e in emails} == reserved
        assert all(e.isascii() for e in emails)
        urls = generate("url", 2_000, seed, locale=locale)
        hosts = {re.match(r"https?://([^/?#]+)", u).group(1) for u in urls}  # type: ignore[union-attr]
        assert all(h in reserved or h.split(".", 1)[1] in reserved for h in hosts)


def test_ip_addresses_are_documentation_addresses(seed: int) -> None:
    nets = [
        ipaddress.ip_network(n)
        for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
    ]
    addresses = [ipaddress.ip_address(v) for v in generate("ip_address", 2_000, seed)]
    assert all(any(a in net for net in nets) for a in addresses)
    assert {a.version for a in addresses} == {4, 6}


def test_card_numbers_use_test_prefixes(seed: int) -> None:
    cards = generate("credit_card", 2_000, seed)
    prefixes = {p for p, _, _ in CARD_PREFIXES}
    assert {c[:6] for c in cards} == prefixes
    lengths = {p: n for p, n, _ in CARD_PREFIXES}
    assert all(len(c) == lengths[c[:6]] for c in cards)


def test_phones_are_in_fictional_ranges(seed: int) -> None:
    us = generate("phone", 2_000, seed, locale="en_US")
    assert all(re.search(r"555[ .-]01\d\d$", p) for p in us)
    gb = generate("phone", 2_000, seed, locale="en_GB")
    gb_digits = [re.sub(r"\D", "", p).removeprefix("44").removeprefix("0") for p in gb]
    drama = r"7700900\d{3}|2079460\d{3}|1[1-6]14960\d{3}|11[3-8]4960\d{3}"
    assert all(re.fullmatch(drama, d) for d in gb_digits)
    de = generate("phone", 2_000, seed, locale="de_DE")
    de_digits = [re.sub(r"\D", "", p).removeprefix("49").removeprefix("0") for p in de]
    ranges = r"(?:3023125|6990009|4066969|2214710|8999998)\d{3}"
    assert all(re.fullmatch(ranges, d) for d in de_digits)


def test_national_ids_and_ibans_avoid_issued_ranges(seed: int) -> None:
    ssns = generate("national_id", 2_000, seed, locale="en_US")
    assert all(900 <= int(s[:3]) <= 999 and 1 <= int(s[4:6]) <= 49 for s in ssns)
    de = generate("iban", 1_000, seed, locale="de_DE")
    assert all(v.startswith("DE") and v[4:6] == "00" for v in de)
    gb = generate("iban", 1_000, seed, locale="en_GB")
    assert all(v.startswith("GB") and v[4] == "X" for v in gb)
    assert {v[:2] for v in generate("iban", 500, seed, locale="en_US")} == {"DE", "GB"}


def test_locale_formats(seed: int) -> None:
    de = generate("street_address", 200, seed, locale="de_DE")
    assert all(re.fullmatch(r"\D+ \d+[a-c]?", a) for a in de)
    us = generate("street_address", 200, seed, locale="en_US")
    assert all(re.fullmatch(r"\d+ .+ (St|Ave|Rd|Dr|Ln|Blvd|Way|Ct|Pl)", a) for a in us)
    names = generate("full_name", 200, seed, locale="de_DE")
    assert all(len(n.split()) == 2 for n in names)
    assert all(
        re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", n)
        for n in generate("national_id", 50, seed, locale="en_GB")
    )
    assert all(len(p) == 5 for p in generate("postcode", 200, seed, locale="de_DE"))


def test_weighted_lists_favour_common_names(seed: int) -> None:
    names = generate("last_name", 5_000, seed, locale="en_US").tolist()
    assert names.count("Smith") > names.count("Jimenez")


def test_large_draws_are_vectorised(seed: int) -> None:
    for kind in KINDS:
        assert len(generate(kind, 100_000, seed, locale="en_GB")) == 100_000
    assert generate("email", 0, seed).shape == (0,)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "passport", "n": 3}, "unknown PII kind"),
        ({"kind": "email", "n": -1}, "n must be"),
        ({"kind": "email", "n": 2.5}, "n must be"),
        ({"kind": "email", "n": True}, "n must be"),
        ({"kind": "email", "n": 3, "locale": "xx_XX"}, "unknown locale 'xx_XX'"),
    ],
)
def test_bad_arguments_raise_user_input_error(kwargs: dict[str, object], message: str) -> None:
    locale = kwargs.pop("locale", "en_US")
    with pytest.raises(UserInputError, match=message):
        generate(kwargs["kind"], kwargs["n"], 0, locale=locale)  # type: ignore[arg-type]


def test_bad_seed_raises_user_input_error() -> None:
    with pytest.raises(UserInputError, match="seed"):
        generate("email", 3, -5)
