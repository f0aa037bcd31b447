"""The kind registry: names, lookups, and the PiiKind record."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import synthcraft.pii as pii
from synthcraft.errors import UserInputError
from synthcraft.pii import LOCALES, PiiKind, get_kind, list_kinds

EXPECTED = [
    "city",
    "company",
    "country",
    "credit_card",
    "email",
    "first_name",
    "full_name",
    "iban",
    "ip_address",
    "job_title",
    "last_name",
    "national_id",
    "phone",
    "postcode",
    "sentence",
    "street_address",
    "url",
    "username",
]


def test_list_kinds_is_sorted_and_complete() -> None:
    assert list_kinds() == EXPECTED
    expected = ("de_DE", "en_GB", "en_US", "es_ES", "fr_FR", "it_IT", "ja_JP", "nl_NL", "pt_BR")
    assert expected == LOCALES
    assert pii.__all__ == sorted(pii.__all__)


def test_get_kind_returns_a_frozen_record() -> None:
    kind = get_kind("email")
    assert isinstance(kind, PiiKind)
    assert kind.name == "email"
    assert kind.unique
    assert not kind.needs_name_hint
    assert kind.validator(np.array(["a@example.com", "nope"], dtype=object)).tolist() == [
        True,
        False,
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kind.name = "other"  # type: ignore[misc]


def test_ambiguous_kinds_need_a_name_hint() -> None:
    hinted = {k for k in list_kinds() if get_kind(k).needs_name_hint}
    assert hinted == {
        "city",
        "company",
        "country",
        "first_name",
        "full_name",
        "job_title",
        "last_name",
        "postcode",
        "sentence",
        "username",
    }
    varied = {k for k in list_kinds() if get_kind(k).needs_variety}
    assert varied == {"company", "country", "job_title", "sentence"}


@pytest.mark.parametrize("name", ["Email", "passport", "", None])
def test_unknown_kind_is_a_user_input_error(name: object) -> None:
    with pytest.raises(UserInputError, match=r"unknown PII kind.*use one of: city, company"):
        get_kind(name)  # type: ignore[arg-type]
