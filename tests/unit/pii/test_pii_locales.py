"""Locale formats: fiction ranges where they exist, national shapes, and national check digits."""

from __future__ import annotations

import re

import numpy as np
import pytest

from synthcraft.pii import LOCALES, generate, validate
from synthcraft.pii._validators import _mod97, iban_check_digits

FORMAT_ONLY_PHONES = {
    "es_ES": r"(?:\+34 )?(?:6\d{2} \d{3} \d{3}|9[13] \d{3} \d{2} \d{2})",
    "it_IT": r"(?:\+39 )?(?:3\d{2} \d{3} \d{4}|0[26] \d{4} \d{4})",
    "nl_NL": r"(?:\+31 |0)(?:6 \d{8}|[123]0 \d{3} \d{4})",
    "pt_BR": r"(?:\+55 \d{2}|\(\d{2}\)) (?:9\d{4}|[2-5]\d{3})-\d{4}",
    "ja_JP": r"(?:\+81 |0)(?:[789]0|[36])-\d{4}-\d{4}",
}


def test_french_phones_are_in_arcep_fiction_ranges(seed: int) -> None:
    phones = generate("phone", 3_000, seed, locale="fr_FR")
    digits = [re.sub(r"\D", "", p).removeprefix("33").removeprefix("0") for p in phones]
    fiction = r"(?:19900|26191|35301|46571|53649|63998|99900)\d{4}"
    assert all(re.fullmatch(fiction, d) for d in digits)
    assert any(p.startswith("+33 ") for p in phones)
    assert any(p.startswith("0") for p in phones)


@pytest.mark.parametrize("locale", sorted(FORMAT_ONLY_PHONES))
def test_other_phones_have_the_national_shape(locale: str, seed: int) -> None:
    phones = generate("phone", 2_000, seed, locale=locale)
    bad = [p for p in phones if not re.fullmatch(FORMAT_ONLY_PHONES[locale], p)]
    assert bad == []


POSTCODES = {
    "fr_FR": r"\d{5}",
    "es_ES": r"(?:0[1-9]|[1-4]\d|5[0-2])\d{3}",
    "it_IT": r"\d{5}",
    "nl_NL": r"[1-9]\d{3} [A-Z]{2}",
    "pt_BR": r"\d{5}-\d{3}",
    "ja_JP": r"[1-9]\d{2}-\d{4}",
}


@pytest.mark.parametrize("locale", sorted(POSTCODES))
def test_postcodes_have_the_national_shape(locale: str, seed: int) -> None:
    codes = generate("postcode", 2_000, seed, locale=locale)
    assert all(re.fullmatch(POSTCODES[locale], c) for c in codes)
    if locale == "nl_NL":
        assert not {c[-2:] for c in codes} & {"SA", "SD", "SS"}


STREETS = {
    "fr_FR": r"\d+(?: bis)? (?:Rue|Avenue|Boulevard|Allée|Impasse|Place|Chemin|Route|Quai|Square)"
    r" \D+",
    "es_ES": r"\D+, \d+",
    "it_IT": r"(?:Via|Viale|Piazza|Corso|Vicolo|Largo) \D+, \d+",
    "nl_NL": r"\D+ \d+[abc]?",
    "pt_BR": r"\D+, \d+",
    "ja_JP": r"\D+\d丁目\d+-\d+",
}


@pytest.mark.parametrize("locale", sorted(STREETS))
def test_street_lines_follow_the_country_order(locale: str, seed: int) -> None:
    lines = generate("street_address", 1_000, seed, locale=locale)
    assert all(re.fullmatch(STREETS[locale], line) for line in lines)


@pytest.mark.parametrize(
    ("locale", "pattern"),
    [
        ("fr_FR", r"[12]\d{14}|[12] \d{2} \d{2} \d{2} \d{3} \d{3} \d{2}"),
        ("es_ES", r"\d{8}[A-Z]|[XYZ]\d{7}[A-Z]"),
        ("it_IT", r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]"),
        ("nl_NL", r"[1-9]\d{8}"),
        ("pt_BR", r"\d{3}\.\d{3}\.\d{3}-\d{2}"),
        ("ja_JP", r"\d{12}|\d{4} \d{4} \d{4}"),
    ],
)
def test_national_ids_have_the_national_shape(locale: str, pattern: str, seed: int) -> None:
    ids = generate("national_id", 2_000, seed, locale=locale)
    assert all(re.fullmatch(pattern, x) for x in ids)


def _corrupt_last(value: str) -> str:
    last = value[-1]
    if last.isdigit():
        return value[:-1] + str((int(last) + 1) % 10)
    return value[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize("locale", [x for x in LOCALES if x not in ("en_US", "en_GB")])
def test_corrupted_national_check_digits_are_rejected(locale: str, seed: int) -> None:
    ids = generate("national_id", 300, seed, locale=locale)
    corrupted = np.asarray([_corrupt_last(x) for x in ids], dtype=object)
    assert validate("national_id", ids).all()
    accepted = validate("national_id", corrupted).mean()
    # an 11-digit Steuer-ID with a wrong check digit is a valid unformatted CPF one time in 100
    assert accepted <= (0.03 if locale == "de_DE" else 0.0)


@pytest.mark.parametrize(
    ("iban", "start", "stop"),
    [
        ("FR7630006000011234567890189", 25, 27),  # RIB key
        ("ES9121000418450200051332", 12, 14),  # DC digits
        ("IT60X0542811101000000123456", 4, 5),  # CIN letter
    ],
)
def test_national_iban_checks_catch_what_mod97_misses(iban: str, start: int, stop: int) -> None:
    part = iban[start:stop]
    changed = "Y" if part.isalpha() else f"{(int(part) + 1) % 10 ** len(part):0{len(part)}d}"
    bban = iban[4:start] + changed + iban[stop:]
    forged = iban[:2] + str(iban_check_digits(iban[:2], [bban])[0]) + bban
    assert int(_mod97([forged[4:] + forged[:4]])[0]) == 1  # passes the international check
    assert validate("iban", [iban, forged]).tolist() == [True, False]


@pytest.mark.parametrize(
    ("locale", "country"),
    [("fr_FR", "FR"), ("es_ES", "ES"), ("it_IT", "IT"), ("nl_NL", "NL"), ("pt_BR", "BR")],
)
def test_ibans_of_the_locale_country(locale: str, country: str, seed: int) -> None:
    ibans = generate("iban", 500, seed, locale=locale)
    assert {x[:2] for x in ibans} == {country}
    if country == "NL":
        assert all(x[4] == "X" for x in ibans)
    assert {x[:2] for x in generate("iban", 500, seed, locale="ja_JP")} == {"DE", "GB"}


def test_names_follow_the_locale_order(seed: int) -> None:
    ja = generate("full_name", 500, seed, locale="ja_JP")
    family = set(generate("last_name", 2_000, seed, locale="ja_JP").tolist())
    assert all(len(x.split()) == 2 and x.split()[0] in family for x in ja)
    es = generate("full_name", 500, seed, locale="es_ES")
    assert sum(len(x.split()) >= 3 for x in es) == 500  # two surnames
    pt = generate("full_name", 2_000, seed, locale="pt_BR")
    assert 0 < sum(len(x.split()) >= 3 for x in pt) < 2_000


def test_word_lists_speak_the_language(seed: int) -> None:
    assert "Rue" in " ".join(generate("street_address", 200, seed, locale="fr_FR"))
    jobs = generate("job_title", 2_000, seed, locale="de_DE").tolist()
    assert any("/" in j for j in jobs)  # "Arzt / Ärztin"
    countries = set(generate("country", 5_000, seed, locale="fr_FR").tolist())
    assert "Allemagne" in countries
    assert all(s.endswith("。") for s in generate("sentence", 200, seed, locale="ja_JP"))
    for locale in ("en_US", "pt_BR"):
        made = generate("sentence", 200, seed, locale=locale)
        assert all(4 <= len(s.split()) <= 12 and s.endswith(".") for s in made)


def test_japanese_emails_are_romanised(seed: int) -> None:
    emails = generate("email", 2_000, seed, locale="ja_JP")
    assert all(e.isascii() for e in emails)
    assert any("sato" in e or "suzuki" in e for e in emails)
