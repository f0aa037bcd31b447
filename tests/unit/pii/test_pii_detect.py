"""detect_pii_kind: realistic columns are found by name and content; ordinary columns are not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthcraft.pii import LOCALES, detect_pii_kind, generate, get_kind, list_kinds
from synthcraft.pii._recognise import normalise_name

COLUMN_NAMES = {
    "email": "EmailAddress",
    "phone": "phone_number",
    "first_name": "FirstName",
    "last_name": "surname",
    "full_name": "customer_name",
    "street_address": "street_address",
    "city": "City",
    "postcode": "ZIPCode",
    "iban": "IBAN",
    "credit_card": "card_number",
    "ip_address": "client_ip",
    "url": "website",
    "national_id": "SSN",
    "username": "UserName",
    "company": "company_name",
    "job_title": "JobTitle",
    "country": "country",
    "sentence": "sentence",
}
VARIED = ["company", "country", "job_title", "sentence"]
"""Kinds that are also ordinary categories: detected only when most values differ."""


def _column(kind: str, seed: int, locale: str = "en_US", n: int = 1_500) -> pd.Series:
    return pd.Series(generate(kind, n, seed, locale=locale), dtype="str")


def test_every_kind_has_a_realistic_column_name() -> None:
    assert sorted(COLUMN_NAMES) == list_kinds()
    for kind, name in COLUMN_NAMES.items():
        assert get_kind(kind).name_pattern.search(normalise_name(name)), name


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", [k for k in list_kinds() if k not in VARIED])
def test_found_by_name_and_content(kind: str, locale: str, seed: int) -> None:
    assert detect_pii_kind(COLUMN_NAMES[kind], _column(kind, seed, locale)) == kind


@pytest.mark.parametrize("locale", ["en_US", "fr_FR", "ja_JP"])
@pytest.mark.parametrize("kind", VARIED)
def test_category_like_kinds_need_varied_values(kind: str, locale: str, seed: int) -> None:
    values = pd.Series(generate(kind, 2_000, seed, locale=locale)).drop_duplicates()
    varied = values.iloc[:30].reset_index(drop=True)
    assert detect_pii_kind(COLUMN_NAMES[kind], varied) == kind
    repeated = pd.Series(varied.iloc[:5].tolist() * 40)  # five values: a category
    assert detect_pii_kind(COLUMN_NAMES[kind], repeated) is None
    assert detect_pii_kind("col_17", varied) is None


def test_jobs_and_countries_of_real_tables_stay_categories(seed: int) -> None:
    rng = np.random.default_rng(seed)
    jobs = ["admin.", "blue-collar", "technician", "services", "management"]
    assert detect_pii_kind("job", pd.Series(rng.choice(jobs, 500))) is None
    titles = ["Engineer", "Nurse", "Teacher", "Accountant", "Manager"]
    assert detect_pii_kind("job_title", pd.Series(rng.choice(titles, 500))) is None
    countries = ["Germany", "France", "United-States", "Mexico", "Philippines"]
    assert detect_pii_kind("native_country", pd.Series(rng.choice(countries, 500))) is None


def test_usernames_are_told_from_full_names(seed: int) -> None:
    names = _column("full_name", seed)
    assert detect_pii_kind("user_name", names) == "full_name"
    assert detect_pii_kind("user_name", _column("username", seed)) == "username"


@pytest.mark.parametrize("kind", ["email", "url", "ip_address", "iban", "credit_card", "phone"])
def test_unambiguous_kinds_found_by_content_alone(kind: str, seed: int) -> None:
    assert detect_pii_kind("col_17", _column(kind, seed, "en_GB")) == kind


@pytest.mark.parametrize(
    "kind", ["first_name", "last_name", "full_name", "city", "postcode", "username", "company"]
)
def test_ambiguous_kinds_need_a_name_hint(kind: str, seed: int) -> None:
    assert detect_pii_kind("col_17", _column(kind, seed)) is None


def test_hinted_column_tolerates_some_bad_values(seed: int) -> None:
    values = generate("email", 1_000, seed).tolist()
    values[::4] = ["n/a"] * len(values[::4])  # 25% junk: enough with a hint, not without
    assert detect_pii_kind("e-mail", pd.Series(values)) == "email"
    assert detect_pii_kind("contact", pd.Series(values)) is None


def test_only_the_first_non_missing_values_count(seed: int) -> None:
    values = [None] * 3_000 + generate("email", 1_000, seed).tolist() + ["x"] * 5_000
    assert detect_pii_kind("col", pd.Series(values, dtype=object)) == "email"
    assert detect_pii_kind("col", pd.Series([None, np.nan, ""], dtype=object)) is None
    assert detect_pii_kind("email", pd.Series([], dtype="str")) is None


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(np.arange(2_000) * 7),
        pd.Series(np.linspace(0, 1, 2_000)),
        pd.Series(["Male", "Female"] * 1_000, dtype="str"),
        pd.Series(["Male", "Female"] * 1_000, dtype="category"),
        pd.Series([f"The order {i} arrived late but intact." for i in range(2_000)]),
        pd.Series(pd.date_range("2020-01-01", periods=2_000, freq="D")),
        pd.Series(pd.date_range("2020-01-01", periods=2_000, freq="D").strftime("%d/%m/%Y")),
        pd.Series(pd.date_range("2020-01-01", periods=2_000, freq="D").strftime("%Y-%m-%d")),
        pd.Series([str(x) for x in np.arange(2_000) * 104_729 + 10**10]),
        pd.Series([f"{x:.6f}" for x in np.linspace(0, 1, 2_000)]),
        pd.Series([True, False] * 1_000),
    ],
)
def test_ordinary_columns_are_not_pii(values: pd.Series) -> None:
    assert detect_pii_kind("value", values) is None
    assert detect_pii_kind("notes", values) is None


def test_names_like_pii_but_content_disagrees() -> None:
    assert detect_pii_kind("email", pd.Series(["yes", "no"] * 500)) is None
    assert detect_pii_kind("phone", pd.Series(np.linspace(0, 1, 1_000))) is None
    assert detect_pii_kind("name", pd.Series(["Blue widget 3", "Red widget 4"] * 500)) is None


def test_numeric_columns_need_a_name_hint(seed: int) -> None:
    ssn = pd.Series(
        [int(s.replace("-", "")) for s in generate("national_id", 1_000, seed, locale="en_US")]
    )
    assert detect_pii_kind("ssn", ssn) == "national_id"
    assert detect_pii_kind("value", ssn) is None
    phones = pd.Series(np.arange(1_000, dtype=np.int64) + 4930231250000)
    assert detect_pii_kind("telephone", phones) == "phone"
    zips = pd.Series(np.arange(1_000) * 37 + 1_067)
    assert detect_pii_kind("zip", zips) == "postcode"
    assert detect_pii_kind("zip", pd.Series(np.arange(1_000) * 0.5)) is None
    assert detect_pii_kind("zip", pd.Series(zips.tolist(), dtype=object)) == "postcode"
    assert detect_pii_kind("zip", zips.astype("Int64").where(zips % 3 > 0)) == "postcode"
    assert detect_pii_kind("zip", pd.Series([True, False] * 500, dtype=object)) is None


def test_digit_strings_need_a_name_hint_for_phones_and_ids(seed: int) -> None:
    steuer = _column("national_id", seed, "de_DE")
    assert detect_pii_kind("steuer_id", steuer) == "national_id"
    assert detect_pii_kind("col", steuer) is None


def test_object_columns_and_surrounding_spaces(seed: int) -> None:
    values = pd.Series([f" {v} " for v in generate("iban", 800, seed)], dtype=object)
    assert detect_pii_kind("account", values) == "iban"
    mixed = pd.Series(generate("email", 800, seed).tolist() + [3] * 10, dtype=object)
    assert detect_pii_kind("email", mixed) is None


def test_accepts_array_like_values(seed: int) -> None:
    assert detect_pii_kind("mail", generate("email", 100, seed).tolist()) == "email"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("ZIPCode", "zip_code"),
        ("First Name", "first_name"),
        ("eMailAddress", "e_mail_address"),
        ("E-Mail", "e_mail"),
        ("IPAddress", "ip_address"),
        ("Straße", "straße"),
        ("__phone__2", "phone_2"),
    ],
)
def test_normalise_name(raw: str, normalised: str) -> None:
    assert normalise_name(raw) == normalised


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("courriel", "email"),
        ("telefono", "phone"),
        ("code_postal", "postcode"),
        ("CEP", "postcode"),
        ("ville", "city"),
        ("indirizzo", "street_address"),
        ("prénom", "first_name"),
        ("apellidos", "last_name"),
        ("codice_fiscale", "national_id"),
        ("BSN", "national_id"),
        ("cpf", "national_id"),
        ("login", "username"),
        ("employer", "company"),
        ("occupation", "job_title"),
    ],
)
def test_names_in_other_languages(name: str, kind: str) -> None:
    assert get_kind(kind).name_pattern.search(normalise_name(name)), name


def test_name_patterns_do_not_fire_on_lookalikes() -> None:
    for name in [
        "ethnicity",
        "tipping_point",
        "shipment_date",
        "description",
        "zipper_colour",
        "shipped_via",
        "role",
        "title",
        "position",
        "landing_page",
        "jobs_count_total",
    ]:
        norm = normalise_name(name)
        hits = [k for k in list_kinds() if get_kind(k).name_pattern.search(norm)]
        assert hits == [], (name, hits)
