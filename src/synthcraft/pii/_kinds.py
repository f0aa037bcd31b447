"""The PII kinds: what each kind is called, how its columns are named and how values validate."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from synthcraft.errors import UserInputError
from synthcraft.pii import _text_validators as tv
from synthcraft.pii import _validators as v
from synthcraft.pii._banking import is_iban
from synthcraft.pii._national_ids import is_national_id

__all__ = ["KINDS", "LOCALES", "PiiKind", "check_locale", "get_kind", "list_kinds", "validate"]

LOCALES: tuple[str, ...] = (
    "de_DE",
    "en_GB",
    "en_US",
    "es_ES",
    "fr_FR",
    "it_IT",
    "ja_JP",
    "nl_NL",
    "pt_BR",
)
"""Locales with word lists and formats (every kind works in every locale)."""


@dataclass(frozen=True)
class PiiKind:
    """One kind of personal data: its recogniser and validator.

    Attributes
    ----------
    name : str
        Kind name, e.g. ``"email"``.
    description : str
        One line saying what the kind holds.
    name_pattern : re.Pattern[str]
        Searched in normalised column names (lower case, words joined by ``_``).
    validator : Callable[[np.ndarray], np.ndarray]
        Array of values in, boolean array out: is each value a valid value of the kind.
    needs_name_hint : bool
        Content alone is too ambiguous (names, cities, postcodes); detection needs the name too.
    unique : bool
        Values are typically unique per person (a hint only).
    needs_variety : bool
        Detection also needs at least half of the values distinct, so that ordinary categorical
        columns (job, country) are not taken for personal data.
    """

    name: str
    description: str
    name_pattern: re.Pattern[str]
    validator: Callable[[npt.NDArray[Any]], npt.NDArray[np.bool_]]
    needs_name_hint: bool
    unique: bool
    needs_variety: bool = False


def _words(*alternatives: str) -> re.Pattern[str]:
    """Match any alternative as whole ``_``-separated words of a normalised name."""
    return re.compile(r"(?:^|_)(?:" + "|".join(alternatives) + r")(?:_|$)")


_KIND_LIST = (
    PiiKind(
        "email",
        "e-mail address",
        re.compile(r"e_?mail|(?:^|_)(?:mail|courriel|correo(?:_electronico)?)(?:_|$)"),
        v.is_email,
        needs_name_hint=False,
        unique=True,
    ),
    PiiKind(
        "url",
        "web address (http or https)",
        _words("url", "uri", "link", "href", "website", "web_?site", "homepage", "web", "webseite"),
        v.is_url,
        needs_name_hint=False,
        unique=False,
    ),
    PiiKind(
        "ip_address",
        "IPv4 or IPv6 address",
        _words("ip", "ip_?addr(?:ess)?", "ipv4", "ipv6", "ip_?v[46]", "remote_addr", "client_ip"),
        v.is_ip_address,
        needs_name_hint=False,
        unique=False,
    ),
    PiiKind(
        "iban",
        "international bank account number",
        _words("iban", "bank_?account", "account_?number", "kontonummer", "konto"),
        is_iban,
        needs_name_hint=False,
        unique=True,
    ),
    PiiKind(
        "credit_card",
        "payment card number (Luhn)",
        re.compile(
            r"credit_?card|card_?(?:number|num|no|nr)|(?:^|_)(?:cc|pan|ccn)(?:_|$)"
            r"|kreditkarte|kartennummer"
        ),
        v.is_credit_card,
        needs_name_hint=False,
        unique=True,
    ),
    PiiKind(
        "national_id",
        "national id: US SSN, UK NINO, DE Steuer-ID, FR NIR, ES DNI/NIE, IT codice fiscale, "
        "NL BSN, BR CPF, JP My Number",
        _words(
            "ssn",
            "social_?security(?:_number|_no)?",
            "nino",
            "ni_?(?:number|no)",
            "national_?(?:insurance|id)(?:_number|_no)?",
            "steuer_?id",
            "steuer_?identifikationsnummer",
            "steueridentifikationsnummer",
            "tax_?id",
            "tin",
            "idnr",
            "nir",
            "insee",
            "num_?secu",
            "numero_?(?:de_)?securite_sociale",
            "dni",
            "nie",
            "nif",
            "codice_?fiscale",
            "bsn",
            "burgerservicenummer",
            "cpf",
            "my_?number",
        ),
        is_national_id,
        needs_name_hint=False,
        unique=True,
    ),
    PiiKind(
        "phone",
        "telephone number (E.164 or a supported country's national format)",
        re.compile(
            r"phone|telefon|mobil|(?:^|_)(?:tel|cell|fax|handy|contact_?number)(?:_|$)"
            r"|rufnummer|telefoon|cellulare|celular|(?:^|_)(?:movil|portable|denwa)(?:_|$)"
        ),
        v.is_phone,
        needs_name_hint=False,
        unique=False,
    ),
    PiiKind(
        "postcode",
        "postal code in a supported country's format (US ZIP, UK postcode, PLZ, CEP, ...)",
        re.compile(
            r"post_?code|postal|(?:^|_)(?:zip|zip_?code|plz|cep|postcode|yubin)(?:_|$)"
            r"|postleitzahl"
        ),
        v.is_postcode,
        needs_name_hint=True,
        unique=False,
    ),
    PiiKind(
        "street_address",
        "street and house number",
        re.compile(
            r"(?:^|_)(?:street|address|addr|address_?line_?1?|strasse|straße|adresse|anschrift"
            r"|indirizzo|direcci_?n|straat|adres|endere_?o|logradouro)"
            r"(?:_|$)|street|(?:^|_)(?:home|postal|mailing|billing|shipping)_?address"
        ),
        v.is_street_address,
        needs_name_hint=False,
        unique=False,
    ),
    PiiKind(
        "username",
        "login name or handle (letters, digits, '.', '_', '-')",
        _words(
            "username",
            "user_?name",
            "login",
            "login_?name",
            "user_?login",
            "screen_?name",
            "nick_?name",
            "nick",
            "handle",
            "user_?handle",
            "benutzername",
            "account_?name",
        ),
        tv.is_username,
        needs_name_hint=True,
        unique=True,
    ),
    PiiKind(
        "company",
        "company or organisation name",
        _words(
            "company",
            "company_?name",
            "employer",
            "firm",
            "firma",
            "firmenname",
            "business_?name",
            "empresa",
            "entreprise",
            "societe",
            "azienda",
            "bedrijf",
            "bedrijfsnaam",
        ),
        tv.is_company,
        needs_name_hint=True,
        unique=False,
        needs_variety=True,
    ),
    PiiKind(
        "job_title",
        "job title or occupation",
        _words(
            "job",
            "job_?title",
            "occupation",
            "profession",
            "beruf",
            "berufsbezeichnung",
            "metier",
            "profesion",
            "professione",
            "beroep",
            "profissao",
        ),
        tv.is_job_title,
        needs_name_hint=True,
        unique=False,
        needs_variety=True,
    ),
    PiiKind(
        "country",
        "country name",
        _words("country", "country_?name", "land", "pays", "paese", "pais"),
        tv.is_country,
        needs_name_hint=True,
        unique=False,
        needs_variety=True,
    ),
    PiiKind(
        "sentence",
        "a sentence of free text",
        _words("sentence", "sentences", "lorem", "lorem_?ipsum"),
        tv.is_sentence,
        needs_name_hint=True,
        unique=False,
        needs_variety=True,
    ),
    PiiKind(
        "full_name",
        "person's full name (first and last)",
        re.compile(
            r"(?:^|_)(?:full_?name|name|names|person|(?:customer|client|patient|employee|contact"
            r"|owner|holder|account_?holder|card_?holder|person|student|member|user|author)"
            r"_?name|vollständiger_name|nombre_completo|nome_completo|nom_complet"
            r"|volledige_naam)(?:_|$)"
        ),
        v.is_full_name,
        needs_name_hint=True,
        unique=False,
    ),
    PiiKind(
        "first_name",
        "person's first (given) name",
        _words(
            "first_?name",
            "given_?name",
            "forename",
            "fname",
            "vorname",
            "christian_?name",
            "pr_?nom",
            "prenom",
            "voornaam",
            "primeiro_?nome",
        ),
        v.is_first_name,
        needs_name_hint=True,
        unique=False,
    ),
    PiiKind(
        "last_name",
        "person's last name (surname)",
        _words(
            "last_?name",
            "surname",
            "family_?name",
            "lname",
            "nachname",
            "familienname",
            "nom_de_famille",
            "apellidos?",
            "cognome",
            "achternaam",
            "sobrenome",
        ),
        v.is_last_name,
        needs_name_hint=True,
        unique=False,
    ),
    PiiKind(
        "city",
        "city or town",
        _words(
            "city",
            "city_?name",
            "town",
            "ort",
            "stadt",
            "wohnort",
            "municipality",
            "locality",
            "ville",
            "ciudad",
            "citt",
            "citta",
            "comune",
            "plaats",
            "woonplaats",
            "cidade",
            "localidad",
        ),
        v.is_city,
        needs_name_hint=True,
        unique=False,
    ),
)

KINDS: dict[str, PiiKind] = {kind.name: kind for kind in _KIND_LIST}
"""Every kind by name, in detection priority order (most specific first)."""


def list_kinds() -> list[str]:
    """Names of every PII kind, sorted.

    Examples
    --------
    >>> "email" in list_kinds()
    True
    """
    return sorted(KINDS)


def get_kind(name: str) -> PiiKind:
    """The :class:`PiiKind` called ``name``.

    Raises
    ------
    UserInputError
        If no kind has that name.
    """
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise UserInputError(
            f"unknown PII kind {name!r}; use one of: {', '.join(list_kinds())}"
        ) from None


def check_locale(locale: str) -> str:
    """Return ``locale`` if it is supported, else raise :class:`UserInputError`."""
    if locale not in LOCALES:
        raise UserInputError(f"unknown locale {locale!r}; use one of: {', '.join(LOCALES)}")
    return locale


def validate(kind: str, values: object) -> npt.NDArray[np.bool_]:
    """Whether each value is a valid value of ``kind`` (format and check digits).

    Parameters
    ----------
    kind : str
        A name from :func:`list_kinds`.
    values : array-like
        Values to check; anything that is not a ``str`` is invalid.

    Returns
    -------
    numpy.ndarray
        Boolean array, one entry per value.

    Examples
    --------
    >>> validate("iban", ["GB82WEST12345698765432", "GB83WEST12345698765432"]).tolist()
    [True, False]
    """
    return get_kind(kind).validator(np.asarray(values, dtype=object).ravel())
