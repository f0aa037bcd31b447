"""generate_from_names: e-mails and usernames made from each row's name."""

from __future__ import annotations

import re

import numpy as np
import pytest

from synthcraft.errors import UserInputError
from synthcraft.pii import LOCALES, generate, generate_from_names, validate
from synthcraft.pii._matching import ascii_parts


def _plausible(local: str, given: str, family: str) -> bool:
    """Whether a local part is one of the patterns built from ``given`` and ``family``."""
    core = re.sub(r"\d+$", "", local)
    shapes = {
        f"{given}.{family}",
        f"{given}_{family}",
        f"{given[:1]}{family}",
        f"{family}.{given}",
        f"{given}{family}",
        f"{given[:1]}.{family}",
        given,
    }
    return core in {s[:40].rstrip("._-") for s in shapes}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", ["email", "username"])
def test_values_are_made_from_the_names(kind: str, locale: str, seed: int) -> None:
    names = generate("full_name", 1_000, seed, locale=locale)
    made = generate_from_names(kind, names, seed, locale=locale)
    assert made.shape == (1_000,)
    assert made.dtype == object
    assert validate(kind, made).all()
    given, family = ascii_parts(names, locale)
    locals_ = [m.split("@")[0] for m in made]
    good = [_plausible(v, g, f) for v, g, f in zip(locals_, given, family, strict=True)]
    assert all(good)
    if kind == "email":
        assert {m.split("@")[1] for m in made} <= {"example.com", "example.org", "example.net"}


@pytest.mark.parametrize(
    ("name", "locale", "given", "family"),
    [
        ("Jürgen Weiß", "de_DE", "juergen", "weiss"),
        ("Jürgen Weiß", "en_GB", "jurgen", "weiss"),
        ("José Núñez García", "es_ES", "jose", "nunezgarcia"),
        ("Ludwig van Beethoven", "de_DE", "ludwig", "vanbeethoven"),
        ("Mary O'Neil", "en_US", "mary", "oneil"),
        ("Søren Kierkegaard", "en_US", "soren", "kierkegaard"),
        ("佐藤 翔太", "ja_JP", "shota", "sato"),
        ("Madonna", "en_US", "madonna", ""),
        ("アキラ", "ja_JP", "", ""),
    ],
)
def test_names_fold_to_ascii(name: str, locale: str, given: str, family: str) -> None:
    g, f = ascii_parts(np.asarray([name], dtype=object), locale)
    assert (g[0], f[0]) == (given, family)


def test_missing_and_unreadable_names_fall_back_to_user(seed: int) -> None:
    names = np.asarray([None, np.nan, "アキラ", "", 3.5], dtype=object)
    made = generate_from_names("email", names, seed, locale="ja_JP")
    assert all(re.fullmatch(r"user\d+@example\.(com|org|net)", m) for m in made)
    assert generate_from_names("username", [], seed).shape == (0,)


def test_same_name_same_row_shape_and_seeded(seed: int) -> None:
    names = ["Anna Schmidt"] * 50 + ["Bob Lee"] * 50
    first = generate_from_names("email", names, seed, locale="de_DE")
    assert first.tolist() == generate_from_names("email", names, seed, locale="de_DE").tolist()
    assert first.tolist() != generate_from_names("email", names, seed + 1, locale="de_DE").tolist()
    assert all("lee" in m or m.startswith("bob") for m in first[50:])


def test_long_names_make_valid_usernames(seed: int) -> None:
    names = ["Maximiliane Wilhelmina von Hohenzollern-Sigmaringen"] * 20
    made = generate_from_names("username", names, seed, locale="de_DE")
    assert validate("username", made).all()
    assert all(len(m) <= 32 for m in made)


@pytest.mark.parametrize("kind", ["phone", "full_name", "passport"])
def test_only_emails_and_usernames(kind: str) -> None:
    with pytest.raises(UserInputError):
        generate_from_names(kind, ["Ann Lee"], 0)
