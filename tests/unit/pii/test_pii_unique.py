"""generate_unique: values never repeat across blocks, blocks agree with one call, limits."""

from __future__ import annotations

import numpy as np
import pytest

from synthcraft.errors import UserInputError
from synthcraft.pii import LOCALES, generate_unique, list_kinds, space_size, validate
from synthcraft.pii._schemes import NOT_UNIQUE, scheme
from synthcraft.pii._unique import _permute

UNIQUE_KINDS = [k for k in list_kinds() if k not in NOT_UNIQUE]


def _blocks(kind: str, seed: int, locale: str, sizes: tuple[int, ...]) -> list[str]:
    out: list[str] = []
    start = 0
    for size in sizes:
        out += generate_unique(kind, size, seed, start=start, locale=locale).tolist()
        start += size
    return out


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", UNIQUE_KINDS)
def test_blocks_never_repeat_and_equal_one_call(kind: str, locale: str, seed: int) -> None:
    sizes = (700, 1, 1_299)
    n = min(sum(sizes), space_size(kind, locale))
    sizes = (n // 3, 1, n - n // 3 - 1)
    blocks = _blocks(kind, seed, locale, sizes)
    whole = generate_unique(kind, n, np.random.SeedSequence(seed), locale=locale)
    assert blocks == whole.tolist()
    assert len(set(blocks)) == n
    assert validate(kind, whole).all()
    assert whole.dtype == object
    assert all(type(v) is str for v in whole)


@pytest.mark.parametrize("kind", ["email", "phone", "national_id", "iban"])
def test_blocks_out_of_order_and_far_apart(kind: str, seed: int) -> None:
    late = generate_unique(kind, 500, seed, start=4_000, locale="fr_FR").tolist()
    early = generate_unique(kind, 500, seed, start=0, locale="fr_FR").tolist()
    middle = generate_unique(kind, 500, seed, start=500, locale="fr_FR").tolist()
    assert len(set(late + early + middle)) == 1_500
    again = generate_unique(kind, 4_500, seed, locale="fr_FR").tolist()
    assert again[:1_000] == early + middle
    assert again[4_000:] == late


def test_same_seed_same_values_other_seed_other_values(seed: int) -> None:
    first = generate_unique("email", 300, seed).tolist()
    assert generate_unique("email", 300, seed).tolist() == first
    assert generate_unique("email", 300, seed + 1).tolist() != first
    child = np.random.SeedSequence(seed).spawn(2)
    assert generate_unique("email", 300, child[0]).tolist() != first


def test_whole_space_is_used_once(seed: int) -> None:
    size = space_size("phone", "en_US")
    assert size == 32 * 100
    phones = generate_unique("phone", size, seed, locale="en_US")
    digits = {p.replace("(", "").replace(")", "").replace("+1 ", "") for p in phones}
    digits = {"".join(c for c in p if c.isdigit()) for p in digits}
    assert len(digits) == size  # distinct numbers, not only distinct spellings
    assert validate("phone", phones).all()


def test_small_tables_get_plain_values_first(seed: int) -> None:
    emails = generate_unique("email", 2_000, seed, locale="de_DE")
    assert not any(ch.isdigit() for e in emails for ch in e.split("@")[0])
    ips = generate_unique("ip_address", 800, seed)
    assert sum(":" not in ip for ip in ips) == 762  # every documentation IPv4 address first


def test_exhausted_space_is_a_clear_error(seed: int) -> None:
    size = space_size("phone", "de_DE")
    with pytest.raises(UserInputError, match=r"only 5,000 distinct phone values exist"):
        generate_unique("phone", size + 1, seed, locale="de_DE")
    with pytest.raises(UserInputError, match=r"^column 'tel': only 5,000 .*drop unique: true"):
        generate_unique("phone", 10, seed, start=size - 5, locale="de_DE", column="tel")
    assert len(generate_unique("phone", 5, seed, start=size - 5, locale="de_DE")) == 5


@pytest.mark.parametrize("kind", sorted(NOT_UNIQUE))
def test_kinds_without_unique_values(kind: str, seed: int) -> None:
    with pytest.raises(UserInputError, match=rf"not available for PII kind '{kind}'"):
        generate_unique(kind, 3, seed)
    with pytest.raises(UserInputError, match="drop unique"):
        space_size(kind)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": np.random.default_rng(0)}, "the table's seed"),
        ({"seed": None}, "the table's seed"),
        ({"seed": -1}, "seed must not be negative"),
        ({"n": -1}, "n must be"),
        ({"n": 1.5}, "n must be"),
        ({"start": -3}, "start must be"),
        ({"kind": "passport"}, "unknown PII kind"),
        ({"locale": "xx_XX"}, "unknown locale"),
        ({"kind": "phone", "names": ["Ann Lee"] * 3}, "'email' and 'username' only"),
        ({"names": ["Ann Lee"] * 2}, "names has 2 values for 3 rows"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"kind": "email", "n": 3, "seed": 7, "locale": "en_US"} | kwargs
    with pytest.raises(UserInputError, match=message):
        generate_unique(**args)  # type: ignore[arg-type]


def test_zero_rows(seed: int) -> None:
    assert generate_unique("email", 0, seed, start=10).shape == (0,)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", UNIQUE_KINDS)
def test_every_form_is_injective_on_random_indices(kind: str, locale: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for tier in scheme(kind, locale).tiers:
        index = np.unique(rng.integers(0, tier.size, size=min(tier.size, 5_000)))
        values = tier.decode(index)
        assert len(set(values.tolist())) == len(index)


@pytest.mark.parametrize(
    ("kind", "locale"),
    [("phone", "fr_FR"), ("phone", "en_GB"), ("postcode", "en_US"), ("company", "ja_JP")],
)
def test_small_forms_are_injective_everywhere(kind: str, locale: str) -> None:
    for tier in scheme(kind, locale).tiers:
        values = tier.decode(np.arange(tier.size))
        assert len(set(values.tolist())) == tier.size


def test_emails_from_names_stay_unique_for_one_name(seed: int) -> None:
    names = np.asarray(["Anna Schmidt"] * 1_000, dtype=object)
    first = generate_unique("email", 1_000, seed, names=names, locale="de_DE")
    more = generate_unique("email", 1_000, seed, start=1_000, names=names, locale="de_DE")
    everything = first.tolist() + more.tolist()
    assert len(set(everything)) == 2_000
    assert all("anna" in e or "schmidt" in e for e in everything)
    assert validate("email", np.asarray(everything, dtype=object)).all()
    users = generate_unique("username", 1_000, seed, names=names, locale="de_DE")
    assert len(set(users.tolist())) == 1_000
    assert validate("username", users).all()
    assert space_size("email", from_names=True) > 10**9


def test_unique_values_stay_in_safe_ranges(seed: int) -> None:
    emails = generate_unique("email", 3_000, seed, start=70_000, locale="fr_FR")
    assert {e.split("@")[1] for e in emails} == {"example.com", "example.org", "example.net"}
    fr = generate_unique("phone", 3_000, seed, locale="fr_FR")
    digits = ["".join(c for c in p if c.isdigit()).removeprefix("33").lstrip("0") for p in fr]
    assert all(
        d[:5] in {"19900", "26191", "35301", "46571", "53649", "63998", "99900"} for d in digits
    )
    us = generate_unique("phone", 3_000, seed, locale="en_US")
    assert all("555" in p and p[-4:-2] == "01" for p in us)
    cards = generate_unique("credit_card", 3_000, seed)
    assert {c[:6] for c in cards} <= {"411111", "401288", "555555", "378282", "371449", "601111"}
    ips = generate_unique("ip_address", 3_000, seed)
    prefixes = ("192.0.2.", "198.51.100.", "203.0.113.", "2001:db8:")
    assert all(ip.startswith(prefixes) for ip in ips)
    ssn = generate_unique("national_id", 3_000, seed, locale="en_US")
    assert all(int(s[:3]) >= 900 for s in ssn)


def test_keyed_permutation_is_a_bijection_for_every_small_size(seed: int) -> None:
    keys = np.asarray(np.random.SeedSequence(seed).generate_state(6, np.uint64), np.uint64)
    for size in [*range(1, 70), 1_000, 4_097, 65_537]:
        image = _permute(np.arange(size, dtype=np.int64), size, keys)
        assert sorted(image.tolist()) == list(range(size))
    big = 3 * 2**40 + 17
    sample = _permute(np.arange(10_000, dtype=np.int64), big, keys)
    assert len(set(sample.tolist())) == 10_000
    assert sample.min() >= 0
    assert sample.max() < big
    assert abs(float(np.mean(sample)) / big - 0.5) < 0.05  # spread over the space
